//! Article extraction on small hand-made pages: boilerplate removal, ruby,
//! metadata, per-source selectors, and hostile input.

use polywire::config::ArticleSelectors;
use polywire::extract::article::extract;
use polywire::model::ExtractedArticle;
use proptest::prelude::*;
use std::path::Path;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/articles")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run(name: &str, url: &str, tz: &str) -> ExtractedArticle {
    extract(&fixture(name), &url::Url::parse(url).unwrap(), None, tz)
}

#[test]
fn chinese_page_keeps_the_story_and_drops_navigation_share_related_and_comments() {
    let article = run(
        "boilerplate.html",
        "https://news.example.cn/a/2025/1223/1.html",
        "Asia/Shanghai",
    );
    let body = article.body.join("\n");
    assert_eq!(article.title, "长三角生物医药产业联盟在杭州成立");
    assert_eq!(article.body.len(), 4, "{:#?}", article.body);
    assert!(body.starts_with("本报杭州12月23日电"), "{body}");
    assert!(body.contains("设立总规模五十亿元的产业基金"));
    assert!(body.contains("具有全球竞争力的生物医药产业集群"));
    for junk in [
        "首页",
        "当前位置",
        "分享到",
        "相关新闻",
        "上海发布生物医药",
        "网友评论",
        "热点排行",
        "版权所有",
        "二维码",
    ] {
        assert!(!body.contains(junk), "boilerplate {junk:?} left in {body}");
    }
    assert_eq!(article.captions, ["联盟成立仪式现场。记者 王某 摄"]);
    assert_eq!(
        article.published.unwrap().to_string(),
        "2025-12-23T02:05:00Z"
    );
    assert_eq!(
        article.image.as_deref(),
        Some("https://news.example.cn/img/2025/1223/lm.jpg")
    );
    assert_eq!(article.lang.as_deref(), Some("zh-CN"));
}

#[test]
fn ruby_keeps_only_its_base_text() {
    let article = run(
        "ruby.html",
        "https://www3.nhk.or.jp/news/easy/k1/k1.html",
        "Asia/Tokyo",
    );
    assert_eq!(article.title, "大雨で電車が止まる");
    let body = article.body.join("\n");
    assert!(
        body.starts_with("東京などでは昨日の夜から強い雨が降りました。"),
        "{body}"
    );
    assert!(body.contains("天気の情報をよく見てください。"), "{body}");
    for reading in ["とうきょう", "きのう", "でんしゃ", "(", "きしょうちょう"] {
        assert!(!body.contains(reading), "reading {reading:?} in {body}");
    }
    assert!(!body.contains("Copyright"), "{body}");
    assert!(!body.contains("ニュース一覧"), "{body}");
}

#[test]
fn metadata_comes_from_json_ld_canonical_and_og_tags() {
    let article = run(
        "metadata.html",
        "https://wire.example.org/news/2025/12/23/port-strike?utm_campaign=x",
        "UTC",
    );
    assert_eq!(
        article.title,
        "Port strike halts container traffic in Rotterdam"
    );
    assert_eq!(
        article.url,
        "https://wire.example.org/news/2025/12/23/port-strike?id=42"
    );
    assert_eq!(
        article.published.unwrap().to_string(),
        "2025-12-23T09:05:00Z"
    );
    assert_eq!(article.updated.unwrap().to_string(), "2025-12-23T11:30:00Z");
    assert_eq!(article.authors, ["Anna de Vries", "Tom Baker"]);
    assert_eq!(
        article.image.as_deref(),
        Some("https://cdn.example.org/img/port.jpg")
    );
    assert_eq!(article.lang.as_deref(), Some("en-GB"));
    assert_eq!(
        article.summary.as_deref(),
        Some("Dock workers walked out on Tuesday.")
    );
    assert_eq!(article.categories, ["Business"]);
    assert_eq!(
        article.captions,
        ["Cranes stand idle at the Maasvlakte terminal. REUTERS/Photographer"]
    );
    let body = article.body.join("\n");
    assert!(body.starts_with("ROTTERDAM, Dec 23"), "{body}");
    assert!(
        body.contains("\nTalks to resume\n"),
        "headings stay in the body: {body}"
    );
    assert!(body.ends_with("once work resumes."), "{body}");
    for junk in ["Share on", "Related", "Hamburg port", "Privacy", "World"] {
        assert!(!body.contains(junk), "boilerplate {junk:?} left in {body}");
    }
}

