//! `polywire add URL`: from a home or section page to a source file.
//!
//! The steps, each tried only when the one before found nothing usable:
//!
//! 1. the URL is itself a feed or a sitemap;
//! 2. the page's `<link rel="alternate">` feeds (RSS, Atom, JSON Feed);
//! 3. the usual feed paths of the site (`/rss`, `/feed`, `/rss.xml` ...);
//! 4. the `Sitemap:` lines of robots.txt (news sitemaps, sitemap indexes);
//! 5. the page itself as an HTML listing: the repeated block of story
//!    links ([`listing`]), given as a CSS selector checked on the page.
//!
//! Every candidate is fetched through the daemon's [`Fetcher`], so
//! robots.txt, the address guard (a feed that redirects to a private
//! address is refused) and pacing apply, and kept only when it parses with
//! at least one story. [`guess`] reads the language and time zone;
//! [`preview`] fetches a few stories and shows what polywire would make of
//! them. Nothing is written here: the caller writes [`Discovery::to_toml`].

pub mod guess;
pub mod listing;
pub mod preview;

use crate::config::IndexKind;
use crate::extract::{self, Sitemap};
use crate::fetch::{FetchError, FetchRequest, FetchResponse, Fetcher};
use crate::model::{IndexEntry, RawDocument};
use url::Url;

/// Paths where sites commonly serve a feed, tried in order.
pub const USUAL_FEED_PATHS: &[&str] = &[
    "/rss",
    "/feed",
    "/rss.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.xml",
    "/feeds/all.atom.xml",
    "/feeds/posts/default",
    "/rss/index.xml",
];

/// Most sitemaps followed from robots.txt.
const MAX_SITEMAPS: usize = 5;

/// What `add` proposes for a site.
#[derive(Debug, Clone)]
pub struct Discovery {
    /// The page the user gave (after redirects).
    pub page: Url,
    /// The index kind found.
    pub kind: IndexKind,
    /// Its URL.
    pub index_url: Url,
    /// For an HTML listing, the story-link selector (checked on the page).
    pub links: Option<String>,
    /// How it was found, for the user.
    pub found_by: String,
    /// Site name (`<title>` of the page or the feed title).
    pub name: String,
    /// Guessed language tag (`zh-Hans`, `ja` ...).
    pub language: String,
    /// Guessed IANA time zone.
    pub timezone: String,
    /// The index's entries, newest first as the index lists them.
    pub entries: Vec<IndexEntry>,
    /// Candidates tried and refused, with why.
    pub refused: Vec<(String, String)>,
}

/// Why nothing could be proposed.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// The page itself could not be fetched (robots.txt, guard, network).
    #[error("cannot fetch {url}: {source}")]
    Page {
        /// The page.
        url: String,
        /// Why.
        #[source]
        source: FetchError,
    },
    /// No feed, sitemap or listing was found.
    #[error("no feed, sitemap or story listing found on {url}{}", tried(.refused))]
    Nothing {
        /// The page.
        url: String,
        /// Candidates refused, with why.
        refused: Vec<(String, String)>,
    },
}

fn tried(refused: &[(String, String)]) -> String {
    refused
        .iter()
        .map(|(url, why)| format!("\n  {url}: {why}"))
        .collect()
}

