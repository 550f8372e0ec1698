//! News sitemaps (<https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap>).
//!
//! A `<urlset>` lists stories: `loc`, `lastmod`, and with the `news:`
//! extension a title, publication date, language and publication name;
//! `image:image` gives the lead image. A `<sitemapindex>` lists child
//! sitemaps only; following them is the caller's job (it knows the fetch
//! budget), so they come back as [`Sitemap::Index`].

use super::ExtractError;
use super::feed::text::{RepairedText, collapse_whitespace, non_empty};
use super::feed::xml::{self, Element, Ns};
use crate::model::IndexEntry;
use jiff::tz::TimeZone;
use url::Url;

/// A sitemap document: stories, or child sitemaps to fetch next.
#[derive(Debug, Clone, PartialEq)]
pub enum Sitemap {
    /// A `<urlset>`: one entry per `<url>` with a usable `loc`.
    Urls(Vec<IndexEntry>),
    /// A `<sitemapindex>`: absolute URLs of the child sitemaps, newest
    /// (`lastmod`) first when dated, else in document order.
    Index(Vec<String>),
}

/// Reads a sitemap or sitemap index. `url` is where it was fetched.
pub fn parse(text: &str, url: Option<&Url>, zone: &TimeZone) -> Result<Sitemap, ExtractError> {
    let root = xml::parse(text, url).ok_or_else(|| ExtractError::Feed("no XML element".into()))?;
    let loc = |el: &Element| {
        el.child(|e| e.is_core("loc"))
            .and_then(|l| el.resolve(&l.repaired_text()))
    };
    let date =
        |el: Option<&Element>| el.and_then(|d| super::dates::parse_date(&d.repaired_text(), zone));
    if root.name.eq_ignore_ascii_case("sitemapindex") {
        let mut children: Vec<(Option<jiff::Timestamp>, String)> = root
            .elements()
            .filter(|e| e.is_core("sitemap"))
            .filter_map(|s| Some((date(s.child(|e| e.is_core("lastmod"))), loc(s)?)))
            .collect();
        // Stable sort: undated children keep their order after dated ones.
        children.sort_by_key(|c| std::cmp::Reverse(c.0));
        let mut seen = std::collections::HashSet::new();
        return Ok(Sitemap::Index(
            children
                .into_iter()
                .map(|(_, u)| u)
                .filter(|u| seen.insert(u.clone()))
                .collect(),
        ));
    }
    if !root.name.eq_ignore_ascii_case("urlset") {
        return Err(ExtractError::Feed(format!(
            "root element <{}> is not a sitemap",
            root.name
        )));
    }
    let entries = root
        .elements()
        .filter(|e| e.is_core("url"))
        .filter_map(|u| {
            let url = loc(u)?;
            let news = u.child(|e| e.is(Ns::News, "news"));
            let news_field = |name: &str| news.and_then(|n| n.child(|e| e.is(Ns::News, name)));
            let publication = news_field("publication");
            let lastmod = date(u.child(|e| e.is_core("lastmod")));
            let published = date(news_field("publication_date"));
            Some(IndexEntry {
                url,
                title: news_field("title")
                    .and_then(|t| non_empty(collapse_whitespace(&t.repaired_text()))),
                published: published.or(lastmod),
                updated: lastmod,
                categories: news_field("keywords")
                    .map(|k| {
                        k.repaired_text()
                            .split([',', '，', '、'])
                            .filter_map(|w| non_empty(w.to_string()))
                            .collect()
                    })
                    .unwrap_or_default(),
                image: u
                    .elements()
                    .filter(|e| e.is(Ns::Image, "image"))
                    .find_map(|i| i.child(|e| e.is(Ns::Image, "loc")))
                    .and_then(|l| l.resolve(&l.repaired_text())),
                lang: publication
                    .and_then(|p| p.child(|e| e.is(Ns::News, "language")))
                    .and_then(|l| non_empty(l.repaired_text())),
                ..IndexEntry::default()
            })
        })
        .collect();
    Ok(Sitemap::Urls(entries))
}
