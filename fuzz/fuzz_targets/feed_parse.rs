//! Any bytes as a wire index of every kind: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use polywire::config::IndexKind;
use polywire::model::RawDocument;

fuzz_target!(|data: &[u8]| {
    let (text, encoding) = polywire::fetch::charset::decode(data, None);
    let doc = RawDocument {
        url: url::Url::parse("https://wire.example/feed.xml").unwrap(),
        content_type: None,
        text,
        charset: encoding.name(),
        fetched_at: jiff::Timestamp::UNIX_EPOCH,
    };
    for kind in [IndexKind::Rss, IndexKind::Sitemap, IndexKind::Json] {
        if let Ok(entries) = polywire::extract::parse_index(&doc, kind, None, "Asia/Shanghai") {
            for entry in &entries {
                let _ = polywire::extract::entry_to_article(entry);
            }
        }
    }
    let _ = polywire::extract::parse_index(&doc, IndexKind::Html, Some("a"), "UTC");
});
