//! RSS 2.0 with the Atom (`atom:link rel="self"`/`"hub"`), content
//! (`content:encoded`) and Dublin Core (`dc:creator`) extensions.

use super::xml::{W, document, text};
use super::{CategoryKind, FeedDoc, FeedItem, GENERATOR, rfc822};
use quick_xml::events::BytesText;
use std::io;

/// Writes the feed as an RSS 2.0 document.
pub fn write(doc: &FeedDoc) -> String {
    document(|w| write_doc(w, doc))
}

fn write_doc(w: &mut W, doc: &FeedDoc) -> io::Result<()> {
    let m = &doc.meta.cleaned();
    w.create_element("rss")
        .with_attribute(("version", "2.0"))
        .with_attribute(("xmlns:atom", "http://www.w3.org/2005/Atom"))
        .with_attribute(("xmlns:content", "http://purl.org/rss/1.0/modules/content/"))
        .with_attribute(("xmlns:dc", "http://purl.org/dc/elements/1.1/"))
        .write_inner_content(|w| {
            w.create_element("channel").write_inner_content(|w| {
                text(w, "title", &m.title)?;
                text(w, "link", &m.home_url)?;
                text(
                    w,
                    "description",
                    if m.description.is_empty() {
                        &m.title
                    } else {
                        &m.description
                    },
                )?;
                if m.language != "mul" && !m.language.is_empty() {
                    text(w, "language", &m.language)?;
                }
                text(w, "lastBuildDate", &rfc822(m.updated))?;
                text(w, "generator", GENERATOR)?;
                text(w, "docs", "https://www.rssboard.org/rss-specification")?;
                w.create_element("atom:link")
                    .with_attribute(("href", m.self_url.as_str()))
                    .with_attribute(("rel", "self"))
                    .with_attribute(("type", "application/rss+xml"))
                    .write_empty()?;
                if let Some(hub) = &m.hub {
                    w.create_element("atom:link")
                        .with_attribute(("href", hub.as_str()))
                        .with_attribute(("rel", "hub"))
                        .write_empty()?;
                }
                for item in &doc.items {
                    write_item(w, doc, item)?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(())
}

fn write_item(w: &mut W, doc: &FeedDoc, item: &FeedItem) -> io::Result<()> {
    w.create_element("item").write_inner_content(|w| {
        text(w, "title", &item.title)?;
        text(w, "link", &item.url)?;
        w.create_element("guid")
            .with_attribute(("isPermaLink", "false"))
            .write_text_content(BytesText::new(&item.id))?;
        if let Some(published) = item.published {
            text(w, "pubDate", &rfc822(published))?;
        }
        text(w, "description", &item.summary)?;
        if !item.content_html.is_empty() {
            text(w, "content:encoded", &item.content_html)?;
        }
        for author in &item.authors {
            text(w, "dc:creator", author)?;
        }
        text(w, "dc:language", &item.lang)?;
        for cat in &item.categories {
            let el = w.create_element("category");
            let el = match cat.scheme(&doc.meta.taxonomy_base) {
                Some(domain) => el.with_attribute(("domain", domain.as_str())),
                None => el,
            };
            // RSS has no label attribute: taxonomy categories carry the id,
            // which is what filters use; publisher categories their word.
            let value = match cat.kind {
                CategoryKind::Publisher => &cat.label,
                _ => &cat.term,
            };
            el.write_text_content(BytesText::new(value))?;
        }
        Ok(())
    })?;
    Ok(())
}
