//! Dates as wires, feeds and article pages write them, read into UTC: one
//! parser, one month table and one zone table for the whole pipeline
//! (feed items, sitemaps, article pages and normalization all call here).
//!
//! RFC 3339 and RFC 822/2822 are the standards; wires also send dates
//! without a zone (`2025-12-23 10:05:00`), in CJK notation
//! (`2025年12月23日 10:05`), with localized month names (`23. Dez. 2025`,
//! `mar, 23 dic 2025`), two-digit years and `GMT+8`. A date without a zone
//! is read in the source's own time zone, which is the only reading that
//! is right for a wire that writes local time.
//!
//! Zone abbreviations are ambiguous (`CST` is China Standard Time, US
//! Central and Cuba), so each is resolved by the source's region, told by
//! its IANA zone: `CST` is +08:00 on a wire in `Asia/Shanghai`, −06:00 on
//! one in `America/Chicago` or anywhere else ([`ZONES`]). An abbreviation
//! the table does not know is never guessed: the date is refused with a
//! logged reason, and the caller falls back to its next source of time.
//!
//! The parser is a small set of anchored patterns over a normalized string
//! (no backtracking blow-up: the `regex` crate is linear, and inputs longer
//! than [`MAX_LEN`] are refused).
//!
//! Also here: the year and month inference of dates written without them
//! (wire-conventions §5.3: of the candidate years around the reference
//! date, take the date closest to it, but never one more than a day after
//! it), dates in URLs, Minguo years and Chinese numerals.

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};
use regex::Regex;
use std::sync::LazyLock;

/// Longer strings are not dates; refusing them keeps parsing cheap.
const MAX_LEN: usize = 128;

/// The source's zone by IANA name; unknown names fall back to UTC, logged
/// (configuration loading refuses them first, so this is a last guard).
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

/// Parses a date as a feed, sitemap, meta tag, JSON-LD or `datetime`
/// attribute writes it; a date without a zone is read in `zone`.
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
    let (time, zone_offset, date_text) = split_time(&text, raw, zone)?;
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
/// `None` when the text is not a date, or names a zone the table does not
/// know (logged).
fn split_time(
    text: &str,
    raw: &str,
    zone: &TimeZone,
) -> Option<(Option<Time>, Option<Offset>, String)> {
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
    let (offset, zone_len) = zone_after_time(rest, raw, zone)?;
    let date_text = format!("{} {}", &text[..whole.start()], &rest[zone_len..]);
    Some((
        Some((hour as i8, minute as i8, second as i8, nanos)),
        offset,
        date_text,
    ))
}

/// The zone written right after the time: `Z`, `+0800`, `+08:00`, `GMT+8`,
/// or an abbreviation; a `None` offset means "read in the source's zone".
/// Also returns how many bytes of `rest` the zone took. `None` for a zone
/// abbreviation the table does not know: guessing could put the story
/// hours off, so the date is refused and the reason logged.
fn zone_after_time(rest: &str, raw: &str, zone: &TimeZone) -> Option<(Option<Offset>, usize)> {
    let offset = match written_zone(rest, raw, zone) {
        WrittenZone::Known(offset) => offset,
        WrittenZone::Absent => return Some((None, 0)),
        WrittenZone::Unknown => {
            tracing::warn!(date = raw, "Unknown time zone abbreviation; date not read.");
            return None;
        }
    };
    let len = NUMERIC_OFFSET
        .find(rest)
        .or_else(|| NAMED_ZONE.find(rest))
        .map_or(0, |m| m.end());
    Some((Some(offset), len))
}

/// One meaning of a zone abbreviation: the IANA zones of the sources that
/// mean it (empty: every other source) and its offset in hours.
type Meaning = (&'static [&'static str], f32);

