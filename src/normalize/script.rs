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
