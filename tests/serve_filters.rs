//! Every URL filter alone and combined, named feeds narrowed by the URL,
//! RSSHub's parameters, and the 400 answers to bad parameters — against a
//! store filled with fixture stories, through the router.

mod serve_support;

use axum::http::StatusCode;
use polywire::emit::sanitize::one_line;
use polywire::normalize::script::{to_simplified, to_traditional};
use serve_support::*;
use std::collections::BTreeSet;

/// Fixture titles by index (see `serve_support::stories`), as feeds
/// print them (control characters and direction overrides removed).
fn title(i: usize) -> String {
    one_line(&stories(jiff::Timestamp::now())[i].article.title)
}

fn set(indexes: &[usize]) -> BTreeSet<String> {
    indexes.iter().map(|&i| title(i)).collect()
}

async fn titles(uri: &str) -> Vec<String> {
    let (state, _) = state();
    let reply = get(&state, uri).await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
    json_titles(&reply.body)
}

async fn title_set(uri: &str) -> BTreeSet<String> {
    titles(uri).await.into_iter().collect()
}

#[tokio::test]
async fn no_filter_gives_every_story_newest_first() {
    let got = titles("/feed.json").await;
    assert_eq!(got.len(), 10);
    assert_eq!(
        got[0],
        title(8),
        "an undated story counts from when it was first seen (now)"
    );
    assert_eq!(
        got[1],
        title(7),
        "the hostile story is the newest dated one (1 h)"
    );
    assert_eq!(got[2], title(0));
    assert_eq!(
        got.last().unwrap(),
        &title(9),
        "the 300-day-old story is last"
    );
}

#[tokio::test]
async fn region_matches_descendants_and_repeats_or() {
    // Story 4 is tagged `jp-13` and, rolled up as classification stores it, `jp`.
    assert_eq!(title_set("/feed.json?region=jp").await, set(&[4, 9]));
    assert_eq!(
        title_set("/feed.json?region=cn-yrd").await,
        set(&[0, 1, 2, 8])
    );
    assert_eq!(title_set("/feed.json?region=cn-zj").await, set(&[2]));
    assert_eq!(
        title_set("/feed.json?region=jp&region=cn-gba").await,
        set(&[3, 4, 6, 9])
    );
    assert_eq!(
        title_set("/feed.json?region=jp,cn-gba").await,
        set(&[3, 4, 6, 9]),
        "a comma list is the same as repeating"
    );
}

#[tokio::test]
async fn industry_lang_source_alone() {
    assert_eq!(
        title_set("/feed.json?industry=biomedicine").await,
        set(&[0, 1, 2])
    );
    assert_eq!(
        title_set("/feed.json?industry=esg&industry=batteries").await,
        set(&[5, 9])
    );
    assert_eq!(title_set("/feed.json?lang=ja").await, set(&[4, 9]));
    assert_eq!(title_set("/feed.json?lang=en").await, set(&[3, 6, 7]));
    assert_eq!(title_set("/feed.json?source=cna").await, set(&[1, 2]));
    assert_eq!(
        title_set("/feed.json?source=cna&source=nikkei").await,
        set(&[1, 2, 4, 9])
    );
}

#[tokio::test]
async fn different_filters_and() {
    assert_eq!(
        title_set("/feed.json?region=cn-yrd&industry=biomedicine&source=cna").await,
        set(&[1, 2])
    );
    assert_eq!(
        title_set("/feed.json?region=cn&industry=finance&lang=en").await,
        set(&[6])
    );
    assert_eq!(title_set("/feed.json?region=jp&lang=en").await, set(&[]));
}

#[tokio::test]
async fn full_text_finds_two_character_cjk_words_in_both_scripts() {
    // 医药 (Simplified) also finds 醫藥 (Traditional): the index is folded.
    assert_eq!(
        title_set("/feed.json?q=%E5%8C%BB%E8%8D%AF").await,
        set(&[0, 1, 2])
    );
    assert_eq!(title_set("/feed.json?q=醫藥").await, set(&[0, 1, 2]));
    assert_eq!(title_set("/feed.json?q=humanoid").await, set(&[3]));
    assert_eq!(
        title_set("/feed.json?q=医药&source=cna").await,
        set(&[1, 2]),
        "q ANDs with the other filters"
    );
}

