//! Retention per source: each wire's stories are trimmed by its own
//! `[retention]` (else the daemon's), in a real file-backed store, and the
//! freed pages go back to the file system. Bad values are refused with
//! their file and line.

use jiff::{SignedDuration, Timestamp};
use polywire::config::Config;
use polywire::model::{Article, Classification, Tag};
use polywire::store::Store;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn source(id: &str, retention: &str) -> String {
    format!(
        "id = \"{id}\"\nname = \"{id}\"\nlanguage = \"en\"\ntimezone = \"UTC\"\nschedule = \"0 */15 * * * *\"\n\
         enabled = false\n[index]\nkind = \"rss\"\nurl = \"https://{id}.example/rss.xml\"\n{retention}"
    )
}

/// A config tree: `polywire.toml` with `daemon_extra`, and the sources.
fn tree(daemon_extra: &str, sources: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "config/polywire.toml",
        &format!(
            "[paths]\nsources = \"sources\"\nfeeds = \"feeds\"\ntaxonomy = \"{}\"\n{daemon_extra}",
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/serve/config/taxonomy")
                .display()
        ),
    );
    std::fs::create_dir_all(dir.path().join("config/feeds")).unwrap();
    for (id, text) in sources {
        write(dir.path(), &format!("config/sources/{id}.toml"), text);
    }
    dir
}

/// Days before now at which each source published a story.
const AGES_DAYS: [f64; 10] = [0.5, 1.5, 3.0, 5.0, 10.0, 20.0, 40.0, 60.0, 90.0, 365.0];

fn url(source: &str, age: f64) -> String {
    format!("https://{source}.example/{age}.html")
}

fn story(source: &str, age: f64, now: Timestamp) -> (Article, Classification) {
    // Paragraphs of a few KiB, so removed stories free whole pages.
    let para = format!("Semiconductor output in Suzhou rose, {source} reported {age} days ago. ")
        .repeat(40);
    let article = Article {
        url: url(source, age),
        source: source.into(),
        title: format!("{source}: chip output, {age} days ago"),
        lang: "en".into(),
        body: vec![para.clone(), para],
        published: Some(now - SignedDuration::from_secs_f64(age * 86_400.0)),
        zone: "UTC".into(),
        ..Article::default()
    };
    let tag = |id: &str| Tag {
        id: id.into(),
        score: 0.9,
        primary: true,
        evidence: Vec::new(),
    };
    let tags = Classification {
        regions: vec![tag("cn-js")],
        industries: vec![tag("semiconductors")],
        dateline_region: None,
    };
    (article, tags)
}

/// The SQLite file itself, beside the store: the store's interface does
/// not say which database it runs on.
fn sqlite(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).unwrap()
}

fn pragma(db: &Path, name: &str) -> i64 {
    sqlite(db)
        .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        .unwrap()
}

