//! What polywire would make of a few of a discovered index's stories.

use super::Discovery;
use crate::classify::{Taxonomy, classify};
use crate::config::IndexKind;
use crate::extract;
use crate::fetch::Fetcher;
use crate::normalize::{NormalizeContext, normalize_story};

/// Stories previewed.
pub const PREVIEW_STORIES: usize = 5;

/// Body text below which generic extraction is taken to have missed the
/// story, so the source needs `[article]` selectors.
pub const THIN_BODY_CHARS: usize = 200;

/// One previewed story.
#[derive(Debug, Clone)]
pub struct PreviewStory {
    /// Story URL.
    pub url: String,
    /// Clean headline.
    pub title: String,
    /// Publication time, RFC 3339, when known.
    pub published: Option<String>,
    /// Detected language.
    pub lang: String,
    /// Region tags, best first.
    pub regions: Vec<String>,
    /// Industry tags, best first.
    pub industries: Vec<String>,
    /// Characters of body text extracted.
    pub body_chars: usize,
    /// Generic extraction gave little text: the page needs selectors.
    pub needs_selectors: bool,
    /// Why the story could not be previewed, if it could not.
    pub error: Option<String>,
}

/// Previews up to [`PREVIEW_STORIES`] stories: the index entry's own content
/// for feeds that carry it, else the story page with generic extraction.
pub async fn preview(
    fetcher: &Fetcher,
    found: &Discovery,
    taxonomy: &Taxonomy,
) -> Vec<PreviewStory> {
    let mut out = Vec::new();
    let ctx = NormalizeContext {
        source: "preview".into(),
        language: found.language.clone(),
        timezone: found.timezone.clone(),
        fetched_at: jiff::Timestamp::now(),
    };
    for entry in found.entries.iter().take(PREVIEW_STORIES) {
        let from_entry = extract::entry_to_article(entry);
        let entry_chars: usize = from_entry.body.iter().map(|p| p.chars().count()).sum();
        let carries = !matches!(found.kind, IndexKind::Html | IndexKind::Sitemap);
        let extracted = if carries && entry_chars >= THIN_BODY_CHARS {
            from_entry
        } else {
            match super::fetch(fetcher, &entry.url).await {
                Ok(doc) => {
                    let mut page =
                        extract::extract_article(&doc.text, &doc.url, None, &found.timezone);
                    if page.title.is_empty() {
                        page.title = entry.title.clone().unwrap_or_default();
                    }
                    page.published = page.published.or(entry.published);
                    page
                }
                Err(e) => {
                    out.push(PreviewStory {
                        url: entry.url.clone(),
                        title: entry.title.clone().unwrap_or_default(),
                        published: None,
                        lang: String::new(),
                        regions: Vec::new(),
                        industries: Vec::new(),
                        body_chars: 0,
                        needs_selectors: false,
                        error: Some(e.to_string()),
                    });
                    continue;
                }
            }
        };
        let normalized = normalize_story(extracted, &ctx);
        let tags = classify(&normalized.article, taxonomy);
        let article = &normalized.article;
        let body_chars: usize = article.body.iter().map(|p| p.chars().count()).sum();
        out.push(PreviewStory {
            url: article.url.clone(),
            title: article.title.clone(),
            published: article.published.map(|t| t.to_string()),
            lang: article.lang.clone(),
            regions: tags.regions.iter().map(|t| t.id.clone()).collect(),
            industries: tags.industries.iter().map(|t| t.id.clone()).collect(),
            body_chars,
            needs_selectors: body_chars < THIN_BODY_CHARS,
            error: None,
        });
    }
    out
}

/// Whether most previewed stories need selectors.
pub fn needs_selectors(stories: &[PreviewStory]) -> bool {
    let read: Vec<&PreviewStory> = stories.iter().filter(|s| s.error.is_none()).collect();
    !read.is_empty() && read.iter().filter(|s| s.needs_selectors).count() * 2 > read.len()
}

/// The preview as text lines for the terminal.
pub fn render(stories: &[PreviewStory]) -> String {
    let mut out = String::new();
    for s in stories {
        out.push_str(&format!("- {}\n  {}\n", s.title, s.url));
        if let Some(err) = &s.error {
            out.push_str(&format!("  not fetched: {err}\n"));
            continue;
        }
        out.push_str(&format!(
            "  date {} · lang {} · regions {} · industries {} · {} chars{}\n",
            s.published.as_deref().unwrap_or("-"),
            s.lang,
            if s.regions.is_empty() {
                "-".into()
            } else {
                s.regions.join(", ")
            },
            if s.industries.is_empty() {
                "-".into()
            } else {
                s.industries.join(", ")
            },
            s.body_chars,
            if s.needs_selectors {
                " · needs [article] selectors"
            } else {
                ""
            },
        ));
    }
    out
}
