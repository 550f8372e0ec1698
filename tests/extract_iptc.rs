//! Agency formats in: NewsML-G2, ninjs 1.x/2.x and NITF documents, read on
//! their own, classified through their subject codes, and fetched by the
//! pipeline as a single document, a feed of documents and a folder.
//!
//! The fixtures under `tests/fixtures/iptc/` are written for these tests in
//! the shape of IPTC's published examples.

mod support;

use polywire::config::IndexKind;
use polywire::extract::iptc::{self, IptcDocument, IptcFormat};
use polywire::model::{Field, IndexEntry, RawDocument};
use polywire::store::Store;
use std::sync::{Arc, Mutex};
use support::{TestConfig, WireServer, fixture, repo_config};
use tokio_util::sync::CancellationToken;

fn doc(rel: &str, url: &str) -> RawDocument {
    let text = std::fs::read_to_string(fixture(&format!("iptc/{rel}"))).unwrap();
    RawDocument {
        url: url::Url::parse(url).unwrap(),
        content_type: None,
        text,
        charset: "UTF-8",
        fetched_at: jiff::Timestamp::UNIX_EPOCH,
    }
}

fn entries(rel: &str, kind: IndexKind) -> Vec<IndexEntry> {
    let doc = doc(rel, "https://agency.example/delivery/doc");
    polywire::extract::parse_index(&doc, kind, None, "Asia/Shanghai").unwrap()
}

fn ts(text: &str) -> Option<jiff::Timestamp> {
    Some(text.parse().unwrap())
}

fn has(list: &[String], value: &str) -> bool {
    list.iter().any(|v| v == value)
}

#[test]
fn newsml_news_item_maps_every_field() {
    let got = entries("newsml_item.xml", IndexKind::Newsml);
    assert_eq!(got.len(), 1);
    let e = &got[0];
    assert_eq!(
        e.title.as_deref(),
        Some("Zhejiang chip exports climb as central bank eases credit")
    );
    assert_eq!(
        e.url,
        "https://wire.polywire.test/en/2026/12/07/chip-exports.html"
    );
    assert_eq!(
        e.id.as_deref(),
        Some("urn:newsml:polywire.test:20261207:chipexports")
    );
    assert_eq!(e.published, ts("2026-12-07T02:15:00Z"));
    assert_eq!(e.updated, ts("2026-12-07T02:20:00Z"));
    assert_eq!(e.authors, ["Li Wei"]);
    assert_eq!(e.lang.as_deref(), Some("en-GB"));
    for category in [
        "subj:04003004",
        "medtop:20000350",
        "iso3166-1a2:CN",
        "iso3166-2:CN-ZJ",
        "Hangzhou",
        "CHINA-CHIPS/EXPORTS",
    ] {
        assert!(
            has(&e.categories, category),
            "{category}: {:?}",
            e.categories
        );
    }
    let body = e.content_html.as_deref().unwrap();
    assert!(
        body.contains("<p>HANGZHOU, Dec 7 -- Chip exports from Zhejiang"),
        "{body}"
    );
    assert!(body.contains("reserve requirement ratio"), "{body}");
    assert_eq!(
        e.summary_html.as_deref(),
        Some("Chip exports from Zhejiang rose 18 percent in November.")
    );
}

#[test]
fn newsml_message_gives_each_item_keyed_by_its_guid() {
    let got = entries("newsml_message.xml", IndexKind::Newsml);
    assert_eq!(got.len(), 2);
    assert_eq!(
        got[0].url,
        "https://agency.example/delivery/doc?guid=urn%3Anewsml%3Apolywire.test%3A20261207%3Aports"
    );
    assert_ne!(got[0].url, got[1].url);
    // An XHTML body and a plain-text `inlineData` body.
    assert!(
        got[0]
            .content_html
            .as_deref()
            .unwrap()
            .contains("SINGAPORE, Dec 7 -- Container throughput")
    );
    let rice = got[1].content_html.as_deref().unwrap();
    assert!(
        rice.contains("<p>The rice harvest in Thailand beat forecasts.</p><p>Exporters"),
        "{rice}"
    );
    assert!(has(&got[0].categories, "subj:04015004"));
}

#[test]
fn newsml_package_gives_its_item_links() {
    let doc = doc(
        "newsml_package.xml",
        "https://agency.example/delivery/pkg.xml",
    );
    let zone = jiff::tz::TimeZone::UTC;
    let IptcDocument::Links(links) = iptc::read(&doc, IptcFormat::NewsMl, &zone).unwrap() else {
        panic!("a package references its items");
    };
    assert_eq!(
        links,
        [
            "https://agency.example/delivery/item-chips.xml",
            "https://wire.polywire.test/g2/ports.xml"
        ]
    );
    // As an index of its own it carries no story.
    assert!(entries("newsml_package.xml", IndexKind::Newsml).is_empty());
}

