//! Rewrites the folded legacy exception syntax into the flat form the `wast`
//! crate parses.
//!
//! The four `legacy/` scripts write `(try BT (do I*) (catch $t I*)*
//! (catch_all I*)?)` and `(try BT (do I*) (delegate L))`; `wast` 263 only
//! parses the flat `try BT I* catch $t I* ... end` / `try BT I* delegate L`.
//! The rewrite edits in place, turning the wrapping parentheses and the `do`
//! keyword into spaces and the final `)` into `end`, so every line keeps its
//! number (the reports point at the original script).

/// The script with every folded legacy `try` made flat; `None` when it has
/// none (the common case, so callers keep the original text).
pub fn rewrite_folded_try(text: &str) -> Option<String> {
    if !text.contains("(do") {
        return None;
    }
    let tree = parse_lists(text);
    let mut edits = Vec::new();
    for node in &tree {
        collect_edits(text, node, &mut edits);
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(text.len() + edits.len());
    let mut at = 0;
    for (start, len, replacement) in edits {
        out.push_str(&text[at..start]);
        out.push_str(replacement);
        at = start + len;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// A parenthesised list: offsets of its `(` and `)`, and its head keyword.
#[derive(Debug)]
struct List {
    open: usize,
    close: usize,
    head: Option<(usize, usize)>,
    children: Vec<List>,
}

impl List {
    fn head<'t>(&self, text: &'t str) -> &'t str {
        self.head.map_or("", |(s, e)| &text[s..e])
    }
}

type Edit = (usize, usize, &'static str);

fn collect_edits(text: &str, list: &List, edits: &mut Vec<Edit>) {
    let is_folded_try =
        list.head(text) == "try" && list.children.iter().any(|c| c.head(text) == "do");
    if is_folded_try {
        edits.push((list.open, 1, " "));
        let mut delegates = false;
        for child in &list.children {
            match child.head(text) {
                "do" => {
                    let (s, e) = child.head.unwrap();
                    edits.push((child.open, 1, " "));
                    edits.push((s, e - s, "  "));
                    edits.push((child.close, 1, " "));
                }
                "catch" | "catch_all" | "delegate" => {
                    delegates |= child.head(text) == "delegate";
                    edits.push((child.open, 1, " "));
                    edits.push((child.close, 1, " "));
                }
                _ => {}
            }
        }
        // `delegate` ends the block itself; the others need an `end`.
        edits.push((list.close, 1, if delegates { " " } else { " end " }));
    }
    for child in &list.children {
        collect_edits(text, child, edits);
    }
}

/// The top-level lists of `text`, skipping strings and comments. Unbalanced
/// input yields what could be matched (the parser reports the real error).
fn parse_lists(text: &str) -> Vec<List> {
    let bytes = text.as_bytes();
    let mut stack: Vec<List> = Vec::new();
    let mut top = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b';' if bytes.get(i + 1) == Some(&b';') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' if bytes.get(i + 1) == Some(&b';') => {
                i = skip_block_comment(bytes, i);
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' => {
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && is_keyword_char(bytes[end]) {
                    end += 1;
                }
                let head = (end > start).then_some((start, end));
                stack.push(List {
                    open: i,
                    close: i,
                    head,
                    children: Vec::new(),
                });
            }
            b')' => {
                if let Some(mut list) = stack.pop() {
                    list.close = i;
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(list),
                        None => top.push(list),
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    top
}

fn is_keyword_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

/// Skips a (nestable) `(; ... ;)` comment starting at `i`; returns the
/// offset just past it.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < bytes.len() {
        if bytes[i] == b'(' && bytes.get(i + 1) == Some(&b';') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b';' && bytes.get(i + 1) == Some(&b')') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squash(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn catch_and_catch_all_become_flat() {
        let src =
            "(func (try (result i32) (do (call $f)) (catch $e (i32.const 1)) (catch_all (i32.const 2))))";
        let out = rewrite_folded_try(src).unwrap();
        assert_eq!(
            squash(&out),
            "(func try (result i32) (call $f) catch $e (i32.const 1) catch_all (i32.const 2) end )"
        );
    }

    #[test]
    fn delegate_needs_no_end_and_nesting_works() {
        let src = "(try $t (do (try (do (throw $e)) (delegate $t))) (catch $e))";
        let out = rewrite_folded_try(src).unwrap();
        assert_eq!(
            squash(&out),
            "try $t try (throw $e) delegate $t catch $e end"
        );
    }

    #[test]
    fn lines_are_kept() {
        let src = "(try\n (do\n nop)\n (catch_all\n nop))\n(x)";
        let out = rewrite_folded_try(src).unwrap();
        assert_eq!(out.lines().count(), src.lines().count());
    }

    #[test]
    fn rewritten_module_encodes_and_validates_with_legacy_exceptions() {
        let src = r#"(module
          (tag $e (param i32))
          (func (export "f") (param i32) (result i32)
            (try $outer (result i32)
              (do
                (try (result i32)
                  (do (throw $e (local.get 0)))
                  (delegate $outer)))
              (catch $e)
              (catch_all (i32.const -1)))))"#;
        let flat = rewrite_folded_try(src).unwrap();
        let buf = wast::parser::ParseBuffer::new(&flat).unwrap();
        let wasm = wast::parser::parse::<wast::Wat>(&buf)
            .unwrap()
            .encode()
            .unwrap();
        let features =
            wasmparser::WasmFeatures::WASM3 | wasmparser::WasmFeatures::LEGACY_EXCEPTIONS;
        wasmparser::Validator::new_with_features(features)
            .validate_all(&wasm)
            .unwrap();
        // Without the rewrite the crate cannot parse it at all.
        let buf = wast::parser::ParseBuffer::new(src).unwrap();
        assert!(wast::parser::parse::<wast::Wat>(&buf).is_err());
    }

    #[test]
    fn strings_comments_and_try_table_are_left_alone() {
        assert!(rewrite_folded_try("(try_table (do x))").is_none());
        assert!(rewrite_folded_try(";; (try (do x))\n(module)").is_none());
        assert!(rewrite_folded_try("(; (try (do x)) ;)").is_none());
        assert!(rewrite_folded_try("(module quote \"(try (do x))\")").is_none());
    }
}
