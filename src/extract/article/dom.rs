//! The parsed page as a flat arena in document order, with what cleaning
//! decided about each node.
//!
//! The built-in parser ([`super::parse`]) writes the arena directly; pages
//! of sources with CSS selectors are parsed by html5ever (through scraper,
//! whose selector engine needs its tree) and flattened into the same arena
//! ([`Dom::from_scraper`]). Every later pass is a loop over indices: a
//! node's subtree is `index..end`, and per-node figures (text weight, link
//! weight, scores) live in plain vectors.

use super::clean;
use super::tokenize::Attr;
use std::borrow::Cow;

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
    /// What the class and id of each element say (see [`clean::ClassFlags`]).
    pub class_flags: Vec<clean::ClassFlags>,
}

impl<'a> Dom<'a> {
    /// An arena from parsed nodes, cleaned.
    pub(super) fn from_parts(nodes: Vec<Node<'a>>, attrs: Vec<Attr<'a>>) -> Dom<'a> {
        let n = nodes.len();
        let mut dom = Dom {
            nodes,
            attrs,
            removed: vec![false; n],
            hard: vec![false; n],
            weight: vec![0; n],
            link_weight: vec![0; n],
            text_weight: vec![0; n],
            class_flags: vec![clean::ClassFlags::default(); n],
        };
        clean::clean(&mut dom);
        dom
    }

    /// Flattens a page parsed by html5ever (for selector matching) and
    /// cleans it; also returns each arena node's id in scraper's tree.
    ///
    /// html5ever keeps any depth; nesting is capped here as the built-in
    /// parser caps it ([`super::parse::MAX_DEPTH`]): an element deeper than
    /// that becomes an empty sibling and its content moves up to the
    /// deepest kept ancestor, so later passes never face hostile depth.
    pub fn from_scraper(html: &'a scraper::Html) -> (Dom<'a>, Vec<ego_tree::NodeId>) {
        let mut nodes: Vec<Node<'a>> = Vec::with_capacity(1024);
        let mut attrs: Vec<Attr<'a>> = Vec::with_capacity(1024);
        let mut ids = Vec::with_capacity(1024);
        let mut stack: Vec<usize> = Vec::with_capacity(64);
        // For each open node of scraper's tree, whether it is on `stack`.
        let mut kept: Vec<bool> = Vec::with_capacity(64);
        for edge in html.tree.root().traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => {
                    let kind = match node.value() {
                        scraper::Node::Element(el) => {
                            let first = attrs.len() as u32;
                            attrs.extend(el.attrs().map(|(name, value)| Attr {
                                name: Cow::Borrowed(name),
                                value: Cow::Borrowed(value),
                            }));
                            Kind::Element {
                                name: Cow::Borrowed(el.name()),
                                attrs: (first, attrs.len() as u32),
                            }
                        }
                        scraper::Node::Text(text) => Kind::Text(Cow::Borrowed(text)),
                        _ => Kind::Other,
                    };
                    let index = nodes.len();
                    nodes.push(Node {
                        parent: stack.last().copied(),
                        end: index + 1,
                        kind,
                    });
                    ids.push(node.id());
                    // The root is not counted, as in the built-in parser.
                    let keep = stack.len() <= super::parse::MAX_DEPTH;
                    if keep {
                        stack.push(index);
                    }
                    kept.push(keep);
                }
                ego_tree::iter::Edge::Close(_) => {
                    if kept.pop() == Some(true)
                        && let Some(index) = stack.pop()
                    {
                        nodes[index].end = nodes.len();
                    }
                }
            }
        }
        (Dom::from_parts(nodes, attrs), ids)
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
        } else if super::quality::is_cjk_token_char(c) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html5ever_trees_are_flattened_with_the_depth_capped() {
        let page = "<div>".repeat(3000) + "deep text" + &"</div>".repeat(3000) + "<p>after</p>";
        let html = scraper::Html::parse_document(&page);
        let (dom, ids) = Dom::from_scraper(&html);
        assert_eq!(ids.len(), dom.nodes.len());
        let depth = |mut at: usize| {
            let mut depth = 0;
            while let Some(p) = dom.nodes[at].parent {
                depth += 1;
                at = p;
            }
            depth
        };
        let deepest = (0..dom.nodes.len()).map(depth).max().unwrap();
        assert!(
            deepest <= super::super::parse::MAX_DEPTH + 1,
            "depth {deepest}"
        );
        // Still a preorder tree, and no text is lost.
        for (i, node) in dom.nodes.iter().enumerate().skip(1) {
            let parent = node.parent.unwrap();
            assert!(parent < i && node.end > i && node.end <= dom.nodes[parent].end);
        }
        let texts: Vec<&str> = (0..dom.nodes.len()).filter_map(|i| dom.text(i)).collect();
        assert_eq!(texts, ["deep text", "after"]);
    }
}
