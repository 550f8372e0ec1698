//! Chinese script detection and conversion, behind a small API so the
//! converter (opencc-fmmseg today) can be swapped without touching callers.

use super::unicode::is_han;
use crate::model::Script;
use opencc_fmmseg::OpenCC;
use std::sync::LazyLock;

/// One converter for the whole process: its dictionaries take ~80 ms to load.
static CONVERTER: LazyLock<OpenCC> = LazyLock::new(|| {
    let mut cc = OpenCC::new();
    // Stories are short; rayon's fan-out costs more than it saves and would
    // compete with the daemon's own workers.
    cc.set_parallel(false);
    cc
});

/// The first character OpenCC's dictionaries can change (CJK Radicals
/// Supplement); the test `nothing_below_the_cjk_blocks_converts` holds
/// the dictionaries to it.
const FIRST_CONVERTIBLE: char = '\u{2E80}';

/// True when `text` may hold something to convert. English or Korean
/// stories skip the converter, which otherwise walks every character
/// through its dictionaries.
fn may_convert(text: &str) -> bool {
    text.chars().any(|c| c >= FIRST_CONVERTIBLE)
}

/// Converts Traditional Chinese (including Taiwan and Hong Kong vocabulary)
/// to Simplified, phrase by phrase. Non-Chinese text passes through.
pub fn to_simplified(text: &str) -> String {
    convert_spans(text, |span| CONVERTER.tw2sp(span, false))
}

/// Folds each Han character to its Simplified form on its own, without
/// phrases: many times faster than [`to_simplified`], and many-to-one
/// (`發`, `髮` → `发`), which is all classification's matching needs.
/// (Fingerprints keep phrase conversion: a Taiwan-phrased rewrite drifts
/// too far without it, see `measure_distances`.) Other characters pass
/// through.
pub fn fold_chars(text: &str) -> String {
    let table = &*FOLD_TABLE;
    text.chars()
        .map(|c| {
            let code = c as u32;
            if (FOLD_START..FOLD_END).contains(&code) {
                table[(code - FOLD_START) as usize]
            } else {
                c
            }
        })
        .collect()
}

const FOLD_START: u32 = 0x3400;
const FOLD_END: u32 = 0xA000;

/// Simplified form of every character of the CJK blocks U+3400–U+9FFF, or
/// the character itself when conversion does not give exactly one
/// character.
static FOLD_TABLE: LazyLock<Vec<char>> = LazyLock::new(|| {
    // Convert the whole block in one call, one character per line, and read
    // the lines back: ~27k single calls would cost ~0.5 s at start-up.
    let chars: Vec<char> = (FOLD_START..FOLD_END).filter_map(char::from_u32).collect();
    let joined: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
    let converted = to_simplified(&joined);
    let lines: Vec<&str> = converted.split('\n').collect();
    let mut table: Vec<char> = (FOLD_START..FOLD_END)
        .map(|c| char::from_u32(c).unwrap_or('\u{FFFD}'))
        .collect();
    if lines.len() >= chars.len() {
        for (c, line) in chars.iter().zip(lines) {
            let mut it = line.chars();
            if let (Some(s), None) = (it.next(), it.next()) {
                table[(*c as u32 - FOLD_START) as usize] = s;
            }
        }
    }
    table
});

/// Converts Simplified Chinese to Traditional (OpenCC standard forms).
pub fn to_traditional(text: &str) -> String {
    convert_spans(text, |span| CONVERTER.s2t(span, false))
}

