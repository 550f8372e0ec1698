//! `config/sources/<id>.toml`: one news wire per file.

use serde::Deserialize;
use toml::Spanned;

/// A news wire: what to fetch, when, and how to read it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Stable id, used in URLs (`?source=`) and the store.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Language tag of the wire's copy (`zh-Hans`, `zh-Hant`, `en`, `ja`, `ko`).
    pub language: String,
    /// IANA zone the wire writes its dates in (`Asia/Shanghai`), resolved
    /// as the file is read; cron schedules are read in it too.
    pub timezone: Spanned<super::SourceZone>,
    /// Cron expression with a seconds field first, as the `cron` crate reads
    /// it: `0 */15 * * * *` is every 15 minutes.
    pub schedule: Spanned<String>,
    /// Set `false` to keep the file but not fetch the wire.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Skip robots.txt for this wire. Only for wires we have permission for.
    #[serde(default)]
    pub ignore_robots: bool,
    /// Allow private addresses for this wire only (intranet wires, tests).
    #[serde(default)]
    pub allow_private_addresses: bool,
    /// The index: a feed, a sitemap, a listing page or agency documents.
    pub index: IndexConfig,
    /// When present, each story's page is fetched and scraped with these
    /// selectors; otherwise the index item's own content is the story.
    pub article: Option<ArticleSelectors>,
    /// This wire's own retention; each key set overrides the `[retention]`
    /// default of `polywire.toml` for this wire's stories.
    #[serde(default)]
    pub retention: SourceRetention,
}

/// `[retention]` of a source file. Unset keys take the daemon's default.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SourceRetention {
    /// Keep this wire's stories at most this many days, 1 to 36500.
    #[serde(deserialize_with = "super::daemon::age_days")]
    pub max_age_days: Option<u64>,
    /// Keep at most this many of this wire's stories, newest first.
    #[serde(deserialize_with = "super::daemon::story_count")]
    pub max_stories: Option<u64>,
}

impl SourceConfig {
    /// Everything that decides what a run extracts from the same index
    /// bytes: the index kind, URL and link selector, the article
    /// selectors, language and zone. Index validators are kept under it, so
    /// a changed rule makes the next run read the index again instead of
    /// hearing `304 Not Modified` for a document it never read right.
    pub fn extraction_fingerprint(&self) -> String {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut hasher = foldhash::quality::FixedState::with_seed(0x5eed).build_hasher();
        format!("{:?}", self.index.kind).hash(&mut hasher);
        self.index.url.get_ref().hash(&mut hasher);
        self.index
            .links
            .as_ref()
            .map(|l| l.get_ref())
            .hash(&mut hasher);
        match &self.article {
            None => 0u8.hash(&mut hasher),
            Some(article) => {
                1u8.hash(&mut hasher);
                for selector in [
                    &article.title,
                    &article.body,
                    &article.published,
                    &article.author,
                ] {
                    selector.as_ref().map(|s| s.get_ref()).hash(&mut hasher);
                }
                for remove in &article.remove {
                    remove.get_ref().hash(&mut hasher);
                }
            }
        }
        self.language.hash(&mut hasher);
        self.timezone.get_ref().hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    }
}

fn yes() -> bool {
    true
}

/// `[index]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexConfig {
    /// What the index is.
    pub kind: IndexKind,
    /// Where it is.
    pub url: Spanned<String>,
    /// For `html`: CSS selector of the story links (`a` elements, or elements
    /// containing one).
    pub links: Option<Spanned<String>>,
}

/// Kinds of index document.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum IndexKind {
    /// RSS 0.9x, 1.0 (RDF) or 2.0.
    Rss,
    /// Atom 0.3 or 1.0.
    Atom,
    /// JSON Feed 1.0 or 1.1.
    Json,
    /// A news sitemap or sitemap index.
    Sitemap,
    /// An HTML listing page; story links picked with `links`.
    Html,
    /// IPTC NewsML-G2: a document, or a feed or folder of them.
    Newsml,
    /// IPTC ninjs 1.x or 2.x: a document, or a feed or folder of them.
    Ninjs,
    /// IPTC NITF 3.x: a document, or a feed or folder of them.
    Nitf,
}

impl IndexKind {
    /// The IPTC format of an agency-format kind (`newsml`, `ninjs`, `nitf`).
    pub fn iptc(self) -> Option<crate::extract::iptc::IptcFormat> {
        use crate::extract::iptc::IptcFormat;
        match self {
            IndexKind::Newsml => Some(IptcFormat::NewsMl),
            IndexKind::Ninjs => Some(IptcFormat::Ninjs),
            IndexKind::Nitf => Some(IptcFormat::Nitf),
            _ => None,
        }
    }
}

/// `[article]`: CSS selectors for the story page. Missing ones fall back to
/// the generic extractor.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ArticleSelectors {
    /// Headline.
    pub title: Option<Spanned<String>>,
    /// Body container(s); its paragraphs are the story.
    pub body: Option<Spanned<String>>,
    /// Element holding the publication time (`datetime` attribute or text).
    pub published: Option<Spanned<String>>,
    /// Element(s) holding the author.
    pub author: Option<Spanned<String>>,
    /// Elements removed from the body before reading it.
    #[serde(default)]
    pub remove: Vec<Spanned<String>>,
}

impl ArticleSelectors {
    /// Every selector with its span, for validation.
    pub fn all(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.title
            .iter()
            .chain(self.body.iter())
            .chain(self.published.iter())
            .chain(self.author.iter())
            .chain(self.remove.iter())
    }
}
