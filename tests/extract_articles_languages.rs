//! Article extraction on pages in languages other than English and Chinese:
//! one small real-shaped page per cause found (docs/extraction.md,
//! "Pages in other languages"), each with what must stay and what must go.

use polywire::extract::article::extract;
use std::path::Path;

/// The body paragraphs of a fixture page, read as the generic extractor
/// reads a page of a source without selectors.
fn body(name: &str, url: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/articles")
        .join(name);
    let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    extract(&html, &url::Url::parse(url).unwrap(), None, "UTC").body
}

/// NHK's easy-Japanese pages wrap most words in dictionary pop-up links
/// (`href="javascript:void(0)"`): counted as links, they made every
/// paragraph a link list and the page gave only its date line.
#[test]
fn glossary_links_that_go_nowhere_do_not_make_the_story_a_link_list() {
    let body = body(
        "ja_glossary_links.html",
        "https://easy.example.jp/news/k10012345.html",
    );
    assert_eq!(body.len(), 4, "{body:#?}");
    assert!(
        body[0].starts_with("東京の公園で、こどもが遊ぶイベントがありました。"),
        "{body:#?}"
    );
    assert_eq!(
        body[3],
        "女の子は「とても楽しかったです」と話していました。"
    );
    // Ruby readings stay out, and the list of other stories (real links) too.
    let text = body.join("\n");
    // The page's own controls, links that go nowhere as well, are no text.
    for junk in [
        "とうきょう",
        "ほかのニュース",
        "雪で電車が止まる",
        "じしょ",
        "ふりがなをけす",
        "ニュースをきく",
    ] {
        assert!(!text.contains(junk), "{junk:?} left in {text}");
    }
}
