//! Loading and validation of every configuration file.
//!
//! Everything is read up front and checked together, so `polywire check`
//! (and a refused reload) can list every problem at once, each with its
//! file and line.

mod daemon;
pub mod env;
mod error;
mod feed;
mod source;
pub mod suggest;
mod zone;

pub use daemon::{
    DaemonConfig, FetchConfig, LimitsConfig, LogConfig, LogFormat, MAX_RETENTION_DAYS, PathsConfig,
    RetentionConfig, ServerConfig, StoreConfig, default_user_agent,
};
pub use error::{ConfigError, ConfigErrors, line_of};
pub use feed::{FeedConfig, FeedFilters, FeedFormat};
pub use source::{ArticleSelectors, IndexConfig, IndexKind, SourceConfig, SourceRetention};
pub use zone::SourceZone;

use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Default location of the daemon configuration.
pub const DEFAULT_CONFIG_PATH: &str = "config/polywire.toml";

/// The whole configuration: daemon settings, wires and published feeds.
#[derive(Debug, Clone)]
pub struct Config {
    /// The `polywire.toml` this was read from.
    pub path: PathBuf,
    /// Daemon settings.
    pub daemon: DaemonConfig,
    /// Wires, sorted by id.
    pub sources: Vec<SourceConfig>,
    /// Named feeds, sorted by name.
    pub feeds: Vec<FeedConfig>,
    /// Folder of the taxonomy files (resolved).
    pub taxonomy_dir: PathBuf,
    /// File each source and feed was read from, for later error messages.
    pub origins: HashMap<String, (PathBuf, String)>,
}

impl Config {
    /// Reads `polywire.toml` and every file it points to, and checks what can
    /// be checked without the taxonomy. All problems are returned together.
    pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
        match Config::load_all(path) {
            (Some(config), errors) => errors.into_result(config),
            (None, errors) => Err(errors),
        }
    }

    /// Like [`Config::load`], but also gives back what could be read
    /// despite the errors (`None` only when `polywire.toml` cannot be
    /// read), so `check` can go on checking against it.
    pub fn load_all(path: &Path) -> (Option<Config>, ConfigErrors) {
        let mut errors = ConfigErrors::default();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                errors.push(ConfigError::file(path, format!("cannot read: {e}")));
                return (None, errors);
            }
        };
        // vars_os: std::env::vars panics on a variable that is not UTF-8.
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
        // A broken polywire.toml still lets the other files be checked,
        // with its `[paths]` if they read.
        let mut daemon: DaemonConfig = match env::daemon_with_overrides(path, &text, vars) {
            Ok(daemon) => daemon,
            Err(e) => {
                errors.0.extend(e.0);
                DaemonConfig {
                    paths: lenient_paths(&text),
                    ..DaemonConfig::default()
                }
            }
        };
        let base = path.parent().unwrap_or(Path::new("."));
        // Like `[paths]`, the database is found from this file's folder, so
        // every command finds the same one wherever it is run from.
        daemon.store.path = base.join(&daemon.store.path);
        let sources_dir = base.join(&daemon.paths.sources);
        let feeds_dir = base.join(&daemon.paths.feeds);
        let taxonomy_dir = base.join(&daemon.paths.taxonomy);
        let mut origins: HashMap<String, (PathBuf, String)> = HashMap::new();

        let mut sources = Vec::new();
        for (file, text) in read_toml_dir(&sources_dir, &mut errors) {
            let (source, file_errors) = parse_toml_all::<SourceConfig>(&file, &text);
            errors.0.extend(file_errors.0);
            if let Some(source) = source {
                validate_source(&source, &file, &text, &mut errors);
                if let Some((first, _)) = origins.get(&format!("source:{}", source.id)) {
                    errors.push(ConfigError::file(
                        &file,
                        format!(
                            "duplicate source id `{}` (also in {})",
                            source.id,
                            first.display()
                        ),
                    ));
                } else {
                    origins.insert(format!("source:{}", source.id), (file.clone(), text));
                }
                sources.push(source);
            }
        }
        sources.sort_by(|a, b| a.id.cmp(&b.id));

        let mut feeds = Vec::new();
        for (file, text) in read_toml_dir(&feeds_dir, &mut errors) {
            let (feed, file_errors) = parse_toml_all::<FeedConfig>(&file, &text);
            errors.0.extend(file_errors.0);
            if let Some(feed) = feed {
                validate_feed(&feed, &file, &text, &sources, &mut errors);
                if let Some((first, _)) = origins.get(&format!("feed:{}", feed.name)) {
                    errors.push(ConfigError::file(
                        &file,
                        format!(
                            "duplicate feed name `{}` (also in {})",
                            feed.name,
                            first.display()
                        ),
                    ));
                } else {
                    origins.insert(format!("feed:{}", feed.name), (file.clone(), text));
                }
                feeds.push(feed);
            }
        }
        feeds.sort_by(|a, b| a.name.cmp(&b.name));

        let config = Config {
            path: path.to_path_buf(),
            daemon,
            sources,
            feeds,
            taxonomy_dir,
            origins,
        };
        (Some(config), errors)
    }

    /// Checks that every region and industry a feed names exists, given a
    /// predicate that knows the taxonomy, and a suggestion for an unknown
    /// one (`suggest("region", "taiwan")` → `tw`).
    pub fn check_feed_tags(
        &self,
        known_region: impl Fn(&str) -> bool,
        known_industry: impl Fn(&str) -> bool,
        suggest: impl Fn(&str, &str) -> Option<String>,
    ) -> ConfigErrors {
        let unknown = |kind: &str, id: &str| match suggest(kind, id) {
            Some(best) => format!("unknown {kind} `{id}`; did you mean `{best}`?"),
            None => format!("unknown {kind} `{id}` (`polywire taxonomy {kind}s` lists them)"),
        };
        let mut errors = ConfigErrors::default();
        for feed in &self.feeds {
            let Some((file, text)) = self.origins.get(&format!("feed:{}", feed.name)) else {
                continue;
            };
            for region in &feed.filters.region {
                if !known_region(region.get_ref()) {
                    errors.push(ConfigError::at_offset(
                        file,
                        text,
                        region.span().start,
                        unknown("region", region.get_ref()),
                    ));
                }
            }
            for industry in &feed.filters.industry {
                if !known_industry(industry.get_ref()) {
                    errors.push(ConfigError::at_offset(
                        file,
                        text,
                        industry.span().start,
                        unknown("industry", industry.get_ref()),
                    ));
                }
            }
        }
        errors
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&SourceConfig> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The retention in force for a source's stories: its own `[retention]`
    /// keys, else the daemon's. A source no longer configured (its stories
    /// are still stored) gets the daemon's.
    pub fn retention_for(&self, source_id: &str) -> RetentionConfig {
        let default = self.daemon.retention;
        let Some(own) = self.source(source_id).map(|s| s.retention) else {
            return default;
        };
        RetentionConfig {
            max_age_days: own.max_age_days.or(default.max_age_days),
            max_per_source: own.max_stories.or(default.max_per_source),
        }
    }

    /// The named feed.
    pub fn feed(&self, name: &str) -> Option<&FeedConfig> {
        self.feeds.iter().find(|f| f.name == name)
    }
}

