//! Why a store operation failed, whichever backend runs.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database reported an error (or could not be reached).
    #[error("{backend} error: {source}")]
    Database {
        /// `sqlite` or `postgres`.
        backend: &'static str,
        /// The driver's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The schema could not be brought up to date.
    #[error("schema migration failed: {0}")]
    Migration(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A stored row does not decode (written by an incompatible version?).
    #[error("stored story {id} does not decode: {source}")]
    Corrupt {
        /// Row id.
        id: i64,
        /// Decoding error.
        #[source]
        source: serde_json::Error,
    },
    /// The write of a story was lost with the thread doing it (a panic).
    #[error("the store writer stopped before the story was written")]
    WriterLost,
    /// A read-only command found no database where the configuration says.
    #[error(
        "no database at {path} (nothing fetched yet? `[store] path` is relative to polywire.toml's folder)"
    )]
    Missing {
        /// The path looked for.
        path: String,
    },
    /// The database folder could not be created.
    #[error("cannot create {path}: {source}")]
    Io {
        /// Folder.
        path: String,
        /// Error.
        #[source]
        source: std::io::Error,
    },
    /// The store location (`[store] url`, `POLYWIRE_DATABASE_URL`, a
    /// `store copy` argument) is not one polywire can open.
    #[error("invalid store location `{location}`: {reason}")]
    Location {
        /// The location as given (a password in it is masked).
        location: String,
        /// What is wrong with it.
        reason: String,
    },
}
