//! Wire datelines and bylines at the top of a story, per agency.
//!
//! Each agency writes its lead differently (wire-conventions §1); every
//! pattern here yields the agency as written, the place, what the date says
//! (month and day, a day alone, or nothing) and the reporters. The caller
//! removes the matched text from the body and resolves the date.

use super::agencies;
use super::dates::{month_from_name, parse_number};
use regex::Regex;
use std::sync::LazyLock;

/// What a dateline says about the date; the year is rarely written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateHint {
    /// No date in the dateline (AP, modern Bloomberg, Kyodo without a day).
    #[default]
    None,
    /// Month and day (`12月23日電`, `March 31`).
    MonthDay(i8, i8),
    /// A day of the month alone (CNA's `20日電`, Kyodo/Jiji's `7日`).
    Day(i8),
    /// A whole date (Antara's `Oct 18, 2018`).
    Full(jiff::civil::Date),
}

/// A dateline found at the top of a story.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    /// Agency as written (`中新網`, `Xinhua`, `연합뉴스`).
    pub agency: String,
    /// Place as written, when given.
    pub place: Option<String>,
    /// What the dateline says about the date.
    pub date: DateHint,
    /// Reporters named in the dateline or the byline.
    pub authors: Vec<String>,
}

const CN_NUM: &str = r"\d{1,2}|[〇一二三四五六七八九十廿卅]{1,3}";

/// Mainland Chinese wires: `中新網杭州12月23日電(記者 王逸飛)`,
/// `新华社北京3月8日电（记者 X）`, `本报上海2月14日电 记者吕网大报道：`; any
/// agency of the lexicon written in Han characters (`路透北京3月18日 - `).
static CHINESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<agency>中新網|中新网|新华网|新華網|本报|本報|央广网|央廣網|光明网|光明網|中国日报网|澎湃新闻|{})(?P<place>\p{{Han}}{{0,10}}?)(?P<month>{CN_NUM})月(?P<day>{CN_NUM})日(?:专电|專電|电|電|[ ]?[-–—])[ ]?(?:[(（](?P<by>[^()（）]{{1,40}})[)）])?(?:[ ]?(?:记者|記者)(?P<by2>[\p{{Han}}、 ]{{2,20}}?)(?:报道|報道|報導)[：:])?[ ]?(?:(?:题|題)[：:])?[ ]?",
        agencies::han_alternation()
    ))
    .expect("static regex")
});

/// Newspaper leads: `新京报快讯（记者裴剑飞）`, `香港文匯報訊（記者 張聰 北京報道）`.
static PAPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<agency>\p{Han}{2,8}?)(?:快讯|快訊|讯|訊)[(（](?:记者|記者)[ ]?(?P<by>[^()（）]{1,30}?)(?:[ ]?(?P<place>\p{Han}{2,6}?)(?:报道|報道|報導))?[)）][ ]?")
        .expect("static regex")
});

/// Hong Kong paper tags: `【明報專訊】`, `【本報訊】`.
static PAPER_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^【(?P<agency>\p{Han}{2,8}?)(?:專訊|专讯|訊|讯|綜合報道|综合报道)】[ ]?")
        .expect("static regex")
});

/// Column labels that sit where a byline would (`（国际观察）`): not names.
const COLUMN_WORDS: &[&str] = &[
    "观察", "觀察", "综述", "綜述", "述评", "述評", "特稿", "专访", "專訪", "时评", "時評", "快讯",
    "快訊", "连线", "連線", "评论", "評論", "调查", "調查", "聚焦", "直击", "直擊", "视点", "視點",
];

/// CCTV: `央视网消息（新闻联播）：`.
static CCTV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<agency>央视网|央視網|央视新闻|央視新聞)消息[ ]?(?:[(（][^()（）]{1,20}[)）])?[：:][ ]?")
        .expect("static regex")
});

