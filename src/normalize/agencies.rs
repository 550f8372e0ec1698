//! The agency lexicon: which names a wire signs its copy with, in every
//! script its services use (`data/agencies.tsv`).
//!
//! Datelines and end tags are recognized by their shape; the lexicon says
//! whether the name in that shape is an agency. It is data, so a new agency
//! or a new service's spelling is one line in the file, not one more rule.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Every name in the lexicon, Latin ones lower-cased.
static NAMES: LazyLock<HashSet<String>> = LazyLock::new(|| names().map(fold).collect());

/// The names as written in the data file, longest first (so a regex
/// alternation built from them prefers `共同通信` to `共同`).
pub fn names() -> impl Iterator<Item = &'static str> {
    static SORTED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let mut v: Vec<&str> = include_str!("data/agencies.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .flat_map(|l| l.split('\t').skip(1))
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        v.sort_by_key(|n| std::cmp::Reverse(n.len()));
        v.dedup();
        v
    });
    SORTED.iter().copied()
}

/// The names as one regex alternation, longest first, each escaped.
pub fn alternation() -> String {
    names().map(regex::escape).collect::<Vec<_>>().join("|")
}

/// The names written in Han characters (`新华社`, `路透`, `共同`), as one
/// regex alternation, longest first: the Chinese and CNA-style datelines.
pub fn han_alternation() -> String {
    names()
        .filter(|n| n.chars().all(super::unicode::is_han))
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join("|")
}

fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Whether `name` is an agency's name (`Bernama`, `BERNAMA`, `（時事）`'s
/// `時事`); a regional suffix (`dpa/lnw`) counts as its agency.
pub fn is_agency(name: &str) -> bool {
    let name = fold(name);
    NAMES.contains(&name)
        || name
            .split_once('/')
            .is_some_and(|(head, tail)| NAMES.contains(head) && tail.len() <= 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agencies_in_every_script() {
        for name in [
            "Xinhua",
            "BERNAMA",
            "新華社",
            "時事",
            "연합뉴스",
            "ANSA",
            "dpa/lby",
            "TASS",
        ] {
            assert!(is_agency(name), "{name}");
        }
        for name in ["Russia", "Australia", "WHO", "Beijing", "AI", "北京", ""] {
            assert!(!is_agency(name), "{name}");
        }
    }

    #[test]
    fn longest_names_first() {
        let all: Vec<&str> = names().collect();
        let pos = |n: &str| all.iter().position(|x| *x == n).unwrap();
        assert!(pos("共同通信") < pos("共同"));
        assert!(pos("dpa-AFX") < pos("dpa"));
    }
}
