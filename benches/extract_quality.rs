//! Extraction quality and speed over the development corpus.
//!
//! Runs the article extractor over every page of `corpus/articles` that has
//! ground truth and prints mean precision, recall and F1 per language (the
//! corpus README's metric, `tests/extract_quality/mod.rs`), snippet
//! micro scores, the silver pages apart, and the time per page.
//!
//! ```text
//! POLYWIRE_CORPUS=../shared/corpus cargo bench --bench extract_quality
//! ```
//!
//! With trafilatura measured in the same session (one printed ratio line):
//!
//! ```text
//! POLYWIRE_CORPUS=../shared/corpus POLYWIRE_PEER_PYTHON=/tmp/polywire-bench-venv/bin/python \
//!     cargo bench --bench extract_quality
//! ```
//!
//! With `POLYWIRE_PEER_PYTHON` the peers' texts are scored too: the bench
//! runs `scripts/peers.py --extract-texts` (trafilatura and readability-lxml
//! on the same raw page bytes) and prints a table per language group, each
//! split into the tune and the test half (see [`Half`]), polywire beside both
//! peers. `POLYWIRE_PEER_TEXTS=FILE` reads that script's output saved earlier
//! instead of running it.
//!
//! Optional: `POLYWIRE_BENCH_ROUNDS` (timing rounds, default 5; 0 skips
//! the speed part), `POLYWIRE_BENCH_WORST=N` (list the N worst pages),
//! `POLYWIRE_BENCH_DUMP=DIR` (write each page's extracted text there),
//! `POLYWIRE_BENCH_SCORES=FILE` (one line per page: id, origin, kind, P, R,
//! F1, to compare two versions page by page).

#[path = "../tests/extract_quality/mod.rs"]
mod quality;

use polywire::extract::article;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One page with its ground truth.
struct Page {
    id: String,
    lang: String,
    kind: String,
    /// Short name of the origin repository (`origin.repo` of the truth).
    origin: String,
    bytes: Vec<u8>,
    url: url::Url,
    body: Option<String>,
    with: Vec<String>,
    without: Vec<String>,
    group: &'static str,
    half: Half,
}

/// The language groups the judged set is reported in (issue 21).
fn language_group(lang: &str) -> &'static str {
    match lang {
        "zh-Hans" => "zh-Hans",
        "zh-Hant" => "zh-Hant",
        "ja" => "ja",
        "ko" => "ko",
        "en" => "en",
        "de" | "fr" | "es" | "pt" | "it" | "pl" | "nl" | "sv" | "da" | "no" | "fi" | "cs"
        | "ro" | "hu" | "ca" => "Europe-Latin",
        _ => "other",
    }
}

/// Which half of the dev pages a page belongs to. Rules are tuned on the
/// tune half only; the test half tells whether a change generalises. The
/// split is by a hash of the page id (FNV-1a, lowest bit), so it is fixed
/// without a list and a new page falls into a half on its own.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Half {
    Tune,
    Test,
}

impl Half {
    fn of(id: &str) -> Half {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in id.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        if hash & 1 == 0 {
            Half::Tune
        } else {
            Half::Test
        }
    }

    fn name(self) -> &'static str {
        match self {
            Half::Tune => "tune",
            Half::Test => "test",
        }
    }
}

/// One page's score on the group tables: bag-of-tokens F1 for a full page,
/// the page's own snippet F1 for a snippet page (so snippet pages count in
/// their group), none for a silver page (machine-made truth, kept apart).
fn page_score(page: &Page, text: &str) -> Option<quality::Score> {
    match page.kind.as_str() {
        "full" => Some(quality::bag_score(text, page.body.as_deref().unwrap_or(""))),
        "snippets" => {
            let mut counts = quality::SnippetCounts::default();
            counts.add(quality::snippet_counts(text, &page.with, &page.without));
            Some(counts.score())
        }
        _ => None,
    }
}

