//! Making untrusted text safe for XML, JSON and HTML output.
//!
//! Wires are hostile input: titles carry control characters, bidi
//! overrides and stray markup; bodies carry scripts and `javascript:`
//! links. Everything a writer prints goes through here first.

use ammonia::{Builder, UrlRelative};
use std::collections::{HashMap, HashSet};
use url::Url;

/// True for characters XML 1.0 forbids or discourages in documents, and for
/// invisible direction controls that can make a title read differently from
/// what it says (Trojan-Source style overrides and isolates).
fn is_unwanted(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}'
        | '\u{7F}'..='\u{9F}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{FDD0}'..='\u{FDEF}' | '\u{FFFE}' | '\u{FFFF}')
        || (c as u32 & 0xFFFE) == 0xFFFE
}

/// Removes XML-illegal characters and direction overrides; keeps tabs and
/// line breaks.
pub fn clean_text(text: &str) -> String {
    cleaned(text).into_owned()
}

/// [`clean_text`] without a copy when there is nothing to remove, as for
/// nearly all text: a feed render passes every paragraph through here.
fn cleaned(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_unwanted) {
        text.chars().filter(|&c| !is_unwanted(c)).collect()
    } else {
        text.into()
    }
}

/// [`clean_text`], then every run of white space (line breaks included)
/// becomes one space: for titles, names and labels.
pub fn one_line(text: &str) -> String {
    let text = cleaned(text);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// An absolute `http(s)` URL, resolved against `base` when relative;
/// `None` for any other scheme (`javascript:`, `data:` ...) or garbage.
pub fn absolute_url(link: &str, base: Option<&Url>) -> Option<String> {
    let link = clean_text(link.trim());
    let url = match base {
        Some(base) => base.join(&link).ok()?,
        None => Url::parse(&link).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// Sanitizes an HTML fragment with an allow-list: only text-level and
/// structural tags survive, links keep `href`/`title`, images keep
/// `src`/`alt`; only `http`, `https` and `mailto` URLs are kept, relative
/// ones made absolute against `base` (the story's URL).
pub fn sanitize_html(html: &str, base: Option<&Url>) -> String {
    let tags: HashSet<&str> = [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
    .into_iter()
    .collect();
    let mut attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
    attributes.insert("a", ["href", "title"].into_iter().collect());
    attributes.insert(
        "img",
        ["src", "alt", "title", "width", "height"]
            .into_iter()
            .collect(),
    );
    attributes.insert("td", ["colspan", "rowspan"].into_iter().collect());
    attributes.insert("th", ["colspan", "rowspan"].into_iter().collect());
    let mut builder = Builder::empty();
    builder
        .tags(tags)
        .tag_attributes(attributes)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .url_relative(match base {
            Some(base) => UrlRelative::RewriteWithBase(base.clone()),
            None => UrlRelative::Deny,
        });
    builder.clean(&clean_text(html)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_controls_and_bidi_overrides_but_keeps_cjk_and_newlines() {
        assert_eq!(
            clean_text("a\u{0}b\u{1B}c\u{202E}d\u{2066}e\n長三角\u{FFFE}"),
            "abcde\n長三角"
        );
        assert_eq!(one_line("  台積電\n\t擴廠  "), "台積電 擴廠");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_dropped() {
        let base = Url::parse("https://news.example.com/a/b.html").unwrap();
        let out = sanitize_html(
            r#"<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">j</a><a href="../c.html">rel</a><img src="/i.jpg"></p>"#,
            Some(&base),
        );
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(
            out.contains(r#"href="https://news.example.com/c.html""#),
            "{out}"
        );
        assert!(
            out.contains(r#"src="https://news.example.com/i.jpg""#),
            "{out}"
        );
    }

    #[test]
    fn absolute_url_refuses_other_schemes() {
        let base = Url::parse("https://x.example/a/").unwrap();
        assert_eq!(
            absolute_url("p.jpg", Some(&base)).as_deref(),
            Some("https://x.example/a/p.jpg")
        );
        assert_eq!(absolute_url("javascript:alert(1)", Some(&base)), None);
        assert_eq!(absolute_url("data:text/html,x", None), None);
    }
}
