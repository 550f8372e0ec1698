//! Photo credits and the captions they close: `王剛 攝`, `新华社记者 X 摄`,
//! `(Reuters/Name)`, `REUTERS/Name`, `(AP Photo/Name)`, `Photo: ...`,
//! `写真・...`, `(사진=...)`.
//!
//! Scrapers often glue a caption and its credit onto the first sentence of
//! the next paragraph (`…舉行。王剛 攝當前,…`). The caption is the text
//! before the credit: for Chinese credits the last sentence before it (text
//! earlier in the paragraph stays body), for the others the paragraph up to
//! the credit. Text after the credit is body again and becomes a paragraph
//! of its own. A caption that repeats a lede sentence is still a caption.

use super::dateline::{chinese_names, latin_names};
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::sync::LazyLock;

/// Photographers and captions taken out of a story.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credits {
    /// Photographers in order of appearance, without repeats.
    pub photographers: Vec<String>,
    /// Captions in order of appearance, without repeats.
    pub captions: Vec<String>,
}

impl Credits {
    /// Adds what a later pass found.
    pub fn absorb(&mut self, other: Credits) {
        for p in &other.photographers {
            push_unique(&mut self.photographers, p);
        }
        for c in &other.captions {
            push_unique(&mut self.captions, c);
        }
    }
}

/// What comes right before a Chinese `攝`: a boundary, an optional
/// organisation/role prefix, then one to four names of 2–4 Han characters.
static CHINESE_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|(?P<bound>[。！？!?”」』）)])|(?P<open>[(（]))[ ]?(?:中新社|中新網|中新网|新华社|新華社|人民网|人民網|本报|本報|央视网)?(?:记者|記者|發|发)?[ ]?(?P<names>\p{Han}{2,4}(?:[ 、]\p{Han}{2,4}){0,3})[ ]?[/／]?[ ]?$",
    )
    .expect("static regex")
});

/// Characters before `攝` searched for a credit: a boundary, a prefix such
/// as `中新社记者` and four names of four characters fit.
const CREDIT_WINDOW: usize = 40;
/// Credits taken from one paragraph at most; more is not wire copy.
const MAX_CREDITS_PER_PARAGRAPH: usize = 32;

/// Characters after `摄` that make it a word (`摄影`, `摄像`), not a credit.
const NOT_CREDIT_AFTER: &[char] = &[
    '影', '像', '制', '製', '入', '氏', '取', '政', '護', '护', '于', '於',
];
/// Last characters before `摄` that make it a verb (`拍摄`, `所摄`).
const NOT_CREDIT_BEFORE: &[char] = &['拍', '所', '被', '航', '偷', '抓', '自', '跟', '攝', '摄'];

/// Credits in other scripts, each with a `name` group (or `org`), and
/// words of which every match holds at least one. Most paragraphs hold
/// none of them, and finding that out with a substring search is much
/// cheaper than running the end-anchored patterns, which read long runs of
/// letters backwards before they fail.
static OTHER_CREDITS: LazyLock<Vec<(Regex, &'static [&'static str])>> = LazyLock::new(|| {
    let name = r"\p{Lu}[\p{L}.'’\-]*(?:[ ]\p{Lu}[\p{L}.'’\-]*){0,3}";
    let reuters: &[&str] = &["Reuters/", "REUTERS/"];
    [
        (r"\((?:Reuters|REUTERS)/(?P<name>[^()/]{2,60}?)(?:/File(?: Photo)?)?\)".to_string(), reuters),
        (format!(r"(?:REUTERS|Reuters)/(?P<name>{name})(?:/File(?: Photo)?)?"), reuters),
        (r"\(?AP Photo/(?P<name>[^()/,]{2,60}?)(?:,[ ]?File)?\)".to_string(), &["AP Photo/"]),
        (format!(r"(?P<name>{name})[ ]?/[ ]?(?:AFP|dpa|EFE|AP)(?:[ ]via[ ]Getty[ ]Images|/Getty[ ]Images)?\.?$"), &["AFP", "dpa", "EFE", "AP"]),
        (format!(r"(?:EFE|AFP)[ ]?/[ ]?(?P<name>{name})\.?$"), &["EFE", "AFP"]),
        (r"(?:^|[.|][ ]?)(?P<credit>(?:[Pp]hoto|[Pp]hotograph|Foto|Bild)(?:[ ]?:|[ ]by))[ ]?(?P<name>[^/\n]{2,60}?)(?:[ ]?/[ ]?(?P<org>[^/\n]{2,30}))?\.?$".to_string(), &["hoto", "Foto", "Bild"]),
        (r"[(（]?写真[・:：][ ]?(?P<name>[^()（）\n]{1,30}?)[)）]?$".to_string(), &["写真"]),
        (r"[(（][^()（）＝=]{1,10}[＝=][^()（）／/]{1,20}[／/](?P<name>[^()（）]{1,20})[)）]".to_string(), &["=", "＝"]),
        (r"[(（](?P<name>[^()（）\s]{1,20}?)(?:氏)?撮影[)）]".to_string(), &["撮影"]),
        (r"[(\[]사진[ ]?=[ ]?(?P<name>(?:[^()\[\]]|\([^()]*\))*)[)\]]".to_string(), &["사진"]),
    ]
    .into_iter()
    .map(|(p, words)| (Regex::new(&p).expect("static regex"), words))
    .collect()
});

