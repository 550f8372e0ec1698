//! The taxonomy files: what a region or industry is called in each language,
//! how tags nest, and the guards that keep short aliases honest. Loading
//! validates everything and reports every problem with its file and line.

use super::matcher::{Matcher, MatcherRules};
use crate::config::{ConfigError, ConfigErrors};
use crate::model::TagKind;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Context words that decide whether one alias counts at a given place.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextRule {
    /// The alias the rule is about (as written in `names`).
    pub alias: String,
    /// The alias counts only when one of these appears nearby.
    #[serde(default)]
    pub require_near: Vec<String>,
    /// The alias does not count when one of these appears nearby.
    #[serde(default)]
    pub reject_near: Vec<String>,
    /// The alias counts only in stories of these primary languages (`zh`).
    #[serde(default)]
    pub langs: Vec<String>,
}

/// One region or industry as written in the taxonomy files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TagDef {
    /// Stable id (`cn-zj-hangzhou`, `biomedicine`).
    pub id: String,
    /// Parent ids; a region may have several (`cn-zj` → `cn`, `cn-yrd`).
    pub parents: Vec<String>,
    /// Names and aliases per language tag; the first name of a language is
    /// its display label.
    pub names: BTreeMap<String, Vec<String>>,
    /// One-character abbreviations (`浙`): they count only inside a known
    /// compound or as the dateline place, never alone in running text.
    pub abbreviations: Vec<String>,
    /// Score the tag needs; `None` takes the file's `default_threshold`.
    pub threshold: Option<f32>,
    /// The standard classification the tag is keyed to (industries).
    pub standard: Option<String>,
    /// Guards for single aliases.
    pub context: Vec<ContextRule>,
    /// Aliases that are also common words or given names (`Reading`,
    /// `Nice`, `Victoria`): at the start of a sentence (where every word is
    /// capitalized) they count only when the story names another place of
    /// the same country, and never right before a capitalized word
    /// (`Victoria Beckham`).
    pub ambiguous: Vec<String>,
    /// Tags this one is a more specific kind of, without being their child
    /// in the graph (`biomedicine` → `manufacturing`): when both are found,
    /// this one is the primary tag. A child always beats its parents.
    pub specializes: Vec<String>,
}

/// An abbreviation compound such as `沪苏浙皖`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompoundDef {
    /// The compound as written.
    pub text: String,
    /// Tags the compound names as a whole (full alias weight).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Tags each abbreviation of the compound stands for (abbreviation weight).
    #[serde(default)]
    pub members: Vec<String>,
}

/// How an alias claimed by several tags is credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SharedMode {
    /// Only the first tag listed.
    #[default]
    First,
    /// Every tag listed.
    All,
    /// None of them: the alias is too ambiguous and only blocks.
    None,
}

/// The explicit rule for an alias that several tags claim.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedAliasDef {
    /// The alias.
    pub alias: String,
    /// The tags that claim it, in order of preference.
    pub tags: Vec<String>,
    /// How it is credited.
    #[serde(default)]
    pub mode: SharedMode,
}

/// File-level settings and guards of one taxonomy kind.
#[derive(Debug, Clone, PartialEq)]
pub struct KindRules {
    /// Score a tag needs unless it sets its own threshold.
    pub default_threshold: f32,
    /// Bytes either side of a match searched for context words.
    pub near_window: usize,
    /// Weight factor of an alias found inside an organization name.
    pub organization_weight: f32,
    /// Words that contain an alias but mean something else.
    pub blockers: Vec<String>,
    /// Words that, right after an alias, make it part of an organization name.
    pub organization_suffixes: Vec<String>,
    /// Words that, right before an alias, make it part of an organization name.
    pub organization_prefixes: Vec<String>,
    /// Abbreviation compounds.
    pub compounds: Vec<CompoundDef>,
    /// Rules for aliases claimed by several tags.
    pub shared_aliases: Vec<SharedAliasDef>,
    /// Endings a Latin alias may take in stories of a language (`de`:
    /// `er`, so `Hamburg` matches `Hamburger Hafen`).
    pub word_endings: BTreeMap<String, Vec<String>>,
    /// Characters after which a one-character abbreviation names its tag
    /// (`资`, `企`, `系`: `韩资`, `日企`, `台系`).
    pub abbreviation_affixes: Vec<String>,
    /// Languages whose stories read a run of abbreviations standing alone
    /// as a list of tags (`米英独、`, `美中日 3국`, `闽粤两省`).
    pub abbreviation_runs: Vec<String>,
    /// Languages whose aliases count only in stories of that language when
    /// no other language lists them (Spanish `chino`, Japanese `上場`).
    pub language_bound: Vec<String>,
}

