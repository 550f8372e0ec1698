//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>), with a `_polywire`
//! extension object per item holding the source, region and industry ids.

use super::{CategoryKind, FeedDoc, FeedItem, rfc3339};
use serde::Serialize;

#[derive(Serialize)]
struct Feed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    tags: Vec<&'a str>,
    language: &'a str,
    _polywire: Extension<'a>,
}

/// polywire's own item fields (JSON Feed extensions start with `_`).
#[derive(Serialize)]
struct Extension<'a> {
    about: &'static str,
    source: &'a str,
    regions: Vec<&'a str>,
    industries: Vec<&'a str>,
    also_from: &'a [String],
}

fn item(item: &FeedItem) -> Item<'_> {
    let ids = |kind: CategoryKind| -> Vec<&str> {
        item.categories
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.term.as_str())
            .collect()
    };
    Item {
        id: &item.id,
        url: &item.url,
        title: &item.title,
        content_html: &item.content_html,
        summary: &item.summary,
        image: item.image.as_deref(),
        date_published: item.published.map(rfc3339),
        date_modified: rfc3339(item.updated),
        authors: item.authors.iter().map(|name| Author { name }).collect(),
        tags: item.categories.iter().map(|c| c.label.as_str()).collect(),
        language: &item.lang,
        _polywire: Extension {
            about: "https://github.com/polywire/polywire/blob/main/docs/feeds.md",
            source: &item.source,
            regions: ids(CategoryKind::Region),
            industries: ids(CategoryKind::Industry),
            also_from: &item.also_from,
        },
    }
}

/// Writes the feed as a JSON Feed 1.1 document.
pub fn write(doc: &FeedDoc) -> String {
    let m = &doc.meta.cleaned();
    let feed = Feed {
        version: "https://jsonfeed.org/version/1.1",
        title: &m.title,
        home_page_url: &m.home_url,
        feed_url: &m.self_url,
        description: &m.description,
        language: (m.language != "mul" && !m.language.is_empty()).then_some(m.language.as_str()),
        hubs: m
            .hub
            .as_deref()
            .map(|url| Hub {
                kind: "WebSub",
                url,
            })
            .into_iter()
            .collect(),
        items: doc.items.iter().map(item).collect(),
    };
    // Plain strings and numbers: serializing cannot fail.
    serde_json::to_string_pretty(&feed).unwrap_or_default()
}
