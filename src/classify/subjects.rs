//! Subject and place codes given by the wire itself, mapped to our tags.
//!
//! Agency formats (NewsML-G2, ninjs, NITF; see `extract::iptc`) code what a
//! story is about: IPTC Subject NewsCodes (`subj:04003004`, semiconductors),
//! IPTC Media Topics (`medtop:20000350`, central bank) and ISO 3166 place
//! codes (`iso3166-1a2:CN`, `iso3166-2:CN-ZJ`). The readers keep these as
//! `scheme:code` categories; this module maps them with
//! `config/taxonomy/iptc.toml`:
//!
//! - `[[code]]` entries map one qcode to an industry or a region; an
//!   8-digit Subject NewsCode not listed falls back to its parent
//!   (`subj:04003004` → `subj:04003000` → `subj:04000000`), as that
//!   vocabulary is numbered by level;
//! - codes of the `[places] iso_schemes` are ISO 3166 codes, and name the
//!   region whose id is the lower-cased code (`CN-ZJ` → `cn-zj`), the ids
//!   `regions.toml` uses;
//! - `located:<place name>` categories (the place an agency story was filed
//!   from) name the region the taxonomy knows that place as, as a dateline
//!   place does.
//!
//! A coded tag is evidence in the `subject` field, which weighs enough to
//! pass a threshold alone: the publisher's own coding is as good a signal
//! as a headline mention.

use crate::config::{ConfigError, ConfigErrors};
use crate::model::TagKind;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

/// Scheme of the categories naming where a story was filed from
/// (`located:Hangzhou`), written by the agency-format readers.
pub const LOCATED: &str = "located";

/// The mapping of `iptc.toml`.
#[derive(Debug, Clone, Default)]
pub struct SubjectCodes {
    /// Lower-cased qcode → (kind, tag id).
    codes: HashMap<String, (TagKind, String)>,
    /// Lower-cased schemes whose codes are ISO 3166 codes.
    iso_schemes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    places: Places,
    #[serde(default)]
    code: Vec<CodeDef>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Places {
    #[serde(default)]
    iso_schemes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeDef {
    qcode: String,
    industry: Option<String>,
    region: Option<String>,
}

impl SubjectCodes {
    /// Parses `iptc.toml`, checking each target against the known tags.
    pub fn parse(
        file: &Path,
        text: &str,
        known: impl Fn(TagKind, &str) -> bool,
    ) -> Result<SubjectCodes, ConfigErrors> {
        let parsed: File = crate::config::parse_toml(file, text)?;
        let mut errors = ConfigErrors::default();
        let mut codes = HashMap::new();
        for def in parsed.code {
            let target = match (def.industry, def.region) {
                (Some(id), None) => (TagKind::Industry, id),
                (None, Some(id)) => (TagKind::Region, id),
                _ => {
                    errors.push(ConfigError::file(
                        file,
                        format!("code `{}` needs one of `industry` or `region`", def.qcode),
                    ));
                    continue;
                }
            };
            if !known(target.0, &target.1) {
                errors.push(ConfigError::file(
                    file,
                    format!(
                        "code `{}` maps to unknown {} `{}`",
                        def.qcode,
                        target.0.as_str(),
                        target.1
                    ),
                ));
                continue;
            }
            let key = def.qcode.trim().to_ascii_lowercase();
            if codes.insert(key, target).is_some() {
                errors.push(ConfigError::file(
                    file,
                    format!("code `{}` is listed twice", def.qcode),
                ));
            }
        }
        let iso_schemes = parsed
            .places
            .iso_schemes
            .iter()
            .map(|s| s.trim().to_ascii_lowercase())
            .collect();
        errors.into_result(SubjectCodes { codes, iso_schemes })
    }

    /// Whether no code is mapped.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty() && self.iso_schemes.is_empty()
    }

    /// The tags of `kind` that the coded categories of a story name, each
    /// with the qcode that named it. `known` says whether a region id
    /// exists; `place` finds the region a place name means (the taxonomy's
    /// dateline places), for the `located:` categories the agency readers
    /// write for the place a story was filed from.
    pub fn tags(
        &self,
        kind: TagKind,
        categories: &[String],
        known: impl Fn(&str) -> bool,
        place: impl Fn(&str) -> Option<String>,
    ) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for category in categories {
            let Some((scheme, code)) = category.split_once(':') else {
                continue;
            };
            let scheme = scheme.trim().to_ascii_lowercase();
            let code = code.trim();
            let found = if scheme == LOCATED {
                (kind == TagKind::Region).then(|| place(code)).flatten()
            } else if self.iso_schemes.contains(&scheme) {
                let id = code.to_ascii_lowercase();
                (kind == TagKind::Region && known(&id)).then_some(id)
            } else {
                self.lookup(&scheme, code)
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, id)| id.clone())
            };
            if let Some(id) = found
                && !out.iter().any(|(seen, _)| seen == &id)
            {
                out.push((id, category.trim().to_string()));
            }
        }
        out
    }

    /// The mapping of a code, else (Subject NewsCodes) of its parents.
    fn lookup(&self, scheme: &str, code: &str) -> Option<&(TagKind, String)> {
        let exact = format!("{scheme}:{}", code.to_ascii_lowercase());
        if let Some(found) = self.codes.get(&exact) {
            return Some(found);
        }
        if scheme != "subj" || code.len() != 8 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        [
            format!("{}000", &code[..5]),
            format!("{}000000", &code[..2]),
        ]
        .iter()
        .find_map(|parent| self.codes.get(&format!("subj:{parent}")))
    }
}

