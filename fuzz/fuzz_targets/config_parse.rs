//! See `polywire_fuzz::config_parse`: the same entry replays kept inputs in `cargo test`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    polywire_fuzz::config_parse(data);
});
