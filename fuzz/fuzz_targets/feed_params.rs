//! Any query string as feed URL parameters: a 400 message, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use polywire::serve::params::FeedParams;
use std::path::Path;
use std::sync::LazyLock;

/// The serve tests' configuration: sources, feeds and a taxonomy to check ids against.
static LOADED: LazyLock<polywire::app::Loaded> = LazyLock::new(|| {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/serve/config/polywire.toml");
    polywire::app::load(&path).expect("fixture configuration")
});

fuzz_target!(|query: &str| {
    if let Ok(params) = FeedParams::parse(query, &LOADED.config, &LOADED.taxonomy) {
        let _ = params.filters();
    }
});
