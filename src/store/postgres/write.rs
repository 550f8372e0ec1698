//! Upserts on PostgreSQL: a batch of stories in one transaction, written
//! with a fixed number of multi-row statements (arrays through `UNNEST`)
//! whatever the batch size, so group commit stays: a batch costs about a
//! dozen round trips, not a dozen a story.
//!
//! The outcome of every row is what SQLite's one-by-one writes give
//! (sqlite/mod.rs): a batch is cut into segments in which no URL repeats
//! (a URL seen again in the batch starts a new segment, which then finds
//! the first copy stored), and a new story's cluster is looked for in the
//! recent window, then among the band index's candidates followed by the
//! earlier new stories of the batch, as if they had been inserted first.
//!
//! Another process may insert the same URL at the same time (two workers
//! whose wires carry one story): the insert skips it and the row reports
//! `Unchanged` with the stored story's id, as if it had come second.

use super::text;
use crate::model::TagKind;
use crate::store::cluster::{self, BAND_CANDIDATES, Recent, RecentWindow};
use crate::store::{StoreError, StoryRow, Upsert};
use deadpool_postgres::{Pool, Transaction};
use jiff::Timestamp;
use std::collections::{HashMap, HashSet};

/// Writes `rows` (each with its feed item's `updated`, in seconds) in one
/// transaction; one outcome a row, in order.
pub(super) async fn upsert(
    pool: &Pool,
    rows: &[(StoryRow, Option<i64>)],
    recent: &mut RecentWindow,
) -> Result<Vec<Upsert>, StoreError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let now = Timestamp::now().as_second();
    let mut outcomes = Vec::with_capacity(rows.len());
    let mut start = 0;
    while start < rows.len() {
        let mut urls = HashSet::new();
        let end = start
            + rows[start..]
                .iter()
                .take_while(|(row, _)| urls.insert(row.url.as_str()))
                .count();
        outcomes.extend(write_segment(&tx, &rows[start..end], now, recent).await?);
        start = end;
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// What a row of a segment turned out to be before writing.
enum Plan {
    Unchanged(i64),
    Updated(i64),
    New,
    Retired,
}

/// One segment (no URL twice): looked up together, then written.
async fn write_segment(
    tx: &Transaction<'_>,
    rows: &[(StoryRow, Option<i64>)],
    now: i64,
    recent: &mut RecentWindow,
) -> Result<Vec<Upsert>, StoreError> {
    let urls: Vec<&str> = rows.iter().map(|(row, _)| row.url.as_str()).collect();
    let stmt = tx
        .prepare_cached("SELECT url, id, content_hash FROM articles WHERE url = ANY($1)")
        .await?;
    let existing: HashMap<String, (i64, i64)> = tx
        .query(&stmt, &[&urls])
        .await?
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect();
    let stmt = tx
        .prepare_cached("SELECT url FROM retired WHERE url = ANY($1)")
        .await?;
    let retired: HashSet<String> = tx
        .query(&stmt, &[&urls])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let plans: Vec<Plan> = rows
        .iter()
        .map(|(row, _)| match existing.get(&row.url) {
            Some(&(id, hash)) if hash == row.hash => Plan::Unchanged(id),
            Some(&(id, _)) => Plan::Updated(id),
            None if retired.contains(&row.url) => Plan::Retired,
            None => Plan::New,
        })
        .collect();

    let new: Vec<usize> = (0..rows.len())
        .filter(|&i| matches!(plans[i], Plan::New))
        .collect();
    let ids = reserve_ids(tx, new.len()).await?;
    let clusters = assign_clusters(tx, rows, &new, &ids, now, recent).await?;
    let inserted = insert_new(tx, rows, &new, &ids, &clusters, now).await?;

    let updated: Vec<(usize, i64)> = plans
        .iter()
        .enumerate()
        .filter_map(|(i, plan)| match plan {
            Plan::Updated(id) => Some((i, *id)),
            _ => None,
        })
        .collect();
    update_changed(tx, rows, &updated, now).await?;
    touch_unchanged(tx, rows, &plans).await?;

    // Tags and bands of every story written whole: the new ones this
    // process inserted and the changed ones.
    let mut written: Vec<(usize, i64)> = updated;
    let mut outcomes = Vec::with_capacity(rows.len());
    let mut next_new = 0;
    let mut lost_race = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        outcomes.push(match plan {
            Plan::Unchanged(id) => Upsert::Unchanged(*id),
            Plan::Updated(id) => Upsert::Updated(*id),
            Plan::Retired => Upsert::Retired,
            Plan::New => {
                let id = ids[next_new];
                next_new += 1;
                if inserted.contains(&id) {
                    written.push((i, id));
                    Upsert::New(id)
                } else {
                    lost_race.push(i);
                    Upsert::Retired
                }
            }
        });
    }
    for i in lost_race {
        let stmt = tx
            .prepare_cached("SELECT id FROM articles WHERE url = $1")
            .await?;
        let id: i64 = tx.query_one(&stmt, &[&rows[i].0.url]).await?.get(0);
        outcomes[i] = Upsert::Unchanged(id);
    }
    write_tags_and_bands(tx, rows, &written, now).await?;
    Ok(outcomes)
}

