//! Retention: each source's stories are trimmed by the rule in force for
//! that source (its own `[retention]`, else the daemon's), and the freed
//! pages are given back to the file system.

use super::{Store, StoreError};
use crate::config::RetentionConfig;
use jiff::Timestamp;

impl Store {
    /// For every source that has stories, removes those older than its
    /// rule's `max_age_days` and those beyond its newest `max_per_source`,
    /// with their tags and search rows; then reclaims the space. `rule_of`
    /// gives the rule of a source id. Returns how many stories went, per
    /// source that lost any, sorted by source.
    pub fn apply_retention(
        &mut self,
        rule_of: impl Fn(&str) -> RetentionConfig,
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
                let secs = i64::try_from(days)
                    .unwrap_or(i64::MAX)
                    .saturating_mul(86_400);
                let cutoff = now.saturating_sub(secs);
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
                tx.execute("DELETE FROM articles_fts WHERE rowid = ?1", [id])?;
                tx.execute("DELETE FROM articles WHERE id = ?1", [id])?;
            }
            if !doomed.is_empty() {
                removed.push((source, doomed.len() as u64));
            }
        }
        tx.commit()?;
        if !removed.is_empty() {
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
