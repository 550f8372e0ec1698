//! The extraction-quality metric of the development corpus
//! (`shared/corpus/README.md`, "Metric used by the held-out evaluation").
//!
//! Text is normalised with NFKC and lower-cased. Tokens are each Han, Kana
//! or Hangul character on its own, and every other maximal run of letters and
//! digits. Full-body pages compare bags of tokens (precision, recall, F1 per
//! page, then averaged); snippet pages count `with` snippets found (true
//! positives) or missing (false negatives) and `without` snippets found
//! (false positives), micro-averaged over all snippets.
//!
//! Evaluation code, not part of the shipped library: the corpus tests
//! include it with `#[path]`, and so does `benches/extract_quality.rs`, so
//! both score pages the same way. Its tokens split CJK text as the
//! extractor's text weights do ([`is_cjk_token_char`]).
#![allow(dead_code)]

use polywire::extract::article::dom::is_cjk_token_char;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// NFKC, then lower case: the normal form both sides are compared in.
pub fn normalise(text: &str) -> String {
    text.nfkc().collect::<String>().to_lowercase()
}

/// Tokens of an already normalised text, in order.
pub fn tokens(normalised: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut run_start: Option<usize> = None;
    for (i, c) in normalised.char_indices() {
        if is_cjk_token_char(c) {
            if let Some(start) = run_start.take() {
                out.push(&normalised[start..i]);
            }
            out.push(&normalised[i..i + c.len_utf8()]);
        } else if c.is_alphanumeric() {
            run_start.get_or_insert(i);
        } else if let Some(start) = run_start.take() {
            out.push(&normalised[start..i]);
        }
    }
    if let Some(start) = run_start {
        out.push(&normalised[start..]);
    }
    out
}

/// Precision, recall and F1 of one comparison (each in [0, 1]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    /// Share of the extracted tokens (or snippets) that are right.
    pub precision: f64,
    /// Share of the expected tokens (or snippets) that were found.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Score {
    /// Builds a score from precision and recall; F1 is 0 when both are 0.
    pub fn new(precision: f64, recall: f64) -> Self {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Score {
            precision,
            recall,
            f1,
        }
    }

    /// The plain mean of several scores (pages weigh the same).
    pub fn mean(scores: &[Score]) -> Score {
        if scores.is_empty() {
            return Score::default();
        }
        let n = scores.len() as f64;
        Score {
            precision: scores.iter().map(|s| s.precision).sum::<f64>() / n,
            recall: scores.iter().map(|s| s.recall).sum::<f64>() / n,
            f1: scores.iter().map(|s| s.f1).sum::<f64>() / n,
        }
    }
}

/// Bag-of-tokens score of an extracted text against the expected one.
///
/// An empty extraction has precision 0; an empty expectation has recall 1.
pub fn bag_score(extracted: &str, expected: &str) -> Score {
    let extracted = normalise(extracted);
    let expected = normalise(expected);
    let mut bag: HashMap<&str, usize> = HashMap::new();
    for token in tokens(&expected) {
        *bag.entry(token).or_default() += 1;
    }
    let expected_count: usize = bag.values().sum();
    let mut extracted_count = 0usize;
    let mut shared = 0usize;
    for token in tokens(&extracted) {
        extracted_count += 1;
        if let Some(left) = bag.get_mut(token)
            && *left > 0
        {
            *left -= 1;
            shared += 1;
        }
    }
    let precision = if extracted_count == 0 {
        0.0
    } else {
        shared as f64 / extracted_count as f64
    };
    let recall = if expected_count == 0 {
        1.0
    } else {
        shared as f64 / expected_count as f64
    };
    Score::new(precision, recall)
}

/// Snippet counts of one or more pages, added up before the micro average.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SnippetCounts {
    /// `with` snippets found.
    pub true_positives: usize,
    /// `with` snippets missing.
    pub false_negatives: usize,
    /// `without` snippets found.
    pub false_positives: usize,
}

impl SnippetCounts {
    /// Adds another page's counts.
    pub fn add(&mut self, other: SnippetCounts) {
        self.true_positives += other.true_positives;
        self.false_negatives += other.false_negatives;
        self.false_positives += other.false_positives;
    }

    /// Micro-averaged precision, recall and F1.
    pub fn score(&self) -> Score {
        let tp = self.true_positives as f64;
        let precision = if self.true_positives + self.false_positives == 0 {
            0.0
        } else {
            tp / (tp + self.false_positives as f64)
        };
        let recall = if self.true_positives + self.false_negatives == 0 {
            0.0
        } else {
            tp / (tp + self.false_negatives as f64)
        };
        Score::new(precision, recall)
    }
}

/// Whitespace runs become one space, so a snippet written on one line still
/// matches text that the page broke over lines (the README leaves
/// whitespace unspecified; this is the lenient reading).
fn squash_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Counts the snippets of one page in an extracted text.
pub fn snippet_counts<S: AsRef<str>>(extracted: &str, with: &[S], without: &[S]) -> SnippetCounts {
    let haystack = squash_spaces(&normalise(extracted));
    let found = |snippet: &str| {
        let needle = squash_spaces(&normalise(snippet));
        !needle.is_empty() && haystack.contains(&needle)
    };
    let mut counts = SnippetCounts::default();
    for snippet in with {
        if found(snippet.as_ref()) {
            counts.true_positives += 1;
        } else {
            counts.false_negatives += 1;
        }
    }
    for snippet in without {
        if found(snippet.as_ref()) {
            counts.false_positives += 1;
        }
    }
    counts
}
