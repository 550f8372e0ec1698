//! Entry points of the fuzz targets.
//!
//! Each `fuzz_targets/<name>.rs` calls one function here, and
//! `tests/fuzz_regressions.rs` in the main crate includes this file and
//! calls the same function on every input kept under
//! `tests/fixtures/fuzz/<name>/`, so a plain `cargo test` replays every
//! finding without cargo-fuzz.
//!
//! The first byte of an input picks the variant of the entry (content type,
//! language, zone, selectors, format, kind of file); the rest is the text.
//! A panic is a finding; so is a check below that fails.

use polywire::classify::{Taxonomy, classify};
use polywire::config::{
    ArticleSelectors, Config, DaemonConfig, FeedFormat, IndexKind, SourceConfig, parse_feed,
    parse_source, parse_toml,
};
use polywire::model::{ExtractedArticle, RawDocument};
use polywire::normalize::{NormalizeContext, normalize as normalize_story, plain_text_story};
use polywire::serve::params::FeedParams;
use polywire::serve::render::{FeedRequest, RenderError, render_feed};
use polywire::store::Store;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

/// The repository root, seen from the fuzz crate or from the main crate.
fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    if here.join("tests/fixtures").is_dir() {
        here.to_path_buf()
    } else {
        here.join("..")
    }
}

/// The first byte and the rest of an input; `None` for an empty input.
fn split(data: &[u8]) -> Option<(usize, &[u8])> {
    data.split_first()
        .map(|(&pick, rest)| (pick as usize, rest))
}

/// The rest of an input as text; `None` when it is not UTF-8 (the decoding
/// of bytes is the byte-level targets' job).
fn split_text(data: &[u8]) -> Option<(usize, &str)> {
    let (pick, rest) = split(data)?;
    Some((pick, std::str::from_utf8(rest).ok()?))
}

/// One of `options`, chosen by `pick`.
fn choose<T: Copy>(options: &[T], pick: usize) -> T {
    options[pick % options.len()]
}

/// Languages and zones real sources declare, with an empty language (the
/// source declared none) and a zone no wire would use.
const LANGUAGES: &[&str] = &["zh-Hans", "zh-Hant", "ja", "ko", "en", "es", ""];
const ZONES: &[&str] = &[
    "Asia/Shanghai",
    "Asia/Tokyo",
    "UTC",
    "America/New_York",
    "Pacific/Chatham",
];

fn context(pick: usize) -> NormalizeContext {
    NormalizeContext {
        source: "fuzz".into(),
        language: choose(LANGUAGES, pick).into(),
        timezone: choose(ZONES, pick / LANGUAGES.len()).into(),
        fetched_at: jiff::Timestamp::from_second(1_764_547_200).expect("2025-12-01"),
    }
}

/// Any bytes as a wire index, the way the pipeline reads one: charset
/// decoding (with a declared charset that may lie), feed or sitemap or
/// listing parsing, and every entry turned into a story and normalized.
pub fn feed_parse(data: &[u8]) {
    let Some((pick, bytes)) = split(data) else {
        return;
    };
    let content_type = choose(
        &[
            None,
            Some("application/rss+xml; charset=utf-8"),
            Some("text/xml; charset=gbk"),
            Some("text/html; charset=shift_jis"),
        ],
        pick,
    );
    let (text, encoding) = polywire::fetch::charset::decode(bytes, content_type);
    let doc = RawDocument {
        url: url::Url::parse("https://wire.example/news/feed.xml").expect("static URL"),
        content_type: content_type.map(str::to_string),
        text,
        charset: encoding.name(),
        fetched_at: jiff::Timestamp::UNIX_EPOCH,
    };
    let zone = choose(ZONES, pick / 4);
    let ctx = context(pick / 4);
    // Rss, Atom and Json share one sniffing reader; Sitemap falls back to it.
    for kind in [IndexKind::Rss, IndexKind::Sitemap] {
        if let Ok(entries) = polywire::extract::parse_index(&doc, kind, None, zone) {
            for entry in entries.iter().take(50) {
                normalize_story(polywire::extract::entry_to_article(entry), &ctx);
            }
        }
    }
    let _ = polywire::extract::parse_sitemap(&doc, zone);
    let links = choose(
        &[
            "a[href]",
            "h2 a",
            ".list li",
            "ul.news > li:nth-child(2n) a",
        ],
        pick / 8,
    );
    let _ = polywire::extract::parse_index(&doc, IndexKind::Html, Some(links), zone);
}

