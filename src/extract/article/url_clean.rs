//! Canonical URLs without tracking parameters.
//!
//! The same story is shared with many campaign tags; removing them lets the
//! store recognise it. The list (docs/extraction.md says where each entry
//! comes from) holds names that never select content: campaign tags
//! (Google Analytics `utm_*`), click identifiers of ad networks and social
//! sites (`fbclid`, `gclid`, `msclkid`, `igshid` ...), mail-campaign ids
//! (Mailchimp `mc_cid`/`mc_eid`, HubSpot `_hsenc` ...), Alibaba's `spm`/`scm`
//! and the Chinese share tags (`from`, `share`, `isappinstalled`).

use url::Url;

/// Exact parameter names removed (compared lower-case).
const TRACKING: &[&str] = &[
    // Google Ads / Analytics / DoubleClick
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "_ga",
    "_gl",
    // social networks and other ad networks
    "fbclid",
    "igshid",
    "igsh",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "ref_src",
    "ref_url",
    "s_cid",
    "cmpid",
    "icid",
    // mail campaigns: Mailchimp, HubSpot, Marketo, Vero, Omeda
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "__hssc",
    "__hstc",
    "__hsfp",
    "hsctatracking",
    "mkt_tok",
    "vero_id",
    "vero_conv",
    "oly_anon_id",
    "oly_enc_id",
    // Alibaba / Chinese share links
    "spm",
    "scm",
    "from",
    "share",
    "share_token",
    "sharer_shareid",
    "isappinstalled",
    "wfr",
];

/// Prefixes removed: `utm_source`, `utm_medium`, ... and Webtrends `wt.mc_id`.
const TRACKING_PREFIXES: &[&str] = &["utm_", "wt.", "pk_campaign", "pk_kwd"];

/// Whether a query parameter name is a tracking tag.
pub fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    TRACKING.contains(&name.as_str()) || TRACKING_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The URL with tracking parameters and the fragment removed; other
/// parameters keep their order.
pub fn clean(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    if url.query().is_none() {
        return url;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| !is_tracking(name))
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_parameters_go_and_others_stay() {
        let url = Url::parse(
            "https://news.example.cn/a/2025/1223/x.html?id=7&utm_source=wx&spm=a2c.1&FBCLID=z&page=2#top",
        )
        .unwrap();
        assert_eq!(
            clean(&url).as_str(),
            "https://news.example.cn/a/2025/1223/x.html?id=7&page=2"
        );
        let only = Url::parse("https://example.com/story?utm_medium=social&from=timeline").unwrap();
        assert_eq!(clean(&only).as_str(), "https://example.com/story");
    }
}
