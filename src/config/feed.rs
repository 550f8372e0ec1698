//! `feeds/<name>.toml`: one published feed per file.

use serde::Deserialize;
use toml::Spanned;

/// A named feed that readers subscribe to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// URL name: the feed is served at `/feeds/<name>.<format>`.
    pub name: String,
    /// Feed title.
    pub title: String,
    /// Feed description.
    #[serde(default)]
    pub description: String,
    /// Language of the feed as a whole (`zh`, `en`, `mul` for mixed).
    #[serde(default = "mul")]
    pub language: String,
    /// Which stories the feed holds.
    #[serde(default)]
    pub filters: FeedFilters,
    /// Formats offered. Default: all of `rss`, `atom`, `json`. (`ninjs`,
    /// for newsroom systems, is served for every named feed.)
    #[serde(default = "all_formats")]
    pub formats: Vec<FeedFormat>,
}

fn mul() -> String {
    "mul".into()
}

fn all_formats() -> Vec<FeedFormat> {
    vec![FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json]
}

/// `[filters]`: a repeated value ORs, different keys AND.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FeedFilters {
    /// Region ids; a region matches everything below it.
    #[serde(default)]
    pub region: Vec<Spanned<String>>,
    /// Industry ids.
    #[serde(default)]
    pub industry: Vec<Spanned<String>>,
    /// Language subtags (`zh`, `en` ...).
    #[serde(default)]
    pub lang: Vec<String>,
    /// Source ids.
    #[serde(default)]
    pub source: Vec<Spanned<String>>,
    /// Full-text query.
    pub q: Option<String>,
    /// Only stories whose primary region / industry matches.
    #[serde(default)]
    pub primary: bool,
    /// Convert Chinese text to one script (`hans` or `hant`).
    pub script: Option<String>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum FeedFormat {
    /// RSS 2.0.
    Rss,
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.1.
    Json,
    /// A JSON array of IPTC ninjs 2.2 objects.
    Ninjs,
}

impl FeedFormat {
    /// File extension and URL suffix.
    pub fn extension(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss",
            FeedFormat::Atom => "atom",
            FeedFormat::Json => "json",
            FeedFormat::Ninjs => "ninjs",
        }
    }

    /// HTTP content type, with charset.
    pub fn content_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml; charset=utf-8",
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::Json => "application/feed+json; charset=utf-8",
            // ninjs has no registered media type of its own.
            FeedFormat::Ninjs => "application/json; charset=utf-8",
        }
    }

    /// Parses `rss`, `atom`, `json` or `ninjs`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "rss" => Some(FeedFormat::Rss),
            "atom" => Some(FeedFormat::Atom),
            "json" => Some(FeedFormat::Json),
            "ninjs" => Some(FeedFormat::Ninjs),
            _ => None,
        }
    }
}
