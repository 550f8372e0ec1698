//! `/sources`: each wire's last run, status, new and updated counts,
//! next run, consecutive failures and last error, from the run state the
//! pipeline records (the same the `/healthz` report reads).

use crate::config::Config;
use crate::emit::html::{self, SourceRow, SourcesPage};
use crate::serve::health::TROUBLE_AFTER;
use crate::store::{SourceState, Store};
use jiff::Timestamp;

/// The sources page as HTML. A store that does not answer is said on
/// the page, with the configured sources still listed.
pub fn sources_page(config: &Config, store: &Store, now: Timestamp) -> String {
    let (states, stories, store_error) = match (store.source_states(), store.count()) {
        (Ok(states), Ok(count)) => (states, Some(count), None),
        (Err(e), _) | (_, Err(e)) => {
            tracing::warn!(error = %e, "The sources page cannot read the store.");
            (Vec::new(), None, Some(e.to_string()))
        }
    };
    let row = |id: &str, name: &str, enabled: bool, configured: bool| {
        let state = states.iter().find(|s| s.id == id);
        let SourceState {
            last_run,
            last_status,
            last_error,
            stories_new,
            stories_updated,
            failures,
            next_run,
            ..
        } = state.cloned().unwrap_or_default();
        SourceRow {
            id: id.to_string(),
            name: name.to_string(),
            enabled,
            configured,
            last_run,
            last_status,
            stories_new,
            stories_updated,
            next_run,
            failures,
            last_error,
        }
    };
    let mut sources: Vec<SourceRow> = config
        .sources
        .iter()
        .map(|s| row(&s.id, &s.name, s.enabled, true))
        .collect();
    // A wire removed from the configuration keeps its last state in the
    // store: listed last, so a stale row is not mistaken for a live one.
    for state in &states {
        if !config.sources.iter().any(|s| s.id == state.id) {
            sources.push(row(&state.id, &state.id, false, false));
        }
    }
    html::write_sources(&SourcesPage {
        sources,
        stories,
        store_error,
        trouble_after: TROUBLE_AFTER,
        now,
    })
}
