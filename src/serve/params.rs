//! URL query parameters of feed requests: polywire's own filters and
//! RSSHub's common parameters, parsed and checked up front so a bad
//! request gets a 400 naming the parameter and the reason.

use crate::classify::Taxonomy;
use crate::config::{Config, FeedFormat};
use crate::model::Script;
use jiff::Timestamp;
use regex::{Regex, RegexBuilder};

/// Default number of stories in a feed.
pub const DEFAULT_LIMIT: usize = 50;
/// Largest `limit` accepted.
pub const MAX_LIMIT: usize = 500;
/// Longest regular expression accepted in an RSSHub filter.
const MAX_PATTERN_LEN: usize = 1000;
/// Compiled-size bound of one filter regex: a hostile pattern gets a 400
/// instead of eating memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Longest full-text query accepted.
const MAX_Q_LEN: usize = 200;

/// A parameter that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{param}`: {reason}")]
pub struct ParamError {
    /// The parameter as written in the URL.
    pub param: String,
    /// What is wrong with it.
    pub reason: String,
}

fn bad(param: &str, reason: impl Into<String>) -> ParamError {
    ParamError {
        param: param.to_string(),
        reason: reason.into(),
    }
}

/// Every parameter a feed URL may carry.
pub const KNOWN: &[&str] = &[
    "region",
    "industry",
    "lang",
    "source",
    "q",
    "script",
    "since",
    "limit",
    "collapse",
    "primary",
    "format",
    "filter",
    "filter_title",
    "filter_description",
    "filter_author",
    "filter_category",
    "filter_time",
    "filterout",
    "filterout_title",
    "filterout_description",
    "filterout_author",
    "filterout_category",
    "filter_case_sensitive",
    "sorted",
    "opencc",
];

/// RSSHub's regular-expression filters (raw patterns, compiled in
/// [`Filters::compile`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RssHubPatterns {
    /// `filter`: title, description, author or category matches.
    pub filter: Option<String>,
    /// `filter_title`.
    pub filter_title: Option<String>,
    /// `filter_description`.
    pub filter_description: Option<String>,
    /// `filter_author`.
    pub filter_author: Option<String>,
    /// `filter_category`.
    pub filter_category: Option<String>,
    /// `filterout`: neither title nor description matches.
    pub filterout: Option<String>,
    /// `filterout_title`.
    pub filterout_title: Option<String>,
    /// `filterout_description`.
    pub filterout_description: Option<String>,
    /// `filterout_author`.
    pub filterout_author: Option<String>,
    /// `filterout_category`.
    pub filterout_category: Option<String>,
}

/// Compiled RSSHub filters, applied after the store query.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// `filter`.
    pub filter: Option<Regex>,
    /// `filter_title`.
    pub filter_title: Option<Regex>,
    /// `filter_description`.
    pub filter_description: Option<Regex>,
    /// `filter_author`.
    pub filter_author: Option<Regex>,
    /// `filter_category`.
    pub filter_category: Option<Regex>,
    /// `filterout_title`, else `filterout`.
    pub out_title: Option<Regex>,
    /// `filterout_description`, else `filterout`.
    pub out_description: Option<Regex>,
    /// `filterout_author`.
    pub out_author: Option<Regex>,
    /// `filterout_category`.
    pub out_category: Option<Regex>,
    /// `filter_time`: only stories published within this many seconds.
    pub max_age_secs: Option<u64>,
    /// `sorted=false`: order by when stories were first seen.
    pub unsorted: bool,
    /// `lang=zh-Hans`/`zh-Hant`: only stories written in these scripts.
    pub scripts: Vec<Script>,
}

impl Filters {
    /// True when any filter needs stories beyond the store query.
    pub fn is_active(&self) -> bool {
        self.filter.is_some()
            || self.filter_title.is_some()
            || self.filter_description.is_some()
            || self.filter_author.is_some()
            || self.filter_category.is_some()
            || self.out_title.is_some()
            || self.out_description.is_some()
            || self.out_author.is_some()
            || self.out_category.is_some()
            || self.max_age_secs.is_some()
            || !self.scripts.is_empty()
    }
}

/// The parameters of one feed request, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedParams {
    /// Region ids as given (validated), not yet expanded.
    pub regions: Vec<String>,
    /// Industry ids as given (validated).
    pub industries: Vec<String>,
    /// Language subtags.
    pub langs: Vec<String>,
    /// Chinese scripts a story must be written in (`lang=zh-Hant`); empty
    /// means any. Unlike `script`, this filters and does not convert.
    pub scripts: Vec<Script>,
    /// Source ids.
    pub sources: Vec<String>,
    /// Full-text query.
    pub q: Option<String>,
    /// Script to convert Chinese text to (`script=` or `opencc=`).
    pub script: Option<Script>,
    /// Only stories at or after this time.
    pub since: Option<Timestamp>,
    /// Stories wanted; `None` means the default.
    pub limit: Option<usize>,
    /// One story per near-duplicate cluster.
    pub collapse: bool,
    /// Match the primary region/industry only.
    pub primary: bool,
    /// `format=`: overrides the URL's extension.
    pub format: Option<FeedFormat>,
    /// RSSHub regex filters.
    pub patterns: RssHubPatterns,
    /// `filter_case_sensitive` (default true, as RSSHub).
    pub case_sensitive: bool,
    /// `filter_time` in seconds.
    pub filter_time: Option<u64>,
    /// `sorted` (default true).
    pub sorted: bool,
}

