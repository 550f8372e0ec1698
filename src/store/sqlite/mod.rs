//! The SQLite backend: one database file, WAL, one writer at a time.
//!
//! * [`schema`]: versioned migrations.
//! * [`query`]: [`FeedQuery`] → SQL, from the ordered index that makes each
//!   feed fast at a million stories.
//! * [`retention`]: removing what each source's rule no longer keeps.
//! * this file: opening, upserting stories, fetch validators and
//!   per-source run state.

mod copy;
mod query;
mod retention;
mod schema;

use super::backend::Backend;
use super::cluster::{self, Recent, RecentWindow};
use super::feed_query::{FeedQuery, HeldValues, Row};
use super::records::{SideTables, StoryRecord};
use super::{SourceState, StoreError, StoryRow, Upsert, Validators};
use crate::config::RetentionConfig;
use crate::model::{StoredStory, StoredTag, TagKind};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

impl From<rusqlite::Error> for StoreError {
    fn from(source: rusqlite::Error) -> Self {
        StoreError::Database {
            backend: "sqlite",
            source: Box::new(source),
        }
    }
}

impl From<rusqlite_migration::Error> for StoreError {
    fn from(source: rusqlite_migration::Error) -> Self {
        StoreError::Migration(Box::new(source))
    }
}

/// A SQLite database. Cheap to open; the daemon opens one for writing and
/// the server one for reading (WAL lets them run together).
#[derive(Debug)]
pub(super) struct SqliteStore {
    conn: Connection,
    /// Fingerprints of recent stories, loaded on the first write.
    recent: RecentWindow,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub(super) fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        SqliteStore::setup(Connection::open(path)?)
    }

    /// A private database in memory.
    pub(super) fn open_in_memory() -> Result<SqliteStore, StoreError> {
        SqliteStore::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<SqliteStore, StoreError> {
        // auto_vacuum only takes effect before the first table exists; it
        // lets retention give space back with incremental_vacuum.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Statement journals in memory: once one outgrows 64 KiB SQLite
        // moves it to a temporary file for the rest of the transaction, and
        // a batch of stories then cost dozens of `pwrite` calls a story
        // (docs/bench-log/2026-12-01.md, fifth session). A statement
        // journal holds the pages one statement changed, so it stays small.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        schema::migrations().to_latest(&mut conn)?;
        Ok(SqliteStore {
            conn,
            recent: RecentWindow::default(),
        })
    }

    /// Whether retention removed the story at `url` within the tombstone
    /// period.
    fn retired(conn: &Connection, url: &str) -> Result<bool, StoreError> {
        Ok(conn
            .prepare_cached("SELECT 1 FROM retired WHERE url = ?1")?
            .query_row([url], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

impl Backend for SqliteStore {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn upsert_rows(
        &mut self,
        rows: &[(&StoryRow, Option<Timestamp>)],
    ) -> Result<Vec<Upsert>, StoreError> {
        let written = (|| {
            let tx = self.conn.transaction()?;
            let mut outcomes = Vec::with_capacity(rows.len());
            let mut fts = Vec::with_capacity(rows.len());
            for (row, item_updated) in rows {
                outcomes.push(write_row(
                    &tx,
                    &mut self.recent,
                    &mut fts,
                    row,
                    *item_updated,
                )?);
            }
            // Last and together: FTS5 flushes its pending terms to disk at
            // every statement savepoint, and the other writes open some.
            let mut insert = tx.prepare_cached(
                "INSERT INTO articles_fts (rowid, text, tags) VALUES (?1, ?2, ?3)",
            )?;
            for (id, text, tags) in fts {
                insert.execute(params![id, text, tags])?;
            }
            drop(insert);
            tx.commit()?;
            Ok(outcomes)
        })();
        if written.is_err() {
            self.recent.forget();
        }
        written
    }

    fn item_updated(&self, url: &str) -> Result<Option<Option<i64>>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT item_updated FROM articles WHERE url = ?1")?
            .query_row([url], |r| r.get(0))
            .optional()?)
    }

    fn is_retired(&self, url: &str) -> Result<bool, StoreError> {
        SqliteStore::retired(&self.conn, url)
    }

    fn story_id(&self, url: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT id FROM articles WHERE url = ?1", [url], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn story_ids(&self, source: Option<&str>) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM articles WHERE ?1 IS NULL OR source = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([source], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    fn last_change(&self) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT MAX(updated) FROM articles", [], |r| r.get(0))?)
    }

    fn load_stories(&self, ids: &[i64]) -> Result<Vec<StoredStory>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        let mut row_stmt = self.conn.prepare_cached(
            "SELECT id, data, cluster, first_seen, updated, item_updated FROM articles WHERE id = ?1",
        )?;
        let mut tag_stmt = self.conn.prepare_cached(
            "SELECT kind, tag, score, is_primary FROM article_tags WHERE article_id = ?1 ORDER BY score DESC, tag",
        )?;
        for &id in ids {
            let row: Option<(i64, String, i64, i64, i64, Option<i64>)> = row_stmt
                .query_row([id], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                })
                .optional()?;
            let Some((id, data, cluster, first_seen, updated, item_updated)) = row else {
                continue;
            };
            let tags = tag_stmt
                .query_map([id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        StoredTag {
                            id: r.get(1)?,
                            score: r.get::<_, f64>(2)? as f32,
                            primary: r.get(3)?,
                        },
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            out.push(super::row::stored_story(
                id,
                &data,
                cluster,
                [first_seen, updated],
                item_updated,
                tags,
            )?);
        }
        Ok(out)
    }

    fn cluster_sources(&self, cluster: i64, except: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT source FROM articles WHERE cluster = ?1 AND source != ?2 ORDER BY source",
        )?;
        let rows = stmt.query_map(params![cluster, except], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn validators(&self, key: &str) -> Result<Validators, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT etag, last_modified FROM fetch_state WHERE url = ?1",
                [key],
                |r| {
                    Ok(Validators {
                        etag: r.get(0)?,
                        last_modified: r.get(1)?,
                    })
                },
            )
            .optional()?
            .unwrap_or_default())
    }

    fn save_validators(&self, key: &str, validators: &Validators) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO fetch_state (url, etag, last_modified, fetched_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(url) DO UPDATE SET etag = ?2, last_modified = ?3, fetched_at = ?4",
            params![
                key,
                validators.etag,
                validators.last_modified,
                Timestamp::now().as_second()
            ],
        )?;
        Ok(())
    }

    fn record_run(&self, state: &SourceState) -> Result<(), StoreError> {
        copy::write_source_state(&self.conn, state)
    }

    fn source_states(&self) -> Result<Vec<SourceState>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, last_run, last_status, last_error, stories_new, stories_updated, failures, next_run
             FROM sources ORDER BY id",
        )?;
        let ts = |s: Option<i64>| s.and_then(|s| Timestamp::from_second(s).ok());
        let rows = stmt.query_map([], |r| {
            Ok(SourceState {
                id: r.get(0)?,
                last_run: ts(r.get(1)?),
                last_status: r.get(2)?,
                last_error: r.get(3)?,
                stories_new: r.get::<_, i64>(4)? as u64,
                stories_updated: r.get::<_, i64>(5)? as u64,
                failures: r.get(6)?,
                next_run: ts(r.get(7)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn matches(&self, query: &FeedQuery) -> Result<Vec<Row>, StoreError> {
        let driver = self.pick_driver(query)?;
        self.matches_with(query, driver)
    }

    fn held_values(&self) -> Result<HeldValues, StoreError> {
        self.held()
    }

    fn apply_retention(
        &mut self,
        rule_of: &dyn Fn(&str) -> RetentionConfig,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        self.retain(rule_of)
    }

    fn export_stories(&self, after_id: i64, limit: usize) -> Result<Vec<StoryRecord>, StoreError> {
        self.export(after_id, limit)
    }

    fn import_stories(&mut self, stories: &[StoryRecord]) -> Result<(), StoreError> {
        self.import(stories)
    }

    fn max_story_id(&self) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT MAX(id) FROM articles", [], |r| r.get(0))?)
    }

    fn export_side_tables(&self) -> Result<SideTables, StoreError> {
        self.side_tables()
    }

    fn import_side_tables(&mut self, tables: &SideTables) -> Result<(), StoreError> {
        self.import_side(tables)
    }

    #[cfg(test)]
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// One story's writes inside the caller's transaction, but for its
/// full-text row, which joins `fts` for the caller to insert.
fn write_row<'r>(
    tx: &rusqlite::Transaction<'_>,
    recent: &mut RecentWindow,
    fts: &mut Vec<(i64, &'r str, &'r str)>,
    row: &'r StoryRow,
    item_updated: Option<Timestamp>,
) -> Result<Upsert, StoreError> {
    let (hash, fingerprint) = (row.hash, row.fingerprint);
    let now = Timestamp::now().as_second();
    let sort_time = row.sort_time(now);
    let item_updated = item_updated.map(|t| t.as_second());

    // The same twelve values key an update (by id) and an insert (by URL).
    macro_rules! row {
        ($key:expr) => {
            params![
                $key,
                row.source,
                row.lang,
                row.published.map(|t| t.as_second()),
                sort_time,
                now,
                item_updated,
                hash,
                fingerprint as i64,
                row.primary_region(),
                row.primary_industry(),
                row.data
            ]
        };
    }
    let existing: Option<(i64, i64)> = tx
        .prepare_cached("SELECT id, content_hash FROM articles WHERE url = ?1")?
        .query_row([&row.url], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if existing.is_none() && SqliteStore::retired(tx, &row.url)? {
        return Ok(Upsert::Retired);
    }
    let outcome = match existing {
        Some((id, old_hash)) if old_hash == hash => {
            tx.prepare_cached(
                "UPDATE articles SET item_updated = COALESCE(?2, item_updated) WHERE id = ?1",
            )?
            .execute(params![id, item_updated])?;
            Upsert::Unchanged(id)
        }
        Some((id, _)) => {
            tx.prepare_cached(
                "UPDATE articles SET source = ?2, lang = ?3, published = ?4, sort_time = ?5,
                    updated = ?6, item_updated = COALESCE(?7, item_updated), content_hash = ?8,
                    fingerprint = ?9, primary_region = ?10, primary_industry = ?11, data = ?12
                 WHERE id = ?1",
            )?
            .execute(row!(id))?;
            tx.prepare_cached("DELETE FROM article_tags WHERE article_id = ?1")?
                .execute([id])?;
            tx.prepare_cached("DELETE FROM fingerprint_bands WHERE article_id = ?1")?
                .execute([id])?;
            // Its text may be waiting from earlier in this transaction.
            let waiting = fts.len();
            fts.retain(|(pending, _, _)| *pending != id);
            if fts.len() == waiting {
                tx.prepare_cached("DELETE FROM articles_fts WHERE rowid = ?1")?
                    .execute([id])?;
            }
            Upsert::Updated(id)
        }
        None => {
            // Looked up before the insert, so a story never finds itself.
            let found_cluster = match find_recent_cluster(recent, tx, fingerprint, sort_time)? {
                Some(cluster) => Some(cluster),
                None => find_cluster(tx, fingerprint)?,
            };
            tx.prepare_cached("INSERT INTO articles (url, source, lang, published, sort_time, first_seen, updated,
                    item_updated, content_hash, fingerprint, cluster, primary_region, primary_industry, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, 0, ?10, ?11, ?12)")?.execute(
                row!(row.url),
            )?;
            let id = tx.last_insert_rowid();
            let cluster = found_cluster.unwrap_or(id);
            tx.prepare_cached("UPDATE articles SET cluster = ?2 WHERE id = ?1")?
                .execute(params![id, cluster])?;
            recent.push(Recent {
                sort_time,
                fingerprint,
                cluster,
            });
            Upsert::New(id)
        }
    };
    if let Upsert::New(id) | Upsert::Updated(id) = outcome {
        let mut insert = tx.prepare_cached(
            "INSERT OR REPLACE INTO article_tags (article_id, kind, tag, score, is_primary, sort_time, lang)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (kind, list) in [
            (TagKind::Region, &row.tags.regions),
            (TagKind::Industry, &row.tags.industries),
        ] {
            for tag in list {
                insert.execute(params![
                    id,
                    kind.as_str(),
                    tag.id,
                    tag.score as f64,
                    tag.primary,
                    sort_time,
                    row.lang
                ])?;
            }
        }
        drop(insert);
        if fingerprint != 0 {
            for band in cluster::bands(fingerprint) {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO fingerprint_bands (band, article_id) VALUES (?1, ?2)",
                )?
                .execute(params![band, id])?;
            }
        }
        fts.push((id, &row.fts_text, &row.fts_tags));
    }
    Ok(outcome)
}

/// The cluster of a recent near-duplicate ([`RecentWindow`]), reading the
/// window from the database on first use.
fn find_recent_cluster(
    recent: &mut RecentWindow,
    conn: &Connection,
    fingerprint: u64,
    sort_time: i64,
) -> Result<Option<i64>, StoreError> {
    if fingerprint == 0 {
        return Ok(None);
    }
    if recent.needs_load() {
        let newest: Option<i64> =
            conn.query_row("SELECT MAX(sort_time) FROM articles", [], |r| r.get(0))?;
        let mut stmt = conn.prepare(
            "SELECT sort_time, fingerprint, cluster FROM articles WHERE sort_time >= ?1 AND fingerprint != 0",
        )?;
        let rows = stmt.query_map([RecentWindow::load_from(newest, sort_time)], |r| {
            Ok(Recent {
                sort_time: r.get(0)?,
                fingerprint: r.get::<_, i64>(1)? as u64,
                cluster: r.get(2)?,
            })
        })?;
        recent.load(rows.collect::<Result<_, _>>()?);
    }
    Ok(recent.find(fingerprint, sort_time))
}

/// The cluster of an earlier story whose fingerprint is within
/// [`cluster::SAME_STORY_BITS`] of this one, through the band index.
fn find_cluster(conn: &Connection, fingerprint: u64) -> Result<Option<i64>, StoreError> {
    if fingerprint == 0 {
        return Ok(None);
    }
    let b = cluster::bands(fingerprint);
    let mut stmt = conn.prepare_cached(
        "SELECT a.fingerprint, a.cluster FROM fingerprint_bands f JOIN articles a ON a.id = f.article_id
         WHERE f.band IN (?1, ?2, ?3, ?4) ORDER BY a.id LIMIT ?5",
    )?;
    let rows = stmt
        .query_map(
            params![b[0], b[1], b[2], b[3], cluster::BAND_CANDIDATES],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(cluster::first_close(rows, fingerprint))
}

#[cfg(test)]
mod tests;
