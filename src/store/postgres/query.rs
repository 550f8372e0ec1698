//! [`FeedQuery`] → PostgreSQL SQL, loading stories and held values.
//!
//! One statement a query: every filter is a condition, the order is
//! (sort_time, id) descending and the limit is the backend's
//! [`fetch_limit`], so the planner picks the index (time, source,
//! language, primary industry or region, the tag index through the
//! semi-join, or the GIN full-text index) from its statistics. With `q`,
//! languages, sources and (unless `primary`) regions and industries are
//! part of the `tsquery` (text.rs), as on SQLite, so the GIN index
//! answers them together with the text.

use super::text;
use crate::model::{StoredStory, StoredTag};
use crate::store::StoreError;
use crate::store::feed_query::{FeedQuery, HeldValues, Row, fetch_limit, primary_scope};
use deadpool_postgres::Pool;
use std::collections::HashMap;
use tokio_postgres::types::ToSql;

/// A statement's SQL and its parameters.
struct Statement {
    sql: String,
    params: Vec<Box<dyn ToSql + Sync + Send>>,
}

impl Statement {
    /// Adds a parameter; returns its placeholder.
    fn param(&mut self, value: impl ToSql + Sync + Send + 'static) -> String {
        self.params.push(Box::new(value));
        format!("${}", self.params.len())
    }
}

/// The SQL of a query; `None` when it cannot match (text with nothing
/// searchable).
fn statement(query: &FeedQuery) -> Option<Statement> {
    let mut st = Statement {
        sql: String::new(),
        params: Vec::new(),
    };
    let mut conditions: Vec<String> = Vec::new();
    let in_index = query.q.is_some();
    if in_index {
        let tsquery = text::tsquery(query)?;
        let p = st.param(tsquery);
        conditions.push(format!("a.search @@ {p}::text::tsquery"));
    }
    for (kind, values, scope, primary_col) in [
        (
            "region",
            &query.regions,
            &query.primary_region_scope,
            "primary_region",
        ),
        (
            "industry",
            &query.industries,
            &query.primary_industry_scope,
            "primary_industry",
        ),
    ] {
        if values.is_empty() {
            continue;
        }
        if query.primary_only {
            let p = st.param(primary_scope(values, scope).to_vec());
            conditions.push(format!("a.{primary_col} = ANY({p}::text[])"));
        } else if !in_index {
            let p = st.param(values.clone());
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id \
                 AND t.kind = '{kind}' AND t.tag = ANY({p}::text[]))"
            ));
        }
    }
    if !in_index {
        for (column, values) in [("lang", &query.langs), ("source", &query.sources)] {
            if !values.is_empty() {
                let p = st.param(values.clone());
                conditions.push(format!("a.{column} = ANY({p}::text[])"));
            }
        }
    }
    if let Some(since) = query.since {
        let p = st.param(since.as_second());
        conditions.push(format!("a.sort_time >= {p}::bigint"));
    }
    let limit = st.param(fetch_limit(query) as i64);
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    st.sql = format!(
        "SELECT a.sort_time, a.id, a.cluster FROM articles a {filter}
         ORDER BY a.sort_time DESC, a.id DESC LIMIT {limit}::bigint"
    );
    Some(st)
}

/// The newest matches of a query, newest first by (time, id).
pub(super) async fn matches(pool: &Pool, query: &FeedQuery) -> Result<Vec<Row>, StoreError> {
    let Some(st) = statement(query) else {
        return Ok(Vec::new());
    };
    let client = pool.get().await?;
    let stmt = client.prepare_cached(&st.sql).await?;
    let params: Vec<&(dyn ToSql + Sync)> = st
        .params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect();
    Ok(client
        .query(&stmt, &params)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// Full stories by row id, in the given order; missing ids are skipped.
/// Two statements whatever the number of stories.
pub(super) async fn load_stories(pool: &Pool, ids: &[i64]) -> Result<Vec<StoredStory>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let client = pool.get().await?;
    let stmt = client
        .prepare_cached(
            "SELECT id, data, cluster, first_seen, updated, item_updated FROM articles
             WHERE id = ANY($1)",
        )
        .await?;
    let rows = client.query(&stmt, &[&ids]).await?;
    let stmt = client
        .prepare_cached(
            "SELECT article_id, kind, tag, score, is_primary FROM article_tags
             WHERE article_id = ANY($1) ORDER BY article_id, score DESC, tag",
        )
        .await?;
    let mut tags: HashMap<i64, Vec<(String, StoredTag)>> = HashMap::new();
    for r in client.query(&stmt, &[&ids]).await? {
        tags.entry(r.get(0)).or_default().push((
            r.get(1),
            StoredTag {
                id: r.get(2),
                score: r.get::<_, f64>(3) as f32,
                primary: r.get(4),
            },
        ));
    }
    let mut by_id: HashMap<i64, &tokio_postgres::Row> =
        rows.iter().map(|r| (r.get(0), r)).collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(r) = by_id.remove(id) else {
            continue;
        };
        out.push(crate::store::row::stored_story(
            *id,
            r.get(1),
            r.get(2),
            [r.get(3), r.get(4)],
            r.get(5),
            tags.remove(id).unwrap_or_default(),
        )?);
    }
    Ok(out)
}

/// Languages, sources, regions and industries of stored stories, each
/// read by a skip scan of its index (one index probe per distinct value,
/// not a scan of every story).
pub(super) async fn held_values(pool: &Pool) -> Result<HeldValues, StoreError> {
    let client = pool.get().await?;
    let mut held = HeldValues::default();
    for column in ["lang", "source"] {
        let sql = format!(
            "WITH RECURSIVE v(x) AS (
                 (SELECT {column} FROM articles ORDER BY {column} LIMIT 1)
                 UNION ALL
                 SELECT (SELECT {column} FROM articles WHERE {column} > v.x ORDER BY {column} LIMIT 1)
                 FROM v WHERE v.x IS NOT NULL
             ) SELECT x FROM v WHERE x IS NOT NULL"
        );
        let stmt = client.prepare_cached(&sql).await?;
        let values = client.query(&stmt, &[]).await?;
        let list = values.iter().map(|r| r.get(0)).collect();
        match column {
            "lang" => held.langs = list,
            _ => held.sources = list,
        }
    }
    let stmt = client
        .prepare_cached(
            "WITH RECURSIVE v(kind, tag) AS (
                 (SELECT kind, tag FROM article_tags ORDER BY kind, tag LIMIT 1)
                 UNION ALL
                 SELECT n.kind, n.tag FROM v, LATERAL (
                     SELECT kind, tag FROM article_tags
                     WHERE (kind, tag) > (v.kind, v.tag) ORDER BY kind, tag LIMIT 1
                 ) n
             ) SELECT kind, tag FROM v",
        )
        .await?;
    for r in client.query(&stmt, &[]).await? {
        let (kind, tag): (String, String) = (r.get(0), r.get(1));
        match kind.as_str() {
            "region" => held.regions.push(tag),
            "industry" => held.industries.push(tag),
            _ => {}
        }
    }
    Ok(held)
}
