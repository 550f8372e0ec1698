//! Emitting: renders stored stories as RSS 2.0, Atom 1.0, JSON Feed 1.1,
//! IPTC ninjs 2.2, OPML 2.0 and the HTML index page.
//!
//! Pure: values in, text out. [`FeedDoc`] is the one shape every writer
//! reads; [`FeedItem::from_story`] builds it from a [`StoredStory`], and
//! that is the only place untrusted story text is cleaned ([`sanitize`]),
//! so no writer can forget to.
//!
//! * [`rss`], [`atom`], [`json_feed`]: the three feed formats.
//! * [`ninjs`]: the stories as IPTC ninjs objects, for newsroom systems.
//! * [`opml`]: the list of named feeds for feed readers.
//! * [`html`]: the index page people land on.
//! * [`sanitize`]: XML-illegal characters, direction overrides, HTML allow-list.

pub mod atom;
pub mod html;
pub mod json_feed;
pub mod ninjs;
pub mod opml;
pub mod rss;
pub mod sanitize;
mod xml;

use crate::classify::Taxonomy;
use crate::config::FeedFormat;
use crate::model::{Script, StoredStory, TagKind};
use crate::normalize::script::convert;
use jiff::Timestamp;
use quick_xml::escape::{escape, partial_escape};
use sanitize::{absolute_url, clean_text, one_line};
use url::Url;

/// Name and version written into every feed's generator field.
pub const GENERATOR: &str = concat!("polywire ", env!("CARGO_PKG_VERSION"));

/// What a feed says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedMeta {
    /// Title.
    pub title: String,
    /// One-sentence description.
    pub description: String,
    /// Language tag of the feed as a whole; `mul` (mixed) is left out of
    /// formats that expect a single language.
    pub language: String,
    /// Absolute URL of this very document (the `self` link).
    pub self_url: String,
    /// The human-readable page the feed belongs to (the index page).
    pub home_url: String,
    /// Id of the feed (Atom `id`): a `tag:` URI.
    pub id: String,
    /// WebSub hub announced with `rel="hub"`.
    pub hub: Option<String>,
    /// The latest change among the items, or of the store when empty.
    pub updated: Timestamp,
    /// Base of the taxonomy URIs used as category scheme/domain.
    pub taxonomy_base: String,
}

impl FeedMeta {
    /// The same with every text field cleaned (config files and URLs can
    /// carry control characters too); writers print only this.
    pub fn cleaned(&self) -> FeedMeta {
        FeedMeta {
            title: one_line(&self.title),
            description: one_line(&self.description),
            language: one_line(&self.language),
            self_url: clean_text(&self.self_url),
            home_url: clean_text(&self.home_url),
            id: clean_text(&self.id),
            hub: self.hub.as_deref().map(clean_text),
            updated: self.updated,
            taxonomy_base: clean_text(&self.taxonomy_base),
        }
    }
}

/// Which axis a category comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryKind {
    /// A region tag.
    Region,
    /// An industry tag.
    Industry,
    /// A category stated by the publisher.
    Publisher,
}

/// One category of an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Axis.
    pub kind: CategoryKind,
    /// Machine term: taxonomy id, or the publisher's word.
    pub term: String,
    /// Human label in the item's language.
    pub label: String,
    /// True for the story's primary region or industry.
    pub primary: bool,
}

/// One story, cleaned and ready for any writer.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    /// Stable `tag:` URI derived from the canonical URL.
    pub id: String,
    /// Canonical URL of the story.
    pub url: String,
    /// Headline: one line, no illegal characters.
    pub title: String,
    /// Plain-text summary.
    pub summary: String,
    /// Sanitized HTML body.
    pub content_html: String,
    /// Publication time, when known.
    pub published: Option<Timestamp>,
    /// Last significant change (never before `published`).
    pub updated: Timestamp,
    /// Reporters.
    pub authors: Vec<String>,
    /// Language tag (`zh-Hant`, `en` ...).
    pub lang: String,
    /// Regions, industries, then publisher categories.
    pub categories: Vec<Category>,
    /// Lead image, absolute.
    pub image: Option<String>,
    /// Source id.
    pub source: String,
    /// Other sources that carried the same story.
    pub also_from: Vec<String>,
}

/// A whole feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedDoc {
    /// About the feed.
    pub meta: FeedMeta,
    /// Stories, newest first.
    pub items: Vec<FeedItem>,
}

