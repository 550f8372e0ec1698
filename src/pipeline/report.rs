//! What one run of one source did, and why a run could not read its index.

use crate::fetch::FetchError;
use crate::metrics;
use crate::store::{StoreError, Upsert};

/// What one run of one source did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Source id.
    pub source: String,
    /// `ok`, `not_modified`, `interrupted` or a failure reason code.
    pub status: String,
    /// The failure in words, when the index could not be read.
    pub error: Option<String>,
    /// Entries found in the index.
    pub entries: usize,
    /// Stories stored for the first time.
    pub new: u64,
    /// Stories whose content changed.
    pub updated: u64,
    /// Stories fetched again but unchanged, or skipped as already fresh.
    pub unchanged: u64,
    /// Stories that failed (page fetch or store error), each logged.
    pub failed: u64,
    /// How long the server asked us to wait before the next attempt.
    pub retry_after: Option<std::time::Duration>,
    /// Rules that matched nothing (a `links` selector that selected no
    /// link): the run is `degraded`, not failed, and says which rule.
    pub warnings: Vec<String>,
}

impl RunReport {
    pub(super) fn count(&mut self, outcome: StoryOutcome) {
        match outcome {
            StoryOutcome::Stored(Upsert::New(_)) => self.new += 1,
            StoryOutcome::Stored(Upsert::Updated(_)) => self.updated += 1,
            StoryOutcome::Stored(Upsert::Unchanged(_) | Upsert::Retired) | StoryOutcome::Fresh => {
                self.unchanged += 1
            }
            StoryOutcome::Failed => self.failed += 1,
        }
    }

    /// Counts the run in `/metrics`: its status, its stories by outcome,
    /// and how long it `took`.
    pub(super) fn count_in_metrics(&self, took: std::time::Duration) {
        let id = self.source.as_str();
        metrics::count(
            "polywire_runs_total",
            &[("source", id), ("status", &self.status)],
            1,
        );
        for (outcome, n) in [
            ("new", self.new),
            ("updated", self.updated),
            ("duplicate", self.unchanged),
            ("failed", self.failed),
        ] {
            if n > 0 {
                metrics::count(
                    "polywire_stories_total",
                    &[("source", id), ("outcome", outcome)],
                    n,
                );
            }
        }
        metrics::observe("polywire_run_duration_seconds", &[("source", id)], took);
    }

    /// True when the index itself could not be read.
    pub fn is_failure(&self) -> bool {
        self.error.is_some()
    }
}

/// How one story ended.
pub(super) enum StoryOutcome {
    Stored(Upsert),
    Fresh,
    Failed,
}

/// Why a run could not read its index.
#[derive(Debug, thiserror::Error)]
pub(super) enum RunError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("index unreadable: {0}")]
    Extract(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RunError {
    pub(super) fn reason(&self) -> String {
        match self {
            RunError::Fetch(e) => e.reason(),
            RunError::Extract(_) => "parse_error".into(),
            RunError::Store(_) => "store_error".into(),
        }
    }
}
