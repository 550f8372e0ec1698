//! Wiring shared by the commands: load configuration and taxonomy, open the
//! store, build the pipeline.

use crate::classify::Taxonomy;
use crate::config::{Config, ConfigErrors};
use crate::fetch::Fetcher;
use crate::pipeline::Pipeline;
use crate::store::Store;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Configuration and taxonomy, checked against each other.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Configuration.
    pub config: Arc<Config>,
    /// Taxonomy.
    pub taxonomy: Arc<Taxonomy>,
}

/// Loads and checks everything; every problem is reported at once.
pub fn load(path: &Path) -> Result<Loaded, ConfigErrors> {
    let mut errors = ConfigErrors::default();
    let config = match Config::load(path) {
        Ok(config) => Some(config),
        Err(e) => {
            errors.0.extend(e.0);
            None
        }
    };
    let taxonomy_dir = config
        .as_ref()
        .map(|c| c.taxonomy_dir.clone())
        .unwrap_or_else(|| {
            let base = path.parent().unwrap_or(Path::new("."));
            base.join("taxonomy")
        });
    let taxonomy = match Taxonomy::load(&taxonomy_dir) {
        Ok(taxonomy) => Some(taxonomy),
        Err(e) => {
            errors.0.extend(e.0);
            None
        }
    };
    if let (Some(config), Some(taxonomy)) = (&config, &taxonomy) {
        errors.0.extend(
            config
                .check_feed_tags(|r| taxonomy.has_region(r), |i| taxonomy.has_industry(i))
                .0,
        );
    }
    match (config, taxonomy) {
        (Some(config), Some(taxonomy)) if errors.is_empty() => Ok(Loaded {
            config: Arc::new(config),
            taxonomy: Arc::new(taxonomy),
        }),
        _ => Err(errors),
    }
}

/// Builds the pipeline over an open store.
pub fn pipeline(
    loaded: &Loaded,
    store: Arc<Mutex<Store>>,
) -> Result<Pipeline, crate::fetch::FetchError> {
    let fetcher = Fetcher::new(&loaded.config.daemon.fetch)?;
    Ok(Pipeline {
        config: loaded.config.clone(),
        taxonomy: loaded.taxonomy.clone(),
        fetcher,
        store,
        on_change: Arc::new(|| {}),
        lanes: crate::pipeline::Lanes::per_core(),
        force: false,
    })
}
