//! Near-duplicate fingerprints: a 64-bit SimHash over shingles of the
//! script-folded text, so one story in Traditional and Simplified, or from
//! two wires with different datelines and credits, lands in one cluster.
//!
//! Tokens follow the corpus metric: every Han, kana or hangul character is a
//! token, every other run of letters and digits is one (lower-cased);
//! punctuation and spaces are dropped. Shingles are three consecutive tokens
//! (character trigrams in CJK, word trigrams elsewhere), counted once each
//! and hashed with FNV-1a (stable across Rust releases, unlike `std`'s).

use super::script::to_simplified;
use super::unicode::is_cjk;

/// Tokens per shingle.
const SHINGLE: usize = 3;

/// Largest Hamming distance between fingerprints of one story. Measured by
/// `measure_distances` in `tests/normalize_fingerprint.rs` over the 109
/// full-text corpus stories (5,886 pairs): different stories differ by at
/// least 18 bits (1st percentile 23, median 32); a story and its other-script
/// version by median 1, max 8; with its last paragraph or its lead dropped by
/// median 3, 90th percentile 8. 10 keeps a margin of 8 bits to the closest
/// unrelated pair.
pub const SAME_STORY_MAX_DISTANCE: u32 = 10;

/// Whether two fingerprints belong to the same story.
pub fn same_story(a: u64, b: u64) -> bool {
    (a ^ b).count_ones() <= SAME_STORY_MAX_DISTANCE
}

/// The fingerprint of a story body (paragraphs in order). Empty text gives 0.
pub fn fingerprint<S: AsRef<str>>(paragraphs: &[S]) -> u64 {
    let joined: String = paragraphs
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join("\n");
    let folded = to_simplified(&joined);
    let tokens = tokens(&folded);
    let mut shingles: Vec<u64> = if tokens.len() < SHINGLE {
        tokens.iter().map(|t| fnv1a(t.as_bytes())).collect()
    } else {
        tokens
            .windows(SHINGLE)
            .map(|w| fnv1a(w.join("\u{1F}").as_bytes()))
            .collect()
    };
    shingles.sort_unstable();
    shingles.dedup();
    simhash(&shingles)
}

fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // FNV's low bits mix poorly for short inputs; finish with splitmix64.
    let mut z = hash.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn simhash(hashes: &[u64]) -> u64 {
    if hashes.is_empty() {
        return 0;
    }
    let mut weights = [0i64; 64];
    for h in hashes {
        for (bit, w) in weights.iter_mut().enumerate() {
            *w += if h >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    weights.iter().enumerate().fold(
        0u64,
        |acc, (bit, w)| if *w > 0 { acc | 1 << bit } else { acc },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_cjk_by_character_and_words_by_run() {
        assert_eq!(
            tokens("長三角AI大會, Hello-World 2025!"),
            ["長", "三", "角", "ai", "大", "會", "hello", "world", "2025"]
        );
    }

    #[test]
    fn punctuation_and_script_do_not_change_the_fingerprint() {
        let a = fingerprint(&["生物医药产业的创新发展是衡量一个国家科技实力的重要标志。"]);
        let b = fingerprint(&["生物醫藥產業的創新發展, 是衡量一個國家科技實力的重要標誌"]);
        assert!(same_story(a, b), "{}", (a ^ b).count_ones());
        assert_eq!(fingerprint::<&str>(&[]), 0);
    }
}
