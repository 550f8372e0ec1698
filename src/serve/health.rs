//! `/healthz`: is the daemon producing news?
//!
//! A source is *in trouble* after [`TROUBLE_AFTER`] consecutive failed
//! runs. The daemon is `ready` (200) when the store answers and not every
//! source that has run is in trouble; otherwise `degraded` (503). One dead
//! wire out of many shows in `sources` without failing the health check,
//! so an orchestrator does not restart a daemon that cannot fix a remote
//! outage.

use crate::config::Config;
use crate::store::{SourceState, Store};
use serde::Serialize;

/// Consecutive failures after which a source counts as in trouble.
pub const TROUBLE_AFTER: u32 = 3;

/// One source in the health report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceHealth {
    /// Source id.
    pub id: String,
    /// Start of the last run (RFC 3339), `null` before the first.
    pub last_run: Option<String>,
    /// `ok`, `not_modified` or a failure reason code.
    pub last_status: Option<String>,
    /// What went wrong in the last run, in words (the URL and the cause),
    /// so the operator sees why without reading the logs; `null` when it
    /// went well.
    pub last_error: Option<String>,
    /// Consecutive failed runs.
    pub failures: u32,
    /// When the next run is due (RFC 3339).
    pub next_run: Option<String>,
    /// `failures >= 3`.
    pub in_trouble: bool,
}

/// The `/healthz` body.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Health {
    /// `ready` or `degraded`.
    pub status: &'static str,
    /// Stories stored, when the store answered.
    pub stories: Option<u64>,
    /// The store's error, when it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store_error: Option<String>,
    /// Every configured source plus any other that has run.
    pub sources: Vec<SourceHealth>,
}

impl Health {
    /// True when the report means "ready".
    pub fn is_ready(&self) -> bool {
        self.status == "ready"
    }
}

/// Builds the report from the store and the configured sources.
pub fn check(config: &Config, store: &Store) -> Health {
    let (states, stories, store_error) = match (store.source_states(), store.count()) {
        (Ok(states), Ok(count)) => (states, Some(count), None),
        (Err(e), _) | (_, Err(e)) => (Vec::new(), None, Some(e.to_string())),
    };
    let mut sources: Vec<SourceHealth> = config
        .sources
        .iter()
        .map(|s| {
            let state = states.iter().find(|st| st.id == s.id);
            source_health(&s.id, state)
        })
        .collect();
    for state in &states {
        if !sources.iter().any(|s| s.id == state.id) {
            sources.push(source_health(&state.id, Some(state)));
        }
    }
    let ran: Vec<&SourceHealth> = sources.iter().filter(|s| s.last_run.is_some()).collect();
    let all_in_trouble = !ran.is_empty() && ran.iter().all(|s| s.in_trouble);
    let status = if store_error.is_none() && !all_in_trouble {
        "ready"
    } else {
        "degraded"
    };
    Health {
        status,
        stories,
        store_error,
        sources,
    }
}

fn source_health(id: &str, state: Option<&SourceState>) -> SourceHealth {
    let ts = |t: Option<jiff::Timestamp>| t.map(crate::emit::rfc3339);
    SourceHealth {
        id: id.to_string(),
        last_run: ts(state.and_then(|s| s.last_run)),
        last_status: state.and_then(|s| s.last_status.clone()),
        last_error: state.and_then(|s| s.last_error.clone()),
        failures: state.map_or(0, |s| s.failures),
        next_run: ts(state.and_then(|s| s.next_run)),
        in_trouble: state.is_some_and(|s| s.failures >= TROUBLE_AFTER),
    }
}
