//! Loading and validation of every configuration file.
//!
//! Everything is read up front and checked together, so `polywire check`
//! (and a refused reload) can list every problem at once, each with its
//! file and line.

mod daemon;
mod error;
mod feed;
mod source;

pub use daemon::{
    DaemonConfig, FetchConfig, LimitsConfig, LogConfig, LogFormat, MAX_RETENTION_DAYS, PathsConfig,
    RetentionConfig, ServerConfig, StoreConfig, default_user_agent,
};
pub use error::{ConfigError, ConfigErrors, line_of};
pub use feed::{FeedConfig, FeedFilters, FeedFormat};
pub use source::{ArticleSelectors, IndexConfig, IndexKind, SourceConfig, SourceRetention};

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
        let mut errors = ConfigErrors::default();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::file(path, format!("cannot read: {e}")))?;
        let mut daemon: DaemonConfig = parse_toml(path, &text)?;
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
            match parse_toml::<SourceConfig>(&file, &text) {
                Ok(source) => {
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
                Err(e) => errors.0.extend(e.0),
            }
        }
        sources.sort_by(|a, b| a.id.cmp(&b.id));

        let mut feeds = Vec::new();
        for (file, text) in read_toml_dir(&feeds_dir, &mut errors) {
            match parse_toml::<FeedConfig>(&file, &text) {
                Ok(feed) => {
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
                Err(e) => errors.0.extend(e.0),
            }
        }
        feeds.sort_by(|a, b| a.name.cmp(&b.name));

        errors.into_result(Config {
            path: path.to_path_buf(),
            daemon,
            sources,
            feeds,
            taxonomy_dir,
            origins,
        })
    }

    /// Checks that every region and industry a feed names exists, given a
    /// predicate that knows the taxonomy.
    pub fn check_feed_tags(
        &self,
        known_region: impl Fn(&str) -> bool,
        known_industry: impl Fn(&str) -> bool,
    ) -> ConfigErrors {
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
                        format!("unknown region `{}`", region.get_ref()),
                    ));
                }
            }
            for industry in &feed.filters.industry {
                if !known_industry(industry.get_ref()) {
                    errors.push(ConfigError::at_offset(
                        file,
                        text,
                        industry.span().start,
                        format!("unknown industry `{}`", industry.get_ref()),
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

/// Parses one TOML document, locating any error.
pub fn parse_toml<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, ConfigErrors> {
    toml::from_str(text).map_err(|e| ConfigError::from_toml(file, text, &e).into())
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
        errors.push(at(
            source.schedule.span(),
            format!(
                "bad cron expression `{}`: {e} (six fields, seconds first: `0 */15 * * * *`)",
                source.schedule.get_ref()
            ),
        ));
    }
    if jiff::tz::TimeZone::get(source.timezone.get_ref()).is_err() {
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
    if let Err(e) = scraper::Selector::parse(sel.get_ref()) {
        errors.push(ConfigError::at_offset(
            file,
            text,
            sel.span().start,
            format!("bad CSS selector `{}`: {e:?}", sel.get_ref()),
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
