//! Any text as each kind of configuration file: an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use polywire::config::{DaemonConfig, FeedConfig, SourceConfig, parse_toml};
use std::path::Path;

fuzz_target!(|text: &str| {
    let file = Path::new("fuzz.toml");
    let _ = parse_toml::<DaemonConfig>(file, text);
    let _ = parse_toml::<SourceConfig>(file, text);
    let _ = parse_toml::<FeedConfig>(file, text);
});
