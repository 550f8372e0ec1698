//! Builds the index page and the OPML list from the configuration, the
//! taxonomy and the store (the writers live in [`crate::emit`]).

use super::params::{FeedParams, ParamError};
use super::render::{RenderError, select_stories};
use super::ui;
use crate::classify::Taxonomy;
use crate::config::{Config, FeedFormat};
use crate::emit::html::{FilterForm, IndexPage};
use crate::emit::opml::{self, OpmlFeed};
use crate::emit::{FeedItem, tag_authority};
use crate::model::TagKind;
use crate::store::HeldValues;
use jiff::Timestamp;

/// Stories shown on the index page.
const PAGE_STORIES: usize = 30;

/// The relative link of a named feed in one format: `feeds/<name>.<ext>`
/// (relative, so the page works at `/` and from a static export folder).
pub fn named_feed_path(name: &str, format: FeedFormat) -> String {
    format!("feeds/{}", ui::feed_file(name, format))
}

/// The index page. `form` is `None` for a static export; otherwise the
/// submitted query (possibly empty) and its parse result.
pub fn index_page(
    config: &Config,
    taxonomy: &Taxonomy,
    store: &crate::store::Store,
    form: Option<(&str, Result<FeedParams, ParamError>)>,
    now: Timestamp,
) -> Result<IndexPage, RenderError> {
    // Each feed's activity costs a store query per feed: shown on the
    // plain index (rendered once per store change, then cached), left out
    // of filtered ones, which each distinct query would render anew.
    let plain = form.as_ref().is_none_or(|(query, _)| {
        url::form_urlencoded::parse(query.as_bytes()).all(|(_, v)| v.trim().is_empty())
    });
    let feeds = config
        .feeds
        .iter()
        .map(|f| {
            let activity = if plain {
                Some(ui::feed_activity(store, taxonomy, f, now)?)
            } else {
                None
            };
            Ok(ui::page_feed(f, "feeds/", activity))
        })
        .collect::<Result<_, RenderError>>()?;
    let mut params = FeedParams {
        limit: Some(PAGE_STORIES),
        case_sensitive: true,
        sorted: true,
        ..FeedParams::default()
    };
    let held = match form {
        Some(_) => store.held_values()?,
        None => HeldValues::default(),
    };
    let filter_form = form.map(|(query, parsed)| {
        let selected: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        let mut built = Vec::new();
        let mut error = None;
        match parsed {
            Ok(p) => {
                if !selected.is_empty() {
                    let mut q = url::form_urlencoded::Serializer::new(String::new());
                    for (k, v) in selected.iter().filter(|(k, _)| k != "format") {
                        q.append_pair(k, v);
                    }
                    let q = q.finish();
                    for fmt in [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json] {
                        let sep = if q.is_empty() { "" } else { "?" };
                        built.push((fmt, format!("feed.{}{sep}{q}", fmt.extension())));
                    }
                }
                params = FeedParams {
                    limit: Some(PAGE_STORIES),
                    ..p
                };
            }
            Err(e) => error = Some(e.to_string()),
        }
        // Every value offered is one the filters accept and that matches
        // stored stories: the store's languages (Chinese also by script),
        // its configured sources, and the tags its stories carry.
        let mut langs = held.langs.clone();
        if langs.iter().any(|l| l == "zh") {
            langs.extend(["zh-Hans", "zh-Hant"].map(String::from));
        }
        langs.sort();
        FilterForm {
            action: "./".into(),
            // Labels per kind: `ai` is Anguilla among regions and
            // artificial intelligence among industries.
            regions: taxonomy
                .region_ids()
                .filter(|id| held.regions.iter().any(|h| h == id))
                .map(|id| (id.to_string(), menu_label(taxonomy, TagKind::Region, id)))
                .collect(),
            industries: taxonomy
                .industry_ids()
                .filter(|id| held.industries.iter().any(|h| h == id))
                .map(|id| (id.to_string(), menu_label(taxonomy, TagKind::Industry, id)))
                .collect(),
            sources: config
                .sources
                .iter()
                .filter(|s| held.sources.contains(&s.id))
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect(),
            langs,
            selected,
            built,
            error,
        }
    });
    let authority = tag_authority(&config.daemon.server.public_base_url());
    let stories = if filter_form.as_ref().is_some_and(|f| f.error.is_some()) {
        Vec::new()
    } else {
        select_stories(store, taxonomy, None, &params, now)?
    };
    Ok(IndexPage {
        title: "polywire — news by region and industry".into(),
        feeds,
        stories: stories
            .iter()
            .map(|s| FeedItem::from_story(s, taxonomy, &authority, params.script))
            .collect(),
        source_names: ui::source_names(config),
        opml_url: "opml.xml".into(),
        form: filter_form,
        now,
    })
}

/// `Anguilla (ai)`: a menu entry's English label of a tag of one kind.
fn menu_label(taxonomy: &Taxonomy, kind: TagKind, id: &str) -> String {
    let label = taxonomy
        .label_of(kind, id, "en")
        .unwrap_or_else(|| id.to_string());
    format!("{label} ({id})")
}

/// The OPML list of every named feed (first offered format of each).
pub fn opml(config: &Config, now: Timestamp) -> String {
    let base = config.daemon.server.public_base_url();
    let feeds: Vec<OpmlFeed> = config
        .feeds
        .iter()
        .filter_map(|f| {
            let fmt = [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json]
                .into_iter()
                .find(|fmt| f.formats.contains(fmt))?;
            Some(OpmlFeed {
                title: f.title.clone(),
                description: f.description.clone(),
                language: f.language.clone(),
                xml_url: format!("{base}/{}", named_feed_path(&f.name, fmt)),
                html_url: format!("{base}/"),
            })
        })
        .collect();
    opml::write("polywire feeds", now, &feeds)
}
