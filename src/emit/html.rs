//! The web UI's pages: the index (named feeds, the latest stories, a
//! filter form that builds feed URLs), a feed's preview, the sources
//! page and the page naming an unknown feed. Server-rendered, no
//! JavaScript.
//!
//! The markup lives in `templates/` and is compiled in by askama: a
//! template that reads a missing field fails the build, and every value
//! printed is HTML-escaped unless a template says otherwise (none does),
//! so a story title is text whatever it holds. The page models here are
//! plain values; [`crate::serve::page`] and [`crate::serve::ui`] fill
//! them from the configuration and the store.
//!
//! Dates are shown in the reader's terms ("2 h ago"), computed when the
//! page is made, with the exact time in the `<time datetime>` and its
//! `title`. The style sheet (`templates/polywire.css`) is inlined: one
//! request per page, the same file in a static export, and nothing the
//! content security policy has to allow beyond inline style.

use super::{CategoryKind, FeedItem, rfc3339, sanitize::one_line};
use crate::config::FeedFormat;
use askama::Template;
use jiff::Timestamp;

/// A named feed as listed on the page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageFeed {
    /// URL name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Subscribe link per offered format (relative or absolute).
    pub links: Vec<(FeedFormat, String)>,
    /// How busy the feed is, when it was looked up.
    pub activity: Option<FeedActivity>,
}

/// How many stories a feed took in lately, and its newest story's time.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FeedActivity {
    /// Stories of the last [`RECENT_HOURS`] hours, counted up to a cap.
    pub recent: usize,
    /// True when `recent` stopped at the cap (shown as "50+").
    pub capped: bool,
    /// Publication (else first-seen) time of the newest story.
    pub latest: Option<Timestamp>,
}

/// The window [`FeedActivity::recent`] counts over.
pub const RECENT_HOURS: i64 = 24;

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

/// Everything on the index page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexPage {
    /// Page title.
    pub title: String,
    /// Named feeds.
    pub feeds: Vec<PageFeed>,
    /// Latest stories (filtered when the form was submitted).
    pub stories: Vec<FeedItem>,
    /// `(id, name)` of the configured sources, to name a story's wire.
    pub source_names: Vec<(String, String)>,
    /// Link to the OPML list.
    pub opml_url: String,
    /// The filter form; `None` on a static export (no server to answer
    /// it, nor feed previews or a sources page to link to).
    pub form: Option<FilterForm>,
    /// When the page is made: relative dates are counted from it.
    pub now: Timestamp,
}

/// A named feed's preview page (`/feeds/{name}.html`).
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewPage {
    /// The feed, with links relative to the page (`name.rss`).
    pub feed: PageFeed,
    /// Absolute subscribe URL per offered format, to copy into a reader.
    pub absolute_links: Vec<(FeedFormat, String)>,
    /// Labels of the regions the feed is narrowed to.
    pub regions: Vec<String>,
    /// Labels of the industries the feed is narrowed to.
    pub industries: Vec<String>,
    /// Names of the sources the feed is narrowed to.
    pub sources: Vec<String>,
    /// Languages the feed is narrowed to.
    pub langs: Vec<String>,
    /// The feed's latest stories, each naming the other wires that
    /// carried it ([`FeedItem::also_from`]).
    pub stories: Vec<FeedItem>,
    /// `(id, name)` of the configured sources.
    pub source_names: Vec<(String, String)>,
    /// When the page is made.
    pub now: Timestamp,
}

/// The page answering a preview of a feed nobody configured (404).
#[derive(Debug, Clone, PartialEq)]
pub struct MissingFeedPage {
    /// The name asked for.
    pub asked: String,
    /// `(name, title)` of every configured feed.
    pub known: Vec<(String, String)>,
}

/// One wire on the sources page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceRow {
    /// Source id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// False when the configuration turns it off.
    pub enabled: bool,
    /// False for a source that has run but is no longer configured.
    pub configured: bool,
    /// Start of the last run.
    pub last_run: Option<Timestamp>,
    /// `ok`, `not_modified` or a failure reason code.
    pub last_status: Option<String>,
    /// Stories new in the last run.
    pub stories_new: u64,
    /// Stories updated in the last run.
    pub stories_updated: u64,
    /// When the next run is due.
    pub next_run: Option<Timestamp>,
    /// Consecutive failed runs.
    pub failures: u32,
    /// What went wrong last, in words.
    pub last_error: Option<String>,
}

/// The sources page (`/sources`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourcesPage {
    /// Every configured source, then any other that has run.
    pub sources: Vec<SourceRow>,
    /// Stories stored, when the store answered.
    pub stories: Option<u64>,
    /// The store's error, when it did not.
    pub store_error: Option<String>,
    /// Consecutive failures after which a source is shown as failing.
    pub trouble_after: u32,
    /// When the page is made.
    pub now: Timestamp,
}

