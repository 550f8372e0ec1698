//! Feed, sitemap and listing extraction on fixtures under
//! `tests/fixtures/feeds/`: one per format and one per kind of real-world
//! breakage, each parsed to the items it holds.

use jiff::Timestamp;
use polywire::config::IndexKind;
use polywire::extract::{self, Sitemap};
use polywire::model::{IndexEntry, RawDocument};
use std::path::PathBuf;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feeds")
        .join(name)
}

/// A fixture as the fetcher hands it over: bytes decoded by `fetch::charset`.
fn doc(name: &str) -> RawDocument {
    let bytes = std::fs::read(fixture_path(name)).unwrap();
    let (text, encoding) = polywire::fetch::charset::decode(&bytes, None);
    RawDocument {
        url: url::Url::parse(&format!("http://127.0.0.1:8080/{name}")).unwrap(),
        content_type: None,
        text,
        charset: encoding.name(),
        fetched_at: Timestamp::UNIX_EPOCH,
    }
}

fn entries(name: &str, kind: IndexKind, zone: &str) -> Vec<IndexEntry> {
    extract::parse_index(&doc(name), kind, None, zone).unwrap()
}

fn ts(s: &str) -> Option<Timestamp> {
    Some(s.parse().unwrap())
}

fn titles(entries: &[IndexEntry]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e.title.as_deref().unwrap_or(""))
        .collect()
}

fn urls(entries: &[IndexEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.url.as_str()).collect()
}

#[test]
fn rss_091_items_with_relative_links_resolved_against_the_site() {
    let got = entries("formats/rss091.xml", IndexKind::Rss, "UTC");
    assert_eq!(
        titles(&got),
        ["Port traffic rises in Ningbo", "Relative link story"]
    );
    assert_eq!(
        urls(&got),
        [
            "http://wire.example.com/2025/12/ningbo-port.html",
            "http://wire.example.com/2025/12/relative.html",
        ]
    );
    assert_eq!(
        got[0].summary_html.as_deref(),
        Some("Container volumes grew 8% in November.")
    );
    assert_eq!(got[0].lang.as_deref(), Some("en-us"));
}

#[test]
fn rss_10_rdf_with_dublin_core_and_content_encoded() {
    let got = entries("formats/rss10_rdf.xml", IndexKind::Rss, "Europe/Berlin");
    assert_eq!(
        titles(&got),
        ["Neue Halbleiterfabrik in Dresden", "Zweite Meldung"]
    );
    assert_eq!(
        urls(&got),
        ["https://rdf.example.org/a/1", "https://rdf.example.org/a/2"]
    );
    assert_eq!(got[0].published, ts("2025-12-23T02:05:00Z"));
    // German weekday and month abbreviations.
    assert_eq!(got[1].published, ts("2025-12-23T03:00:00Z"));
    assert_eq!(got[0].authors, ["Anna Schmidt"]);
    assert_eq!(got[0].categories, ["Wirtschaft"]);
    assert_eq!(got[0].lang.as_deref(), Some("de"));
    assert_eq!(
        got[0].content_html.as_deref(),
        Some("<p>Erster Absatz.</p><p>Zweiter Absatz.</p>")
    );
}

/// RSS 1.1: a `<Channel>` root in RSS 1.1's default namespace, the items
/// inside `<items rdf:parseType="Collection">` (feedparser reads both).
#[test]
fn rss_11_items_inside_the_collection() {
    let got = entries("formats/rss11.xml", IndexKind::Rss, "UTC");
    assert_eq!(titles(&got), ["Port volumes rise", "Rail link opens"]);
    assert_eq!(
        urls(&got),
        [
            "https://wire11.example.net/2025/12/port.html",
            "https://wire11.example.net/2025/12/rail.html"
        ]
    );
    assert_eq!(got[0].published, ts("2025-12-23T02:05:00Z"));
    assert_eq!(got[0].authors, ["Li Wei"]);
}

