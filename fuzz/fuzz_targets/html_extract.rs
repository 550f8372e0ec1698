//! Any bytes as an article page: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = polywire::fetch::charset::decode(data, None);
    let url = url::Url::parse("https://wire.example/story.html").unwrap();
    let _ = polywire::extract::extract_article(&text, &url, None, "Asia/Tokyo");
});
