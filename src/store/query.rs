//! [`FeedQuery`] → SQL: the filters every feed is made of.
//!
//! A repeated value ORs, different filters AND. Stories carry the tags of
//! every ancestor of their regions (classification rolls them up), so a
//! requested region matches everything below it without expanding it here.
//!
//! Speed at a million stories comes from where a query starts:
//! * with `q`, from the full-text index, newest rows first, stopping at the
//!   limit;
//! * with region or industry filters, from the rarest one's tag index, which
//!   is ordered by time, probing the others by primary key;
//! * otherwise from the time index.
//!
//! Either way no query sorts more than it returns.

use super::{Store, StoreError, search};
use crate::model::StoredStory;
use jiff::Timestamp;
use rusqlite::OptionalExtension;
use rusqlite::types::Value;

/// Which stories a feed holds.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedQuery {
    /// Region ids (any of them); each matches the regions below it too.
    pub regions: Vec<String>,
    /// Industry ids (any of them).
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
    /// With `primary_only`: every region id whose being primary counts as a
    /// match (the requested ids and their descendants). Empty: the requested ids.
    pub primary_region_scope: Vec<String>,
    /// With `primary_only`: likewise for industries.
    pub primary_industry_scope: Vec<String>,
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
            primary_region_scope: Vec::new(),
            primary_industry_scope: Vec::new(),
            collapse_clusters: false,
            limit: 50,
        }
    }
}

impl Store {
    /// Stories matching a query, newest first.
    pub fn query(&self, query: &FeedQuery) -> Result<Vec<StoredStory>, StoreError> {
        let driver = self.pick_driver(query)?;
        let (sql, args) = build_sql(query, driver);
        let Some(sql) = sql else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut found = Vec::new();
        let mut clusters_seen = std::collections::HashSet::new();
        for row in rows {
            let (id, cluster, sort_time) = row?;
            if query.collapse_clusters && !clusters_seen.insert(cluster) {
                continue;
            }
            found.push((sort_time, id));
            if found.len() >= query.limit {
                break;
            }
        }
        drop(stmt);
        // Full-text results come in storage order; serve them by time.
        found.sort_by(|a, b| b.cmp(a));
        let ids: Vec<i64> = found.into_iter().map(|(_, id)| id).collect();
        let mut stories = self.load_stories(&ids)?;
        if query.collapse_clusters {
            for story in &mut stories {
                story.also_from = self.cluster_sources(story.cluster, &story.article.source)?;
            }
        }
        Ok(stories)
    }

    /// The tag filter with the fewest stories, to start the query from.
    pub(super) fn pick_driver(&self, query: &FeedQuery) -> Result<Driver, StoreError> {
        if query.q.is_some() {
            return Ok(Driver::FullText);
        }
        if query.primary_only {
            return Ok(Driver::Time);
        }
        let mut best: Option<(i64, Driver)> = None;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT n FROM tag_counts WHERE kind = ?1 AND tag = ?2")?;
        for (kind, values) in [("region", &query.regions), ("industry", &query.industries)] {
            if values.is_empty() {
                continue;
            }
            let mut total = 0i64;
            for value in values {
                total += stmt
                    .query_row([kind, value], |r| r.get::<_, i64>(0))
                    .optional()?
                    .unwrap_or(0);
            }
            if best.as_ref().is_none_or(|(n, _)| total < *n) {
                best = Some((total, Driver::Tag(kind)));
            }
        }
        Ok(best.map(|(_, d)| d).unwrap_or(Driver::Time))
    }
}

/// Where a query starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Driver {
    Time,
    FullText,
    Tag(&'static str),
}

/// The SQL and its arguments; `None` when the query cannot match anything
/// (e.g. a full-text query with no searchable term).
pub(super) fn build_sql(query: &FeedQuery, driver: Driver) -> (Option<String>, Vec<Value>) {
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
    let mut from = String::from("articles a");
    let mut order = String::from("a.sort_time DESC, a.id DESC");
    match driver {
        Driver::FullText => {
            let Some(expr) = query.q.as_deref().and_then(search::match_expression) else {
                return (None, args);
            };
            args.push(Value::Text(expr));
            from = format!(
                "articles_fts f JOIN articles a ON a.id = f.rowid AND f.articles_fts MATCH ?{}",
                args.len()
            );
            order = "f.rowid DESC".into();
        }
        Driver::Tag(kind) => {
            let values = if kind == "region" {
                &query.regions
            } else {
                &query.industries
            };
            let list = placeholders(values, &mut args);
            from = format!(
                "article_tags d JOIN articles a ON a.id = d.article_id AND d.kind = '{kind}' AND d.tag IN ({list})"
            );
            order = "d.sort_time DESC, d.article_id DESC".into();
        }
        Driver::Time => {}
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
        if values.is_empty() || driver == Driver::Tag(kind) {
            continue;
        }
        if query.primary_only {
            let scope = if scope.is_empty() { values } else { scope };
            let list = placeholders(scope, &mut args);
            conditions.push(format!("a.{primary_col} IN ({list})"));
        } else {
            let list = placeholders(values, &mut args);
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
        "SELECT a.id, a.cluster, a.sort_time FROM {from} {filter} ORDER BY {order} LIMIT ?{}",
        args.len()
    );
    (Some(sql), args)
}
