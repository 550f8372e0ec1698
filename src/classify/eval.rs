//! Scores the classifier against a hand-labeled set of stories: precision,
//! recall and F1 per tag kind and per language. Shared by the evaluation
//! test (a floor that fails CI on regression) and the `classify_eval` bench.
//!
//! Labels list the most specific tags a reader expects; their ancestors
//! (`cn-zj-hangzhou` → `cn-zj`, `cn-yrd`, `cn`) are added before comparing,
//! because the classifier rolls tags up the same way.

use super::{Taxonomy, classify};
use crate::model::{Article, Dateline, Script, TagKind};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// One labeled story (one line of the JSONL file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabeledStory {
    /// Stable id.
    pub id: String,
    /// Language tag: `zh-Hans`, `zh-Hant`, `en`, `ja`, `ko`.
    pub lang: String,
    /// Where the text comes from.
    #[serde(default)]
    pub source: String,
    /// Headline.
    pub title: String,
    /// Paragraphs; the first is the lead.
    pub body: Vec<String>,
    /// The dateline place, when the story has one.
    #[serde(default)]
    pub dateline_place: Option<String>,
    /// Most specific regions a reader expects.
    pub regions: Vec<String>,
    /// Industries a reader expects.
    pub industries: Vec<String>,
    /// The industry the story is mainly about, when it has one: scored
    /// against the classifier's primary industry.
    #[serde(default)]
    pub primary_industry: Option<String>,
    /// Subsets the story belongs to (`real`, `short`, `ambiguous` ...):
    /// each is scored apart as well.
    #[serde(default)]
    pub classes: Vec<String>,
}

impl LabeledStory {
    /// The story as the classifier sees it.
    pub fn to_article(&self) -> Article {
        let (lang, script) = match self.lang.as_str() {
            "zh-Hans" => ("zh", Some(Script::Hans)),
            "zh-Hant" => ("zh", Some(Script::Hant)),
            other => (other, None),
        };
        Article {
            title: self.title.clone(),
            lang: lang.to_string(),
            script,
            body: self.body.clone(),
            dateline: self.dateline_place.as_ref().map(|place| Dateline {
                place: Some(place.clone()),
                ..Dateline::default()
            }),
            ..Article::default()
        }
    }
}

