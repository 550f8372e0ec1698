//! When a source runs next: its cron schedule, pushed out after failures
//! and when a server asked for a pause.
//!
//! Cron fields are wall-clock times in the source's own time zone, so
//! `0 0 8 * * *` on a Tokyo wire runs at 08:00 in Tokyo. Across a DST
//! change (the rule of Vixie cron):
//! * a time the clocks skip runs once, right after the gap (02:30 on a
//!   spring-forward night runs at 03:30);
//! * in the hour the clocks pass twice, a schedule that names its hours
//!   (`0 30 1 * * *`) runs at the first pass only, while one that runs
//!   every hour (`0 */15 * * * *`) runs at both, keeping its pace.
//!
//! Kept apart from the scheduler (which sleeps until the time) and the
//! pipeline (which records it after each run), so both use one rule and
//! neither imports the other.

use crate::config::{LimitsConfig, SourceConfig};
use cron::TimeUnitSpec;
use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};
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
    let mut next = next_tick(&schedule, source.timezone.get_ref().zone(), now)?;
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

/// How far back a clock can have been set: the longest repeated stretch
/// of wall time a zone has (an hour; two in a few historical zones).
const LONGEST_FOLD: SignedDuration = SignedDuration::from_hours(3);

/// Cron ticks a search looks at before giving up (a schedule whose ticks
/// are all in the past, such as a fixed year).
const MAX_TICKS: usize = 100_000;

/// The first instant after `now` at which `schedule`, read as wall-clock
/// time in `zone`, ticks (the rules in the module's documentation).
///
/// The `cron` crate walks a calendar; it is given the zone's wall time
/// written as if it were UTC, and each tick's wall time is then placed in
/// the zone. A wall time in a gap takes the offset from before the gap
/// (the instant right after it); one in a fold has two instants. Near a
/// change of offset, the second pass of a repeated wall time can lie
/// behind the wall clock, so the walk starts [`LONGEST_FOLD`] earlier.
pub fn next_tick(schedule: &cron::Schedule, zone: &TimeZone, now: Timestamp) -> Option<Timestamp> {
    let both_passes = schedule.hours().is_all();
    let wall = zone.to_datetime(now);
    let offset_changes = match (now.checked_sub(LONGEST_FOLD), now.checked_add(LONGEST_FOLD)) {
        (Ok(before), Ok(after)) => zone.to_offset(before) != zone.to_offset(after),
        _ => false,
    };
    let start = if offset_changes {
        wall.checked_sub(LONGEST_FOLD).ok()?
    } else {
        wall
    };
    let horizon = wall.checked_add(LONGEST_FOLD).ok()?;
    let mut best: Option<Timestamp> = None;
    for tick in schedule.after(&wall_as_utc(start)?).take(MAX_TICKS) {
        let tick_wall = utc_as_wall(tick)?;
        for instant in instants(zone, tick_wall, both_passes) {
            if instant > now && best.is_none_or(|b| instant < b) {
                best = Some(instant);
            }
        }
        // Past the horizon a later tick's instants are all later.
        if best.is_some() && tick_wall > horizon {
            break;
        }
    }
    best
}

/// The instants a wall time stands for in `zone`: in a gap the one right
/// after it; in a fold the first pass, and the second too when
/// `both_passes`.
fn instants(zone: &TimeZone, wall: DateTime, both_passes: bool) -> Vec<Timestamp> {
    let offsets = match zone.to_ambiguous_timestamp(wall).offset() {
        AmbiguousOffset::Unambiguous { offset } => vec![offset],
        AmbiguousOffset::Gap { before, .. } => vec![before],
        AmbiguousOffset::Fold { before, after } if both_passes => vec![before, after],
        AmbiguousOffset::Fold { before, .. } => vec![before],
    };
    offsets
        .into_iter()
        .filter_map(|offset| offset.to_timestamp(wall).ok())
        .collect()
}

/// A wall time as the UTC instant with the same calendar fields, for the
/// `cron` crate's calendar walk.
fn wall_as_utc(wall: DateTime) -> Option<chrono::DateTime<chrono::Utc>> {
    let seconds = jiff::tz::Offset::UTC.to_timestamp(wall).ok()?.as_second();
    chrono::DateTime::<chrono::Utc>::from_timestamp(seconds, 0)
}

