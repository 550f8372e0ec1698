//! Datelines and bylines of every agency polywire reads, written in each
//! agency's own style and language, through the whole `normalize` call:
//! the dateline must leave the body and come back as fields.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use polywire::model::{Article, ExtractedArticle};
use polywire::normalize::{NormalizeContext, normalize};

struct Case {
    lang: &'static str,
    zone: &'static str,
    fetched: &'static str,
    body: &'static [&'static str],
    agency: &'static str,
    place: Option<&'static str>,
    date: Option<Date>,
    authors: &'static [&'static str],
    /// How the first body paragraph starts once the dateline is gone.
    starts: &'static str,
}

fn run(case: &Case) -> Article {
    let ctx = NormalizeContext {
        source: "test".into(),
        language: case.lang.into(),
        timezone: case.zone.into(),
        fetched_at: case.fetched.parse::<Timestamp>().unwrap(),
    };
    let extracted = ExtractedArticle {
        body: case.body.iter().map(|s| s.to_string()).collect(),
        ..ExtractedArticle::default()
    };
    normalize(extracted, &ctx)
}

fn check(cases: &[Case]) {
    for case in cases {
        let a = run(case);
        let d = a
            .dateline
            .as_ref()
            .unwrap_or_else(|| panic!("no dateline in {:?}", case.body[0]));
        assert_eq!(d.agency, case.agency, "{}", case.body[0]);
        assert_eq!(d.place.as_deref(), case.place, "{}", case.body[0]);
        assert_eq!(d.date, case.date, "{}", case.body[0]);
        assert_eq!(a.authors, case.authors, "{}", case.body[0]);
        assert!(
            a.body[0].starts_with(case.starts),
            "{:?} does not start with {:?}",
            a.body[0],
            case.starts
        );
    }
}

const CN: (&str, &str) = ("zh-Hans", "Asia/Shanghai");

#[test]
fn china_news_service() {
    check(&[
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-09-27T12:00:00+08:00",
            body: &[
                "中新网北京9月27日电 (记者 杜燕)北京市卫生健康委员会27日通报,全市流感疫情进入高发期。",
            ],
            agency: "中新网",
            place: Some("北京"),
            date: Some(date(2025, 9, 27)),
            authors: &["杜燕"],
            starts: "北京市卫生健康委员会27日通报",
        },
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-07-14T10:00:00+08:00",
            body: &[
                "中新网北京7月14日电 （记者 李金磊）国家统计局14日发布数据显示，上半年国内生产总值同比增长5.3%。",
            ],
            agency: "中新网",
            place: Some("北京"),
            date: Some(date(2025, 7, 14)),
            authors: &["李金磊"],
            starts: "国家统计局14日发布数据显示",
        },
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2026-10-08T20:00:00+08:00",
            body: &[
                "中新社广州10月8日电 (方伟彬 史雪晴)记者8日从广东省商务厅获悉,国庆假期全省重点监测零售企业销售额同比增长。",
            ],
            agency: "中新社",
            place: Some("广州"),
            date: Some(date(2026, 10, 8)),
            authors: &["方伟彬", "史雪晴"],
            starts: "记者8日从广东省商务厅获悉",
        },
        Case {
            lang: "zh-Hant",
            zone: CN.1,
            fetched: "2009-09-28T08:00:00+08:00",
            body: &[
                "中新社北京九月二十七日電 題：中國經濟穩中向好",
                "中新社記者 王辛莉 張蔚然",
            ],
            agency: "中新社",
            place: Some("北京"),
            date: Some(date(2009, 9, 27)),
            authors: &["王辛莉", "張蔚然"],
            starts: "中國經濟穩中向好",
        },
        Case {
            lang: "zh-Hant",
            zone: CN.1,
            fetched: "2007-03-03T18:00:00+08:00",
            body: &["中新網3月3日電 全國政協十屆五次會議3日下午在北京人民大會堂開幕。"],
            agency: "中新網",
            place: None,
            date: Some(date(2007, 3, 3)),
            authors: &[],
            starts: "全國政協十屆五次會議",
        },
    ]);
}

#[test]
fn xinhua_chinese() {
    check(&[
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2026-01-02T09:00:00+08:00",
            body: &["新华社上海12月28日电(记者 王辰阳)上海市28日发布新一轮优化营商环境行动方案。"],
            agency: "新华社",
            place: Some("上海"),
            date: Some(date(2025, 12, 28)),
            authors: &["王辰阳"],
            starts: "上海市28日发布",
        },
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-01-29T09:00:00+08:00",
            body: &["新华社贝尔格莱德1月28日电据联合国难民署消息,塞尔维亚境内难民人数有所下降。"],
            agency: "新华社",
            place: Some("贝尔格莱德"),
            date: Some(date(2025, 1, 28)),
            authors: &[],
            starts: "据联合国难民署消息",
        },
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-03-08T15:00:00+08:00",
            body: &["新华网北京3月8日电 十四届全国人大三次会议8日下午举行第二次全体会议。"],
            agency: "新华网",
            place: Some("北京"),
            date: Some(date(2025, 3, 8)),
            authors: &[],
            starts: "十四届全国人大三次会议",
        },
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-01-05T21:00:00+08:00",
            body: &[
                "新华社北京1月5日电（记者 魏玉坤、王悦阳）国家发展改革委5日表示，将加力扩围实施大规模设备更新。",
            ],
            agency: "新华社",
            place: Some("北京"),
            date: Some(date(2025, 1, 5)),
            authors: &["魏玉坤", "王悦阳"],
            starts: "国家发展改革委5日表示",
        },
    ]);
}