fn stored_urls(db: &Path) -> BTreeSet<String> {
    let conn = sqlite(db);
    let mut stmt = conn.prepare("SELECT url FROM articles").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn each_source_is_trimmed_by_its_own_rule_and_space_is_reclaimed() {
    let dir = tree(
        "[retention]\nmax_age_days = 30\n",
        &[
            // Its own count; the daemon's 30 days still apply.
            ("wire-a", source("wire-a", "[retention]\nmax_stories = 3\n")),
            // Its own age replaces the daemon's; no count.
            (
                "wire-b",
                source("wire-b", "[retention]\nmax_age_days = 2\n"),
            ),
            // A longer age than the daemon's default.
            (
                "wire-c",
                source("wire-c", "[retention]\nmax_age_days = 100\n"),
            ),
            // Nothing of its own: the daemon's 30 days.
            ("wire-d", source("wire-d", "")),
        ],
    );
    let config = Config::load(&dir.path().join("config/polywire.toml")).unwrap();
    let db = dir.path().join("data/polywire.db");
    let mut store = Store::open(&db).unwrap();
    let now = Timestamp::now();
    // `gone` has stories but is no longer configured: the daemon's rule.
    let sources = ["wire-a", "wire-b", "wire-c", "wire-d", "gone"];
    for source in sources {
        for age in AGES_DAYS {
            let (article, tags) = story(source, age, now);
            store.upsert(&article, &tags, None).unwrap();
        }
    }
    let keep = |source: &str, ages: &[f64]| {
        ages.iter()
            .map(move |&a| url(source, a))
            .collect::<Vec<_>>()
    };
    let expected: BTreeSet<String> = [
        keep("wire-a", &[0.5, 1.5, 3.0]),
        keep("wire-b", &[0.5, 1.5]),
        keep(
            "wire-c",
            &[0.5, 1.5, 3.0, 5.0, 10.0, 20.0, 40.0, 60.0, 90.0],
        ),
        keep("wire-d", &[0.5, 1.5, 3.0, 5.0, 10.0, 20.0]),
        keep("gone", &[0.5, 1.5, 3.0, 5.0, 10.0, 20.0]),
    ]
    .concat()
    .into_iter()
    .collect();
    let before: Vec<_> = expected
        .iter()
        .map(|u| store.get_by_url(u).unwrap().expect("stored"))
        .collect();
    let pages_before = pragma(&db, "page_count");

    let removed = store.apply_retention(|s| config.retention_for(s)).unwrap();

    assert_eq!(
        removed,
        [
            ("gone", 4),
            ("wire-a", 7),
            ("wire-b", 8),
            ("wire-c", 1),
            ("wire-d", 4)
        ]
        .map(|(s, n)| (s.to_string(), n))
    );
    assert_eq!(stored_urls(&db), expected);
    // Survivors are untouched: same rows, same tags.
    for old in &before {
        let now = store.get_by_url(&old.article.url).unwrap().expect("kept");
        assert_eq!(now.article.title, old.article.title);
        assert_eq!(now.article.body, old.article.body);
        assert_eq!(now.regions.len(), 1, "{}", old.article.url);
    }
    let conn = sqlite(&db);
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM article_tags WHERE article_id NOT IN (SELECT id FROM articles)"
        ),
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM article_tags"),
        2 * expected.len() as i64
    );
    // Space reclaimed: no free pages left, the file has shrunk.
    assert_eq!(pragma(&db, "freelist_count"), 0);
    let pages_after = pragma(&db, "page_count");
    assert!(
        pages_after < pages_before * 3 / 4,
        "{pages_before} pages before, {pages_after} after"
    );
    // A second pass finds nothing more to remove.
    assert!(
        store
            .apply_retention(|s| config.retention_for(s))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn bad_retention_values_are_refused_with_file_and_line() {
    let dir = tree(
        "",
        &[
            ("wire-a", source("wire-a", "[retention]\nmax_stories = 0\n")),
            (
                "wire-b",
                source("wire-b", "[retention]\nmax_age_days = 1000000\n"),
            ),
            ("wire-c", source("wire-c", "[retention]\nkeep = 3\n")),
        ],
    );
    let errors = Config::load(&dir.path().join("config/polywire.toml")).unwrap_err();
    let text = errors.to_string();
    assert_eq!(errors.0.len(), 3, "{text}");
    assert!(
        text.contains("wire-a.toml:11: a retention count must be at least 1"),
        "{text}"
    );
    assert!(
        text.contains("wire-b.toml:11: a retention age must be 1 to 36500 days, not 1000000"),
        "{text}"
    );
    assert!(
        text.contains("wire-c.toml:11:") && text.contains("keep"),
        "{text}"
    );

    let dir = tree(
        "[retention]\nmax_age_days = 0\n",
        &[("wire-a", source("wire-a", ""))],
    );
    let text = Config::load(&dir.path().join("config/polywire.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("polywire.toml:6: a retention age must be 1 to"),
        "{text}"
    );
}

#[test]
fn the_daemon_applies_each_sources_rule_when_it_starts() {
    let dir = tree(
        "[server]\nlisten = \"127.0.0.1:0\"\n[store]\npath = \"../data/polywire.db\"\n[retention]\nmax_per_source = 5\n",
        &[
            ("wire-a", source("wire-a", "[retention]\nmax_stories = 2\n")),
            ("wire-b", source("wire-b", "")),
        ],
    );
    // Relative store paths are taken from the working directory.
    let config = dir.path().join("config");
    let db = dir.path().join("data/polywire.db");
    {
        let mut store = Store::open(&db).unwrap();
        let now = Timestamp::now();
        for source in ["wire-a", "wire-b"] {
            for age in AGES_DAYS {
                let (article, tags) = story(source, age, now);
                store.upsert(&article, &tags, None).unwrap();
            }
        }
    }
    let mut daemon = Command::new(env!("CARGO_BIN_EXE_polywire"))
        .args(["run", "--config", "polywire.toml"])
        .current_dir(&config)
        .env("RUST_LOG", "polywire=info")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = BufReader::new(daemon.stderr.take().unwrap()).lines();
    let started = Instant::now();
    let mut removed = Vec::new();
    let mut log = Vec::new();
    for line in lines.map_while(Result::ok) {
        log.push(line.clone());
        if line.contains("Retention removed old stories.") {
            removed.push(line);
            if removed.len() == 2 {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no retention in the log"
        );
    }
    let _ = daemon.kill();
    let _ = daemon.wait();
    assert_eq!(removed.len(), 2, "{log:#?}");
    assert!(
        removed[0].contains("source=wire-a removed=8"),
        "{removed:?}"
    );
    assert!(
        removed[1].contains("source=wire-b removed=5"),
        "{removed:?}"
    );
    let newest =
        |source: &'static str, n: usize| AGES_DAYS[..n].iter().map(move |&a| url(source, a));
    let expected: BTreeSet<String> = newest("wire-a", 2).chain(newest("wire-b", 5)).collect();
    assert_eq!(stored_urls(&db), expected);
}
