//! Turns matches into scored tags: field weights, diminishing returns for
//! repeated mentions, a score in [0, 1], per-tag thresholds, roll-up to
//! parent tags, and the primary tag.

use super::matcher::Hit;
use super::taxonomy::KindTable;
use crate::model::{Evidence, Field, Tag};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// How much one mention weighs in each field. A title mention alone passes
/// the default threshold; a body mention needs company (three mentions, or
/// support from the title, lead or a child region).
pub const TITLE_WEIGHT: f32 = 1.0;
/// Weight of a mention in the lead paragraph.
pub const LEAD_WEIGHT: f32 = 0.6;
/// Weight of a mention in a later paragraph.
pub const BODY_WEIGHT: f32 = 0.3;
/// Weight of the dateline place: names where the story was filed, which is
/// often but not always what it is about; enough on its own (a dateline
/// place always counts).
pub const DATELINE_WEIGHT: f32 = 0.6;
/// Weight of the dateline for the country the place lies in: a wire story
/// filed from a city is about that city's country unless it says otherwise,
/// so this alone passes the default threshold.
pub const DATELINE_COUNTRY_WEIGHT: f32 = 0.6;

/// Stories up to this many bytes of text are short (a title and a lead or
/// two): one mention anywhere is enough.
pub const SHORT_STORY_BYTES: usize = 600;
/// From this many bytes on, a story needs the full threshold.
pub const LONG_STORY_BYTES: usize = 1500;
/// The share of a threshold's raw weight a short story needs: a single
/// later-paragraph mention (0.3) passes the default threshold (raw 0.545 ×
/// 0.45 = 0.245).
pub const SHORT_STORY_FACTOR: f32 = 0.45;

/// The raw weight a tag with `threshold` needs in a story of `bytes`: the
/// threshold's own below `SHORT_STORY_BYTES`, scaled by
/// `SHORT_STORY_FACTOR`, rising linearly to the full weight at
/// `LONG_STORY_BYTES`.
pub fn raw_needed(threshold: f32, bytes: usize) -> f32 {
    let full = -(1.0 - threshold.min(0.999)).ln();
    let span = (LONG_STORY_BYTES - SHORT_STORY_BYTES) as f32;
    let t = (bytes.saturating_sub(SHORT_STORY_BYTES) as f32 / span).min(1.0);
    full * (SHORT_STORY_FACTOR + (1.0 - SHORT_STORY_FACTOR) * t)
}

/// Weight of a subject or place code the wire itself gave (IPTC, ISO
/// 3166): the publisher's own coding passes the default threshold alone.
pub const SUBJECT_WEIGHT: f32 = 0.8;

/// Weight of a field.
pub fn field_weight(field: Field) -> f32 {
    match field {
        Field::Title => TITLE_WEIGHT,
        Field::Lead => LEAD_WEIGHT,
        Field::Body => BODY_WEIGHT,
        Field::Dateline => DATELINE_WEIGHT,
        Field::Child => 1.0,
        Field::Subject => SUBJECT_WEIGHT,
    }
}

/// `n` mentions count as `1 + ln n`: the second mention adds 0.69, the
/// tenth 0.1.
fn repeated(count: u32) -> f32 {
    1.0 + (count.max(1) as f32).ln()
}

/// The evidence of one story for one taxonomy kind, collected field by field.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    counts: BTreeMap<EvidenceKey, u32>,
}

/// What makes two mentions the same evidence (their count is summed).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct EvidenceKey {
    tag: usize,
    alias: Arc<str>,
    field: FieldKey,
    organization: bool,
    /// The weight factor's bits (f32 is not `Ord`).
    factor: u32,
    /// An ambiguous alias at a sentence start: counts only with support.
    needs_support: bool,
}

/// `Field` in a sortable form.
type FieldKey = u8;

fn field_key(field: Field) -> FieldKey {
    match field {
        Field::Title => 0,
        Field::Lead => 1,
        Field::Body => 2,
        Field::Dateline => 3,
        Field::Child => 4,
        Field::Subject => 5,
    }
}

fn key_field(key: FieldKey) -> Field {
    match key {
        0 => Field::Title,
        1 => Field::Lead,
        2 => Field::Body,
        3 => Field::Dateline,
        5 => Field::Subject,
        _ => Field::Child,
    }
}

impl Tally {
    /// Records one hit in a field.
    pub(crate) fn add(&mut self, field: Field, hit: &Hit) {
        let key = EvidenceKey {
            tag: hit.tag,
            alias: hit.alias.clone(),
            field: field_key(field),
            organization: hit.organization,
            factor: hit.weight.to_bits(),
            needs_support: hit.needs_support,
        };
        *self.counts.entry(key).or_insert(0) += 1;
    }

    /// Records the dateline place with a weight (the place itself, or its
    /// country).
    pub(crate) fn add_dateline(&mut self, tag: usize, place: &str, weight: f32) {
        let factor = weight / DATELINE_WEIGHT;
        *self
            .counts
            .entry(EvidenceKey {
                tag,
                alias: Arc::from(place),
                field: field_key(Field::Dateline),
                organization: false,
                factor: factor.to_bits(),
                needs_support: false,
            })
            .or_insert(0) += 1;
    }

