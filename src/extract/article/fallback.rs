//! Where the story is when the page shows little of it: pages rendered by
//! script leave an empty shell in the markup, and keep the story in a
//! `<noscript>` copy or in JSON-LD's `articleBody`.
//!
//! Both are only looked at when they hold much more text than what the
//! generic extractor found, so an ordinary page never changes.

use super::dom::{self, Dom, Kind};
use super::{clean, generic, parse, text};

/// A fallback replaces the extracted body only when it weighs this many
/// times as much ...
const MIN_GAIN: u32 = 2;

/// ... and at least this much (a few sentences): "enable JavaScript"
/// notices and cookie texts in `<noscript>` are shorter.
const MIN_WEIGHT: u32 = 200;

/// The paragraphs of the better fallback, if one holds much more text than
/// `found` (the weight of the body the generic extractor found).
pub fn story(dom: &Dom, article_body: Option<&str>, found: u32) -> Option<text::Assembled> {
    let floor = found.saturating_mul(MIN_GAIN).max(MIN_WEIGHT);
    let noscript = noscript_story(dom);
    let linked = article_body.map(linked_data_story);
    [noscript, linked]
        .into_iter()
        .flatten()
        .map(|a| (weight(&a), a))
        .filter(|(w, _)| *w >= floor)
        .max_by_key(|(w, _)| *w)
        .map(|(_, a)| a)
}

fn weight(assembled: &text::Assembled) -> u32 {
    assembled.paragraphs.iter().map(|p| p.weight).sum()
}

/// The story in the largest `<noscript>` block of the body, extracted as a
/// page of its own (the built-in parser and html5ever both keep a
/// `<noscript>` as raw text, as a browser running scripts does).
fn noscript_story(dom: &Dom) -> Option<text::Assembled> {
    let body = dom.body();
    let markup = (body..dom.nodes[body].end)
        .filter(|&i| dom.tag(i) == Some("noscript"))
        .filter_map(|i| match dom.nodes.get(i + 1).map(|n| &n.kind) {
            Some(Kind::Text(raw)) if dom.nodes[i].end == i + 2 => Some(raw.as_ref()),
            _ => None,
        })
        .max_by_key(|raw| raw.len())?;
    // Tags and no more than a notice's worth of text: not worth parsing.
    if dom::text_weight(markup) < MIN_WEIGHT {
        return None;
    }
    let mut inner = parse::parse(markup);
    clean::clean(&mut inner);
    let roots = generic::content_roots(&inner);
    Some(text::assemble(&inner, &roots)).filter(|a| !a.paragraphs.is_empty())
}

/// `articleBody` as paragraphs: plain text split at line breaks, or, when
/// a CMS put markup in it, the text of that markup.
fn linked_data_story(body: &str) -> text::Assembled {
    if body.contains("</p>") || body.contains("<br") {
        let mut inner = parse::parse(body);
        clean::clean(&mut inner);
        return text::assemble(&inner, &[0]);
    }
    let paragraphs = body
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .map(|line| text::Paragraph {
            weight: dom::text_weight(&line),
            text: line,
            link_weight: 0,
            control_weight: 0,
            heading: false,
            list_item: false,
        })
        .collect();
    text::Assembled {
        paragraphs,
        ..Default::default()
    }
}
