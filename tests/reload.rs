//! SIGHUP reloads sources, taxonomy and feeds; a bad configuration is
//! refused and the old one keeps serving; a run in flight finishes whole.
#![cfg(unix)]

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{TestConfig, WireServer};

const FEED: &str = "name = \"first\"\ntitle = \"First\"\n[filters]\nregion = [\"cn-yrd\"]\n";

fn signal(pid: u32, sig: &str) {
    assert!(
        Command::new("kill")
            .args([sig, &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
}

/// `polywire run` on `config` with its log on a pipe.
fn spawn_daemon(config: &std::path::Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_polywire"))
        .args(["run", "--config"])
        .arg(config)
        .env("RUST_LOG", "polywire=info")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_for_log(log: &Mutex<Vec<String>>, needle: &str, after: usize) -> String {
    let start = Instant::now();
    loop {
        if let Some(line) = log
            .lock()
            .unwrap()
            .iter()
            .skip(after)
            .find(|l| l.contains(needle))
        {
            return line.clone();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no log line with `{needle}`: {:#?}",
            log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

async fn status(url: &str) -> u16 {
    reqwest::get(url)
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads_feeds_and_refuses_a_broken_configuration() {
    polywire::fetch::install_crypto_provider();
    let config = TestConfig::new(&[]);
    let feeds = config.dir.path().join("feeds");
    std::fs::create_dir_all(&feeds).unwrap();
    std::fs::write(feeds.join("first.toml"), FEED).unwrap();
    let text = std::fs::read_to_string(&config.path).unwrap();
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("feeds = ") {
                format!("feeds = \"{}\"", feeds.display())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&config.path, text + "\n").unwrap();

    let log = Arc::new(Mutex::new(Vec::new()));
    let mut daemon = spawn_daemon(&config.path);
    let stderr = daemon.stderr.take().unwrap();
    let pid = daemon.id();
    // A failed assertion must not leave the daemon running.
    let _reaper = Reaper(pid);
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    let line = tokio::task::block_in_place(|| wait_for_log(&log, "Serving feeds.", 0));
    let addr = line
        .split("listen=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let base = format!("http://{addr}");
    assert_eq!(status(&format!("{base}/feeds/first.rss")).await, 200);
    assert_eq!(status(&format!("{base}/feeds/second.rss")).await, 404);

    // A broken change: an unknown region. Refused; the old feeds still serve.
    std::fs::write(
        feeds.join("second.toml"),
        "name = \"second\"\ntitle = \"Second\"\n[filters]\nregion = [\"atlantis\"]\n",
    )
    .unwrap();
    let seen = log.lock().unwrap().len();
    signal(daemon.id(), "-HUP");
    tokio::task::block_in_place(|| wait_for_log(&log, "Reload refused", seen));
    assert!(
        log.lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("unknown region `atlantis`"))
    );
    assert_eq!(status(&format!("{base}/feeds/first.rss")).await, 200);
    assert_eq!(status(&format!("{base}/feeds/second.rss")).await, 404);

    // Fixed: the new feed is served after the next SIGHUP.
    std::fs::write(
        feeds.join("second.toml"),
        "name = \"second\"\ntitle = \"Second\"\n[filters]\nregion = [\"jp\"]\n",
    )
    .unwrap();
    let seen = log.lock().unwrap().len();
    signal(daemon.id(), "-HUP");
    tokio::task::block_in_place(|| wait_for_log(&log, "Configuration reloaded.", seen));
    assert_eq!(status(&format!("{base}/feeds/second.rss")).await, 200);
    assert_eq!(status(&format!("{base}/healthz")).await, 200);
    let metrics = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("polywire_feed_requests_total{kind=\"named_feed\",status=\"200\"}"),
        "{metrics}"
    );

    signal(pid, "-TERM");
    let status = tokio::task::block_in_place(|| daemon.wait().unwrap());
    assert!(status.success());
}

/// A wire of `n` stories named `{prefix}N` whose pages answer slowly, with
/// its index at `{prefix}.xml`.
fn write_wire(dir: &std::path::Path, prefix: &str, n: usize) {
    let mut rss = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Wire</title><link>{{BASE}}/</link><description>d</description>\n",
    );
    for i in 0..n {
        rss.push_str(&format!(
            "<item><title>{prefix} {i}</title><link>{{{{BASE}}}}/{prefix}{i}.html</link><pubDate>Tue, 23 Dec 2025 10:{i:02}:00 +0800</pubDate></item>\n"
        ));
        std::fs::write(
            dir.join(format!("{prefix}{i}.html")),
            format!(
                "<html><head><title>{prefix} {i}</title></head><body><h1>{prefix} {i}</h1><div class=\"body\"><p>Ningbo port volumes rose for the {i}th week, the city's port authority said on Tuesday.</p></div></body></html>"
            ),
        )
        .unwrap();
    }
    rss.push_str("</channel></rss>\n");
    std::fs::write(dir.join(format!("{prefix}.xml")), rss).unwrap();
}

fn source(id: &str, base: &str, prefix: &str) -> String {
    format!(
        "id = \"{id}\"\nname = \"{id}\"\nlanguage = \"en\"\ntimezone = \"Asia/Shanghai\"\nschedule = \"* * * * * *\"\n[index]\nkind = \"rss\"\nurl = \"{base}/{prefix}.xml\"\n[article]\nbody = \".body\"\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_mid_run_lets_the_run_finish_and_starts_new_sources() {
    polywire::fetch::install_crypto_provider();
    // Long enough (60 pages, 500 ms each, two at a time: 15 s) that the
    // reload (loading the taxonomy takes seconds in a debug build) lands
    // mid-run.
    const SLOW: usize = 60;
    let wire_dir = tempfile::tempdir().unwrap();
    write_wire(wire_dir.path(), "slow", SLOW);
    write_wire(wire_dir.path(), "added", 3);
    let wire =
        WireServer::start_with_delay(wire_dir.path().to_path_buf(), Duration::from_millis(500))
            .await;
    let config = TestConfig::new(&[("slow", source("slow", &wire.base, "slow"))]);
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut daemon = spawn_daemon(&config.path);
    let stderr = daemon.stderr.take().unwrap();
    let _reaper = Reaper(daemon.id());
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });

    // Mid-run (a few of the 30 slow pages stored), a new source and SIGHUP.
    tokio::task::block_in_place(|| wait_for_log(&log, "Story stored.", 0));
    let stored_before = log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains("Story stored."))
        .count();
    assert!(stored_before < SLOW, "the run is still in flight");
    std::fs::write(
        config.dir.path().join("config/sources/added.toml"),
        source("added", &wire.base, "added"),
    )
    .unwrap();
    let seen = log.lock().unwrap().len();
    signal(daemon.id(), "-HUP");
    tokio::task::block_in_place(|| wait_for_log(&log, "Configuration reloaded.", seen));
    let reloaded_at = log.lock().unwrap().len();

    assert!(
        log.lock().unwrap()[..reloaded_at]
            .iter()
            .all(|l| !l.contains("Source run finished. source=slow")),
        "the slow run was still in flight when the reload took effect"
    );
    // The run in flight finished whole under the old configuration...
    let finished = tokio::task::block_in_place(|| {
        wait_for_log(
            &log,
            "Source run finished. source=slow entries=60 new=60",
            reloaded_at,
        )
    });
    assert!(finished.contains("status=ok"), "{finished}");
    // ...and the new source runs.
    tokio::task::block_in_place(|| wait_for_log(&log, "source=added entries=3 new=3", reloaded_at));

    let conn = rusqlite::Connection::open(config.db()).unwrap();
    let count = |source: &str| -> i64 {
        conn.query_row(
            "SELECT COUNT(*) FROM articles WHERE source = ?1",
            [source],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(count("slow"), SLOW as i64);
    assert_eq!(count("added"), 3);
    let log = log.lock().unwrap();
    assert!(
        !log.iter()
            .any(|l| l.contains("status=interrupted") || l.contains("ERROR")),
        "{log:#?}"
    );
    drop(log);
    signal(daemon.id(), "-TERM");
    let status = tokio::task::block_in_place(|| daemon.wait().unwrap());
    assert!(status.success());
}

/// Kills the daemon when the test ends, however it ends.
struct Reaper(u32);

impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-9", &self.0.to_string()])
            .status();
    }
}
