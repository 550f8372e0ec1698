//! Finding feeds and story links in an HTML page.
//!
//! [`alternate_feeds`] reads the feeds a page declares. [`story_links_selector`]
//! finds, on a page without a feed, the repeated block of story links: links
//! whose URL looks like a story (a date or a long id in the path, an article
//! file name) and whose text reads like a headline, grouped by the container
//! they repeat in. The container that holds the most story links, and few
//! others, gives the selector (`ul.news-list a[href]`), which the caller
//! checks by reading the page with it.

use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use std::collections::HashMap;
use std::sync::LazyLock;
use url::Url;

/// Fewest story links a listing must give.
pub const MIN_STORY_LINKS: usize = 3;

/// Share of a container's links that must look like stories.
const MIN_PRECISION: f32 = 0.6;

/// Ancestors searched for the repeating container.
const MAX_DEPTH: usize = 5;

/// The feeds a page declares with `<link rel="alternate">` (RSS, Atom,
/// JSON Feed), resolved, in page order.
pub fn alternate_feeds(html: &Html, base: &Url) -> Vec<Url> {
    let selector = Selector::parse("link[href]").expect("static selector");
    let mut out: Vec<Url> = Vec::new();
    for link in html.select(&selector) {
        let el = link.value();
        let rel = el.attr("rel").unwrap_or("").to_ascii_lowercase();
        let kind = el.attr("type").unwrap_or("").to_ascii_lowercase();
        let is_feed = kind.contains("rss+xml")
            || kind.contains("atom+xml")
            || kind.contains("feed+json")
            || kind == "application/json" && rel.contains("alternate");
        if !rel.split_whitespace().any(|r| r == "alternate") || !is_feed {
            continue;
        }
        if let Some(url) = el.attr("href").and_then(|h| base.join(h.trim()).ok())
            && matches!(url.scheme(), "http" | "https")
            && !out.contains(&url)
        {
            out.push(url);
        }
    }
    out
}

static DATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?x)
        (?:^|/)(?:19|20)\d\d[/-]?(?:0[1-9]|1[0-2])[/-]?(?:[0-3]\d)?(?:/|$|[^0-9])   # 2026/12/07, 20261207, 2026-12
        | (?:^|/)(?:19|20)\d\d/(?:0?[1-9]|1[0-2])-?[0-3]?\d/                        # 2026/12-07/
        | \d{5,}                                                                    # a long id
    ").expect("static regex")
});

/// Whether a link looks like a story: same site, a date or a long id in the
/// path (or an article file name below a section), and headline-like text.
fn is_story_link(url: &Url, base: &Url, text: &str) -> bool {
    if url.host_str() != base.host_str() {
        return false;
    }
    let path = url.path();
    let segments = path.split('/').filter(|s| !s.is_empty()).count();
    let article_file = segments >= 2
        && [".html", ".htm", ".shtml", ".php"]
            .iter()
            .any(|x| path.to_ascii_lowercase().ends_with(x));
    if !(DATED.is_match(path) || article_file) {
        return false;
    }
    headline_like(text)
}

/// Long enough to be a headline: 6 CJK characters or 4 words.
fn headline_like(text: &str) -> bool {
    let cjk = text
        .chars()
        .filter(|c| crate::normalize::unicode::is_cjk(*c))
        .count();
    cjk >= 6 || text.split_whitespace().count() >= 4
}

/// A CSS-safe simple selector for an element: `tag#id` or `tag.first-class`.
fn simple_selector(el: &ElementRef<'_>) -> Option<String> {
    let value = el.value();
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && !s.starts_with(|c: char| c.is_ascii_digit() || c == '-')
    };
    if let Some(id) = value.id().filter(|id| ident(id)) {
        return Some(format!("{}#{id}", value.name()));
    }
    let class = value.classes().find(|c| ident(c))?;
    Some(format!("{}.{class}", value.name()))
}

