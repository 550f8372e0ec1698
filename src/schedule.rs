//! Scheduling: each source's cron expression drives one tokio task.
//!
//! * One task per source, so a source never runs twice at once; a per-source
//!   lock keeps that true across a configuration reload too.
//! * Consecutive failures push the next attempt out exponentially, capped by
//!   `[limits] max_backoff_secs`, so a broken wire is not hammered.
//! * Shutdown stops new runs at once; a run in flight finishes the story it
//!   is storing and stops.

use crate::config::{LimitsConfig, SourceConfig};
use crate::pipeline::Pipeline;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// First backoff step after a failure; doubled per further failure.
const BACKOFF_BASE_SECS: i64 = 60;

/// When a source should next run: the next cron tick after `now`, or later
/// when it has been failing.
pub fn next_run(
    source: &SourceConfig,
    now: Timestamp,
    failures: u32,
    limits: &LimitsConfig,
) -> Option<Timestamp> {
    let schedule = cron::Schedule::from_str(source.schedule.get_ref()).ok()?;
    let now_chrono = chrono::DateTime::<chrono::Utc>::from_timestamp(now.as_second(), 0)?;
    let tick = schedule.after(&now_chrono).next()?;
    let tick = Timestamp::from_second(tick.timestamp()).ok()?;
    if failures == 0 {
        return Some(tick);
    }
    let backoff = BACKOFF_BASE_SECS
        .saturating_mul(1i64 << (failures - 1).min(30))
        .min(limits.max_backoff_secs as i64);
    let pushed = now.checked_add(SignedDuration::from_secs(backoff)).ok()?;
    Some(tick.max(pushed))
}

/// Per-source locks shared across scheduler generations (reloads).
pub type SourceLocks = Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>;

/// Runs every enabled source on its schedule until `generation` is
/// cancelled (a reload: runs in flight finish whole) or `shutdown` is (a
/// stop: runs in flight stop between stories), then waits for them.
pub async fn run(
    pipeline: Pipeline,
    locks: SourceLocks,
    generation: CancellationToken,
    shutdown: CancellationToken,
) {
    let mut tasks = JoinSet::new();
    for source in pipeline
        .config
        .sources
        .iter()
        .filter(|s| s.enabled)
        .cloned()
    {
        let pipeline = pipeline.clone();
        let generation = generation.clone();
        let shutdown = shutdown.clone();
        let lock = locks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(source.id.clone())
            .or_default()
            .clone();
        tasks.spawn(async move { source_loop(pipeline, source, lock, generation, shutdown).await });
    }
    while let Some(result) = tasks.join_next().await {
        if let Err(err) = result {
            tracing::error!(error = %err, "A source task ended abnormally.");
        }
    }
}

async fn source_loop(
    pipeline: Pipeline,
    source: SourceConfig,
    lock: Arc<tokio::sync::Mutex<()>>,
    generation: CancellationToken,
    shutdown: CancellationToken,
) {
    loop {
        let state = {
            let store = pipeline.store.lock().unwrap_or_else(|e| e.into_inner());
            store.source_state(&source.id).ok().flatten()
        };
        let failures = state.as_ref().map(|s| s.failures).unwrap_or(0);
        // The recorded next run may be later than the schedule says (a
        // server's Retry-After); it is never earlier than now.
        let recorded = state
            .and_then(|s| s.next_run)
            .filter(|t| *t > Timestamp::now());
        let Some(next) = next_run(
            &source,
            Timestamp::now(),
            failures,
            &pipeline.config.daemon.limits,
        ) else {
            tracing::error!(source = %source.id, "Schedule yields no next run; source stopped.");
            return;
        };
        let next = recorded.map_or(next, |r| r.max(next));
        let wait = Timestamp::now().duration_until(next).unsigned_abs();
        tracing::debug!(source = %source.id, next = %next, "Source scheduled.");
        tokio::select! {
            _ = generation.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        let _running = tokio::select! {
            _ = generation.cancelled() => return,
            guard = lock.lock() => guard,
        };
        pipeline.run_source(&source, &shutdown).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(schedule: &str) -> SourceConfig {
        toml::from_str(&format!(
            "id = \"s\"\nname = \"S\"\nlanguage = \"en\"\ntimezone = \"UTC\"\nschedule = \"{schedule}\"\n[index]\nkind = \"rss\"\nurl = \"https://e.com/\"\n"
        ))
        .unwrap()
    }

    #[test]
    fn next_tick_and_backoff() {
        let limits = LimitsConfig::default();
        let s = source("0 */15 * * * *");
        let now: Timestamp = "2026-11-29T10:07:30Z".parse().unwrap();
        assert_eq!(
            next_run(&s, now, 0, &limits).unwrap().to_string(),
            "2026-11-29T10:15:00Z"
        );
        // Three failures: 4 minutes of backoff is still before the tick.
        assert_eq!(
            next_run(&s, now, 3, &limits).unwrap().to_string(),
            "2026-11-29T10:15:00Z"
        );
        // Six failures: 32 minutes, past the tick.
        assert_eq!(
            next_run(&s, now, 6, &limits).unwrap().to_string(),
            "2026-11-29T10:39:30Z"
        );
        // Capped at max_backoff_secs.
        let capped = next_run(&s, now, 40, &limits).unwrap();
        assert_eq!(
            capped.duration_since(now).as_secs(),
            limits.max_backoff_secs as i64
        );
    }
}