const UTC: &str = "UTC";

#[test]
fn xinhua_english_and_other_languages() {
    check(&[
        Case {
            lang: "en",
            zone: CN.1,
            fetched: "2025-03-31T12:00:00Z",
            body: &[
                "BEIJING, March 31 (Xinhua) -- The Ministry of Civil Affairs said on Monday it would expand elderly care services.",
            ],
            agency: "Xinhua",
            place: Some("BEIJING"),
            date: Some(date(2025, 3, 31)),
            authors: &[],
            starts: "The Ministry of Civil Affairs",
        },
        Case {
            lang: "en",
            zone: CN.1,
            fetched: "2025-09-23T12:00:00Z",
            body: &[
                "HARBIN, Sept. 23 (Xinhua) -- The first snow of the season fell in northeast China's Heilongjiang Province on Tuesday.",
            ],
            agency: "Xinhua",
            place: Some("HARBIN"),
            date: Some(date(2025, 9, 23)),
            authors: &[],
            starts: "The first snow",
        },
        Case {
            lang: "pt",
            zone: "Europe/Lisbon",
            fetched: "2025-06-18T20:00:00Z",
            body: &[
                "LISBOA, 18 jun (Xinhua) -- O primeiro-ministro português recebeu nesta quarta-feira uma delegação chinesa.",
            ],
            agency: "Xinhua",
            place: Some("LISBOA"),
            date: Some(date(2025, 6, 18)),
            authors: &[],
            starts: "O primeiro-ministro",
        },
        Case {
            lang: "fr",
            zone: CN.1,
            fetched: "2025-08-10T20:00:00Z",
            body: &[
                "BEIJING, 10 août (Xinhua) -- La Chine a lancé dimanche un nouveau satellite d'observation.",
            ],
            agency: "Xinhua",
            place: Some("BEIJING"),
            date: Some(date(2025, 8, 10)),
            authors: &[],
            starts: "La Chine a lancé",
        },
    ]);
}

#[test]
fn peoples_daily() {
    check(&[
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-12-08T18:00:00+08:00",
            body: &["人民网北京12月8日电（记者姜洁）中央纪委国家监委网站8日发布消息。"],
            agency: "人民网",
            place: Some("北京"),
            date: Some(date(2025, 12, 8)),
            authors: &["姜洁"],
            starts: "中央纪委国家监委网站",
        },
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-06-13T18:00:00+08:00",
            body: &[
                "人民网北京6月13日电 (董兆瑞)记者从交通运输部获悉,端午假期全社会跨区域人员流动量预计超过6亿人次。",
            ],
            agency: "人民网",
            place: Some("北京"),
            date: Some(date(2025, 6, 13)),
            authors: &["董兆瑞"],
            starts: "记者从交通运输部获悉",
        },
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-02-27T18:00:00+08:00",
            body: &["人民网北京2月27日电 据国家卫健委官方网站消息,国家卫健委27日召开新闻发布会。"],
            agency: "人民网",
            place: Some("北京"),
            date: Some(date(2025, 2, 27)),
            authors: &[],
            starts: "据国家卫健委官方网站消息",
        },
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2002-02-15T06:00:00+08:00",
            body: &["本报上海2月14日电 记者吕网大报道：上海浦东新区今年将新开工一批重大工程。"],
            agency: "本报",
            place: Some("上海"),
            date: Some(date(2002, 2, 14)),
            authors: &["吕网大"],
            starts: "上海浦东新区",
        },
    ]);
}

#[test]
fn cctv() {
    check(&[
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-04-01T20:00:00+08:00",
            body: &["央视网消息（新闻联播）：国务院总理今天主持召开国务院常务会议。"],
            agency: "央视网",
            place: None,
            date: None,
            authors: &[],
            starts: "国务院总理今天主持",
        },
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-04-02T20:00:00+08:00",
            body: &["央视网消息（新闻联播文字版）：今年一季度，我国外贸进出口保持平稳增长。"],
            agency: "央视网",
            place: None,
            date: None,
            authors: &[],
            starts: "今年一季度",
        },
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-04-03T20:00:00+08:00",
            body: &["央视网消息：据中国地震台网正式测定，4月3日在四川甘孜州发生4.2级地震。"],
            agency: "央视网",
            place: None,
            date: None,
            authors: &[],
            starts: "据中国地震台网正式测定",
        },
    ]);
}

