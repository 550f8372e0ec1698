//! Classification: tags a story with the regions and industries it is about,
//! and says why.
//!
//! Pure: text in, value out. The stages:
//! - [`taxonomy`]: the TOML files, validated on load, and one compiled
//!   matcher per kind stored in the [`Taxonomy`];
//! - [`matcher`]: script folding (Traditional → Simplified) and one
//!   leftmost-longest Aho-Corasick pass per kind (daachorse), with word-boundary, case,
//!   abbreviation, blocker, context and organization guards;
//! - [`score`]: field weights, diminishing returns, thresholds, roll-up to
//!   parent regions, the primary tag, and the evidence behind every tag.
//!
//! `docs/classification.md` describes the taxonomy format and the rules.

pub mod eval;
pub mod lookup;
pub mod matcher;
pub mod score;
pub mod subjects;
pub mod taxonomy;

pub use taxonomy::{
    CompoundDef, ContextRule, KindRules, SharedAliasDef, SharedMode, TagDef, Taxonomy,
};

use crate::model::{Article, Classification, Field, TagKind};
use matcher::{Haystack, fold_text};
use score::Tally;

/// Tags one story. Both scripts of a Chinese story get the same tags: the
/// text is folded to Simplified before matching.
pub fn classify(article: &Article, taxonomy: &Taxonomy) -> Classification {
    let title = fold_text(&article.title);
    let lead = article
        .body
        .first()
        .map(|p| fold_text(p))
        .unwrap_or_default();
    let rest = if article.body.len() > 1 {
        fold_text(&article.body[1..].join("\n"))
    } else {
        String::new()
    };
    let bytes = title.len() + lead.len() + rest.len();
    let fields = [
        (Field::Title, Haystack::new(&title)),
        (Field::Lead, Haystack::new(&lead)),
        (Field::Body, Haystack::new(&rest)),
    ];
    let place = article
        .dateline
        .as_ref()
        .and_then(|d| d.place.as_deref())
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let dateline_region = place
        .and_then(|p| taxonomy.place_region(p))
        .map(str::to_string);

    let mut out = Classification {
        dateline_region: dateline_region.clone(),
        ..Classification::default()
    };
    for kind in [TagKind::Region, TagKind::Industry] {
        let table = taxonomy.table(kind);
        let mut tally = Tally::default();
        for (field, text) in &fields {
            table
                .matcher
                .scan(text, &article.lang, |hit| tally.add(*field, &hit));
        }
        if kind == TagKind::Region
            && let (Some(id), Some(place)) = (&dateline_region, place)
            && let Some(&tag) = table.index.get(id)
        {
            tally.add_dateline(tag, place, score::DATELINE_WEIGHT);
            // A story filed from Seoul is, unless it says otherwise, about
            // Korea: the dateline's country gets its own, stronger credit.
            if let Some(country) = table.country_of(tag).filter(|&c| c != tag) {
                tally.add_dateline(country, place, score::DATELINE_COUNTRY_WEIGHT);
            }
        }
        let known = |id: &str| table.index.contains_key(id);
        let place = |name: &str| taxonomy.place_region(name).map(str::to_string);
        for (id, code) in taxonomy
            .subjects
            .tags(kind, &article.categories, known, place)
        {
            tally.add_subject(table.index[&id], &code);
        }
        let tags = tally.into_tags(table, bytes);
        match kind {
            TagKind::Region => out.regions = tags,
            TagKind::Industry => out.industries = tags,
        }
    }
    out
}
