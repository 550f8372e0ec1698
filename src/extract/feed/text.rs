//! Text and HTML helpers shared by the feed formats.

use super::xml::Element;
use crate::extract::charref::unescape_lenient;
use regex::Regex;
use std::sync::LazyLock;

static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[a-zA-Z!/]").expect("static regex"));

static ESCAPED_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)&lt;/?[a-z][a-z0-9]*(?:\s|/?&gt;)").expect("static regex"));

/// HTML that was escaped twice (`&amp;lt;p&amp;gt;` in the XML, so
/// `&lt;p&gt;` after reading it) is unescaped once more: a description with
/// no real tag but escaped ones meant markup, not text about markup.
pub fn fix_double_escape(html: String) -> String {
    if !TAG.is_match(&html) && ESCAPED_TAG.is_match(&html) {
        unescape_lenient(&html)
    } else {
        html
    }
}

static URL_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)')"#).expect("static regex")
});

/// Rewrites relative `href`/`src` attribute values with `resolve`; absolute
/// ones (with a scheme) and unresolvable ones are left as written.
pub fn absolutize_urls(html: String, resolve: impl Fn(&str) -> Option<String>) -> String {
    if !html.contains('=') {
        return html;
    }
    let rewritten = URL_ATTRIBUTE.replace_all(&html, |caps: &regex::Captures<'_>| {
        let value = unescape_lenient(caps.get(2).or(caps.get(3)).map_or("", |m| m.as_str()));
        let value = value.trim();
        let has_scheme = value.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        match (has_scheme || value.starts_with('#'), resolve(value)) {
            (false, Some(url)) => format!(
                "{}\"{}\"",
                &caps[1],
                quick_xml::escape::escape(url.as_str())
            ),
            _ => caps[0].to_string(),
        }
    });
    rewritten.into_owned()
}

/// UTF-8 text that was decoded as windows-1252/Latin-1 (`ä¸­æ–‡` for
/// `中文`), as a lying encoding declaration produces, read back right.
/// Only a text entirely made of windows-1252 characters whose bytes form
/// valid multi-byte UTF-8 qualifies; genuine Latin-1 text (`café`) does not.
pub fn repair_mojibake(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let (bytes, _, had_errors) = encoding_rs::WINDOWS_1252.encode(text);
    if had_errors {
        return None;
    }
    let repaired = std::str::from_utf8(&bytes).ok()?;
    (repaired != text).then(|| repaired.to_string())
}

/// Field values as the format readers take them from the tree. A feed that
/// writes mojibake as character references (`&acirc;&#128;&brvbar;` for
/// `…`) hides it from the repair of the whole document in
/// [`super::parse`]; it only shows once the references are resolved, so
/// each field is repaired as it is read.
pub trait RepairedText {
    /// [`Element::text`], mojibake repaired.
    fn repaired_text(&self) -> String;
    /// [`Element::inner_html`], mojibake repaired.
    fn repaired_inner_html(&self) -> String;
}

impl RepairedText for Element {
    fn repaired_text(&self) -> String {
        let text = self.text();
        repair_mojibake(&text).unwrap_or(text)
    }

    fn repaired_inner_html(&self) -> String {
        let html = self.inner_html();
        repair_mojibake(&html).unwrap_or(html)
    }
}

/// Plain text of an HTML snippet (a title written with markup or entities),
/// whitespace collapsed.
pub fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return collapse_whitespace(html);
    }
    let fragment = scraper::Html::parse_fragment(html);
    let text: String = fragment.root_element().text().collect();
    collapse_whitespace(&text)
}

/// Plain text as HTML.
pub fn text_to_html(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// Runs of whitespace become one space; ends trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A person as RSS writes it: `jo@example.com (Jo Doe)` or `Jo Doe <jo@...>`
/// gives `Jo Doe`; anything else is kept as written.
pub fn person_name(raw: &str) -> Option<String> {
    let raw = collapse_whitespace(raw);
    let name = if let (Some(open), true) = (raw.find('('), raw.ends_with(')')) {
        raw[open + 1..raw.len() - 1].trim().to_string()
    } else if let (Some(open), true) = (raw.find('<'), raw.ends_with('>')) {
        raw[..open].trim().to_string()
    } else {
        raw
    };
    (!name.is_empty()).then_some(name)
}

/// Appends `value` unless it is already there (authors, categories).
pub fn push_unique(list: &mut Vec<String>, value: Option<String>) {
    if let Some(value) = value
        && !list.contains(&value)
    {
        list.push(value);
    }
}

/// `Some` of the trimmed string when not empty.
pub fn non_empty(text: String) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == text.len() {
        Some(text)
    } else {
        Some(trimmed.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_escaped_html_is_unescaped_once() {
        assert_eq!(
            fix_double_escape("&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;".into()),
            "<p>Hi &amp; bye</p>"
        );
        assert_eq!(
            fix_double_escape("<p>a &lt;b&gt; c</p>".into()),
            "<p>a &lt;b&gt; c</p>"
        );
        assert_eq!(fix_double_escape("1 &lt; 2".into()), "1 &lt; 2");
    }

    #[test]
    fn relative_urls_in_html_become_absolute() {
        let base = url::Url::parse("http://example.com/a/feed.xml").unwrap();
        let html = r##"<a href="/x?a=1&amp;b=2">x</a> <img src='p.jpg'> <a href="mailto:me@x">m</a> <a href="#t">t</a>"##;
        assert_eq!(
            absolutize_urls(html.to_string(), |h| base
                .join(h)
                .ok()
                .map(|u| u.to_string())),
            r##"<a href="http://example.com/x?a=1&amp;b=2">x</a> <img src="http://example.com/a/p.jpg"> <a href="mailto:me@x">m</a> <a href="#t">t</a>"##
        );
    }

    #[test]
    fn mojibake_is_repaired_but_latin1_is_kept() {
        let (mojibake, _, _) = encoding_rs::WINDOWS_1252.decode("杭州 café".as_bytes());
        assert_eq!(repair_mojibake(&mojibake).as_deref(), Some("杭州 café"));
        assert_eq!(repair_mojibake("café crème"), None);
        assert_eq!(repair_mojibake("中文"), None);
    }

    #[test]
    fn people_and_titles() {
        assert_eq!(
            person_name("jo@example.com (Jo Doe)").as_deref(),
            Some("Jo Doe")
        );
        assert_eq!(
            person_name("Jo Doe <jo@example.com>").as_deref(),
            Some("Jo Doe")
        );
        assert_eq!(
            html_to_text("AT&amp;T <b>rocks</b>\n now"),
            "AT&T rocks now"
        );
    }
}
