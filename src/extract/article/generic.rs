//! Finding the main content without site rules: text density and link
//! density, in the manner of readability, with text measured in characters
//! (a CJK character weighs about a word) so Chinese and Japanese pages score
//! like Latin ones.
//!
//! Every block that holds text of its own is a paragraph candidate. Its score
//! (one point, plus one per comma or CJK comma/full stop, plus one per 100
//! weight units up to three) flows to its ancestors, halving at the
//! grandparent and thinning further up. Each ancestor starts from a bonus for
//! its tag and its class name. The best ancestor, discounted by its link
//! density, is the article; siblings that score close to it, or that are
//! clean paragraphs, join it.

use super::dom::{self, Dom, Kind};
use super::text;

/// Paragraph candidates hold at least this much weight of their own text.
const MIN_PARAGRAPH_WEIGHT: u32 = 25;

/// How many ancestors receive a paragraph's score.
const ANCESTOR_LEVELS: usize = 5;

/// Text that a block holds itself, outside nested blocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct OwnText {
    /// Weight of the text (see [`dom::text_weight`]).
    pub weight: u32,
    /// Weight of the part inside links.
    pub link_weight: u32,
    /// Commas, CJK commas and full stops: a cheap sign of prose.
    pub commas: u32,
}

/// For each node, the nearest block ancestor-or-self (the block that owns
/// its inline text). The root owns itself.
pub fn owners(dom: &Dom) -> Vec<usize> {
    let mut owner = vec![0usize; dom.nodes.len()];
    for i in 0..dom.nodes.len() {
        owner[i] = match (dom.tag(i), dom.nodes[i].parent) {
            (Some(name), _) if dom::is_block(name) => i,
            (_, Some(p)) => owner[p],
            (_, None) => i,
        };
    }
    owner
}

/// The own text of every block (zero for non-blocks).
pub fn own_text(dom: &Dom, owner: &[usize]) -> Vec<OwnText> {
    let mut own = vec![OwnText::default(); dom.nodes.len()];
    let mut in_link = vec![false; dom.nodes.len()];
    for i in 0..dom.nodes.len() {
        if dom.removed[i] {
            continue;
        }
        let parent_link = dom.nodes[i].parent.is_some_and(|p| in_link[p]);
        in_link[i] = parent_link || dom.is_link(i);
        if let Kind::Text(text) = &dom.nodes[i].kind {
            let weight = dom.weight[i];
            let block = &mut own[owner[i]];
            block.weight += weight;
            if in_link[i] {
                block.link_weight += weight;
            }
            block.commas += count_commas(text);
        }
    }
    own
}

/// Commas, CJK commas and full stops (`,` `，` `、` `。` `；`).
fn count_commas(text: &str) -> u32 {
    let bytes = text.as_bytes();
    // `，` is EF BC 8C, `；` EF BC 9B, `、` E3 80 81, `。` E3 80 82.
    let mut count = memchr::memchr_iter(b',', bytes).count() as u32;
    for at in memchr::memchr2_iter(0xEF, 0xE3, bytes) {
        count += u32::from(matches!(
            bytes.get(at..at + 3),
            Some([0xEF, 0xBC, 0x8C | 0x9B] | [0xE3, 0x80, 0x81 | 0x82])
        ));
    }
    count
}

/// The article roots, in document order: the best candidate and the
/// siblings that belong with it. Empty when the page has no prose.
///
/// Four phases: score every container by the paragraphs below it, pick the
/// best, climb (or descend) to the container that holds the whole story,
/// and join the siblings that belong with it.
pub fn content_roots(dom: &Dom) -> Vec<usize> {
    let owner = owners(dom);
    let own = own_text(dom, &owner);
    let scores = score_candidates(dom, &own);
    let Some(best) = pick_best(dom, &scores) else {
        return Vec::new();
    };
    let mut top = climb(dom, &scores.score, best);
    top = descend_to_content(dom, &scores, top);
    if let Some(marked) = marked_article_body(dom, top) {
        top = marked;
    }
    join_siblings(dom, &scores, &own, top)
}

/// What scoring found: per node, `NaN` for what is not a candidate.
struct Scores {
    /// Readability's score: tag and class bonus plus the paragraphs below,
    /// discounted by link density.
    score: Vec<f32>,
    /// The same without the tag and class bonuses, to see which candidate
    /// holds the content and which only has a content-like name.
    content_only: Vec<f32>,
    /// Captions are kept apart: they neither score nor win.
    in_caption: Vec<bool>,
}

