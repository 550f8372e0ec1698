//! Full text on PostgreSQL with the tokens search.rs makes: a story's
//! `tsvector` and a query's `tsquery` are written here as literals, so
//! PostgreSQL's own parser and dictionaries never see the text.
//!
//! Why literals rather than `to_tsvector('simple', …)`: the default parser
//! splits and classifies by the database's locale (whether a Han character
//! is a letter depends on `lc_ctype`), and its lower-casing is the
//! locale's, so the same text could give other tokens than SQLite's FTS5
//! index. A literal holds exactly the tokens search.rs made, with their
//! positions, so phrases (CJK bigrams in a row) match as on SQLite.
//!
//! Text tokens have weight D (the default); filter tokens (region,
//! industry, language, source, search.rs's `tags` column) weight A, so a
//! text term never matches a filter token and the reverse, as FTS5's two
//! columns keep them apart.
//!
//! Limits of `tsvector` that FTS5 does not have (docs/storage.md): a
//! position above 16,383 is stored as 16,383 (a phrase in the tail of a
//! very long story is then not found), a token keeps its first 255
//! positions, a token of 2 KiB or more is left out, and a story stops
//! adding new tokens at 1 MB of them.

use crate::store::feed_query::FeedQuery;
use crate::store::search::{self, Filter, Term};

/// Largest position `tsvector` stores.
const MAX_POSITION: usize = 16_383;
/// Positions one lexeme keeps.
const MAX_POSITIONS: usize = 255;
/// Longest lexeme, in bytes.
const MAX_LEXEME: usize = 2_047;
/// Bytes one `tsvector` may take, with room to spare below PostgreSQL's
/// 1 MiB: a lexeme takes its length, up to 4 bytes of alignment and
/// count, and 2 bytes a position ([`stored_size`]).
const MAX_TSVECTOR_BYTES: usize = 1_000_000;

/// What a lexeme of `len` bytes costs in a `tsvector`, besides 2 bytes
/// a position.
fn stored_size(len: usize) -> usize {
    len + 4
}

/// The `tsvector` literal of a story: `fts_text`'s tokens with their
/// positions, then `fts_tags`' tokens with weight A.
pub(super) fn tsvector(fts_text: &str, fts_tags: &str) -> String {
    let mut order: Vec<&str> = Vec::new();
    let mut positions: std::collections::HashMap<&str, Vec<(usize, bool)>> =
        std::collections::HashMap::new();
    let mut bytes = 0;
    // Filter tokens first, so a story too large for a `tsvector` loses
    // text, never its filters; they take the positions after the text.
    let text_tokens = fts_text.split_ascii_whitespace().count();
    let tokens = fts_tags
        .split_ascii_whitespace()
        .enumerate()
        .map(|(j, t)| (t, true, text_tokens + 1 + j))
        .chain(
            fts_text
                .split_ascii_whitespace()
                .enumerate()
                .map(|(i, t)| (t, false, i + 1)),
        );
    for (token, is_tag, position) in tokens {
        if token.len() > MAX_LEXEME {
            continue;
        }
        let position = position.min(MAX_POSITION);
        let list = match positions.get_mut(token) {
            Some(list) => list,
            None => {
                if bytes + stored_size(token.len()) + 2 > MAX_TSVECTOR_BYTES {
                    continue;
                }
                bytes += stored_size(token.len());
                order.push(token);
                positions.entry(token).or_default()
            }
        };
        if list.len() < MAX_POSITIONS
            && list.last() != Some(&(position, is_tag))
            && bytes + 2 <= MAX_TSVECTOR_BYTES
        {
            bytes += 2;
            list.push((position, is_tag));
        }
    }
    let mut out = String::with_capacity(fts_text.len() + fts_tags.len() + order.len() * 8);
    for token in order {
        if !out.is_empty() {
            out.push(' ');
        }
        quote_into(token, &mut out);
        for (n, (position, is_tag)) in positions[token].iter().enumerate() {
            out.push(if n == 0 { ':' } else { ',' });
            out.push_str(&position.to_string());
            if *is_tag {
                out.push('A');
            }
        }
    }
    out
}

