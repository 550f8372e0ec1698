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
//!   is ordered by time (and by language first, when languages are asked
//!   for, so only stories in those languages are walked), probing the
//!   others by primary key;
//! * with `primary`, from the primary-industry index when industries are
//!   asked for;
//! * otherwise from the time index.
//!
//! An index walk is ordered only for one value of the columns before the
//! time, so a list of values (two industries, two languages) is walked
//! once per value, each walk stopping at the limit, and the walks are
//! merged here. Either way no query sorts more than it returns.

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

/// Walks one query may be split into at most; beyond that, one walk over
/// the whole list sorts its matches instead.
const MAX_WALKS: usize = 16;

impl Store {
    /// Stories matching a query, newest first.
    pub fn query(&self, query: &FeedQuery) -> Result<Vec<StoredStory>, StoreError> {
        let driver = self.pick_driver(query)?;
        let mut found: Vec<(i64, i64, i64)> = Vec::new();
        for (sql, args) in statements(query, driver) {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
                Ok((
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                ))
            })?;
            for row in rows {
                found.push(row?);
            }
        }
        // Newest first (full-text walks come in storage order); a story
        // found by two walks counts once.
        found.sort_unstable_by_key(|row| std::cmp::Reverse((row.0, row.1)));
        found.dedup_by_key(|row| row.1);
        let mut clusters_seen = std::collections::HashSet::new();
        let ids: Vec<i64> = found
            .into_iter()
            .filter(|&(_, _, cluster)| !query.collapse_clusters || clusters_seen.insert(cluster))
            .map(|(_, id, _)| id)
            .take(query.limit)
            .collect();
        let mut stories = self.load_stories(&ids)?;
        if query.collapse_clusters {
            for story in &mut stories {
                story.also_from = self.cluster_sources(story.cluster, &story.article.source)?;
            }
        }
        Ok(stories)
    }

    /// Where to start: the full-text index, the tag filter with the fewest
    /// stories, the primary-industry index, or the time index.
    pub(super) fn pick_driver(&self, query: &FeedQuery) -> Result<Driver, StoreError> {
        if query.q.is_some() {
            return Ok(Driver::FullText);
        }
        if query.primary_only {
            let scope = primary_scope(&query.industries, &query.primary_industry_scope);
            return Ok(if !scope.is_empty() && scope.len() <= MAX_WALKS {
                Driver::PrimaryIndustry
            } else {
                Driver::Time
            });
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
    PrimaryIndustry,
}

/// The ids whose being primary counts as a match: the scope, else the
/// requested ids themselves.
fn primary_scope<'a>(values: &'a [String], scope: &'a [String]) -> &'a [String] {
    if scope.is_empty() { values } else { scope }
}

/// Each value as a list of its own.
fn single(values: &[String]) -> Vec<&[String]> {
    values.iter().map(std::slice::from_ref).collect()
}

/// One ordered index walk: the driver values it covers and, for a tag
/// walk, the one language it covers through the index.
#[derive(Debug, Clone, Copy)]
struct Walk<'a> {
    values: &'a [String],
    lang: Option<&'a str>,
}

/// The statements of a query, one per walk, each with its arguments. Empty
/// when the query cannot match anything (e.g. a full-text query with no
/// searchable term).
pub(super) fn statements(query: &FeedQuery, driver: Driver) -> Vec<(String, Vec<Value>)> {
    let walks: Vec<Walk<'_>> = match driver {
        Driver::Tag(kind) => {
            let values = if kind == "region" {
                &query.regions
            } else {
                &query.industries
            };
            let langs: Vec<Option<&str>> = if query.langs.is_empty() {
                vec![None]
            } else {
                query.langs.iter().map(|l| Some(l.as_str())).collect()
            };
            if values.len() * langs.len() <= MAX_WALKS {
                single(values)
                    .into_iter()
                    .flat_map(|v| langs.iter().map(move |&lang| Walk { values: v, lang }))
                    .collect()
            } else {
                vec![Walk { values, lang: None }]
            }
        }
        Driver::PrimaryIndustry => single(primary_scope(
            &query.industries,
            &query.primary_industry_scope,
        ))
        .into_iter()
        .map(|values| Walk { values, lang: None })
        .collect(),
        Driver::Time | Driver::FullText => vec![Walk {
            values: &[],
            lang: None,
        }],
    };
    walks
        .into_iter()
        .filter_map(|walk| build_sql(query, driver, walk))
        .collect()
}

