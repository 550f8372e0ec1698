//! [`FeedQuery`] → SQLite SQL (the filters are described in
//! store/feed_query.rs).
//!
//! Every query returns the newest matches by (time, id), whichever way it
//! is walked. Speed at a million stories comes from where it starts:
//! * with `q`, from the full-text index, newest rows first, stopping at the
//!   limit. The index holds each story's regions, industries, language and
//!   source as tokens (search.rs), so those filters are one intersection
//!   inside FTS5, which skips through the rarest list, rather than a
//!   sifting of text matches (only `primary` is checked on the story).
//!   Row ids are insertion order, so a story stored early with a late date
//!   is then looked for in the few blocks of row ids whose newest date
//!   reaches the oldest found (`id_block_times`), or, after a backfill, on
//!   the time index;
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

use super::SqliteStore;
use crate::store::StoreError;
use crate::store::feed_query::{
    FeedQuery, HeldValues, Row, fetch_limit, newest_first, primary_scope,
};
use crate::store::search::{self, Filter};
use rusqlite::OptionalExtension;
use rusqlite::types::Value;

/// Walks one query may be split into at most; beyond that, one walk over
/// the whole list sorts its matches instead.
const MAX_WALKS: usize = 16;

impl SqliteStore {
    /// The newest matches of a query, started from a given driver. Every
    /// driver returns the same stories: the newest by (time, id) that
    /// match, at most [`fetch_limit`].
    pub(super) fn matches_with(
        &self,
        query: &FeedQuery,
        driver: Driver,
    ) -> Result<Vec<Row>, StoreError> {
        let want = fetch_limit(query);
        let mut found = self.matches(query, driver)?;
        // A full-text walk goes by row id, which is insertion order, not
        // time: a story stored early with a late date sits out of place.
        // The walk found every match from its lowest row id up; below it,
        // only the blocks of row ids holding a story as new as the oldest
        // found can hold a match newer by time. Those are read from the
        // text index when they are fewer ids than the walk read (stories
        // stored in about date order leave one), else the time index is
        // walked down to the oldest found (after a backfill, where the
        // walk read late-stored old stories first).
        if driver == Driver::FullText
            && found.len() == want
            && let (Some(below_id), Some(above_id), Some(&(time, id, _))) = (
                found.iter().map(|row| row.1).min(),
                found.iter().map(|row| row.1).max(),
                found.last(),
            )
        {
            let blocks = self.blocks_reaching(below_id, time)?;
            let block_ids: i64 = blocks.iter().map(|(from, to)| to - from + 1).sum();
            let late: Vec<Driver> = if block_ids <= above_id - below_id + 1 {
                blocks
                    .into_iter()
                    .map(|(from_id, to_id)| Driver::LateText {
                        from_id,
                        to_id,
                        time,
                        id,
                    })
                    .collect()
            } else {
                vec![Driver::TimeAfter { time, id, below_id }]
            };
            for driver in late {
                found.extend(self.matches(query, driver)?);
            }
            newest_first(&mut found, want);
        }
        Ok(found)
    }

