//! End markers, editor lines and footers at the bottom of a story:
//! `(完)`, `【编辑:X】`, `责任编辑：X`, `（责编：A、B）`, `(End)`, `Enditem`,
//! `(Reporting by ...; Editing by ...)`, CNA's `（編輯：X）1140702`,
//! Yonhap's e-mail, tip line, copyright and `송고` time, `(끝)`.
//!
//! Beyond the fixed markers, a tail detector reads sign-offs by their shape
//! and asks the agency lexicon ([`super::agencies`]) whether the name in
//! them is an agency: a tag in parentheses in any script (`（新華社）`,
//! `(Bernama)`, `(ANSA).`, `（時事）`), a line that is only the agency
//! (`-- BERNAMA`, `==Kyodo`, `VNA`) or the agency and desk slugs
//! (`PTI SKU RT`). Other sign-off shapes need no lexicon: editors' initials
//! (`mb/jh/ad`, `bur-ab/cd`), a `___` rule, `X contributed to this report`,
//! `Reporter:`/`Editor:` lines, a copyright line, a posting timestamp in
//! brackets (`（2026/01/05-09:12）`) and reporter credits in parentheses in
//! English, German and Spanish (`(By X)`, `(Bericht von X, redigiert von
//! Y)`).
//!
//! The tail is peeled from the end, one marker at a time, until what is
//! left is story text. Names go to editors (or authors for reporter
//! credits); dates found on the way are kept for date inference.

use super::agencies;
use super::dateline::{chinese_names, latin_names};
use super::dates::minguo;
use jiff::civil::{Date, DateTime};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// Metadata peeled off the end of a story.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tail {
    /// Editors and other desk staff.
    pub editors: Vec<String>,
    /// Reporters credited at the end (Xinhua's `（新华社记者 ...）`, Reuters' `Reporting by`).
    pub authors: Vec<String>,
    /// A calendar date stated at the end (CNA's Minguo tail).
    pub date: Option<Date>,
    /// A filing time stated at the end, local to the source (Yonhap's `송고`).
    pub filed: Option<DateTime>,
}

impl Tail {
    /// Adds what a later pass found.
    pub fn absorb(&mut self, other: Tail) {
        for e in other.editors {
            if !self.editors.contains(&e) {
                self.editors.push(e);
            }
        }
        for a in other.authors {
            if !self.authors.contains(&a) {
                self.authors.push(a);
            }
        }
        self.date = self.date.or(other.date);
        self.filed = self.filed.or(other.filed);
    }
}

/// Markers and footers peeled from one story at most.
const MAX_MARKERS: usize = 64;

/// What a marker contributes.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Nothing: an end marker or a footer.
    Marker,
    /// `ed` group: Chinese editor names.
    ChineseEditors,
    /// `au` group: Chinese reporter names.
    ChineseAuthors,
    /// `credits` group: Reuters `Reporting by ...; Editing by ...`.
    ReutersCredits,
    /// `ed` group: Latin editor names (Bloomberg).
    LatinEditors,
    /// `au` group: Latin reporter names (Bloomberg).
    LatinAuthors,
    /// `y m d H M` groups: Yonhap's filing time.
    Filed,
    /// `y m d` groups: a posting timestamp in brackets.
    Posted,
    /// `au` group: `X and Y contributed to this report`.
    Contributors,
}

