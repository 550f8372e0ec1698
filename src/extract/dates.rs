//! Dates as feeds really write them, read into UTC.
//!
//! RFC 3339 and RFC 822/2822 are the standards; wires also send dates
//! without a zone (`2025-12-23 10:05:00`), in CJK notation
//! (`2025年12月23日 10:05`), with localized month names (`23. Dez. 2025`,
//! `mar, 23 dic 2025`), two-digit years, `GMT+8`, and `CST` meaning China
//! Standard Time on Chinese wires. A date without a zone is read in the
//! source's own time zone, which is the only reading that is right for a
//! wire that writes local time.
//!
//! The parser is a small set of anchored patterns over a normalized string
//! (no backtracking blow-up: the `regex` crate is linear, and inputs longer
//! than [`MAX_LEN`] are refused).

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use regex::Regex;
use std::sync::LazyLock;

/// Longer strings are not dates; refusing them keeps parsing cheap.
const MAX_LEN: usize = 128;

/// The source's zone by IANA name; unknown names fall back to UTC, logged.
pub fn source_zone(name: &str) -> TimeZone {
    match TimeZone::get(name) {
        Ok(tz) => tz,
        Err(error) => {
            if !name.is_empty() {
                tracing::warn!(zone = name, %error, "Unknown time zone; reading local dates as UTC.");
            }
            TimeZone::UTC
        }
    }
}

/// Parses a feed date; a date without a zone is read in `zone`.
pub fn parse_date(raw: &str, zone: &TimeZone) -> Option<Timestamp> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > MAX_LEN {
        return None;
    }
    if let Ok(ts) = raw.parse::<Timestamp>() {
        return Some(ts);
    }
    // RFC 2822 with a numeric or universal zone: jiff's strict parser is
    // fast. Named zones go the slow way, where `CST` depends on the source.
    let numeric_zone = raw.rsplit(' ').next().is_some_and(|z| {
        z.len() == 5 && z.starts_with(['+', '-']) || matches!(z, "GMT" | "UT" | "UTC" | "Z")
    });
    if numeric_zone && let Ok(zoned) = jiff::fmt::rfc2822::parse(raw) {
        return Some(zoned.timestamp());
    }
    if raw.len() == 10 && raw.bytes().all(|b| b.is_ascii_digit()) {
        // Unix seconds, as some JSON endpoints send.
        return Timestamp::from_second(raw.parse().ok()?).ok();
    }
    let text = normalize(raw);
    let (time, zone_offset, date_text) = split_time(&text, zone)?;
    let (year, month, day) = find_date(&date_text)?;
    let (hour, minute, second, nanos) = time.unwrap_or((0, 0, 0, 0));
    let civil = DateTime::new(year, month, day, hour, minute, second, nanos).ok()?;
    match zone_offset {
        Some(offset) => offset.to_timestamp(civil).ok(),
        None => zone.to_timestamp(civil).ok(),
    }
}

/// Lower-case ASCII-ish form: full-width forms folded, CJK date units
/// turned into separators, AM/PM markers into `am`/`pm`.
fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    for ch in raw.chars() {
        match ch {
            '\u{ff01}'..='\u{ff5e}' => {
                out.push(char::from_u32(ch as u32 - 0xfee0).unwrap_or(' '));
            }
            '\u{3000}' | '\u{a0}' => out.push(' '),
            '年' | '년' | '/' => out.push('-'),
            '月' | '월' => out.push('-'),
            '日' | '일' => out.push(' '),
            '时' | '時' | '시' | '点' | '點' => out.push(':'),
            '分' | '분' => out.push(' '),
            '秒' | '초' => {}
            _ => out.extend(ch.to_lowercase()),
        }
    }
    for (marker, replacement) in [
        ("上午", " am "),
        ("午前", " am "),
        ("오전", " am "),
        ("下午", " pm "),
        ("午後", " pm "),
        ("오후", " pm "),
    ] {
        if out.contains(marker) {
            out = out.replace(marker, replacement);
        }
    }
    out
}

type Time = (i8, i8, i8, i32);

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^\d])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,9}))?(?::\s|\s*(a\.?m\.?|p\.?m\.?)(?:\W|$))?",
    )
    .expect("static regex")
});

static NUMERIC_OFFSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\(?\s*(?:(?:gmt|utc|ut)\s*)?([+-])\s*(\d{1,2})(?::?(\d{2}))?")
        .expect("static regex")
});

