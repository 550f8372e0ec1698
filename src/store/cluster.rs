//! Near-duplicate clusters, the part every backend shares: the same story
//! from two wires gets one cluster id (the row id of its first copy).
//!
//! Two ways find an earlier copy: a window of recent fingerprints kept in
//! memory by the writer (wires carry the same story within days), looked
//! through with [`normalize::same_story`], the closest one winning; else,
//! for older stories, the 16-bit bands of the fingerprint, which the
//! backend keeps in an index: fingerprints within [`SAME_STORY_BITS`] of
//! each other share at least one band.

use crate::normalize;

/// How far apart in time two copies of one story may be.
pub(super) const CLUSTER_WINDOW_SECS: i64 = 3 * 86_400;

/// Near-duplicate threshold of the band search: fingerprints this close
/// are the same story.
pub(super) const SAME_STORY_BITS: u32 = 3;

/// Candidates the band search looks at, oldest first.
pub(super) const BAND_CANDIDATES: i64 = 200;

/// Four 16-bit bands of a fingerprint, tagged with their position.
pub(super) fn bands(fingerprint: u64) -> [i64; 4] {
    std::array::from_fn(|i| ((i as i64) << 16) | ((fingerprint >> (16 * i)) & 0xFFFF) as i64)
}

/// The cluster of the first candidate (oldest first, as the band index
/// gave them) within [`SAME_STORY_BITS`] of `fingerprint`.
pub(super) fn first_close(
    candidates: impl IntoIterator<Item = (i64, i64)>,
    fingerprint: u64,
) -> Option<i64> {
    candidates
        .into_iter()
        .find(|&(other, _)| ((other as u64) ^ fingerprint).count_ones() <= SAME_STORY_BITS)
        .map(|(_, cluster)| cluster)
}

/// One recent story for near-duplicate search.
#[derive(Debug, Clone, Copy)]
pub(super) struct Recent {
    pub(super) sort_time: i64,
    pub(super) fingerprint: u64,
    pub(super) cluster: i64,
}

/// Fingerprints of recent stories, loaded on the first write.
#[derive(Debug, Default)]
pub(super) struct RecentWindow {
    list: Option<Vec<Recent>>,
}

impl RecentWindow {
    /// Whether the window must be read from the store first.
    pub(super) fn needs_load(&self) -> bool {
        self.list.is_none()
    }

    /// The oldest time to load, from the newest stored story's (or this
    /// story's, in an empty store).
    pub(super) fn load_from(newest: Option<i64>, sort_time: i64) -> i64 {
        newest.unwrap_or(sort_time) - 2 * CLUSTER_WINDOW_SECS
    }

    /// Sets the window read from the store.
    pub(super) fn load(&mut self, recent: Vec<Recent>) {
        self.list = Some(recent);
    }

    /// Forgets the window: a rolled-back write may have added stories
    /// that are not there. It is read again on the next write.
    pub(super) fn forget(&mut self) {
        self.list = None;
    }

    /// The cluster of a story within [`CLUSTER_WINDOW_SECS`] whose
    /// fingerprint is the same story; the closest one wins.
    pub(super) fn find(&mut self, fingerprint: u64, sort_time: i64) -> Option<i64> {
        let list = self.list.as_mut()?;
        // Forget what has fallen far behind the newest story.
        if list.len() > 1024
            && let Some(newest) = list.iter().map(|r| r.sort_time).max()
        {
            list.retain(|r| r.sort_time >= newest - 2 * CLUSTER_WINDOW_SECS);
        }
        list.iter()
            .filter(|r| (r.sort_time - sort_time).abs() <= CLUSTER_WINDOW_SECS)
            .filter(|r| normalize::same_story(r.fingerprint, fingerprint))
            .min_by_key(|r| (r.fingerprint ^ fingerprint).count_ones())
            .map(|r| r.cluster)
    }

    /// Adds a story just stored (when the window is loaded).
    pub(super) fn push(&mut self, recent: Recent) {
        if recent.fingerprint != 0
            && let Some(list) = self.list.as_mut()
        {
            list.push(recent);
        }
    }
}
