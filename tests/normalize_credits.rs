//! Photo credits through `normalize`: in the body and in the captions the
//! extractor found apart from it (`figcaption`).

use jiff::Timestamp;
use polywire::model::ExtractedArticle;
use polywire::normalize::{NormalizeContext, normalize};

fn ctx(language: &str) -> NormalizeContext {
    NormalizeContext {
        source: "test".into(),
        language: language.into(),
        timezone: "UTC".into(),
        fetched_at: "2025-03-03T12:00:00Z".parse::<Timestamp>().unwrap(),
    }
}

#[test]
fn page_captions_give_up_their_credits() {
    let extracted = ExtractedArticle {
        body: vec!["SHANGHAI, March 3 (Reuters) - Solar makers cut prices again.".into()],
        captions: vec![
            "A worker walks past solar panels in Hangzhou, China, March 3, 2025. REUTERS/Tingshu Wang".into(),
            "A plain caption with no credit.".into(),
        ],
        ..ExtractedArticle::default()
    };
    let a = normalize(extracted, &ctx("en"));
    assert_eq!(a.photographers, ["Tingshu Wang"]);
    assert_eq!(
        a.captions,
        [
            "A worker walks past solar panels in Hangzhou, China, March 3, 2025.",
            "A plain caption with no credit."
        ]
    );
    assert_eq!(a.body, ["Solar makers cut prices again."]);
}

#[test]
fn xinhua_credits_in_the_body_and_reporters_at_the_end() {
    let extracted = ExtractedArticle {
        body: vec![
            "新华社北京3月3日电 全国政协十四届三次会议3日在北京开幕。".into(),
            "3月3日，全国政协十四届三次会议在北京人民大会堂开幕。（新华社记者 王建华/摄）".into(),
            "会议听取了政协全国委员会常务委员会工作报告。".into(),
            "（新华社记者 尚军 李碧念）".into(),
            "责任编辑：张玉".into(),
        ],
        ..ExtractedArticle::default()
    };
    let a = normalize(extracted, &ctx("zh-Hans"));
    assert_eq!(a.photographers, ["王建华"]);
    assert_eq!(
        a.captions,
        ["3月3日，全国政协十四届三次会议在北京人民大会堂开幕。"]
    );
    assert_eq!(a.authors, ["尚军", "李碧念"]);
    assert_eq!(a.editors, ["张玉"]);
    assert_eq!(
        a.body,
        [
            "全国政协十四届三次会议3日在北京开幕。",
            "会议听取了政协全国委员会常务委员会工作报告。"
        ]
    );
    assert_eq!(a.script, Some(polywire::model::Script::Hans));
}

#[test]
fn japanese_and_korean_photo_credits() {
    let ja = ExtractedArticle {
        body: vec![
            "【北京共同】中国の王毅（おう・き）外相は7日、記者会見を開いた。".into(),
            "記者会見する王毅外相（北京＝新華社記者／傅天）".into(),
        ],
        ..ExtractedArticle::default()
    };
    let a = normalize(ja, &ctx("ja"));
    assert_eq!(a.lang, "ja");
    assert_eq!(a.photographers, ["傅天"]);
    assert_eq!(
        a.body,
        ["中国の王毅（おう・き）外相は7日、記者会見を開いた。"]
    );

    let ko = ExtractedArticle {
        body: vec![
            "(서울=연합뉴스) 김병규 기자 = 정부가 내년도 예산안을 발표했다.".into(),
            "예산안 설명하는 기획재정부 장관 (사진=연합뉴스)".into(),
        ],
        ..ExtractedArticle::default()
    };
    let a = normalize(ko, &ctx("ko"));
    assert_eq!(a.photographers, ["연합뉴스"]);
    assert_eq!(a.captions, ["예산안 설명하는 기획재정부 장관"]);
    assert_eq!(a.body, ["정부가 내년도 예산안을 발표했다."]);
}
