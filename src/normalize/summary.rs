//! The lead-paragraph summary used when the publisher gives none: whole
//! sentences up to about [`CJK_CHARS`] characters of CJK text or
//! [`LATIN_WORDS`] words of other text.

use super::unicode::is_cjk;

/// Target length of a CJK summary, in characters.
pub const CJK_CHARS: usize = 200;
/// Target length of a Latin-script summary, in words.
pub const LATIN_WORDS: usize = 60;

/// Sentence ends: CJK terminators always; `.` `!` `?` when a space follows.
fn sentence_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        let end = i + c.len_utf8();
        match c {
            '。' | '！' | '？' => {
                // Keep a closing quote with its sentence.
                if let Some(q @ ('”' | '」' | '』')) = next {
                    ends.push(end + q.len_utf8());
                } else {
                    ends.push(end);
                }
            }
            '.' | '!' | '?' if next.is_none_or(char::is_whitespace) => ends.push(end),
            _ => {}
        }
    }
    ends
}

/// Text size in summary units: CJK characters, or words otherwise.
fn size(text: &str, cjk: bool) -> usize {
    if cjk {
        text.chars().count()
    } else {
        text.split_whitespace().count()
    }
}

/// A summary cut from the lead paragraph at a sentence boundary.
pub fn lead(paragraph: &str) -> String {
    let cjk_chars = paragraph.chars().filter(|c| is_cjk(*c)).count();
    let cjk = cjk_chars * 3 >= paragraph.chars().count();
    let limit = if cjk { CJK_CHARS } else { LATIN_WORDS };
    if size(paragraph, cjk) <= limit {
        return paragraph.to_string();
    }
    let best = sentence_ends(paragraph)
        .into_iter()
        .take_while(|&end| size(&paragraph[..end], cjk) <= limit)
        .last();
    match best {
        Some(end) => paragraph[..end].trim().to_string(),
        None => {
            // One sentence longer than the limit: cut it and mark the cut.
            let cut: String = if cjk {
                paragraph.chars().take(limit).collect()
            } else {
                paragraph
                    .split_whitespace()
                    .take(limit)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            format!("{}…", cut.trim_end())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_leads_are_kept_whole() {
        assert_eq!(lead("一句话。"), "一句话。");
        assert_eq!(
            lead("Short lead. Two sentences."),
            "Short lead. Two sentences."
        );
    }

    #[test]
    fn long_cjk_lead_cut_at_a_sentence() {
        let first = "甲".repeat(150) + "。";
        let second = "乙".repeat(100) + "。";
        assert_eq!(lead(&(first.clone() + &second)), first);
    }

    #[test]
    fn long_latin_lead_cut_at_a_sentence() {
        let s1 = "word ".repeat(40).trim_end().to_string() + ".";
        let s2 = " more".repeat(40) + ".";
        assert_eq!(lead(&(s1.clone() + &s2)), s1);
        let long = "word ".repeat(100);
        assert!(lead(&long).ends_with('…'));
        assert_eq!(lead(&long).split_whitespace().count(), 60);
    }
}
