//! A forgiving XML reader: feeds as they really are, turned into a small tree.
//!
//! Real wires send undeclared HTML entities (`&nbsp;`), bare `&`, junk or a
//! BOM before `<?xml`, encoding declarations that lie, mismatched or missing
//! end tags and truncated documents. A strict parser rejects all of these, so
//! this one recovers the way browsers and feed readers do:
//!
//! - the text arrives already decoded, so the XML declaration is ignored;
//! - entity references resolve against XML's five and HTML5's named
//!   entities; an unknown one stays as literal text (no custom entity is ever
//!   expanded, so nothing can blow up);
//! - an end tag closes the nearest open element of that name, a stray one is
//!   dropped, and whatever is open at the end (or at a syntax error) is closed;
//! - nesting deeper than [`MAX_DEPTH`] is flattened, so walking the tree never
//!   recurses without bound.
//!
//! Namespaces are resolved per element to a [`Ns`]; an undeclared prefix is
//! recognised by its usual spelling (`dc:`, `media:` ...), as lenient readers do.
//! `xml:base` is resolved per element against its parent's base.

use crate::extract::charref::{demoronize, resolve_entity, unescape_lenient};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use regex::Regex;
use std::borrow::Cow;
use std::sync::{Arc, LazyLock};
use url::Url;

/// Elements nested deeper than this are attached to the deepest allowed
/// parent instead, which bounds every recursive walk over the tree.
pub const MAX_DEPTH: usize = 128;

/// Syntax errors tolerated before the rest of the document is given up.
const MAX_ERRORS: usize = 64;

/// The namespaces the feed readers care about; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ns {
    /// No namespace (RSS 0.9x/2.0).
    None,
    /// Atom 1.0 or 0.3.
    Atom,
    /// RSS 1.0 / 0.90 (RDF vocabularies).
    Rss10,
    /// `rdf:`.
    Rdf,
    /// `content:` (content:encoded).
    Content,
    /// Dublin Core `dc:`.
    Dc,
    /// Dublin Core terms `dcterms:`.
    DcTerms,
    /// Media RSS `media:`.
    Media,
    /// iTunes podcast extension.
    Itunes,
    /// XHTML.
    Xhtml,
    /// Sitemaps 0.9.
    Sitemap,
    /// Google News sitemap extension `news:`.
    News,
    /// Google image sitemap extension `image:`.
    Image,
    /// Any other namespace, declared or not.
    Other,
}

impl Ns {
    fn from_uri(uri: &str) -> Ns {
        let uri = uri.trim().trim_end_matches(['/', '#']).to_ascii_lowercase();
        let uri = uri
            .strip_prefix("https://")
            .or_else(|| uri.strip_prefix("http://"))
            .unwrap_or(&uri);
        match uri {
            "www.w3.org/2005/atom" | "purl.org/atom/ns" => Ns::Atom,
            "purl.org/rss/1.0" | "my.netscape.com/rdf/simple/0.9" | "purl.org/net/rss1.1" => {
                Ns::Rss10
            }
            "www.w3.org/1999/02/22-rdf-syntax-ns" => Ns::Rdf,
            "purl.org/rss/1.0/modules/content" => Ns::Content,
            "purl.org/dc/elements/1.1" => Ns::Dc,
            "purl.org/dc/terms" => Ns::DcTerms,
            "search.yahoo.com/mrss" => Ns::Media,
            "www.itunes.com/dtds/podcast-1.0.dtd" => Ns::Itunes,
            "www.w3.org/1999/xhtml" => Ns::Xhtml,
            "www.sitemaps.org/schemas/sitemap/0.9" | "www.google.com/schemas/sitemap/0.84" => {
                Ns::Sitemap
            }
            "www.google.com/schemas/sitemap-news/0.9" => Ns::News,
            "www.google.com/schemas/sitemap-image/1.1" => Ns::Image,
            _ => Ns::Other,
        }
    }

    /// The namespace an undeclared prefix usually stands for.
    fn from_prefix(prefix: &str) -> Ns {
        match prefix.to_ascii_lowercase().as_str() {
            "atom" | "atom10" | "atom03" => Ns::Atom,
            "rdf" => Ns::Rdf,
            "content" => Ns::Content,
            "dc" => Ns::Dc,
            "dcterms" => Ns::DcTerms,
            "media" => Ns::Media,
            "itunes" => Ns::Itunes,
            "xhtml" => Ns::Xhtml,
            "news" => Ns::News,
            "image" => Ns::Image,
            _ => Ns::Other,
        }
    }

