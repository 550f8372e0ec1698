//! Any text as wire copy through normalization: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use polywire::normalize::{NormalizeContext, normalize, plain_text_story};

fuzz_target!(|text: &str| {
    let ctx = NormalizeContext {
        source: "fuzz".into(),
        language: "zh-Hant".into(),
        timezone: "Asia/Shanghai".into(),
        fetched_at: jiff::Timestamp::UNIX_EPOCH,
    };
    let mut story = plain_text_story(text);
    story.title = text.chars().take(40).collect();
    let _ = normalize(story, &ctx);
});
