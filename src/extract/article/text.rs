//! Turning the chosen part of the page into paragraphs of plain text.
//!
//! Block elements and `<br>` end a paragraph; inline elements flow into it.
//! Whitespace is collapsed as a browser would, and a space that a line break
//! in the source left between two CJK characters is dropped. Image captions
//! go to their own list. Ruby readings were already removed by cleaning, so
//! ruby keeps only its base text.

use super::dom::is_cjk_token_char;
use super::dom::{self, Dom, Kind};

/// Paragraphs and captions of one part of the page.
#[derive(Debug, Default)]
pub struct Assembled {
    /// Paragraphs in document order.
    pub paragraphs: Vec<Paragraph>,
    /// Captions in document order.
    pub captions: Vec<String>,
    /// The first image's `src` (or lazy-loading `data-src`), as written.
    pub first_image: Option<String>,
}

/// One paragraph of text.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// The text, trimmed, whitespace collapsed.
    pub text: String,
    /// Text weight (see [`dom::text_weight`]).
    pub weight: u32,
    /// Part of the weight inside links.
    pub link_weight: u32,
    /// Part of the weight inside links that go nowhere (`javascript:`,
    /// `#`): page controls ("close", "print"), or glossary pop-ups around
    /// the words of a sentence.
    pub control_weight: u32,
    /// Whether it is a heading (`h1`–`h6`).
    pub heading: bool,
    /// Whether it is an item of a list (`li`, `dd`, `dt`).
    pub list_item: bool,
}

/// Marks white space that held a source line break (private-use character,
/// never left in the output).
const SOFT_SPACE: char = '\u{E000}';

/// Captions are short; a "caption" wrapper around the story is not one.
const MAX_CAPTION_WEIGHT: u32 = 600;

/// Collects the text of the given subtrees.
pub fn assemble(dom: &Dom, roots: &[usize]) -> Assembled {
    let mut builder = Builder::default();
    for &root in roots {
        builder.visit(dom, root, Link::None, false);
        builder.flush();
    }
    builder.out
}

#[derive(Default)]
struct Builder {
    out: Assembled,
    current: String,
    weight: u32,
    link_weight: u32,
    control_weight: u32,
    heading: bool,
    list_item: bool,
}

/// The kind of link a node sits in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    None,
    /// A link to another page or place ([`Dom::is_link`]).
    Navigating,
    /// A link that goes nowhere ([`Dom::is_control_link`]).
    Control,
}

impl Builder {
    fn visit(&mut self, dom: &Dom, i: usize, in_link: Link, in_pre: bool) {
        if dom.removed[i] {
            return;
        }
        match &dom.nodes[i].kind {
            Kind::Text(text) => {
                self.push_text(text, in_pre);
                let weight = dom.text_weight[i];
                self.weight += weight;
                match in_link {
                    Link::Navigating => self.link_weight += weight,
                    Link::Control => self.control_weight += weight,
                    Link::None => {}
                }
            }
            Kind::Other => self.children(dom, i, in_link, in_pre),
            Kind::Element { name, .. } => {
                let name = name.as_ref();
                if name == "br" {
                    self.flush();
                    return;
                }
                if name == "img" {
                    if self.out.first_image.is_none()
                        && let Some(el) = dom.element(i)
                    {
                        self.out.first_image = ["data-src", "data-original", "src"]
                            .iter()
                            .filter_map(|a| el.attr(a))
                            .find(|s| !s.trim().is_empty() && !s.starts_with("data:"))
                            .map(|s| s.trim().to_string());
                    }
                    return;
                }
                if is_caption(dom, i, name) {
                    let mut caption = Builder::default();
                    caption.children(dom, i, Link::None, false);
                    caption.flush();
                    let text = caption
                        .out
                        .paragraphs
                        .into_iter()
                        .map(|p| p.text)
                        .collect::<Vec<_>>()
                        .join(" ");
                    if !text.is_empty() {
                        self.out.captions.push(text);
                    }
                    self.out.captions.extend(caption.out.captions);
                    return;
                }
                let in_link = if dom.is_link(i) {
                    Link::Navigating
                } else if in_link == Link::None && dom.is_control_link(i) {
                    Link::Control
                } else {
                    in_link
                };
                let in_pre = in_pre || name == "pre";
                if dom::is_block(name) {
                    self.flush();
                    self.heading = dom::is_heading(name);
                    self.list_item = matches!(name, "li" | "dd" | "dt");
                    self.children(dom, i, in_link, in_pre);
                    self.flush();
                } else {
                    self.children(dom, i, in_link, in_pre);
                }
            }
        }
    }