const TW: (&str, &str) = ("zh-Hant", "Asia/Taipei");

#[test]
fn central_news_agency() {
    check(&[
        Case {
            lang: TW.0,
            zone: TW.1,
            fetched: "2025-05-21T09:00:00+08:00",
            body: &[
                "（中央社記者黃旭昇新北20日電）新北市政府今天宣布，將擴大補助長者健康檢查。",
                "（編輯：謝佳珍）1140520",
            ],
            agency: "中央社",
            place: Some("新北"),
            date: Some(date(2025, 5, 20)),
            authors: &["黃旭昇"],
            starts: "新北市政府今天宣布",
        },
        Case {
            lang: TW.0,
            zone: TW.1,
            fetched: "2025-07-03T18:00:00+08:00",
            body: &["（中央社記者黃麗芸台北3日電）衛福部今天公布最新統計。"],
            agency: "中央社",
            place: Some("台北"),
            date: Some(date(2025, 7, 3)),
            authors: &["黃麗芸"],
            starts: "衛福部今天公布",
        },
        Case {
            // Day 12 read on 1 March: the month before.
            lang: TW.0,
            zone: TW.1,
            fetched: "2025-03-01T09:00:00+08:00",
            body: &["(中央社記者馮昭台北十二日電)立法院今天三讀通過修正案。"],
            agency: "中央社",
            place: Some("台北"),
            date: Some(date(2025, 2, 12)),
            authors: &["馮昭"],
            starts: "立法院今天三讀",
        },
        Case {
            lang: TW.0,
            zone: TW.1,
            fetched: "2025-06-02T22:00:00+08:00",
            body: &["（中央社駐東京特派員楊明珠東京2日專電）日本政府今天發表經濟財政白皮書。"],
            agency: "中央社",
            place: Some("東京"),
            date: Some(date(2025, 6, 2)),
            authors: &["楊明珠"],
            starts: "日本政府今天發表",
        },
    ]);
}

const JP: (&str, &str) = ("ja", "Asia/Tokyo");

#[test]
fn kyodo() {
    check(&[
        Case {
            lang: JP.0,
            zone: JP.1,
            fetched: "2025-11-07T20:00:00+09:00",
            body: &[
                "【北京共同】中国外務省の報道官は7日の記者会見で、日本との対話を継続する考えを示した。",
            ],
            agency: "共同",
            place: Some("北京"),
            date: Some(date(2025, 11, 7)),
            authors: &[],
            starts: "中国外務省の報道官は",
        },
        Case {
            lang: JP.0,
            zone: JP.1,
            fetched: "2025-09-22T08:00:00+09:00",
            body: &["【ワシントン共同】米ホワイトハウス高官は21日、新たな対中関税措置を発表した。"],
            agency: "共同",
            place: Some("ワシントン"),
            date: Some(date(2025, 9, 21)),
            authors: &[],
            starts: "米ホワイトハウス高官は",
        },
        Case {
            // `3日間` is a duration, not a day.
            lang: JP.0,
            zone: JP.1,
            fetched: "2025-09-22T08:00:00+09:00",
            body: &["【ソウル共同】韓国政府は3日間の日程で始まった会議について説明した。"],
            agency: "共同",
            place: Some("ソウル"),
            date: None,
            authors: &[],
            starts: "韓国政府は3日間",
        },
    ]);
}

#[test]
fn jiji() {
    check(&[
        Case {
            lang: JP.0,
            zone: JP.1,
            fetched: "2025-05-01T09:00:00+09:00",
            body: &[
                "【ロンドン時事】英国防省によると、ロシア軍は３０日も攻撃を続けたが、大きな進展はなかった。",
            ],
            agency: "時事",
            place: Some("ロンドン"),
            date: Some(date(2025, 4, 30)),
            authors: &[],
            starts: "英国防省によると",
        },
        Case {
            lang: JP.0,
            zone: JP.1,
            fetched: "2024-07-13T09:00:00+09:00",
            body: &[
                "【ワシントン時事】上川陽子外相は１２日（日本時間１３日）、ブリンケン国務長官と会談した。",
            ],
            agency: "時事",
            place: Some("ワシントン"),
            date: Some(date(2024, 7, 12)),
            authors: &[],
            starts: "上川陽子外相は12日",
        },
        Case {
            lang: JP.0,
            zone: JP.1,
            fetched: "2025-10-15T18:00:00+09:00",
            body: &[
                "【北京時事】中国国家統計局が15日発表した9月の消費者物価指数は前年同月比で下落した。",
            ],
            agency: "時事",
            place: Some("北京"),
            date: Some(date(2025, 10, 15)),
            authors: &[],
            starts: "中国国家統計局が15日",
        },
    ]);
}