/// `n` new row ids from the table's sequence, ascending.
async fn reserve_ids(tx: &Transaction<'_>, n: usize) -> Result<Vec<i64>, StoreError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let stmt = tx
        .prepare_cached(
            "SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, $1::bigint)",
        )
        .await?;
    let mut ids: Vec<i64> = tx
        .query(&stmt, &[&(n as i64)])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// The cluster of each new row (`new[k]` gets id `ids[k]`): a recent
/// near-duplicate, else an older one through the band index, else its own.
async fn assign_clusters(
    tx: &Transaction<'_>,
    rows: &[(StoryRow, Option<i64>)],
    new: &[usize],
    ids: &[i64],
    now: i64,
    recent: &mut RecentWindow,
) -> Result<Vec<i64>, StoreError> {
    let first_with_fingerprint = new.iter().map(|&i| &rows[i].0).find(|r| r.fingerprint != 0);
    if let Some(first) = first_with_fingerprint
        && recent.needs_load()
    {
        let newest: Option<i64> = tx
            .query_one("SELECT MAX(sort_time) FROM articles", &[])
            .await?
            .get(0);
        let from = RecentWindow::load_from(newest, first.sort_time(now));
        let stmt = tx
            .prepare_cached(
                "SELECT sort_time, fingerprint, cluster FROM articles
                 WHERE sort_time >= $1 AND fingerprint <> 0",
            )
            .await?;
        recent.load(
            tx.query(&stmt, &[&from])
                .await?
                .iter()
                .map(|r| Recent {
                    sort_time: r.get(0),
                    fingerprint: r.get::<_, i64>(1) as u64,
                    cluster: r.get(2),
                })
                .collect(),
        );
    }
    let stored = band_candidates(tx, rows, new).await?;
    // Earlier new rows of this batch: (id, fingerprint, cluster).
    let mut batch: Vec<(i64, u64, i64)> = Vec::with_capacity(new.len());
    let mut clusters = Vec::with_capacity(new.len());
    for (k, &i) in new.iter().enumerate() {
        let row = &rows[i].0;
        let sort_time = row.sort_time(now);
        let fingerprint = row.fingerprint;
        let found = if fingerprint == 0 {
            None
        } else {
            recent.find(fingerprint, sort_time).or_else(|| {
                let bands = cluster::bands(fingerprint);
                let earlier = batch
                    .iter()
                    .filter(|(_, other, _)| {
                        cluster::bands(*other).iter().any(|b| bands.contains(b))
                    })
                    .map(|&(_, other, cluster)| (other as i64, cluster));
                let candidates = stored
                    .get(&k)
                    .into_iter()
                    .flatten()
                    .copied()
                    .chain(earlier)
                    .take(BAND_CANDIDATES as usize);
                cluster::first_close(candidates, fingerprint)
            })
        };
        let cluster = found.unwrap_or(ids[k]);
        recent.push(Recent {
            sort_time,
            fingerprint,
            cluster,
        });
        if fingerprint != 0 {
            batch.push((ids[k], fingerprint, cluster));
        }
        clusters.push(cluster);
    }
    Ok(clusters)
}

/// For each new row with a fingerprint (by its place in `new`), the
/// stored stories sharing a band with it, oldest first, at most
/// [`BAND_CANDIDATES`]: (fingerprint, cluster).
async fn band_candidates(
    tx: &Transaction<'_>,
    rows: &[(StoryRow, Option<i64>)],
    new: &[usize],
) -> Result<HashMap<usize, Vec<(i64, i64)>>, StoreError> {
    let mut places: Vec<i64> = Vec::new();
    let mut band_lists: [Vec<i64>; 4] = Default::default();
    for (k, &i) in new.iter().enumerate() {
        let fingerprint = rows[i].0.fingerprint;
        if fingerprint == 0 {
            continue;
        }
        places.push(k as i64);
        for (list, band) in band_lists.iter_mut().zip(cluster::bands(fingerprint)) {
            list.push(band);
        }
    }
    let mut found: HashMap<usize, Vec<(i64, i64)>> = HashMap::new();
    if places.is_empty() {
        return Ok(found);
    }
    let stmt = tx
        .prepare_cached(
            "SELECT q.place, c.fingerprint, c.cluster
             FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])
                 AS q(place, b0, b1, b2, b3)
             CROSS JOIN LATERAL (
                 SELECT a.id, a.fingerprint, a.cluster
                 FROM fingerprint_bands f JOIN articles a ON a.id = f.article_id
                 WHERE f.band IN (q.b0, q.b1, q.b2, q.b3)
                 ORDER BY a.id LIMIT $6
             ) c
             ORDER BY q.place, c.id",
        )
        .await?;
    let [b0, b1, b2, b3] = &band_lists;
    for r in tx
        .query(&stmt, &[&places, b0, b1, b2, b3, &BAND_CANDIDATES])
        .await?
    {
        let place: i64 = r.get(0);
        found
            .entry(place as usize)
            .or_default()
            .push((r.get(1), r.get(2)));
    }
    Ok(found)
}