/// CNA Taiwan: `（中央社記者黃麗芸台北3日電）`, `(中央社記者馮昭台北十二日電)`,
/// `（中央社駐東京特派員楊明珠東京2日專電）`, `（中央社台北3日電）`; Taiwan and
/// Hong Kong papers date other agencies' copy the same way (`（法新社巴黎18日電）`).
static CNA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[(（](?P<agency>{})(?P<role>記者|駐\p{{Han}}{{1,6}}?特派員)?(?P<rest>[\p{{Han}}、]{{0,30}}?)(?P<day>{CN_NUM})日(?:綜合外電|專電|特稿|電)[)）][ ]?",
        agencies::han_alternation()
    ))
    .expect("static regex")
});

/// Kyodo `【北京共同】`, Jiji `【ワシントン時事】`, Yonhap's Japanese service
/// `【ソウル聯合ニュース】`: a place, then any agency in the lexicon.
static JAPANESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^【(?P<place>[^【】\s=]{{1,12}}?)(?P<agency>{})】[ ]?",
        agencies::alternation()
    ))
    .expect("static regex")
});

/// Reuters' and AFP's Japanese services: `［東京 18日 ロイター］ - `,
/// `【3月18日 AFP】`: a place or a month, the day, then the agency.
static JAPANESE_DATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[［\[【](?:(?P<place>[^［］\[\]【】\s\d]{{1,12}}?)|(?P<month>\d{{1,2}})月)[ ]?(?P<day>\d{{1,2}})日[ ]?(?P<agency>{})[］\]】][ ]?(?:[-–—][ ]?)?",
        agencies::alternation()
    ))
    .expect("static regex")
});

/// Xinhua's Japanese service: `【新華社北京3月8日】`.
static XINHUA_JA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^【(?P<agency>新華社)(?P<place>[^【】\d\s]{1,10}?)(?P<month>\d{1,2})月(?P<day>\d{1,2})日】[ ]?")
        .expect("static regex")
});

/// Korean wires: `(서울=연합뉴스) 김병규 기자 = `, `(세종=뉴스1)`,
/// `【서울=뉴시스】`. The `(place=agency)` shape is the dateline whatever
/// the agency, so an agency outside the lexicon is kept as written.
static YONHAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(【\[](?P<place>[^()=＝【】\[\]]{1,20})[=＝](?P<agency>[^()=＝【】\[\]]{1,20})[)】\]][ ]?(?:(?P<by>[가-힣A-Za-z·, ]{2,80}?)[ ]?(?:기자|특파원)[ ]?=[ ]?)?")
        .expect("static regex")
});

/// Latin-script wires: `BEIJING, March 31 (Xinhua) -- `, `HOUSTON, Jan 27
/// (Reuters) - `, `BEIRUT (AP) — `, `New Delhi (AFP) - `, `Dec. 23
/// (Bloomberg) -- `, `Berlin (dpa) - `, `Madrid, 11 may (EFE).- `,
/// `NEW DELHI, Mar 18 (PTI) ` without a dash, `MOSCOW, March 18. /TASS/. `.
/// The name in parentheses is checked afterwards ([`latin_agency_ok`]).
static LATIN: LazyLock<Regex> = LazyLock::new(|| {
    let word = r"\p{Lu}[\p{L}'’.\-/]*";
    let place =
        format!(r"{word}(?:[ ](?:(?:de|del|la|am|an|der|do|da|di|el|upon)[ ])?{word}){{0,3}}");
    // Antara adds the year: `Jakarta, Oct 18, 2018 (Antara) -`.
    let date = r"(?:\p{L}{3,10}\.?[ ]\d{1,2}|\d{1,2}[ ]\p{L}{3,10}\.?)(?:,?[ ]\d{4})?";
    Regex::new(&format!(
        r"^(?:(?P<date0>{date})[ ]|(?P<place>{place})(?:,[ ](?P<region>{place}))??(?:,[ ](?P<date>{date})\.?)?[ ]?)?(?:\((?P<agency>[^()]{{1,30}}?)\)|/(?P<slashed>[^/ ]{{2,12}})/\.?)(?P<dash>\.-|[ ]?(?:--|-|—|–|:))?[ ]?"
    ))
    .expect("static regex")
});

