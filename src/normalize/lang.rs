//! Language of a story, as a primary subtag (`zh`, `en`, `ja`, `ko` ...).
//!
//! whatlang is good on paragraphs of alphabetic text but reports Mandarin
//! for kanji-only Japanese and cannot tell what a short text is. So script
//! rules come first: kana means Japanese, hangul means Korean, Han alone
//! means Chinese unless a hint says Japanese. whatlang decides the rest, and
//! an unreliable guess gives way to the page's or the source's language.

use super::unicode::{first_chars, is_han, is_hangul, is_kana};
use whatlang::Lang;

/// How many characters are looked at; a story's opening decides.
const SAMPLE: usize = 4000;

/// How many of those whatlang reads: its trigram model is sure of a
/// language well within a thousand characters of prose, and it was a tenth
/// of a story's CPU on four thousand (docs/BENCHMARKS.md).
const WHATLANG_SAMPLE: usize = 1000;

/// The primary subtag of a BCP 47 tag: `zh-Hant` → `zh`, `EN_us` → `en`.
pub fn primary_subtag(tag: &str) -> Option<String> {
    let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    (!primary.is_empty() && primary.chars().all(|c| c.is_ascii_alphabetic())).then_some(primary)
}

/// Detects the language of `text`; `hints` are declared languages, most
/// specific first (page or feed `lang`, then the source's language).
pub fn detect(text: &str, hints: &[Option<&str>]) -> String {
    let hint = hints.iter().flatten().find_map(|h| primary_subtag(h));
    let (mut han, mut kana, mut hangul, mut alpha) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars().take(SAMPLE) {
        // ASCII first: it is none of the scripts below, only maybe a letter.
        if c.is_ascii() {
            alpha += usize::from(c.is_ascii_alphabetic());
        } else if is_han(c) {
            han += 1;
        } else if is_kana(c) {
            kana += 1;
        } else if is_hangul(c) {
            hangul += 1;
        } else if c.is_alphabetic() {
            alpha += 1;
        }
    }
    let cjk = han + kana + hangul;
    if kana > 0 && kana * 20 >= han && kana * 4 >= alpha.min(cjk * 4) {
        return "ja".into();
    }
    if hangul > 0 && hangul * 2 >= cjk && hangul * 4 >= alpha.min(cjk * 4) {
        return "ko".into();
    }
    // One Han character carries about a word; compare with letters / 5.
    if han > 0 && han * 5 >= alpha {
        return match hint.as_deref() {
            Some("ja") => "ja".into(),
            _ => "zh".into(),
        };
    }
    match whatlang::detect(first_chars(text, WHATLANG_SAMPLE)) {
        Some(info) if info.is_reliable() || hint.is_none() => iso639_1(info.lang()).to_string(),
        _ => hint.unwrap_or_else(|| "und".into()),
    }
}

/// ISO 639-1 code of a whatlang language (639-3 where there is none).
fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Eng => "en",
        Lang::Cmn => "zh",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Deu => "de",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Pol => "pl",
        Lang::Nld => "nl",
        Lang::Ara => "ar",
        Lang::Ind => "id",
        Lang::Vie => "vi",
        Lang::Tha => "th",
        Lang::Tur => "tr",
        Lang::Hin => "hi",
        Lang::Ben => "bn",
        Lang::Heb => "he",
        Lang::Pes => "fa",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "nb",
        Lang::Fin => "fi",
        Lang::Ces => "cs",
        Lang::Slk => "sk",
        Lang::Hun => "hu",
        Lang::Ron => "ro",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Slv => "sl",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Urd => "ur",
        Lang::Tam => "ta",
        Lang::Mar => "mr",
        Lang::Khm => "km",
        Lang::Mya => "my",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_rules() {
        assert_eq!(
            detect("中国外務省の報道官は7日の記者会見で述べた。", &[]),
            "ja"
        );
        assert_eq!(detect("정부가 내년 예산안을 발표했다고 밝혔다.", &[]), "ko");
        assert_eq!(detect("長三角產業創新發展大會在杭州舉行。", &[]), "zh");
        // Kanji-only headline: the hint decides.
        assert_eq!(detect("日米首脳会談", &[Some("ja-JP")]), "ja");
        assert_eq!(detect("日米首脳会談", &[None, Some("zh-Hans")]), "zh");
    }

    #[test]
    fn alphabetic_text_uses_whatlang_then_hints() {
        let en = "The Ministry of Civil Affairs said on Monday that it would expand support for elderly care services across the country.";
        assert_eq!(detect(en, &[Some("zh")]), "en");
        let de = "Flugreisende innerhalb Deutschlands müssen sich auf längere Wartezeiten an den Sicherheitskontrollen einstellen.";
        assert_eq!(detect(de, &[]), "de");
        assert_eq!(detect("OK", &[Some("es-ES")]), "es");
        assert_eq!(detect("", &[]), "und");
    }

    #[test]
    fn subtags() {
        assert_eq!(primary_subtag("zh-Hant").as_deref(), Some("zh"));
        assert_eq!(primary_subtag("EN_us").as_deref(), Some("en"));
        assert_eq!(primary_subtag(""), None);
    }
}
