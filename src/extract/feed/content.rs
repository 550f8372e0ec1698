//! Feed content HTML turned into story parts: paragraphs, captions, image.
//!
//! Used when a source's story is the feed item itself (no article page).
//! Block elements and `<br>` end a paragraph; `figcaption` text becomes a
//! caption, not body; ruby annotations (`<rt>`, `<rp>`), scripts and styles
//! are dropped. The walk is iterative, so deeply nested markup cannot
//! overflow the stack.

use scraper::{Html, Node};

/// The parts of a story found in feed content HTML.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ContentParts {
    /// Body paragraphs as plain text.
    pub paragraphs: Vec<String>,
    /// Figure captions as plain text.
    pub captions: Vec<String>,
    /// The first image's URL, resolved against the base.
    pub image: Option<String>,
}

/// Splits content HTML into paragraphs, captions and the first image.
pub fn split(html: &str, base: Option<&url::Url>) -> ContentParts {
    let fragment = Html::parse_fragment(html);
    let mut parts = ContentParts::default();
    let mut paragraph = String::new();
    let mut caption = String::new();
    let mut skip_depth = 0usize;
    let mut caption_depth = 0usize;
    let root = *fragment.root_element();
    let mut node = root;
    // Iterative depth-first walk: open a node, descend; on the way back up
    // close each node and move to its next sibling.
    'walk: loop {
        match node.value() {
            Node::Element(el) => {
                let name = el.name();
                if is_skipped(name) {
                    skip_depth += 1;
                } else if skip_depth > 0 {
                } else if name == "figcaption" {
                    flush(&mut paragraph, &mut parts.paragraphs);
                    caption_depth += 1;
                } else if name == "img" {
                    if parts.image.is_none() {
                        parts.image = ["src", "data-src", "data-original"]
                            .iter()
                            .find_map(|a| el.attr(a))
                            .and_then(|src| super::xml::resolve_url(base, src));
                    }
                } else if name == "br" || is_block(name) {
                    if caption_depth > 0 {
                        caption.push(' ');
                    } else {
                        flush(&mut paragraph, &mut parts.paragraphs);
                    }
                }
            }
            Node::Text(text) if skip_depth == 0 => {
                if caption_depth > 0 {
                    caption.push_str(text);
                } else {
                    paragraph.push_str(text);
                }
            }
            _ => {}
        }
        if let Some(child) = node.first_child() {
            node = child;
            continue;
        }
        loop {
            if let Node::Element(el) = node.value() {
                let name = el.name();
                if is_skipped(name) {
                    skip_depth = skip_depth.saturating_sub(1);
                } else if skip_depth > 0 {
                } else if name == "figcaption" {
                    caption_depth = caption_depth.saturating_sub(1);
                    if caption_depth == 0 {
                        flush(&mut caption, &mut parts.captions);
                    }
                } else if is_block(name) && caption_depth == 0 {
                    flush(&mut paragraph, &mut parts.paragraphs);
                }
            }
            if node.id() == root.id() {
                break 'walk;
            }
            if let Some(next) = node.next_sibling() {
                node = next;
                break;
            }
            match node.parent() {
                Some(parent) => node = parent,
                None => break 'walk,
            }
        }
    }
    flush(&mut paragraph, &mut parts.paragraphs);
    flush(&mut caption, &mut parts.captions);
    parts
}

fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "rt"
            | "rp"
            | "iframe"
            | "object"
            | "svg"
            | "button"
            | "select"
            | "textarea"
            | "head"
            | "title"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "figure"
            | "hr"
            | "address"
            | "main"
            | "details"
            | "summary"
            | "center"
            | "form"
            | "fieldset"
    )
}

/// Pushes the collapsed buffer as one paragraph when it holds text.
fn flush(buffer: &mut String, out: &mut Vec<String>) {
    let text = collapse_keeping_cjk(buffer);
    buffer.clear();
    if !text.is_empty() {
        out.push(text);
    }
}

/// Collapses whitespace to one space, and drops it entirely between two
/// Chinese or Japanese characters, where a source line break is not a word
/// break. Korean separates words with spaces, so Hangul keeps them.
fn collapse_keeping_cjk(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            let prev_cjk = out.chars().next_back().is_some_and(is_cjk);
            if !(prev_cjk && is_cjk(ch)) {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(ch);
    }
    out
}

fn is_cjk(ch: char) -> bool {
    matches!(ch,
        '\u{3000}'..='\u{303f}' | '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'
        | '\u{ff00}'..='\u{ffef}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_captions_image_and_ruby() {
        let base = url::Url::parse("https://example.com/news/1.html").unwrap();
        let parts = split(
            "Lead line<br>second line<br/><br/>\
             <figure><img src=\"/p.jpg\"><figcaption>The <b>photo</b></figcaption></figure>\
             <p><ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp></ruby>字の\n話</p>\
             <div><p>Nested</p>tail</div><script>var x;</script>",
            Some(&base),
        );
        assert_eq!(
            parts.paragraphs,
            vec!["Lead line", "second line", "漢字の話", "Nested", "tail"]
        );
        assert_eq!(parts.captions, vec!["The photo"]);
        assert_eq!(parts.image.as_deref(), Some("https://example.com/p.jpg"));
    }

    #[test]
    fn korean_keeps_its_word_spaces_chinese_joins_lines() {
        let parts = split(
            "<p>한국은행은 7일 기준금리를\n연 3.0%로 동결했다.</p><p>中国经济\n稳步增长</p>",
            None,
        );
        assert_eq!(
            parts.paragraphs,
            vec![
                "한국은행은 7일 기준금리를 연 3.0%로 동결했다.",
                "中国经济稳步增长"
            ]
        );
    }
}
