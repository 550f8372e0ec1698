//! Article pages: per-source selectors first, a generic extractor second.
//!
//! ```text
//! html ─parse→ dom::Dom (flat) ─clean→ dom::Dom ─┬─ metadata   title, times, authors, URL, image
//!                                               ├─ selectors  the source's CSS rules, if any
//!                                               └─ generic    text/link density → content roots
//!                                    roots ─text→ paragraphs + captions → ExtractedArticle
//! ```
//!
//! `parse` is the built-in tokenizer and tree builder ([`tokenize`],
//! [`parse`]) writing the arena directly; a source with CSS selectors is
//! parsed by html5ever instead, because scraper's selector engine needs
//! that tree ([`selectors`]).
//!
//! Measured quality and speed: `benches/extract_quality.rs`, docs/extraction.md.

pub mod clean;
pub mod dates;
pub mod dom;
pub mod fallback;
pub mod generic;
pub mod lead;
pub mod metadata;
pub mod parse;
pub mod selectors;
pub mod text;
pub mod tokenize;
pub mod url_clean;

use crate::config::ArticleSelectors;
use crate::model::ExtractedArticle;
use dom::{Dom, Kind};
use metadata::Metadata;
use scraper::Html;

/// Extracts the story from an article page. Selectors given by the source
/// win; anything they do not find falls back to the generic extractor.
///
/// `timezone` (IANA) is the zone of dates the page writes without one.
pub fn extract(
    html: &str,
    url: &url::Url,
    selectors: Option<&ArticleSelectors>,
    timezone: &str,
) -> ExtractedArticle {
    // Only sources with CSS selectors pay for html5ever (scraper's selector
    // engine needs its tree); every other page takes the built-in parser.
    // An `[article]` table without selectors only says "scrape the pages":
    // the fast built-in parser, not html5ever, which selectors need.
    let scraped = selectors
        .filter(|s| s.all().next().is_some())
        .map(|s| (selectors::SiteRules::new(s), Html::parse_document(html)));
    let (mut dom, ids) = match &scraped {
        Some((_, doc)) => {
            let (dom, ids) = selectors::flatten(doc);
            (dom, Some(ids))
        }
        None => (parse::parse(html), None),
    };
    clean::clean(&mut dom);
    let tz = dates::zone(timezone);
    let meta = Metadata::collect(&dom);
    let rules = scraped.as_ref().map(|(rules, _)| rules);
    let doc = scraped.as_ref().map(|(_, doc)| doc);
    let mut roots = Vec::new();
    if let (Some(rules), Some(doc), Some(ids)) = (rules, doc, &ids) {
        let index = selectors::index(ids);
        rules.apply_removals(doc, &mut dom, &index);
        roots = rules.body_roots(doc, &dom, &index);
    }
    let generic = roots.is_empty();
    if generic {
        roots = generic::content_roots(&dom);
        if let Some(summary) = meta.summary()
            && let Some(lead) = lead::standfirst(&dom, &roots, &summary, &meta.title())
        {
            dom.restore_subtree(lead);
            dom.refresh_weights();
            roots.insert(0, lead);
        }
        generic::drop_link_boxes(&mut dom, &roots);
    }
    let mut assembled = text::assemble(&dom, &roots);
    if generic {
        // A script-rendered shell: the story may be in `<noscript>` or
        // JSON-LD instead.
        let found = assembled
            .paragraphs
            .iter()
            .map(|p| p.weight - p.link_weight.min(p.weight))
            .sum();
        if let Some(story) = fallback::story(&dom, meta.ld.article_body.as_deref(), found) {
            assembled = story;
        }
    }

    let title = rules
        .zip(doc)
        .and_then(|(r, doc)| r.title(doc))
        .unwrap_or_else(|| meta.title());
    let body = body_paragraphs(assembled.paragraphs, &title);
    let published = rules
        .zip(doc)
        .and_then(|(r, doc)| r.published(doc, &tz))
        .or_else(|| meta.published(&tz, || visible_text_after_h1(&dom)));
    let mut authors = rules
        .zip(doc)
        .map(|(r, doc)| r.authors(doc))
        .unwrap_or_default();
    if authors.is_empty() {
        authors = meta.authors();
    }
    let image = meta
        .image()
        .map(String::from)
        .or(assembled.first_image)
        .and_then(|src| url.join(&src).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|u| u.to_string());
    ExtractedArticle {
        url: url_clean::clean(&meta.canonical(url)).to_string(),
        title,
        published,
        updated: meta.updated(&tz),
        authors,
        categories: meta.categories(),
        body,
        captions: assembled.captions,
        image,
        lang: meta.lang(),
        summary: meta.summary(),
    }
}