/// The SQL of one walk and its arguments; `None` when it cannot match.
fn build_sql(query: &FeedQuery, driver: Driver, walk: Walk<'_>) -> Option<(String, Vec<Value>)> {
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
    let mut langs_done = false;
    // Columns as the walk reads them. A tag walk that needs nothing else
    // of the story reads its tag rows only (they carry id, time and
    // language), so the wide story rows are not touched while candidates
    // are sifted.
    let tags_only = matches!(driver, Driver::Tag(_))
        && query.sources.is_empty()
        && !query.primary_only
        && !query.collapse_clusters;
    let (id, time, lang_col, cluster) = if tags_only {
        ("d.article_id", "d.sort_time", "d.lang", "0")
    } else {
        ("a.id", "a.sort_time", "a.lang", "a.cluster")
    };
    match driver {
        Driver::FullText => {
            let expr = query.q.as_deref().and_then(search::match_expression)?;
            args.push(Value::Text(expr));
            from = format!(
                "articles_fts f JOIN articles a ON a.id = f.rowid AND f.articles_fts MATCH ?{}",
                args.len()
            );
            order = "f.rowid DESC".into();
        }
        Driver::Tag(kind) => {
            let list = placeholders(walk.values, &mut args);
            let tag = if walk.values.len() == 1 {
                format!("d.tag = {list}")
            } else {
                format!("d.tag IN ({list})")
            };
            let lang = match walk.lang {
                Some(lang) => {
                    langs_done = true;
                    args.push(Value::Text(lang.to_string()));
                    format!(" AND d.lang = ?{}", args.len())
                }
                None => String::new(),
            };
            from = if tags_only {
                conditions.push(format!("d.kind = '{kind}' AND {tag}{lang}"));
                "article_tags d".to_string()
            } else {
                format!(
                    "article_tags d JOIN articles a ON a.id = d.article_id AND d.kind = '{kind}' AND {tag}{lang}"
                )
            };
            order = "d.sort_time DESC, d.article_id DESC".into();
        }
        Driver::PrimaryIndustry => {
            let list = placeholders(walk.values, &mut args);
            conditions.push(format!("a.primary_industry = {list}"));
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
        let driven = driver == Driver::Tag(kind)
            || (driver == Driver::PrimaryIndustry && kind == "industry");
        if values.is_empty() || driven {
            continue;
        }
        if query.primary_only {
            let list = placeholders(primary_scope(values, scope), &mut args);
            conditions.push(format!("a.{primary_col} IN ({list})"));
        } else {
            let list = placeholders(values, &mut args);
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = {id} AND t.kind = '{kind}' AND t.tag IN ({list}))"
            ));
        }
    }
    if !query.langs.is_empty() && !langs_done {
        let list = placeholders(&query.langs, &mut args);
        conditions.push(format!("{lang_col} IN ({list})"));
    }
    if !query.sources.is_empty() {
        let list = placeholders(&query.sources, &mut args);
        conditions.push(format!("a.source IN ({list})"));
    }
    if let Some(since) = query.since {
        args.push(Value::Integer(since.as_second()));
        conditions.push(format!("{time} >= ?{}", args.len()));
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
        "SELECT {id}, {cluster}, {time} FROM {from} {filter} ORDER BY {order} LIMIT ?{}",
        args.len()
    );
    Some((sql, args))
}
