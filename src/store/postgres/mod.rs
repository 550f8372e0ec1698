//! The PostgreSQL backend: many processes on one database.
//!
//! * [`schema`]: versioned migrations.
//! * [`text`]: full text as `tsvector`/`tsquery` literals of search.rs's tokens.
//! * [`write`]: group-committed upserts as multi-row statements.
//! * [`query`]: [`FeedQuery`] → SQL, held values.
//! * [`retention`]: removing what each source's rule no longer keeps.
//! * this file: connecting (pool, TLS), and running the async driver
//!   behind the synchronous interface.
//!
//! ## Sync over async
//!
//! The store's interface is synchronous: it is called from blocking
//! threads (`spawn_blocking`), from CLI code, and at times from a thread
//! that is inside a Tokio runtime. `Runtime::block_on` or
//! `Handle::block_on` panics on a runtime's worker thread, so the backend
//! never blocks on a runtime it shares: it owns a small runtime of its own
//! (one worker thread, the pool's connections run on it), spawns each
//! operation there, and waits for the answer on a plain channel. Waiting
//! on a channel is allowed on any thread, so no caller can make it panic;
//! the futures own their inputs (a few copies of strings per call, nothing
//! beside a network round trip). On drop the runtime is shut down in the
//! background, which, unlike dropping it, is allowed inside another
//! runtime.

mod copy;
mod query;
mod retention;
mod schema;
mod text;
mod write;

use super::backend::Backend;
use super::cluster::RecentWindow;
use super::feed_query::{FeedQuery, HeldValues, Row};
use super::records::{SideTables, StoryRecord};
use super::{SourceState, StoreError, StoryRow, Upsert, Validators};
use crate::config::RetentionConfig;
use crate::model::StoredStory;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use jiff::Timestamp;
use std::future::Future;
use tokio_postgres::config::{Host, SslMode};

/// Connections one store handle keeps. Callers hold a store behind a
/// mutex, one operation at a time; the second connection lets a slow one
/// be replaced without a wait.
const POOL_SIZE: usize = 2;