static NAMED_ZONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\(?\s*([a-z]{1,5})\b").expect("static regex"));

/// Finds the time of day and the zone written after it; returns them with
/// the rest of the text, where the calendar date is.
fn split_time(text: &str, zone: &TimeZone) -> Option<(Option<Time>, Option<Offset>, String)> {
    let Some(caps) = TIME.captures(text) else {
        return Some((None, None, text.to_string()));
    };
    let whole = caps.get(0)?;
    let num = |i: usize| caps.get(i).map(|m| m.as_str().parse::<i64>().unwrap_or(0));
    let mut hour = num(1)?;
    let minute = num(2)?;
    let second = num(3).unwrap_or(0).min(59);
    let nanos = caps
        .get(4)
        .map(|m| {
            let digits = m.as_str();
            format!("{digits:0<9}")[..9].parse::<i32>().unwrap_or(0)
        })
        .unwrap_or(0);
    let meridiem = caps
        .get(5)
        .map(|m| m.as_str().starts_with('p'))
        .or_else(|| {
            // A CJK marker before the time (`下午 3:05`) was turned into `pm`.
            let before = &text[..whole.start()];
            if before.contains(" pm ") {
                Some(true)
            } else if before.contains(" am ") {
                Some(false)
            } else {
                None
            }
        });
    match meridiem {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    if hour > 23 || minute > 59 {
        return None;
    }
    let rest = &text[whole.end()..];
    let (offset, zone_len) = zone_after_time(rest, zone);
    let date_text = format!("{} {}", &text[..whole.start()], &rest[zone_len..]);
    Some((
        Some((hour as i8, minute as i8, second as i8, nanos)),
        offset,
        date_text,
    ))
}

/// The zone written right after the time: `Z`, `+0800`, `+08:00`, `GMT+8`,
/// or an abbreviation. `None` means "read in the source's zone". Also
/// returns how many bytes of `rest` the zone took.
fn zone_after_time(rest: &str, zone: &TimeZone) -> (Option<Offset>, usize) {
    let offset = written_zone(rest, zone);
    let len = NUMERIC_OFFSET
        .find(rest)
        .or_else(|| NAMED_ZONE.find(rest))
        .filter(|_| offset.is_some())
        .map_or(0, |m| m.end());
    (offset, len)
}

fn written_zone(rest: &str, zone: &TimeZone) -> Option<Offset> {
    if let Some(caps) = NUMERIC_OFFSET.captures(rest) {
        let sign = if &caps[1] == "-" { -1 } else { 1 };
        let digits = &caps[2];
        let (hours, minutes) = match caps.get(3) {
            Some(m) => (digits.parse::<i32>().ok()?, m.as_str().parse::<i32>().ok()?),
            None => (digits.parse::<i32>().ok()?, 0),
        };
        if hours > 14 || minutes > 59 {
            return None;
        }
        return Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok();
    }
    let caps = NAMED_ZONE.captures(rest)?;
    let hours: f32 = match &caps[1] {
        "z" | "gmt" | "ut" | "utc" | "wet" => 0.0,
        "bst" | "cet" | "mez" | "wat" | "west" => 1.0,
        "cest" | "mesz" | "eet" | "sast" => 2.0,
        "eest" | "msk" => 3.0,
        "ist" => 5.5,
        "ict" | "wib" => 7.0,
        "cst" if is_china(zone) => 8.0,
        "hkt" | "sgt" | "awst" | "pht" | "myt" => 8.0,
        "jst" | "kst" => 9.0,
        "aest" => 10.0,
        "aedt" => 11.0,
        "nzst" => 12.0,
        "nzdt" => 13.0,
        "edt" => -4.0,
        "est" | "cdt" => -5.0,
        "cst" | "mdt" => -6.0,
        "mst" | "pdt" => -7.0,
        "pst" => -8.0,
        _ => return None,
    };
    Offset::from_seconds((hours * 3600.0) as i32).ok()
}

/// Zones whose wires write `CST` for China (or Taiwan) Standard Time.
fn is_china(zone: &TimeZone) -> bool {
    matches!(
        zone.iana_name(),
        Some(
            "Asia/Shanghai"
                | "Asia/Chongqing"
                | "Asia/Chungking"
                | "Asia/Harbin"
                | "Asia/Urumqi"
                | "Asia/Taipei"
                | "Asia/Macau"
                | "Asia/Hong_Kong"
                | "PRC"
                | "ROC"
        )
    )
}

static YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[-.]\s*(\d{1,2})\s*[-.]\s*(\d{1,2})").expect("static regex")
});

