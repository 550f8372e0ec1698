//! The command line against the HTTP API and operator conventions: the
//! binary is run as a user would run it.

use std::process::Command;

fn polywire(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_polywire"))
        .args(args)
        .env_remove("POLYWIRE_LOG_FORMAT")
        .output()
        .expect("the binary runs")
}

#[test]
fn feed_takes_every_parameter_the_http_api_takes_under_the_same_name() {
    let help = String::from_utf8(polywire(&["feed", "--help"]).stdout).unwrap();
    for name in polywire::serve::params::KNOWN {
        assert!(
            help.contains(&format!("--{name} ")) || help.contains(&format!("--{name}\n")),
            "`polywire feed` lacks --{name}:\n{help}"
        );
    }
}

#[test]
fn format_is_one_of_three_and_fetched_at_a_timestamp() {
    let bad = polywire(&["feed", "--format", "xml"]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("possible values: rss, atom, json"), "{err}");
    let bad = polywire(&["inspect", "--fetched-at", "yesterday"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--fetched-at"));
}

#[test]
fn completions_and_man_page_are_generated() {
    let bash = polywire(&["completions", "bash"]);
    assert!(bash.status.success());
    let bash = String::from_utf8(bash.stdout).unwrap();
    assert!(bash.contains("_polywire()") && bash.contains("--log-format"));
    let zsh = String::from_utf8(polywire(&["completions", "zsh"]).stdout).unwrap();
    assert!(zsh.starts_with("#compdef polywire"));
    let man = polywire(&["man"]);
    assert!(man.status.success());
    let man = String::from_utf8(man.stdout).unwrap();
    assert!(man.contains(".TH polywire 1"), "{man}");
}

#[test]
fn every_command_logs_in_the_format_asked_for() {
    // A feed whose date names an unknown zone: the date parser warns,
    // and before, only `run` and `fetch` had a logger to show it.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("feed.xml");
    std::fs::write(
        &page,
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
         <item><title>a</title><link>https://example.com/a</link>\
         <pubDate>Tue, 23 Dec 2025 10:05:00 XYZT</pubDate></item></channel></rss>",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_polywire"))
        .args(["extract", page.to_str().unwrap()])
        .env("POLYWIRE_LOG_FORMAT", "json")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines()
            .any(|l| l.starts_with('{') && l.contains("\"WARN\"") && l.contains("zone")),
        "no JSON warning on stderr:\n{err}"
    );
}