#[test]
fn rss_20_with_content_encoded_dublin_core_and_media() {
    let got = entries("formats/rss20_full.xml", IndexKind::Rss, "UTC");
    assert_eq!(
        titles(&got),
        [
            "Drug maker opens Hangzhou lab",
            "Chip output climbs",
            "Thumbnail only",
            "Behind a redirect",
        ]
    );
    let lab = &got[0];
    assert_eq!(lab.url, "https://biz.example.com/news/2025/12/23/lab.html");
    assert_eq!(lab.id.as_deref(), Some("biz-20251223-001"));
    assert_eq!(lab.published, ts("2025-12-23T02:05:00Z"));
    assert_eq!(lab.authors, ["Li Wei", "Jo Doe"]);
    assert_eq!(lab.categories, ["Biomedicine", "China"]);
    assert_eq!(
        lab.summary_html.as_deref(),
        Some("A new <b>research</b> lab.")
    );
    // media:group image beats the video and the thumbnail.
    assert_eq!(
        lab.image.as_deref(),
        Some("https://biz.example.com/img/lab-large.jpg")
    );
    let html = lab.content_html.as_deref().unwrap();
    assert!(
        html.contains(r#"<img src="https://biz.example.com/img/lab.jpg">"#),
        "{html}"
    );

    // A permalink guid is the link; dc:date the date; author email dropped.
    let chips = &got[1];
    assert_eq!(
        chips.url,
        "https://biz.example.com/news/2025/12/23/chips.html"
    );
    assert_eq!(chips.published, ts("2025-12-23T01:00:00Z"));
    assert_eq!(chips.authors, ["Markets Desk"]);
    assert_eq!(
        chips.image.as_deref(),
        Some("https://biz.example.com/img/chips.png")
    );
    // FeedBurner's origLink beats the redirecting link.
    assert_eq!(got[3].url, "https://biz.example.com/news/redirected.html");
    // An audio enclosure is not an image; the thumbnail is, resolved.
    assert_eq!(
        got[2].image.as_deref(),
        Some("https://biz.example.com/img/thumb-only.jpg")
    );
}

#[test]
fn feed_content_becomes_paragraphs_captions_and_image() {
    let got = entries("formats/rss20_full.xml", IndexKind::Rss, "UTC");
    let story = extract::entry_to_article(&got[0]);
    assert_eq!(
        story.body,
        [
            "HANGZHOU, Dec 23 -- A drug maker opened a lab.",
            "It employs 300 people.",
            "More hires are planned.",
        ]
    );
    assert_eq!(story.captions, ["The new lab."]);
    assert_eq!(
        story.image.as_deref(),
        Some("https://biz.example.com/img/lab-large.jpg")
    );
    assert_eq!(story.summary.as_deref(), Some("A new research lab."));
    assert_eq!(story.published, ts("2025-12-23T02:05:00Z"));
}

#[test]
fn atom_03_issued_modified_and_escaped_content() {
    let got = entries("formats/atom03.xml", IndexKind::Atom, "UTC");
    assert_eq!(titles(&got), ["Harbour expansion approved"]);
    let e = &got[0];
    assert_eq!(e.url, "http://atom03.example.net/2025/12/harbour");
    assert_eq!(e.published, ts("2025-12-23T02:05:00Z"));
    assert_eq!(e.updated, ts("2025-12-23T04:00:00Z"));
    assert_eq!(e.authors, ["Wire Desk"], "inherited from the feed");
    assert_eq!(
        e.content_html.as_deref(),
        Some("<p>The council approved it.</p>")
    );
    assert_eq!(
        e.summary_html.as_deref(),
        Some("Plain &amp; simple summary")
    );
    assert_eq!(e.lang.as_deref(), Some("en"));
}

#[test]
fn atom_10_resolves_nested_xml_base() {
    let got = entries("formats/atom10_xml_base.xml", IndexKind::Atom, "UTC");
    assert_eq!(titles(&got), ["東京で新工場", "Second entry"]);
    let e = &got[0];
    assert_eq!(e.url, "https://atom.example.org/news/2025/12/factory.html");
    assert_eq!(
        e.image.as_deref(),
        Some("https://atom.example.org/news/2025/12/factory.jpg")
    );
    assert_eq!(e.published, ts("2025-12-23T02:05:00Z"));
    assert_eq!(e.categories, ["産業"]);
    assert_eq!(e.authors, ["編集部"]);
    assert_eq!(e.lang.as_deref(), Some("ja"));
    assert_eq!(
        e.content_html.as_deref(),
        Some(
            r#"<p>本文<a href="https://atom.example.org/news/2025/12/body/more.html">続き</a></p><img src="https://atom.example.org/news/2025/12/body/pic.png" />"#
        )
    );
    assert_eq!(e.summary_html.as_deref(), Some("<p>概要</p>"));
    let second = &got[1];
    assert_eq!(second.url, "https://elsewhere.example.com/x");
    assert_eq!(second.published, None);
    assert_eq!(second.updated, ts("2025-12-22T00:00:00Z"));
    assert_eq!(second.authors, ["Ken Sato"]);
    // A text construct is text: escaped to come out as HTML.
    assert_eq!(second.content_html.as_deref(), Some("1 &lt; 2 &amp; 3"));
}

#[test]
fn json_feed_10() {
    let got = entries("formats/jsonfeed10.json", IndexKind::Json, "UTC");
    assert_eq!(titles(&got), ["EV sales surge", "Relative"]);
    assert_eq!(
        urls(&got),
        [
            "https://json.example.com/2025/12/23/ev.html",
            "https://json.example.com/2025/12/23/relative.html"
        ]
    );
    assert_eq!(got[0].published, ts("2025-12-23T02:05:00Z"));
    assert_eq!(got[0].authors, ["Desk"]);
    assert_eq!(got[0].categories, ["autos", "ev"]);
    assert_eq!(
        got[0].image.as_deref(),
        Some("https://json.example.com/img/ev.jpg")
    );
    assert_eq!(got[1].id.as_deref(), Some("2"));
    assert_eq!(got[1].content_html.as_deref(), Some("Line one &amp; two"));
}

#[test]
fn json_feed_11_skips_broken_items() {
    // Declared as RSS: every feed kind means "any feed format".
    let got = entries("formats/jsonfeed11.json", IndexKind::Rss, "UTC");
    assert_eq!(
        urls(&got),
        [
            "https://json11.example.com/a",
            "https://other.example.com/b"
        ]
    );
    let a = &got[0];
    assert_eq!(a.title.as_deref(), Some("반도체 수출 증가"));
    assert_eq!(a.authors, ["김민수", "이지은"]);
    assert_eq!(a.published, ts("2025-12-23T02:05:00Z"));
    assert_eq!(a.updated, ts("2025-12-23T03:05:00Z"));
    assert_eq!(a.lang.as_deref(), Some("ko-KR"));
    assert_eq!(
        a.image.as_deref(),
        Some("https://json11.example.com/banner.jpg")
    );
    assert_eq!(got[1].authors, ["Feed Author"]);
    assert_eq!(got[1].lang.as_deref(), Some("ko"));
}

#[test]
fn news_sitemap_with_news_and_image_extensions() {
    let got = entries(
        "formats/news_sitemap.xml",
        IndexKind::Sitemap,
        "Asia/Shanghai",
    );
    assert_eq!(
        urls(&got),
        [
            "https://news.example.cn/2025/12/23/a1.html",
            "https://news.example.cn/2025/12/23/a2.html",
            "https://news.example.cn/about.html",
        ]
    );
    let a1 = &got[0];
    assert_eq!(
        a1.title.as_deref(),
        Some("长三角生物医药产业发展大会在杭州举行")
    );
    assert_eq!(a1.published, ts("2025-12-23T02:05:00Z"));
    assert_eq!(a1.updated, ts("2025-12-23T04:00:00Z"));
    assert_eq!(a1.lang.as_deref(), Some("zh-cn"));
    assert_eq!(a1.categories, ["生物医药", "长三角", "杭州"]);
    assert_eq!(a1.image.as_deref(), Some("https://img.example.cn/a1.jpg"));
    // Zone-less publication date read in the source's zone.
    assert_eq!(got[1].published, ts("2025-12-23T01:00:00Z"));
    assert_eq!(got[2].title, None);
    assert_eq!(got[2].published, ts("2024-12-31T16:00:00Z"));
}

#[test]
fn sitemap_index_lists_children_to_follow() {
    let index = extract::parse_sitemap(&doc("formats/sitemap_index.xml"), "UTC").unwrap();
    assert_eq!(
        index,
        Sitemap::Index(vec![
            "http://127.0.0.1:8080/sitemap-news-2.xml".into(),
            "https://news.example.cn/sitemap-news-1.xml".into(),
            "https://news.example.cn/sitemap-archive.xml".into(),
        ])
    );
    // parse_index has no stories to give for an index.
    assert!(entries("formats/sitemap_index.xml", IndexKind::Sitemap, "UTC").is_empty());
}

#[test]
fn undeclared_html_entities_are_resolved() {
    let got = entries("breakage/undeclared_entities.xml", IndexKind::Rss, "UTC");
    assert_eq!(titles(&got), ["Café chain expands — again…"]);
    assert_eq!(
        got[0].summary_html.as_deref(),
        Some("Prices\u{a0}rise © 2025 &bogus; end")
    );
}

#[test]
fn bare_ampersands_are_kept_as_text() {
    let got = entries("breakage/bare_ampersand.xml", IndexKind::Rss, "UTC");
    assert_eq!(titles(&got), ["M&A wave & more"]);
    assert_eq!(urls(&got), ["https://amp.example.com/story?id=7&src=rss"]);
    assert_eq!(got[0].summary_html.as_deref(), Some("Q&A with the CEO"));
}

#[test]
fn bom_and_php_warning_before_the_declaration_are_skipped() {
    let got = entries("breakage/junk_before_xml.xml", IndexKind::Rss, "UTC");
    assert_eq!(titles(&got), ["Still read"]);
    assert_eq!(got[0].published, ts("2025-12-23T02:05:00Z"));
}

#[test]
fn markup_junk_before_a_root_without_declaration_is_skipped() {
    let got = entries("breakage/junk_before_root.xml", IndexKind::Rss, "UTC");
    assert_eq!(titles(&got), ["Read without a declaration"]);
    assert_eq!(urls(&got), ["https://nodecl.example.com/a"]);
}

#[test]
fn a_lying_encoding_declaration_does_not_garble_the_text() {
    let got = entries("breakage/lying_encoding.xml", IndexKind::Rss, "UTC");
    assert_eq!(titles(&got), ["杭州医药港新项目签约"]);
    assert_eq!(
        got[0].summary_html.as_deref(),
        Some("简体中文正文，声明的编码是错的。")
    );
}

#[test]
fn utf8_double_encoded_as_references_is_repaired() {
    let got = entries("breakage/double_encoded_utf8.xml", IndexKind::Rss, "UTC");
    assert_eq!(
        titles(&got),
        [
            "Café owners say \u{201c}no\u{201d}",
            "Genuine Latin-1 stays: café, Ãœber-rare © sign",
        ]
    );
    assert_eq!(got[0].summary_html.as_deref(), Some("Wait for it\u{2026}"));
}

#[test]
fn unclosed_and_mismatched_tags_at_the_end_are_closed() {
    let got = entries("breakage/unclosed_tags.xml", IndexKind::Rss, "UTC");
    assert_eq!(
        titles(&got),
        ["First complete item", "Second item, cut off"]
    );
    assert_eq!(
        urls(&got),
        ["https://cut.example.com/1", "https://cut.example.com/2"]
    );
    assert_eq!(
        got[1].summary_html.as_deref(),
        Some("The server stopped sending he")
    );
}

#[test]
fn double_escaped_description_comes_out_as_html() {
    let got = entries(
        "breakage/description_double_escaped.xml",
        IndexKind::Rss,
        "UTC",
    );
    assert_eq!(
        got[0].summary_html.as_deref(),
        Some("<p>First paragraph &amp; more.</p><p>Second.</p>")
    );
    assert_eq!(got[1].summary_html.as_deref(), Some("<p>In CDATA</p>"));
    let story = extract::entry_to_article(&got[0]);
    assert_eq!(story.body, ["First paragraph & more.", "Second."]);
}

#[test]
fn unescaped_html_in_description_is_kept_as_html() {
    let got = entries("breakage/description_raw_html.xml", IndexKind::Rss, "UTC");
    assert_eq!(
        got[0].summary_html.as_deref(),
        Some(
            r#"<p>First <a href="https://raw.example.com/x">link</a>.</p><p>Second<br />line</p>"#
        )
    );
    assert_eq!(
        got[1].summary_html.as_deref(),
        Some("<p>Normal &amp; escaped</p>")
    );
    let story = extract::entry_to_article(&got[0]);
    assert_eq!(story.body, ["First link.", "Second", "line"]);
}

#[test]
fn chinese_dates_are_read_in_asia_shanghai() {
    let got = entries(
        "breakage/chinese_dates.xml",
        IndexKind::Rss,
        "Asia/Shanghai",
    );
    assert_eq!(got.len(), 4);
    for entry in &got {
        assert_eq!(entry.published, ts("2025-12-23T02:05:00Z"), "{}", entry.url);
    }
    // The same zone-less date from a Tokyo wire is an hour earlier in UTC.
    let tokyo = entries("breakage/chinese_dates.xml", IndexKind::Rss, "Asia/Tokyo");
    assert_eq!(tokyo[0].published, ts("2025-12-23T01:05:00Z"));
}

#[test]
fn listing_pages_give_story_links() {
    let page = RawDocument {
        url: url::Url::parse("http://127.0.0.1:8080/world/").unwrap(),
        content_type: None,
        text: r##"<html><body><nav><a href="/">Home</a></nav>
            <div class="news"><a href="2025/12/23/a.html">Story A</a>
            <a href="#comments">Comments</a><a href="javascript:share()">Share</a>
            <a href="/world/2025/12/23/a.html#x">Story A again</a></div></body></html>"##
            .into(),
        charset: "UTF-8",
        fetched_at: Timestamp::UNIX_EPOCH,
    };
    let got = extract::parse_index(&page, IndexKind::Html, Some(".news a"), "UTC").unwrap();
    assert_eq!(
        urls(&got),
        ["http://127.0.0.1:8080/world/2025/12/23/a.html"]
    );
    assert_eq!(titles(&got), ["Story A"]);
}

#[test]
fn extract_file_reports_feed_items_and_unreadable_files() {
    let items = extract::cli::extract_file(&fixture_path("breakage/chinese_dates.xml"), None);
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["title"], "长三角产业创新发展大会在杭州举行");
    assert_eq!(items[0]["url"], "https://zh.example.cn/2025/12-23/1.shtml");
    // No source: zone-less dates are read as UTC.
    assert_eq!(items[0]["published"], "2025-12-23T10:05:00Z");
    assert!(
        items[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("chinese_dates.xml")
    );
    for key in ["authors", "categories", "content"] {
        assert!(items[0].get(key).is_some(), "{key}");
    }

    let lying = extract::cli::extract_file(&fixture_path("breakage/lying_encoding.xml"), None);
    assert_eq!(lying[0]["title"], "杭州医药港新项目签约");

    let missing = extract::cli::extract_file(&fixture_path("no/such/file.xml"), None);
    assert_eq!(missing.len(), 1);
    assert!(missing[0]["error"].as_str().is_some_and(|e| !e.is_empty()));
    let dir = extract::cli::extract_file(&fixture_path("formats"), None);
    assert!(dir[0]["error"].is_string());
}

#[test]
fn extract_file_reads_an_article_page() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.html");
    std::fs::write(
        &path,
        "<!DOCTYPE html><html><head><title>Page</title></head><body><article>\
         <h1>Factory opens</h1><p>First paragraph of the story.</p><p>Second one.</p>\
         </article></body></html>",
    )
    .unwrap();
    let got = extract::cli::extract_file(&path, None);
    assert_eq!(got.len(), 1);
    let page = &got[0];
    assert_eq!(page["title"], "Factory opens");
    let body: Vec<&str> = page["body"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(body.contains(&"First paragraph of the story."), "{body:?}");
    for key in ["file", "url", "published", "authors", "captions", "image"] {
        assert!(page.get(key).is_some(), "{key}");
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn raw(text: String) -> RawDocument {
        RawDocument {
            url: url::Url::parse("http://127.0.0.1:8080/f").unwrap(),
            content_type: None,
            text,
            charset: "UTF-8",
            fetched_at: Timestamp::UNIX_EPOCH,
        }
    }

    fn all_kinds(text: String) {
        let doc = raw(text);
        for kind in [
            IndexKind::Rss,
            IndexKind::Atom,
            IndexKind::Json,
            IndexKind::Sitemap,
            IndexKind::Html,
        ] {
            if let Ok(entries) = extract::parse_index(&doc, kind, Some("a"), "Asia/Shanghai") {
                for entry in &entries {
                    let _ = extract::entry_to_article(entry);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            all_kinds(String::from_utf8_lossy(&bytes).into_owned());
        }

        #[test]
        fn feed_shaped_noise(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("<rss>".to_string()), Just("<channel>".to_string()), Just("<item>".to_string()),
                    Just("</item>".to_string()), Just("<title>".to_string()), Just("</title>".to_string()),
                    Just("<link>".to_string()), Just("<feed xml:base=\"x:/\">".to_string()),
                    Just("<entry>".to_string()), Just("<content type=\"xhtml\">".to_string()),
                    Just("<![CDATA[".to_string()), Just("]]>".to_string()), Just("&nbsp;".to_string()),
                    Just("&".to_string()), Just("&#x110000;".to_string()), Just("<pubDate>".to_string()),
                    Just("2025年12月23日 10:05".to_string()), Just("<urlset><url><loc>".to_string()),
                    Just("{\"items\":[{".to_string()), Just("<media:content url=\"".to_string()),
                    "[^<>]{0,12}",
                ],
                0..64,
            )
        ) {
            all_kinds(parts.concat());
        }

        #[test]
        fn arbitrary_dates(raw in "\\PC{0,40}") {
            let _ = extract::dates::parse_date(&raw, &jiff::tz::TimeZone::UTC);
        }
    }
}
