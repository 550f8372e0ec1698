//! The parsed page as a flat arena in document order, with what cleaning
//! decided about each node.
//!
//! The built-in parser ([`super::parse`]) writes the arena directly; pages
//! of sources with CSS selectors are parsed by html5ever (through scraper,
//! whose selector engine needs its tree) and flattened into the same arena
//! ([`super::selectors::flatten`]). Every later pass is a loop over indices: a
//! node's subtree is `index..end`, and per-node figures (text weight, link
//! weight, scores) live in plain vectors.

use std::borrow::Cow;

/// Open elements deeper than this are not nested further, by either tree
/// builder (Blink caps the tree depth the same way, at 512).
pub const MAX_DEPTH: usize = 512;

/// One attribute: lower-case name, decoded value.
#[derive(Debug, Clone)]
pub struct Attr<'a> {
    /// The name, ASCII lower case.
    pub name: Cow<'a, str>,
    /// The value with character references decoded.
    pub value: Cow<'a, str>,
}

/// One node of the flattened page.
#[derive(Debug)]
pub struct Node<'a> {
    /// Index of the parent, `None` for the document root.
    pub parent: Option<usize>,
    /// One past the last descendant: the subtree is `self_index..end`.
    pub end: usize,
    /// What the node is.
    pub kind: Kind<'a>,
}

/// What a node holds.
#[derive(Debug)]
pub enum Kind<'a> {
    /// An element: lower-case tag name, and its attributes as a range of
    /// [`Dom`]'s attribute list.
    Element {
        /// Tag name, ASCII lower case.
        name: Cow<'a, str>,
        /// `start..end` in the attribute list.
        attrs: (u32, u32),
    },
    /// A text node, character references decoded.
    Text(Cow<'a, str>),
    /// The document root (comments and doctypes are not kept).
    Other,
}

/// An element of the arena: its name and attributes.
#[derive(Debug, Clone, Copy)]
pub struct ElementRef<'d> {
    name: &'d str,
    attrs: &'d [Attr<'d>],
}

impl<'d> ElementRef<'d> {
    /// Tag name, ASCII lower case.
    pub fn name(&self) -> &'d str {
        self.name
    }

    /// The value of attribute `name` (lower case), if present.
    pub fn attr(&self, name: &str) -> Option<&'d str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_ref())
    }
}

/// The page in document order, plus what cleaning decided about each node.
pub struct Dom<'a> {
    /// All nodes, in preorder.
    pub nodes: Vec<Node<'a>>,
    attrs: Vec<Attr<'a>>,
    /// `true` for nodes that are never body text (scripts, navigation,
    /// share widgets, comment sections ...), and for everything inside them.
    pub removed: Vec<bool>,
    /// `true` for what is never text at all (scripts, styles, hidden
    /// elements, form controls, ruby readings), a subset of `removed`.
    pub hard: Vec<bool>,
    /// Text weight of each subtree, counting only nodes not removed.
    pub weight: Vec<u32>,
    /// Part of `weight` that is inside links.
    pub link_weight: Vec<u32>,
    /// Weight of each text node's own text (see [`text_weight`]); zero for
    /// elements and for text that is never read (scripts, styles).
    pub text_weight: Vec<u32>,
    /// What the class and id of each element say (see [`ClassFlags`]).
    pub class_flags: Vec<ClassFlags>,
}

