//! Atom 1.0 (RFC 4287): `tag:` entry ids, `xml:lang` per entry, categories
//! with scheme, term and label, alternate/self/hub links.

use super::xml::{W, document, text};
use super::{FeedDoc, FeedItem, GENERATOR, rfc3339};
use quick_xml::events::BytesText;
use std::io;

/// Writes the feed as an Atom 1.0 document.
pub fn write(doc: &FeedDoc) -> String {
    document(|w| write_doc(w, doc))
}

fn link(w: &mut W, rel: &str, href: &str, kind: Option<&str>) -> io::Result<()> {
    let el = w
        .create_element("link")
        .with_attribute(("rel", rel))
        .with_attribute(("href", href));
    match kind {
        Some(kind) => el.with_attribute(("type", kind)).write_empty()?,
        None => el.write_empty()?,
    };
    Ok(())
}

fn write_doc(w: &mut W, doc: &FeedDoc) -> io::Result<()> {
    let m = &doc.meta.cleaned();
    let root = w
        .create_element("feed")
        .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"));
    let root = if m.language != "mul" && !m.language.is_empty() {
        root.with_attribute(("xml:lang", m.language.as_str()))
    } else {
        root
    };
    root.write_inner_content(|w| {
        text(w, "id", &m.id)?;
        text(w, "title", &m.title)?;
        if !m.description.is_empty() {
            text(w, "subtitle", &m.description)?;
        }
        text(w, "updated", &rfc3339(m.updated))?;
        w.create_element("generator")
            .with_attribute(("uri", "https://github.com/polywire/polywire"))
            .write_text_content(BytesText::new(GENERATOR))?;
        // A feed-level author makes every entry valid even when a wire
        // names no reporter (RFC 4287 §4.1.1).
        w.create_element("author")
            .write_inner_content(|w| text(w, "name", "polywire"))?;
        link(w, "self", &m.self_url, Some("application/atom+xml"))?;
        link(w, "alternate", &m.home_url, Some("text/html"))?;
        if let Some(hub) = &m.hub {
            link(w, "hub", hub, None)?;
        }
        for item in &doc.items {
            write_entry(w, doc, item)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_entry(w: &mut W, doc: &FeedDoc, item: &FeedItem) -> io::Result<()> {
    w.create_element("entry")
        .with_attribute(("xml:lang", item.lang.as_str()))
        .write_inner_content(|w| {
            text(w, "id", &item.id)?;
            text(w, "title", &item.title)?;
            text(w, "updated", &rfc3339(item.updated))?;
            if let Some(published) = item.published {
                text(w, "published", &rfc3339(published))?;
            }
            for author in &item.authors {
                w.create_element("author")
                    .write_inner_content(|w| text(w, "name", author))?;
            }
            link(w, "alternate", &item.url, Some("text/html"))?;
            for cat in &item.categories {
                let el = w
                    .create_element("category")
                    .with_attribute(("term", cat.term.as_str()));
                let el = match cat.scheme(&doc.meta.taxonomy_base) {
                    Some(scheme) => el.with_attribute(("scheme", scheme.as_str())),
                    None => el,
                };
                el.with_attribute(("label", cat.label.as_str()))
                    .write_empty()?;
            }
            if !item.summary.is_empty() {
                text(w, "summary", &item.summary)?;
            }
            if !item.content_html.is_empty() {
                w.create_element("content")
                    .with_attribute(("type", "html"))
                    .write_text_content(BytesText::new(&item.content_html))?;
            }
            Ok(())
        })?;
    Ok(())
}
