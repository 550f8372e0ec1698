//! A source's own CSS selectors (`[article]` in its TOML): they win over the
//! generic extractor for whatever they find.
//!
//! Selector matching needs scraper's tree, so only pages of sources with
//! selectors are parsed by html5ever; the arena is then flattened from that
//! tree ([`flatten`]) and the generic passes run on it as usual.

use super::dates;
use super::dom::{Attr, Dom, Kind, MAX_DEPTH, Node};
use crate::config::ArticleSelectors;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use scraper::{ElementRef, Html, Selector};
use std::borrow::Cow;
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

/// Flattens a page parsed by html5ever (for selector matching) into the
/// arena, not yet cleaned; also returns each arena node's id in scraper's
/// tree.
///
/// html5ever keeps any depth; nesting is capped here as the built-in
/// parser caps it ([`MAX_DEPTH`]): an element deeper than
/// that becomes an empty sibling and its content moves up to the
/// deepest kept ancestor, so later passes never face hostile depth.
pub fn flatten(html: &Html) -> (Dom<'_>, Vec<ego_tree::NodeId>) {
    let mut nodes: Vec<Node<'_>> = Vec::with_capacity(1024);
    let mut attrs: Vec<Attr<'_>> = Vec::with_capacity(1024);
    let mut ids = Vec::with_capacity(1024);
    let mut stack: Vec<usize> = Vec::with_capacity(64);
    // For each open node of scraper's tree, whether it is on `stack`.
    let mut kept: Vec<bool> = Vec::with_capacity(64);
    for edge in html.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => {
                let kind = match node.value() {
                    scraper::Node::Element(el) => {
                        let first = attrs.len() as u32;
                        attrs.extend(el.attrs().map(|(name, value)| Attr {
                            name: Cow::Borrowed(name),
                            value: Cow::Borrowed(value),
                        }));
                        Kind::Element {
                            name: Cow::Borrowed(el.name()),
                            attrs: (first, attrs.len() as u32),
                        }
                    }
                    scraper::Node::Text(text) => Kind::Text(Cow::Borrowed(text)),
                    _ => Kind::Other,
                };
                let index = nodes.len();
                nodes.push(Node {
                    parent: stack.last().copied(),
                    end: index + 1,
                    kind,
                });
                ids.push(node.id());
                // The root is not counted, as in the built-in parser.
                let keep = stack.len() <= MAX_DEPTH;
                if keep {
                    stack.push(index);
                }
                kept.push(keep);
            }
            ego_tree::iter::Edge::Close(_) => {
                if kept.pop() == Some(true)
                    && let Some(index) = stack.pop()
                {
                    nodes[index].end = nodes.len();
                }
            }
        }
    }
    (Dom::from_parts(nodes, attrs), ids)
}

/// Maps scraper node ids to arena indices (`ids` from [`flatten`]).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html5ever_trees_are_flattened_with_the_depth_capped() {
        let page = "<div>".repeat(3000) + "deep text" + &"</div>".repeat(3000) + "<p>after</p>";
        let html = scraper::Html::parse_document(&page);
        let (dom, ids) = flatten(&html);
        assert_eq!(ids.len(), dom.nodes.len());
        let depth = |mut at: usize| {
            let mut depth = 0;
            while let Some(p) = dom.nodes[at].parent {
                depth += 1;
                at = p;
            }
            depth
        };
        let deepest = (0..dom.nodes.len()).map(depth).max().unwrap();
        assert!(deepest <= MAX_DEPTH + 1, "depth {deepest}");
        // Still a preorder tree, and no text is lost.
        for (i, node) in dom.nodes.iter().enumerate().skip(1) {
            let parent = node.parent.unwrap();
            assert!(parent < i && node.end > i && node.end <= dom.nodes[parent].end);
        }
        let texts: Vec<&str> = (0..dom.nodes.len()).filter_map(|i| dom.text(i)).collect();
        assert_eq!(texts, ["deep text", "after"]);
    }
}