/// `2 h ago`, `in 5 min`, `just now`; a date beyond 30 days either way.
pub fn relative_time(t: Timestamp, now: Timestamp) -> String {
    let secs = now.as_second() - t.as_second();
    let span = secs.unsigned_abs();
    let amount = match span {
        0..60 => return "just now".into(),
        60..3_600 => format!("{} min", span / 60),
        3_600..86_400 => format!("{} h", span / 3_600),
        86_400..2_592_000 => format!("{} d", span / 86_400),
        _ => return t.strftime("%-d %b %Y").to_string(),
    };
    if secs > 0 {
        format!("{amount} ago")
    } else {
        format!("in {amount}")
    }
}

/// A moment as the templates print it.
#[derive(Debug, Clone, PartialEq)]
struct When {
    /// RFC 3339, for `datetime` and `title`.
    iso: String,
    /// Relative to the page's making.
    relative: String,
}

impl When {
    fn new(t: Timestamp, now: Timestamp) -> When {
        When {
            iso: rfc3339(t),
            relative: relative_time(t, now),
        }
    }
}

/// One region or industry tag of a story, as shown.
#[derive(Debug, Clone, PartialEq)]
struct TagView {
    term: String,
    label: String,
}

/// One story as the templates print it.
#[derive(Debug, Clone, PartialEq)]
struct StoryView {
    url: String,
    title: String,
    lang: String,
    source: String,
    when: When,
    regions: Vec<TagView>,
    industries: Vec<TagView>,
    also_from: Vec<String>,
}

fn name_of(id: &str, names: &[(String, String)]) -> String {
    names
        .iter()
        .find(|(i, _)| i == id)
        .map_or_else(|| id.to_string(), |(_, n)| one_line(n))
}

impl StoryView {
    fn new(item: &FeedItem, names: &[(String, String)], now: Timestamp) -> StoryView {
        let tags = |kind: CategoryKind| {
            item.categories
                .iter()
                .filter(|c| c.kind == kind)
                .map(|c| TagView {
                    term: c.term.clone(),
                    label: c.label.clone(),
                })
                .collect()
        };
        StoryView {
            url: item.url.clone(),
            title: item.title.clone(),
            lang: item.lang.clone(),
            source: name_of(&item.source, names),
            when: When::new(item.published.unwrap_or(item.updated), now),
            regions: tags(CategoryKind::Region),
            industries: tags(CategoryKind::Industry),
            also_from: item.also_from.iter().map(|s| name_of(s, names)).collect(),
        }
    }
}

fn story_views(items: &[FeedItem], names: &[(String, String)], now: Timestamp) -> Vec<StoryView> {
    items
        .iter()
        .map(|s| StoryView::new(s, names, now))
        .collect()
}

/// A subscribe link as printed.
#[derive(Debug, Clone, PartialEq)]
struct LinkView {
    ext: &'static str,
    label: &'static str,
    mime: &'static str,
    href: String,
}

impl LinkView {
    fn new(format: FeedFormat, href: &str) -> LinkView {
        LinkView {
            ext: format.extension(),
            label: format_label(format),
            mime: mime(format),
            href: one_line(href),
        }
    }
}

/// A named feed as printed.
#[derive(Debug, Clone, PartialEq)]
struct FeedView {
    name: String,
    title: String,
    description: String,
    links: Vec<LinkView>,
    /// `12 stories in 24 h`; `None` when not looked up.
    recent: Option<String>,
    latest: Option<When>,
}

impl FeedView {
    fn new(feed: &PageFeed, now: Timestamp) -> FeedView {
        FeedView {
            name: one_line(&feed.name),
            title: one_line(&feed.title),
            description: one_line(&feed.description),
            links: feed
                .links
                .iter()
                .map(|(f, href)| LinkView::new(*f, href))
                .collect(),
            recent: feed.activity.map(|a| {
                let n = if a.capped {
                    format!("{}+", a.recent)
                } else {
                    a.recent.to_string()
                };
                let noun = if a.recent == 1 { "story" } else { "stories" };
                format!("{n} {noun} in {RECENT_HOURS} h")
            }),
            latest: feed
                .activity
                .and_then(|a| a.latest)
                .map(|t| When::new(t, now)),
        }
    }
}

/// One menu of the filter form.
#[derive(Debug, Clone, PartialEq)]
struct MenuView {
    name: &'static str,
    label: &'static str,
    /// `(value, text, selected)`.
    options: Vec<(String, String, bool)>,
}

/// The filter form as printed.
#[derive(Debug, Clone, PartialEq)]
struct FormView {
    action: String,
    menus: Vec<MenuView>,
    q: String,
    error: Option<String>,
    built: Vec<LinkView>,
}

