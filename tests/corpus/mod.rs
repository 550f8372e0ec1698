//! Where the tests find the development corpus.
//!
//! The full corpus (about 30 MB of real pages and feeds with ground truth)
//! is kept outside the repository. It is used when `POLYWIRE_CORPUS` names
//! it or when it sits beside the clone as `../shared/corpus`; otherwise the
//! tests run on the subset vendored in `tests/fixtures/corpus/` (made by
//! `scripts/vendor_corpus.py`), so `cargo test` passes on a fresh clone with
//! nothing beside it. CI runs both.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};

/// The corpus a test run reads.
pub struct Corpus {
    pub dir: PathBuf,
    /// False when the run reads the vendored subset, whose counts and mean
    /// scores are those of a few dozen pages rather than of the whole set.
    pub full: bool,
}

/// The vendored subset inside the repository.
pub fn vendored() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

/// `POLYWIRE_CORPUS` if set (it must hold a corpus: a wrong path is an
/// error, not a silent fallback), else `../shared/corpus` when present,
/// else the vendored subset.
pub fn corpus() -> Corpus {
    let is_corpus = |dir: &Path| dir.join("articles/index.jsonl").is_file();
    let vendored = vendored();
    let dir = match std::env::var_os("POLYWIRE_CORPUS") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(
                is_corpus(&dir),
                "POLYWIRE_CORPUS={} holds no articles/index.jsonl",
                dir.display()
            );
            dir
        }
        None => {
            let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
            if is_corpus(&beside) {
                beside
            } else {
                vendored.clone()
            }
        }
    };
    let full = std::fs::canonicalize(&dir).ok() != std::fs::canonicalize(&vendored).ok();
    Corpus { dir, full }
}