/// The `tsquery` literal of a query's text and of the filters the index
/// holds as tokens (languages, sources, and, but for `primary`, regions
/// and industries). `None` without text, or when the text has nothing
/// searchable (the feed is then empty, as on SQLite).
pub(super) fn tsquery(query: &FeedQuery) -> Option<String> {
    let terms = search::query_terms(query.q.as_deref()?);
    if terms.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = terms
        .into_iter()
        .map(|term| match term {
            Term::Prefix(c) => {
                let mut out = String::new();
                quote_into(&c, &mut out);
                out.push_str(":*D");
                out
            }
            Term::Phrase(tokens) => {
                let words: Vec<String> = tokens
                    .iter()
                    .map(|t| {
                        let mut out = String::new();
                        quote_into(t, &mut out);
                        out.push_str(":D");
                        out
                    })
                    .collect();
                format!("({})", words.join(" <-> "))
            }
        })
        .collect();
    for (filter, values) in index_filters(query) {
        if values.is_empty() {
            continue;
        }
        let alternatives: Vec<String> = values
            .iter()
            .map(|value| {
                let mut token = String::new();
                search::filter_token(filter, value, &mut token);
                let mut out = String::new();
                quote_into(&token, &mut out);
                out.push_str(":A");
                out
            })
            .collect();
        parts.push(format!("({})", alternatives.join(" | ")));
    }
    Some(parts.join(" & "))
}

/// The filters a text query answers inside the index: regions and
/// industries (unless only primary tags count, which the index does not
/// know), languages and sources.
pub(super) fn index_filters(query: &FeedQuery) -> [(Filter, &[String]); 4] {
    let (regions, industries): (&[String], &[String]) = if query.primary_only {
        (&[], &[])
    } else {
        (&query.regions, &query.industries)
    };
    [
        (Filter::Region, regions),
        (Filter::Industry, industries),
        (Filter::Lang, &query.langs),
        (Filter::Source, &query.sources),
    ]
}

/// A lexeme in single quotes, with quotes and backslashes escaped.
fn quote_into(token: &str, out: &mut String) {
    out.push('\'');
    for c in token.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stories_become_positioned_lexemes_with_filter_tokens_weighted_a() {
        let text = search::index_text("臺灣半導體 chips", &["Chips again".into()]);
        let tags = search::story_filter_tokens(["tw"], ["semis"], "zh", "cna");
        assert_eq!(
            tsvector(&text, &tags),
            "'r7477':9A 'i73656d6973':10A 'l7a68':11A 's636e61':12A \
             '台湾':1 '湾半':2 '半导':3 '导体':4 '体':5 'chips':6,7 'again':8"
        );
        // A token that is both text and a filter keeps both weights.
        assert_eq!(tsvector("s61 x", "s61"), "'s61':3A,1 'x':2");
        assert_eq!(tsvector("", ""), "");
    }

    #[test]
    fn huge_stories_stay_within_tsvector_limits() {
        let long = "word ".repeat(20_000);
        let vector = tsvector(&long, "");
        assert_eq!(vector.matches(',').count(), MAX_POSITIONS - 1);
        let giant = "x".repeat(3_000);
        assert_eq!(tsvector(&format!("{giant} ok"), ""), "'ok':2");
        // The size PostgreSQL counts stays under its 1 MiB (the contract
        // suite stores such a story on a real server).
        let many: String = (0..200_000).map(|i| format!("t{i:07} ")).collect();
        let vector = tsvector(&many, "");
        let lexemes = vector.split(' ').count();
        assert!(lexemes * (8 + 6) <= MAX_TSVECTOR_BYTES, "{lexemes}");
        assert!(lexemes > 60_000, "{lexemes}");
        // Every position is at most the largest tsvector stores.
        assert!(tsvector(&format!("{long} tail"), "").ends_with("'tail':16383"));
    }

    #[test]
    fn queries_become_phrases_prefixes_and_filter_alternatives() {
        let q = |text: &str| FeedQuery {
            q: Some(text.into()),
            ..FeedQuery::default()
        };
        assert_eq!(tsquery(&q("半導體")).unwrap(), "('半导':D <-> '导体':D)");
        assert_eq!(tsquery(&q("港")).unwrap(), "'港':*D");
        assert_eq!(tsquery(&q("Chip 產業")).unwrap(), "('chip':D) & ('产业':D)");
        assert_eq!(tsquery(&q("  \" ")), None);
        assert_eq!(tsquery(&FeedQuery::default()), None);
        let filtered = FeedQuery {
            langs: vec!["zh".into(), "ja".into()],
            regions: vec!["cn".into()],
            ..q("chip")
        };
        assert_eq!(
            tsquery(&filtered).unwrap(),
            "('chip':D) & ('r636e':A) & ('l7a68':A | 'l6a61':A)"
        );
        // Only primary tags count: regions are checked on the story.
        let primary = FeedQuery {
            primary_only: true,
            ..filtered
        };
        assert_eq!(
            tsquery(&primary).unwrap(),
            "('chip':D) & ('l7a68':A | 'l6a61':A)"
        );
        let mut quoted = String::new();
        quote_into("a'b\\c", &mut quoted);
        assert_eq!(quoted, "'a''b\\\\c'");
    }
}