/// `[paths]` of a polywire.toml that does not read as a whole: each key
/// that is a string, else its default.
fn lenient_paths(text: &str) -> PathsConfig {
    let mut paths = PathsConfig::default();
    let Ok(table) = text.parse::<toml::Table>() else {
        return paths;
    };
    let Some(given) = table.get("paths").and_then(|p| p.as_table()) else {
        return paths;
    };
    for (key, slot) in [
        ("sources", &mut paths.sources),
        ("taxonomy", &mut paths.taxonomy),
        ("feeds", &mut paths.feeds),
    ] {
        if let Some(value) = given.get(key).and_then(|v| v.as_str()) {
            *slot = PathBuf::from(value);
        }
    }
    paths
}

/// Parses one TOML document, locating any error; see [`parse_toml_all`].
pub fn parse_toml<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, ConfigErrors> {
    match parse_toml_all(file, text) {
        (Some(value), errors) => errors.into_result(value),
        (None, errors) => Err(errors),
    }
}

/// Parses one TOML document, locating every error.
///
/// serde stops at the first problem, so after each located one the line it
/// is on is set aside (commented out) and the document read again, until
/// it reads or an error cannot be pinned to a line. A required key whose
/// only line was set aside is not reported missing a second time.
///
/// The value read with the wrong lines set aside comes back too, so its
/// other checks can still be made.
pub fn parse_toml_all<T: DeserializeOwned>(file: &Path, text: &str) -> (Option<T>, ConfigErrors) {
    /// More would mean a file that is not configuration at all.
    const MAX_ERRORS: usize = 50;
    let mut errors = ConfigErrors::default();
    let mut current = text.to_string();
    let mut set_aside: Vec<String> = Vec::new();
    // Reported in the file's order, whatever order serde met them in.
    let by_line = |mut errors: ConfigErrors| {
        errors.0.sort_by_key(|e| e.line);
        errors
    };
    loop {
        let err = match toml::from_str::<T>(&current) {
            Ok(value) => return (Some(value), by_line(errors)),
            Err(err) => err,
        };
        let missing_set_aside = err
            .message()
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .is_some_and(|key| set_aside.iter().any(|k| k == key));
        if !missing_set_aside {
            let mut error = ConfigError::from_toml(file, text, &err);
            error.message = suggest::explain(&error.message);
            errors.push(error);
        }
        let Some(span) = err.span() else {
            return (None, by_line(errors));
        };
        let start = current[..span.start.min(current.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let end = current[start..]
            .find('\n')
            .map_or(current.len(), |i| start + i);
        let line = &current[start..end];
        // Only a wrong key or value can be set aside; after a syntax error
        // or a missing key the rest of the file cannot be read this way.
        let recoverable = ["unknown field", "unknown variant", "invalid"]
            .iter()
            .any(|p| err.message().starts_with(p));
        let trimmed = line.trim_start();
        if !recoverable
            || trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with('[')
            || errors.0.len() >= MAX_ERRORS
        {
            return (None, by_line(errors));
        }
        if let Some((key, _)) = trimmed.split_once('=') {
            set_aside.push(key.trim().trim_matches('"').to_string());
        }
        // As many bytes, so every later span still points into `text`.
        let blank = format!("#{}", " ".repeat(line.len().saturating_sub(1)));
        current.replace_range(start..end, &blank);
    }
}

/// Parses and validates the text of one source file, as [`Config::load`]
/// does for each file of `sources/`.
pub fn parse_source(file: &Path, text: &str) -> Result<SourceConfig, ConfigErrors> {
    let source: SourceConfig = parse_toml(file, text)?;
    let mut errors = ConfigErrors::default();
    validate_source(&source, file, text, &mut errors);
    errors.into_result(source)
}

/// Parses and validates the text of one feed file against the sources it
/// may name, as [`Config::load`] does for each file of `feeds/`.
pub fn parse_feed(
    file: &Path,
    text: &str,
    sources: &[SourceConfig],
) -> Result<FeedConfig, ConfigErrors> {
    let feed: FeedConfig = parse_toml(file, text)?;
    let mut errors = ConfigErrors::default();
    validate_feed(&feed, file, text, sources, &mut errors);
    errors.into_result(feed)
}

/// Every `*.toml` file of a folder, sorted by name. A missing folder is an
/// error: a typo in `[paths]` should not silently mean "no sources".
fn read_toml_dir(dir: &Path, errors: &mut ConfigErrors) -> Vec<(PathBuf, String)> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(ConfigError::file(dir, format!("cannot read folder: {e}")));
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|file| match std::fs::read_to_string(&file) {
            Ok(text) => Some((file, text)),
            Err(e) => {
                errors.push(ConfigError::file(&file, format!("cannot read: {e}")));
                None
            }
        })
        .collect()
}