/// Loads `iptc.toml` from the taxonomy folder; a folder without one maps
/// no code.
pub fn load(
    dir: &Path,
    known: impl Fn(TagKind, &str) -> bool,
) -> Result<SubjectCodes, ConfigErrors> {
    let path = dir.join("iptc.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => SubjectCodes::parse(&path, &text, known),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SubjectCodes::default()),
        Err(e) => Err(ConfigError::file(&path, format!("cannot read: {e}")).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"
[places]
iso_schemes = ["iso3166-1a2", "iso3166-2"]

[[code]]
qcode = "subj:04003000"
industry = "digital-economy"

[[code]]
qcode = "subj:04003004"
industry = "semiconductors"

[[code]]
qcode = "medtop:20000350"
industry = "finance"
"#;

    fn codes() -> SubjectCodes {
        SubjectCodes::parse(Path::new("iptc.toml"), TABLE, |_, _| true).unwrap()
    }

    fn cats(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn exact_codes_then_subject_code_parents() {
        let codes = codes();
        let got = codes.tags(
            TagKind::Industry,
            &cats(&[
                "subj:04003004",
                "subj:04003009",
                "MEDTOP:20000350",
                "economy",
            ]),
            |_| true,
            |_| None,
        );
        assert_eq!(
            got,
            vec![
                ("semiconductors".to_string(), "subj:04003004".to_string()),
                ("digital-economy".to_string(), "subj:04003009".to_string()),
                ("finance".to_string(), "MEDTOP:20000350".to_string()),
            ]
        );
        assert!(
            codes
                .tags(
                    TagKind::Industry,
                    &cats(&["subj:05000000"]),
                    |_| true,
                    |_| None
                )
                .is_empty()
        );
    }

    #[test]
    fn iso_codes_name_known_regions_only() {
        let codes = codes();
        let known = |id: &str| matches!(id, "cn" | "cn-zj");
        let got = codes.tags(
            TagKind::Region,
            &cats(&[
                "iso3166-1a2:CN",
                "iso3166-2:CN-ZJ",
                "iso3166-1a2:XX",
                "located:Hangzhou",
                "located:Atlantis",
            ]),
            known,
            |p| (p == "Hangzhou").then(|| "cn-zj-hangzhou".to_string()),
        );
        let ids: Vec<&str> = got.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["cn", "cn-zj", "cn-zj-hangzhou"]);
        assert!(
            codes
                .tags(
                    TagKind::Industry,
                    &cats(&["iso3166-1a2:CN", "located:Hangzhou"]),
                    known,
                    |_| Some("cn".into())
                )
                .is_empty()
        );
    }

    #[test]
    fn unknown_targets_and_doubles_are_errors() {
        let text =
            "[[code]]\nqcode = \"subj:1\"\nindustry = \"nope\"\n[[code]]\nqcode = \"subj:2\"\n";
        let err = SubjectCodes::parse(Path::new("iptc.toml"), text, |_, id| id != "nope")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown industry `nope`"), "{err}");
        assert!(err.contains("needs one of"), "{err}");
    }
}
