//! No import cycle between files of `src/`.
//!
//! Reads every `use` declaration of `src/**/*.rs` and every `crate::` or
//! `super::` path written inline in code, resolves each to the file that
//! defines the module it names, and fails when files import each other in
//! a cycle: a cycle means neither file can be read, tested or changed
//! without the other. A `pub use` of a child module's item only re-exports
//! it (the parent's facade) and is not counted.
//!
//! Cycles known when the check was added are listed in [`KNOWN_CYCLES`] so
//! the check passes while they are worked off; a new cycle fails it. Remove
//! an entry once its cycle is gone (the test prints entries it no longer
//! finds).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Cycles that existed when this check was written (issue 18), each the
/// set of files in it. They live in code other work is reshaping; shrink
/// the list as they go, never grow it.
const KNOWN_CYCLES: &[&[&str]] = &[
    // A tag table's matcher and the taxonomy that builds it.
    &["src/classify/matcher.rs", "src/classify/taxonomy.rs"],
];

/// Crates and prelude roots a `use` may start with that are not modules of
/// this crate.
fn is_external(first: &str, crate_dir: &Path) -> bool {
    !matches!(first, "crate" | "self" | "super")
        && !crate_dir.join(format!("{first}.rs")).is_file()
        && !crate_dir.join(first).join("mod.rs").is_file()
}

/// `src/a/b.rs` and `src/a/b/mod.rs` are module `a::b`; `src/lib.rs` is the
/// crate root (empty path).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The file that defines module `path`, if it is a file of its own.
fn file_of(src: &Path, path: &[String]) -> Option<PathBuf> {
    if path.is_empty() {
        return Some(src.join("lib.rs"));
    }
    let joined: PathBuf = path.iter().collect();
    let flat = src.join(&joined).with_extension("rs");
    let nested = src.join(&joined).join("mod.rs");
    [flat, nested].into_iter().find(|p| p.is_file())
}

/// Every path a `use` tree names, braces expanded: `a::{b, c::{d}}` gives
/// `a::b` and `a::c::d`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split('@').next().unwrap_or("").trim();
        return vec![path.to_string()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(expand)
        .map(|p| format!("{prefix}{p}"))
        .collect()
}

/// The `use` declarations and inline paths of a file, each with whether
/// it sits in the file's own module (not inside an inline `mod x { .. }`
/// such as `tests`, where `super` is the file itself). rustfmt puts a
/// top-level module's `mod x {` and its closing `}` at column 0.
fn uses(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    let mut in_inline_mod = false;
    while let Some(line) = lines.next() {
        let opens_module = line.starts_with("mod ") || line.starts_with("pub mod ");
        if opens_module && line.trim_end().ends_with('{') {
            in_inline_mod = true;
        } else if in_inline_mod && line == "}" {
            in_inline_mod = false;
        }
        let top = !in_inline_mod;
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        let reexport = trimmed.starts_with("pub use ")
            || trimmed.starts_with("pub(crate) use ")
            || trimmed.starts_with("pub(super) use ");
        let rest = trimmed
            .strip_prefix("pub(crate) use ")
            .or_else(|| trimmed.strip_prefix("pub(super) use "))
            .or_else(|| trimmed.strip_prefix("pub use "))
            .or_else(|| trimmed.strip_prefix("use "));
        let Some(rest) = rest else {
            out.extend(inline_paths(trimmed).into_iter().map(|p| (p, top)));
            continue;
        };
        let mut decl = rest.to_string();
        while !decl.contains(';') {
            match lines.next() {
                Some(next) => decl.push_str(next.trim()),
                None => break,
            }
        }
        // `x as y` keeps `x`; the alias is marked before spaces go.
        let decl = decl.split(';').next().unwrap_or("").replace(" as ", "@");
        let decl = decl.replace(char::is_whitespace, "");
        let of_child = !decl.starts_with("crate::") && !decl.starts_with("super::");
        if !(reexport && of_child) {
            out.push((decl, top));
        }
    }
    out
}

/// `crate::a::b` and `super::c` paths written in a line of code.
fn inline_paths(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for root in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = line[from..].find(root) {
            let start = from + at;
            let before = line[..start].chars().next_back();
            let end = line[start..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(line.len(), |n| start + n);
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                out.push(line[start..end].trim_end_matches(':').to_string());
            }
            from = end.max(start + root.len());
        }
    }
    out
}

