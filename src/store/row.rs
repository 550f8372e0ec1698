//! A story made ready to store, without the database: its JSON, content
//! hash and full-text tokens are computed on the pipeline's CPU threads,
//! so a backend's single writer only writes.

use super::error::StoreError;
use super::search;
use crate::model::{Article, Classification, StoredStory, StoredTag, Tag, TagKind};
use jiff::Timestamp;

/// A story ready to be stored: the stored JSON, the content hash and the
/// full-text index text are computed here, without the database, so the
/// pipeline makes them on its CPU threads and the single writer only
/// writes. Of the story itself it keeps only the columns written beside
/// the JSON: a row waits in the write queue with hundreds of others, and
/// its body is already in `data`.
#[derive(Debug, Clone)]
pub struct StoryRow {
    pub(super) url: String,
    pub(super) source: String,
    pub(super) lang: String,
    pub(super) published: Option<Timestamp>,
    pub(super) fingerprint: u64,
    pub(super) tags: Classification,
    pub(super) data: String,
    pub(super) hash: i64,
    /// Folded text as space-separated tokens (search.rs).
    pub(super) fts_text: String,
    /// Region, industry, language and source tokens (search.rs).
    pub(super) fts_tags: String,
}

impl StoryRow {
    /// Prepares a story for [`super::Store::upsert_row`].
    pub fn new(article: Article, tags: Classification) -> Result<StoryRow, StoreError> {
        let fts_text = search::index_text(&article.title, &article.body);
        StoryRow::with_fts_text(article, tags, fts_text)
    }

    /// A row from a normalized story, reusing its folded text for the
    /// full-text index.
    pub fn from_normalized(
        normalized: crate::normalize::Normalized,
        tags: Classification,
    ) -> Result<StoryRow, StoreError> {
        let fts_text = search::index_folded(&normalized.folded_text);
        StoryRow::with_fts_text(normalized.article, tags, fts_text)
    }

    /// The story's canonical URL, its key in the store.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn with_fts_text(
        article: Article,
        tags: Classification,
        fts_text: String,
    ) -> Result<StoryRow, StoreError> {
        let data = serde_json::to_string(&article)
            .map_err(|source| StoreError::Corrupt { id: 0, source })?;
        let hash = content_hash(&data, &tags);
        let fts_tags = search::story_filter_tokens(
            tags.regions.iter().map(|t| t.id.as_str()),
            tags.industries.iter().map(|t| t.id.as_str()),
            &article.lang,
            &article.source,
        );
        let Article {
            url,
            source,
            lang,
            published,
            fingerprint,
            ..
        } = article;
        Ok(StoryRow {
            url,
            source,
            lang,
            published,
            fingerprint,
            tags,
            data,
            hash,
            fts_text,
            fts_tags,
        })
    }

    /// The time feeds order the story by: its publication time, else
    /// `now` (when it is first seen).
    pub(super) fn sort_time(&self, now: i64) -> i64 {
        self.published.map(|t| t.as_second()).unwrap_or(now)
    }

    /// The primary region's id, if a region is primary.
    pub(super) fn primary_region(&self) -> Option<&str> {
        primary(&self.tags.regions)
    }

    /// The primary industry's id, if an industry is primary.
    pub(super) fn primary_industry(&self) -> Option<&str> {
        primary(&self.tags.industries)
    }
}

/// A stored story from its columns, as both backends read them: the
/// JSON, cluster, `[first_seen, updated]` and `item_updated` in seconds,
/// and its tags as (kind, tag) best first.
pub(super) fn stored_story(
    id: i64,
    data: &str,
    cluster: i64,
    [first_seen, updated]: [i64; 2],
    item_updated: Option<i64>,
    tags: Vec<(String, StoredTag)>,
) -> Result<StoredStory, StoreError> {
    let article: Article =
        serde_json::from_str(data).map_err(|source| StoreError::Corrupt { id, source })?;
    let mut regions = Vec::new();
    let mut industries = Vec::new();
    for (kind, tag) in tags {
        if kind == TagKind::Region.as_str() {
            regions.push(tag)
        } else {
            industries.push(tag)
        }
    }
    let time = |s: i64| Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH);
    Ok(StoredStory {
        id,
        article,
        regions,
        industries,
        cluster,
        first_seen: time(first_seen),
        updated: time(updated),
        item_updated: item_updated.and_then(|s| Timestamp::from_second(s).ok()),
        also_from: Vec::new(),
    })
}

/// The full-text tokens of a copied story (text, filters), made from its
/// stored JSON and tags as the pipeline made them. A story whose JSON does
/// not decode is copied unsearchable, and logged.
pub(super) fn record_tokens(record: &super::records::StoryRecord) -> (String, String) {
    match serde_json::from_str::<Article>(&record.data) {
        Ok(article) => {
            let of_kind = |kind: TagKind| {
                record
                    .tags
                    .iter()
                    .filter(move |t| t.0 == kind.as_str())
                    .map(|t| t.1.as_str())
            };
            (
                search::index_text(&article.title, &article.body),
                search::story_filter_tokens(
                    of_kind(TagKind::Region),
                    of_kind(TagKind::Industry),
                    &record.lang,
                    &record.source,
                ),
            )
        }
        Err(err) => {
            tracing::warn!(id = record.id, error = %err, "Story copied without full text: its stored JSON is unreadable.");
            (String::new(), String::new())
        }
    }
}

fn primary(list: &[Tag]) -> Option<&str> {
    list.iter().find(|t| t.primary).map(|t| t.id.as_str())
}

/// A hash of what readers see of a story, to tell real changes from
/// re-fetches. The fetch time is left out: it changes every run. FNV-1a,
/// because it must not change between builds. `data` is the story's JSON.
fn content_hash(data: &str, tags: &Classification) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for part in seen_json(data) {
        feed(part.as_bytes());
    }
    for tag in tags.regions.iter().chain(&tags.industries) {
        feed(tag.id.as_bytes());
        feed(if tag.primary { b"!" } else { b"," });
    }
    hash as i64
}

/// The JSON of a story without its fetch time, in two pieces, cut out of
/// its full JSON instead of serializing a copy of the story again:
/// `fetched_at` is the last field of [`Article`], so the JSON ends with
/// `"fetched_at":VALUE}` and the time's value holds no such key.
fn seen_json(data: &str) -> [&str; 2] {
    const KEY: &str = "\"fetched_at\":";
    match data.rfind(KEY) {
        Some(at) => [&data[..at + KEY.len()], "null}"],
        None => [data, ""],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The story's JSON without `fetched_at` is cut out of its full JSON; it
    /// must be what serializing the story with no fetch time gives, or stored
    /// content hashes would all change (and a field added after `fetched_at`
    /// would break the cut).
    #[test]
    fn seen_json_is_the_story_serialized_without_its_fetch_time() {
        let mut story = Article {
            url: "u".into(),
            source: "s".into(),
            title: "標題".into(),
            lang: "zh".into(),
            body: vec!["第一段".into(), "\"fetched_at\":引號".into()],
            published: Some(Timestamp::from_second(1_700_000_000).unwrap()),
            zone: "Asia/Shanghai".into(),
            ..Article::default()
        };
        story.captions = vec!["\"fetched_at\":null}".into()];
        for fetched_at in [None, Some(Timestamp::from_second(1_700_000_100).unwrap())] {
            story.fetched_at = fetched_at;
            let data = serde_json::to_string(&story).unwrap();
            let seen = Article {
                fetched_at: None,
                ..story.clone()
            };
            assert_eq!(
                seen_json(&data).concat(),
                serde_json::to_string(&seen).unwrap()
            );
        }
    }
}
