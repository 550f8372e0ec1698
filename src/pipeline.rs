//! One source's way through every stage: fetch the index, read its entries,
//! fetch and extract the story pages that need it, normalize, classify and
//! store the stories, those ready together in one transaction.
//!
//! Ordering rules, enforced here:
//! * The index's validators are saved only after every story of the run
//!   was handled, so a run cut short (crash, shutdown) fetches the index again
//!   next time instead of getting a 304 and missing the rest.
//! * A story page already stored is not fetched again unless its feed item
//!   says it changed.
//! * Shutdown is checked between stories: a story being stored is finished,
//!   no new one is started.

mod backlog;
mod cpu;

use crate::classify::{Taxonomy, classify};
use crate::config::{Config, IndexKind, SourceConfig};
use crate::extract;
use crate::extract::Sitemap;
use crate::fetch::{FetchError, FetchRequest, FetchResponse, Fetcher};
use crate::metrics;
use crate::model::{ExtractedArticle, IndexEntry, RawDocument};
use crate::normalize::{NormalizeContext, normalize_story};
use crate::store::{SourceState, Store, StoreError, StoryRow, Upsert, Validators};
use futures_util::StreamExt;
use jiff::Timestamp;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

/// Child sitemaps of a sitemap index fetched per run at most.
const MAX_CHILD_SITEMAPS: usize = 5;

/// Everything a run needs, shared by all sources.
#[derive(Clone)]
pub struct Pipeline {
    /// Configuration in force.
    pub config: Arc<Config>,
    /// Taxonomy in force.
    pub taxonomy: Arc<Taxonomy>,
    /// HTTP client.
    pub fetcher: Fetcher,
    /// The store, written by one story at a time.
    pub store: Arc<Mutex<Store>>,
    /// Called after a run stored or changed stories (cache invalidation).
    pub on_change: Arc<dyn Fn() + Send + Sync>,
    /// Who may use which blocking threads.
    pub lanes: Arc<Lanes>,
    /// `fetch --force`: send no validators and fetch every page again, even
    /// those stored and unchanged.
    pub force: bool,
}

/// Bounds on the blocking threads a pipeline's runs use, shared by all
/// sources.
pub struct Lanes {
    /// CPU-bound stage work (extract, normalize, classify): one thread per
    /// core. More would only queue on the cores; fewer would leave a core
    /// idle. Pages wait in its queue, at most `concurrency` of them.
    cpu: cpu::CpuLanes,
    /// Store work: one at a time, since one connection writes anyway. It
    /// keeps stories waiting for the store on the async side instead of
    /// each parking a blocking thread on the store's lock.
    store: Semaphore,
    /// Stories ready to be written, taken together by whoever holds the
    /// store's turn next ([`Pipeline::queue_write`]).
    pending: Mutex<Vec<PendingWrite>>,
    /// Told whenever the writer takes the queue, for stories waiting for
    /// room in a full queue.
    taken: tokio::sync::Notify,
    /// Stories the running runs will still queue: near the end of a bulk
    /// ingest the writer stops waiting for full batches.
    backlog: backlog::Backlog,
}

/// A story waiting for the store, and where its outcome goes.
struct PendingWrite {
    row: StoryRow,
    item_updated: Option<Timestamp>,
    queued_at: std::time::Instant,
    done: tokio::sync::oneshot::Sender<Result<Upsert, StoreError>>,
}

/// Queued stories that make a write due. The store's CPU a story falls
/// steeply with the transaction's size: FTS5 sorts and writes every
/// distinct term of a transaction once at its commit, and stories share
/// most of their terms (stages bench: 1.1 ms a story at 64 a transaction,
/// 0.8 at 256, 0.6 at 1,024). The writer shares the cores with the lanes
/// and is the slowest part of an ingest, so batches are large; a story
/// still waits at most [`MAX_WRITE_WAIT`] when stories come slowly.
const MAX_WRITE_BATCH: usize = 512;

/// Queued stories that make a write due near the end of the runs (see
/// [`Pipeline::write_is_due`]): below it the store's CPU a story climbs
/// more than the shorter wait at the end saves.
const MIN_EARLY_BATCH: usize = 64;

