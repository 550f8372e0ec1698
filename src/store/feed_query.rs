//! [`FeedQuery`]: the filters every feed is made of, and what a backend
//! must return for them.
//!
//! A repeated value ORs, different filters AND. Stories carry the tags of
//! every ancestor of their regions (classification rolls them up), so a
//! requested region matches everything below it without expanding it.
//! `q` matches the tokens search.rs makes (every term must appear).
//!
//! A backend returns the newest matches by (time, id), at most
//! [`fetch_limit`]; collapsing clusters and loading the stories is done
//! once for both in mod.rs, so the two cannot drift apart.

use jiff::Timestamp;

/// Which stories a feed holds.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedQuery {
    /// Region ids (any of them); each matches the regions below it too.
    pub regions: Vec<String>,
    /// Industry ids (any of them).
    pub industries: Vec<String>,
    /// Language subtags (`zh`, `en` ...).
    pub langs: Vec<String>,
    /// Source ids.
    pub sources: Vec<String>,
    /// Full-text query; every term must appear.
    pub q: Option<String>,
    /// Only stories published (or first seen) at or after this time.
    pub since: Option<Timestamp>,
    /// Region and industry filters match the primary tag only.
    pub primary_only: bool,
    /// With `primary_only`: every region id whose being primary counts as a
    /// match (the requested ids and their descendants). Empty: the requested ids.
    pub primary_region_scope: Vec<String>,
    /// With `primary_only`: likewise for industries.
    pub primary_industry_scope: Vec<String>,
    /// One story per near-duplicate cluster, naming the other sources.
    pub collapse_clusters: bool,
    /// Most stories returned.
    pub limit: usize,
}

impl Default for FeedQuery {
    fn default() -> Self {
        Self {
            regions: Vec::new(),
            industries: Vec::new(),
            langs: Vec::new(),
            sources: Vec::new(),
            q: None,
            since: None,
            primary_only: false,
            primary_region_scope: Vec::new(),
            primary_industry_scope: Vec::new(),
            collapse_clusters: false,
            limit: 50,
        }
    }
}

/// Values present in the store (see [`super::Store::held_values`]), each
/// list sorted (bytewise, on every backend).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeldValues {
    /// Language subtags of stored stories.
    pub langs: Vec<String>,
    /// Source ids of stored stories.
    pub sources: Vec<String>,
    /// Region ids carried by at least one story.
    pub regions: Vec<String>,
    /// Industry ids carried by at least one story.
    pub industries: Vec<String>,
}

/// A story as a backend's query finds it: (time, id, cluster).
pub(super) type Row = (i64, i64, i64);

/// Matches a backend returns: collapsing drops rows afterwards, so with
/// `collapse` four times the limit, from which one story per cluster is
/// kept.
pub(super) fn fetch_limit(query: &FeedQuery) -> usize {
    if query.collapse_clusters {
        query.limit.saturating_mul(4)
    } else {
        query.limit
    }
}

/// The ids whose being primary counts as a match: the scope, else the
/// requested ids themselves.
pub(super) fn primary_scope<'a>(values: &'a [String], scope: &'a [String]) -> &'a [String] {
    if scope.is_empty() { values } else { scope }
}

/// Newest first by (time, id), each story once, at most `limit`.
pub(super) fn newest_first(rows: &mut Vec<Row>, limit: usize) {
    rows.sort_unstable_by_key(|row| std::cmp::Reverse((row.0, row.1)));
    rows.dedup_by_key(|row| row.1);
    rows.truncate(limit);
}

/// The ids a feed shows, from a backend's newest matches: with
/// `collapse`, the first story of each cluster.
pub(super) fn shown_ids(query: &FeedQuery, found: Vec<Row>) -> Vec<i64> {
    let mut clusters_seen = std::collections::HashSet::new();
    found
        .into_iter()
        .filter(|&(_, _, cluster)| !query.collapse_clusters || clusters_seen.insert(cluster))
        .map(|(_, id, _)| id)
        .take(query.limit)
        .collect()
}