/// The paragraphs that are story text: link lists at the edges of the
/// story and a repeat of the headline are dropped.
///
/// Related-story lists, tag lists and "read more" lines sit before the first
/// or after the last paragraph of prose, or between paragraphs as lines of
/// their own; a list (`<ul>`, `<dl>`) of links between two paragraphs (a
/// digest's highlights, a list of sources) is part of the story.
fn body_paragraphs(paragraphs: Vec<text::Paragraph>, title: &str) -> Vec<String> {
    let title_key = squash(title);
    let is_prose = |p: &text::Paragraph| !p.heading && !is_link_list_item(p);
    let first = paragraphs
        .iter()
        .position(is_prose)
        .unwrap_or(paragraphs.len());
    let last = paragraphs.iter().rposition(is_prose).unwrap_or(0);
    paragraphs
        .into_iter()
        .enumerate()
        .filter(|(k, p)| {
            if p.heading {
                // A headline that is all link is a teaser of another story.
                return p.link_weight * 10 < p.weight * 9;
            }
            !is_control(p) && (!is_link_list_item(p) || (p.list_item && first < *k && *k < last))
        })
        .map(|(_, p)| p)
        .filter(|p| !(p.heading && !title_key.is_empty() && squash(&p.text) == title_key))
        .map(|p| p.text)
        .collect()
}

/// Non-link text a paragraph needs to be kept whatever its link share: a
/// headline link followed by its own sentence (a digest's items) is text, a
/// "Related: <headline>" line is not.
const OWN_TEXT_OF_LINKED_PARAGRAPH: u32 = 50;

/// A paragraph that is mostly a link with little text of its own.
fn is_link_list_item(p: &text::Paragraph) -> bool {
    p.link_weight * 2 > p.weight
        && p.weight - p.link_weight.min(p.weight) < OWN_TEXT_OF_LINKED_PARAGRAPH
}

/// A page control ("close", "print this article", "back to top | close
/// window", an autoplay switch): mostly text of links that go nowhere and
/// no sentence end. Words of a sentence wrapped in glossary pop-ups (NHK's
/// easy Japanese) end in a full stop and stay.
fn is_control(p: &text::Paragraph) -> bool {
    let linked = p.link_weight + p.control_weight;
    p.control_weight > 0
        && linked * 2 > p.weight
        && p.weight - linked.min(p.weight) < OWN_TEXT_OF_LINKED_PARAGRAPH
        && !p.text.contains(['.', '!', '?', '。', '！', '？'])
}

fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Page text from the first `h1` on (or from the start), where a date
/// written in the page usually sits; bounded to keep the search cheap.
fn visible_text_after_h1(dom: &Dom) -> String {
    const LIMIT: usize = 20_000;
    let start = (0..dom.nodes.len())
        .find(|&i| dom.tag(i) == Some("h1"))
        .unwrap_or(0);
    let mut out = String::new();
    for node in dom.nodes.iter().skip(start) {
        if let Kind::Text(text) = &node.kind {
            let parent = node.parent.and_then(|p| dom.tag(p));
            if matches!(
                parent,
                Some("script" | "style" | "noscript" | "title" | "template")
            ) {
                continue;
            }
            out.push_str(text);
            out.push(' ');
            if out.len() > LIMIT {
                break;
            }
        }
    }
    out
}
