//! Retention on PostgreSQL (the rules are in store/retention.rs): one
//! transaction removes what every source's rule no longer keeps, leaving
//! tombstones. Space is given back by autovacuum, not here.

use crate::config::RetentionConfig;
use crate::store::StoreError;
use crate::store::retention::{age_cutoff, tombstone_cutoff};
use deadpool_postgres::Pool;
use jiff::Timestamp;

/// Every source that has stories, sorted bytewise.
pub(super) async fn sources(pool: &Pool) -> Result<Vec<String>, StoreError> {
    let client = pool.get().await?;
    let rows = client
        .query("SELECT DISTINCT source FROM articles ORDER BY source", &[])
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Applies each source's rule; returns removals per source that lost any.
pub(super) async fn apply(
    pool: &Pool,
    rules: &[(String, RetentionConfig)],
) -> Result<Vec<(String, u64)>, StoreError> {
    let now = Timestamp::now().as_second();
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let mut removed = Vec::new();
    for (source, rule) in rules {
        let mut doomed: Vec<i64> = Vec::new();
        if let Some(days) = rule.max_age_days {
            let stmt = tx
                .prepare_cached("SELECT id FROM articles WHERE source = $1 AND sort_time < $2")
                .await?;
            let cutoff = age_cutoff(now, days);
            doomed.extend(
                tx.query(&stmt, &[source, &cutoff])
                    .await?
                    .iter()
                    .map(|r| r.get::<_, i64>(0)),
            );
        }
        if let Some(keep) = rule.max_per_source {
            let stmt = tx
                .prepare_cached(
                    "SELECT id FROM articles WHERE source = $1
                     ORDER BY sort_time DESC, id DESC OFFSET $2",
                )
                .await?;
            let keep = i64::try_from(keep).unwrap_or(i64::MAX);
            doomed.extend(
                tx.query(&stmt, &[source, &keep])
                    .await?
                    .iter()
                    .map(|r| r.get::<_, i64>(0)),
            );
        }
        doomed.sort_unstable();
        doomed.dedup();
        if doomed.is_empty() {
            continue;
        }
        let stmt = tx
            .prepare_cached(
                "INSERT INTO retired (url, retired_at)
                 SELECT url, $2 FROM articles WHERE id = ANY($1)
                 ON CONFLICT (url) DO UPDATE SET retired_at = EXCLUDED.retired_at",
            )
            .await?;
        tx.execute(&stmt, &[&doomed, &now]).await?;
        // Tags and bands go with their story (ON DELETE CASCADE).
        let stmt = tx
            .prepare_cached("DELETE FROM articles WHERE id = ANY($1)")
            .await?;
        tx.execute(&stmt, &[&doomed]).await?;
        removed.push((source.clone(), doomed.len() as u64));
    }
    let stmt = tx
        .prepare_cached("DELETE FROM retired WHERE retired_at < $1")
        .await?;
    tx.execute(&stmt, &[&tombstone_cutoff(now)]).await?;
    tx.commit().await?;
    Ok(removed)
}
