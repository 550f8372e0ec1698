//! Tree construction for article pages: tokens from [`super::tokenize`]
//! straight into the flat preorder arena of [`Dom`], with the parts of the
//! WHATWG tree builder that decide where text ends up on real pages:
//!
//! - implied `html`, `head` and `body` (a page that never writes `<body>`,
//!   a `<head>` that is never closed, content before `<html>`);
//! - implied end tags: a block start closes an open `<p>`; `<li>`, `<dd>`,
//!   `<dt>`, `<option>` close their open predecessor; `<tr>`, `<td>`,
//!   `<th>`, `<tbody>` close open rows and cells of their table; a heading
//!   closes an open heading; a new `<a>` closes an open one;
//! - end tags close what is open inside their scope (a `</div>` does not
//!   leave the table cell it sits in; a stray `</span>` does not close the
//!   `<div>` around it), and stray end tags are ignored;
//! - raw-text elements (`script`, `style`, `textarea`, `title` ...) end only
//!   at their own end tag; void elements never hold children;
//! - `svg` and `math` are kept as empty elements: their contents are never
//!   text, and an unclosed `<svg>` ends where HTML content resumes, as the
//!   spec's "breakout" tags say.
//!
//! Left out, because they move markup without changing which text is
//! where: the adoption agency for misnested formatting tags (an unmatched
//! `</b>` around a block is ignored, the `<b>` stays open), reconstruction of
//! formatting elements, foster parenting of text in tables, form pointers.
//! Nesting is capped at [`MAX_DEPTH`](super::dom::MAX_DEPTH) (deeper elements become siblings), so
//! later passes never face a pathological depth.

use super::dom::{Attr, Dom, Kind, MAX_DEPTH, Node};
use super::tokenize::{RawText, Token, Tokenizer};
use std::borrow::Cow;

/// Parses a page into the arena, not yet cleaned ([`super::clean::clean`]
/// is the next step).
pub fn parse(html: &str) -> Dom<'_> {
    let mut builder = Builder {
        nodes: Vec::with_capacity(html.len() / 40 + 16),
        attrs: Vec::with_capacity(html.len() / 100 + 16),
        stack: vec![0],
        open_p: 0,
        phase: Phase::BeforeHtml,
        head: None,
    };
    builder.nodes.push(Node {
        parent: None,
        end: 0,
        kind: Kind::Other,
    });
    let mut tokenizer = Tokenizer::new(html);
    let mut skip: Option<Foreign> = None;
    loop {
        let mark = builder.attrs.len();
        let Some(token) = tokenizer.next_token(&mut builder.attrs) else {
            break;
        };
        if let Some(foreign) = &mut skip {
            match &token {
                Token::Start { name, self_closing } if !breaks_out(name) => {
                    builder.attrs.truncate(mark);
                    // An SVG script or style may hold `<` too.
                    if let Some((kind, end @ ("script" | "style"))) = raw_text_of(name) {
                        tokenizer.raw_text(kind, end);
                    }
                    if name == foreign.name && !self_closing {
                        foreign.depth += 1;
                    }
                    continue;
                }
                Token::End { name } if name != foreign.name => continue,
                Token::End { .. } => {
                    foreign.depth -= 1;
                    if foreign.depth == 0 {
                        skip = None;
                    }
                    continue;
                }
                Token::Text(_) => continue,
                // A breakout tag ends the foreign content; it is read as HTML.
                Token::Start { .. } => skip = None,
            }
        }
        match token {
            Token::Text(text) => builder.text(text),
            Token::Start { name, self_closing } => {
                if let Some((kind, end)) = raw_text_of(&name) {
                    tokenizer.raw_text(kind, end);
                }
                let foreign = match name.as_ref() {
                    "svg" => Some("svg"),
                    "math" => Some("math"),
                    _ => None,
                };
                builder.start(name, mark, self_closing || foreign.is_some());
                if let (Some(name), false) = (foreign, self_closing) {
                    skip = Some(Foreign { name, depth: 1 });
                }
            }
            Token::End { name } => builder.end(&name),
        }
    }
    while !builder.stack.is_empty() {
        builder.pop();
    }
    Dom::from_parts(builder.nodes, builder.attrs)
}

/// An `svg` or `math` element being skipped.
struct Foreign {
    name: &'static str,
    depth: usize,
}