/// Stories written in one transaction at most. While the writer is busy
/// the queue grows past [`MAX_WRITE_BATCH`], and the writer then takes it
/// all in one transaction (FTS5's pending-terms hash is sized for this,
/// see schema.rs; docs/BENCHMARKS.md).
const MAX_TRANSACTION: usize = MAX_QUEUED;

/// How long a story may wait in the queue for others to fill its batch
/// (checked whenever a story joins; every run writes the rest at its end).
const MAX_WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Stories the write queue holds before a story waits for the store: two
/// batches, so the lanes go on through a commit (or a checkpoint's fsync
/// on a busy disk), and pages in memory stay bounded (the e2e bench's
/// fetch peaks at 152–168 MiB with it, docs/BENCHMARKS.md).
const MAX_QUEUED: usize = 2 * MAX_WRITE_BATCH;

impl std::fmt::Debug for Lanes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lanes").finish_non_exhaustive()
    }
}

impl Lanes {
    /// One CPU lane per core and one store lane.
    pub fn per_core() -> Arc<Lanes> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Arc::new(Lanes {
            cpu: cpu::CpuLanes::new(cores),
            store: Semaphore::new(1),
            pending: Mutex::new(Vec::new()),
            taken: tokio::sync::Notify::new(),
            backlog: backlog::Backlog::default(),
        })
    }
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline").finish_non_exhaustive()
    }
}

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
    fn count(&mut self, outcome: StoryOutcome) {
        match outcome {
            StoryOutcome::Stored(Upsert::New(_)) => self.new += 1,
            StoryOutcome::Stored(Upsert::Updated(_)) => self.updated += 1,
            StoryOutcome::Stored(Upsert::Unchanged(_) | Upsert::Retired) | StoryOutcome::Fresh => {
                self.unchanged += 1
            }
            StoryOutcome::Failed => self.failed += 1,
        }
    }

    /// True when the index itself could not be read.
    pub fn is_failure(&self) -> bool {
        self.error.is_some()
    }
}

/// How one story ended.
enum StoryOutcome {
    Stored(Upsert),
    Fresh,
    Failed,
}

/// Where one story is once its CPU work is done: ended, or waiting in the
/// write queue for its transaction (the future resolves after the commit).
enum Staged {
    Done(StoryOutcome),
    Queued(futures_util::future::BoxFuture<'static, StoryOutcome>),
}

impl Pipeline {
    /// Runs one source once. Never panics on bad input: failures are in the report.
    pub async fn run_source(
        &self,
        source: &SourceConfig,
        shutdown: &CancellationToken,
    ) -> RunReport {
        let started = Timestamp::now();
        let mut report = match self.run_inner(source, shutdown).await {
            Ok(report) => report,
            Err(err) => {
                tracing::warn!(source = %source.id, error = %err, "Source run failed.");
                RunReport {
                    source: source.id.clone(),
                    retry_after: match &err {
                        RunError::Fetch(fetch) => fetch.retry_after(),
                        _ => None,
                    },
                    status: err.reason(),
                    error: Some(err.to_string()),
                    ..RunReport::default()
                }
            }
        };
        report.source = source.id.clone();
        let id = source.id.as_str();
        metrics::count(
            "polywire_runs_total",
            &[("source", id), ("status", &report.status)],
            1,
        );
        for (outcome, n) in [
            ("new", report.new),
            ("updated", report.updated),
            ("duplicate", report.unchanged),
            ("failed", report.failed),
        ] {
            if n > 0 {
                metrics::count(
                    "polywire_stories_total",
                    &[("source", id), ("outcome", outcome)],
                    n,
                );
            }
        }
        metrics::observe(
            "polywire_run_duration_seconds",
            &[("source", id)],
            Timestamp::now().duration_since(started).unsigned_abs(),
        );
        if let Err(err) = self.record(source, started, &report) {
            tracing::error!(source = %source.id, error = %err, "Cannot record the run.");
        }
        if report.new + report.updated > 0 {
            (self.on_change)();
        }
        report
    }

