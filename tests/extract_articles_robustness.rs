//! Page shapes the development corpus only hints at, on hand-written pages
//! (`tests/fixtures/articles/robust/`): each `X.html` has its story in
//! `X.txt`, and the extracted body must hold the story (recall) and little
//! else (precision), by the corpus metric.
//!
//! Pages are read as raw bytes and decoded by `fetch::charset`, as the
//! pipeline does; the charset cases re-encode a page at test time.

#[path = "extract_quality/mod.rs"]
mod quality;

use polywire::extract::article::extract;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles/robust")
}

fn read(name: &str) -> Vec<u8> {
    let path = dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn story(name: &str) -> String {
    String::from_utf8(read(&format!("{name}.txt"))).expect("stories are UTF-8")
}

/// The page's body as the pipeline extracts it from raw bytes.
fn body_of(bytes: &[u8]) -> String {
    let (html, _) = polywire::fetch::charset::decode(bytes, None);
    let url = url::Url::parse("https://news.example.org/2024/article.html").unwrap();
    extract(&html, &url, None, "UTC").body.join("\n")
}

/// Asserts recall and precision of `body` against the story `name`, and
/// that none of `junk` was kept.
fn assert_story(name: &str, body: &str, min_precision: f64, junk: &[&str]) {
    let score = quality::bag_score(body, &story(name));
    assert!(
        score.recall >= 0.98 && score.precision >= min_precision,
        "{name}: P {:.3} (floor {min_precision}) R {:.3}\n{body}",
        score.precision,
        score.recall
    );
    for j in junk {
        assert!(!body.contains(j), "{name}: {j:?} kept in\n{body}");
    }
}

fn assert_page(name: &str, min_precision: f64, junk: &[&str]) {
    let body = body_of(&read(&format!("{name}.html")));
    assert_story(name, &body, min_precision, junk);
}

#[test]
fn a_story_cut_into_rows_by_full_width_figures_and_ads_is_kept_whole() {
    assert_page(
        "split_story",
        0.97,
        &["Most read", "Advertisement", "Photo: Harbour", "Privacy"],
    );
}

#[test]
fn a_comment_thread_longer_than_the_post_stays_out() {
    // WordPress themes mark each comment up as an <article>: that must not
    // make the thread around them part of the story.
    assert_page(
        "long_comments",
        0.97,
        &[
            "Helen",
            "brush holders are brittle",
            "Leave a Reply",
            "Posted in",
        ],
    );
}

#[test]
fn teaser_cards_and_link_boxes_inside_the_article_stay_out() {
    assert_page(
        "related_inside",
        0.95,
        &[
            "More from Farming",
            "Orchards pick early",
            "Growers say the fruit",
            "Hay prices double",
            "Drought\nCattle",
        ],
    );
}

#[test]
fn an_old_layout_table_page_with_br_paragraphs_in_gbk() {
    let bytes = read("layout_table_gb.html");
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture is GBK");
    assert_story(
        "layout_table_gb",
        &body_of(&bytes),
        0.95,
        &[
            "政务公开",
            "今日要闻",
            "相关链接",
            "打印本页",
            "版权所有",
            "浏览次数",
        ],
    );
}

#[test]
fn br_separated_paragraphs_in_a_div_beside_a_ranking_and_comments() {
    assert_page(
        "br_text_zh",
        0.95,
        &["24小时排行", "网友跟帖", "终于要通车", "今冬首场寒潮"],
    );
}

/// `br_text_zh.html` with its `<meta charset>` taken out, encoded as GBK.
fn gbk_page_without_declaration() -> String {
    let page = String::from_utf8(read("br_text_zh.html")).unwrap();
    page.replace("<meta charset=\"utf-8\">\n", "")
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn gbk_pages_decode_whatever_they_declare() {
    let page = gbk_page_without_declaration();
    let junk = ["24小时排行", "网友跟帖"];
    // No declaration at all.
    assert_story("br_text_zh", &body_of(&gbk(&page)), 0.95, &junk);
    // A declaration after 5 KB of inline script in <head>: the prescan
    // misses it, the bytes still decide.
    let late = page.replace(
        "<title>",
        &format!(
            "<script>var cfg = {{{}}};</script>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\n<title>",
            "\"k\": 1, ".repeat(700)
        ),
    );
    assert!(late.find("charset=gb2312").unwrap() > 4096);
    assert_story("br_text_zh", &body_of(&gbk(&late)), 0.95, &junk);
    // A wrong single-byte declaration (templates that say ISO-8859-1).
    let latin1 = page.replace(
        "<title>",
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">\n<title>",
    );
    assert_story("br_text_zh", &body_of(&gbk(&latin1)), 0.95, &junk);
    // A crawl archive's wrapper that says UTF-8 around GBK bytes.
    let wrapped = format!(
        "<text id=\"http://news.example.cn/a.html\" title=\"城市地铁四号线全线贯通\" encoding=\"utf-8\">\n{page}\n</text>"
    );
    assert_story("br_text_zh", &body_of(&gbk(&wrapped)), 0.95, &junk);
}

#[test]
fn an_undeclared_big5_page_decodes() {
    let page = String::from_utf8(read("big5_zh_hant.html")).unwrap();
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(&page);
    assert!(!unmappable);
    let (_, encoding) = polywire::fetch::charset::decode(&bytes, None);
    assert_eq!(encoding, encoding_rs::BIG5);
    assert_story(
        "big5_zh_hant",
        &body_of(&bytes),
        0.95,
        &["延伸閱讀", "豪雨特報", "著作權"],
    );
}

#[test]
fn a_script_rendered_page_falls_back_to_json_ld_article_body() {
    assert_page(
        "json_ld_body",
        0.97,
        &["Northside Gazette", "enable JavaScript"],
    );
}

#[test]
fn a_script_rendered_page_falls_back_to_its_noscript_story() {
    assert_page("noscript_body", 0.97, &["Routes", "Accessibility"]);
}

/// Hostile nesting: the built-in parser caps depth at 512; html5ever (the
/// path of sources with CSS selectors) builds the whole depth, so the
/// flattening must cap it too, or the passes after it would overflow the
/// stack.
fn deeply_nested_page(depth: usize) -> String {
    let mut page = String::with_capacity(depth * 12 + 200);
    page.push_str("<html><body><div id=\"story\"><p>Before the nesting, a sentence of text, with commas, for the scorer.</p>");
    for _ in 0..depth {
        page.push_str("<div>");
    }
    page.push_str("deep text");
    for _ in 0..depth {
        page.push_str("</div>");
    }
    page.push_str("<p>After the nesting, another sentence of text, with commas, for the scorer.</p></div></body></html>");
    page
}

#[test]
fn a_hundred_thousand_nested_divs_through_the_generic_path() {
    let page = deeply_nested_page(100_000);
    let url = url::Url::parse("https://example.com/deep").unwrap();
    let article = extract(&page, &url, None, "UTC");
    let body = article.body.join("\n");
    assert!(body.contains("Before the nesting"), "{body}");
    assert!(body.contains("After the nesting"), "{body}");
}

/// html5ever's tree building is quadratic in depth (it walks the stack of
/// open elements), so this page is shallower than the generic path's; it
/// is still deep enough to overflow a small stack without the cap.
#[test]
fn twenty_thousand_nested_divs_through_a_selector_source() {
    let selectors: polywire::config::ArticleSelectors =
        toml::from_str("body = \"#story\"\nremove = [\".ad\"]").unwrap();
    let page = deeply_nested_page(20_000);
    let url = url::Url::parse("https://example.com/deep").unwrap();
    // On a thread with a small stack, as a worker thread might have.
    let body = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            extract(&page, &url, Some(&selectors), "UTC")
                .body
                .join("\n")
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(body.contains("Before the nesting"), "{body}");
    assert!(body.contains("After the nesting"), "{body}");
}