const KR: (&str, &str) = ("ko", "Asia/Seoul");

#[test]
fn yonhap() {
    check(&[
        Case {
            lang: KR.0,
            zone: KR.1,
            fetched: "2023-05-04T12:00:00+09:00",
            body: &[
                "(서울=연합뉴스) 김병규 기자 = 정부가 내년도 예산안 편성 지침을 확정했다고 밝혔다.binzz@yna.co.kr제보는 카카오톡 okjebo",
                "<저작권자(c) 연합뉴스, 무단 전재-재배포 금지> 2023/05/04 11:33 송고",
            ],
            agency: "연합뉴스",
            place: Some("서울"),
            date: Some(date(2023, 5, 4)),
            authors: &["김병규"],
            starts: "정부가 내년도",
        },
        Case {
            lang: KR.0,
            zone: KR.1,
            fetched: "2026-08-17T08:00:00+09:00",
            body: &[
                "(서울=연합뉴스) 한지훈 김여솔 이동환 기자 = 여야가 추가경정예산안 처리에 합의했다. (끝)",
                "2026년08월17일 06시04분 송고",
            ],
            agency: "연합뉴스",
            place: Some("서울"),
            date: Some(date(2026, 8, 17)),
            authors: &["한지훈", "김여솔", "이동환"],
            starts: "여야가 추가경정예산안",
        },
        Case {
            lang: KR.0,
            zone: KR.1,
            fetched: "2025-03-05T08:00:00+09:00",
            body: &[
                "(워싱턴=연합뉴스) 김동현 특파원 = 미국 정부가 한국산 철강 관세를 유지하기로 했다.",
            ],
            agency: "연합뉴스",
            place: Some("워싱턴"),
            date: None,
            authors: &["김동현"],
            starts: "미국 정부가",
        },
    ]);
}

#[test]
fn yonhap_filing_time_is_the_published_time() {
    let a = run(&Case {
        lang: KR.0,
        zone: KR.1,
        fetched: "2023-05-04T12:00:00+09:00",
        body: &[
            "(서울=연합뉴스) 김병규 기자 = 정부가 밝혔다.",
            "2023/05/04 11:33 송고",
        ],
        agency: "",
        place: None,
        date: None,
        authors: &[],
        starts: "",
    });
    assert_eq!(a.published, Some("2023-05-04T02:33:00Z".parse().unwrap()));
    assert_eq!(a.precision, polywire::model::Precision::Minute);
    assert_eq!(a.lang, "ko");
}

#[test]
fn reuters() {
    check(&[
        Case {
            lang: "en",
            zone: UTC,
            fetched: "2025-01-27T20:00:00Z",
            body: &[
                "By Sabrina Valle",
                "HOUSTON, Jan 27 (Reuters) - The new Chief Executive of Brazil's Petrobras said on Monday the company would keep investing in exploration.",
                "(Reporting by Sabrina Valle; Editing by Leslie Adler)",
            ],
            agency: "Reuters",
            place: Some("HOUSTON"),
            date: Some(date(2025, 1, 27)),
            authors: &["Sabrina Valle"],
            starts: "The new Chief Executive",
        },
        Case {
            lang: "en",
            zone: UTC,
            fetched: "2025-10-13T09:00:00Z",
            body: &[
                "SHANGHAI, Oct 13 (Reuters) - Shares and bonds in China rallied on Monday after trade tensions eased.",
            ],
            agency: "Reuters",
            place: Some("SHANGHAI"),
            date: Some(date(2025, 10, 13)),
            authors: &[],
            starts: "Shares and bonds",
        },
        Case {
            lang: "en",
            zone: UTC,
            fetched: "2025-10-13T09:00:00Z",
            body: &[
                "WASHINGTON (Reuters) - The head of a conservative think tank said on Sunday he would step down.",
            ],
            agency: "Reuters",
            place: Some("WASHINGTON"),
            date: None,
            authors: &[],
            starts: "The head of a conservative",
        },
    ]);
}

#[test]
fn associated_press() {
    check(&[
        Case {
            lang: "en",
            zone: UTC,
            fetched: "2025-10-13T09:00:00Z",
            body: &[
                "BEIRUT (AP) — Israeli airstrikes hit southern Lebanon on Monday, the state news agency said.",
            ],
            agency: "AP",
            place: Some("BEIRUT"),
            date: None,
            authors: &[],
            starts: "Israeli airstrikes",
        },
        Case {
            lang: "en",
            zone: UTC,
            fetched: "2025-10-13T09:00:00Z",
            body: &[
                "By MARI YAMAGUCHI Associated Press",
                "TOKYO (AP) — Japan's ruling party chose a new leader on Saturday.",
            ],
            agency: "AP",
            place: Some("TOKYO"),
            date: None,
            authors: &["MARI YAMAGUCHI"],
            starts: "Japan's ruling party",
        },
        Case {
            lang: "en",
            zone: UTC,
            fetched: "2025-10-13T09:00:00Z",
            body: &[
                "SAN JUAN, Puerto Rico (AP) — Power was restored to most of the island by Tuesday morning.",
            ],
            agency: "AP",
            place: Some("SAN JUAN"),
            date: None,
            authors: &[],
            starts: "Power was restored",
        },
    ]);
}

