//! The store's turn and the group-commit write queue: how the pipeline's
//! async code reaches the store.
//!
//! One connection writes the store, so store work takes turns: a
//! one-permit semaphore held across a blocking thread's work keeps stories
//! waiting on the async side instead of each parking a blocking thread on
//! the store's lock. Every store call of a run (freshness lookups,
//! validators, the run's record, the scheduler's read of a source's state)
//! goes through [`StoreWriter::with_store`].
//!
//! Stories are not written one transaction each: the store's CPU a story
//! falls steeply with the transaction's size (FTS5 sorts and writes every
//! distinct term of a transaction once, at its commit, and stories share
//! most of their terms; docs/BENCHMARKS.md, "Stages"). A story ready for
//! the store joins a queue; whoever finds a batch due and the turn free
//! writes it. The rules, in [`StoreWriter::write_is_due`]:
//! * a full batch ([`MAX_WRITE_BATCH`]) is due;
//! * a story that waited [`MAX_WRITE_WAIT`] makes the queue due, so slow
//!   wires still see their stories soon;
//! * near the end of the runs (fewer stories to come than wait) a batch of
//!   [`MIN_EARLY_BATCH`] is due, so the last commit is small;
//! * every run flushes the queue at its end ([`StoreWriter::flush`]).
//!
//! A story waits for the store only when [`MAX_QUEUED`] wait, which bounds
//! pages held in memory. The queue's length is the `/metrics` gauge
//! `polywire_write_queue_stories`: a queue that stays near [`MAX_QUEUED`]
//! says the store, not the wires or the CPU lanes, is what holds up ingest.

use super::backlog::Backlog;
use crate::poison::lock;
use crate::store::{Store, StoreError, StoryRow, Upsert};
use jiff::Timestamp;
use prometheus_client::metrics::gauge::Gauge;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, Semaphore, SemaphorePermit, oneshot};

/// Queued stories that make a write due. The writer shares the cores with
/// the CPU lanes and is the slowest part of an ingest, so batches are large
/// (docs/BENCHMARKS.md, "Stages", the batch-size table); a story still
/// waits at most [`MAX_WRITE_WAIT`] when stories come slowly.
pub const MAX_WRITE_BATCH: usize = 512;

/// Queued stories that make a write due near the end of the runs (see
/// [`StoreWriter::write_is_due`]): below it the store's CPU a story climbs
/// more than the shorter wait at the end saves.
pub const MIN_EARLY_BATCH: usize = 64;

/// How long a story may wait in the queue for others to fill its batch
/// (checked whenever a story joins; every run writes the rest at its end).
pub const MAX_WRITE_WAIT: Duration = Duration::from_secs(1);

/// Stories the write queue holds before a story waits for the store: two
/// batches, so the lanes go on through a commit (or a checkpoint's fsync
/// on a busy disk), and pages in memory stay bounded (docs/BENCHMARKS.md,
/// "End to end", peak memory).
pub const MAX_QUEUED: usize = 2 * MAX_WRITE_BATCH;

/// Stories written in one transaction at most. While the writer is busy
/// the queue grows past [`MAX_WRITE_BATCH`], and the writer then takes it
/// all in one transaction (FTS5's pending-terms hash is sized for this,
/// see store/sqlite/schema.rs).
pub const MAX_TRANSACTION: usize = MAX_QUEUED;

/// Where a queued story's outcome comes, once its transaction committed.
pub type Written = oneshot::Receiver<Result<Upsert, StoreError>>;

/// The store's turn, the queue of stories waiting to be written, and the
/// count of stories still to come. Shared by every run of a pipeline.
pub struct StoreWriter {
    /// Store work: one at a time.
    turn: Semaphore,
    /// Stories ready to be written, taken together by whoever holds the
    /// store's turn next.
    pending: Mutex<Vec<PendingWrite>>,
    /// Told whenever the writer takes the queue, for stories waiting for
    /// room in a full queue.
    taken: Notify,
    /// Stories the running runs will still queue: near the end of a bulk
    /// ingest the writer stops waiting for full batches.
    backlog: Backlog,
    /// Stories in `pending`, for `/metrics`. Raised and lowered by what
    /// this writer adds and takes (not set), so writers sharing the
    /// process's gauge add up.
    queued: Gauge,
}

