//! Dates as wires write them: years left out, days alone, Chinese numerals,
//! Minguo (ROC) years, month names in five languages.
//!
//! Year inference follows wire-conventions §5.3: of the candidate years
//! around the reference date, take the date closest to the reference, but
//! never one more than a day after it (a story cannot be filed after it was
//! fetched; one day of slack covers zones ahead of the reference zone).

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use regex::Regex;
use std::sync::LazyLock;

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

/// The month of a month name or abbreviation in English, Spanish, French,
/// Portuguese or Italian (`Sept.`, `ene`, `août`, `SET`), case-insensitive.
pub fn month_from_name(name: &str) -> Option<i8> {
    let key: String = name.trim_end_matches('.').to_lowercase();
    let month = match key.as_str() {
        "jan" | "january" | "ene" | "enero" | "janv" | "janvier" | "janeiro" | "gen"
        | "gennaio" => 1,
        "feb" | "february" | "febrero" | "févr" | "fevr" | "février" | "fev" | "fevereiro"
        | "febbraio" => 2,
        "mar" | "march" | "marzo" | "mars" | "março" => 3,
        "apr" | "april" | "abr" | "abril" | "avr" | "avril" | "aprile" => 4,
        "may" | "mayo" | "mai" | "maio" | "mag" | "maggio" => 5,
        "jun" | "june" | "junio" | "juin" | "junho" | "giu" | "giugno" => 6,
        "jul" | "july" | "julio" | "juil" | "juillet" | "julho" | "lug" | "luglio" => 7,
        "aug" | "august" | "ago" | "agosto" | "août" | "aout" => 8,
        "sep" | "sept" | "september" | "septiembre" | "septembre" | "set" | "setembro"
        | "settembre" => 9,
        "oct" | "october" | "octubre" | "octobre" | "out" | "outubro" | "ott" | "ottobre" => 10,
        "nov" | "november" | "noviembre" | "novembre" | "novembro" => 11,
        "dec" | "december" | "dic" | "diciembre" | "déc" | "decembre" | "décembre" | "dez"
        | "dezembro" | "dicembre" => 12,
        _ => return None,
    };
    Some(month)
}

/// The calendar date of `ts` in the IANA zone `zone` (UTC if unknown).
pub fn local_date(ts: Timestamp, zone: &str) -> Date {
    let tz = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
    ts.to_zoned_datetime(tz).date()
}

/// Midnight of `date` in `zone`, as a UTC instant.
pub fn start_of_day(date: Date, zone: &str) -> Option<Timestamp> {
    let tz = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
    date.to_zoned_datetime(tz).ok().map(|z| z.timestamp())
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
}
