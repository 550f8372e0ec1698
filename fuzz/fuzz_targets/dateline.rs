//! Any text after a real dateline prefix: the dateline reader must not panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use polywire::normalize::{NormalizeContext, normalize, plain_text_story};

const PREFIXES: &[&str] = &[
    "中新網杭州12月",
    "新华社北京",
    "（中央社記者黃麗芸台北",
    "【ワシントン共同】",
    "(서울=연합뉴스) ",
    "BEIJING, March ",
    "HOUSTON, Jan 27 (Reuters) ",
    "Madrid, 11 may (EFE)",
];

fuzz_target!(|data: (u8, &str)| {
    let (which, rest) = data;
    let text = format!("{}{}", PREFIXES[which as usize % PREFIXES.len()], rest);
    let ctx = NormalizeContext {
        source: "fuzz".into(),
        language: String::new(),
        timezone: "UTC".into(),
        fetched_at: jiff::Timestamp::UNIX_EPOCH,
    };
    let _ = normalize(plain_text_story(&text), &ctx);
});