/// Zone abbreviations and their offsets in hours. An abbreviation with
/// several meanings lists the regional ones first, each with the IANA zones
/// (exact names, or a `Continent/` prefix) of the sources that mean it;
/// the entry with no zones is the meaning everywhere else.
const ZONES: &[(&str, &[Meaning])] = &[
    ("z", &[(&[], 0.0)]),
    ("gmt", &[(&[], 0.0)]),
    ("ut", &[(&[], 0.0)]),
    ("utc", &[(&[], 0.0)]),
    ("wet", &[(&[], 0.0)]),
    ("west", &[(&[], 1.0)]),
    ("bst", &[(&["Asia/Dhaka", "Asia/Dacca"], 6.0), (&[], 1.0)]),
    ("cet", &[(&[], 1.0)]),
    ("mez", &[(&[], 1.0)]),
    ("wat", &[(&[], 1.0)]),
    ("cest", &[(&[], 2.0)]),
    ("mesz", &[(&[], 2.0)]),
    ("eet", &[(&[], 2.0)]),
    ("sast", &[(&[], 2.0)]),
    ("cat", &[(&[], 2.0)]),
    ("eest", &[(&[], 3.0)]),
    ("msk", &[(&[], 3.0)]),
    ("eat", &[(&[], 3.0)]),
    (
        "ast",
        &[
            (
                &[
                    "Asia/Riyadh",
                    "Asia/Baghdad",
                    "Asia/Kuwait",
                    "Asia/Qatar",
                    "Asia/Bahrain",
                    "Asia/Aden",
                ],
                3.0,
            ),
            (&[], -4.0),
        ],
    ),
    ("gst", &[(&[], 4.0)]),
    ("pkt", &[(&[], 5.0)]),
    (
        "ist",
        &[
            (&["Asia/Jerusalem", "Asia/Tel_Aviv", "Israel"], 2.0),
            (&["Europe/Dublin", "Eire"], 1.0),
            (&[], 5.5),
        ],
    ),
    ("npt", &[(&[], 5.75)]),
    ("ict", &[(&[], 7.0)]),
    ("wib", &[(&[], 7.0)]),
    ("wita", &[(&[], 8.0)]),
    ("wit", &[(&[], 9.0)]),
    (
        "cst",
        &[
            (
                &[
                    "Asia/Shanghai",
                    "Asia/Chongqing",
                    "Asia/Chungking",
                    "Asia/Harbin",
                    "Asia/Urumqi",
                    "Asia/Taipei",
                    "Asia/Macau",
                    "Asia/Hong_Kong",
                    "PRC",
                    "ROC",
                ],
                8.0,
            ),
            (&["America/Havana", "Cuba"], -5.0),
            (&[], -6.0),
        ],
    ),
    ("cdt", &[(&["America/Havana", "Cuba"], -4.0), (&[], -5.0)]),
    ("hkt", &[(&[], 8.0)]),
    ("sgt", &[(&[], 8.0)]),
    ("awst", &[(&[], 8.0)]),
    ("pht", &[(&[], 8.0)]),
    ("myt", &[(&[], 8.0)]),
    ("jst", &[(&[], 9.0)]),
    ("kst", &[(&[], 9.0)]),
    ("acst", &[(&[], 9.5)]),
    ("aest", &[(&[], 10.0)]),
    ("acdt", &[(&[], 10.5)]),
    ("aedt", &[(&[], 11.0)]),
    ("nzst", &[(&[], 12.0)]),
    ("nzdt", &[(&[], 13.0)]),
    ("ndt", &[(&[], -2.5)]),
    ("nst", &[(&[], -3.5)]),
    ("adt", &[(&[], -3.0)]),
    ("brt", &[(&[], -3.0)]),
    ("art", &[(&[], -3.0)]),
    ("edt", &[(&[], -4.0)]),
    ("est", &[(&[], -5.0)]),
    ("mdt", &[(&[], -6.0)]),
    (
        "mst",
        &[(&["Asia/Kuala_Lumpur", "Asia/Kuching"], 8.0), (&[], -7.0)],
    ),
    ("pdt", &[(&[], -7.0)]),
    ("pst", &[(&["Asia/Manila"], 8.0), (&[], -8.0)]),
    ("akdt", &[(&[], -8.0)]),
    ("akst", &[(&[], -9.0)]),
    ("hst", &[(&[], -10.0)]),
];

