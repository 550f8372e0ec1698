//! Extraction: turns fetched documents into index entries and stories.
//!
//! Pure: text in, value out, no I/O. Index documents are feeds of any
//! format ([`feed`], auto-detected), news sitemaps ([`sitemap`]) and HTML
//! listing pages ([`listing`]); article pages go to [`article`]. Dates are
//! read by [`dates`] in the source's zone. [`cli`] is the library side of
//! `polywire extract`.

use crate::config::{ArticleSelectors, IndexKind};
use crate::model::{ExtractedArticle, IndexEntry, RawDocument};

pub mod article;
pub mod charref;
pub mod cli;
pub mod dates;
pub mod feed;
pub mod iptc;
pub mod listing;
pub mod sitemap;

pub use sitemap::Sitemap;

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
/// `Rss`, `Atom` and `Json` all mean "a feed": the format is detected from
/// the document. Items without any link are skipped (logged). For a sitemap
/// index this returns no entries: call [`parse_sitemap`] to get the child
/// sitemaps to follow.
pub fn parse_index(
    doc: &RawDocument,
    kind: IndexKind,
    links: Option<&str>,
    timezone: &str,
) -> Result<Vec<IndexEntry>, ExtractError> {
    let zone = dates::source_zone(timezone);
    match kind {
        IndexKind::Html => listing::parse(doc, links.unwrap_or("a[href]")),
        IndexKind::Sitemap => match sitemap::parse(&doc.text, Some(&doc.url), &zone) {
            Ok(Sitemap::Urls(entries)) => Ok(entries),
            Ok(Sitemap::Index(children)) => {
                tracing::info!(url = %doc.url, children = children.len(), "Sitemap index has no stories; its children must be followed.");
                Ok(Vec::new())
            }
            // A source declared as a sitemap that serves a feed still works.
            Err(error) => feed_entries(doc, &zone).map_err(|_| error),
        },
        IndexKind::Rss | IndexKind::Atom | IndexKind::Json => feed_entries(doc, &zone),
        // Only the items the document carries; the pipeline follows the
        // links of a feed or folder of agency documents.
        IndexKind::Newsml | IndexKind::Ninjs | IndexKind::Nitf => {
            let format = kind.iptc().unwrap_or(iptc::IptcFormat::NewsMl);
            match iptc::read(doc, format, &zone)? {
                iptc::IptcDocument::Items(items) => {
                    Ok(items.into_iter().map(|i| i.into_entry(&doc.url)).collect())
                }
                iptc::IptcDocument::Links(_) => Ok(Vec::new()),
            }
        }
    }
}

/// Reads a sitemap: its stories, or for a sitemap index the child sitemap
/// URLs to fetch next.
pub fn parse_sitemap(doc: &RawDocument, timezone: &str) -> Result<Sitemap, ExtractError> {
    sitemap::parse(&doc.text, Some(&doc.url), &dates::source_zone(timezone))
}

fn feed_entries(
    doc: &RawDocument,
    zone: &jiff::tz::TimeZone,
) -> Result<Vec<IndexEntry>, ExtractError> {
    let parsed = feed::parse(&doc.text, Some(&doc.url), zone)?;
    let total = parsed.entries.len();
    let entries: Vec<IndexEntry> = parsed
        .entries
        .into_iter()
        .filter(|e| !e.url.is_empty())
        .collect();
    if entries.len() < total {
        tracing::debug!(url = %doc.url, skipped = total - entries.len(), "Feed items without a link skipped.");
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
/// story: paragraphs split at block elements and `<br>`, figure captions
/// apart, ruby readings dropped, the first image as lead image when the
/// feed named none.
pub fn entry_to_article(entry: &IndexEntry) -> ExtractedArticle {
    let html = entry
        .content_html
        .as_deref()
        .or(entry.summary_html.as_deref())
        .unwrap_or("");
    let base = url::Url::parse(&entry.url).ok();
    let parts = feed::content::split(html, base.as_ref());
    let summary = entry
        .content_html
        .as_ref()
        .and(entry.summary_html.as_deref())
        .map(|s| feed::content::split(s, base.as_ref()).paragraphs.join(" "))
        .filter(|s| !s.is_empty());
    ExtractedArticle {
        url: entry.url.clone(),
        title: entry.title.clone().unwrap_or_default(),
        published: entry.published,
        updated: entry.updated,
        authors: entry.authors.clone(),
        categories: entry.categories.clone(),
        body: parts.paragraphs,
        captions: parts.captions,
        image: entry.image.clone().or(parts.image),
        lang: entry.lang.clone(),
        summary,
    }
}
