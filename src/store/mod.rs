//! The SQLite store: the only stateful stage.
//!
//! * [`schema`]: versioned migrations.
//! * [`search`]: the bigram full-text index that finds short CJK words.
//! * [`query`]: [`FeedQuery`] → SQL.
//! * this file: opening, upserting stories (one transaction each), fetch
//!   validators and per-source run state.
//! * [`retention`]: removing what each source's retention rule no longer keeps.
//!
//! Stories are keyed by canonical URL: fetching a story again updates it in
//! place and never duplicates it.

mod query;
mod retention;
mod schema;
pub mod search;

pub use query::{FeedQuery, HeldValues};

use crate::model::{Article, Classification, StoredStory, StoredTag, Tag, TagKind};
use crate::normalize;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("schema migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// A stored row does not decode (written by an incompatible version?).
    #[error("stored story {id} does not decode: {source}")]
    Corrupt {
        /// Row id.
        id: i64,
        /// Decoding error.
        #[source]
        source: serde_json::Error,
    },
    /// The write of a story was lost with the thread doing it (a panic).
    #[error("the store writer stopped before the story was written")]
    WriterLost,
    /// A read-only command found no database where the configuration says.
    #[error(
        "no database at {path} (nothing fetched yet? `[store] path` is relative to polywire.toml's folder)"
    )]
    Missing {
        /// The path looked for.
        path: String,
    },
    /// The database folder could not be created.
    #[error("cannot create {path}: {source}")]
    Io {
        /// Folder.
        path: String,
        /// Error.
        #[source]
        source: std::io::Error,
    },
}

/// What storing one story did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// A story not seen before.
    New(i64),
    /// A known story whose content changed.
    Updated(i64),
    /// A known story, identical to what was stored.
    Unchanged(i64),
    /// A story retention removed lately (see [`Store::apply_retention`]): not stored
    /// again, or an old-dated item still listed by its wire would come back
    /// as new on every fetch and go again at every retention pass.
    Retired,
}

/// Fetch validators remembered for one URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

/// The outcome of one run of one source, as recorded for operators.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceState {
    /// Source id.
    pub id: String,
    /// When the last run started.
    pub last_run: Option<Timestamp>,
    /// `ok`, `not_modified` or a failure reason code.
    pub last_status: Option<String>,
    /// The last error in words, if the last run failed.
    pub last_error: Option<String>,
    /// Stories new in the last run.
    pub stories_new: u64,
    /// Stories updated in the last run.
    pub stories_updated: u64,
    /// Consecutive failed runs.
    pub failures: u32,
    /// When the next run is due.
    pub next_run: Option<Timestamp>,
}

/// A story ready to be stored: the stored JSON, the content hash and the
/// full-text index text are computed here, without the database, so the
/// pipeline makes them on its CPU threads and the single writer only
/// writes. Of the story itself it keeps only the columns written beside
/// the JSON: a row waits in the write queue with hundreds of others, and
/// its body is already in `data`.
#[derive(Debug, Clone)]
pub struct StoryRow {
    url: String,
    source: String,
    lang: String,
    published: Option<Timestamp>,
    fingerprint: u64,
    tags: Classification,
    data: String,
    hash: i64,
    fts_text: String,
    fts_tags: String,
}

impl StoryRow {
    /// Prepares a story for [`Store::upsert_row`].
    pub fn new(article: Article, tags: Classification) -> Result<StoryRow, StoreError> {
        let fts_text = search::index_text(&article.title, &article.body);
        StoryRow::with_fts_text(article, tags, fts_text)
    }

    /// A row from a normalized story, reusing its folded text for the
    /// full-text index.
    pub fn from_normalized(
        normalized: crate::normalize::Normalized,
        tags: Classification,
    ) -> Result<StoryRow, StoreError> {
        let fts_text = search::index_folded(&normalized.folded_text);
        StoryRow::with_fts_text(normalized.article, tags, fts_text)
    }