/// What the word after a time says about the zone.
#[derive(Debug, Clone, Copy, PartialEq)]
enum WrittenZone {
    /// A zone the table or a numeric offset names.
    Known(Offset),
    /// Looks like a zone abbreviation (`ABCT`) but is not in [`ZONES`].
    Unknown,
    /// Nothing zone-like: read in the source's zone.
    Absent,
}

/// The offset an abbreviation (lower case) means on a source in `zone`.
fn abbreviation_offset(abbreviation: &str, zone: &TimeZone) -> Option<Offset> {
    let (_, meanings) = ZONES.iter().find(|(name, _)| *name == abbreviation)?;
    let iana = zone.iana_name().unwrap_or("");
    let in_region = |zones: &[&str]| {
        zones
            .iter()
            .any(|z| iana == *z || (z.ends_with('/') && iana.starts_with(z)))
    };
    let hours = meanings
        .iter()
        .find(|(zones, _)| zones.is_empty() || in_region(zones))
        .map(|&(_, hours)| hours)?;
    Offset::from_seconds((hours * 3600.0) as i32).ok()
}

/// The zone written at the start of `rest` (`+0800`, `GMT+8`, `CST`);
/// `raw` is the whole text before lower-casing, to tell a zone
/// abbreviation (`ABCT`, in capitals) from a word (`Uhr`).
fn written_zone(rest: &str, raw: &str, zone: &TimeZone) -> WrittenZone {
    if let Some(caps) = NUMERIC_OFFSET.captures(rest) {
        let sign = if &caps[1] == "-" { -1 } else { 1 };
        let parse = |s: &str| s.parse::<i32>().ok();
        let hours = parse(&caps[2]);
        let minutes = caps.get(3).map_or(Some(0), |m| parse(m.as_str()));
        return match (hours, minutes) {
            (Some(h), Some(m)) if h <= 14 && m <= 59 => {
                Offset::from_seconds(sign * (h * 3600 + m * 60))
                    .map_or(WrittenZone::Unknown, WrittenZone::Known)
            }
            _ => WrittenZone::Unknown,
        };
    }
    let Some(caps) = NAMED_ZONE.captures(rest) else {
        return WrittenZone::Absent;
    };
    let word = &caps[1];
    match abbreviation_offset(word, zone) {
        Some(offset) => WrittenZone::Known(offset),
        // Zone abbreviations end in T (`...ST`, `...DT`, `...T`); other
        // words after a time (`Uhr`, `h`, `horas`) are not zones.
        None if (3..=5).contains(&word.len())
            && word.ends_with('t')
            && raw.contains(&word.to_ascii_uppercase()) =>
        {
            WrittenZone::Unknown
        }
        None => WrittenZone::Absent,
    }
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

/// Month names and abbreviations in English, German, Dutch, French,
/// Spanish, Italian and Portuguese, lower case, matched whole (a word such
/// as `mayor` is not May). Trailing dots are dropped before the lookup.
const MONTHS: [&[&str]; 12] = [
    &[
        "jan", "january", "januar", "jänner", "januari", "janv", "janvier", "ene", "enero", "gen",
        "gennaio", "janeiro",
    ],
    &[
        "feb",
        "february",
        "februar",
        "februari",
        "fév",
        "févr",
        "fevr",
        "février",
        "fevrier",
        "febrero",
        "febbraio",
        "fev",
        "fevereiro",
    ],
    &[
        "mar", "march", "märz", "mär", "mrz", "maart", "mrt", "mars", "marzo", "março", "marco",
    ],
    &["apr", "april", "avr", "avril", "abr", "abril", "aprile"],
    &["may", "mai", "mei", "mayo", "mag", "maggio", "maio"],
    &[
        "jun", "june", "juni", "juin", "junio", "giu", "giugno", "junho",
    ],
    &[
        "jul", "july", "juli", "juil", "juillet", "julio", "lug", "luglio", "julho",
    ],
    &[
        "aug", "august", "augustus", "aoû", "août", "aout", "ago", "agosto",
    ],
    &[
        "sep",
        "sept",
        "september",
        "septembre",
        "septiembre",
        "set",
        "settembre",
        "setembro",
    ],
    &[
        "oct", "october", "okt", "oktober", "octobre", "octubre", "ott", "ottobre", "out",
        "outubro",
    ],
    &["nov", "november", "novembre", "noviembre", "novembro"],
    &[
        "dec",
        "december",
        "dez",
        "dezember",
        "déc",
        "décembre",
        "decembre",
        "dic",
        "diciembre",
        "dicembre",
        "dezembro",
    ],
];

/// The month a name or abbreviation stands for (`Sept.`, `ene`, `août`,
/// `Dezember`, `SET`), case-insensitive; see [`MONTHS`].
pub fn month_from_name(name: &str) -> Option<i8> {
    let key = name.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|names| names.contains(&key.as_str()))
        .and_then(|i| i8::try_from(i + 1).ok())
}

