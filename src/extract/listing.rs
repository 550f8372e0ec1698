//! HTML listing pages: the story links a source's `links` selector picks.
//!
//! Links come out absolute, http(s) only, without their `#fragment`, and
//! once each (the first occurrence keeps its place; a later one can give a
//! title the first lacked, e.g. an image link followed by a text link).

use super::ExtractError;
use super::feed::text::collapse_whitespace;
use crate::model::{IndexEntry, RawDocument};
use scraper::{ElementRef, Html, Selector};
use std::collections::HashMap;
use std::sync::LazyLock;

static ANCHOR: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a[href]").expect("static selector"));

/// Story links of a listing page picked by the CSS selector `links`
/// (matching `a` elements, or elements containing one).
pub fn parse(doc: &RawDocument, links: &str) -> Result<Vec<IndexEntry>, ExtractError> {
    let selector = Selector::parse(links).map_err(|_| ExtractError::Selector(links.into()))?;
    let html = Html::parse_document(&doc.text);
    // A `<base href>` changes what relative links mean.
    let base = Selector::parse("base[href]")
        .ok()
        .and_then(|s| html.select(&s).next())
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| doc.url.join(href.trim()).ok())
        .unwrap_or_else(|| doc.url.clone());
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut entries: Vec<IndexEntry> = Vec::new();
    for element in html.select(&selector) {
        let anchors: Vec<ElementRef<'_>> = if element.value().name() == "a" {
            vec![element]
        } else {
            element.select(&ANCHOR).take(1).collect()
        };
        for anchor in anchors {
            let Some(url) = anchor
                .value()
                .attr("href")
                .and_then(|h| story_url(&base, h))
            else {
                continue;
            };
            let title = anchor_title(anchor);
            match index.get(&url) {
                Some(&at) => {
                    if entries[at].title.is_none() {
                        entries[at].title = title;
                    }
                }
                None => {
                    index.insert(url.clone(), entries.len());
                    entries.push(IndexEntry {
                        url,
                        title,
                        ..IndexEntry::default()
                    });
                }
            }
        }
    }
    Ok(entries)
}

/// An absolute http(s) URL without fragment; `None` for `#top`,
/// `javascript:`, `mailto:` and the like.
fn story_url(base: &url::Url, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let mut url = base.join(href).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(url.to_string())
}

/// Anchor text, else its `title` attribute, else an image's `alt`.
fn anchor_title(anchor: ElementRef<'_>) -> Option<String> {
    let text = collapse_whitespace(&anchor.text().collect::<String>());
    if !text.is_empty() {
        return Some(text);
    }
    let fallback = anchor
        .value()
        .attr("title")
        .map(str::to_string)
        .or_else(|| {
            Selector::parse("img[alt]")
                .ok()
                .and_then(|s| anchor.select(&s).next())
                .and_then(|img| img.value().attr("alt").map(str::to_string))
        })?;
    let fallback = collapse_whitespace(&fallback);
    (!fallback.is_empty()).then_some(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(html: &str) -> RawDocument {
        RawDocument {
            url: url::Url::parse("https://news.example.com/world/index.html").unwrap(),
            content_type: None,
            text: html.to_string(),
            charset: "UTF-8",
            fetched_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn absolute_deduplicated_story_links() {
        let page = doc(r##"<ul class="list">
            <li><a href="/a/1.html"><img src="x.jpg" alt="Pic one"></a> <a href="/a/1.html#c">  First
              story </a></li>
            <li><a href="2.html">Second</a></li>
            <li><a href="#top">Top</a></li>
            <li><a href="javascript:void(0)">Share</a></li>
            <li><a href="mailto:x@example.com">Mail</a></li>
            <li><h3><a href="https://other.example.org/3">Third</a></h3></li>
        </ul>"##);
        let entries = parse(&page, "ul.list li").unwrap();
        let got: Vec<(&str, Option<&str>)> = entries
            .iter()
            .map(|e| (e.url.as_str(), e.title.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("https://news.example.com/a/1.html", Some("Pic one")),
                ("https://news.example.com/world/2.html", Some("Second")),
                ("https://other.example.org/3", Some("Third")),
            ]
        );
    }

    #[test]
    fn bad_selector_is_an_error() {
        assert!(matches!(
            parse(&doc(""), "a[[["),
            Err(ExtractError::Selector(_))
        ));
    }
}
