//! The widget's modules form no circle: no module imports one that imports it back.
//!
//! Why a test: a circle makes two modules one in all but name (neither can be read,
//! tested or moved without the other), and nothing in the compiler stops one forming.
//! This reads `src/**/*.rs`, collects every `crate::…` and `super::…` path in code (not
//! in comments or strings, not in `mod tests`), and looks for cycles twice: between the
//! top-level modules and folders (`app`, `backend/`, `expenses/`, …), and between files.
//! A file and the folder it sits in are the one exception at file level: a folder's
//! `mod.rs` is its component, and its parts may read what it shares (`super::ctx`).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path of every file under src/ (`expenses::filter`), and its code.
fn modules() -> BTreeMap<Vec<String>, String> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<Vec<String>, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                let mut p = prefix.to_vec();
                p.push(name);
                walk(&path, &p, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let mut p = prefix.to_vec();
                if name != "mod" && name != "lib" {
                    p.push(name);
                }
                out.insert(p, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &[], &mut out);
    out
}

/// The code's tokens that matter here: identifiers, `::`, `{`, `}`, `,`, `;` (comments,
/// strings and characters dropped).
fn tokens(src: &str) -> Vec<String> {
    let c: Vec<char> = src.chars().collect();
    let (mut i, mut out) = (0, Vec::new());
    while i < c.len() {
        let at = |j: usize| c.get(j).copied().unwrap_or(' ');
        match c[i] {
            '/' if at(i + 1) == '/' => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if at(i + 1) == '*' => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && at(i + 1) == '*' {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && at(i + 1) == '/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            'r' if at(i + 1) == '#' || (at(i + 1) == '"') => {
                let mut hashes = 0;
                let mut j = i + 1;
                while c.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if c.get(j) != Some(&'"') {
                    out.push("r".into());
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= c.len() {
                        break;
                    }
                    if c[j] == '"' && (0..hashes).all(|h| c.get(j + 1 + h) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                i = j;
            }
            '"' => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    i += if c[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            // A character literal ('a', '\n', '\u{1}'), not a lifetime ('a).
            '\'' if at(i + 1) == '\\' || at(i + 2) == '\'' => {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            ':' if at(i + 1) == ':' => {
                out.push("::".into());
                i += 2;
            }
            '{' | '}' | ',' | ';' => {
                out.push(c[i].to_string());
                i += 1;
            }
            ch if ch.is_alphanumeric() || ch == '_' => {
                let start = i;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
                out.push(c[start..i].iter().collect());
            }
            _ => i += 1,
        }
    }
    out
}

/// Every module path a file's code names, resolved against `here` (the file's module).
fn references(here: &[String], src: &str) -> BTreeSet<Vec<String>> {
    let t = tokens(src);
    let mut found = BTreeSet::new();
    // Inline modules (`mod tests { … }`) around the current token, with the brace depth
    // each opened at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < t.len() {
        match t[i].as_str() {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            "mod" if t.get(i + 2).is_some_and(|s| s == "{") => {
                inline.push((t[i + 1].clone(), depth));
            }
            _ => {}
        }
        let in_tests = inline.iter().any(|(m, _)| m == "tests");
        let starts_path = (t[i] == "crate" || t[i] == "super") && t.get(i + 1).is_some_and(|s| s == "::") && (i == 0 || t[i - 1] != "::");
        if !starts_path || in_tests {
            i += 1;
            continue;
        }
        // Where the path starts: the crate root, or `super` of the current module.
        let mut base: Vec<String> = here.to_vec();
        base.extend(inline.iter().map(|(m, _)| m.clone()));
        if t[i] == "crate" {
            base.clear();
            i += 2;
        } else {
            while t.get(i).is_some_and(|s| s == "super") && t.get(i + 1).is_some_and(|s| s == "::") {
                base.pop();
                i += 2;
            }
        }
        collect(&t, &mut i, base, &mut found);
    }
    found
}

/// Reads one path (or `{a, b::c}` group) from `t[*i]` on, adding each full path.
fn collect(t: &[String], i: &mut usize, base: Vec<String>, found: &mut BTreeSet<Vec<String>>) {
    let mut path = base;
    loop {
        match t.get(*i).map(String::as_str) {
            Some("{") => {
                *i += 1;
                while t.get(*i).is_some_and(|s| s != "}") {
                    collect(t, i, path.clone(), found);
                    if t.get(*i).is_some_and(|s| s == ",") {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            Some(s) if s.chars().all(|c| c.is_alphanumeric() || c == '_') && s != "self" => {
                path.push(s.to_string());
                *i += 1;
                if t.get(*i).is_some_and(|s| s == "::") {
                    *i += 1;
                    continue;
                }
                break;
            }
            Some("self") => {
                *i += 1;
                break;
            }
            _ => break,
        }
    }
    found.insert(path);
}

/// The longest prefix of `path` that is a module of ours.
fn module_of(path: &[String], modules: &BTreeMap<Vec<String>, String>) -> Vec<String> {
    (0..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| modules.contains_key(p)).unwrap_or_default()
}

/// Every cycle of `edges`, each as its nodes in order, listed once (from its least node).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn walk(start: &str, node: &str, edges: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        for next in edges.get(node).into_iter().flatten() {
            if next == start {
                out.push(path.clone());
            } else if next.as_str() > start && !path.contains(next) {
                path.push(next.clone());
                walk(start, next, edges, path, out);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    for start in edges.keys() {
        walk(start, start, edges, &mut vec![start.clone()], &mut out);
    }
    out
}

fn name(m: &[String]) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

fn graph(top_level: bool) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (here, src) in &modules {
        for path in references(here, src) {
            let there = module_of(&path, &modules);
            let (from, to) = if top_level {
                (here.iter().take(1).cloned().collect::<Vec<_>>(), there.iter().take(1).cloned().collect())
            } else {
                (here.clone(), there)
            };
            // A file reading its own folder's mod.rs is not a circle (see the top).
            let into_own_folder = !top_level && to.len() + 1 == from.len() && from.starts_with(&to);
            if from != to && !into_own_folder {
                edges.entry(name(&from)).or_default().insert(name(&to));
            }
        }
    }
    edges
}

fn describe(found: &[Vec<String>]) -> String {
    found.iter().map(|c| format!("  {} → {}", c.join(" → "), c[0])).collect::<Vec<_>>().join("\n")
}

#[test]
fn no_top_level_module_or_folder_imports_one_that_imports_it_back() {
    let found = cycles(&graph(true));
    assert!(found.is_empty(), "import circles between the widget's top-level modules:\n{}", describe(&found));
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let found = cycles(&graph(false));
    assert!(found.is_empty(), "import circles between the widget's files:\n{}", describe(&found));
}

#[test]
fn the_checker_sees_crate_and_super_paths_but_not_comments_strings_or_tests() {
    let here = vec!["expenses".to_string(), "filter".to_string()];
    let src = r#"
        //! Uses [`crate::app::Nope`] in a comment.
        use crate::{host::Host, job::{steps, watch::Watched}};
        use super::ledger::Ledger;
        fn f() { let _ = "crate::options::X"; crate::time::now(); let _c = '\''; }
        mod tests { use crate::upload::Fake; use super::super::day; }
    "#;
    let got: BTreeSet<String> = references(&here, src).into_iter().map(|p| name(&p)).collect();
    let want: BTreeSet<String> =
        ["host::Host", "job::steps", "job::watch::Watched", "expenses::ledger::Ledger", "time::now"].into_iter().map(String::from).collect();
    assert_eq!(got, want);
}
