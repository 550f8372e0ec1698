//! Feed and sitemap dates: the crate's one date parser, [`crate::dates`],
//! under the path the extractors have always called.

pub use crate::dates::{parse_date, source_zone};