#[tokio::test]
async fn script_converts_titles_and_content() {
    let (state, _) = state();
    let reply = get(&state, "/feed.json?source=chinanews&script=hant").await;
    let v: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let item = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["url"].as_str().unwrap().ends_with("10001.shtml"))
        .unwrap();
    let expected = to_traditional(&title(0));
    assert_ne!(expected, title(0));
    assert_eq!(item["title"], expected.as_str());
    assert!(item["content_html"].as_str().unwrap().contains("醫藥企業"));
    assert_eq!(item["language"], "zh-Hant");

    let got = titles("/feed.json?source=cna&script=hans").await;
    assert!(got.contains(&to_simplified(&title(2))), "{got:?}");
    assert!(!got.contains(&title(2)));
    // English is left alone.
    assert!(
        titles("/feed.json?lang=en&script=hans")
            .await
            .contains(&title(3))
    );
}

#[tokio::test]
async fn since_limit_collapse_primary() {
    let since = serve_support::ago(jiff::Timestamp::now(), 10);
    let uri = format!("/feed.json?since={}", since.strftime("%Y-%m-%dT%H:%M:%SZ"));
    let got = title_set(&uri).await;
    // Undated stories sort by when first seen (now), so they are recent.
    assert_eq!(got, set(&[0, 1, 3, 4, 7, 8]));

    assert_eq!(titles("/feed.json?limit=2").await, vec![title(8), title(7)]);

    let (state, _) = state();
    let reply = get(&state, "/feed.json?industry=biomedicine&collapse=clusters").await;
    let v: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let items = v["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        2,
        "the near-duplicate pair collapses into one item"
    );
    let pair = items
        .iter()
        .find(|i| i["url"].as_str().unwrap().ends_with("10001.shtml"))
        .expect("the earlier-stored story of the cluster stays");
    assert_eq!(pair["_polywire"]["also_from"], serde_json::json!(["cna"]));
    assert!(
        pair["content_html"]
            .as_str()
            .unwrap()
            .contains("Also reported by: cna")
    );

    assert_eq!(title_set("/feed.json?industry=ai").await, set(&[3, 7, 8]));
    assert_eq!(
        title_set("/feed.json?industry=ai&primary=true").await,
        set(&[7, 8]),
        "story 3 has `ai` only as a secondary industry"
    );
}