/// HTML start tags that end foreign content (WHATWG "in foreign content").
fn breaks_out(name: &str) -> bool {
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    )
}

/// Elements whose content the tokenizer reads as raw text, and the end tag
/// it waits for. `noscript` is raw text as in a browser with scripting on.
fn raw_text_of(name: &str) -> Option<(RawText, &'static str)> {
    Some(match name {
        "script" => (RawText::Raw, "script"),
        "style" => (RawText::Raw, "style"),
        "xmp" => (RawText::Raw, "xmp"),
        "iframe" => (RawText::Raw, "iframe"),
        "noembed" => (RawText::Raw, "noembed"),
        "noframes" => (RawText::Raw, "noframes"),
        "noscript" => (RawText::Raw, "noscript"),
        "title" => (RawText::Escapable, "title"),
        "textarea" => (RawText::Escapable, "textarea"),
        "plaintext" => (RawText::Plain, "plaintext"),
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Nothing but white space, comments and a doctype yet.
    BeforeHtml,
    /// In or around `<head>`, before any body content.
    Head,
    /// Body content has started.
    Body,
}

struct Builder<'a> {
    nodes: Vec<Node<'a>>,
    attrs: Vec<Attr<'a>>,
    /// Open elements (arena indices); the document root at the bottom.
    stack: Vec<usize>,
    /// How many `<p>` elements are on `stack`: every block start looks for
    /// an open `<p>` to close, and with none open the walk down the stack
    /// is skipped.
    open_p: usize,
    phase: Phase,
    /// The `<head>` element while it is open.
    head: Option<usize>,
}

/// Elements that never have content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "image"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Start tags that close an open `<p>` (WHATWG "in body").
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "header"
            | "hgroup"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "search"
            | "section"
            | "summary"
            | "ul"
            | "pre"
            | "listing"
            | "form"
            | "table"
            | "hr"
            | "xmp"
            | "plaintext"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "dd"
            | "dt"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Elements that tags of the head may stand among before the body starts.
fn is_head_content(name: &str) -> bool {
    matches!(
        name,
        "meta"
            | "link"
            | "title"
            | "style"
            | "script"
            | "noscript"
            | "base"
            | "basefont"
            | "bgsound"
            | "template"
    )
}

/// The spec's "special" elements: an unmatched end tag does not close
/// past one of them.
fn is_special(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "applet"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "button"
            | "caption"
            | "center"
            | "colgroup"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hgroup"
            | "html"
            | "iframe"
            | "li"
            | "listing"
            | "main"
            | "marquee"
            | "menu"
            | "nav"
            | "noembed"
            | "noframes"
            | "noscript"
            | "object"
            | "ol"
            | "p"
            | "plaintext"
            | "pre"
            | "script"
            | "search"
            | "section"
            | "select"
            | "style"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "template"
            | "textarea"
            | "tfoot"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "ul"
            | "xmp"
    )
}

/// Formatting elements: their end tag may be misnested across blocks.
fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

/// What bounds a scope when looking for an open element.
#[derive(Clone, Copy)]
enum Scope {
    /// The default scope: table cells, captions, `html`, `object` ...
    Default,
    /// The default scope and `button` (for `p`).
    Button,
    /// The default scope and lists (for `li`).
    ListItem,
    /// Only `html`, `table` and `template` (for table parts).
    Table,
}

impl Scope {
    fn bounds(self, name: &str) -> bool {
        let default = || {
            matches!(
                name,
                "applet"
                    | "caption"
                    | "html"
                    | "table"
                    | "td"
                    | "th"
                    | "marquee"
                    | "object"
                    | "template"
            )
        };
        match self {
            Scope::Default => default(),
            Scope::Button => default() || name == "button",
            Scope::ListItem => default() || matches!(name, "ol" | "ul"),
            Scope::Table => matches!(name, "html" | "table" | "template"),
        }
    }
}

impl<'a> Builder<'a> {
    fn name(&self, i: usize) -> &str {
        match &self.nodes[i].kind {
            Kind::Element { name, .. } => name,
            _ => "",
        }
    }

    fn current(&self) -> usize {
        *self.stack.last().unwrap_or(&0)
    }

    fn pop(&mut self) {
        if let Some(i) = self.stack.pop() {
            self.nodes[i].end = self.nodes.len();
            if self.name(i) == "p" {
                self.open_p -= 1;
            }
            if self.head == Some(i) {
                self.head = None;
            }
        }
    }