#[test]
fn afp() {
    check(&[
        Case {
            lang: "en",
            zone: "Europe/Paris",
            fetched: "2025-01-01T18:00:00Z",
            body: &[
                "PARIS, Jan 1 (AFP) - France welcomed the new year with celebrations across the country.",
            ],
            agency: "AFP",
            place: Some("PARIS"),
            date: Some(date(2025, 1, 1)),
            authors: &[],
            starts: "France welcomed",
        },
        Case {
            lang: "en",
            zone: "Asia/Kolkata",
            fetched: "2025-01-01T18:00:00Z",
            body: &[
                "New Delhi (AFP) - It's 2:00 am and the streets of the Indian capital are still busy.",
            ],
            agency: "AFP",
            place: Some("New Delhi"),
            date: None,
            authors: &[],
            starts: "It's 2:00 am",
        },
        Case {
            lang: "en",
            zone: UTC,
            fetched: "2020-08-31T18:00:00Z",
            body: &[
                "SAN FRANCISCO (AFP) - Amazon on Monday (Aug 31) won approval to deliver parcels by drone.",
            ],
            agency: "AFP",
            place: Some("SAN FRANCISCO"),
            date: None,
            authors: &[],
            starts: "Amazon on Monday (Aug 31)",
        },
    ]);
}

#[test]
fn bloomberg() {
    check(&[
        Case {
            lang: "en",
            zone: "America/New_York",
            fetched: "2025-04-01T18:00:00Z",
            body: &[
                "(Bloomberg) -- Chinese stocks rose after the central bank signaled more support for the economy.",
            ],
            agency: "Bloomberg",
            place: None,
            date: None,
            authors: &[],
            starts: "Chinese stocks rose",
        },
        Case {
            lang: "en",
            zone: "America/New_York",
            fetched: "2010-01-06T03:00:00Z",
            body: &["Jan. 5 (Bloomberg) -- Treasuries fell as manufacturing data beat forecasts."],
            agency: "Bloomberg",
            place: None,
            date: Some(date(2010, 1, 5)),
            authors: &[],
            starts: "Treasuries fell",
        },
        Case {
            lang: "en",
            zone: "America/New_York",
            fetched: "2026-01-02T15:00:00Z",
            body: &[
                "Dec. 23 (Bloomberg) -- Apple Inc. shares climbed to a record.",
                "To contact the reporter on this story: Adam Satariano in San Francisco at asatariano1@bloomberg.net",
            ],
            agency: "Bloomberg",
            place: None,
            date: Some(date(2025, 12, 23)),
            authors: &["Adam Satariano"],
            starts: "Apple Inc. shares",
        },
    ]);
}

#[test]
fn dpa() {
    check(&[
        Case {
            lang: "de",
            zone: "Europe/Berlin",
            fetched: "2025-07-01T10:00:00Z",
            body: &[
                "Berlin (dpa) - Flugreisende innerhalb Deutschlands müssen sich auf längere Wartezeiten einstellen.",
            ],
            agency: "dpa",
            place: Some("Berlin"),
            date: None,
            authors: &[],
            starts: "Flugreisende",
        },
        Case {
            lang: "de",
            zone: "Europe/Berlin",
            fetched: "2025-07-01T10:00:00Z",
            body: &[
                "München (dpa/lby) - Die Polizei hat am Wochenende mehrere Verkehrskontrollen durchgeführt.",
            ],
            agency: "dpa/lby",
            place: Some("München"),
            date: None,
            authors: &[],
            starts: "Die Polizei",
        },
        Case {
            lang: "de",
            zone: "Europe/Berlin",
            fetched: "2025-07-01T10:00:00Z",
            body: &["Frankfurt/Main (dpa) - Der Dax hat am Dienstag leicht zugelegt."],
            agency: "dpa",
            place: Some("Frankfurt/Main"),
            date: None,
            authors: &[],
            starts: "Der Dax",
        },
    ]);
}

