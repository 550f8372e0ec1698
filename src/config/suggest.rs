//! "Did you mean" for configuration mistakes: the closest known key,
//! variant or id to what was written (`concurency` → `concurrency`).
//!
//! Closeness is Jaro-Winkler similarity from `strsim`, which favours a
//! shared beginning, as typos of a known word usually have.

/// Below this similarity a suggestion would be a guess, not a correction.
const MIN_SIMILARITY: f64 = 0.8;

/// The known word closest to `written`, when one is close enough.
pub fn closest<'a>(written: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let written = written.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(&written, &k.to_lowercase()), k))
        .filter(|(score, _)| *score >= MIN_SIMILARITY)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The id meant by `written` among tags given as `(id, names)`: the tag one
/// of whose names is `written` (`taiwan` → `tw`), else the closest id.
pub fn tag_id<'a, N>(
    written: &str,
    tags: impl Iterator<Item = (&'a str, N)> + Clone,
) -> Option<String>
where
    N: IntoIterator<Item = &'a str>,
{
    let wanted = written.trim().to_lowercase();
    tags.clone()
        .find_map(|(id, names)| {
            names
                .into_iter()
                .any(|n| n.to_lowercase() == wanted)
                .then_some(id)
        })
        .or_else(|| closest(written, tags.map(|(id, _)| id)))
        .map(String::from)
}

/// A serde/toml message with the correction it implies: `unknown field
/// `concurency`, expected one of `a`, `b`` gains "did you mean
/// `concurrency`?"; `missing field `x`` says the key is required.
pub fn explain(message: &str) -> String {
    if let Some(key) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        return format!("missing required key `{key}`");
    }
    let unknown = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.strip_prefix(p))
        .and_then(|rest| rest.split_once('`'));
    let Some((written, rest)) = unknown else {
        return message.to_string();
    };
    let known: Vec<&str> = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|k| !k.is_empty())
        .collect();
    match closest(written, known.iter().copied()) {
        Some(best) => format!("{message}; did you mean `{best}`?"),
        None => message.to_string(),
    }
}

/// Why a CSS selector does not parse, with the column (1-based, in
/// characters) where it goes wrong: the first character whose addition
/// makes the selector wrong rather than merely unfinished. `None` when it
/// parses.
pub fn selector_error(selector: &str) -> Option<String> {
    use scraper::error::SelectorErrorKind;
    let err = scraper::Selector::parse(selector).err()?;
    let unfinished = |e: &SelectorErrorKind| matches!(e, SelectorErrorKind::EndOfLine);
    let wrong_at = selector
        .char_indices()
        .map(|(i, c)| (i + c.len_utf8(), c))
        .enumerate()
        .find_map(|(column, (end, c))| {
            let prefix_err = scraper::Selector::parse(&selector[..end]).err()?;
            (!unfinished(&prefix_err)).then_some((column + 1, c))
        });
    Some(match wrong_at {
        Some((column, c)) => format!("unexpected `{c}` at column {column}"),
        None if unfinished(&err) => format!(
            "the selector ends too early (column {})",
            selector.chars().count() + 1
        ),
        None => format!("not a selector scraper can read ({err})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_the_key_meant() {
        assert_eq!(
            explain(
                "unknown field `concurency`, expected one of `user_agent`, `concurrency`, `timeout_secs`"
            ),
            "unknown field `concurency`, expected one of `user_agent`, `concurrency`, \
             `timeout_secs`; did you mean `concurrency`?"
        );
        assert_eq!(
            explain("unknown variant `rsss`, expected one of `rss`, `atom`, `json`"),
            "unknown variant `rsss`, expected one of `rss`, `atom`, `json`; did you mean `rss`?"
        );
        // Nothing close: no guess.
        assert_eq!(
            explain("unknown field `zzz`, expected `name`"),
            "unknown field `zzz`, expected `name`"
        );
        assert_eq!(
            explain("missing field `language`"),
            "missing required key `language`"
        );
    }

    #[test]
    fn a_tag_is_found_by_its_name_or_a_close_id() {
        let tags = [("tw", vec!["Taiwan", "台湾"]), ("cn", vec!["China"])];
        let iter = || tags.iter().map(|(id, names)| (*id, names.iter().copied()));
        assert_eq!(tag_id("taiwan", iter()).as_deref(), Some("tw"));
        assert_eq!(tag_id("台湾", iter()).as_deref(), Some("tw"));
        assert_eq!(tag_id("zz", iter()), None);
    }

    #[test]
    fn selector_errors_say_where() {
        assert_eq!(selector_error("ul.list li"), None);
        assert_eq!(
            selector_error("div..story").as_deref(),
            Some("unexpected `.` at column 5")
        );
        // A combinator with nothing after it.
        assert_eq!(
            selector_error("ul >").as_deref(),
            Some("unexpected `>` at column 4")
        );
    }
}
