//! Wiring shared by the commands: load configuration and taxonomy, open the
//! store, build the pipeline.

use crate::classify::Taxonomy;
use crate::config::{Config, ConfigErrors};
use crate::fetch::Fetcher;
use crate::model::TagKind;
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
    // What could be read is checked further even when some of it is wrong,
    // so every error of every file is reported at once.
    let (config, config_errors) = Config::load_all(path);
    errors.0.extend(config_errors.0);
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
                .check_feed_tags(
                    |r| taxonomy.has_region(r),
                    |i| taxonomy.has_industry(i),
                    |kind, written| {
                        let kind = match kind {
                            "region" => TagKind::Region,
                            _ => TagKind::Industry,
                        };
                        let ids: Vec<&str> = match kind {
                            TagKind::Region => taxonomy.region_ids().collect(),
                            TagKind::Industry => taxonomy.industry_ids().collect(),
                        };
                        let tags = ids.iter().filter_map(|id| {
                            let def = taxonomy.def(kind, id)?;
                            Some((
                                def.id.as_str(),
                                def.names.values().flatten().map(String::as_str),
                            ))
                        });
                        crate::config::suggest::tag_id(written, tags)
                    },
                )
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
        progress: None,
    })
}
