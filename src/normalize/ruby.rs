//! Readings that leaked out of `<ruby>` markup: `網(wǎng)`, `國(ㄍㄨㄛˊ)`, `漢字(かんじ)`.
//!
//! A scraper that flattens `<ruby>漢<rp>(</rp><rt>hàn</rt><rp>)</rp></ruby>`
//! leaves `漢(hàn)` in the text. A parenthesized group right after a Han
//! character is removed when its content is nothing but a reading:
//!
//! * one Hanyu Pinyin syllable with exactly one tone mark (`ü` or `v`), the
//!   toneless form in the generated syllable list (`data/pinyin_syllables.txt`);
//! * a toneless syllable of two letters or more, only when the document has at
//!   least [`MIN_MARKED_FOR_TONELESS`] tone-marked leaks (so `(a)`, `(concept)`,
//!   `(men)` in clean text stay);
//! * Zhuyin (bopomofo letters and tone marks) — never used for anything else;
//! * kana after kanji when the parentheses are half-width (the `<rp>` fallback)
//!   or the document has at least [`MIN_KANA_LEAKS`] such groups (furigana
//!   pages annotate every word). A reading with `・` (`王毅（おう・き）`) is
//!   Japanese editorial style for foreign names and always stays.
//!
//! Word-level readings cover a whole word at once (`深圳(shēn zhèn)`,
//! `广州 (guǎng zhōu)` with a space before, `(guang3 zhou1)` with tone
//! numbers, `北京(ㄅㄟˇ ㄐㄧㄥ)`): every space-separated part must be a reading
//! of one character, and there must be at least as many Han characters
//! right before as parts. Tone-marked or numbered ones go always; toneless
//! ones only in a story whose other readings make the leak clear (the same
//! [`MIN_MARKED_FOR_TONELESS`]). In Korean copy a hanja word followed by
//! its Hangul reading, one syllable per character, is a leak too
//! (`經濟(경제)관계`); the text next to it must be Hangul, so a Korean gloss
//! in Chinese copy (`首尔(서울)市`) stays.
//!
//! `?jǐn)` — a leak whose base character and `(` were destroyed by a broken
//! re-encoding upstream — is removed too; the character is lost either way.

use super::unicode::{is_han, is_hangul, is_kana};
use std::collections::HashSet;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// Tone-marked leaks needed before toneless syllables count as leaks too.
pub const MIN_MARKED_FOR_TONELESS: usize = 3;
/// Full-width kana readings needed before they count as furigana leaks.
pub const MIN_KANA_LEAKS: usize = 3;

/// Longest reading we look at, in characters (kana 12; a word of four
/// numbered syllables `zhuang4 zhuang4 zhuang4 zhuang4` is 31).
const MAX_INNER: usize = 31;

/// Most characters a word-level reading covers.
const MAX_WORD: usize = 4;

static SYLLABLES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("data/pinyin_syllables.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// What a parenthesized group holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// One pinyin syllable with a tone mark.
    MarkedPinyin,
    /// One pinyin syllable of two letters or more, no tone mark.
    TonelessPinyin,
    /// Bopomofo.
    Zhuyin,
    /// Kana only, no `・`.
    Kana,
    /// Several pinyin syllables separated by spaces, each with a tone mark
    /// or number (a neutral one may have none): the word's length.
    MarkedWord(usize),
    /// Several toneless pinyin syllables separated by spaces.
    TonelessWord(usize),
    /// Several Zhuyin syllables separated by spaces.
    ZhuyinWord(usize),
    /// Hangul syllables only, no space: one reading per hanja.
    Hangul(usize),
    /// Anything else: a real parenthesis.
    Other,
}

fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{0300}' | '\u{0301}' | '\u{0304}' | '\u{030C}')
}

fn classify(inner: &str) -> Reading {
    if inner.is_empty() {
        return Reading::Other;
    }
    if inner.contains(' ') {
        return classify_word(inner);
    }
    if inner.chars().all(is_hangul) {
        return Reading::Hangul(inner.chars().count());
    }
    if let Some(letters) = inner.strip_suffix(['1', '2', '3', '4', '5'])
        && letters.len() >= 2
        && classify(letters) == Reading::TonelessPinyin
    {
        return Reading::MarkedPinyin;
    }
    if inner.chars().all(is_zhuyin)
        && inner
            .chars()
            .any(|c| ('\u{3105}'..='\u{312F}').contains(&c))
    {
        return Reading::Zhuyin;
    }
    if inner.chars().all(|c| is_kana(c) || c == 'ー') && inner.chars().any(is_kana) {
        return Reading::Kana;
    }
    let mut tones = 0;
    let mut letters = String::new();
    for c in inner.nfd() {
        match c {
            'a'..='z' | '\u{0308}' | '\u{0302}' => letters.push(c),
            c if is_tone_mark(c) => tones += 1,
            _ => return Reading::Other,
        }
    }
    let toneless: String = letters.nfc().collect::<String>().replace('v', "ü");
    if !SYLLABLES.contains(toneless.as_str()) {
        return Reading::Other;
    }
    match tones {
        1 => Reading::MarkedPinyin,
        0 if toneless.chars().count() >= 2 => Reading::TonelessPinyin,
        _ => Reading::Other,
    }
}

