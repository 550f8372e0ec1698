//! WebSub publisher: when stories are stored, re-render every named feed
//! and tell the hub about each one whose document changed
//! (`POST hub.mode=publish&hub.url=<feed URL>`).

use super::AppState;
use super::page::named_feed_path;
use super::params::FeedParams;
use super::render::{FeedRequest, render_feed};
use crate::emit::stable_hash;
use jiff::Timestamp;
use std::collections::HashMap;
use std::time::Duration;

/// Quiet time after a change before the hub is told, so a burst of stored
/// stories makes one round of pings.
const DEBOUNCE: Duration = Duration::from_millis(500);

/// Runs until the process ends: waits for [`AppState::invalidate`], then
/// pings the hub for every named feed whose rendering changed. Without a
/// hub in the configuration it only waits.
pub async fn run(state: AppState) {
    crate::fetch::install_crypto_provider();
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .user_agent(crate::config::default_user_agent())
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "Cannot build the WebSub client; hub notifications are off.");
            return;
        }
    };
    let mut published: HashMap<String, u64> = HashMap::new();
    loop {
        state.shared.changed.notified().await;
        tokio::time::sleep(DEBOUNCE).await;
        let snapshot = state.snapshot();
        let Some(hub) = snapshot.config.daemon.server.websub_hub.clone() else {
            continue;
        };
        let store = state.store();
        let rendered = tokio::task::spawn_blocking(move || {
            let store = store.lock().unwrap_or_else(|e| e.into_inner());
            let base = snapshot.config.daemon.server.public_base_url();
            let params = FeedParams {
                case_sensitive: true,
                sorted: true,
                ..FeedParams::default()
            };
            let now = Timestamp::now();
            let mut out = Vec::new();
            for feed in &snapshot.config.feeds {
                for &format in &feed.formats {
                    let url = format!("{base}/{}", named_feed_path(&feed.name, format));
                    match render_feed(
                        &snapshot.config,
                        &snapshot.taxonomy,
                        &store,
                        FeedRequest {
                            name: Some(&feed.name),
                            format,
                            params: &params,
                            self_url: &url,
                            now,
                        },
                    ) {
                        Ok(r) => out.push((url, stable_hash(r.body.as_bytes()))),
                        Err(e) => tracing::warn!(feed = %feed.name, error = %e, "Cannot render feed for WebSub."),
                    }
                }
            }
            out
        })
        .await
        .unwrap_or_default();
        for (url, hash) in rendered {
            if published.get(&url) == Some(&hash) {
                continue;
            }
            let body = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("hub.mode", "publish")
                .append_pair("hub.url", &url)
                .finish();
            let result = client
                .post(&hub)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await;
            match result {
                Ok(resp) if resp.status().is_success() => {
                    tracing::debug!(%url, %hub, "Notified WebSub hub.");
                    published.insert(url, hash);
                }
                Ok(resp) => {
                    tracing::warn!(%url, %hub, status = resp.status().as_u16(), "WebSub hub refused the notification.")
                }
                Err(e) => tracing::warn!(%url, %hub, error = %e, "Cannot reach WebSub hub."),
            }
        }
    }
}
