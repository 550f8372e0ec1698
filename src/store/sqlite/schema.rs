//! Versioned schema migrations. Append new steps; never edit a shipped one.

use rusqlite_migration::{M, Migrations};

/// Every schema version, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            r#"
CREATE TABLE sources (
    id              TEXT PRIMARY KEY,
    last_run        INTEGER,
    last_status     TEXT,
    last_error      TEXT,
    stories_new     INTEGER NOT NULL DEFAULT 0,
    stories_updated INTEGER NOT NULL DEFAULT 0,
    failures        INTEGER NOT NULL DEFAULT 0,
    next_run        INTEGER
);

-- Validators of every URL fetched, for conditional GET.
CREATE TABLE fetch_state (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    fetched_at    INTEGER NOT NULL
);

CREATE TABLE articles (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL UNIQUE,
    source           TEXT NOT NULL,
    lang             TEXT NOT NULL,
    published        INTEGER,
    -- publication time, else first_seen: the order feeds are served in
    sort_time        INTEGER NOT NULL,
    first_seen       INTEGER NOT NULL,
    updated          INTEGER NOT NULL,
    -- the feed item's own `updated`, to decide whether to fetch the page again
    item_updated     INTEGER,
    content_hash     INTEGER NOT NULL,
    fingerprint      INTEGER NOT NULL,
    cluster          INTEGER NOT NULL,
    primary_region   TEXT,
    primary_industry TEXT,
    data             TEXT NOT NULL
);
CREATE INDEX articles_by_time ON articles(sort_time DESC, id DESC);
CREATE INDEX articles_by_source ON articles(source, sort_time DESC);
CREATE INDEX articles_by_lang ON articles(lang, sort_time DESC);
CREATE INDEX articles_by_cluster ON articles(cluster);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('region', 'industry')),
    tag        TEXT NOT NULL,
    score      REAL NOT NULL,
    is_primary INTEGER NOT NULL,
    sort_time  INTEGER NOT NULL,
    PRIMARY KEY (article_id, kind, tag)
) WITHOUT ROWID;
CREATE INDEX tags_by_tag ON article_tags(kind, tag, sort_time DESC, article_id DESC);

-- Stories per tag, kept by triggers, so a query can start from its rarest
-- filter (see query.rs).
CREATE TABLE tag_counts (
    kind TEXT NOT NULL,
    tag  TEXT NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (kind, tag)
) WITHOUT ROWID;
CREATE TRIGGER tag_counts_insert AFTER INSERT ON article_tags BEGIN
    INSERT INTO tag_counts (kind, tag, n) VALUES (NEW.kind, NEW.tag, 1)
    ON CONFLICT (kind, tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_counts_delete AFTER DELETE ON article_tags BEGIN
    UPDATE tag_counts SET n = n - 1 WHERE kind = OLD.kind AND tag = OLD.tag;
END;

-- 16-bit bands of the SimHash fingerprint: two fingerprints within Hamming
-- distance 3 share at least one band, so near-duplicates are found by index.
CREATE TABLE fingerprint_bands (
    band       INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band, article_id)
) WITHOUT ROWID;
CREATE INDEX fingerprint_bands_by_article ON fingerprint_bands(article_id);

