//! Any query string as feed URL parameters: a 400 message, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|query: &str| {
    let _ = polywire::serve::fuzz_parse_query(query);
});
