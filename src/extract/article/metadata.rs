//! Page metadata: title, times, authors, canonical URL, lead image, language,
//! categories and summary, from meta tags, JSON-LD and the markup.
//!
//! One pass over the page collects every source; choosing between them is
//! done afterwards, strongest source first.

use super::clean::ClassFlags;
use super::dates;
use super::dom::{self, Dom, Kind};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::Value;

/// Everything the page says about itself, before choosing.
#[derive(Debug, Default)]
pub struct Metadata {
    /// `<title>` text.
    pub title_tag: Option<String>,
    /// `og:title` / `twitter:title`.
    pub og_title: Option<String>,
    /// `h1` texts in document order.
    pub h1: Vec<String>,
    /// JSON-LD of an article type, merged.
    pub ld: LinkedData,
    /// `(name or property, content)` of every meta tag, names lower-cased.
    pub meta: Vec<(String, String)>,
    /// `rel=canonical` href.
    pub canonical: Option<String>,
    /// `rel=author` link texts.
    pub rel_author: Vec<String>,
    /// Byline-like elements' texts (class or itemprop author/byline).
    pub bylines: Vec<String>,
    /// `<time datetime>` values, in order.
    pub time_datetimes: Vec<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
}

/// The fields of a JSON-LD `Article` (or `NewsArticle`, `BlogPosting` ...).
#[derive(Debug, Default)]
pub struct LinkedData {
    /// `headline` / `name`.
    pub headline: Option<String>,
    /// `datePublished`.
    pub published: Option<String>,
    /// `dateModified`.
    pub modified: Option<String>,
    /// `author` names.
    pub authors: Vec<String>,
    /// `image` URL.
    pub image: Option<String>,
    /// `articleSection` and `keywords`.
    pub categories: Vec<String>,
    /// `description`.
    pub description: Option<String>,
    /// `url`.
    pub url: Option<String>,
    /// `articleBody`: the story as plain text, which script-rendered pages
    /// may hold nowhere else.
    pub article_body: Option<String>,
}

