//! `polywire store copy`: moves a whole store to another backend (or
//! another file or server): stories with their ids, clusters and tags,
//! their full-text and near-duplicate rows (rebuilt by the target), and
//! source states, validators and tombstones.
//!
//! Resumable: stories go in batches, each one transaction, in id order,
//! and a new run starts after the largest id the target holds (after
//! checking that this story is the source's, so two different stores are
//! never mixed). Side tables are small and written over whole at the end
//! of every run. Stories changed in the source after they were copied are
//! not copied again: stop the daemon while copying.

use super::{Store, StoreError};

/// Stories one transaction copies.
pub const COPY_BATCH: usize = 500;

/// Where a copy stands, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyProgress {
    /// Stories the target holds now.
    pub copied: u64,
    /// Stories the source holds.
    pub total: u64,
}

/// What a copy did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyReport {
    /// Stories copied by this run.
    pub stories: u64,
    /// Stories the target already held from an earlier run.
    pub resumed_after: u64,
    /// Source states, validators and tombstones written.
    pub side_rows: u64,
}

impl Store {
    /// Copies everything in this store into `target` (see the module
    /// doc), calling `progress` after each batch.
    pub fn copy_to(
        &self,
        target: &mut Store,
        batch: usize,
        progress: &mut dyn FnMut(CopyProgress),
    ) -> Result<CopyReport, StoreError> {
        let batch = batch.max(1);
        let total = self.count()?;
        let mut watermark = target.backend.max_story_id()?.unwrap_or(0);
        if watermark > 0 {
            let ours = target.backend.export_stories(watermark - 1, 1)?;
            let theirs = self.backend.export_stories(watermark - 1, 1)?;
            let same = matches!((ours.first(), theirs.first()), (Some(a), Some(b)) if a.id == b.id && a.url == b.url);
            if !same {
                return Err(StoreError::Location {
                    location: "copy target".into(),
                    reason: format!(
                        "it holds stories that are not this store's (story {watermark} differs); \
                         copy into an empty store"
                    ),
                });
            }
        }
        let resumed_after = target.count()?;
        let mut copied = resumed_after;
        let mut stories = 0;
        loop {
            let records = self.backend.export_stories(watermark, batch)?;
            let Some(last) = records.last() else {
                break;
            };
            watermark = last.id;
            target.backend.import_stories(&records)?;
            stories += records.len() as u64;
            copied += records.len() as u64;
            progress(CopyProgress { copied, total });
        }
        let side = self.backend.export_side_tables()?;
        target.backend.import_side_tables(&side)?;
        Ok(CopyReport {
            stories,
            resumed_after,
            side_rows: (side.sources.len() + side.validators.len() + side.retired.len()) as u64,
        })
    }
}