    async fn run_inner(
        &self,
        source: &SourceConfig,
        shutdown: &CancellationToken,
    ) -> Result<RunReport, RunError> {
        let index_url = source.index.url.get_ref().clone();
        let key = Store::index_key(&source.id, &source.extraction_fingerprint(), &index_url);
        let validators = if self.force {
            Validators::default()
        } else {
            let key = key.clone();
            self.with_store(move |s| s.validators(&key)).await?
        };
        let request = FetchRequest {
            url: index_url.clone(),
            etag: validators.etag,
            last_modified: validators.last_modified,
            allow_private: source.allow_private_addresses,
            ignore_robots: source.ignore_robots,
        };
        let (doc, new_validators) = match self.fetch_counted(&source.id, &request).await? {
            FetchResponse::NotModified => {
                return Ok(RunReport {
                    status: "not_modified".into(),
                    ..RunReport::default()
                });
            }
            FetchResponse::Fetched {
                doc,
                etag,
                last_modified,
            } => (
                doc,
                Validators {
                    etag,
                    last_modified,
                },
            ),
        };
        let mut entries = self.read_index(source, &doc).await.inspect_err(|_| {
            metrics::count(
                "polywire_parse_failures_total",
                &[("source", &source.id)],
                1,
            );
        })?;
        // Tracking parameters would make one story look like many.
        for entry in &mut entries {
            if let Ok(url) = url::Url::parse(&entry.url) {
                entry.url = extract::article::url_clean::clean(&url).to_string();
            }
        }
        let limits = &self.config.daemon.limits;
        if entries.len() > limits.max_items_per_index {
            tracing::warn!(source = %source.id, found = entries.len(), kept = limits.max_items_per_index, "Index has too many entries; the rest are skipped.");
            entries.truncate(limits.max_items_per_index);
        }
        let mut report = RunReport {
            entries: entries.len(),
            status: "ok".into(),
            ..RunReport::default()
        };
        if entries.is_empty()
            && let Some(links) = &source.index.links
        {
            let warning = format!(
                "links selector `{}` selected no link on {}",
                links.get_ref(),
                doc.url
            );
            tracing::warn!(source = %source.id, %warning, "A rule matched nothing.");
            report.status = "degraded".into();
            report.warnings.push(warning);
        }
        entries.truncate(limits.max_stories_per_run);

        // Pages already stored (and not changed since, by their feed items)
        // are not fetched again: looked up for the whole index in one store
        // turn, so no story waits for the store before its fetch.
        if scrapes_pages(source) && !self.force {
            let keys: Vec<(String, Option<Timestamp>)> =
                entries.iter().map(|e| (e.url.clone(), e.updated)).collect();
            let fresh = self
                .with_store(move |s| {
                    keys.iter()
                        .map(|(url, updated)| s.is_fresh(url, *updated))
                        .collect::<Result<Vec<bool>, _>>()
                })
                .await?;
            let before = entries.len();
            let mut fresh = fresh.into_iter();
            entries.retain(|_| !fresh.next().unwrap_or(false));
            report.unchanged += (before - entries.len()) as u64;
        }

        let concurrency = self.config.daemon.fetch.concurrency.max(1);
        let backlog = self.lanes.backlog.run(entries.len());
        let mut outcomes = futures_util::stream::iter(entries.into_iter().map(|entry| {
            let this = self.clone();
            let source = source.clone();
            let shutdown = shutdown.clone();
            let ticket = backlog.story();
            async move {
                if shutdown.is_cancelled() {
                    return None;
                }
                Some(this.run_story(&source, entry, doc.fetched_at, ticket).await)
            }
        }))
        .buffer_unordered(concurrency);
        let mut interrupted = false;
        // Stories in the write queue; a slot of `concurrency` is free as
        // soon as its story is queued.
        let mut queued = futures_util::stream::FuturesUnordered::new();
        loop {
            tokio::select! {
                staged = outcomes.next() => match staged {
                    None => break,
                    Some(None) => interrupted = true,
                    Some(Some(Staged::Done(outcome))) => report.count(outcome),
                    Some(Some(Staged::Queued(stored))) => queued.push(stored),
                },
                Some(outcome) = queued.next(), if !queued.is_empty() => report.count(outcome),
            }
        }
        // Every story of the run is written before the run ends.
        self.flush_writes().await;
        while let Some(outcome) = queued.next().await {
            report.count(outcome);
        }
        if interrupted {
            report.status = "interrupted".into();
        } else if report.entries > 0 && report.new + report.updated + report.unchanged == 0 {
            // Nothing stored from a non-empty index: the next run must read
            // it again rather than hear that it has not changed.
            tracing::info!(source = %source.id, "Index validators not kept: the run stored nothing.");
        } else {
            self.with_store(move |s| s.save_validators(&key, &new_validators))
                .await?;
        }
        tracing::info!(source = %source.id, entries = report.entries, new = report.new, updated = report.updated,
            unchanged = report.unchanged, failed = report.failed, status = %report.status, "Source run finished.");
        Ok(report)
    }