/// Inserts the new rows; returns the ids actually inserted (a URL another
/// process inserted meanwhile is skipped).
async fn insert_new(
    tx: &Transaction<'_>,
    rows: &[(StoryRow, Option<i64>)],
    new: &[usize],
    ids: &[i64],
    clusters: &[i64],
    now: i64,
) -> Result<HashSet<i64>, StoreError> {
    if new.is_empty() {
        return Ok(HashSet::new());
    }
    let columns = Columns::of(rows, new, now);
    let stmt = tx
        .prepare_cached(
            "INSERT INTO articles (id, url, source, lang, published, sort_time, first_seen,
                updated, item_updated, content_hash, fingerprint, cluster, primary_region,
                primary_industry, data, search)
             SELECT id, url, source, lang, published, sort_time, $15::bigint, $15::bigint, item_updated,
                content_hash, fingerprint, cluster, primary_region, primary_industry, data,
                search::tsvector
             FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[],
                $11::text[], $12::text[], $13::text[], $14::text[])
                AS r(id, url, source, lang, published, sort_time, item_updated, content_hash,
                     fingerprint, cluster, primary_region, primary_industry, data, search)
             ON CONFLICT (url) DO NOTHING
             RETURNING id",
        )
        .await?;
    let inserted = tx
        .query(
            &stmt,
            &[
                &ids,
                &columns.url,
                &columns.source,
                &columns.lang,
                &columns.published,
                &columns.sort_time,
                &columns.item_updated,
                &columns.hash,
                &columns.fingerprint,
                &clusters,
                &columns.primary_region,
                &columns.primary_industry,
                &columns.data,
                &columns.search,
                &now,
            ],
        )
        .await?;
    Ok(inserted.iter().map(|r| r.get(0)).collect())
}

