//! The store: the only stateful stage, on SQLite (embedded, the default)
//! or PostgreSQL (shared by many processes); docs/storage.md.
//!
//! * this file: [`Store`], the handle every caller holds, and opening it
//!   from the configuration ([`Location`]).
//! * [`backend`]: the interface both backends implement; `sqlite/` and
//!   `postgres/` implement it.
//! * [`row`]: a story made ready to store without the database.
//! * [`search`]: the tokens of the full-text index (CJK as bigrams).
//! * [`feed_query`]: what a feed asks for ([`FeedQuery`]).
//! * [`cluster`]: near-duplicate search shared by both backends.
//! * [`retention`]: tombstone rules shared by both backends.
//! * [`copy`]: moving a whole store between backends (`store copy`).
//!
//! Stories are keyed by canonical URL: fetching a story again updates it in
//! place and never duplicates it.

mod backend;
mod cluster;
mod copy;
mod error;
mod feed_query;
mod postgres;
mod records;
pub mod retention;
mod row;
pub mod search;
mod sqlite;

pub use copy::{COPY_BATCH, CopyProgress, CopyReport};
pub use error::StoreError;
pub use feed_query::{FeedQuery, HeldValues};
pub use records::{SourceState, Upsert, Validators};
pub use row::StoryRow;

use crate::config::{RetentionConfig, StoreConfig};
use crate::model::StoredStory;
use backend::Backend;
use jiff::Timestamp;
use std::path::{Path, PathBuf};

/// The environment variable that selects the store, over `[store] url`
/// and `[store] path`.
pub const DATABASE_URL_VAR: &str = "POLYWIRE_DATABASE_URL";

/// Where a store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://user@host:port/db`).
    Postgres(String),
}