    /// The entries of an index document. A sitemap index is followed one
    /// level down, newest children first, within the story budget.
    async fn read_index(
        &self,
        source: &SourceConfig,
        doc: &RawDocument,
    ) -> Result<Vec<IndexEntry>, RunError> {
        let zone = source.timezone.get_ref();
        if source.index.kind != IndexKind::Sitemap {
            let links = source.index.links.as_ref().map(|l| l.get_ref().as_str());
            return extract::parse_index(doc, source.index.kind, links, zone)
                .map_err(|e| RunError::Extract(e.to_string()));
        }
        let children = match extract::parse_sitemap(doc, zone) {
            Ok(Sitemap::Urls(entries)) => return Ok(entries),
            Ok(Sitemap::Index(children)) => children,
            // A source declared as a sitemap that serves a feed still works.
            Err(_) => {
                return extract::parse_index(doc, IndexKind::Rss, None, zone)
                    .map_err(|e| RunError::Extract(e.to_string()));
            }
        };
        let mut entries = Vec::new();
        let budget = self.config.daemon.limits.max_stories_per_run;
        for child in children.into_iter().take(MAX_CHILD_SITEMAPS) {
            if entries.len() >= budget {
                break;
            }
            let request = FetchRequest {
                url: child.clone(),
                allow_private: source.allow_private_addresses,
                ignore_robots: source.ignore_robots,
                ..FetchRequest::default()
            };
            match self.fetch_counted(&source.id, &request).await {
                Ok(FetchResponse::Fetched { doc, .. }) => {
                    match extract::parse_sitemap(&doc, zone) {
                        Ok(Sitemap::Urls(found)) => entries.extend(found),
                        Ok(Sitemap::Index(_)) => {
                            tracing::warn!(source = %source.id, url = %child, "Nested sitemap index skipped.")
                        }
                        Err(err) => {
                            tracing::warn!(source = %source.id, url = %child, error = %err, "Child sitemap unreadable.")
                        }
                    }
                }
                Ok(FetchResponse::NotModified) => {}
                Err(err) => {
                    tracing::warn!(source = %source.id, url = %child, error = %err, "Child sitemap not fetched.")
                }
            }
        }
        Ok(entries)
    }