impl Default for KindRules {
    fn default() -> Self {
        KindRules {
            default_threshold: 0.42,
            near_window: 60,
            organization_weight: 0.15,
            blockers: Vec::new(),
            organization_suffixes: Vec::new(),
            organization_prefixes: Vec::new(),
            compounds: Vec::new(),
            shared_aliases: Vec::new(),
            word_endings: BTreeMap::new(),
            abbreviation_affixes: Vec::new(),
            abbreviation_runs: Vec::new(),
            language_bound: Vec::new(),
        }
    }
}

/// One kind of the taxonomy (regions or industries), matcher included.
#[derive(Debug, Clone, Default)]
pub(crate) struct KindTable {
    pub(crate) defs: Vec<TagDef>,
    pub(crate) index: HashMap<String, usize>,
    /// Parent indices per tag.
    pub(crate) parents: Vec<Vec<usize>>,
    /// Child indices per tag, ascending: the inverse of `parents`, built
    /// once so a feed filter's descendants cost their own number, not a scan
    /// of every tag per node (the gazetteer has thousands).
    pub(crate) children: Vec<Vec<usize>>,
    /// Threshold per tag.
    pub(crate) thresholds: Vec<f32>,
    /// Per tag, the tags it is a more specific kind of (`specializes`).
    pub(crate) specializes: Vec<Vec<usize>>,
    /// Per tag, its country ([`KindTable::country_of`]), computed once.
    pub(crate) countries: Vec<Option<usize>>,
    /// Per tag, every ancestor once, computed once.
    pub(crate) ancestors: Vec<Vec<usize>>,
    pub(crate) matcher: Matcher,
    /// Folded, lower-cased alias or abbreviation → tag, for dateline places.
    pub(crate) place_index: HashMap<String, usize>,
}