/// The error of a driver call, with the server's message and detail
/// (tokio-postgres prints only "db error" for them).
fn database_error(error: &tokio_postgres::Error) -> StoreError {
    let text = match error.as_db_error() {
        Some(db) => {
            let mut text = format!("{}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" ({detail})"));
            }
            text
        }
        None => match std::error::Error::source(error) {
            Some(source) => format!("{error}: {source}"),
            None => error.to_string(),
        },
    };
    StoreError::Database {
        backend: "postgres",
        source: text.into(),
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> Self {
        database_error(&error)
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(error: deadpool_postgres::PoolError) -> Self {
        match error {
            deadpool_postgres::PoolError::Backend(error) => database_error(&error),
            other => StoreError::Database {
                backend: "postgres",
                source: other.to_string().into(),
            },
        }
    }
}

/// A PostgreSQL database through a small connection pool.
pub(super) struct PgStore {
    /// The runtime the driver runs on (see the module doc); `None` only
    /// while dropping.
    runtime: Option<tokio::runtime::Runtime>,
    handle: tokio::runtime::Handle,
    pool: Pool,
    /// Fingerprints of recent stories, loaded on the first write.
    recent: RecentWindow,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("pool", &self.pool.status())
            .finish_non_exhaustive()
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl PgStore {
    /// Connects to the database at `url` and migrates it. A server that is
    /// not on this machine is reached over TLS (rustls, the system's
    /// roots) unless the URL says `sslmode=disable` or `prefer`.
    pub(super) fn open(url: &str) -> Result<PgStore, StoreError> {
        let invalid = |reason: String| StoreError::Location {
            location: super::Location::Postgres(url.to_string()).display(),
            reason,
        };
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| invalid(e.to_string()))?;
        if config.get_hosts().iter().any(|host| !is_local(host)) && !url.contains("sslmode=") {
            config.ssl_mode(SslMode::Require);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("polywire");
        }
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls_config()?);
        let manager = Manager::from_config(
            config,
            tls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(|e| invalid(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("polywire-postgres")
            .enable_all()
            .build()
            .map_err(|source| StoreError::Io {
                path: "the PostgreSQL driver's runtime".into(),
                source,
            })?;
        let store = PgStore {
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
            pool,
            recent: RecentWindow::default(),
        };
        let from = store.run(|pool| async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let from = schema::migrate(&tx).await?;
            tx.commit().await?;
            Ok(from)
        })?;
        if from > schema::latest() {
            return Err(StoreError::Migration(
                format!(
                    "the database is at schema version {from}, newer than this polywire's {}",
                    schema::latest()
                )
                .into(),
            ));
        }
        Ok(store)
    }

    /// Runs one operation on the backend's runtime and waits for it (see
    /// the module doc for why this cannot panic in any caller).
    fn run<T, F, Fut>(&self, operation: F) -> Result<T, StoreError>
    where
        F: FnOnce(Pool) -> Fut,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let future = operation(self.pool.clone());
        self.handle.spawn(async move {
            let _ = tx.send(future.await);
        });
        // The sender goes without a message only if the task panicked.
        rx.recv().unwrap_or(Err(StoreError::WriterLost))
    }
}

/// A host on this machine, reached without TLS by default.
fn is_local(host: &Host) -> bool {
    match host {
        Host::Tcp(name) => {
            name == "localhost"
                || name
                    .trim_matches(|c| c == '[' || c == ']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        #[cfg(unix)]
        Host::Unix(_) => true,
    }
}

/// rustls with the ring provider (as the fetcher) and the system's roots.
fn tls_config() -> Result<rustls::ClientConfig, StoreError> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map(|builder| builder.with_root_certificates(roots).with_no_client_auth())
    .map_err(|e| StoreError::Database {
        backend: "postgres",
        source: Box::new(e),
    })
}

/// Seconds to a timestamp, for columns that hold one.
fn timestamp(seconds: Option<i64>) -> Option<Timestamp> {
    seconds.and_then(|s| Timestamp::from_second(s).ok())
}

impl Backend for PgStore {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn upsert_rows(
        &mut self,
        rows: &[(&StoryRow, Option<Timestamp>)],
    ) -> Result<Vec<Upsert>, StoreError> {
        let owned: Vec<(StoryRow, Option<i64>)> = rows
            .iter()
            .map(|(row, item_updated)| ((*row).clone(), item_updated.map(|t| t.as_second())))
            .collect();
        let mut recent = std::mem::take(&mut self.recent);
        let (recent, written) = self.run(move |pool| async move {
            let written = write::upsert(&pool, &owned, &mut recent).await;
            Ok((recent, written))
        })?;
        self.recent = recent;
        if written.is_err() {
            self.recent.forget();
        }
        written
    }

    fn item_updated(&self, url: &str) -> Result<Option<Option<i64>>, StoreError> {
        let url = url.to_string();
        self.run(move |pool| async move {
            let client = pool.get().await?;
            let stmt = client
                .prepare_cached("SELECT item_updated FROM articles WHERE url = $1")
                .await?;
            Ok(client.query_opt(&stmt, &[&url]).await?.map(|r| r.get(0)))
        })
    }

    fn is_retired(&self, url: &str) -> Result<bool, StoreError> {
        let url = url.to_string();
        self.run(move |pool| async move {
            let client = pool.get().await?;
            let stmt = client
                .prepare_cached("SELECT 1 FROM retired WHERE url = $1")
                .await?;
            Ok(client.query_opt(&stmt, &[&url]).await?.is_some())
        })
    }

    fn story_id(&self, url: &str) -> Result<Option<i64>, StoreError> {
        let url = url.to_string();
        self.run(move |pool| async move {
            let client = pool.get().await?;
            let stmt = client
                .prepare_cached("SELECT id FROM articles WHERE url = $1")
                .await?;
            Ok(client.query_opt(&stmt, &[&url]).await?.map(|r| r.get(0)))
        })
    }

    fn story_ids(&self, source: Option<&str>) -> Result<Vec<i64>, StoreError> {
        let source = source.map(String::from);
        self.run(move |pool| async move {
            let client = pool.get().await?;
            let stmt = client
                .prepare_cached(
                    "SELECT id FROM articles WHERE $1::text IS NULL OR source = $1 ORDER BY id",
                )
                .await?;
            let rows = client.query(&stmt, &[&source]).await?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    fn count(&self) -> Result<u64, StoreError> {
        self.run(|pool| async move {
            let client = pool.get().await?;
            let row = client
                .query_one("SELECT COUNT(*) FROM articles", &[])
                .await?;
            Ok(row.get::<_, i64>(0) as u64)
        })
    }

    fn last_change(&self) -> Result<Option<i64>, StoreError> {
        self.run(|pool| async move {
            let client = pool.get().await?;
            let row = client
                .query_one("SELECT MAX(updated) FROM articles", &[])
                .await?;
            Ok(row.get(0))
        })
    }

    fn load_stories(&self, ids: &[i64]) -> Result<Vec<StoredStory>, StoreError> {
        let ids = ids.to_vec();
        self.run(move |pool| async move { query::load_stories(&pool, &ids).await })
    }

    fn cluster_sources(&self, cluster: i64, except: &str) -> Result<Vec<String>, StoreError> {
        let except = except.to_string();
        self.run(move |pool| async move {
            let client = pool.get().await?;
            let stmt = client
                .prepare_cached(
                    "SELECT DISTINCT source FROM articles WHERE cluster = $1 AND source <> $2
                     ORDER BY source",
                )
                .await?;
            let rows = client.query(&stmt, &[&cluster, &except]).await?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    fn validators(&self, key: &str) -> Result<Validators, StoreError> {
        let key = key.to_string();
        self.run(move |pool| async move {
            let client = pool.get().await?;
            let stmt = client
                .prepare_cached("SELECT etag, last_modified FROM fetch_state WHERE url = $1")
                .await?;
            Ok(client
                .query_opt(&stmt, &[&key])
                .await?
                .map(|r| Validators {
                    etag: r.get(0),
                    last_modified: r.get(1),
                })
                .unwrap_or_default())
        })
    }

    fn save_validators(&self, key: &str, validators: &Validators) -> Result<(), StoreError> {
        let (key, validators) = (key.to_string(), validators.clone());
        self.run(move |pool| async move {
            let client = pool.get().await?;
            let stmt = client
                .prepare_cached(
                    "INSERT INTO fetch_state (url, etag, last_modified, fetched_at)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (url) DO UPDATE SET etag = $2, last_modified = $3, fetched_at = $4",
                )
                .await?;
            let now = Timestamp::now().as_second();
            client
                .execute(
                    &stmt,
                    &[&key, &validators.etag, &validators.last_modified, &now],
                )
                .await?;
            Ok(())
        })
    }

    fn record_run(&self, state: &SourceState) -> Result<(), StoreError> {
        let state = state.clone();
        self.run(move |pool| async move {
            let client = pool.get().await?;
            copy::write_source_state(&client, &state).await
        })
    }

    fn source_states(&self) -> Result<Vec<SourceState>, StoreError> {
        self.run(|pool| async move {
            let client = pool.get().await?;
            let rows = client
                .query(
                    "SELECT id, last_run, last_status, last_error, stories_new, stories_updated,
                        failures, next_run
                     FROM sources ORDER BY id",
                    &[],
                )
                .await?;
            Ok(rows
                .iter()
                .map(|r| SourceState {
                    id: r.get(0),
                    last_run: timestamp(r.get(1)),
                    last_status: r.get(2),
                    last_error: r.get(3),
                    stories_new: r.get::<_, i64>(4) as u64,
                    stories_updated: r.get::<_, i64>(5) as u64,
                    failures: u32::try_from(r.get::<_, i64>(6)).unwrap_or(u32::MAX),
                    next_run: timestamp(r.get(7)),
                })
                .collect())
        })
    }

    fn matches(&self, query: &FeedQuery) -> Result<Vec<Row>, StoreError> {
        let query = query.clone();
        self.run(move |pool| async move { query::matches(&pool, &query).await })
    }

    fn held_values(&self) -> Result<HeldValues, StoreError> {
        self.run(|pool| async move { query::held_values(&pool).await })
    }

    fn apply_retention(
        &mut self,
        rule_of: &dyn Fn(&str) -> RetentionConfig,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        // The rules are worked out here, on the caller's thread: `rule_of`
        // need not be sendable to the driver's runtime.
        let sources = self.run(|pool| async move { retention::sources(&pool).await })?;
        let rules: Vec<(String, RetentionConfig)> = sources
            .into_iter()
            .map(|source| {
                let rule = rule_of(&source);
                (source, rule)
            })
            .collect();
        self.run(move |pool| async move { retention::apply(&pool, &rules).await })
    }

    fn export_stories(&self, after_id: i64, limit: usize) -> Result<Vec<StoryRecord>, StoreError> {
        self.run(move |pool| async move { copy::export(&pool, after_id, limit).await })
    }

    fn import_stories(&mut self, stories: &[StoryRecord]) -> Result<(), StoreError> {
        let stories = stories.to_vec();
        self.recent.forget();
        self.run(move |pool| async move { copy::import(&pool, &stories).await })
    }

    fn max_story_id(&self) -> Result<Option<i64>, StoreError> {
        self.run(|pool| async move {
            let client = pool.get().await?;
            Ok(client
                .query_one("SELECT MAX(id) FROM articles", &[])
                .await?
                .get(0))
        })
    }

    fn export_side_tables(&self) -> Result<SideTables, StoreError> {
        let sources = self.source_states()?;
        let mut tables = self.run(|pool| async move { copy::side_tables(&pool).await })?;
        tables.sources = sources;
        Ok(tables)
    }

    fn import_side_tables(&mut self, tables: &SideTables) -> Result<(), StoreError> {
        let tables = tables.clone();
        self.run(move |pool| async move { copy::import_side(&pool, &tables).await })
    }

    #[cfg(test)]
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
