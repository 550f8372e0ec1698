//! Turns matches into scored tags: field weights, diminishing returns for
//! repeated mentions, a score in [0, 1], per-tag thresholds, roll-up to
//! parent tags, and the primary tag.

use super::matcher::Hit;
use super::taxonomy::KindTable;
use crate::model::{Evidence, Field, Tag};
use std::collections::{BTreeMap, HashSet};

/// How much one mention weighs in each field. A title mention alone passes
/// the default threshold; a body mention needs company (three mentions, or
/// support from the title, lead or a child region).
pub const TITLE_WEIGHT: f32 = 1.0;
/// Weight of a mention in the lead paragraph.
pub const LEAD_WEIGHT: f32 = 0.6;
/// Weight of a mention in a later paragraph.
pub const BODY_WEIGHT: f32 = 0.28;
/// Weight of the dateline place: names where the story was filed, which is
/// often but not always what it is about.
pub const DATELINE_WEIGHT: f32 = 0.45;

/// Weight of a field.
pub fn field_weight(field: Field) -> f32 {
    match field {
        Field::Title => TITLE_WEIGHT,
        Field::Lead => LEAD_WEIGHT,
        Field::Body => BODY_WEIGHT,
        Field::Dateline => DATELINE_WEIGHT,
        Field::Child => 1.0,
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
    /// (tag, alias, field, organization, weight factor) → count.
    counts: BTreeMap<(usize, String, FieldKey, bool, u32), u32>,
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
    }
}

fn key_field(key: FieldKey) -> Field {
    match key {
        0 => Field::Title,
        1 => Field::Lead,
        2 => Field::Body,
        3 => Field::Dateline,
        _ => Field::Child,
    }
}

impl Tally {
    /// Records one hit in a field.
    pub(crate) fn add(&mut self, field: Field, hit: &Hit) {
        let alias = if hit.organization {
            format!("{} (in an organization name)", hit.alias)
        } else {
            hit.alias.to_string()
        };
        *self
            .counts
            .entry((
                hit.tag,
                alias,
                field_key(field),
                hit.organization,
                hit.weight.to_bits(),
            ))
            .or_insert(0) += 1;
    }

    /// Records the dateline place.
    pub(crate) fn add_dateline(&mut self, tag: usize, place: &str) {
        *self
            .counts
            .entry((
                tag,
                place.to_string(),
                field_key(Field::Dateline),
                false,
                1.0f32.to_bits(),
            ))
            .or_insert(0) += 1;
    }

    /// Scores, thresholds and rolls up the tags, best first.
    pub(crate) fn into_tags(self, table: &KindTable) -> Vec<Tag> {
        let n = table.defs.len();
        let mut own_raw = vec![0f32; n];
        let mut evidence: Vec<Vec<Evidence>> = vec![Vec::new(); n];
        for ((tag, alias, field, _org, factor), count) in self.counts {
            let field = key_field(field);
            let weight = field_weight(field) * f32::from_bits(factor) * repeated(count);
            own_raw[tag] += weight;
            evidence[tag].push(Evidence {
                alias,
                field,
                count,
                weight,
            });
        }
        // Roll-up: every ancestor gains each descendant's own weight once,
        // however many paths lead to it (cn-zj → cn and cn-zj → cn-yrd → cn).
        let mut total = own_raw.clone();
        let mut touched: Vec<usize> = (0..n).filter(|&i| own_raw[i] > 0.0).collect();
        for &tag in &touched.clone() {
            for ancestor in ancestors(table, tag) {
                total[ancestor] += own_raw[tag];
                evidence[ancestor].push(Evidence {
                    alias: table.defs[tag].id.clone(),
                    field: Field::Child,
                    count: 1,
                    weight: own_raw[tag],
                });
                touched.push(ancestor);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        let score = |raw: f32| 1.0 - (-raw).exp();
        let mut kept: HashSet<usize> = touched
            .iter()
            .copied()
            .filter(|&i| score(total[i]) >= table.thresholds[i])
            .collect();
        // A story about Hangzhou is about Zhejiang and China too.
        for &tag in &kept.clone() {
            kept.extend(ancestors(table, tag));
        }
        let primary = kept
            .iter()
            .copied()
            .max_by(|&a, &b| own_raw[a].total_cmp(&own_raw[b]).then(b.cmp(&a)));
        let mut tags: Vec<Tag> = kept
            .into_iter()
            .map(|i| {
                let mut ev = std::mem::take(&mut evidence[i]);
                ev.sort_by(|a, b| b.weight.total_cmp(&a.weight));
                Tag {
                    id: table.defs[i].id.clone(),
                    score: score(total[i]).clamp(0.0, 1.0),
                    primary: Some(i) == primary,
                    evidence: ev,
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

/// Every ancestor of a tag, each once.
fn ancestors(table: &KindTable, tag: usize) -> Vec<usize> {
    let mut seen = HashSet::new();
    let mut stack = table.parents[tag].clone();
    let mut out = Vec::new();
    while let Some(p) = stack.pop() {
        if p != tag && seen.insert(p) {
            out.push(p);
            stack.extend(&table.parents[p]);
        }
    }
    out
}