    /// Records a subject or place code the wire gave for `tag`.
    pub(crate) fn add_subject(&mut self, tag: usize, code: &str) {
        *self
            .counts
            .entry(EvidenceKey {
                tag,
                alias: Arc::from(code),
                field: field_key(Field::Subject),
                organization: false,
                factor: 1f32.to_bits(),
                needs_support: false,
            })
            .or_insert(0) += 1;
    }

    /// Scores, thresholds and rolls up the tags of a story of `bytes` bytes
    /// of text, best first.
    pub(crate) fn into_tags(self, table: &KindTable, bytes: usize) -> Vec<Tag> {
        // An ambiguous alias (`Reading`, `Nice`) counts only when the story
        // names another place of the same country with a plain alias.
        let supported: HashSet<usize> = self
            .counts
            .keys()
            .filter(|k| !k.needs_support)
            .filter_map(|k| table.countries[k.tag])
            .collect();
        // Only the tags this story touches: a few dozen of thousands.
        let mut tally: BTreeMap<usize, TagTally> = BTreeMap::new();
        for (key, count) in self.counts {
            let EvidenceKey {
                tag,
                alias,
                field,
                organization: org,
                factor,
                needs_support,
            } = key;
            if needs_support && !table.countries[tag].is_some_and(|c| supported.contains(&c)) {
                continue;
            }
            let field = key_field(field);
            let alias = match (org, needs_support) {
                (true, _) => format!("{alias} (in an organization name)"),
                (false, true) => {
                    format!("{alias} (ambiguous: another place of its country supports it)")
                }
                (false, false) => alias.to_string(),
            };
            let weight = field_weight(field) * f32::from_bits(factor) * repeated(count);
            let entry = tally.entry(tag).or_default();
            entry.own += weight;
            entry.evidence.push(Evidence {
                alias,
                field,
                count,
                weight,
            });
        }
        // Roll-up: every ancestor gains the own weight of each descendant
        // that stands on its own evidence, once however many paths lead to
        // it (cn-zj → cn and cn-zj → cn-yrd → cn). Weak mentions of several
        // children (Italy, Spain and Poland once each) do not make the parent.
        let needed = |tag: usize| raw_needed(table.thresholds[tag], bytes);
        let standing: Vec<(usize, f32)> = tally
            .iter()
            .filter(|&(&tag, t)| t.own >= needed(tag))
            .map(|(&tag, t)| (tag, t.own))
            .collect();
        for (tag, own) in standing {
            for ancestor in ancestors(table, tag) {
                let entry = tally.entry(ancestor).or_default();
                entry.from_children += own;
                entry.evidence.push(Evidence {
                    alias: table.defs[tag].id.clone(),
                    field: Field::Child,
                    count: 1,
                    weight: own,
                });
            }
        }
        let mut kept: HashSet<usize> = tally
            .iter()
            .filter(|&(&tag, t)| t.total() >= needed(tag))
            .map(|(&tag, _)| tag)
            .collect();
        // A story about Hangzhou is about Zhejiang and China too.
        for tag in kept.clone() {
            kept.extend(ancestors(table, tag));
        }
        // The primary tag: the most own weight among the kept tags that no
        // other kept tag with own evidence is a more specific kind of (a
        // child beats its parents, `biomedicine` beats `manufacturing`).
        let own = |t: usize| tally.get(&t).map_or(0.0, |t| t.own);
        let generalized: HashSet<usize> = kept
            .iter()
            .filter(|&&t| own(t) > 0.0)
            .flat_map(|&t| {
                let mut general = ancestors(table, t);
                general.extend(&table.specializes[t]);
                general
            })
            .collect();
        let primary = kept
            .iter()
            .copied()
            .filter(|t| !generalized.contains(t) && own(*t) > 0.0)
            .max_by(|&a, &b| own(a).total_cmp(&own(b)).then(b.cmp(&a)))
            .or_else(|| {
                kept.iter()
                    .copied()
                    .max_by(|&a, &b| own(a).total_cmp(&own(b)).then(b.cmp(&a)))
            });
        let mut tags: Vec<Tag> = kept
            .into_iter()
            .map(|i| {
                let t = tally.remove(&i).unwrap_or_default();
                let mut evidence = t.evidence;
                evidence.sort_by(|a, b| b.weight.total_cmp(&a.weight));
                Tag {
                    id: table.defs[i].id.clone(),
                    score: score(t.own + t.from_children).clamp(0.0, 1.0),
                    primary: Some(i) == primary,
                    evidence,
                }
            })
            .collect();
        tags.sort_by(|a, b| {
            b.primary
                .cmp(&a.primary)
                .then(b.score.total_cmp(&a.score))
                .then(a.id.cmp(&b.id))
        });
        tags
    }
}

/// The weights and evidence of one tag in one story.
#[derive(Debug, Default)]
struct TagTally {
    /// Weight of the tag's own evidence.
    own: f32,
    /// Weight inherited from descendants that stand on their own.
    from_children: f32,
    evidence: Vec<Evidence>,
}

impl TagTally {
    fn total(&self) -> f32 {
        self.own + self.from_children
    }
}

/// Raw weight to a score in [0, 1].
fn score(raw: f32) -> f32 {
    1.0 - (-raw).exp()
}

/// Every ancestor of a tag, each once (computed when the table is built).
fn ancestors(table: &KindTable, tag: usize) -> Vec<usize> {
    table.ancestors[tag].clone()
}
