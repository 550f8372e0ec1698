//! Article pages: per-source selectors first, a generic extractor second.
//!
//! FIRST VERSION: selectors, else `h1` and the paragraphs of `article`/`body`.

use crate::config::ArticleSelectors;
use crate::model::ExtractedArticle;
use scraper::{Html, Selector};

/// Extracts the story from an article page. Selectors given by the source
/// win; anything they do not find falls back to the generic extractor.
pub fn extract(
    html: &str,
    url: &url::Url,
    selectors: Option<&ArticleSelectors>,
    _timezone: &str,
) -> ExtractedArticle {
    let doc = Html::parse_document(html);
    let pick = |css: Option<&toml::Spanned<String>>, fallback: &str| -> Option<String> {
        let css = css.map(|s| s.get_ref().as_str()).unwrap_or(fallback);
        let sel = Selector::parse(css).ok()?;
        let text: String = doc.select(&sel).next()?.text().collect();
        let text = text.trim().to_string();
        (!text.is_empty()).then_some(text)
    };
    let title = pick(selectors.and_then(|s| s.title.as_ref()), "h1")
        .or_else(|| pick(None, "title"))
        .unwrap_or_default();
    let body_css = selectors
        .and_then(|s| s.body.as_ref())
        .map(|s| s.get_ref().as_str())
        .unwrap_or("article, body");
    let mut body = Vec::new();
    if let (Ok(container), Ok(p)) = (Selector::parse(body_css), Selector::parse("p")) {
        if let Some(root) = doc.select(&container).next() {
            for para in root.select(&p) {
                let text: String = para.text().collect::<String>().trim().to_string();
                if !text.is_empty() {
                    body.push(text);
                }
            }
        }
    }
    let authors = pick(selectors.and_then(|s| s.author.as_ref()), "[rel=author]")
        .into_iter()
        .collect();
    ExtractedArticle {
        url: url.to_string(),
        title,
        body,
        authors,
        ..ExtractedArticle::default()
    }
}
