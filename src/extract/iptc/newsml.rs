//! IPTC NewsML-G2 (<https://iptc.org/standards/newsml-g2/>): `newsItem`s,
//! `packageItem`s and `newsMessage`s carrying several of them.
//!
//! What is read from a `newsItem`:
//! - `@guid`, `@xml:lang`;
//! - `itemMeta/firstCreated`, `versionCreated`, a `link` with an http(s)
//!   `href` to the story's web page (`irel:seeAlso`, `irel:canonical`);
//! - `contentMeta/headline` (the one without a role, or `hdltype:main`),
//!   `slugline`, `dateline`, `by` (else `creator/name`), `located`,
//!   `subject` (qcode or IPTC URI, and name), `language/@tag`,
//!   `description`;
//! - `contentSet`: `inlineXML` holding NITF or XHTML (the body), else
//!   `inlineData` as plain text.
//!
//! A `packageItem` only references its items (`groupSet/group/itemRef`):
//! their `href`s are returned as links to fetch.

use super::{
    Concept, IptcDocument, MAX_LINKS, WireItem, byline, child_text, clean, date, descendants, qcode,
};
use crate::extract::feed::text::{RepairedText, text_to_html};
use crate::extract::feed::xml::Element;
use jiff::tz::TimeZone;

/// Reads a NewsML-G2 root element (`newsItem`, `packageItem` or `newsMessage`).
pub fn parse(root: &Element, zone: &TimeZone) -> IptcDocument {
    let mut news_items = Vec::new();
    let mut packages = Vec::new();
    match root.name.to_ascii_lowercase().as_str() {
        "newsitem" => news_items.push(root),
        "packageitem" => packages.push(root),
        _ => {
            descendants(root, "newsItem", &mut news_items);
            descendants(root, "packageItem", &mut packages);
        }
    }
    if !news_items.is_empty() {
        return IptcDocument::Items(news_items.into_iter().map(|n| news_item(n, zone)).collect());
    }
    let mut links = Vec::new();
    for package in packages {
        let mut refs = Vec::new();
        descendants(package, "itemRef", &mut refs);
        for item_ref in refs {
            if let Some(href) = item_ref.attr("href").and_then(|h| item_ref.resolve(h))
                && !links.contains(&href)
            {
                links.push(href);
            }
        }
    }
    links.truncate(MAX_LINKS);
    IptcDocument::Links(links)
}

/// One `newsItem`.
fn news_item(item: &Element, zone: &TimeZone) -> WireItem {
    let meta = item.child(|c| c.name.eq_ignore_ascii_case("itemMeta"));
    let content = item.child(|c| c.name.eq_ignore_ascii_case("contentMeta"));
    let mut out = WireItem {
        guid: item.attr("guid").and_then(clean),
        language: item.lang.as_deref().and_then(clean),
        ..WireItem::default()
    };
    if let Some(meta) = meta {
        out.published = child_text(meta, "firstCreated").and_then(|d| date(&d, zone));
        out.updated = child_text(meta, "versionCreated").and_then(|d| date(&d, zone));
        out.link = meta
            .elements()
            .filter(|l| l.name.eq_ignore_ascii_case("link"))
            .filter_map(|l| l.attr("href").and_then(|h| l.resolve(h)))
            .next();
    }
    if let Some(content) = content {
        read_content_meta(content, zone, &mut out);
    }
    out.body_html = item
        .child(|c| c.name.eq_ignore_ascii_case("contentSet"))
        .and_then(body_html);
    out
}

fn read_content_meta(content: &Element, zone: &TimeZone, out: &mut WireItem) {
    if out.published.is_none() {
        out.published = child_text(content, "contentCreated").and_then(|d| date(&d, zone));
    }
    let headlines: Vec<&Element> = content
        .elements()
        .filter(|c| c.name.eq_ignore_ascii_case("headline"))
        .collect();
    out.headline = headlines
        .iter()
        .find(|h| h.attr("role").is_none_or(|r| r.ends_with(":main")))
        .or(headlines.first())
        .and_then(|h| clean(&h.repaired_text()));
    out.slugline = child_text(content, "slugline");
    out.dateline = child_text(content, "dateline");
    out.description = child_text(content, "description");
    for child in content.elements() {
        let name = child.name.to_ascii_lowercase();
        match name.as_str() {
            "by" => out.byline.extend(byline(&child.repaired_text())),
            "language" if out.language.is_none() => {
                out.language = child.attr("tag").map(str::to_string)
            }
            "located" => out.located.push(concept(child)),
            "subject" => out.subjects.push(concept(child)),
            _ => {}
        }
    }
    if out.byline.is_empty() {
        out.byline = content
            .elements()
            .filter(|c| c.name.eq_ignore_ascii_case("creator"))
            .filter_map(|c| child_text(c, "name"))
            .collect();
    }
}

/// A `subject` or `located`: its `qcode` (or IPTC `uri`) and first `name`.
fn concept(el: &Element) -> Concept {
    Concept {
        qcode: el.attr("qcode").or(el.attr("uri")).and_then(qcode),
        name: child_text(el, "name"),
    }
}

/// The body of a `contentSet`: NITF `body.content` or XHTML `body` inside
/// `inlineXML`, else `inlineData` text as paragraphs.
fn body_html(set: &Element) -> Option<String> {
    if let Some(inline) = set.child(|c| c.name.eq_ignore_ascii_case("inlineXML")) {
        let mut found = Vec::new();
        descendants(inline, "body.content", &mut found);
        if found.is_empty() {
            descendants(inline, "body", &mut found);
        }
        let html = found
            .first()
            .map_or_else(|| inline.repaired_inner_html(), |b| b.repaired_inner_html());
        return clean(&html).map(|_| html);
    }
    let data = set.child(|c| c.name.eq_ignore_ascii_case("inlineData"))?;
    let paragraphs: String = data
        .repaired_text()
        .split("\n\n")
        .filter_map(clean)
        .map(|p| format!("<p>{}</p>", text_to_html(&p)))
        .collect();
    (!paragraphs.is_empty()).then_some(paragraphs)
}