#[tokio::test]
async fn named_feeds_hold_their_filters_and_urls_narrow_them() {
    assert_eq!(
        title_set("/feeds/yrd-biomedicine.json").await,
        set(&[0, 1, 2])
    );
    assert_eq!(
        title_set("/feeds/yrd-biomedicine.json?region=cn-zj").await,
        set(&[2])
    );
    assert_eq!(
        title_set("/feeds/yrd-biomedicine.json?source=cna&q=抗體").await,
        set(&[2])
    );
    assert_eq!(
        title_set("/feeds/yrd-biomedicine.json?lang=en").await,
        set(&[])
    );
    assert_eq!(
        title_set("/feeds/yrd-biomedicine.json?region=jp").await,
        set(&[]),
        "a URL region outside the feed's regions narrows to nothing"
    );
    assert_eq!(title_set("/feeds/gba-technology.json").await, set(&[3]));
    assert_eq!(title_set("/feeds/japan-economy.json").await, set(&[4]));
    assert_eq!(title_set("/feeds/china-esg.json").await, set(&[5]));
    assert_eq!(title_set("/feeds/batteries.json").await, set(&[9]));
    let (state, _) = state();
    assert_eq!(
        get(&state, "/feeds/no-such-feed.rss").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&state, "/feeds/batteries.xml").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn bad_request(uri: &str, param: &str, why: &str) {
    let (state, _) = state();
    let reply = get(&state, uri).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
    assert!(
        reply.body.contains(&format!("parameter `{param}`")),
        "{uri}: {}",
        reply.body
    );
    assert!(reply.body.contains(why), "{uri}: {}", reply.body);
}

#[tokio::test]
async fn bad_parameters_get_400_naming_which_and_why() {
    bad_request("/feed.rss?colour=red", "colour", "unknown parameter").await;
    bad_request("/feed.rss?region=mars", "region", "unknown region `mars`").await;
    bad_request("/feed.rss?industry=alchemy", "industry", "unknown industry").await;
    bad_request("/feed.rss?source=nowhere", "source", "unknown source").await;
    bad_request("/feed.rss?lang=chinese", "lang", "primary language subtag").await;
    bad_request("/feed.rss?limit=0", "limit", "between 1 and 500").await;
    bad_request("/feed.rss?limit=501", "limit", "between 1 and 500").await;
    bad_request("/feed.rss?limit=ten", "limit", "not a whole number").await;
    bad_request("/feed.rss?limit=5&limit=6", "limit", "more than once").await;
    bad_request("/feed.rss?since=yesterday", "since", "RFC 3339").await;
    bad_request("/feed.rss?script=latin", "script", "`hans` or `hant`").await;
    bad_request("/feed.rss?collapse=yes", "collapse", "`clusters`").await;
    bad_request("/feed.rss?primary=maybe", "primary", "`true` or `false`").await;
    bad_request("/feed.rss?format=xml", "format", "`rss`, `atom` or `json`").await;
    bad_request("/feed.rss?opencc=s2hk", "opencc", "`s2t` or `t2s`").await;
    bad_request("/feed.rss?script=hans&opencc=s2t", "opencc", "contradicts").await;
    bad_request(
        "/feed.rss?filter=(unclosed",
        "filter",
        "bad regular expression",
    )
    .await;
    bad_request("/feed.rss?filter_time=-5", "filter_time", "seconds").await;
    bad_request(
        "/feeds/yrd-biomedicine.atom?filter_case_sensitive=perhaps",
        "filter_case_sensitive",
        "`true` or `false`",
    )
    .await;
    // A pattern whose compiled form would be huge is refused, not run.
    bad_request(
        "/feed.rss?filterout=(a%7B1000%7D)%7B1000%7D",
        "filterout",
        "bad regular expression",
    )
    .await;
}

#[tokio::test]
async fn empty_values_mean_no_filter() {
    assert_eq!(titles("/feed.json?region=&industry=&q=").await.len(), 10);
}

#[tokio::test]
async fn rsshub_filter_looks_at_title_description_author_and_category() {
    assert_eq!(
        title_set("/feed.json?filter=Shenzhen|東京").await,
        set(&[3, 4])
    );
    // description
    assert_eq!(title_set("/feed.json?filter=抗體").await, set(&[2]));
    // author
    assert_eq!(title_set("/feed.json?filter=日経太郎").await, set(&[4]));
    // category: taxonomy id and label
    assert_eq!(title_set("/feed.json?filter=^esg$").await, set(&[5]));
    // `filter` wins over the per-field forms, as in RSSHub.
    assert_eq!(
        title_set("/feed.json?filter=Shenzhen&filter_title=Tokyo").await,
        set(&[3])
    );
}

#[tokio::test]
async fn rsshub_per_field_filters_and_case_sensitivity() {
    assert_eq!(title_set("/feed.json?filter_title=fintech").await, set(&[]));
    assert_eq!(
        title_set("/feed.json?filter_title=fintech&filter_case_sensitive=false").await,
        set(&[6])
    );
    assert_eq!(
        title_set("/feed.json?filter_description=抗體").await,
        set(&[2])
    );
    assert_eq!(title_set("/feed.json?filter_author=Zhang").await, set(&[3]));
    assert_eq!(
        title_set("/feed.json?filter_category=biomedicine").await,
        set(&[0, 1, 2])
    );
    assert_eq!(
        title_set("/feed.json?filter_category=生物醫藥").await,
        set(&[1, 2]),
        "labels in the story's own script"
    );
    assert_eq!(
        title_set("/feed.json?filter_title=長三角&filter_author=王").await,
        set(&[1]),
        "per-field filters AND"
    );
}

#[tokio::test]
async fn rsshub_filterout_forms() {
    let all: BTreeSet<String> = (0..10).map(title).collect();
    let without = |drop: &[usize]| -> BTreeSet<String> {
        let drop = set(drop);
        all.difference(&drop).cloned().collect()
    };
    assert_eq!(
        title_set("/feed.json?filterout=Hong%20Kong").await,
        without(&[6])
    );
    assert_eq!(
        title_set("/feed.json?filterout=hong%20kong&filter_case_sensitive=false").await,
        without(&[6])
    );
    assert_eq!(
        title_set("/feed.json?filterout=抗體").await,
        without(&[2]),
        "description"
    );
    assert_eq!(
        title_set("/feed.json?filterout_title=長三角|长三角").await,
        without(&[0, 1])
    );
    assert_eq!(
        title_set("/feed.json?filterout_description=humanoid").await,
        without(&[3])
    );
    assert_eq!(
        title_set("/feed.json?filterout_author=Mallory").await,
        without(&[7])
    );
    assert_eq!(
        title_set("/feed.json?filterout_category=finance").await,
        without(&[2, 5, 6])
    );
}

#[tokio::test]
async fn rsshub_time_limit_sorted_opencc_format() {
    // Published within 10 hours; undated stories are kept, as in RSSHub.
    assert_eq!(
        title_set("/feed.json?filter_time=36000").await,
        set(&[0, 1, 3, 4, 7, 8])
    );
    assert_eq!(
        titles("/feed.json?filter_title=长三角|長三角&limit=1").await,
        vec![title(0)]
    );
    // sorted=false: the order polywire met the stories in, latest first.
    assert_eq!(titles("/feed.json?sorted=false").await[0], title(9));
    assert_eq!(titles("/feed.json?sorted=true").await[0], title(8));

    let got = titles("/feed.json?source=chinanews&opencc=s2t").await;
    assert!(got.contains(&to_traditional(&title(5))), "{got:?}");
    let got = titles("/feed.json?source=cna&opencc=t2s").await;
    assert!(got.contains(&to_simplified(&title(1))), "{got:?}");

    let (state, _) = state();
    let reply = get(&state, "/feed.rss?format=atom").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    assert!(
        reply
            .body
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"")
    );
    let reply = get(&state, "/feed?format=json").await;
    assert_eq!(
        reply.headers["content-type"],
        "application/feed+json; charset=utf-8"
    );
}