fn corpus_dir() -> PathBuf {
    std::env::var_os("POLYWIRE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn load(corpus: &Path) -> Vec<Page> {
    let index = std::fs::read_to_string(corpus.join("articles/index.jsonl"))
        .unwrap_or_else(|e| panic!("cannot read {}/articles/index.jsonl: {e}", corpus.display()));
    let mut pages = Vec::new();
    for line in index.lines().filter(|l| !l.trim().is_empty()) {
        let entry: Value = serde_json::from_str(line).expect("index line is JSON");
        let kind = entry["gt_kind"].as_str().unwrap_or("none").to_string();
        if !matches!(kind.as_str(), "full" | "snippets" | "silver") {
            continue;
        }
        let path = |key: &str| corpus.join(entry[key].as_str().unwrap_or(""));
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(path("json")).expect("truth json"))
                .expect("truth is JSON");
        let url = truth["url"]
            .as_str()
            .and_then(|u| url::Url::parse(u).ok())
            .unwrap_or_else(|| url::Url::parse("https://example.invalid/article").unwrap());
        let id = entry["id"].as_str().unwrap_or("").to_string();
        let lang = entry["lang"].as_str().unwrap_or("").to_string();
        pages.push(Page {
            group: language_group(&lang),
            half: Half::of(&id),
            id,
            lang,
            kind,
            origin: origin_name(truth["origin"]["repo"].as_str().unwrap_or("?")),
            bytes: std::fs::read(path("html")).expect("page bytes"),
            url,
            body: truth["body"].as_str().map(String::from),
            with: strings(&truth["with"]),
            without: strings(&truth["without"]),
        });
    }
    pages
}

/// `mozilla/readability` → `readability`; the repository name is enough to
/// tell the origins apart.
fn origin_name(repo: &str) -> String {
    match repo.rsplit('/').next().unwrap_or(repo) {
        "article-extraction-benchmark" => "scrapinghub".to_string(),
        "Chinese-Web-Content-Extraction-Dataset" => "cwce".to_string(),
        "GeneralNewsExtractor" => "gne".to_string(),
        name => name.to_string(),
    }
}

fn extract_text(page: &Page) -> String {
    let (html, _) = polywire::fetch::charset::decode(&page.bytes, None);
    article::extract(&html, &page.url, None, "UTC")
        .body
        .join("\n")
}

/// Prints how the generic extractor saw one page: its content roots.
fn show(page: &Page) {
    let (html, encoding) = polywire::fetch::charset::decode(&page.bytes, None);
    let mut dom = article::parse::parse(&html);
    article::clean::clean(&mut dom);
    println!("{} decoded as {}", page.id, encoding.name());
    for root in article::generic::content_roots(&dom) {
        let el = dom.element(root);
        println!(
            "root {root}: <{}> class={:?} id={:?} weight {} links {:.2}",
            dom.tag(root).unwrap_or("?"),
            el.and_then(|e| e.attr("class")),
            el.and_then(|e| e.attr("id")),
            dom.weight[root],
            dom.link_density(root)
        );
    }
    let extracted = article::extract(&html, &page.url, None, "UTC");
    println!("title: {}", extracted.title);
    for p in &extracted.body {
        println!("  | {p}");
    }
}

/// CPU time this thread has used, from `/proc/thread-self/schedstat` (Linux):
/// on a shared machine wall time also measures the neighbours.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// Wall and CPU time of one timed loop.
#[derive(Default, Clone, Copy)]
struct Timing {
    wall: Duration,
    cpu: Duration,
}

impl Timing {
    fn of(f: impl FnOnce()) -> Timing {
        let (wall, cpu) = (Instant::now(), thread_cpu());
        f();
        Timing {
            wall: wall.elapsed(),
            cpu: thread_cpu() - cpu,
        }
    }

    fn add(&mut self, other: Timing) {
        self.wall += other.wall;
        self.cpu += other.cpu;
    }

    /// Milliseconds per call, (wall, CPU).
    fn per(&self, calls: usize) -> (f64, f64) {
        let calls = calls.max(1) as f64;
        (
            self.wall.as_secs_f64() * 1e3 / calls,
            self.cpu.as_secs_f64() * 1e3 / calls,
        )
    }
}

/// Time per page: the whole path (charset decoding + extraction) on the
/// pages the peer script times (full and snippet pages), and the stages.
struct Speed {
    rounds: usize,
    pages: usize,
    total: Timing,
    decode: Timing,
    parse: Timing,
    dom: Timing,
    html5ever: Timing,
    checksum: usize,
}

