//! Ingest into each store backend in the same run: corpus article pages
//! made into stories (extraction, normalization, classification done
//! beforehand, untimed), then written as the pipeline's writer writes
//! them, `POLYWIRE_BENCH_BATCH` (64) stories a transaction, into SQLite
//! and, when `POLYWIRE_TEST_PG_URL` names a server, into a fresh
//! PostgreSQL database on it. Printed: stories/s (wall) and CPU per
//! story, polywire's process (every thread, so the PostgreSQL driver's
//! runtime counts) and PostgreSQL's server processes (read from /proc;
//! needs the throwaway cluster of scripts/pg-throwaway.sh, whose folder
//! `POLYWIRE_PG_DIR` names).
//!
//! ```text
//! eval "$(scripts/pg-throwaway.sh start)"
//! cargo bench --bench store_ingest                          # 3,000 stories
//! POLYWIRE_BENCH_PAGES=10000 cargo bench --bench store_ingest
//! scripts/pg-throwaway.sh stop "$POLYWIRE_PG_DIR"
//! ```
//!
//! The throwaway server runs with fsync off; SQLite runs as the daemon
//! does (WAL, synchronous=NORMAL: no fsync at commit either).

mod support;

use polywire::classify::Taxonomy;
use polywire::store::{Location, Store, StoryRow, Upsert};
use std::path::Path;
use std::time::{Duration, Instant};

/// CPU time of this whole process (every thread).
fn process_cpu() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()), 0);
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// CPU time of the PostgreSQL server: its postmaster and every child.
fn server_cpu() -> Option<Duration> {
    let dir = std::env::var("POLYWIRE_PG_DIR").ok()?;
    let pid_file = std::fs::read_to_string(Path::new(&dir).join("data/postmaster.pid")).ok()?;
    let postmaster: u32 = pid_file.lines().next()?.trim().parse().ok()?;
    // SAFETY: sysconf only reads a constant.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let mut total = 0.0;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // Fields after the command name, which is in parentheses.
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let pid: u32 = head
            .split_whitespace()
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ppid: u32 = fields.get(1).and_then(|p| p.parse().ok()).unwrap_or(0);
        if pid == postmaster || ppid == postmaster {
            let utime: f64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            let stime: f64 = fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            total += (utime + stime) / ticks;
        }
    }
    Some(Duration::from_secs_f64(total))
}

/// Runs statements, one at a time, on the server of `url`.
fn admin(url: &str, statements: &[String]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("the PostgreSQL server of POLYWIRE_TEST_PG_URL");
        let task = tokio::spawn(connection);
        for sql in statements {
            client.batch_execute(sql).await.unwrap();
        }
        drop(client);
        let _ = task.await;
    });
}

/// A fresh database on the test server, by name.
fn fresh_database(url: &str, name: &str) -> String {
    admin(
        url,
        &[
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ],
    );
    let (base, _) = url.rsplit_once('/').expect("a URL with a database");
    format!("{base}/{name}")
}

/// Writes every row in batches; returns (wall, process CPU, server CPU).
fn ingest(store: &mut Store, rows: &[StoryRow], batch: usize) -> (Duration, Duration, Duration) {
    let (wall, cpu, server) = (Instant::now(), process_cpu(), server_cpu());
    let mut new = 0;
    for chunk in rows.chunks(batch) {
        let batch: Vec<_> = chunk.iter().map(|row| (row, None)).collect();
        new += store
            .upsert_rows(&batch)
            .unwrap()
            .iter()
            .filter(|o| matches!(o, Upsert::New(_)))
            .count();
    }
    assert_eq!(new, rows.len(), "every story is new");
    let server = match (server, server_cpu()) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => Duration::ZERO,
    };
    (wall.elapsed(), process_cpu() - cpu, server)
}

fn main() {
    let count: usize = std::env::var("POLYWIRE_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let batch: usize = std::env::var("POLYWIRE_BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
        .max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = Taxonomy::load(&root.join("config/taxonomy")).expect("taxonomy");
    let pages = support::article_pages();
    let ctx = polywire::normalize::NormalizeContext {
        source: "bench".into(),
        language: "en".into(),
        ..polywire::story::context(None, jiff::Timestamp::now())
    };
    let rows: Vec<StoryRow> = (0..count)
        .map(|i| {
            let url = url::Url::parse(&format!("http://127.0.0.1/p/{i}.html")).unwrap();
            let (text, _) = polywire::fetch::charset::decode_owned(
                pages[i % pages.len()].clone(),
                Some("text/html"),
            );
            let mut page = polywire::extract::extract_article(&text, &url, None, "UTC");
            page.url = url.to_string();
            let (normalized, tags) = polywire::story::process(page, &ctx, &taxonomy);
            StoryRow::from_normalized(normalized, tags).unwrap()
        })
        .collect();

    let dir = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    let mut sqlite = Store::open(&dir.path().join("ingest.db")).unwrap();
    results.push(("SQLite", ingest(&mut sqlite, &rows, batch)));
    match std::env::var("POLYWIRE_TEST_PG_URL") {
        Ok(url) => {
            let name = format!("polywire_bench_{}", std::process::id());
            let db = fresh_database(&url, &name);
            let mut pg = Store::open_location(&Location::Postgres(db)).unwrap();
            results.push(("PostgreSQL", ingest(&mut pg, &rows, batch)));
            drop(pg);
            admin(&url, &[format!("DROP DATABASE {name} WITH (FORCE)")]);
        }
        Err(_) => eprintln!("POLYWIRE_TEST_PG_URL unset: SQLite only"),
    }
    println!(
        "\n## Store ingest ({count} stories from {} corpus pages, {batch} a transaction)\n",
        pages.len()
    );
    println!(
        "| backend | stories/s | polywire CPU per story | server CPU per story | total CPU per story |"
    );
    println!("|---|---|---|---|---|");
    let per = |d: Duration| d.as_secs_f64() * 1e3 / count as f64;
    for (name, (wall, cpu, server)) in results {
        println!(
            "| {name} | {:.0} | {:.3} ms | {:.3} ms | {:.3} ms |",
            count as f64 / wall.as_secs_f64(),
            per(cpu),
            per(server),
            per(cpu + server)
        );
    }
}
