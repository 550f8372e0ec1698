//! One feed request → one document: the named feed's filters narrowed by
//! the URL's, the store query, RSSHub post-filters, then a writer.
//!
//! Synchronous and free of HTTP, so `polywire feed`, the static export
//! and the server all share it.

use super::params::{DEFAULT_LIMIT, FeedParams, MAX_LIMIT, ParamError};
use super::rsshub;
use crate::classify::Taxonomy;
use crate::config::{Config, FeedConfig, FeedFormat};
use crate::emit::{self, FeedDoc, FeedItem, FeedMeta, feed_tag_uri, tag_authority};
use crate::model::{Script, StoredStory};
use crate::store::{FeedQuery, Store, StoreError};
use jiff::Timestamp;

/// Why a feed could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// No feed of that name is configured.
    #[error("no feed named `{0}`")]
    UnknownFeed(String),
    /// The named feed does not offer the format.
    #[error("feed `{name}` is not offered as {format}")]
    FormatNotOffered {
        /// Feed name.
        name: String,
        /// Extension asked for.
        format: &'static str,
    },
    /// A URL parameter was refused.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A rendered document and what HTTP needs to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The document.
    pub body: String,
    /// Format written.
    pub format: FeedFormat,
    /// When the stories behind it last changed (for `Last-Modified`).
    pub last_modified: Option<Timestamp>,
}

/// `id` expanded to itself and its descendants, for each id; the union.
fn expand(ids: &[String], descendants: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        for d in descendants(id) {
            if !out.contains(&d) {
                out.push(d);
            }
        }
    }
    out
}

/// The ids of `ids` that no other id of the list is an ancestor of.
fn topmost(ids: &[String], descendants: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    let mut covered = std::collections::HashSet::new();
    for id in ids {
        covered.extend(descendants(id).into_iter().filter(|d| d != id));
    }
    ids.iter()
        .filter(|id| !covered.contains(*id))
        .cloned()
        .collect()
}

/// Combines a named feed's list with the URL's: the URL narrows (the
/// ids both allow). `None` means "nothing can match".
fn narrow(feed: Vec<String>, url: Vec<String>) -> Option<Vec<String>> {
    match (feed.is_empty(), url.is_empty()) {
        (_, true) => Some(feed),
        (true, false) => Some(url),
        (false, false) => {
            let both: Vec<String> = url.into_iter().filter(|id| feed.contains(id)).collect();
            (!both.is_empty()).then_some(both)
        }
    }
}

/// The store query for a named feed (if any) narrowed by URL parameters,
/// or `None` when the two contradict each other and nothing can match.
pub fn feed_query(
    feed: Option<&FeedConfig>,
    params: &FeedParams,
    taxonomy: &Taxonomy,
) -> Option<FeedQuery> {
    let filters = feed.map(|f| &f.filters);
    let ids = |list: Option<&Vec<toml::Spanned<String>>>| -> Vec<String> {
        list.map(|l| l.iter().map(|s| s.get_ref().clone()).collect())
            .unwrap_or_default()
    };
    let regions = narrow(
        expand(&ids(filters.map(|f| &f.region)), |id| {
            taxonomy.region_descendants(id)
        }),
        expand(&params.regions, |id| taxonomy.region_descendants(id)),
    )?;
    let industries = narrow(
        expand(&ids(filters.map(|f| &f.industry)), |id| {
            taxonomy.industry_descendants(id)
        }),
        expand(&params.industries, |id| taxonomy.industry_descendants(id)),
    )?;
    let langs = narrow(
        filters.map(|f| f.lang.clone()).unwrap_or_default(),
        params.langs.clone(),
    )?;
    let sources = narrow(ids(filters.map(|f| &f.source)), params.sources.clone())?;
    let q = [filters.and_then(|f| f.q.clone()), params.q.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Some(FeedQuery {
        // Stories carry every ancestor's tag, so the topmost ids of each
        // expanded list match the same stories with far fewer values; the
        // full lists are what `primary=true` compares the primary tag with.
        regions: topmost(&regions, |id| taxonomy.region_descendants(id)),
        industries: topmost(&industries, |id| taxonomy.industry_descendants(id)),
        primary_region_scope: regions,
        primary_industry_scope: industries,
        langs,
        sources,
        q: (!q.trim().is_empty()).then_some(q),
        since: params.since,
        primary_only: params.primary || filters.is_some_and(|f| f.primary),
        collapse_clusters: params.collapse,
        limit: params.limit.unwrap_or(DEFAULT_LIMIT),
    })
}

/// The stories of a request, filtered and cut to the limit.
pub fn select_stories(
    store: &Store,
    taxonomy: &Taxonomy,
    feed: Option<&FeedConfig>,
    params: &FeedParams,
    now: Timestamp,
) -> Result<Vec<StoredStory>, RenderError> {
    let Some(mut query) = feed_query(feed, params, taxonomy) else {
        return Ok(Vec::new());
    };
    let limit = query.limit;
    let filters = params.filters()?;
    if filters.is_active() {
        // RSSHub filters run after the query: give them the most we serve.
        query.limit = MAX_LIMIT;
    }
    let stories = store.query(&query)?;
    let mut stories = rsshub::apply(stories, &filters, taxonomy, now);
    stories.truncate(limit);
    Ok(stories)
}

/// The script a request converts to: the URL's, else the named feed's.
pub(crate) fn target_script(feed: Option<&FeedConfig>, params: &FeedParams) -> Option<Script> {
    params
        .script
        .or_else(|| match feed?.filters.script.as_deref()? {
            "hans" => Some(Script::Hans),
            "hant" => Some(Script::Hant),
            _ => None,
        })
}

/// Inputs of [`render_feed`] besides the store.
#[derive(Debug, Clone, Copy)]
pub struct FeedRequest<'a> {
    /// Named feed, or `None` for the ad-hoc `/feed`.
    pub name: Option<&'a str>,
    /// Format from the URL's extension (a `format=` parameter wins).
    pub format: FeedFormat,
    /// Checked parameters.
    pub params: &'a FeedParams,
    /// The absolute URL this document is served at (its self link).
    pub self_url: &'a str,
    /// The current time (anchors `filter_time`; a fallback `updated`).
    pub now: Timestamp,
}

