//! What `add` guesses about a site: its name, language and time zone.

use crate::model::RawDocument;
use scraper::{Html, Selector};
use url::Url;

/// The page's `<title>`, whitespace collapsed, cut at the first ` | `, `_`
/// or ` - ` (`Wire | Home` → `Wire`).
pub fn title(html: &Html) -> Option<String> {
    let selector = Selector::parse("title").expect("static selector");
    let text: String = html.select(&selector).next()?.text().collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = [" | ", "_", " - ", " – "]
        .iter()
        .filter_map(|sep| text.split_once(sep).map(|(first, _)| first.trim()))
        .filter(|first| !first.is_empty())
        .min_by_key(|first| first.len())
        .map(str::to_string)
        .unwrap_or(text);
    (!name.is_empty()).then_some(name)
}

/// The language: `<html lang>`, else `<meta http-equiv="content-language">`,
/// else detected from the page's text. Chinese gets its script
/// (`zh-Hans`/`zh-Hant`), as sources declare it.
pub fn language(html: &Html, doc: &RawDocument) -> String {
    let declared = html
        .root_element()
        .value()
        .attr("lang")
        .map(str::to_string)
        .or_else(|| {
            let meta = Selector::parse("meta[http-equiv]").expect("static selector");
            html.select(&meta)
                .find(|m| {
                    m.value()
                        .attr("http-equiv")
                        .is_some_and(|h| h.eq_ignore_ascii_case("content-language"))
                })
                .and_then(|m| m.value().attr("content").map(str::to_string))
        })
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    let body = Selector::parse("body").expect("static selector");
    let text: String = html
        .select(&body)
        .next()
        .map(|b| b.text().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| doc.text.chars().take(4000).collect());
    let primary = crate::normalize::lang::detect(&text, &[declared.as_deref()]);
    let declared_primary = declared
        .as_deref()
        .and_then(crate::normalize::lang::primary_subtag);
    let primary = declared_primary.unwrap_or(primary);
    if primary != "zh" {
        return primary;
    }
    // Chinese: the declared script or region, else the text's.
    let lower = declared.as_deref().unwrap_or("").to_ascii_lowercase();
    if lower.contains("hant") || ["-tw", "-hk", "-mo"].iter().any(|r| lower.ends_with(r)) {
        return "zh-Hant".into();
    }
    if lower.contains("hans") || ["-cn", "-sg"].iter().any(|r| lower.ends_with(r)) {
        return "zh-Hans".into();
    }
    match crate::normalize::script::detect_script(&text) {
        Some(crate::model::Script::Hant) => "zh-Hant".into(),
        _ => "zh-Hans".into(),
    }
}

/// The time zone of the site's country: its country-code top-level domain,
/// else its language's main country, else UTC.
pub fn timezone(url: &Url, language: &str) -> String {
    let tld = url
        .host_str()
        .and_then(|h| h.rsplit('.').next())
        .unwrap_or("")
        .to_ascii_lowercase();
    let by_tld = match tld.as_str() {
        "cn" => Some("Asia/Shanghai"),
        "hk" => Some("Asia/Hong_Kong"),
        "mo" => Some("Asia/Macau"),
        "tw" => Some("Asia/Taipei"),
        "jp" => Some("Asia/Tokyo"),
        "kr" => Some("Asia/Seoul"),
        "sg" => Some("Asia/Singapore"),
        "my" => Some("Asia/Kuala_Lumpur"),
        "th" => Some("Asia/Bangkok"),
        "vn" => Some("Asia/Ho_Chi_Minh"),
        "id" => Some("Asia/Jakarta"),
        "ph" => Some("Asia/Manila"),
        "in" => Some("Asia/Kolkata"),
        "au" => Some("Australia/Sydney"),
        "uk" => Some("Europe/London"),
        "de" => Some("Europe/Berlin"),
        "fr" => Some("Europe/Paris"),
        "es" => Some("Europe/Madrid"),
        "it" => Some("Europe/Rome"),
        _ => None,
    };
    let by_language = match language {
        "zh-Hans" | "zh" => Some("Asia/Shanghai"),
        "zh-Hant" => Some("Asia/Taipei"),
        "ja" => Some("Asia/Tokyo"),
        "ko" => Some("Asia/Seoul"),
        "th" => Some("Asia/Bangkok"),
        "vi" => Some("Asia/Ho_Chi_Minh"),
        "id" => Some("Asia/Jakarta"),
        "de" => Some("Europe/Berlin"),
        "fr" => Some("Europe/Paris"),
        _ => None,
    };
    by_tld.or(by_language).unwrap_or("UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> RawDocument {
        RawDocument {
            url: Url::parse("https://example.com/").unwrap(),
            content_type: None,
            text: text.into(),
            charset: "UTF-8",
            fetched_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    fn lang(page: &str) -> String {
        language(&Html::parse_document(page), &doc(page))
    }

    #[test]
    fn language_from_attribute_meta_or_text() {
        assert_eq!(lang("<html lang=\"ja-JP\"><body>x</body></html>"), "ja");
        assert_eq!(
            lang("<html lang=\"zh-TW\"><body>新聞</body></html>"),
            "zh-Hant"
        );
        assert_eq!(
            lang("<html lang=\"zh-CN\"><body>新闻</body></html>"),
            "zh-Hans"
        );
        assert_eq!(
            lang(
                "<html><head><meta http-equiv=\"Content-Language\" content=\"ko\"></head><body>x</body></html>"
            ),
            "ko"
        );
        assert_eq!(
            lang(
                "<html><body>這是一則關於臺灣經濟與半導體產業發展的長篇報導，記者在現場採訪。</body></html>"
            ),
            "zh-Hant"
        );
        assert_eq!(
            lang(
                "<html><body>The central bank left interest rates unchanged on Thursday, as expected by markets.</body></html>"
            ),
            "en"
        );
    }

    #[test]
    fn zone_from_country_domain_then_language() {
        let url = |u: &str| Url::parse(u).unwrap();
        assert_eq!(
            timezone(&url("https://www.nikkei.co.jp/"), "ja"),
            "Asia/Tokyo"
        );
        assert_eq!(
            timezone(&url("https://news.example.com/"), "ko"),
            "Asia/Seoul"
        );
        assert_eq!(
            timezone(&url("https://example.hk/"), "en"),
            "Asia/Hong_Kong"
        );
        assert_eq!(timezone(&url("https://example.com/"), "en"), "UTC");
    }

    #[test]
    fn titles() {
        let t = |p: &str| title(&Html::parse_document(p));
        assert_eq!(
            t("<title> Example  News </title>").as_deref(),
            Some("Example News")
        );
        assert_eq!(t("<title>Wire | Home</title>").as_deref(), Some("Wire"));
        assert_eq!(
            t("<title>Hong Kong Times - Home</title>").as_deref(),
            Some("Hong Kong Times")
        );
        assert_eq!(t("<p>none</p>"), None);
    }
}
