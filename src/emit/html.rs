//! The index page: named feeds with a subscribe link per format, the
//! latest stories with their tags, and a filter form that builds feed
//! URLs. Plain HTML forms, no JavaScript.

use super::{CategoryKind, FeedItem, rfc3339, sanitize::one_line};
use crate::config::FeedFormat;
use quick_xml::escape::escape;
use std::fmt::Write as _;

/// A named feed as listed on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFeed {
    /// URL name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Subscribe link per offered format (relative or absolute).
    pub links: Vec<(FeedFormat, String)>,
}

/// Choices and current values of the filter form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterForm {
    /// Where the form submits (the page itself).
    pub action: String,
    /// `(id, label)` of every region.
    pub regions: Vec<(String, String)>,
    /// `(id, label)` of every industry.
    pub industries: Vec<(String, String)>,
    /// `(id, name)` of every source.
    pub sources: Vec<(String, String)>,
    /// Language subtags offered.
    pub langs: Vec<String>,
    /// Values submitted: `(parameter, value)`.
    pub selected: Vec<(String, String)>,
    /// Subscribe links built from the submitted filters.
    pub built: Vec<(FeedFormat, String)>,
    /// Why the submitted filters were refused.
    pub error: Option<String>,
}

/// Everything on the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexPage {
    /// Page title.
    pub title: String,
    /// Named feeds.
    pub feeds: Vec<PageFeed>,
    /// Latest stories (filtered when the form was submitted).
    pub stories: Vec<FeedItem>,
    /// Link to the OPML list.
    pub opml_url: String,
    /// The filter form; `None` on a static export (no server to answer it).
    pub form: Option<FilterForm>,
}

fn e(s: &str) -> String {
    escape(one_line(s)).into_owned()
}

fn format_label(f: FeedFormat) -> &'static str {
    match f {
        FeedFormat::Rss => "RSS",
        FeedFormat::Atom => "Atom",
        FeedFormat::Json => "JSON Feed",
        FeedFormat::Ninjs => "ninjs",
    }
}

fn mime(f: FeedFormat) -> &'static str {
    match f {
        FeedFormat::Rss => "application/rss+xml",
        FeedFormat::Atom => "application/atom+xml",
        FeedFormat::Json => "application/feed+json",
        FeedFormat::Ninjs => "application/json",
    }
}

/// Writes the page as an HTML5 document.
pub fn write(page: &IndexPage) -> String {
    let mut h = String::with_capacity(16 * 1024);
    let title = e(&page.title);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n"
    );
    for feed in &page.feeds {
        if let Some((f, url)) = feed.links.first() {
            let _ = writeln!(
                h,
                "<link rel=\"alternate\" type=\"{}\" title=\"{}\" href=\"{}\">",
                mime(*f),
                e(&feed.title),
                e(url)
            );
        }
    }
    h.push_str(
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;line-height:1.5}\
         .tags span{display:inline-block;background:#eef;border-radius:.3rem;padding:0 .3rem;margin:0 .2rem;font-size:.85em}\
         .error{color:#a00}form label{margin-right:1rem}</style>\n</head>\n<body>\n",
    );
    let _ = writeln!(h, "<h1>{title}</h1>");

    if let Some(form) = &page.form {
        write_form(&mut h, form);
    }

    h.push_str("<section id=\"feeds\">\n<h2>Feeds</h2>\n");
    let _ = writeln!(
        h,
        "<p>All feeds as an <a href=\"{}\">OPML list</a> for your feed reader.</p>\n<ul>",
        e(&page.opml_url)
    );
    for feed in &page.feeds {
        let _ = write!(
            h,
            "<li id=\"feed-{}\"><strong>{}</strong>",
            e(&feed.name),
            e(&feed.title)
        );
        if !feed.description.is_empty() {
            let _ = write!(h, " — {}", e(&feed.description));
        }
        h.push_str(" <span class=\"subscribe\">");
        for (f, url) in &feed.links {
            let _ = write!(
                h,
                " <a class=\"subscribe-{}\" href=\"{}\">{}</a>",
                f.extension(),
                e(url),
                format_label(*f)
            );
        }
        h.push_str("</span></li>\n");
    }
    h.push_str("</ul>\n</section>\n");

    h.push_str("<section id=\"stories\">\n<h2>Latest stories</h2>\n<ol>\n");
    if page.stories.is_empty() {
        h.push_str("<li>No stories yet.</li>\n");
    }
    for story in &page.stories {
        let _ = write!(
            h,
            "<li lang=\"{}\"><a href=\"{}\">{}</a>",
            e(&story.lang),
            e(&story.url),
            e(&story.title)
        );
        let when = story.published.unwrap_or(story.updated);
        let _ = write!(
            h,
            " <small><time datetime=\"{0}\">{0}</time> · {1}</small>",
            rfc3339(when),
            e(&story.source)
        );
        h.push_str(" <span class=\"tags\">");
        for cat in story
            .categories
            .iter()
            .filter(|c| c.kind != CategoryKind::Publisher)
        {
            let _ = write!(
                h,
                "<span title=\"{}\">{}</span>",
                e(&cat.term),
                e(&cat.label)
            );
        }
        h.push_str("</span></li>\n");
    }
    h.push_str("</ol>\n</section>\n</body>\n</html>\n");
    h
}

fn write_form(h: &mut String, form: &FilterForm) {
    let selected =
        |key: &str, value: &str| form.selected.iter().any(|(k, v)| k == key && v == value);
    let current = |key: &str| {
        form.selected
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let _ = writeln!(
        h,
        "<section id=\"build\">\n<h2>Build your own feed</h2>\n<form id=\"filter\" method=\"get\" action=\"{}\">",
        e(&form.action)
    );
    let select = |h: &mut String, name: &str, label: &str, options: &[(String, String)]| {
        let _ = write!(
            h,
            "<label>{label} <select name=\"{name}\" id=\"f-{name}\"><option value=\"\">any</option>"
        );
        for (id, text) in options {
            let _ = write!(
                h,
                "<option value=\"{}\"{}>{}</option>",
                e(id),
                if selected(name, id) { " selected" } else { "" },
                e(text)
            );
        }
        h.push_str("</select></label>\n");
    };
    select(h, "region", "Region", &form.regions);
    select(h, "industry", "Industry", &form.industries);
    let langs: Vec<(String, String)> = form.langs.iter().map(|l| (l.clone(), l.clone())).collect();
    select(h, "lang", "Language", &langs);
    select(h, "source", "Source", &form.sources);
    let scripts = [
        ("hans".to_string(), "Simplified".to_string()),
        ("hant".to_string(), "Traditional".to_string()),
    ];
    select(h, "script", "Chinese script", &scripts);
    let _ = writeln!(
        h,
        "<label>Words <input type=\"search\" name=\"q\" id=\"f-q\" value=\"{}\"></label>\n\
         <button type=\"submit\" id=\"f-submit\">Build feed</button>\n</form>",
        e(current("q"))
    );
    if let Some(error) = &form.error {
        let _ = writeln!(h, "<p class=\"error\" role=\"alert\">{}</p>", e(error));
    }
    if !form.built.is_empty() {
        h.push_str("<p id=\"built\">Subscribe to this selection:");
        for (f, url) in &form.built {
            let _ = write!(
                h,
                " <a class=\"built-{}\" href=\"{}\">{}</a>",
                f.extension(),
                e(url),
                format_label(*f)
            );
        }
        h.push_str("</p>\n");
    }
    h.push_str("</section>\n");
}
