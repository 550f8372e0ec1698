//! The library side of `polywire extract [--source ID] FILE...`: what
//! extraction alone gives for a file on disk, as JSON objects.
//!
//! A feed (any format) or news sitemap gives one object per item; an HTML
//! page gives one object for the story. A file that cannot be read gives one
//! object with an `error` field. Nothing here panics on file content.

use super::feed;
use super::sitemap::{self, Sitemap};
use crate::config::SourceConfig;
use crate::model::IndexEntry;
use serde_json::{Value, json};
use std::path::Path;

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Extracts one file. With a source, its zone, index URL (as base for
/// relative links) and article selectors are used.
pub fn extract_file(path: &Path, source: Option<&SourceConfig>) -> Vec<Value> {
    let file = path.display().to_string();
    let bytes = match read_bounded(path) {
        Ok(bytes) => bytes,
        Err(error) => return vec![json!({ "file": file, "error": error })],
    };
    // Valid multi-byte UTF-8 is UTF-8, whatever the file declares.
    let text = match std::str::from_utf8(&bytes) {
        Ok(utf8) => utf8.trim_start_matches('\u{feff}').to_string(),
        Err(_) => crate::fetch::charset::decode(&bytes, None).0,
    };
    // UTF-16/32 read at the wrong width leaves a NUL beside every character.
    let text = if text.contains('\0') {
        text.replace('\0', "")
    } else {
        text
    };
    let zone_name = source
        .map(|s| s.timezone.get_ref().as_str())
        .unwrap_or("UTC");
    let zone = super::dates::source_zone(zone_name);
    // A page's own address is unknown: its canonical link, else the file.
    let file_url = std::path::absolute(path)
        .ok()
        .and_then(|p| url::Url::from_file_path(p).ok())
        .unwrap_or_else(|| url::Url::parse("file:///").expect("static URL"));
    // Index items resolve against the source's index URL when given.
    let base = source
        .and_then(|s| url::Url::parse(s.index.url.get_ref()).ok())
        .unwrap_or_else(|| file_url.clone());
    match sniff(&text) {
        Kind::Feed => match feed::parse(&text, Some(&base), &zone) {
            Ok(parsed) => parsed
                .entries
                .iter()
                .map(|e| item_object(&file, e))
                .collect(),
            Err(error) => vec![json!({ "file": file, "error": error.to_string() })],
        },
        Kind::Sitemap => match sitemap::parse(&text, Some(&base), &zone) {
            Ok(Sitemap::Urls(entries)) => entries.iter().map(|e| item_object(&file, e)).collect(),
            Ok(Sitemap::Index(children)) => children
                .into_iter()
                .map(|url| json!({ "file": file, "sitemap": url }))
                .collect(),
            Err(error) => vec![json!({ "file": file, "error": error.to_string() })],
        },
        Kind::Page => {
            let selectors = source.and_then(|s| s.article.as_ref());
            let story = super::extract_article(&text, &file_url, selectors, zone_name);
            vec![json!({
                "file": file,
                "title": story.title,
                "url": story.url,
                "published": story.published,
                "authors": story.authors,
                "body": story.body,
                "captions": story.captions,
                "image": story.image,
            })]
        }
    }
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} bytes, more than the {MAX_FILE_BYTES} byte limit",
            meta.len()
        ));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

fn item_object(file: &str, entry: &IndexEntry) -> Value {
    json!({
        "file": file,
        "title": entry.title,
        "url": entry.url,
        "published": entry.published,
        "authors": entry.authors,
        "categories": entry.categories,
        "content": entry.content_html.as_ref().or(entry.summary_html.as_ref()),
        "image": entry.image,
    })
}

/// What a document is, judged from its first element.
#[derive(Debug, PartialEq)]
enum Kind {
    Feed,
    Sitemap,
    Page,
}

fn sniff(text: &str) -> Kind {
    let mut rest = text.trim_start_matches(|c: char| c == '\u{feff}' || c.is_whitespace());
    if rest.starts_with('{') {
        return Kind::Feed;
    }
    // Skip declarations, comments and doctypes to the first element (bounded:
    // each step consumes input).
    for _ in 0..64 {
        rest = rest.trim_start();
        let skip_to = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<!") {
            rest.find('>').map(|i| i + 1)
        } else if !rest.starts_with('<') {
            rest.find('<')
        } else {
            break;
        };
        match skip_to {
            Some(i) => rest = &rest[i..],
            None => return Kind::Page,
        }
    }
    let name: String = rest
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'))
        .collect::<String>()
        .to_ascii_lowercase();
    let local = name.rsplit(':').next().unwrap_or("");
    match local {
        "rss" | "feed" | "rdf" | "channel" => Kind::Feed,
        "urlset" | "sitemapindex" => Kind::Sitemap,
        _ => Kind::Page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_documents() {
        assert_eq!(
            sniff("\u{feff}<?xml version='1.0'?><!-- c --><rss>"),
            Kind::Feed
        );
        assert_eq!(sniff("<rdf:RDF xmlns:rdf='x'>"), Kind::Feed);
        assert_eq!(
            sniff(" {\"version\": \"https://jsonfeed.org/version/1.1\"}"),
            Kind::Feed
        );
        assert_eq!(sniff("<?xml version='1.0'?><urlset>"), Kind::Sitemap);
        assert_eq!(sniff("<!DOCTYPE html><html><body>"), Kind::Page);
        assert_eq!(sniff("garbage"), Kind::Page);
    }
}
