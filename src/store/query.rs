//! [`FeedQuery`] → SQL: the filters every feed is made of.
//!
//! A repeated value ORs, different filters AND. Region and industry ids are
//! expected already expanded to their descendants by the caller (the
//! taxonomy knows the graph; the store does not).

use super::{Store, StoreError, search};
use crate::model::StoredStory;
use jiff::Timestamp;
use rusqlite::types::Value;

/// Which stories a feed holds.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedQuery {
    /// Region ids (any of them), descendants included.
    pub regions: Vec<String>,
    /// Industry ids (any of them), descendants included.
    pub industries: Vec<String>,
    /// Language subtags (`zh`, `en` ...).
    pub langs: Vec<String>,
    /// Source ids.
    pub sources: Vec<String>,
    /// Full-text query; every term must appear.
    pub q: Option<String>,
    /// Only stories published (or first seen) at or after this time.
    pub since: Option<Timestamp>,
    /// Region and industry filters match the primary tag only.
    pub primary_only: bool,
    /// One story per near-duplicate cluster, naming the other sources.
    pub collapse_clusters: bool,
    /// Most stories returned.
    pub limit: usize,
}

impl Default for FeedQuery {
    fn default() -> Self {
        Self {
            regions: Vec::new(),
            industries: Vec::new(),
            langs: Vec::new(),
            sources: Vec::new(),
            q: None,
            since: None,
            primary_only: false,
            collapse_clusters: false,
            limit: 50,
        }
    }
}

impl Store {
    /// Stories matching a query, newest first.
    pub fn query(&self, query: &FeedQuery) -> Result<Vec<StoredStory>, StoreError> {
        let (sql, args) = build_sql(query);
        let Some(sql) = sql else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut ids = Vec::new();
        let mut clusters_seen = std::collections::HashSet::new();
        for row in rows {
            let (id, cluster) = row?;
            if query.collapse_clusters && !clusters_seen.insert(cluster) {
                continue;
            }
            ids.push(id);
            if ids.len() >= query.limit {
                break;
            }
        }
        drop(stmt);
        let mut stories = self.load_stories(&ids)?;
        if query.collapse_clusters {
            for story in &mut stories {
                story.also_from = self.cluster_sources(story.cluster, &story.article.source)?;
            }
        }
        Ok(stories)
    }
}

/// The SQL and its arguments; `None` when the query cannot match anything
/// (e.g. a full-text query with no searchable term).
fn build_sql(query: &FeedQuery) -> (Option<String>, Vec<Value>) {
    let mut conditions: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let placeholders = |values: &[String], args: &mut Vec<Value>| -> String {
        let start = args.len();
        args.extend(values.iter().map(|v| Value::Text(v.clone())));
        (start + 1..=args.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (kind, values, primary_col) in [
        ("region", &query.regions, "primary_region"),
        ("industry", &query.industries, "primary_industry"),
    ] {
        if values.is_empty() {
            continue;
        }
        let list = placeholders(values, &mut args);
        if query.primary_only {
            conditions.push(format!("a.{primary_col} IN ({list})"));
        } else {
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.kind = '{kind}' AND t.tag IN ({list}))"
            ));
        }
    }
    if !query.langs.is_empty() {
        let list = placeholders(&query.langs, &mut args);
        conditions.push(format!("a.lang IN ({list})"));
    }
    if !query.sources.is_empty() {
        let list = placeholders(&query.sources, &mut args);
        conditions.push(format!("a.source IN ({list})"));
    }
    if let Some(since) = query.since {
        args.push(Value::Integer(since.as_second()));
        conditions.push(format!("a.sort_time >= ?{}", args.len()));
    }
    if let Some(q) = &query.q {
        let Some(expr) = search::match_expression(q) else {
            return (None, args);
        };
        args.push(Value::Text(expr));
        conditions.push(format!(
            "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?{})",
            args.len()
        ));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    // Collapsing drops rows after the query, so ask for more.
    let limit = if query.collapse_clusters {
        query.limit.saturating_mul(4)
    } else {
        query.limit
    };
    args.push(Value::Integer(limit as i64));
    let sql = format!(
        "SELECT a.id, a.cluster FROM articles a {filter} ORDER BY a.sort_time DESC, a.id DESC LIMIT ?{}",
        args.len()
    );
    (Some(sql), args)
}
