//! HTML character references (`&amp;`, `&#x4E2D;`, `&nbsp`) in text and
//! attribute values, decoded as the WHATWG tokenizer does: the longest
//! named entity wins, the legacy names that may go without `;` are honoured
//! (except in attribute values before `=` or a letter), and numeric
//! references outside Unicode, surrogates and NUL become U+FFFD while
//! C1 controls are read as windows-1252.
//!
//! Feeds are XML, read more strictly ([`resolve_entity`],
//! [`unescape_lenient`]): a reference counts only with its `;`, and one
//! that does not resolve stays as written, because a feed's `&` that is not
//! a reference is a publisher's error better shown than guessed at. Both
//! rules share the entity table and the windows-1252 reading of C1
//! controls.
//!
//! The entity table is HTML5's, shipped by `markup5ever` (already in the
//! tree through scraper and ammonia).

use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use std::borrow::Cow;

/// Longest entity name in the table (`CounterClockwiseContourIntegral;`).
const MAX_NAME: usize = 32;

/// Text with its references decoded; borrowed when there are none. NUL
/// characters are dropped (the HTML tokenizer ignores them in text).
pub fn decode_text(raw: &str) -> Cow<'_, str> {
    decode(raw, false)
}

/// An attribute value with its references decoded.
pub fn decode_attr(raw: &str) -> Cow<'_, str> {
    decode(raw, true)
}

fn decode(raw: &str, in_attr: bool) -> Cow<'_, str> {
    let bytes = raw.as_bytes();
    if !has_ampersand_or_nul(bytes) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'&', 0, &bytes[at..]) {
        let pos = at + found;
        out.push_str(&raw[copied..pos]);
        if bytes[pos] == 0 {
            if in_attr {
                out.push('\u{FFFD}');
            }
            copied = pos + 1;
            at = pos + 1;
            continue;
        }
        match reference(&raw[pos + 1..], in_attr) {
            Some((chars, used)) => {
                out.extend(chars.into_iter().flatten());
                copied = pos + 1 + used;
            }
            None => {
                out.push('&');
                copied = pos + 1;
            }
        }
        at = copied;
    }
    out.push_str(&raw[copied..]);
    Cow::Owned(out)
}

/// Whether there is anything to decode. Most attribute values and the
/// white space between tags are short, and on a few bytes a plain loop is
/// cheaper than memchr's set-up.
fn has_ampersand_or_nul(bytes: &[u8]) -> bool {
    if bytes.len() < 32 {
        bytes.iter().any(|&b| b == b'&' || b == 0)
    } else {
        memchr::memchr2(b'&', 0, bytes).is_some()
    }
}

/// The characters a reference stands for and how many bytes after the `&`
/// it used, or `None` when the `&` is a plain ampersand.
fn reference(rest: &str, in_attr: bool) -> Option<([Option<char>; 2], usize)> {
    let bytes = rest.as_bytes();
    if bytes.first() == Some(&b'#') {
        return numeric(&bytes[1..]).map(|(c, used)| ([Some(c), None], used + 1));
    }
    let run = bytes
        .iter()
        .take(MAX_NAME)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if run == 0 {
        return None;
    }
    // With its semicolon first: that is the common, unambiguous form.
    if bytes.get(run) == Some(&b';') {
        let key = &rest[..=run];
        if let Some(c) = common(key) {
            return Some(([Some(c), None], run + 1));
        }
        if let Some(chars) = lookup(key) {
            return Some((chars, run + 1));
        }
    }
    // The longest legacy name without `;` (`&notit` is `¬it`).
    for len in (1..=run).rev() {
        if let Some(chars) = lookup(&rest[..len]) {
            let next = bytes.get(len);
            if in_attr && next.is_some_and(|b| *b == b'=' || b.is_ascii_alphanumeric()) {
                return None;
            }
            return Some((chars, len));
        }
    }
    None
}

/// The references pages write most (`&amp;` in every query string), read
/// without hashing into the entity table; they decode as the table says.
fn common(key: &str) -> Option<char> {
    Some(match key {
        "amp;" => '&',
        "quot;" => '"',
        "nbsp;" => '\u{a0}',
        "lt;" => '<',
        "gt;" => '>',
        "apos;" => '\'',
        _ => return None,
    })
}