#[test]
fn efe() {
    check(&[
        Case {
            lang: "es",
            zone: "Europe/Madrid",
            fetched: "2025-05-11T18:00:00Z",
            body: &[
                "Madrid, 11 may (EFE).- El Tribunal Supremo ha confirmado la condena al exalcalde.",
            ],
            agency: "EFE",
            place: Some("Madrid"),
            date: Some(date(2025, 5, 11)),
            authors: &[],
            starts: "El Tribunal Supremo",
        },
        Case {
            lang: "es",
            zone: "Europe/Madrid",
            fetched: "2025-01-21T18:00:00Z",
            body: &[
                "Nueva Delhi, 21 ene (EFE).- La India registró este martes la temperatura más baja del invierno.",
            ],
            agency: "EFE",
            place: Some("Nueva Delhi"),
            date: Some(date(2025, 1, 21)),
            authors: &[],
            starts: "La India registró",
        },
        Case {
            lang: "es",
            zone: "Europe/Madrid",
            fetched: "2025-01-21T18:00:00Z",
            body: &[
                "Madrid (EFE).- La Comunidad de Madrid ha activado el plan de inclemencias invernales.",
            ],
            agency: "EFE",
            place: Some("Madrid"),
            date: None,
            authors: &[],
            starts: "La Comunidad de Madrid",
        },
        Case {
            lang: "es",
            zone: "Europe/Madrid",
            fetched: "2025-01-01T18:00:00Z",
            body: &[
                "Por Jorge Ruíz Lardizábal     Varsovia, 1 ene (EFE).- Polonia asumió hoy la presidencia del Consejo de la UE.",
            ],
            agency: "EFE",
            place: Some("Varsovia"),
            date: Some(date(2025, 1, 1)),
            authors: &["Jorge Ruíz Lardizábal"],
            starts: "Polonia asumió",
        },
    ]);
}

#[test]
fn story_without_dateline_keeps_its_lead() {
    let a = run(&Case {
        lang: "en",
        zone: UTC,
        fetched: "2025-01-01T00:00:00Z",
        body: &["The company said on Monday (March 3) that profits rose."],
        agency: "",
        place: None,
        date: None,
        authors: &[],
        starts: "",
    });
    assert_eq!(a.dateline, None);
    assert_eq!(
        a.body,
        ["The company said on Monday (March 3) that profits rose."]
    );
}

#[test]
fn chinese_newspapers() {
    check(&[
        Case {
            lang: CN.0,
            zone: CN.1,
            fetched: "2025-12-28T12:00:00+08:00",
            body: &["新京报快讯（记者裴剑飞）今日有网友爆料，有60万个账号数据在暗网低价出售。"],
            agency: "新京报",
            place: None,
            date: None,
            authors: &["裴剑飞"],
            starts: "今日有网友爆料",
        },
        Case {
            lang: "zh-Hant",
            zone: "Asia/Hong_Kong",
            fetched: "2025-12-28T12:00:00+08:00",
            body: &["香港文匯報訊（記者 張聰 北京報道）國家發展改革委28日表示，將繼續擴大內需。"],
            agency: "香港文匯報",
            place: Some("北京"),
            date: None,
            authors: &["張聰"],
            starts: "國家發展改革委28日表示",
        },
        Case {
            lang: "zh-Hant",
            zone: "Asia/Hong_Kong",
            fetched: "2025-12-28T12:00:00+08:00",
            body: &["【明報專訊】特區政府昨日公布施政報告諮詢結果。"],
            agency: "明報",
            place: None,
            date: None,
            authors: &[],
            starts: "特區政府昨日公布",
        },
    ]);
}

#[test]
fn column_labels_are_not_reporters() {
    check(&[Case {
        lang: CN.0,
        zone: CN.1,
        fetched: "2025-03-01T12:00:00+08:00",
        body: &["新华社北京3月1日电（国际观察）多国人士认为，中国经济持续回升向好。"],
        agency: "新华社",
        place: Some("北京"),
        date: Some(date(2025, 3, 1)),
        authors: &[],
        starts: "多国人士认为",
    }]);
}

#[test]
fn a_sentence_starting_with_by_is_not_a_byline() {
    let a = run(&Case {
        lang: "en",
        zone: UTC,
        fetched: "2025-01-01T00:00:00Z",
        body: &[
            "By the end of the year, prices had risen by a third.",
            "Analysts expect more.",
        ],
        agency: "",
        place: None,
        date: None,
        authors: &[],
        starts: "",
    });
    assert_eq!(
        a.body[0],
        "By the end of the year, prices had risen by a third."
    );
    assert!(a.authors.is_empty());
}

/// A lead without reporters, read as fetched on 2026-03-20.
fn lead(
    lang: &'static str,
    zone: &'static str,
    body: &'static [&'static str],
    agency: &'static str,
    place: Option<&'static str>,
    date: Option<Date>,
    starts: &'static str,
) -> Case {
    Case {
        lang,
        zone,
        fetched: "2026-03-20T04:00:00Z",
        body,
        agency,
        place,
        date,
        authors: &[],
        starts,
    }
}