/// The `[article]` selectors of the shipped sources, parsed as the daemon
/// parses them.
static SELECTORS: LazyLock<Vec<ArticleSelectors>> = LazyLock::new(|| {
    ["chinanews", "xinhua-en"]
        .iter()
        .filter_map(|id| {
            let path = repo_root().join(format!("config/sources/{id}.toml"));
            let text = std::fs::read_to_string(&path).expect("shipped source");
            parse_source(&path, &text).expect("valid source").article
        })
        .collect()
});

/// Any bytes as an article page: the generic extractor, or a source's
/// selectors with it as fallback; then normalization, as in the pipeline.
pub fn html_extract(data: &[u8]) {
    let Some((pick, bytes)) = split(data) else {
        return;
    };
    let (text, _) = polywire::fetch::charset::decode(bytes, None);
    let url = url::Url::parse("https://wire.example/2026/12/01/story.html").expect("static URL");
    let selectors = match pick % 3 {
        0 => None,
        n => SELECTORS.get(n - 1),
    };
    let zone = choose(ZONES, pick / 3);
    let extracted = polywire::extract::extract_article(&text, &url, selectors, zone);
    normalize_story(extracted, &context(pick / 3));
}

/// Any text as an extracted story: fields separated by U+0000 (title,
/// body lines, captions, authors, summary), in every language and zone.
pub fn normalize(data: &[u8]) {
    let Some((pick, text)) = split_text(data) else {
        return;
    };
    let mut fields = text.split('\0');
    let title = fields.next().unwrap_or_default();
    let body = fields.next().unwrap_or(text);
    let lines = |s: Option<&str>| -> Vec<String> {
        s.unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect()
    };
    let story = ExtractedArticle {
        url: "https://wire.example/story.html".into(),
        title: title.into(),
        captions: lines(fields.next()),
        authors: lines(fields.next()),
        summary: fields.next().map(str::to_string),
        ..plain_text_story(body)
    };
    normalize_story(story, &context(pick));
}

/// Real dateline openings of the wires polywire reads.
const DATELINES: &[&str] = &[
    "中新網杭州12月",
    "新华社北京",
    "（中央社記者黃麗芸台北",
    "【ワシントン共同】",
    "(서울=연합뉴스) ",
    "BEIJING, March ",
    "HOUSTON, Jan 27 (Reuters) ",
    "Madrid, 11 may (EFE)",
    "",
];

/// Any text after a real dateline opening, through normalization (which
/// reads the dateline and byline off the first paragraph).
pub fn dateline(data: &[u8]) {
    let Some((pick, rest)) = split_text(data) else {
        return;
    };
    let text = format!("{}{}", choose(DATELINES, pick), rest);
    normalize_story(plain_text_story(&text), &context(pick / DATELINES.len()));
}

/// The serve tests' configuration and a store holding a few real-shaped
/// stories, shared by every run of [`feed_params`].
struct World {
    config: Config,
    taxonomy: Taxonomy,
    store: Mutex<Store>,
}

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let path = repo_root().join("tests/fixtures/serve/config/polywire.toml");
    let loaded = polywire::app::load(&path).expect("fixture configuration");
    let mut store = Store::open_in_memory().expect("in-memory store");
    let stories = [
        (
            "chinanews",
            "zh-Hans",
            "长三角生物医药产业集群加速发展",
            "中新网上海12月1日电 上海、江苏、浙江、安徽四地生物医药企业签署合作协议。",
        ),
        (
            "cna",
            "zh-Hant",
            "台積電擴大高雄半導體投資",
            "（中央社記者台北1日電）台積電宣布擴大高雄廠投資。",
        ),
        (
            "nikkei",
            "ja",
            "トヨタ、電池工場を新設",
            "【名古屋】トヨタ自動車は1日、新たな電池工場を建設すると発表した。",
        ),
        (
            "xinhua-en",
            "en",
            "Shenzhen chip output <b>rises</b> ]]> &amp;",
            "SHENZHEN, Dec. 1 (Xinhua) -- Semiconductor output in Shenzhen rose 12 percent.",
        ),
    ];
    for (i, (source, lang, title, body)) in stories.into_iter().enumerate() {
        let mut ctx = context(0);
        ctx.source = source.into();
        ctx.language = lang.into();
        let mut extracted = plain_text_story(body);
        extracted.title = title.into();
        extracted.url = format!("https://{source}.example/{i}.html");
        extracted.published = Some(ctx.fetched_at - jiff::SignedDuration::from_hours(i as i64));
        let article = normalize_story(extracted, &ctx);
        let tags = classify(&article, &loaded.taxonomy);
        store
            .upsert(&article, &tags, None)
            .expect("seed story stored");
    }
    World {
        config: (*loaded.config).clone(),
        taxonomy: (*loaded.taxonomy).clone(),
        store: Mutex::new(store),
    }
});