/// Phase 1: every paragraph candidate gives its score to its nearest
/// ancestors; each scored container is then discounted by its link density.
fn score_candidates(dom: &Dom, own: &[OwnText]) -> Scores {
    let n = dom.nodes.len();
    let mut score = vec![f32::NAN; n];
    let mut content_only = vec![0f32; n];
    let init = |i: usize| -> f32 {
        let Some(el) = dom.element(i) else {
            return 0.0;
        };
        let tag_bonus = match el.name() {
            "div" | "article" | "section" | "main" => 5.0,
            "pre" | "td" | "blockquote" => 3.0,
            "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
            _ => 0.0,
        };
        tag_bonus + dom.class_weight(i)
    };
    let mut in_caption = vec![false; n];
    for i in 0..n {
        in_caption[i] = dom.nodes[i].parent.is_some_and(|p| in_caption[p])
            || dom
                .tag(i)
                .is_some_and(|name| text::is_caption(dom, i, name));
    }
    for i in 0..n {
        if dom.removed[i] || in_caption[i] || own[i].weight < MIN_PARAGRAPH_WEIGHT {
            continue;
        }
        let Some(name) = dom.tag(i) else { continue };
        if dom::is_heading(name) || matches!(name, "dt" | "th" | "a") {
            continue;
        }
        let text = own[i];
        let mut content = 1.0 + text.commas as f32 + (text.weight as f32 / 100.0).floor().min(3.0);
        // Link lists are not prose.
        content *= 1.0 - text.link_weight as f32 / text.weight as f32;
        let mut level = 0;
        let mut at = dom.nodes[i].parent;
        // A block of text scores its container; a div that is itself the
        // paragraph also scores its parent, as readability's div-to-p does.
        while let Some(a) = at {
            if level >= ANCESTOR_LEVELS || dom.element(a).is_none() {
                break;
            }
            if score[a].is_nan() {
                score[a] = init(a);
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[a] += content / divider;
            content_only[a] += content / divider;
            level += 1;
            at = dom.nodes[a].parent;
        }
    }
    for i in 0..n {
        if score[i].is_nan() || dom.removed[i] || in_caption[i] {
            continue;
        }
        score[i] *= 1.0 - dom.link_density(i);
        content_only[i] *= 1.0 - dom.link_density(i);
    }
    Scores {
        score,
        content_only,
        in_caption,
    }
}

/// Phase 2: the best-scoring container (the first of equals), or the holder
/// of several near-equal alternatives.
fn pick_best(dom: &Dom, scores: &Scores) -> Option<usize> {
    let score = &scores.score;
    let mut best: Option<usize> = None;
    for i in 0..dom.nodes.len() {
        if score[i].is_nan() || dom.removed[i] || scores.in_caption[i] {
            continue;
        }
        if best.is_none_or(|b| score[i] > score[b]) {
            best = Some(i);
        }
    }
    let top = best?;
    Some(holder_of_alternatives(dom, score, &scores.in_caption, top).unwrap_or(top))
}

/// Phase 3a: climbs while a parent scores better: the story may be split
/// over several sibling containers that the parent holds together.
fn climb(dom: &Dom, score: &[f32], mut top: usize) -> usize {
    let mut last = score[top];
    let threshold = score[top] / 3.0;
    let mut at = dom.nodes[top].parent;
    while let Some(p) = at {
        if matches!(dom.tag(p), Some("body") | Some("html") | None) {
            break;
        }
        if !score[p].is_nan() {
            if score[p] < threshold {
                break;
            }
            if score[p] > last {
                top = p;
                break;
            }
            last = score[p];
        }
        at = dom.nodes[p].parent;
    }
    top
}

/// Phase 3b: a wrapper whose class name won it the lead, but whose text
/// nearly all sits in one scored child, gives the lead to that child: the
/// wrapper's other text is date lines, share bars and notes.
fn descend_to_content(dom: &Dom, scores: &Scores, mut top: usize) -> usize {
    let Scores {
        score,
        content_only,
        ..
    } = scores;
    'descend: loop {
        let mut child = top + 1;
        while child < dom.nodes[top].end {
            if !score[child].is_nan()
                && !dom.removed[child]
                && content_only[child] >= content_only[top]
                && dom.weight[child] * 10 >= dom.weight[top] * 8
            {
                top = child;
                continue 'descend;
            }
            child = dom.nodes[child].end;
        }
        break;
    }
    top
}

