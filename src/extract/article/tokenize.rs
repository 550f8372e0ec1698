//! A byte-level HTML tokenizer for article pages: text, start and end tags
//! with attributes; comments, doctypes and processing instructions are
//! skipped. It follows the WHATWG tokenizer where it matters for the text of
//! a page (quoted attribute values may hold `>`, a `<` that starts no tag is
//! text, a tag cut off by the end of input is dropped, character references
//! are decoded, raw-text elements end only at their own end tag) and leaves
//! out what does not (error reporting, script-data escape states).
//!
//! It only ever splits the input at ASCII bytes, so every slice it hands out
//! is valid UTF-8 and borrowed from the page; text and values are copied
//! only when a character reference has to be decoded or a name lower-cased.

use super::dom::Attr;
use crate::extract::charref;
use std::borrow::Cow;

/// What the tokenizer hands the tree builder.
#[derive(Debug)]
pub enum Token<'a> {
    /// Character data, references decoded.
    Text(Cow<'a, str>),
    /// A start tag; its attributes were appended to the caller's list.
    Start {
        /// Tag name, ASCII lower case.
        name: Cow<'a, str>,
        /// Written as `<name ... />`.
        self_closing: bool,
    },
    /// An end tag.
    End {
        /// Tag name, ASCII lower case.
        name: Cow<'a, str>,
    },
}

/// How the text after a start tag is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawText {
    /// `script`, `style`, `xmp`, `iframe`, `noembed`, `noframes`,
    /// `noscript`: no tags, no references, up to the matching end tag.
    Raw,
    /// `title`, `textarea`: no tags, references decoded.
    Escapable,
    /// `plaintext`: the rest of the input is text.
    Plain,
}

