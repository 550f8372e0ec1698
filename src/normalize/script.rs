//! Chinese script detection and conversion, behind a small API so the
//! converter (opencc-fmmseg today) can be swapped without touching callers.

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
    if !may_convert(text) {
        return text.to_string();
    }
    CONVERTER.tw2sp(text, false)
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
    if !may_convert(text) {
        return text.to_string();
    }
    CONVERTER.s2t(text, false)
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

    #[test]
    fn detects_script() {
        assert_eq!(detect_script("長三角產業創新發展大會"), Some(Script::Hant));
        assert_eq!(detect_script("长三角产业创新发展大会"), Some(Script::Hans));
        assert_eq!(detect_script("The quick brown fox"), None);
    }
}
