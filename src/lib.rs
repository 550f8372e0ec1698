//! polywire turns news wires into feeds people can subscribe to.
//!
//! ```text
//! source (config/sources/*.toml)
//!   └─ schedule   cron → a fetch job on the tokio runtime      (schedule)
//!       └─ fetch      polite, bounded HTTP → RawDocument       (fetch)
//!           └─ extract    feed items / article pages           (extract)
//!               └─ normalize  clean text + wire conventions    (normalize)
//!                   └─ classify   regions + industries         (classify)
//!                       └─ store      SQLite upsert            (store)
//!                           └─ emit       RSS / Atom / JSON    (emit, serve)
//! ```
//!
//! Each arrow is a plain function call on a plain value ([`model`]).
//! Extraction, normalization, classification and emitting are pure; only
//! `fetch`, `store` and `serve` touch the world. [`pipeline`] walks one
//! source through every stage; [`story`] is one story's way from extracted
//! to classified, shared by the pipeline and `polywire inspect`. [`dates`]
//! is the one date parser that extraction and normalization share.

#![warn(missing_docs)]

pub mod app;
pub mod cadence;
pub mod catalog;
pub mod classify;
pub mod config;
pub mod daemon;
pub mod dates;
pub mod discover;
pub mod emit;
pub mod extract;
pub mod fetch;
pub mod inspect;
pub mod metrics;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod poison;
pub mod reprocess;
pub mod schedule;
pub mod serve;
pub mod store;
pub mod story;