#[test]
fn nitf_maps_head_and_body() {
    let got = entries("story.nitf.xml", IndexKind::Nitf);
    assert_eq!(got.len(), 1);
    let e = &got[0];
    assert_eq!(
        e.title.as_deref(),
        Some("Battery maker opens $2 billion plant in Chengdu")
    );
    assert_eq!(e.id.as_deref(), Some("POLYWIRE-20261207-0042"));
    assert_eq!(
        e.url,
        "https://wire.polywire.test/en/2026/12/07/chengdu-battery.html"
    );
    // `date.issue` in ISO 8601 basic form with an offset.
    assert_eq!(e.published, ts("2026-12-07T01:15:00Z"));
    assert_eq!(e.authors, ["Zhang Min"]);
    assert_eq!(e.lang.as_deref(), Some("en-US"));
    for category in [
        "subj:04011002",
        "automotive equipment",
        "iso3166-1a2:CN",
        "Chengdu",
        "CHINA-BATTERIES/CHENGDU",
    ] {
        assert!(
            has(&e.categories, category),
            "{category}: {:?}",
            e.categories
        );
    }
    let body = e.content_html.as_deref().unwrap();
    assert!(
        body.contains("CHENGDU, Dec. 7 -- A Chinese battery maker"),
        "{body}"
    );
    assert!(
        !body.contains("Reporting by"),
        "body.end is not body: {body}"
    );
    assert_eq!(
        e.summary_html.as_deref(),
        Some("A battery maker opened a plant in Chengdu on Monday.")
    );
}

#[test]
fn ninjs_1_and_2_read_alike() {
    let one = entries("ninjs1.json", IndexKind::Ninjs);
    assert_eq!(one.len(), 1);
    let e = &one[0];
    assert_eq!(
        e.title.as_deref(),
        Some("Osaka robot maker doubles factory output")
    );
    assert_eq!(
        e.url,
        "http://wire.polywire.test/ninjs/2026/12/07/robots-osaka"
    );
    assert_eq!(e.authors, ["Sato Kenji"]);
    assert_eq!(e.published, ts("2026-12-07T02:00:00Z"));
    // 1.x: a code with its scheme URI, and a code written as a qcode.
    for category in [
        "subj:04011009",
        "iso3166-1a2:JP",
        "iso3166-2:JP-27",
        "Osaka",
    ] {
        assert!(
            has(&e.categories, category),
            "{category}: {:?}",
            e.categories
        );
    }
    // The body already opens with the dateline: not written twice.
    let body = e.content_html.as_deref().unwrap();
    assert_eq!(body.matches("OSAKA").count(), 1, "{body}");

    let two = entries("ninjs2.json", IndexKind::Ninjs);
    assert_eq!(
        two.len(),
        2,
        "an item with a wrongly typed field still counts"
    );
    let e = &two[0];
    assert_eq!(
        e.title.as_deref(),
        Some("한국은행, 기준금리 동결"),
        "the main headline"
    );
    assert_eq!(e.authors, ["김민수"]);
    assert_eq!(e.lang.as_deref(), Some("ko"));
    for category in [
        "medtop:20000350",
        "subj:04008009",
        "iso3166-1a2:KR",
        "KOREA-RATES/",
    ] {
        assert!(
            has(&e.categories, category),
            "{category}: {:?}",
            e.categories
        );
    }
    assert_eq!(
        e.content_html.as_deref(),
        Some("<p>한국은행은 7일 기준금리를 연 3.0%로 동결했다.</p><p>시장은 동결을 예상했다.</p>")
    );
    assert_eq!(two[1].title, None);
    assert_eq!(two[1].content_html.as_deref(), Some("<p>Body only.</p>"));
}

#[test]
fn hostile_documents_are_errors_not_panics() {
    let zone = jiff::tz::TimeZone::UTC;
    let url = "https://agency.example/x";
    for text in [
        "",
        "null",
        "[1, 2, 3]",
        "{\"uri\": ",
        "<newsItem><contentMeta><headline>",
        "<nitf><head><docdata><date.issue norm=\"99999999T999999+9999\"/>",
        &"<newsItem>".repeat(10_000),
        &"[".repeat(100_000),
        "plain text, not a document",
        "<!doctypé html>",
        "<htmé",
        "<nitf><head><docdata><date.issue norm=\"20261207T12345é\"/></docdata></head></nitf>",
        "{\"uri\": \"x\", \"firstcreated\": \"20261207T10150é\", \"headlines\": [{\"value\": 1}]}",
    ] {
        let doc = RawDocument {
            url: url::Url::parse(url).unwrap(),
            content_type: Some("application/octet-stream".into()),
            text: text.to_string(),
            charset: "UTF-8",
            fetched_at: jiff::Timestamp::UNIX_EPOCH,
        };
        for format in [IptcFormat::NewsMl, IptcFormat::Ninjs, IptcFormat::Nitf] {
            // Either an error or a (possibly empty) reading; never a panic.
            if let Ok(IptcDocument::Items(items)) = iptc::read(&doc, format, &zone) {
                for item in items {
                    let _ = item.into_entry(&doc.url);
                }
            }
        }
    }
}

