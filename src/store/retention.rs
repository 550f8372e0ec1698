//! Retention, as every backend applies it: each source's stories are
//! trimmed by the rule in force for that source (its own `[retention]`,
//! else the daemon's).
//!
//! Each removed story leaves a tombstone (its URL in `retired`): wires keep
//! listing old items, and an item older than `max_age_days` would otherwise
//! be fetched and stored as new on every cycle, then removed again at every
//! pass. Tombstones go after [`TOMBSTONE_DAYS`], which bounds their table by
//! what a month of retention removes (a URL per story, against the kilobytes
//! of the story itself).

/// How long a removed story's URL is refused. Wires drop items from their
/// indexes within days (news sitemaps after two); one still listed after
/// this comes back once and leaves again at the next pass.
pub const TOMBSTONE_DAYS: i64 = 30;

/// The oldest `sort_time` a `max_age_days` rule keeps at `now`.
pub(super) fn age_cutoff(now: i64, days: u64) -> i64 {
    let secs = i64::try_from(days)
        .unwrap_or(i64::MAX)
        .saturating_mul(86_400);
    now.saturating_sub(secs)
}

/// Tombstones older than this (at `now`) are dropped.
pub(super) fn tombstone_cutoff(now: i64) -> i64 {
    now.saturating_sub(TOMBSTONE_DAYS * 86_400)
}