fn validate_source(source: &SourceConfig, file: &Path, text: &str, errors: &mut ConfigErrors) {
    let at = |span: std::ops::Range<usize>, msg: String| {
        ConfigError::at_offset(file, text, span.start, msg)
    };
    if source.id.is_empty()
        || !source
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        errors.push(ConfigError::file(
            file,
            format!(
                "source id `{}` must be lower-case ASCII letters, digits, `-` or `_`",
                source.id
            ),
        ));
    }
    if let Err(e) = cron::Schedule::from_str(source.schedule.get_ref()) {
        // cron's message spans several lines; a log line must stay one.
        let why = e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        errors.push(at(
            source.schedule.span(),
            format!(
                "bad cron expression `{}`: {why} (six fields, seconds first: `0 */15 * * * *`)",
                source.schedule.get_ref()
            ),
        ));
    }
    // `english` is not a language tag; `en`, `zh-Hant`, `pt-BR` are.
    let tag = language_tags::LanguageTag::parse(&source.language);
    if let Err(e) = tag
        .as_ref()
        .map_err(|e| e.to_string())
        .and_then(|t| t.validate().map_err(|e| e.to_string()))
    {
        errors.push(ConfigError::at_offset(
            file,
            text,
            text.find("language").unwrap_or(0),
            format!(
                "language `{}` is not a BCP 47 tag ({e}): use `en`, `zh-Hans`, `zh-Hant`, `ja`, `ko`, `pt-BR`…",
                source.language
            ),
        ));
    }
    if !source.timezone.get_ref().is_known() {
        errors.push(at(
            source.timezone.span(),
            format!(
                "unknown time zone `{}` (use an IANA name such as `Asia/Shanghai`)",
                source.timezone.get_ref()
            ),
        ));
    }
    match url::Url::parse(source.index.url.get_ref()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => {}
        Ok(url) => errors.push(at(
            source.index.url.span(),
            format!("index url scheme `{}` is not http or https", url.scheme()),
        )),
        Err(e) => errors.push(at(source.index.url.span(), format!("bad index url: {e}"))),
    }
    match (&source.index.kind, &source.index.links) {
        (IndexKind::Html, None) => errors.push(at(
            source.index.url.span(),
            "an `html` index needs a `links` selector".into(),
        )),
        (IndexKind::Html, Some(sel)) => check_selector(sel, file, text, errors),
        (_, Some(sel)) => errors.push(at(
            sel.span(),
            "`links` is only used by `html` indexes".into(),
        )),
        _ => {}
    }
    if let Some(article) = &source.article {
        for sel in article.all() {
            check_selector(sel, file, text, errors);
        }
    }
}

