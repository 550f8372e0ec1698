//! Concurrency bounds and per-host pacing, so callers can simply call
//! `fetch()` from many tasks at once.
//!
//! A request enters through [`Gate::enter`]: first a per-host permit
//! (`per_host_concurrency`), then the host's start lock, where it sleeps
//! until the host's minimum delay since the previous start has passed, then
//! a global permit (`concurrency`). The start lock is held while waiting for
//! the global permit, so starts to one host are always at least the delay
//! apart, and sleeping for one host never holds a global permit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Hosts remembered before idle ones are forgotten.
const PRUNE_ABOVE: usize = 4096;

/// The global bound plus one lane per host.
#[derive(Debug)]
pub struct Gate {
    global: Arc<Semaphore>,
    per_host: usize,
    lanes: Mutex<HashMap<String, Arc<Lane>>>,
}

#[derive(Debug)]
struct Lane {
    permits: Arc<Semaphore>,
    last_start: tokio::sync::Mutex<Option<Instant>>,
}

/// Held while a request is in flight; dropping it frees both permits.
#[derive(Debug)]
pub struct Pass {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl Gate {
    /// `concurrency` requests at once overall, `per_host` to one host.
    pub fn new(concurrency: usize, per_host: usize) -> Gate {
        Gate {
            global: Arc::new(Semaphore::new(concurrency.max(1))),
            per_host: per_host.max(1),
            lanes: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a request to `host` may start, `delay` after the previous
    /// start to that host.
    pub async fn enter(&self, host: &str, delay: Duration) -> Pass {
        let lane = self.lane(host);
        // The semaphores are never closed, so acquiring cannot fail.
        let host_permit = Arc::clone(&lane.permits)
            .acquire_owned()
            .await
            .expect("host semaphore is never closed");
        let mut last_start = lane.last_start.lock().await;
        // Only sleep when the delay has not passed yet: a timer wait, even an
        // elapsed one, costs a timer tick per request.
        let ready_at = last_start.map(|previous| previous + delay);
        if let Some(ready_at) = ready_at.filter(|at| *at > Instant::now()) {
            tokio::time::sleep_until(ready_at).await;
        }
        let global = Arc::clone(&self.global)
            .acquire_owned()
            .await
            .expect("global semaphore is never closed");
        *last_start = Some(Instant::now());
        Pass {
            _host: host_permit,
            _global: global,
        }
    }

    fn lane(&self, host: &str) -> Arc<Lane> {
        let mut lanes = self.lanes.lock().unwrap_or_else(|e| e.into_inner());
        if lanes.len() > PRUNE_ABOVE {
            // Forget hosts nobody is waiting on; their delay has long passed
            // for all but the busiest few, a harmless loss.
            lanes.retain(|_, lane| Arc::strong_count(lane) > 1);
        }
        let lane = lanes.entry(host.to_string()).or_insert_with(|| {
            Arc::new(Lane {
                permits: Arc::new(Semaphore::new(self.per_host)),
                last_start: tokio::sync::Mutex::new(None),
            })
        });
        Arc::clone(lane)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn starts_to_one_host_are_spaced_and_other_hosts_are_not() {
        let gate = Arc::new(Gate::new(8, 2));
        let delay = Duration::from_millis(150);
        let t0 = Instant::now();
        let mut tasks = Vec::new();
        for host in ["a", "a", "a", "b"] {
            let gate = Arc::clone(&gate);
            tasks.push(tokio::spawn(async move {
                let _pass = gate.enter(host, delay).await;
                (host, Instant::now() - t0)
            }));
        }
        let mut a_starts = Vec::new();
        for task in tasks {
            let (host, at) = task.await.unwrap();
            match host {
                "a" => a_starts.push(at),
                _ => assert!(at < delay, "host b must not wait for a: {at:?}"),
            }
        }
        a_starts.sort();
        assert!(a_starts[0] < delay, "{a_starts:?}");
        assert!(
            a_starts[1] >= delay && a_starts[2] >= delay * 2,
            "{a_starts:?}"
        );
    }

    #[tokio::test]
    async fn global_bound_holds_across_hosts() {
        let gate = Gate::new(1, 2);
        let first = gate.enter("a", Duration::ZERO).await;
        let second =
            tokio::time::timeout(Duration::from_millis(100), gate.enter("b", Duration::ZERO));
        assert!(
            second.await.is_err(),
            "a second host got past a global bound of 1"
        );
        drop(first);
        let third =
            tokio::time::timeout(Duration::from_millis(100), gate.enter("b", Duration::ZERO));
        assert!(third.await.is_ok());
    }
}