impl<'a> Dom<'a> {
    /// An arena from parsed nodes, with nothing removed and no weights yet:
    /// [`super::clean::clean`] fills those in.
    pub(super) fn from_parts(nodes: Vec<Node<'a>>, attrs: Vec<Attr<'a>>) -> Dom<'a> {
        let n = nodes.len();
        Dom {
            nodes,
            attrs,
            removed: vec![false; n],
            hard: vec![false; n],
            weight: vec![0; n],
            link_weight: vec![0; n],
            text_weight: vec![0; n],
            class_flags: vec![ClassFlags::default(); n],
        }
    }

    /// The tag name of an element node.
    pub fn tag(&self, i: usize) -> Option<&str> {
        match &self.nodes[i].kind {
            Kind::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The element of an element node.
    pub fn element(&self, i: usize) -> Option<ElementRef<'_>> {
        match &self.nodes[i].kind {
            Kind::Element { name, attrs } => Some(ElementRef {
                name,
                attrs: &self.attrs[attrs.0 as usize..attrs.1 as usize],
            }),
            _ => None,
        }
    }

    /// The text of a text node.
    pub fn text(&self, i: usize) -> Option<&str> {
        match &self.nodes[i].kind {
            Kind::Text(text) => Some(text),
            _ => None,
        }
    }

    /// Index of the `<body>` element (or the root when there is none).
    pub fn body(&self) -> usize {
        (0..self.nodes.len())
            .find(|&i| self.tag(i) == Some("body"))
            .unwrap_or(0)
    }

    /// Whether a node is a hyperlink: an `<a>` whose `href` leads somewhere.
    /// A named anchor (`<a name="top"/>`, whose `/>` HTML ignores) is not,
    /// even when it is left open around the rest of the page. Nor is a link
    /// that only runs a script or stays put (`javascript:void(0)`, `#`):
    /// pages for learners (NHK's easy Japanese, glossary pop-ups on Japanese
    /// and Korean portals) wrap most words of the story in such links, and
    /// counted as links they make the story a link list.
    pub fn is_link(&self, i: usize) -> bool {
        self.tag(i) == Some("a")
            && self
                .element(i)
                .and_then(|el| el.attr("href"))
                .is_some_and(is_navigating_href)
    }

    /// Whether a node is an `<a href>` that goes nowhere (`#`,
    /// `javascript:…`): a page control or a pop-up, not a link; see
    /// [`Dom::is_link`].
    pub fn is_control_link(&self, i: usize) -> bool {
        self.tag(i) == Some("a")
            && self
                .element(i)
                .and_then(|el| el.attr("href"))
                .is_some_and(|href| !is_navigating_href(href))
    }

    /// Share of a subtree's text that is link text, in [0, 1].
    pub fn link_density(&self, i: usize) -> f32 {
        if self.weight[i] == 0 {
            0.0
        } else {
            self.link_weight[i] as f32 / self.weight[i] as f32
        }
    }

    /// Readability's class weight of an element: +25 for content-like
    /// names, −25 for boilerplate-like names.
    pub fn class_weight(&self, i: usize) -> f32 {
        self.class_flags[i].weight()
    }

    /// Marks a subtree removed (a source's `remove` selectors); call
    /// [`Dom::refresh_weights`] after the last one.
    pub fn remove_subtree(&mut self, i: usize) {
        let end = self.nodes[i].end;
        self.removed[i..end].iter_mut().for_each(|r| *r = true);
    }

    /// Takes back a boilerplate removal for a subtree (what is never text
    /// stays removed); call [`Dom::refresh_weights`] afterwards.
    pub fn restore_subtree(&mut self, i: usize) {
        let end = self.nodes[i].end;
        for j in i..end {
            self.removed[j] = self.hard[j];
        }
    }

    /// Recomputes subtree weights after removals.
    pub fn refresh_weights(&mut self) {
        let removed = std::mem::take(&mut self.removed);
        self.compute_weights(&removed);
        self.removed = removed;
    }

    /// Bottom-up text and link weights, skipping `skip`ped nodes.
    pub(super) fn compute_weights(&mut self, skip: &[bool]) {
        let n = self.nodes.len();
        self.weight.copy_from_slice(&self.text_weight);
        self.link_weight.iter_mut().for_each(|w| *w = 0);
        for i in (1..n).rev() {
            if skip[i] {
                self.weight[i] = 0;
                self.link_weight[i] = 0;
                continue;
            }
            if self.is_link(i) {
                self.link_weight[i] = self.weight[i];
            }
            if let Some(p) = self.nodes[i].parent {
                self.weight[p] += self.weight[i];
                self.link_weight[p] += self.link_weight[i];
            }
        }
    }
}

