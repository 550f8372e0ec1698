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

/// A comment thread named in Portuguese (`comentarios`) holds more commas
/// than the story; unrecognised, it won the page.
#[test]
fn comment_threads_named_in_portuguese_are_not_the_story() {
    let body = body(
        "pt_comentarios.html",
        "https://jornal.example.com.br/economia/2025/12/porto-recorde.html",
    );
    assert_eq!(body.len(), 5, "{body:#?}");
    assert!(body[0].starts_with("O Porto de Santos movimentou 15,2 milhões"));
    assert!(body[4].ends_with("acessos rodoviários e ferroviários ao porto."));
    let text = body.join("\n");
    for junk in [
        "Comentários",
        "Carlos M.",
        "Muito bom",
        "Leia também",
        "Todos os direitos",
    ] {
        assert!(!text.contains(junk), "{junk:?} left in {text}");
    }
}

/// A "read also" teaser inside the story (`lea-tambien`) with a sentence of
/// its own went into the body; it goes, and the paragraphs after it stay.
#[test]
fn read_also_boxes_named_in_spanish_leave_the_story_whole() {
    let body = body(
        "es_lea_tambien.html",
        "https://diario.example.com.uy/pais/2025/12/23/lluvias.html",
    );
    assert_eq!(body.len(), 4, "{body:#?}");
    assert!(body[0].starts_with("Las lluvias de los últimos tres días"));
    assert!(body[3].starts_with("Las autoridades esperan"));
    let text = body.join("\n");
    for junk in ["LEA TAMBIÉN", "alerta roja", "comité de emergencias"] {
        assert!(!text.contains(junk), "{junk:?} left in {text}");
    }
}
