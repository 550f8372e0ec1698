//! NITF 3.x (<https://iptc.org/standards/nitf/>), the News Industry Text
//! Format.
//!
//! What is read:
//! - `head/docdata`: `doc-id/@id-string` (guid), `date.issue/@norm`
//!   (published), `date.release/@norm`, `du-key/@key` (slugline),
//!   `identified-content/location` (located);
//! - `head/tobject/tobject.subject`: IPTC Subject Codes
//!   (`@tobject.subject.refnum`, 8 digits) as `subj:` qcodes, with
//!   `@tobject.subject.matter` or `@tobject.subject.type` as name;
//! - `head/pubdata/@ex-ref`: the story's web page;
//! - `body/body.head`: `hedline/hl1` (headline, else `head/title`),
//!   `byline` (without its `By`), `dateline` (its text; `location` when
//!   coded), `abstract`;
//! - `body/body.content`: the body, already HTML-like (`p`, `block`, `table`).
//!
//! The language is `@xml:lang` of `nitf` or `body`.

use super::{Concept, WireItem, byline, child_text, clean, date, descendants};
use crate::extract::feed::text::RepairedText;
use crate::extract::feed::xml::Element;
use jiff::tz::TimeZone;

/// Reads an `nitf` root element.
pub fn parse(root: &Element, zone: &TimeZone) -> WireItem {
    let mut out = WireItem {
        language: root.lang.as_deref().and_then(clean),
        ..WireItem::default()
    };
    let head = root.child(|c| c.name.eq_ignore_ascii_case("head"));
    let body = root.child(|c| c.name.eq_ignore_ascii_case("body"));
    if let Some(head) = head {
        read_head(head, zone, &mut out);
    }
    if let Some(body) = body {
        if out.language.is_none() {
            out.language = body.lang.as_deref().and_then(clean);
        }
        read_body(body, &mut out);
    }
    if out.headline.is_none() {
        out.headline = head.and_then(|h| child_text(h, "title"));
    }
    out
}

fn read_head(head: &Element, zone: &TimeZone, out: &mut WireItem) {
    let find = |local: &str| {
        let mut found = Vec::new();
        descendants(head, local, &mut found);
        found
    };
    let norm = |local: &str| {
        find(local)
            .first()
            .and_then(|e| e.attr("norm"))
            .and_then(|d| date(d, zone))
    };
    out.guid = find("doc-id")
        .first()
        .and_then(|d| d.attr("id-string"))
        .and_then(clean);
    out.published = norm("date.issue").or_else(|| norm("date.release"));
    out.slugline = find("du-key")
        .first()
        .and_then(|d| d.attr("key"))
        .and_then(clean);
    for subject in find("tobject.subject") {
        let code = subject
            .attr("tobject.subject.refnum")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| format!("subj:{c}"));
        let name = subject
            .attr("tobject.subject.matter")
            .or(subject.attr("tobject.subject.type"))
            .and_then(clean);
        if code.is_some() || name.is_some() {
            out.subjects.push(Concept { qcode: code, name });
        }
    }
    for location in find("identified-content")
        .iter()
        .flat_map(|c| c.elements())
        .filter(|c| c.name.eq_ignore_ascii_case("location"))
    {
        out.located.extend(location_concept(location));
    }
    out.link = find("pubdata")
        .iter()
        .filter_map(|p| p.attr("ex-ref").and_then(|h| p.resolve(h)))
        .next();
    if out.published.is_none() {
        out.published = find("pubdata")
            .first()
            .and_then(|p| p.attr("date.publication"))
            .and_then(|d| date(d, zone));
    }
}

fn read_body(body: &Element, out: &mut WireItem) {
    if let Some(head) = body.child(|c| c.name.eq_ignore_ascii_case("body.head")) {
        out.headline = head
            .child(|c| c.name.eq_ignore_ascii_case("hedline"))
            .and_then(|h| child_text(h, "hl1"));
        for credit in head
            .elements()
            .filter(|c| c.name.eq_ignore_ascii_case("byline"))
        {
            // `<byline>By <person>Jo Doe</person>, <byttl>Staff</byttl></byline>`
            let person = child_text(credit, "person");
            let text = person.or_else(|| clean(&credit.repaired_text()));
            out.byline.extend(text.as_deref().and_then(byline));
        }
        if let Some(dateline) = head.child(|c| c.name.eq_ignore_ascii_case("dateline")) {
            out.dateline = clean(&dateline.repaired_text());
            if let Some(location) = dateline.child(|c| c.name.eq_ignore_ascii_case("location")) {
                out.located.extend(location_concept(location));
            }
        }
        out.description = child_text(head, "abstract");
    }
    out.body_html = body
        .child(|c| c.name.eq_ignore_ascii_case("body.content"))
        .map(|c| c.repaired_inner_html())
        .filter(|h| clean(h).is_some());
}

/// A NITF `location`: its `city`, `state`, `region` or `country` text as
/// the name, the `country/@iso-cc` as an ISO 3166 qcode.
fn location_concept(location: &Element) -> Option<Concept> {
    let iso = location
        .elements()
        .find(|c| c.name.eq_ignore_ascii_case("country"))
        .and_then(|c| c.attr("iso-cc"))
        .map(str::trim)
        .filter(|c| c.len() == 2)
        .map(|c| format!("iso3166-1a2:{}", c.to_ascii_uppercase()));
    let name = ["city", "state", "region", "country"]
        .iter()
        .find_map(|local| child_text(location, local))
        .or_else(|| clean(&location.repaired_text()));
    (iso.is_some() || name.is_some()).then_some(Concept { qcode: iso, name })
}