/// ANSA: `(ANSA) - ROMA, 17 SET - `.
static ANSA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\((?P<agency>ANSA)\)[ ]?-[ ]?(?P<place>[\p{Lu} ']{2,30}),[ ](?P<day>\d{1,2})[ ](?P<month>\p{L}{3})[ ]?-[ ]?")
        .expect("static regex")
});

/// A byline paragraph of its own: `By Scott Murdoch`, `Por Jorge Ruíz`.
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:By|BY|Por|Von|Par)[ ](?P<names>[^\n]{3,100})$").expect("static regex")
});

/// A Chinese byline paragraph of its own: `中新社記者 王辛莉 張蔚然`.
static CHINESE_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:中新社|中新網|中新网|新华社|新華社|本报|本報)?(?:记者|記者)[ ]?(?P<names>\p{Han}{2,4}(?:[ 、]\p{Han}{2,4}){0,5})$")
        .expect("static regex")
});

/// Kyodo/Jiji put the day in the lead sentence: `7日の記者会見で`, `１２日（日本時間１３日）`.
static LEAD_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?P<month>\d{1,2})月)?(?P<day>\d{1,2})日(?P<after>間|後|前|ぶり|連続|以内)?")
        .expect("static regex")
});

/// Places CNA datelines name, to split `黃麗芸台北` into reporter and place.
const CNA_PLACES: &[&str] = &[
    "台北",
    "臺北",
    "新北",
    "桃園",
    "台中",
    "臺中",
    "台南",
    "臺南",
    "高雄",
    "基隆",
    "新竹",
    "苗栗",
    "彰化",
    "南投",
    "雲林",
    "嘉義",
    "屏東",
    "宜蘭",
    "花蓮",
    "台東",
    "臺東",
    "澎湖",
    "金門",
    "馬祖",
    "連江",
    "北京",
    "上海",
    "香港",
    "澳門",
    "東京",
    "大阪",
    "首爾",
    "華盛頓",
    "紐約",
    "洛杉磯",
    "舊金山",
    "休士頓",
    "芝加哥",
    "倫敦",
    "巴黎",
    "柏林",
    "布魯塞爾",
    "莫斯科",
    "日內瓦",
    "羅馬",
    "馬德里",
    "新加坡",
    "曼谷",
    "雅加達",
    "馬尼拉",
    "河內",
    "胡志明市",
    "吉隆坡",
    "雪梨",
    "墨爾本",
    "多倫多",
    "溫哥華",
    "約翰尼斯堡",
    "新德里",
    "耶路撒冷",
    "杜拜",
];

/// Words in a byline that are roles, not names.
const ROLES: &[&str] = &[
    "记者",
    "記者",
    "实习生",
    "實習生",
    "通讯员",
    "通訊員",
    "特约记者",
    "特約記者",
    "见习记者",
    "見習記者",
    "中新社记者",
    "中新社記者",
    "中新网记者",
    "中新網記者",
    "新华社记者",
    "新華社記者",
    "本报记者",
    "本報記者",
];

/// Splits Chinese byline text (`記者 王逸飛`, `方伟彬 史雪晴`, `记者姜洁`) into names.
pub fn chinese_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    if COLUMN_WORDS.iter().any(|w| text.trim_end().ends_with(w)) {
        return names;
    }
    for token in text.split([' ', '、', ',', '，', '/', '／']) {
        let mut token = token.trim();
        // A role glued to the name: `记者姜洁`.
        while let Some(role) = ROLES
            .iter()
            .filter(|r| token.starts_with(**r))
            .max_by_key(|r| r.len())
        {
            token = token[role.len()..].trim_start();
        }
        if !token.is_empty() && !ROLES.contains(&token) {
            names.push(token.to_string());
        }
    }
    names
}

