//! Atom 1.0 and 0.3 entries.
//!
//! Text constructs follow RFC 4287 §3.1: `text` is plain text (escaped to
//! HTML for content), `html` is escaped HTML, `xhtml` is inline markup in a
//! wrapper `div`. Atom 0.3's MIME types (`text/html`, `application/xhtml+xml`)
//! and `issued`/`modified` dates are read as their 1.0 equivalents. An entry
//! without authors inherits the feed's (RFC 4287 §4.2.1).

use super::text::{
    RepairedText, fix_double_escape, html_to_text, non_empty, push_unique, text_to_html,
};
use super::xml::{Element, Ns};
use super::{Context, Feed, FeedFormat, item_image};
use crate::model::IndexEntry;

/// Maps a `<feed>` root to a [`Feed`].
pub fn parse(root: &Element, ctx: &Context<'_>) -> Feed {
    let title = root
        .child(|e| e.is_core("title"))
        .map(plain_text)
        .and_then(non_empty);
    let link = alternate_link(root, ctx);
    let ctx = ctx.with_site(link.as_deref(), false);
    let feed_authors = authors(root);
    let entries = root
        .elements()
        .filter(|e| e.is_core("entry"))
        .map(|entry| read_entry(entry, &ctx, &feed_authors))
        .collect();
    Feed {
        format: FeedFormat::Atom,
        title,
        link,
        lang: root.lang.as_deref().map(str::to_string),
        entries,
    }
}

fn read_entry(entry: &Element, ctx: &Context<'_>, feed_authors: &[String]) -> IndexEntry {
    let date = |names: &[&str]| {
        names.iter().find_map(|name| {
            entry
                .child(|e| e.is_core(name))
                .and_then(|d| ctx.date(&d.repaired_text()))
        })
    };
    let mut authors = authors(entry);
    if authors.is_empty() {
        authors = feed_authors.to_vec();
    }
    let mut categories: Vec<String> = Vec::new();
    for category in entry
        .elements()
        .filter(|e| e.is_core("category") || e.is(Ns::Dc, "subject") || e.is(Ns::Media, "category"))
    {
        let label = category
            .attr("label")
            .or(category.attr("term"))
            .map(str::to_string)
            .unwrap_or_else(|| category.repaired_text());
        push_unique(&mut categories, non_empty(html_to_text(&label)));
    }
    let content = entry
        .child(|e| e.is_core("content") && e.attr("src").is_none())
        .map(|c| ctx.absolutize(c, as_html(c)))
        .and_then(non_empty);
    IndexEntry {
        url: alternate_link(entry, ctx).unwrap_or_default(),
        id: entry
            .child(|e| e.is_core("id"))
            .and_then(|id| non_empty(id.repaired_text())),
        title: entry
            .child(|e| e.is_core("title"))
            .map(plain_text)
            .and_then(non_empty),
        published: date(&["published", "issued", "created"]).or_else(|| {
            entry
                .child(|e| e.is(Ns::Dc, "date"))
                .and_then(|d| ctx.date(&d.repaired_text()))
        }),
        updated: date(&["updated", "modified"]),
        authors,
        categories,
        content_html: content,
        summary_html: entry
            .child(|e| e.is_core("summary"))
            .map(|c| ctx.absolutize(c, as_html(c)))
            .and_then(non_empty),
        image: item_image(entry, ctx),
        lang: entry
            .child(|e| e.is(Ns::Dc, "language"))
            .and_then(|l| non_empty(l.repaired_text()))
            .or_else(|| entry.lang.as_deref().map(str::to_string)),
    }
}

/// The `alternate` link (a `link` without `rel` counts), preferring HTML.
fn alternate_link(el: &Element, ctx: &Context<'_>) -> Option<String> {
    let alternates: Vec<&Element> = el
        .elements()
        .filter(|l| l.is_core("link") && l.attr("href").is_some_and(|h| !h.trim().is_empty()))
        .filter(|l| {
            l.attr("rel")
                .is_none_or(|r| r.trim().is_empty() || r.eq_ignore_ascii_case("alternate"))
        })
        .collect();
    let best = alternates
        .iter()
        .find(|l| l.attr("type").is_some_and(|t| t.contains("html")))
        .or(alternates.first())?;
    ctx.resolve(best, best.attr("href")?)
}

/// `author/name` of every author element.
fn authors(el: &Element) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for author in el.elements().filter(|e| e.is_core("author")) {
        let name = author
            .child(|e| e.is_core("name"))
            .map(Element::text)
            .unwrap_or_else(|| author.repaired_text());
        push_unique(&mut names, non_empty(html_to_text(&name)));
    }
    names
}

/// The kind of an Atom text construct, from `type` (1.0 or 0.3 MIME forms).
#[derive(PartialEq)]
enum Kind {
    Text,
    Html,
    Xhtml,
}

fn kind(el: &Element) -> Kind {
    match el
        .attr("type")
        .unwrap_or("text")
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "html" | "text/html" => Kind::Html,
        "xhtml" | "application/xhtml+xml" => Kind::Xhtml,
        _ => Kind::Text,
    }
}

/// A text construct as HTML.
fn as_html(el: &Element) -> String {
    let has_markup = el.elements().next().is_some();
    match kind(el) {
        Kind::Xhtml => xhtml_body(el).inner_xml(),
        Kind::Html if has_markup => el.repaired_inner_html(),
        Kind::Html => fix_double_escape(el.repaired_inner_html()),
        // Undeclared inline markup in a text construct is taken as meant.
        Kind::Text if has_markup => el.repaired_inner_html(),
        Kind::Text => text_to_html(&el.repaired_text()),
    }
}

/// A text construct as plain text (titles).
fn plain_text(el: &Element) -> String {
    match kind(el) {
        Kind::Text if el.elements().next().is_none() => {
            super::text::collapse_whitespace(&el.repaired_text())
        }
        Kind::Xhtml => super::text::collapse_whitespace(&xhtml_body(el).repaired_text()),
        _ => html_to_text(&el.repaired_inner_html()),
    }
}

/// The wrapper `div` of an xhtml construct, or the element itself.
fn xhtml_body(el: &Element) -> &Element {
    let mut elements = el.elements();
    match (elements.next(), elements.next()) {
        (Some(div), None) if div.name.eq_ignore_ascii_case("div") => div,
        _ => el,
    }
}
