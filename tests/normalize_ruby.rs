//! Leaked ruby readings go; legitimate parentheses stay.

use jiff::Timestamp;
use polywire::model::ExtractedArticle;
use polywire::normalize::ruby::strip_all;
use polywire::normalize::{NormalizeContext, normalize};

/// Strips readings from one document made of `paragraphs`.
fn strip(paragraphs: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = paragraphs.iter().map(|s| s.to_string()).collect();
    strip_all(&mut v);
    v
}

fn one(text: &str) -> String {
    strip(&[text]).remove(0)
}

#[test]
fn tone_marked_pinyin_after_han_goes() {
    assert_eq!(one("中新網(wǎng)杭州"), "中新網杭州");
    assert_eq!(
        one("國務(wù)院發(fā)布成渝地區(qū)雙城經(jīng)濟(jì)圈建設(shè)規(guī)劃綱要"),
        "國務院發布成渝地區雙城經濟圈建設規劃綱要"
    );
    // Full-width parentheses too.
    assert_eq!(one("產（chǎn）業"), "產業");
}

#[test]
fn u_umlaut_and_v_spellings() {
    assert_eq!(one("綠(lǜ)色發展"), "綠色發展");
    assert_eq!(one("旅(lǚ)遊"), "旅遊");
    assert_eq!(one("婦女(nv\u{30C})權益"), "婦女權益");
    assert_eq!(one("策略(lüè)"), "策略");
}

#[test]
fn leaks_nested_in_real_parentheses() {
    assert_eq!(
        one("省份簡(jiǎn)稱,指中國(guó)一級(jí)行政區(qū)(省級(jí)行政區(qū))的簡(jiǎn)稱"),
        "省份簡稱,指中國一級行政區(省級行政區)的簡稱"
    );
}

#[test]
fn toneless_syllables_only_in_a_leaky_document() {
    // Three tone-marked leaks make the document leaky: `們(men)` goes too.
    assert_eq!(
        strip(&["時(shí)候開(kāi)始", "觀察者網(wǎng)說我們(men)"]),
        ["時候開始", "觀察者網說我們"]
    );
    // In clean text a toneless syllable is a real parenthesis.
    assert_eq!(one("他們(men)"), "他們(men)");
    // Single letters and words stay even in a leaky document.
    assert_eq!(
        strip(&["時(shí)候開(kāi)始網(wǎng)", "選項(a)和概念(concept)"]),
        ["時候開始網", "選項(a)和概念(concept)"]
    );
}

#[test]
fn zhuyin_after_han_goes() {
    assert_eq!(one("國(ㄍㄨㄛˊ)語(ㄩˇ)課本"), "國語課本");
    assert_eq!(one("的(˙ㄉㄜ)"), "的");
}

#[test]
fn kana_readings() {
    // Half-width parentheses are the <rp> fallback: always a leak.
    assert_eq!(one("漢字(かんじ)を読む"), "漢字を読む");
    // One full-width gloss in edited Japanese copy stays...
    assert_eq!(
        one("両者の齟齬（そご）が表面化した"),
        "両者の齟齬（そご）が表面化した"
    );
    // ...but a furigana page annotates word after word.
    assert_eq!(
        one("政府（せいふ）は経済（けいざい）対策（たいさく）を発表（はっぴょう）した"),
        "政府は経済対策を発表した"
    );
    // Name glosses with `・` are Japanese editorial style, never leaks.
    assert_eq!(
        one(
            "王毅（おう・き）外相と習近平（しゅう・きんぺい）国家主席、政府（せいふ）経済（けいざい）対策（たいさく）"
        ),
        "王毅（おう・き）外相と習近平（しゅう・きんぺい）国家主席、政府経済対策"
    );
}