impl FormView {
    fn new(form: &FilterForm) -> FormView {
        let selected =
            |key: &str, value: &str| form.selected.iter().any(|(k, v)| k == key && v == value);
        let menu =
            |name: &'static str, label: &'static str, options: &[(String, String)]| MenuView {
                name,
                label,
                options: options
                    .iter()
                    .map(|(id, text)| (one_line(id), one_line(text), selected(name, id)))
                    .collect(),
            };
        let langs: Vec<(String, String)> =
            form.langs.iter().map(|l| (l.clone(), l.clone())).collect();
        let scripts = [
            ("hans".to_string(), "Simplified".to_string()),
            ("hant".to_string(), "Traditional".to_string()),
        ];
        FormView {
            action: one_line(&form.action),
            menus: vec![
                menu("region", "Region", &form.regions),
                menu("industry", "Industry", &form.industries),
                menu("lang", "Language", &langs),
                menu("source", "Source", &form.sources),
                menu("script", "Chinese script", &scripts),
            ],
            q: form
                .selected
                .iter()
                .find(|(k, _)| k == "q")
                .map(|(_, v)| one_line(v))
                .unwrap_or_default(),
            error: form.error.as_deref().map(one_line),
            built: form
                .built
                .iter()
                .map(|(f, href)| LinkView::new(*f, href))
                .collect(),
        }
    }
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

/// Links of the page header, relative to the page (`root` leads back to
/// the index); `None` where there is no server (a static export).
#[derive(Debug, Clone, PartialEq)]
struct Nav {
    root: &'static str,
    live: bool,
    /// Which entry is the page itself (`aria-current`).
    current: &'static str,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexTemplate {
    nav: Nav,
    title: String,
    opml_url: String,
    form: Option<FormView>,
    feeds: Vec<FeedView>,
    stories: Vec<StoryView>,
    made: When,
}

#[derive(Template)]
#[template(path = "feed.html")]
struct PreviewTemplate {
    nav: Nav,
    feed: FeedView,
    /// Each subscribe link with its absolute URL to copy.
    formats: Vec<(LinkView, String)>,
    regions: Vec<String>,
    industries: Vec<String>,
    sources: Vec<String>,
    langs: Vec<String>,
    stories: Vec<StoryView>,
    made: When,
}

#[derive(Template)]
#[template(path = "feed_missing.html")]
struct MissingFeedTemplate {
    nav: Nav,
    asked: String,
    known: Vec<(String, String)>,
}

/// One source row as printed.
#[derive(Debug, Clone, PartialEq)]
struct SourceView {
    id: String,
    name: String,
    /// `ok`, `failing`, `retrying`, `waiting`, `disabled` or `removed`:
    /// the CSS class and the word shown.
    state: &'static str,
    last_status: String,
    last_run: Option<When>,
    next_run: Option<When>,
    stories_new: u64,
    stories_updated: u64,
    failures: u32,
    last_error: Option<String>,
}

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesTemplate {
    nav: Nav,
    sources: Vec<SourceView>,
    summary: String,
    store_error: Option<String>,
    trouble_after: u32,
    made: When,
}

/// Renders a template; a template cannot fail on a `String` unless a
/// value's formatting does, which would be a bug: logged, and the reader
/// gets a short page saying so rather than half a document.
fn render(template: &impl Template) -> String {
    template.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "Cannot render a page.");
        "<!DOCTYPE html>\n<html lang=\"en\"><title>polywire</title><p>This page could not be made; see the server's logs.</p></html>\n".into()
    })
}

/// Writes the index page as an HTML5 document.
pub fn write(page: &IndexPage) -> String {
    let live = page.form.is_some();
    render(&IndexTemplate {
        nav: Nav {
            root: "./",
            live,
            current: "feeds",
        },
        title: one_line(&page.title),
        opml_url: one_line(&page.opml_url),
        form: page.form.as_ref().map(FormView::new),
        feeds: page
            .feeds
            .iter()
            .map(|f| FeedView::new(f, page.now))
            .collect(),
        stories: story_views(&page.stories, &page.source_names, page.now),
        made: When::new(page.now, page.now),
    })
}

/// Writes a feed's preview page.
pub fn write_preview(page: &PreviewPage) -> String {
    let lines = |v: &[String]| v.iter().map(|s| one_line(s)).collect();
    render(&PreviewTemplate {
        nav: Nav {
            root: "../",
            live: true,
            current: "",
        },
        feed: FeedView::new(&page.feed, page.now),
        formats: page
            .feed
            .links
            .iter()
            .map(|(f, href)| {
                let absolute = page
                    .absolute_links
                    .iter()
                    .find(|(g, _)| g == f)
                    .map(|(_, a)| one_line(a))
                    .unwrap_or_default();
                (LinkView::new(*f, href), absolute)
            })
            .collect(),
        regions: lines(&page.regions),
        industries: lines(&page.industries),
        sources: lines(&page.sources),
        langs: lines(&page.langs),
        stories: story_views(&page.stories, &page.source_names, page.now),
        made: When::new(page.now, page.now),
    })
}

