//! The daemon: scheduler and HTTP server side by side, stopped by signals.
//!
//! SIGINT/SIGTERM stop new work, let stories in flight commit, and exit
//! within `[limits] shutdown_grace_secs`.

use crate::app::{self, Loaded};
use crate::schedule::{self, SourceLocks};
use crate::store::Store;
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
        /// Database path.
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

/// Cancels `token` on SIGINT or SIGTERM.
pub fn cancel_on_signal(token: CancellationToken) {
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("cannot install the SIGTERM handler");
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
/// the grace period ran out.
pub async fn run(loaded: Loaded) -> Result<(), DaemonError> {
    let path = &loaded.config.daemon.store.path;
    let store = Store::open(path).map_err(|source| DaemonError::Store {
        path: path.display().to_string(),
        source,
    })?;
    let pipeline = app::pipeline(&loaded, Arc::new(Mutex::new(store)))?;
    let shutdown = CancellationToken::new();
    cancel_on_signal(shutdown.clone());
    let locks = SourceLocks::default();
    tracing::info!(sources = loaded.config.sources.len(), "polywire started.");
    let scheduler = tokio::spawn(schedule::run(pipeline, locks, shutdown.clone()));
    shutdown.cancelled().await;
    let grace = Duration::from_secs(loaded.config.daemon.limits.shutdown_grace_secs);
    if tokio::time::timeout(grace, scheduler).await.is_err() {
        tracing::warn!("Grace period over; stopping with work in flight.");
    }
    tracing::info!("polywire stopped.");
    Ok(())
}