/// Whether an `href` leads to another page or place: not empty, not a bare
/// `#`, not a `javascript:` action.
fn is_navigating_href(href: &str) -> bool {
    let href = href.trim();
    !(href.is_empty()
        || href == "#"
        || href
            .get(..11)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("javascript:")))
}

/// What an element's class and id names say, as bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassFlags(u16);

impl ClassFlags {
    /// Flags from their bits (set by [cleaning](super::clean)).
    pub const fn from_bits(bits: u16) -> Self {
        ClassFlags(bits)
    }

    /// Boilerplate whatever else the name says: comment threads, share
    /// widgets, related and recommended stories, breadcrumbs.
    pub const STRONG_NEGATIVE: u16 = 1;
    /// Comment threads: long, low in links, and never the story.
    pub const COMMENTS: u16 = 1 << 1;
    /// Usually boilerplate unless the name also says content
    /// (readability's "unlikely candidates").
    pub const WEAK_NEGATIVE: u16 = 1 << 2;
    /// Content-like names.
    pub const POSITIVE: u16 = 1 << 3;
    /// Image captions.
    pub const CAPTION: u16 = 1 << 4;
    /// `paywall`: the gate, or on a `<p>` the story behind it.
    pub const PAYWALL: u16 = 1 << 5;
    /// A byline by class name (`byline`, `author`, `*-author`).
    pub const BYLINE: u16 = 1 << 6;
    /// A short boilerplate word standing alone (`ad`, `nav`, `tag` ...).
    pub const NEGATIVE_WORD: u16 = 1 << 7;

    /// Whether any of `bits` is set.
    pub fn has(self, bits: u16) -> bool {
        self.0 & bits != 0
    }

    /// Readability's class weight: +25 content-like, −25 boilerplate-like.
    pub fn weight(self) -> f32 {
        let mut weight = 0.0;
        if self.has(Self::POSITIVE) {
            weight += 25.0;
        }
        if self.has(Self::STRONG_NEGATIVE | Self::WEAK_NEGATIVE) {
            weight -= 25.0;
        }
        weight
    }
}

/// Han, Kana and Hangul characters are tokens on their own.
pub fn is_cjk_token_char(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007          // 々 〆 〇
        | 0x3040..=0x30FF        // Hiragana, Katakana
        | 0x31F0..=0x31FF        // Katakana phonetic extensions
        | 0x3400..=0x4DBF        // Han extension A
        | 0x4E00..=0x9FFF        // Han
        | 0xF900..=0xFAFF        // Han compatibility
        | 0x1100..=0x11FF        // Hangul Jamo
        | 0x3130..=0x318F        // Hangul compatibility Jamo
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7AF        // Hangul syllables
        | 0xD7B0..=0xD7FF
        | 0xFF66..=0xFF9F        // half-width Katakana
        | 0x1B000..=0x1B16F      // Kana supplement / extended
        | 0x20000..=0x3134F) // Han extensions B..H
}

/// How much text a string holds: letters, digits and punctuation count one,
/// Han, Kana and Hangul characters three (one CJK character carries about
/// what a short Latin word does), whitespace nothing.
pub fn text_weight(text: &str) -> u32 {
    // Most text nodes are ASCII (Latin text, and the white space between
    // tags on every page): counting bytes is much cheaper than decoding.
    if text.is_ascii() {
        return text.bytes().filter(|b| !b.is_ascii_whitespace()).count() as u32;
    }
    let mut weight = 0u32;
    for c in text.chars() {
        if c.is_ascii() {
            weight += u32::from(!c.is_ascii_whitespace());
        } else if is_cjk_token_char(c) {
            weight += 3;
        } else if !c.is_whitespace() {
            weight += 1;
        }
    }
    weight
}

/// Block-level tags: they start and end paragraphs.
pub fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "caption"
    )
}

/// Headings `h1`–`h6`.
pub fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}