/// A story waiting for the store, and where its outcome goes.
struct PendingWrite {
    row: StoryRow,
    item_updated: Option<Timestamp>,
    queued_at: Instant,
    done: oneshot::Sender<Result<Upsert, StoreError>>,
}

impl std::fmt::Debug for StoreWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreWriter").finish_non_exhaustive()
    }
}

impl StoreWriter {
    /// A writer with an empty queue and a free turn, counted in the
    /// process's write-queue gauge.
    pub fn new() -> StoreWriter {
        StoreWriter::counted_in(crate::metrics::metrics().write_queue.clone())
    }

    /// A writer whose queue length is counted in `queued`.
    fn counted_in(queued: Gauge) -> StoreWriter {
        StoreWriter {
            turn: Semaphore::new(1),
            pending: Mutex::new(Vec::new()),
            taken: Notify::new(),
            backlog: Backlog::default(),
            queued,
        }
    }

    /// Stories the running runs will still queue.
    pub fn backlog(&self) -> &Backlog {
        &self.backlog
    }

    /// Runs blocking store work on a blocking thread, on the store's turn.
    pub async fn with_store<T: Send + 'static>(
        &self,
        store: &Arc<Mutex<Store>>,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = store.clone();
        // The semaphore is never closed.
        let _turn = self.turn.acquire().await.ok();
        tokio::task::spawn_blocking(move || work(&mut lock(&store)))
            .await
            .expect("store task panicked")
    }

    /// Puts a story in the write queue and returns where its outcome will
    /// come once its transaction committed.
    ///
    /// A story that finds a batch due while another is being written does
    /// not wait: the writer takes the next due batch when it is done. Only
    /// when [`MAX_QUEUED`] stories wait does a story wait, until the writer
    /// takes them, so a slow commit holds up the CPU lanes only once that
    /// much is queued.
    pub async fn queue(
        &self,
        store: &Arc<Mutex<Store>>,
        row: StoryRow,
        item_updated: Option<Timestamp>,
    ) -> Written {
        let (done, outcome) = oneshot::channel();
        let queued = {
            let mut pending = lock(&self.pending);
            pending.push(PendingWrite {
                row,
                item_updated,
                queued_at: Instant::now(),
                done,
            });
            self.queued.inc();
            pending.len()
        };
        if queued >= MAX_QUEUED {
            self.wait_for_room(store).await;
        } else if self.write_is_due()
            && let Ok(turn) = self.turn.try_acquire()
        {
            self.write_due_batches(store, turn).await;
        }
        outcome
    }

    /// Writes every queued story, due or not, on the store's turn (at the
    /// end of a run).
    pub async fn flush(&self, store: &Arc<Mutex<Store>>) {
        // The semaphore is never closed.
        let _turn = self.turn.acquire().await.ok();
        let batch = self.take_queue();
        if !batch.is_empty() {
            write(store, batch).await;
        }
    }

    /// With the queue full: waits until the writer has taken it (not until
    /// it is written, so the lanes go on while the batch commits), or
    /// writes it once the store's turn is free. Waiting for either matters:
    /// the turn may be held by other store work (another source's
    /// freshness lookup) that never takes the queue.
    async fn wait_for_room(&self, store: &Arc<Mutex<Store>>) {
        let taken = self.taken.notified();
        tokio::pin!(taken);
        // Registered before the check, so a take in between is not missed.
        taken.as_mut().enable();
        if lock(&self.pending).len() < MAX_QUEUED {
            return;
        }
        tokio::select! {
            _ = taken => {}
            // The semaphore is never closed.
            Ok(turn) = self.turn.acquire() => self.write_due_batches(store, turn).await,
        }
    }

    /// Empties the queue for writing and tells the stories waiting for room.
    fn take_queue(&self) -> Vec<PendingWrite> {
        let batch = {
            let mut pending = lock(&self.pending);
            self.queued
                .dec_by(i64::try_from(pending.len()).unwrap_or(i64::MAX));
            std::mem::take(&mut *pending)
        };
        self.taken.notify_waiters();
        batch
    }

    /// Whether the queue holds a full batch, a story that waited long
    /// enough, or the bulk of a run's last stories.
    ///
    /// The last: while the CPU lanes work, the writer commits in the
    /// background, but whatever is queued when they finish is committed
    /// with the lanes idle (up to [`MAX_QUEUED`] stories, a second or so
    /// on one core). Once fewer stories are still to come than wait, the
    /// writer stops waiting for full batches: each batch is then what came
    /// during the last commit, smaller each time, and so is the last.
    fn write_is_due(&self) -> bool {
        let pending = lock(&self.pending);
        pending.len() >= MAX_WRITE_BATCH
            || (pending.len() >= MIN_EARLY_BATCH && self.backlog.upcoming() < pending.len())
            || pending
                .first()
                .is_some_and(|w| w.queued_at.elapsed() >= MAX_WRITE_WAIT)
    }

    /// Writes batches while one is due, holding the store's turn.
    async fn write_due_batches(&self, store: &Arc<Mutex<Store>>, _turn: SemaphorePermit<'_>) {
        loop {
            let batch = self.take_queue();
            if batch.is_empty() {
                return;
            }
            write(store, batch).await;
            if !self.write_is_due() {
                return;
            }
        }
    }
}