/// Year, month, day, then optional hour, minute, second and zone offset,
/// as page text writes them (`2025-12-23 10:05`, `2025/12/23`,
/// `2025年12月23日 10:05`, `2025.12.23 10:05:00`).
static LOOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?",
        r"(?:(?:T|\s|&nbsp;)*(\d{1,2})\s*[:：时時]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?(?:\.\d+)?",
        r"\s*(Z|[+-]\d{2}:?\d{2})?)?"
    ))
    .expect("static regex")
});

/// Parses a date an article page states (meta tag, JSON-LD, `datetime`
/// attribute, or a byline element's text): [`parse_date`], else the first
/// full date in the text ([`find_in_text`]).
pub fn parse_page_date(text: &str, zone: &TimeZone) -> Option<Timestamp> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    parse_date(text, zone).or_else(|| find_in_text(text, zone))
}

/// The first full date (with its time, if written) in running text. A
/// zone written after the time (`+08:00`, `Z`, `CST`) is honoured, with
/// abbreviations resolved as in [`parse_date`].
pub fn find_in_text(text: &str, zone: &TimeZone) -> Option<Timestamp> {
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
                offset.to_timestamp(civil).ok()
            }
            None => {
                // A zone the table knows after the time (`10:05 CST`). In
                // running text a capitalised word there (`10:05 POST`) is
                // more likely prose than an unknown zone, so it is not one.
                let after = &text[caps.get(0)?.end()..];
                let rest: String = after.chars().take(16).collect::<String>().to_lowercase();
                match written_zone(&rest, after, zone) {
                    WrittenZone::Known(offset) if caps.get(4).is_some() => {
                        offset.to_timestamp(civil).ok()
                    }
                    _ => zone.to_timestamp(civil).ok(),
                }
            }
        }
    })
}

/// The zone named by `name`, UTC when unknown; for callers that already
/// checked the name (config loading), so nothing is logged here.
fn zone_or_utc(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// Reads a number written in ASCII digits (full-width digits are folded
/// earlier) or Chinese numerals up to 99 (`十二`, `二十三`, `廿三`, `〇`).
pub fn parse_number(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok().filter(|_| text.len() <= 4);
    }
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '〇' | '零' => 0,
            '一' => 1,
            '二' | '两' | '兩' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let chars: Vec<char> = text.chars().collect();
    let (tens, rest) = match chars.as_slice() {
        ['十', rest @ ..] => (1, rest),
        ['廿', rest @ ..] => (2, rest),
        ['卅', rest @ ..] => (3, rest),
        [d, '十', rest @ ..] => (digit(*d)?, rest),
        _ => (0, &chars[..]),
    };
    let has_tens = tens > 0;
    let units = match rest {
        [] if has_tens => 0,
        [d] => digit(*d)?,
        _ => return None,
    };
    Some(tens * 10 + units)
}

