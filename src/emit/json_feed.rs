//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>), with a `_polywire`
//! extension object per item holding region and industry ids.

use super::{CategoryKind, FeedDoc, rfc3339};
use serde_json::{Map, Value, json};

/// Writes the feed as a JSON Feed 1.1 document.
pub fn write(doc: &FeedDoc) -> String {
    let m = &doc.meta;
    let mut feed = Map::new();
    feed.insert("version".into(), json!("https://jsonfeed.org/version/1.1"));
    feed.insert("title".into(), json!(m.title));
    feed.insert("home_page_url".into(), json!(m.home_url));
    feed.insert("feed_url".into(), json!(m.self_url));
    if !m.description.is_empty() {
        feed.insert("description".into(), json!(m.description));
    }
    if m.language != "mul" && !m.language.is_empty() {
        feed.insert("language".into(), json!(m.language));
    }
    if let Some(hub) = &m.hub {
        feed.insert("hubs".into(), json!([{"type": "WebSub", "url": hub}]));
    }
    let items: Vec<Value> = doc
        .items
        .iter()
        .map(|item| {
            let mut o = Map::new();
            o.insert("id".into(), json!(item.id));
            o.insert("url".into(), json!(item.url));
            o.insert("title".into(), json!(item.title));
            o.insert("content_html".into(), json!(item.content_html));
            if !item.summary.is_empty() {
                o.insert("summary".into(), json!(item.summary));
            }
            if let Some(image) = &item.image {
                o.insert("image".into(), json!(image));
            }
            if let Some(published) = item.published {
                o.insert("date_published".into(), json!(rfc3339(published)));
            }
            o.insert("date_modified".into(), json!(rfc3339(item.updated)));
            if !item.authors.is_empty() {
                let authors: Vec<Value> = item.authors.iter().map(|a| json!({"name": a})).collect();
                o.insert("authors".into(), Value::Array(authors));
            }
            o.insert(
                "tags".into(),
                json!(
                    item.categories
                        .iter()
                        .map(|c| c.label.as_str())
                        .collect::<Vec<_>>()
                ),
            );
            o.insert("language".into(), json!(item.lang));
            let ids = |kind: CategoryKind| -> Vec<&str> {
                item.categories
                    .iter()
                    .filter(|c| c.kind == kind)
                    .map(|c| c.term.as_str())
                    .collect()
            };
            o.insert(
                "_polywire".into(),
                json!({
                    "about": "https://github.com/polywire/polywire/blob/main/docs/feeds.md",
                    "source": item.source,
                    "regions": ids(CategoryKind::Region),
                    "industries": ids(CategoryKind::Industry),
                    "also_from": item.also_from,
                }),
            );
            Value::Object(o)
        })
        .collect();
    feed.insert("items".into(), Value::Array(items));
    // serde_json escapes control characters and never fails on a Value.
    serde_json::to_string_pretty(&Value::Object(feed)).unwrap_or_default()
}