    /// Pops up to and including the element at stack position `at`.
    fn pop_to(&mut self, at: usize) {
        while self.stack.len() > at.max(1) {
            self.pop();
        }
    }

    /// Stack position of the nearest open element named like `matches`,
    /// unless a scope boundary comes first.
    fn in_scope(&self, scope: Scope, matches: impl Fn(&str) -> bool) -> Option<usize> {
        for at in (1..self.stack.len()).rev() {
            let name = self.name(self.stack[at]);
            if matches(name) {
                return Some(at);
            }
            if scope.bounds(name) {
                return None;
            }
        }
        None
    }

    fn close_in_scope(&mut self, scope: Scope, matches: impl Fn(&str) -> bool) {
        if let Some(at) = self.in_scope(scope, matches) {
            self.pop_to(at);
        }
    }

    /// Closes the `<p>` open in button scope, if any.
    fn close_p(&mut self) {
        if self.open_p > 0 {
            self.close_in_scope(Scope::Button, |m| m == "p");
        }
    }

    fn insert(&mut self, name: Cow<'a, str>, first_attr: usize, push: bool) -> usize {
        let index = self.nodes.len();
        let parent = self.current();
        self.nodes.push(Node {
            parent: Some(parent),
            end: index + 1,
            kind: Kind::Element {
                name,
                attrs: (first_attr as u32, self.attrs.len() as u32),
            },
        });
        if push && self.stack.len() < MAX_DEPTH {
            self.stack.push(index);
            if self.name(index) == "p" {
                self.open_p += 1;
            }
        }
        index
    }

    fn implied(&mut self, name: &'static str, push: bool) -> usize {
        let mark = self.attrs.len();
        self.insert(Cow::Borrowed(name), mark, push)
    }

