//! Legacy-encoded wire pages and feeds, served from 127.0.0.1, must arrive
//! as the right UTF-8 text: with the charset declared in the header, in a
//! `<meta>`, in an XML declaration that lies, or not at all.
//!
//! The encoded fixtures under `tests/fixtures/fetch/pages/` are built from
//! the UTF-8 texts in `tests/fixtures/fetch/text/` by [`build_fixtures`];
//! `fixtures_match_their_sources` keeps them in step. To rebuild them run
//! `REGENERATE_FETCH_FIXTURES=1 cargo test --test fetch_charset`.

mod fetch_support;

use encoding_rs::Encoding;
use fetch_support::{Reply, TestServer};
use polywire::config::FetchConfig;
use polywire::fetch::{FetchRequest, FetchResponse, Fetcher};
use std::path::{Path, PathBuf};

/// Encoding label, source text, `lang` of the page, expected decoder name.
const PAGES: &[(&str, &str, &str, &str)] = &[
    ("gbk", "zh-Hans", "zh-CN", "gb18030"),
    ("big5", "zh-Hant", "zh-TW", "Big5"),
    ("shift_jis", "ja", "ja", "Shift_JIS"),
    ("euc-jp", "ja", "ja", "EUC-JP"),
    ("euc-kr", "ko", "ko", "EUC-KR"),
    ("windows-1252", "de", "de", "windows-1252"),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fetch")
}

fn source(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("text").join(format!("{name}.txt"))).unwrap()
}

fn encode(label: &str, text: &str) -> Vec<u8> {
    let encoding = Encoding::for_label(label.as_bytes()).unwrap();
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(
        !unmappable,
        "{label} cannot encode the {label} fixture text"
    );
    bytes.into_owned()
}

fn html(text: &str, lang: &str, meta: &str) -> String {
    let mut lines = text.lines();
    let title = lines.next().unwrap_or_default();
    let paragraphs: String = lines.map(|l| format!("  <p>{l}</p>\n")).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n{meta}<title>{title}</title>\n</head>\n\
         <body>\n<article>\n  <h1>{title}</h1>\n{paragraphs}</article>\n</body>\n</html>\n"
    )
}

fn rss(text: &str, declared: &str) -> String {
    let mut lines = text.lines();
    let title = lines.next().unwrap_or_default();
    let body: Vec<&str> = lines.collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"{declared}\"?>\n<rss version=\"2.0\">\n<channel>\n\
         <title>Wire</title>\n<link>https://wire.example/</link>\n<item>\n\
         <title>{title}</title>\n<link>https://wire.example/1</link>\n\
         <description>{}</description>\n</item>\n</channel>\n</rss>\n",
        body.join(" ")
    )
}

/// Every fixture file: name and bytes.
fn build_fixtures() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for &(label, text, lang, _) in PAGES {
        let text = source(text);
        let meta = format!("<meta charset=\"{label}\">\n");
        out.push((
            format!("{label}-meta.html"),
            encode(label, &html(&text, lang, &meta)),
        ));
        out.push((
            format!("{label}-bare.html"),
            encode(label, &html(&text, lang, "")),
        ));
    }
    // Feeds whose XML declaration lies, and one that tells the truth.
    let zh = source("zh-Hans");
    out.push((
        "feed-gbk-says-utf8.xml".into(),
        encode("gbk", &rss(&zh, "UTF-8")),
    ));
    let de = source("de");
    out.push((
        "feed-utf8-says-latin1.xml".into(),
        rss(&de, "ISO-8859-1").into_bytes(),
    ));
    let tw = source("zh-Hant");
    out.push((
        "feed-big5-says-big5.xml".into(),
        encode("big5", &rss(&tw, "big5")),
    ));
    out
}

#[test]
fn fixtures_match_their_sources() {
    let dir = fixtures().join("pages");
    for (name, bytes) in build_fixtures() {
        let path = dir.join(&name);
        if std::env::var_os("REGENERATE_FETCH_FIXTURES").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        let on_disk = std::fs::read(&path).unwrap_or_default();
        assert!(
            on_disk == bytes,
            "{name} differs from its source; regenerate"
        );
        // Non-UTF-8 fixtures must really be non-UTF-8, or the test is moot.
        if !name.starts_with("feed-utf8") {
            assert!(
                std::str::from_utf8(&on_disk).is_err(),
                "{name} is plain UTF-8"
            );
        }
    }
}

async fn fetch_doc(fetcher: &Fetcher, url: String) -> (String, &'static str) {
    let req = FetchRequest {
        url,
        allow_private: true,
        ..FetchRequest::default()
    };
    match fetcher.fetch(&req).await {
        Ok(FetchResponse::Fetched { doc, .. }) => (doc.text, doc.charset),
        other => panic!("{}: {other:?}", req.url),
    }
}

fn assert_has_text(decoded: &str, source_name: &str, case: &str) {
    for line in source(source_name).lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            decoded.contains(line),
            "{case}: missing {line:?} in\n{decoded}"
        );
    }
}

async fn server_with_pages() -> TestServer {
    let server = TestServer::start().await;
    let dir = fixtures().join("pages");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(entry.path()).unwrap();
        let plain = match name.ends_with(".xml") {
            true => "application/rss+xml",
            false => "text/html",
        };
        let reply = Reply::ok(bytes.clone()).header("Content-Type", plain);
        server.route(&format!("/{name}"), vec![reply]);
        // The same bytes with the charset in the header.
        if let Some(label) = name.strip_suffix("-bare.html") {
            let header = format!("text/html; charset={label}");
            let reply = Reply::ok(bytes).header("Content-Type", &header);
            server.route(&format!("/header/{name}"), vec![reply]);
        }
    }
    server
}

fn config() -> FetchConfig {
    FetchConfig {
        per_host_delay_ms: 0,
        ..FetchConfig::default()
    }
}

#[tokio::test]
async fn legacy_pages_decode_with_and_without_a_declaration() {
    let server = server_with_pages().await;
    let fetcher = Fetcher::new(&config()).unwrap();
    for &(label, text, _, expected) in PAGES {
        for path in [
            format!("/{label}-meta.html"),
            format!("/header/{label}-bare.html"),
            format!("/{label}-bare.html"),
        ] {
            let (decoded, charset) = fetch_doc(&fetcher, server.url(&path)).await;
            assert_has_text(&decoded, text, &path);
            assert!(
                charset.eq_ignore_ascii_case(expected),
                "{path}: read as {charset}"
            );
        }
    }
}

#[tokio::test]
async fn feeds_with_lying_xml_declarations_are_read_by_their_bytes() {
    let server = server_with_pages().await;
    let fetcher = Fetcher::new(&config()).unwrap();
    let cases = [
        ("/feed-gbk-says-utf8.xml", "zh-Hans", "gb18030"),
        ("/feed-utf8-says-latin1.xml", "de", "UTF-8"),
        ("/feed-big5-says-big5.xml", "zh-Hant", "Big5"),
    ];
    for (path, text, expected) in cases {
        let (decoded, charset) = fetch_doc(&fetcher, server.url(path)).await;
        let mut lines = source(text).lines().map(String::from).collect::<Vec<_>>();
        // The feed joins the paragraphs with spaces.
        let title = lines.remove(0);
        assert!(
            decoded.contains(&format!("<title>{title}</title>")),
            "{path}:\n{decoded}"
        );
        assert!(decoded.contains(&lines.join(" ")), "{path}:\n{decoded}");
        assert!(
            charset.eq_ignore_ascii_case(expected),
            "{path}: read as {charset}"
        );
    }
}
