//! The daemon: scheduler and HTTP server side by side, stopped by signals.
//!
//! SIGINT/SIGTERM stop new work, let stories in flight commit, and exit
//! within `[limits] shutdown_grace_secs`.

use crate::app::{self, Loaded};
use crate::schedule::{self, SourceLocks};
use crate::serve::{self, AppState, observe};
use crate::store::Store;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DaemonError {
    /// The store could not be opened.
    #[error("cannot open the store {path}: {source}")]
    Store {
        /// Database path or URL (password masked).
        path: String,
        /// Error.
        #[source]
        source: crate::store::StoreError,
    },
    /// The HTTP client could not be built.
    #[error(transparent)]
    Fetch(#[from] crate::fetch::FetchError),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// Address.
        addr: String,
        /// Error.
        #[source]
        source: std::io::Error,
    },
}

/// The store the configuration names, for messages (password masked).
fn store_location(config: &crate::config::StoreConfig) -> String {
    crate::store::Location::configured(config)
        .map(|l| l.display())
        .unwrap_or_else(|_| "(invalid store URL)".into())
}

/// Cancels `token` on SIGINT or SIGTERM. The SIGTERM handler is in place
/// when this returns, so a stop sent right after start is graceful too.
pub fn cancel_on_signal(token: CancellationToken) {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("cannot install the SIGTERM handler");
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("Shutdown requested; finishing stories in flight.");
        token.cancel();
    });
}

/// Runs until a stop signal; returns once in-flight work has committed or
/// the grace period ran out. SIGHUP reloads sources, taxonomy and feeds: a
/// bad new configuration is refused with its errors and the old one keeps
/// running; runs in flight finish under the configuration they started with.
pub async fn run(config_path: PathBuf, loaded: Loaded) -> Result<(), DaemonError> {
    let store_config = &loaded.config.daemon.store;
    let open_store = || {
        Store::open_config(store_config).map_err(|source| DaemonError::Store {
            path: store_location(store_config),
            source,
        })
    };
    let store = open_store()?;
    let store = Arc::new(Mutex::new(store));
    let shutdown = CancellationToken::new();
    cancel_on_signal(shutdown.clone());
    let mut reloads = reload_signals();
    let locks = SourceLocks::default();
    let enabled = loaded.config.sources.iter().filter(|s| s.enabled).count();
    tracing::info!(
        sources = enabled,
        disabled = loaded.config.sources.len() - enabled,
        "polywire started."
    );

    // The server reads through its own connection (SQLite's WAL, or
    // PostgreSQL's pool, lets it read while the pipeline writes).
    let read_store = open_store()?;
    let state = AppState::new(
        (*loaded.config).clone(),
        (*loaded.taxonomy).clone(),
        read_store,
    );
    let listen = loaded.config.daemon.server.listen.clone();
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(|source| DaemonError::Listen {
            addr: listen.clone(),
            source,
        })?;
    tracing::info!(listen = %listener.local_addr().map(|a| a.to_string()).unwrap_or(listen), "Serving feeds.");
    let server = {
        let state = state.clone();
        let stop = shutdown.clone();
        tokio::spawn(async move {
            if let Err(err) =
                serve::serve_with(listener, state, observe::with_metrics, async move {
                    stop.cancelled().await
                })
                .await
            {
                tracing::error!(error = %err, "HTTP server failed.");
            }
        })
    };

    let mut loaded = loaded;
    let mut generation = shutdown.child_token();
    let mut schedulers = vec![tokio::spawn(schedule::run(
        with_invalidation(app::pipeline(&loaded, store.clone())?, &state),
        locks.clone(),
        generation.clone(),
        shutdown.clone(),
    ))];
    let retention = tokio::spawn(retention_loop(
        store.clone(),
        state.clone(),
        shutdown.clone(),
    ));
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            Some(()) = reloads.recv() => {
                match app::load(&config_path) {
                    Ok(new) => {
                        let pipeline = match app::pipeline(&new, store.clone()) {
                            Ok(p) => with_invalidation(p, &state),
                            Err(err) => {
                                tracing::error!(error = %err, "Reload refused; the old configuration keeps running.");
                                continue;
                            }
                        };
                        generation.cancel();
                        generation = shutdown.child_token();
                        schedulers.retain(|h| !h.is_finished());
                        schedulers.push(tokio::spawn(schedule::run(pipeline, locks.clone(), generation.clone(), shutdown.clone())));
                        state.reload((*new.config).clone(), (*new.taxonomy).clone());
                        loaded = new;
                        tracing::info!(sources = loaded.config.sources.len(), feeds = loaded.config.feeds.len(), "Configuration reloaded.");
                    }
                    Err(errors) => {
                        for err in &errors.0 {
                            tracing::error!(error = %err, "Invalid configuration.");
                        }
                        tracing::error!(errors = errors.0.len(), "Reload refused; the old configuration keeps running.");
                    }
                }
            }
        }
    }
    let grace = Duration::from_secs(loaded.config.daemon.limits.shutdown_grace_secs);
    let all = futures_util::future::join_all(schedulers);
    if tokio::time::timeout(grace, all).await.is_err() {
        tracing::warn!("Grace period over; stopping with work in flight.");
    }
    retention.abort();
    let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
    tracing::info!("polywire stopped.");
    Ok(())
}

/// Makes a pipeline drop the server's rendered feeds after storing stories.
fn with_invalidation(
    mut pipeline: crate::pipeline::Pipeline,
    state: &AppState,
) -> crate::pipeline::Pipeline {
    let state = state.clone();
    pipeline.on_change = Arc::new(move || state.invalidate());
    pipeline
}

/// SIGHUP as a stream of reload requests. The handler is in place when
/// this returns: a SIGHUP before it would end the process (the default
/// action), so it is called before the server is up.
fn reload_signals() -> tokio::sync::mpsc::Receiver<()> {
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    #[cfg(unix)]
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(mut hup) => {
            tokio::spawn(async move {
                while hup.recv().await.is_some() {
                    let _ = tx.try_send(());
                }
            });
        }
        Err(_) => tracing::warn!("Cannot listen for SIGHUP; reload disabled."),
    }
    #[cfg(not(unix))]
    drop(tx);
    rx
}

/// Applies retention at start and then hourly, each source by its own rule
/// (its `[retention]`, else the daemon's), under the configuration in force
/// at that hour, so a reload's new rules apply from the next pass.
async fn retention_loop(store: Arc<Mutex<Store>>, state: AppState, shutdown: CancellationToken) {
    loop {
        let snapshot = state.snapshot();
        if snapshot.config.daemon.retention.keeps_everything()
            && snapshot
                .config
                .sources
                .iter()
                .all(|s| s.retention == Default::default())
        {
            tracing::debug!("No retention configured; every story is kept.");
        } else {
            let store = store.clone();
            let removed = tokio::task::spawn_blocking(move || {
                let mut store = crate::poison::lock(&store);
                store.apply_retention(|source| snapshot.config.retention_for(source))
            })
            .await;
            match removed {
                Ok(Ok(removed)) => {
                    for (source, n) in removed {
                        crate::metrics::count(
                            "polywire_retention_removed_total",
                            &[("source", &source)],
                            n,
                        );
                        tracing::info!(source = %source, removed = n, "Retention removed old stories.");
                    }
                }
                Ok(Err(err)) => tracing::error!(error = %err, "Retention failed."),
                Err(err) => tracing::error!(error = %err, "Retention task failed."),
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
    }
}
