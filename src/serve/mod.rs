//! Serving: the HTTP API that publishes feeds.
//!
//! * [`params`]: query parameters (polywire's and RSSHub's), checked → 400.
//! * [`render`]: one request → one document (also used by `polywire feed`).
//! * [`rsshub`]: RSSHub's post-query filters.
//! * [`cache`]: bounded render cache, ETag/Last-Modified, 304 rules.
//! * [`encoding`]: Accept-Encoding negotiation and compression (kept per
//!   coding beside the cached document).
//! * [`page`]: the index page and OPML from config + store.
//! * [`ui`]: the other web pages: feed previews and the sources page.
//! * [`health`]: the `/healthz` report.
//! * [`websub`]: hub notifications when feeds change.
//! * [`export`]: the static export.
//! * [`server`]: the accept loop (header and idle timeouts, 431) and the
//!   per-request layers (timeout, access log, nosniff).
//! * this file: [`AppState`], [`router`], [`serve`].
//!
//! Routes: `GET /`, `/feed.{rss,atom,json}` (and `/feed`), `/feeds/{name}.{rss,atom,json}`,
//! `/feeds/{name}.html`, `/sources`, `/opml` (and `/opml.xml`), `/healthz`.
//! HEAD works on each. See `docs/feeds.md` and `docs/web-ui.md`.

pub mod cache;
pub mod encoding;
pub mod export;
pub mod health;
pub mod observe;
pub mod page;
pub mod params;
pub mod render;
mod routes;
pub mod rsshub;
pub mod server;
pub mod ui;
pub mod websub;

use crate::classify::Taxonomy;
use crate::config::Config;
use crate::store::Store;
use cache::RenderCache;
use jiff::Timestamp;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

pub use export::{ExportError, export_all};
pub use render::{RenderError, render_to_string};

/// Rendered documents the cache is sized for (bytes are configured).
const CACHE_MAX_ENTRIES: usize = 2048;

/// The configuration and taxonomy in force; swapped whole on reload.
#[derive(Debug)]
pub struct Snapshot {
    /// Daemon configuration, sources and named feeds.
    pub config: Config,
    /// Regions and industries.
    pub taxonomy: Taxonomy,
}

/// Everything the server shares between requests. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    store: Arc<Mutex<Store>>,
    cache: RenderCache,
    generation: AtomicU64,
    changed: tokio::sync::Notify,
    started: Timestamp,
    /// One permit per render running or waiting for the store; none left
    /// means the request is shed (503) rather than queued.
    renders: Arc<tokio::sync::Semaphore>,
    /// The last `/healthz` report, answered while the store is busy.
    last_health: Arc<Mutex<Option<health::Health>>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("generation", &self.generation())
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// State over a store handle used for reads (open a second connection
    /// to the daemon's database file; WAL lets it read while the pipeline
    /// writes).
    pub fn new(config: Config, taxonomy: Taxonomy, store: Store) -> AppState {
        AppState::with_shared_store(config, taxonomy, Arc::new(Mutex::new(store)))
    }

    /// State over a store shared with someone else (tests, in-memory stores).
    pub fn with_shared_store(
        config: Config,
        taxonomy: Taxonomy,
        store: Arc<Mutex<Store>>,
    ) -> AppState {
        let server = &config.daemon.server;
        let cache = RenderCache::new(server.cache_max_bytes, CACHE_MAX_ENTRIES);
        let renders = Arc::new(tokio::sync::Semaphore::new(
            server.max_concurrent_renders.max(1),
        ));
        AppState {
            shared: Arc::new(Shared {
                snapshot: RwLock::new(Arc::new(Snapshot { config, taxonomy })),
                store,
                cache,
                generation: AtomicU64::new(0),
                changed: tokio::sync::Notify::new(),
                started: Timestamp::now(),
                renders,
                last_health: Arc::new(Mutex::new(None)),
            }),
        }
    }

    /// Call after stories were stored: cached renderings are dropped and,
    /// when a WebSub hub is configured, changed feeds are announced.
    pub fn invalidate(&self) {
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        self.shared.cache.clear();
        self.shared.changed.notify_one();
    }

    /// Swaps in a new configuration and taxonomy (SIGHUP) and invalidates.
    pub fn reload(&self, config: Config, taxonomy: Taxonomy) {
        let snapshot = Arc::new(Snapshot { config, taxonomy });
        *self
            .shared
            .snapshot
            .write()
            .unwrap_or_else(|e| e.into_inner()) = snapshot;
        self.invalidate();
    }

    /// The configuration and taxonomy in force.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.shared
            .snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The store handle used for reads.
    pub fn store(&self) -> Arc<Mutex<Store>> {
        self.shared.store.clone()
    }

    /// How many times the state was invalidated.
    pub fn generation(&self) -> u64 {
        self.shared.generation.load(Ordering::SeqCst)
    }

    /// Number of rendered documents held in memory.
    pub fn cached_documents(&self) -> usize {
        self.shared.cache.len()
    }

    /// Render cache hits, misses, evictions and size.
    pub fn cache_stats(&self) -> cache::CacheStats {
        self.shared.cache.stats()
    }

    fn cache(&self) -> &RenderCache {
        &self.shared.cache
    }

    /// Writes every named feed, the OPML list and the index page to `out`.
    pub fn export(&self, out: &std::path::Path) -> Result<Vec<std::path::PathBuf>, ExportError> {
        let snapshot = self.snapshot();
        let store = self.shared.store.lock().unwrap_or_else(|e| e.into_inner());
        export_all(&snapshot.config, &snapshot.taxonomy, &store, out)
    }
}

/// The HTTP routes over a state. Add more with `Router::merge` /
/// `.route(...)` before serving (e.g. a `/metrics` route).
/// The routes come with the per-request layers of [`server::harden`].
pub fn router(state: AppState) -> axum::Router {
    let server_config = state.snapshot().config.daemon.server.clone();
    server::harden(routes::router(state), &server_config)
}

/// Serves `router(state)` on `listener` until `shutdown` resolves, and
/// runs the WebSub notifier alongside.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, |router| router, shutdown).await
}

/// Like [`serve`], with extra routes or layers added to the router first
/// (the daemon adds `/metrics` this way).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    extend: impl FnOnce(axum::Router) -> axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let notifier = tokio::spawn(websub::run(state.clone()));
    let gauges = {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(observe::GAUGE_REFRESH);
            loop {
                tick.tick().await;
                let state = state.clone();
                let _ = tokio::task::spawn_blocking(move || observe::refresh_gauges(&state)).await;
            }
        })
    };
    let server_config = state.snapshot().config.daemon.server.clone();
    // Routes `extend` adds get nosniff too.
    let app = extend(router(state)).layer(server::nosniff());
    let limits = server::ConnectionLimits::of(&server_config);
    let result = server::run(listener, app, limits, shutdown).await;
    notifier.abort();
    gauges.abort();
    result
}