fn measure_speed(pages: &[Page], rounds: usize) -> Speed {
    // The peer script times trafilatura on the full and snippet pages.
    let timed: Vec<&Page> = pages.iter().filter(|p| p.kind != "silver").collect();
    let decoded: Vec<String> = timed
        .iter()
        .map(|p| polywire::fetch::charset::decode(&p.bytes, None).0)
        .collect();
    let mut speed = Speed {
        rounds,
        pages: timed.len(),
        total: Timing::default(),
        decode: Timing::default(),
        parse: Timing::default(),
        dom: Timing::default(),
        html5ever: Timing::default(),
        checksum: 0,
    };
    let mut checksum = 0usize;
    for _ in 0..rounds {
        speed.total.add(Timing::of(|| {
            for page in &timed {
                let (html, _) = polywire::fetch::charset::decode(&page.bytes, None);
                let extracted = article::extract(&html, &page.url, None, "UTC");
                checksum += extracted.body.len();
            }
        }));
        speed.decode.add(Timing::of(|| {
            for page in &timed {
                checksum += polywire::fetch::charset::decode(&page.bytes, None).0.len() & 1;
            }
        }));
        speed.parse.add(Timing::of(|| {
            for html in &decoded {
                checksum += article::parse::parse(html).nodes.len() & 1;
            }
        }));
        speed.dom.add(Timing::of(|| {
            for html in &decoded {
                let mut dom = article::parse::parse(html);
                article::clean::clean(&mut dom);
                checksum += dom.nodes.len() & 1;
            }
        }));
    }
    // html5ever (what pages of sources with CSS selectors are parsed by),
    // one round: it is only here for comparison.
    speed.html5ever = Timing::of(|| {
        for html in &decoded {
            checksum += scraper::Html::parse_document(html).tree.nodes().count() & 1;
        }
    });
    speed.checksum = checksum;
    speed
}

/// trafilatura's time per page on the same pages: run through
/// `scripts/peers.py --extract-only` with `POLYWIRE_PEER_PYTHON`, or read
/// from the JSON that `POLYWIRE_PEERS` names (scripts/peers.py's output).
fn peer_timing(corpus: &Path) -> Option<Value> {
    if let Ok(python) = std::env::var("POLYWIRE_PEER_PYTHON") {
        return run_peer_script(&python, "--extract-only", corpus);
    }
    read_json(&std::env::var("POLYWIRE_PEERS").ok()?)
}

/// The peers' extracted texts, `{id: {"trafilatura": text, "readability":
/// text}}`: from `scripts/peers.py --extract-texts` run with
/// `POLYWIRE_PEER_PYTHON`, or from the file `POLYWIRE_PEER_TEXTS` names.
fn peer_texts(corpus: &Path) -> Option<Value> {
    if let Ok(path) = std::env::var("POLYWIRE_PEER_TEXTS") {
        return read_json(&path);
    }
    let python = std::env::var("POLYWIRE_PEER_PYTHON").ok()?;
    run_peer_script(&python, "--extract-texts", corpus)
}

fn read_json(path: &str) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// `scripts/peers.py MODE` on the corpus, its JSON output; a failure is
/// reported and gives nothing.
fn run_peer_script(python: &str, mode: &str, corpus: &Path) -> Option<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/peers.py");
    let out = std::process::Command::new(python)
        .arg(&script)
        .arg(mode)
        .env("POLYWIRE_CORPUS", corpus)
        .output();
    match out {
        Ok(out) if out.status.success() => serde_json::from_slice(&out.stdout).ok(),
        Ok(out) => {
            eprintln!(
                "peer script failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            None
        }
        Err(e) => {
            eprintln!("cannot run {python}: {e}");
            None
        }
    }
}

/// Per language group and half, each extractor's mean page score (full and
/// snippet pages, see [`page_score`]), then the full-body-only overall line.
fn print_groups(pages: &[Page], ours: &[String], peers: Option<&Value>) {
    // (group, half) -> per extractor the page scores; "ALL" rows too.
    type Key = (&'static str, &'static str);
    let mut table: BTreeMap<Key, [Vec<quality::Score>; 3]> = BTreeMap::new();
    let mut full_only: BTreeMap<&'static str, [Vec<quality::Score>; 3]> = BTreeMap::new();
    for (page, text) in pages.iter().zip(ours) {
        let texts = [
            Some(text.as_str()),
            peers.and_then(|p| p[&page.id]["trafilatura"].as_str()),
            peers.and_then(|p| p[&page.id]["readability"].as_str()),
        ];
        for (i, text) in texts.iter().enumerate() {
            let Some(text) = text else { continue };
            let Some(score) = page_score(page, text) else {
                continue;
            };
            for group in [page.group, "ALL"] {
                for half in [page.half.name(), "all"] {
                    table.entry((group, half)).or_default()[i].push(score);
                }
            }
            if page.kind == "full" {
                for half in [page.half.name(), "all"] {
                    full_only.entry(half).or_default()[i].push(score);
                }
            }
        }
    }
    let f1 = |scores: &[quality::Score]| {
        if scores.is_empty() {
            "   -  ".to_string()
        } else {
            format!("{:.3} ", quality::Score::mean(scores).f1)
        }
    };
    println!(
        "by language group (mean page F1: full pages by tokens, snippet pages by their snippets; silver apart)"
    );
    println!("| group        | half | pages | polywire | trafilatura | readability |");
    println!("|--------------|------|-------|----------|-------------|-------------|");
    let line = |label: &str, half: &str, cols: &[Vec<quality::Score>; 3]| {
        println!(
            "| {label:<12} | {half:<4} | {:>5} | {:>8} | {:>11} | {:>11} |",
            cols[0].len(),
            f1(&cols[0]),
            f1(&cols[1]),
            f1(&cols[2])
        );
    };
    for ((group, half), cols) in &table {
        line(group, half, cols);
    }
    for (half, cols) in &full_only {
        line("full only", half, cols);
    }
    if peers.is_none() {
        println!(
            "(peers not scored: set POLYWIRE_PEER_PYTHON to a python with trafilatura and readability-lxml, or POLYWIRE_PEER_TEXTS to scripts/peers.py --extract-texts output)"
        );
    }
    println!();
}

