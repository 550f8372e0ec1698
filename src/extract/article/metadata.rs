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
    /// Names the page text credits (`记者 张三`, `（中央社記者邱俊欽桃園19日電）`,
    /// `责任编辑：李四`), best kind first: see [`TextCredit`].
    pub text_credits: Vec<(TextCredit, String)>,
}

/// Kinds of people a Chinese page's text credits, in the order they are
/// trusted as the story's author.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TextCredit {
    /// `记者` / `記者`: the reporter, often in the dateline.
    Reporter,
    /// `作者` / `文／`: the writer.
    Writer,
    /// `责任编辑` / `編輯`: the editor, named when nobody else is.
    Editor,
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
    /// `publisher` name.
    pub publisher: Option<String>,
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
                if meta.text_credits.len() < 8
                    && let Some(text) = dom.text(i)
                    && !matches!(
                        dom.nodes[i].parent.and_then(|p| dom.tag(p)),
                        Some("script" | "style" | "title")
                    )
                {
                    read_text_credits(dom, i, text, &mut meta.text_credits);
                }
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
                "h1" if !is_site_logo(dom, i) => {
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
    ///
    /// Every source of a headline (`og:title`, JSON-LD, `<title>`, the
    /// article `<h1>`s) is a candidate; the one the others agree with wins
    /// (they equal it, or start or end with it beside a separator), so an
    /// `<h1>` that is the bare headline beats `Headline | Section | Site`
    /// in both `og:title` and `<title>`. The site name (from
    /// `og:site_name`, `application-name`, `twitter:site`, or a short tail
    /// such as `-新华网`) and a trailing photo credit are then removed.
    pub fn title(&self) -> String {
        let sites = self.site_names();
        let mut candidates: Vec<(String, bool)> = Vec::new();
        for text in self
            .og_title
            .iter()
            .chain(self.ld.headline.as_ref())
            .chain(self.title_tag.as_ref())
        {
            candidates.push((clean_title(text), false));
        }
        for h1 in &self.h1 {
            let h1 = clean_title(h1);
            // A repeated `<h1>` ("Read also:") is one candidate, not two votes.
            let repeated = candidates.iter().any(|(c, is_h1)| *is_h1 && *c == h1);
            if !repeated && !sites.iter().any(|site| squash(&h1) == *site) {
                candidates.push((h1, true));
            }
        }
        candidates.retain(|(c, _)| !c.is_empty());
        // How many other candidates agree with each one.
        let support = |i: usize| {
            let key = squash(&candidates[i].0);
            candidates
                .iter()
                .enumerate()
                .filter(|(j, (other, _))| *j != i && agrees(&key, &squash(other)))
                .count()
        };
        let best = (0..candidates.len())
            .map(|i| (support(i), i))
            // Most support; then a meta title over an `<h1>`; then document order.
            .max_by_key(|&(support, i)| (support, !candidates[i].1, std::cmp::Reverse(i)));
        let Some((support, i)) = best else {
            return String::new();
        };
        // Nothing agrees: `og:title` or JSON-LD, else a lone `<h1>`, else
        // `<title>`.
        let i = if support > 0 {
            i
        } else if self.og_title.is_some() || self.ld.headline.is_some() {
            0
        } else if let [_] = self.h1.as_slice()
            && let Some(h1) = candidates.iter().position(|(_, is_h1)| *is_h1)
        {
            h1
        } else {
            0
        };
        let chosen = &candidates[i].0;
        // Another candidate holding or held by the chosen one (the same text
        // in `og:title` and `<title>`, or a shorter `<h1>` inside it) shows that
        // the publisher wrote it so: only known site names are removed then.
        // Alone, it loses everything but its longest part.
        let confirmed = candidates.iter().enumerate().any(|(j, (other, _))| {
            let (other, key) = (squash(other), squash(chosen));
            j != i && other.chars().count() >= 4 && (other.contains(&key) || key.contains(&other))
        });
        let mut title = strip_known_sites(chosen, &sites);
        if !confirmed {
            title = strip_site_name(&title);
        }
        strip_photo_credit(&title)
    }

    /// Names the page gives its site, squashed: `og:site_name`,
    /// `application-name`, `twitter:site` without `@`, and each of them
    /// without a domain ending (`lastampa.it` -> `lastampa`).
    fn site_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for name in self.all(&[
            "og:site_name",
            "application-name",
            "twitter:site",
            "apple-mobile-web-app-title",
        ]) {
            let key = squash(name.trim_start_matches('@'));
            let bare = key
                .rsplit_once('.')
                .filter(|(_, tld)| tld.len() <= 3 && tld.chars().all(|c| c.is_ascii_alphabetic()))
                .map(|(stem, _)| stem.trim_start_matches("www.").to_string());
            for key in [Some(key), bare].into_iter().flatten() {
                if key.chars().count() >= 2 && !out.contains(&key) {
                    out.push(key);
                }
            }
        }
        out
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

    /// Authors: meta author, JSON-LD author, `rel=author`, a reporter or
    /// writer the text names, bylines, then an editor the text names.
    ///
    /// Names that are the publisher (`og:site_name`, a JSON-LD publisher, a
    /// short name ending like `网易`, `中央通訊社` or `聯合新聞網`) or a
    /// template's placeholder (`name, email@gmail.com`) are not authors, so
    /// the reporter in `中央社記者邱俊欽桃園19日電` wins over them.
    pub fn authors(&self) -> Vec<String> {
        let publishers = self.publisher_names();
        let keep = |names: Vec<String>| -> Vec<String> {
            let mut seen = std::collections::HashSet::new();
            names
                .into_iter()
                .flat_map(|a| split_authors(&a))
                .filter(|a| is_person_name(a, &publishers))
                .filter(|a| seen.insert(a.clone()))
                .collect()
        };
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
            .collect();
        let credited = |kinds: &[TextCredit]| -> Vec<String> {
            let best = self
                .text_credits
                .iter()
                .filter(|(kind, _)| kinds.contains(kind))
                .map(|(kind, _)| *kind)
                .min();
            self.text_credits
                .iter()
                .filter(|(kind, _)| Some(*kind) == best)
                .map(|(_, name)| name.clone())
                .collect()
        };
        [
            from_meta,
            self.ld.authors.clone(),
            self.rel_author.iter().map(|a| clean_author(a)).collect(),
            credited(&[TextCredit::Reporter, TextCredit::Writer]),
            self.bylines
                .iter()
                .take(1)
                .map(|a| clean_author(a))
                .collect(),
            credited(&[TextCredit::Editor]),
        ]
        .into_iter()
        .map(keep)
        .find(|names| !names.is_empty())
        .unwrap_or_default()
    }

    /// The publisher's names, squashed: the site names, JSON-LD
    /// `publisher`, and the `<title>`'s parts after its headline.
    fn publisher_names(&self) -> Vec<String> {
        let mut names = self.site_names();
        names.extend(self.ld.publisher.iter().map(|p| squash(p)));
        if let Some(title) = &self.title_tag {
            for sep in SEPARATORS {
                if let Some((_, rest)) = title.split_once(sep) {
                    names.extend(rest.split(sep).map(squash).filter(|p| !p.is_empty()));
                }
            }
        }
        names
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
    /// A category that repeats the headline (or most of it: some pages put
    /// the headline in `keywords`) is not a category.
    pub fn categories(&self) -> Vec<String> {
        let title = squash(&self.title());
        let repeats_title = |c: &str| {
            let key = squash(c);
            key.chars().count() * 2 > title.chars().count() && title.contains(&key)
                || key.contains(&title) && !title.is_empty()
        };
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
            if !c.is_empty()
                && c.chars().count() <= 60
                && !out.iter().any(|o| o == c)
                && !repeats_title(c)
            {
                out.push(c.to_string());
            }
        }
        out.truncate(32);
        out
    }

    /// Publisher summary: `og:description`, meta description, JSON-LD,
    /// whichever is complete (see [`better_summary`]).
    pub fn summary(&self) -> Option<String> {
        self.all(&["og:description", "description", "twitter:description"])
            .chain(self.ld.description.as_deref())
            .map(String::from)
            .fold(None, |best, next| better_summary(best, Some(&next)))
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
            if self.publisher.is_none() {
                let mut names = Vec::new();
                if let Some(publisher) = object.get("publisher") {
                    ld_names(publisher, &mut names);
                }
                self.publisher = names.into_iter().next();
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

/// The better of two summaries of one story (a page's and its feed item's,
/// or two of a page's): a damaged one (holding U+FFFD, the mark of bytes a
/// publisher cut in the middle of a character) never wins; one that the
/// other continues (`男孩因不想上补习班 写` against the whole sentence, or a
/// text cut with `…`) loses to the longer. Otherwise the first is kept.
/// Both are read as plain text: entities left encoded once too often
/// (`enth&uuml;llen`) are decoded, white space is collapsed.
pub fn better_summary(first: Option<String>, second: Option<&str>) -> Option<String> {
    let clean = |text: &str| -> Option<String> {
        let text = decode_leftover_entities(text);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty() && !text.contains('\u{fffd}')).then_some(text)
    };
    let first = first.as_deref().and_then(clean);
    let second = second.and_then(clean);
    match (first, second) {
        (Some(a), Some(b)) => {
            let cut = |t: &str| {
                squash(
                    t.trim_end_matches(['…', '.', '。', ' '])
                        .trim_end_matches("..."),
                )
            };
            if b.chars().count() > a.chars().count() && squash(&b).starts_with(&cut(&a)) {
                Some(b)
            } else {
                Some(a)
            }
        }
        (a, b) => a.or(b),
    }
}

/// Decodes character references still written out in text that was
/// already decoded once (a publisher that escaped `&` twice). Only whole
/// references ending in `;` are read, so `AT&T` and `&copy2020` stay.
fn decode_leftover_entities(text: &str) -> std::borrow::Cow<'_, str> {
    let has_reference = text.match_indices('&').any(|(at, _)| {
        let rest = &text[at + 1..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(rest.len());
        name_len > 0 && rest[name_len..].starts_with(';')
    });
    if has_reference {
        crate::extract::charref::decode_text(text)
    } else {
        std::borrow::Cow::Borrowed(text)
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

/// Whether an `<h1>` is the site's logo or name rather than a headline:
/// its id or class says so (`site-title`, `logo`, `brand`), or it links to
/// the site's front page (`<h1><a href="/">`).
fn is_site_logo(dom: &Dom, i: usize) -> bool {
    let Some(el) = dom.element(i) else {
        return false;
    };
    let marks = format!(
        "{} {}",
        el.attr("id").unwrap_or(""),
        el.attr("class").unwrap_or("")
    )
    .to_ascii_lowercase();
    if [
        "logo",
        "site-title",
        "site-name",
        "sitename",
        "sitetitle",
        "brand",
        "masthead",
    ]
    .iter()
    .any(|m| marks.contains(m))
    {
        return true;
    }
    (i + 1..dom.nodes[i].end).any(|j| {
        dom.element(j)
            .filter(|a| a.name() == "a")
            .and_then(|a| a.attr("href"))
            .is_some_and(is_front_page_link)
    })
}

/// `/`, `./`, `index.html` or `https://host/`: a link to a site's front page.
fn is_front_page_link(href: &str) -> bool {
    let href = href.trim();
    if matches!(
        href,
        "/" | "./" | "/index.html" | "index.html" | "/index.php"
    ) {
        return true;
    }
    url::Url::parse(href).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && matches!(u.path(), "" | "/")
            && u.query().is_none()
            && u.fragment().is_none()
    })
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

/// Whether `longer` is `key`, or starts or ends with it where the rest is
/// no heavier than `key` (a headline with its site name around it, not a
/// site name with a headline around it). Both are squashed.
fn agrees(key: &str, longer: &str) -> bool {
    if key.chars().count() < 4 {
        return false;
    }
    if key == longer {
        return true;
    }
    let rest = if let Some(rest) = longer.strip_prefix(key) {
        rest
    } else if let Some(rest) = longer.strip_suffix(key) {
        rest
    } else {
        return false;
    };
    dom::text_weight(rest) <= dom::text_weight(key)
}

/// Characters that end a Chinese or Japanese site name (`新华网`,
/// `日本経済新聞`, `和讯网`, `股票频道`): a short tail ending so, after a
/// separator, is the site or its section.
const SITE_WORD_ENDINGS: &[&str] = &[
    "网", "網", "新闻", "新聞", "报", "報", "频道", "頻道", "在线", "社", "News",
];

/// Removes, from either end, a part set off by a separator that is one of
/// the page's site names or a short site-like tail (`…-新华网`,
/// `… ：日本経済新聞`).
fn strip_known_sites(title: &str, sites: &[String]) -> String {
    const TAIL_SEPARATORS: &[&str] = &[
        " | ", " - ", " – ", " — ", "｜", "|", " :: ", " » ", " · ", "_", "-", "－", "：", " : ",
    ];
    let is_site = |part: &str| {
        let key = squash(part);
        !key.is_empty()
            && (sites.contains(&key)
                || (part.chars().count() <= 12
                    && SITE_WORD_ENDINGS.iter().any(|e| part.ends_with(e))
                    && !part.contains(' ')))
    };
    let mut title = title.trim().to_string();
    'strip: loop {
        for sep in TAIL_SEPARATORS {
            if let Some((head, tail)) = title.rsplit_once(sep)
                && dom::text_weight(head) >= 6
                && is_site(tail.trim())
            {
                title = head.trim().to_string();
                // The section the site name followed (`… | 社會 | 中央社 CNA`).
                if let Some((head, section)) = title.rsplit_once(sep)
                    && dom::text_weight(section) <= 8
                    && dom::text_weight(head) >= 6
                {
                    title = head.trim().to_string();
                }
                continue 'strip;
            }
            if let Some((head, tail)) = title.split_once(sep)
                && dom::text_weight(tail) >= 6
                && sites.iter().any(|s| *s == squash(head))
            {
                title = tail.trim().to_string();
                continue 'strip;
            }
        }
        return title;
    }
}

/// Words that open a photo or video credit in brackets at the end of a
/// headline (`（写真＝ロイター）`, `(图)`, `(PHOTOS)`).
const CREDIT_WORDS: &[&str] = &[
    "写真", "図", "图", "圖", "组图", "組圖", "多图", "附图", "视频", "視頻", "動画", "photo",
    "foto", "video", "bild", "galer",
];

/// `Headline（写真＝ロイター）` → `Headline`.
fn strip_photo_credit(title: &str) -> String {
    let trimmed = title.trim_end();
    for (open, close) in [('（', '）'), ('(', ')'), ('【', '】'), ('[', ']')] {
        if let Some(inner) = trimmed.strip_suffix(close)
            && let Some(at) = inner.rfind(open)
        {
            let credit = inner[at + open.len_utf8()..].trim().to_lowercase();
            let head = inner[..at].trim_end();
            if credit.chars().count() <= 30
                && dom::text_weight(head) >= 6
                && CREDIT_WORDS.iter().any(|w| credit.starts_with(w))
            {
                return head.to_string();
            }
        }
    }
    trimmed.to_string()
}

/// Words that credit a person in Chinese page text, with the kind.
const CREDIT_MARKS: &[(&str, TextCredit)] = &[
    ("记者", TextCredit::Reporter),
    ("記者", TextCredit::Reporter),
    ("作者", TextCredit::Writer),
    ("文／", TextCredit::Writer),
    ("责任编辑", TextCredit::Editor),
    ("責任編輯", TextCredit::Editor),
    ("编辑", TextCredit::Editor),
    ("編輯", TextCredit::Editor),
];

/// Reads the names a text node (and the text right after it, when the name
/// is in a tag of its own) credits: `记者 胡晓蓉`, `责任编辑：杜硕_NB12556`,
/// `中央社記者邱俊欽桃園19日電` (the place before the date is not part of
/// the name).
fn read_text_credits(dom: &Dom, i: usize, text: &str, out: &mut Vec<(TextCredit, String)>) {
    if !CREDIT_MARKS.iter().any(|(mark, _)| text.contains(mark)) {
        return;
    }
    // Menus and section links (`记者调查`, `小记者训练营`) credit nobody.
    let mut ancestor = dom.nodes[i].parent;
    for _ in 0..4 {
        let Some(a) = ancestor else { break };
        if dom.is_link(a) {
            return;
        }
        ancestor = dom.nodes[a].parent;
    }
    for (mark, kind) in CREDIT_MARKS {
        let Some(at) = text.find(mark) else {
            continue;
        };
        // `责任编辑` also contains `编辑`: one credit per mark position.
        if out.iter().any(|(k, _)| k == kind) {
            continue;
        }
        let mut window: String = text[at + mark.len()..].chars().take(40).collect();
        let mut next = i + 1;
        while window.chars().count() < 40 && next < dom.nodes.len() && next < i + 8 {
            if let Some(more) = dom.text(next) {
                window.push_str(more);
            }
            next += 1;
        }
        // Only a reporter is named without a colon or space (`记者裴剑飞`);
        // `作者简介` and `编辑的` are words, not credits.
        let separated = window.starts_with(|c: char| {
            c.is_whitespace() || matches!(c, '：' | ':' | '/' | '／' | '\u{3000}')
        });
        if !separated && *kind != TextCredit::Reporter {
            continue;
        }
        for name in credited_names(&window) {
            out.push((*kind, name));
        }
    }
}

/// The names right after a credit mark: Han names of two to four
/// characters, several when joined by `、` or spaces, each ending where
/// a name ends (white space, a closing bracket, `／`, `_`, the end). Prose
/// such as `记者从上海获悉` names nobody.
fn credited_names(window: &str) -> Vec<String> {
    let rest = window.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '：' | ':' | '/' | '／' | '】' | '\u{a0}' | '\u{3000}')
    });
    let mut names = Vec::new();
    let mut chars = rest.chars().peekable();
    loop {
        let run: String = std::iter::from_fn(|| chars.next_if(|c| is_han(*c))).collect();
        let count = run.chars().count();
        let after = chars.peek().copied();
        let ends_name = after.is_none_or(|c| {
            c.is_whitespace()
                || c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '）' | ')' | '】' | ']' | '/' | '／' | '_' | '|' | '、' | '\u{3000}'
                )
        });
        match count {
            // `记者 才扬 摄` credits a photograph.
            2..=4 if ends_name && !is_photo_credit(chars.clone()) => names.push(run),
            // A dateline (`邱俊欽桃園19日電`): the name, then the place
            // before the date; most Chinese names have three characters.
            5..=8 if names.is_empty() && after.is_some_and(|c| c.is_ascii_digit()) => {
                names.push(run.chars().take(3).collect())
            }
            _ => break,
        }
        if names.len() >= 6 {
            break;
        }
        // Another name joined by `、`, `,` or white space.
        match after {
            Some('、' | ' ' | '\u{3000}' | '\u{a0}') => {
                chars.next();
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
                if !chars.peek().is_some_and(|c| is_han(*c)) {
                    break;
                }
            }
            _ => break,
        }
    }
    names
}

