//! A source's own CSS selectors (`[article]` in its TOML): they win over the
//! generic extractor for whatever they find.
//!
//! Selector matching needs scraper's tree, so only pages of sources with
//! selectors are parsed by html5ever; the arena is then flattened from that
//! tree ([`Dom::from_scraper`]) and the generic passes run on it as usual.

use super::dates;
use super::dom::Dom;
use crate::config::ArticleSelectors;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use scraper::{ElementRef, Html, Selector};
use std::collections::HashMap;

/// The compiled selectors of one source. A selector that does not parse is
/// logged and ignored (config validation reports it with its line).
pub struct SiteRules {
    title: Option<Selector>,
    body: Option<Selector>,
    published: Option<Selector>,
    author: Option<Selector>,
    remove: Vec<Selector>,
}

fn compile(css: Option<&toml::Spanned<String>>) -> Option<Selector> {
    let css = css?.get_ref();
    match Selector::parse(css) {
        Ok(selector) => Some(selector),
        Err(error) => {
            tracing::warn!(selector = %css, %error, "Ignoring an article selector that does not parse.");
            None
        }
    }
}

impl SiteRules {
    /// Compiles a source's selectors.
    pub fn new(selectors: &ArticleSelectors) -> SiteRules {
        SiteRules {
            title: compile(selectors.title.as_ref()),
            body: compile(selectors.body.as_ref()),
            published: compile(selectors.published.as_ref()),
            author: compile(selectors.author.as_ref()),
            remove: selectors
                .remove
                .iter()
                .filter_map(|s| compile(Some(s)))
                .collect(),
        }
    }

    /// Marks what the `remove` selectors match as removed.
    pub fn apply_removals(
        &self,
        html: &Html,
        dom: &mut Dom,
        index: &HashMap<ego_tree::NodeId, usize>,
    ) {
        if self.remove.is_empty() {
            return;
        }
        for selector in &self.remove {
            for el in html.select(selector) {
                if let Some(&i) = index.get(&el.id()) {
                    dom.remove_subtree(i);
                }
            }
        }
        dom.refresh_weights();
    }

    /// The body containers, when the body selector matches.
    pub fn body_roots(
        &self,
        html: &Html,
        dom: &Dom,
        index: &HashMap<ego_tree::NodeId, usize>,
    ) -> Vec<usize> {
        let Some(selector) = &self.body else {
            return Vec::new();
        };
        let mut roots: Vec<usize> = html
            .select(selector)
            .filter_map(|el| index.get(&el.id()).copied())
            .collect();
        roots.sort_unstable();
        // A match inside an earlier match is already read with it.
        let mut kept: Vec<usize> = Vec::new();
        for root in roots {
            if kept.last().is_none_or(|&k| root >= dom.nodes[k].end) {
                kept.push(root);
            }
        }
        kept
    }

    /// The headline, when the title selector matches text.
    pub fn title(&self, html: &Html) -> Option<String> {
        first_text(html, self.title.as_ref()?)
    }

    /// The publication time from the published selector: its `datetime` or
    /// `content` attribute, else its text.
    pub fn published(&self, html: &Html, tz: &TimeZone) -> Option<Timestamp> {
        let selector = self.published.as_ref()?;
        html.select(selector).find_map(|el| {
            el.value()
                .attr("datetime")
                .or_else(|| el.value().attr("content"))
                .and_then(|d| dates::parse(d, tz))
                .or_else(|| dates::parse(&text_of(el), tz))
        })
    }

    /// Author names from the author selector.
    pub fn authors(&self, html: &Html) -> Vec<String> {
        let Some(selector) = &self.author else {
            return Vec::new();
        };
        html.select(selector)
            .map(text_of)
            .filter(|t| !t.is_empty() && t.chars().count() < 120)
            .take(16)
            .collect()
    }
}

/// Maps scraper node ids to arena indices (`ids` from [`Dom::from_scraper`]).
pub fn index(ids: &[ego_tree::NodeId]) -> HashMap<ego_tree::NodeId, usize> {
    ids.iter().enumerate().map(|(i, &id)| (id, i)).collect()
}

fn first_text(html: &Html, selector: &Selector) -> Option<String> {
    html.select(selector).map(text_of).find(|t| !t.is_empty())
}

fn text_of(el: ElementRef) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
