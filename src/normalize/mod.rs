//! Normalization: turns an [`ExtractedArticle`] into a clean [`Article`].
//!
//! Pure: text in, value out, no I/O. The steps run in this order, each in
//! its own module, because each one relies on the text the previous ones
//! left (docs/normalization.md explains every rule):
//!
//! 1. [`unicode`]: NFC, invisible characters, whitespace, full-width Latin;
//!    paragraphs split on newlines.
//! 2. [`ruby`]: leaked readings (`網(wǎng)`) out of every text of the story.
//!    Then [`furniture`]: page labels, times and teasers out of the body.
//! 3. [`credits`] and [`endmarks`]: photo credits and captions wherever
//!    they are glued; end markers, editor lines and footers off the end.
//! 4. [`dateline`]: agency, place, date and reporters off the start (then
//!    step 3 again, for what the dateline hid).
//! 6. [`dates`]: the dateline's year, the publication time and precision.
//! 7. [`lang`] and [`script`]: language and Chinese script.
//! 8. [`fingerprint`] and the summary.

pub mod agencies;
pub mod credits;
pub mod dateline;
pub mod dates;
pub mod endmarks;
pub mod fingerprint;
pub mod furniture;
pub mod lang;
pub mod ruby;
pub mod script;
pub mod summary;
pub mod unicode;

pub use fingerprint::same_story;

use crate::model::{Article, Dateline, ExtractedArticle, Precision, Script};
use dateline::DateHint;
use jiff::Timestamp;
use jiff::civil::Date;

/// What normalization needs to know besides the story itself.
#[derive(Debug, Clone)]
pub struct NormalizeContext {
    /// Source id.
    pub source: String,
    /// Language the source declares (`zh-Hans`, `en` ...).
    pub language: String,
    /// IANA zone of the source.
    pub timezone: String,
    /// When the story was fetched; dates without a year are read relative to it.
    pub fetched_at: Timestamp,
}

/// A normalized story and its text folded to Simplified: the title, then
/// each paragraph, one per line. The fingerprint was computed from it and
/// the full-text index reuses it, so the story goes through the phrase
/// converter once.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The story.
    pub article: Article,
    /// Title and body in Simplified Chinese (other text as it is).
    pub folded_text: String,
}

/// Normalizes one story.
pub fn normalize(extracted: ExtractedArticle, ctx: &NormalizeContext) -> Article {
    normalize_story(extracted, ctx).article
}