/// The selector of the page's repeated block of story links, if one holds
/// at least [`MIN_STORY_LINKS`] of them with few other links.
pub fn story_links_selector(html: &Html, base: &Url) -> Option<String> {
    let anchors = Selector::parse("a[href]").expect("static selector");
    let resolve = |a: &ElementRef<'_>| {
        a.value()
            .attr("href")
            .and_then(|h| base.join(h.trim()).ok())
    };
    let text = |a: &ElementRef<'_>| a.text().collect::<Vec<_>>().join(" ").trim().to_string();
    // Candidate containers: the identified ancestors of story links.
    let mut stories: HashMap<String, usize> = HashMap::new();
    for a in html.select(&anchors) {
        let Some(url) = resolve(&a) else { continue };
        if !is_story_link(&url, base, &text(&a)) {
            continue;
        }
        let mut seen = Vec::new();
        let mut node = a.parent().and_then(ElementRef::wrap);
        for _ in 0..MAX_DEPTH {
            let Some(el) = node else { break };
            if let Some(sel) = simple_selector(&el)
                && !seen.contains(&sel)
            {
                *stories.entry(sel.clone()).or_default() += 1;
                seen.push(sel);
            }
            node = el.parent().and_then(ElementRef::wrap);
        }
    }
    // The container whose links are mostly stories and that holds the most
    // of them; the narrower one wins a tie (fewer links in all).
    let mut best: Option<(usize, usize, String)> = None;
    for (container, count) in stories {
        if count < MIN_STORY_LINKS {
            continue;
        }
        let selector = format!("{container} a[href]");
        let Ok(parsed) = Selector::parse(&selector) else {
            continue;
        };
        let mut all = 0usize;
        let mut story = 0usize;
        for a in html.select(&parsed) {
            all += 1;
            if resolve(&a).is_some_and(|u| is_story_link(&u, base, &text(&a))) {
                story += 1;
            }
        }
        if story < MIN_STORY_LINKS || (story as f32) < MIN_PRECISION * all as f32 {
            continue;
        }
        let better = match &best {
            None => true,
            Some((best_story, best_all, best_sel)) => {
                (
                    story,
                    std::cmp::Reverse(all),
                    std::cmp::Reverse(selector.len()),
                ) > (
                    *best_story,
                    std::cmp::Reverse(*best_all),
                    std::cmp::Reverse(best_sel.len()),
                )
            }
        };
        if better {
            best = Some((story, all, selector));
        }
    }
    best.map(|(_, _, selector)| selector)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><head>
        <link rel="alternate" type="application/rss+xml" href="/rss.xml">
        <link rel="alternate" type="application/atom+xml" href="https://example.com/atom.xml">
        <link rel="stylesheet" href="/s.css">
        <link rel="alternate" hreflang="en" href="/en/">
        </head><body>
        <nav class="menu"><a href="/news/">新闻频道首页</a><a href="/about.html">关于我们</a></nav>
        <ul class="news-list">
          <li><a href="/2026/12-07/10234567.shtml">长三角生物医药产业联盟在杭州成立</a></li>
          <li><a href="/2026/12-07/10234568.shtml">粤港澳大湾区跨境数据流动试点启动</a></li>
          <li><a href="/2026/12-06/10234511.shtml">成渝地区双城经济圈新能源汽车产量增长</a></li>
          <li><a href="/2026/12-06/10234512.shtml">上海自贸区发布新一批金融开放措施</a></li>
        </ul>
        <div class="hot"><a href="/2026/12-01/10230000.shtml">热</a><a href="/topics/">专题</a></div>
        <footer class="foot"><a href="/contact.html">联系我们</a></footer>
        </body></html>"#;

    #[test]
    fn declared_feeds_only() {
        let base = Url::parse("https://example.com/").unwrap();
        let got: Vec<String> = alternate_feeds(&Html::parse_document(PAGE), &base)
            .iter()
            .map(Url::to_string)
            .collect();
        assert_eq!(
            got,
            [
                "https://example.com/rss.xml",
                "https://example.com/atom.xml"
            ]
        );
    }

    #[test]
    fn the_repeated_block_of_dated_story_links() {
        let base = Url::parse("https://example.com/").unwrap();
        let got = story_links_selector(&Html::parse_document(PAGE), &base);
        assert_eq!(got.as_deref(), Some("ul.news-list a[href]"));
    }

    #[test]
    fn no_listing_without_enough_story_links() {
        let base = Url::parse("https://example.com/").unwrap();
        let page = r#"<ul class="x"><li><a href="/about.html">About us and our long history</a></li>
            <li><a href="https://other.example/2026/12/07/a.html">A story on another site entirely</a></li></ul>"#;
        assert_eq!(
            story_links_selector(&Html::parse_document(page), &base),
            None
        );
    }
}
