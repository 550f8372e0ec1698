//! Article-page dates: the crate's one date parser, [`crate::dates`],
//! under the names the page extractors call (so `CST` on a Chinese page
//! means what it means in that wire's feed).

pub use crate::dates::{find_in_text, parse_page_date as parse, source_zone as zone};
