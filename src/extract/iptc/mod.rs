//! The news agencies' own formats: IPTC NewsML-G2, ninjs and NITF.
//!
//! Agencies (AP, Reuters, AFP, dpa, Kyodo) deliver stories to newsrooms in
//! IPTC formats rather than RSS. Each reader turns one document into
//! [`WireItem`]s, the fields these formats share: headline, slugline,
//! dateline, byline, the place the story was filed from (`located`) and the
//! subject codes (IPTC Media Topics, ISO 3166 country codes ...). A
//! [`WireItem`] becomes an [`IndexEntry`] whose content is the story, so
//! these wires need no page scraping.
//!
//! A source of kind `newsml`, `ninjs` or `nitf` points at one of:
//! - a single document (a NewsML-G2 `newsItem`, `newsMessage` or
//!   `packageItem`, a ninjs object or array, an NITF document);
//! - an Atom or RSS feed whose items link to such documents;
//! - a folder served over HTTP (an index page listing the documents).
//!
//! [`read`] tells these apart; for the last two (and for a package whose
//! items are only referenced) it returns the links to fetch next.
//!
//! Subject codes are kept as `scheme:code` categories (`medtop:20000209`,
//! `iso3166-1a2:CN`), and the place a story was filed from as
//! `located:<name>`; `config/taxonomy/iptc.toml` and the taxonomy's places
//! map them to our industries and regions (see `classify::subjects`).
//!
//! XML is read with the forgiving tree of [`crate::extract::feed::xml`] (agency
//! documents are well-formed more often than feeds, but not always); ninjs
//! with `serde_json` values, as JSON Feed is.

pub mod newsml;
pub mod ninjs;
pub mod nitf;

use crate::extract::ExtractError;
use crate::extract::feed::text::{RepairedText, html_to_text, non_empty, text_to_html};
use crate::extract::feed::xml::{self, Element};
use crate::model::{IndexEntry, RawDocument};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The IPTC format a source declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IptcFormat {
    /// NewsML-G2 (`newsItem`, `packageItem`, `newsMessage`).
    NewsMl,
    /// ninjs 1.x or 2.x.
    Ninjs,
    /// NITF 3.x.
    Nitf,
}

/// One story as an agency document describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WireItem {
    /// The item's global id (`guid`, ninjs `uri`, NITF `doc-id`).
    pub guid: Option<String>,
    /// A web page for the story, when the document names one.
    pub link: Option<String>,
    /// Main headline.
    pub headline: Option<String>,
    /// The agency's short label for the story (`CHINA-ECONOMY/`).
    pub slugline: Option<String>,
    /// Dateline text as written (`BEIJING, Dec 7`).
    pub dateline: Option<String>,
    /// Bylines, one per credited writer or desk.
    pub byline: Vec<String>,
    /// Where the story was filed from: name and, when coded, `scheme:code`.
    pub located: Vec<Concept>,
    /// Subjects (topics, places, organisations) with their codes.
    pub subjects: Vec<Concept>,
    /// BCP 47 language tag.
    pub language: Option<String>,
    /// First publication (`firstCreated`, `date.issue`).
    pub published: Option<Timestamp>,
    /// This version (`versionCreated`).
    pub updated: Option<Timestamp>,
    /// Summary as plain text.
    pub description: Option<String>,
    /// Body as HTML (NITF and XHTML bodies are HTML-like already).
    pub body_html: Option<String>,
}

/// A coded concept: a subject or a place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Concept {
    /// `scheme:code` in lower-case scheme (`medtop:20000209`), when coded.
    pub qcode: Option<String>,
    /// Human-readable name, when given.
    pub name: Option<String>,
}

impl IptcFormat {
    /// The source kind that reads this format.
    pub fn index_kind(self) -> crate::config::IndexKind {
        match self {
            IptcFormat::NewsMl => crate::config::IndexKind::Newsml,
            IptcFormat::Ninjs => crate::config::IndexKind::Ninjs,
            IptcFormat::Nitf => crate::config::IndexKind::Nitf,
        }
    }
}

