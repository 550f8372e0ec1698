//! The parsed page as a flat arena in document order, and the cleaning that
//! marks what is never article text.
//!
//! html5ever (through scraper) builds the tree as a browser would, recovering
//! from broken markup. Walking it once into a preorder array makes every
//! later pass a loop over indices: a node's subtree is `index..end`, and
//! per-node figures (text weight, link weight, scores) live in plain vectors.

use scraper::node::Element;
use scraper::{Html, Node as HtmlNode};
use std::sync::LazyLock;

/// One node of the flattened page.
#[derive(Debug)]
pub struct Node<'a> {
    /// Index of the parent, `None` for the document root.
    pub parent: Option<usize>,
    /// One past the last descendant: the subtree is `self_index..end`.
    pub end: usize,
    /// What the node is.
    pub kind: Kind<'a>,
    /// The node in scraper's tree, to map selector matches back.
    pub id: ego_tree::NodeId,
}

/// What a node holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    /// An element, with its lower-case tag name.
    Element(&'a str, &'a Element),
    /// A text node.
    Text(&'a str),
    /// Document, doctype, comment, processing instruction.
    Other,
}

/// The page in document order, plus what cleaning decided about each node.
pub struct Dom<'a> {
    /// All nodes, in preorder.
    pub nodes: Vec<Node<'a>>,
    /// `true` for nodes that are never body text (scripts, navigation,
    /// share widgets, comment sections ...), and for everything inside them.
    pub removed: Vec<bool>,
    /// Text weight of each subtree, counting only nodes not removed.
    pub weight: Vec<u32>,
    /// Part of `weight` that is inside links.
    pub link_weight: Vec<u32>,
    /// Readability's class weight of each element (see [`class_weight`]),
    /// computed once.
    pub class_weight: Vec<f32>,
    /// Whether an element's class or id names a caption.
    pub caption_class: Vec<bool>,
}

