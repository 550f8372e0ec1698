//! Publication times as pages write them: RFC 3339 and RFC 2822 in meta
//! tags, and the loose forms of page text (`2025-12-23 10:05`,
//! `2025/12/23`, `2025年12月23日 10:05`, `2025.12.23 10:05:00`). A time
//! without a zone is read in the source's zone.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use std::sync::LazyLock;

/// Year, month, day, then optional hour, minute, second and zone offset.
static LOOSE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(concat!(
        r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?",
        r"(?:(?:T|\s|&nbsp;)*(\d{1,2})\s*[:：时時]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?(?:\.\d+)?",
        r"\s*(Z|[+-]\d{2}:?\d{2})?)?"
    ))
    .expect("static regex")
});

/// The zone named by `timezone`, UTC when the name is unknown.
pub fn zone(timezone: &str) -> TimeZone {
    TimeZone::get(timezone).unwrap_or(TimeZone::UTC)
}

/// Reads a date written in a meta tag, JSON-LD or a `datetime` attribute.
pub fn parse(text: &str, tz: &TimeZone) -> Option<Timestamp> {
    let text = text.trim();
    if text.is_empty() || text.len() > 200 {
        return None;
    }
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
        return Some(zoned.timestamp());
    }
    if let Some(ts) = text
        .parse::<i64>()
        .ok()
        .filter(|s| (946_684_800..4_102_444_800).contains(s))
        .and_then(|s| Timestamp::from_second(s).ok())
    {
        return Some(ts);
    }
    find_in_text(text, tz)
}

/// The first full date (with its time, if written) in running text.
pub fn find_in_text(text: &str, tz: &TimeZone) -> Option<Timestamp> {
    LOOSE.captures_iter(text).find_map(|caps| {
        let num = |k: usize| caps.get(k).and_then(|m| m.as_str().parse::<i8>().ok());
        let year: i16 = caps.get(1)?.as_str().parse().ok()?;
        let month = num(2)?;
        let day = num(3)?;
        let (hour, minute, second) = match (num(4), num(5)) {
            (Some(h), Some(m)) => (h, m, num(6).unwrap_or(0)),
            _ => (0, 0, 0),
        };
        let civil = DateTime::new(year, month, day, hour, minute, second, 0).ok()?;
        match caps.get(7).map(|m| m.as_str()) {
            Some("Z") => TimeZone::UTC.to_timestamp(civil).ok(),
            Some(offset) => {
                let digits: String = offset.chars().filter(char::is_ascii_digit).collect();
                let hours: i32 = digits.get(..2)?.parse().ok()?;
                let minutes: i32 = digits.get(2..4)?.parse().ok()?;
                let sign = if offset.starts_with('-') { -1 } else { 1 };
                let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()?;
                TimeZone::fixed(offset).to_timestamp(civil).ok()
            }
            None => tz.to_timestamp(civil).ok(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, tz: &str) -> String {
        parse(text, &zone(tz))
            .map(|t| t.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn meta_forms_and_page_text_forms() {
        assert_eq!(
            at("2025-12-23T10:05:00+08:00", "UTC"),
            "2025-12-23T02:05:00Z"
        );
        assert_eq!(
            at("Tue, 23 Dec 2025 10:05:00 GMT", "UTC"),
            "2025-12-23T10:05:00Z"
        );
        assert_eq!(
            at("2025年12月23日 10:05", "Asia/Shanghai"),
            "2025-12-23T02:05:00Z"
        );
        assert_eq!(
            at("来源：新华网 2025-12-23 10:05:30", "Asia/Shanghai"),
            "2025-12-23T02:05:30Z"
        );
        assert_eq!(at("2025/12/23", "Asia/Tokyo"), "2025-12-22T15:00:00Z");
        assert_eq!(
            at("2025-12-23T10:05:00+0900", "UTC"),
            "2025-12-23T01:05:00Z"
        );
        assert_eq!(at("2025-13-45", "UTC"), "");
        assert_eq!(at("no date here", "UTC"), "");
    }
}
