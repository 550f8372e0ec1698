//! The values that travel between stages, one type per arrow of the pipeline.
//!
//! ```text
//! RawDocument ─extract→ IndexEntry / ExtractedArticle ─normalize→ Article
//!             ─classify→ Classification ─store→ StoredStory ─emit→ bytes
//! ```
//!
//! Field docs say where each value comes from, so a newcomer can trace a
//! field of a published feed back to the wire it was read from.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A document fetched from a wire and decoded to UTF-8.
#[derive(Debug, Clone)]
pub struct RawDocument {
    /// The URL after redirects; relative links resolve against it.
    pub url: url::Url,
    /// `Content-Type` as sent by the server, if any.
    pub content_type: Option<String>,
    /// The body decoded to UTF-8 (invalid bytes replaced).
    pub text: String,
    /// The encoding the body was decoded from (`UTF-8`, `GBK`, `Big5` ...).
    pub charset: &'static str,
    /// When the body was received.
    pub fetched_at: Timestamp,
}

/// One entry of a wire index: an RSS/Atom/JSON Feed item, a sitemap URL or a
/// link from an HTML listing page. Listing links carry only `url`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry {
    /// Absolute link to the story (resolved against `xml:base` / the feed URL).
    pub url: String,
    /// `guid` / Atom `id` / JSON Feed `id`, when given.
    pub id: Option<String>,
    /// Item title as plain text.
    pub title: Option<String>,
    /// Publication time in UTC; zone-less dates are read in the source's zone.
    pub published: Option<Timestamp>,
    /// Last-modified time of the item, when the feed says.
    pub updated: Option<Timestamp>,
    /// `author`, `dc:creator`, Atom `author/name`.
    pub authors: Vec<String>,
    /// `category`, `dc:subject`, Atom `category/@term` (or label).
    pub categories: Vec<String>,
    /// Full content as HTML (`content:encoded`, Atom `content`, JSON `content_html`).
    pub content_html: Option<String>,
    /// Short description as HTML (`description`, Atom `summary`).
    pub summary_html: Option<String>,
    /// Lead image (`media:content`, `media:thumbnail`, enclosure of an image type).
    pub image: Option<String>,
    /// Language of the item if the feed declares it.
    pub lang: Option<String>,
}

/// What extraction alone gives for one story: text still raw (datelines,
/// credits and end markers are still in the body).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExtractedArticle {
    /// Canonical URL (`rel=canonical`, `og:url`, else the fetched URL),
    /// tracking parameters removed.
    pub url: String,
    /// Headline without the site-name suffix.
    pub title: String,
    /// Publication time, when the page or feed item states it.
    pub published: Option<Timestamp>,
    /// Modification time, when stated.
    pub updated: Option<Timestamp>,
    /// Authors from meta tags, JSON-LD, bylines or the feed item.
    pub authors: Vec<String>,
    /// Categories or keywords stated by the publisher.
    pub categories: Vec<String>,
    /// Body paragraphs as plain text, in order.
    pub body: Vec<String>,
    /// Image captions found apart from the body (`figcaption` ...).
    pub captions: Vec<String>,
    /// Lead image URL.
    pub image: Option<String>,
    /// Language declared by the page or feed (`<html lang>`, `xml:lang`).
    pub lang: Option<String>,
    /// Summary or description given by the publisher, plain text.
    pub summary: Option<String>,
}

/// Chinese script of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Script {
    /// Simplified Chinese.
    Hans,
    /// Traditional Chinese.
    Hant,
}

impl Script {
    /// The tag used in feeds and URLs: `Hans` or `Hant`.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Hans => "Hans",
            Script::Hant => "Hant",
        }
    }
}

/// How much of a publication time is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the calendar day is known (a `12月23日電` dateline).
    Day,
    /// Hours and minutes are known.
    #[default]
    Minute,
}

/// A wire dateline such as `中新網杭州12月23日電` or `BEIJING, March 31 (Xinhua) --`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dateline {
    /// Agency as written (`中新網`, `Xinhua`, `연합뉴스`).
    pub agency: String,
    /// Place as written (`杭州`, `BEIJING`), when given.
    pub place: Option<String>,
    /// Region id of the place, when the taxonomy knows it (filled by classify).
    pub region: Option<String>,
    /// Calendar date of the dateline with the year inferred, `YYYY-MM-DD`.
    pub date: Option<jiff::civil::Date>,
}