/// Splits a Latin-script list of people (`A, B and C`, `A y B`), dropping
/// `in PLACE` and affiliation suffixes.
pub fn latin_names(text: &str) -> Vec<String> {
    static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r",[ ]?(?:and[ ])?|;[ ]?|[ ](?:and|y|und|et|e)[ ]").expect("static regex")
    });
    static SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:[ ]in[ ]\p{Lu}.*|[ ]at[ ]\S+@\S+.*|[ ]?(?:The )?(?:Associated Press|Reuters|Bloomberg(?: News)?|AFP|EFE|dpa))$")
            .expect("static regex")
    });
    SPLIT
        .split(text)
        .map(|n| {
            SUFFIX
                .replace(n.trim(), "")
                .trim()
                .trim_end_matches('.')
                .to_string()
        })
        .filter(|n| !n.is_empty() && n.chars().next().is_some_and(char::is_uppercase))
        .collect()
}

/// The names of a `By ...` paragraph, or `None` when it reads like a
/// sentence (`By the end of the year, prices rose.`): every part must be
/// capitalized and short, and the line must not end a sentence.
fn byline_names(text: &str) -> Option<Vec<String>> {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', ':']) && !text.ends_with("Jr.") {
        return None;
    }
    let parts_look_like_names = text
        .split([',', ';'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .all(|p| p.starts_with(char::is_uppercase) && p.split_whitespace().count() <= 5);
    let names = latin_names(text);
    (parts_look_like_names && !names.is_empty()).then_some(names)
}

fn month_day(month: &str, day: &str) -> DateHint {
    let month = parse_number(month).and_then(|m| i8::try_from(m).ok());
    let day = parse_number(day).and_then(|d| i8::try_from(d).ok());
    match (month, day) {
        (Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => {
            DateHint::MonthDay(m, d)
        }
        _ => DateHint::None,
    }
}

fn day_only(day: &str) -> DateHint {
    match parse_number(day).and_then(|d| i8::try_from(d).ok()) {
        Some(d) if (1..=31).contains(&d) => DateHint::Day(d),
        _ => DateHint::None,
    }
}

/// A Latin date `March 31`, `Sept. 23`, `11 may`, `10 août`.
fn latin_date(text: &str) -> DateHint {
    let mut parts = text.split(' ');
    let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
        return DateHint::None;
    };
    let (name, day) = if a.starts_with(|c: char| c.is_ascii_digit()) {
        (b, a)
    } else {
        (a, b)
    };
    let year = parts.next().and_then(|y| y.parse::<i16>().ok());
    match (
        month_from_name(name),
        day.trim_end_matches(',').parse::<i8>().ok(),
    ) {
        (Some(m), Some(d)) if (1..=31).contains(&d) => match year {
            Some(y) => jiff::civil::Date::new(y, m, d).map_or(DateHint::None, DateHint::Full),
            None => DateHint::MonthDay(m, d),
        },
        _ => DateHint::None,
    }
}

/// Splits `黃麗芸台北` / `王揚宇、吳家豪台北` into reporters and place.
fn split_cna(rest: &str, has_reporter: bool) -> (Vec<String>, Option<String>) {
    if !has_reporter {
        return (Vec::new(), (!rest.is_empty()).then(|| rest.to_string()));
    }
    let place = CNA_PLACES
        .iter()
        .filter(|p| rest.ends_with(**p) && rest.len() > p.len())
        .max_by_key(|p| p.len());
    let (names, place) = match place {
        Some(p) => (&rest[..rest.len() - p.len()], Some(p.to_string())),
        None => {
            // Unknown place: the last reporter's name is 3 characters, or 2
            // when only 4 characters are left (a 2-character place).
            let last = rest.rsplit('、').next().unwrap_or(rest);
            let n = last.chars().count();
            let name_len = if n <= 4 { 2.min(n) } else { 3 };
            let cut = rest.len() - last.len()
                + last
                    .char_indices()
                    .nth(name_len)
                    .map_or(last.len(), |(i, _)| i);
            (
                &rest[..cut],
                Some(rest[cut..].to_string()).filter(|p| !p.is_empty()),
            )
        }
    };
    (chinese_names(names), place)
}

/// Finds the dateline at the start of `text` (a cleaned first paragraph) and
/// returns it with the byte length of the matched lead.
pub fn parse(text: &str) -> Option<(Found, usize)> {
    if let Some(c) = CHINESE.captures(text) {
        let mut authors = c
            .name("by")
            .map(|m| chinese_names(m.as_str()))
            .unwrap_or_default();
        authors.extend(
            c.name("by2")
                .map(|m| chinese_names(m.as_str()))
                .unwrap_or_default(),
        );
        let place = c
            .name("place")
            .map(|m| m.as_str().to_string())
            .filter(|p| !p.is_empty());
        let found = Found {
            agency: c["agency"].to_string(),
            place,
            date: month_day(&c["month"], &c["day"]),
            authors,
        };
        return Some((found, c.get(0)?.end()));
    }
    if let Some(c) = PAPER.captures(text) {
        let found = Found {
            agency: c["agency"].to_string(),
            place: c.name("place").map(|m| m.as_str().to_string()),
            date: DateHint::None,
            authors: chinese_names(&c["by"]),
        };
        return Some((found, c.get(0)?.end()));
    }
    if let Some(c) = PAPER_TAG.captures(text) {
        let found = Found {
            agency: c["agency"].to_string(),
            ..Found::default()
        };
        return Some((found, c.get(0)?.end()));
    }
    if let Some(c) = CCTV.captures(text) {
        let found = Found {
            agency: c["agency"].to_string(),
            ..Found::default()
        };
        return Some((found, c.get(0)?.end()));
    }
    if let Some(c) = CNA.captures(text) {
        let (authors, place) = split_cna(&c["rest"], c.name("role").is_some());
        let found = Found {
            agency: c["agency"].to_string(),
            place,
            date: day_only(&c["day"]),
            authors,
        };
        return Some((found, c.get(0)?.end()));
    }
    if let Some(c) = JAPANESE_DATED.captures(text) {
        let date = match c.name("month") {
            Some(m) => month_day(m.as_str(), &c["day"]),
            None => day_only(&c["day"]),
        };
        let found = Found {
            agency: c["agency"].to_string(),
            place: c.name("place").map(|m| m.as_str().to_string()),
            date,
            authors: Vec::new(),
        };
        return Some((found, c.get(0)?.end()));
    }
    if let Some(c) = XINHUA_JA.captures(text) {
        let found = Found {
            agency: c["agency"].to_string(),
            place: Some(c["place"].to_string()),
            date: month_day(&c["month"], &c["day"]),
            authors: Vec::new(),
        };
        return Some((found, c.get(0)?.end()));
    }
    if let Some(c) = JAPANESE.captures(text) {
        let end = c.get(0)?.end();
        let found = Found {
            agency: c["agency"].to_string(),
            place: Some(c["place"].to_string()),
            date: lead_day(&text[end..]),
            authors: Vec::new(),
        };
        return Some((found, end));
    }
    if let Some(c) = YONHAP.captures(text) {
        let authors = c
            .name("by")
            .map(|m| {
                // `전형민 기자,이우연 기자 =`: every reporter has the role.
                m.as_str()
                    .split([' ', ','])
                    .filter(|w| !w.is_empty() && !["기자", "특파원"].contains(w))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        // `【AFP=時事】`: one agency's copy through another, no place.
        let (agency, place) = if agencies::is_agency(&c["place"]) {
            (format!("{}={}", &c["place"], &c["agency"]), None)
        } else {
            (c["agency"].to_string(), Some(c["place"].to_string()))
        };
        let found = Found {
            agency,
            place,
            date: DateHint::None,
            authors,
        };
        return Some((found, c.get(0)?.end()));
    }
    if let Some(c) = ANSA.captures(text) {
        let found = Found {
            agency: c["agency"].to_string(),
            place: Some(c["place"].trim().to_string()),
            date: latin_date(&format!("{} {}", &c["day"], &c["month"])),
            authors: Vec::new(),
        };
        return Some((found, c.get(0)?.end()));
    }
    if let Some(c) = LATIN.captures(text)
        && latin_agency_ok(&c, text)
    {
        let agency = c.name("agency").or(c.name("slashed"))?.as_str();
        let date = c
            .name("date")
            .or(c.name("date0"))
            .map(|m| latin_date(m.as_str()))
            .unwrap_or_default();
        let found = Found {
            agency: agency.to_string(),
            place: c.name("place").map(|m| m.as_str().to_string()),
            date,
            authors: Vec::new(),
        };
        return Some((found, c.get(0)?.end()));
    }
    None
}

/// Whether a [`LATIN`] match is a dateline. A name in the lexicon is an
/// agency wherever the shape puts it; any other name only with a place and
/// a date before it (`MANILA, March 18 (PNA) --`), as a short capitalized
/// name. Without a dash the story must go on with a new sentence.
fn latin_agency_ok(c: &regex::Captures<'_>, text: &str) -> bool {
    let Some(name) = c.name("agency").or(c.name("slashed")) else {
        return false;
    };
    let name = name.as_str();
    let known = agencies::is_agency(name);
    let shaped = c.name("place").is_some()
        && c.name("date")
            .is_some_and(|d| latin_date(d.as_str()) != DateHint::None)
        && name.starts_with(|ch: char| ch.is_uppercase())
        && name.split(' ').count() <= 3
        && name
            .chars()
            .all(|ch| ch.is_alphabetic() || " -.&'".contains(ch));
    if !(known || shaped) {
        return false;
    }
    let end = c.get(0).map_or(0, |m| m.end());
    c.name("dash").is_some()
        || c.name("slashed").is_some()
        || text[end..].starts_with(|ch: char| {
            ch.is_uppercase() || ch.is_ascii_digit() || "\"“‘'«".contains(ch)
        })
}

/// The day Kyodo/Jiji name in the lead sentence (`7日の`), skipping
/// durations (`3日間`).
fn lead_day(text: &str) -> DateHint {
    let sentence = text.split('。').next().unwrap_or(text);
    for c in LEAD_DAY.captures_iter(sentence) {
        if c.name("after").is_some() {
            continue;
        }
        return match c.name("month") {
            Some(m) => month_day(m.as_str(), &c["day"]),
            None => day_only(&c["day"]),
        };
    }
    DateHint::None
}

/// A line that reads as a heading: at most [`MAX_HEADING`] characters, no
/// sentence-ending punctuation.
fn is_heading(text: &str) -> bool {
    text.chars().count() <= MAX_HEADING
        && !text
            .trim_end()
            .ends_with(['.', '!', '?', '。', '！', '？', '」', '”', '"', ':', '：'])
}

/// Longest headline, in characters (English ones run to about 100).
const MAX_HEADING: usize = 150;

/// A raw first paragraph that runs a byline into the dateline with a wide
/// gap (`Por Jorge Ruíz Lardizábal     Varsovia, 1 ene (EFE).-`) is split at
/// the gap before whitespace is collapsed.
pub fn split_byline_run(raw: &str) -> Option<(String, String)> {
    static RUN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^\s*(?P<by>(?:By|Por|Von|Par)\s+[^\n]{3,100}?)(?:\s{3,}|\t+)(?P<rest>\S[\s\S]*)$",
        )
        .expect("static regex")
    });
    let c = RUN.captures(raw)?;
    Some((c["by"].to_string(), c["rest"].to_string()))
}