/// The tokenizer over one page.
pub struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    raw: Option<(RawText, &'static str)>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

impl<'a> Tokenizer<'a> {
    /// Starts at the beginning of `src`.
    pub fn new(src: &'a str) -> Self {
        Tokenizer {
            src,
            pos: 0,
            raw: None,
        }
    }

    /// Reads the text after the start tag just returned as raw text that
    /// ends at `</name` (the tree builder decides which elements do).
    pub fn raw_text(&mut self, kind: RawText, name: &'static str) {
        self.raw = Some((kind, name));
    }

    /// The next token, `None` at the end of the input. Attributes of a
    /// start tag are appended to `attrs`.
    pub fn next_token(&mut self, attrs: &mut Vec<Attr<'a>>) -> Option<Token<'a>> {
        let bytes = self.src.as_bytes();
        loop {
            if self.pos >= bytes.len() {
                return None;
            }
            if let Some((kind, name)) = self.raw.take() {
                let start = self.pos;
                let end = match kind {
                    RawText::Plain => bytes.len(),
                    _ => find_end_tag(bytes, start, name),
                };
                self.pos = end;
                if end > start {
                    let text = &self.src[start..end];
                    return Some(Token::Text(match kind {
                        RawText::Escapable => charref::decode_text(text),
                        _ => Cow::Borrowed(text),
                    }));
                }
                continue;
            }
            if bytes[self.pos] != b'<' {
                return Some(self.text());
            }
            let next = bytes.get(self.pos + 1).copied();
            match next {
                Some(b'!') => self.skip_markup_declaration(),
                Some(b'?') => self.skip_to_gt(self.pos + 2),
                Some(b'/') => match bytes.get(self.pos + 2).copied() {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let mark = attrs.len();
                        let tag = self.tag(self.pos + 2, attrs);
                        attrs.truncate(mark);
                        if let Some((name, _)) = tag {
                            return Some(Token::End { name });
                        }
                    }
                    Some(b'>') => self.pos += 3,
                    Some(_) => self.skip_to_gt(self.pos + 2),
                    None => return Some(self.text()),
                },
                Some(c) if c.is_ascii_alphabetic() => {
                    let mark = attrs.len();
                    match self.tag(self.pos + 1, attrs) {
                        Some((name, self_closing)) => {
                            return Some(Token::Start { name, self_closing });
                        }
                        None => attrs.truncate(mark),
                    }
                }
                _ => return Some(self.text()),
            }
        }
    }

    /// Character data up to the next `<` that starts markup. The scan for
    /// its end also looks for `&` and NUL, so text without references
    /// (nearly all of it) is not read a second time by the decoder.
    fn text(&mut self) -> Token<'a> {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        // A `<` at `start` that begins no markup is text too.
        let mut refs = matches!(bytes[start], b'&' | 0);
        let mut at = start + 1;
        let end = loop {
            let rest = &bytes[at.min(bytes.len())..];
            let found = match refs {
                true => memchr::memchr(b'<', rest),
                false => memchr::memchr3(b'<', b'&', 0, rest),
            };
            match found {
                None => break bytes.len(),
                Some(found) => {
                    let p = at + found;
                    if bytes[p] != b'<' {
                        refs = true;
                        at = p + 1;
                        continue;
                    }
                    match bytes.get(p + 1) {
                        Some(c) if c.is_ascii_alphabetic() || matches!(c, b'!' | b'/' | b'?') => {
                            break p;
                        }
                        _ => at = p + 1,
                    }
                }
            }
        };
        self.pos = end;
        let text = &self.src[start..end];
        Token::Text(match refs {
            true => charref::decode_text(text),
            false => Cow::Borrowed(text),
        })
    }

    /// `<!-- ... -->`, `<!DOCTYPE ...>`, `<![CDATA[ ... ]]>` (a bogus
    /// comment in HTML content: it ends at the first `>`).
    fn skip_markup_declaration(&mut self) {
        let bytes = self.src.as_bytes();
        let rest = &bytes[self.pos + 2..];
        if rest.starts_with(b"--") {
            let body = self.pos + 4;
            // `<!-->` and `<!--->` are complete (empty) comments.
            if bytes.get(body) == Some(&b'>') {
                self.pos = body + 1;
                return;
            }
            if bytes[body..].starts_with(b"->") {
                self.pos = body + 2;
                return;
            }
            self.pos = match memchr::memmem::find(&bytes[body..], b"-->") {
                Some(end) => body + end + 3,
                None => match memchr::memmem::find(&bytes[body..], b"--!>") {
                    Some(end) => body + end + 4,
                    None => bytes.len(),
                },
            };
            return;
        }
        self.skip_to_gt(self.pos + 2);
    }

    fn skip_to_gt(&mut self, from: usize) {
        let bytes = self.src.as_bytes();
        self.pos = match memchr::memchr(b'>', &bytes[from.min(bytes.len())..]) {
            Some(end) => from + end + 1,
            None => bytes.len(),
        };
    }

    /// A tag from its name at `start`: the name and the self-closing flag,
    /// or `None` when the input ends inside the tag (the tag is dropped and
    /// the input is used up).
    fn tag(&mut self, start: usize, attrs: &mut Vec<Attr<'a>>) -> Option<(Cow<'a, str>, bool)> {
        let tag = self.read_tag(start, attrs);
        if tag.is_none() {
            self.pos = self.src.len();
        }
        tag
    }

    fn read_tag(
        &mut self,
        start: usize,
        attrs: &mut Vec<Attr<'a>>,
    ) -> Option<(Cow<'a, str>, bool)> {
        let bytes = self.src.as_bytes();
        let mut at = start;
        while at < bytes.len() && !is_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>') {
            at += 1;
        }
        let name = lower(&self.src[start..at]);
        let first_attr = attrs.len();
        loop {
            while at < bytes.len() && is_space(bytes[at]) {
                at += 1;
            }
            let &c = bytes.get(at)?;
            if c == b'>' {
                self.pos = at + 1;
                return Some((name, false));
            }
            if c == b'/' {
                at += 1;
                if bytes.get(at) == Some(&b'>') {
                    self.pos = at + 1;
                    return Some((name, true));
                }
                continue;
            }
            // An attribute name may begin with `=`.
            let name_start = at;
            at += 1;
            while at < bytes.len()
                && !is_space(bytes[at])
                && !matches!(bytes[at], b'/' | b'>' | b'=')
            {
                at += 1;
            }
            let attr_name = &self.src[name_start..at];
            while at < bytes.len() && is_space(bytes[at]) {
                at += 1;
            }
            let mut value = "";
            // Whether the value holds `&` or NUL, found by the scan for its
            // end so that plain values are not read again by the decoder.
            let mut refs = false;
            if bytes.get(at) == Some(&b'=') {
                at += 1;
                while at < bytes.len() && is_space(bytes[at]) {
                    at += 1;
                }
                match bytes.get(at).copied() {
                    Some(quote @ (b'"' | b'\'')) => {
                        let value_start = at + 1;
                        at = value_start;
                        loop {
                            let rest = &bytes[at..];
                            let found = match refs {
                                true => memchr::memchr(quote, rest),
                                false => memchr::memchr3(quote, b'&', 0, rest),
                            };
                            at += found?;
                            if bytes[at] == quote {
                                break;
                            }
                            refs = true;
                            at += 1;
                        }
                        value = &self.src[value_start..at];
                        at += 1;
                    }
                    Some(_) => {
                        let value_start = at;
                        while at < bytes.len() && !is_space(bytes[at]) && bytes[at] != b'>' {
                            refs |= matches!(bytes[at], b'&' | 0);
                            at += 1;
                        }
                        value = &self.src[value_start..at];
                    }
                    None => return None,
                }
            }
            let attr_name = lower(attr_name);
            // The first of two attributes with one name wins.
            if !attrs[first_attr..].iter().any(|a| a.name == attr_name) {
                attrs.push(Attr {
                    name: attr_name,
                    value: match refs {
                        true => charref::decode_attr(value),
                        false => Cow::Borrowed(value),
                    },
                });
            }
        }
    }
}

