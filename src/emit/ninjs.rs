//! IPTC ninjs 2.2 (<https://iptc.org/standards/ninjs/>): a JSON array of
//! news objects, so newsroom systems can ingest polywire's output the way
//! they ingest an agency's.
//!
//! Each story becomes one ninjs object, valid against IPTC's published 2.2
//! schema (vendored in `tests/fixtures/ninjs/`, checked by
//! `tests/emit_ninjs.rs`). The schema allows no extension fields, so
//! polywire's own values go into ninjs properties:
//!
//! | ninjs            | from |
//! |------------------|------|
//! | `uri`            | the story's stable `tag:` id |
//! | `altids`         | `{role: "url"}` the story's canonical URL; `{role: "source"}` the source id; `{role: "also-from"}` each other source |
//! | `headlines`      | `{role: "main"}` the headline |
//! | `descriptions`   | `{role: "summary", contenttype: "text/plain"}` |
//! | `bodies`         | `{role: "main", contenttype: "text/html"}` with `charcount` |
//! | `by`             | the reporters, comma-separated |
//! | `places`         | region tags: label, id as `literal`, taxonomy URI, `rel` `primary` or `about` |
//! | `subjects`       | industry tags the same way; publisher categories with `rel` `publisher` |
//! | `associations`   | the lead image as a `picture` object with one rendition |
//! | `firstcreated`, `versioncreated` | publication and last change |
//!
//! The array itself has no feed metadata; the response's `Last-Modified`
//! and the self URL the client asked for stand for it.

use super::{CategoryKind, FeedDoc, FeedItem, rfc3339};
use serde::Serialize;

/// The schema each object states it follows.
pub const SCHEMA: &str = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json";

#[derive(Serialize)]
struct Object<'a> {
    uri: &'a str,
    standard: Standard,
    #[serde(rename = "type")]
    kind: &'static str,
    representationtype: &'static str,
    pubstatus: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    firstcreated: Option<String>,
    versioncreated: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    language: &'a str,
    headlines: Vec<Text<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    descriptions: Vec<Text<'a>>,
    bodies: Vec<Body<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    places: Vec<Concept<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    subjects: Vec<Concept<'a>>,
    altids: Vec<AltId<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    associations: Vec<Association<'a>>,
}

#[derive(Serialize)]
struct Standard {
    name: &'static str,
    version: &'static str,
    schema: &'static str,
}

#[derive(Serialize)]
struct Text<'a> {
    role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    contenttype: Option<&'static str>,
    value: &'a str,
}

#[derive(Serialize)]
struct Body<'a> {
    role: &'static str,
    contenttype: &'static str,
    charcount: usize,
    value: &'a str,
}

#[derive(Serialize)]
struct Concept<'a> {
    name: &'a str,
    rel: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    literal: &'a str,
}

#[derive(Serialize)]
struct AltId<'a> {
    role: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
struct Association<'a> {
    name: &'static str,
    uri: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    renditions: Vec<Rendition<'a>>,
}

#[derive(Serialize)]
struct Rendition<'a> {
    name: &'static str,
    href: &'a str,
}

fn object<'a>(item: &'a FeedItem, taxonomy_base: &str) -> Object<'a> {
    let concepts = |kind: CategoryKind| -> Vec<Concept<'a>> {
        item.categories
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| Concept {
                name: &c.label,
                rel: match (kind, c.primary) {
                    (CategoryKind::Publisher, _) => "publisher",
                    (_, true) => "primary",
                    (_, false) => "about",
                },
                uri: c
                    .scheme(taxonomy_base)
                    .map(|scheme| format!("{scheme}/{}", c.term)),
                literal: &c.term,
            })
            .collect()
    };
    let mut subjects = concepts(CategoryKind::Industry);
    subjects.extend(concepts(CategoryKind::Publisher));
    let mut altids = vec![
        AltId {
            role: "url",
            value: &item.url,
        },
        AltId {
            role: "source",
            value: &item.source,
        },
    ];
    altids.extend(item.also_from.iter().map(|s| AltId {
        role: "also-from",
        value: s,
    }));
    Object {
        uri: &item.id,
        standard: Standard {
            name: "ninjs",
            version: "2.2",
            schema: SCHEMA,
        },
        kind: "text",
        representationtype: "full",
        pubstatus: "usable",
        firstcreated: item.published.map(rfc3339),
        versioncreated: rfc3339(item.updated),
        language: &item.lang,
        headlines: vec![Text {
            role: "main",
            contenttype: None,
            value: &item.title,
        }],
        descriptions: (!item.summary.is_empty())
            .then(|| Text {
                role: "summary",
                contenttype: Some("text/plain"),
                value: &item.summary,
            })
            .into_iter()
            .collect(),
        bodies: vec![Body {
            role: "main",
            contenttype: "text/html",
            charcount: item.content_html.chars().count(),
            value: &item.content_html,
        }],
        by: (!item.authors.is_empty()).then(|| item.authors.join(", ")),
        places: concepts(CategoryKind::Region),
        subjects,
        altids,
        associations: item
            .image
            .as_deref()
            .map(|href| Association {
                name: "image",
                uri: href,
                kind: "picture",
                renditions: vec![Rendition {
                    name: "original",
                    href,
                }],
            })
            .into_iter()
            .collect(),
    }
}

/// Writes the stories as a JSON array of ninjs 2.2 objects.
pub fn write(doc: &FeedDoc) -> String {
    let base = doc.meta.cleaned().taxonomy_base;
    let objects: Vec<Object<'_>> = doc.items.iter().map(|i| object(i, &base)).collect();
    // Plain strings and numbers: serializing cannot fail.
    serde_json::to_string_pretty(&objects).unwrap_or_default()
}
