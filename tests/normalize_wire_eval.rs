//! Scores `normalize` on the wire evaluation set
//! (tests/fixtures/normalize/wire_eval, format in its README): dateline,
//! people, first and last sentence, and leftovers in the body, per story.
//! Prints a table per language (`-- --nocapture`) and fails when the frozen
//! test half scores below the floor.

use jiff::Timestamp;
use polywire::model::{Article, ExtractedArticle};
use polywire::normalize::{NormalizeContext, normalize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Stories of the test half that must come out completely right.
const TEST_FLOOR: usize = 36;

#[derive(Debug, Default)]
struct Story {
    id: String,
    fields: BTreeMap<String, String>,
    body: Vec<String>,
}

impl Story {
    fn get(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str)
    }

    fn list(&self, key: &str) -> Vec<String> {
        let mut v: Vec<String> = self
            .get(key)
            .map(|s| s.split(" | ").map(|x| x.trim().to_string()).collect())
            .unwrap_or_default();
        v.sort();
        v
    }
}

fn load(name: &str) -> Vec<Story> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/normalize/wire_eval")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut stories = Vec::new();
    let mut current: Option<Story> = None;
    let mut in_body = false;
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("=== ") {
            stories.extend(current.take());
            current = Some(Story {
                id: id.trim().to_string(),
                ..Story::default()
            });
            in_body = false;
            continue;
        }
        let Some(story) = current.as_mut() else {
            continue;
        };
        if in_body {
            if !line.trim().is_empty() {
                story.body.push(line.to_string());
            }
        } else if line == "---" {
            in_body = true;
        } else if let Some((k, v)) = line.split_once(": ") {
            story.fields.insert(k.to_string(), v.trim().to_string());
        }
    }
    stories.extend(current);
    stories
}

fn zone(lang: &str) -> &'static str {
    match lang {
        "zh-Hans" => "Asia/Shanghai",
        "zh-Hant" => "Asia/Taipei",
        "ja" => "Asia/Tokyo",
        "ko" => "Asia/Seoul",
        _ => "UTC",
    }
}

fn run(story: &Story) -> Article {
    let lang = story.get("lang").unwrap_or("en");
    let ctx = NormalizeContext {
        source: "eval".into(),
        language: lang.into(),
        timezone: zone(lang).into(),
        fetched_at: "2026-03-20T04:00:00Z".parse::<Timestamp>().unwrap(),
    };
    let extracted = ExtractedArticle {
        title: story.get("title").unwrap_or_default().to_string(),
        body: story.body.clone(),
        ..ExtractedArticle::default()
    };
    normalize(extracted, &ctx)
}

const CHECKS: [&str; 5] = ["dateline", "people", "first", "last", "clean"];

/// Which of [`CHECKS`] the story passes.
fn score(story: &Story, a: &Article) -> [bool; 5] {
    let dateline = match (story.get("agency"), a.dateline.as_ref()) {
        (None, None) => true,
        (None, Some(d)) => d.agency.is_empty(),
        (Some(_), None) => false,
        (Some(agency), Some(d)) => {
            d.agency == agency
                && d.place.as_deref() == story.get("place")
                && story
                    .get("date")
                    .is_none_or(|want| d.date.map(|x| x.to_string()).as_deref() == Some(want))
        }
    };
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    let people =
        sorted(&a.authors) == story.list("authors") && sorted(&a.editors) == story.list("editors");
    let first = story
        .get("first")
        .is_some_and(|f| a.body.first().is_some_and(|p| p.starts_with(f)));
    let last = story
        .get("last")
        .is_some_and(|l| a.body.last().is_some_and(|p| p.ends_with(l)));
    let clean = story
        .list("absent")
        .iter()
        .all(|s| a.body.iter().all(|p| !p.contains(s.as_str())));
    [dateline, people, first, last, clean]
}

/// Scores one half, prints its table and failures; returns the number of
/// stories completely right.
fn report(name: &str) -> usize {
    let stories = load(name);
    let mut by_lang: BTreeMap<String, (usize, [usize; 5], usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for story in &stories {
        let a = run(story);
        let s = score(story, &a);
        let lang = story.get("lang").unwrap_or("en");
        let group = if ["de", "fr", "es", "it"].contains(&lang) {
            "de/fr/es/it"
        } else {
            lang
        };
        let row = by_lang.entry(group.to_string()).or_default();
        row.0 += 1;
        for (n, ok) in row.1.iter_mut().zip(s) {
            *n += usize::from(ok);
        }
        row.2 += usize::from(s.iter().all(|&x| x));
        if !s.iter().all(|&x| x) {
            let failed: Vec<&str> = CHECKS
                .iter()
                .zip(s)
                .filter(|(_, ok)| !ok)
                .map(|(c, _)| *c)
                .collect();
            failures.push(format!(
                "  {} fails {:?}: dateline {:?}, authors {:?}, editors {:?}, body {:?}",
                story.id, failed, a.dateline, a.authors, a.editors, a.body
            ));
        }
    }
    println!("\n{name}: stories / {} / complete", CHECKS.join(" / "));
    let mut total = (0, [0; 5], 0);
    for (lang, (n, checks, complete)) in &by_lang {
        println!("  {lang:12} {n:3} {checks:?} {complete:3}");
        total.0 += n;
        for (t, c) in total.1.iter_mut().zip(checks) {
            *t += c;
        }
        total.2 += complete;
    }
    println!("  {:12} {:3} {:?} {:3}", "all", total.0, total.1, total.2);
    for f in failures {
        println!("{f}");
    }
    total.2
}

#[test]
fn wire_eval_tune() {
    let stories = load("tune.txt");
    assert!(stories.len() >= 30, "{}", stories.len());
    report("tune.txt");
}

#[test]
fn wire_eval_test() {
    let stories = load("test.txt");
    assert!(stories.len() >= 30, "{}", stories.len());
    let complete = report("test.txt");
    assert!(
        complete >= TEST_FLOOR,
        "{complete} of {} test stories complete, floor {TEST_FLOOR}",
        stories.len()
    );
}