static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d])(\d{1,2})\s*([-.])\s*(\d{1,2})\s*[-.]\s*(\d{4}|\d{2})(?:[^\d]|$)")
        .expect("static regex")
});

static COMPACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{4})(\d{2})(\d{2})(?:t|\s|$)").expect("static regex"));

static WORD_OR_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{L}+|\d+").expect("static regex"));

/// The calendar date in what is left once the time and zone are taken out.
fn find_date(text: &str) -> Option<(i16, i8, i8)> {
    if let Some(c) = YMD.captures(text) {
        return Some((c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?));
    }
    if let Some(c) = COMPACT.captures(text) {
        return Some((c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?));
    }
    if let Some(date) = date_with_month_name(text) {
        return Some(date);
    }
    let c = DMY.captures(text)?;
    let (a, b): (i8, i8) = (c[1].parse().ok()?, c[3].parse().ok()?);
    let year = full_year(c[4].parse().ok()?);
    // Dotted dates are day-first everywhere; slashed ones are month-first
    // unless the first number cannot be a month.
    let (day, month) = if &c[2] == "." || a > 12 {
        (a, b)
    } else {
        (b, a)
    };
    Some((year, month, day))
}

/// `23 Dec 2025`, `December 23, 2025`, `23. Dezember 2025`, `mar, 23 dic 25`.
fn date_with_month_name(text: &str) -> Option<(i16, i8, i8)> {
    let tokens: Vec<&str> = WORD_OR_NUMBER.find_iter(text).map(|m| m.as_str()).collect();
    // The last month-like word: a leading weekday such as Spanish `mar`
    // (martes) must not be taken for March.
    let month_at = tokens.iter().rposition(|t| month_from_name(t).is_some())?;
    let month = month_from_name(tokens[month_at])?;
    let numbers: Vec<&str> = tokens
        .iter()
        .copied()
        .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let year_pos = numbers.iter().position(|n| n.len() == 4);
    let (year, day) = match year_pos {
        Some(y) => {
            let day = numbers
                .iter()
                .enumerate()
                .find(|&(i, n)| i != y && n.len() <= 2)
                .map(|(_, n)| *n)?;
            (numbers[y].parse::<i16>().ok()?, day)
        }
        None => {
            let [day, year] = numbers.get(..2)? else {
                return None;
            };
            (full_year(year.parse().ok()?), *day)
        }
    };
    Some((year, month, day.parse().ok()?))
}

/// Two-digit years: `25` is 2025, `98` is 1998 (RFC 2822's obsolete form).
fn full_year(year: i16) -> i16 {
    match year {
        0..=69 => 2000 + year,
        70..=99 => 1900 + year,
        _ => year,
    }
}

/// Month abbreviations in English, German, French, Spanish, Italian,
/// Portuguese and Dutch (with and without accents), matched as word prefixes.
fn month_from_name(word: &str) -> Option<i8> {
    const STEMS: &[(&str, i8)] = &[
        ("jan", 1),
        ("jän", 1),
        ("ene", 1),
        ("gen", 1),
        ("feb", 2),
        ("fév", 2),
        ("fev", 2),
        ("mar", 3),
        ("mär", 3),
        ("mrz", 3),
        ("mrt", 3),
        ("apr", 4),
        ("avr", 4),
        ("abr", 4),
        ("may", 5),
        ("mai", 5),
        ("mag", 5),
        ("mei", 5),
        ("jun", 6),
        ("juin", 6),
        ("giu", 6),
        ("jul", 7),
        ("juil", 7),
        ("lug", 7),
        ("aug", 8),
        ("aoû", 8),
        ("aou", 8),
        ("ago", 8),
        ("sep", 9),
        ("set", 9),
        ("oct", 10),
        ("okt", 10),
        ("ott", 10),
        ("out", 10),
        ("nov", 11),
        ("dec", 12),
        ("déc", 12),
        ("dez", 12),
        ("dic", 12),
    ];
    if word.chars().count() < 3 {
        return None;
    }
    // Longest stem first so `juil` (July) wins over `jui`-less `jun` checks.
    STEMS
        .iter()
        .filter(|(stem, _)| word.starts_with(stem))
        .max_by_key(|(stem, _)| stem.len())
        .map(|&(_, m)| m)
        .filter(|_| !is_weekday_or_noise(word))
}