fn lookup(key: &str) -> Option<[Option<char>; 2]> {
    let &(first, second) = NAMED_ENTITIES.get(key)?;
    if first == 0 {
        return None;
    }
    Some([
        char::from_u32(first),
        char::from_u32(second).filter(|_| second != 0),
    ])
}

/// `&#123;` / `&#x7B;`: the character and the bytes used after `#`.
fn numeric(bytes: &[u8]) -> Option<(char, usize)> {
    let (hex, start) = match bytes.first() {
        Some(b'x' | b'X') => (true, 1),
        _ => (false, 0),
    };
    let digits = bytes[start..]
        .iter()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    if digits == 0 {
        return None;
    }
    let mut code: u32 = 0;
    for &b in &bytes[start..start + digits] {
        let digit = (b as char).to_digit(16).unwrap_or(0);
        code = code
            .saturating_mul(if hex { 16 } else { 10 })
            .saturating_add(digit);
    }
    let mut used = start + digits;
    if bytes.get(used) == Some(&b';') {
        used += 1;
    }
    let c = match code {
        0 | 0xD800..=0xDFFF | 0x11_0000.. => '\u{FFFD}',
        0x80..=0x9F => C1_REPLACEMENTS[(code - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(code).unwrap_or('\u{FFFD}')),
        _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
    };
    Some((c, used))
}

/// An entity reference resolved leniently: character references, XML's
/// five names and HTML5's named entities. `None` means "leave as written".
pub fn resolve_entity(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        let ch = char::from_u32(code).map(demoronize)?;
        return (ch != '\0').then(|| ch.to_string());
    }
    if let Some(value) = quick_xml::escape::resolve_predefined_entity(name) {
        return Some(value.to_string());
    }
    let key = format!("{name};");
    let chars = lookup(&key)?;
    Some(chars.into_iter().flatten().collect())
}

/// C1 control characters (U+0080–U+009F) never occur in real text; they
/// are windows-1252 bytes read as Latin-1 (`don\u{92}t`), so they are read
/// the way browsers read them (`don’t`).
pub fn demoronize(ch: char) -> char {
    match ch as u32 {
        code @ 0x80..=0x9f => C1_REPLACEMENTS[(code - 0x80) as usize].unwrap_or(ch),
        _ => ch,
    }
}

/// Resolves every reference in `raw` the lenient way (attribute values and
/// double-escaped HTML). A bare `&` stays as it is.
pub fn unescape_lenient(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest[1..]
            .char_indices()
            .take(32)
            .find(|&(_, c)| c == ';' || !(c.is_ascii_alphanumeric() || c == '#'))
            .filter(|&(_, c)| c == ';')
            .map(|(i, _)| i + 1);
        match end.and_then(|end| resolve_entity(&rest[1..end]).map(|v| (end, v))) {
            Some((end, value)) => {
                out.push_str(&value);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_decoded_as_browsers_do() {
        assert_eq!(decode_text("a &amp; b"), "a & b");
        assert_eq!(decode_text("&lt;p&gt;&nbsp;x"), "<p>\u{a0}x");
        assert_eq!(decode_text("&#20013;&#x6587;&#X41;"), "中文A");
        assert_eq!(decode_text("&#150; &#0; &#x110000;"), "– \u{FFFD} \u{FFFD}");
        assert_eq!(decode_text("&notit; &copy 2025"), "¬it; © 2025");
        assert_eq!(decode_text("AT&T &unknown; & &#;"), "AT&T &unknown; & &#;");
        assert_eq!(decode_text("nul\0here"), "nulhere");
        assert_eq!(decode_text("&NotNestedGreaterGreater;"), "\u{2AA2}\u{338}");
    }

    #[test]
    fn common_references_decode_as_the_table_says() {
        for key in ["amp;", "quot;", "nbsp;", "lt;", "gt;", "apos;"] {
            assert_eq!(lookup(key), common(key).map(|c| [Some(c), None]), "{key}");
        }
        assert_eq!(common("copy;"), None);
    }

    #[test]
    fn attribute_values_keep_query_strings() {
        assert_eq!(decode_attr("?a=1&copy=2&amp;b"), "?a=1&copy=2&b");
        assert_eq!(decode_attr("x&copy;y"), "x©y");
        assert!(matches!(decode_attr("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn lenient_unescape_keeps_unknown_and_bare() {
        assert_eq!(
            unescape_lenient("a=1&b=2 &amp; &eacute; &#x4e2d; &zz;"),
            "a=1&b=2 & é 中 &zz;"
        );
    }
}
