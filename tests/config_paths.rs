//! `[store] path` is found from polywire.toml's folder, like `[paths]`, and
//! read-only commands never create a database (issue 19, item 5).

mod support;

use std::process::Command;
use support::repo_config;

/// A config tree `<tmp>/site/config/polywire.toml` with no sources and the
/// database at `../data/wire.db`.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("site/config");
    std::fs::create_dir_all(config.join("sources")).unwrap();
    let repo = repo_config();
    std::fs::write(
        config.join("polywire.toml"),
        format!(
            "[store]\npath = \"../data/wire.db\"\n[paths]\nsources = \"sources\"\ntaxonomy = \"{}\"\nfeeds = \"{}\"\n",
            repo.join("taxonomy").display(),
            repo.join("../feeds").display()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
    dir
}

fn polywire(dir: &tempfile::TempDir, args: &[&str]) -> std::process::Output {
    let config = dir.path().join("site/config/polywire.toml");
    Command::new(env!("CARGO_BIN_EXE_polywire"))
        .args(args)
        .arg("--config")
        .arg(&config)
        .current_dir(dir.path().join("elsewhere"))
        .output()
        .unwrap()
}

#[test]
fn the_store_path_follows_the_config_file_not_the_working_directory() {
    let dir = tree();
    let loaded = polywire::config::Config::load(&dir.path().join("site/config/polywire.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        loaded.daemon.store.path,
        dir.path().join("site/config/../data/wire.db")
    );

    let fetch = polywire(&dir, &["fetch"]);
    assert!(fetch.status.success(), "{fetch:?}");
    assert!(dir.path().join("site/data/wire.db").is_file());
    assert!(!dir.path().join("elsewhere/site").exists());
    assert!(!dir.path().join("elsewhere/data").exists());
}

#[test]
fn read_only_commands_never_create_a_database() {
    let dir = tree();
    for args in [&["sources"][..], &["feed"][..]] {
        let out = polywire(&dir, args);
        assert!(!out.status.success(), "{args:?} should fail: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("no database at"), "{stderr}");
        assert!(stderr.contains("wire.db"), "{stderr}");
    }
    let out_dir = dir.path().join("export");
    let export = polywire(&dir, &["export", "--out", out_dir.to_str().unwrap()]);
    assert!(!export.status.success(), "{export:?}");
    assert!(!dir.path().join("site/data").exists());
    assert!(!dir.path().join("elsewhere/data").exists());
}