    /// Leaves the head phase: closes whatever the head left open (above
    /// the `html` element), opens `<body>`.
    fn start_body(&mut self, explicit: Option<(Cow<'a, str>, usize)>) {
        self.pop_to(2);
        match explicit {
            Some((name, mark)) => self.insert(name, mark, true),
            None => self.implied("body", true),
        };
        self.phase = Phase::Body;
    }

    fn before_html(&mut self) {
        if self.phase == Phase::BeforeHtml {
            self.implied("html", true);
            self.phase = Phase::Head;
        }
    }

    fn text(&mut self, text: Cow<'a, str>) {
        // Only text before the body is looked at for being blank: in the
        // body every text node is kept, and most of the page's text is there.
        if self.phase != Phase::Body {
            let blank = text
                .bytes()
                .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c));
            if blank {
                return;
            }
            self.before_html();
            // The text of a `<title>` or `<style>` in the head stays there.
            let in_head_element = matches!(
                self.name(self.current()),
                "title" | "style" | "script" | "noscript" | "template"
            );
            if !in_head_element {
                self.start_body(None);
            }
        }
        let index = self.nodes.len();
        self.nodes.push(Node {
            parent: Some(self.current()),
            end: index + 1,
            kind: Kind::Text(text),
        });
    }

    fn start(&mut self, name: Cow<'a, str>, mark: usize, self_closing: bool) {
        if self.phase == Phase::BeforeHtml {
            self.phase = Phase::Head;
            if name == "html" {
                self.insert(name, mark, true);
                return;
            }
            self.implied("html", true);
        }
        if self.phase == Phase::Head {
            match name.as_ref() {
                "html" => {
                    self.attrs.truncate(mark);
                    return;
                }
                "head" if self.head.is_none() => {
                    let head = self.insert(name, mark, true);
                    self.head = Some(head);
                    return;
                }
                "body" | "frameset" => {
                    self.start_body(Some((name, mark)));
                    return;
                }
                n if is_head_content(n) => {
                    let void = is_void(n);
                    self.insert(name, mark, !void);
                    return;
                }
                _ => self.start_body(None),
            }
        }
        self.start_in_body(name, mark, self_closing);
    }

    fn start_in_body(&mut self, name: Cow<'a, str>, mark: usize, self_closing: bool) {
        let n = name.as_ref();
        match n {
            "html" | "body" | "head" | "frameset" => {
                self.attrs.truncate(mark);
                return;
            }
            "li" => self.close_list_item(|m| m == "li"),
            "dd" | "dt" => self.close_list_item(|m| matches!(m, "dd" | "dt")),
            "a" => self.close_open_link(),
            "nobr" => self.close_in_scope(Scope::Default, |m| m == "nobr"),
            "button" => self.close_in_scope(Scope::Default, |m| m == "button"),
            "option" | "optgroup" => {
                if self.name(self.current()) == "option" {
                    self.pop();
                }
                if n == "optgroup" && self.name(self.current()) == "optgroup" {
                    self.pop();
                }
            }
            // A ruby annotation closes the open one (`rtc` only by `rb`/`rtc`).
            "rb" | "rtc" | "rt" | "rp"
                if matches!(self.name(self.current()), "rb" | "rt" | "rp")
                    || matches!(n, "rb" | "rtc") && self.name(self.current()) == "rtc" =>
            {
                self.pop();
            }
            "tr" => self.clear_to_table_context(&["table", "tbody", "thead", "tfoot"]),
            "td" | "th" => self.clear_to_table_context(&["tr", "table", "tbody", "thead", "tfoot"]),
            "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => {
                self.clear_to_table_context(&["table"])
            }
            _ => {}
        }
        if closes_p(n) {
            self.close_p();
        }
        if is_heading(n) && is_heading(self.name(self.current())) {
            self.pop();
        }
        let (name, push) = match n {
            "image" => (Cow::Borrowed("img"), false),
            _ => {
                let push = !is_void(n) && !self_closing_foreign(n, self_closing);
                (name, push)
            }
        };
        self.insert(name, mark, push);
    }

    /// A new `<a>` closes an open one when only inline elements were opened
    /// inside it. With a block in between (`<a name=x/>` before the rest of
    /// the page) the spec's adoption agency would move that block out of the
    /// old link; leaving the block where it is keeps it whole, which is what
    /// matters for its text.
    fn close_open_link(&mut self) {
        for at in (1..self.stack.len()).rev() {
            let name = self.name(self.stack[at]);
            if name == "a" {
                self.pop_to(at);
                return;
            }
            if is_special(name) {
                return;
            }
        }
    }

    /// A new `li` (or `dd`/`dt`) closes the open one, unless a block other
    /// than `address`, `div` and `p` comes first.
    fn close_list_item(&mut self, matches: impl Fn(&str) -> bool) {
        for at in (1..self.stack.len()).rev() {
            let name = self.name(self.stack[at]);
            if matches(name) {
                self.pop_to(at);
                return;
            }
            if is_special(name) && !matches!(name, "address" | "div" | "p") {
                return;
            }
        }
    }

    /// A row or cell closes the open rows and cells of its table, back to
    /// the nearest element named in `context`.
    fn clear_to_table_context(&mut self, context: &[&str]) {
        for at in (1..self.stack.len()).rev() {
            let name = self.name(self.stack[at]);
            if context.contains(&name) {
                self.pop_to(at + 1);
                return;
            }
            if matches!(name, "html" | "template" | "body") {
                return;
            }
        }
    }

    fn end(&mut self, name: &str) {
        if self.phase != Phase::Body {
            if name == "head" {
                if let Some(head) = self.head
                    && let Some(at) = self.stack.iter().position(|&i| i == head)
                {
                    self.pop_to(at);
                }
                return;
            }
            if matches!(name, "html" | "body" | "br") {
                self.before_html();
                self.start_body(None);
            }
        }
        match name {
            "body" | "html" => {}
            "br" => {
                let mark = self.attrs.len();
                self.insert(Cow::Borrowed("br"), mark, false);
            }
            "p" => self.close_p(),
            "li" => self.close_in_scope(Scope::ListItem, |m| m == "li"),
            "dd" | "dt" => self.close_in_scope(Scope::Default, |m| m == name),
            n if is_heading(n) => self.close_in_scope(Scope::Default, is_heading),
            "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" | "colgroup" => {
                self.close_in_scope(Scope::Table, |m| m == name)
            }
            n if is_formatting(n) => {
                // Closed when nothing but inline content was opened inside
                // it; `</a>` always closes its link, so later text is not
                // counted as link text.
                for at in (1..self.stack.len()).rev() {
                    let open = self.name(self.stack[at]);
                    if open == n {
                        self.pop_to(at);
                        return;
                    }
                    if Scope::Default.bounds(open) || (is_special(open) && n != "a") {
                        return;
                    }
                }
            }
            n if is_special(n) => self.close_in_scope(Scope::Default, |m| m == n),
            n => {
                for at in (1..self.stack.len()).rev() {
                    let open = self.name(self.stack[at]);
                    if open == n {
                        self.pop_to(at);
                        return;
                    }
                    if is_special(open) {
                        return;
                    }
                }
            }
        }
    }
}