/// A space-separated group: a word-level reading when every part is one.
fn classify_word(inner: &str) -> Reading {
    let parts: Vec<&str> = inner.split(' ').collect();
    let n = parts.len();
    if n > MAX_WORD || parts.iter().any(|p| p.is_empty()) {
        return Reading::Other;
    }
    let kinds: Vec<Reading> = parts.iter().map(|p| classify(p)).collect();
    if kinds.iter().all(|k| *k == Reading::Zhuyin) {
        return Reading::ZhuyinWord(n);
    }
    let marked = kinds
        .iter()
        .filter(|k| **k == Reading::MarkedPinyin)
        .count();
    // A neutral-tone syllable (`pú tao`) has no mark; one-letter ones
    // (`a`) are syllables too.
    let toneless = |p: &&str| p.len() == 1 && SYLLABLES.contains(*p);
    let all_syllables = kinds
        .iter()
        .zip(&parts)
        .all(|(k, p)| matches!(k, Reading::MarkedPinyin | Reading::TonelessPinyin) || toneless(p));
    match (all_syllables, marked) {
        (true, 0) => Reading::TonelessWord(n),
        (true, m) if m + 1 >= n => Reading::MarkedWord(n),
        _ => Reading::Other,
    }
}

fn is_zhuyin(c: char) -> bool {
    matches!(c, '\u{3105}'..='\u{312F}' | '\u{31A0}'..='\u{31BF}' | 'ˊ' | 'ˇ' | 'ˋ' | '˙')
}

fn closing(open: char) -> char {
    if open == '(' { ')' } else { '）' }
}

/// The content of the group opening at `chars[i]` and the index after its
/// closing parenthesis, if it closes (same width) within [`MAX_INNER`] chars
/// with no parenthesis nested inside.
fn group(chars: &[char], i: usize) -> Option<(String, usize)> {
    let close = closing(chars[i]);
    let mut inner = String::new();
    for (k, &c) in chars.iter().enumerate().skip(i + 1).take(MAX_INNER + 1) {
        if c == close {
            return Some((inner, k + 1));
        }
        if matches!(c, '(' | ')' | '（' | '）') {
            return None;
        }
        inner.push(c);
    }
    None
}

/// Counts of readings over a whole document; the weaker rules depend on them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Survey {
    /// Tone-marked pinyin groups removed after a Han character.
    pub marked: usize,
    /// Full-width kana-only groups after a Han character.
    pub kana: usize,
}

impl Survey {
    /// Full-width kana groups right after a Han character in `text`.
    fn count_kana(text: &str) -> usize {
        if !text.contains('（') {
            return 0;
        }
        let chars: Vec<char> = text.chars().collect();
        (1..chars.len())
            .filter(|&i| {
                chars[i] == '（'
                    && is_han(chars[i - 1])
                    && group(&chars, i).is_some_and(|(inner, _)| classify(&inner) == Reading::Kana)
            })
            .count()
    }
}