/// Finds the best index for the site of `page`. See the module doc for the
/// order of the steps.
pub async fn discover(fetcher: &Fetcher, page: &Url) -> Result<Discovery, DiscoverError> {
    let doc = fetch(fetcher, page.as_str())
        .await
        .map_err(|source| DiscoverError::Page {
            url: page.to_string(),
            source,
        })?;
    let mut refused = Vec::new();
    let html = scraper::Html::parse_document(&doc.text);
    let name = guess::title(&html).unwrap_or_else(|| doc.url.host_str().unwrap_or("").to_string());
    let language = guess::language(&html, &doc);
    let timezone = guess::timezone(&doc.url, &language);
    let found = |kind, index_url: Url, entries, found_by: &str, links| Discovery {
        page: doc.url.clone(),
        kind,
        index_url,
        links,
        found_by: found_by.to_string(),
        name: name.clone(),
        language: language.clone(),
        timezone: timezone.clone(),
        entries,
        refused: Vec::new(),
    };

    // 1. The URL is a feed or a sitemap itself.
    if let Some((kind, entries)) = read_index(&doc, &timezone) {
        return Ok(found(
            kind,
            doc.url.clone(),
            entries,
            "the URL itself",
            None,
        ));
    }
    // 2 and 3. Declared feeds, then the usual paths.
    let declared = listing::alternate_feeds(&html, &doc.url);
    let usual = USUAL_FEED_PATHS
        .iter()
        .filter_map(|p| doc.url.join(p).ok())
        .filter(|u| !declared.contains(u));
    let candidates: Vec<(Url, &str)> = declared
        .iter()
        .cloned()
        .map(|u| (u, "<link rel=\"alternate\"> in the page"))
        .chain(usual.map(|u| (u, "a usual feed path")))
        .collect();
    for (url, how) in candidates {
        match try_index(fetcher, &url, &timezone).await {
            Ok((kind, final_url, entries)) => {
                let mut d = found(kind, final_url, entries, how, None);
                d.refused = refused;
                return Ok(d);
            }
            Err(why) => refused.push((url.to_string(), why)),
        }
    }
    // 4. Sitemaps named in robots.txt.
    if let Ok(robots_url) = doc.url.join("/robots.txt")
        && let Ok(robots) = fetch(fetcher, robots_url.as_str()).await
    {
        for sitemap in sitemap_lines(&robots.text).into_iter().take(MAX_SITEMAPS) {
            match try_sitemap(fetcher, &sitemap, &timezone).await {
                Ok((final_url, entries)) => {
                    let mut d = found(
                        IndexKind::Sitemap,
                        final_url,
                        entries,
                        "a Sitemap: line of robots.txt",
                        None,
                    );
                    d.refused = refused;
                    return Ok(d);
                }
                Err(why) => refused.push((sitemap.to_string(), why)),
            }
        }
    }
    // 5. The page as a listing.
    if let Some(selector) = listing::story_links_selector(&html, &doc.url)
        && let Ok(entries) = extract::parse_index(&doc, IndexKind::Html, Some(&selector), &timezone)
        && entries.len() >= listing::MIN_STORY_LINKS
    {
        let mut d = found(
            IndexKind::Html,
            doc.url.clone(),
            entries,
            "the page's repeated block of story links",
            Some(selector),
        );
        d.refused = refused;
        return Ok(d);
    }
    Err(DiscoverError::Nothing {
        url: page.to_string(),
        refused,
    })
}

/// Fetches a URL as a public wire would be fetched.
async fn fetch(fetcher: &Fetcher, url: &str) -> Result<RawDocument, FetchError> {
    let request = FetchRequest {
        url: url.to_string(),
        ..FetchRequest::default()
    };
    match fetcher.fetch(&request).await? {
        FetchResponse::Fetched { doc, .. } => Ok(doc),
        // No validators were sent, so a 304 is the server's error.
        FetchResponse::NotModified => Err(FetchError::BadUrl(format!("{url} (unexpected 304)"))),
    }
}

/// The document as a feed or a sitemap with at least one story.
fn read_index(doc: &RawDocument, timezone: &str) -> Option<(IndexKind, Vec<IndexEntry>)> {
    let head: String = doc
        .text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return None;
    }
    if let Ok(Sitemap::Urls(entries)) = extract::parse_sitemap(doc, timezone)
        && !entries.is_empty()
    {
        return Some((IndexKind::Sitemap, entries));
    }
    let feed = extract::feed::parse(
        &doc.text,
        Some(&doc.url),
        &extract::dates::source_zone(timezone),
    )
    .ok()?;
    let kind = match feed.format {
        extract::feed::FeedFormat::Atom => IndexKind::Atom,
        extract::feed::FeedFormat::Json => IndexKind::Json,
        _ => IndexKind::Rss,
    };
    let entries = extract::parse_index(doc, kind, None, timezone).ok()?;
    (!entries.is_empty()).then_some((kind, entries))
}

/// Fetches a candidate feed; the error is why it was refused.
async fn try_index(
    fetcher: &Fetcher,
    url: &Url,
    timezone: &str,
) -> Result<(IndexKind, Url, Vec<IndexEntry>), String> {
    let doc = fetch(fetcher, url.as_str())
        .await
        .map_err(|e| e.to_string())?;
    read_index(&doc, timezone)
        .map(|(kind, entries)| (kind, doc.url.clone(), entries))
        .ok_or_else(|| "not a feed with stories".to_string())
}

