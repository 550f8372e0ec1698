//! `/feeds/{name}.html`: a named feed's preview, and the page answering
//! a name no feed has.

use super::{feed_activity, page_feed, source_names};
use crate::classify::Taxonomy;
use crate::config::{Config, FeedConfig};
use crate::emit::html::{self, MissingFeedPage, PreviewPage};
use crate::emit::{FeedItem, tag_authority};
use crate::model::TagKind;
use crate::serve::page::named_feed_path;
use crate::serve::params::FeedParams;
use crate::serve::render::{RenderError, select_stories, target_script};
use crate::store::Store;
use jiff::Timestamp;

/// Stories a preview shows.
pub const PREVIEW_STORIES: usize = 30;

/// The preview page of the feed named `name`, as HTML.
pub fn preview_page(
    config: &Config,
    taxonomy: &Taxonomy,
    store: &Store,
    name: &str,
    now: Timestamp,
) -> Result<String, RenderError> {
    let feed = config
        .feed(name)
        .ok_or_else(|| RenderError::UnknownFeed(name.to_string()))?;
    let params = FeedParams {
        limit: Some(PREVIEW_STORIES),
        case_sensitive: true,
        sorted: true,
        ..FeedParams::default()
    };
    let mut stories = select_stories(store, taxonomy, Some(feed), &params, now)?;
    // Every story names the other wires of its near-duplicate cluster,
    // without folding them away as `collapse=clusters` would: the
    // preview shows what the feed itself holds.
    for story in &mut stories {
        story.also_from = store.cluster_sources(story.cluster, &story.article.source)?;
    }
    let authority = tag_authority(&config.daemon.server.public_base_url());
    let script = target_script(Some(feed), &params);
    let base = config.daemon.server.public_base_url();
    let (regions, industries) = scope_labels(feed, taxonomy);
    let page = PreviewPage {
        feed: page_feed(feed, "", Some(feed_activity(store, taxonomy, feed, now)?)),
        absolute_links: feed
            .formats
            .iter()
            .map(|&fmt| (fmt, format!("{base}/{}", named_feed_path(&feed.name, fmt))))
            .collect(),
        regions,
        industries,
        sources: feed
            .filters
            .source
            .iter()
            .map(|id| {
                let id = id.get_ref();
                config
                    .sources
                    .iter()
                    .find(|s| &s.id == id)
                    .map_or_else(|| id.clone(), |s| s.name.clone())
            })
            .collect(),
        langs: feed.filters.lang.clone(),
        stories: stories
            .iter()
            .map(|s| FeedItem::from_story(s, taxonomy, &authority, script))
            .collect(),
        source_names: source_names(config),
        now,
    };
    Ok(html::write_preview(&page))
}

/// English labels of the regions and industries a feed is narrowed to.
fn scope_labels(feed: &FeedConfig, taxonomy: &Taxonomy) -> (Vec<String>, Vec<String>) {
    let labels = |kind: TagKind, ids: &[toml::Spanned<String>]| {
        ids.iter()
            .map(|id| {
                let id = id.get_ref();
                capitalized(
                    &taxonomy
                        .label_of(kind, id, "en")
                        .unwrap_or_else(|| id.clone()),
                )
            })
            .collect()
    };
    (
        labels(TagKind::Region, &feed.filters.region),
        labels(TagKind::Industry, &feed.filters.industry),
    )
}

/// `biomedicine` → `Biomedicine`: a taxonomy's first English name is
/// often a lower-case search word; in a list of its own it starts a line.
fn capitalized(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The page answering a preview of an unknown feed: the name asked for
/// and every feed there is.
pub fn missing_feed_page(config: &Config, asked: &str) -> String {
    html::write_missing_feed(&MissingFeedPage {
        asked: asked.to_string(),
        known: config
            .feeds
            .iter()
            .map(|f| (f.name.clone(), f.title.clone()))
            .collect(),
    })
}