/// Removes leaked readings from one text under the given [`Survey`]; returns
/// the text and how many tone-marked syllables it removed. Adjacency is
/// judged on the output, so `字(zì)(zi)` loses both groups.
fn strip_counting(text: &str, survey: Survey) -> (String, usize) {
    // Every rule starts at one of these; most paragraphs have none.
    if !text.contains(['(', '（', '?', '\u{FFFD}']) {
        return (text.to_string(), 0);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut last: Option<char> = None;
    let mut marked = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // `广州 (guǎng zhōu)`: one space between the word and its reading.
        let spaced = last == Some(' ') && out.trim_end().chars().next_back().is_some_and(is_han);
        if matches!(c, '(' | '（')
            && (last.is_some_and(is_han) || spaced)
            && let Some((inner, next)) = group(&chars, i)
        {
            let reading = classify(&inner);
            let han_run = out
                .trim_end()
                .chars()
                .rev()
                .take_while(|&h| is_han(h))
                .count();
            let after = chars.get(next).copied();
            let fits = match reading {
                Reading::MarkedWord(n) | Reading::TonelessWord(n) | Reading::ZhuyinWord(n) => {
                    han_run >= n
                }
                // One syllable per hanja of the whole word, in Hangul text.
                Reading::Hangul(n) => {
                    let before = out.trim_end().chars().rev().nth(han_run);
                    !spaced
                        && han_run == n
                        && (after.is_some_and(is_hangul) || before.is_some_and(is_hangul))
                }
                // Per-character readings sit right after their character.
                _ => !spaced,
            };
            if fits && is_leak(reading, c == '(', survey) {
                if matches!(reading, Reading::MarkedPinyin | Reading::MarkedWord(_)) {
                    marked += 1;
                }
                if spaced {
                    out.pop();
                    last = out.chars().next_back();
                }
                i = next;
                continue;
            }
        }
        if matches!(c, '?' | '\u{FFFD}')
            && let Some(next) = damaged_leak(&chars, i)
        {
            i = next;
            continue;
        }
        out.push(c);
        last = Some(c);
        i += 1;
    }
    (out, marked)
}

/// Removes leaked readings from one text, given the document's [`Survey`].
pub fn strip(text: &str, survey: Survey) -> String {
    strip_counting(text, survey).0
}

fn is_leak(reading: Reading, half_width: bool, survey: Survey) -> bool {
    match reading {
        Reading::MarkedPinyin
        | Reading::Zhuyin
        | Reading::MarkedWord(_)
        | Reading::ZhuyinWord(_)
        | Reading::Hangul(_) => true,
        Reading::TonelessPinyin | Reading::TonelessWord(_) => {
            survey.marked >= MIN_MARKED_FOR_TONELESS
        }
        Reading::Kana => half_width || survey.kana >= MIN_KANA_LEAKS,
        Reading::Other => false,
    }
}

/// `?jǐn)`: a replacement mark, a tone-marked syllable and a `)`.
fn damaged_leak(chars: &[char], i: usize) -> Option<usize> {
    let rest = &chars[i + 1..];
    let end = rest.iter().take(MAX_INNER).position(|&c| c == ')')?;
    let inner: String = rest[..end].iter().collect();
    (classify(&inner) == Reading::MarkedPinyin).then_some(i + 1 + end + 1)
}

/// Strips readings from every text of one story (title, paragraphs,
/// captions) and returns the survey it used. First the unconditional rules
/// run and count tone-marked leaks; then full-width kana groups are counted
/// on what is left, and every rule runs again with those counts. Running it
/// on its own output changes nothing.
pub fn strip_all(texts: &mut [String]) -> Survey {
    let mut survey = Survey::default();
    for text in texts.iter_mut() {
        let (stripped, marked) = strip_counting(text, Survey::default());
        *text = stripped;
        survey.marked += marked;
    }
    survey.kana = texts.iter().map(|t| Survey::count_kana(t)).sum();
    // With no leaks counted the weaker rules cannot fire, and the first
    // pass already applied the others.
    if survey != Survey::default() {
        for text in texts.iter_mut() {
            *text = strip(text, survey);
        }
    }
    survey
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> String {
        let mut v = vec![text.to_string()];
        strip_all(&mut v);
        v.pop().unwrap_or_default()
    }

    #[test]
    fn syllable_list_is_loaded() {
        assert!(SYLLABLES.len() > 400, "{}", SYLLABLES.len());
        assert!(SYLLABLES.contains("zhuang") && SYLLABLES.contains("lüe"));
        assert!(!SYLLABLES.contains("concept"));
    }

    #[test]
    fn classifies_readings() {
        assert_eq!(classify("wǎng"), Reading::MarkedPinyin);
        assert_eq!(classify("lǜ"), Reading::MarkedPinyin);
        assert_eq!(classify("lv\u{30C}"), Reading::MarkedPinyin);
        assert_eq!(classify("men"), Reading::TonelessPinyin);
        assert_eq!(classify("a"), Reading::Other);
        assert_eq!(classify("concept"), Reading::Other);
        assert_eq!(classify("ㄍㄨㄛˊ"), Reading::Zhuyin);
        assert_eq!(classify("かんじ"), Reading::Kana);
        assert_eq!(classify("おう・き"), Reading::Other);
        assert_eq!(classify("WOYLC"), Reading::Other);
    }

    #[test]
    fn damaged_leak_goes() {
        assert_eq!(run("數字?jǐn)⑹隆"), "數字⑹隆");
        assert_eq!(run("Is it? (yes)"), "Is it? (yes)");
    }
}
