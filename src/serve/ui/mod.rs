//! The web UI's pages besides the index ([`super::page`]): what they
//! show, gathered from the configuration and the store. The markup is in
//! [`crate::emit::html`] and `templates/`; the HTTP handlers that serve
//! these pages through the render cache are in `routes.rs`.
//!
//! * [`preview`]: `/feeds/{name}.html`, a named feed's latest stories
//!   with their tags, the other wires that carried each, and its
//!   subscribe links; a 404 page listing the known feeds otherwise.
//! * [`sources`]: `/sources`, each wire's last run and its outcome.
//! * this file: what the index and the preview both show of a feed.

pub mod preview;
pub mod sources;

use super::params::FeedParams;
use super::render::{RenderError, select_stories};
use crate::classify::Taxonomy;
use crate::config::{Config, FeedConfig, FeedFormat};
use crate::emit::html::{FeedActivity, PageFeed, RECENT_HOURS};
use crate::model::StoredStory;
use crate::store::Store;
use jiff::{SignedDuration, Timestamp};

/// Recent stories counted per feed before the count shows as "50+":
/// counting loads the stories (the index does it for every feed), so it
/// stops where the number stops mattering to a reader.
pub const RECENT_CAP: usize = 50;

/// The time a story is shown and counted at: its publication, else when
/// it was first seen (the same time `since` filters on).
pub fn story_time(story: &StoredStory) -> Timestamp {
    story.article.published.unwrap_or(story.first_seen)
}

/// The file name of a named feed in one format: `<name>.<ext>`.
pub fn feed_file(name: &str, format: FeedFormat) -> String {
    format!("{name}.{}", format.extension())
}

/// A named feed as the pages list it: links are `prefix` + `name.ext`
/// (`feeds/` from the index, nothing from a preview beside them).
pub fn page_feed(feed: &FeedConfig, prefix: &str, activity: Option<FeedActivity>) -> PageFeed {
    PageFeed {
        name: feed.name.clone(),
        title: feed.title.clone(),
        description: feed.description.clone(),
        links: feed
            .formats
            .iter()
            .map(|&fmt| (fmt, format!("{prefix}{}", feed_file(&feed.name, fmt))))
            .collect(),
        activity,
    }
}

/// How many stories a named feed took in over the last
/// [`RECENT_HOURS`] hours (up to [`RECENT_CAP`]), and its newest story's
/// time.
pub fn feed_activity(
    store: &Store,
    taxonomy: &Taxonomy,
    feed: &FeedConfig,
    now: Timestamp,
) -> Result<FeedActivity, RenderError> {
    let params = |since: Option<Timestamp>, limit: usize| FeedParams {
        since,
        limit: Some(limit),
        case_sensitive: true,
        sorted: true,
        ..FeedParams::default()
    };
    let since = now - SignedDuration::from_hours(RECENT_HOURS);
    let recent = select_stories(
        store,
        taxonomy,
        Some(feed),
        &params(Some(since), RECENT_CAP + 1),
        now,
    )?;
    let latest = match recent.first() {
        Some(newest) => Some(story_time(newest)),
        None => select_stories(store, taxonomy, Some(feed), &params(None, 1), now)?
            .first()
            .map(story_time),
    };
    Ok(FeedActivity {
        recent: recent.len().min(RECENT_CAP),
        capped: recent.len() > RECENT_CAP,
        latest,
    })
}

/// `(id, name)` of every configured source, to name a story's wire.
pub fn source_names(config: &Config) -> Vec<(String, String)> {
    config
        .sources
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect()
}
