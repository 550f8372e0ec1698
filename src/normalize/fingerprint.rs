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
    fingerprint_folded(&to_simplified(&joined))
}

/// The fingerprint of a story body already folded to Simplified (its
/// paragraphs joined by newlines), so a caller that folds the story's text
/// anyway converts it once.
pub fn fingerprint_folded(folded: &str) -> u64 {
    let tokens = Tokens::of(folded);
    let mut shingles: Vec<u64> = if tokens.len() < SHINGLE {
        (0..tokens.len()).map(|i| tokens.hash(i..i + 1)).collect()
    } else {
        (0..=tokens.len() - SHINGLE)
            .map(|i| tokens.hash(i..i + SHINGLE))
            .collect()
    };
    shingles.sort_unstable();
    shingles.dedup();
    simhash(&shingles)
}

/// The tokens of a text, written one after the other into one buffer:
/// a story has thousands, and a `String` each was most of the time spent.
struct Tokens {
    text: String,
    /// Byte range of each token in `text`.
    spans: Vec<(usize, usize)>,
}

impl Tokens {
    fn of(text: &str) -> Tokens {
        let mut out = Tokens {
            text: String::with_capacity(text.len()),
            spans: Vec::with_capacity(text.len() / 2),
        };
        let mut word_start: Option<usize> = None;
        for c in text.chars() {
            // ASCII first: most of a Latin story, and it needs neither the
            // CJK ranges nor Unicode's tables (no ASCII character is CJK).
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    word_start.get_or_insert(out.text.len());
                    out.text.push(c.to_ascii_lowercase());
                } else {
                    out.end_word(&mut word_start);
                }
            } else if is_cjk(c) {
                out.end_word(&mut word_start);
                let start = out.text.len();
                out.text.push(c);
                out.spans.push((start, out.text.len()));
            } else if c.is_alphanumeric() {
                word_start.get_or_insert(out.text.len());
                out.text.extend(c.to_lowercase());
            } else {
                out.end_word(&mut word_start);
            }
        }
        out.end_word(&mut word_start);
        out
    }

    fn end_word(&mut self, start: &mut Option<usize>) {
        if let Some(start) = start.take() {
            self.spans.push((start, self.text.len()));
        }
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    #[cfg(test)]
    fn get(&self, i: usize) -> &str {
        let (start, end) = self.spans[i];
        &self.text[start..end]
    }

    /// The hash of tokens `range` joined by U+001F, as one string.
    fn hash(&self, range: std::ops::Range<usize>) -> u64 {
        // Spans end on character boundaries by construction: byte slices
        // skip the boundary checks of `str` slicing.
        let bytes = self.text.as_bytes();
        let mut hash = Fnv1a::default();
        for (n, &(start, end)) in self.spans[range].iter().enumerate() {
            if n > 0 {
                hash.feed(b"\x1F");
            }
            hash.feed(&bytes[start..end]);
        }
        hash.finish()
    }
}

#[cfg(test)]
fn tokens(text: &str) -> Vec<String> {
    let tokens = Tokens::of(text);
    (0..tokens.len())
        .map(|i| tokens.get(i).to_string())
        .collect()
}

/// FNV-1a, fed in pieces.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn feed(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        // FNV's low bits mix poorly for short inputs; finish with splitmix64.
        let mut z = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Bit `k` of a byte, moved to the low bit of byte `k`: adding `SPREAD[b]`
/// counts the set bits of `b` in eight byte-wide counters at once.
const SPREAD: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        while bit < 8 {
            if byte >> bit & 1 == 1 {
                table[byte] |= 1 << (8 * bit);
            }
            bit += 1;
        }
        byte += 1;
    }
    table
};

/// Bit `i` is set when more than half of the hashes have it set (the
/// SimHash vote). Counting eight bits per table look-up is several times
/// faster than a loop over all 64 bits of every shingle.
fn simhash(hashes: &[u64]) -> u64 {
    if hashes.is_empty() {
        return 0;
    }
    let mut counts = [0u32; 64];
    // Byte-wide counters overflow after 255 additions.
    for chunk in hashes.chunks(255) {
        let mut packed = [0u64; 8];
        for h in chunk {
            for (byte, lane) in packed.iter_mut().enumerate() {
                *lane += SPREAD[(h >> (8 * byte) & 0xFF) as usize];
            }
        }
        for (byte, lane) in packed.iter().enumerate() {
            for bit in 0..8 {
                counts[8 * byte + bit] += (lane >> (8 * bit) & 0xFF) as u32;
            }
        }
    }
    let voters = hashes.len() as u32;
    counts.iter().enumerate().fold(0u64, |acc, (bit, &set)| {
        if 2 * set > voters {
            acc | 1 << bit
        } else {
            acc
        }
    })
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

    /// The vote as written in the SimHash paper: +1 per set bit, -1 per
    /// clear one, the bit kept when the sum is positive.
    fn simhash_reference(hashes: &[u64]) -> u64 {
        if hashes.is_empty() {
            return 0;
        }
        (0..64).fold(0u64, |acc, bit| {
            let sum: i64 = hashes
                .iter()
                .map(|h| if h >> bit & 1 == 1 { 1 } else { -1 })
                .sum();
            if sum > 0 { acc | 1 << bit } else { acc }
        })
    }

    #[test]
    fn simhash_counts_votes_like_the_reference() {
        let mut state = Fnv1a::default();
        for len in [0, 1, 2, 3, 254, 255, 256, 600, 1021] {
            let hashes: Vec<u64> = (0..len)
                .map(|i: u64| {
                    state.feed(&i.to_le_bytes());
                    state.finish()
                })
                .collect();
            assert_eq!(simhash(&hashes), simhash_reference(&hashes), "{len} hashes");
        }
        // Ties (as many set as clear) leave the bit clear; all set sets it.
        assert_eq!(simhash(&[u64::MAX, 0]), 0);
        assert_eq!(simhash(&[u64::MAX; 300]), u64::MAX);
    }

    #[test]
    fn punctuation_and_script_do_not_change_the_fingerprint() {
        let a = fingerprint(&["生物医药产业的创新发展是衡量一个国家科技实力的重要标志。"]);
        let b = fingerprint(&["生物醫藥產業的創新發展, 是衡量一個國家科技實力的重要標誌"]);
        assert!(same_story(a, b), "{}", (a ^ b).count_ones());
        assert_eq!(fingerprint::<&str>(&[]), 0);
    }
}
