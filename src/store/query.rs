//! [`FeedQuery`] → SQL: the filters every feed is made of.
//!
//! A repeated value ORs, different filters AND. Stories carry the tags of
//! every ancestor of their regions (classification rolls them up), so a
//! requested region matches everything below it without expanding it here.
//!
//! Every query returns the newest matches by (time, id), whichever way it
//! is walked. Speed at a million stories comes from where it starts:
//! * with `q`, from the full-text index, newest rows first, stopping at the
//!   limit; row ids are insertion order, so the time index then adds any
//!   older row that is newer by time (a backfill, a re-dated story);
//! * with `q` and region or industry filters that are rare together while
//!   the text is common, from the rarest tag as below, then keeping the
//!   candidates the text index holds, read as runs of row ids (a per-story
//!   probe of the text index costs tens of microseconds). The choice
//!   weighs the text matches both walks read against the tag rows the tag
//!   walk sifts, with the text's share from how far back its newest 256
//!   matches reach and the tags' from `tag_counts`;
//! * with region or industry filters, from the rarest one's tag index, which
//!   is ordered by time (and by language first, when languages are asked
//!   for, so only stories in those languages are walked), probing the
//!   others through their own tag index by (time, id), so consecutive
//!   probes read the same pages;
//! * with `primary`, from the primary-industry index when industries are
//!   asked for;
//! * otherwise from the time index.
//!
//! An index walk is ordered only for one value of the columns before the
//! time, so a list of values (two industries, two languages) is walked
//! once per value, each walk stopping at the limit, and the walks are
//! merged here. Either way no query sorts more than it returns. With
//! `collapse`, each walk asks for four times the limit and one story per
//! cluster is kept among the newest four times the limit of all walks.

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
        self.query_with(query, driver)
    }

    /// [`Store::query`] started from a given driver. Every driver returns
    /// the same stories: the newest by (time, id) that match.
    pub(super) fn query_with(
        &self,
        query: &FeedQuery,
        driver: Driver,
    ) -> Result<Vec<StoredStory>, StoreError> {
        let want = fetch_limit(query);
        let mut found = self.matches(query, driver)?;
        // A full-text walk goes by row id, which is insertion order, not
        // time: a story stored late with an early date, or re-dated, sits
        // out of place. The walk found every match from its lowest row id
        // up; the time index gives any below it that is newer by time.
        if driver == Driver::FullText
            && found.len() == want
            && let (Some(below_id), Some(&(time, id, _))) =
                (found.iter().map(|row| row.1).min(), found.last())
        {
            let late = Driver::TimeAfter { time, id, below_id };
            found.extend(self.matches(query, late)?);
            newest_first(&mut found, want);
        }
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

    /// The newest matches a driver finds, at most [`fetch_limit`], newest
    /// first. A driver other than the full-text index finds the stories
    /// that pass every other filter and keeps those the text index holds,
    /// asking for more candidates until enough are kept.
    fn matches(&self, query: &FeedQuery, driver: Driver) -> Result<Vec<Row>, StoreError> {
        let want = fetch_limit(query);
        let text = match &query.q {
            Some(text) if driver != Driver::FullText => match search::match_expression(text) {
                Some(expr) => Some(expr),
                None => return Ok(Vec::new()),
            },
            _ => None,
        };
        let Some(expr) = text else {
            let mut rows = self.walk(query, driver, want)?;
            newest_first(&mut rows, want);
            return Ok(rows);
        };
        let mut asked = want.saturating_mul(4).max(64);
        loop {
            let mut rows = self.walk(query, driver, asked)?;
            newest_first(&mut rows, asked);
            let complete = rows.len() < asked;
            // Newest candidates first, a limit's worth at a time, so the
            // text index is read no further back than the matches reach.
            let mut kept = Vec::with_capacity(want);
            for chunk in rows.chunks(want.max(16)) {
                let has_text =
                    self.text_ids_among(&expr, chunk.iter().map(|row| row.1).collect())?;
                kept.extend(chunk.iter().filter(|row| has_text.contains(&row.1)));
                if kept.len() >= want {
                    kept.truncate(want);
                    return Ok(kept);
                }
            }
            if complete {
                return Ok(kept);
            }
            asked = asked.saturating_mul(4);
        }
    }

    /// Which of `ids` the text index matches. Read as runs of row ids from
    /// the index (a fraction of a microsecond a row) rather than probed one
    /// by one (each probe sets up the whole expression again, tens of
    /// microseconds); a run breaks where the ids are far apart.
    fn text_ids_among(
        &self,
        expr: &str,
        mut ids: Vec<i64>,
    ) -> Result<std::collections::HashSet<i64>, StoreError> {
        ids.sort_unstable();
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3",
        )?;
        let mut found = std::collections::HashSet::new();
        let mut start = 0;
        for end in 1..=ids.len() {
            if end < ids.len() && ids[end] - ids[end - 1] <= TEXT_RUN_GAP {
                continue;
            }
            let rows = stmt.query_map(rusqlite::params![expr, ids[start], ids[end - 1]], |r| {
                r.get::<_, i64>(0)
            })?;
            for id in rows {
                found.insert(id?);
            }
            start = end;
        }
        Ok(found)
    }

    /// The (time, id, cluster) rows every walk of a driver finds, each
    /// walk stopping at `limit`.
    fn walk(
        &self,
        query: &FeedQuery,
        driver: Driver,
        limit: usize,
    ) -> Result<Vec<Row>, StoreError> {
        let mut found = Vec::new();
        for (sql, args) in statements(query, driver, limit) {
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
        Ok(found)
    }

    /// Where to start: the full-text index, the tag filter with the fewest
    /// stories, the primary-industry index, or the time index.
    pub(super) fn pick_driver(&self, query: &FeedQuery) -> Result<Driver, StoreError> {
        if let Some(text) = &query.q {
            return self.pick_text_driver(query, text);
        }
        if query.primary_only {
            let scope = primary_scope(&query.industries, &query.primary_industry_scope);
            return Ok(if !scope.is_empty() && scope.len() <= MAX_WALKS {
                Driver::PrimaryIndustry
            } else {
                Driver::Time
            });
        }
        let best = self
            .tag_totals(query)?
            .into_iter()
            .min_by_key(|&(_, n)| n)
            .map(|(kind, _)| Driver::Tag(kind));
        Ok(best.unwrap_or(Driver::Time))
    }

    /// Stories carrying any of the asked region tags, and any of the asked
    /// industry tags, from the counts the triggers keep.
    fn tag_totals(&self, query: &FeedQuery) -> Result<Vec<(&'static str, i64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT n FROM tag_counts WHERE kind = ?1 AND tag = ?2")?;
        let mut totals = Vec::new();
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
            totals.push((kind, total));
        }
        Ok(totals)
    }

    /// With `q`: the full-text walk, or the rarest tag's walk keeping the
    /// candidates the text index holds, whichever reads less.
    ///
    /// Both read the text index over the same span of row ids, the span
    /// holding `limit` matches, where `limit / all tags' share` texts
    /// match; the full-text walk joins each to its story and probes its
    /// tags, the tag walk only reads their ids, but also sifts
    /// `limit / (text's share * other tags' share)` tag rows. The text's
    /// share comes from how far back its newest few hundred matches reach.
    fn pick_text_driver(&self, query: &FeedQuery, text: &str) -> Result<Driver, StoreError> {
        if query.primary_only {
            return Ok(Driver::FullText);
        }
        let totals = self.tag_totals(query)?;
        let Some(&(rarest, _)) = totals.iter().min_by_key(|&&(_, n)| n) else {
            return Ok(Driver::FullText);
        };
        let Some(expr) = search::match_expression(text) else {
            return Ok(Driver::FullText);
        };
        let (sampled, oldest): (i64, Option<i64>) = self
            .conn
            .prepare_cached(
                "SELECT count(*), min(rowid) FROM
                 (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2)",
            )?
            .query_row(rusqlite::params![expr, TEXT_SAMPLE], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        // Fewer matches than the sample: the whole text walk is short.
        let (true, Some(oldest)) = (sampled >= TEXT_SAMPLE, oldest) else {
            return Ok(Driver::FullText);
        };
        let (newest, stories) = self.id_span()?;
        let stories = stories.max(1) as f64;
        let text_share = sampled as f64 / (newest - oldest + 1).max(1) as f64;
        let share = |n: i64| (n as f64 / stories).clamp(1.0 / stories, 1.0);
        let all: f64 = totals.iter().map(|&(_, n)| share(n)).product();
        let others: f64 = totals
            .iter()
            .filter(|&&(kind, _)| kind != rarest)
            .map(|&(_, n)| share(n))
            .product();
        let want = fetch_limit(query) as f64;
        let texts = want / all;
        let text_walk = texts * TEXT_WALK_STEP;
        // The tag walk asks for four times the limit at first.
        let candidates = (want / (text_share * others)).max(4.0 * want);
        let tag_walk = candidates * TAG_WALK_STEP + texts * TEXT_SCAN_STEP + TEXT_READ_SETUP;
        Ok(if tag_walk < text_walk {
            Driver::Tag(rarest)
        } else {
            Driver::FullText
        })
    }

    /// The newest row id, and about how many stories the store holds,
    /// from the ends of the row ids (`COUNT(*)` reads every row).
    fn id_span(&self) -> Result<(i64, i64), StoreError> {
        Ok(self.conn.query_row(
            // Two subqueries: SQLite reads MIN or MAX from the ends of the
            // b-tree only when it is alone in its SELECT.
            "SELECT COALESCE((SELECT MAX(id) FROM articles), 0),
                    COALESCE((SELECT MAX(id) FROM articles) - (SELECT MIN(id) FROM articles) + 1, 0)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}

/// Costs of one step of each walk, in microseconds (measured at 100k
/// stories): a text match joined to its story with its tags probed, a tag
/// row sifted with the other tags probed, a text match's id read.
const TEXT_WALK_STEP: f64 = 4.0;
const TAG_WALK_STEP: f64 = 1.0;
const TEXT_SCAN_STEP: f64 = 0.5;
/// Setting up one read of the text index, in microseconds.
const TEXT_READ_SETUP: f64 = 100.0;

/// Newest text matches read to tell how common the text is.
const TEXT_SAMPLE: i64 = 256;

/// Row ids further apart than this are read from the text index as two
/// runs: setting up a read costs about as much as reading this many ids.
const TEXT_RUN_GAP: i64 = 1024;

/// A story as a walk finds it: (time, id, cluster).
type Row = (i64, i64, i64);

/// Newest first by (time, id), each story once, at most `limit`.
fn newest_first(rows: &mut Vec<Row>, limit: usize) {
    rows.sort_unstable_by_key(|row| std::cmp::Reverse((row.0, row.1)));
    rows.dedup_by_key(|row| row.1);
    rows.truncate(limit);
}

/// Rows one walk asks for: collapsing drops rows after the query, so more.
fn fetch_limit(query: &FeedQuery) -> usize {
    if query.collapse_clusters {
        query.limit.saturating_mul(4)
    } else {
        query.limit
    }
}

/// Where a query starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Driver {
    Time,
    FullText,
    Tag(&'static str),
    PrimaryIndustry,
    /// The time index, from the newest down to just after (`time`, `id`),
    /// over row ids below `below_id`: what a full-text walk that stopped
    /// at `below_id` may have missed.
    TimeAfter {
        time: i64,
        id: i64,
        below_id: i64,
    },
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
pub(super) fn statements(
    query: &FeedQuery,
    driver: Driver,
    limit: usize,
) -> Vec<(String, Vec<Value>)> {
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
        Driver::Time | Driver::FullText | Driver::TimeAfter { .. } => vec![Walk {
            values: &[],
            lang: None,
        }],
    };
    walks
        .into_iter()
        .filter_map(|walk| build_sql(query, driver, walk, limit))
        .collect()
}

/// The SQL of one walk and its arguments; `None` when it cannot match.
fn build_sql(
    query: &FeedQuery,
    driver: Driver,
    walk: Walk<'_>,
    limit: usize,
) -> Option<(String, Vec<Value>)> {
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
        Driver::TimeAfter { time, id, below_id } => {
            args.extend([time, id, below_id].map(Value::Integer));
            let n = args.len();
            conditions.push(format!(
                "a.sort_time >= ?{} AND a.id < ?{n} AND (a.sort_time > ?{} OR a.id > ?{})",
                n - 2,
                n - 2,
                n - 1
            ));
        }
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
            // Through the tag's own index, by time then id: the walk goes
            // in time order, so one probe after another reads the same
            // few pages, where the primary key would read a page each.
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM article_tags t INDEXED BY tags_by_tag WHERE t.kind = '{kind}' AND t.tag IN ({list}) AND t.sort_time = {time} AND t.article_id = {id})"
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
    args.push(Value::Integer(limit as i64));
    let sql = format!(
        "SELECT {id}, {cluster}, {time} FROM {from} {filter} ORDER BY {order} LIMIT ?{}",
        args.len()
    );
    Some((sql, args))
}