    /// One story: page (if the source scrapes pages and it is not fresh,
    /// which the run checked), then extract, normalize and classify on the
    /// CPU pool, then store.
    async fn run_story(
        &self,
        source: &SourceConfig,
        entry: IndexEntry,
        fetched_at: Timestamp,
        ticket: backlog::StoryTicket<'_>,
    ) -> Staged {
        let page = match scrapes_pages(source) {
            true => {
                let request = FetchRequest {
                    url: entry.url.clone(),
                    allow_private: source.allow_private_addresses,
                    ignore_robots: source.ignore_robots,
                    ..FetchRequest::default()
                };
                match self.fetch_counted(&source.id, &request).await {
                    Ok(FetchResponse::Fetched { doc, .. }) => Some(doc),
                    Ok(FetchResponse::NotModified) => return Staged::Done(StoryOutcome::Fresh),
                    Err(err) => {
                        tracing::warn!(source = %source.id, url = %entry.url, error = %err, "Story page skipped.");
                        return Staged::Done(StoryOutcome::Failed);
                    }
                }
            }
            false => None,
        };
        let item_updated = entry.updated;
        let entry_url = entry.url.clone();
        let (cpu_source, taxonomy) = (source.clone(), self.taxonomy.clone());
        let prepared = self
            .on_cpu(move || prepare(&cpu_source, &entry, page, fetched_at, &taxonomy))
            .await;
        let row = match prepared {
            Some(Some(row)) => row,
            Some(None) => return Staged::Done(StoryOutcome::Failed),
            None => {
                tracing::error!(source = %source.id, url = %entry_url, "Story skipped: its processing failed.");
                return Staged::Done(StoryOutcome::Failed);
            }
        };
        let url = row.url().to_string();
        // Queued now: no longer to come.
        drop(ticket);
        let written = self.queue_write(row, item_updated).await;
        let source_id = source.id.clone();
        Staged::Queued(Box::pin(async move {
            match written.await.unwrap_or(Err(StoreError::WriterLost)) {
                Ok(outcome) => {
                    match outcome {
                        Upsert::New(id) => {
                            tracing::info!(source = %source_id, id, url = %url, "Story stored.")
                        }
                        Upsert::Updated(id) => {
                            tracing::info!(source = %source_id, id, url = %url, "Story updated.")
                        }
                        Upsert::Unchanged(_) => {
                            tracing::debug!(source = %source_id, url = %url, "Story unchanged.")
                        }
                        Upsert::Retired => {
                            tracing::debug!(source = %source_id, url = %url, "Story skipped: retention removed it.")
                        }
                    }
                    StoryOutcome::Stored(outcome)
                }
                Err(err) => {
                    tracing::error!(source = %source_id, url = %entry_url, error = %err, "Story not stored.");
                    StoryOutcome::Failed
                }
            }
        }))
    }

    /// Records the run for `polywire sources` and `/healthz`, counting
    /// consecutive failures and pushing the next attempt out after them.
    fn record(
        &self,
        source: &SourceConfig,
        started: Timestamp,
        report: &RunReport,
    ) -> Result<(), StoreError> {
        let store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        let previous = store.source_state(&source.id)?;
        let failures = if report.is_failure() {
            previous.map(|p| p.failures).unwrap_or(0).saturating_add(1)
        } else {
            0
        };
        let now = Timestamp::now();
        let mut next_run =
            crate::schedule::next_run(source, now, failures, &self.config.daemon.limits);
        // A server that asked us to come back later (429/503 Retry-After
        // beyond what a fetch waits out) is not asked again before then.
        if let Some(wait) = report.retry_after
            && let Ok(asked) =
                now.checked_add(jiff::SignedDuration::try_from(wait).unwrap_or_default())
        {
            next_run = next_run.map(|n| n.max(asked));
        }
        store.record_run(&SourceState {
            id: source.id.clone(),
            last_run: Some(started),
            last_status: Some(report.status.clone()),
            // A warning stands in the error's place, so `sources` and
            // /healthz name the rule that matched nothing.
            last_error: report
                .error
                .clone()
                .or_else(|| (!report.warnings.is_empty()).then(|| report.warnings.join("; "))),
            stories_new: report.new,
            stories_updated: report.updated,
            failures,
            next_run,
        })
    }

    /// Fetches and counts the outcome for `/metrics`.
    async fn fetch_counted(
        &self,
        source: &str,
        request: &FetchRequest,
    ) -> Result<FetchResponse, FetchError> {
        let started = std::time::Instant::now();
        let result = self.fetcher.fetch(request).await;
        let status = match &result {
            Ok(FetchResponse::Fetched { doc, .. }) => {
                metrics::count(
                    "polywire_fetch_bytes_total",
                    &[("source", source)],
                    doc.text.len() as u64,
                );
                "ok".to_string()
            }
            Ok(FetchResponse::NotModified) => "not_modified".to_string(),
            Err(err) => err.reason(),
        };
        metrics::count(
            "polywire_fetches_total",
            &[("source", source), ("status", &status)],
            1,
        );
        metrics::observe(
            "polywire_fetch_duration_seconds",
            &[("source", source)],
            started.elapsed(),
        );
        result
    }

