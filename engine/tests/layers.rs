//! The engine's files must import downward only: this test reads every
//! file under `src/`, collects the modules it names through `crate::`,
//! `super::` and `self::` paths (in `use` declarations, expanded, and
//! inline), and looks for import cycles between files.
//!
//! A module naming its own children (`mod call;` then `call::f`) is not an
//! edge: a parent owns its children. A name a module re-exports from a
//! child (`pub use shapes::Bin;`) counts as the child's, and a
//! `#[macro_export]` macro named from the crate root (`crate::m!`,
//! `$crate::m!`) counts as the file's that defines it. Unit tests
//! (`#[cfg(test)] mod tests { .. }`, braces matched) are left out: they may
//! reach anywhere; code after them still counts.
//!
//! The files still on a cycle are listed in [`KNOWN_CYCLE`], each with the
//! edge that keeps it there. The test fails when a cycle takes in a file
//! not listed (a new upward import), and when a listed file has left every
//! cycle (so the list only shrinks: remove it).
//!
//! The layers themselves are the rows of the layout table in the engine's
//! README, bottom layer first: every top-level module must have a row (and
//! every row a module), and a file may import only from its own layer and
//! the rows above it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Files (module paths) still on an import cycle, and the edge that keeps
/// each there. Shrink as those edges are removed.
const KNOWN_CYCLE: &[(&str, &str)] = &[
    // Empty: no file is on a cycle. A new entry needs the edge that keeps
    // it there, as `("exec/code", "`FuncCode::ops` holds `interp::Op`")`.
];

#[test]
fn no_new_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = Graph::read(&src);
    let on_cycle: BTreeSet<String> = graph.cycles().into_iter().flatten().collect();
    let known: BTreeSet<String> = KNOWN_CYCLE.iter().map(|(f, _)| f.to_string()).collect();
    let new: Vec<_> = on_cycle.difference(&known).collect();
    assert!(
        new.is_empty(),
        "import cycle through {new:?}: a file imports upward (cycles: {:?})",
        graph.cycles()
    );
    let gone: Vec<_> = known.difference(&on_cycle).collect();
    assert!(
        gone.is_empty(),
        "{gone:?} no longer on a cycle: remove them from KNOWN_CYCLE"
    );
}

#[test]
fn layers_import_downward_in_the_readme_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("engine README");
    let layers = readme_layers(&readme);
    let graph = Graph::read(&root.join("src"));
    let top: BTreeSet<String> = graph
        .modules
        .keys()
        .filter(|m| !m.is_empty())
        .map(|m| layer_of(m).to_string())
        .collect();
    let listed: BTreeSet<String> = layers.iter().cloned().collect();
    assert_eq!(
        listed, top,
        "the README's layout table must list every top-level module"
    );
    let rank = |m: &str| layers.iter().position(|l| l == layer_of(m));
    let mut upward = Vec::new();
    // Unit tests in their own files (`tests.rs`) may reach anywhere.
    let tests = |m: &str| m == "tests" || m.ends_with("/tests");
    for (from, targets) in graph.edges.iter().filter(|(m, _)| !tests(m)) {
        for to in targets {
            if let (Some(a), Some(b)) = (rank(from), rank(to)) {
                if b > a {
                    upward.push(format!("{from} -> {to}"));
                }
            }
        }
    }
    assert!(upward.is_empty(), "imports of a higher layer: {upward:?}");
}

/// The first segment of a module path: its layer.
fn layer_of(module: &str) -> &str {
    module.split('/').next().unwrap_or(module)
}