impl Speed {
    fn print(&self, peer: Option<&Value>) {
        let calls = self.rounds * self.pages;
        let line = |label: &str, t: &Timing, calls: usize| {
            let (wall, cpu) = t.per(calls);
            println!("| {label:<44} | {cpu:>6.3} | {wall:>6.3} |");
        };
        println!(
            "speed: {} pages (full + snippets) × {} rounds, one thread, release build",
            self.pages, self.rounds
        );
        println!("| stage (ms/page)                              |  CPU   |  wall  |");
        println!("|----------------------------------------------|--------|--------|");
        line("decode + extract (the whole path)", &self.total, calls);
        line("  charset decoding alone", &self.decode, calls);
        line("  tokenize + tree (built-in parser)", &self.parse, calls);
        line(
            "  tokenize + tree + cleaning (parse, clean)",
            &self.dom,
            calls,
        );
        line(
            "html5ever parse (scraper, selector sources)",
            &self.html5ever,
            self.pages,
        );
        let (wall, cpu) = self.total.per(calls);
        let field = |k: &str| peer.and_then(|p| p[k].as_f64());
        match (
            field("trafilatura_s_per_page"),
            field("trafilatura_cpu_s_per_page"),
        ) {
            (Some(peer_wall), peer_cpu) => {
                let cpu_ratio = peer_cpu
                    .map(|c| format!("{:.1}× by CPU time ({:.1} ms), ", c * 1e3 / cpu, c * 1e3))
                    .unwrap_or_default();
                println!(
                    "vs trafilatura on the same {} pages: {cpu_ratio}{:.1}× by wall time ({:.1} ms); target ≥ 20×",
                    field("pages").unwrap_or(0.0),
                    peer_wall * 1e3 / wall,
                    peer_wall * 1e3
                );
            }
            _ => println!(
                "vs trafilatura: not measured (set POLYWIRE_PEER_PYTHON to a python with trafilatura, or POLYWIRE_PEERS to scripts/peers.py output)"
            ),
        }
        println!("[checksum {}]", self.checksum);
    }
}

/// One origin's scores.
#[derive(Default)]
struct OriginScores {
    pages: Vec<quality::Score>,
    snippet_pages: usize,
    snippets: quality::SnippetCounts,
}

fn origin_entry<'m>(
    map: &'m mut BTreeMap<(String, String), OriginScores>,
    page: &Page,
) -> &'m mut OriginScores {
    map.entry((page.origin.clone(), page.kind.clone()))
        .or_default()
}

