//! The storage interface both backends implement (SQLite in `sqlite/`,
//! PostgreSQL in `postgres/`). [`super::Store`] holds one as a trait
//! object and adds what is the same on both (loading by URL, collapsing
//! clusters), so nothing outside `store/` knows which one runs.
//!
//! The interface is synchronous: callers hold the store behind a mutex and
//! call it from blocking threads (the pipeline's writer, the server's
//! renders) or from CLI code. Every method is object-safe so a backend is
//! chosen at run time from the configuration (docs/storage.md).

use super::error::StoreError;
use super::feed_query::{FeedQuery, HeldValues, Row};
use super::records::{SideTables, SourceState, StoryRecord, Upsert, Validators};
use super::row::StoryRow;
use crate::config::RetentionConfig;
use crate::model::StoredStory;
use jiff::Timestamp;

/// One database behind [`super::Store`].
pub(super) trait Backend: Send + std::fmt::Debug {
    /// `sqlite` or `postgres`, for logs and messages.
    fn name(&self) -> &'static str;

    /// Stores many stories in one transaction, all or none, each keyed by
    /// canonical URL: new, updated (content hash changed), unchanged, or
    /// refused for a tombstone. A new story joins the cluster of an
    /// earlier near-duplicate (cluster.rs), else starts its own.
    fn upsert_rows(
        &mut self,
        rows: &[(&StoryRow, Option<Timestamp>)],
    ) -> Result<Vec<Upsert>, StoreError>;

    /// The stored `item_updated` of the story at `url`: `None` when no
    /// story is stored there, `Some(None)` when its item gave no time.
    fn item_updated(&self, url: &str) -> Result<Option<Option<i64>>, StoreError>;

    /// Whether retention removed the story at `url` lately (a tombstone).
    fn is_retired(&self, url: &str) -> Result<bool, StoreError>;

    /// The row id of the story at `url`.
    fn story_id(&self, url: &str) -> Result<Option<i64>, StoreError>;

    /// Row ids of every stored story, or of one source's, oldest first.
    fn story_ids(&self, source: Option<&str>) -> Result<Vec<i64>, StoreError>;

    /// Number of stored stories.
    fn count(&self) -> Result<u64, StoreError>;

    /// The largest `updated` of any story, in seconds.
    fn last_change(&self) -> Result<Option<i64>, StoreError>;

    /// Full stories by row id, in the given order; missing ids are skipped.
    fn load_stories(&self, ids: &[i64]) -> Result<Vec<StoredStory>, StoreError>;

    /// Sources other than `except` that carried stories of a cluster,
    /// sorted bytewise.
    fn cluster_sources(&self, cluster: i64, except: &str) -> Result<Vec<String>, StoreError>;

    /// Validators remembered under a key.
    fn validators(&self, key: &str) -> Result<Validators, StoreError>;

    /// Remembers validators under a key.
    fn save_validators(&self, key: &str, validators: &Validators) -> Result<(), StoreError>;

    /// Records the outcome of one run of a source.
    fn record_run(&self, state: &SourceState) -> Result<(), StoreError>;

    /// Every source's recorded state, by id (bytewise).
    fn source_states(&self) -> Result<Vec<SourceState>, StoreError>;

    /// The newest matches of a query by (time, id), newest first, at most
    /// [`super::feed_query::fetch_limit`] of them.
    fn matches(&self, query: &FeedQuery) -> Result<Vec<Row>, StoreError>;

    /// Languages, sources, regions and industries of stored stories.
    fn held_values(&self) -> Result<HeldValues, StoreError>;

    /// Removes, for every source, what its rule no longer keeps, leaving a
    /// tombstone per story; drops tombstones older than
    /// [`super::retention::TOMBSTONE_DAYS`]. Returns removals per source,
    /// sorted by source.
    fn apply_retention(
        &mut self,
        rule_of: &dyn Fn(&str) -> RetentionConfig,
    ) -> Result<Vec<(String, u64)>, StoreError>;

    /// Up to `limit` stories with ids above `after_id`, by id, every
    /// column (for `store copy`).
    fn export_stories(&self, after_id: i64, limit: usize) -> Result<Vec<StoryRecord>, StoreError>;

    /// Inserts copied stories with their ids, clusters and tags, and
    /// their full-text and band rows, in one transaction.
    fn import_stories(&mut self, stories: &[StoryRecord]) -> Result<(), StoreError>;

    /// The largest story id, if any story is stored.
    fn max_story_id(&self) -> Result<Option<i64>, StoreError>;

    /// Source states, validators and tombstones.
    fn export_side_tables(&self) -> Result<SideTables, StoreError>;

    /// Writes copied source states, validators and tombstones over what
    /// is stored under the same keys.
    fn import_side_tables(&mut self, tables: &SideTables) -> Result<(), StoreError>;

    /// The backend itself, for tests that look inside it.
    #[cfg(test)]
    fn as_any(&self) -> &dyn std::any::Any;
}
