//! Replays every input kept under `tests/fixtures/fuzz/<target>/` through
//! the fuzz target's own entry point (`fuzz/src/lib.rs`), so a finding once
//! fixed stays fixed without cargo-fuzz in CI; and runs each entry on real
//! fixtures, so the entries (compiled only here outside cargo-fuzz) keep
//! working and their own checks hold on good input.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod entries;

use std::path::Path;

/// Runs `entry` on each file of the target's fixture folder; returns how
/// many there were.
/// A fuzz entry point.
type Entry = fn(&[u8]);

fn replay(target: &str, entry: Entry) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let Ok(files) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut paths: Vec<_> = files.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in &paths {
        let data = std::fs::read(path).unwrap();
        let outcome = std::panic::catch_unwind(|| entry(&data));
        assert!(outcome.is_ok(), "{} fails again", path.display());
    }
    paths.len()
}

#[test]
fn every_kept_finding_stays_fixed() {
    let targets: [(&str, Entry); 6] = [
        ("feed_parse", entries::feed_parse),
        ("html_extract", entries::html_extract),
        ("normalize", entries::normalize),
        ("dateline", entries::dateline),
        ("feed_params", entries::feed_params),
        ("config_parse", |data| {
            entries::config_parse(data);
        }),
    ];
    let replayed: Vec<(&str, usize)> = targets
        .iter()
        .map(|&(target, entry)| (target, replay(target, entry)))
        .collect();
    eprintln!("replayed: {replayed:?}");
}

/// `pick` then the bytes of a file under the repository root.
fn seed(pick: u8, rel: &str) -> Vec<u8> {
    let mut data = vec![pick];
    data.extend(std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap());
    data
}

#[test]
fn every_entry_runs_on_real_inputs() {
    for pick in 0..4 {
        entries::feed_parse(&seed(pick, "tests/fixtures/wire/rss.xml"));
        entries::feed_parse(&seed(pick, "tests/fixtures/feeds/formats/news_sitemap.xml"));
        entries::feed_parse(&seed(pick, "tests/fixtures/feeds/formats/jsonfeed11.json"));
    }
    for pick in 0..3 {
        entries::html_extract(&seed(pick, "tests/fixtures/articles/metadata.html"));
    }
    entries::normalize(&seed(
        0,
        "tests/fixtures/normalize/000_44b2adcac121026c.txt",
    ));
    entries::dateline(
        b"\x01\xe5\x8d\x8e 1\xe6\x97\xa5\xe7\x94\xb5 \xe5\x8f\xb0\xe7\xa9\x8d\xe9\x9b\xbb",
    );
    // Every format of `/feed` and of each named feed renders a document
    // that parses (the entry panics otherwise).
    for pick in 0..90u8 {
        let mut query = vec![pick];
        query.extend_from_slice(
            b"region=cn-yrd&industry=biomedicine&limit=5&filterout=%3Cscript%3E",
        );
        entries::feed_params(&query);
    }
    // The shipped files of each kind pass the same validation as loading.
    assert!(entries::config_parse(&seed(0, "config/polywire.toml")));
    assert!(entries::config_parse(&seed(
        1,
        "config/sources/chinanews.toml"
    )));
    assert!(entries::config_parse(&seed(
        2,
        "feeds/yrd-biomedicine.toml"
    )));
    assert!(entries::config_parse(&seed(
        3,
        "tests/fixtures/serve/config/taxonomy/regions.toml"
    )));
    assert!(entries::config_parse(&seed(
        4,
        "tests/fixtures/serve/config/taxonomy/industries.toml"
    )));
    assert!(!entries::config_parse(
        b"\x01id = \"wire\"\nschedule = \"every day\"\n"
    ));
}

/// Real inputs of each entry, mutated by a few random byte edits: a short
/// version of the fuzz runs for CI (`scripts/fuzz.sh` is the long one); a
/// failure prints the input to keep under `tests/fixtures/fuzz/`.
mod short_fuzz {
    use super::entries;
    use proptest::prelude::*;
    use proptest::sample::Index;
    use std::path::Path;

    /// `rel`'s bytes with up to 24 edits (insert, delete or replace a byte)
    /// and a random first byte picking the entry's variant.
    fn mutated(rel: &str) -> impl Strategy<Value = Vec<u8>> {
        edited(std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap())
    }

    fn edited(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
        (
            any::<u8>(),
            prop::collection::vec((any::<Index>(), any::<u8>(), 0..3u8), 0..24),
        )
            .prop_map(move |(pick, edits)| {
                let mut data = base.clone();
                for (at, byte, op) in edits {
                    let i = at.index(data.len() + 1);
                    match op {
                        0 => data.insert(i, byte),
                        1 if i < data.len() => {
                            data.remove(i);
                        }
                        _ if i < data.len() => data[i] = byte,
                        _ => data.push(byte),
                    }
                }
                data.insert(0, pick);
                data
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn feed_parse_survives_edits(data in mutated("tests/fixtures/feeds/formats/rss20_full.xml")) {
            entries::feed_parse(&data);
        }

        #[test]
        fn sitemap_parse_survives_edits(data in mutated("tests/fixtures/feeds/formats/news_sitemap.xml")) {
            entries::feed_parse(&data);
        }

        #[test]
        fn html_extract_survives_edits(data in mutated("tests/fixtures/articles/metadata.html")) {
            entries::html_extract(&data);
        }

        #[test]
        fn normalize_survives_edits(data in mutated("tests/fixtures/normalize/000_44b2adcac121026c.txt")) {
            entries::normalize(&data);
        }

        #[test]
        fn dateline_survives_edits(data in edited("12月23日電(記者 王逸飛)23日,2025長三角產業創新發展大會在杭州舉行。".into())) {
            entries::dateline(&data);
        }

        #[test]
        fn feed_params_survive_edits(data in edited(b"region=cn-yrd&industry=biomedicine&q=%E5%8C%BB%E8%8D%AF&limit=5&filter_title=chip|%E8%8A%AF&script=hant".to_vec())) {
            entries::feed_params(&data);
        }

        #[test]
        fn config_parse_survives_edits(data in mutated("config/sources/chinanews.toml")) {
            entries::config_parse(&data);
        }
    }
}