/// The calendar date of `ts` in the IANA zone `zone` (UTC if unknown).
pub fn local_date(ts: Timestamp, zone: &str) -> Date {
    ts.to_zoned_datetime(zone_or_utc(zone)).date()
}

/// Midnight of `date` in `zone`, as a UTC instant.
pub fn start_of_day(date: Date, zone: &str) -> Option<Timestamp> {
    date.to_zoned_datetime(zone_or_utc(zone))
        .ok()
        .map(|z| z.timestamp())
}

/// A month/day without a year, placed in the year that puts it closest to
/// `reference` and not more than one day after it.
pub fn infer_year(month: i8, day: i8, reference: Date) -> Option<Date> {
    let latest = reference.checked_add(1.day()).ok()?;
    [reference.year() - 1, reference.year(), reference.year() + 1]
        .into_iter()
        .filter_map(|y| Date::new(y, month, day).ok())
        .filter(|d| *d <= latest)
        .min_by_key(|d| distance_days(*d, reference))
}

/// A day of month alone (CNA's `20日電`): this month of `reference`, or the
/// month before when the day would lie more than a day ahead.
pub fn infer_month(day: i8, reference: Date) -> Option<Date> {
    let latest = reference.checked_add(1.day()).ok()?;
    let this = Date::new(reference.year(), reference.month(), day).ok();
    if let Some(d) = this.filter(|d| *d <= latest) {
        return Some(d);
    }
    // Walk back month by month (a 31st needs a 31-day month).
    let mut first = reference.first_of_month();
    for _ in 0..3 {
        first = first.checked_sub(1.month()).ok()?;
        if let Ok(d) = Date::new(first.year(), first.month(), day) {
            return Some(d);
        }
    }
    None
}

fn distance_days(a: Date, b: Date) -> i64 {
    (a.duration_since(b).as_secs() / 86_400).abs()
}

/// The date a story URL carries, if any: chinanews `/2026/10-08/`,
/// xinhuanet `/2025-12/23/`, people.cn `/2025/1223/`, NHK `/20251223/`.
/// Wire-conventions §5.3: an explicit signal beats the fetch time.
pub fn date_in_url(url: &str) -> Option<Date> {
    static PATTERNS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"/(?:(?P<y1>(?:19|20)\d{2})/(?P<m1>\d{2})-(?P<d1>\d{2})|(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{2})/(?P<d2>\d{2})|(?P<y3>(?:19|20)\d{2})/(?P<m3>\d{2})(?P<d3>\d{2})|(?P<y4>(?:19|20)\d{2})(?P<m4>\d{2})(?P<d4>\d{2}))/",
        )
        .expect("static regex")
    });
    let caps = PATTERNS.captures(url)?;
    let group = |names: [&str; 4]| names.iter().find_map(|n| caps.name(n)).map(|m| m.as_str());
    let year = group(["y1", "y2", "y3", "y4"])?.parse().ok()?;
    let month = group(["m1", "m2", "m3", "m4"])?.parse().ok()?;
    let day = group(["d1", "d2", "d3", "d4"])?.parse().ok()?;
    Date::new(year, month, day).ok()
}