impl KindTable {
    fn build(defs: Vec<TagDef>, rules: &KindRules) -> KindTable {
        let index: HashMap<String, usize> = defs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let parents: Vec<Vec<usize>> = defs
            .iter()
            .map(|d| {
                d.parents
                    .iter()
                    .filter_map(|p| index.get(p).copied())
                    .collect()
            })
            .collect();
        let thresholds = defs
            .iter()
            .map(|d| d.threshold.unwrap_or(rules.default_threshold))
            .collect();
        let specializes = defs
            .iter()
            .map(|d| {
                d.specializes
                    .iter()
                    .filter_map(|g| index.get(g).copied())
                    .collect()
            })
            .collect();
        let matcher = Matcher::build(&defs, &index, &MatcherRules::from(rules));
        let mut place_index = HashMap::new();
        for (i, def) in defs.iter().enumerate() {
            for alias in def.names.values().flatten().chain(&def.abbreviations) {
                place_index.entry(fold_key(alias)).or_insert(i);
            }
        }
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); defs.len()];
        for (child, ps) in parents.iter().enumerate() {
            for &p in ps {
                if !children[p].contains(&child) {
                    children[p].push(child);
                }
            }
        }
        let mut table = KindTable {
            defs,
            index,
            parents,
            children,
            thresholds,
            specializes,
            countries: Vec::new(),
            ancestors: Vec::new(),
            matcher,
            place_index,
        };
        table.countries = (0..table.defs.len()).map(|t| table.country_of(t)).collect();
        table.ancestors = (0..table.defs.len())
            .map(|t| walk_ancestors(&table.parents, t))
            .collect();
        table
    }

    /// The country (two-letter ISO 3166-1 id; `eu` is a union, not a
    /// country) a region lies in: itself or its nearest such ancestor.
    pub(crate) fn country_of(&self, tag: usize) -> Option<usize> {
        let mut queue = std::collections::VecDeque::from([tag]);
        let mut seen = HashSet::from([tag]);
        while let Some(current) = queue.pop_front() {
            let id = &self.defs[current].id;
            if id.len() == 2 && id != "eu" {
                return Some(current);
            }
            for &p in &self.parents[current] {
                if seen.insert(p) {
                    queue.push_back(p);
                }
            }
        }
        None
    }

    /// `id` and every tag below it.
    fn descendants(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_string()];
        let Some(&root) = self.index.get(id) else {
            return out;
        };
        let mut seen = HashSet::from([root]);
        let mut queue = vec![root];
        while let Some(current) = queue.pop() {
            for &child in &self.children[current] {
                if seen.insert(child) {
                    out.push(self.defs[child].id.clone());
                    queue.push(child);
                }
            }
        }
        out
    }
}

/// Every ancestor of a tag, each once, walking the parent lists.
fn walk_ancestors(parents: &[Vec<usize>], tag: usize) -> Vec<usize> {
    let mut seen = HashSet::new();
    let mut stack = parents[tag].clone();
    let mut out = Vec::new();
    while let Some(p) = stack.pop() {
        if p != tag && seen.insert(p) {
            out.push(p);
            stack.extend(&parents[p]);
        }
    }
    out
}

/// The key aliases are compared by: script folded to Simplified, ASCII
/// lower-cased, outer spaces trimmed.
pub(crate) fn fold_key(alias: &str) -> String {
    super::matcher::fold_text(super::matcher::word_part(alias)).to_ascii_lowercase()
}

/// The regions and industries stories are tagged with, and the matchers
/// built from them (once per load, shared by every story).
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    pub(crate) regions: KindTable,
    pub(crate) industries: KindTable,
    /// Wire subject and place codes → tags (`iptc.toml`, optional).
    pub(crate) subjects: super::subjects::SubjectCodes,
}

impl Taxonomy {
    /// Loads and validates `regions.toml` and `industries.toml` from a folder.
    pub fn load(dir: &Path) -> Result<Taxonomy, ConfigErrors> {
        let read = |path: PathBuf| {
            std::fs::read_to_string(&path)
                .map(|text| (path.clone(), text))
                .map_err(|e| ConfigError::file(&path, format!("cannot read: {e}")))
        };
        match (
            read(dir.join("regions.toml")),
            read(dir.join("industries.toml")),
        ) {
            (Ok((rpath, rtext)), Ok((ipath, itext))) => {
                let mut taxonomy = Taxonomy::parse((&rpath, &rtext), (&ipath, &itext))?;
                let known = |kind: TagKind, id: &str| taxonomy.def(kind, id).is_some();
                let subjects = super::subjects::load(dir, known)?;
                taxonomy.subjects = subjects;
                Ok(taxonomy)
            }
            (r, i) => Err(ConfigErrors(
                [r.err(), i.err()].into_iter().flatten().collect(),
            )),
        }
    }

    /// Validates the texts of `regions.toml` and `industries.toml` (each with
    /// the path its errors name) and builds the taxonomy from them.
    pub fn parse(
        regions: (&Path, &str),
        industries: (&Path, &str),
    ) -> Result<Taxonomy, ConfigErrors> {
        let mut errors = ConfigErrors::default();
        let regions = parse_kind(regions.0, regions.1, TagKind::Region, &mut errors);
        let industries = parse_kind(industries.0, industries.1, TagKind::Industry, &mut errors);
        let (Some((rdefs, rrules)), Some((idefs, irules))) = (regions, industries) else {
            return Err(errors);
        };
        errors.into_result(Taxonomy {
            regions: KindTable::build(rdefs, &rrules),
            industries: KindTable::build(idefs, &irules),
            subjects: Default::default(),
        })
    }

