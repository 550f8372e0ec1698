//! Kill the daemon with SIGKILL in the middle of ingesting, restart it, and
//! check that nothing is lost, duplicated or corrupt.
#![cfg(unix)]

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{TestConfig, WireServer};

const STORIES: usize = 120;

/// A wire with many stories whose pages answer slowly.
fn write_wire(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    let mut rss = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Slow wire</title><link>{{BASE}}/</link><description>d</description>\n",
    );
    for i in 0..STORIES {
        rss.push_str(&format!(
            "<item><title>Story {i}</title><link>{{{{BASE}}}}/articles/s{i}.html</link><pubDate>Tue, 23 Dec 2025 10:{:02}:00 +0800</pubDate></item>\n",
            i % 60
        ));
        std::fs::write(
            dir.join(format!("articles/s{i}.html")),
            format!(
                "<html><head><title>Story {i}</title><link rel=\"canonical\" href=\"{{{{BASE}}}}/articles/s{i}.html\"></head><body><h1>Story {i}</h1><div class=\"body\"><p>Shanghai port volumes rose for the {i}th week, the city's logistics bureau said on Tuesday.</p><p>Container throughput at Yangshan grew as exporters rushed shipments.</p></div></body></html>"
            ),
        )
        .unwrap();
    }
    rss.push_str("</channel></rss>\n");
    std::fs::write(dir.join("rss.xml"), rss).unwrap();
}

fn start_daemon(config: &TestConfig, log: Arc<Mutex<Vec<String>>>) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_polywire"))
        .args(["run", "--config"])
        .arg(&config.path)
        .env("RUST_LOG", "polywire=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            log.lock().unwrap().push(line);
        }
    });
    child
}

fn count(config: &TestConfig) -> usize {
    let Ok(conn) = rusqlite::Connection::open(config.db()) else {
        return 0;
    };
    conn.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get::<_, i64>(0))
        .unwrap_or(0) as usize
}

fn wait_for(
    what: &str,
    log: &Mutex<Vec<String>>,
    timeout: Duration,
    mut done: impl FnMut() -> bool,
) {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > timeout {
            let log = log.lock().unwrap();
            let tail = log[log.len().saturating_sub(20)..].join("\n");
            panic!("timed out waiting for {what}; daemon log ends with:\n{tail}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// URLs the daemon said it stored, from its log lines.
fn reported_urls(log: &[String]) -> Vec<String> {
    log.iter()
        .filter(|l| l.contains("Story stored."))
        .filter_map(|l| l.split("url=").nth(1))
        .map(|rest| rest.split_whitespace().next().unwrap_or("").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_ingest_loses_and_duplicates_nothing() {
    let wire_dir = tempfile::tempdir().unwrap();
    write_wire(wire_dir.path());
    let wire =
        WireServer::start_with_delay(wire_dir.path().to_path_buf(), Duration::from_millis(40))
            .await;
    let source = format!(
        "id = \"slow\"\nname = \"Slow\"\nlanguage = \"en\"\ntimezone = \"Asia/Shanghai\"\nschedule = \"* * * * * *\"\n[index]\nkind = \"rss\"\nurl = \"{}/rss.xml\"\n[article]\nbody = \".body\"\n",
        wire.base
    );
    let config = TestConfig::new(&[("slow", source)]);

    let log = Arc::new(Mutex::new(Vec::new()));
    let mut daemon = start_daemon(&config, log.clone());
    let config_ref = &config;
    tokio::task::block_in_place(|| {
        wait_for("some stories", &log, Duration::from_secs(60), || {
            count(config_ref) >= 15
        });
    });
    daemon.kill().unwrap(); // SIGKILL
    daemon.wait().unwrap();
    let stored_before = count(&config);
    assert!(
        stored_before < STORIES,
        "killed too late to test anything ({stored_before})"
    );

    {
        let conn = rusqlite::Connection::open(config.db()).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let (rows, urls): (i64, i64) = conn
            .query_row(
                "SELECT COUNT(*), COUNT(DISTINCT url) FROM articles",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(rows, urls, "a story is duplicated");
        let reported = reported_urls(&log.lock().unwrap());
        assert!(!reported.is_empty(), "the daemon reported no stored story");
        for url in &reported {
            let found: i64 = conn
                .query_row("SELECT COUNT(*) FROM articles WHERE url = ?1", [url], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(found, 1, "{url} was reported stored but is missing");
        }
    }

    // Restarted, the daemon picks up the stories the kill interrupted.
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut daemon = start_daemon(&config, log.clone());
    tokio::task::block_in_place(|| {
        wait_for("every story", &log, Duration::from_secs(90), || {
            count(config_ref) == STORIES
        });
    });
    // A polite stop: SIGTERM, exit 0 within the grace period.
    unsafe_sigterm(daemon.id());
    let status = tokio::task::block_in_place(|| {
        let start = Instant::now();
        loop {
            if let Some(status) = daemon.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "daemon did not stop"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    assert!(status.success(), "{status:?}");
    let conn = rusqlite::Connection::open(config.db()).unwrap();
    let distinct: i64 = conn
        .query_row("SELECT COUNT(DISTINCT url) FROM articles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(distinct as usize, STORIES);
}

/// Sends SIGTERM through the `kill` command (no libc dependency needed).
fn unsafe_sigterm(pid: u32) {
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}