/// Rewrites the changed rows (`(place, id)`), dropping their tags and
/// bands, which are written again.
async fn update_changed(
    tx: &Transaction<'_>,
    rows: &[(StoryRow, Option<i64>)],
    updated: &[(usize, i64)],
    now: i64,
) -> Result<(), StoreError> {
    if updated.is_empty() {
        return Ok(());
    }
    let places: Vec<usize> = updated.iter().map(|&(i, _)| i).collect();
    let ids: Vec<i64> = updated.iter().map(|&(_, id)| id).collect();
    let columns = Columns::of(rows, &places, now);
    let stmt = tx
        .prepare_cached(
            "UPDATE articles a SET source = r.source, lang = r.lang, published = r.published,
                sort_time = r.sort_time, updated = $13::bigint,
                item_updated = COALESCE(r.item_updated, a.item_updated),
                content_hash = r.content_hash, fingerprint = r.fingerprint,
                primary_region = r.primary_region, primary_industry = r.primary_industry,
                data = r.data, search = r.search::tsvector
             FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[],
                $6::bigint[], $7::bigint[], $8::bigint[], $9::text[], $10::text[],
                $11::text[], $12::text[])
                AS r(id, source, lang, published, sort_time, item_updated, content_hash,
                     fingerprint, primary_region, primary_industry, data, search)
             WHERE a.id = r.id",
        )
        .await?;
    tx.execute(
        &stmt,
        &[
            &ids,
            &columns.source,
            &columns.lang,
            &columns.published,
            &columns.sort_time,
            &columns.item_updated,
            &columns.hash,
            &columns.fingerprint,
            &columns.primary_region,
            &columns.primary_industry,
            &columns.data,
            &columns.search,
            &now,
        ],
    )
    .await?;
    for table in ["article_tags", "fingerprint_bands"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE article_id = ANY($1)"),
            &[&ids],
        )
        .await?;
    }
    Ok(())
}

/// Remembers the feed item's `updated` of unchanged rows that carry one.
async fn touch_unchanged(
    tx: &Transaction<'_>,
    rows: &[(StoryRow, Option<i64>)],
    plans: &[Plan],
) -> Result<(), StoreError> {
    let (ids, times): (Vec<i64>, Vec<i64>) = plans
        .iter()
        .zip(rows)
        .filter_map(|(plan, (_, item_updated))| match (plan, item_updated) {
            (Plan::Unchanged(id), Some(time)) => Some((*id, *time)),
            _ => None,
        })
        .unzip();
    if ids.is_empty() {
        return Ok(());
    }
    let stmt = tx
        .prepare_cached(
            "UPDATE articles a SET item_updated = r.item_updated
             FROM UNNEST($1::bigint[], $2::bigint[]) AS r(id, item_updated)
             WHERE a.id = r.id",
        )
        .await?;
    tx.execute(&stmt, &[&ids, &times]).await?;
    Ok(())
}

/// The tag rows and fingerprint bands of stories written whole
/// (`(place, id)`). A tag listed twice keeps its last values, as SQLite's
/// `INSERT OR REPLACE` does.
async fn write_tags_and_bands(
    tx: &Transaction<'_>,
    rows: &[(StoryRow, Option<i64>)],
    written: &[(usize, i64)],
    now: i64,
) -> Result<(), StoreError> {
    let mut tags = TagRows::default();
    let mut bands = BandRows::default();
    for &(i, id) in written {
        let row = &rows[i].0;
        let sort_time = row.sort_time(now);
        for (kind, list) in [
            (TagKind::Region, &row.tags.regions),
            (TagKind::Industry, &row.tags.industries),
        ] {
            for tag in list {
                tags.push(
                    (id, kind.as_str(), &tag.id),
                    (f64::from(tag.score), tag.primary, sort_time, &row.lang),
                );
            }
        }
        bands.push(id, row.fingerprint);
    }
    tags.insert(tx).await?;
    bands.insert(tx).await
}

/// A tag row's key: (article id, kind, tag).
type TagKey<'r> = (i64, &'r str, &'r str);
/// A tag row's values: (score, primary, sort time, language).
type TagValues<'r> = (f64, bool, i64, &'r str);

/// Tag rows to insert in one statement; a key given twice keeps its last
/// values.
#[derive(Default)]
pub(super) struct TagRows<'r> {
    values: HashMap<TagKey<'r>, TagValues<'r>>,
    order: Vec<TagKey<'r>>,
}

impl<'r> TagRows<'r> {
    pub(super) fn push(&mut self, key: TagKey<'r>, values: TagValues<'r>) {
        if self.values.insert(key, values).is_none() {
            self.order.push(key);
        }
    }