/// Fetches a sitemap; for a sitemap index, its first child with stories.
async fn try_sitemap(
    fetcher: &Fetcher,
    url: &Url,
    timezone: &str,
) -> Result<(Url, Vec<IndexEntry>), String> {
    let doc = fetch(fetcher, url.as_str())
        .await
        .map_err(|e| e.to_string())?;
    match extract::parse_sitemap(&doc, timezone) {
        Ok(Sitemap::Urls(entries)) if !entries.is_empty() => Ok((doc.url.clone(), entries)),
        Ok(Sitemap::Index(children)) => {
            // The index is the source (the pipeline follows its children);
            // one child shows it leads to stories.
            for child in children.iter().take(MAX_SITEMAPS) {
                if let Ok(child_doc) = fetch(fetcher, child).await
                    && let Ok(Sitemap::Urls(entries)) = extract::parse_sitemap(&child_doc, timezone)
                    && !entries.is_empty()
                {
                    return Ok((doc.url.clone(), entries));
                }
            }
            Err("a sitemap index whose children list no stories".into())
        }
        Ok(Sitemap::Urls(_)) => Err("an empty sitemap".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// The `Sitemap:` URLs of a robots.txt (any case, absolute http(s) only).
pub fn sitemap_lines(robots: &str) -> Vec<Url> {
    robots
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case("sitemap")
                .then(|| Url::parse(value.trim()).ok())
                .flatten()
        })
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .collect()
}

impl Discovery {
    /// A source id from the site's host: `www.example.co.jp` → `example`.
    pub fn suggested_id(&self) -> String {
        let host = self.page.host_str().unwrap_or("wire");
        let labels: Vec<&str> = host
            .split('.')
            .filter(|l| !matches!(*l, "www" | "m" | "news" | "en"))
            .collect();
        let main = labels.first().copied().unwrap_or("wire");
        let id: String = main
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let id = id.trim_matches('-').to_string();
        if id.is_empty() { "wire".into() } else { id }
    }

    /// The source file for this discovery.
    pub fn to_toml(&self, id: &str, needs_selectors: bool) -> String {
        let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
        let kind = format!("{:?}", self.kind).to_ascii_lowercase();
        let mut out = format!(
            "# Added by `polywire add {}`: {} found by {}.\n",
            self.page, kind, self.found_by
        );
        if needs_selectors {
            out.push_str(
                "# Generic extraction found little text on the previewed stories: add\n\
                 # [article] selectors (title, body) for this site.\n",
            );
        }
        out.push_str(&format!(
            "id = {}\nname = {}\nlanguage = {}\ntimezone = {}\nschedule = \"0 */15 * * * *\"\n\n[index]\nkind = {}\nurl = {}\n",
            quote(id),
            quote(&self.name),
            quote(&self.language),
            quote(&self.timezone),
            quote(&kind),
            quote(self.index_url.as_str()),
        ));
        if let Some(links) = &self.links {
            out.push_str(&format!("links = {}\n", quote(links)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_lines_of_robots() {
        let robots = "User-agent: *\nDisallow: /admin\nSitemap: https://a.example/news.xml\n\
                      sitemap:https://a.example/index.xml\nSitemap: /relative.xml\nSitemap: ftp://x/y\n";
        let got: Vec<String> = sitemap_lines(robots).iter().map(Url::to_string).collect();
        assert_eq!(
            got,
            ["https://a.example/news.xml", "https://a.example/index.xml"]
        );
    }

    #[test]
    fn ids_from_hosts() {
        let d = |host: &str| Discovery {
            page: Url::parse(&format!("https://{host}/")).unwrap(),
            kind: IndexKind::Rss,
            index_url: Url::parse("https://x/").unwrap(),
            links: None,
            found_by: String::new(),
            name: String::new(),
            language: String::new(),
            timezone: String::new(),
            entries: Vec::new(),
            refused: Vec::new(),
        };
        assert_eq!(d("www.example.co.jp").suggested_id(), "example");
        assert_eq!(d("news.some_site.cn").suggested_id(), "some-site");
        assert_eq!(d("127.0.0.1").suggested_id(), "127");
    }
}
