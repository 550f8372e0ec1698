//! Classification: tags a story with the regions and industries it is about.
//!
//! Pure: text in, value out. FIRST VERSION (foundation issue): the taxonomy
//! files are loaded and a plain substring matcher counts aliases in the
//! script-folded title and body. The classification issue replaces the
//! matcher and scoring behind the same entry points.

use crate::config::{ConfigError, ConfigErrors, parse_toml};
use crate::model::{Article, Classification, Evidence, Field, Tag};
use crate::normalize::script::to_simplified;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// One region or industry as written in the taxonomy files.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagDef {
    /// Stable id (`cn-zj-hangzhou`, `biomedicine`).
    pub id: String,
    /// Parent ids; a region may have several (`cn-zj` → `cn`, `cn-yrd`).
    #[serde(default)]
    pub parents: Vec<String>,
    /// Names and aliases per language tag; the first name of a language is
    /// its display label.
    #[serde(default)]
    pub names: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    #[serde(default)]
    region: Vec<TagDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndustriesFile {
    #[serde(default)]
    industry: Vec<TagDef>,
}

/// The regions and industries stories are tagged with.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    regions: Vec<TagDef>,
    industries: Vec<TagDef>,
    region_index: HashMap<String, usize>,
    industry_index: HashMap<String, usize>,
}

impl Taxonomy {
    /// Loads `regions.toml` and `industries.toml` from a folder.
    pub fn load(dir: &Path) -> Result<Taxonomy, ConfigErrors> {
        let read = |name: &str| -> Result<(std::path::PathBuf, String), ConfigErrors> {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ConfigError::file(&path, format!("cannot read: {e}")))?;
            Ok((path, text))
        };
        let (rpath, rtext) = read("regions.toml")?;
        let (ipath, itext) = read("industries.toml")?;
        let regions: RegionsFile = parse_toml(&rpath, &rtext)?;
        let industries: IndustriesFile = parse_toml(&ipath, &itext)?;
        let tax = Taxonomy::from_defs(regions.region, industries.industry);
        let mut errors = ConfigErrors::default();
        for (defs, path) in [(&tax.regions, &rpath), (&tax.industries, &ipath)] {
            let index: HashMap<&str, ()> = defs.iter().map(|d| (d.id.as_str(), ())).collect();
            for def in defs {
                for parent in &def.parents {
                    if !index.contains_key(parent.as_str()) {
                        errors.push(ConfigError::file(
                            path,
                            format!("`{}` names unknown parent `{parent}`", def.id),
                        ));
                    }
                }
            }
        }
        errors.into_result(tax)
    }

    /// Builds a taxonomy from definitions (tests, generated data).
    pub fn from_defs(regions: Vec<TagDef>, industries: Vec<TagDef>) -> Taxonomy {
        let region_index = regions
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let industry_index = industries
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        Taxonomy {
            regions,
            industries,
            region_index,
            industry_index,
        }
    }

    /// True when `id` is a known region.
    pub fn has_region(&self, id: &str) -> bool {
        self.region_index.contains_key(id)
    }

    /// True when `id` is a known industry.
    pub fn has_industry(&self, id: &str) -> bool {
        self.industry_index.contains_key(id)
    }

    /// `id` and every region below it.
    pub fn region_descendants(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_string()];
        let mut i = 0;
        while i < out.len() {
            let current = out[i].clone();
            for def in &self.regions {
                if def.parents.contains(&current) && !out.contains(&def.id) {
                    out.push(def.id.clone());
                }
            }
            i += 1;
        }
        out
    }

    /// `id` and every industry below it.
    pub fn industry_descendants(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_string()];
        let mut i = 0;
        while i < out.len() {
            let current = out[i].clone();
            for def in &self.industries {
                if def.parents.contains(&current) && !out.contains(&def.id) {
                    out.push(def.id.clone());
                }
            }
            i += 1;
        }
        out
    }

    /// Display label of a tag in a language, falling back to English, then the id.
    pub fn label(&self, id: &str, lang: &str) -> String {
        let def = self
            .region_index
            .get(id)
            .map(|&i| &self.regions[i])
            .or_else(|| self.industry_index.get(id).map(|&i| &self.industries[i]));
        let Some(def) = def else {
            return id.to_string();
        };
        def.names
            .get(lang)
            .or_else(|| def.names.get("en"))
            .and_then(|names| names.first())
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// Region ids, in file order.
    pub fn region_ids(&self) -> impl Iterator<Item = &str> {
        self.regions.iter().map(|d| d.id.as_str())
    }

    /// Industry ids, in file order.
    pub fn industry_ids(&self) -> impl Iterator<Item = &str> {
        self.industries.iter().map(|d| d.id.as_str())
    }
}

/// Tags one story.
pub fn classify(article: &Article, taxonomy: &Taxonomy) -> Classification {
    let title = to_simplified(&article.title).to_lowercase();
    let body = to_simplified(&article.body.join("\n")).to_lowercase();
    let score = |defs: &[TagDef]| -> Vec<Tag> {
        let mut tags: Vec<Tag> = defs
            .iter()
            .filter_map(|def| {
                let mut evidence = Vec::new();
                for alias in def.names.values().flatten() {
                    let needle = to_simplified(alias).to_lowercase();
                    if needle.is_empty() {
                        continue;
                    }
                    for (field, text, weight) in
                        [(Field::Title, &title, 0.5f32), (Field::Body, &body, 0.2f32)]
                    {
                        let count = text.matches(&needle).count() as u32;
                        if count > 0 {
                            evidence.push(Evidence {
                                alias: alias.clone(),
                                field,
                                count,
                                weight: weight * count as f32,
                            });
                        }
                    }
                }
                let raw: f32 = evidence.iter().map(|e| e.weight).sum();
                (raw > 0.0).then(|| Tag {
                    id: def.id.clone(),
                    score: 1.0 - (-raw).exp(),
                    primary: false,
                    evidence,
                })
            })
            .collect();
        tags.sort_by(|a, b| b.score.total_cmp(&a.score));
        if let Some(first) = tags.first_mut() {
            first.primary = true;
        }
        tags
    };
    Classification {
        regions: score(&taxonomy.regions),
        industries: score(&taxonomy.industries),
        dateline_region: None,
    }
}