/// A Minguo (ROC) date as CNA writes it after the editor line:
/// `1140702` → 2025-07-02 (ROC year + 1911). Six digits read as a two-digit year.
pub fn minguo(digits: &str) -> Option<Date> {
    if !digits.chars().all(|c| c.is_ascii_digit()) || !(6..=7).contains(&digits.len()) {
        return None;
    }
    let split = digits.len() - 4;
    let year: i16 = digits[..split].parse().ok()?;
    let month: i8 = digits[split..split + 2].parse().ok()?;
    let day: i8 = digits[split + 2..].parse().ok()?;
    Date::new(year.checked_add(1911)?, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

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

    #[test]
    fn numbers_in_digits_and_chinese_numerals() {
        assert_eq!(parse_number("23"), Some(23));
        assert_eq!(parse_number("十二"), Some(12));
        assert_eq!(parse_number("二十七"), Some(27));
        assert_eq!(parse_number("九"), Some(9));
        assert_eq!(parse_number("廿三"), Some(23));
        assert_eq!(parse_number("十"), Some(10));
        assert_eq!(parse_number("三十一"), Some(31));
        assert_eq!(parse_number("十二三"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn year_rolls_back_over_new_year() {
        // 12月31日 read on 1 January belongs to the year before.
        assert_eq!(
            infer_year(12, 31, date(2026, 1, 1)),
            Some(date(2025, 12, 31))
        );
        assert_eq!(
            infer_year(12, 23, date(2026, 1, 2)),
            Some(date(2025, 12, 23))
        );
        // 1月1日 read on 31 December (a zone ahead) is the next year.
        assert_eq!(infer_year(1, 1, date(2025, 12, 31)), Some(date(2026, 1, 1)));
        assert_eq!(
            infer_year(12, 23, date(2025, 12, 23)),
            Some(date(2025, 12, 23))
        );
        // A date three days ahead of the reference is last year's.
        assert_eq!(infer_year(6, 10, date(2025, 6, 7)), Some(date(2024, 6, 10)));
        // 29 February only in a leap year.
        assert_eq!(infer_year(2, 29, date(2025, 3, 1)), Some(date(2024, 2, 29)));
        assert_eq!(infer_year(2, 30, date(2025, 3, 1)), None);
    }

    #[test]
    fn day_only_takes_month_from_reference() {
        assert_eq!(infer_month(20, date(2025, 5, 21)), Some(date(2025, 5, 20)));
        assert_eq!(infer_month(30, date(2025, 6, 2)), Some(date(2025, 5, 30)));
        assert_eq!(infer_month(31, date(2025, 1, 1)), Some(date(2024, 12, 31)));
        assert_eq!(infer_month(31, date(2025, 5, 2)), Some(date(2025, 3, 31)));
    }

    #[test]
    fn dates_in_urls() {
        assert_eq!(
            date_in_url("https://www.chinanews.com.cn/gn/2026/10-08/10709325.shtml"),
            Some(date(2026, 10, 8))
        );
        assert_eq!(
            date_in_url("http://www.news.cn/politics/2025-12/23/c_1130000000.htm"),
            Some(date(2025, 12, 23))
        );
        assert_eq!(
            date_in_url("http://politics.people.com.cn/n1/2025/1223/c1001-40000000.html"),
            Some(date(2025, 12, 23))
        );
        assert_eq!(
            date_in_url("https://www3.nhk.or.jp/news/html/20251223/k10010000000.html"),
            Some(date(2025, 12, 23))
        );
        assert_eq!(date_in_url("https://example.com/2025/13-45/x.html"), None);
        assert_eq!(date_in_url("https://example.com/news/12345678/"), None);
        assert_eq!(date_in_url(""), None);
    }

    #[test]
    fn minguo_dates() {
        assert_eq!(minguo("1140516"), Some(date(2025, 5, 16)));
        assert_eq!(minguo("1120823"), Some(date(2023, 8, 23)));
        assert_eq!(minguo("1141332"), None);
        assert_eq!(minguo("11405"), None);
    }

    #[test]
    fn month_names() {
        assert_eq!(month_from_name("Sept."), Some(9));
        assert_eq!(month_from_name("ene"), Some(1));
        assert_eq!(month_from_name("août"), Some(8));
        assert_eq!(month_from_name("SET"), Some(9));
        assert_eq!(month_from_name("Foo"), None);
    }

    #[test]
    fn local_dates_use_the_zone() {
        let ts: Timestamp = "2025-12-31T17:00:00Z".parse().unwrap();
        assert_eq!(local_date(ts, "Asia/Shanghai"), date(2026, 1, 1));
        assert_eq!(local_date(ts, "Europe/Madrid"), date(2025, 12, 31));
    }

    #[test]
    fn zone_abbreviations_are_resolved_by_the_source_region() {
        let raw = "Tue, 23 Dec 2025 10:05:00 CST";
        // China Standard Time on Chinese and Taiwanese wires.
        assert_eq!(at(raw, "Asia/Shanghai"), Some(utc("2025-12-23T02:05:00Z")));
        assert_eq!(at(raw, "Asia/Taipei"), Some(utc("2025-12-23T02:05:00Z")));
        // US Central on a US wire, and where no region claims it.
        assert_eq!(
            at(raw, "America/Chicago"),
            Some(utc("2025-12-23T16:05:00Z"))
        );
        assert_eq!(at(raw, "Europe/Berlin"), Some(utc("2025-12-23T16:05:00Z")));
        // Cuba's own.
        assert_eq!(at(raw, "America/Havana"), Some(utc("2025-12-23T15:05:00Z")));
        let ist = "23 Dec 2025 10:05 IST";
        assert_eq!(at(ist, "Asia/Kolkata"), Some(utc("2025-12-23T04:35:00Z")));
        assert_eq!(at(ist, "Asia/Jerusalem"), Some(utc("2025-12-23T08:05:00Z")));
        assert_eq!(at(ist, "Europe/Dublin"), Some(utc("2025-12-23T09:05:00Z")));
        let pst = "23 Dec 2025 10:05 PST";
        assert_eq!(at(pst, "Asia/Manila"), Some(utc("2025-12-23T02:05:00Z")));
        assert_eq!(
            at(pst, "America/Los_Angeles"),
            Some(utc("2025-12-23T18:05:00Z"))
        );
    }

    #[test]
    fn an_unknown_zone_abbreviation_refuses_the_date() {
        assert_eq!(at("Tue, 23 Dec 2025 10:05:00 XYZT", "UTC"), None);
        assert_eq!(at("2025-12-23 10:05 QQST", "Asia/Shanghai"), None);
        // Words after the time that are not zone-shaped are not zones.
        assert_eq!(
            at("23. Dezember 2025, 03:05 Uhr", "Europe/Berlin"),
            Some(utc("2025-12-23T02:05:00Z"))
        );
    }

    #[test]
    fn article_pages_read_zones_as_feeds_do() {
        let shanghai = source_zone("Asia/Shanghai");
        let chicago = source_zone("America/Chicago");
        // RFC 2822 with `CST` in a meta tag: the Chinese reading on a
        // Chinese page (jiff's strict parser alone reads US Central).
        assert_eq!(
            parse_page_date("Tue, 23 Dec 2025 10:05:00 CST", &shanghai),
            Some(utc("2025-12-23T02:05:00Z"))
        );
        // A byline's running text with a zone after the time.
        assert_eq!(
            parse_page_date("发布时间：2025-12-23 10:05 CST 来源：新华社", &shanghai),
            Some(utc("2025-12-23T02:05:00Z"))
        );
        assert_eq!(
            find_in_text("Updated 2025-12-23 10:05 CST by staff", &chicago),
            Some(utc("2025-12-23T16:05:00Z"))
        );
        // Prose after a time is not a zone in running text.
        assert_eq!(
            find_in_text("2025-12-23 10:05 POST OFFICE", &chicago),
            Some(utc("2025-12-23T16:05:00Z"))
        );
        assert_eq!(
            parse_page_date("2025-12-23T10:05:00+0900", &chicago),
            Some(utc("2025-12-23T01:05:00Z"))
        );
        assert_eq!(parse_page_date("", &chicago), None);
    }

    #[test]
    fn one_month_table_for_every_language() {
        for (word, month) in [
            ("Dezember", 12),
            ("Dez.", 12),
            ("maart", 3),
            ("mrt", 3),
            ("janvier", 1),
            ("févr.", 2),
            ("dicembre", 12),
            ("outubro", 10),
            ("Sept.", 9),
        ] {
            assert_eq!(month_from_name(word), Some(month), "{word}");
        }
        for word in ["mayor", "martes", "junk", "de"] {
            assert_eq!(month_from_name(word), None, "{word}");
        }
    }
}
