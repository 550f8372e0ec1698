//! The wire catalog (`config/catalog/`): every entry checked the way
//! `polywire check` checks a source, the coverage the catalog promises, and
//! `polywire add catalog:ID` / `polywire sources --catalog` end to end.

mod support;

use polywire::catalog;
use std::collections::BTreeSet;
use std::process::Command;
use support::repo_config;

fn entries() -> Vec<catalog::CatalogEntry> {
    let taxonomy = polywire::classify::Taxonomy::load(&repo_config().join("taxonomy")).unwrap();
    catalog::load(&repo_config().join("catalog"), &|r| taxonomy.has_region(r))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_entry_is_a_valid_source_and_the_catalog_covers_its_readers() {
    let entries = entries();
    assert!(entries.len() >= 40, "{} wires", entries.len());
    let languages: BTreeSet<&str> = entries.iter().map(|e| e.source.language.as_str()).collect();
    assert!(languages.len() >= 8, "{languages:?}");
    let regions: BTreeSet<&str> = entries.iter().filter_map(|e| e.region.as_deref()).collect();
    for needed in ["cn", "cn-yrd", "cn-gba", "hk", "tw", "jp", "kr"] {
        assert!(
            regions.contains(needed),
            "no wire for {needed}: {regions:?}"
        );
    }
    // Chengdu–Chongqing: a Sichuan, Chongqing or Chengyu wire.
    assert!(
        regions
            .iter()
            .any(|r| r.starts_with("cn-sc") || r.starts_with("cn-cq") || *r == "cn-chengyu"),
        "{regions:?}"
    );
    assert!(
        regions
            .iter()
            .any(|r| matches!(*r, "th" | "id" | "sg" | "vn" | "my" | "ph")),
        "Southeast Asia: {regions:?}"
    );
    let mut ids = BTreeSet::new();
    for e in &entries {
        assert!(ids.insert(e.source.id.clone()), "duplicate {}", e.source.id);
        if !e.source.enabled {
            assert!(e.disabled_reason.is_some(), "{}", e.source.id);
        }
    }
    assert!(
        entries.iter().any(|e| !e.source.enabled),
        "some terms forbid reuse"
    );
}

/// Copied into a configuration, the whole catalog loads as `check` loads it.
#[test]
fn the_whole_catalog_passes_check_as_sources() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("sources")).unwrap();
    std::fs::create_dir_all(config.join("feeds")).unwrap();
    std::fs::write(
        config.join("polywire.toml"),
        format!(
            "[paths]\nsources = \"sources\"\nfeeds = \"feeds\"\ntaxonomy = \"{}\"\n",
            repo_config().join("taxonomy").display()
        ),
    )
    .unwrap();
    let entries = entries();
    for e in &entries {
        catalog::add(&entries, &e.source.id, &config.join("sources")).unwrap();
    }
    let loaded =
        polywire::app::load(&config.join("polywire.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.config.sources.len(), entries.len());
}

#[test]
fn add_and_list_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("sources")).unwrap();
    std::fs::create_dir_all(config.join("feeds")).unwrap();
    let copy = |rel: &str| {
        let from = repo_config().join(rel);
        let to = config.join(rel);
        std::fs::create_dir_all(&to).unwrap();
        for f in std::fs::read_dir(from).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, to.join(f.file_name().unwrap())).unwrap();
        }
    };
    copy("catalog");
    copy("taxonomy");
    std::fs::write(
        config.join("polywire.toml"),
        format!(
            "[store]\npath = \"{}\"\n[paths]\nsources = \"sources\"\nfeeds = \"feeds\"\ntaxonomy = \"taxonomy\"\n",
            dir.path().join("db.sqlite").display()
        ),
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_polywire");
    let run = |args: &[&str]| {
        let out = Command::new(bin)
            .args(args)
            .arg("--config")
            .arg(config.join("polywire.toml"))
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, list, err) = run(&["sources", "--catalog"]);
    assert!(ok, "{err}");
    assert!(
        list.contains("nhk-economy") && list.contains("ja") && list.contains("jp"),
        "{list}"
    );
    assert!(list.contains("disabled: "), "{list}");

    let (ok, out, err) = run(&["add", "catalog:nhk-economy", "--dry-run"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("https://www3.nhk.or.jp/rss/news/cat5.xml"),
        "{out}"
    );
    assert!(!config.join("sources/nhk-economy.toml").exists());

    let (ok, out, err) = run(&["add", "catalog:nhk-economy"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("ok (1 sources"), "{out}");
    let written = std::fs::read_to_string(config.join("sources/nhk-economy.toml")).unwrap();
    assert!(written.contains("# Documented:") && !written.contains("[catalog]"));

    let (ok, _, err) = run(&["add", "catalog:nhk-economy"]);
    assert!(!ok && err.contains("exists already"), "{err}");
    let (ok, _, err) = run(&["add", "catalog:no-such-wire"]);
    assert!(!ok && err.contains("no catalog entry"), "{err}");
}
