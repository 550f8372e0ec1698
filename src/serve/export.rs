//! `polywire export --out DIR`: every named feed in every format, the
//! OPML list and the index page as files, laid out like the server's URLs
//! so any static web server can publish them.

use super::page::{index_page, named_feed_path, opml};
use super::params::FeedParams;
use super::render::{FeedRequest, RenderError, render_feed};
use crate::classify::Taxonomy;
use crate::config::Config;
use crate::emit::html;
use crate::store::Store;
use jiff::Timestamp;
use std::path::{Path, PathBuf};

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// A file or folder could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// A feed could not be rendered.
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// Writes every named feed (each offered format) under `out/feeds/`,
/// `out/opml.xml` and `out/index.html`. Returns the files written.
pub fn export_all(
    config: &Config,
    taxonomy: &Taxonomy,
    store: &Store,
    out: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    let now = Timestamp::now();
    let base = config.daemon.server.public_base_url();
    let write = |rel: &str, body: &str| -> Result<PathBuf, ExportError> {
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, body).map_err(|source| ExportError::Io {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    };
    let params = FeedParams {
        case_sensitive: true,
        sorted: true,
        ..FeedParams::default()
    };
    let mut written = Vec::new();
    for feed in &config.feeds {
        for &format in &feed.formats {
            let rel = named_feed_path(&feed.name, format);
            let self_url = format!("{base}/{rel}");
            let rendered = render_feed(
                config,
                taxonomy,
                store,
                FeedRequest {
                    name: Some(&feed.name),
                    format,
                    params: &params,
                    self_url: &self_url,
                    now,
                },
            )?;
            written.push(write(&rel, &rendered.body)?);
        }
    }
    written.push(write("opml.xml", &opml(config, now))?);
    let page = index_page(config, taxonomy, store, None, now)?;
    written.push(write("index.html", &html::write(&page))?);
    tracing::info!(files = written.len(), out = %out.display(), "Exported feeds.");
    Ok(written)
}