    /// Builds a taxonomy from definitions (tests, generated data) with the
    /// default rules: no compounds or blockers, and an alias claimed by
    /// several tags credits them all. Not validated.
    pub fn from_defs(regions: Vec<TagDef>, industries: Vec<TagDef>) -> Taxonomy {
        Taxonomy::from_parts(
            regions,
            &KindRules::default(),
            industries,
            &KindRules::default(),
        )
    }

    /// Builds a taxonomy from definitions and the rules of each kind. Not
    /// validated: use [`Taxonomy::load`] for files.
    pub fn from_parts(
        regions: Vec<TagDef>,
        region_rules: &KindRules,
        industries: Vec<TagDef>,
        industry_rules: &KindRules,
    ) -> Taxonomy {
        Taxonomy {
            regions: KindTable::build(regions, region_rules),
            industries: KindTable::build(industries, industry_rules),
            subjects: Default::default(),
        }
    }

    /// The same taxonomy with wire subject codes mapped (`iptc.toml`).
    pub fn with_subject_codes(mut self, subjects: super::subjects::SubjectCodes) -> Taxonomy {
        self.subjects = subjects;
        self
    }

    /// True when `id` is a known region.
    pub fn has_region(&self, id: &str) -> bool {
        self.regions.index.contains_key(id)
    }

    /// True when `id` is a known industry.
    pub fn has_industry(&self, id: &str) -> bool {
        self.industries.index.contains_key(id)
    }

    /// `id` and every region below it.
    pub fn region_descendants(&self, id: &str) -> Vec<String> {
        self.regions.descendants(id)
    }

    /// `id` and every industry below it.
    pub fn industry_descendants(&self, id: &str) -> Vec<String> {
        self.industries.descendants(id)
    }

    /// Display label of a tag in a language (`zh-Hans`, `zh-TW`, `en`),
    /// falling back to English, then the id. Industries are looked up first:
    /// `ai` is both the industry and Anguilla's ISO code.
    pub fn label(&self, id: &str, lang: &str) -> String {
        self.label_of(TagKind::Industry, id, lang)
            .or_else(|| self.label_of(TagKind::Region, id, lang))
            .unwrap_or_else(|| id.to_string())
    }

    /// Display label of a tag of a known kind, `None` when the id is unknown.
    pub fn label_of(&self, kind: TagKind, id: &str, lang: &str) -> Option<String> {
        let table = self.table(kind);
        let def = &table.defs[*table.index.get(id)?];
        let wanted = match lang {
            "zh" | "zh-CN" | "zh-SG" | "zh-Hans-CN" => "zh-Hans",
            "zh-TW" | "zh-HK" | "zh-MO" | "zh-Hant-TW" => "zh-Hant",
            other => other,
        };
        let primary = wanted.split('-').next().unwrap_or(wanted);
        def.names
            .get(wanted)
            .or_else(|| def.names.get(primary))
            .or_else(|| def.names.get("en"))
            .and_then(|names| names.first())
            .cloned()
            .or_else(|| Some(id.to_string()))
    }

    /// Heap bytes held by the compiled matchers (both kinds).
    pub fn matcher_memory(&self) -> usize {
        self.regions.matcher.memory_usage() + self.industries.matcher.memory_usage()
    }

    /// Region ids, in file order.
    pub fn region_ids(&self) -> impl Iterator<Item = &str> {
        self.regions.defs.iter().map(|d| d.id.as_str())
    }

    /// Industry ids, in file order.
    pub fn industry_ids(&self) -> impl Iterator<Item = &str> {
        self.industries.defs.iter().map(|d| d.id.as_str())
    }