/// One credit found in a paragraph.
/// Every word a credit rule needs (`攝` and each rule's words): a
/// paragraph with none of them is passed over in one scan.
static CREDIT_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let words = OTHER_CREDITS
        .iter()
        .flat_map(|(_, words)| words.iter().copied())
        .chain(["摄", "攝"]);
    AhoCorasick::new(words).expect("static patterns")
});

struct Hit {
    /// Byte range of the credit.
    start: usize,
    end: usize,
    names: Vec<String>,
    /// Whether the caption is only the last sentence before the credit.
    sentence_caption: bool,
}

fn chinese_hit(text: &str) -> Option<Hit> {
    for (pos, c) in text
        .char_indices()
        .filter(|(_, c)| matches!(c, '摄' | '攝'))
    {
        let after = &text[pos + c.len_utf8()..];
        if after.starts_with(NOT_CREDIT_AFTER) {
            continue;
        }
        // Only a short window before `攝` can hold a credit; searching the
        // whole prefix would make a paragraph full of `攝` quadratic.
        let window_start = text[..pos]
            .char_indices()
            .rev()
            .nth(CREDIT_WINDOW)
            .map_or(0, |(i, _)| i);
        let before = &text[window_start..pos];
        let Some(caps) = CHINESE_CREDIT.captures(before) else {
            continue;
        };
        // A cut window has no paragraph start: `^` would be a false boundary.
        if window_start > 0 && caps.name("open").is_none() && caps.name("bound").is_none() {
            continue;
        }
        let names_m = caps.name("names")?;
        if names_m.as_str().ends_with(NOT_CREDIT_BEFORE) {
            continue;
        }
        // The credit starts at its parenthesis, else right after the boundary.
        let start = window_start
            + match (caps.name("open"), caps.name("bound")) {
                (Some(open), _) => open.start(),
                (None, Some(bound)) => bound.end(),
                (None, None) => 0,
            };
        let mut end = pos + c.len_utf8();
        if caps.name("open").is_some() && after.starts_with([')', '）']) {
            end += after.chars().next().map_or(0, char::len_utf8);
        }
        return Some(Hit {
            start,
            end,
            names: chinese_names(names_m.as_str()),
            sentence_caption: true,
        });
    }
    None
}

fn other_hit(text: &str) -> Option<Hit> {
    let caps = OTHER_CREDITS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| text.contains(w)))
        .filter_map(|(re, _)| re.captures(text))
        .min_by_key(|c| c.get(0).map_or(usize::MAX, |m| m.start()))?;
    let whole = caps.get(0)?;
    let raw = caps.name("name").map_or("", |m| m.as_str()).trim();
    let raw = if raw.starts_with("저작권자") {
        "연합뉴스"
    } else {
        raw
    };
    let mut names = if raw.chars().any(super::unicode::is_cjk) {
        vec![raw.to_string()]
    } else {
        latin_names(raw)
    };
    if names.is_empty()
        && let Some(org) = caps.name("org")
    {
        names.push(org.as_str().trim().to_string());
    }
    // A `Photo:` credit after `.`/`|` starts at the word, not the separator.
    let start = caps.name("credit").map_or(whole.start(), |m| m.start());
    Some(Hit {
        start,
        end: whole.end(),
        names,
        sentence_caption: false,
    })
}

