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
//!
//! The parts: reading the index ([`index`]), one story's CPU work on the
//! CPU lanes ([`cpu`], [`crate::story`]), the store's turn and the
//! group-commit write queue ([`writer`]), and what a run reports
//! ([`report`]). docs/architecture.md shows how they fit.

mod backlog;
mod cpu;
mod index;
mod report;
mod writer;

pub use report::RunReport;
use report::{RunError, StoryOutcome};

use crate::cadence;
use crate::classify::Taxonomy;
use crate::config::{Config, IndexKind, SourceConfig};
use crate::extract;
use crate::fetch::{FetchError, FetchRequest, FetchResponse, Fetcher};
use crate::metrics;
use crate::model::{IndexEntry, RawDocument};
use crate::store::{SourceState, Store, StoreError, StoryRow, Upsert, Validators};
use crate::story;
use futures_util::StreamExt;
use jiff::Timestamp;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;

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
    /// Told after each story a run finishes: (source id, stories done,
    /// stories to fetch). `polywire fetch` shows it on a terminal.
    pub progress: Option<Progress>,
}

/// A progress callback: (source id, stories done, stories to fetch).
pub type Progress = Arc<dyn Fn(&str, usize, usize) + Send + Sync>;

/// Bounds on the blocking threads a pipeline's runs use, shared by all
/// sources.
pub struct Lanes {
    /// CPU-bound stage work (extract, normalize, classify): one thread per
    /// core. More would only queue on the cores; fewer would leave a core
    /// idle. Pages wait in its queue, at most `concurrency` of them.
    cpu: cpu::CpuLanes,
    /// Store work, one at a time, and the group-commit write queue.
    store: writer::StoreWriter,
}

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
            store: writer::StoreWriter::new(),
        })
    }
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline").finish_non_exhaustive()
    }
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
        report.count_in_metrics(Timestamp::now().duration_since(started).unsigned_abs());
        if let Err(err) = self.record(source, started, &report).await {
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
        let total = entries.len();
        let mut done = 0;
        let mut tick = || {
            done += 1;
            if let Some(progress) = &self.progress {
                progress(&source.id, done, total);
            }
        };
        let backlog = self.lanes.store.backlog().run(entries.len());
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
                    Some(Some(Staged::Done(outcome))) => {
                        report.count(outcome);
                        tick();
                    }
                    Some(Some(Staged::Queued(stored))) => queued.push(stored),
                },
                Some(outcome) = queued.next(), if !queued.is_empty() => {
                    report.count(outcome);
                    tick();
                }
            }
        }
        // Every story of the run is written before the run ends.
        self.lanes.store.flush(&self.store).await;
        while let Some(outcome) = queued.next().await {
            report.count(outcome);
            tick();
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
        let written = self.lanes.store.queue(&self.store, row, item_updated).await;
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
    /// consecutive failures and pushing the next attempt out after them
    /// ([`cadence::next_run`]).
    async fn record(
        &self,
        source: &SourceConfig,
        started: Timestamp,
        report: &RunReport,
    ) -> Result<(), StoreError> {
        let source = source.clone();
        let limits = self.config.daemon.limits.clone();
        let report = report.clone();
        self.with_store(move |store| {
            let previous = store.source_state(&source.id)?;
            let failures = if report.is_failure() {
                previous.map(|p| p.failures).unwrap_or(0).saturating_add(1)
            } else {
                0
            };
            let next_run = cadence::next_run(
                &source,
                Timestamp::now(),
                failures,
                report.retry_after,
                &limits,
            );
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
        })
        .await
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

    /// Runs blocking store work off the async threads, on the store's turn.
    pub(crate) async fn with_store<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.lanes.store.with_store(&self.store, work).await
    }
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
            story::merge_entry(page, entry)
        }
        None => extract::entry_to_article(entry),
    };
    if extracted.url.is_empty() || (extracted.title.is_empty() && extracted.body.is_empty()) {
        tracing::warn!(source = %source.id, url = %entry.url, "Story skipped: nothing extracted.");
        return None;
    }
    let context = story::context(Some(source), fetched_at);
    let (normalized, tags) = story::process(extracted, &context, taxonomy);
    StoryRow::from_normalized(normalized, tags)
        .inspect_err(|err| {
            tracing::error!(source = %source.id, url = %entry.url, error = %err, "Story not stored.")
        })
        .ok()
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