impl Metadata {
    /// Collects the metadata of a page in one pass.
    pub fn collect(dom: &Dom) -> Metadata {
        let mut meta = Metadata::default();
        for i in 0..dom.nodes.len() {
            let Some(el) = dom.element(i) else {
                continue;
            };
            let name = el.name();
            match name {
                "html" if meta.lang.is_none() => {
                    meta.lang = el
                        .attr("lang")
                        .or_else(|| el.attr("xml:lang"))
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(String::from);
                }
                "title" if meta.title_tag.is_none() => {
                    meta.title_tag = Some(inner_text(dom, i)).filter(|t| !t.is_empty());
                }
                "meta" => {
                    let key = el
                        .attr("property")
                        .or_else(|| el.attr("name"))
                        .or_else(|| el.attr("itemprop"))
                        .or_else(|| el.attr("http-equiv"));
                    if let (Some(key), Some(content)) = (key, el.attr("content")) {
                        let content = content.trim();
                        if !content.is_empty() {
                            meta.meta
                                .push((key.trim().to_ascii_lowercase(), content.to_string()));
                        }
                    }
                }
                "link" => {
                    let rel = el.attr("rel").unwrap_or("").to_ascii_lowercase();
                    if rel.split_whitespace().any(|r| r == "canonical") && meta.canonical.is_none()
                    {
                        meta.canonical = el.attr("href").map(|h| h.trim().to_string());
                    }
                }
                "script"
                    if el
                        .attr("type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
                {
                    meta.ld.read(&raw_text(dom, i));
                }
                "h1" => {
                    let text = inner_text(dom, i);
                    if !text.is_empty() && meta.h1.len() < 8 {
                        meta.h1.push(text);
                    }
                }
                "time" => {
                    if let Some(dt) = el.attr("datetime").filter(|d| !d.trim().is_empty()) {
                        meta.time_datetimes.push(dt.trim().to_string());
                    }
                }
                _ => {}
            }
            if el.attr("rel").is_some_and(|r| r.contains("author")) && name == "a" {
                let text = inner_text(dom, i);
                if !text.is_empty() {
                    meta.rel_author.push(text);
                }
            } else if meta.bylines.len() < 4 && name != "meta" && is_byline(dom, i) {
                let text = inner_text(dom, i);
                if !text.is_empty() && text.chars().count() < 80 {
                    meta.bylines.push(text);
                }
            }
        }
        meta.og_title = meta.first(&["og:title", "twitter:title"]).map(String::from);
        meta
    }

    /// The content of the first meta tag with one of `keys`, in key order.
    pub fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| {
            self.meta
                .iter()
                .find(|(name, _)| name == k)
                .map(|(_, v)| v.as_str())
        })
    }

    /// Every meta content under one of `keys`.
    pub fn all<'s>(&'s self, keys: &'s [&str]) -> impl Iterator<Item = &'s str> + 's {
        self.meta
            .iter()
            .filter(|(name, _)| keys.contains(&name.as_str()))
            .map(|(_, v)| v.as_str())
    }

    /// The headline without the site name around it.
    pub fn title(&self) -> String {
        let mut hints: Vec<&str> = Vec::new();
        hints.extend(self.og_title.as_deref());
        hints.extend(self.ld.headline.as_deref());
        hints.extend(self.h1.iter().map(String::as_str));
        if let Some(full) = self.title_tag.as_deref() {
            // A hint that the <title> contains is the headline itself.
            let key = squash(full);
            if let Some(hint) = hints.iter().find(|h| {
                let h = squash(h);
                h.chars().count() >= 4 && key.contains(&h)
            }) {
                return clean_title(hint);
            }
        }
        if let Some(og) = self.og_title.as_deref().or(self.ld.headline.as_deref()) {
            return strip_site_name(og);
        }
        if self.h1.len() == 1 {
            return clean_title(&self.h1[0]);
        }
        if let Some(full) = self.title_tag.as_deref() {
            return strip_site_name(full);
        }
        self.h1.first().map(|h| clean_title(h)).unwrap_or_default()
    }

    /// Publication time: meta tags, JSON-LD, `<time>`, then the page text
    /// (computed only when needed).
    pub fn published(
        &self,
        tz: &TimeZone,
        page_text: impl FnOnce() -> String,
    ) -> Option<Timestamp> {
        const KEYS: &[&str] = &[
            "article:published_time",
            "og:published_time",
            "og:article:published_time",
            "datepublished",
            "publishdate",
            "publish-date",
            "publish_date",
            "pubdate",
            "publishtime",
            "publish_time",
            "parsely-pub-date",
            "sailthru.date",
            "dc.date.issued",
            "dc.date",
            "dcterms.created",
            "article.published",
            "date",
            "weibo: article:create_at",
            "apub:time",
        ];
        KEYS.iter()
            .filter_map(|k| self.first(&[k]))
            .chain(self.ld.published.as_deref())
            .chain(self.time_datetimes.iter().map(String::as_str))
            .find_map(|d| dates::parse(d, tz))
            .or_else(|| dates::find_in_text(&page_text(), tz))
    }

    /// Modification time from meta tags or JSON-LD.
    pub fn updated(&self, tz: &TimeZone) -> Option<Timestamp> {
        self.first(&["article:modified_time", "og:updated_time", "datemodified"])
            .or(self.ld.modified.as_deref())
            .and_then(|d| dates::parse(d, tz))
    }

    /// Authors: meta author, JSON-LD author, `rel=author`, then bylines.
    pub fn authors(&self) -> Vec<String> {
        let from_meta: Vec<String> = self
            .all(&[
                "author",
                "article:author",
                "dc.creator",
                "parsely-author",
                "byl",
            ])
            .filter(|a| !a.starts_with("http"))
            .map(clean_author)
            .filter(|a| !a.is_empty())
            .collect();
        let mut authors = if !from_meta.is_empty() {
            from_meta
        } else if !self.ld.authors.is_empty() {
            self.ld.authors.clone()
        } else if !self.rel_author.is_empty() {
            self.rel_author.iter().map(|a| clean_author(a)).collect()
        } else {
            self.bylines
                .iter()
                .take(1)
                .map(|a| clean_author(a))
                .collect()
        };
        authors.retain(|a| !a.is_empty());
        let mut seen = std::collections::HashSet::new();
        authors.retain(|a| seen.insert(a.clone()));
        authors
    }

    /// Canonical URL: `rel=canonical`, else `og:url`, else the page URL.
    pub fn canonical(&self, page: &url::Url) -> url::Url {
        self.canonical
            .as_deref()
            .into_iter()
            .chain(self.first(&["og:url"]))
            .chain(self.ld.url.as_deref())
            .filter_map(|href| page.join(href).ok())
            .find(|u| matches!(u.scheme(), "http" | "https"))
            .unwrap_or_else(|| page.clone())
    }

    /// Lead image from `og:image`, `twitter:image` or JSON-LD.
    pub fn image(&self) -> Option<&str> {
        self.first(&[
            "og:image",
            "og:image:url",
            "og:image:secure_url",
            "twitter:image",
            "twitter:image:src",
        ])
        .or(self.ld.image.as_deref())
    }

    /// Publisher categories: `article:section`, `article:tag`, keywords.
    pub fn categories(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let from_meta = self
            .all(&[
                "article:section",
                "article:tag",
                "keywords",
                "news_keywords",
            ])
            .flat_map(|v| v.split([',', '，', ';', '；', '、']));
        for c in from_meta
            .map(str::trim)
            .chain(self.ld.categories.iter().map(String::as_str))
        {
            if !c.is_empty() && c.chars().count() <= 60 && !out.iter().any(|o| o == c) {
                out.push(c.to_string());
            }
        }
        out.truncate(32);
        out
    }

    /// Publisher summary: `og:description`, meta description, JSON-LD.
    pub fn summary(&self) -> Option<String> {
        self.first(&["og:description", "description", "twitter:description"])
            .or(self.ld.description.as_deref())
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
    }

    /// `<html lang>`, else `content-language`, else `og:locale` (`zh_CN` → `zh-CN`).
    pub fn lang(&self) -> Option<String> {
        self.lang
            .clone()
            .or_else(|| {
                self.first(&["content-language", "og:locale"])
                    .map(String::from)
            })
            .map(|l| l.replace('_', "-"))
    }
}

