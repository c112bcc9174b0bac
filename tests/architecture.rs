//! Data flows one way (ARCHITECTURE.md): no import cycle between the
//! library's modules, at the top level or between the files of one folder
//! module, and each build stage uses only the stages before it.
//! The library is `lib.rs`'s module tree (`main.rs` and `cli/` are the
//! binary, a layer above it).
//!
//! The sources are read as text: comments and string literals are blanked
//! (a string that is a whole `crate::` path, as `#[serde(with = "...")]`
//! names one, is kept), then every path that starts with `crate`, `super`,
//! `self` or a child module's name (`use` groups expanded, on any number of
//! lines) is resolved to the module it names. A use counts where the two
//! modules part: `render::liquid::filters` using `extract::dates` is an edge
//! `render -> extract`; `build::assemble` using `build::validate::Stamp` is
//! `build::assemble -> build::validate`; an item of a folder's own file
//! (`mod.rs`, `liquid.rs`) is that file, one more module beside its parts:
//! the parts using it while it uses them is a cycle. Inline modules
//! (`mod tests { .. }`) belong to their file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The build's stages in pipeline order: each may use only those before it.
const STAGES: [&str; 6] = [
    "survey", "read", "select", "assemble", "validate", "publish",
];

/// One module using another: `from` and `to` are module paths (`extract::body`)
/// or, for a folder module's own file, that file (`src/extract/mod.rs`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: String,
    to: String,
    /// `src/file.rs:line` of the use.
    at: String,
}

/// Comments, string and character literals blanked (newlines kept, so lines
/// stay where they were); a string literal that is a whole path from
/// `crate`, `super` or `self` keeps its path.
fn blank(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let blank_range = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        let at_ident_start = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if b[i..].starts_with(b"//") {
            let end = b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |n| i + n);
            blank_range(&mut out, i, end);
            i = end;
        } else if b[i..].starts_with(b"/*") {
            let (mut depth, mut j) = (0usize, i);
            while j < b.len() {
                if b[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank_range(&mut out, i, j);
            i = j;
        } else if at_ident_start && (b[i] == b'r' || b[i..].starts_with(b"br")) && {
            let k = i + if b[i] == b'b' { 2 } else { 1 };
            let hashes = b[k..].iter().take_while(|&&c| c == b'#').count();
            b.get(k + hashes) == Some(&b'"')
        } {
            let k = i + if b[i] == b'b' { 2 } else { 1 };
            let hashes = b[k..].iter().take_while(|&&c| c == b'#').count();
            let mut close = vec![b'"'];
            close.extend(std::iter::repeat_n(b'#', hashes));
            let body = k + hashes + 1;
            let end = b[body..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(b.len(), |n| body + n + close.len());
            blank_range(&mut out, i, end);
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            let inner = &src[i + 1..end.saturating_sub(1).max(i + 1)];
            let is_path = ["crate::", "super::", "self::"]
                .iter()
                .any(|p| inner.starts_with(p))
                && inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
            if is_path {
                out[i] = b' ';
                out[end - 1] = b' ';
            } else {
                blank_range(&mut out, i, end);
            }
            i = end;
        } else if b[i] == b'\'' {
            // A character literal ('x', '\n', '\u{..}', '{'), not a lifetime ('a).
            let end = if b.get(i + 1) == Some(&b'\\') {
                b[i + 3..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map(|n| i + 3 + n + 1)
            } else {
                let len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + len) == Some(&b'\'')).then_some(i + 2 + len)
            };
            match end {
                Some(end) => {
                    blank_range(&mut out, i, end);
                    i = end;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).expect("only ASCII bytes were replaced, whole characters at a time")
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Path,
    Other(char),
}

fn tokens(text: &str) -> Vec<(Tok, usize)> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\n' {
            line += 1;
        } else if c.is_alphabetic() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let word = &text[i..end];
            // A raw identifier (`r#type`) is its name.
            if word == "r" && chars.peek().map(|&(_, d)| d) == Some('#') {
                continue;
            }
            out.push((Tok::Ident(word.to_string()), line));
        } else if c == ':' && chars.peek().map(|&(_, d)| d) == Some(':') {
            chars.next();
            out.push((Tok::Path, line));
        } else if !c.is_whitespace() {
            out.push((Tok::Other(c), line));
        }
    }
    out
}

