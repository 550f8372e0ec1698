//! Shared helpers for integration tests: a local news wire on 127.0.0.1
//! serving fixture files, and a config tree in a temporary folder.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Path of a fixture under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The repository's own `config/` folder.
pub fn repo_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
}

/// A local wire: serves the files of a fixture folder, with `{{BASE}}`
/// replaced by the server's own URL, and counts requests per path.
pub struct WireServer {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    total: Arc<AtomicUsize>,
    _task: tokio::task::JoinHandle<()>,
}

impl WireServer {
    /// Starts serving `dir` on an ephemeral port.
    pub async fn start(dir: PathBuf) -> WireServer {
        WireServer::start_with_delay(dir, std::time::Duration::ZERO).await
    }

    /// Like `start`, but every HTML page waits `delay` before answering, so
    /// a run takes long enough to be interrupted.
    pub async fn start_with_delay(dir: PathBuf, delay: std::time::Duration) -> WireServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let total = Arc::new(AtomicUsize::new(0));
        let state = (dir, base.clone(), hits.clone(), total.clone());
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
            let (dir, base, hits, total) = state.clone();
            async move {
                total.fetch_add(1, Ordering::SeqCst);
                let path = uri.path().trim_start_matches('/').to_string();
                *hits.lock().unwrap().entry(path.clone()).or_default() += 1;
                if path.ends_with(".html") && !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                let file = dir.join(&path);
                match std::fs::read_to_string(&file) {
                    Ok(text) if !path.contains("..") => {
                        let content_type = match file.extension().and_then(|e| e.to_str()) {
                            Some("xml") => "application/xml; charset=utf-8",
                            Some("txt") => "text/plain; charset=utf-8",
                            _ => "text/html; charset=utf-8",
                        };
                        (
                            axum::http::StatusCode::OK,
                            [(axum::http::header::CONTENT_TYPE, content_type)],
                            text.replace("{{BASE}}", &base),
                        )
                    }
                    _ => (
                        axum::http::StatusCode::NOT_FOUND,
                        [(axum::http::header::CONTENT_TYPE, "text/plain")],
                        String::from("not found"),
                    ),
                }
            }
        });
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        WireServer {
            base,
            hits,
            total,
            _task: task,
        }
    }

    /// Requests received for a path (without the leading `/`).
    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    /// Requests received in all.
    pub fn total(&self) -> usize {
        self.total.load(Ordering::SeqCst)
    }
}

/// A configuration tree in a temporary folder whose sources point at a
/// local wire, with the repository's taxonomy and feeds.
pub struct TestConfig {
    /// Keeps the folder alive.
    pub dir: tempfile::TempDir,
    /// `polywire.toml` inside it.
    pub path: PathBuf,
}

impl TestConfig {
    /// Writes `polywire.toml` and one file per `(id, source toml body)`.
    pub fn new(sources: &[(&str, String)]) -> TestConfig {
        let dir = tempfile::tempdir().unwrap();
        let config_dir = dir.path().join("config");
        std::fs::create_dir_all(config_dir.join("sources")).unwrap();
        let repo = repo_config();
        let text = format!(
            r#"[server]
listen = "127.0.0.1:0"
[store]
path = "{db}"
[fetch]
allow_private_addresses = true
per_host_delay_ms = 0
retries = 0
timeout_secs = 10
[paths]
sources = "sources"
taxonomy = "{taxonomy}"
feeds = "{feeds}"
"#,
            db = dir.path().join("data/polywire.db").display(),
            taxonomy = repo.join("taxonomy").display(),
            feeds = repo.join("../feeds").display(),
        );
        let path = config_dir.join("polywire.toml");
        std::fs::write(&path, text).unwrap();
        for (id, body) in sources {
            std::fs::write(config_dir.join("sources").join(format!("{id}.toml")), body).unwrap();
        }
        TestConfig { dir, path }
    }

    /// The database file.
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("data/polywire.db")
    }
}

/// The three sources of the `wire` fixture: an RSS index with article pages,
/// an Atom index with full content, and an HTML listing page.
pub fn wire_sources(base: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "cns",
            format!(
                r#"id = "cns"
name = "China News Service (test)"
language = "zh-Hans"
timezone = "Asia/Shanghai"
schedule = "0 */10 * * * *"
[index]
kind = "rss"
url = "{base}/rss.xml"
[article]
title = "h1"
body = ".left_zw"
remove = [".share"]
"#
            ),
        ),
        (
            "xinhua",
            format!(
                r#"id = "xinhua"
name = "Xinhua English (test)"
language = "en"
timezone = "Asia/Shanghai"
schedule = "0 */15 * * * *"
[index]
kind = "atom"
url = "{base}/atom.xml"
"#
            ),
        ),
        (
            "yna",
            format!(
                r#"id = "yna"
name = "Yonhap (test)"
language = "ko"
timezone = "Asia/Seoul"
schedule = "0 */15 * * * *"
[index]
kind = "html"
url = "{base}/listing.html"
links = "ul.list li"
"#
            ),
        ),
    ]
}