impl FeedParams {
    /// Parses a raw query string (`a=1&b=2`), checking ids against the
    /// taxonomy and the configured sources. Empty values are ignored, so a
    /// form submitted with "any" selected means no filter.
    pub fn parse(
        query: &str,
        config: &Config,
        taxonomy: &Taxonomy,
    ) -> Result<FeedParams, ParamError> {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        FeedParams::from_pairs(&pairs, config, taxonomy)
    }

    /// Like [`FeedParams::parse`], from decoded pairs (the command line).
    pub fn from_pairs(
        pairs: &[(String, String)],
        config: &Config,
        taxonomy: &Taxonomy,
    ) -> Result<FeedParams, ParamError> {
        let mut p = FeedParams {
            case_sensitive: true,
            sorted: true,
            ..FeedParams::default()
        };
        let mut seen: Vec<&str> = Vec::new();
        let mut script_from: Option<(&str, Script)> = None;
        let mut any_chinese = false;
        for (key, value) in pairs {
            let key = key.as_str();
            if !KNOWN.contains(&key) {
                return Err(bad(
                    key,
                    format!("unknown parameter (known: {})", KNOWN.join(", ")),
                ));
            }
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let repeatable = matches!(key, "region" | "industry" | "lang" | "source");
            if !repeatable {
                if seen.contains(&key) {
                    return Err(bad(key, "given more than once"));
                }
                seen.push(key);
            }
            match key {
                "region" | "industry" | "lang" | "source" => {
                    for v in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                        any_chinese |= key == "lang" && v.eq_ignore_ascii_case("zh");
                        p.push_list(key, v, config, taxonomy)?;
                    }
                }
                "q" => {
                    if value.chars().count() > MAX_Q_LEN {
                        return Err(bad(key, format!("longer than {MAX_Q_LEN} characters")));
                    }
                    p.q = Some(value.to_string());
                }
                "script" | "opencc" => {
                    let script = match (key, value.to_ascii_lowercase().as_str()) {
                        ("script", "hans") | ("opencc", "t2s") => Script::Hans,
                        ("script", "hant") | ("opencc", "s2t") => Script::Hant,
                        ("script", _) => {
                            return Err(bad(key, format!("`{value}` is not `hans` or `hant`")));
                        }
                        _ => return Err(bad(key, format!("`{value}` is not `s2t` or `t2s`"))),
                    };
                    if let Some((other, earlier)) = script_from
                        && earlier != script
                    {
                        return Err(bad(key, format!("contradicts `{other}`")));
                    }
                    script_from = Some((key, script));
                    p.script = Some(script);
                }
                "since" => {
                    let t: Timestamp = value.parse().map_err(|_| {
                        bad(
                            key,
                            format!(
                                "`{value}` is not an RFC 3339 time such as 2026-11-29T08:00:00Z"
                            ),
                        )
                    })?;
                    p.since = Some(t);
                }
                "limit" => {
                    let n: usize = value
                        .parse()
                        .map_err(|_| bad(key, format!("`{value}` is not a whole number")))?;
                    if n == 0 || n > MAX_LIMIT {
                        return Err(bad(key, format!("must be between 1 and {MAX_LIMIT}")));
                    }
                    p.limit = Some(n);
                }
                "collapse" => {
                    if value != "clusters" {
                        return Err(bad(key, format!("`{value}` is not `clusters`")));
                    }
                    p.collapse = true;
                }
                "primary" => p.primary = parse_bool(key, value)?,
                "filter_case_sensitive" => p.case_sensitive = parse_bool(key, value)?,
                "sorted" => p.sorted = parse_bool(key, value)?,
                "format" => {
                    p.format = Some(FeedFormat::parse(value).ok_or_else(|| {
                        bad(key, format!("`{value}` is not `rss`, `atom` or `json`"))
                    })?);
                }
                "filter_time" => {
                    let n: u64 = value
                        .parse()
                        .map_err(|_| bad(key, format!("`{value}` is not a number of seconds")))?;
                    p.filter_time = Some(n);
                }
                _ => {
                    if value.len() > MAX_PATTERN_LEN {
                        return Err(bad(key, format!("longer than {MAX_PATTERN_LEN} bytes")));
                    }
                    let slot = match key {
                        "filter" => &mut p.patterns.filter,
                        "filter_title" => &mut p.patterns.filter_title,
                        "filter_description" => &mut p.patterns.filter_description,
                        "filter_author" => &mut p.patterns.filter_author,
                        "filter_category" => &mut p.patterns.filter_category,
                        "filterout" => &mut p.patterns.filterout,
                        "filterout_title" => &mut p.patterns.filterout_title,
                        "filterout_description" => &mut p.patterns.filterout_description,
                        "filterout_author" => &mut p.patterns.filterout_author,
                        _ => &mut p.patterns.filterout_category,
                    };
                    *slot = Some(value.to_string());
                }
            }
        }
        if any_chinese {
            // Plain `zh` asks for Chinese in either script.
            p.scripts.clear();
        }
        // Compile once here so a bad pattern is a 400, not a 500 later.
        p.filters()?;
        Ok(p)
    }

    fn push_list(
        &mut self,
        key: &str,
        value: &str,
        config: &Config,
        taxonomy: &Taxonomy,
    ) -> Result<(), ParamError> {
        if key == "lang"
            && let Some(script) = chinese_script_tag(value)
        {
            // `zh-Hant` is Chinese written in one script: the language
            // filter plus a filter on the story's script.
            if !self.langs.iter().any(|l| l == "zh") {
                self.langs.push("zh".into());
            }
            if !self.scripts.contains(&script) {
                self.scripts.push(script);
            }
            return Ok(());
        }
        let (list, ok, what) = match key {
            "region" => (&mut self.regions, taxonomy.has_region(value), "region"),
            "industry" => (
                &mut self.industries,
                taxonomy.has_industry(value),
                "industry",
            ),
            "source" => (&mut self.sources, config.source(value).is_some(), "source"),
            _ => (&mut self.langs, is_lang_subtag(value), "language"),
        };
        if !ok {
            let hint = if what == "language" {
                " (use a primary language subtag such as `zh`, `en`, `ja`, or `zh-Hans`/`zh-Hant`)"
            } else {
                ""
            };
            return Err(bad(key, format!("unknown {what} `{value}`{hint}")));
        }
        let value = if what == "language" {
            value.to_ascii_lowercase()
        } else {
            value.to_string()
        };
        if !list.contains(&value) {
            list.push(value);
        }
        Ok(())
    }

    /// The RSSHub filters, compiled with a size limit.
    pub fn filters(&self) -> Result<Filters, ParamError> {
        let compile = |name: &str, pattern: &Option<String>| -> Result<Option<Regex>, ParamError> {
            pattern
                .as_deref()
                .map(|p| {
                    RegexBuilder::new(p)
                        .case_insensitive(!self.case_sensitive)
                        .size_limit(REGEX_SIZE_LIMIT)
                        .dfa_size_limit(REGEX_SIZE_LIMIT)
                        .build()
                        .map_err(|e| {
                            let msg = e.to_string();
                            let last = msg.lines().last().unwrap_or("").trim().to_string();
                            bad(name, format!("bad regular expression: {last}"))
                        })
                })
                .transpose()
        };
        let pt = &self.patterns;
        let (out_title_name, out_title) = match &pt.filterout_title {
            Some(_) => ("filterout_title", &pt.filterout_title),
            None => ("filterout", &pt.filterout),
        };
        let (out_desc_name, out_desc) = match &pt.filterout_description {
            Some(_) => ("filterout_description", &pt.filterout_description),
            None => ("filterout", &pt.filterout),
        };
        Ok(Filters {
            filter: compile("filter", &pt.filter)?,
            filter_title: compile("filter_title", &pt.filter_title)?,
            filter_description: compile("filter_description", &pt.filter_description)?,
            filter_author: compile("filter_author", &pt.filter_author)?,
            filter_category: compile("filter_category", &pt.filter_category)?,
            out_title: compile(out_title_name, out_title)?,
            out_description: compile(out_desc_name, out_desc)?,
            out_author: compile("filterout_author", &pt.filterout_author)?,
            out_category: compile("filterout_category", &pt.filterout_category)?,
            max_age_secs: self.filter_time,
            unsorted: !self.sorted,
            scripts: self.scripts.clone(),
        })
    }
}

fn parse_bool(key: &str, value: &str) -> Result<bool, ParamError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(bad(key, format!("`{value}` is not `true` or `false`"))),
    }
}

/// The script of a Chinese language tag with a script subtag (`zh-Hans`,
/// `zh-hant`), case-insensitive as BCP 47 tags are.
pub fn chinese_script_tag(value: &str) -> Option<Script> {
    match value.to_ascii_lowercase().as_str() {
        "zh-hans" => Some(Script::Hans),
        "zh-hant" => Some(Script::Hant),
        _ => None,
    }
}

/// A primary language subtag: two or three ASCII letters.
fn is_lang_subtag(value: &str) -> bool {
    (2..=3).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphabetic())
}