#[test]
fn source_selectors_win_and_the_rest_falls_back() {
    let selectors: ArticleSelectors = toml::from_str(
        r##"
        body = "#zoom"
        published = ".info"
        remove = [".pic", ".editor"]
        "##,
    )
    .unwrap();
    let page = fixture("boilerplate.html");
    let url = url::Url::parse("https://news.example.cn/a/1.html").unwrap();
    let article = extract(&page, &url, Some(&selectors), "Asia/Shanghai");
    assert_eq!(article.body.len(), 3, "{:#?}", article.body);
    assert!(article.captions.is_empty(), "removed by the source's rule");
    assert!(!article.body.join("").contains("责任编辑"));
    // No title selector: the generic title is used.
    assert_eq!(article.title, "长三角生物医药产业联盟在杭州成立");
    assert_eq!(
        article.published.unwrap().to_string(),
        "2025-12-23T02:05:00Z"
    );
}

#[test]
fn empty_and_broken_pages_give_an_empty_story() {
    let url = url::Url::parse("https://example.com/").unwrap();
    for page in [
        "",
        "<",
        "<html><body>",
        "<p>unclosed <b>bold <i>italic",
        "\u{0}\u{feff}<<<>>>",
    ] {
        let article = extract(page, &url, None, "Not/AZone");
        assert!(
            article.body.join("").len() < 40,
            "{page:?} → {:?}",
            article.body
        );
        assert_eq!(article.url, "https://example.com/");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Whatever the markup, the built-in parser's arena is a tree in
    /// preorder: parents come first and hold their children's subtrees.
    #[test]
    fn parsed_pages_are_well_formed_preorder_trees(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("<p>"), Just("</p>"), Just("<div>"), Just("</div>"), Just("<li>"), Just("<ul>"),
                Just("</ul>"), Just("<table><tr><td>"), Just("<td>"), Just("</table>"), Just("<a href=x>"),
                Just("</a>"), Just("<svg><g>"), Just("</svg>"), Just("<script>"), Just("</script>"),
                Just("<b>"), Just("</b>"), Just("<body>"), Just("<head>"), Just("<!--"), Just("-->"),
                Just("<h2>"), Just("<option>"), Just("<ruby>x<rt>y"), Just("&amp;"), Just("<"), Just("text"),
            ],
            0..80,
        )
    ) {
        let page = parts.concat();
        let nodes = polywire::extract::article::parse::parse(&page).nodes;
        prop_assert!(!nodes.is_empty() && nodes[0].parent.is_none() && nodes[0].end == nodes.len());
        for (i, node) in nodes.iter().enumerate().skip(1) {
            let parent = node.parent.expect("only the root has no parent");
            prop_assert!(parent < i && node.end > i && node.end <= nodes[parent].end);
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(page in any::<String>(), tz in "[A-Za-z/_]{0,20}") {
        let url = url::Url::parse("https://example.com/a?utm_source=x").unwrap();
        let article = extract(&page, &url, None, &tz);
        prop_assert!(article.body.iter().all(|p| !p.trim().is_empty()));
    }

    #[test]
    fn arbitrary_tag_soup_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("<p>".to_string()), Just("</p>".to_string()), Just("<div class=\"share\">".to_string()),
                Just("<ruby>".to_string()), Just("<rt>".to_string()), Just("<br>".to_string()),
                Just("<a href=\"x\">".to_string()), Just("</a>".to_string()), Just("<figcaption>".to_string()),
                Just("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":".to_string()),
                Just("<time datetime=\"2025-99-99\">".to_string()), Just("<meta property=\"og:title\" content=\"".to_string()),
                "[\\PC]{0,40}",
            ],
            0..60,
        )
    ) {
        let page = parts.concat();
        let url = url::Url::parse("https://example.com/").unwrap();
        let _ = extract(&page, &url, None, "Asia/Shanghai");
    }
}

#[test]
fn paragraphs_marked_paywall_are_story_text_but_the_gate_is_not() {
    let article = run(
        "paywall_paragraphs.html",
        "https://example.com/world/checkpoints",
        "UTC",
    );
    let body = article.body.join("\n");
    assert!(
        body.contains("the checkpoint at the end of the street"),
        "{body}"
    );
    assert!(body.contains("read faces at the gate"), "{body}");
    assert!(body.contains("old market street"), "{body}");
    assert!(!body.contains("Subscribe to keep reading"), "{body}");
}