-- Full text over script-folded text in which every CJK run is written as
-- overlapping bigrams, so two-character words (醫藥) are found; see search.rs.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    text,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
"#,
        ),
        // Indexes for feeds at a million stories (docs/BENCHMARKS.md).
        M::up(
            r#"
-- MAX(updated), the Last-Modified of every feed, from an index, not a scan.
CREATE INDEX articles_by_updated ON articles(updated);

-- The story's language on its tag rows, so a tag + language filter walks
-- only the stories that have both (see query.rs).
ALTER TABLE article_tags ADD COLUMN lang TEXT NOT NULL DEFAULT '';
UPDATE article_tags SET lang = (SELECT a.lang FROM articles a WHERE a.id = article_tags.article_id);
CREATE INDEX tags_by_tag_lang ON article_tags(kind, tag, lang, sort_time DESC, article_id DESC);

-- primary=true feeds walk the primary industry in time order.
CREATE INDEX articles_by_primary_industry ON articles(primary_industry, sort_time DESC, id DESC);
"#,
        ),
        // Tombstones of stories retention removed (see retention.rs).
        M::up(
            r#"
CREATE TABLE retired (
    url        TEXT PRIMARY KEY,
    retired_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX retired_by_time ON retired(retired_at);
"#,
        ),
        // Full text through the `ascii` tokenizer, the folding done by
        // search.rs: it tokenizes for less than `unicode61`, and tokenizing
        // is a large part of the store write (docs/bench-log/2026-12-01.md).
        // Migration 5 fills it.
        M::up(
            r#"
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    text,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii'
);
"#,
        ),
        // Each story's region, industry, language and source as tokens of
        // a second column, so a `q=` feed with those filters is answered
        // inside the index (search.rs). The index is contentless, so it is
        // rebuilt from the stored stories.
        //
        // `hashsize`: the pending terms FTS5 holds in memory before it
        // writes a segment (1 MiB by default, which a few dozen stories
        // fill). 32 MiB holds the terms of several hundred stories (a
        // transaction is up to pipeline/writer.rs's MAX_TRANSACTION), so a
        // commit writes one or two segments, of terms shared across its
        // stories, and later merges have less to do (docs/BENCHMARKS.md,
        // "Stages").
        M::up_with_hook(
            r#"
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    text,
    tags,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii'
);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 33554432);
"#,
            reindex_full_text,
        ),
        // The newest date in each block of 1,024 row ids (`id >> 10`, as
        // query.rs's ID_BLOCK_BITS), so a full-text walk, which goes by
        // row id, finds the few blocks below where it stopped that can
        // hold a newer story. Deleting a story leaves its block's date as
        // it was: too new is only a block read for nothing.
        M::up(
            r#"
CREATE TABLE id_block_times (
    block    INTEGER PRIMARY KEY,
    max_time INTEGER NOT NULL
);
INSERT INTO id_block_times (block, max_time)
    SELECT id >> 10, MAX(sort_time) FROM articles GROUP BY id >> 10;
CREATE TRIGGER id_block_times_insert AFTER INSERT ON articles BEGIN
    INSERT INTO id_block_times (block, max_time) VALUES (NEW.id >> 10, NEW.sort_time)
    ON CONFLICT (block) DO UPDATE SET max_time = max(max_time, excluded.max_time);
END;
CREATE TRIGGER id_block_times_update AFTER UPDATE OF sort_time ON articles BEGIN
    INSERT INTO id_block_times (block, max_time) VALUES (NEW.id >> 10, NEW.sort_time)
    ON CONFLICT (block) DO UPDATE SET max_time = max(max_time, excluded.max_time);
END;
"#,
        ),
        // Every feed index ends with the full order key, id included:
        // with only `(lang, sort_time)`, stories sharing a timestamp (a
        // day-precision wire stores thousands at one) were sorted by id in
        // a temporary B-tree on every query.
        M::up(
            r#"
DROP INDEX articles_by_source;
DROP INDEX articles_by_lang;
CREATE INDEX articles_by_source ON articles(source, sort_time DESC, id DESC);
CREATE INDEX articles_by_lang ON articles(lang, sort_time DESC, id DESC);
"#,
        ),
    ])
}

/// Fills the full-text index from every stored story, in the migration's
/// transaction (so a store is never left half indexed). A story whose
/// stored JSON cannot be read stays stored, unsearchable, and is logged.
fn reindex_full_text(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let total: i64 = tx.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?;
    if total > 0 {
        tracing::info!(
            stories = total,
            "Rebuilding the full-text index with its filter tokens, once (13 s per 100,000 stories in the scale bench; longer stories take longer)."
        );
    }
    // A story's region and industry tags, one a line.
    let mut read = tx.prepare(
        "SELECT a.id, a.data,
                (SELECT group_concat(tag, char(10)) FROM article_tags
                 WHERE article_id = a.id AND kind = 'region'),
                (SELECT group_concat(tag, char(10)) FROM article_tags
                 WHERE article_id = a.id AND kind = 'industry')
         FROM articles a ORDER BY a.id",
    )?;
    let mut insert =
        tx.prepare("INSERT INTO articles_fts (rowid, text, tags) VALUES (?1, ?2, ?3)")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let (id, data): (i64, String) = (row.get(0)?, row.get(1)?);
        let (regions, industries): (Option<String>, Option<String>) = (row.get(2)?, row.get(3)?);
        match serde_json::from_str::<crate::model::Article>(&data) {
            Ok(article) => {
                insert.execute(rusqlite::params![
                    id,
                    crate::store::search::index_text(&article.title, &article.body),
                    crate::store::search::story_filter_tokens(
                        regions.as_deref().unwrap_or("").lines(),
                        industries.as_deref().unwrap_or("").lines(),
                        &article.lang,
                        &article.source,
                    )
                ])?;
            }
            Err(err) => {
                tracing::warn!(id, error = %err, "Story left out of the full-text index: its stored JSON is unreadable.")
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }

    #[test]
    fn the_full_text_index_keeps_a_transactions_terms_in_memory() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::migrations().to_latest(&mut conn).unwrap();
        let size: i64 = conn
            .query_row(
                "SELECT v FROM articles_fts_config WHERE k = 'hashsize'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(size, 32 << 20);
    }
}
