//! The harness's top-level modules (`cli`, `config`, `engine`, `fuzz`,
//! `report`, `scheduler`, `script_runner`, `suite`) import downward only.
//! This test reads every file under `src/`, collects the top-level modules
//! it names through `crate::` and `super::` paths (in `use` declarations,
//! braces expanded, and inline), and fails on any cycle between top-level
//! modules, naming the files that make each edge of it. Unit tests
//! (`#[cfg(test)] mod NAME { .. }`) are left out: they may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// An edge `from -> to` between top-level modules, with the files making it.
type Edges = BTreeMap<(String, String), BTreeSet<String>>;

#[test]
fn top_level_modules_import_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = read_edges(&src);
    assert!(
        edges
            .keys()
            .any(|(from, to)| from == "cli" && to == "engine"),
        "the reader found no cli -> engine import: it is not reading the sources"
    );
    let cycles = cycles(&edges);
    let explained: Vec<String> = cycles
        .iter()
        .map(|modules| {
            let inner: Vec<String> = edges
                .iter()
                .filter(|((f, t), _)| modules.contains(f) && modules.contains(t))
                .map(|((f, t), files)| format!("  {f} -> {t} in {files:?}"))
                .collect();
            format!("cycle {modules:?}:\n{}", inner.join("\n"))
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "a module imports upward:\n{}",
        explained.join("\n")
    );
}

#[test]
fn the_reader_sees_grouped_super_and_inline_paths() {
    let text = "use crate::{engine::Value, report::{Report, Totals}};\n\
                use super::super::fuzz::x;\n\
                fn f() { crate::suite::scan(); }\n\
                // crate::cli in a comment\n\
                #[cfg(test)]\nmod tests { use crate::config::X; }\n";
    let named = named_modules(&["script_runner", "deep", "file"], text);
    let expected: BTreeSet<String> = ["engine", "report", "suite", "script_runner"]
        .map(String::from)
        .into();
    assert_eq!(named, expected);
    // From fuzz/observe.rs, `super::super` is the crate root.
    let top = named_modules(&["fuzz", "observe"], "use super::super::cli::X;");
    assert_eq!(top, BTreeSet::from(["cli".to_string()]));
}

/// Edges between different top-level modules, from every file under `src`.
fn read_edges(src: &Path) -> Edges {
    let mut edges = Edges::new();
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).unwrap();
        let module = module_path(relative);
        let Some(from) = module.first() else {
            continue; // lib.rs and main.rs: the root owns every module
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for to in named_modules(&module, &text) {
            if &to != from {
                edges
                    .entry((from.clone(), to))
                    .or_default()
                    .insert(relative.display().to_string());
            }
        }
    }
    edges
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// `cli/run_module/source.rs` -> `[cli, run_module, source]`; `engine/mod.rs`
/// -> `[engine]`; `lib.rs` -> `[]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The top-level modules a file at `module` names through `crate::` and
/// `super::` paths, outside comments and unit tests.
fn named_modules<S: AsRef<str>>(module: &[S], text: &str) -> BTreeSet<String> {
    let code = without_tests(&without_comments(text));
    let mut named = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let starts_word = i == 0 || !is_ident(bytes[i - 1]);
        // How many trailing segments of `module` to drop (all for `crate::`),
        // and the length of the prefix.
        let root: Option<(usize, usize)> = if !starts_word {
            None
        } else if rest.starts_with("crate::") {
            Some((module.len(), "crate::".len()))
        } else if rest.starts_with("super::") {
            let mut ups = 0;
            let mut len = 0;
            while rest[len..].starts_with("super::") {
                ups += 1;
                len += "super::".len();
            }
            Some((ups, len))
        } else {
            None
        };
        let Some((ups, len)) = root else {
            i += 1;
            continue;
        };
        let base: Vec<&str> = module.iter().map(AsRef::as_ref).collect();
        let base = &base[..base.len().saturating_sub(ups)];
        let after = &code[i + len..];
        if let Some(top) = base.first() {
            named.insert(top.to_string());
        } else if let Some(group) = after.strip_prefix('{') {
            named.extend(group_heads(group));
        } else {
            let head: String = after
                .bytes()
                .take_while(|b| is_ident(*b))
                .map(char::from)
                .collect();
            if !head.is_empty() {
                named.insert(head);
            }
        }
        i += len;
    }
    named
}

/// The first segment of each path in a `{a::b, c, d::{e, f}}` group (the
/// text after its `{`).
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut expecting = true;
    let mut current = String::new();
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => expecting = true,
            c if expecting && depth == 0 && (c.is_alphanumeric() || c == '_') => current.push(c),
            _ if !current.is_empty() => {
                heads.push(std::mem::take(&mut current));
                expecting = false;
            }
            _ => {}
        }
    }
    if !current.is_empty() {
        heads.push(current);
    }
    heads.retain(|h| h != "self");
    heads
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `text` without `//` comments (doc comments included) and string
/// literals' contents, so a path in prose is not an import.
fn without_comments(text: &str) -> String {
    text.replace("'\"'", "' '")
        .lines()
        .map(|line| {
            let mut out = String::new();
            let mut in_string = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' => in_string = !in_string,
                    '\\' if in_string => {
                        chars.next();
                    }
                    '/' if !in_string && chars.peek() == Some(&'/') => break,
                    _ if in_string => {}
                    _ => out.push(c),
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `code` without the bodies of `#[cfg(test)] mod NAME { .. }`.
fn without_tests(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = rest[at + "#[cfg(test)]".len()..].trim_start();
        let Some(module) = after.strip_prefix("mod ") else {
            out.push_str("#[cfg(test)]");
            rest = &rest[at + "#[cfg(test)]".len()..];
            continue;
        };
        let Some(open) = module.find(['{', ';']) else {
            break;
        };
        if module.as_bytes()[open] == b';' {
            rest = &module[open + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = module.len();
        for (i, c) in module[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &module[end..];
    }
    out.push_str(rest);
    out
}

/// The sets of top-level modules that reach each other (strongly connected
/// components of more than one module).
fn cycles(edges: &Edges) -> Vec<BTreeSet<String>> {
    let modules: BTreeSet<&String> = edges.keys().flat_map(|(f, t)| [f, t]).collect();
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(m) = stack.pop() {
            for (f, t) in edges.keys() {
                if *f == m && seen.insert(t.clone()) {
                    stack.push(t.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        modules.iter().map(|m| (*m, reach(m))).collect();
    let mut found: Vec<BTreeSet<String>> = Vec::new();
    for m in &modules {
        if !reaches[m].contains(*m) {
            continue;
        }
        let component: BTreeSet<String> = reaches[m]
            .iter()
            .filter(|other| reaches[other].contains(*m))
            .cloned()
            .collect();
        if !found.contains(&component) {
            found.push(component);
        }
    }
    found
}
