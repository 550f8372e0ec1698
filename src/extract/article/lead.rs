//! The standfirst: the publisher's summary shown above the story, often in
//! a block of its own outside the container the body sits in (a lead
//! paragraph in the header, an abstract above the sections). It is story
//! text. It is found by the page's own summary (`og:description`,
//! `description`): the block nearest before the body whose text is that
//! summary joins the body.

use super::dom::{self, Dom, Kind};

/// Shortest summary worth looking for (a few words, a short CJK sentence).
const MIN_WEIGHT: u32 = 40;

/// The block before the first root that shows the page's summary, if any.
pub fn standfirst(dom: &Dom, roots: &[usize], summary: &str, title: &str) -> Option<usize> {
    let &first = roots.first()?;
    let key = squash(summary.trim_end_matches(['.', '…', ' ']));
    let weight = dom::text_weight(summary);
    if weight < MIN_WEIGHT || key.is_empty() || key == squash(title) {
        return None;
    }
    let mut found = None;
    for (i, raw) in raw_weights(dom, first).into_iter().enumerate() {
        // A standfirst often sits in the story's `<header>`, which cleaning
        // took out with the headline and the byline.
        if dom.hard[i] || dom.nodes[i].end > first {
            continue;
        }
        let Some(name) = dom.tag(i) else { continue };
        if !dom::is_block(name) || dom::is_heading(name) {
            continue;
        }
        // Cheap filter before reading the text (weights of removed
        // subtrees are zero, so the raw length is used).
        if raw * 10 < weight * 6 || raw * 10 > weight * 17 {
            continue;
        }
        let text = subtree_text(dom, i);
        let (short, long) = if text.len() < key.len() {
            (&text, &key)
        } else {
            (&key, &text)
        };
        if short.len() * 10 >= long.len() * 6 && long.contains(short.as_str()) {
            found = Some(i);
        }
    }
    found
}

/// Letters and digits of a subtree's text, lower case.
fn subtree_text(dom: &Dom, i: usize) -> String {
    let mut out = String::new();
    for j in i..dom.nodes[i].end {
        if !dom.hard[j]
            && let Kind::Text(text) = &dom.nodes[j].kind
        {
            squash_into(text, &mut out);
        }
    }
    out
}

/// Text weight of the subtree of every node before `first`, removed parts
/// included (what is never text has no text weight), summed bottom-up in
/// one pass: summing each candidate's subtree on its own costs the depth
/// of the page times its size.
fn raw_weights(dom: &Dom, first: usize) -> Vec<u32> {
    let mut raw = dom.text_weight[..first].to_vec();
    for j in (1..first).rev() {
        if let Some(p) = dom.nodes[j].parent {
            raw[p] += raw[j];
        }
    }
    raw
}

fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    squash_into(text, &mut out);
    out
}

/// Appends the letters and digits of `text`, lower case. ASCII is handled
/// without the Unicode tables: candidates' text is read over and over, one
/// nested block at a time.
fn squash_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
}