/// Markers anchored at the end of the last paragraph.
static MARKERS: LazyLock<Vec<(Regex, Kind)>> = LazyLock::new(|| {
    let end = r"[ ]?$";
    [
        (r"[(（]完[)）]", Kind::Marker),
        (r"[(（](?:End|END|end)[)）]|-+[ ]?END[ ]?-+|\bEnditem(?:/[A-Za-z]{1,6})?|[(（]끝[)）]", Kind::Marker),
        (r"【(?:纠错|糾錯)】", Kind::Marker),
        (
            r"【(?:责任编辑|責任編輯|编辑|編輯|责编|責編)[:：][ ]?(?P<ed>[^】]{1,40})】",
            Kind::ChineseEditors,
        ),
        (
            r"[(（](?:责任编辑|責任編輯|编辑|編輯|责编|責編)[:：][ ]?(?P<ed>[^()（）]{1,40})[)）][ ]?(?P<roc>\d{6,7})?",
            Kind::ChineseEditors,
        ),
        (r"(?:^|[ 。])(?:责任编辑|責任編輯)[:：][ ]?(?P<ed>[\p{Han}、,， ]{2,30})", Kind::ChineseEditors),
        (
            r"[(（](?:新华社记者|新華社記者|记者|記者)[ ]?(?P<au>[\p{Han}、 ]{2,30}[^摄攝\s、])[)）]",
            Kind::ChineseAuthors,
        ),
        (r"\(\([^()]*@[^()]*\)\)", Kind::Marker),
        (r"\((?P<credits>[^()]*\b(?:[Rr]eporting|[Ww]riting|[Ee]diting)[ ]by\b[^()]*)\)", Kind::ReutersCredits),
        (
            r"\((?P<credits>(?:[Bb]ericht|[Rr]edigiert|[Gg]eschrieben)[ ]von\b[^()]*|(?:[Ee]ditado|[Rr]edactado|[Ee]scrito)[ ]por\b[^()]*|[Rr]eportaje[ ]de\b[^()]*)\)",
            Kind::ReutersCredits,
        ),
        (r"\([Bb]y[ ](?P<au>\p{Lu}[^()]{2,80})\)", Kind::LatinAuthors),
        (
            r"[(（\[](?P<y>\d{4})[/.\-](?P<m>\d{1,2})[/.\-](?P<d>\d{1,2})(?:[ \-]?\d{1,2}:\d{2}(?::\d{2})?)?[)）\]]",
            Kind::Posted,
        ),
        (r"[A-Za-z0-9][A-Za-z0-9._+-]*@(?:yna\.co\.kr|yonhapnews\.co\.kr)", Kind::Marker),
        (r"제보는[ ]?(?:카카오톡|이메일)[^\n]{0,60}", Kind::Marker),
        (
            r"(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})[ ](?P<H>\d{2}):(?P<M>\d{2})[ ]?송고",
            Kind::Filed,
        ),
        (
            r"(?P<y>\d{4})년[ ]?(?P<m>\d{2})월[ ]?(?P<d>\d{2})일[ ]?(?P<H>\d{2})시[ ]?(?P<M>\d{2})분[ ]?송고",
            Kind::Filed,
        ),
        (r"<?저작권자[ ]?(?:\(c\)|ⓒ|©)?[ ]?연합뉴스[^<>\n]*>?", Kind::Marker),
        (r"(?:Copyright|©)[ ]?\d{4}[ ]The Associated Press\.[ ]All rights reserved\.?", Kind::Marker),
        (r"Riproduzione riservata[ ]?©?[ ]?Copyright ANSA", Kind::Marker),
        // dpa's story id on partner sites: `dpa:260318-99-123456/2`.
        (r"\bdpa:\d{6}-\d{2}-\d{3,}/\d+", Kind::Marker),
        (r"本網站之文字、圖片及影音，非經授權，不得轉載、公開播送或公開傳輸及利用。", Kind::Marker),
    ]
    .into_iter()
    .map(|(p, k)| (Regex::new(&format!("(?:{p}){end}")).expect("static regex"), k))
    .collect()
});