    /// The story's canonical URL, its key in the store.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn with_fts_text(
        article: Article,
        tags: Classification,
        fts_text: String,
    ) -> Result<StoryRow, StoreError> {
        let data = serde_json::to_string(&article)
            .map_err(|source| StoreError::Corrupt { id: 0, source })?;
        let hash = content_hash(&data, &tags);
        let fts_tags = search::story_filter_tokens(
            tags.regions.iter().map(|t| t.id.as_str()),
            tags.industries.iter().map(|t| t.id.as_str()),
            &article.lang,
            &article.source,
        );
        let Article {
            url,
            source,
            lang,
            published,
            fingerprint,
            ..
        } = article;
        Ok(StoryRow {
            url,
            source,
            lang,
            published,
            fingerprint,
            tags,
            data,
            hash,
            fts_text,
            fts_tags,
        })
    }
}

/// A handle on the database. Cheap to open; the daemon opens one for
/// writing and the server one for reading (WAL lets them run together).
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    /// Fingerprints of recent stories, loaded on the first write: the same
    /// story from two wires arrives within days, so near-duplicates are
    /// looked for here with the full SimHash threshold.
    recent: Option<Vec<Recent>>,
}

/// One recent story for near-duplicate search.
#[derive(Debug, Clone, Copy)]
struct Recent {
    sort_time: i64,
    fingerprint: u64,
    cluster: i64,
}

