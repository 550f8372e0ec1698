//! robots.txt per origin, cached in memory, read the way RFC 9309 says.
//!
//! - 2xx: the rules for our agent token (or `*`) apply, including
//!   `Crawl-delay`.
//! - 4xx other than 429 ("unavailable"): everything is allowed.
//! - 5xx, 429 or no answer ("unreachable"): everything is disallowed for
//!   now; we ask again after [`UNREACHABLE_RETRY`]. If an earlier copy was
//!   read, it keeps applying instead (RFC 9309 §2.4 lets a crawler use a
//!   cached copy while the file is unreachable).
//! - A good copy is used for a day ([`FRESH_FOR`]), then read again.
//!
//! The loader (an HTTP GET through the fetcher's own bounds) is passed in,
//! so this module is only the policy and the cache.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use std::time::Instant;
use texting_robots::Robot;

/// How long a robots.txt that was read (or found absent) is trusted.
pub const FRESH_FOR: Duration = Duration::from_secs(24 * 3600);
/// How soon an unreachable robots.txt is asked for again.
pub const UNREACHABLE_RETRY: Duration = Duration::from_secs(10 * 60);
/// Longest `Crawl-delay` obeyed; a larger one is clamped to this.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);
/// Bytes of robots.txt parsed at most (RFC 9309 §2.5 asks for ≥ 500 KiB).
pub const MAX_ROBOTS_BYTES: usize = 512 * 1024;
/// Origins remembered before stale ones are forgotten.
const PRUNE_ABOVE: usize = 10_000;

/// What the loader found at `/robots.txt`.
#[derive(Debug)]
pub enum RobotsFetch {
    /// A final answer with this status and (possibly truncated) body.
    Answered {
        /// HTTP status after redirects.
        status: u16,
        /// Body, at most [`MAX_ROBOTS_BYTES`].
        body: Vec<u8>,
    },
    /// Network failure, timeout, or too many redirects (`why` is logged).
    Unreachable {
        /// Short reason for the log.
        why: String,
    },
    /// We may not ask this host at all (address guard); nothing is cached.
    Refused,
}

/// What robots.txt says about one URL.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Go ahead, no sooner than this after the previous request to the host.
    Allowed {
        /// `Crawl-delay` for our agent, clamped to [`MAX_CRAWL_DELAY`].
        crawl_delay: Option<Duration>,
    },
    /// A rule forbids the URL.
    Disallowed,
    /// robots.txt is unreachable and no earlier copy is known.
    Unavailable,
    /// The loader refused the host; the caller knows why.
    Refused,
}

#[derive(Debug)]
enum Rules {
    Parsed(Box<Robot>),
    AllowAll,
    Unreachable,
}

#[derive(Debug)]
struct Entry {
    rules: Rules,
    refresh_at: Instant,
}

/// The per-origin cache. One load per origin at a time: concurrent
/// fetches to a new host wait for the first one's robots.txt.
#[derive(Debug)]
pub struct RobotsCache {
    agent: String,
    origins: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Entry>>>>>,
}

impl RobotsCache {
    /// A cache answering for the product token `agent` (e.g. `polywire`).
    pub fn new(agent: &str) -> RobotsCache {
        RobotsCache {
            agent: agent.to_ascii_lowercase(),
            origins: Mutex::new(HashMap::new()),
        }
    }

    /// The verdict for `url`, loading `robots_url` with `load` when the
    /// cached copy is missing or due.
    pub async fn verdict<F, Fut>(&self, url: &url::Url, load: F) -> Verdict
    where
        F: FnOnce(url::Url) -> Fut,
        Fut: Future<Output = RobotsFetch>,
    {
        self.verdict_at(url, Instant::now(), load).await
    }

    /// [`RobotsCache::verdict`] as seen at `now` (tests move the clock).
    async fn verdict_at<F, Fut>(&self, url: &url::Url, now: Instant, load: F) -> Verdict
    where
        F: FnOnce(url::Url) -> Fut,
        Fut: Future<Output = RobotsFetch>,
    {
        let origin = url.origin().ascii_serialization();
        let slot = self.slot(&origin, now);
        let mut entry = slot.lock().await;
        let due = entry.as_ref().is_none_or(|e| e.refresh_at <= now);
        if due {
            let mut robots_url = url.clone();
            robots_url.set_path("/robots.txt");
            robots_url.set_query(None);
            robots_url.set_fragment(None);
            let fetched = load(robots_url).await;
            if matches!(fetched, RobotsFetch::Refused) {
                return Verdict::Refused;
            }
            let rules = self.interpret(&origin, fetched);
            *entry = Some(match (rules, entry.take()) {
                // Keep a good copy while the file is unreachable.
                (Rules::Unreachable, Some(old)) if !matches!(old.rules, Rules::Unreachable) => {
                    Entry {
                        rules: old.rules,
                        refresh_at: now + UNREACHABLE_RETRY,
                    }
                }
                (Rules::Unreachable, _) => Entry {
                    rules: Rules::Unreachable,
                    refresh_at: now + UNREACHABLE_RETRY,
                },
                (rules, _) => Entry {
                    rules,
                    refresh_at: now + FRESH_FOR,
                },
            });
        }
        match entry.as_ref().map(|e| &e.rules) {
            Some(Rules::Parsed(robot)) if !robot.allowed(url.as_str()) => Verdict::Disallowed,
            Some(Rules::Parsed(robot)) => Verdict::Allowed {
                crawl_delay: robot
                    .delay
                    .filter(|d| d.is_finite() && *d > 0.0)
                    .map(|d| Duration::from_secs_f32(d).min(MAX_CRAWL_DELAY)),
            },
            Some(Rules::AllowAll) => Verdict::Allowed { crawl_delay: None },
            Some(Rules::Unreachable) | None => Verdict::Unavailable,
        }
    }