    /// Every tag above `id` (parents, their parents ...), each once.
    pub fn ancestors(&self, kind: TagKind, id: &str) -> Vec<String> {
        let table = self.table(kind);
        let Some(&start) = table.index.get(id) else {
            return Vec::new();
        };
        let mut seen = HashSet::from([start]);
        let mut stack = table.parents[start].clone();
        let mut out = Vec::new();
        while let Some(p) = stack.pop() {
            if seen.insert(p) {
                out.push(table.defs[p].id.clone());
                stack.extend(&table.parents[p]);
            }
        }
        out
    }

    /// The definition of a tag.
    pub fn def(&self, kind: TagKind, id: &str) -> Option<&TagDef> {
        let table = self.table(kind);
        table.index.get(id).map(|&i| &table.defs[i])
    }

    /// The region a dateline place names (`杭州`, `BEIJING`, `서울`), if known.
    pub fn place_region(&self, place: &str) -> Option<&str> {
        let key = fold_key(place);
        let key = key.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == '.');
        let found = self.regions.place_index.get(key).or_else(|| {
            // `杭州市`, `HANGZHOU, China`: the first matched alias names it.
            key.strip_suffix('市')
                .and_then(|k| self.regions.place_index.get(k))
        });
        found
            .copied()
            .or_else(|| self.regions.matcher.first_tag(place))
            .map(|i| self.regions.defs[i].id.as_str())
    }

    pub(crate) fn table(&self, kind: TagKind) -> &KindTable {
        match kind {
            TagKind::Region => &self.regions,
            TagKind::Industry => &self.industries,
        }
    }
}

// ---- file format -------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    default_threshold: Option<Spanned<f32>>,
    near_window: Option<usize>,
    organization_weight: Option<Spanned<f32>>,
    #[serde(default)]
    blockers: Vec<String>,
    #[serde(default)]
    organization_suffixes: Vec<String>,
    #[serde(default)]
    organization_prefixes: Vec<String>,
    #[serde(default)]
    compound: Vec<Spanned<CompoundDef>>,
    #[serde(default)]
    shared_alias: Vec<Spanned<SharedAliasDef>>,
    #[serde(default)]
    word_endings: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    abbreviation_affixes: Vec<String>,
    #[serde(default)]
    abbreviation_runs: Vec<String>,
    #[serde(default)]
    language_bound: Vec<String>,
    #[serde(default)]
    region: Vec<RawTag>,
    #[serde(default)]
    industry: Vec<RawTag>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTag {
    id: Spanned<String>,
    #[serde(default)]
    parents: Vec<Spanned<String>>,
    #[serde(default)]
    names: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    abbreviations: Vec<String>,
    threshold: Option<Spanned<f32>>,
    standard: Option<String>,
    #[serde(default)]
    context: Vec<Spanned<ContextRule>>,
    #[serde(default)]
    ambiguous: Vec<Spanned<String>>,
    #[serde(default)]
    specializes: Vec<Spanned<String>>,
}

