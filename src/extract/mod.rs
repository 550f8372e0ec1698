//! Extraction: turns fetched documents into index entries and stories.
//!
//! Pure: text in, value out, no I/O. FIRST VERSION (foundation issue): feeds
//! through feed-rs, listing pages and article pages through scraper with a
//! naive paragraph reader. The extraction issue replaces the internals; the
//! three entry points below stay.

use crate::config::{ArticleSelectors, IndexKind};
use crate::model::{ExtractedArticle, IndexEntry, RawDocument};
use scraper::{Html, Selector};

pub mod article;

/// Why an index document could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// The document is not a feed we can read, even leniently.
    #[error("not a readable feed: {0}")]
    Feed(String),
    /// The listing selector is not valid CSS.
    #[error("bad selector `{0}`")]
    Selector(String),
}

/// Reads the entries of a wire index (a feed, a sitemap or a listing page).
///
/// `links` is the CSS selector of story links for `IndexKind::Html`;
/// `timezone` is the source's IANA zone, for dates written without one.
pub fn parse_index(
    doc: &RawDocument,
    kind: IndexKind,
    links: Option<&str>,
    _timezone: &str,
) -> Result<Vec<IndexEntry>, ExtractError> {
    match kind {
        IndexKind::Html => parse_listing(doc, links.unwrap_or("a")),
        _ => parse_feed(doc),
    }
}

fn parse_feed(doc: &RawDocument) -> Result<Vec<IndexEntry>, ExtractError> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(doc.url.as_str()))
        .build()
        .parse(doc.text.as_bytes())
        .map_err(|e| ExtractError::Feed(e.to_string()))?;
    Ok(feed
        .entries
        .into_iter()
        .filter_map(|entry| {
            let url = entry.links.first().map(|l| l.href.clone())?;
            let url = doc.url.join(&url).ok()?.to_string();
            Some(IndexEntry {
                url,
                id: Some(entry.id),
                title: entry.title.map(|t| t.content),
                published: entry
                    .published
                    .or(entry.updated)
                    .and_then(|t| jiff::Timestamp::from_second(t.timestamp()).ok()),
                updated: entry
                    .updated
                    .and_then(|t| jiff::Timestamp::from_second(t.timestamp()).ok()),
                authors: entry.authors.into_iter().filter_map(|p| p.name).collect(),
                categories: entry
                    .categories
                    .into_iter()
                    .map(|c| c.label.unwrap_or(c.term))
                    .collect(),
                content_html: entry.content.and_then(|c| c.body),
                summary_html: entry.summary.map(|s| s.content),
                image: None,
                lang: entry.language,
            })
        })
        .collect())
}

fn parse_listing(doc: &RawDocument, links: &str) -> Result<Vec<IndexEntry>, ExtractError> {
    let selector = Selector::parse(links).map_err(|_| ExtractError::Selector(links.into()))?;
    let anchor = Selector::parse("a[href]").expect("static selector");
    let html = Html::parse_document(&doc.text);
    let mut seen = std::collections::HashSet::new();
    let mut entries = Vec::new();
    for element in html.select(&selector) {
        let link = if element.value().name() == "a" {
            Some(element)
        } else {
            element.select(&anchor).next()
        };
        let Some(link) = link else { continue };
        let Some(href) = link.value().attr("href") else {
            continue;
        };
        let Ok(url) = doc.url.join(href) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") || !seen.insert(url.to_string()) {
            continue;
        }
        let title: String = link.text().collect::<String>().trim().to_string();
        entries.push(IndexEntry {
            url: url.to_string(),
            title: (!title.is_empty()).then_some(title),
            ..IndexEntry::default()
        });
    }
    Ok(entries)
}

/// Extracts the story from an article page. Selectors given by the source
/// win; anything they do not find falls back to the generic extractor.
pub fn extract_article(
    html: &str,
    url: &url::Url,
    selectors: Option<&ArticleSelectors>,
    timezone: &str,
) -> ExtractedArticle {
    article::extract(html, url, selectors, timezone)
}

/// Turns an index entry whose content is the story (no article page) into a
/// story.
pub fn entry_to_article(entry: &IndexEntry) -> ExtractedArticle {
    let html = entry
        .content_html
        .as_deref()
        .or(entry.summary_html.as_deref())
        .unwrap_or("");
    let fragment = Html::parse_fragment(html);
    let text: String = fragment.root_element().text().collect::<Vec<_>>().join("");
    let body = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    ExtractedArticle {
        url: entry.url.clone(),
        title: entry.title.clone().unwrap_or_default(),
        published: entry.published,
        updated: entry.updated,
        authors: entry.authors.clone(),
        categories: entry.categories.clone(),
        body,
        image: entry.image.clone(),
        lang: entry.lang.clone(),
        ..ExtractedArticle::default()
    }
}
