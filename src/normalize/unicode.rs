//! Unicode clean-up: NFC, invisible characters, whitespace, full-width Latin.
//!
//! Punctuation policy for CJK text (see docs/normalization.md): punctuation
//! is kept exactly as the wire wrote it. Mainland copy mixes half-width `,`
//! `(` `)` with full-width `。` `“”` (the CNS seed does), Taiwan copy uses
//! full-width throughout; rewriting either would change quoted names such as
//! `中新社(北京)國際傳播集團` and gain nothing, because matching and
//! fingerprints ignore punctuation. Only full-width Latin letters, digits and
//! the ideographic space are folded, since those are layout, not wording.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Characters that carry no text and only confuse matching: zero-width
/// space, word joiner, BOM, soft hyphen, bidi marks and embeddings.
/// ZWJ/ZWNJ stay: emoji sequences and Indic/Persian spelling need them.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Folds full-width ASCII letters and digits (`Ａ`, `１`) to half-width.
pub fn fold_fullwidth_alnum(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFF10 + 0x30).unwrap_or(c)
        }
        _ => c,
    }
}

/// Cleans one paragraph or title: NFC, invisible and control characters
/// removed, every kind of space collapsed to one ASCII space, full-width
/// letters and digits folded. Newlines are kept (trimmed around) so callers
/// can split paragraphs on them; runs of blank lines become one newline.
pub fn clean(text: &str) -> String {
    // Web text is nearly always NFC already, and the quick check proves it
    // far faster than composing does.
    if text.chars().all(is_nfc_starter) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        clean_str(text)
    } else {
        let mut out = Cleaner::with_capacity(text.len());
        text.nfc().for_each(|c| out.step(c));
        out.text
    }
}

/// Characters of the blocks news text is mostly made of that are NFC on
/// their own and never reorder with a neighbour (combining class 0,
/// `NFC_QC=Yes`): a text of only these is NFC without the two table
/// look-ups per character of the quick check. The test
/// `nfc_starters_are_nfc` holds every one of them to it.
fn is_nfc_starter(c: char) -> bool {
    matches!(c,
        '\0'..='\u{2FF}'
            | '\u{2010}'..='\u{2027}'
            | '\u{3000}'..='\u{3029}'
            | '\u{3041}'..='\u{3096}'
            | '\u{30A1}'..='\u{30FA}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{FF01}'..='\u{FF5E}')
}

/// [`clean`] of NFC text: runs of characters kept as they are (most of
/// any text) are copied as slices instead of character by character.
fn clean_str(text: &str) -> String {
    let mut out = Cleaner::with_capacity(text.len());
    let mut run: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if fold_fullwidth_alnum(c) == c && Cleaner::keeps(c) {
            if run.is_none() {
                out.separate();
                run = Some(i);
            }
            continue;
        }
        if let Some(start) = run.take() {
            out.text.push_str(&text[start..i]);
        }
        out.step(c);
    }
    if let Some(start) = run {
        out.text.push_str(&text[start..]);
    }
    out.text
}

/// The output of [`clean`] and the separator owed before the next kept
/// character.
struct Cleaner {
    text: String,
    pending_space: bool,
    pending_newline: bool,
}

impl Cleaner {
    fn with_capacity(len: usize) -> Cleaner {
        Cleaner {
            text: String::with_capacity(len),
            pending_space: false,
            pending_newline: false,
        }
    }

    /// Characters written out as they are (after full-width folding).
    fn keeps(c: char) -> bool {
        !c.is_whitespace() && !c.is_control() && !is_invisible(c)
    }

    /// Takes one character of the text.
    fn step(&mut self, c: char) {
        let c = fold_fullwidth_alnum(c);
        if c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}' {
            self.pending_newline = !self.text.is_empty();
            self.pending_space = false;
        } else if c.is_whitespace() {
            self.pending_space = true;
        } else if c.is_control() || is_invisible(c) {
            // dropped
        } else {
            self.separate();
            self.text.push(c);
        }
    }

    /// Writes the separator owed before a kept character.
    fn separate(&mut self) {
        if self.pending_newline {
            self.text.push('\n');
        } else if self.pending_space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.pending_newline = false;
        self.pending_space = false;
    }
}

/// The first `n` characters of `text` (all of it when shorter), as a
/// slice rather than a copy.
pub fn first_chars(text: &str, n: usize) -> &str {
    text.char_indices()
        .nth(n)
        .map_or(text, |(end, _)| &text[..end])
}

/// Splits cleaned text into non-empty paragraphs.
pub fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(str::trim).filter(|p| !p.is_empty())
}

/// A Han ideograph (CJK Unified Ideographs, extensions A–I, compatibility).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF | 0x3007)
}

/// Hiragana or katakana (including the prolonged sound mark and half-width katakana).
pub fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
        && c != '・'
}

/// Hangul syllables and jamo.
pub fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F)
}

/// A character that is a word by itself in CJK text (Han, kana, hangul).
pub fn is_cjk(c: char) -> bool {
    is_han(c) || is_kana(c) || is_hangul(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_starters_are_nfc() {
        use unicode_normalization::char::canonical_combining_class;
        let starters = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_nfc_starter(c));
        let mut n = 0;
        for c in starters {
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            assert_eq!(
                is_nfc_quick([c].into_iter()),
                IsNormalized::Yes,
                "U+{:04X}",
                c as u32
            );
            n += 1;
        }
        assert!(n > 30_000, "{n}");
    }

    #[test]
    fn nfc_and_invisibles() {
        // e + combining acute → é; ZWSP, BOM, soft hyphen and a bell removed.
        assert_eq!(
            clean("cafe\u{301}\u{200B}\u{FEFF}ab\u{AD}c\u{7}"),
            "caféabc"
        );
    }

    #[test]
    fn whitespace_collapses_and_newlines_stay() {
        assert_eq!(clean("  a \t\u{3000}b\u{A0}c  \r\n\n\n  d  "), "a b c\nd");
    }

    #[test]
    fn fullwidth_letters_and_digits_fold_but_punctuation_stays() {
        assert_eq!(
            clean("ＡＩ時代１２日，ＥＳＧ（環境）"),
            "AI時代12日，ESG（環境）"
        );
        // Half-width commas after Han characters are kept as written.
        assert_eq!(clean("23日,2025長三角"), "23日,2025長三角");
    }

    #[test]
    fn character_classes() {
        assert!(is_han('國') && is_han('㮾') && !is_han('の'));
        assert!(is_kana('か') && is_kana('カ') && !is_kana('・'));
        assert!(is_hangul('한') && !is_hangul('漢'));
    }
}
