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