/// Normalizes one story and keeps its folded text ([`Normalized`]).
pub fn normalize_story(extracted: ExtractedArticle, ctx: &NormalizeContext) -> Normalized {
    // 1–2. Unicode clean-up and ruby leaks.
    let Cleaned {
        title,
        mut body,
        page_captions,
        survey,
    } = clean_texts(&extracted.title, extracted.body, &extracted.captions);

    // Page furniture first: a dateline behind it must become the first
    // paragraph.
    furniture::take(&mut body, &title);

    // 3–5. Wire metadata out of the body.
    // Credits and end markers uncover each other (a caption paragraph after
    // the end marker, a credit that starts a paragraph once the dateline is
    // gone), so they are peeled until nothing changes, before and after the
    // dateline is taken.
    let mut credits = credits::Credits::default();
    let mut tail = endmarks::Tail::default();
    let settled = peel(&mut body, &mut credits, &mut tail, PEEL_ROUNDS);
    let found = dateline::take(&mut body);
    // An agency only the dateline's shape told (not in the lexicon) signs
    // off with the same name.
    let own_tag = found
        .as_ref()
        .is_some_and(|f| endmarks::take_own_tag(&mut body, &f.agency));
    if !settled || own_tag {
        peel(&mut body, &mut credits, &mut tail, PEEL_ROUNDS);
    } else if !peel_first_paragraph(&mut body, &mut credits, &mut tail) {
        peel(&mut body, &mut credits, &mut tail, PEEL_ROUNDS - 1);
    }

    // 6. Dates.
    let zone = ctx.timezone.clone();
    let when = resolve_when(
        found.as_ref().map(|f| f.date),
        &tail,
        extracted.published,
        &extracted.url,
        ctx,
    );
    let dateline = found.as_ref().map(|f| Dateline {
        agency: f.agency.clone(),
        place: f.place.clone(),
        region: None,
        date: when.dateline_date,
    });

    // 7. Language and script.
    let title_and_text = title_and_body(&title, &body);
    // The title helps when the body is short or missing (a feed item).
    let lang = lang::detect(
        &title_and_text,
        &[extracted.lang.as_deref(), Some(&ctx.language)],
    );
    let script = (lang == "zh")
        .then(|| detect_zh_script(&title_and_text, extracted.lang.as_deref(), &ctx.language))
        .flatten();

    // 8. People, captions, summary, fingerprint.
    let mut authors = Vec::new();
    for name in extracted
        .authors
        .iter()
        .map(|a| single_line(&unicode::clean(a)))
        .chain(found.iter().flat_map(|f| f.authors.iter().cloned()))
        .chain(tail.authors.iter().cloned())
    {
        push_unique(&mut authors, name);
    }
    // Page captions (`figcaption`) carry credits too: `… REUTERS/Name`.
    let mut page_captions = page_captions;
    let mut all_credits = credits::take(&mut page_captions);
    all_credits.captions.append(&mut page_captions);
    all_credits.absorb(credits);
    let mut captions = Vec::new();
    for caption in all_credits.captions {
        push_unique(&mut captions, caption);
    }
    let summary = extracted
        .summary
        .as_deref()
        .map(|s| single_line(&unicode::clean(&ruby::strip(&unicode::clean(s), survey))))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| summary::lead(body.first().map_or("", String::as_str)));
    // No conversion phrase spans a newline, so the body's part of the
    // folded text is the body folded on its own.
    let folded_text = script::to_simplified(&title_and_text);
    let folded_body = folded_text.split_once('\n').map_or("", |(_, b)| b);
    let fingerprint = fingerprint::fingerprint_folded(folded_body);

    let article = Article {
        url: extracted.url,
        source: ctx.source.clone(),
        title,
        lang,
        script,
        published: when.published,
        zone,
        precision: when.precision,
        dateline,
        authors,
        photographers: all_credits.photographers,
        captions,
        editors: tail.editors,
        body,
        summary,
        categories: extracted.categories,
        image: extracted.image,
        fingerprint,
        fetched_at: Some(ctx.fetched_at),
    };
    Normalized {
        article,
        folded_text,
    }
}

/// Title, body and page captions after Unicode clean-up and ruby removal.
struct Cleaned {
    title: String,
    body: Vec<String>,
    page_captions: Vec<String>,
    /// The ruby survey of the story, reused for the publisher's summary.
    survey: ruby::Survey,
}

/// Steps 1–2: Unicode clean-up, paragraphs split on newlines, then leaked
/// readings removed, judged over title, body and captions at once.
fn clean_texts(title: &str, raw_body: Vec<String>, captions: &[String]) -> Cleaned {
    // A byline run into the dateline is split at its wide gap before the
    // gap is collapsed.
    let mut raw_body = raw_body;
    if let Some((by, rest)) = raw_body.first().and_then(|p| dateline::split_byline_run(p)) {
        raw_body.splice(0..1, [by, rest]);
    }
    let mut body: Vec<String> = Vec::with_capacity(raw_body.len());
    for raw in &raw_body {
        let cleaned = unicode::clean(raw);
        if cleaned.contains('\n') {
            body.extend(unicode::paragraphs(&cleaned).map(str::to_string));
        } else if !cleaned.is_empty() {
            // Cleaned text is trimmed: a single line is its only paragraph.
            body.push(cleaned);
        }
    }
    let n_body = body.len();
    let mut texts: Vec<String> = body
        .into_iter()
        .chain(captions.iter().map(|c| single_line(&unicode::clean(c))))
        .chain([single_line(&unicode::clean(title))])
        .collect();
    let lengths: Vec<usize> = texts.iter().map(String::len).collect();
    let survey = ruby::strip_all(&mut texts);
    // Removing a reading can leave two spaces side by side: clean again.
    // Stripping only removes text, so a text of the same length is
    // unchanged and still clean.
    for (text, before) in texts.iter_mut().zip(lengths) {
        if text.len() != before {
            *text = single_line(&unicode::clean(text));
        }
    }
    let title = texts.pop().unwrap_or_default();
    let page_captions = texts.split_off(n_body);
    let body = texts.into_iter().filter(|p| !p.is_empty()).collect();
    Cleaned {
        title,
        body,
        page_captions,
        survey,
    }
}