/// A story after normalization: clean text plus the wire metadata taken out of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Canonical URL; the store's unique key.
    pub url: String,
    /// Source id from `config/sources/<id>.toml`.
    pub source: String,
    /// Clean headline.
    pub title: String,
    /// Primary language subtag: `zh`, `en`, `ja`, `ko` ...
    pub lang: String,
    /// For Chinese text, the script it is written in.
    pub script: Option<Script>,
    /// Publication time in UTC.
    pub published: Option<Timestamp>,
    /// IANA zone the publication time was read in (the source's zone).
    pub zone: String,
    /// How much of `published` is known.
    pub precision: Precision,
    /// The wire dateline, taken out of the body.
    pub dateline: Option<Dateline>,
    /// Reporters (byline), taken out of the body.
    pub authors: Vec<String>,
    /// Photographers from photo credits.
    pub photographers: Vec<String>,
    /// Photo captions, taken out of the body.
    pub captions: Vec<String>,
    /// Editors and other end-of-story metadata (`责任编辑：...`, `(Editing by ...)`).
    pub editors: Vec<String>,
    /// Clean body paragraphs.
    pub body: Vec<String>,
    /// A short plain-text summary (publisher's, else the lead paragraph cut).
    pub summary: String,
    /// Publisher categories.
    pub categories: Vec<String>,
    /// Lead image URL.
    pub image: Option<String>,
    /// Near-duplicate fingerprint (SimHash of script-folded character shingles).
    pub fingerprint: u64,
    /// When the story was fetched.
    pub fetched_at: Option<Timestamp>,
}

/// Which taxonomy a tag belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TagKind {
    /// A place: country, subdivision, city or economic region.
    Region,
    /// An industry or theme.
    Industry,
}

impl TagKind {
    /// `region` or `industry`.
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Region => "region",
            TagKind::Industry => "industry",
        }
    }
}

/// Where in a story an alias was found; each place weighs differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The headline.
    Title,
    /// The first body paragraph.
    Lead,
    /// Any later paragraph.
    Body,
    /// The dateline place.
    Dateline,
    /// Inherited from a child region (roll-up).
    Child,
    /// A subject or place code the wire gave (IPTC Media Topic, ISO 3166).
    Subject,
}

/// One reason a tag was given: an alias found in a field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The alias as found (or the child tag id for a roll-up).
    pub alias: String,
    /// Where it was found.
    pub field: Field,
    /// How many times it was found there.
    pub count: u32,
    /// Its contribution to the score before squashing.
    pub weight: f32,
}

/// A region or industry a story is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// Taxonomy id: `cn-zj-hangzhou`, `biomedicine` ...
    pub id: String,
    /// Score in [0, 1].
    pub score: f32,
    /// The best tag of its kind for this story.
    pub primary: bool,
    /// Why the tag was given.
    pub evidence: Vec<Evidence>,
}

/// What classification gives for one story, best tags first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// Regions, best first, parents rolled up.
    pub regions: Vec<Tag>,
    /// Industries, best first.
    pub industries: Vec<Tag>,
    /// Region id of the dateline place, when the taxonomy knows it.
    pub dateline_region: Option<String>,
}

/// A story as stored and served.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredStory {
    /// Row id.
    pub id: i64,
    /// The normalized story.
    pub article: Article,
    /// Region tags (id, score, primary), best first.
    pub regions: Vec<StoredTag>,
    /// Industry tags (id, score, primary), best first.
    pub industries: Vec<StoredTag>,
    /// Near-duplicate cluster id (the row id of the first story of the cluster).
    pub cluster: i64,
    /// When polywire first stored the story.
    pub first_seen: Timestamp,
    /// When the stored story last changed.
    pub updated: Timestamp,
    /// When the wire says the story last changed (its feed item's
    /// `updated`/`atom:updated`), if it says.
    #[serde(default)]
    pub item_updated: Option<Timestamp>,
    /// Other sources that carried the same story (filled when a query
    /// collapses near-duplicate clusters).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_from: Vec<String>,
}

/// A tag as stored: no evidence, which `inspect` recomputes on demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredTag {
    /// Taxonomy id.
    pub id: String,
    /// Score in [0, 1].
    pub score: f32,
    /// The best tag of its kind.
    pub primary: bool,
}