    fn children(&mut self, dom: &Dom, i: usize, in_link: Link, in_pre: bool) {
        let mut child = i + 1;
        while child < dom.nodes[i].end {
            self.visit(dom, child, in_link, in_pre);
            child = dom.nodes[child].end;
        }
    }

    fn push_text(&mut self, text: &str, in_pre: bool) {
        if in_pre {
            for (n, line) in text.split('\n').enumerate() {
                if n > 0 {
                    self.flush();
                }
                self.current.push_str(line);
            }
            return;
        }
        // The text between white space is copied a run at a time.
        let mut rest = text;
        while let Some((at, len)) = find_collapsible(rest) {
            self.current.push_str(&rest[..at]);
            self.push_space(matches!(rest.as_bytes()[at], b'\n' | b'\r'));
            rest = &rest[at + len..];
        }
        self.current.push_str(rest);
    }

    /// One collapsible white-space character. A run with a line break
    /// becomes SOFT_SPACE, which `join_cjk` drops between CJK characters
    /// (a browser shows no gap there either).
    fn push_space(&mut self, line_break: bool) {
        match self.current.chars().last() {
            None => {}
            Some(' ') if line_break => {
                self.current.pop();
                self.current.push(SOFT_SPACE);
            }
            Some(' ') | Some(SOFT_SPACE) => {}
            Some(_) => self.current.push(if line_break { SOFT_SPACE } else { ' ' }),
        }
    }

    fn flush(&mut self) {
        let text = join_cjk(
            self.current
                .trim_matches(|c: char| c.is_whitespace() || c == SOFT_SPACE),
        );
        if !text.is_empty() {
            self.out.paragraphs.push(Paragraph {
                text,
                weight: self.weight,
                link_weight: self.link_weight,
                control_weight: self.control_weight,
                heading: self.heading,
                list_item: self.list_item,
            });
        }
        self.current.clear();
        self.weight = 0;
        self.link_weight = 0;
        self.control_weight = 0;
        self.heading = false;
        self.list_item = false;
    }
}

/// The first collapsible white-space character of `text` as in CSS (a
/// no-break space counts; the ideographic space, often after a dateline:
/// `电　`, is kept): its byte offset and length. Bytes are compared rather
/// than characters decoded, as this runs over every character of the story.
fn find_collapsible(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => return Some((at, 1)),
            // U+00A0 is C2 A0; in valid UTF-8, C2 only ever leads a character.
            0xC2 if bytes.get(at + 1) == Some(&0xA0) => return Some((at, 2)),
            _ => at += 1,
        }
    }
    None
}

/// Whether an element is an image caption kept apart from the body.
pub fn is_caption(dom: &Dom, i: usize, name: &str) -> bool {
    if name == "figcaption" {
        return true;
    }
    if dom.weight[i] > MAX_CAPTION_WEIGHT {
        return false;
    }
    dom.class_flags[i].has(super::clean::ClassFlags::CAPTION)
}

/// Drops the spaces that source line breaks leave between CJK characters
/// (and between CJK characters and CJK punctuation).
fn join_cjk(text: &str) -> String {
    if !text.contains(SOFT_SPACE) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (k, &c) in chars.iter().enumerate() {
        if c == SOFT_SPACE {
            let between_wide =
                k > 0 && k + 1 < chars.len() && is_wide(chars[k - 1]) && is_wide(chars[k + 1]);
            if !between_wide {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

fn is_wide(c: char) -> bool {
    is_cjk_token_char(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}
