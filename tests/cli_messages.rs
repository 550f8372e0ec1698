//! Small CLI defects a new user meets (issue 19, item 7): unknown feed
//! names, disabled sources' next run, long statuses, multi-line cron
//! errors.

mod support;

use polywire::store::{SourceState, Store};
use std::process::Command;
use support::{TestConfig, wire_sources};

fn polywire(config: &TestConfig, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_polywire"))
        .args(args)
        .arg("--config")
        .arg(&config.path)
        .output()
        .unwrap()
}

fn config_with_a_disabled_source() -> TestConfig {
    let mut sources = wire_sources("http://127.0.0.1:9");
    sources[0].1 = sources[0].1.replace("[index]", "enabled = false\n[index]");
    let config = TestConfig::new(&sources);
    let store = Store::open(&config.db()).unwrap();
    for (id, status) in [("cns", "ok"), ("xinhua", "connect_refused_and_then_some")] {
        store
            .record_run(&SourceState {
                id: id.into(),
                last_run: Some(jiff::Timestamp::now()),
                last_status: Some(status.into()),
                next_run: Some(jiff::Timestamp::now()),
                ..SourceState::default()
            })
            .unwrap();
    }
    config
}

#[test]
fn an_unknown_feed_name_lists_the_known_ones() {
    let config = config_with_a_disabled_source();
    let out = polywire(&config, &["feed", "no-such-feed"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown feed `no-such-feed`"), "{stderr}");
    // The repository's feeds folder names `ai` among others.
    assert!(
        stderr.contains("known feeds:") && stderr.contains("ai"),
        "{stderr}"
    );
}

#[test]
fn sources_show_no_next_run_for_disabled_ones_and_keep_columns() {
    let config = config_with_a_disabled_source();
    let out = polywire(&config, &["sources"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().filter(|l| !l.contains("last error")).collect();
    let cns = lines.iter().find(|l| l.starts_with("cns ")).unwrap();
    // LAST RUN is a time, NEXT RUN is `-`.
    assert_eq!(cns.matches('Z').count(), 1, "{cns}");
    // Every row's NEW column starts where the header's does.
    let header = lines[0];
    let new_at = header.find("  NEW").unwrap();
    for line in &lines[1..] {
        assert_eq!(
            line[new_at..].trim_start().chars().next(),
            Some('0'),
            "column moved in {line:?} (header {header:?})"
        );
        assert_eq!(line.len(), header.len(), "{line:?} vs {header:?}");
    }
}

#[test]
fn a_bad_cron_expression_is_reported_on_one_line() {
    let mut sources = wire_sources("http://127.0.0.1:9");
    sources[0].1 = sources[0].1.replace("0 */10 * * * *", "every ten minutes");
    let config = TestConfig::new(&sources);
    let out = polywire(&config, &["check"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let line = text
        .lines()
        .find(|l| l.contains("bad cron expression"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("(six fields"),
        "message broken over lines: {text}"
    );
}
