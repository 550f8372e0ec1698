//! Reading and writing every column of stories and side tables, for
//! `store copy` (store/copy.rs), as multi-row statements.

use super::text;
use super::write::{BandRows, TagRows};
use crate::store::StoreError;
use crate::store::records::{SideTables, SourceState, StoryRecord, Validators};
use crate::store::row::record_tokens;
use deadpool_postgres::Pool;
use std::collections::HashMap;

pub(super) async fn export(
    pool: &Pool,
    after_id: i64,
    limit: usize,
) -> Result<Vec<StoryRecord>, StoreError> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT id, url, source, lang, published, sort_time, first_seen, updated,
                item_updated, content_hash, fingerprint, cluster, primary_region,
                primary_industry, data
             FROM articles WHERE id > $1 ORDER BY id LIMIT $2",
            &[&after_id, &(limit as i64)],
        )
        .await?;
    let mut stories: Vec<StoryRecord> = rows
        .iter()
        .map(|r| StoryRecord {
            id: r.get(0),
            url: r.get(1),
            source: r.get(2),
            lang: r.get(3),
            published: r.get(4),
            sort_time: r.get(5),
            first_seen: r.get(6),
            updated: r.get(7),
            item_updated: r.get(8),
            content_hash: r.get(9),
            fingerprint: r.get(10),
            cluster: r.get(11),
            primary_region: r.get(12),
            primary_industry: r.get(13),
            data: r.get(14),
            tags: Vec::new(),
        })
        .collect();
    let ids: Vec<i64> = stories.iter().map(|s| s.id).collect();
    let mut tags: HashMap<i64, Vec<(String, String, f64, bool)>> = HashMap::new();
    for r in client
        .query(
            "SELECT article_id, kind, tag, score, is_primary FROM article_tags
             WHERE article_id = ANY($1) ORDER BY article_id, score DESC, tag",
            &[&ids],
        )
        .await?
    {
        tags.entry(r.get(0))
            .or_default()
            .push((r.get(1), r.get(2), r.get(3), r.get(4)));
    }
    for story in &mut stories {
        story.tags = tags.remove(&story.id).unwrap_or_default();
    }
    Ok(stories)
}

pub(super) async fn import(pool: &Pool, stories: &[StoryRecord]) -> Result<(), StoreError> {
    if stories.is_empty() {
        return Ok(());
    }
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let col = |f: fn(&StoryRecord) -> i64| stories.iter().map(f).collect::<Vec<i64>>();
    let opt = |f: fn(&StoryRecord) -> Option<i64>| stories.iter().map(f).collect::<Vec<_>>();
    let text_col = |f: fn(&StoryRecord) -> &str| stories.iter().map(f).collect::<Vec<&str>>();
    let opt_text =
        |f: fn(&StoryRecord) -> Option<&str>| stories.iter().map(f).collect::<Vec<Option<&str>>>();
    let search: Vec<String> = stories
        .iter()
        .map(|s| {
            let (words, filters) = record_tokens(s);
            text::tsvector(&words, &filters)
        })
        .collect();
    tx.execute(
        "INSERT INTO articles (id, url, source, lang, published, sort_time, first_seen, updated,
            item_updated, content_hash, fingerprint, cluster, primary_region, primary_industry,
            data, search)
         SELECT id, url, source, lang, published, sort_time, first_seen, updated, item_updated,
            content_hash, fingerprint, cluster, primary_region, primary_industry, data,
            search::tsvector
         FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[],
            $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[],
            $11::bigint[], $12::bigint[], $13::text[], $14::text[], $15::text[], $16::text[])
            AS r(id, url, source, lang, published, sort_time, first_seen, updated, item_updated,
                 content_hash, fingerprint, cluster, primary_region, primary_industry, data,
                 search)",
        &[
            &col(|s| s.id),
            &text_col(|s| &s.url),
            &text_col(|s| &s.source),
            &text_col(|s| &s.lang),
            &opt(|s| s.published),
            &col(|s| s.sort_time),
            &col(|s| s.first_seen),
            &col(|s| s.updated),
            &opt(|s| s.item_updated),
            &col(|s| s.content_hash),
            &col(|s| s.fingerprint),
            &col(|s| s.cluster),
            &opt_text(|s| s.primary_region.as_deref()),
            &opt_text(|s| s.primary_industry.as_deref()),
            &text_col(|s| &s.data),
            &search,
        ],
    )
    .await?;
    let mut tags = TagRows::default();
    let mut bands = BandRows::default();
    for s in stories {
        for (kind, tag, score, primary) in &s.tags {
            tags.push((s.id, kind, tag), (*score, *primary, s.sort_time, &s.lang));
        }
        bands.push(s.id, s.fingerprint as u64);
    }
    tags.insert(&tx).await?;
    bands.insert(&tx).await?;
    // New stories written later take ids above the copied ones.
    tx.execute(
        "SELECT setval(pg_get_serial_sequence('articles', 'id'),
                GREATEST((SELECT MAX(id) FROM articles), 1))",
        &[],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn side_tables(pool: &Pool) -> Result<SideTables, StoreError> {
    let client = pool.get().await?;
    let validators = client
        .query(
            "SELECT url, etag, last_modified, fetched_at FROM fetch_state ORDER BY url",
            &[],
        )
        .await?
        .iter()
        .map(|r| {
            (
                r.get(0),
                Validators {
                    etag: r.get(1),
                    last_modified: r.get(2),
                },
                r.get(3),
            )
        })
        .collect();
    let retired = client
        .query("SELECT url, retired_at FROM retired ORDER BY url", &[])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    Ok(SideTables {
        sources: Vec::new(),
        validators,
        retired,
    })
}