/// One case per lexicon agency written in a dateline shape the old
/// per-agency patterns did not know.
#[test]
fn agencies_from_the_lexicon() {
    let en = |body, agency, place, date, starts| lead("en", UTC, body, agency, place, date, starts);
    check(&[
        en(
            &["NEW DELHI, Mar 18 (PTI) The Union Cabinet on Wednesday approved the scheme."],
            "PTI",
            Some("NEW DELHI"),
            Some(date(2026, 3, 18)),
            "The Union Cabinet",
        ),
        en(
            &["KUALA LUMPUR, March 18 (Bernama) -- Palm oil exports rose."],
            "Bernama",
            Some("KUALA LUMPUR"),
            Some(date(2026, 3, 18)),
            "Palm oil exports",
        ),
        en(
            &["MOSCOW, March 18. /TASS/. The central bank kept its key rate."],
            "TASS",
            Some("MOSCOW"),
            Some(date(2026, 3, 18)),
            "The central bank",
        ),
        en(
            &["Jakarta (ANTARA) - Indonesia plans to double smelter capacity."],
            "ANTARA",
            Some("Jakarta"),
            None,
            "Indonesia plans",
        ),
        en(
            &["ANKARA (AA) - The central bank raised its policy rate."],
            "AA",
            Some("ANKARA"),
            None,
            "The central bank",
        ),
        en(
            &["Jakarta, Oct 18, 2018 (Antara) - Some regions have entered the rainy season."],
            "Antara",
            Some("Jakarta"),
            Some(date(2018, 10, 18)),
            "Some regions",
        ),
        en(
            &["MOSCOW, November 29. /TASS/: The political situation was discussed."],
            "TASS",
            Some("MOSCOW"),
            Some(date(2025, 11, 29)),
            "The political situation",
        ),
        en(
            &["(CGTN) -- China will cut import tariffs on medical equipment."],
            "CGTN",
            None,
            None,
            "China will cut",
        ),
        Case {
            lang: "ja",
            zone: "Asia/Tokyo",
            fetched: "2026-03-20T04:00:00Z",
            body: &["【ソウル聯合ニュース】韓国統計庁が18日発表した。"],
            agency: "聯合ニュース",
            place: Some("ソウル"),
            date: Some(date(2026, 3, 18)),
            authors: &[],
            starts: "韓国統計庁",
        },
    ]);
}

/// An agency nobody listed is a dateline by its shape: a place, a date and
/// a parenthesised name (`(place=agency)` in Korean), kept as written.
#[test]
fn unknown_agencies_by_shape() {
    check(&[
        Case {
            lang: "en",
            zone: UTC,
            fetched: "2026-03-20T04:00:00Z",
            body: &[
                "MANILA, March 18 (PNX) -- The health department reported fewer cases.",
                "Officials urged households to clean water containers. (PNX)",
            ],
            agency: "PNX",
            place: Some("MANILA"),
            date: Some(date(2026, 3, 18)),
            authors: &[],
            starts: "The health department",
        },
        Case {
            lang: "ko",
            zone: "Asia/Seoul",
            fetched: "2026-03-20T04:00:00Z",
            body: &["(세종=뉴스원) 김민수 기자 = 기획재정부는 18일 밝혔다."],
            agency: "뉴스원",
            place: Some("세종"),
            date: None,
            authors: &["김민수"],
            starts: "기획재정부는",
        },
        Case {
            lang: "ko",
            zone: "Asia/Seoul",
            fetched: "2026-03-20T04:00:00Z",
            body: &["【서울=뉴시스】김지훈 기자 = 서울시는 17일 밝혔다."],
            agency: "뉴시스",
            place: Some("서울"),
            date: None,
            authors: &["김지훈"],
            starts: "서울시는",
        },
        Case {
            lang: "ko",
            zone: "Asia/Seoul",
            fetched: "2026-03-20T04:00:00Z",
            body: &["(서울=뉴스1) 전형민 기자,이우연 기자 = 더불어민주당은 4일 밝혔다."],
            agency: "뉴스1",
            place: Some("서울"),
            date: None,
            authors: &["전형민", "이우연"],
            starts: "더불어민주당은",
        },
    ]);
}

/// The unlisted agency's own sign-off goes too.
#[test]
fn unknown_agency_signs_off_with_its_name() {
    let a = run(&lead(
        "en",
        UTC,
        &[
            "MANILA, March 18 (PNX) -- Cases fell.",
            "Officials urged households to clean water containers. (PNX)",
        ],
        "PNX",
        Some("MANILA"),
        Some(date(2026, 3, 18)),
        "Cases fell.",
    ));
    assert_eq!(
        a.body,
        [
            "Cases fell.",
            "Officials urged households to clean water containers."
        ]
    );
}

/// Shapes close to a dateline that are story text.
#[test]
fn near_datelines_stay_story() {
    let leads: [&'static [&'static str]; 3] = [
        // No date: an unknown name needs a place and a date.
        &["Apple (AAPL) - shares rose 3% on Tuesday."],
        // Lower-case name in parentheses.
        &["Paris, March 3 (local time) the talks resumed."],
        // Place and date, no dash, and the sentence goes on in lower case.
        &["Geneva, March 3 (WHO) said on Tuesday that cases fell."],
    ];
    for body in leads {
        let a = run(&Case {
            lang: "en",
            zone: UTC,
            fetched: "2026-03-20T04:00:00Z",
            body,
            agency: "",
            place: None,
            date: None,
            authors: &[],
            starts: "",
        });
        assert_eq!(a.dateline, None, "{body:?}");
        assert_eq!(a.body, body);
    }
}