/// Runs `convert` over the spans of `text` that hold a Han character and
/// copies the rest. The converter matches its dictionaries' keys
/// longest-first and passes every other character through, so no match
/// crosses a character that is in no key ([`in_key_alphabet`]), and a run
/// without Han characters holds no key ([`is_han`]): cutting the text at
/// such characters gives the converter's own output, for the cost of the
/// Han runs only. A Korean story skips the converter entirely; Japanese
/// skips its long kana runs. Spans closer than [`JOIN_GAP`] bytes go in one
/// call (a call costs far more than copying a few characters through it).
/// The test `dictionary_keys_stay_in_their_alphabet` holds the dictionaries
/// to both properties.
fn convert_spans(text: &str, convert: impl Fn(&str) -> String) -> String {
    if !may_convert(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Bytes of `text` before `copied` are in `out`.
    let mut copied = 0;
    // The span waiting to be converted, which the next Han run may join.
    let mut pending: Option<(usize, usize)> = None;
    // The current run of key characters: where it starts, and whether it
    // holds a Han character.
    let mut run_start = 0;
    let mut run_has_han = false;
    let flush = |pending: &mut Option<(usize, usize)>, out: &mut String, copied: &mut usize| {
        if let Some((start, end)) = pending.take() {
            out.push_str(&text[*copied..start]);
            out.push_str(&convert(&text[start..end]));
            *copied = end;
        }
    };
    for (at, c) in text.char_indices().chain([(text.len(), '\0')]) {
        if at < text.len() && in_key_alphabet(c) {
            run_has_han |= is_han(c);
            continue;
        }
        if run_has_han {
            match &mut pending {
                Some((_, end)) if run_start - *end < JOIN_GAP => *end = at,
                _ => {
                    flush(&mut pending, &mut out, &mut copied);
                    pending = Some((run_start, at));
                }
            }
        }
        run_start = at + c.len_utf8();
        run_has_han = false;
    }
    flush(&mut pending, &mut out, &mut copied);
    out.push_str(&text[copied..]);
    out
}

/// Gap in bytes between two Han spans under which they are converted in one
/// call.
const JOIN_GAP: usize = 48;

/// Characters that may be part of a dictionary key: Han (with the
/// ideographic zero, [`is_han`]), the Latin capitals of phrases like
/// `A型肝炎`, and the middle dot of transliterated names.
fn in_key_alphabet(c: char) -> bool {
    is_han(c) || c.is_ascii_uppercase() || c == '·'
}

/// Converts text to the given script.
pub fn convert(text: &str, script: Script) -> String {
    match script {
        Script::Hans => to_simplified(text),
        Script::Hant => to_traditional(text),
    }
}

/// The script of a Chinese text, or `None` when it has no Han characters
/// that tell the two apart.
pub fn detect_script(text: &str) -> Option<Script> {
    match CONVERTER.zho_check(text) {
        1 => Some(Script::Hant),
        2 => Some(Script::Hans),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_known_pairs_both_ways() {
        assert_eq!(to_simplified("臺灣半導體產業發展"), "台湾半导体产业发展");
        assert_eq!(to_simplified("生物醫藥"), "生物医药");
        assert_eq!(to_traditional("生物医药产业"), "生物醫藥產業");
        assert_eq!(to_simplified("乾隆"), "乾隆");
    }

    #[test]
    fn folds_characters_one_by_one() {
        assert_eq!(fold_chars("臺灣半導體 Chips"), "台湾半导体 Chips");
        assert_eq!(fold_chars("頭髮"), "头发");
        // No phrases: Taiwan's 軟體 stays 软体, not mainland 软件.
        assert_eq!(fold_chars("軟體"), "软体");
        assert_eq!(to_simplified("軟體"), "软件");
    }

    #[test]
    fn nothing_below_the_cjk_blocks_converts() {
        let below: String = ('\0'..FIRST_CONVERTIBLE).collect();
        assert_eq!(CONVERTER.tw2sp(&below, false), below);
        assert_eq!(CONVERTER.s2t(&below, false), below);
        assert!(!may_convert(&below));
        assert!(may_convert("Taipei 臺北"));
    }

    /// The two properties [`convert_spans`] relies on, checked over every
    /// key of the dictionaries [`to_simplified`] and [`to_traditional`] use.
    #[test]
    fn dictionary_keys_stay_in_their_alphabet() {
        let dicts = opencc_fmmseg::DictionaryMaxlength::new().expect("embedded dictionaries");
        let used = [
            // tw2sp, round 1 and round 2.
            &dicts.tw_phrases_rev,
            &dicts.tw_variants_rev_phrases,
            &dicts.tw_variants_rev,
            &dicts.ts_phrases,
            &dicts.ts_characters,
            // s2t.
            &dicts.st_phrases,
            &dicts.st_characters,
        ];
        let mut keys = 0;
        for dict in used {
            for (key, _) in dict.iter() {
                let key: String = key.iter().collect();
                assert!(key.chars().all(in_key_alphabet), "key {key:?}");
                assert!(key.chars().any(is_han), "key {key:?}");
                keys += 1;
            }
        }
        assert!(keys > 10_000, "only {keys} keys");
    }

    #[test]
    fn span_conversion_is_the_converters_own() {
        let texts = [
            "삼성전자(三星電子)는 臺灣 반도체 공장을 發表했다. 서울=聯合뉴스",
            "東京電力は、福島第一原子力発電所の處理水を海に放出すると發表した。",
            "A型肝炎、C型肝炎與E肝 · SQL隱碼攻擊 · 喬治·克隆尼 · BMW集團",
            "臺北 Taipei 軟體 software 乾隆 〇 余〇 占〇",
            "軟體\n\n硬體\t網路，資訊。",
            "",
            "no Han at all, 한국어만 있습니다",
        ];
        let long = texts.join(&"가".repeat(40));
        for text in texts.iter().copied().chain([long.as_str()]) {
            assert_eq!(to_simplified(text), CONVERTER.tw2sp(text, false), "{text}");
            assert_eq!(to_traditional(text), CONVERTER.s2t(text, false), "{text}");
        }
    }

    #[test]
    fn detects_script() {
        assert_eq!(detect_script("長三角產業創新發展大會"), Some(Script::Hant));
        assert_eq!(detect_script("长三角产业创新发展大会"), Some(Script::Hans));
        assert_eq!(detect_script("The quick brown fox"), None);
    }
}
