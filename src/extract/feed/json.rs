//! JSON Feed 1.0 and 1.1 (<https://jsonfeed.org/version/1.1>).
//!
//! Read as loose `serde_json::Value`s rather than strict structs, so a feed
//! with one wrongly typed field still gives its other items (serde_json
//! bounds nesting depth, so hostile input cannot exhaust the stack).

use super::text::{collapse_whitespace, html_to_text, non_empty, text_to_html};
use super::{Feed, FeedFormat};
use crate::extract::ExtractError;
use crate::model::IndexEntry;
use jiff::tz::TimeZone;
use serde_json::Value;
use url::Url;

/// Reads a JSON Feed document.
pub fn parse(text: &str, url: Option<&Url>, zone: &TimeZone) -> Result<Feed, ExtractError> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| ExtractError::Feed(format!("JSON: {e}")))?;
    let Some(feed) = doc.as_object() else {
        return Err(ExtractError::Feed("JSON Feed is not an object".into()));
    };
    let string = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .and_then(non_empty)
    };
    let home = string(&doc, "home_page_url");
    // Relative item URLs mean the site, as for RSS; then the document.
    let base = home
        .as_deref()
        .and_then(|h| Url::parse(h).ok())
        .or_else(|| {
            url.filter(|u| matches!(u.scheme(), "http" | "https"))
                .cloned()
        })
        .or_else(|| string(&doc, "feed_url").and_then(|h| Url::parse(&h).ok()));
    let resolve =
        |href: Option<String>| href.and_then(|h| super::xml::resolve_url(base.as_ref(), &h));
    let lang = string(&doc, "language");
    let feed_authors = authors(&doc);
    let entries = feed
        .get("items")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|item| item.is_object())
        .map(|item| {
            let date = |key: &str| {
                string(item, key).and_then(|d| crate::extract::dates::parse_date(&d, zone))
            };
            let mut item_authors = authors(item);
            if item_authors.is_empty() {
                item_authors = feed_authors.clone();
            }
            IndexEntry {
                url: resolve(string(item, "url").or_else(|| string(item, "external_url")))
                    .unwrap_or_default(),
                id: item.get("id").and_then(|id| match id {
                    Value::String(s) => non_empty(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                }),
                title: string(item, "title").map(|t| collapse_whitespace(&t)),
                published: date("date_published"),
                updated: date("date_modified"),
                authors: item_authors,
                categories: item
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|tags| {
                        tags.iter()
                            .filter_map(Value::as_str)
                            .filter_map(|t| non_empty(t.to_string()))
                            .collect()
                    })
                    .unwrap_or_default(),
                content_html: string(item, "content_html")
                    .or_else(|| string(item, "content_text").map(|t| text_to_html(&t))),
                summary_html: string(item, "summary").map(|s| text_to_html(&s)),
                image: resolve(string(item, "image").or_else(|| string(item, "banner_image"))),
                lang: string(item, "language").or_else(|| lang.clone()),
            }
        })
        .collect();
    Ok(Feed {
        format: FeedFormat::Json,
        title: string(&doc, "title").map(|t| html_to_text(&t)),
        link: resolve(home),
        lang,
        entries,
    })
}

/// `authors[].name` (1.1), else `author.name` (1.0).
fn authors(v: &Value) -> Vec<String> {
    let name = |a: &Value| {
        a.get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .and_then(non_empty)
    };
    match v.get("authors").and_then(Value::as_array) {
        Some(list) => list.iter().filter_map(name).collect(),
        None => v.get("author").and_then(name).into_iter().collect(),
    }
}
