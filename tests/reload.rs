//! SIGHUP reloads sources, taxonomy and feeds; a bad configuration is
//! refused and the old one keeps serving.
#![cfg(unix)]

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::TestConfig;

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
    let mut daemon = Command::new(env!("CARGO_BIN_EXE_polywire"))
        .args(["run", "--config"])
        .arg(&config.path)
        .env("RUST_LOG", "polywire=info")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
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

/// Kills the daemon when the test ends, however it ends.
struct Reaper(u32);

impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-9", &self.0.to_string()])
            .status();
    }
}