/// The dateline's full date and the publication time with its precision.
struct When {
    dateline_date: Option<Date>,
    published: Option<Timestamp>,
    precision: Precision,
}

/// Step 6. The reference day for the missing year is the known publication
/// time (page, feed or Yonhap's filing line), else a date in the URL, else
/// the fetch time, taken in the source's zone. Without a publication time
/// the story is dated to the day: dateline, CNA tail or URL date.
fn resolve_when(
    hint: Option<DateHint>,
    tail: &endmarks::Tail,
    published: Option<Timestamp>,
    url: &str,
    ctx: &NormalizeContext,
) -> When {
    let zone = ctx.timezone.as_str();
    let filed = tail
        .filed
        .and_then(|dt| dt.in_tz(zone).ok())
        .map(|z| z.timestamp());
    let known = published.or(filed);
    let url_date = dates::date_in_url(url);
    let reference = match (known, url_date) {
        (Some(ts), _) => dates::local_date(ts, zone),
        (None, Some(day)) => day,
        (None, None) => dates::local_date(ctx.fetched_at, zone),
    };
    let dateline_date = hint.and_then(|h| resolve_date(h, tail.date, reference));
    let (published, precision) = match (known, dateline_date.or(tail.date).or(url_date)) {
        (Some(ts), _) => (Some(ts), Precision::Minute),
        (None, Some(day)) => (dates::start_of_day(day, zone), Precision::Day),
        (None, None) => (None, Precision::Minute),
    };
    When {
        dateline_date,
        published,
        precision,
    }
}

/// Takes credits and end markers until the body stops changing.
/// Returns whether the body settled (a round changed nothing) within
/// `rounds` rounds.
fn peel(
    body: &mut Vec<String>,
    credits: &mut credits::Credits,
    tail: &mut endmarks::Tail,
    rounds: usize,
) -> bool {
    // Each round that changes the body removes text, so this ends; the
    // bound only guards against a rule that someday would not.
    for _ in 0..rounds {
        // Both steps only ever remove text, and a step that finds something
        // removes at least that: the body is unchanged exactly when its
        // length is, and measuring it spares a copy of the body per round.
        let before = text_len(body);
        credits.absorb(credits::take(body));
        tail.absorb(endmarks::take(body));
        if text_len(body) == before {
            return true;
        }
    }
    false
}

/// Rounds of [`peel`] before and after the dateline, each.
const PEEL_ROUNDS: usize = 8;

/// The first round of [`peel`] after the dateline is taken from a body
/// that had settled, looking only where something can have changed: taking
/// the dateline rewrites or removes the first paragraph and may remove the
/// second, so every other paragraph is one credits found nothing in, and
/// unless the first is the only one left the last is one end markers found
/// nothing in (both read a paragraph on its own). Returns whether the body
/// settled; if not, the caller goes on with full rounds.
fn peel_first_paragraph(
    body: &mut Vec<String>,
    credits: &mut credits::Credits,
    tail: &mut endmarks::Tail,
) -> bool {
    let before = text_len(body);
    let rest = body.split_off(body.len().min(1));
    credits.absorb(credits::take(body));
    let last_is_settled = !rest.is_empty();
    body.extend(rest);
    if !last_is_settled {
        tail.absorb(endmarks::take(body));
    }
    text_len(body) == before
}

/// Bytes of text in the paragraphs.
fn text_len(body: &[String]) -> usize {
    body.iter().map(String::len).sum()
}

/// Reads a plain-text wire story (the seed format: paragraphs one per line,
/// the dateline at the start of the first, no headline line) as an
/// extracted article. The title stays empty: a wire story's first line is
/// its lead, and making a headline out of it would invent one.
pub fn plain_text_story(text: &str) -> ExtractedArticle {
    ExtractedArticle {
        body: text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        ..ExtractedArticle::default()
    }
}