/// How far apart in time two copies of one story may be.
const CLUSTER_WINDOW_SECS: i64 = 3 * 86_400;

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        Store::setup(Connection::open(path)?)
    }

    /// Opens a database that must already exist, for commands that only
    /// read (`sources`, `feed`, `export`): a wrong path is an error naming
    /// it, not a new empty database.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing {
                path: path.display().to_string(),
            });
        }
        Store::setup(Connection::open(path)?)
    }

    /// A private database in memory (tests, `inspect`).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Store, StoreError> {
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
        Ok(Store { conn, recent: None })
    }

    /// The underlying connection, for checks such as `PRAGMA integrity_check`.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Stores one story and its tags in one transaction. `item_updated` is
    /// the feed item's own modification time, remembered to decide later
    /// whether the page needs fetching again.
    pub fn upsert(
        &mut self,
        article: &Article,
        tags: &Classification,
        item_updated: Option<Timestamp>,
    ) -> Result<Upsert, StoreError> {
        let row = StoryRow::new(article.clone(), tags.clone())?;
        self.upsert_row(&row, item_updated)
    }

    /// [`Store::upsert`] of a story whose row was made beforehand, maybe on
    /// another thread: this is the part that needs the connection.
    pub fn upsert_row(
        &mut self,
        row: &StoryRow,
        item_updated: Option<Timestamp>,
    ) -> Result<Upsert, StoreError> {
        let mut outcomes = self.upsert_rows(&[(row, item_updated)])?;
        Ok(outcomes.remove(0))
    }

    /// Stores many stories in one transaction: all or none. One commit
    /// (and one full-text index flush) for many stories is what lets a
    /// single writer keep up with the CPU stages on every core; see
    /// docs/BENCHMARKS.md, "Stages".
    pub fn upsert_rows(
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
            // Rolled back: the near-duplicate window may hold stories that
            // are not there; it is read again on the next write.
            self.recent = None;
        }
        written
    }

    /// True when the story at `url` is stored and its feed item does not say
    /// it changed since, so its page need not be fetched again.
    /// A URL retention removed lately counts as fresh: it is not wanted back.
    pub fn is_fresh(&self, url: &str, item_updated: Option<Timestamp>) -> Result<bool, StoreError> {
        let stored: Option<Option<i64>> = self
            .conn
            .prepare_cached("SELECT item_updated FROM articles WHERE url = ?1")?
            .query_row([url], |r| r.get(0))
            .optional()?;
        Ok(match (stored, item_updated) {
            (None, _) => retention::is_retired(&self.conn, url)?,
            (Some(_), None) => true,
            (Some(None), Some(_)) => false,
            (Some(Some(old)), Some(new)) => new.as_second() <= old,
        })
    }

    /// One stored story by canonical URL.
    pub fn get_by_url(&self, url: &str) -> Result<Option<StoredStory>, StoreError> {
        let id: Option<i64> = self
            .conn
            .query_row("SELECT id FROM articles WHERE url = ?1", [url], |r| {
                r.get(0)
            })
            .optional()?;
        match id {
            Some(id) => Ok(self.load_stories(&[id])?.pop()),
            None => Ok(None),
        }
    }

    /// Row ids of every stored story, or of one source's, oldest first.
    pub fn story_ids(&self, source: Option<&str>) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM articles WHERE ?1 IS NULL OR source = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([source], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Number of stored stories.
    pub fn count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// When any story last changed: feeds use it for `Last-Modified` and to
    /// invalidate cached renderings.
    pub fn last_change(&self) -> Result<Option<Timestamp>, StoreError> {
        let max: Option<i64> =
            self.conn
                .query_row("SELECT MAX(updated) FROM articles", [], |r| r.get(0))?;
        Ok(max.and_then(|s| Timestamp::from_second(s).ok()))
    }

    /// Loads full stories by row id, in the given order.
    pub fn load_stories(&self, ids: &[i64]) -> Result<Vec<StoredStory>, StoreError> {
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
            let article: Article =
                serde_json::from_str(&data).map_err(|source| StoreError::Corrupt { id, source })?;
            let mut regions = Vec::new();
            let mut industries = Vec::new();
            let tags = tag_stmt.query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    StoredTag {
                        id: r.get(1)?,
                        score: r.get::<_, f64>(2)? as f32,
                        primary: r.get(3)?,
                    },
                ))
            })?;
            for tag in tags {
                let (kind, tag) = tag?;
                if kind == "region" {
                    regions.push(tag)
                } else {
                    industries.push(tag)
                }
            }
            out.push(StoredStory {
                id,
                article,
                regions,
                industries,
                cluster,
                first_seen: Timestamp::from_second(first_seen).unwrap_or(Timestamp::UNIX_EPOCH),
                updated: Timestamp::from_second(updated).unwrap_or(Timestamp::UNIX_EPOCH),
                item_updated: item_updated.and_then(|s| Timestamp::from_second(s).ok()),
                also_from: Vec::new(),
            });
        }
        Ok(out)
    }

    /// Sources other than `except` that carried stories of a cluster.
    pub fn cluster_sources(&self, cluster: i64, except: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT source FROM articles WHERE cluster = ?1 AND source != ?2 ORDER BY source",
        )?;
        let rows = stmt.query_map(params![cluster, except], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The key a source's index validators are kept under: the source, the
    /// fingerprint of its extraction settings and the index URL. A renamed
    /// source or a changed rule starts without validators, so its next run
    /// reads the index whole. (Stored in `fetch_state.url`, whose rows are
    /// only ever looked up by this key.)
    pub fn index_key(source: &str, fingerprint: &str, url: &str) -> String {
        format!("{source} {fingerprint} {url}")
    }

    /// Validators remembered under a key ([`Store::index_key`]).
    pub fn validators(&self, key: &str) -> Result<Validators, StoreError> {
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

    /// Remembers the validators of a successful fetch under a key
    /// ([`Store::index_key`]).
    pub fn save_validators(&self, key: &str, validators: &Validators) -> Result<(), StoreError> {
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

    /// Records the outcome of one run of a source.
    pub fn record_run(&self, state: &SourceState) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO sources (id, last_run, last_status, last_error, stories_new, stories_updated, failures, next_run)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(id) DO UPDATE SET last_run = ?2, last_status = ?3, last_error = ?4,
                stories_new = ?5, stories_updated = ?6, failures = ?7, next_run = ?8",
            params![
                state.id,
                state.last_run.map(|t| t.as_second()),
                state.last_status,
                state.last_error,
                state.stories_new as i64,
                state.stories_updated as i64,
                state.failures,
                state.next_run.map(|t| t.as_second()),
            ],
        )?;
        Ok(())
    }

    /// The recorded state of one source.
    pub fn source_state(&self, id: &str) -> Result<Option<SourceState>, StoreError> {
        Ok(self.source_states()?.into_iter().find(|s| s.id == id))
    }

    /// The recorded state of every source that has run.
    pub fn source_states(&self) -> Result<Vec<SourceState>, StoreError> {
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
}

/// One story's writes inside the caller's transaction, but for its
/// full-text row, which joins `fts` for the caller to insert.
fn write_row<'r>(
    tx: &rusqlite::Transaction<'_>,
    recent: &mut Option<Vec<Recent>>,
    fts: &mut Vec<(i64, &'r str, &'r str)>,
    row: &'r StoryRow,
    item_updated: Option<Timestamp>,
) -> Result<Upsert, StoreError> {
    let StoryRow {
        url,
        source,
        lang,
        published,
        fingerprint,
        tags,
        data,
        hash,
        fts_text,
        fts_tags,
    } = row;
    let (hash, fingerprint) = (*hash, *fingerprint);
    let now = Timestamp::now().as_second();
    let sort_time = published.map(|t| t.as_second()).unwrap_or(now);
    let primary = |list: &[Tag]| list.iter().find(|t| t.primary).map(|t| t.id.clone());
    let item_updated = item_updated.map(|t| t.as_second());

    // The same twelve values key an update (by id) and an insert (by URL).
    macro_rules! row {
        ($key:expr) => {
            params![
                $key,
                source,
                lang,
                published.map(|t| t.as_second()),
                sort_time,
                now,
                item_updated,
                hash,
                fingerprint as i64,
                primary(&tags.regions),
                primary(&tags.industries),
                data
            ]
        };
    }
    let existing: Option<(i64, i64)> = tx
        .prepare_cached("SELECT id, content_hash FROM articles WHERE url = ?1")?
        .query_row([url], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if existing.is_none() && retention::is_retired(tx, url)? {
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
                row!(url),
            )?;
            let id = tx.last_insert_rowid();
            let cluster = found_cluster.unwrap_or(id);
            tx.prepare_cached("UPDATE articles SET cluster = ?2 WHERE id = ?1")?
                .execute(params![id, cluster])?;
            if fingerprint != 0
                && let Some(recent) = recent.as_mut()
            {
                recent.push(Recent {
                    sort_time,
                    fingerprint,
                    cluster,
                });
            }
            Upsert::New(id)
        }
    };
    if let Upsert::New(id) | Upsert::Updated(id) = outcome {
        let mut insert = tx.prepare_cached(
            "INSERT OR REPLACE INTO article_tags (article_id, kind, tag, score, is_primary, sort_time, lang)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (kind, list) in [
            (TagKind::Region, &tags.regions),
            (TagKind::Industry, &tags.industries),
        ] {
            for tag in list {
                insert.execute(params![
                    id,
                    kind.as_str(),
                    tag.id,
                    tag.score as f64,
                    tag.primary,
                    sort_time,
                    lang
                ])?;
            }
        }
        drop(insert);
        if fingerprint != 0 {
            for band in bands(fingerprint) {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO fingerprint_bands (band, article_id) VALUES (?1, ?2)",
                )?
                .execute(params![band, id])?;
            }
        }
        fts.push((id, fts_text, fts_tags));
    }
    Ok(outcome)
}