/// Codes the text never mentions still tag the story, and `inspect` names
/// the code as the evidence.
#[test]
fn subject_codes_tag_and_explain() {
    let taxonomy = polywire::classify::Taxonomy::load(&repo_config().join("taxonomy")).unwrap();
    let bytes = std::fs::read(fixture("iptc/story.nitf.xml")).unwrap();
    let options = polywire::inspect::InspectOptions {
        source: None,
        url: None,
        fetched_at: "2026-12-07T03:00:00Z".parse().unwrap(),
    };
    let out = polywire::inspect::inspect_bytes(&bytes, &options, &taxonomy);
    assert_eq!(out.len(), 1);
    let industries = out[0]["industries"].as_array().unwrap();
    let energy = industries
        .iter()
        .find(|t| t["id"] == "energy")
        .unwrap_or_else(|| panic!("subj:04005010 gives energy: {industries:?}"));
    let evidence = energy["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 1, "{evidence:?}");
    assert_eq!(evidence[0]["alias"], "subj:04005010");
    assert_eq!(evidence[0]["field"], "subject");

    // The place the story was filed from is evidence for its region.
    let regions = out[0]["regions"].as_array().unwrap();
    let chengdu = regions
        .iter()
        .find(|t| t["id"] == "cn-sc-chengdu")
        .unwrap_or_else(|| panic!("{regions:?}"));
    assert!(
        chengdu["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["alias"] == "located:Chengdu" && e["field"] == "subject"),
        "{chengdu:?}"
    );

    // Without the codes the text alone does not give energy.
    let plain = String::from_utf8(bytes)
        .unwrap()
        .replace("tobject.subject.refnum=\"04005010\"", "");
    let out = polywire::inspect::inspect_bytes(plain.as_bytes(), &options, &taxonomy);
    assert!(
        !out[0]["industries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == "energy"),
        "{:?}",
        out[0]["industries"]
    );
    let _ = Field::Subject;
}

fn agency_sources(base: &str) -> Vec<(&'static str, String)> {
    let source = |id: &str, kind: &str, url: &str| {
        format!(
            "id = \"{id}\"\nname = \"{id}\"\nlanguage = \"en\"\ntimezone = \"Asia/Shanghai\"\n\
             schedule = \"0 */15 * * * *\"\n[index]\nkind = \"{kind}\"\nurl = \"{base}/{url}\"\n"
        )
    };
    vec![
        ("g2", source("g2", "newsml", "g2.atom")),
        ("ninjs", source("ninjs", "ninjs", "folder/index.html")),
        ("nitf", source("nitf", "nitf", "story.nitf.xml")),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipeline_reads_a_document_a_feed_and_a_folder() {
    let wire = WireServer::start(fixture("iptc/wire")).await;
    let config = TestConfig::new(&agency_sources(&wire.base));
    let loaded = polywire::app::load(&config.path).unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(&config.db()).unwrap();
    let pipeline = polywire::app::pipeline(&loaded, Arc::new(Mutex::new(store))).unwrap();
    let shutdown = CancellationToken::new();
    let mut new = std::collections::HashMap::new();
    for source in &loaded.config.sources {
        let report = pipeline.run_source(source, &shutdown).await;
        assert_eq!(report.status, "ok", "{report:?}");
        new.insert(source.id.clone(), report.new);
    }
    // The feed: one newsItem, a newsMessage of two, and a missing document.
    assert_eq!(new["g2"], 3, "{new:?}");
    assert_eq!(new["ninjs"], 3, "{new:?}");
    assert_eq!(new["nitf"], 1, "{new:?}");
    assert_eq!(wire.hits("g2-missing.xml"), 1);
    assert_eq!(
        wire.hits("folder/README.txt"),
        0,
        "only documents are followed"
    );

    let store = Store::open(&config.db()).unwrap();
    let chips = store
        .get_by_url("https://wire.polywire.test/en/2026/12/07/chip-exports.html")
        .unwrap()
        .expect("newsItem stored under its web link");
    let industries: Vec<&str> = chips.industries.iter().map(|t| t.id.as_str()).collect();
    assert!(industries.contains(&"semiconductors"), "{industries:?}");
    let regions: Vec<&str> = chips.regions.iter().map(|t| t.id.as_str()).collect();
    assert!(regions.contains(&"cn-zj"), "{regions:?}");
    assert_eq!(chips.article.authors, ["Li Wei"]);

    let seoul = store
        .get_by_url(&format!(
            "{}/folder/0002-seoul.json?guid=urn%3Apolywire.test%3Aninjs%3A20261207%3Aseoul-banks",
            wire.base
        ))
        .unwrap()
        .expect("ninjs item without a web link keyed by document and uri");
    let regions: Vec<&str> = seoul.regions.iter().map(|t| t.id.as_str()).collect();
    assert!(regions.contains(&"kr"), "{regions:?}");
}