/// Weekday names that start like a month stem (`mar` for martes, mardi).
fn is_weekday_or_noise(word: &str) -> bool {
    matches!(
        word,
        "martes" | "mardi" | "martedì" | "martedi" | "marți" | "ago"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn at(raw: &str, zone: &str) -> Option<Timestamp> {
        parse_date(raw, &source_zone(zone))
    }

    #[test]
    fn standard_forms() {
        let want = utc("2025-12-23T02:05:00Z");
        assert_eq!(at("2025-12-23T10:05:00+08:00", "UTC"), Some(want));
        assert_eq!(at("Tue, 23 Dec 2025 10:05:00 +0800", "UTC"), Some(want));
        assert_eq!(
            at("Tue, 23 Dec 2025 02:05:00 GMT", "Asia/Tokyo"),
            Some(want)
        );
        assert_eq!(at("23 Dec 2025 02:05 Z", "Asia/Tokyo"), Some(want));
        assert_eq!(
            at("2025-12-23T02:05:00.123Z", "UTC"),
            Some(utc("2025-12-23T02:05:00.123Z"))
        );
        assert_eq!(at("Mon, 22 Dec 2025 21:05:00 EST", "UTC"), Some(want));
    }

    #[test]
    fn zone_less_dates_are_read_in_the_source_zone() {
        let want = utc("2025-12-23T02:05:00Z");
        assert_eq!(at("2025年12月23日 10:05", "Asia/Shanghai"), Some(want));
        assert_eq!(at("2025年12月23日10时05分", "Asia/Shanghai"), Some(want));
        assert_eq!(at("2025-12-23 10:05:00", "Asia/Shanghai"), Some(want));
        assert_eq!(at("2025/12/23 10:05", "Asia/Shanghai"), Some(want));
        assert_eq!(at("2025-12-23T11:05:00", "Asia/Tokyo"), Some(want));
        assert_eq!(at("2025년 12월 23일 오전 11:05", "Asia/Seoul"), Some(want));
        assert_eq!(
            at("2025-12-23", "Asia/Shanghai"),
            Some(utc("2025-12-22T16:00:00Z"))
        );
    }

    #[test]
    fn broken_and_localized_forms() {
        let want = utc("2025-12-23T02:05:00Z");
        assert_eq!(
            at("Tue, 23 Dec 2025 10:05:00 CST", "Asia/Shanghai"),
            Some(want)
        );
        assert_eq!(at("Tue, 23 Dec 2025 10:05:00 GMT+8", "UTC"), Some(want));
        assert_eq!(at("Tue, 23 Dec 2025 10:05:00 GMT+08:00", "UTC"), Some(want));
        assert_eq!(at("Tue, 23 Dec 25 10:05 +0800", "UTC"), Some(want));
        assert_eq!(at("Di, 23 Dez 2025 03:05:00 +0100", "UTC"), Some(want));
        assert_eq!(
            at("23. Dezember 2025, 03:05 Uhr", "Europe/Berlin"),
            Some(want)
        );
        assert_eq!(at("mar., 23 déc. 2025 03:05:00 +0100", "UTC"), Some(want));
        assert_eq!(at("mar, 23 dic 2025 03:05:00 +0100", "UTC"), Some(want));
        assert_eq!(at("December 23, 2025 2:05 AM", "UTC"), Some(want));
        assert_eq!(at("23.12.2025 03:05", "Europe/Berlin"), Some(want));
        assert_eq!(at("02:05 Dec 23 2025", "UTC"), Some(want));
        // US Central when the source is not Chinese.
        assert_eq!(
            at("Mon, 22 Dec 2025 20:05:00 CST", "America/Chicago"),
            Some(want)
        );
    }

    #[test]
    fn nonsense_is_none() {
        for raw in [
            "",
            "soon",
            "2025-13-45",
            "Tue, 45 Foo 2025",
            "99:99",
            &"9".repeat(500),
        ] {
            assert_eq!(at(raw, "UTC"), None, "{raw}");
        }
    }
}