fn ident(toks: &[(Tok, usize)], i: usize) -> Option<&str> {
    match toks.get(i) {
        Some((Tok::Ident(s), _)) => Some(s),
        _ => None,
    }
}

fn is(toks: &[(Tok, usize)], i: usize, c: char) -> bool {
    matches!(toks.get(i), Some((Tok::Other(d), _)) if *d == c)
}

/// Reads a path's tail from `i` (just after a `::`): segments, `{ .. }`
/// groups (nested, each member its own path) and `*`. Each full path found
/// is pushed with its line; returns the index after the path.
fn path_tail(
    toks: &[(Tok, usize)],
    mut i: usize,
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, usize)>,
) -> usize {
    let line = toks.get(i).map_or(0, |t| t.1);
    if is(toks, i, '{') {
        i += 1;
        while i < toks.len() && !is(toks, i, '}') {
            match ident(toks, i) {
                Some(seg) => {
                    let mut p = prefix.clone();
                    if seg != "self" {
                        p.push(seg.to_string());
                    }
                    i += 1;
                    if toks.get(i).map(|t| &t.0) == Some(&Tok::Path) {
                        i = path_tail(toks, i + 1, p, out);
                    } else {
                        out.push((p, toks[i - 1].1));
                    }
                }
                None if is(toks, i, '{') => i = path_tail(toks, i, prefix.clone(), out),
                None if is(toks, i, '*') => {
                    out.push((prefix.clone(), toks[i].1));
                    i += 1;
                }
                None => i += 1, // `,`, `as`'s alias follows an ident and is skipped here
            }
        }
        return i + 1;
    }
    let mut p = prefix;
    let mut last_line = line;
    loop {
        match ident(toks, i) {
            Some(seg) => {
                p.push(seg.to_string());
                last_line = toks[i].1;
                i += 1;
                if toks.get(i).map(|t| &t.0) == Some(&Tok::Path) {
                    if is(toks, i + 1, '{') {
                        return path_tail(toks, i + 1, p, out);
                    }
                    i += 1;
                    continue;
                }
            }
            None => {
                if is(toks, i, '*') {
                    i += 1;
                }
            }
        }
        out.push((p, last_line));
        return i;
    }
}

/// The library's module tree from `lib.rs`: module path → its file (`src/...`).
fn module_files(files: &BTreeMap<String, String>) -> BTreeMap<Vec<String>, String> {
    let mut found = BTreeMap::new();
    let mut todo = vec![(Vec::<String>::new(), "lib.rs".to_string())];
    while let Some((module, file)) = todo.pop() {
        let Some(text) = files.get(&file) else {
            continue;
        };
        let dir = match file.rsplit_once('/') {
            _ if file == "lib.rs" => String::new(),
            Some((d, "mod.rs")) => format!("{d}/"),
            _ => format!("{}/", file.trim_end_matches(".rs")),
        };
        let toks = tokens(&blank(text));
        for i in 0..toks.len() {
            if ident(&toks, i) == Some("mod") && is(&toks, i + 2, ';') {
                if let Some(name) = ident(&toks, i + 1) {
                    let mut child = module.clone();
                    child.push(name.to_string());
                    let flat = format!("{dir}{name}.rs");
                    let nested = format!("{dir}{name}/mod.rs");
                    let path = if files.contains_key(&flat) {
                        flat
                    } else {
                        nested
                    };
                    todo.push((child, path));
                }
            }
        }
        found.insert(module, format!("src/{file}"));
    }
    found
}

