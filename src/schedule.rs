//! Scheduling: each source's cron expression drives one tokio task.
//!
//! * One task per source, so a source never runs twice at once; a per-source
//!   lock keeps that true across a configuration reload too.
//! * When a source runs next is [`cadence::next_run`]'s rule (its cron,
//!   backoff after failures, a server's Retry-After).
//! * Shutdown stops new runs at once; a run in flight finishes the story it
//!   is storing and stops.

use crate::cadence;
use crate::config::SourceConfig;
use crate::pipeline::Pipeline;
use crate::poison;
use jiff::Timestamp;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

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
        let lock = poison::lock(&locks)
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
        let id = source.id.clone();
        let state = pipeline
            .with_store(move |store| store.source_state(&id))
            .await
            .ok()
            .flatten();
        let failures = state.as_ref().map(|s| s.failures).unwrap_or(0);
        // The recorded next run may be later than the schedule says (a
        // server's Retry-After); it is never earlier than now.
        let recorded = state
            .and_then(|s| s.next_run)
            .filter(|t| *t > Timestamp::now());
        let Some(next) = cadence::next_run(
            &source,
            Timestamp::now(),
            failures,
            None,
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