/// `lang=zh-Hans`/`zh-Hant` filter on the story's script (issue 19, item 8).
#[tokio::test]
async fn a_chinese_script_tag_filters_by_the_story_script() {
    assert_eq!(title_set("/feed.json?lang=zh-Hant").await, set(&[1, 2]));
    assert_eq!(title_set("/feed.json?lang=zh-hans").await, set(&[0, 5, 8]));
    assert_eq!(
        title_set("/feed.json?lang=zh-Hant&lang=ja").await,
        set(&[1, 2, 4, 9]),
        "a script tag narrows Chinese only, not the other languages asked for"
    );
    // `script=` converts and keeps every story.
    assert_eq!(
        titles("/feed.json?lang=zh&script=hant").await.len(),
        titles("/feed.json?lang=zh").await.len()
    );
    // The command line parses the same way.
    let (config, taxonomy) = config();
    let pairs = [("lang".to_string(), "zh-Hant".to_string())];
    let params = polywire::serve::params::FeedParams::from_pairs(&pairs, &config, &taxonomy)
        .expect("zh-Hant is a valid language filter");
    assert_eq!(params.langs, ["zh"]);
    assert_eq!(params.scripts, [polywire::model::Script::Hant]);
    // Plain `zh` beside it asks for Chinese in either script.
    assert_eq!(
        title_set("/feed.json?lang=zh-Hant&lang=zh").await,
        title_set("/feed.json?lang=zh").await
    );
}

/// The option values of one `<select>` of the index page.
fn menu_values(page: &str, name: &str) -> Vec<String> {
    let menu = page
        .split(&format!("name=\"{name}\""))
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .unwrap_or_else(|| panic!("no {name} menu in {page}"));
    menu.split("<option value=\"")
        .skip(1)
        .filter_map(|o| o.split('"').next())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every value the index page's form offers is accepted and matches a
/// stored story; the menus are what the store holds (issue 19, item 8).
#[tokio::test]
async fn every_value_the_index_form_offers_is_valid_and_held() {
    let (state, _) = state();
    let page = get(&state, "/").await.body;
    let langs = menu_values(&page, "lang");
    for held in ["en", "ja", "zh", "zh-Hans", "zh-Hant"] {
        assert!(langs.iter().any(|l| l == held), "{held} missing: {langs:?}");
    }
    assert!(
        !langs.iter().any(|l| l == "ko"),
        "no Korean story is stored: {langs:?}"
    );
    let stored: BTreeSet<String> = stories(jiff::Timestamp::now())
        .iter()
        .flat_map(|f| f.tags.industries.iter().map(|t| t.id.clone()))
        .collect();
    let (_, taxonomy) = config();
    assert!(stored.len() < taxonomy.industry_ids().count());
    assert_eq!(
        menu_values(&page, "industry")
            .into_iter()
            .collect::<BTreeSet<_>>(),
        stored,
        "the industry menu lists the industries of stored stories"
    );
    for name in ["region", "industry", "lang", "source", "script"] {
        let values = menu_values(&page, name);
        assert!(!values.is_empty(), "empty {name} menu");
        for value in values {
            let uri = format!("/?{name}={value}");
            let reply = get(&state, &uri).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
            let feed = get(&state, &format!("/feed.json?{name}={value}")).await;
            assert!(
                !json_titles(&feed.body).is_empty(),
                "{name}={value} is offered but matches no story"
            );
        }
    }
}