/// Removes the dateline (and a `By ...` byline paragraph before it) from the
/// cleaned paragraphs.
pub fn take(paragraphs: &mut Vec<String>) -> Option<Found> {
    let byline_of = |p: &str| BYLINE.captures(p).and_then(|c| byline_names(&c["names"]));
    // A headline line without sentence punctuation before the dateline (a
    // plain-text story's headline, one repeated in other words, a kicker)
    // is not story text; a byline may sit between the two.
    if paragraphs.len() > 1
        && parse(&paragraphs[0]).is_none()
        && byline_of(&paragraphs[0]).is_none()
        && is_heading(&paragraphs[0])
        && (parse(&paragraphs[1]).is_some()
            || (byline_of(&paragraphs[1]).is_some()
                && paragraphs.get(2).is_some_and(|p| parse(p).is_some())))
    {
        paragraphs.remove(0);
    }
    let mut byline = Vec::new();
    if let Some(names) = paragraphs.first().and_then(|p| byline_of(p)) {
        byline = names;
        paragraphs.remove(0);
    }
    let Some((mut found, end)) = paragraphs.first().and_then(|p| parse(p)) else {
        if byline.is_empty() {
            return None;
        }
        return Some(Found {
            authors: byline,
            ..Found::default()
        });
    };
    byline.append(&mut found.authors);
    found.authors = byline;
    let rest = paragraphs[0][end..].trim().to_string();
    if rest.is_empty() {
        paragraphs.remove(0);
    } else {
        paragraphs[0] = rest;
    }
    // Older CNS copy puts the byline on a line of its own after the title.
    if found.authors.is_empty()
        && let Some(i) =
            (0..paragraphs.len().min(2)).find(|&i| CHINESE_BYLINE.is_match(&paragraphs[i]))
    {
        let line = paragraphs.remove(i);
        if let Some(c) = CHINESE_BYLINE.captures(&line) {
            found.authors = chinese_names(&c["names"]);
        }
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_byline_names() {
        assert_eq!(chinese_names("記者 王逸飛"), ["王逸飛"]);
        assert_eq!(chinese_names("记者姜洁"), ["姜洁"]);
        assert_eq!(chinese_names("方伟彬 史雪晴"), ["方伟彬", "史雪晴"]);
        assert_eq!(chinese_names("记者 张三 通讯员 李四"), ["张三", "李四"]);
    }

    #[test]
    fn latin_byline_names() {
        assert_eq!(latin_names("Kane Wu in Hong Kong"), ["Kane Wu"]);
        assert_eq!(
            latin_names("Jane Doe, John Roe and Ann Poe"),
            ["Jane Doe", "John Roe", "Ann Poe"]
        );
        assert_eq!(
            latin_names("MARI YAMAGUCHI Associated Press"),
            ["MARI YAMAGUCHI"]
        );
    }

    #[test]
    fn by_sentences_are_not_bylines() {
        assert_eq!(
            byline_names("Jane Doe and John Roe"),
            Some(vec!["Jane Doe".into(), "John Roe".into()])
        );
        assert_eq!(
            byline_names("MARI YAMAGUCHI Associated Press"),
            Some(vec!["MARI YAMAGUCHI".into()])
        );
        assert_eq!(byline_names("the end of the year, prices rose"), None);
        assert_eq!(byline_names("Monday, the talks had collapsed."), None);
        assert_eq!(byline_names("Montag an gilt die neue Regel für alle"), None);
    }

    #[test]
    fn cna_reporter_and_place_split() {
        assert_eq!(
            split_cna("黃麗芸台北", true),
            (vec!["黃麗芸".to_string()], Some("台北".to_string()))
        );
        assert_eq!(
            split_cna("馮昭台北", true),
            (vec!["馮昭".to_string()], Some("台北".to_string()))
        );
        assert_eq!(
            split_cna("王揚宇、吳家豪台北", true).0,
            ["王揚宇", "吳家豪"]
        );
        assert_eq!(
            split_cna("林育立柏斯", true),
            (vec!["林育立".to_string()], Some("柏斯".to_string()))
        );
    }
}
