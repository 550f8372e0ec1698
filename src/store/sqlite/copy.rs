//! Reading and writing every column of stories and side tables, for
//! `store copy` (store/copy.rs).

use super::SqliteStore;
use crate::store::StoreError;
use crate::store::cluster;
use crate::store::records::{SideTables, SourceState, StoryRecord, Validators};
use crate::store::row::record_tokens;
use jiff::Timestamp;
use rusqlite::params;

impl SqliteStore {
    pub(super) fn export(
        &self,
        after_id: i64,
        limit: usize,
    ) -> Result<Vec<StoryRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, url, source, lang, published, sort_time, first_seen, updated,
                item_updated, content_hash, fingerprint, cluster, primary_region,
                primary_industry, data
             FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2",
        )?;
        let mut stories: Vec<StoryRecord> = stmt
            .query_map(params![after_id, limit as i64], |r| {
                Ok(StoryRecord {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    source: r.get(2)?,
                    lang: r.get(3)?,
                    published: r.get(4)?,
                    sort_time: r.get(5)?,
                    first_seen: r.get(6)?,
                    updated: r.get(7)?,
                    item_updated: r.get(8)?,
                    content_hash: r.get(9)?,
                    fingerprint: r.get(10)?,
                    cluster: r.get(11)?,
                    primary_region: r.get(12)?,
                    primary_industry: r.get(13)?,
                    data: r.get(14)?,
                    tags: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut tags = self.conn.prepare_cached(
            "SELECT kind, tag, score, is_primary FROM article_tags WHERE article_id = ?1
             ORDER BY score DESC, tag",
        )?;
        for story in &mut stories {
            story.tags = tags
                .query_map([story.id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<Result<_, _>>()?;
        }
        Ok(stories)
    }

    pub(super) fn import(&mut self, stories: &[StoryRecord]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for s in stories {
            tx.prepare_cached(
                "INSERT INTO articles (id, url, source, lang, published, sort_time, first_seen,
                    updated, item_updated, content_hash, fingerprint, cluster, primary_region,
                    primary_industry, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?
            .execute(params![
                s.id,
                s.url,
                s.source,
                s.lang,
                s.published,
                s.sort_time,
                s.first_seen,
                s.updated,
                s.item_updated,
                s.content_hash,
                s.fingerprint,
                s.cluster,
                s.primary_region,
                s.primary_industry,
                s.data
            ])?;
            for (kind, tag, score, primary) in &s.tags {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO article_tags
                        (article_id, kind, tag, score, is_primary, sort_time, lang)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    s.id,
                    kind,
                    tag,
                    score,
                    primary,
                    s.sort_time,
                    s.lang
                ])?;
            }
            if s.fingerprint != 0 {
                for band in cluster::bands(s.fingerprint as u64) {
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO fingerprint_bands (band, article_id) VALUES (?1, ?2)",
                    )?
                    .execute(params![band, s.id])?;
                }
            }
        }
        // Last and together, as the pipeline's writes (mod.rs).
        for s in stories {
            let (text, tags) = record_tokens(s);
            tx.prepare_cached("INSERT INTO articles_fts (rowid, text, tags) VALUES (?1, ?2, ?3)")?
                .execute(params![s.id, text, tags])?;
        }
        tx.commit()?;
        self.recent.forget();
        Ok(())
    }

    pub(super) fn side_tables(&self) -> Result<SideTables, StoreError> {
        let sources = crate::store::backend::Backend::source_states(self)?;
        let validators = self
            .conn
            .prepare("SELECT url, etag, last_modified, fetched_at FROM fetch_state ORDER BY url")?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    Validators {
                        etag: r.get(1)?,
                        last_modified: r.get(2)?,
                    },
                    r.get(3)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let retired = self
            .conn
            .prepare("SELECT url, retired_at FROM retired ORDER BY url")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(SideTables {
            sources,
            validators,
            retired,
        })
    }

    pub(super) fn import_side(&mut self, tables: &SideTables) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for state in &tables.sources {
            write_source_state(&tx, state)?;
        }
        for (key, v, fetched_at) in &tables.validators {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO fetch_state (url, etag, last_modified, fetched_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![key, v.etag, v.last_modified, fetched_at])?;
        }
        for (url, at) in &tables.retired {
            tx.prepare_cached("INSERT OR REPLACE INTO retired (url, retired_at) VALUES (?1, ?2)")?
                .execute(params![url, at])?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// Writes one source's state over what is stored for it.
pub(super) fn write_source_state(
    conn: &rusqlite::Connection,
    state: &SourceState,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO sources (id, last_run, last_status, last_error, stories_new, stories_updated, failures, next_run)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET last_run = ?2, last_status = ?3, last_error = ?4,
            stories_new = ?5, stories_updated = ?6, failures = ?7, next_run = ?8",
    )?
    .execute(params![
        state.id,
        state.last_run.map(Timestamp::as_second),
        state.last_status,
        state.last_error,
        state.stories_new as i64,
        state.stories_updated as i64,
        state.failures,
        state.next_run.map(Timestamp::as_second),
    ])?;
    Ok(())
}