/// Recognises an agency document by its start: a NewsML-G2 or NITF root
/// element, or a JSON object (or array) with ninjs's `uri` and a headline
/// or body. For `inspect`, which is given files without a source.
pub fn sniff(text: &str) -> Option<IptcFormat> {
    let text = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let head: String = text.chars().take(4096).collect();
    if head.starts_with('{') || head.starts_with('[') {
        let ninjs = head.contains("\"uri\"")
            && ["\"headline", "\"bodies\"", "\"body_html\"", "\"body_text\""]
                .iter()
                .any(|k| head.contains(k));
        return ninjs.then_some(IptcFormat::Ninjs);
    }
    if !head.starts_with('<') {
        return None;
    }
    // The root is the first element that is not a declaration, comment or
    // processing instruction.
    let mut rest = head.as_str();
    while let Some(pos) = rest.find('<') {
        rest = &rest[pos + 1..];
        if rest.starts_with(['?', '!']) {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == ':' || *c == '-')
            .collect();
        let local = name.rsplit(':').next().unwrap_or("").to_ascii_lowercase();
        return match local.as_str() {
            "newsitem" | "packageitem" | "newsmessage" => Some(IptcFormat::NewsMl),
            "nitf" => Some(IptcFormat::Nitf),
            _ => None,
        };
    }
    None
}

/// What an IPTC index document gives.
#[derive(Debug, Clone, PartialEq)]
pub enum IptcDocument {
    /// Stories carried in the document itself.
    Items(Vec<WireItem>),
    /// Links to documents to fetch next (a feed, a folder listing, a
    /// package of references).
    Links(Vec<String>),
}

/// Most documents followed from one feed, folder or package.
pub const MAX_LINKS: usize = 200;

/// Reads an index document of an IPTC source: the document itself, or a
/// feed or folder listing of documents.
pub fn read(
    doc: &RawDocument,
    format: IptcFormat,
    zone: &TimeZone,
) -> Result<IptcDocument, ExtractError> {
    let text = doc
        .text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if text.starts_with('{') || text.starts_with('[') {
        return ninjs::parse(text, zone).map(IptcDocument::Items);
    }
    let starts = |prefix: &str| {
        text.get(..prefix.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(prefix))
    };
    let looks_html = starts("<!doctype html") || starts("<html");
    if !looks_html && let Some(root) = xml::parse(text, Some(&doc.url)) {
        let name = root.name.to_ascii_lowercase();
        match name.as_str() {
            "newsitem" | "packageitem" | "newsmessage" => {
                return Ok(newsml::parse(&root, zone));
            }
            "nitf" => return Ok(IptcDocument::Items(vec![nitf::parse(&root, zone)])),
            "rss" | "feed" | "rdf" | "channel" => return feed_links(doc, zone),
            _ => {}
        }
    }
    if looks_html
        || doc
            .content_type
            .as_deref()
            .is_some_and(|t| t.contains("html"))
    {
        return Ok(IptcDocument::Links(folder_links(doc, format)));
    }
    Err(ExtractError::Feed(format!(
        "not a {format:?} document, a feed or a folder listing"
    )))
}

/// The documents an Atom/RSS feed links to (item links, else enclosures).
fn feed_links(doc: &RawDocument, zone: &TimeZone) -> Result<IptcDocument, ExtractError> {
    let feed = crate::extract::feed::parse(&doc.text, Some(&doc.url), zone)?;
    let links = feed
        .entries
        .into_iter()
        .map(|e| e.url)
        .filter(|u| !u.is_empty())
        .take(MAX_LINKS)
        .collect();
    Ok(IptcDocument::Links(links))
}

/// The documents a folder index page lists: links whose file name ends with
/// an extension of the format (`.xml`, `.json`, `.nitf` ...), newest last as
/// servers list them by name.
fn folder_links(doc: &RawDocument, format: IptcFormat) -> Vec<String> {
    let extensions: &[&str] = match format {
        IptcFormat::NewsMl => &[".xml", ".newsml", ".g2"],
        IptcFormat::Ninjs => &[".json", ".ninjs"],
        IptcFormat::Nitf => &[".xml", ".nitf"],
    };
    let page = scraper::Html::parse_document(&doc.text);
    let anchors = scraper::Selector::parse("a[href]").expect("static selector");
    let mut links: Vec<String> = Vec::new();
    for a in page.select(&anchors) {
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        let Some(url) = xml::resolve_url(Some(&doc.url), href) else {
            continue;
        };
        let path = url
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if extensions.iter().any(|x| path.ends_with(x)) && !links.contains(&url) {
            links.push(url);
        }
    }
    // Keep the last ones: folders list by name, and agencies name files by time.
    let skip = links.len().saturating_sub(MAX_LINKS);
    links.split_off(skip)
}