/// Writes the page answering an unknown feed's preview.
pub fn write_missing_feed(page: &MissingFeedPage) -> String {
    render(&MissingFeedTemplate {
        nav: Nav {
            root: "../",
            live: true,
            current: "",
        },
        asked: one_line(&page.asked),
        known: page
            .known
            .iter()
            .map(|(n, t)| (one_line(n), one_line(t)))
            .collect(),
    })
}

/// The state word of a source: what an operator looks for first.
fn source_state(row: &SourceRow, trouble_after: u32) -> &'static str {
    if !row.configured {
        "removed"
    } else if !row.enabled {
        "disabled"
    } else if row.last_run.is_none() {
        "waiting"
    } else if row.failures >= trouble_after {
        "failing"
    } else if row.failures > 0 {
        "retrying"
    } else {
        "ok"
    }
}

/// Writes the sources page.
pub fn write_sources(page: &SourcesPage) -> String {
    let sources: Vec<SourceView> = page
        .sources
        .iter()
        .map(|s| SourceView {
            id: one_line(&s.id),
            name: one_line(&s.name),
            state: source_state(s, page.trouble_after),
            last_status: s.last_status.as_deref().map(one_line).unwrap_or_default(),
            last_run: s.last_run.map(|t| When::new(t, page.now)),
            next_run: s
                .next_run
                .filter(|_| s.enabled && s.configured)
                .map(|t| When::new(t, page.now)),
            stories_new: s.stories_new,
            stories_updated: s.stories_updated,
            failures: s.failures,
            last_error: s
                .last_error
                .as_deref()
                .map(one_line)
                .filter(|e| !e.is_empty()),
        })
        .collect();
    let count = |state: &str| sources.iter().filter(|s| s.state == state).count();
    let mut summary = format!(
        "{} wires: {} ok, {} failing, {} retrying, {} waiting for a first run, {} disabled",
        sources.len(),
        count("ok"),
        count("failing"),
        count("retrying"),
        count("waiting"),
        count("disabled"),
    );
    if let Some(n) = page.stories {
        summary.push_str(&format!("; {n} stories stored"));
    }
    summary.push('.');
    render(&SourcesTemplate {
        nav: Nav {
            root: "./",
            live: true,
            current: "sources",
        },
        sources,
        summary,
        store_error: page.store_error.as_deref().map(one_line),
        trouble_after: page.trouble_after,
        made: When::new(page.now, page.now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    fn at(now: Timestamp, secs: i64) -> Timestamp {
        now - SignedDuration::from_secs(secs)
    }

    #[test]
    fn relative_times_read_like_a_person_says_them() {
        let now: Timestamp = "2026-12-08T12:00:00Z".parse().unwrap();
        assert_eq!(relative_time(at(now, 20), now), "just now");
        assert_eq!(relative_time(at(now, -20), now), "just now");
        assert_eq!(relative_time(at(now, 5 * 60 + 59), now), "5 min ago");
        assert_eq!(relative_time(at(now, 2 * 3600 + 1800), now), "2 h ago");
        assert_eq!(relative_time(at(now, 3 * 86_400), now), "3 d ago");
        assert_eq!(relative_time(at(now, -(5 * 60)), now), "in 5 min");
        assert_eq!(relative_time(at(now, -(26 * 3600)), now), "in 1 d");
        assert_eq!(relative_time(at(now, 45 * 86_400), now), "24 Oct 2026");
    }

    #[test]
    fn a_source_state_names_the_worst_thing_about_it() {
        let ran = SourceRow {
            configured: true,
            enabled: true,
            last_run: Some(Timestamp::UNIX_EPOCH),
            ..SourceRow::default()
        };
        assert_eq!(source_state(&ran, 3), "ok");
        let retrying = SourceRow {
            failures: 1,
            ..ran.clone()
        };
        assert_eq!(source_state(&retrying, 3), "retrying");
        let failing = SourceRow {
            failures: 3,
            ..ran.clone()
        };
        assert_eq!(source_state(&failing, 3), "failing");
        let disabled = SourceRow {
            enabled: false,
            ..failing.clone()
        };
        assert_eq!(source_state(&disabled, 3), "disabled");
        let waiting = SourceRow {
            last_run: None,
            ..ran.clone()
        };
        assert_eq!(source_state(&waiting, 3), "waiting");
        let removed = SourceRow {
            configured: false,
            ..ran
        };
        assert_eq!(source_state(&removed, 3), "removed");
    }
}
