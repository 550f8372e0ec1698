//! Finding a tag's id by what a user knows of it (`polywire taxonomy`):
//! an id, a name or an alias in any language.

use super::Taxonomy;
use crate::model::TagKind;

/// One tag found, as listed to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Region or industry.
    pub kind: TagKind,
    /// The id to write in configs and URLs.
    pub id: String,
    /// English display name.
    pub english: String,
    /// The display name in the language of the alias the query matched,
    /// when that is not English (`臺灣` finds `tw` and shows its `zh-Hant`
    /// name).
    pub local: Option<String>,
    /// Parent ids.
    pub parents: Vec<String>,
}

impl Found {
    /// `region   tw      Taiwan / 臺灣  (parents: …)`, one line.
    pub fn line(&self) -> String {
        let name = match &self.local {
            Some(local) => format!("{} / {local}", self.english),
            None => self.english.clone(),
        };
        let parents = if self.parents.is_empty() {
            String::new()
        } else {
            format!("  (parents: {})", self.parents.join(", "))
        };
        format!("{:<8} {:<20} {name}{parents}", self.kind.as_str(), self.id)
    }
}

/// Tags of `kinds` whose id or any name or alias contains `query`
/// (case-insensitive); every tag of those kinds without a query. Tags whose
/// id or a name equals the query come first (a short query such as `ai`
/// is inside many names), then by kind and file order.
pub fn find(taxonomy: &Taxonomy, kinds: &[TagKind], query: Option<&str>) -> Vec<Found> {
    let query = query
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_lowercase);
    let mut out: Vec<(bool, Found)> = Vec::new();
    for &kind in kinds {
        let ids: Vec<&str> = match kind {
            TagKind::Region => taxonomy.region_ids().collect(),
            TagKind::Industry => taxonomy.industry_ids().collect(),
        };
        for id in ids {
            let Some(def) = taxonomy.def(kind, id) else {
                continue;
            };
            // The language whose alias matched; `None` for the id or English.
            let matched_lang = match &query {
                None => None,
                Some(q) if id.to_lowercase().contains(q.as_str()) => None,
                Some(q) => {
                    let hit = def.names.iter().find(|(_, names)| {
                        names.iter().any(|n| n.to_lowercase().contains(q.as_str()))
                    });
                    match hit {
                        Some((lang, _)) => Some(lang.as_str()),
                        None => continue,
                    }
                }
            };
            let english = taxonomy
                .label_of(kind, id, "en")
                .unwrap_or_else(|| id.to_string());
            let local = matched_lang
                .filter(|lang| *lang != "en")
                .and_then(|lang| def.names.get(lang)?.first().cloned())
                .filter(|name| *name != english);
            let exact = query.as_ref().is_some_and(|q| {
                id.to_lowercase() == *q
                    || def.names.values().flatten().any(|n| n.to_lowercase() == *q)
            });
            out.push((
                !exact,
                Found {
                    kind,
                    id: id.to_string(),
                    english,
                    local,
                    parents: def.parents.clone(),
                },
            ));
        }
    }
    out.sort_by_key(|(inexact, _)| *inexact);
    out.into_iter().map(|(_, found)| found).collect()
}

/// An id that names a region and an industry (`ai`: Anguilla and
/// artificial intelligence), with the English name of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedId {
    /// The id both kinds use.
    pub id: String,
    /// English name of the region.
    pub region: String,
    /// English name of the industry.
    pub industry: String,
}

impl std::fmt::Display for SharedId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "id `{}` is both a region ({}) and an industry ({}): a lookup that \
             does not say its kind may take one for the other",
            self.id, self.region, self.industry
        )
    }
}

/// Ids used by both kinds, in region file order. Labels are looked up per
/// kind where the kind is known; these are the ids where it must be.
pub fn shared_ids(taxonomy: &Taxonomy) -> Vec<SharedId> {
    taxonomy
        .region_ids()
        .filter(|id| taxonomy.has_industry(id))
        .map(|id| SharedId {
            id: id.to_string(),
            region: taxonomy
                .label_of(TagKind::Region, id, "en")
                .unwrap_or_else(|| id.to_string()),
            industry: taxonomy
                .label_of(TagKind::Industry, id, "en")
                .unwrap_or_else(|| id.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::taxonomy::TagDef;
    use std::collections::BTreeMap;

    fn def(id: &str, parents: &[&str], names: &[(&str, &[&str])]) -> TagDef {
        TagDef {
            id: id.into(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            names: names
                .iter()
                .map(|(lang, ns)| (lang.to_string(), ns.iter().map(|n| n.to_string()).collect()))
                .collect::<BTreeMap<_, _>>(),
            ..TagDef::default()
        }
    }

    fn taxonomy() -> Taxonomy {
        Taxonomy::from_defs(
            vec![
                def("cn", &[], &[("en", &["China"]), ("zh-Hans", &["中国"])]),
                def(
                    "tw",
                    &[],
                    &[
                        ("en", &["Taiwan"]),
                        ("zh-Hant", &["臺灣", "台灣"]),
                        ("zh-Hans", &["台湾"]),
                    ],
                ),
                def("ai", &[], &[("en", &["Anguilla"])]),
            ],
            vec![def(
                "ai",
                &[],
                &[("en", &["artificial intelligence"]), ("ja", &["人工知能"])],
            )],
        )
    }

    #[test]
    fn a_traditional_alias_finds_the_id_with_its_traditional_name() {
        let found = find(&taxonomy(), &[TagKind::Region], Some("台灣"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "tw");
        assert_eq!(found[0].english, "Taiwan");
        assert_eq!(found[0].local.as_deref(), Some("臺灣"));
    }

    #[test]
    fn english_is_case_insensitive_and_both_kinds_are_searched() {
        let both = [TagKind::Region, TagKind::Industry];
        let found = find(&taxonomy(), &both, Some("AI"));
        let ids: Vec<(TagKind, &str)> = found.iter().map(|f| (f.kind, f.id.as_str())).collect();
        assert!(ids.contains(&(TagKind::Region, "ai")), "{ids:?}");
        assert!(ids.contains(&(TagKind::Industry, "ai")), "{ids:?}");
        assert!(
            ids.contains(&(TagKind::Region, "tw")),
            "Taiwan contains `ai`: {ids:?}"
        );
        let found = find(&taxonomy(), &[TagKind::Industry], Some("人工"));
        assert_eq!(found[0].local.as_deref(), Some("人工知能"));
        assert!(
            found[0]
                .line()
                .contains("artificial intelligence / 人工知能")
        );
    }

    #[test]
    fn an_id_of_both_kinds_is_reported_with_both_names() {
        let shared = shared_ids(&taxonomy());
        assert_eq!(shared.len(), 1, "{shared:?}");
        let message = shared[0].to_string();
        assert!(message.contains("`ai`"), "{message}");
        assert!(message.contains("region (Anguilla)"), "{message}");
        assert!(
            message.contains("industry (artificial intelligence)"),
            "{message}"
        );
    }

    #[test]
    fn no_query_lists_every_tag_of_the_kind_and_nothing_matches_nothing() {
        assert_eq!(find(&taxonomy(), &[TagKind::Region], None).len(), 3);
        assert!(find(&taxonomy(), &[TagKind::Region], Some("atlantis")).is_empty());
    }
}