    /// Runs CPU-bound stage work on a CPU lane, one job per core at a time
    /// (see [`Lanes`]), so every core works on stories while the async
    /// threads keep fetching and serving.
    /// `None` if the work panicked (a bug, logged by the caller): one bad
    /// page must not take the run down.
    async fn on_cpu<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        self.lanes.cpu.run(work).await
    }

    /// Puts a story in the write queue and returns where its outcome will
    /// come once its transaction committed. The queue is written when it
    /// holds a full batch or its oldest story has waited [`MAX_WRITE_WAIT`]
    /// (checked as stories join), and at the end of every run, so one
    /// commit and one full-text flush serve many stories.
    ///
    /// A story that finds a batch due while another is being written does
    /// not wait: the writer takes the next due batch when it is done. Only
    /// when [`MAX_QUEUED`] stories wait does a story wait, until the writer
    /// takes them, so a slow commit holds up the CPU lanes only once that
    /// much is queued and pages in memory stay bounded.
    async fn queue_write(
        &self,
        row: StoryRow,
        item_updated: Option<Timestamp>,
    ) -> tokio::sync::oneshot::Receiver<Result<Upsert, StoreError>> {
        let (done, outcome) = tokio::sync::oneshot::channel();
        let queued = {
            let mut pending = lock(&self.lanes.pending);
            pending.push(PendingWrite {
                row,
                item_updated,
                queued_at: std::time::Instant::now(),
                done,
            });
            pending.len()
        };
        if queued >= MAX_QUEUED {
            self.wait_for_room().await;
        } else if self.write_is_due()
            && let Ok(turn) = self.lanes.store.try_acquire()
        {
            self.write_due_batches(turn).await;
        }
        outcome
    }

    /// With the queue full: waits until the writer has taken it (not until
    /// it is written, so the lanes go on while the batch commits), or
    /// writes it once the store's turn is free. Waiting for either matters:
    /// the turn may be held by other store work (another source's
    /// freshness lookup) that never takes the queue.
    async fn wait_for_room(&self) {
        let taken = self.lanes.taken.notified();
        tokio::pin!(taken);
        // Registered before the check, so a take in between is not missed.
        taken.as_mut().enable();
        if lock(&self.lanes.pending).len() < MAX_QUEUED {
            return;
        }
        tokio::select! {
            _ = taken => {}
            // The semaphore is never closed.
            Ok(turn) = self.lanes.store.acquire() => self.write_due_batches(turn).await,
        }
    }

    /// Empties the queue for writing and tells the stories waiting for room.
    fn take_queue(&self) -> Vec<PendingWrite> {
        let batch = std::mem::take(&mut *lock(&self.lanes.pending));
        self.lanes.taken.notify_waiters();
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
        let pending = lock(&self.lanes.pending);
        pending.len() >= MAX_WRITE_BATCH
            || (pending.len() >= MIN_EARLY_BATCH && self.lanes.backlog.upcoming() < pending.len())
            || pending
                .first()
                .is_some_and(|w| w.queued_at.elapsed() >= MAX_WRITE_WAIT)
    }

    /// Writes batches while one is due, holding the store's turn.
    async fn write_due_batches(&self, _turn: tokio::sync::SemaphorePermit<'_>) {
        loop {
            let batch = self.take_queue();
            if batch.is_empty() {
                return;
            }
            self.write(batch).await;
            if !self.write_is_due() {
                return;
            }
        }
    }

    /// Writes every queued story, due or not, on the store's turn (at the
    /// end of a run).
    async fn flush_writes(&self) {
        // The semaphore is never closed.
        let _turn = self.lanes.store.acquire().await.ok();
        let batch = self.take_queue();
        if !batch.is_empty() {
            self.write(batch).await;
        }
    }

