//! Full-text search that finds Chinese, Japanese and Korean substrings of any
//! length.
//!
//! FTS5's `unicode61` tokenizer treats a whole CJK run as one token, and
//! `trigram` cannot match fewer than three characters, yet most Chinese
//! industry words have two (醫藥, 產業). So text is indexed with every CJK run
//! rewritten as overlapping bigrams plus its last character alone
//! (臺灣半導體 → 台湾 湾半 半导 导体 体), after folding to Simplified and lower
//! case. A query is rewritten the same way and sent as a phrase; a single
//! character becomes a prefix query, which matches it as the start of a
//! bigram or as a run's last character.
//!
//! The table uses FTS5's plain `ascii` tokenizer, which splits on ASCII
//! spaces and punctuation only, so this module also does the folding
//! `unicode61` used to do (see [`expand_into`]).
//!
//! A second column, `tags`, holds a story's region, industry, language and
//! source as one token each ([`filter_tokens`]), so a `q=` feed filtered
//! by them is one intersection inside the index: FTS5 skips through the
//! rarest list instead of the store sifting thousands of text matches
//! (docs/BENCHMARKS.md). Text terms are therefore always written for the
//! `text` column.

use crate::normalize::script::to_simplified;
use crate::normalize::title_and_body;
use unicode_normalization::char::is_combining_mark;

/// True for characters written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // kana
        | 0x3400..=0x4DBF    // Han extension A
        | 0x4E00..=0x9FFF    // Han
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // Han compatibility
        | 0x20000..=0x3FFFF) // Han extensions B and later
}

/// The text to index for a story.
pub fn index_text(title: &str, body: &[String]) -> String {
    // One call to the converter for the whole story rather than one per
    // paragraph (the result is the same: phrases never span a newline).
    index_folded(&to_simplified(&title_and_body(title, body)))
}

/// The text to index for a story whose title and paragraphs were already
/// folded to Simplified, one per line ([`crate::normalize::Normalized`]).
pub fn index_folded(folded: &str) -> String {
    let mut text = String::with_capacity(folded.len() * 2);
    expand_into(folded, &mut text);
    text
}

/// Writes `text` as the tokens FTS5's `ascii` tokenizer is to see: CJK
/// runs as bigrams, every other letter or digit lower-cased and without
/// its diacritics (`Café` → `cafe`), everything else a space.
///
/// `ascii` takes every byte that is not ASCII punctuation or space as part
/// of a token, so all folding happens here; it tokenizes the result at
/// about half `unicode61`'s cost, on the store's one writer thread
/// (docs/BENCHMARKS.md). Queries go through the same function.
fn expand_into(text: &str, out: &mut String) {
    // Byte offset where the current CJK run starts.
    let mut run: Option<usize> = None;
    for (i, c) in text.char_indices() {
        // ASCII first: it is never CJK and needs no Unicode tables.
        if c.is_ascii() {
            flush_run(text, &mut run, i, out);
            out.push(if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            });
            continue;
        }
        if is_cjk(c) {
            run.get_or_insert(i);
            continue;
        }
        flush_run(text, &mut run, i, out);
        if is_combining_mark(c) {
            // A diacritic written apart from its letter goes with it.
        } else if c.is_alphanumeric() {
            push_folded(c, out);
        } else {
            out.push(' ');
        }
    }
    flush_run(text, &mut run, text.len(), out);
}

/// Writes the CJK run `text[start..end]` as its bigrams and its last
/// character, space-separated. The characters of a run are adjacent in
/// `text`, so each bigram is copied as one slice.
fn flush_run(text: &str, run: &mut Option<usize>, end: usize, out: &mut String) {
    let Some(start) = run.take() else {
        return;
    };
    let run = &text[start..end];
    out.push(' ');
    let mut prev: Option<usize> = None;
    for (i, c) in run.char_indices() {
        if let Some(p) = prev {
            out.push_str(&run[p..i + c.len_utf8()]);
            out.push(' ');
        }
        prev = Some(i);
    }
    out.push_str(&run[prev.unwrap_or(0)..]);
    out.push(' ');
}

/// A letter lower-cased and stripped of the marks its decomposition holds
/// (`É` → `e`, `ñ` → `n`), as `unicode61 remove_diacritics 2` did.
fn push_folded(c: char, out: &mut String) {
    for lower in c.to_lowercase() {
        let mut decomposed = false;
        unicode_normalization::char::decompose_canonical(lower, |part| {
            if !is_combining_mark(part) {
                out.push(part);
            }
            decomposed = true;
        });
        if !decomposed {
            out.push(lower);
        }
    }
}

