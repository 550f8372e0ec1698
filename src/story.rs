//! One story's way after extraction, the same wherever a story is made
//! (the pipeline, `polywire inspect`, the stages bench): normalize it,
//! classify it, and give its dateline the region classification found.
//!
//! Pure: no I/O, no clock, no shared state.

use crate::classify::{Taxonomy, classify};
use crate::config::SourceConfig;
use crate::extract;
use crate::model::{Classification, ExtractedArticle, IndexEntry};
use crate::normalize::{NormalizeContext, Normalized, normalize_story};
use jiff::Timestamp;

/// Normalizes and classifies one extracted story. The dateline's place is
/// resolved by the classifier (it knows the region aliases), so its region
/// is set from the classification.
pub fn process(
    extracted: ExtractedArticle,
    context: &NormalizeContext,
    taxonomy: &Taxonomy,
) -> (Normalized, Classification) {
    let mut normalized = normalize_story(extracted, context);
    let tags = classify(&normalized.article, taxonomy);
    if let Some(dateline) = normalized.article.dateline.as_mut() {
        dateline.region = tags.dateline_region.clone();
    }
    (normalized, tags)
}

/// The normalization context of a story from `source`, fetched at
/// `fetched_at`; with no source, a story of unknown language read in UTC.
pub fn context(source: Option<&SourceConfig>, fetched_at: Timestamp) -> NormalizeContext {
    NormalizeContext {
        source: source.map(|s| s.id.clone()).unwrap_or_default(),
        language: source.map(|s| s.language.clone()).unwrap_or_default(),
        timezone: source
            .map(|s| s.timezone.get_ref().as_str().to_string())
            .unwrap_or_else(|| "UTC".into()),
        fetched_at,
    }
}

/// Fills what a story page did not give from its feed item.
pub fn merge_entry(mut page: ExtractedArticle, entry: &IndexEntry) -> ExtractedArticle {
    if page.title.is_empty() {
        page.title = entry.title.clone().unwrap_or_default();
    }
    if page.published.is_none() {
        page.published = entry.published;
    }
    if page.updated.is_none() {
        page.updated = entry.updated;
    }
    if page.authors.is_empty() {
        page.authors = entry.authors.clone();
    }
    if page.categories.is_empty() {
        page.categories = entry.categories.clone();
    }
    if page.image.is_none() {
        page.image = entry.image.clone();
    }
    if page.lang.is_none() {
        page.lang = entry.lang.clone();
    }
    let feed_summary = entry.summary_html.as_deref().map(|html| {
        extract::feed::content::split(html, None)
            .paragraphs
            .join(" ")
    });
    page.summary =
        extract::article::metadata::better_summary(page.summary.take(), feed_summary.as_deref());
    if page.body.is_empty() {
        let from_feed = extract::entry_to_article(entry);
        page.body = from_feed.body;
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dateline;

    fn taxonomy() -> Taxonomy {
        Taxonomy::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/taxonomy"))
            .expect("shipped taxonomy")
    }

    #[test]
    fn dateline_gets_the_region_classification_found() {
        let extracted = ExtractedArticle {
            url: "https://example.com/a".into(),
            title: "Port handles record volumes".into(),
            body: vec![
                "SHANGHAI, March 3 (Xinhua) -- The city's port handled record container \
                 volumes last month as exports of electric vehicles rose."
                    .into(),
            ],
            ..ExtractedArticle::default()
        };
        let context = context(None, Timestamp::UNIX_EPOCH);
        let (normalized, tags) = process(extracted, &context, &taxonomy());
        let dateline: &Dateline = normalized.article.dateline.as_ref().expect("dateline read");
        assert_eq!(dateline.place.as_deref(), Some("SHANGHAI"), "{dateline:?}");
        assert!(tags.dateline_region.is_some(), "{tags:?}");
        assert_eq!(dateline.region, tags.dateline_region);
    }

    #[test]
    fn page_keeps_its_own_fields_and_takes_the_rest_from_the_item() {
        let page = ExtractedArticle {
            url: "https://example.com/a".into(),
            title: "Page title".into(),
            ..ExtractedArticle::default()
        };
        let entry = IndexEntry {
            url: "https://example.com/a".into(),
            title: Some("Item title".into()),
            authors: vec!["Ann Lee".into()],
            summary_html: Some("<p>From the feed.</p>".into()),
            ..IndexEntry::default()
        };
        let merged = merge_entry(page, &entry);
        assert_eq!(merged.title, "Page title");
        assert_eq!(merged.authors, ["Ann Lee"]);
        assert!(!merged.body.is_empty(), "body taken from the item");
    }
}
