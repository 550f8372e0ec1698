//! When a source runs next: its cron schedule, pushed out after failures
//! and when a server asked for a pause.
//!
//! Kept apart from the scheduler (which sleeps until the time) and the
//! pipeline (which records it after each run), so both use one rule and
//! neither imports the other.

use crate::config::{LimitsConfig, SourceConfig};
use jiff::{SignedDuration, Timestamp};
use std::str::FromStr;

/// First backoff step after a failure; doubled per further failure.
const BACKOFF_BASE_SECS: i64 = 60;

/// When a source should next run: the next cron tick after `now`, or later
/// when it has been failing (exponential backoff from
/// [`BACKOFF_BASE_SECS`], capped by `[limits] max_backoff_secs`, so a
/// broken wire is not hammered), or when its server asked us to come back
/// later (`retry_after`, a 429/503 Retry-After beyond what a fetch waits
/// out). `None` when the schedule yields no further tick.
pub fn next_run(
    source: &SourceConfig,
    now: Timestamp,
    failures: u32,
    retry_after: Option<std::time::Duration>,
    limits: &LimitsConfig,
) -> Option<Timestamp> {
    let schedule = cron::Schedule::from_str(source.schedule.get_ref()).ok()?;
    let now_chrono = chrono::DateTime::<chrono::Utc>::from_timestamp(now.as_second(), 0)?;
    let tick = schedule.after(&now_chrono).next()?;
    let mut next = Timestamp::from_second(tick.timestamp()).ok()?;
    if failures > 0 {
        let backoff = BACKOFF_BASE_SECS
            .saturating_mul(1i64 << (failures - 1).min(30))
            .min(limits.max_backoff_secs as i64);
        let pushed = now.checked_add(SignedDuration::from_secs(backoff)).ok()?;
        next = next.max(pushed);
    }
    if let Some(wait) = retry_after
        && let Ok(asked) = now.checked_add(SignedDuration::try_from(wait).unwrap_or_default())
    {
        next = next.max(asked);
    }
    Some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(schedule: &str) -> SourceConfig {
        toml::from_str(&format!(
            "id = \"s\"\nname = \"S\"\nlanguage = \"en\"\ntimezone = \"UTC\"\nschedule = \"{schedule}\"\n[index]\nkind = \"rss\"\nurl = \"https://e.com/\"\n"
        ))
        .unwrap()
    }

    #[test]
    fn next_tick_and_backoff() {
        let limits = LimitsConfig::default();
        let s = source("0 */15 * * * *");
        let now: Timestamp = "2026-11-29T10:07:30Z".parse().unwrap();
        assert_eq!(
            next_run(&s, now, 0, None, &limits).unwrap().to_string(),
            "2026-11-29T10:15:00Z"
        );
        // Three failures: 4 minutes of backoff is still before the tick.
        assert_eq!(
            next_run(&s, now, 3, None, &limits).unwrap().to_string(),
            "2026-11-29T10:15:00Z"
        );
        // Six failures: 32 minutes, past the tick.
        assert_eq!(
            next_run(&s, now, 6, None, &limits).unwrap().to_string(),
            "2026-11-29T10:39:30Z"
        );
        // Capped at max_backoff_secs.
        let capped = next_run(&s, now, 40, None, &limits).unwrap();
        assert_eq!(
            capped.duration_since(now).as_secs(),
            limits.max_backoff_secs as i64
        );
    }

    #[test]
    fn retry_after_pushes_the_next_run_past_the_tick() {
        let limits = LimitsConfig::default();
        let s = source("0 */15 * * * *");
        let now: Timestamp = "2026-11-29T10:07:30Z".parse().unwrap();
        let wait = Some(std::time::Duration::from_secs(3600));
        assert_eq!(
            next_run(&s, now, 0, wait, &limits).unwrap().to_string(),
            "2026-11-29T11:07:30Z"
        );
        // A short wait leaves the tick as it is.
        let wait = Some(std::time::Duration::from_secs(60));
        assert_eq!(
            next_run(&s, now, 0, wait, &limits).unwrap().to_string(),
            "2026-11-29T10:15:00Z"
        );
    }
}