impl<'a> Dom<'a> {
    /// Flattens a parsed document and cleans it.
    pub fn new(html: &'a Html) -> Self {
        let mut nodes: Vec<Node<'a>> = Vec::with_capacity(1024);
        let mut stack: Vec<usize> = Vec::with_capacity(64);
        for edge in html.tree.root().traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => {
                    let kind = match node.value() {
                        HtmlNode::Element(el) => Kind::Element(el.name(), el),
                        HtmlNode::Text(text) => Kind::Text(text),
                        _ => Kind::Other,
                    };
                    let index = nodes.len();
                    nodes.push(Node {
                        parent: stack.last().copied(),
                        end: index + 1,
                        kind,
                        id: node.id(),
                    });
                    stack.push(index);
                }
                ego_tree::iter::Edge::Close(_) => {
                    if let Some(index) = stack.pop() {
                        nodes[index].end = nodes.len();
                    }
                }
            }
        }
        let n = nodes.len();
        let mut dom = Dom {
            nodes,
            removed: vec![false; n],
            weight: vec![0; n],
            link_weight: vec![0; n],
            class_weight: vec![0.0; n],
            caption_class: vec![false; n],
        };
        dom.clean();
        dom
    }

    /// The tag name of an element node.
    pub fn tag(&self, i: usize) -> Option<&'a str> {
        match self.nodes[i].kind {
            Kind::Element(name, _) => Some(name),
            _ => None,
        }
    }

    /// The element of an element node.
    pub fn element(&self, i: usize) -> Option<&'a Element> {
        match self.nodes[i].kind {
            Kind::Element(_, el) => Some(el),
            _ => None,
        }
    }

    /// Index of the `<body>` element (or the root when there is none).
    pub fn body(&self) -> usize {
        (0..self.nodes.len())
            .find(|&i| self.tag(i) == Some("body"))
            .unwrap_or(0)
    }

    /// Share of a subtree's text that is link text, in [0, 1].
    pub fn link_density(&self, i: usize) -> f32 {
        if self.weight[i] == 0 {
            0.0
        } else {
            self.link_weight[i] as f32 / self.weight[i] as f32
        }
    }

    /// The index of scraper's node `id`, if it is in the arena.
    pub fn index_of(&self, id: ego_tree::NodeId) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// Marks removed nodes and computes text weights.
    ///
    /// Hard removals (scripts, styles, ruby readings, form controls) always
    /// apply. Soft ones (navigation, headers, footers, asides, forms, and
    /// class or id names that mean boilerplate) are vetoed when the element
    /// holds most of the page's text: ASP.NET pages wrap the whole page in a
    /// `<form>`, and some themes put the story inside a `header` class.
    fn clean(&mut self) {
        let n = self.nodes.len();
        let mut hard = vec![false; n];
        for i in 0..n {
            let inherited = self.nodes[i].parent.is_some_and(|p| hard[p]);
            hard[i] = inherited
                || match self.nodes[i].kind {
                    Kind::Element(name, el) => is_hard_junk(name, el),
                    Kind::Text(_) => false,
                    Kind::Other => !matches!(i, 0),
                };
        }
        self.compute_weights(&hard);
        let body = self.body();
        let page_weight = self.weight[body].max(1);
        // Wrappers of the page's <article> or <main> are never boilerplate,
        // whatever their class says (`gallery--wrapper__with-sidebar`).
        let mut holds_article = vec![false; n];
        for (i, &is_hard) in hard.iter().enumerate() {
            if matches!(self.tag(i), Some("article" | "main")) && !is_hard {
                let mut at = self.nodes[i].parent;
                while let Some(p) = at {
                    if holds_article[p] {
                        break;
                    }
                    holds_article[p] = true;
                    at = self.nodes[p].parent;
                }
            }
        }
        let mut removed = hard;
        for i in 0..n {
            if removed[i] {
                continue;
            }
            if self.nodes[i].parent.is_some_and(|p| removed[p]) {
                removed[i] = true;
                continue;
            }
            let Kind::Element(name, el) = self.nodes[i].kind else {
                continue;
            };
            let names = class_and_id(el);
            if !names.is_empty() {
                self.class_weight[i] = class_weight_of(&names);
                self.caption_class[i] = CAPTION_CLASS.is_match(&names);
            }
            if holds_article[i] {
                continue;
            }
            match soft_junk_named(name, el, &names) {
                Junk::No => {}
                Junk::Strong => removed[i] = true,
                Junk::Weak => {
                    // Most of the page's text inside one "boilerplate"
                    // wrapper means the wrapper is not boilerplate.
                    let holds_most = self.weight[i] * 2 > page_weight && self.weight[i] > 200;
                    removed[i] = !holds_most;
                }
            }
        }
        self.removed = removed;
        self.refresh_weights();
    }

    /// Marks a subtree removed (a source's `remove` selectors); call
    /// [`Dom::refresh_weights`] after the last one.
    pub fn remove_subtree(&mut self, i: usize) {
        let end = self.nodes[i].end;
        self.removed[i..end].iter_mut().for_each(|r| *r = true);
    }

    /// Recomputes text weights after removals.
    pub fn refresh_weights(&mut self) {
        let removed = std::mem::take(&mut self.removed);
        self.compute_weights(&removed);
        self.removed = removed;
    }

    /// Bottom-up text and link weights, skipping `skip`ped nodes.
    fn compute_weights(&mut self, skip: &[bool]) {
        let n = self.nodes.len();
        self.weight.iter_mut().for_each(|w| *w = 0);
        self.link_weight.iter_mut().for_each(|w| *w = 0);
        for i in (0..n).rev() {
            if skip[i] {
                continue;
            }
            if let Kind::Text(text) = self.nodes[i].kind {
                self.weight[i] = text_weight(text);
            }
            if self.tag(i) == Some("a") {
                self.link_weight[i] = self.weight[i];
            }
            if let Some(p) = self.nodes[i].parent {
                self.weight[p] += self.weight[i];
                self.link_weight[p] += self.link_weight[i];
            }
        }
    }
}

/// How much text a string holds: letters, digits and punctuation count one,
/// Han, Kana and Hangul characters three (one CJK character carries about
/// what a short Latin word does), whitespace nothing.
pub fn text_weight(text: &str) -> u32 {
    let mut weight = 0u32;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        weight += if super::quality::is_cjk_token_char(c) {
            3
        } else {
            1
        };
    }
    weight
}

/// Elements whose content is never text of the story.
fn is_hard_junk(name: &str, el: &Element) -> bool {
    if matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "head"
            | "title"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "rt"
            | "rp"
            | "audio"
            | "video"
            | "map"
            | "link"
            | "meta"
            | "dialog"
    ) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") && name != "span" {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

/// How sure we are that an element is boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Junk {
    /// Not boilerplate.
    No,
    /// Boilerplate unless it holds most of the page's text.
    Weak,
    /// Boilerplate, whatever it holds (comments, share bars, related lists).
    Strong,
}

/// Class and id words that mark boilerplate whatever else the name says:
/// comment threads, share widgets, related and recommended stories,
/// breadcrumbs. Includes the pinyin abbreviations Chinese sites use
/// (`xgxw` 相关新闻, `tjyd` 推荐阅读, `fenxiang` 分享, `pinglun` 评论 ...).
static STRONG_NEGATIVE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(concat!(
        r"comment|disqus|reply|replies|share|sharing|social|related|recommend|",
        r"breadcrumb|crumb|newsletter|subscribe|signup|sponsor|advert|popular|",
        r"trending|most-?read|outbrain|taboola|promo|cookie|gdpr|consent|paywall|",
        r"byline-share|toolbar|tool-bar|pagination|pager|",
        r"xgxw|xgwz|xgyd|tjyd|tuijian|fenxiang|pinglun|bdshare|jiathis|erweima|qrcode|",
        r"paihang|hotnews|hot-news|hot_news|copyright|banquan"
    ))
    .expect("static regex")
});