/// One term of a user query, in the tokens the index holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Tokens that must appear one after another.
    Phrase(Vec<String>),
    /// A lone CJK character: any token that starts with it (a bigram it
    /// begins, or a run's last character).
    Prefix(String),
}

/// The terms of a user query: every whitespace-separated word, folded and
/// tokenized as stories are. Empty when the query has nothing searchable.
pub fn query_terms(query: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    for term in query.split_whitespace() {
        let folded = to_simplified(term);
        let chars: Vec<char> = folded.chars().collect();
        if chars.len() == 1 && is_cjk(chars[0]) {
            terms.push(Term::Prefix(chars[0].to_string()));
            continue;
        }
        let mut expanded = String::new();
        expand_into(&folded, &mut expanded);
        // A multi-character CJK run must not also match its lone last
        // character token, so drop the trailing single character of each run.
        let tokens: Vec<&str> = expanded
            .split(|c: char| !(c.is_alphanumeric()))
            .filter(|t| !t.is_empty())
            .collect();
        let mut phrase: Vec<String> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            let lone_cjk = token.chars().count() == 1 && token.chars().all(is_cjk);
            let after_bigram =
                i > 0 && tokens[i - 1].chars().count() == 2 && tokens[i - 1].chars().all(is_cjk);
            if lone_cjk && after_bigram {
                continue;
            }
            phrase.push(token.to_string());
        }
        if !phrase.is_empty() {
            terms.push(Term::Phrase(phrase));
        }
    }
    terms
}

/// Turns a user query into an FTS5 expression: every whitespace-separated
/// term must appear. Returns `None` when the query has nothing searchable.
pub fn match_expression(query: &str) -> Option<String> {
    let terms: Vec<String> = query_terms(query)
        .into_iter()
        .map(|term| match term {
            Term::Prefix(c) => format!("text : \"{c}\"*"),
            Term::Phrase(tokens) => {
                format!("text : \"{}\"", tokens.join(" ").replace('"', "\"\""))
            }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

/// A filter a story is indexed under in the `tags` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// A region tag (rolled up: every ancestor has its own).
    Region,
    /// An industry tag.
    Industry,
    /// The story's language subtag.
    Lang,
    /// The source id.
    Source,
}

impl Filter {
    /// The token's first letter: outside the hex digits that follow, so
    /// tokens of different filters never meet.
    fn prefix(self) -> char {
        match self {
            Filter::Region => 'r',
            Filter::Industry => 'i',
            Filter::Lang => 'l',
            Filter::Source => 's',
        }
    }
}

/// One filter value as one token: its bytes in hex, which survives any
/// tokenizer and keeps values exact (`cn-zj` would otherwise split at the
/// hyphen, and `Ja` would fold to `ja`).
pub fn filter_token(filter: Filter, value: &str, out: &mut String) {
    use std::fmt::Write;
    out.push(filter.prefix());
    for byte in value.bytes() {
        write!(out, "{byte:02x}").expect("writing to a String");
    }
}

/// The `tags` column of a story: a token for each of its regions and
/// industries, its language and its source (written by the store and by
/// the migration that rebuilds the index).
pub fn story_filter_tokens<'a>(
    regions: impl IntoIterator<Item = &'a str>,
    industries: impl IntoIterator<Item = &'a str>,
    lang: &str,
    source: &str,
) -> String {
    let regions = regions.into_iter().map(|id| (Filter::Region, id));
    let industries = industries.into_iter().map(|id| (Filter::Industry, id));
    filter_tokens(
        regions
            .chain(industries)
            .chain([(Filter::Lang, lang), (Filter::Source, source)]),
    )
}

/// A token for each value, space-separated.
fn filter_tokens<'a>(values: impl IntoIterator<Item = (Filter, &'a str)>) -> String {
    let mut out = String::new();
    for (filter, value) in values {
        if !out.is_empty() {
            out.push(' ');
        }
        filter_token(filter, value, &mut out);
    }
    out
}

/// An FTS5 expression matching stories indexed under any of `values`.
/// `None` for no values (no filter).
pub fn filter_expression(filter: Filter, values: &[String]) -> Option<String> {
    let mut terms = Vec::with_capacity(values.len());
    for value in values {
        let mut term = String::from("tags : ");
        filter_token(filter, value, &mut term);
        terms.push(term);
    }
    match terms.len() {
        0 => None,
        1 => terms.pop(),
        _ => Some(format!("({})", terms.join(" OR "))),
    }
}