impl WireItem {
    /// The entry the pipeline stores. `document` is where the item was read;
    /// an item without a web link is keyed by that URL with its guid as a
    /// `guid` query parameter.
    pub fn into_entry(self, document: &url::Url) -> IndexEntry {
        let url = self
            .link
            .clone()
            .or_else(|| {
                self.guid
                    .as_deref()
                    .filter(|g| g.starts_with("http://") || g.starts_with("https://"))
                    .map(str::to_string)
            })
            .unwrap_or_else(|| {
                // A query, not a fragment: stored URLs drop fragments, and
                // the items of one document must stay apart.
                let mut url = document.clone();
                url.set_fragment(None);
                if let Some(guid) = &self.guid {
                    url.query_pairs_mut().append_pair("guid", guid);
                }
                url.to_string()
            });
        let mut categories = Vec::new();
        for concept in self.subjects.iter().chain(&self.located) {
            for value in [&concept.qcode, &concept.name].into_iter().flatten() {
                if !categories.contains(value) {
                    categories.push(value.clone());
                }
            }
        }
        // Where the story was filed from, for classification: the
        // normalizer reads datelines only with a known agency in them.
        for name in self.located.iter().filter_map(|c| c.name.as_deref()) {
            let located = format!("{}:{name}", crate::classify::subjects::LOCATED);
            if !categories.contains(&located) {
                categories.push(located);
            }
        }
        if let Some(slug) = &self.slugline
            && !categories.contains(slug)
        {
            categories.push(slug.clone());
        }
        let content_html = self.body_with_dateline();
        IndexEntry {
            url,
            id: self.guid,
            title: self.headline,
            published: self.published.or(self.updated),
            updated: self.updated,
            authors: self.byline,
            categories,
            content_html,
            summary_html: self.description.as_deref().map(text_to_html),
            image: None,
            lang: self.language,
        }
    }

    /// The body with the dateline opening its first paragraph, the way wire
    /// copy prints it (`HANGZHOU, Dec 7 -- Chip exports ...`), so the
    /// normalizer reads it like any other dateline. A body that already
    /// opens with it is left alone.
    fn body_with_dateline(&self) -> Option<String> {
        let body = self.body_html.clone()?;
        let Some(dateline) = self
            .dateline
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        else {
            return Some(body);
        };
        let first_words = dateline.split([',', ' ']).next().unwrap_or(dateline);
        if html_to_text(&body).starts_with(first_words) {
            return Some(body);
        }
        let lead = format!("{} -- ", text_to_html(dateline));
        let trimmed = body.trim_start();
        Some(match trimmed.get(..3) {
            Some(open) if open.eq_ignore_ascii_case("<p>") => {
                format!("<p>{lead}{}", &trimmed[3..])
            }
            _ => format!("<p>{lead}</p>{body}"),
        })
    }
}

/// A `scheme:code` qcode with the scheme lower-cased, or a known IPTC
/// vocabulary URI turned into its qcode
/// (`http://cv.iptc.org/newscodes/mediatopic/20000209` → `medtop:20000209`).
pub fn qcode(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    for (prefix, scheme) in [
        ("cv.iptc.org/newscodes/mediatopic/", "medtop"),
        ("cv.iptc.org/newscodes/subjectcode/", "subj"),
        ("cv.iptc.org/newscodes/genre/", "genre"),
    ] {
        if let Some(pos) = raw.find(prefix) {
            let code = raw[pos + prefix.len()..].trim_end_matches('/');
            return non_empty(format!("{scheme}:{code}"));
        }
    }
    if raw.contains("://") {
        return Some(raw.to_string());
    }
    let (scheme, code) = raw.split_once(':')?;
    let (scheme, code) = (scheme.trim(), code.trim());
    (!scheme.is_empty() && !code.is_empty())
        .then(|| format!("{}:{code}", scheme.to_ascii_lowercase()))
}

