//! ninjs out: `/feed.ninjs` and `/feeds/{name}.ninjs` give the same stories
//! as the other formats for the same filters, each object valid against
//! IPTC's published ninjs 2.2 schema (vendored with its license in
//! `tests/fixtures/ninjs/`).

mod serve_support;

use axum::http::StatusCode;
use polywire::serve::AppState;
use serde_json::{Value, json};
use serve_support::*;

/// The schema refers to GeoJSON's schema by URL for `places[].geojson`,
/// which polywire never writes. Tests do not touch the network, so that
/// one reference resolves to the empty schema; every other is refused.
struct GeoJsonOnly;

impl jsonschema::Retrieve for GeoJsonOnly {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri
            .as_str()
            .starts_with("https://geojson.org/schema/GeoJSON.json")
        {
            Ok(json!({}))
        } else {
            Err(format!("no network in tests: {uri}").into())
        }
    }
}

fn validator() -> jsonschema::Validator {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ninjs/ninjs-schema_2.2.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_retriever(GeoJsonOnly)
        .build(&schema)
        .expect("the ninjs 2.2 schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, objects: &[Value], what: &str) {
    for object in objects {
        let errors: Vec<String> = validator
            .iter_errors(object)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{what}: {errors:#?}\n{object:#}");
    }
}

async fn ninjs(state: &AppState, uri: &str) -> Vec<Value> {
    let reply = get(state, uri).await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
    assert_eq!(
        reply.headers["content-type"],
        "application/json; charset=utf-8"
    );
    let parsed: Value = serde_json::from_str(&reply.body).expect("ninjs parses");
    parsed.as_array().expect("a JSON array").clone()
}

async fn json_feed_ids(state: &AppState, uri: &str) -> Vec<String> {
    let body = get(state, uri).await.body;
    let v: Value = serde_json::from_str(&body).unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn uris(objects: &[Value]) -> Vec<String> {
    objects
        .iter()
        .map(|o| o["uri"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn every_object_is_valid_ninjs_2_2_for_the_same_filters() {
    let (state, _) = state();
    let validator = validator();
    for (ninjs_uri, json_uri) in [
        ("/feed.ninjs", "/feed.json"),
        ("/feed.ninjs?region=cn-gba", "/feed.json?region=cn-gba"),
        (
            "/feed.ninjs?industry=semiconductors&lang=zh",
            "/feed.json?industry=semiconductors&lang=zh",
        ),
        ("/feeds/gba-technology.ninjs", "/feeds/gba-technology.json"),
        (
            "/feeds/yrd-biomedicine.ninjs",
            "/feeds/yrd-biomedicine.json",
        ),
        ("/feed?format=ninjs", "/feed.json"),
    ] {
        let objects = ninjs(&state, ninjs_uri).await;
        assert_valid(&validator, &objects, ninjs_uri);
        assert_eq!(
            uris(&objects),
            json_feed_ids(&state, json_uri).await,
            "{ninjs_uri} holds the stories of {json_uri}, in order"
        );
    }
    assert!(!ninjs(&state, "/feed.ninjs").await.is_empty());
}

#[tokio::test]
async fn objects_carry_the_story_and_its_tags() {
    let (state, _) = state();
    let objects = ninjs(&state, "/feed.ninjs?region=cn-gba").await;
    let feed: Value =
        serde_json::from_str(&get(&state, "/feed.json?region=cn-gba").await.body).unwrap();
    let items = feed["items"].as_array().unwrap();
    assert!(!objects.is_empty());
    for (object, item) in objects.iter().zip(items) {
        assert_eq!(object["headlines"][0]["value"], item["title"]);
        assert_eq!(object["bodies"][0]["value"], item["content_html"]);
        assert_eq!(object["bodies"][0]["contenttype"], "text/html");
        assert_eq!(object["language"], item["language"]);
        assert_eq!(object["versioncreated"], item["date_modified"]);
        let altids = object["altids"].as_array().unwrap();
        assert!(altids.contains(&json!({"role": "url", "value": item["url"]})));
        assert!(altids.contains(&json!({"role": "source", "value": item["_polywire"]["source"]})));
        let places: Vec<&Value> = object["places"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["literal"])
            .collect();
        assert!(places.contains(&&json!("cn-gba")), "{places:?}");
        let regions: Vec<&Value> = item["_polywire"]["regions"]
            .as_array()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(places, regions);
        let primary = object["places"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["rel"] == "primary")
            .count();
        assert!(primary <= 1);
        assert_eq!(object["standard"]["version"], "2.2");
    }
}

#[tokio::test]
async fn hostile_stories_stay_inert_and_valid() {
    let (state, _) = state();
    let objects = ninjs(&state, "/feed.ninjs?filter_author=Mallory").await;
    assert_eq!(objects.len(), 1);
    assert_valid(&validator(), &objects, "hostile");
    let body = objects[0]["bodies"][0]["value"].as_str().unwrap();
    assert!(!body.contains("<script"), "{body}");
    assert!(
        body.contains("&lt;script&gt;"),
        "markup kept as text: {body}"
    );
    let title = objects[0]["headlines"][0]["value"].as_str().unwrap();
    assert!(
        !title.contains('\u{202e}') && !title.contains('\0'),
        "{title:?}"
    );
}

/// The validator is not vacuous: what the schema forbids is caught.
#[test]
fn the_schema_rejects_what_ninjs_forbids() {
    let validator = validator();
    let good = json!({"uri": "tag:feeds.polywire.test,2026:story/1", "type": "text"});
    assert!(validator.is_valid(&good));
    for bad in [
        json!({"type": "text"}),
        json!({"uri": "tag:x,2026:1", "_polywire": {}}),
        json!({"uri": "tag:x,2026:1", "versioncreated": "yesterday"}),
        json!({"uri": "tag:x,2026:1", "headlines": [{"role": "main"}]}),
        json!({"uri": "tag:x,2026:1", "type": "article"}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
}

/// What polywire writes, polywire's own ninjs reader reads back.
#[tokio::test]
async fn ninjs_out_reads_back_in() {
    let (state, _) = state();
    let body = get(&state, "/feed.ninjs?region=cn-gba").await.body;
    let objects: Vec<Value> = serde_json::from_str(&body).unwrap();
    let items = polywire::extract::iptc::ninjs::parse(&body, &jiff::tz::TimeZone::UTC).unwrap();
    assert_eq!(items.len(), objects.len());
    for (item, object) in items.iter().zip(&objects) {
        assert_eq!(
            item.headline.as_deref(),
            object["headlines"][0]["value"].as_str()
        );
        let url = object["altids"][0]["value"].as_str();
        assert_eq!(item.link.as_deref(), url);
    }
}
