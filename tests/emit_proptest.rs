//! Whatever text a wire sends, every writer's output stays well-formed
//! and the headline comes back as the same (cleaned) text.

mod serve_support;

use jiff::Timestamp;
use polywire::config::FeedFormat;
use polywire::emit::sanitize::one_line;
use polywire::emit::{self, FeedDoc, FeedItem, FeedMeta};
use polywire::model::{Article, StoredStory};
use proptest::prelude::*;
use serve_support::xml::parse_strict;

fn story(title: &str, body: &str, author: &str, category: &str) -> StoredStory {
    StoredStory {
        id: 1,
        article: Article {
            url: "https://wire.example/a/1.html".into(),
            source: "wire".into(),
            title: title.into(),
            lang: "zh".into(),
            authors: vec![author.into()],
            body: vec![body.into(), "第二段".into()],
            summary: body.into(),
            categories: vec![category.into()],
            image: Some(body.chars().take(20).collect()),
            published: Some(Timestamp::UNIX_EPOCH),
            ..Article::default()
        },
        regions: vec![],
        industries: vec![],
        cluster: 1,
        first_seen: Timestamp::UNIX_EPOCH,
        updated: Timestamp::UNIX_EPOCH,
        item_updated: None,
        also_from: vec![author.into()],
    }
}

fn doc(title: &str, body: &str, author: &str, category: &str) -> FeedDoc {
    let (_, taxonomy) = serve_support::config();
    let story = story(title, body, author, category);
    FeedDoc {
        meta: FeedMeta {
            title: title.into(),
            description: body.into(),
            language: "mul".into(),
            self_url: "http://x.test/feed.rss".into(),
            home_url: "http://x.test/".into(),
            id: "tag:x.test,2026:feed/t".into(),
            hub: None,
            updated: Timestamp::UNIX_EPOCH,
            taxonomy_base: "http://x.test".into(),
        },
        items: vec![FeedItem::from_story(&story, &taxonomy, "x.test", None)],
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_text_gives_well_formed_feeds(
        title in "\\PC*|[\\x00-\\x1f<>&\"'\\]\u{202e}\u{fffe}]{0,20}",
        body in any::<String>(),
        author in any::<String>(),
        category in any::<String>(),
    ) {
        let d = doc(&title, &body, &author, &category);
        let want = one_line(&title);

        let rss = parse_strict(&emit::render(&d, FeedFormat::Rss));
        let item = rss.one("channel").one("item");
        prop_assert_eq!(&item.one("title").text, &want);

        let atom = parse_strict(&emit::render(&d, FeedFormat::Atom));
        prop_assert_eq!(&atom.one("entry").one("title").text, &want);

        let json: serde_json::Value =
            serde_json::from_str(&emit::render(&d, FeedFormat::Json)).unwrap();
        prop_assert_eq!(json["items"][0]["title"].as_str().unwrap(), want.as_str());

        let page = polywire::emit::html::write(&polywire::emit::html::IndexPage {
            title: title.clone(),
            stories: d.items.clone(),
            ..Default::default()
        });
        prop_assert!(!page.contains("<script"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Item HTML is written from escaped text and checked URLs only, so the
    /// allow-list sanitizer finds nothing to change in it: which is why
    /// rendering does not run it again for every item of every feed.
    #[test]
    fn item_html_is_already_what_the_sanitizer_keeps(
        body in "\\PC*|[\\x00-\\x1f<>&\"'\\]\u{202e}\u{fffe} a-z/:.]{0,40}",
        caption in any::<String>(),
        image in "(https?://wire.example/|javascript:|/|\\.\\./)?[a-z<>\"' &]{0,12}",
        author in any::<String>(),
    ) {
        let (_, taxonomy) = serve_support::config();
        let mut story = story("t", &body, &author, "c");
        story.article.body.push("<p>second</p>".into());
        story.article.captions = vec![caption];
        story.article.image = Some(image);
        let item = FeedItem::from_story(&story, &taxonomy, "x.test", None);
        let base = url::Url::parse(&story.article.url).ok();
        let sanitized = polywire::emit::sanitize::sanitize_html(&item.content_html, base.as_ref());
        // The same tree, whichever way each side spells its entities.
        let tree = |html: &str| scraper::Html::parse_fragment(html).root_element().html();
        prop_assert_eq!(tree(&sanitized), tree(&item.content_html));
    }
}