/// Where the tests find the corpus (the full one, else the vendored subset).
#[cfg(test)]
#[path = "../../tests/corpus/mod.rs"]
mod corpus;

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens FTS5 sees for a title.
    fn tokens(title: &str) -> Vec<String> {
        index_text(title, &[])
            .split_whitespace()
            .map(String::from)
            .collect()
    }

    /// `expand_into` as it was written before it copied runs as slices:
    /// the reference the faster one must agree with byte for byte.
    fn expand_reference(text: &str) -> String {
        let mut out = String::new();
        let mut run: Vec<char> = Vec::new();
        let flush = |run: &mut Vec<char>, out: &mut String| {
            if run.is_empty() {
                return;
            }
            out.push(' ');
            for pair in run.windows(2) {
                out.push(pair[0]);
                out.push(pair[1]);
                out.push(' ');
            }
            out.push(*run.last().expect("non-empty run"));
            out.push(' ');
            run.clear();
        };
        for c in text.chars() {
            if is_cjk(c) {
                run.push(c);
                continue;
            }
            flush(&mut run, &mut out);
            if c.is_ascii() {
                out.push(if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    ' '
                });
            } else if is_combining_mark(c) {
            } else if c.is_alphanumeric() {
                push_folded(c, &mut out);
            } else {
                out.push(' ');
            }
        }
        flush(&mut run, &mut out);
        out
    }

    /// Every corpus page (raw HTML: Chinese in both scripts, Japanese,
    /// Korean, accented Latin, markup) and a few edge cases expand exactly
    /// as before.
    #[test]
    fn expansion_matches_the_reference_on_the_corpus() {
        let super::corpus::Corpus { dir, full } = super::corpus::corpus();
        let corpus = dir.join("articles");
        let mut pages = 0;
        for lang in std::fs::read_dir(&corpus).expect("corpus articles") {
            let dir = lang.expect("entry").path();
            if !dir.is_dir() {
                continue;
            }
            for page in std::fs::read_dir(&dir).expect("language dir") {
                let path = page.expect("entry").path();
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&bytes);
                let folded = to_simplified(&text);
                for sample in [text.as_ref(), folded.as_str()] {
                    let mut fast = String::new();
                    expand_into(sample, &mut fast);
                    assert!(fast == expand_reference(sample), "{}", path.display());
                }
                pages += 1;
            }
        }
        // Pages and their ground-truth files; the vendored subset has fewer.
        let least = if full { 100 } else { 30 };
        assert!(pages > least, "{pages} corpus pages");
        for edge in [
            "",
            "臺",
            "a臺",
            "臺a",
            "臺灣半導體",
            "É臺\u{301}灣𠀀𠀁ß",
            "ｱ한국어 ok",
        ] {
            let mut fast = String::new();
            expand_into(edge, &mut fast);
            assert_eq!(fast, expand_reference(edge), "{edge:?}");
        }
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(tokens("臺灣半導體"), ["台湾", "湾半", "半导", "导体", "体"]);
        assert_eq!(tokens("AI時代 Chips"), ["ai", "时代", "代", "chips"]);
    }

    #[test]
    fn letters_fold_and_punctuation_separates() {
        assert_eq!(
            tokens("Café, NAÏVE—résumé！ Ångström «Zürich» 東京。"),
            [
                "cafe", "naive", "resume", "angstrom", "zurich", "东京", "京"
            ]
        );
        // Decomposed marks stay with their letter; digits and non-Latin
        // letters are tokens too.
        assert_eq!(
            tokens("Cafe\u{301} 2025年 Москва"),
            ["cafe", "2025", "年", "москва"]
        );
        assert_eq!(match_expression("CAFÉ").as_deref(), Some("text : \"cafe\""));
    }

    #[test]
    fn queries_become_phrases() {
        assert_eq!(match_expression("醫藥").as_deref(), Some("text : \"医药\""));
        assert_eq!(
            match_expression("半導體").as_deref(),
            Some("text : \"半导 导体\"")
        );
        assert_eq!(match_expression("港").as_deref(), Some("text : \"港\"*"));
        assert_eq!(
            match_expression("Chip 產業").as_deref(),
            Some("text : \"chip\" AND text : \"产业\"")
        );
        assert_eq!(match_expression("  \" ").as_deref(), None);
    }

    #[test]
    fn filter_values_are_single_exact_tokens() {
        assert_eq!(
            filter_tokens([(Filter::Region, "cn-zj"), (Filter::Lang, "Ja")]),
            "r636e2d7a6a l4a61"
        );
        assert_eq!(
            filter_expression(Filter::Industry, &["ai".into()]).as_deref(),
            Some("tags : i6169")
        );
        assert_eq!(
            filter_expression(Filter::Source, &["a".into(), "b".into()]).as_deref(),
            Some("(tags : s61 OR tags : s62)")
        );
        assert_eq!(filter_expression(Filter::Region, &[]), None);
    }
}