/// Whole paragraphs that are footers or contact lines.
static FOOTERS: LazyLock<Vec<(Regex, Kind)>> = LazyLock::new(|| {
    [
        (
            r"^To contact the reporters? on this story:[ ]?(?P<au>.+)$",
            Kind::LatinAuthors,
        ),
        (
            r"^To contact the editors? responsible for this story:[ ]?(?P<ed>.+)$",
            Kind::LatinEditors,
        ),
        (r"^人[ ]?民[ ]?网[ ]?版[ ]?权[ ]?所[ ]?有", Kind::Marker),
        // Editors' initials (`mb/jh/ad`, `bur-ab/cd`) and a rule (`___`).
        (r"^[_*=\-–—]{3,}$", Kind::Marker),
        (
            r"^(?P<au>[^.!?]{3,200}?)[ ]contributed(?:[ ]reporting)?[ ]to[ ](?:this|the)[ ](?:report|story)\.?$",
            Kind::Contributors,
        ),
        (r"^(?:Reporters?|Writers?|Penulis|Pewarta)[ ]?[:：][ ]?(?P<au>[^.!?:]{2,80})$", Kind::LatinAuthors),
        (r"^(?:Editors?|Redaktur)[ ]?[:：][ ]?(?P<ed>[^.!?:]{2,80})$", Kind::LatinEditors),
        (r"^(?:Copyright|©|\([cC]\)|ⓒ)[^.!?。]{0,80}$", Kind::Marker),
        (r"^[-—–]{1,2}[ ]?[Ww]ith assistance from[ ](?P<au>[^()]{3,200}?)\.?$", Kind::LatinAuthors),
        (r"^凡(?:本网|本網)?(?:注明|標注有|标注有)", Kind::Marker),
        (
            r"^(?:责任编辑|責任編輯|编辑|編輯)[:：][ ]?(?P<ed>[\p{Han}、,， ]{2,30})$",
            Kind::ChineseEditors,
        ),
    ]
    .into_iter()
    .map(|(p, k)| (Regex::new(p).expect("static regex"), k))
    .collect()
});

fn record(tail: &mut Tail, kind: Kind, caps: &Captures<'_>) {
    let push = |list: &mut Vec<String>, names: Vec<String>| {
        for n in names {
            if !list.contains(&n) {
                list.push(n);
            }
        }
    };
    match kind {
        Kind::Marker => {}
        Kind::ChineseEditors => {
            push(&mut tail.editors, chinese_names(&caps["ed"]));
            if let Some(roc) = caps.name("roc") {
                tail.date = tail.date.or(minguo(roc.as_str()));
            }
        }
        Kind::ChineseAuthors => push(&mut tail.authors, chinese_names(&caps["au"])),
        Kind::LatinEditors => push(&mut tail.editors, contacts(&caps["ed"])),
        Kind::LatinAuthors => push(&mut tail.authors, contacts(&caps["au"])),
        Kind::ReutersCredits => {
            let (authors, editors) = credit_names(&caps["credits"]);
            push(&mut tail.authors, authors);
            push(&mut tail.editors, editors);
        }
        Kind::Contributors => push(&mut tail.authors, contributors(&caps["au"])),
        Kind::Posted => {
            let n = |g: &str| caps[g].parse::<i16>().ok();
            if let (Some(y), Some(m), Some(d)) = (n("y"), n("m"), n("d")) {
                tail.date = tail.date.or(Date::new(y, m as i8, d as i8).ok());
            }
        }
        Kind::Filed => {
            let n = |g: &str| caps[g].parse::<i16>().ok();
            if let (Some(y), Some(m), Some(d), Some(hh), Some(mm)) =
                (n("y"), n("m"), n("d"), n("H"), n("M"))
            {
                tail.filed = DateTime::new(y, m as i8, d as i8, hh as i8, mm as i8, 0, 0).ok();
                tail.date = tail.date.or(tail.filed.map(|dt| dt.date()));
            }
        }
    }
}

/// Reporters and editors of a credit line in parentheses: each role phrase
/// (`Reporting by`, `additional reporting by`, `Editing by`, `Bericht von`,
/// `redigiert von`, `Editado por`) names the people up to the next one.
fn credit_names(text: &str) -> (Vec<String>, Vec<String>) {
    static ROLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?P<role>[\p{L} ]*?(?:reporting|writing|editing|compiled|bericht|redigiert|geschrieben|editado|redactado|escrito|reportaje))[ ](?:by|von|por|de)[ ]")
            .expect("static regex")
    });
    let (mut authors, mut editors) = (Vec::new(), Vec::new());
    let roles: Vec<_> = ROLE.captures_iter(text).collect();
    for (i, c) in roles.iter().enumerate() {
        let (Some(whole), Some(role)) = (c.get(0), c.name("role")) else {
            continue;
        };
        let end = roles
            .get(i + 1)
            .and_then(|n| n.get(0))
            .map_or(text.len(), |m| m.start());
        let names = latin_names(text[whole.end()..end].trim_end_matches([',', ';', ' ']));
        let role = role.as_str().to_lowercase();
        if ["edit", "redig"].iter().any(|r| role.contains(r)) {
            editors.extend(names);
        } else {
            authors.extend(names);
        }
    }
    (authors, editors)
}

