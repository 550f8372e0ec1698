//! The CPU lanes: one thread per core that runs stage work (extract,
//! normalize, classify) one story after another.
//!
//! Why not `spawn_blocking` behind a semaphore, as before: between two
//! stories a lane then waited for an async worker to wake the finished
//! task, drop its permit, and hand the next task to a blocking thread. With
//! the workers busy fetching, that round trip left a third of a core idle
//! (docs/BENCHMARKS.md, "Stages"). Here a lane that finishes a story takes the next
//! queued one itself.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, mpsc};

/// One unit of stage work with its reply channel inside.
type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads taking jobs from one queue.
pub struct CpuLanes {
    jobs: mpsc::Sender<Job>,
    /// Threads started; 0 if none could be, and then jobs go to tokio's
    /// blocking pool instead.
    threads: usize,
}

impl CpuLanes {
    /// Starts `threads` lanes. They end when the `CpuLanes` is dropped.
    pub fn new(threads: usize) -> CpuLanes {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let mut started = 0;
        for i in 0..threads.max(1) {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("polywire-cpu-{i}"))
                .spawn(move || run_lane(&queue));
            match spawned {
                Ok(_) => started += 1,
                Err(err) => tracing::error!(error = %err, "Cannot start a CPU lane thread."),
            }
        }
        CpuLanes {
            jobs,
            threads: started,
        }
    }

    /// Runs `work` on a lane and waits for it. `None` if it panicked (the
    /// panic is printed by the panic hook; the lane goes on).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        if self.threads == 0 {
            return tokio::task::spawn_blocking(work).await.ok();
        }
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // A story whose run was cancelled while it waited is not done.
            if done.is_closed() {
                return;
            }
            let _ = done.send(catch_unwind(AssertUnwindSafe(work)).ok());
        });
        self.jobs.send(job).ok()?;
        result.await.ok().flatten()
    }
}

/// A lane's loop: the next job, until the queue's sender is gone.
fn run_lane(queue: &Mutex<mpsc::Receiver<Job>>) {
    yield_to_the_rest();
    loop {
        // The guard is released as soon as a job is taken; a panic inside a
        // job is caught there, so the lock is never poisoned by one.
        let job = match crate::poison::lock(queue).recv() {
            Ok(job) => job,
            Err(mpsc::RecvError) => return,
        };
        job();
    }
}

/// How much the lanes defer to the process's other threads (a nice value).
///
/// The lanes keep every core busy for as long as stories come, so the
/// store's writer and the async threads (fetching, serving feeds) would
/// get only a share of a core beside them. The writer then falls behind
/// during a bulk ingest and commits its backlog alone after the lanes are
/// done; at 10 it gets a core when it has work and the lanes take the rest,
/// and the cores stay busier through an ingest (docs/bench-log/2026-12-01.md,
/// fifth session). Readers of the feeds wait less for the same reason.
const LANE_NICENESS: i32 = 10;

/// Lowers the calling lane thread's priority to [`LANE_NICENESS`]; on
/// Linux a nice value is a thread's own. Raising it needs no privilege,
/// and a failure only leaves the lane as it was.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn yield_to_the_rest() {
    // SAFETY: setpriority only reads its integer arguments; `who` 0 is the
    // calling thread.
    let failed = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, LANE_NICENESS) } != 0;
    if failed {
        tracing::debug!(error = %std::io::Error::last_os_error(), "CPU lane keeps its priority.");
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn yield_to_the_rest() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_jobs_and_survives_a_panic() {
        let lanes = CpuLanes::new(2);
        assert_eq!(lanes.run(|| 2 + 2).await, Some(4));
        let panicked: Option<()> = lanes.run(|| panic!("a bad page")).await;
        assert_eq!(panicked, None);
        // Both lanes still work after the panic.
        let (a, b) = tokio::join!(lanes.run(|| 1), lanes.run(|| 2));
        assert_eq!((a, b), (Some(1), Some(2)));
    }

    #[tokio::test]
    async fn lanes_run_side_by_side() {
        let lanes = Arc::new(CpuLanes::new(2));
        let barrier = Arc::new(std::sync::Barrier::new(2));
        // Each job waits for the other: this only finishes if two lanes
        // run at once.
        let jobs = (0..2).map(|i| {
            let (lanes, barrier) = (lanes.clone(), barrier.clone());
            async move {
                lanes
                    .run(move || {
                        barrier.wait();
                        i
                    })
                    .await
            }
        });
        let done = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            futures_util::future::join_all(jobs),
        )
        .await
        .expect("two lanes did not run at once");
        assert_eq!(done, [Some(0), Some(1)]);
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[tokio::test]
    async fn lanes_run_below_the_other_threads() {
        // SAFETY: getpriority only reads its integer arguments.
        let priority = || unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        let before = priority();
        let lanes = CpuLanes::new(1);
        let lane = lanes.run(priority).await.expect("the job ran");
        // A runner already niced beyond 10 cannot raise a lane back to 10.
        assert_eq!(lane, LANE_NICENESS.max(before));
        assert_eq!(priority(), before, "only the lane's own priority changes");
    }
}