    pub(super) async fn insert(&self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        if self.order.is_empty() {
            return Ok(());
        }
        let mut keys: (Vec<i64>, Vec<&str>, Vec<&str>) = Default::default();
        let mut values: (Vec<f64>, Vec<bool>, Vec<i64>, Vec<&str>) = Default::default();
        for key in &self.order {
            let (score, primary, sort_time, lang) = self.values[key];
            keys.0.push(key.0);
            keys.1.push(key.1);
            keys.2.push(key.2);
            values.0.push(score);
            values.1.push(primary);
            values.2.push(sort_time);
            values.3.push(lang);
        }
        let stmt = tx
            .prepare_cached(
                "INSERT INTO article_tags (article_id, kind, tag, score, is_primary, sort_time, lang)
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::float8[],
                    $5::bool[], $6::bigint[], $7::text[])
                 ON CONFLICT (article_id, kind, tag) DO UPDATE SET score = EXCLUDED.score,
                    is_primary = EXCLUDED.is_primary, sort_time = EXCLUDED.sort_time,
                    lang = EXCLUDED.lang",
            )
            .await?;
        tx.execute(
            &stmt,
            &[
                &keys.0, &keys.1, &keys.2, &values.0, &values.1, &values.2, &values.3,
            ],
        )
        .await?;
        Ok(())
    }
}

/// Fingerprint band rows to insert in one statement.
#[derive(Default)]
pub(super) struct BandRows {
    bands: Vec<i64>,
    ids: Vec<i64>,
}

impl BandRows {
    /// The four bands of a story's fingerprint (none for 0, no text).
    pub(super) fn push(&mut self, id: i64, fingerprint: u64) {
        if fingerprint != 0 {
            for band in cluster::bands(fingerprint) {
                self.bands.push(band);
                self.ids.push(id);
            }
        }
    }

    pub(super) async fn insert(&self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        if self.bands.is_empty() {
            return Ok(());
        }
        let stmt = tx
            .prepare_cached(
                "INSERT INTO fingerprint_bands (band, article_id)
                 SELECT * FROM UNNEST($1::bigint[], $2::bigint[])
                 ON CONFLICT DO NOTHING",
            )
            .await?;
        tx.execute(&stmt, &[&self.bands, &self.ids]).await?;
        Ok(())
    }
}

/// The columns of some rows, as arrays for `UNNEST`.
struct Columns<'r> {
    url: Vec<&'r str>,
    source: Vec<&'r str>,
    lang: Vec<&'r str>,
    published: Vec<Option<i64>>,
    sort_time: Vec<i64>,
    item_updated: Vec<Option<i64>>,
    hash: Vec<i64>,
    fingerprint: Vec<i64>,
    primary_region: Vec<Option<&'r str>>,
    primary_industry: Vec<Option<&'r str>>,
    data: Vec<&'r str>,
    search: Vec<String>,
}

impl<'r> Columns<'r> {
    fn of(rows: &'r [(StoryRow, Option<i64>)], places: &[usize], now: i64) -> Columns<'r> {
        let mut c = Columns {
            url: Vec::new(),
            source: Vec::new(),
            lang: Vec::new(),
            published: Vec::new(),
            sort_time: Vec::new(),
            item_updated: Vec::new(),
            hash: Vec::new(),
            fingerprint: Vec::new(),
            primary_region: Vec::new(),
            primary_industry: Vec::new(),
            data: Vec::new(),
            search: Vec::new(),
        };
        for &i in places {
            let (row, item_updated) = &rows[i];
            c.url.push(&row.url);
            c.source.push(&row.source);
            c.lang.push(&row.lang);
            c.published.push(row.published.map(|t| t.as_second()));
            c.sort_time.push(row.sort_time(now));
            c.item_updated.push(*item_updated);
            c.hash.push(row.hash);
            c.fingerprint.push(row.fingerprint as i64);
            c.primary_region.push(row.primary_region());
            c.primary_industry.push(row.primary_industry());
            c.data.push(&row.data);
            c.search.push(text::tsvector(&row.fts_text, &row.fts_tags));
        }
        c
    }
}
