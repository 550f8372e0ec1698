//! Normalization: turns an [`ExtractedArticle`] into a clean [`Article`].
//!
//! Pure: text in, value out, no I/O. FIRST VERSION: only copies fields and
//! detects the script; the normalization issue fills in Unicode clean-up,
//! ruby leaks, datelines, credits, end markers, dates, language and the
//! fingerprint.

pub mod script;

use crate::model::{Article, ExtractedArticle, Precision};
use jiff::Timestamp;

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

/// Normalizes one story.
pub fn normalize(extracted: ExtractedArticle, ctx: &NormalizeContext) -> Article {
    let joined = extracted.body.join("\n");
    let lang = ctx
        .language
        .split('-')
        .next()
        .unwrap_or("und")
        .to_ascii_lowercase();
    let script = if lang == "zh" {
        script::detect_script(&format!("{}\n{}", extracted.title, joined))
    } else {
        None
    };
    let summary = extracted
        .summary
        .clone()
        .or_else(|| extracted.body.first().cloned())
        .unwrap_or_default();
    Article {
        url: extracted.url,
        source: ctx.source.clone(),
        title: extracted.title,
        lang,
        script,
        published: extracted.published,
        zone: ctx.timezone.clone(),
        precision: Precision::Minute,
        dateline: None,
        authors: extracted.authors,
        photographers: Vec::new(),
        captions: extracted.captions,
        editors: Vec::new(),
        body: extracted.body,
        summary,
        categories: extracted.categories,
        image: extracted.image,
        fingerprint: 0,
        fetched_at: Some(ctx.fetched_at),
    }
}

/// Reads plain wire copy (one paragraph per line, no markup) as a story:
/// no title, every non-blank line a paragraph.
pub fn plain_text_story(text: &str) -> ExtractedArticle {
    ExtractedArticle {
        body: text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        ..ExtractedArticle::default()
    }
}
