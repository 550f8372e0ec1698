//! `polywire inspect`: extraction, normalization and classification of one
//! document, explained, with nothing written anywhere.

use crate::classify::Taxonomy;
use crate::config::{IndexKind, SourceConfig};
use crate::extract;
use crate::fetch::charset;
use crate::model::{Article, Classification, ExtractedArticle, RawDocument, Tag};
use crate::normalize;
use crate::story;
use jiff::Timestamp;
use serde_json::{Value, json};

/// What the input looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// An RSS, Atom, RDF or JSON feed document.
    Feed,
    /// An HTML page.
    Html,
    /// Plain wire copy.
    Text,
}

/// Guesses the kind of a document from its first non-blank characters.
pub fn sniff(text: &str) -> InputKind {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    let is_feed = head.starts_with("<?xml") && !head.contains("<html")
        || head.starts_with("<rss")
        || head.starts_with("<feed")
        || head.starts_with("<rdf")
        || head.starts_with('{') && head.contains("jsonfeed");
    if is_feed {
        InputKind::Feed
    } else if head.starts_with('<') || head.contains("<html") || head.contains("<body") {
        InputKind::Html
    } else {
        InputKind::Text
    }
}

/// Settings shared by every inspected document.
#[derive(Debug, Clone)]
pub struct InspectOptions<'a> {
    /// The source the document came from (time zone, language, selectors).
    pub source: Option<&'a SourceConfig>,
    /// URL of the document, for relative links and the story URL.
    pub url: Option<url::Url>,
    /// Fetch time: dates without a year are read relative to it.
    pub fetched_at: Timestamp,
}

/// Inspects one document's bytes; a feed gives one object per item.
pub fn inspect_bytes(
    bytes: &[u8],
    options: &InspectOptions<'_>,
    taxonomy: &Taxonomy,
) -> Vec<Value> {
    let (text, encoding) = charset::decode(bytes, None);
    let url = options
        .url
        .clone()
        .unwrap_or_else(|| url::Url::parse("file:///inspected").expect("static URL"));
    let timezone = options
        .source
        .map(|s| s.timezone.get_ref().as_str())
        .unwrap_or("UTC");
    let agency_format = extract::iptc::sniff(&text);
    let input = match agency_format {
        Some(_) => InputKind::Feed,
        None => sniff(&text),
    };
    let extracted: Vec<ExtractedArticle> = match input {
        InputKind::Feed => {
            let doc = RawDocument {
                url: url.clone(),
                content_type: None,
                text,
                charset: encoding.name(),
                fetched_at: options.fetched_at,
            };
            let kind = agency_format.map_or(IndexKind::Rss, |f| f.index_kind());
            match extract::parse_index(&doc, kind, None, timezone) {
                Ok(entries) => entries.iter().map(extract::entry_to_article).collect(),
                Err(err) => return vec![json!({ "error": err.to_string() })],
            }
        }
        InputKind::Html => vec![extract::extract_article(
            &text,
            &url,
            options.source.and_then(|s| s.article.as_ref()),
            timezone,
        )],
        InputKind::Text => {
            let mut story = normalize::plain_text_story(&text);
            if options.url.is_some() {
                story.url = url.to_string();
            }
            vec![story]
        }
    };
    extracted
        .into_iter()
        .map(|e| explain(e, options, taxonomy))
        .collect()
}

fn explain(
    extracted: ExtractedArticle,
    options: &InspectOptions<'_>,
    taxonomy: &Taxonomy,
) -> Value {
    let context = story::context(options.source, options.fetched_at);
    let (normalized, tags) = story::process(extracted, &context, taxonomy);
    to_json(&normalized.article, &tags)
}

fn tags_json(tags: &[Tag]) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({ "id": t.id, "score": t.score, "primary": t.primary, "evidence": t.evidence }))
            .collect(),
    )
}

/// The JSON shape `inspect` prints.
pub fn to_json(article: &Article, tags: &Classification) -> Value {
    json!({
        "title": article.title,
        "url": article.url,
        "lang": article.lang,
        "script": article.script.map(|s| s.as_str()),
        "published": article.published.map(|t| t.to_string()),
        "zone": article.zone,
        "precision": article.precision,
        "dateline": article.dateline.as_ref().map(|d| json!({
            "agency": d.agency,
            "place": d.place,
            "region": d.region,
            "date": d.date.map(|date| date.to_string()),
        })),
        "authors": article.authors,
        "photographers": article.photographers,
        "captions": article.captions,
        "editors": article.editors,
        "body": article.body,
        "summary": article.summary,
        "regions": tags_json(&tags.regions),
        "industries": tags_json(&tags.industries),
        "fingerprint": format!("{:016x}", article.fingerprint),
    })
}
