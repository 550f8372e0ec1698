//! What the store keeps beside stories, and what a write reports: the
//! same on every backend.

use jiff::Timestamp;

/// What storing one story did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// A story not seen before.
    New(i64),
    /// A known story whose content changed.
    Updated(i64),
    /// A known story, identical to what was stored.
    Unchanged(i64),
    /// A story retention removed lately (see [`super::Store::apply_retention`]): not stored
    /// again, or an old-dated item still listed by its wire would come back
    /// as new on every fetch and go again at every retention pass.
    Retired,
}

/// Fetch validators remembered for one URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

/// The outcome of one run of one source, as recorded for operators.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceState {
    /// Source id.
    pub id: String,
    /// When the last run started.
    pub last_run: Option<Timestamp>,
    /// `ok`, `not_modified` or a failure reason code.
    pub last_status: Option<String>,
    /// The last error in words, if the last run failed.
    pub last_error: Option<String>,
    /// Stories new in the last run.
    pub stories_new: u64,
    /// Stories updated in the last run.
    pub stories_updated: u64,
    /// Consecutive failed runs.
    pub failures: u32,
    /// When the next run is due.
    pub next_run: Option<Timestamp>,
}

/// One story with every stored column and its tags, as `store copy`
/// moves it between backends (ids and clusters kept).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct StoryRecord {
    pub(super) id: i64,
    pub(super) url: String,
    pub(super) source: String,
    pub(super) lang: String,
    pub(super) published: Option<i64>,
    pub(super) sort_time: i64,
    pub(super) first_seen: i64,
    pub(super) updated: i64,
    pub(super) item_updated: Option<i64>,
    pub(super) content_hash: i64,
    pub(super) fingerprint: i64,
    pub(super) cluster: i64,
    pub(super) primary_region: Option<String>,
    pub(super) primary_industry: Option<String>,
    pub(super) data: String,
    /// (kind, tag, score, primary), best first.
    pub(super) tags: Vec<(String, String, f64, bool)>,
}

/// Everything stored beside stories.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct SideTables {
    /// Every source's last run.
    pub(super) sources: Vec<SourceState>,
    /// Validators by key, with when they were fetched (seconds).
    pub(super) validators: Vec<(String, Validators, i64)>,
    /// Tombstones: URL and when retention removed it (seconds).
    pub(super) retired: Vec<(String, i64)>,
}