/// Reads, parses and validates one file; `None` when it cannot be used.
fn parse_kind(
    path: &Path,
    text: &str,
    kind: TagKind,
    errors: &mut ConfigErrors,
) -> Option<(Vec<TagDef>, KindRules)> {
    let raw: RawFile = match crate::config::parse_toml(path, text) {
        Ok(raw) => raw,
        Err(e) => {
            errors.0.extend(e.0);
            return None;
        }
    };
    let before = errors.0.len();
    let at = |offset: usize, msg: String| ConfigError::at_offset(path, text, offset, msg);
    let (tags, other) = match kind {
        TagKind::Region => (raw.region, raw.industry),
        TagKind::Industry => (raw.industry, raw.region),
    };
    if let Some(stray) = other.first() {
        errors.push(at(
            stray.id.span().start,
            format!("this file holds {} entries only", kind.as_str()),
        ));
    }
    let mut rules = KindRules {
        blockers: raw.blockers,
        organization_suffixes: raw.organization_suffixes,
        organization_prefixes: raw.organization_prefixes,
        word_endings: raw.word_endings,
        abbreviation_affixes: raw.abbreviation_affixes,
        abbreviation_runs: raw.abbreviation_runs,
        language_bound: raw.language_bound,
        ..KindRules::default()
    };
    if let Some(window) = raw.near_window {
        rules.near_window = window;
    }
    for (value, slot) in [
        (raw.default_threshold, &mut rules.default_threshold),
        (raw.organization_weight, &mut rules.organization_weight),
    ] {
        if let Some(v) = value {
            if !(0.0..=1.0).contains(v.get_ref()) {
                errors.push(at(v.span().start, "must be between 0 and 1".into()));
            }
            *slot = *v.get_ref();
        }
    }

    // Ids: unique.
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, tag) in tags.iter().enumerate() {
        let id = tag.id.get_ref();
        if id.is_empty() || id.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '-')) {
            errors.push(at(
                tag.id.span().start,
                format!("id `{id}` must be lower-case ASCII letters, digits and `-`"),
            ));
        }
        if index.insert(id.clone(), i).is_some() {
            errors.push(at(tag.id.span().start, format!("duplicate id `{id}`")));
        }
    }
    // Parents: known, and no cycle.
    for tag in &tags {
        for parent in &tag.parents {
            if !index.contains_key(parent.get_ref()) {
                errors.push(at(
                    parent.span().start,
                    format!(
                        "`{}` names unknown parent `{}`",
                        tag.id.get_ref(),
                        parent.get_ref()
                    ),
                ));
            }
        }
    }
    for start in find_cycles(&tags, &index) {
        let tag = &tags[start];
        errors.push(at(
            tag.id.span().start,
            format!("`{}` is its own ancestor (parent cycle)", tag.id.get_ref()),
        ));
    }
    // Thresholds, context rules.
    for tag in &tags {
        if let Some(t) = &tag.threshold
            && !(0.0..=1.0).contains(t.get_ref())
        {
            errors.push(at(
                t.span().start,
                "threshold must be between 0 and 1".into(),
            ));
        }
        let aliases: HashSet<&str> = tag
            .names
            .values()
            .flatten()
            .map(|a| a.get_ref().as_str())
            .collect();
        for alias in &tag.ambiguous {
            if !aliases.contains(alias.get_ref().as_str()) {
                errors.push(at(
                    alias.span().start,
                    format!(
                        "ambiguous `{}` is not an alias of `{}`",
                        alias.get_ref(),
                        tag.id.get_ref()
                    ),
                ));
            }
        }
        for general in &tag.specializes {
            if !index.contains_key(general.get_ref()) {
                errors.push(at(
                    general.span().start,
                    format!(
                        "`{}` specializes unknown tag `{}`",
                        tag.id.get_ref(),
                        general.get_ref()
                    ),
                ));
            }
        }
        for rule in &tag.context {
            if !aliases.contains(rule.get_ref().alias.as_str()) {
                errors.push(at(
                    rule.span().start,
                    format!(
                        "context rule for `{}`, which is not an alias of `{}`",
                        rule.get_ref().alias,
                        tag.id.get_ref()
                    ),
                ));
            }
        }
    }
    // Compounds and shared aliases name known tags.
    for compound in &raw.compound {
        for id in compound
            .get_ref()
            .tags
            .iter()
            .chain(&compound.get_ref().members)
        {
            if !index.contains_key(id) {
                errors.push(at(
                    compound.span().start,
                    format!(
                        "compound `{}` names unknown tag `{id}`",
                        compound.get_ref().text
                    ),
                ));
            }
        }
    }
    let mut shared: HashMap<String, &SharedAliasDef> = HashMap::new();
    for rule in &raw.shared_alias {
        for id in &rule.get_ref().tags {
            if !index.contains_key(id) {
                errors.push(at(
                    rule.span().start,
                    format!(
                        "shared alias `{}` names unknown tag `{id}`",
                        rule.get_ref().alias
                    ),
                ));
            }
        }
        shared.insert(fold_key(&rule.get_ref().alias), rule.get_ref());
    }
    // Aliases: not empty; one tag per alias unless a shared rule says how.
    let mut claims: HashMap<String, (usize, &Spanned<String>)> = HashMap::new();
    for (i, tag) in tags.iter().enumerate() {
        for alias in tag.names.values().flatten() {
            let key = fold_key(alias.get_ref());
            if key.is_empty() {
                errors.push(at(alias.span().start, "empty alias".into()));
                continue;
            }
            let single = key.chars().next().filter(|_| key.chars().count() == 1);
            if single.is_some_and(|c| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')) {
                errors.push(at(
                    alias.span().start,
                    format!(
                        "one-character alias `{}` matches inside unrelated words; list it under `abbreviations`",
                        alias.get_ref()
                    ),
                ));
                continue;
            }
            match claims.get(&key) {
                Some(&(first, _)) if first != i => {
                    let covered = shared.get(&key).is_some_and(|rule| {
                        rule.tags.contains(tag.id.get_ref())
                            && rule.tags.contains(tags[first].id.get_ref())
                    });
                    if !covered {
                        errors.push(at(
                            alias.span().start,
                            format!(
                                "alias `{}` of `{}` is also claimed by `{}`; add a [[shared_alias]] rule",
                                alias.get_ref(),
                                tag.id.get_ref(),
                                tags[first].id.get_ref()
                            ),
                        ));
                    }
                }
                Some(_) => {}
                None => {
                    claims.insert(key, (i, alias));
                }
            }
        }
    }
    rules.compounds = raw.compound.into_iter().map(Spanned::into_inner).collect();
    rules.shared_aliases = raw
        .shared_alias
        .into_iter()
        .map(Spanned::into_inner)
        .collect();
    if errors.0.len() > before {
        return None;
    }
    let defs = tags
        .into_iter()
        .map(|t| TagDef {
            id: t.id.into_inner(),
            parents: t.parents.into_iter().map(Spanned::into_inner).collect(),
            names: t
                .names
                .into_iter()
                .map(|(lang, v)| (lang, v.into_iter().map(Spanned::into_inner).collect()))
                .collect(),
            abbreviations: t.abbreviations,
            threshold: t.threshold.map(Spanned::into_inner),
            standard: t.standard,
            context: t.context.into_iter().map(Spanned::into_inner).collect(),
            ambiguous: t.ambiguous.into_iter().map(Spanned::into_inner).collect(),
            specializes: t.specializes.into_iter().map(Spanned::into_inner).collect(),
        })
        .collect();
    Some((defs, rules))
}

/// Tags that are their own ancestor (one reported per cycle found).
/// Iterative depth-first search, so a hostile file with a very long parent
/// chain cannot overflow the stack.
fn find_cycles(tags: &[RawTag], index: &HashMap<String, usize>) -> Vec<usize> {
    // Colour: 0 unvisited, 1 on the path, 2 done.
    let parents: Vec<Vec<usize>> = tags
        .iter()
        .map(|t| {
            t.parents
                .iter()
                .filter_map(|p| index.get(p.get_ref()).copied())
                .collect()
        })
        .collect();
    let mut colour = vec![0u8; tags.len()];
    let mut out = Vec::new();
    for root in 0..tags.len() {
        if colour[root] != 0 {
            continue;
        }
        // (node, next parent to look at)
        let mut stack = vec![(root, 0usize)];
        colour[root] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&p) = parents[node].get(*next) {
                *next += 1;
                match colour[p] {
                    0 => {
                        colour[p] = 1;
                        stack.push((p, 0));
                    }
                    1 => out.push(p),
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