/// ASCII lower case, borrowed when it already is.
fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Where the raw text that started at `from` ends: at `</name` followed by
/// white space, `/` or `>` (any case), or at the end of the input.
fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> usize {
    let name = name.as_bytes();
    let mut at = from;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let p = at + found;
        let after = p + 2 + name.len();
        if bytes.get(p + 1) == Some(&b'/')
            && bytes
                .get(p + 2..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && bytes
                .get(after)
                .is_none_or(|&b| is_space(b) || matches!(b, b'/' | b'>'))
        {
            return p;
        }
        at = p + 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(html: &str) -> Vec<String> {
        let mut tokenizer = Tokenizer::new(html);
        let mut attrs = Vec::new();
        let mut out = Vec::new();
        while let Some(token) = tokenizer.next_token(&mut attrs) {
            out.push(match token {
                Token::Text(t) => format!("text {t:?}"),
                Token::Start { name, self_closing } => {
                    let list: Vec<String> = attrs
                        .drain(..)
                        .map(|a| format!("{}={:?}", a.name, a.value))
                        .collect();
                    if name == "script" {
                        tokenizer.raw_text(RawText::Raw, "script");
                    }
                    format!(
                        "<{name}{}{}>",
                        if self_closing { "/" } else { "" },
                        list.join(",")
                    )
                }
                Token::End { name } => format!("</{name}>"),
            });
        }
        out
    }

    #[test]
    fn tags_attributes_and_text() {
        assert_eq!(
            tokens(r#"<DIV Class="a>b" id=x data-x='1' hidden>A &amp; B</div>"#),
            [
                r#"<divclass="a>b",id="x",data-x="1",hidden="">"#,
                r#"text "A & B""#,
                "</div>"
            ]
        );
        assert_eq!(
            tokens("<br/>a < b <!-- <p> --> c</>d"),
            ["<br/>", r#"text "a < b ""#, r#"text " c""#, r#"text "d""#]
        );
    }

    #[test]
    fn references_and_nul_are_decoded_wherever_the_scans_meet_them() {
        assert_eq!(
            tokens(
                "<a title='x &lt; y' href=a&amp;b data-n=\"\0\" id=\"&\">&amp;p&#x4E2D;\0q & r</a>"
            ),
            [
                r#"<atitle="x < y",href="a&b",data-n="�",id="&">"#,
                r#"text "&p中q & r""#,
                "</a>"
            ]
        );
        // A stray `<` first, a reference after it.
        assert_eq!(tokens("< &gt; <3"), [r#"text "< > <3""#]);
        assert_eq!(tokens("<p class=\"a&amp;b"), Vec::<String>::new());
    }

    #[test]
    fn raw_text_ends_only_at_its_own_end_tag() {
        assert_eq!(
            tokens("<script>if (a<b) x='</div>';</SCRIPT >t"),
            [
                "<script>",
                r#"text "if (a<b) x='</div>';""#,
                "</script>",
                r#"text "t""#
            ]
        );
    }

    #[test]
    fn broken_input_never_panics_and_drops_cut_tags() {
        for html in [
            "<",
            "</",
            "<a href=\"x",
            "<!--",
            "<!",
            "<?",
            "<a b",
            "&",
            "&#x",
            "<p =x>",
        ] {
            let _ = tokens(html);
        }
        assert_eq!(tokens("text<a href=\"x"), [r#"text "text""#]);
        assert_eq!(tokens("<!DOCTYPE html><p>x"), ["<p>", r#"text "x""#]);
    }
}