/// `Associated Press writers A in Tokyo and B contributed …` → names: the
/// affiliation and role words before the first name are dropped.
fn contributors(text: &str) -> Vec<String> {
    static ROLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^.*?\b(?:writers?|reporters?|correspondents?|journalists?|producers?|researchers?)[ ]")
            .expect("static regex")
    });
    latin_names(&ROLE.replace(text, ""))
}

/// Where a sign-off the agency lexicon recognizes starts in `text`: a tag
/// in parentheses at the end (`… domani. (ANSA).`, `…発表した。（共同）`),
/// or the whole text when it is only the agency, behind dashes or equals
/// signs, with desk slugs after it (`-- BERNAMA`, `==Kyodo`, `PTI SKU RT`).
fn agency_sign_off(text: &str, is_agency: &dyn Fn(&str) -> bool) -> Option<usize> {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[(（][ ]?(?P<name>[^()（）]{1,30}?)[ ]?[)）]\.?$").expect("static regex")
    });
    // A source label before the name (`（来源：新华社）`) and one agency's
    // copy through another (`（AFP=時事）`) are tags too.
    static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:本文|文章|稿件)?(?:来源|來源|稿源|出典|Source|Fuente|Quelle|Fonte)[ ]?[:：][ ]?",
        )
        .expect("static regex")
    });
    if let Some(c) = TAG.captures(text) {
        let name = SOURCE.replace(&c["name"], "");
        if name.split(['=', '＝']).all(is_agency) {
            return c.get(0).map(|m| m.start());
        }
    }
    let line = text.trim_start_matches(['-', '=', '–', '—', ' ']);
    if line.chars().count() > 40 || line.is_empty() {
        return None;
    }
    // A source line (`来源：人民网-人民日报`).
    let unlabelled = SOURCE.replace(line, "");
    if unlabelled.len() < line.len()
        && unlabelled
            .split(['-', '—', '/', '／', ' '])
            .filter(|n| !n.is_empty())
            .all(is_agency)
    {
        return Some(0);
    }
    if is_agency(line.trim_end_matches('.')) || is_desk_slug(line) {
        return Some(0);
    }
    // The agency and desk slugs after it: `PTI SKU RT`, `EFE jrl/pddp`.
    let mut words = line.split(' ');
    let agency = words.next().is_some_and(is_agency);
    let slugs = words.all(|w| {
        ((2..=4).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase())) || is_desk_slug(w)
    });
    (agency && slugs).then_some(0)
}

/// Editors' initials: `mb/jh/ad`, `bur-ab/cd`, `burs-xx/yy`, `sm/dan`.
/// Groups of two to four lower-case letters joined by `/`; a pair of
/// words that prose joins that way (`and/or`) is not one.
fn is_desk_slug(line: &str) -> bool {
    const PROSE_PAIRS: &[&str] = &[
        "and/or", "he/she", "his/her", "him/her", "her/his", "she/he", "yes/no", "on/off",
        "in/out", "up/down", "et/ou", "und/oder", "y/o", "e/o",
    ];
    let slug = line
        .strip_prefix("burs-")
        .or_else(|| line.strip_prefix("bur-"))
        .unwrap_or(line);
    let groups: Vec<&str> = slug.split('/').collect();
    let shaped = groups
        .iter()
        .all(|g| (2..=4).contains(&g.len()) && g.chars().all(|c| c.is_ascii_lowercase()));
    shaped && (groups.len() > 1 || slug.len() < line.len()) && !PROSE_PAIRS.contains(&line)
}

