//! `polywire reprocess`: a taxonomy change re-tags stored stories without
//! fetching anything (issue 19, item 3).

mod support;

use polywire::classify::Taxonomy;
use polywire::classify::taxonomy::TagDef;
use polywire::store::Store;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use support::{TestConfig, WireServer, fixture, wire_sources};
use tokio_util::sync::CancellationToken;

fn tag(id: &str, lang: &str, names: &[&str]) -> TagDef {
    TagDef {
        id: id.into(),
        names: BTreeMap::from([(
            lang.to_string(),
            names.iter().map(|n| n.to_string()).collect(),
        )]),
        ..TagDef::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_taxonomy_retags_stored_stories_without_fetching() {
    let wire = WireServer::start(fixture("wire")).await;
    let config = TestConfig::new(&wire_sources(&wire.base));
    let loaded = polywire::app::load(&config.path).unwrap_or_else(|e| panic!("{e}"));
    {
        let store = Store::open(&config.db()).unwrap();
        let pipeline = polywire::app::pipeline(&loaded, Arc::new(Mutex::new(store))).unwrap();
        for source in &loaded.config.sources {
            pipeline.run_source(source, &CancellationToken::new()).await;
        }
    }
    let requests = wire.total();
    let url = format!("{}/articles/a1.html", wire.base);
    let mut store = Store::open(&config.db()).unwrap();
    let before = store.get_by_url(&url).unwrap().expect("a1 stored");
    assert!(!before.industries.iter().any(|t| t.id == "biopharma-test"));

    // A taxonomy with one industry the story's text names.
    let taxonomy = Taxonomy::from_defs(
        vec![tag("cn", "zh-Hans", &["中国"])],
        vec![tag("biopharma-test", "zh-Hans", &["生物医药"])],
    );
    let done = polywire::reprocess::retag(&mut store, &taxonomy, Some("cns")).unwrap();
    assert!(done.seen >= 1 && done.changed >= 1, "{done:?}");
    let after = store.get_by_url(&url).unwrap().unwrap();
    assert_eq!(
        after
            .industries
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>(),
        ["biopharma-test"],
        "{:?}",
        after.industries
    );
    // Other sources' stories were left alone, and nothing was fetched.
    let other = store.story_ids(Some("xinhua")).unwrap();
    let xinhua = store.load_stories(&other).unwrap();
    assert!(
        xinhua
            .iter()
            .all(|s| !s.industries.iter().any(|t| t.id == "biopharma-test"))
    );
    assert_eq!(wire.total(), requests);
}
