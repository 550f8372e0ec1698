//! Dates through `normalize`: year inference at the turn of the year,
//! day-only datelines, the published time and its precision.

use jiff::Timestamp;
use jiff::civil::date;
use polywire::model::{Article, ExtractedArticle, Precision};
use polywire::normalize::{NormalizeContext, normalize};

fn run(lang: &str, zone: &str, fetched: &str, published: Option<&str>, body: &[&str]) -> Article {
    let ctx = NormalizeContext {
        source: "test".into(),
        language: lang.into(),
        timezone: zone.into(),
        fetched_at: fetched.parse::<Timestamp>().unwrap(),
    };
    let extracted = ExtractedArticle {
        body: body.iter().map(|s| s.to_string()).collect(),
        published: published.map(|p| p.parse().unwrap()),
        ..ExtractedArticle::default()
    };
    normalize(extracted, &ctx)
}

fn dateline_date(a: &Article) -> Option<jiff::civil::Date> {
    a.dateline.as_ref().and_then(|d| d.date)
}

#[test]
fn december_dateline_fetched_in_january_is_last_year() {
    let a = run(
        "zh-Hans",
        "Asia/Shanghai",
        "2026-01-01T01:00:00+08:00",
        None,
        &["中新网北京12月31日电 新年前夜,各地举行跨年活动。"],
    );
    assert_eq!(dateline_date(&a), Some(date(2025, 12, 31)));
    // No published time: the dateline day at local midnight, day precision.
    assert_eq!(a.published, Some("2025-12-30T16:00:00Z".parse().unwrap()));
    assert_eq!(a.precision, Precision::Day);
}

#[test]
fn the_reference_day_is_taken_in_the_source_zone() {
    // 17:30 UTC on 31 December is already 1 January in Beijing.
    let a = run(
        "zh-Hans",
        "Asia/Shanghai",
        "2025-12-31T17:30:00Z",
        None,
        &["新华社北京1月1日电 新年第一天,天安门广场举行升旗仪式。"],
    );
    assert_eq!(dateline_date(&a), Some(date(2026, 1, 1)));
    let a = run(
        "en",
        "UTC",
        "2026-01-01T03:00:00Z",
        None,
        &["LONDON, Dec 31 (Reuters) - Fireworks lit up the Thames."],
    );
    assert_eq!(dateline_date(&a), Some(date(2025, 12, 31)));
}

#[test]
fn a_known_published_time_is_the_reference_and_is_kept() {
    // Fetched days later; the published time decides the year.
    let a = run(
        "zh-Hans",
        "Asia/Shanghai",
        "2026-01-05T10:00:00+08:00",
        Some("2025-12-31T23:50:00+08:00"),
        &["中新网上海12月31日电 (记者 陈静)上海外滩迎来跨年人流高峰。"],
    );
    assert_eq!(dateline_date(&a), Some(date(2025, 12, 31)));
    assert_eq!(a.published, Some("2025-12-31T15:50:00Z".parse().unwrap()));
    assert_eq!(a.precision, Precision::Minute);
    assert_eq!(a.zone, "Asia/Shanghai");
}

#[test]
fn day_only_cna_dateline_across_the_new_year() {
    let a = run(
        "zh-Hant",
        "Asia/Taipei",
        "2025-01-01T08:00:00+08:00",
        None,
        &["（中央社記者黃麗芸台北31日電）台北101跨年煙火吸引大批民眾。"],
    );
    assert_eq!(dateline_date(&a), Some(date(2024, 12, 31)));
}

#[test]
fn cna_minguo_tail_confirms_the_date() {
    let a = run(
        "zh-Hant",
        "Asia/Taipei",
        "2025-07-05T08:00:00+08:00",
        None,
        &["（中央社記者黃麗芸台北2日電）衛福部今天公布最新統計。（編輯：李亨山）1140702"],
    );
    assert_eq!(dateline_date(&a), Some(date(2025, 7, 2)));
    assert_eq!(a.editors, ["李亨山"]);
    assert_eq!(a.body, ["衛福部今天公布最新統計。"]);
}

#[test]
fn chinese_numeral_and_fullwidth_dates() {
    let a = run(
        "zh-Hant",
        "Asia/Taipei",
        "2025-03-12T20:00:00+08:00",
        None,
        &["(中央社記者馮昭台北十二日電)立法院今天三讀通過修正案。"],
    );
    assert_eq!(dateline_date(&a), Some(date(2025, 3, 12)));
    let a = run(
        "zh-Hans",
        "Asia/Shanghai",
        "2025-12-24T08:00:00+08:00",
        None,
        &["中新网北京１２月２３日电 全国政协召开双周协商座谈会。"],
    );
    assert_eq!(dateline_date(&a), Some(date(2025, 12, 23)));
}

#[test]
fn no_date_anywhere_leaves_published_empty() {
    let a = run(
        "en",
        "UTC",
        "2025-10-13T09:00:00Z",
        None,
        &["BEIRUT (AP) — Israeli airstrikes hit southern Lebanon on Monday."],
    );
    assert_eq!(dateline_date(&a), None);
    assert_eq!(a.published, None);
    assert_eq!(a.fetched_at, Some("2025-10-13T09:00:00Z".parse().unwrap()));
}

#[test]
fn a_date_in_the_url_beats_the_fetch_time() {
    let ctx = NormalizeContext {
        source: "chinanews".into(),
        language: "zh-Hans".into(),
        timezone: "Asia/Shanghai".into(),
        // Fetched long after (a backfill): the fetch time alone would say 2025.
        fetched_at: "2026-06-01T00:00:00Z".parse::<Timestamp>().unwrap(),
    };
    let extracted = ExtractedArticle {
        url: "https://www.chinanews.com.cn/gn/2024/12-31/10345678.shtml".into(),
        body: vec!["中新网北京12月31日电 新年前夜,各地举行跨年活动。".into()],
        ..ExtractedArticle::default()
    };
    let a = normalize(extracted, &ctx);
    assert_eq!(dateline_date(&a), Some(date(2024, 12, 31)));
    assert_eq!(a.precision, Precision::Day);
}
