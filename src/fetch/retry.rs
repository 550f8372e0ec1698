//! When to try again: exponential backoff with jitter, and `Retry-After`.

use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::time::{Duration, SystemTime};

/// Longest pause between two attempts when the server gave no `Retry-After`.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// The pause before retry number `retry` (0 for the first retry): `base`
/// doubled each time, capped, then "equal jitter" (half fixed, half random)
/// so many clients that failed together do not return together.
pub fn backoff(base: Duration, retry: u32) -> Duration {
    let full = base
        .saturating_mul(2u32.saturating_pow(retry))
        .min(MAX_BACKOFF);
    let half = full / 2;
    half + half.mul_f64(fastrand::f64())
}

/// `Retry-After` as a wait from now: delta-seconds or an HTTP date
/// (RFC 9110 §10.2.3). A date in the past means "now"; garbage is ignored.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        map
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after(&headers("120")), Some(Duration::from_secs(120)));
        let later = SystemTime::now() + Duration::from_secs(3600);
        let wait = retry_after(&headers(&httpdate::fmt_http_date(later))).unwrap();
        assert!(wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600));
        let past = retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(past, Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let base = Duration::from_millis(100);
        for retry in 0..4 {
            let full = base * 2u32.pow(retry);
            let pause = backoff(base, retry);
            assert!(pause >= full / 2 && pause <= full, "{retry}: {pause:?}");
        }
        assert!(backoff(base, 40) <= MAX_BACKOFF);
    }
}
