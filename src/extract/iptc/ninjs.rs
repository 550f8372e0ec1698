//! IPTC ninjs, news in JSON (<https://iptc.org/standards/ninjs/>), 1.x and
//! 2.x, one object or an array of them.
//!
//! The two generations name the same things differently:
//!
//! | field       | 1.x                                    | 2.x                          |
//! |-------------|----------------------------------------|------------------------------|
//! | headline    | `headline`                             | `headlines[]` (`role` main)  |
//! | body        | `body_html`, `body_xhtml`, `body_text` | `bodies[]` (HTML preferred)  |
//! | summary     | `description_text`, `description_html` | `descriptions[]`             |
//! | byline      | `byline`                               | `by`                         |
//! | subjects    | `subject[]` (`code`, `scheme`, `name`) | `subjects[]` (`uri`, `literal`, `name`) |
//! | places      | `place[]`                              | `places[]`                   |
//!
//! Both have `uri`, `slugline`, `located`, `language`, `firstcreated` and
//! `versioncreated`. Read as loose `serde_json::Value`s, so one wrongly
//! typed field costs that field, not the item.

use super::{Concept, WireItem, clean, date, qcode};
use crate::extract::ExtractError;
use crate::extract::feed::text::{html_to_text, text_to_html};
use jiff::tz::TimeZone;
use serde_json::Value;

/// Most items read from one document.
const MAX_ITEMS: usize = 1000;

/// Reads a ninjs object, or an array of them (what polywire's own
/// `.ninjs` feeds give).
pub fn parse(text: &str, zone: &TimeZone) -> Result<Vec<WireItem>, ExtractError> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| ExtractError::Feed(format!("ninjs: {e}")))?;
    let objects: Vec<&Value> = match &doc {
        Value::Array(items) => items.iter().filter(|v| v.is_object()).collect(),
        Value::Object(_) => vec![&doc],
        _ => Vec::new(),
    };
    if objects.is_empty() {
        return Err(ExtractError::Feed(
            "ninjs is not an object or array of objects".into(),
        ));
    }
    Ok(objects
        .into_iter()
        .take(MAX_ITEMS)
        .map(|o| item(o, zone))
        .collect())
}

fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).and_then(clean)
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The `value` of the entry of a 2.x array (`headlines`, `bodies`) whose
/// `role` or `contenttype` is preferred, else the first.
fn pick<'a>(v: &'a Value, key: &str, prefer: impl Fn(&Value) -> bool) -> Option<&'a Value> {
    let entries = array(v, key);
    entries
        .iter()
        .find(|e| prefer(e))
        .or(entries.first())
        .filter(|e| e.get("value").and_then(Value::as_str).is_some())
}

fn item(v: &Value, zone: &TimeZone) -> WireItem {
    let uri = string(v, "uri");
    let is_web = |u: &String| u.starts_with("http://") || u.starts_with("https://");
    // A web `uri`, else an `altids` entry with role `url` (polywire's own
    // ninjs keeps its `tag:` id in `uri` and the story URL there).
    let link = uri.clone().filter(is_web).or_else(|| {
        array(v, "altids")
            .iter()
            .find(|a| a.get("role").and_then(Value::as_str) == Some("url"))
            .and_then(|a| string(a, "value"))
            .filter(is_web)
    });
    let headline = string(v, "headline").or_else(|| {
        pick(v, "headlines", |h| {
            h.get("role")
                .and_then(Value::as_str)
                .is_some_and(|r| r == "main")
        })
        .and_then(|h| string(h, "value"))
        .map(|h| html_to_text(&h))
    });
    let mut out = WireItem {
        guid: uri,
        link,
        headline,
        slugline: string(v, "slugline"),
        dateline: None,
        byline: string(v, "byline")
            .or_else(|| string(v, "by"))
            .into_iter()
            .collect(),
        language: string(v, "language"),
        published: string(v, "firstcreated").and_then(|d| date(&d, zone)),
        updated: string(v, "versioncreated").and_then(|d| date(&d, zone)),
        description: description(v),
        body_html: body(v),
        ..WireItem::default()
    };
    if let Some(located) = string(v, "located") {
        out.located.push(Concept {
            qcode: None,
            name: Some(located),
        });
    }
    for key in ["subject", "subjects", "place", "places"] {
        out.subjects
            .extend(array(v, key).iter().filter_map(concept));
    }
    out
}

/// A 1.x `{code, scheme, name}` or 2.x `{uri, literal, name}` concept.
fn concept(v: &Value) -> Option<Concept> {
    let code = string(v, "code").and_then(|code| {
        if code.contains(':') {
            return qcode(&code);
        }
        // 1.x: the scheme is a vocabulary URI and the code its local part.
        let scheme = string(v, "scheme").unwrap_or_default();
        qcode(&format!("{}/{code}", scheme.trim_end_matches('/'))).filter(|q| !q.contains("://"))
    });
    let qcode = code
        .or_else(|| string(v, "uri").and_then(|u| qcode(&u)))
        .or_else(|| {
            string(v, "literal")
                .filter(|l| l.contains(':'))
                .and_then(|l| qcode(&l))
        });
    let name = string(v, "name");
    (qcode.is_some() || name.is_some()).then_some(Concept { qcode, name })
}

fn description(v: &Value) -> Option<String> {
    string(v, "description_text")
        .or_else(|| string(v, "description_html").map(|h| html_to_text(&h)))
        .or_else(|| {
            pick(v, "descriptions", |d| {
                d.get("role")
                    .and_then(Value::as_str)
                    .is_some_and(|r| r.contains("summary"))
            })
            .and_then(|d| string(d, "value"))
            .map(|d| html_to_text(&d))
        })
}

fn body(v: &Value) -> Option<String> {
    let is_html = |b: &Value| {
        b.get("contenttype")
            .and_then(Value::as_str)
            .is_some_and(|t| t.contains("html"))
    };
    if let Some(html) = string(v, "body_html").or_else(|| string(v, "body_xhtml")) {
        return Some(html);
    }
    if let Some(text) = v
        .get("body_text")
        .and_then(Value::as_str)
        .filter(|t| clean(t).is_some())
    {
        return Some(text_paragraphs(text));
    }
    let chosen = pick(v, "bodies", is_html)?;
    // Raw, not collapsed: blank lines separate plain-text paragraphs.
    let value = chosen.get("value").and_then(Value::as_str)?.to_string();
    clean(&value)?;
    Some(if is_html(chosen) {
        value
    } else {
        text_paragraphs(&value)
    })
}

/// Plain text as HTML paragraphs, split at blank lines (or single line
/// breaks when there are none).
fn text_paragraphs(text: &str) -> String {
    let blocks: Vec<&str> = if text.contains("\n\n") {
        text.split("\n\n").collect()
    } else {
        text.lines().collect()
    };
    blocks
        .into_iter()
        .filter_map(clean)
        .map(|p| format!("<p>{}</p>", text_to_html(&p)))
        .collect()
}