impl Location {
    /// Parses `sqlite:PATH`, `postgres://…` / `postgresql://…`, or a bare
    /// path (SQLite).
    pub fn parse(text: &str) -> Result<Location, StoreError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(StoreError::Location {
                location: String::new(),
                reason: "empty".into(),
            });
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Location::Postgres(text.to_string()));
        }
        if let Some(path) = text.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            return Ok(Location::Sqlite(PathBuf::from(path)));
        }
        match text.split_once("://") {
            Some((scheme, _)) => Err(StoreError::Location {
                location: mask_password(text),
                reason: format!("unknown scheme `{scheme}` (use postgres://… or sqlite:PATH)"),
            }),
            None => Ok(Location::Sqlite(PathBuf::from(text))),
        }
    }

    /// The store the configuration names: `env_url` (the value of
    /// [`DATABASE_URL_VAR`]) if set, else `[store] url`, else
    /// `[store] path`.
    pub fn from_config(
        config: &StoreConfig,
        env_url: Option<&str>,
    ) -> Result<Location, StoreError> {
        match env_url
            .filter(|u| !u.trim().is_empty())
            .or(config.url.as_deref().filter(|u| !u.trim().is_empty()))
        {
            Some(url) => Location::parse(url),
            None => Ok(Location::Sqlite(config.path.clone())),
        }
    }

    /// The store the configuration names in this process: as
    /// [`Location::from_config`] with [`DATABASE_URL_VAR`] read from the
    /// environment.
    pub fn configured(config: &StoreConfig) -> Result<Location, StoreError> {
        let env = std::env::var(DATABASE_URL_VAR).ok();
        Location::from_config(config, env.as_deref())
    }

    /// The location for messages, with any password masked.
    pub fn display(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => mask_password(url),
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn mask_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// A handle on the database. Callers share it behind a mutex; the daemon
/// opens one for writing and the server one for reading.
#[derive(Debug)]
pub struct Store {
    backend: Box<dyn Backend>,
}

impl Store {
    /// Opens the store the configuration names (see
    /// [`Location::from_config`]; [`DATABASE_URL_VAR`] is read here),
    /// creating and migrating it if needed.
    pub fn open_config(config: &StoreConfig) -> Result<Store, StoreError> {
        Store::open_location(&Location::configured(config)?)
    }

    /// [`Store::open_config`] for commands that only read (`sources`,
    /// `feed`, `export`): a SQLite file must already exist, so a wrong
    /// path is an error naming it, not a new empty database.
    pub fn open_config_existing(config: &StoreConfig) -> Result<Store, StoreError> {
        match Location::configured(config)? {
            Location::Sqlite(path) => Store::open_existing(&path),
            other => Store::open_location(&other),
        }
    }

    /// Opens (creating and migrating if needed) the store at a location.
    pub fn open_location(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(path) => Store::open(path),
            Location::Postgres(url) => Ok(Store::with(postgres::PgStore::open(url)?)),
        }
    }

    /// Opens (creating if needed) the SQLite database at `path` and
    /// migrates it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(Store::with(sqlite::SqliteStore::open(path)?))
    }

    /// Opens a SQLite database that must already exist.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing {
                path: path.display().to_string(),
            });
        }
        Store::open(path)
    }

    /// A private SQLite database in memory (tests, `inspect`).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Ok(Store::with(sqlite::SqliteStore::open_in_memory()?))
    }

    fn with(backend: impl Backend + 'static) -> Store {
        Store {
            backend: Box::new(backend),
        }
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    /// Stores one story and its tags in one transaction. `item_updated` is
    /// the feed item's own modification time, remembered to decide later
    /// whether the page needs fetching again.
    pub fn upsert(
        &mut self,
        article: &crate::model::Article,
        tags: &crate::model::Classification,
        item_updated: Option<Timestamp>,
    ) -> Result<Upsert, StoreError> {
        let row = StoryRow::new(article.clone(), tags.clone())?;
        self.upsert_row(&row, item_updated)
    }

    /// [`Store::upsert`] of a story whose row was made beforehand, maybe on
    /// another thread: this is the part that needs the database.
    pub fn upsert_row(
        &mut self,
        row: &StoryRow,
        item_updated: Option<Timestamp>,
    ) -> Result<Upsert, StoreError> {
        let mut outcomes = self.upsert_rows(&[(row, item_updated)])?;
        Ok(outcomes.remove(0))
    }

    /// Stores many stories in one transaction: all or none. One commit
    /// for many stories is what lets a single writer keep up with the CPU
    /// stages on every core; see docs/BENCHMARKS.md, "Stages".
    pub fn upsert_rows(
        &mut self,
        rows: &[(&StoryRow, Option<Timestamp>)],
    ) -> Result<Vec<Upsert>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        self.backend.upsert_rows(rows)
    }

    /// True when the story at `url` is stored and its feed item does not say
    /// it changed since, so its page need not be fetched again.
    /// A URL retention removed lately counts as fresh: it is not wanted back.
    pub fn is_fresh(&self, url: &str, item_updated: Option<Timestamp>) -> Result<bool, StoreError> {
        Ok(match (self.backend.item_updated(url)?, item_updated) {
            (None, _) => self.backend.is_retired(url)?,
            (Some(_), None) => true,
            (Some(None), Some(_)) => false,
            (Some(Some(old)), Some(new)) => new.as_second() <= old,
        })
    }

    /// One stored story by canonical URL.
    pub fn get_by_url(&self, url: &str) -> Result<Option<StoredStory>, StoreError> {
        match self.backend.story_id(url)? {
            Some(id) => Ok(self.backend.load_stories(&[id])?.pop()),
            None => Ok(None),
        }
    }

    /// Row ids of every stored story, or of one source's, oldest first.
    pub fn story_ids(&self, source: Option<&str>) -> Result<Vec<i64>, StoreError> {
        self.backend.story_ids(source)
    }

    /// Number of stored stories.
    pub fn count(&self) -> Result<u64, StoreError> {
        self.backend.count()
    }

    /// When any story last changed: feeds use it for `Last-Modified` and to
    /// invalidate cached renderings.
    pub fn last_change(&self) -> Result<Option<Timestamp>, StoreError> {
        Ok(self
            .backend
            .last_change()?
            .and_then(|s| Timestamp::from_second(s).ok()))
    }

    /// Loads full stories by row id, in the given order.
    pub fn load_stories(&self, ids: &[i64]) -> Result<Vec<StoredStory>, StoreError> {
        self.backend.load_stories(ids)
    }

    /// Sources other than `except` that carried stories of a cluster.
    pub fn cluster_sources(&self, cluster: i64, except: &str) -> Result<Vec<String>, StoreError> {
        self.backend.cluster_sources(cluster, except)
    }

    /// Stories matching a query, newest first by (time, id).
    pub fn query(&self, query: &FeedQuery) -> Result<Vec<StoredStory>, StoreError> {
        let found = self.backend.matches(query)?;
        let ids = feed_query::shown_ids(query, found);
        let mut stories = self.backend.load_stories(&ids)?;
        if query.collapse_clusters {
            for story in &mut stories {
                story.also_from = self
                    .backend
                    .cluster_sources(story.cluster, &story.article.source)?;
            }
        }
        Ok(stories)
    }

    /// What the store holds, for menus that offer only values that match
    /// something: languages, sources, and the tags of stored stories.
    pub fn held_values(&self) -> Result<HeldValues, StoreError> {
        self.backend.held_values()
    }

    /// The key a source's index validators are kept under: the source, the
    /// fingerprint of its extraction settings and the index URL. A renamed
    /// source or a changed rule starts without validators, so its next run
    /// reads the index whole. (Stored in `fetch_state.url`, whose rows are
    /// only ever looked up by this key.)
    pub fn index_key(source: &str, fingerprint: &str, url: &str) -> String {
        format!("{source} {fingerprint} {url}")
    }

    /// Validators remembered under a key ([`Store::index_key`]).
    pub fn validators(&self, key: &str) -> Result<Validators, StoreError> {
        self.backend.validators(key)
    }

    /// Remembers the validators of a successful fetch under a key
    /// ([`Store::index_key`]).
    pub fn save_validators(&self, key: &str, validators: &Validators) -> Result<(), StoreError> {
        self.backend.save_validators(key, validators)
    }

    /// Records the outcome of one run of a source.
    pub fn record_run(&self, state: &SourceState) -> Result<(), StoreError> {
        self.backend.record_run(state)
    }

    /// The recorded state of one source.
    pub fn source_state(&self, id: &str) -> Result<Option<SourceState>, StoreError> {
        Ok(self.source_states()?.into_iter().find(|s| s.id == id))
    }

    /// The recorded state of every source that has run.
    pub fn source_states(&self) -> Result<Vec<SourceState>, StoreError> {
        self.backend.source_states()
    }

    /// For every source that has stories, removes those older than its
    /// rule's `max_age_days` and those beyond its newest `max_per_source`,
    /// with their tags and search rows, each leaving a tombstone
    /// ([`retention`]). `rule_of` gives the rule of a source id. Returns
    /// how many stories went, per source that lost any, sorted by source.
    pub fn apply_retention(
        &mut self,
        rule_of: impl Fn(&str) -> RetentionConfig,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        self.backend.apply_retention(&rule_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_parse_from_urls_paths_and_config() {
        assert_eq!(
            Location::parse("postgres://u@h:5432/db").unwrap(),
            Location::Postgres("postgres://u@h:5432/db".into())
        );
        assert_eq!(
            Location::parse("sqlite:data/polywire.db").unwrap(),
            Location::Sqlite("data/polywire.db".into())
        );
        assert_eq!(
            Location::parse("/var/lib/p.db").unwrap(),
            Location::Sqlite("/var/lib/p.db".into())
        );
        assert!(Location::parse("mysql://h/db").is_err());
        assert!(Location::parse("  ").is_err());
        let mut config = StoreConfig::default();
        assert_eq!(
            Location::from_config(&config, None).unwrap(),
            Location::Sqlite(config.path.clone())
        );
        config.url = Some("postgres://a@b/c".into());
        assert_eq!(
            Location::from_config(&config, Some("")).unwrap(),
            Location::Postgres("postgres://a@b/c".into())
        );
        assert_eq!(
            Location::from_config(&config, Some("postgres://env@h/d")).unwrap(),
            Location::Postgres("postgres://env@h/d".into())
        );
    }

    #[test]
    fn passwords_are_masked_in_messages() {
        assert_eq!(
            Location::parse("postgres://u:secret@h/db")
                .unwrap()
                .display(),
            "postgres://u:***@h/db"
        );
        assert_eq!(mask_password("postgres://u@h/db"), "postgres://u@h/db");
    }
}