fn row(label: &str, n: usize, s: quality::Score) {
    println!(
        "| {label:<18} | {n:>5} | {:.3} | {:.3} | {:.3} |",
        s.precision, s.recall, s.f1
    );
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let corpus = corpus_dir();
    let pages = load(&corpus);
    assert!(
        !pages.is_empty(),
        "no pages with ground truth in {}",
        corpus.display()
    );
    let rounds: usize = std::env::var("POLYWIRE_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let dump = std::env::var_os("POLYWIRE_BENCH_DUMP").map(PathBuf::from);
    if let Ok(id) = std::env::var("POLYWIRE_BENCH_SHOW") {
        for page in pages.iter().filter(|p| p.id == id) {
            show(page);
        }
        return;
    }

    // Quality.
    let mut full: BTreeMap<String, Vec<quality::Score>> = BTreeMap::new();
    let mut all_full = Vec::new();
    let mut silver = Vec::new();
    let mut snippets: BTreeMap<String, (usize, quality::SnippetCounts)> = BTreeMap::new();
    let mut all_snippets = quality::SnippetCounts::default();
    let mut ranked = Vec::new();
    // Per origin: full and silver pages by mean, snippet pages by micro counts.
    let mut by_origin: BTreeMap<(String, String), OriginScores> = BTreeMap::new();
    let mut per_page = String::new();
    let mut texts = Vec::with_capacity(pages.len());
    for page in &pages {
        let text = extract_text(page);
        texts.push(text.clone());
        if let Some(dir) = &dump {
            let _ = std::fs::create_dir_all(dir);
            let _ = std::fs::write(dir.join(format!("{}.txt", page.id)), &text);
        }
        match page.kind.as_str() {
            "full" => {
                let score = quality::bag_score(&text, page.body.as_deref().unwrap_or(""));
                full.entry(page.lang.clone()).or_default().push(score);
                all_full.push(score);
                origin_entry(&mut by_origin, page).pages.push(score);
                ranked.push((score, page.id.clone(), page.kind.clone()));
            }
            "silver" => {
                let score = quality::bag_score(&text, page.body.as_deref().unwrap_or(""));
                silver.push(score);
                origin_entry(&mut by_origin, page).pages.push(score);
                ranked.push((score, page.id.clone(), page.kind.clone()));
            }
            _ => {
                let counts = quality::snippet_counts(&text, &page.with, &page.without);
                let entry = snippets.entry(page.lang.clone()).or_default();
                entry.0 += 1;
                entry.1.add(counts);
                all_snippets.add(counts);
                let origin = origin_entry(&mut by_origin, page);
                origin.snippet_pages += 1;
                origin.snippets.add(counts);
                let mut one = quality::SnippetCounts::default();
                one.add(counts);
                ranked.push((one.score(), page.id.clone(), page.kind.clone()));
            }
        }
    }

    for (score, id, kind) in &ranked {
        let origin = pages
            .iter()
            .find(|p| &p.id == id)
            .map_or("?", |p| &p.origin);
        per_page.push_str(&format!(
            "{id}\t{origin}\t{kind}\t{:.4}\t{:.4}\t{:.4}\n",
            score.precision, score.recall, score.f1
        ));
    }
    if let Some(path) = std::env::var_os("POLYWIRE_BENCH_SCORES") {
        let _ = std::fs::write(path, &per_page);
    }

    println!(
        "corpus: {} ({} pages with ground truth)",
        corpus.display(),
        pages.len()
    );
    println!();
    print_groups(&pages, &texts, peer_texts(&corpus).as_ref());
    println!("full bodies (bag of tokens, mean over pages)");
    println!("| language           | pages |   P   |   R   |  F1   |");
    println!("|--------------------|-------|-------|-------|-------|");
    for (lang, scores) in &full {
        row(lang, scores.len(), quality::Score::mean(scores));
    }
    row("ALL full", all_full.len(), quality::Score::mean(&all_full));
    println!();
    println!("snippets (micro over snippets)");
    println!("| language           | pages |   P   |   R   |  F1   |");
    println!("|--------------------|-------|-------|-------|-------|");
    for (lang, (n, counts)) in &snippets {
        row(lang, *n, counts.score());
    }
    let snippet_pages: usize = snippets.values().map(|(n, _)| n).sum();
    row("ALL snippets", snippet_pages, all_snippets.score());
    println!();
    println!("silver (GNE output as reference; rough)");
    row(
        "zh-Hans silver",
        silver.len(),
        quality::Score::mean(&silver),
    );
    println!();
    println!("per origin (full and silver: mean over pages; snippets: micro)");
    println!("| origin             | kind     | pages |   P   |   R   |  F1   |");
    println!("|--------------------|----------|-------|-------|-------|-------|");
    for ((origin, kind), scores) in &by_origin {
        let (n, s) = if kind == "snippets" {
            (scores.snippet_pages, scores.snippets.score())
        } else {
            (scores.pages.len(), quality::Score::mean(&scores.pages))
        };
        println!(
            "| {origin:<18} | {kind:<8} | {n:>5} | {:.3} | {:.3} | {:.3} |",
            s.precision, s.recall, s.f1
        );
    }
    println!();
    if rounds > 0 {
        let speed = measure_speed(&pages, rounds);
        let peer = peer_timing(&corpus);
        speed.print(peer.as_ref());
    } else {
        println!("speed: not measured (POLYWIRE_BENCH_ROUNDS=0)");
    }

    if let Some(n) = std::env::var("POLYWIRE_BENCH_WORST")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        ranked.sort_by(|a, b| a.0.f1.total_cmp(&b.0.f1));
        println!();
        println!("worst {n} pages:");
        for (score, id, kind) in ranked.iter().take(n) {
            println!(
                "  {id:<28} {kind:<8} P {:.3} R {:.3} F1 {:.3}",
                score.precision, score.recall, score.f1
            );
        }
    }
}