/// The dateline's date with the year (and for day-only datelines, the
/// month) inferred; a date stated at the end (CNA's Minguo tail) wins when
/// it agrees or the dateline has none.
fn resolve_date(hint: DateHint, tail: Option<Date>, reference: Date) -> Option<Date> {
    let inferred = match hint {
        DateHint::MonthDay(m, d) => dates::infer_year(m, d, reference),
        DateHint::Day(d) => dates::infer_month(d, reference),
        DateHint::Full(date) => Some(date),
        DateHint::None => None,
    };
    match (inferred, tail) {
        (Some(date), Some(t)) if date.day() == t.day() => Some(t),
        (Some(date), _) => Some(date),
        (None, t) => t,
    }
}

/// The title and the paragraphs, one per line, built in one buffer: the
/// text language detection, script conversion and the full-text index
/// read.
pub fn title_and_body(title: &str, body: &[String]) -> String {
    let mut out =
        String::with_capacity(title.len() + body.iter().map(|p| p.len() + 1).sum::<usize>());
    out.push_str(title);
    out.push('\n');
    for (i, para) in body.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(para);
    }
    out
}

/// The script of a Chinese story, judged on the first 2,000 characters of
/// its title and body (`title_and_text`, one per line).
fn detect_zh_script(
    title_and_text: &str,
    page_lang: Option<&str>,
    source_lang: &str,
) -> Option<Script> {
    script::detect_script(unicode::first_chars(title_and_text, 2000)).or_else(|| {
        [page_lang, Some(source_lang)]
            .into_iter()
            .flatten()
            .find_map(|tag| {
                let tag = tag.to_ascii_lowercase();
                if ["hant", "-tw", "-hk", "-mo"]
                    .iter()
                    .any(|t| tag.contains(t))
                {
                    Some(Script::Hant)
                } else if ["hans", "-cn", "-sg"].iter().any(|t| tag.contains(t)) {
                    Some(Script::Hans)
                } else {
                    None
                }
            })
    })
}

fn single_line(text: &str) -> String {
    unicode::paragraphs(text).collect::<Vec<_>>().join(" ")
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !value.is_empty() && !list.contains(&value) {
        list.push(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Credits, end markers and body after the dateline, peeled as
    /// `normalize_story` does, and with full rounds only.
    fn peel_both_ways(paragraphs: &[&str]) -> [(Vec<String>, credits::Credits, endmarks::Tail); 2] {
        let mut body: Vec<String> = paragraphs.iter().map(|p| p.to_string()).collect();
        let (mut credits, mut tail) = Default::default();
        assert!(peel(&mut body, &mut credits, &mut tail, PEEL_ROUNDS));
        dateline::take(&mut body);
        let (mut short, mut full) = (
            (body.clone(), credits.clone(), tail.clone()),
            (body, credits, tail),
        );
        if !peel_first_paragraph(&mut short.0, &mut short.1, &mut short.2) {
            peel(&mut short.0, &mut short.1, &mut short.2, PEEL_ROUNDS - 1);
        }
        peel(&mut full.0, &mut full.1, &mut full.2, PEEL_ROUNDS);
        [short, full]
    }

    #[test]
    fn first_paragraph_round_peels_what_full_rounds_do() {
        // The dateline uncovers a credit that starts the first paragraph.
        let [short, full] = peel_both_ways(&[
            "新华社北京7月1日电 游客在景区参观。（新华社记者 王建华/摄）",
            "今年暑期旅游市场持续升温。",
        ]);
        assert_eq!(short, full);
        assert_eq!(short.1.photographers, ["王建华"]);
        // A one-paragraph story: its end marker is its first paragraph's.
        let [short, full] = peel_both_ways(&["中新社北京3月8日电 配合好社区的防疫工作。(完)"]);
        assert_eq!(short, full);
        assert_eq!(short.0, ["配合好社区的防疫工作。"]);
        for story in [
            &[
                "BEIJING, March 31 (Xinhua) -- The summit opened on Monday.",
                "It ends on Friday.",
            ][..],
            &[
                "The summit opened on Monday.",
                "(Reporting by Jane Doe; Editing by John Roe)",
            ],
            &[],
        ] {
            let [short, full] = peel_both_ways(story);
            assert_eq!(short, full, "{story:?}");
        }
    }
}