/// Phase 4: the story container and the siblings that belong with it, in
/// document order: those whose own text scores close to it, clean
/// paragraphs, and cousins of the same class.
fn join_siblings(dom: &Dom, scores: &Scores, own: &[OwnText], top: usize) -> Vec<usize> {
    let Scores {
        score,
        content_only,
        ..
    } = scores;
    let Some(parent) = dom.nodes[top].parent else {
        return vec![top];
    };
    let top_score = if score[top].is_nan() { 0.0 } else { score[top] };
    let top_class = dom.element(top).and_then(base_class);
    let join_threshold = (top_score * 0.2).max(10.0);
    let mut roots = Vec::new();
    let mut child = parent + 1;
    while child < dom.nodes[parent].end {
        let next = dom.nodes[child].end;
        if child == top {
            roots.push(child);
        } else if !dom.removed[child] && dom.element(child).is_some() {
            // What the sibling's own text earned: a content-like class name
            // alone (`article_status`, `articleRegist`) does not make a date
            // line or a sign-up box part of the story.
            let mut sibling_score = if score[child].is_nan() {
                0.0
            } else {
                content_only[child]
            };
            let el = dom.element(child).expect("checked");
            if top_class.is_some() && base_class(el) == top_class {
                sibling_score += top_score * 0.2;
            }
            let joins = sibling_score >= join_threshold || is_clean_paragraph(dom, own, child);
            if joins {
                roots.push(child);
            }
        }
        child = next;
    }
    add_same_class_cousins(dom, score, top, &mut roots);
    roots
}

/// Non-link text a link box may hold: its label ("Read more", "Related").
const LINK_BOX_LABEL_WEIGHT: u32 = 50;

/// Marks removed the link boxes inside the story: a `div`, `section` or
/// `aside` around a list whose text is links to other pages but for a
/// label. Such a box
/// ("Read more" with two headlines) sits between paragraphs, where a bare
/// list of links is kept as part of the story (a digest's highlights); the
/// wrapper is what tells the two apart.
pub fn drop_link_boxes(dom: &mut Dom, roots: &[usize]) {
    let mut dropped = false;
    for &root in roots {
        let mut i = root + 1;
        while i < dom.nodes[root].end {
            let end = dom.nodes[i].end;
            if !dom.removed[i] && is_link_box(dom, i) {
                dom.remove_subtree(i);
                dropped = true;
                i = end;
            } else {
                i += 1;
            }
        }
    }
    if dropped {
        dom.refresh_weights();
    }
}

fn is_link_box(dom: &Dom, i: usize) -> bool {
    if !matches!(dom.tag(i), Some("div" | "section" | "aside")) {
        return false;
    }
    let (weight, links) = (dom.weight[i], dom.link_weight[i]);
    if weight == 0 || links * 10 < weight * 7 || weight - links >= LINK_BOX_LABEL_WEIGHT {
        return false;
    }
    // Links within the page (`#section`) make a table of contents, which
    // is part of the story.
    let inside = i + 1..dom.nodes[i].end;
    let (mut outward, mut in_page) = (0, 0);
    for j in inside.clone().filter(|&j| dom.is_link(j)) {
        let href = dom.element(j).and_then(|el| el.attr("href")).unwrap_or("");
        if href.trim_start().starts_with('#') {
            in_page += 1;
        } else {
            outward += 1;
        }
    }
    outward >= 2
        && outward > in_page
        && inside
            .into_iter()
            .any(|j| matches!(dom.tag(j), Some("ul" | "ol")))
}

/// The element that schema.org microdata names the story's body
/// (`itemprop="articleBody"`), when there is one and it agrees with the
/// best candidate: it holds the candidate (the story continues in sibling
/// blocks the scores did not join) without being a frame of links, or it
/// sits inside the candidate and holds most of its text.
fn marked_article_body(dom: &Dom, top: usize) -> Option<usize> {
    let is_marked = |i: usize| {
        dom.element(i)
            .and_then(|e| e.attr("itemprop"))
            .is_some_and(|p| {
                p.split_ascii_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("articleBody"))
            })
    };
    let mut marked = (0..dom.nodes.len()).filter(|&i| !dom.removed[i] && is_marked(i));
    let body = marked.next()?;
    if marked.next().is_some() {
        return None;
    }
    let holds = |outer: usize, inner: usize| outer <= inner && inner < dom.nodes[outer].end;
    if holds(body, top) && dom.link_density(body) <= MAX_HOLDER_LINK_DENSITY {
        return Some(body);
    }
    if holds(top, body) && dom.weight[body] * 10 >= dom.weight[top] * 6 {
        return Some(body);
    }
    None
}

/// How many of the next best candidates are looked at.
const ALTERNATIVES: usize = 4;

/// How many close alternatives show a story split into parts.
const MIN_ALTERNATIVES: usize = 3;

/// Link density above which an ancestor is a page frame, not a holder.
const MAX_HOLDER_LINK_DENSITY: f32 = 0.35;