/// The files `file` imports from.
fn imports(src: &Path, file: &Path) -> BTreeSet<PathBuf> {
    let text = std::fs::read_to_string(file).unwrap();
    let here = module_of(src, file);
    let dir_of_here: PathBuf = src.join(here.iter().collect::<PathBuf>());
    let mut found = BTreeSet::new();
    for (decl, top) in uses(&text) {
        for path in expand(&decl) {
            let segments: Vec<String> = path.split("::").map(str::to_string).collect();
            let Some(first) = segments.first() else {
                continue;
            };
            let mut module: Vec<String> = match first.as_str() {
                "crate" => Vec::new(),
                "self" => here.clone(),
                "super" if !top => here.clone(),
                "super" => here[..here.len().saturating_sub(1)].to_vec(),
                _ if is_external(first, &dir_of_here) => continue,
                // A child module named without `self::`.
                _ => here.clone(),
            };
            let skip = usize::from(matches!(first.as_str(), "crate" | "self" | "super"));
            let mut deepest = file_of(src, &module);
            for segment in &segments[skip..] {
                if segment == "super" {
                    module.pop();
                } else {
                    module.push(segment.clone());
                }
                if let Some(file) = file_of(src, &module) {
                    deepest = Some(file);
                }
            }
            if let Some(target) = deepest
                && target != file
            {
                found.insert(target);
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("src/main.rs") {
            out.push(path);
        }
    }
}

/// Strongly connected components of more than one file (Tarjan).
fn cycles(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<BTreeSet<PathBuf>> {
    struct State<'a> {
        graph: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        stack: Vec<&'a PathBuf>,
        on_stack: BTreeSet<&'a PathBuf>,
        found: Vec<BTreeSet<PathBuf>>,
    }
    fn visit<'a>(s: &mut State<'a>, node: &'a PathBuf) {
        let n = s.index.len();
        s.index.insert(node, n);
        s.low.insert(node, n);
        s.stack.push(node);
        s.on_stack.insert(node);
        for next in s.graph.get(node).into_iter().flatten() {
            let Some((next, _)) = s.graph.get_key_value(next) else {
                continue;
            };
            if !s.index.contains_key(next) {
                visit(s, next);
                let low = s.low[node].min(s.low[next]);
                s.low.insert(node, low);
            } else if s.on_stack.contains(next) {
                let low = s.low[node].min(s.index[next]);
                s.low.insert(node, low);
            }
        }
        if s.low[node] == s.index[node] {
            let mut component = BTreeSet::new();
            while let Some(top) = s.stack.pop() {
                s.on_stack.remove(top);
                component.insert(top.clone());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.found
}

#[test]
fn no_new_import_cycle_between_source_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = files
        .iter()
        .map(|f| (f.clone(), imports(&src, f)))
        .collect();
    let relative = |set: &BTreeSet<PathBuf>| -> BTreeSet<String> {
        set.iter()
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect()
    };
    let found: Vec<BTreeSet<String>> = cycles(&graph).iter().map(relative).collect();
    let known: Vec<BTreeSet<String>> = KNOWN_CYCLES
        .iter()
        .map(|c| c.iter().map(|f| f.to_string()).collect())
        .collect();
    for gone in known.iter().filter(|k| !found.contains(k)) {
        println!("no longer a cycle, remove it from KNOWN_CYCLES: {gone:?}");
    }
    let new: Vec<&BTreeSet<String>> = found.iter().filter(|c| !known.contains(c)).collect();
    assert!(new.is_empty(), "import cycles between files: {new:#?}");
}

#[test]
fn the_check_finds_a_cycle_and_reads_nested_braces() {
    assert_eq!(
        expand("crate::a::{b,c::{D,e::F}}"),
        ["crate::a::b", "crate::a::c::D", "crate::a::c::e::F"]
    );
    let path = |s: &str| PathBuf::from(s);
    let graph = BTreeMap::from([
        (path("a"), BTreeSet::from([path("b")])),
        (path("b"), BTreeSet::from([path("c")])),
        (path("c"), BTreeSet::from([path("a")])),
        (path("d"), BTreeSet::from([path("a")])),
    ]);
    assert_eq!(
        cycles(&graph),
        [BTreeSet::from([path("a"), path("b"), path("c")])]
    );
}