impl LinkedData {
    /// Reads one JSON-LD script; the first article-typed object fills the
    /// fields it has that are still empty. Broken JSON is ignored.
    fn read(&mut self, json: &str) {
        let Ok(value) = serde_json::from_str::<Value>(json.trim()) else {
            tracing::debug!("Skipping unreadable JSON-LD block.");
            return;
        };
        let mut objects = Vec::new();
        flatten_ld(&value, &mut objects, 0);
        for object in objects.into_iter().filter(|o| is_article_type(o)) {
            let text = |key: &str| {
                object
                    .get(key)
                    .and_then(Value::as_str)
                    .map(|s| s.trim().to_string())
            };
            if self.headline.is_none() {
                self.headline = text("headline").or_else(|| text("name"));
            }
            if self.published.is_none() {
                self.published = text("datePublished").or_else(|| text("dateCreated"));
            }
            if self.modified.is_none() {
                self.modified = text("dateModified");
            }
            if self.description.is_none() {
                self.description = text("description");
            }
            if self.url.is_none() {
                self.url = text("url");
            }
            if self.article_body.is_none() {
                self.article_body = text("articleBody").filter(|b| !b.is_empty());
            }
            if self.authors.is_empty()
                && let Some(author) = object.get("author")
            {
                ld_names(author, &mut self.authors);
            }
            if self.image.is_none() {
                self.image = object.get("image").and_then(ld_url);
            }
            for key in ["articleSection", "keywords"] {
                match object.get(key) {
                    Some(Value::String(s)) => self
                        .categories
                        .extend(s.split([',', '，']).map(|c| c.trim().to_string())),
                    Some(Value::Array(items)) => self.categories.extend(
                        items
                            .iter()
                            .filter_map(Value::as_str)
                            .map(|c| c.trim().to_string()),
                    ),
                    _ => {}
                }
            }
        }
    }
}

