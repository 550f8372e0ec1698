//! `polywire reprocess`: bring stored stories up to date with the
//! configuration and taxonomy in force.
//!
//! Stories are stored normalized; the pages they came from are not kept.
//! So a taxonomy change is applied from the store alone (every story is
//! classified again, no fetching), while a changed selector or extraction
//! rule needs the pages again: `--refetch` runs the sources with
//! [`Pipeline::force`] first, which re-extracts every story their indexes
//! list, and then re-tags.

use crate::classify::{Taxonomy, classify};
use crate::pipeline::Pipeline;
use crate::store::{Store, StoreError, Upsert};
use tokio_util::sync::CancellationToken;

/// Stories loaded and written per transaction.
const BATCH: usize = 256;

/// What a re-tagging pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Retagged {
    /// Stories classified again.
    pub seen: u64,
    /// Stories whose tags changed.
    pub changed: u64,
}

/// Classifies every stored story (or one source's) with `taxonomy` and
/// stores the tags that changed. Nothing is fetched.
pub fn retag(
    store: &mut Store,
    taxonomy: &Taxonomy,
    source: Option<&str>,
) -> Result<Retagged, StoreError> {
    let mut done = Retagged::default();
    let ids = store.story_ids(source)?;
    for chunk in ids.chunks(BATCH) {
        for story in store.load_stories(chunk)? {
            let mut article = story.article;
            let tags = classify(&article, taxonomy);
            if let Some(dateline) = article.dateline.as_mut() {
                dateline.region = tags.dateline_region.clone();
            }
            done.seen += 1;
            if matches!(store.upsert(&article, &tags, None)?, Upsert::Updated(_)) {
                done.changed += 1;
            }
        }
    }
    Ok(done)
}

/// Runs each source again ignoring validators and stored pages, so every
/// story its index lists is fetched and extracted anew. Returns the run
/// reports.
pub async fn refetch<'a>(
    pipeline: &Pipeline,
    sources: impl IntoIterator<Item = &'a crate::config::SourceConfig>,
    shutdown: &CancellationToken,
) -> Vec<crate::pipeline::RunReport> {
    let mut reports = Vec::new();
    for source in sources {
        reports.push(pipeline.run_source(source, shutdown).await);
    }
    reports
}