pub(super) async fn import_side(pool: &Pool, tables: &SideTables) -> Result<(), StoreError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    for state in &tables.sources {
        write_source_state(&tx, state).await?;
    }
    let (keys, rest): (Vec<&str>, Vec<(&Validators, i64)>) = tables
        .validators
        .iter()
        .map(|(k, v, at)| (k.as_str(), (v, *at)))
        .unzip();
    let etags: Vec<Option<&str>> = rest.iter().map(|(v, _)| v.etag.as_deref()).collect();
    let modified: Vec<Option<&str>> = rest
        .iter()
        .map(|(v, _)| v.last_modified.as_deref())
        .collect();
    let fetched: Vec<i64> = rest.iter().map(|(_, at)| *at).collect();
    tx.execute(
        "INSERT INTO fetch_state (url, etag, last_modified, fetched_at)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[])
         ON CONFLICT (url) DO UPDATE SET etag = EXCLUDED.etag,
            last_modified = EXCLUDED.last_modified, fetched_at = EXCLUDED.fetched_at",
        &[&keys, &etags, &modified, &fetched],
    )
    .await?;
    let (urls, times): (Vec<&str>, Vec<i64>) = tables
        .retired
        .iter()
        .map(|(url, at)| (url.as_str(), *at))
        .unzip();
    tx.execute(
        "INSERT INTO retired (url, retired_at)
         SELECT * FROM UNNEST($1::text[], $2::bigint[])
         ON CONFLICT (url) DO UPDATE SET retired_at = EXCLUDED.retired_at",
        &[&urls, &times],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes one source's state over what is stored for it.
pub(super) async fn write_source_state(
    client: &impl deadpool_postgres::GenericClient,
    state: &SourceState,
) -> Result<(), StoreError> {
    let stmt = client
        .prepare_cached(
            "INSERT INTO sources (id, last_run, last_status, last_error, stories_new,
                stories_updated, failures, next_run)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (id) DO UPDATE SET last_run = $2, last_status = $3,
                last_error = $4, stories_new = $5, stories_updated = $6,
                failures = $7, next_run = $8",
        )
        .await?;
    client
        .execute(
            &stmt,
            &[
                &state.id,
                &state.last_run.map(|t| t.as_second()),
                &state.last_status,
                &state.last_error,
                &(state.stories_new as i64),
                &(state.stories_updated as i64),
                &i64::from(state.failures),
                &state.next_run.map(|t| t.as_second()),
            ],
        )
        .await?;
    Ok(())
}
