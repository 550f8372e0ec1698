//! Retention on SQLite (the rules are in store/retention.rs), then the
//! freed pages are given back to the file system.

use super::SqliteStore;
use crate::config::RetentionConfig;
use crate::store::StoreError;
use crate::store::retention::{age_cutoff, tombstone_cutoff};
use jiff::Timestamp;

impl SqliteStore {
    /// Applies every source's rule (see [`crate::store::Store::apply_retention`])
    /// in one transaction, then reclaims the space.
    pub(super) fn retain(
        &mut self,
        rule_of: &dyn Fn(&str) -> RetentionConfig,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let now = Timestamp::now().as_second();
        let tx = self.conn.transaction()?;
        let sources: Vec<String> = tx
            .prepare("SELECT DISTINCT source FROM articles ORDER BY source")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut removed = Vec::new();
        for source in sources {
            let rule = rule_of(&source);
            let mut doomed: Vec<i64> = Vec::new();
            if let Some(days) = rule.max_age_days {
                let cutoff = age_cutoff(now, days);
                let mut stmt =
                    tx.prepare("SELECT id FROM articles WHERE source = ?1 AND sort_time < ?2")?;
                doomed.extend(
                    stmt.query_map(rusqlite::params![source, cutoff], |r| r.get::<_, i64>(0))?
                        .collect::<Result<Vec<_>, _>>()?,
                );
            }
            if let Some(keep) = rule.max_per_source {
                let mut stmt = tx.prepare(
                    "SELECT id FROM articles WHERE source = ?1
                     ORDER BY sort_time DESC, id DESC LIMIT -1 OFFSET ?2",
                )?;
                let keep = i64::try_from(keep).unwrap_or(i64::MAX);
                doomed.extend(
                    stmt.query_map(rusqlite::params![source, keep], |r| r.get::<_, i64>(0))?
                        .collect::<Result<Vec<_>, _>>()?,
                );
            }
            doomed.sort_unstable();
            doomed.dedup();
            for id in &doomed {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO retired (url, retired_at)
                     SELECT url, ?2 FROM articles WHERE id = ?1",
                )?
                .execute([id, &now])?;
                tx.prepare_cached("DELETE FROM articles_fts WHERE rowid = ?1")?
                    .execute([id])?;
                tx.prepare_cached("DELETE FROM articles WHERE id = ?1")?
                    .execute([id])?;
            }
            if !doomed.is_empty() {
                removed.push((source, doomed.len() as u64));
            }
        }
        let expired = tx
            .prepare_cached("DELETE FROM retired WHERE retired_at < ?1")?
            .execute([tombstone_cutoff(now)])?;
        tx.commit()?;
        if !removed.is_empty() || expired > 0 {
            self.reclaim_free_pages()?;
        }
        Ok(removed)
    }

    /// Gives every free page back to the file system. `incremental_vacuum`
    /// frees one page per step of the statement, so it is stepped to the
    /// end (`execute_batch` steps once and would free a single page).
    fn reclaim_free_pages(&self) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA incremental_vacuum")?;
        let mut rows = stmt.query([])?;
        while rows.next()?.is_some() {}
        Ok(())
    }
}