/// Writes queued stories on a blocking thread; the caller holds the
/// store's turn.
async fn write(store: &Arc<Mutex<Store>>, batch: Vec<PendingWrite>) {
    let store = store.clone();
    // Runs to the end even if this task is dropped; a panic in it drops
    // the senders, which their stories report as a failure.
    let _ = tokio::task::spawn_blocking(move || write_batches(&mut lock(&store), batch)).await;
}

/// Writes the queued stories, [`MAX_TRANSACTION`] to a transaction, and
/// tells each its outcome. A transaction that fails is written again one
/// story at a time, so one bad story cannot fail the others.
fn write_batches(store: &mut Store, batch: Vec<PendingWrite>) {
    let mut batch = batch.into_iter().peekable();
    while batch.peek().is_some() {
        let chunk: Vec<PendingWrite> = batch.by_ref().take(MAX_TRANSACTION).collect();
        let rows: Vec<(&StoryRow, Option<Timestamp>)> =
            chunk.iter().map(|w| (&w.row, w.item_updated)).collect();
        match store.upsert_rows(&rows) {
            Ok(outcomes) => {
                for (write, outcome) in chunk.into_iter().zip(outcomes) {
                    let _ = write.done.send(Ok(outcome));
                }
            }
            Err(err) => {
                tracing::warn!(stories = chunk.len(), error = %err, "Batch write failed; writing its stories one by one.");
                for write in chunk {
                    let outcome = store.upsert_row(&write.row, write.item_updated);
                    let _ = write.done.send(outcome);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Classification};

    fn row(n: usize) -> StoryRow {
        let article = Article {
            url: format!("https://wire.example/story/{n}"),
            source: "wire".into(),
            title: format!("Story number {n}"),
            lang: "en".into(),
            body: vec![format!("The body of story {n}.")],
            published: Timestamp::from_second(1_700_000_000 + n as i64).ok(),
            ..Article::default()
        };
        StoryRow::new(article, Classification::default()).unwrap()
    }

    #[tokio::test]
    async fn the_gauge_follows_the_queue_until_its_stories_are_written() {
        let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
        let gauge = Gauge::default();
        let writer = StoreWriter::counted_in(gauge.clone());
        // Fewer than a batch, and none waited a second: the queue is not
        // due, so the stories stay queued.
        let mut outcomes = Vec::new();
        for n in 0..3 {
            outcomes.push(writer.queue(&store, row(n), None).await);
        }
        assert_eq!(gauge.get(), 3);
        assert_eq!(lock(&store).count().unwrap(), 0);

        writer.flush(&store).await;
        assert_eq!(gauge.get(), 0);
        for outcome in outcomes {
            assert!(outcome.await.unwrap().is_ok());
        }
        assert_eq!(lock(&store).count().unwrap(), 3);
    }
}