    /// Writes queued stories on a blocking thread; the caller holds the
    /// store's turn.
    async fn write(&self, batch: Vec<PendingWrite>) {
        let store = self.store.clone();
        // Runs to the end even if this task is dropped; a panic in it drops
        // the senders, which their stories report as a failure.
        let _ = tokio::task::spawn_blocking(move || write_batches(&mut lock(&store), batch)).await;
    }

    /// Runs blocking store work off the async threads.
    async fn with_store<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.store.clone();
        // The semaphore is never closed.
        let _turn = self.lanes.store.acquire().await.ok();
        tokio::task::spawn_blocking(move || work(&mut lock(&store)))
            .await
            .expect("store task panicked")
    }
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

/// A lock that a panicked holder left behind is still usable: the store
/// and the queue are consistent between statements.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Extract (when a page was fetched), normalize and classify one story,
/// and make its store row: the CPU-bound part of its way, free of I/O.
/// `None` when nothing usable was extracted (logged).
fn prepare(
    source: &SourceConfig,
    entry: &IndexEntry,
    page: Option<RawDocument>,
    fetched_at: Timestamp,
    taxonomy: &Taxonomy,
) -> Option<StoryRow> {
    let extracted = match page {
        Some(doc) => {
            let page = extract::extract_article(
                &doc.text,
                &doc.url,
                source.article.as_ref(),
                source.timezone.get_ref(),
            );
            merge_entry(page, entry)
        }
        None => extract::entry_to_article(entry),
    };
    if extracted.url.is_empty() || (extracted.title.is_empty() && extracted.body.is_empty()) {
        tracing::warn!(source = %source.id, url = %entry.url, "Story skipped: nothing extracted.");
        return None;
    }
    let ctx = NormalizeContext {
        source: source.id.clone(),
        language: source.language.clone(),
        timezone: source.timezone.get_ref().clone(),
        fetched_at,
    };
    let mut normalized = normalize_story(extracted, &ctx);
    let tags = classify(&normalized.article, taxonomy);
    if let Some(dateline) = normalized.article.dateline.as_mut() {
        dateline.region = tags.dateline_region.clone();
    }
    StoryRow::from_normalized(normalized, tags)
        .inspect_err(|err| {
            tracing::error!(source = %source.id, url = %entry.url, error = %err, "Story not stored.")
        })
        .ok()
}

/// Fills what the page did not give from the feed item.
fn merge_entry(mut page: ExtractedArticle, entry: &IndexEntry) -> ExtractedArticle {
    if page.title.is_empty() {
        page.title = entry.title.clone().unwrap_or_default();
    }
    if page.published.is_none() {
        page.published = entry.published;
    }
    if page.updated.is_none() {
        page.updated = entry.updated;
    }
    if page.authors.is_empty() {
        page.authors = entry.authors.clone();
    }
    if page.categories.is_empty() {
        page.categories = entry.categories.clone();
    }
    if page.image.is_none() {
        page.image = entry.image.clone();
    }
    if page.lang.is_none() {
        page.lang = entry.lang.clone();
    }
    let feed_summary = entry.summary_html.as_deref().map(|html| {
        extract::feed::content::split(html, None)
            .paragraphs
            .join(" ")
    });
    page.summary =
        extract::article::metadata::better_summary(page.summary.take(), feed_summary.as_deref());
    if page.body.is_empty() {
        let from_feed = extract::entry_to_article(entry);
        page.body = from_feed.body;
    }
    page
}

/// Why a run could not read its index.
#[derive(Debug, thiserror::Error)]
enum RunError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("index unreadable: {0}")]
    Extract(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RunError {
    fn reason(&self) -> String {
        match self {
            RunError::Fetch(e) => e.reason(),
            RunError::Extract(_) => "parse_error".into(),
            RunError::Store(_) => "store_error".into(),
        }
    }
}

/// Kinds whose entries carry their own content when no `[article]` is set.
pub fn index_carries_content(kind: IndexKind) -> bool {
    !matches!(kind, IndexKind::Html | IndexKind::Sitemap)
}

/// Whether a source's stories come from their own pages (fetched), not
/// from its index entries.
fn scrapes_pages(source: &SourceConfig) -> bool {
    source.article.is_some() || !index_carries_content(source.index.kind)
}
