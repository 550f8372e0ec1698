//! The wire catalog: `config/catalog/<id>.toml`, one known wire per file,
//! ready to be copied into `config/sources/` with `polywire add catalog:ID`.
//!
//! A catalog file is a source file (the same keys, checked the same way as
//! `polywire check` checks `sources/`) followed by a `[catalog]` table that
//! is not part of the source:
//!
//! ```toml
//! # Documented: <where the endpoint is documented>.
//! id = "nhk-economy"
//! ...
//! [index]
//! kind = "rss"
//! url = "https://www3.nhk.or.jp/rss/news/cat5.xml"
//!
//! [catalog]
//! region = "jp"                 # a region id of the taxonomy
//! disabled_reason = "..."       # required when `enabled = false`
//! ```
//!
//! `[catalog]` must be the file's last table: everything above it, comments
//! included, is what `add` writes to `config/sources/<id>.toml`.

use crate::config::{self, ConfigError, ConfigErrors, SourceConfig};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Folder of the catalog, beside `polywire.toml`.
pub const CATALOG_DIR: &str = "catalog";

/// One wire of the catalog.
#[derive(Debug, Clone)]
pub struct CatalogEntry {
    /// The file it was read from.
    pub file: PathBuf,
    /// The source, validated.
    pub source: SourceConfig,
    /// The source file's text: everything above `[catalog]`.
    pub source_text: String,
    /// Region id the wire mostly covers, when it has one.
    pub region: Option<String>,
    /// Why the entry ships disabled (its terms forbid automatic reuse).
    pub disabled_reason: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CatalogMeta {
    region: Option<String>,
    disabled_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct MetaFile {
    #[serde(default)]
    catalog: CatalogMeta,
}

/// The catalog folder of a configuration (`config/catalog/` beside
/// `config/polywire.toml`).
pub fn dir_for(config_path: &Path) -> PathBuf {
    config_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(CATALOG_DIR)
}

/// Splits a catalog file into the source part and the `[catalog]` part.
fn split(text: &str) -> (&str, &str) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == "[catalog]" {
            return (&text[..offset], &text[offset..]);
        }
        offset += line.len();
    }
    (text, "")
}

/// Reads and checks one catalog file. `known_region` says whether a region
/// id exists in the taxonomy.
pub fn parse_entry(
    file: &Path,
    text: &str,
    known_region: &dyn Fn(&str) -> bool,
) -> Result<CatalogEntry, ConfigErrors> {
    let (source_text, meta_text) = split(text);
    let source = config::parse_source(file, source_text)?;
    let meta: MetaFile = config::parse_toml(file, meta_text)?;
    let meta = meta.catalog;
    let mut errors = ConfigErrors::default();
    if file.file_stem().and_then(|s| s.to_str()) != Some(source.id.as_str()) {
        errors.push(ConfigError::file(
            file,
            format!(
                "the file of catalog entry `{}` must be named {}.toml",
                source.id, source.id
            ),
        ));
    }
    if !source.enabled
        && meta
            .disabled_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        errors.push(ConfigError::file(
            file,
            "a disabled catalog entry needs `disabled_reason` in [catalog]",
        ));
    }
    if let Some(region) = &meta.region
        && !known_region(region)
    {
        errors.push(ConfigError::file(
            file,
            format!("unknown region `{region}`"),
        ));
    }
    if !text.lines().any(|l| l.starts_with("# Documented:")) {
        errors.push(ConfigError::file(
            file,
            "a catalog entry says where its endpoint is documented (`# Documented: ...`)",
        ));
    }
    errors.into_result(CatalogEntry {
        file: file.to_path_buf(),
        source,
        source_text: source_text.trim_end().to_string() + "\n",
        region: meta.region,
        disabled_reason: meta.disabled_reason,
    })
}

/// Reads every `*.toml` of the catalog folder, sorted by id; all problems
/// are returned together.
pub fn load(
    dir: &Path,
    known_region: &dyn Fn(&str) -> bool,
) -> Result<Vec<CatalogEntry>, ConfigErrors> {
    let mut errors = ConfigErrors::default();
    let read = std::fs::read_dir(dir)
        .map_err(|e| ConfigError::file(dir, format!("cannot read folder: {e}")))?;
    let mut files: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut entries: Vec<CatalogEntry> = Vec::new();
    for file in files {
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) => {
                errors.push(ConfigError::file(&file, format!("cannot read: {e}")));
                continue;
            }
        };
        match parse_entry(&file, &text, known_region) {
            Ok(entry) => entries.push(entry),
            Err(e) => errors.0.extend(e.0),
        }
    }
    entries.sort_by(|a, b| a.source.id.cmp(&b.source.id));
    errors.into_result(entries)
}