/// The calendar fields of a tick from [`wall_as_utc`]'s walk.
fn utc_as_wall(tick: chrono::DateTime<chrono::Utc>) -> Option<DateTime> {
    let instant = Timestamp::from_second(tick.timestamp()).ok()?;
    Some(TimeZone::UTC.to_datetime(instant))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(schedule: &str) -> SourceConfig {
        source_in(schedule, "UTC")
    }

    fn source_in(schedule: &str, zone: &str) -> SourceConfig {
        toml::from_str(&format!(
            "id = \"s\"\nname = \"S\"\nlanguage = \"en\"\ntimezone = \"{zone}\"\nschedule = \"{schedule}\"\n[index]\nkind = \"rss\"\nurl = \"https://e.com/\"\n"
        ))
        .unwrap()
    }

    /// Runs from `from` on, each computed from the one before, as the
    /// scheduler does.
    fn runs(source: &SourceConfig, from: &str, count: usize) -> Vec<String> {
        let limits = LimitsConfig::default();
        let mut now: Timestamp = from.parse().unwrap();
        (0..count)
            .map(|_| {
                now = next_run(source, now, 0, None, &limits).unwrap();
                now.to_string()
            })
            .collect()
    }

    #[test]
    fn cron_reads_the_sources_wall_clock() {
        // 08:00 in Tokyo is 23:00 UTC the day before, not 08:00 UTC.
        let tokyo = source_in("0 0 8 * * *", "Asia/Tokyo");
        assert_eq!(
            runs(&tokyo, "2026-11-29T10:07:30Z", 2),
            ["2026-11-29T23:00:00Z", "2026-11-30T23:00:00Z"]
        );
    }

    #[test]
    fn a_daily_time_stays_on_the_wall_clock_across_dst_changes() {
        // New York: 08:00 is 13:00 UTC in winter and 12:00 UTC in summer.
        let ny = source_in("0 0 8 * * *", "America/New_York");
        assert_eq!(
            runs(&ny, "2026-03-07T14:00:00Z", 2),
            ["2026-03-08T12:00:00Z", "2026-03-09T12:00:00Z"]
        );
        assert_eq!(
            runs(&ny, "2026-10-31T14:00:00Z", 2),
            ["2026-11-01T13:00:00Z", "2026-11-02T13:00:00Z"]
        );
    }

    #[test]
    fn a_skipped_time_runs_after_the_gap_and_a_repeated_one_once() {
        // 2026-03-08 02:30 does not exist in New York (02:00 -> 03:00):
        // it runs at 03:30 EDT (07:30 UTC).
        let gap = source_in("0 30 2 * * *", "America/New_York");
        assert_eq!(
            runs(&gap, "2026-03-07T12:00:00Z", 2),
            ["2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"]
        );
        // 2026-11-01 01:30 happens twice (EDT, then EST): it runs once, at
        // the first (05:30 UTC), then the next day at 06:30 UTC.
        let fold = source_in("0 30 1 * * *", "America/New_York");
        assert_eq!(
            runs(&fold, "2026-10-31T12:00:00Z", 2),
            ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"]
        );
    }

    #[test]
    fn an_hourly_pace_continues_through_the_repeated_hour() {
        // Every 30 minutes across 2026-11-01 in New York, where 01:00 to
        // 02:00 happens twice: no run is dropped and none comes twice.
        let pace = source_in("0 */30 * * * *", "America/New_York");
        assert_eq!(
            runs(&pace, "2026-11-01T04:50:00Z", 5),
            [
                "2026-11-01T05:00:00Z", // 01:00 EDT
                "2026-11-01T05:30:00Z", // 01:30 EDT
                "2026-11-01T06:00:00Z", // 01:00 EST
                "2026-11-01T06:30:00Z", // 01:30 EST
                "2026-11-01T07:00:00Z", // 02:00 EST
            ]
        );
        // And across the spring gap: 01:30 EST, then 03:00 EDT.
        assert_eq!(
            runs(&pace, "2026-03-08T06:10:00Z", 2),
            ["2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z"]
        );
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