/// Why a labeled set cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not a valid story.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads a JSONL file of labeled stories; blank lines are skipped.
pub fn load_labeled(path: &Path) -> Result<Vec<LabeledStory>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.display().to_string(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| EvalError::Parse {
                path: path.display().to_string(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// True/false positive and false negative counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Tags given and expected.
    pub tp: usize,
    /// Tags given, not expected.
    pub fp: usize,
    /// Tags expected, not given.
    pub fn_: usize,
}

impl Counts {
    /// Precision (1 when nothing was given).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Recall (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// One disagreement between the classifier and the labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// Story id.
    pub story: String,
    /// Tag kind.
    pub kind: TagKind,
    /// Tags given but not expected.
    pub extra: Vec<String>,
    /// Tags expected but not given.
    pub missing: Vec<String>,
}

/// Micro-averaged counts per (kind, language), plus the disagreements.
#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    /// Counts per tag kind and language tag.
    pub counts: BTreeMap<(&'static str, String), Counts>,
    /// Counts per tag kind and story class (`short`, `real` ...).
    pub by_class: BTreeMap<(&'static str, String), Counts>,
    /// Stories labeled with a primary industry, and how many of them the
    /// classifier gave that industry as its primary.
    pub primary: (usize, usize),
    /// Stories whose primary industry disagrees: (story, expected, given).
    pub primary_misses: Vec<(String, String, Option<String>)>,
    /// Every story where classifier and labels disagree.
    pub misses: Vec<Miss>,
    /// Stories scored.
    pub stories: usize,
    /// Bytes of text scored (title + body).
    pub bytes: usize,
}

impl EvalReport {
    /// Counts of one kind over all languages.
    pub fn total(&self, kind: TagKind) -> Counts {
        let mut sum = Counts::default();
        for ((k, _), c) in &self.counts {
            if *k == kind.as_str() {
                sum.add(*c);
            }
        }
        sum
    }

    /// Micro F1 of one kind in one language.
    pub fn lang_f1(&self, kind: TagKind, lang: &str) -> f64 {
        self.counts
            .get(&(kind.as_str(), lang.to_string()))
            .copied()
            .unwrap_or_default()
            .f1()
    }

    /// Share of stories with a labeled primary industry whose primary
    /// industry the classifier got right (1 when none is labeled).
    pub fn primary_accuracy(&self) -> f64 {
        ratio(self.primary.0, self.primary.1)
    }

    /// Every disagreement, one line each: primary industries first, then
    /// the extra and missing tags per story and kind.
    pub fn misses_text(&self) -> String {
        let mut out = String::new();
        for (story, expected, given) in &self.primary_misses {
            let _ = writeln!(
                out,
                "{story:<28} primary   expected {expected} given {given:?}"
            );
        }
        for miss in &self.misses {
            let _ = writeln!(
                out,
                "{:<28} {:<9} extra {:?} missing {:?}",
                miss.story,
                miss.kind.as_str(),
                miss.extra,
                miss.missing
            );
        }
        out
    }

    /// A plain-text table: one row per kind and language, then totals.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<9} {:<8} {:>5} {:>5} {:>5} {:>7} {:>7} {:>7}",
            "kind", "lang", "tp", "fp", "fn", "P", "R", "F1"
        );
        let row = |out: &mut String, kind: &str, lang: &str, c: &Counts| {
            let _ = writeln!(
                out,
                "{:<9} {:<8} {:>5} {:>5} {:>5} {:>7.3} {:>7.3} {:>7.3}",
                kind,
                lang,
                c.tp,
                c.fp,
                c.fn_,
                c.precision(),
                c.recall(),
                c.f1()
            );
        };
        for ((kind, lang), c) in &self.counts {
            row(&mut out, kind, lang, c);
        }
        for kind in [TagKind::Region, TagKind::Industry] {
            row(&mut out, kind.as_str(), "ALL", &self.total(kind));
        }
        for ((kind, class), c) in &self.by_class {
            row(&mut out, kind, &format!("[{class}]"), c);
        }
        let _ = writeln!(
            out,
            "primary industry right on {} of {} stories ({:.3})",
            self.primary.0,
            self.primary.1,
            self.primary_accuracy()
        );
        out
    }
}

/// Classifies every story and compares with its labels.
pub fn evaluate(stories: &[LabeledStory], taxonomy: &Taxonomy) -> EvalReport {
    let mut report = EvalReport::default();
    for story in stories {
        let article = story.to_article();
        report.stories += 1;
        report.bytes += story.title.len() + story.body.iter().map(String::len).sum::<usize>();
        let got = classify(&article, taxonomy);
        for (kind, labels, tags) in [
            (TagKind::Region, &story.regions, &got.regions),
            (TagKind::Industry, &story.industries, &got.industries),
        ] {
            let expected: BTreeSet<String> = labels
                .iter()
                .flat_map(|id| {
                    let mut ids = taxonomy.ancestors(kind, id);
                    ids.push(id.clone());
                    ids
                })
                .collect();
            let given: BTreeSet<String> = tags.iter().map(|t| t.id.clone()).collect();
            let counts = Counts {
                tp: given.intersection(&expected).count(),
                fp: given.difference(&expected).count(),
                fn_: expected.difference(&given).count(),
            };
            report
                .counts
                .entry((kind.as_str(), story.lang.clone()))
                .or_default()
                .add(counts);
            for class in &story.classes {
                report
                    .by_class
                    .entry((kind.as_str(), class.clone()))
                    .or_default()
                    .add(counts);
            }
            if counts.fp + counts.fn_ > 0 {
                report.misses.push(Miss {
                    story: story.id.clone(),
                    kind,
                    extra: given.difference(&expected).cloned().collect(),
                    missing: expected.difference(&given).cloned().collect(),
                });
            }
        }
        if let Some(expected) = &story.primary_industry {
            let given = got
                .industries
                .iter()
                .find(|t| t.primary)
                .map(|t| t.id.clone());
            report.primary.1 += 1;
            if given.as_ref() == Some(expected) {
                report.primary.0 += 1;
            } else {
                report
                    .primary_misses
                    .push((story.id.clone(), expected.clone(), given));
            }
        }
    }
    report
}
