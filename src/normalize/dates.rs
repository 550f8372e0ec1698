//! Dates in normalization (datelines, years left out, Minguo years, URL
//! dates): the crate's one date module, [`crate::dates`], under the path
//! the normalizers have always called.

pub use crate::dates::{
    date_in_url, infer_month, infer_year, local_date, minguo, month_from_name, parse_number,
    start_of_day,
};