/// Renders one feed document.
pub fn render_feed(
    config: &Config,
    taxonomy: &Taxonomy,
    store: &Store,
    req: FeedRequest<'_>,
) -> Result<Rendered, RenderError> {
    let feed = match req.name {
        Some(name) => Some(
            config
                .feed(name)
                .ok_or_else(|| RenderError::UnknownFeed(name.to_string()))?,
        ),
        None => None,
    };
    let format = req.params.format.unwrap_or(req.format);
    // ninjs is for newsroom systems, not a subscription format: every
    // named feed offers it, whatever its `formats` list.
    if let Some(feed) = feed
        && format != FeedFormat::Ninjs
        && !feed.formats.contains(&format)
    {
        return Err(RenderError::FormatNotOffered {
            name: feed.name.clone(),
            format: format.extension(),
        });
    }
    let stories = select_stories(store, taxonomy, feed, req.params, req.now)?;
    let last_change = store.last_change()?;
    let doc = feed_doc(
        config,
        taxonomy,
        feed,
        req.params,
        req.self_url,
        &stories,
        last_change,
    );
    Ok(Rendered {
        body: emit::render(&doc, format),
        format,
        last_modified: last_change,
    })
}

/// Builds the writer input for a list of stories.
pub fn feed_doc(
    config: &Config,
    taxonomy: &Taxonomy,
    feed: Option<&FeedConfig>,
    params: &FeedParams,
    self_url: &str,
    stories: &[StoredStory],
    last_change: Option<Timestamp>,
) -> FeedDoc {
    let base = config.daemon.server.public_base_url();
    let authority = tag_authority(&base);
    let script = target_script(feed, params);
    let items: Vec<FeedItem> = stories
        .iter()
        .map(|s| FeedItem::from_story(s, taxonomy, &authority, script))
        .collect();
    let updated = items
        .iter()
        .map(|i| i.updated)
        .max()
        .or(last_change)
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let (title, description, language, key) = match feed {
        Some(f) => (
            f.title.clone(),
            f.description.clone(),
            f.language.clone(),
            f.name.clone(),
        ),
        None => (
            adhoc_title(params),
            "Stories selected by the filters in this feed's URL.".to_string(),
            "mul".to_string(),
            format!("adhoc/{}", self_url.split_once('?').map_or("", |(_, q)| q)),
        ),
    };
    // The feed's own title and subtitle are in the script its entries
    // are converted to (an ad-hoc title echoes `q`).
    let (title, description) = match script {
        Some(script) => (
            crate::normalize::script::convert(&title, script),
            crate::normalize::script::convert(&description, script),
        ),
        None => (title, description),
    };
    FeedDoc {
        meta: FeedMeta {
            title,
            description,
            language,
            self_url: self_url.to_string(),
            home_url: format!("{base}/"),
            id: feed_tag_uri(&authority, &key),
            hub: config.daemon.server.websub_hub.clone(),
            updated,
            taxonomy_base: base,
        },
        items,
    }
}

/// "polywire: cn-yrd · biomedicine · zh" for an ad-hoc feed.
fn adhoc_title(params: &FeedParams) -> String {
    let parts: Vec<&str> = params
        .regions
        .iter()
        .chain(&params.industries)
        .chain(&params.langs)
        .chain(&params.sources)
        .map(String::as_str)
        .chain(params.q.as_deref())
        .collect();
    if parts.is_empty() {
        "polywire: all stories".into()
    } else {
        format!("polywire: {}", parts.join(" · "))
    }
}

/// `polywire feed`: renders a named feed (`name`) or the ad-hoc feed
/// with the given parameters (as in a URL: `("region", "cn-yrd")` ...)
/// to a string. The self link is the URL the server would serve it at.
pub fn render_to_string(
    config: &Config,
    taxonomy: &Taxonomy,
    store: &Store,
    name: Option<&str>,
    format: FeedFormat,
    pairs: &[(String, String)],
) -> Result<String, RenderError> {
    let params = FeedParams::from_pairs(pairs, config, taxonomy)?;
    let ext = format.extension();
    let path = match name {
        Some(name) => format!("/feeds/{name}.{ext}"),
        None => format!("/feed.{ext}"),
    };
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    let query = query.finish();
    let self_url = format!(
        "{}{path}{}{query}",
        config.daemon.server.public_base_url(),
        if query.is_empty() { "" } else { "?" }
    );
    let rendered = render_feed(
        config,
        taxonomy,
        store,
        FeedRequest {
            name,
            format,
            params: &params,
            self_url: &self_url,
            now: Timestamp::now(),
        },
    )?;
    Ok(rendered.body)
}