    /// Namespaces whose elements play the format's core roles (`title`, `link`).
    pub fn is_core(self) -> bool {
        matches!(
            self,
            Ns::None | Ns::Atom | Ns::Rss10 | Ns::Sitemap | Ns::Other
        )
    }
}

/// A child of an element.
#[derive(Debug, Clone)]
pub enum Node {
    /// An element.
    Element(Element),
    /// Character data with references resolved (CDATA included).
    Text(String),
}

/// One element with its resolved namespace, base URL and language.
#[derive(Debug, Clone)]
pub struct Element {
    /// Namespace of the element.
    pub ns: Ns,
    /// Prefix as written (kept to write inline markup back out).
    pub prefix: String,
    /// Local name as written.
    pub name: String,
    /// Attributes: qualified name as written and value with references resolved.
    pub attrs: Vec<(String, String)>,
    /// Children in document order.
    pub children: Vec<Node>,
    /// Effective base URL (`xml:base` resolved up the ancestry, else the document URL).
    pub base: Option<Arc<Url>>,
    /// Whether `base` comes from an `xml:base` here or above (not only
    /// from the document URL).
    pub explicit_base: bool,
    /// Effective `xml:lang`, when declared here or above.
    pub lang: Option<Arc<str>>,
}

impl Element {
    /// Whether this element is `local` (case-insensitive) in `ns`.
    pub fn is(&self, ns: Ns, local: &str) -> bool {
        self.ns == ns && self.name.eq_ignore_ascii_case(local)
    }

    /// Whether this element is `local` in a core namespace.
    pub fn is_core(&self, local: &str) -> bool {
        self.ns.is_core() && self.name.eq_ignore_ascii_case(local)
    }

    /// The value of an attribute by local name (any prefix), case-insensitive.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs.iter().find_map(|(k, v)| {
            let name = k.rsplit(':').next().unwrap_or(k);
            name.eq_ignore_ascii_case(local).then_some(v.as_str())
        })
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// First child element matching `pred`.
    pub fn child(&self, pred: impl Fn(&Element) -> bool) -> Option<&Element> {
        self.elements().find(|e| pred(e))
    }

    /// All text below this element, concatenated (markup dropped), as
    /// written: the format readers repair mojibake
    /// ([`super::text::RepairedText`]).
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for node in &self.children {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// The content as HTML source: text children verbatim (they hold escaped
    /// or CDATA HTML), child elements written back as markup (naked HTML);
    /// mojibake is left for the format readers to repair.
    pub fn inner_html(&self) -> String {
        let mut out = String::new();
        for node in &self.children {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.write_markup(&mut out),
            }
        }
        out
    }

    /// The children written back as markup with every text escaped: the
    /// content of an Atom `xhtml` construct.
    pub fn inner_xml(&self) -> String {
        let mut out = String::new();
        for node in &self.children {
            match node {
                Node::Text(t) => out.push_str(&escape_text(t)),
                Node::Element(e) => e.write_markup(&mut out),
            }
        }
        out
    }

    fn write_markup(&self, out: &mut String) {
        out.push('<');
        if !self.prefix.is_empty() && self.ns != Ns::Xhtml {
            out.push_str(&self.prefix);
            out.push(':');
        }
        out.push_str(&self.name);
        for (key, value) in &self.attrs {
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            out.push(' ');
            out.push_str(key);
            out.push_str("=\"");
            out.push_str(&escape_attr(value));
            out.push('"');
        }
        if self.children.is_empty() && is_void_html(&self.name) {
            out.push_str(" />");
            return;
        }
        out.push('>');
        for node in &self.children {
            match node {
                Node::Text(t) => out.push_str(&escape_text(t)),
                Node::Element(e) => e.write_markup(out),
            }
        }
        out.push_str("</");
        if !self.prefix.is_empty() && self.ns != Ns::Xhtml {
            out.push_str(&self.prefix);
            out.push(':');
        }
        out.push_str(&self.name);
        out.push('>');
    }

    /// Resolves a possibly relative URL against this element's base.
    pub fn resolve(&self, href: &str) -> Option<String> {
        resolve_url(self.base.as_deref(), href)
    }
}

/// Resolves `href` against `base`; an absolute `href` needs no base. Only
/// http(s) results are kept, so `javascript:` and `data:` never leak out.
pub fn resolve_url(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

fn is_void_html(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "br" | "img" | "hr" | "input" | "meta" | "link" | "source" | "wbr" | "col" | "embed"
    )
}

fn escape_text(text: &str) -> String {
    quick_xml::escape::partial_escape(text).into_owned()
}