/// `svg` and `math` written `<svg/>` stay empty; in HTML a `/>` on any
/// other element is ignored.
fn self_closing_foreign(name: &str, self_closing: bool) -> bool {
    self_closing && matches!(name, "svg" | "math")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as nested tags, text in quotes (`html` and `head` left out).
    fn outline(html: &str) -> String {
        let dom = parse(html);
        let mut out = String::new();
        let mut stack: Vec<usize> = Vec::new();
        for i in 1..dom.nodes.len() {
            while stack.last().is_some_and(|&s| dom.nodes[s].end <= i) {
                stack.pop();
                out.push(')');
            }
            match &dom.nodes[i].kind {
                Kind::Element { name, .. } => {
                    out.push_str(name);
                    out.push('(');
                    stack.push(i);
                }
                Kind::Text(t) => out.push_str(&format!("{t:?}")),
                Kind::Other => {}
            }
        }
        out.push_str(&")".repeat(stack.len()));
        out
    }

    #[test]
    fn implied_html_head_and_body() {
        assert_eq!(
            outline("<title>T</title><meta charset=utf-8><p>x"),
            r#"html(title("T")meta()body(p("x")))"#
        );
        assert_eq!(
            outline("<html><head><link rel=x><div>a</div>"),
            r#"html(head(link())body(div("a")))"#
        );
        assert_eq!(outline("text only"), r#"html(body("text only"))"#);
        assert_eq!(
            outline("<p>a</p></body></html><p>b"),
            r#"html(body(p("a")p("b")))"#
        );
    }

    #[test]
    fn implied_end_tags() {
        assert_eq!(
            outline("<body><p>a<p>b<div>c</div>"),
            r#"html(body(p("a")p("b")div("c")))"#
        );
        assert_eq!(
            outline("<body><ul><li>a<li>b<ul><li>c</ul><li>d</ul>"),
            r#"html(body(ul(li("a")li("b"ul(li("c")))li("d"))))"#
        );
        assert_eq!(
            outline("<body><table><tr><td>a<td>b<tr><td>c</table>x"),
            r#"html(body(table(tr(td("a")td("b"))tr(td("c")))"x"))"#
        );
        assert_eq!(
            outline("<body><a href=1>a<a href=2>b</a>c"),
            r#"html(body(a("a")a("b")"c"))"#
        );
    }

    #[test]
    fn end_tags_respect_scope_and_stray_ones_are_ignored() {
        assert_eq!(
            outline("<body><div><table><tr><td><div>a</div></div>b</td></tr></table>c</div>d"),
            r#"html(body(div(table(tr(td(div("a")"b")))"c")"d"))"#
        );
        assert_eq!(
            outline("<body><div><span>a<p>b</span>c</p>d</div>e"),
            r#"html(body(div(span("a"p("b""c")"d"))"e"))"#
        );
        assert_eq!(
            outline("<body><b><p>a</b>b</p>c"),
            r#"html(body(b(p("a""b")"c")))"#
        );
    }

    #[test]
    fn raw_text_void_and_foreign_elements() {
        assert_eq!(
            outline("<body><script>a<b>c</script><img src=x><br/>d<svg><p>e"),
            r#"html(body(script("a<b>c")img()br()"d"svg()p("e")))"#
        );
        assert_eq!(
            outline("<body><svg><g><path/></g><text>no</text></svg>after"),
            r#"html(body(svg()"after"))"#
        );
    }

    #[test]
    fn depth_is_capped() {
        let page = "<div>".repeat(5000) + "deep";
        let dom = parse(&page);
        let mut depth = 0;
        let mut at = dom.nodes.len() - 1;
        while let Some(p) = dom.nodes[at].parent {
            depth += 1;
            at = p;
        }
        assert!(depth <= MAX_DEPTH + 1, "depth {depth}");
    }
}