/// Comment threads: long, low in links, and never the story.
static COMMENTS: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"comment|disqus|reply|replies|pinglun").expect("static regex")
});

/// Class and id words that usually mark boilerplate, unless the element
/// also looks like content (readability's "unlikely candidates").
static WEAK_NEGATIVE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(concat!(
        r"banner|combx|community|cover-wrap|extra|footer|header|legends|menu|",
        r"remark|rss|shoutbox|sidebar|skyscraper|supplemental|agegate|popup|",
        r"masthead|navbar|navigation|site-nav|topbar|widget|login|modal|",
        r"daohang|weizhi|dqwz|dangqian"
    ))
    .expect("static regex")
});

/// Class and id words that mark content.
static POSITIVE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|zhengwen|neirong",
    )
    .expect("static regex")
});

/// Short class or id words that only count as whole words (`ad` must not
/// match `head`).
fn has_negative_word(names: &str) -> bool {
    names.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        matches!(
            w,
            "ad" | "ads"
                | "adv"
                | "advert"
                | "gg"
                | "guanggao"
                | "nav"
                | "tags"
                | "tag"
                | "foot"
                | "share"
                | "print"
                | "author-bio"
                | "bio"
                | "meta"
                | "rank"
                | "ranking"
                | "dhl"
        )
    })
}

/// The class and id of an element, lower case, space separated.
pub fn class_and_id(el: &Element) -> String {
    let mut names = String::new();
    if let Some(class) = el.attr("class") {
        names.push_str(class);
    }
    if let Some(id) = el.attr("id") {
        names.push(' ');
        names.push_str(id);
    }
    names.make_ascii_lowercase();
    names
}

/// Whether an element is boilerplate by its tag, ARIA role, class or id.
pub fn soft_junk(name: &str, el: &Element) -> Junk {
    soft_junk_named(name, el, &class_and_id(el))
}

/// [`soft_junk`] with the class and id already read.
fn soft_junk_named(name: &str, el: &Element, names: &str) -> Junk {
    if matches!(name, "html" | "body" | "article" | "main" | "a") {
        return Junk::No;
    }
    if let Some(role) = el.attr("role") {
        let role = role.to_ascii_lowercase();
        if matches!(
            role.as_str(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "menu"
                | "menubar"
                | "search"
        ) {
            return Junk::Weak;
        }
    }
    if matches!(name, "nav" | "aside" | "menu") {
        return Junk::Strong;
    }
    if matches!(name, "header" | "footer" | "form" | "fieldset") {
        return Junk::Weak;
    }
    if names.is_empty() {
        return Junk::No;
    }
    // Metered sites mark the story paragraphs behind the gate with
    // `paywall`; the gate itself is a box, never a `<p>` of prose.
    if name == "p" && names.contains("paywall") {
        return Junk::No;
    }
    if STRONG_NEGATIVE.is_match(names) {
        // Only comment threads are removed whatever they hold; a "share"
        // wrapper around the whole story is kept by the weak rule.
        return Junk::Weak.max_with(COMMENTS.is_match(names) && !POSITIVE.is_match(names));
    }
    if has_negative_word(names) || WEAK_NEGATIVE.is_match(names) && !POSITIVE.is_match(names) {
        return Junk::Weak;
    }
    Junk::No
}

impl Junk {
    /// `Strong` when `strong` holds, else `self`.
    fn max_with(self, strong: bool) -> Junk {
        if strong { Junk::Strong } else { self }
    }
}

/// Class weight as readability gives it: +25 for content-like names, −25 for
/// boilerplate-like names.
pub fn class_weight(el: &Element) -> f32 {
    class_weight_of(&class_and_id(el))
}

fn class_weight_of(names: &str) -> f32 {
    if names.is_empty() {
        return 0.0;
    }
    let mut weight = 0.0;
    if POSITIVE.is_match(names) {
        weight += 25.0;
    }
    if STRONG_NEGATIVE.is_match(names) || WEAK_NEGATIVE.is_match(names) {
        weight -= 25.0;
    }
    weight
}

/// Class names of caption blocks (`wp-caption-text`, `pic_txt` ...).
static CAPTION_CLASS: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"caption|pic_?txt|pictext|img_?desc|image-desc|photo-desc|picinfo|tuzhu|img_title",
    )
    .expect("static regex")
});

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