fn escape_attr(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// Parses `text` leniently. Returns the root element, or `None` when the
/// text holds no element at all.
pub fn parse(text: &str, document_url: Option<&Url>) -> Option<Element> {
    let text = skip_to_markup(text);
    let mut reader = Reader::from_str(&text);
    let config = reader.config_mut();
    config.allow_dangling_amp = true;
    config.allow_unmatched_ends = true;
    config.check_end_names = false;
    config.check_comments = false;
    let mut builder = TreeBuilder::new(document_url);
    let mut errors = 0;
    loop {
        let before = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(start)) => builder.open(&start, false),
            Ok(Event::Empty(start)) => builder.open(&start, true),
            Ok(Event::End(end)) => {
                let name = end.name().as_ref().to_string();
                builder.close(&name);
            }
            Ok(Event::Text(t)) => builder.text(&t.xml10_content()),
            Ok(Event::CData(t)) => builder.text(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) => {
                let name: &str = &r;
                match resolve_entity(name) {
                    Some(value) => builder.text(&value),
                    None => builder.text(&format!("&{name};")),
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => {
                errors += 1;
                tracing::debug!(%error, position = reader.error_position(), "Recovering from XML syntax error.");
                if errors > MAX_ERRORS || reader.buffer_position() <= before {
                    break;
                }
            }
        }
    }
    builder.finish()
}

/// Where the document really starts: junk before it (a BOM decoded as
/// text, whitespace, a PHP warning printed as `<br /><b>Warning</b>...`) is
/// dropped. The XML declaration marks the start when present; otherwise
/// the first known root element does, when the first tag is not one.
fn skip_to_markup(text: &str) -> Cow<'_, str> {
    // NUL is never legal XML. Text decoded at the wrong width (UTF-16 read
    // as bytes, UTF-32 read as UTF-16) has one between every character.
    let text = if text.contains('\0') {
        Cow::Owned(text.replace('\0', ""))
    } else {
        Cow::Borrowed(text)
    };
    let start = document_start(&text);
    match text {
        Cow::Borrowed(t) => Cow::Borrowed(&t[start..]),
        Cow::Owned(t) => Cow::Owned(t[start..].to_string()),
    }
}

static KNOWN_ROOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<(?:rss|feed|rdf:rdf|rdf|urlset|sitemapindex|channel)[\s>/]")
        .expect("static regex")
});

fn document_start(text: &str) -> usize {
    if let Some(pos) = text.find("<?xml") {
        return pos;
    }
    let Some(first) = text.find('<') else {
        return text.len();
    };
    match KNOWN_ROOT.find(text) {
        Some(root) if root.start() > first && !is_known_root_at(text, first) => root.start(),
        _ => first,
    }
}

fn is_known_root_at(text: &str, pos: usize) -> bool {
    KNOWN_ROOT.find_at(text, pos).is_some_and(|m| m.start() == pos)
        // A comment or doctype: the reader skips it to the root.
        || text[pos..].starts_with("<!")
}

/// Builds the tree from reader events, with end-tag recovery.
struct TreeBuilder {
    /// Open elements with their in-scope namespace declarations.
    stack: Vec<(Element, Vec<(String, Ns)>)>,
    root: Option<Element>,
    document_base: Option<Arc<Url>>,
}

impl TreeBuilder {
    fn new(document_url: Option<&Url>) -> Self {
        TreeBuilder {
            stack: Vec::new(),
            root: None,
            document_base: document_url.map(|u| Arc::new(u.clone())),
        }
    }

    fn lookup(&self, prefix: &str, own: &[(String, Ns)]) -> Option<Ns> {
        own.iter()
            .chain(self.stack.iter().rev().flat_map(|(_, decl)| decl.iter()))
            .find(|(p, _)| p == prefix)
            .map(|(_, ns)| *ns)
    }

