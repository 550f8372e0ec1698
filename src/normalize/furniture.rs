//! Paragraphs that are page furniture, not story: a repeated headline,
//! update-time lines (`最新更新：2016/03/19 10:48`), an expired-story
//! notice (`您所瀏覽的新聞已過查詢時效…`), gallery and media labels (`图集`),
//! like counters (`+1`), the original headline of a reprint
//! (`（原标题：…）`) and link teasers (`Read more: …`, `Related: …`).
//!
//! Only whole paragraphs go, and only ones short enough to be a label: a
//! sentence that merely starts with `Related:` and runs on is kept. They
//! are removed before the dateline is read, so a dateline behind them is
//! found in what becomes the first paragraph.

use regex::Regex;
use std::sync::LazyLock;

/// Longer paragraphs are never furniture (bytes; a teaser headline fits).
const MAX_FURNITURE: usize = 240;

/// Paragraphs that are labels, whole.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // Update and publication times: a label, then a date and time only.
        r"^(?:最新更新|更新时间|更新時間|发布时间|發布時間|发稿时间|發稿時間|Last updated|Updated|Published)",
        r"[ ]?[:：]?[ ]?[\d/:.\- 年月日]{6,24}$",
        // Notices that the story has expired from the archive.
        r"|已[過过]查[詢询]時效|已[過过]查[詢询]时效",
        // Gallery, video and reading labels standing alone.
        r"|^(?:图集|圖集|组图|組圖|高清组图|高清組圖|视频|視頻|影音|点击播放|點擊播放|打开APP|打開APP|相关新闻|相關新聞|延伸閱讀|延伸阅读|相关阅读|相關閱讀|関連記事|관련기사)$",
        // Like and share counters.
        r"|^[+＋]\d{1,5}$",
        // The original headline of a reprinted story.
        r"|^[(（](?:原标题|原標題)[:：][^()（）]*[)）]$",
        // Link teasers in the languages we read.
        r"|^(?:Related(?: news| stories| coverage)?|Read more|Read also|Also read|See also|More on this|Baca juga|Lihat juga|Lesen Sie auch|Mehr zum Thema|Lire aussi|[AÀ] lire aussi|Ver también|Lea también|Leggi anche|Leia também|相关新闻|相關新聞|延伸閱讀|延伸阅读|相关阅读|相關閱讀|関連記事|관련기사)[ ]?[:：]",
    ))
    .expect("static regex")
});

/// A repeated headline is looked for among this many leading paragraphs.
const HEADLINE_WINDOW: usize = 3;

/// Removes page-furniture paragraphs; `title` is the page's headline.
pub fn take(paragraphs: &mut Vec<String>, title: &str) {
    let title = title.trim();
    let mut index = 0;
    paragraphs.retain(|p| {
        let i = index;
        index += 1;
        let repeated_title = i < HEADLINE_WINDOW && !title.is_empty() && p.trim() == title;
        !(repeated_title || (p.len() <= MAX_FURNITURE && LABEL.is_match(p)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(paragraphs: &[&str], title: &str) -> Vec<String> {
        let mut p: Vec<String> = paragraphs.iter().map(|s| s.to_string()).collect();
        take(&mut p, title);
        p
    }

    #[test]
    fn furniture_goes() {
        let body = run(
            &[
                "春运客流创新高",
                "最新更新：2016/03/19 10:48",
                "图集",
                "您所瀏覽的新聞已過查詢時效，請重新查詢",
                "（原标题：稳外贸政策持续加力）",
                "中新社北京3月18日电 交通运输部18日通报。",
                "Read more: OPEC+ Weighs Another Delay to Output Increases",
                "+1",
            ],
            "春运客流创新高",
        );
        assert_eq!(body, ["中新社北京3月18日电 交通运输部18日通报。"]);
    }

    #[test]
    fn story_text_stays() {
        let story = [
            "Related: the two cases were heard by the same judge, who said the evidence in both was thin and that the prosecution had failed to show intent, which the defence welcomed as a clear sign that the charges would be dropped before trial next year.",
            "图集显示了当地的风景。",
            "+1 for the idea, he wrote.",
            "The vote was 52 to 48.",
            "春运客流创新高",
        ];
        // The headline repeated far down is a sentence of the story.
        assert_eq!(run(&story, "春运客流创新高"), story);
    }
}