/// Renders a feed in one format.
pub fn render(doc: &FeedDoc, format: FeedFormat) -> String {
    match format {
        FeedFormat::Rss => rss::write(doc),
        FeedFormat::Atom => atom::write(doc),
        FeedFormat::Json => json_feed::write(doc),
        FeedFormat::Ninjs => ninjs::write(doc),
    }
}

/// FNV-1a, 64 bits: a hash that never changes between builds or
/// platforms, so ids and validators derived from it are stable.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The authority part of this server's `tag:` URIs: the host of the
/// public base URL (port left out, as RFC 4151 wants a DNS name).
pub fn tag_authority(base_url: &str) -> String {
    Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "localhost".into())
}

/// `tag:<host>,2026:story/<hash of the canonical URL>`: the same story
/// keeps its id across restarts, database rebuilds and re-fetches.
pub fn story_tag_uri(authority: &str, url: &str) -> String {
    format!(
        "tag:{authority},2026:story/{:016x}",
        stable_hash(url.as_bytes())
    )
}

/// `tag:<host>,2026:feed/<key>` for a feed (named feed name or query).
pub fn feed_tag_uri(authority: &str, key: &str) -> String {
    format!("tag:{authority},2026:feed/{}", escape_tag_part(key))
}

/// Keeps a tag URI's specific part within its allowed characters.
fn escape_tag_part(key: &str) -> String {
    key.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/?=&;:@!$'()*+,".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// RFC 822 date as RSS 2.0 wants it, in UTC: `Sun, 29 Nov 2026 08:15:00 +0000`.
pub fn rfc822(t: Timestamp) -> String {
    t.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// RFC 3339 date in UTC, whole seconds: `2026-11-29T08:15:00Z`.
pub fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The language tag of a story: `zh-Hans`/`zh-Hant` when the script is
/// known (after any conversion), else the stored subtag.
fn lang_tag(lang: &str, script: Option<Script>) -> String {
    let lang = one_line(lang);
    let lang = if lang.is_empty() {
        "und".to_string()
    } else {
        lang
    };
    match script {
        Some(s) if lang == "zh" => format!("zh-{}", s.as_str()),
        _ => lang,
    }
}

impl FeedItem {
    /// Builds an item from a stored story. `convert_to` converts Chinese
    /// text to one script (`script=`, `opencc=`); labels come from the
    /// taxonomy in the story's language.
    pub fn from_story(
        story: &StoredStory,
        taxonomy: &Taxonomy,
        authority: &str,
        convert_to: Option<Script>,
    ) -> FeedItem {
        let a = &story.article;
        let text = |s: &str| match convert_to {
            Some(script) if a.lang == "zh" || a.script.is_some() => convert(s, script),
            _ => s.to_string(),
        };
        let script = match convert_to {
            Some(s) if a.lang == "zh" || a.script.is_some() => Some(s),
            _ => a.script,
        };
        let lang = lang_tag(&a.lang, script);
        let base = Url::parse(&a.url).ok();
        let url = absolute_url(&a.url, None).unwrap_or_default();
        let image = a
            .image
            .as_deref()
            .and_then(|i| absolute_url(i, base.as_ref()));

        let mut html = String::new();
        if let Some(image) = &image {
            html.push_str(&format!("<figure><img src=\"{}\" alt=\"\">", escape(image)));
            if let Some(caption) = a.captions.first() {
                html.push_str(&format!(
                    "<figcaption>{}</figcaption>",
                    partial_escape(one_line(&text(caption)))
                ));
            }
            html.push_str("</figure>");
        }
        for paragraph in &a.body {
            let paragraph = one_line(&text(paragraph));
            if !paragraph.is_empty() {
                html.push_str(&format!("<p>{}</p>", partial_escape(paragraph.as_str())));
            }
        }
        if !story.also_from.is_empty() {
            html.push_str(&format!(
                "<p><small>Also reported by: {}</small></p>",
                partial_escape(one_line(&story.also_from.join(", ")))
            ));
        }
        // Every piece above is escaped text (`<`, `>` and `&`, as an HTML
        // serializer writes text) or an escaped URL `absolute_url` let
        // through, so the allow-list sanitizer would keep it all as it is
        // (`tests/emit_proptest.rs` holds it to that); running it for every
        // item of every feed rendered was a third of a render.
        let content_html = html;

        let label_lang = if lang.starts_with("zh") {
            lang.clone()
        } else {
            a.lang.clone()
        };
        let mut categories = Vec::new();
        // Labels are looked up per kind: `ai` is Anguilla or AI.
        for (kind, tag_kind, tags) in [
            (CategoryKind::Region, TagKind::Region, &story.regions),
            (CategoryKind::Industry, TagKind::Industry, &story.industries),
        ] {
            for tag in tags {
                categories.push(Category {
                    kind,
                    term: one_line(&tag.id),
                    label: one_line(
                        &taxonomy
                            .label_of(tag_kind, &tag.id, &label_lang)
                            .unwrap_or_else(|| tag.id.clone()),
                    ),
                    primary: tag.primary,
                });
            }
        }
        for cat in &a.categories {
            let cat = one_line(&text(cat));
            if !cat.is_empty() {
                categories.push(Category {
                    kind: CategoryKind::Publisher,
                    term: cat.clone(),
                    label: cat,
                    primary: false,
                });
            }
        }
        let updated = story_updated(story);
        FeedItem {
            id: story_tag_uri(authority, &a.url),
            url,
            title: one_line(&text(&a.title)),
            summary: clean_text(&text(&a.summary)).trim().to_string(),
            content_html,
            published: a.published,
            updated,
            authors: a
                .authors
                .iter()
                .map(|n| one_line(n))
                .filter(|n| !n.is_empty())
                .collect(),
            lang,
            categories,
            image,
            source: one_line(&a.source),
            also_from: story.also_from.iter().map(|s| one_line(s)).collect(),
        }
    }
}

impl CategoryKind {
    /// The taxonomy axis, for regions and industries.
    pub fn tag_kind(self) -> Option<TagKind> {
        match self {
            CategoryKind::Region => Some(TagKind::Region),
            CategoryKind::Industry => Some(TagKind::Industry),
            CategoryKind::Publisher => None,
        }
    }
}

impl Category {
    /// The scheme (Atom) / domain (RSS) URI of a taxonomy category:
    /// `<base>/taxonomy/region` or `<base>/taxonomy/industry`.
    pub fn scheme(&self, taxonomy_base: &str) -> Option<String> {
        self.kind
            .tag_kind()
            .map(|k| format!("{taxonomy_base}/taxonomy/{}", k.as_str()))
    }
}

/// A story's own last change, for Atom's `updated`: the wire's updated
/// time, else its publication time; never when polywire stored it (a batch
/// stored at once would share one value, which feed validators flag, and
/// a re-store would look like an edit). A story with neither falls back to
/// when it was first seen, which does not move.
pub fn story_updated(story: &StoredStory) -> Timestamp {
    let published = story.article.published;
    match (story.item_updated, published) {
        (Some(u), Some(p)) => u.max(p),
        (Some(u), None) => u,
        (None, Some(p)) => p,
        (None, None) => story.first_seen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_formatted_per_format() {
        let t: Timestamp = "2026-11-29T08:15:00Z".parse().unwrap();
        assert_eq!(rfc822(t), "Sun, 29 Nov 2026 08:15:00 +0000");
        assert_eq!(rfc3339(t), "2026-11-29T08:15:00Z");
    }

    #[test]
    fn updated_is_the_story_s_own_last_change_never_the_store_time() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let mut story = StoredStory {
            id: 1,
            article: crate::model::Article {
                published: Some(t("2026-11-29T08:15:00Z")),
                ..Default::default()
            },
            regions: vec![],
            industries: vec![],
            cluster: 1,
            first_seen: t("2026-11-30T00:00:00Z"),
            updated: t("2026-12-01T00:00:00Z"),
            item_updated: None,
            also_from: vec![],
        };
        assert_eq!(story_updated(&story), t("2026-11-29T08:15:00Z"));
        story.item_updated = Some(t("2026-11-29T10:00:00Z"));
        assert_eq!(story_updated(&story), t("2026-11-29T10:00:00Z"));
        // A wire's updated before its published is a typo: published wins.
        story.item_updated = Some(t("2026-11-28T10:00:00Z"));
        assert_eq!(story_updated(&story), t("2026-11-29T08:15:00Z"));
        story.item_updated = None;
        story.article.published = None;
        assert_eq!(story_updated(&story), t("2026-11-30T00:00:00Z"));
    }

    #[test]
    fn story_ids_are_stable_and_distinct() {
        let a = story_tag_uri("feeds.example.org", "https://x.example/1");
        assert_eq!(a, story_tag_uri("feeds.example.org", "https://x.example/1"));
        assert_ne!(a, story_tag_uri("feeds.example.org", "https://x.example/2"));
        assert!(a.starts_with("tag:feeds.example.org,2026:story/"));
        assert_eq!(tag_authority("http://127.0.0.1:8080"), "127.0.0.1");
    }
}
