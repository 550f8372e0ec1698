//! Property tests: normalization never panics, and running it on its own
//! text output changes nothing.

use jiff::Timestamp;
use polywire::model::{Article, ExtractedArticle};
use polywire::normalize::{NormalizeContext, normalize};
use proptest::prelude::*;

fn ctx() -> NormalizeContext {
    NormalizeContext {
        source: "test".into(),
        language: "zh-Hant".into(),
        timezone: "Asia/Shanghai".into(),
        fetched_at: "2025-12-23T18:00:00+08:00".parse::<Timestamp>().unwrap(),
    }
}

fn run(title: String, body: Vec<String>) -> Article {
    normalize(
        ExtractedArticle {
            title,
            body,
            ..ExtractedArticle::default()
        },
        &ctx(),
    )
}

/// Wire-copy pieces that exercise every rule, to be glued in any order.
const PIECES: &[&str] = &[
    "中新網",
    "(wǎng)",
    "杭州",
    "產(chǎn)業(yè)",
    "舉行。",
    "王剛 攝",
    "當前,",
    "(完)",
    "（完）",
    "【编辑:叶攀】",
    "(ESG)",
    "(WOYLC)",
    "(a)",
    "(men)",
    "ㄍㄨㄛˊ",
    "(ㄍㄨㄛˊ)",
    "漢字",
    "(かんじ)",
    "（せいふ）",
    "（おう・き）",
    "?jǐn)",
    "REUTERS/Jane Doe",
    "(AP Photo/Ahn Young-joon)",
    "Photo: John Smith/AFP",
    "(사진=연합뉴스)",
    "写真・共同",
    "（新华社记者 王建华/摄）",
    "(Reporting by Kane Wu; Editing by Jamie Freed)",
    "Enditem",
    "(끝)",
    "2023/05/04 11:33 송고",
    "（編輯：謝佳珍）1140516",
    "责任编辑：张玉",
    "The talks ended.",
    "Officials said",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\u{200B}",
    "\u{3000}",
    "ＡＩ１２",
    "「",
    "」",
    "。",
    ",",
    "“",
    "”",
    "(",
    ")",
    "（",
    "）",
    "e\u{301}",
];

const DATELINES: &[&str] = &[
    "",
    "中新網(wǎng)杭州12月23日電(記者 王逸飛)",
    "（中央社記者黃麗芸台北3日電）",
    "BEIJING, March 31 (Xinhua) -- ",
    "(서울=연합뉴스) 김병규 기자 = ",
    "【北京共同】",
    "By Jane Doe\n",
];

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..12).prop_map(|p| p.concat())
}

fn story() -> impl Strategy<Value = Vec<String>> {
    (
        prop::sample::select(DATELINES),
        prop::collection::vec(paragraph(), 1..6),
    )
        .prop_map(|(dateline, mut paragraphs)| {
            paragraphs[0] = format!("{dateline}{}", paragraphs[0]);
            paragraphs
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_text(title in "\\PC{0,40}", body in prop::collection::vec(any::<String>(), 0..5)) {
        let a = run(title, body);
        prop_assert!(a.body.iter().all(|p| !p.is_empty() && p.trim() == p));
    }

    #[test]
    fn idempotent_on_its_text_output(title in paragraph(), body in story()) {
        let once = run(title, body);
        let twice = run(once.title.clone(), once.body.clone());
        prop_assert_eq!(&twice.title, &once.title);
        prop_assert_eq!(&twice.body, &once.body);
    }
}