/// Whether the text after a name says it took the photograph (`摄`).
fn is_photo_credit(mut after: impl Iterator<Item = char>) -> bool {
    after
        .find(|c| !c.is_whitespace())
        .is_some_and(|c| matches!(c, '摄' | '攝'))
}

fn is_han(c: char) -> bool {
    crate::normalize::unicode::is_han(c)
}

/// Placeholders templates leave in author fields.
const PLACEHOLDER_AUTHORS: &[&str] = &[
    "name",
    "author",
    "admin",
    "administrator",
    "unknown",
    "anonymous",
    "staff",
    "佚名",
    "作者",
    "匿名",
    "未知",
    "网友",
    "網友",
];

/// Splits `Stella Kim and Jennifer Jett` and `张三、李四`; an email address
/// in the name (`name, email@gmail.com`) is dropped.
fn split_authors(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；'])
        .flat_map(|part| part.split(" and "))
        .flat_map(|part| part.split(" & "))
        .map(str::trim)
        .filter(|part| !part.contains('@') || part.contains(' '))
        .map(|part| {
            part.split_whitespace()
                .filter(|w| !w.contains('@'))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|part| !part.is_empty())
        .collect()
}

/// Whether a name is a person's: not a placeholder, not the publisher and
/// not shaped like an organisation's name (`中央通訊社`, `网易`, `新京报`).
fn is_person_name(name: &str, publishers: &[String]) -> bool {
    let key = squash(name);
    if key.is_empty() || PLACEHOLDER_AUTHORS.contains(&key.as_str()) || publishers.contains(&key) {
        return false;
    }
    // `www.yunnan.cn`: a web address.
    let is_domain = !name.contains(char::is_whitespace)
        && name.rsplit_once('.').is_some_and(|(head, tld)| {
            !head.is_empty()
                && (2..=6).contains(&tld.len())
                && tld.chars().all(|c| c.is_ascii_alphabetic())
        });
    if is_domain {
        return false;
    }
    let han = name.chars().filter(|c| is_han(*c)).count();
    let is_han_name = han > 0 && han == name.chars().filter(|c| !c.is_whitespace()).count();
    !(is_han_name && (ORGANISATION_ENDINGS.iter().any(|e| name.ends_with(e)) || han > 6))
        && !KNOWN_PORTALS.contains(&name.trim())
}

/// Endings of Chinese and Japanese organisation names.
const ORGANISATION_ENDINGS: &[&str] = &[
    "网", "網", "报", "報", "社", "台", "新闻", "新聞", "频道", "頻道", "日报", "日報", "中心",
    "集团", "集團", "公司", "网站", "網站", "传媒", "傳媒",
];

/// Portals whose names do not look like organisations (`网易` is NetEase,
/// `腾讯` Tencent): they are never a story's author.
const KNOWN_PORTALS: &[&str] = &[
    "网易", "網易", "腾讯", "騰訊", "新浪", "搜狐", "凤凰", "百度",
];

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
    // `Posted on September 21, 2020 by Adi Tzlil`.
    let text = text
        .rsplit_once(" by ")
        .filter(|(head, _)| head.chars().any(|c| c.is_ascii_digit()))
        .map_or(text, |(_, name)| name);
    let text = [
        "作者：",
        "作者:",
        "记者：",
        "記者：",
        "记者",
        "記者",
        "文／",
        "文/",
    ]
    .iter()
    .find_map(|p| text.strip_prefix(p))
    .unwrap_or(text);
    // `陳嘉寧／桃園機場報導`: the place of the report follows the name.
    let text = text.split(['／', '|']).next().unwrap_or(text);
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

    fn page(html: &str) -> Metadata {
        let mut dom = super::super::parse::parse(html);
        super::super::clean::clean(&mut dom);
        Metadata::collect(&dom)
    }

    #[test]
    fn a_site_logo_h1_does_not_beat_the_headline() {
        let meta = page(
            r#"<html><head><title>Port strike ends after two weeks - Harbour Times</title></head>
            <body><h1 id="site-title"><a href="/">Harbour Times</a></h1>
            <p>Dock workers returned on Monday.</p></body></html>"#,
        );
        assert_eq!(meta.title(), "Port strike ends after two weeks");
    }

    #[test]
    fn the_headline_agreed_on_loses_section_and_site_suffixes() {
        let meta = page(
            r#"<html><head><title> 平鎮輪胎行惡火 疏散7人1女命喪 | 社會 | 中央社 CNA </title>
            <meta property="og:title" content="平鎮輪胎行惡火 疏散7人1女命喪 | 社會 | 中央社 CNA">
            </head><body><h1>平鎮輪胎行惡火 疏散7人1女命喪</h1></body></html>"#,
        );
        assert_eq!(meta.title(), "平鎮輪胎行惡火 疏散7人1女命喪");
        // No `<h1>`, but the site name is known from `og:site_name`.
        let meta = page(
            r#"<html><head><title>Perturbazione polare al Sud - La Stampa</title>
            <meta property="og:title" content="Perturbazione polare al Sud - La Stampa">
            <meta property="og:site_name" content="lastampa.it"></head></html>"#,
        );
        assert_eq!(meta.title(), "Perturbazione polare al Sud");
        // A Chinese site's unspaced tail.
        let meta = page("<title>武汉的声音：有英勇的你，才有英雄的城！-新华网</title>");
        assert_eq!(meta.title(), "武汉的声音：有英勇的你，才有英雄的城！");
    }

    #[test]
    fn a_headline_with_a_separator_of_its_own_keeps_it() {
        let meta = page(
            r#"<html><head><title>Minecraft 1.8 - The Bountiful Update - Minecraft News</title>
            <meta property="og:title" content="Minecraft 1.8 - The Bountiful Update"></head></html>"#,
        );
        assert_eq!(meta.title(), "Minecraft 1.8 - The Bountiful Update");
    }

    #[test]
    fn placeholders_and_publishers_are_not_authors() {
        let meta = page(
            r#"<html><head><meta name="author" content="name, email@gmail.com"></head>
            <body><p>責任編輯：刘响</p></body></html>"#,
        );
        assert_eq!(meta.authors(), ["刘响"]);
        let meta = page(
            r#"<html><head><title>男孩写纸团求救_网易新闻</title>
            <meta name="author" content="网易"></head>
            <body><p>本文来源：重庆晚报</p><p>责任编辑：罗崇纬_NB12082</p></body></html>"#,
        );
        assert_eq!(meta.authors(), ["罗崇纬"]);
    }

    #[test]
    fn the_reporter_in_the_dateline_beats_the_news_agency() {
        let meta = page(
            r#"<html><head><meta name="author" content="中央通訊社"></head><body>
            <p>（中央社記者邱俊欽桃園19日電）桃園市平鎮區一家輪胎行今天清晨發生大火。</p>
            </body></html>"#,
        );
        assert_eq!(meta.authors(), ["邱俊欽"]);
        // Prose and menus that mention reporters credit nobody.
        let meta = page(
            r#"<html><body><a href="/x">记者调查</a><p>记者从上海获悉，工程已经完工。</p>
            <p>（记者 胡晓蓉）</p></body></html>"#,
        );
        assert_eq!(meta.authors(), ["胡晓蓉"]);
        let meta = page("<p>新华社记者 才扬 摄</p>");
        assert!(meta.authors().is_empty(), "{:?}", meta.authors());
    }

    #[test]
    fn author_lists_are_split_into_people() {
        let meta = page(r#"<meta name="author" content="Stella Kim and Jennifer Jett">"#);
        assert_eq!(meta.authors(), ["Stella Kim", "Jennifer Jett"]);
        assert_eq!(
            clean_author("Posted on September 21, 2020 by Adi Tzlil"),
            "Adi Tzlil"
        );
    }

    #[test]
    fn the_complete_undamaged_summary_wins() {
        // A meta description cut short by an unescaped quote.
        let feed = "男孩因不想上补习班 写\"救命啊\"纸团抛出引来警察";
        assert_eq!(
            better_summary(Some("男孩因不想上补习班 写".into()), Some(feed)).as_deref(),
            Some(feed)
        );
        // A publisher's byte-cut description loses to a whole one, and alone
        // gives no summary rather than U+FFFD.
        let damaged = "현재 MBC는 이유리 주연의 숨바꼭질로 승부를 보\u{fffd}...";
        assert_eq!(
            better_summary(Some(damaged.into()), Some("주말 밤 9시 막장극의 대결")).as_deref(),
            Some("주말 밤 9시 막장극의 대결")
        );
        assert_eq!(better_summary(Some(damaged.into()), None), None);
        // The first is kept when neither continues the other.
        assert_eq!(
            better_summary(Some("Rates fall.".into()), Some("Markets rally.")).as_deref(),
            Some("Rates fall.")
        );
    }

    #[test]
    fn entities_escaped_twice_are_decoded_completely() {
        let meta = page(
            r#"<meta name="description" content="Forscher enth&amp;uuml;llen das Ger&amp;auml;t, AT&amp;T schweigt">"#,
        );
        assert_eq!(
            meta.summary().as_deref(),
            Some("Forscher enthüllen das Gerät, AT&T schweigt")
        );
    }

    #[test]
    fn categories_that_repeat_the_headline_are_dropped() {
        let meta = page(
            r#"<html><head><title>台積電擴產 南科再建新廠｜經濟日報</title>
            <meta name="keywords" content="台積電擴產 南科再建新廠,台積電,半導體">
            <meta property="article:section" content="產業"></head></html>"#,
        );
        assert_eq!(meta.categories(), ["台積電", "半導體", "產業"]);
    }

    #[test]
    fn photo_credits_leave_the_title() {
        let meta = page(
            "<title>米朝首脳直通電話 習氏に挑むトランプ戦術の成否 （写真＝ロイター） ：日本経済新聞</title>",
        );
        assert_eq!(
            meta.title(),
            "米朝首脳直通電話 習氏に挑むトランプ戦術の成否"
        );
        assert_eq!(
            strip_photo_credit("Flood waters rise in the valley (PHOTOS)"),
            "Flood waters rise in the valley"
        );
        // Brackets that are part of the headline stay.
        assert_eq!(
            strip_photo_credit("Vegan Char Kway Teow (Stir Fry Flat Rice Noodles)"),
            "Vegan Char Kway Teow (Stir Fry Flat Rice Noodles)"
        );
    }
}