/// Objects of a JSON-LD document: top level, arrays and `@graph`.
fn flatten_ld<'v>(
    value: &'v Value,
    out: &mut Vec<&'v serde_json::Map<String, Value>>,
    depth: usize,
) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| flatten_ld(v, out, depth + 1)),
        Value::Object(map) => {
            out.push(map);
            if let Some(graph) = map.get("@graph") {
                flatten_ld(graph, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn is_article_type(object: &serde_json::Map<String, Value>) -> bool {
    let is_article = |t: &str| {
        t.contains("Article") || t == "BlogPosting" || t == "Report" || t == "LiveBlogPosting"
    };
    match object.get("@type") {
        Some(Value::String(t)) => is_article(t),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).any(is_article),
        _ => false,
    }
}

fn ld_names(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(clean_author(s)),
        Value::Object(map) => {
            if let Some(name) = map.get("name").and_then(Value::as_str) {
                out.push(clean_author(name));
            }
        }
        Value::Array(items) => items.iter().take(16).for_each(|v| ld_names(v, out)),
        _ => {}
    }
    out.retain(|a| !a.is_empty());
}

fn ld_url(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Object(map) => map
            .get("url")
            .and_then(Value::as_str)
            .map(|s| s.trim().to_string()),
        Value::Array(items) => items.first().and_then(ld_url),
        _ => None,
    }
}

/// Whether an element holds a byline, by `itemprop` or class name.
fn is_byline(dom: &Dom, i: usize) -> bool {
    dom.class_flags[i].has(ClassFlags::BYLINE)
        || dom
            .element(i)
            .and_then(|el| el.attr("itemprop"))
            .is_some_and(|p| p.contains("author"))
}

/// Text of an element's subtree, whitespace collapsed (scripts included:
/// only used on small elements).
fn inner_text(dom: &Dom, i: usize) -> String {
    raw_text(dom, i)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn raw_text(dom: &Dom, i: usize) -> String {
    let mut out = String::new();
    for node in &dom.nodes[i + 1..dom.nodes[i].end] {
        if let Kind::Text(t) = &node.kind {
            // Ruby readings are not part of a headline or a byline.
            let parent = node.parent.and_then(|p| dom.tag(p));
            if !matches!(parent, Some("rt" | "rp")) {
                out.push_str(t);
            }
        }
    }
    out
}

/// Lower case without whitespace, to compare titles.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn clean_title(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Separators between a headline and the site or section name.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", "_", "｜", " :: ", " » ", " · ", "|", "－", " —— ",
];

/// `Headline - Site`, `Site | Headline`, `Headline_新浪网`, `Headline｜Site`
/// → `Headline`: the longest part around the first separator found.
pub fn strip_site_name(title: &str) -> String {
    let title = clean_title(title);
    for sep in SEPARATORS {
        if title.contains(sep) {
            let best = title
                .split(sep)
                .map(str::trim)
                .max_by_key(|part| dom::text_weight(part))
                .unwrap_or("");
            if dom::text_weight(best) >= 6 {
                return best.to_string();
            }
        }
    }
    title
}

/// `By Jane Doe` → `Jane Doe`; `作者：张三` → `张三`.
fn clean_author(text: &str) -> String {
    let text = clean_title(text);
    let text = ["by ", "von ", "par ", "por "]
        .iter()
        .find(|p| {
            text.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
        })
        .map(|p| &text[p.len()..])
        .unwrap_or(&text);
    let text = ["作者：", "作者:", "记者：", "記者：", "文／", "文/"]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text);
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_are_stripped() {
        assert_eq!(
            strip_site_name("长三角生物医药产业联盟成立_新浪网"),
            "长三角生物医药产业联盟成立"
        );
        assert_eq!(
            strip_site_name("Markets rally on rate cut hopes - Example News"),
            "Markets rally on rate cut hopes"
        );
        assert_eq!(
            strip_site_name("Example News | Markets rally on rate cut hopes"),
            "Markets rally on rate cut hopes"
        );
        assert_eq!(strip_site_name("台積電擴產｜經濟日報"), "台積電擴產");
        assert_eq!(clean_author("By Jane Doe"), "Jane Doe");
    }
}