/// The modules the README's layout table names, in its order (`exec/` ->
/// `exec`, `error.rs` -> `error`).
fn readme_layers(readme: &str) -> Vec<String> {
    let table = readme
        .split("## Layout")
        .nth(1)
        .expect("a `## Layout` section");
    table
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cell = l.trim_start_matches('|').trim_start();
            let name = cell.strip_prefix('`')?.split('`').next()?;
            Some(
                name.trim_end_matches('/')
                    .trim_end_matches(".rs")
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn the_readme_table_is_read_in_order() {
    let text = "## Layout\n\nintro\n\n| folder | concern |\n|---|---|\n| `error.rs` | e |\n| `runtime/` | r |\n\nafter\n| `x/` | not in the table |";
    assert_eq!(readme_layers(text), ["error", "runtime"]);
}

#[test]
fn the_reader_sees_imports_reexports_and_cycles() {
    let g = Graph::from_sources(&[
        (
            "a",
            "use crate::b::{X, Y as Z};\nfn f() { super::c::d::g(); }",
        ),
        ("b", "use crate::{c::T, a};"),
        // `c` re-exports `T` from its child `d`: naming `c::T` names `d`.
        ("c", "pub use d::T;"),
        (
            "c/d",
            "use super::super::a::W;\n#[cfg(test)]\nmod tests {\n use crate::b::V;\n}",
        ),
        ("e", "use crate::a::W; // crate::b::V"),
        // A test module's braces end it; the `use` after it counts.
        (
            "f",
            "#[cfg(test)]\nmod tests {\n fn t() { let _ = ('{', \"}\"); }\n use crate::b::V;\n}\nuse crate::a::W;",
        ),
        // An exported macro named from the crate root is its file's.
        ("g", "#[macro_export]\nmacro_rules! made { () => {} }"),
        ("h", "crate::made!(); fn f() { $crate::made!() }"),
    ]);
    assert_eq!(g.edges["f"], BTreeSet::from(["a".into()]));
    assert_eq!(g.edges["h"], BTreeSet::from(["g".into()]));
    assert_eq!(g.edges["a"], BTreeSet::from(["b".into(), "c/d".into()]));
    assert_eq!(g.edges["b"], BTreeSet::from(["a".into(), "c/d".into()]));
    assert_eq!(g.edges["c"], BTreeSet::new());
    assert_eq!(g.edges["c/d"], BTreeSet::from(["a".into()]));
    assert_eq!(g.edges["e"], BTreeSet::from(["a".into()]));
    let cycles = g.cycles();
    assert_eq!(cycles.len(), 1);
    assert_eq!(
        cycles[0].iter().cloned().collect::<BTreeSet<_>>(),
        BTreeSet::from(["a".to_string(), "b".into(), "c/d".into()])
    );
}

/// Files as module paths (`exec/interp` for `exec/interp/mod.rs`) and the
/// modules each one names.
#[derive(Default)]
struct Graph {
    /// Module path -> file text.
    modules: BTreeMap<String, String>,
    /// Module path -> names it takes from its children with `use`
    /// (re-exports, mostly) -> the child.
    reexports: BTreeMap<String, BTreeMap<String, String>>,
    edges: BTreeMap<String, BTreeSet<String>>,
    /// `#[macro_export]` macro name -> the module defining it.
    macros: BTreeMap<String, String>,
}

impl Graph {
    fn read(src: &Path) -> Graph {
        let mut g = Graph::default();
        for file in rust_files(src) {
            let rel = file.strip_prefix(src).expect("under src");
            let mut parts: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            let text = std::fs::read_to_string(&file).expect("readable source");
            g.modules.insert(parts.join("/"), text);
        }
        g.link();
        g
    }

    /// A graph of the given `(module, text)` pairs.
    fn from_sources(sources: &[(&str, &str)]) -> Graph {
        let mut g = Graph::default();
        for (m, t) in sources {
            g.modules.insert(m.to_string(), t.to_string());
        }
        g.link();
        g
    }

    /// Finds every module's re-exports, then its edges.
    fn link(&mut self) {
        let sources: Vec<(String, String)> = self
            .modules
            .iter()
            .map(|(m, t)| (m.clone(), without_tests(&without_comments(t))))
            .collect();
        self.macros = exported_macros(&sources);
        for (module, code) in &sources {
            let mut names = BTreeMap::new();
            for path in use_paths(code) {
                let mut segments = path.split("::").map(str::trim);
                let first = segments.next().unwrap_or("");
                let child = if module.is_empty() {
                    first.to_string()
                } else {
                    format!("{module}/{first}")
                };
                if let (true, Some(last)) = (self.modules.contains_key(&child), segments.last()) {
                    names.insert(last.to_string(), child);
                }
            }
            self.reexports.insert(module.clone(), names);
        }
        for (module, code) in &sources {
            self.add_source(module, code);
        }
    }

    /// Records the modules `code` (the file of `module`) names.
    fn add_source(&mut self, module: &str, code: &str) {
        let me: Vec<&str> = module.split('/').filter(|s| !s.is_empty()).collect();
        let mut targets = BTreeSet::new();
        for path in named_paths(code) {
            if let Some(t) = self.resolve(&me, &path) {
                if t != module && !t.is_empty() {
                    targets.insert(t);
                }
            }
        }
        self.edges.insert(module.to_string(), targets);
    }

    /// The file module a path lands in: the longest prefix that is a file.
    fn resolve(&self, me: &[&str], path: &str) -> Option<String> {
        let mut segments = path.split("::").map(str::trim).filter(|s| !s.is_empty());
        let mut base: Vec<&str> = match segments.next()? {
            "crate" => Vec::new(),
            "self" => me.to_vec(),
            "super" => me[..me.len().saturating_sub(1)].to_vec(),
            _ => return None,
        };
        for s in segments {
            match s {
                "super" => {
                    base.pop();
                }
                "self" => {}
                s => base.push(s.split_whitespace().next().unwrap_or(s)),
            }
        }
        // An exported macro, at the crate root, is its defining file's.
        if let [name] = base.as_slice() {
            if let Some(definer) = self.macros.get(*name) {
                return Some(definer.clone());
            }
        }
        let n = (0..=base.len())
            .rev()
            .find(|&n| self.modules.contains_key(&base[..n].join("/")))?;
        let mut module = base[..n].join("/");
        // A name a module re-exports from a child is the child's.
        if let Some(name) = base.get(n) {
            while let Some(child) = self.reexports.get(&module).and_then(|r| r.get(*name)) {
                module = child.clone();
            }
        }
        Some(module)
    }

    /// Sets of files that import each other in a circle (strongly
    /// connected components with more than one file).
    fn cycles(&self) -> Vec<Vec<String>> {
        let nodes: Vec<&String> = self.modules.keys().collect();
        let index: BTreeMap<&String, usize> =
            nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let succ: Vec<Vec<usize>> = nodes
            .iter()
            .map(|n| {
                self.edges
                    .get(*n)
                    .into_iter()
                    .flatten()
                    .filter_map(|t| index.get(t).copied())
                    .collect()
            })
            .collect();
        tarjan(&succ)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|c| c.into_iter().map(|i| nodes[i].clone()).collect())
            .collect()
    }
}

/// Strongly connected components (Tarjan, iterative).
fn tarjan(succ: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = succ.len();
    let (mut index, mut low) = (vec![usize::MAX; n], vec![0; n]);
    let (mut on_stack, mut stack, mut out) = (vec![false; n], Vec::new(), Vec::new());
    let mut next = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next successor to visit)
        let mut work = vec![(root, 0)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = succ[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                loop {
                    let w = stack.pop().expect("on the stack");
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(comp);
            }
        }
    }
    out
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The text without `//` comments (doc comments name paths in prose).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text without its unit-test modules (`#[cfg(test)] mod tests { .. }`,
/// braces matched), keeping whatever follows them.
fn without_tests(text: &str) -> String {
    const START: &str = "#[cfg(test)]\nmod tests {";
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(START) {
        out.push_str(&rest[..i]);
        let body = &rest[i + START.len()..];
        rest = &body[block_end(body)..];
    }
    out.push_str(rest);
    out
}

/// The index just past the `}` closing a block whose `{` came before
/// `code`, skipping braces in string and character literals.
fn block_end(code: &str) -> usize {
    let bytes = code.as_bytes();
    let (mut depth, mut i) = (1usize, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            // A character literal (`'{'`, `'\''`), not a lifetime.
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') => {
                i += 2;
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The `#[macro_export]` macros each module defines: name -> module.
/// Such a macro lives at the crate root (`crate::name!`, `$crate::name!`),
/// so a path naming it is an edge to the file that defines it.
fn exported_macros(sources: &[(String, String)]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (module, code) in sources {
        let mut rest = code.as_str();
        while let Some(i) = rest.find("#[macro_export]") {
            rest = &rest[i..];
            let Some(j) = rest.find("macro_rules!") else {
                break;
            };
            let after = rest[j + "macro_rules!".len()..].trim_start();
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.insert(name, module.clone());
            rest = &rest[j..];
        }
    }
    out
}

/// Every path of the `use` declarations, trees expanded.
fn use_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let at_word = i == 0 || !rest.as_bytes()[i - 1].is_ascii_alphanumeric();
        let after = &rest[i + 4..];
        let Some(end) = after.find(';') else { break };
        if at_word {
            expand_use("", &after[..end], &mut out);
        }
        rest = &after[end..];
    }
    out
}

/// Every `crate::`/`super::`/`self::` path: in `use` declarations, and
/// written inline.
fn named_paths(code: &str) -> Vec<String> {
    let mut out = use_paths(code);
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            let before_ok = at == 0 || {
                let c = code.as_bytes()[at - 1];
                !(c.is_ascii_alphanumeric() || c == b'_' || c == b':')
            };
            let len = code[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(code.len() - at);
            if before_ok {
                out.push(code[at..at + len].trim_end_matches(':').to_string());
            }
            from = at + len.max(1);
        }
    }
    out
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into paths with `prefix`.
fn expand_use(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree: String = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut depth = 0;
    let mut part = String::new();
    let mut parts = Vec::new();
    for c in tree.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            parts.push(std::mem::take(&mut part));
        } else {
            part.push(c);
        }
    }
    parts.push(part);
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        match (p.find('{'), p.rfind('}')) {
            (Some(open), Some(close)) => {
                expand_use(&format!("{prefix}{}", &p[..open]), &p[open + 1..close], out)
            }
            _ => {
                let name = p.split(" as ").next().unwrap_or(p).trim();
                out.push(format!("{prefix}{name}"));
            }
        }
    }
}