/// Why `add catalog:ID` did nothing.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    /// No entry has this id.
    #[error("no catalog entry `{0}` (see `polywire sources --catalog`)")]
    Unknown(String),
    /// `config/sources/<id>.toml` is there already.
    #[error("{0} exists already; remove it first to replace it")]
    Exists(PathBuf),
    /// Writing failed.
    #[error("cannot write {0}: {1}")]
    Write(PathBuf, std::io::Error),
}

/// Copies a catalog entry's source part to `sources_dir/<id>.toml` and
/// returns the path written. An existing file is never overwritten.
pub fn add(entries: &[CatalogEntry], id: &str, sources_dir: &Path) -> Result<PathBuf, AddError> {
    let entry = entries
        .iter()
        .find(|e| e.source.id == id)
        .ok_or_else(|| AddError::Unknown(id.to_string()))?;
    let path = sources_dir.join(format!("{id}.toml"));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => AddError::Exists(path.clone()),
            _ => AddError::Write(path.clone(), e),
        })?;
    std::io::Write::write_all(&mut file, entry.source_text.as_bytes())
        .map_err(|e| AddError::Write(path.clone(), e))?;
    Ok(path)
}

/// The catalog as a table: id, enabled, language, region, kind, name.
pub fn table(entries: &[CatalogEntry]) -> String {
    let mut out = format!(
        "{:<24} {:<8} {:<8} {:<11} {:<7} {}\n",
        "ID", "ENABLED", "LANG", "REGION", "KIND", "NAME"
    );
    for e in entries {
        let kind = format!("{:?}", e.source.index.kind).to_ascii_lowercase();
        out.push_str(&format!(
            "{:<24} {:<8} {:<8} {:<11} {:<7} {}\n",
            e.source.id,
            if e.source.enabled { "yes" } else { "no" },
            e.source.language,
            e.region.as_deref().unwrap_or("-"),
            kind,
            e.source.name
        ));
        if let Some(reason) = &e.disabled_reason {
            out.push_str(&format!("{:<24} disabled: {reason}\n", ""));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = "# Documented: the outlet's RSS page.\nid = \"w\"\nname = \"W\"\nlanguage = \"en\"\n\
        timezone = \"UTC\"\nschedule = \"0 */15 * * * *\"\n[index]\nkind = \"rss\"\n\
        url = \"https://example.com/rss.xml\"\n\n[catalog]\nregion = \"jp\"\n";

    #[test]
    fn source_part_and_catalog_part() {
        let entry = parse_entry(Path::new("w.toml"), ENTRY, &|r| r == "jp").unwrap();
        assert_eq!(entry.region.as_deref(), Some("jp"));
        assert!(
            entry
                .source_text
                .ends_with("url = \"https://example.com/rss.xml\"\n")
        );
        assert!(!entry.source_text.contains("[catalog]"));
        // What `add` writes is a valid source file on its own.
        config::parse_source(Path::new("w.toml"), &entry.source_text).unwrap();
    }

    #[test]
    fn entries_are_checked_like_sources_and_more() {
        let errors = |text: &str, file: &str| {
            parse_entry(Path::new(file), text, &|r| r == "jp")
                .unwrap_err()
                .to_string()
        };
        let bad_cron = ENTRY.replace("0 */15 * * * *", "hourly");
        assert!(errors(&bad_cron, "w.toml").contains("bad cron expression"));
        assert!(errors(ENTRY, "other.toml").contains("must be named w.toml"));
        let disabled = ENTRY.replace("[index]", "enabled = false\n[index]");
        assert!(errors(&disabled, "w.toml").contains("disabled_reason"));
        assert!(errors(&ENTRY.replace("\"jp\"", "\"mars\""), "w.toml").contains("unknown region"));
        let undocumented = ENTRY.replace("# Documented: the outlet's RSS page.\n", "");
        assert!(errors(&undocumented, "w.toml").contains("Documented"));
        assert!(errors(&ENTRY.replace("region", "colour"), "w.toml").contains("colour"));
    }

    #[test]
    fn add_copies_once_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let entry = parse_entry(Path::new("w.toml"), ENTRY, &|_| true).unwrap();
        let entries = vec![entry];
        let path = add(&entries, "w", dir.path()).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(written.starts_with("# Documented:"));
        assert!(!written.contains("[catalog]"));
        assert!(matches!(
            add(&entries, "w", dir.path()),
            Err(AddError::Exists(_))
        ));
        assert!(matches!(
            add(&entries, "nope", dir.path()),
            Err(AddError::Unknown(_))
        ));
    }
}