    fn interpret(&self, origin: &str, fetched: RobotsFetch) -> Rules {
        match fetched {
            RobotsFetch::Answered { status, body } if (200..300).contains(&status) => {
                match Robot::new(&self.agent, &body) {
                    Ok(robot) => Rules::Parsed(Box::new(robot)),
                    Err(err) => {
                        // The parser is forgiving; if it still gives up there
                        // are no rules we could honour.
                        tracing::warn!(origin, %err, "robots.txt does not parse; treating as allow-all");
                        Rules::AllowAll
                    }
                }
            }
            RobotsFetch::Answered { status, .. } if status == 429 || status >= 500 => {
                tracing::info!(
                    origin,
                    status,
                    "robots.txt unreachable; host disallowed for now"
                );
                Rules::Unreachable
            }
            RobotsFetch::Answered { .. } => Rules::AllowAll,
            RobotsFetch::Unreachable { why } => {
                tracing::info!(
                    origin,
                    why,
                    "robots.txt unreachable; host disallowed for now"
                );
                Rules::Unreachable
            }
            // Handled before interpreting; never cached.
            RobotsFetch::Refused => Rules::Unreachable,
        }
    }

    fn slot(&self, origin: &str, now: Instant) -> Arc<tokio::sync::Mutex<Option<Entry>>> {
        let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        if origins.len() > PRUNE_ABOVE {
            origins.retain(|_, slot| {
                Arc::strong_count(slot) > 1
                    || slot
                        .try_lock()
                        .map(|e| e.as_ref().is_some_and(|e| e.refresh_at > now))
                        .unwrap_or(true)
            });
        }
        Arc::clone(origins.entry(origin.to_string()).or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    fn answered(status: u16, body: &str) -> RobotsFetch {
        RobotsFetch::Answered {
            status,
            body: body.as_bytes().to_vec(),
        }
    }

    #[tokio::test]
    async fn cached_for_a_day_then_read_again() {
        let cache = RobotsCache::new("polywire");
        let page = url("https://wire.example/news/1?x=1");
        let t0 = Instant::now();
        let mut loads = 0;
        for _ in 0..3 {
            let verdict = cache
                .verdict_at(&page, t0, |robots| {
                    assert_eq!(robots.as_str(), "https://wire.example/robots.txt");
                    loads += 1;
                    async { answered(200, "User-agent: *\nDisallow: /news/\n") }
                })
                .await;
            assert_eq!(verdict, Verdict::Disallowed);
        }
        assert_eq!(loads, 1);
        let verdict = cache
            .verdict_at(&page, t0 + FRESH_FOR, |_| async { answered(404, "") })
            .await;
        assert_eq!(verdict, Verdict::Allowed { crawl_delay: None });
    }

    #[tokio::test]
    async fn unreachable_disallows_unless_an_old_copy_exists() {
        let cache = RobotsCache::new("polywire");
        let page = url("http://a.example/x");
        let t0 = Instant::now();
        let down = |_| async { answered(503, "") };
        assert_eq!(
            cache.verdict_at(&page, t0, down).await,
            Verdict::Unavailable
        );
        let still_down = cache
            .verdict_at(&page, t0, |_| async { unreachable!() })
            .await;
        assert_eq!(
            still_down,
            Verdict::Unavailable,
            "not asked again before the retry time"
        );
        let t1 = t0 + UNREACHABLE_RETRY;
        let rules = "User-agent: polywire\nAllow: /\nCrawl-delay: 2.5\n";
        let verdict = cache
            .verdict_at(&page, t1, |_| async { answered(200, rules) })
            .await;
        let expected = Verdict::Allowed {
            crawl_delay: Some(Duration::from_millis(2500)),
        };
        assert_eq!(verdict, expected);
        let gone = |_| async {
            RobotsFetch::Unreachable {
                why: "connect".into(),
            }
        };
        let t2 = t1 + FRESH_FOR;
        assert_eq!(
            cache.verdict_at(&page, t2, gone).await,
            expected,
            "old copy kept"
        );
    }

    #[tokio::test]
    async fn our_group_wins_over_star_and_crawl_delay_is_clamped() {
        let cache = RobotsCache::new("polywire");
        let body = "User-agent: *\nDisallow: /\n\nUser-agent: polywire\nDisallow: /private\nCrawl-delay: 86400\n";
        let load = |_| async move { answered(200, body) };
        let verdict = cache.verdict(&url("http://b.example/news"), load).await;
        let clamped = Verdict::Allowed {
            crawl_delay: Some(MAX_CRAWL_DELAY),
        };
        assert_eq!(verdict, clamped);
        let verdict = cache
            .verdict(&url("http://b.example/private/x"), |_| async {
                unreachable!()
            })
            .await;
        assert_eq!(verdict, Verdict::Disallowed);
    }
}