/// A date in ISO 8601 extended (`2026-12-07T10:15:00+08:00`) or basic
/// (`20261207T101500+0800`, NITF's `norm`) form; zone-less times are read
/// in `zone`.
pub fn date(raw: &str, zone: &TimeZone) -> Option<Timestamp> {
    let raw = raw.trim();
    // Checked on bytes: the first 15 are then ASCII, so slicing is safe.
    let bytes = raw.as_bytes();
    let basic = bytes.len() >= 15
        && bytes[8] == b'T'
        && bytes[..8].iter().all(u8::is_ascii_digit)
        && bytes[9..15].iter().all(u8::is_ascii_digit);
    if basic {
        let rest = &raw[15..];
        let offset = match rest.len() {
            5 if rest.starts_with(['+', '-'])
                && rest.as_bytes()[1..].iter().all(u8::is_ascii_digit) =>
            {
                format!("{}:{}", &rest[..3], &rest[3..])
            }
            _ => rest.to_string(),
        };
        let extended = format!(
            "{}-{}-{}T{}:{}:{}{offset}",
            &raw[..4],
            &raw[4..6],
            &raw[6..8],
            &raw[9..11],
            &raw[11..13],
            &raw[13..15]
        );
        return crate::extract::dates::parse_date(&extended, zone);
    }
    crate::extract::dates::parse_date(raw, zone)
}

/// A byline without its leading `By`.
fn byline(text: &str) -> Option<String> {
    let text = text.trim();
    let name = ["By ", "BY ", "by "]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text);
    clean(name)
}

/// Collapsed text of the first child element matching `local`, if not empty.
fn child_text(el: &Element, local: &str) -> Option<String> {
    el.elements()
        .find(|c| c.name.eq_ignore_ascii_case(local))
        .and_then(|c| clean(&c.repaired_text()))
}

/// Whitespace-collapsed text, `None` when empty.
fn clean(text: &str) -> Option<String> {
    non_empty(crate::extract::feed::text::collapse_whitespace(text))
}

/// Every descendant element named `local` (any namespace), depth-first.
fn descendants<'a>(el: &'a Element, local: &str, out: &mut Vec<&'a Element>) {
    for child in el.elements() {
        if child.name.eq_ignore_ascii_case(local) {
            out.push(child);
        }
        descendants(child, local, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qcodes_from_codes_and_uris() {
        assert_eq!(qcode("medtop:20000209").as_deref(), Some("medtop:20000209"));
        assert_eq!(qcode("ISO3166-1a2:CN").as_deref(), Some("iso3166-1a2:CN"));
        assert_eq!(
            qcode("http://cv.iptc.org/newscodes/mediatopic/04000000").as_deref(),
            Some("medtop:04000000")
        );
        assert_eq!(qcode("no code"), None);
        assert_eq!(qcode(":x"), None);
    }

    #[test]
    fn sniffs_roots_not_mentions() {
        assert_eq!(
            sniff("<?xml version=\"1.0\"?>\n<!-- a newsItem -->\n<newsItem guid=\"x\">"),
            Some(IptcFormat::NewsMl)
        );
        assert_eq!(sniff("<nitf:nitf>"), Some(IptcFormat::Nitf));
        assert_eq!(sniff("<rss><channel><title>nitf</title>"), None);
        assert_eq!(
            sniff(r#"{"uri": "x", "headlines": []}"#),
            Some(IptcFormat::Ninjs)
        );
        assert_eq!(
            sniff(r#"{"version": "https://jsonfeed.org/version/1.1"}"#),
            None
        );
        assert_eq!(sniff("plain text"), None);
    }

    #[test]
    fn basic_and_extended_dates() {
        let zone = TimeZone::get("Asia/Shanghai").unwrap();
        let utc = "2026-12-07T02:15:00Z".parse::<Timestamp>().unwrap();
        assert_eq!(date("20261207T101500+0800", &zone), Some(utc));
        assert_eq!(date("20261207T021500Z", &zone), Some(utc));
        assert_eq!(date("2026-12-07T10:15:00+08:00", &zone), Some(utc));
        assert_eq!(date("garbage", &zone), None);
        assert_eq!(date("20261399T999999+0800", &zone), None);
        // Multi-byte text where the basic form's digits would be: no panic.
        for raw in [
            "20261207T12345é",
            "2026120é1234567",
            "２０２６１２０７T１０１５００",
            "20261207T101500+08é",
            "20261207T101500+0é1",
        ] {
            let _ = date(raw, &zone);
        }
    }

    #[test]
    fn dateline_goes_before_the_body_once() {
        let item = WireItem {
            dateline: Some("BEIJING, Dec 7".into()),
            body_html: Some("<p>China's exports rose.</p>".into()),
            ..WireItem::default()
        };
        let html = item.body_with_dateline().unwrap();
        assert_eq!(html, "<p>BEIJING, Dec 7 -- China's exports rose.</p>");
        let item = WireItem {
            body_html: Some("<p>BEIJING, Dec 7 -- China's exports rose.</p>".into()),
            ..item
        };
        assert_eq!(item.body_with_dateline(), item.body_html);
    }
}