/// The cluster of a story within [`CLUSTER_WINDOW_SECS`] whose fingerprint
/// is the same story by [`normalize::same_story`]; the closest one wins.
fn find_recent_cluster(
    recent: &mut Option<Vec<Recent>>,
    conn: &Connection,
    fingerprint: u64,
    sort_time: i64,
) -> Result<Option<i64>, StoreError> {
    if fingerprint == 0 {
        return Ok(None);
    }
    if recent.is_none() {
        let newest: Option<i64> =
            conn.query_row("SELECT MAX(sort_time) FROM articles", [], |r| r.get(0))?;
        let from = newest.unwrap_or(sort_time) - 2 * CLUSTER_WINDOW_SECS;
        let mut stmt = conn.prepare(
            "SELECT sort_time, fingerprint, cluster FROM articles WHERE sort_time >= ?1 AND fingerprint != 0",
        )?;
        let rows = stmt.query_map([from], |r| {
            Ok(Recent {
                sort_time: r.get(0)?,
                fingerprint: r.get::<_, i64>(1)? as u64,
                cluster: r.get(2)?,
            })
        })?;
        *recent = Some(rows.collect::<Result<_, _>>()?);
    }
    let list = recent.as_mut().expect("loaded above");
    // Forget what has fallen far behind the newest story.
    if list.len() > 1024
        && let Some(newest) = list.iter().map(|r| r.sort_time).max()
    {
        list.retain(|r| r.sort_time >= newest - 2 * CLUSTER_WINDOW_SECS);
    }
    Ok(list
        .iter()
        .filter(|r| (r.sort_time - sort_time).abs() <= CLUSTER_WINDOW_SECS)
        .filter(|r| normalize::same_story(r.fingerprint, fingerprint))
        .min_by_key(|r| (r.fingerprint ^ fingerprint).count_ones())
        .map(|r| r.cluster))
}

