//! Feed documents of every common format, read leniently.
//!
//! One entry point, [`parse`], auto-detects the format: JSON Feed by its
//! leading `{`, RSS 0.9x/2.0, RDF/RSS 1.0 and Atom 0.3/1.0 by the root
//! element of the forgiving XML tree ([`xml`]). Each format maps its items to
//! [`IndexEntry`] values in its own module; what they share (images from
//! Media RSS and enclosures, URL resolution, dates) lives here.

pub mod atom;
pub mod content;
pub mod json;
pub mod rss;
pub mod text;
pub mod xml;

use crate::extract::ExtractError;
use crate::model::IndexEntry;
use jiff::tz::TimeZone;
use url::Url;
use xml::{Element, Ns};

/// The format a feed document was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    /// RSS 0.9x or 2.0 (`<rss>`), or a bare `<channel>`.
    Rss,
    /// RDF / RSS 1.0 (and 0.90, 1.1): `<rdf:RDF>`.
    Rdf,
    /// Atom 1.0 or 0.3: `<feed>`.
    Atom,
    /// JSON Feed 1.0 or 1.1.
    Json,
}

/// A feed document: channel metadata and its items, in document order.
#[derive(Debug, Clone)]
pub struct Feed {
    /// The format it was read as.
    pub format: FeedFormat,
    /// Channel title as plain text.
    pub title: Option<String>,
    /// The channel's home page.
    pub link: Option<String>,
    /// Channel language.
    pub lang: Option<String>,
    /// The items. An item without any link keeps an empty `url`.
    pub entries: Vec<IndexEntry>,
}

/// Reads a feed document of any format. `url` is where it was fetched
/// (relative links resolve against it); dates without a zone are read in
/// `zone`.
pub fn parse(text: &str, url: Option<&Url>, zone: &TimeZone) -> Result<Feed, ExtractError> {
    let repaired = text::repair_mojibake(text);
    if repaired.is_some() {
        tracing::debug!("Feed was UTF-8 decoded as windows-1252; read as UTF-8.");
    }
    let text = repaired.as_deref().unwrap_or(text);
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with('{') {
        return json::parse(trimmed, url, zone);
    }
    let root = xml::parse(text, url).ok_or_else(|| ExtractError::Feed("no XML element".into()))?;
    let ctx = Context::new(url, zone);
    if root.is_core("feed") {
        Ok(atom::parse(&root, &ctx))
    } else if root.is(Ns::Rdf, "RDF") || root.name.eq_ignore_ascii_case("rdf") {
        Ok(rss::parse(&root, &ctx, FeedFormat::Rdf))
    } else if root.name.eq_ignore_ascii_case("rss") || root.name.eq_ignore_ascii_case("channel") {
        Ok(rss::parse(&root, &ctx, FeedFormat::Rss))
    } else {
        Err(ExtractError::Feed(format!(
            "root element <{}> is not RSS, RDF or Atom",
            root.name
        )))
    }
}

/// What every item mapper needs: the zone for dates and the bases that
/// relative URLs resolve against.
#[derive(Clone)]
pub struct Context<'a> {
    zone: &'a TimeZone,
    /// Where the document was fetched, when that is an http(s) URL.
    document: Option<Url>,
    /// The channel's home page (RSS `<link>`, Atom alternate link).
    site: Option<Url>,
    /// RSS without `xml:base`: publishers mean relative item links to be
    /// relative to their site (the feed is often served from another host),
    /// as Miniflux reads them. Atom resolves against the document (RFC 4287).
    prefer_site: bool,
}

impl<'a> Context<'a> {
    fn new(url: Option<&Url>, zone: &'a TimeZone) -> Self {
        Context {
            zone,
            document: url.filter(|u| is_http(u)).cloned(),
            site: None,
            prefer_site: false,
        }
    }

    /// The same context with the channel's home page known.
    fn with_site(&self, link: Option<&str>, prefer_site: bool) -> Self {
        Context {
            site: link.and_then(|l| Url::parse(l).ok()).filter(is_http),
            prefer_site,
            ..self.clone()
        }
    }

    /// Resolves `href` against the element's `xml:base` chain when one is
    /// declared, else against the site or document URL; only absolute
    /// http(s) URLs come out.
    pub fn resolve(&self, element: &Element, href: &str) -> Option<String> {
        let declared = element
            .base
            .as_deref()
            .filter(|b| element.explicit_base && is_http(b));
        let (first, second) = if self.prefer_site {
            (self.site.as_ref(), self.document.as_ref())
        } else {
            (self.document.as_ref(), self.site.as_ref())
        };
        xml::resolve_url(declared.or(first).or(second), href)
    }