fn check_selector(sel: &toml::Spanned<String>, file: &Path, text: &str, errors: &mut ConfigErrors) {
    if let Some(why) = suggest::selector_error(sel.get_ref()) {
        errors.push(ConfigError::at_offset(
            file,
            text,
            sel.span().start,
            format!("bad CSS selector `{}`: {why}", sel.get_ref()),
        ));
    }
}

fn validate_feed(
    feed: &FeedConfig,
    file: &Path,
    text: &str,
    sources: &[SourceConfig],
    errors: &mut ConfigErrors,
) {
    if feed.name.is_empty()
        || !feed
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.push(ConfigError::file(
            file,
            format!(
                "feed name `{}` must be lower-case ASCII letters, digits or `-`",
                feed.name
            ),
        ));
    }
    for source in &feed.filters.source {
        if !sources.iter().any(|s| &s.id == source.get_ref()) {
            errors.push(ConfigError::at_offset(
                file,
                text,
                source.span().start,
                format!("unknown source `{}`", source.get_ref()),
            ));
        }
    }
    if let Some(script) = &feed.filters.script
        && !matches!(script.as_str(), "hans" | "hant")
    {
        errors.push(ConfigError::file(
            file,
            format!("script `{script}` is not `hans` or `hant`"),
        ));
    }
    if feed.formats.is_empty() {
        errors.push(ConfigError::file(file, "a feed needs at least one format"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    const GOOD_SOURCE: &str = r#"id = "wire"
name = "Wire"
language = "en"
timezone = "Asia/Tokyo"
schedule = "0 */15 * * * *"
[index]
kind = "rss"
url = "https://example.com/rss.xml"
"#;

    fn tree(source: &str, feed: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "config/polywire.toml",
            "[server]\nlisten = \"127.0.0.1:9\"\n",
        );
        write(dir.path(), "config/sources/wire.toml", source);
        write(dir.path(), "feeds/f.toml", feed);
        std::fs::create_dir_all(dir.path().join("config/taxonomy")).unwrap();
        dir
    }

    #[test]
    fn loads_a_good_tree() {
        let dir = tree(GOOD_SOURCE, "name = \"f\"\ntitle = \"F\"\n");
        let config = Config::load(&dir.path().join("config/polywire.toml")).unwrap();
        assert_eq!(config.sources[0].id, "wire");
        assert_eq!(config.feeds[0].formats.len(), 3);
        assert_eq!(config.daemon.server.listen, "127.0.0.1:9");
    }

    #[test]
    fn every_error_has_file_and_line() {
        let bad = GOOD_SOURCE
            .replace("0 */15 * * * *", "every day")
            .replace("Asia/Tokyo", "Mars/Olympus");
        let dir = tree(
            &bad,
            "name = \"f\"\ntitle = \"F\"\n[filters]\nsource = [\"nope\"]\n",
        );
        let errors = Config::load(&dir.path().join("config/polywire.toml")).unwrap_err();
        let text = errors.to_string();
        assert!(
            text.contains("wire.toml:5: bad cron expression `every day`"),
            "{text}"
        );
        assert!(
            text.contains("wire.toml:4: unknown time zone `Mars/Olympus`"),
            "{text}"
        );
        assert!(text.contains("f.toml:4: unknown source `nope`"), "{text}");
        assert_eq!(errors.0.len(), 3, "{text}");
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_line() {
        let dir = tree(
            &format!("{GOOD_SOURCE}colour = \"red\"\n"),
            "name = \"f\"\ntitle = \"F\"\n",
        );
        let errors = Config::load(&dir.path().join("config/polywire.toml")).unwrap_err();
        let text = errors.to_string();
        assert!(text.contains("wire.toml:9:"), "{text}");
        assert!(text.contains("colour"), "{text}");
    }
}