/// Four 16-bit bands of a fingerprint, tagged with their position.
fn bands(fingerprint: u64) -> [i64; 4] {
    std::array::from_fn(|i| ((i as i64) << 16) | ((fingerprint >> (16 * i)) & 0xFFFF) as i64)
}

/// Near-duplicate threshold: fingerprints this close are the same story.
const SAME_STORY_BITS: u32 = 3;

/// The cluster of an earlier story whose fingerprint is within
/// [`SAME_STORY_BITS`] of this one.
fn find_cluster(conn: &Connection, fingerprint: u64) -> Result<Option<i64>, StoreError> {
    if fingerprint == 0 {
        return Ok(None);
    }
    let b = bands(fingerprint);
    let mut stmt = conn.prepare_cached(
        "SELECT a.fingerprint, a.cluster FROM fingerprint_bands f JOIN articles a ON a.id = f.article_id
         WHERE f.band IN (?1, ?2, ?3, ?4) ORDER BY a.id LIMIT 200",
    )?;
    let rows = stmt.query_map(params![b[0], b[1], b[2], b[3]], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (other, cluster) = row?;
        if ((other as u64) ^ fingerprint).count_ones() <= SAME_STORY_BITS {
            return Ok(Some(cluster));
        }
    }
    Ok(None)
}

/// A hash of what readers see of a story, to tell real changes from
/// re-fetches. The fetch time is left out: it changes every run. FNV-1a,
/// because it must not change between builds. `data` is the story's JSON.
fn content_hash(data: &str, tags: &Classification) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for part in seen_json(data) {
        feed(part.as_bytes());
    }
    for tag in tags.regions.iter().chain(&tags.industries) {
        feed(tag.id.as_bytes());
        feed(if tag.primary { b"!" } else { b"," });
    }
    hash as i64
}

/// The JSON of a story without its fetch time, in two pieces, cut out of
/// its full JSON instead of serializing a copy of the story again:
/// `fetched_at` is the last field of [`Article`], so the JSON ends with
/// `"fetched_at":VALUE}` and the time's value holds no such key.
fn seen_json(data: &str) -> [&str; 2] {
    const KEY: &str = "\"fetched_at\":";
    match data.rfind(KEY) {
        Some(at) => [&data[..at + KEY.len()], "null}"],
        None => [data, ""],
    }
}

#[cfg(test)]
mod tests;