/// A story cut into parts (sections, "component" blocks between embeds)
/// gives several candidates of nearly the same score. When at least three of
/// the next best four score three quarters of the best, the nearest
/// ancestor of the best that holds three of them is the article (the rule
/// readability uses for the same problem).
fn holder_of_alternatives(
    dom: &Dom,
    score: &[f32],
    in_caption: &[bool],
    top: usize,
) -> Option<usize> {
    let mut ranked: Vec<usize> = (0..dom.nodes.len())
        .filter(|&i| i != top && !score[i].is_nan() && !dom.removed[i] && !in_caption[i])
        .collect();
    ranked.sort_unstable_by(|&a, &b| score[b].total_cmp(&score[a]));
    let close: Vec<usize> = ranked
        .into_iter()
        .take(ALTERNATIVES)
        .filter(|&i| score[i] >= score[top] * 0.75)
        .collect();
    if close.len() < MIN_ALTERNATIVES {
        return None;
    }
    let mut at = dom.nodes[top].parent;
    while let Some(a) = at {
        if matches!(dom.tag(a), Some("body" | "html") | None) {
            return None;
        }
        let held = close
            .iter()
            .filter(|&&c| a < c && c < dom.nodes[a].end)
            .count();
        if held >= MIN_ALTERNATIVES {
            // A page frame full of link boxes is not the story's holder.
            return (dom.link_density(a) <= MAX_HOLDER_LINK_DENSITY).then_some(a);
        }
        at = dom.nodes[a].parent;
    }
    None
}

/// The first class word: `block-text` and `block-text block-text_lead` are
/// one kind of block (a base class and its modifier).
fn base_class(el: dom::ElementRef<'_>) -> Option<&str> {
    el.attr("class")?.split_ascii_whitespace().next()
}

/// Long stories are often cut into several containers of one class with
/// ads or teasers between them, each under its own wrapper. Elements with
/// the best container's exact tag and class that score at least a fifth of
/// it, clean of links and not inside what is already taken, join it.
fn add_same_class_cousins(dom: &Dom, score: &[f32], top: usize, roots: &mut Vec<usize>) {
    let Some(el) = dom.element(top) else { return };
    // The first class word: `block-text` and `block-text block-text_lead`
    // are one kind of block (a base class and its modifier).
    let Some(class) = el
        .attr("class")
        .and_then(|c| c.split_ascii_whitespace().next())
    else {
        return;
    };
    let name = el.name();
    let mut i = 0;
    let mut added = false;
    while i < dom.nodes.len() {
        if roots.iter().any(|&r| r <= i && i < dom.nodes[r].end) {
            i = dom.nodes[i].end;
            continue;
        }
        let same = dom.element(i).is_some_and(|e| {
            e.name() == name
                && e.attr("class")
                    .and_then(|c| c.split_ascii_whitespace().next())
                    == Some(class)
        });
        // At least a fifth of the best container's score, but not a second
        // story as long as it.
        let scores_well = !score[i].is_nan()
            && score[i] >= score[top] * 0.2
            && dom.weight[i] * 4 < dom.weight[top] * 3;
        // A cousin with its own headline is another story (a page that
        // shows the next article below this one), not a part of this one.
        let own_headline =
            || (i..dom.nodes[i].end).any(|j| matches!(dom.tag(j), Some("h1" | "h2")));
        if same && scores_well && !dom.removed[i] && dom.link_density(i) < 0.3 && !own_headline() {
            roots.push(i);
            added = true;
            i = dom.nodes[i].end;
            continue;
        }
        i += 1;
    }
    if added {
        roots.sort_unstable();
    }
}

/// A sibling paragraph that reads like prose: long and with few links, or
/// short, link-free and holding a sentence (a comma, or a full stop,
/// question or exclamation mark after a word).
fn is_clean_paragraph(dom: &Dom, own: &[OwnText], i: usize) -> bool {
    if dom.tag(i) != Some("p") {
        return false;
    }
    let weight = dom.weight[i];
    let density = dom.link_density(i);
    if weight > 80 && density < 0.25 {
        return true;
    }
    weight > 0 && density == 0.0 && (own[i].commas > 0 || holds_sentence(dom, i))
}

/// Whether a subtree's text has a sentence end: `.`, `!` or `?` followed
/// by white space or the end, or a CJK full stop or mark.
fn holds_sentence(dom: &Dom, i: usize) -> bool {
    (i..dom.nodes[i].end).any(|j| {
        dom.text(j).is_some_and(|t| {
            let t = t.trim_end();
            t.ends_with(['.', '!', '?', '。', '！', '？'])
                || t.contains(". ")
                || t.contains("! ")
                || t.contains("? ")
        })
    })
}