/// Splits the text before a Chinese credit into (body before, caption):
/// the caption is the last sentence.
fn split_last_sentence(text: &str) -> (&str, &str) {
    let trimmed = text.trim_end();
    let mut cut = 0;
    let mut chars = trimmed.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_last = chars.peek().is_none();
        if !is_last && matches!(c, '。' | '！' | '？' | '!' | '?') {
            let mut j = i + c.len_utf8();
            // A closing quote belongs to the sentence it ends.
            while let Some(&(k, q)) = chars.peek() {
                if matches!(q, '”' | '」' | '』') {
                    j = k + q.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            if j < trimmed.len() {
                cut = j;
            }
        }
    }
    (&trimmed[..cut], &trimmed[cut..])
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if !value.is_empty() && !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

/// Takes credits and captions out of the paragraphs.
pub fn take(paragraphs: &mut Vec<String>) -> Credits {
    let mut credits = Credits::default();
    let mut out = Vec::with_capacity(paragraphs.len());
    for paragraph in paragraphs.drain(..) {
        if !CREDIT_WORDS.is_match(&paragraph) {
            out.push(paragraph);
            continue;
        }
        let mut rest = paragraph;
        // A paragraph may hold several glued caption+credit pairs.
        for round in 0.. {
            let hit = if round < MAX_CREDITS_PER_PARAGRAPH {
                chinese_hit(&rest).or_else(|| other_hit(&rest))
            } else {
                tracing::debug!(
                    round,
                    "Too many photo credits in one paragraph; rest left as is."
                );
                None
            };
            let Some(hit) = hit else {
                out.push(rest);
                break;
            };
            let before = &rest[..hit.start];
            let (body_before, caption) = if hit.sentence_caption {
                split_last_sentence(before)
            } else {
                ("", before)
            };
            let caption = caption.trim().trim_end_matches([' ', '-', '—', '|']).trim();
            push_unique(&mut credits.captions, caption);
            for name in &hit.names {
                push_unique(&mut credits.photographers, name);
            }
            if !body_before.trim().is_empty() {
                out.push(body_before.trim().to_string());
            }
            rest = rest[hit.end..].trim().to_string();
            if rest.is_empty() {
                break;
            }
        }
    }
    *paragraphs = out;
    credits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(paragraphs: &[&str]) -> (Vec<String>, Credits) {
        let mut p: Vec<String> = paragraphs.iter().map(|s| s.to_string()).collect();
        let c = take(&mut p);
        (p, c)
    }

    #[test]
    fn glued_chinese_caption() {
        let (body, c) = run(&[
            "2025長三角產業創新發展大會在杭州市錢塘區舉行。王剛 攝當前,世界百年變局加速演進。",
        ]);
        assert_eq!(body, ["當前,世界百年變局加速演進。"]);
        assert_eq!(
            c.captions,
            ["2025長三角產業創新發展大會在杭州市錢塘區舉行。"]
        );
        assert_eq!(c.photographers, ["王剛"]);
    }

    #[test]
    fn caption_after_body_text_in_one_paragraph() {
        let (body, c) = run(&["正文第一句。图为游客在西湖边拍照。中新社记者 李志华 摄"]);
        assert_eq!(body, ["正文第一句。"]);
        assert_eq!(c.captions, ["图为游客在西湖边拍照。"]);
        assert_eq!(c.photographers, ["李志华"]);
    }

    #[test]
    fn parenthesized_xinhua_credit() {
        let (body, c) = run(&["7月1日，游客在景区参观。（新华社记者 王建华/摄）"]);
        assert!(body.is_empty(), "{body:?}");
        assert_eq!(c.captions, ["7月1日，游客在景区参观。"]);
        assert_eq!(c.photographers, ["王建华"]);
    }

    #[test]
    fn words_with_she_are_not_credits() {
        let text = "他们在现场拍摄。摄影师说摄像机很好。";
        let (body, c) = run(&[text]);
        assert_eq!(body, [text]);
        assert!(c.photographers.is_empty());
    }

    #[test]
    fn latin_credits() {
        let (body, c) = run(&[
            "A worker walks past solar panels in Hangzhou, China, March 3, 2025. REUTERS/Tingshu Wang",
            "Protesters gather in Seoul. (AP Photo/Ahn Young-joon)",
            "Police at the scene. Kent Nishimura/AFP via Getty Images",
            "JIM WATSON/AFP/Getty Images",
            "Fernando Caudevilla, AKA DoctorX. Photo: Joseph Cox",
            "Cristina Gil Lladanosa, at the Barcelona testing lab | photo by Joan Bardeletti",
            "The summit opened on Monday.",
        ]);
        assert_eq!(body, ["The summit opened on Monday."]);
        assert_eq!(
            c.photographers,
            [
                "Tingshu Wang",
                "Ahn Young-joon",
                "Kent Nishimura",
                "JIM WATSON",
                "Joseph Cox",
                "Joan Bardeletti"
            ]
        );
        assert_eq!(c.captions[1], "Protesters gather in Seoul.");
        assert_eq!(c.captions[3], "Fernando Caudevilla, AKA DoctorX.");
        assert_eq!(
            c.captions[4],
            "Cristina Gil Lladanosa, at the Barcelona testing lab"
        );
    }

    #[test]
    fn agency_first_and_labelled_credits() {
        let (body, c) = run(&[
            "Vista de la Puerta del Sol. EFE / J. P. Gandul.",
            "Einsatzkräfte vor dem Gebäude. Bild: Polizeiinspektion Magdeburg/dpa",
            "記者会見する首相（写真・共同）",
            "首脳会談に臨む両首脳 写真：ロイター",
        ]);
        assert!(body.is_empty(), "{body:?}");
        assert_eq!(
            c.photographers,
            [
                "J. P. Gandul",
                "Polizeiinspektion Magdeburg",
                "共同",
                "ロイター"
            ]
        );
        assert_eq!(
            c.captions,
            [
                "Vista de la Puerta del Sol.",
                "Einsatzkräfte vor dem Gebäude.",
                "記者会見する首相",
                "首脳会談に臨む両首脳"
            ]
        );
    }

    #[test]
    fn japanese_and_korean_credits() {
        let (body, c) = run(&[
            "記者会見する王毅外相（北京＝新華社記者／傅天）",
            "회담하는 양국 정상 (사진=저작권자(c) 연합뉴스, 무단 전재-재배포 금지)",
        ]);
        assert!(body.is_empty(), "{body:?}");
        assert_eq!(c.photographers, ["傅天", "연합뉴스"]);
        assert_eq!(c.captions, ["記者会見する王毅外相", "회담하는 양국 정상"]);
    }
}