/// Every edge between modules in `files` (path under `src/` → source),
/// from `lib.rs`'s module tree; `lib.rs` itself, the crate's face, is left out.
fn edges(files: &BTreeMap<String, String>) -> Vec<Edge> {
    let modules = module_files(files);
    let mut edges = BTreeSet::new();
    for (module, file) in &modules {
        if module.is_empty() {
            continue;
        }
        let toks = tokens(&blank(&files[&file["src/".len()..]]));
        // Inline modules open here: (path, brace depth inside them).
        let mut inline: Vec<(String, usize)> = Vec::new();
        let mut depth = 0usize;
        let mut i = 0;
        while i < toks.len() {
            let scope: Vec<String> = module
                .iter()
                .cloned()
                .chain(inline.iter().map(|m| m.0.clone()))
                .collect();
            match &toks[i].0 {
                Tok::Other('{') => depth += 1,
                Tok::Other('}') => {
                    depth -= 1;
                    if inline.last().is_some_and(|m| m.1 == depth + 1) {
                        inline.pop();
                    }
                }
                Tok::Ident(w) if w == "mod" => {
                    if let (Some(name), true) = (ident(&toks, i + 1), is(&toks, i + 2, '{')) {
                        inline.push((name.to_string(), depth + 1));
                        depth += 1;
                        i += 3;
                        continue;
                    }
                }
                // `pub(in crate::x)` limits visibility; it uses nothing.
                Tok::Ident(w) if w == "pub" && is(&toks, i + 1, '(') => {
                    while i < toks.len() && !is(&toks, i, ')') {
                        i += 1;
                    }
                }
                Tok::Ident(w) => {
                    let continues = i > 0 && (toks[i - 1].0 == Tok::Path || is(&toks, i - 1, '.'));
                    let starts = matches!(w.as_str(), "crate" | "super" | "self") || {
                        let mut child = scope.clone();
                        child.push(w.clone());
                        modules.contains_key(&child)
                    };
                    if !continues && starts && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::Path) {
                        let mut found = Vec::new();
                        let next = path_tail(&toks, i + 2, vec![w.clone()], &mut found);
                        for (path, line) in found {
                            if let Some(target) = resolve(&scope, &path) {
                                if let Some((from, to)) = parted(&modules, module, &target) {
                                    edges.insert(Edge {
                                        from,
                                        to,
                                        at: format!("{file}:{line}"),
                                    });
                                }
                            }
                        }
                        i = next;
                        continue;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
    edges.into_iter().collect()
}

/// The absolute path `path` names from inside module `scope`.
fn resolve(scope: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut at = scope.to_vec();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            at.clear();
            rest = &path[1..];
        }
        Some("self") => rest = &path[1..],
        _ => {}
    }
    while rest.first().map(String::as_str) == Some("super") {
        at.pop()?;
        rest = &rest[1..];
    }
    at.extend(rest.iter().cloned());
    Some(at)
}

/// Where module `from` (a file's module) and the path `target` part: the
/// two nodes an edge joins, none when both are the same file.
fn parted(
    modules: &BTreeMap<Vec<String>, String>,
    from: &[String],
    target: &[String],
) -> Option<(String, String)> {
    let common = from.iter().zip(target).take_while(|(a, b)| a == b).count();
    let level = &from[..common];
    let node = |path: &[String]| -> String {
        match path.get(common) {
            Some(seg) if modules.contains_key(&[level, std::slice::from_ref(seg)].concat()) => {
                [level, std::slice::from_ref(seg)].concat().join("::")
            }
            // An item of the folder module's own file (or the crate root's).
            _ => modules
                .get(level)
                .cloned()
                .unwrap_or_else(|| "src/lib.rs".into()),
        }
    };
    let (a, b) = (node(from), node(target));
    (a != b).then_some((a, b))
}

/// Each import cycle once, as the edges that close it (the first use of
/// each pair of modules).
fn cycles(edges: &[Edge]) -> Vec<Vec<Edge>> {
    let mut next: BTreeMap<&str, BTreeMap<&str, &Edge>> = BTreeMap::new();
    for e in edges {
        next.entry(&e.from).or_default().entry(&e.to).or_insert(e);
    }
    let mut found: Vec<Vec<Edge>> = Vec::new();
    let mut seen: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    for &start in next.keys() {
        // Shortest way back to `start`, breadth first.
        let mut back: BTreeMap<&str, &Edge> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut closing = None;
        while let Some(n) = queue.pop_front() {
            for (&m, &e) in next.get(n).into_iter().flatten() {
                if m == start {
                    closing = Some(e);
                    break;
                }
                if !back.contains_key(m) {
                    back.insert(m, e);
                    queue.push_back(m);
                }
            }
            if closing.is_some() {
                break;
            }
        }
        if let Some(last) = closing {
            let mut cycle = vec![last.clone()];
            let mut n = last.from.as_str();
            while n != start {
                let e = back[n];
                cycle.push(e.clone());
                n = e.from.as_str();
            }
            cycle.reverse();
            let members: BTreeSet<String> = cycle.iter().map(|e| e.from.clone()).collect();
            if seen.insert(members) {
                found.push(cycle);
            }
        }
    }
    found
}

fn describe(cycle: &[Edge], all: &[Edge]) -> String {
    let mut s = String::from("CYCLE\n");
    for e in cycle {
        let at: Vec<&str> = all
            .iter()
            .filter(|o| o.from == e.from && o.to == e.to)
            .map(|o| o.at.as_str())
            .take(4)
            .collect();
        s += &format!("  {} -> {}  ({})\n", e.from, e.to, at.join(", "));
    }
    s
}

/// Uses of a build stage by another that does not come before it.
fn stage_order_breaches(edges: &[Edge]) -> Vec<&Edge> {
    let stage = |n: &str| {
        STAGES
            .iter()
            .position(|s| n.strip_prefix("build::") == Some(s))
    };
    edges
        .iter()
        .filter(|e| match (stage(&e.from), stage(&e.to)) {
            (Some(a), Some(b)) => b >= a,
            (Some(_), None) => e.to == "src/build/mod.rs",
            _ => false,
        })
        .collect()
}

fn crate_sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

#[test]
fn the_library_has_no_import_cycle() {
    let files = crate_sources();
    let edges = edges(&files);
    // The walk saw the crate: a known edge of each kind is among them.
    assert!(
        edges.iter().any(|e| e.from == "build" && e.to == "cache"),
        "{edges:#?}"
    );
    assert!(
        edges
            .iter()
            .any(|e| e.from == "build::assemble" && e.to == "build::read"),
        "{edges:#?}"
    );
    let cycles = cycles(&edges);
    let report: String = cycles.iter().map(|c| describe(c, &edges)).collect();
    println!("{} uses, {} cycles\n{report}", edges.len(), cycles.len());
    assert!(cycles.is_empty(), "import cycles:\n{report}");
}

#[test]
fn each_build_stage_uses_only_earlier_stages() {
    let edges = edges(&crate_sources());
    let stage_edges = edges
        .iter()
        .filter(|e| e.from.starts_with("build::") && e.to.starts_with("build::"))
        .count();
    assert!(
        stage_edges >= 5,
        "the stages use each other: {stage_edges} uses found"
    );
    let breaches = stage_order_breaches(&edges);
    assert!(
        breaches.is_empty(),
        "a stage uses a later one or build's own file: {breaches:#?}"
    );
}

fn sources(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

fn pairs(edges: &[Edge]) -> Vec<(String, String)> {
    edges
        .iter()
        .map(|e| (e.from.clone(), e.to.clone()))
        .collect()
}

#[test]
fn a_cycle_between_top_level_modules_is_found_with_each_uses_line() {
    let files = sources(&[
        ("lib.rs", "mod a;\nmod b;\nmod c;\n"),
        ("a.rs", "use crate::b::Thing;\n"),
        (
            "b.rs",
            "// use crate::c::Nothing;\npub struct Thing;\nfn f() { crate::c::g() }\n",
        ),
        (
            "c.rs",
            "pub fn g() {}\n#[cfg(test)]\nmod tests {\n    use crate::{\n        a,\n    };\n}\n",
        ),
    ]);
    let edges = edges(&files);
    assert_eq!(
        pairs(&edges),
        [("a", "b"), ("b", "c"), ("c", "a")].map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let cycles = cycles(&edges);
    assert_eq!(cycles.len(), 1);
    let text = describe(&cycles[0], &edges);
    for line in [
        "a -> b  (src/a.rs:1)",
        "b -> c  (src/b.rs:3)",
        "c -> a  (src/c.rs:5)",
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
}

#[test]
fn one_way_uses_are_no_cycle() {
    let files = sources(&[
        ("lib.rs", "mod a;\nmod b;\n"),
        ("a.rs", "use crate::b::{self, Thing};\n"),
        // Comments, strings and doc comments name `crate::a` without using it.
        ("b.rs", "//! See [`crate::a`].\n/* crate::a::x */ pub struct Thing;\nconst S: &str = \"crate::a is above\";\nconst C: char = '{';\n"),
    ]);
    let edges = edges(&files);
    assert_eq!(pairs(&edges), [("a".to_string(), "b".to_string())]);
    assert!(cycles(&edges).is_empty());
}

#[test]
fn sibling_files_of_a_folder_module_form_a_cycle_through_super() {
    let files = sources(&[
        ("lib.rs", "pub mod build;\n"),
        ("build/mod.rs", "mod survey;\nmod validate;\npub fn run() { validate::check(); }\n"),
        ("build/survey.rs", "use super::validate::Stamp;\n"),
        ("build/validate.rs", "pub struct Stamp;\npub fn check() { let _ = super::survey::f; }\nfn g() { super::run() }\n"),
    ]);
    let edges = edges(&files);
    let pairs = pairs(&edges);
    for (a, b) in [
        ("src/build/mod.rs", "build::validate"),
        ("build::survey", "build::validate"),
        ("build::validate", "build::survey"),
        ("build::validate", "src/build/mod.rs"),
    ] {
        assert!(
            pairs.contains(&(a.into(), b.into())),
            "{a} -> {b} missing: {pairs:?}"
        );
    }
    let cycles = cycles(&edges);
    assert!(!cycles.is_empty());
    // A stage using a later stage, and a stage using build's own file, are breaches.
    let breaches = stage_order_breaches(&edges);
    assert_eq!(breaches.len(), 2, "{breaches:#?}");
}

#[test]
fn a_serde_attribute_path_and_a_multi_line_group_are_uses() {
    let files = sources(&[
        ("lib.rs", "mod a;\nmod b;\nmod c;\n"),
        ("a.rs", "#[serde(with = \"crate::b::compact\")]\nstruct S;\n"),
        ("b.rs", "use crate::{\n    c::{\n        X,\n        Y,\n    },\n};\n"),
        ("c.rs", "pub(in crate::c) fn hidden() {}\nfn f(v: Vec<u8>) { v.len(); let _ = r#\"crate::a\"#; }\n"),
    ]);
    let edges = edges(&files);
    assert_eq!(
        edges,
        [
            Edge {
                from: "a".into(),
                to: "b".into(),
                at: "src/a.rs:1".into()
            },
            Edge {
                from: "b".into(),
                to: "c".into(),
                at: "src/b.rs:3".into()
            },
            Edge {
                from: "b".into(),
                to: "c".into(),
                at: "src/b.rs:4".into()
            },
        ]
    );
}