    /// The newest matches a driver finds, at most [`fetch_limit`], newest
    /// first. A driver other than the full-text index finds the stories
    /// that pass every other filter and keeps those the text index holds,
    /// asking for more candidates until enough are kept.
    fn matches(&self, query: &FeedQuery, driver: Driver) -> Result<Vec<Row>, StoreError> {
        let want = fetch_limit(query);
        let text = match &query.q {
            Some(text) if !driver.reads_text_index() => match search::match_expression(text) {
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

    /// What the store holds: languages, sources, and the tags of stored
    /// stories, from the tag counts the triggers keep.
    pub(super) fn held(&self) -> Result<HeldValues, StoreError> {
        let mut tags = self
            .conn
            .prepare_cached("SELECT kind, tag FROM tag_counts WHERE n > 0 ORDER BY kind, tag")?;
        let mut held = HeldValues {
            langs: self.distinct_values("lang")?,
            sources: self.distinct_values("source")?,
            ..HeldValues::default()
        };
        let rows = tags.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (kind, tag) = row?;
            match kind.as_str() {
                "region" => held.regions.push(tag),
                "industry" => held.industries.push(tag),
                _ => {}
            }
        }
        Ok(held)
    }

    /// The distinct values of an indexed column of `articles`, by one
    /// index seek per value rather than a scan of every story.
    fn distinct_values(&self, column: &'static str) -> Result<Vec<String>, StoreError> {
        let mut first = self
            .conn
            .prepare_cached(&format!("SELECT MIN({column}) FROM articles"))?;
        let mut next = self.conn.prepare_cached(&format!(
            "SELECT MIN({column}) FROM articles WHERE {column} > ?1"
        ))?;
        let mut values = Vec::new();
        let mut current: Option<String> = first.query_row([], |r| r.get(0))?;
        while let Some(value) = current {
            current = next.query_row([&value], |r| r.get(0))?;
            values.push(value);
        }
        Ok(values)
    }

    /// Row-id ranges below `below_id` that may hold a story dated at or
    /// after `time`, from the newest date each block of row ids holds
    /// (kept by triggers, see schema.rs). Stories stored in about the
    /// order of their dates leave only the block at the boundary.
    fn blocks_reaching(&self, below_id: i64, time: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT block FROM id_block_times WHERE block <= ?1 AND max_time >= ?2 ORDER BY block DESC",
        )?;
        let blocks = stmt.query_map([below_id >> ID_BLOCK_BITS, time], |r| r.get::<_, i64>(0))?;
        let mut ranges: Vec<(i64, i64)> = Vec::new();
        for block in blocks {
            let from_id = block? << ID_BLOCK_BITS;
            let to_id = (from_id + (1 << ID_BLOCK_BITS) - 1).min(below_id - 1);
            match ranges.last_mut() {
                // Neighbouring blocks are read as one range.
                Some(last) if last.0 == to_id + 1 => last.0 = from_id,
                _ if from_id <= to_id => ranges.push((from_id, to_id)),
                _ => {}
            }
        }
        Ok(ranges)
    }
}

/// Row ids per block of `id_block_times` (`id >> ID_BLOCK_BITS`), as the
/// migration's triggers write it.
const ID_BLOCK_BITS: i64 = 10;

/// Row ids further apart than this are read from the text index as two
/// runs: setting up a read costs about as much as reading this many ids.
const TEXT_RUN_GAP: i64 = 1024;

/// Where a query starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Driver {
    Time,
    FullText,
    Tag(&'static str),
    PrimaryIndustry,
    /// The full-text index over row ids `from_id..=to_id`, keeping stories
    /// newer by (time, id) than (`time`, `id`): what a full-text walk that
    /// stopped above `from_id` may have missed.
    LateText {
        from_id: i64,
        to_id: i64,
        time: i64,
        id: i64,
    },
    /// The time index, from the newest down to just after (`time`, `id`),
    /// over row ids below `below_id`: the same, for when the full-text
    /// walk stopped far up.
    TimeAfter {
        time: i64,
        id: i64,
        below_id: i64,
    },
}

impl Driver {
    /// Whether the walk is of the full-text index, which then matches the
    /// text and every filter it holds as tokens.
    fn reads_text_index(self) -> bool {
        matches!(self, Driver::FullText | Driver::LateText { .. })
    }
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
        Driver::Time | Driver::FullText | Driver::LateText { .. } | Driver::TimeAfter { .. } => {
            vec![Walk {
                values: &[],
                lang: None,
            }]
        }
    };
    walks
        .into_iter()
        .filter_map(|walk| build_sql(query, driver, walk, limit))
        .collect()
}

/// The full-text expression of a query with its filters that the index
/// holds as tokens: languages, sources, and (but for `primary`, which
/// the index does not know) regions and industries. `None` when the text
/// has nothing searchable.
fn text_and_filters(query: &FeedQuery) -> Option<String> {
    let mut expr = search::match_expression(query.q.as_deref()?)?;
    // `primary` regions and industries are checked on the story instead.
    let (regions, industries): (&[String], &[String]) = if query.primary_only {
        (&[], &[])
    } else {
        (&query.regions, &query.industries)
    };
    for (filter, values) in [
        (Filter::Region, regions),
        (Filter::Industry, industries),
        (Filter::Lang, &query.langs),
        (Filter::Source, &query.sources),
    ] {
        if let Some(filter) = search::filter_expression(filter, values) {
            expr.push_str(" AND ");
            expr.push_str(&filter);
        }
    }
    Some(expr)
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
        Driver::FullText | Driver::LateText { .. } => {
            args.push(Value::Text(text_and_filters(query)?));
            from = format!(
                "articles_fts f JOIN articles a ON a.id = f.rowid AND f.articles_fts MATCH ?{}",
                args.len()
            );
            order = "f.rowid DESC".into();
            if let Driver::LateText {
                from_id,
                to_id,
                time,
                id,
            } = driver
            {
                args.extend([from_id, to_id, time, id].map(Value::Integer));
                let n = args.len();
                conditions.push(format!(
                    "f.rowid >= ?{} AND f.rowid <= ?{} AND a.sort_time >= ?{} AND (a.sort_time > ?{} OR a.id > ?{n})",
                    n - 3,
                    n - 2,
                    n - 1,
                    n - 1
                ));
                // A few blocks' matches, sorted: the walk needs the newest.
                order = "a.sort_time DESC, a.id DESC".into();
            }
        }
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
            || (driver == Driver::PrimaryIndustry && kind == "industry")
            || (driver.reads_text_index() && !query.primary_only);
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
    // A full-text walk has matched languages and sources in the index.
    let in_index = driver.reads_text_index();
    if !query.langs.is_empty() && !langs_done && !in_index {
        let list = placeholders(&query.langs, &mut args);
        conditions.push(format!("{lang_col} IN ({list})"));
    }
    if !query.sources.is_empty() && !in_index {
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