#[test]
fn legitimate_parentheses_stay() {
    for text in [
        "他說(記者 王逸飛)",
        "中新社(北京)國際傳播集團有限公司",
        "世界杰出青年領袖社區(WOYLC)首席經濟學家",
        "探討ESG(環境、社會和治理)賦能",
        "以可持續發展(ESG)為題",
        "大會現場(完)之後",
        "攝影(cns2012)作品",
        "人工智能(AI)產業",
    ] {
        assert_eq!(one(text), text);
    }
    // Pinyin after a non-Han character is not a ruby leak.
    assert_eq!(
        one("the word (mǎ) means horse"),
        "the word (mǎ) means horse"
    );
}

#[test]
fn end_marker_goes_with_the_tail_not_with_ruby() {
    let ctx = NormalizeContext {
        source: "chinanews".into(),
        language: "zh-Hant".into(),
        timezone: "Asia/Shanghai".into(),
        fetched_at: "2025-12-23T18:00:00+08:00".parse::<Timestamp>().unwrap(),
    };
    let extracted = ExtractedArticle {
        body: vec!["杭州醫(yī)藥港管理辦公室支持。(完)".into()],
        ..ExtractedArticle::default()
    };
    assert_eq!(
        normalize(extracted, &ctx).body,
        ["杭州醫藥港管理辦公室支持。"]
    );
}

#[test]
fn word_level_pinyin_goes() {
    assert_eq!(one("深圳(shēn zhèn)市交通运输局"), "深圳市交通运输局");
    // A space between the word and its reading goes with the reading.
    assert_eq!(
        one("深圳至广州 (guǎng zhōu)的城际铁路"),
        "深圳至广州的城际铁路"
    );
    assert_eq!(one("从广州(guang3 zhou1)出发"), "从广州出发");
    // A neutral tone has no mark.
    assert_eq!(one("葡萄(pú tao)酒"), "葡萄酒");
    assert_eq!(one("北京(ㄅㄟˇ ㄐㄧㄥ)市政府"), "北京市政府");
    assert_eq!(one("臺灣（ㄊㄞˊ ㄨㄢ）師範大學"), "臺灣師範大學");
}

#[test]
fn word_level_readings_need_the_word() {
    // More syllables than Han characters before: not this word's reading.
    assert_eq!(
        one("Talks in 京(běi jīng) today"),
        "Talks in 京(běi jīng) today"
    );
    // Not every part is a syllable.
    assert_eq!(one("深圳(shēn zhèn city)"), "深圳(shēn zhèn city)");
    assert_eq!(one("深圳 (Shenzhen)"), "深圳 (Shenzhen)");
}

#[test]
fn toneless_word_readings_only_in_a_leaky_story() {
    // Alone, toneless syllables may be a romanization the writer chose.
    assert_eq!(one("深圳(shen zhen)的发展"), "深圳(shen zhen)的发展");
    let leaky = strip(&[
        "中新网(wǎng)深圳(shen zhen)3月18日电",
        "记者(jì zhě)从交通(jiāo tōng)局获悉。",
    ]);
    assert_eq!(leaky, ["中新网深圳3月18日电", "记者从交通局获悉。"]);
}

#[test]
fn korean_hanja_readings_go_in_korean_copy() {
    assert_eq!(
        one("정부는 18일 經濟(경제)관계장관회의를 열었다."),
        "정부는 18일 經濟관계장관회의를 열었다."
    );
    assert_eq!(one("국회는 本會議(본회의)를 열어"), "국회는 本會議를 열어");
    // A Korean gloss in Chinese copy is the writer's.
    assert_eq!(one("在首尔(서울)市举行"), "在首尔(서울)市举行");
    // The usual Korean style, Hangul then hanja, stays.
    assert_eq!(one("경제(經濟)관계"), "경제(經濟)관계");
    // Fewer syllables than hanja: not a reading of the word.
    assert_eq!(one("정부는 經濟(경)관계"), "정부는 經濟(경)관계");
}

#[test]
fn glosses_years_and_numbers_stay_next_to_word_readings() {
    for text in [
        "北京 (Beijing) 是首都。",
        "人工智能(AI)和世界卫生组织（WHO）",
        "在2025年(去年)增长(30)个百分点",
        "报告(2026年版)发布",
        "首都(Beijing)",
    ] {
        assert_eq!(one(text), text);
    }
}