    fn open(&mut self, start: &BytesStart<'_>, empty: bool) {
        if self.root.is_some() && self.stack.is_empty() {
            // Content after the root element closed: ignore it.
            return;
        }
        let qname = start.name().as_ref().to_string();
        let mut attrs = Vec::new();
        let mut decls = Vec::new();
        let mut attributes = start.html_attributes();
        attributes.with_checks(false);
        for attr in attributes.flatten() {
            let key = attr.key.as_ref().to_string();
            let value = unescape_lenient(&attr.value);
            if key == "xmlns" {
                decls.push((String::new(), Ns::from_uri(&value)));
            } else if let Some(prefix) = key.strip_prefix("xmlns:") {
                decls.push((prefix.to_string(), Ns::from_uri(&value)));
            }
            attrs.push((key, value));
        }
        let (prefix, name) = match qname.split_once(':') {
            Some((p, n)) => (p.to_string(), n.to_string()),
            None => (String::new(), qname.clone()),
        };
        let ns = self
            .lookup(&prefix, &decls)
            .unwrap_or_else(|| match prefix.as_str() {
                "" => Ns::None,
                p => Ns::from_prefix(p),
            });
        let parent = self.stack.last().map(|(e, _)| e);
        let parent_base = parent
            .map(|p| p.base.clone())
            .unwrap_or_else(|| self.document_base.clone());
        let has_base = attrs.iter().any(|(k, _)| k == "xml:base");
        let explicit_base = has_base || parent.is_some_and(|p| p.explicit_base);
        let base = match attrs.iter().find(|(k, _)| k == "xml:base") {
            Some((_, href)) => match parent_base.as_deref() {
                Some(b) => b.join(href.trim()).ok(),
                None => Url::parse(href.trim()).ok(),
            }
            .map(Arc::new)
            .or(parent_base),
            None => parent_base,
        };
        let lang = match attrs.iter().find(|(k, _)| k == "xml:lang") {
            Some((_, l)) => {
                let l = l.trim();
                (!l.is_empty()).then(|| Arc::from(l))
            }
            None => parent.and_then(|p| p.lang.clone()),
        };
        let element = Element {
            ns,
            prefix,
            name,
            attrs,
            children: Vec::new(),
            base,
            explicit_base,
            lang,
        };
        if self.stack.len() >= MAX_DEPTH {
            // Too deep: keep the element's text only, flattened into the parent.
            return;
        }
        self.stack.push((element, decls));
        if empty {
            self.pop();
        }
    }

    fn close(&mut self, qname: &str) {
        let qname = qname.trim();
        let (prefix, name) = qname.split_once(':').unwrap_or(("", qname));
        let position = self.stack.iter().rposition(|(e, _)| {
            e.prefix.eq_ignore_ascii_case(prefix) && e.name.eq_ignore_ascii_case(name)
        });
        if let Some(position) = position {
            while self.stack.len() > position {
                self.pop();
            }
        }
    }

    fn pop(&mut self) {
        if let Some((element, _)) = self.stack.pop() {
            match self.stack.last_mut() {
                Some((parent, _)) => parent.children.push(Node::Element(element)),
                None => {
                    if self.root.is_none() {
                        self.root = Some(element);
                    }
                }
            }
        }
    }

    fn text(&mut self, text: &str) {
        let cleaned;
        let text = if text.chars().any(|c| matches!(c as u32, 0x80..=0x9f)) {
            cleaned = text.chars().map(demoronize).collect::<String>();
            cleaned.as_str()
        } else {
            text
        };
        if let Some((parent, _)) = self.stack.last_mut() {
            if let Some(Node::Text(last)) = parent.children.last_mut() {
                last.push_str(text);
            } else {
                parent.children.push(Node::Text(text.to_string()));
            }
        }
    }

    fn finish(mut self) -> Option<Element> {
        while !self.stack.is_empty() {
            self.pop();
        }
        self.root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_entities_bare_ampersands_and_missing_end_tags() {
        let root = parse(
            "junk\u{feff}<?xml version=\"1.0\" encoding=\"big5\"?><rss><channel>\
             <title>A&nbsp;B & C &bogus; &#8217;</title><item><title>x</b></title>",
            None,
        )
        .unwrap();
        assert_eq!(root.name, "rss");
        let channel = root.child(|e| e.is_core("channel")).unwrap();
        let title = channel.child(|e| e.is_core("title")).unwrap();
        assert_eq!(title.text(), "A\u{a0}B & C &bogus; \u{2019}");
        let item = channel.child(|e| e.is_core("item")).unwrap();
        assert_eq!(item.child(|e| e.is_core("title")).unwrap().text(), "x");
    }

    #[test]
    fn resolves_nested_xml_base() {
        let doc = Url::parse("http://example.com/feed.xml").unwrap();
        let root = parse(
            r#"<feed xml:base="/a/"><entry xml:base="b/"><link href="c.html"/></entry></feed>"#,
            Some(&doc),
        )
        .unwrap();
        let entry = root.child(|e| e.is_core("entry")).unwrap();
        let link = entry.child(|e| e.is_core("link")).unwrap();
        assert_eq!(
            link.resolve(link.attr("href").unwrap()).as_deref(),
            Some("http://example.com/a/b/c.html")
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = "<a>".repeat(10_000);
        let root = parse(&text, None).unwrap();
        let mut depth = 0;
        let mut node = &root;
        while let Some(child) = node.elements().next() {
            node = child;
            depth += 1;
        }
        assert!(depth < MAX_DEPTH);
    }
}
