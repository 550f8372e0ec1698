//! Tag labels are looked up per kind: the region `ai` is Anguilla, the
//! industry `ai` artificial intelligence (issue 19, item 9).

mod serve_support;

use polywire::classify::Taxonomy;
use polywire::classify::taxonomy::TagDef;
use polywire::model::{Article, Classification, Tag};
use polywire::serve::AppState;
use serve_support::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

fn tag(id: &str, name: &str) -> TagDef {
    TagDef {
        id: id.into(),
        names: BTreeMap::from([("en".to_string(), vec![name.to_string()])]),
        ..TagDef::default()
    }
}

#[tokio::test]
async fn the_index_menus_label_each_kind_on_its_own() {
    let (config, _) = config();
    let taxonomy = Taxonomy::from_defs(
        vec![tag("ai", "Anguilla"), tag("jp", "Japan")],
        vec![tag("ai", "artificial intelligence")],
    );
    let (mut store, _) = filled_store(jiff::Timestamp::now());
    // Menus offer tags that stored stories carry: one story in Anguilla
    // about artificial intelligence.
    let ai = |id: &str| Tag {
        id: id.into(),
        score: 0.9,
        primary: true,
        evidence: Vec::new(),
    };
    let article = Article {
        url: "https://www.example.com/anguilla-ai".into(),
        source: "xinhua-en".into(),
        title: "Anguilla earns from its .ai domain".into(),
        lang: "en".into(),
        ..Article::default()
    };
    let tags = Classification {
        regions: vec![ai("ai")],
        industries: vec![ai("ai")],
        dateline_region: None,
    };
    store.upsert(&article, &tags, None).expect("upsert");
    let state = AppState::with_shared_store(config, taxonomy, Arc::new(Mutex::new(store)));
    let page = get(&state, "/").await;
    let body = page.body;
    let region_menu = body
        .split("name=\"region\"")
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .unwrap_or_else(|| panic!("no region menu in {body}"));
    assert!(region_menu.contains("Anguilla (ai)"), "{region_menu}");
    assert!(
        !region_menu.contains("artificial intelligence"),
        "{region_menu}"
    );
    let industry_menu = body
        .split("name=\"industry\"")
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .unwrap();
    assert!(
        industry_menu.contains("artificial intelligence (ai)"),
        "{industry_menu}"
    );
}