/// Removes a sign-off naming the story's own dateline agency when the
/// lexicon does not list it (`MANILA, March 18 (PNA) -- …` ending in
/// `(PNA)`); returns whether it removed one.
pub fn take_own_tag(paragraphs: &mut Vec<String>, agency: &str) -> bool {
    if agency.is_empty() || agencies::is_agency(agency) {
        return false;
    }
    let own = |name: &str| name.trim() == agency;
    let Some(last) = paragraphs.last_mut() else {
        return false;
    };
    let Some(start) = agency_sign_off(last, &own) else {
        return false;
    };
    let kept = last[..start].trim_end().to_string();
    if kept.is_empty() {
        paragraphs.pop();
    } else {
        *last = kept;
    }
    true
}

/// `Adam Satariano in San Francisco at asatariano@bloomberg.net; ...` → names.
fn contacts(text: &str) -> Vec<String> {
    text.split(';').flat_map(latin_names).collect()
}

/// Peels end markers, editor lines and footers off the paragraphs.
pub fn take(paragraphs: &mut Vec<String>) -> Tail {
    let mut tail = Tail::default();
    // Every round removes text or stops; the cap keeps a hostile tail of
    // thousands of markers from costing quadratic copying.
    for _ in 0..MAX_MARKERS {
        let Some(last) = paragraphs.last_mut() else {
            break;
        };
        if let Some((caps, kind)) = FOOTERS
            .iter()
            .find_map(|(re, k)| re.captures(last).map(|c| (c, *k)))
        {
            record(&mut tail, kind, &caps);
            paragraphs.pop();
            continue;
        }
        if let Some(start) = agency_sign_off(last, &agencies::is_agency) {
            let kept = last[..start].trim_end().to_string();
            if kept.is_empty() {
                paragraphs.pop();
            } else {
                *last = kept;
            }
            continue;
        }
        let hit = MARKERS
            .iter()
            .find_map(|(re, k)| re.captures(last).map(|c| (c, *k)));
        let Some((caps, kind)) = hit else { break };
        record(&mut tail, kind, &caps);
        let start = caps.get(0).map_or(last.len(), |m| m.start());
        let kept = last[..start].trim_end().to_string();
        if kept.is_empty() {
            paragraphs.pop();
        } else {
            *last = kept;
        }
    }
    tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn run(paragraphs: &[&str]) -> (Vec<String>, Tail) {
        let mut p: Vec<String> = paragraphs.iter().map(|s| s.to_string()).collect();
        let t = take(&mut p);
        (p, t)
    }

    #[test]
    fn chinese_markers_and_editors() {
        let (body, t) = run(&["配合好社区的防疫工作。(完) 【编辑:叶攀】"]);
        assert_eq!(body, ["配合好社区的防疫工作。"]);
        assert_eq!(t.editors, ["叶攀"]);
        let (body, t) = run(&["友好访问。（完）", "责任编辑：张玉"]);
        assert_eq!(body, ["友好访问。"]);
        assert_eq!(t.editors, ["张玉"]);
        let (body, t) = run(&["一些内容。（责编：袁勃、赵欣悦）"]);
        assert_eq!(body, ["一些内容。"]);
        assert_eq!(t.editors, ["袁勃", "赵欣悦"]);
        let (body, t) = run(&["基础。【纠错】 【责任编辑:周楚卿】"]);
        assert_eq!(body, ["基础。"]);
        assert_eq!(t.editors, ["周楚卿"]);
    }

    #[test]
    fn xinhua_reporters_at_the_end() {
        let (body, t) = run(&["奠定更加坚实的基础。 （新华社记者 尚军 李碧念 田栋栋）"]);
        assert_eq!(body, ["奠定更加坚实的基础。"]);
        assert_eq!(t.authors, ["尚军", "李碧念", "田栋栋"]);
        // A photo credit is not a byline.
        let (body, _) = run(&["游客参观。（新华社记者兰红光摄）"]);
        assert_eq!(body, ["游客参观。（新华社记者兰红光摄）"]);
    }

    #[test]
    fn cna_editor_with_minguo_date() {
        let (body, t) = run(&[
            "將持續關注。（編輯：謝佳珍）1140516",
            "本網站之文字、圖片及影音，非經授權，不得轉載、公開播送或公開傳輸及利用。",
        ]);
        assert_eq!(body, ["將持續關注。"]);
        assert_eq!(t.editors, ["謝佳珍"]);
        assert_eq!(t.date, Some(date(2025, 5, 16)));
    }

    #[test]
    fn english_markers() {
        let (body, t) = run(&[
            "Shares closed higher.",
            "(Reporting by Kane Wu in Hong Kong; additional reporting by Jane Doe; Editing by Jamie Freed and Kim Coghill)",
            "((Scott.Murdoch@thomsonreuters.com;))",
        ]);
        assert_eq!(body, ["Shares closed higher."]);
        assert_eq!(t.authors, ["Kane Wu", "Jane Doe"]);
        assert_eq!(t.editors, ["Jamie Freed", "Kim Coghill"]);
        let (body, _) = run(&["The talks will resume next week. Enditem"]);
        assert_eq!(body, ["The talks will resume next week."]);
        let (body, _) = run(&["Officials did not comment. (End)"]);
        assert_eq!(body, ["Officials did not comment."]);
    }

    #[test]
    fn yonhap_tail() {
        let (body, t) = run(&[
            "정부가 밝혔다.binzz@yna.co.kr제보는 카카오톡 okjebo",
            "<저작권자(c) 연합뉴스, 무단 전재-재배포 금지> 2023/05/04 11:33 송고",
        ]);
        assert_eq!(body, ["정부가 밝혔다."]);
        assert_eq!(t.filed, Some(date(2023, 5, 4).at(11, 33, 0, 0)));
        let (body, _) = run(&["회의가 열렸다. (끝)"]);
        assert_eq!(body, ["회의가 열렸다."]);
    }

    #[test]
    fn agency_tags_in_any_script() {
        for (para, kept) in [
            (
                "Il decreto entra in vigore domani. (ANSA).",
                "Il decreto entra in vigore domani.",
            ),
            (
                "Employers were consulted. (Bernama)",
                "Employers were consulted.",
            ),
            (
                "探測器計劃於今年下半年擇機發射。（新華社）",
                "探測器計劃於今年下半年擇機發射。",
            ),
            (
                "次回会合は5月に開かれる。（時事）",
                "次回会合は5月に開かれる。",
            ),
        ] {
            assert_eq!(run(&[para]).0, [kept]);
        }
        for line in [
            "-- BERNAMA",
            "==Kyodo",
            "VNA",
            "（共同）",
            "PTI SKU RT",
            "--IANS",
            "（来源：新华社）",
            "（AFP=時事）",
            "来源：人民网-人民日报",
            "（本文来源：新华网）",
            "dpa:260318-99-123456/2",
        ] {
            let (body, _) = run(&["The talks will resume next week.", line]);
            assert_eq!(body, ["The talks will resume next week."], "{line}");
        }
    }

    #[test]
    fn the_stories_own_unlisted_agency_goes() {
        let mut body = vec!["Cases fell. (PNX)".to_string()];
        assert!(take_own_tag(&mut body, "PNX"));
        assert_eq!(body, ["Cases fell."]);
        let mut body = vec!["Cases fell.".to_string(), "-- PNX".to_string()];
        assert!(take_own_tag(&mut body, "PNX"));
        assert_eq!(body, ["Cases fell."]);
        // Another name stays.
        let mut body = vec!["Cases fell in Manila (Philippines).".to_string()];
        assert!(!take_own_tag(&mut body, "PNX"));
        assert_eq!(body.len(), 1);
    }

    #[test]
    fn a_name_in_parentheses_that_is_no_agency_stays() {
        for para in [
            "She will next face Mirra Andreeva (Russia).",
            "The production was directed by Barrie Kosky (Australia).",
            "报告由世卫组织数字卫生司编写（2026年版）。",
            "Prices rose (AI).",
        ] {
            assert_eq!(run(&[para]).0, [para]);
        }
        // A short closing line that is no agency and no slug stays too.
        let (body, _) = run(&["Results follow.", "Russia 2 Spain 1"]);
        assert_eq!(body, ["Results follow.", "Russia 2 Spain 1"]);
    }

    #[test]
    fn slugs_rules_and_contributors() {
        let (body, t) = run(&[
            "The Senate is expected to take up the measure.",
            "___",
            "Associated Press writers Haruka Nuga in Tokyo and Ken Moritsugu in Beijing contributed to this report.",
        ]);
        assert_eq!(body, ["The Senate is expected to take up the measure."]);
        assert_eq!(t.authors, ["Haruka Nuga", "Ken Moritsugu"]);
        for slug in [
            "mb/jh/ad",
            "bur-ab/cd/ef",
            "burs-pst/jm",
            "sm/dan",
            "EFE jrl/pddp",
        ] {
            assert_eq!(
                run(&["Le texte sera examiné en mai.", slug]).0,
                ["Le texte sera examiné en mai."]
            );
        }
        // `and/or` in prose is no slug line.
        assert_eq!(run(&["Pick one.", "and/or"]).0.len(), 2);
        assert_eq!(run(&["Done.", "mb/jh"]).0, ["Done."]);
        for prose in ["he/she", "km/h", "Yes/No", "a/b"] {
            assert_eq!(run(&["Pick one.", prose]).0.len(), 2, "{prose}");
        }
        let (body, _) = run(&["The bank will meet again in June. Enditem/GZX"]);
        assert_eq!(body, ["The bank will meet again in June."]);
    }

    #[test]
    fn reporter_lines_give_people() {
        let (body, t) = run(&["The central bank meets on April 2.", "(By Mohamed Adel)"]);
        assert_eq!(body, ["The central bank meets on April 2."]);
        assert_eq!(t.authors, ["Mohamed Adel"]);
        let (body, t) = run(&[
            "Die Prognose soll im Herbst überprüft werden.",
            "(Bericht von Andreas Rinke, redigiert von Ralf Banser)",
        ]);
        assert_eq!(body, ["Die Prognose soll im Herbst überprüft werden."]);
        assert_eq!(
            (t.authors, t.editors),
            (
                vec!["Andreas Rinke".to_string()],
                vec!["Ralf Banser".to_string()]
            )
        );
        let (body, t) = run(&[
            "The ministry did not name the companies.",
            "Reporter: Aditya Ramadhan",
            "Editor: Rahmad Nasution",
            "Copyright © ANTARA 2026",
        ]);
        assert_eq!(body, ["The ministry did not name the companies."]);
        assert_eq!(
            (t.authors, t.editors),
            (
                vec!["Aditya Ramadhan".to_string()],
                vec!["Rahmad Nasution".to_string()]
            )
        );
    }

    #[test]
    fn bloomberg_assistance_line() {
        let (body, t) = run(&[
            "Brent settled at $74.10.",
            "--With assistance from Jane Doe and John Roe.",
        ]);
        assert_eq!(body, ["Brent settled at $74.10."]);
        assert_eq!(t.authors, ["Jane Doe", "John Roe"]);
    }

    #[test]
    fn posting_timestamp_gives_the_date() {
        let (body, t) = run(&["高公局提醒用路人出發前查詢路況。（2026/03/18-09:12）"]);
        assert_eq!(body, ["高公局提醒用路人出發前查詢路況。"]);
        assert_eq!(t.date, Some(date(2026, 3, 18)));
        // A year range in parentheses is no timestamp.
        let para = "The plan covers three years (2026-2028).";
        assert_eq!(run(&[para]).0, [para]);
    }

    #[test]
    fn bloomberg_contacts() {
        let (body, t) = run(&[
            "Shares rose.",
            "To contact the reporter on this story: Adam Satariano in San Francisco at asatariano1@bloomberg.net",
            "To contact the editor responsible for this story: Pui-Wing Tam at ptam@bloomberg.net",
        ]);
        assert_eq!(body, ["Shares rose."]);
        assert_eq!(t.authors, ["Adam Satariano"]);
        assert_eq!(t.editors, ["Pui-Wing Tam"]);
    }
}