    /// Makes relative `href`/`src` URLs in content HTML absolute against the
    /// element's base, so the story's links and images still work when
    /// republished elsewhere.
    pub fn absolutize(&self, element: &Element, html: String) -> String {
        text::absolutize_urls(html, |href| self.resolve(element, href))
    }

    /// Parses a date in the source zone, logging what cannot be read.
    pub fn date(&self, raw: &str) -> Option<jiff::Timestamp> {
        let parsed = crate::extract::dates::parse_date(raw, self.zone);
        if parsed.is_none() && !raw.trim().is_empty() {
            tracing::debug!(date = raw.trim(), "Unreadable feed date skipped.");
        }
        parsed
    }
}

fn is_http(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// The lead image among Media RSS elements, enclosures and `itunes:image`
/// below `item`: a `media:content` image first, then a thumbnail, then an
/// image enclosure.
pub fn item_image(item: &Element, ctx: &Context<'_>) -> Option<String> {
    let mut content = None;
    let mut thumbnail = None;
    let mut enclosure = None;
    collect_images(item, ctx, &mut content, &mut thumbnail, &mut enclosure, 0);
    content.or(thumbnail).or(enclosure)
}

fn collect_images(
    el: &Element,
    ctx: &Context<'_>,
    content: &mut Option<String>,
    thumbnail: &mut Option<String>,
    enclosure: &mut Option<String>,
    depth: usize,
) {
    for child in el.elements() {
        let url = || child.attr("url").and_then(|u| ctx.resolve(child, u));
        if child.is(Ns::Media, "content") {
            if content.is_none()
                && is_image(child.attr("medium"), child.attr("type"), child.attr("url"))
            {
                *content = url();
            }
            if depth < 2 {
                collect_images(child, ctx, content, thumbnail, enclosure, depth + 1);
            }
        } else if child.is(Ns::Media, "thumbnail") {
            if thumbnail.is_none() {
                *thumbnail = url();
            }
        } else if child.is(Ns::Media, "group") && depth < 2 {
            collect_images(child, ctx, content, thumbnail, enclosure, depth + 1);
        } else if child.is_core("enclosure")
            && enclosure.is_none()
            && is_image(None, child.attr("type"), child.attr("url"))
        {
            *enclosure = url();
        } else if child.is_core("link")
            && child.attr("rel") == Some("enclosure")
            && enclosure.is_none()
            && is_image(None, child.attr("type"), child.attr("href"))
        {
            *enclosure = child.attr("href").and_then(|u| ctx.resolve(child, u));
        } else if child.is(Ns::Itunes, "image") && enclosure.is_none() {
            *enclosure = child
                .attr("href")
                .or(child.attr("url"))
                .and_then(|u| ctx.resolve(child, u));
        }
    }
}

/// Whether a media reference is an image, by `medium`, MIME type or, when
/// neither is given, by the file extension.
fn is_image(medium: Option<&str>, mime: Option<&str>, url: Option<&str>) -> bool {
    if let Some(medium) = medium {
        return medium.eq_ignore_ascii_case("image");
    }
    if let Some(mime) = mime.filter(|m| !m.trim().is_empty()) {
        return mime.trim().to_ascii_lowercase().starts_with("image/");
    }
    let path = url.unwrap_or("").split(['?', '#']).next().unwrap_or("");
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "avif"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_kinds() {
        assert!(is_image(Some("image"), None, None));
        assert!(!is_image(Some("video"), Some("image/jpeg"), None));
        assert!(is_image(None, Some("image/png"), None));
        assert!(!is_image(None, Some("audio/mpeg"), Some("a.jpg")));
        assert!(is_image(None, None, Some("http://x/a.JPG?w=1")));
        assert!(!is_image(None, None, Some("http://x/a.mp4")));
    }

    #[test]
    fn non_feeds_are_errors_not_panics() {
        let zone = TimeZone::UTC;
        assert!(parse("", None, &zone).is_err());
        assert!(parse("<html><body>hi</body></html>", None, &zone).is_err());
        assert!(parse("{not json", None, &zone).is_err());
    }
}