/// Any query string as feed URL parameters on `/feed` and on each named
/// feed: refused with a parameter error, or rendered. A store error (a
/// 500 for the reader) or a document that does not parse is a finding.
pub fn feed_params(data: &[u8]) {
    let Some((pick, query)) = split_text(data) else {
        return;
    };
    let world = &*WORLD;
    let Ok(params) = FeedParams::parse(query, &world.config, &world.taxonomy) else {
        return;
    };
    let format = choose(&[FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json], pick);
    let names: Vec<Option<&str>> = std::iter::once(None)
        .chain(world.config.feeds.iter().map(|f| Some(f.name.as_str())))
        .collect();
    let name = choose(&names, pick / 3);
    let store = world.store.lock().unwrap_or_else(|e| e.into_inner());
    let req = FeedRequest {
        name,
        format,
        params: &params,
        self_url: "http://feeds.polywire.test/feed",
        now: context(0).fetched_at,
    };
    match render_feed(&world.config, &world.taxonomy, &store, req) {
        Ok(rendered) => check_document(&rendered.body, rendered.format),
        Err(RenderError::Store(err)) => panic!("query `{query}` failed in the store: {err}"),
        Err(_) => {}
    }
}

/// A served document must parse: XML well-formed, JSON valid.
fn check_document(body: &str, format: FeedFormat) {
    if format == FeedFormat::Json {
        if let Err(err) = serde_json::from_str::<serde_json::Value>(body) {
            panic!("JSON Feed does not parse: {err}\n{body}");
        }
        return;
    }
    let mut reader = quick_xml::Reader::from_str(body);
    reader.config_mut().check_end_names = true;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(err) => panic!("{format:?} document is not well-formed: {err}\n{body}"),
        }
    }
}

/// The shipped sources, for feed files to name.
static SOURCES: LazyLock<Vec<SourceConfig>> = LazyLock::new(|| {
    let config = Config::load(&repo_root().join("config/polywire.toml")).expect("shipped config");
    config.sources
});

/// The serve tests' small taxonomy files, for the one the input does not
/// replace (the shipped regions file is too big to build on every run).
static TAXONOMY_TEXTS: LazyLock<(String, String)> = LazyLock::new(|| {
    let dir = repo_root().join("tests/fixtures/serve/config/taxonomy");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("shipped taxonomy");
    (read("regions.toml"), read("industries.toml"))
});

/// Any text as each kind of configuration file, parsed and validated as
/// the daemon does; every error is formatted (its file:line is computed
/// from the span, which must lie within the text). True when accepted.
pub fn config_parse(data: &[u8]) -> bool {
    let Some((pick, text)) = split_text(data) else {
        return false;
    };
    let file = Path::new("fuzz.toml");
    let errors = match pick % 5 {
        0 => parse_toml::<DaemonConfig>(file, text).err(),
        1 => parse_source(file, text).err(),
        2 => parse_feed(file, text, &SOURCES).err(),
        3 => {
            let industries = Path::new("industries.toml");
            Taxonomy::parse((file, text), (industries, &TAXONOMY_TEXTS.1)).err()
        }
        _ => {
            let regions = Path::new("regions.toml");
            Taxonomy::parse((regions, &TAXONOMY_TEXTS.0), (file, text)).err()
        }
    };
    match errors {
        Some(errors) => {
            assert!(!errors.0.is_empty(), "a refusal names at least one error");
            let _ = errors.to_string();
            false
        }
        None => true,
    }
}