/// Issue 19 item 12: a dateline behind an original-title line, page
/// furniture or a repeated headline is found, and the furniture goes.
#[test]
fn dateline_after_furniture() {
    let ctx = NormalizeContext {
        source: "test".into(),
        language: "zh-Hans".into(),
        timezone: CN.1.into(),
        fetched_at: "2026-03-20T04:00:00Z".parse::<Timestamp>().unwrap(),
    };
    let story = |title: &str, body: &[&str]| {
        normalize(
            ExtractedArticle {
                title: title.into(),
                body: body.iter().map(|s| s.to_string()).collect(),
                ..ExtractedArticle::default()
            },
            &ctx,
        )
    };
    let a = story(
        "春运客流创新高",
        &[
            "春运客流创新高",
            "最新更新：2016/03/19 10:48",
            "图集",
            "中新社北京3月18日电 交通运输部18日通报。",
            "铁路发送旅客同比增长6.2%。",
            "+1",
        ],
    );
    assert_eq!(
        a.dateline.as_ref().map(|d| d.agency.as_str()),
        Some("中新社")
    );
    assert_eq!(
        a.body,
        ["交通运输部18日通报。", "铁路发送旅客同比增长6.2%。"]
    );
    let a = story(
        "",
        &[
            "（原标题：稳外贸政策持续加力）",
            "人民网北京3月18日电 （记者赵晨）18日，国务院新闻办公室举行发布会。",
        ],
    );
    assert_eq!(
        a.dateline.as_ref().map(|d| d.agency.as_str()),
        Some("人民网")
    );
    assert_eq!(a.authors, ["赵晨"]);
    assert_eq!(a.body, ["18日，国务院新闻办公室举行发布会。"]);
    // A plain-text story: its headline, a byline, then the dateline.
    let a = normalize(
        polywire::normalize::plain_text_story(
            "Japan's exports rise for fourth month on chip demand\nBy Jane Doe\nTOKYO, March 18 (Reuters) - Japan's exports rose.\nImports fell.",
        ),
        &ctx,
    );
    assert_eq!(
        a.dateline.as_ref().map(|d| d.agency.as_str()),
        Some("Reuters")
    );
    assert_eq!(a.authors, ["Jane Doe"]);
    assert_eq!(a.body, ["Japan's exports rose.", "Imports fell."]);
    // A first line that is a sentence stays, dateline or not after it.
    let a = normalize(
        polywire::normalize::plain_text_story(
            "Exports rose for a fourth month.\nTOKYO, March 18 (Reuters) - Japan's exports rose.",
        ),
        &ctx,
    );
    assert_eq!(a.body[0], "Exports rose for a fourth month.");
    // A headline in other words than the page's title, then the dateline.
    let a = story(
        "稳外贸：政策持续加力",
        &["稳外贸政策持续加力", "新华社北京3月18日电 商务部18日表示。"],
    );
    assert_eq!(
        a.dateline.as_ref().map(|d| d.agency.as_str()),
        Some("新华社")
    );
    assert_eq!(a.body, ["商务部18日表示。"]);
}

/// Foreign agencies in their Chinese and Japanese services' forms.
#[test]
fn foreign_agencies_in_cjk_services() {
    let case = lead;
    check(&[
        case(
            "ja",
            "Asia/Tokyo",
            &["［東京　１８日　ロイター］ - 日経平均は反発して始まった。"],
            "ロイター",
            Some("東京"),
            Some(date(2026, 3, 18)),
            "日経平均は",
        ),
        case(
            "ja",
            "Asia/Tokyo",
            &["【3月18日 AFP】フランス政府は18日、新たな予算案を発表した。"],
            "AFP",
            None,
            Some(date(2026, 3, 18)),
            "フランス政府は",
        ),
        case(
            "ja",
            "Asia/Tokyo",
            &["【AFP=時事】フランス政府は18日、新たな予算案を発表した。"],
            "AFP=時事",
            None,
            None,
            "フランス政府は",
        ),
        case(
            "zh-Hans",
            CN.1,
            &["路透北京3月18日 - 中国央行周三维持贷款市场报价利率不变。"],
            "路透",
            Some("北京"),
            Some(date(2026, 3, 18)),
            "中国央行",
        ),
        case(
            "zh-Hant",
            "Asia/Taipei",
            &["（法新社巴黎18日電）法國政府今天公布新預算案。"],
            "法新社",
            Some("巴黎"),
            Some(date(2026, 3, 18)),
            "法國政府",
        ),
    ]);
}
