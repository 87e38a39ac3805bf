//! The lines of a `.wast` script around one directive, so a failure can be
//! read next to the code that produced it.

/// Lines shown before the directive, for context.
const CONTEXT_BEFORE: u32 = 2;

/// A directive longer than this is cut (with a marker), so one huge
/// `module` does not fill the page.
pub const MAX_DIRECTIVE_LINES: u32 = 14;

/// A slice of a script: lines `first..=last` (1-based), with the
/// directive's own lines marked.
#[derive(Clone, Debug, PartialEq)]
pub struct Excerpt {
    /// `(line number, text, is part of the directive)`.
    pub lines: Vec<(u32, String, bool)>,
    /// True when the directive went on past the last line shown.
    pub cut: bool,
}

/// Cuts the excerpt for the directive that starts at `line`:`column`
/// (1-based). Its end is found by matching parentheses from the first `(`
/// at or after the column, skipping strings and comments. `None` when the
/// line is not in the source.
pub fn excerpt(source: &str, line: u32, column: u32) -> Option<Excerpt> {
    let lines: Vec<&str> = source.lines().collect();
    if line == 0 || line as usize > lines.len() {
        return None;
    }
    let end = directive_end(&lines, line, column).unwrap_or(line);
    let last = end.min(line + MAX_DIRECTIVE_LINES - 1);
    let first = line.saturating_sub(CONTEXT_BEFORE).max(1);
    let shown = (first..=last)
        .map(|n| (n, lines[n as usize - 1].trim_end().to_string(), n >= line))
        .collect();
    Some(Excerpt {
        lines: shown,
        cut: end > last,
    })
}

/// Scanner state between characters.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Code,
    String,
    StringEscape,
    LineComment,
    /// Nesting depth of `(; ... ;)` comments.
    BlockComment(u32),
}

/// Where the directive's `(` is on its first line. The column may point
/// at the `(` or at the keyword after it (the `wast` crate's spans do the
/// latter), so an earlier `(` is taken when the column is not on one.
fn opening_paren(chars: &[char], column: u32) -> usize {
    let at = (column.saturating_sub(1) as usize).min(chars.len());
    if chars.get(at) == Some(&'(') {
        return at;
    }
    chars[..at].iter().rposition(|&c| c == '(').unwrap_or(at)
}

/// The line holding the `)` that closes the directive's `(`.
fn directive_end(lines: &[&str], line: u32, column: u32) -> Option<u32> {
    let mut depth = 0u32;
    let mut mode = Mode::Code;
    let mut started = false;
    for (i, text) in lines.iter().enumerate().skip(line as usize - 1) {
        let n = i as u32 + 1;
        let chars: Vec<char> = text.chars().collect();
        let mut k = if n == line {
            opening_paren(&chars, column)
        } else {
            0
        };
        if mode == Mode::LineComment {
            mode = Mode::Code;
        }
        while k < chars.len() {
            let c = chars[k];
            let next = chars.get(k + 1).copied();
            match mode {
                Mode::Code => match (c, next) {
                    (';', Some(';')) => mode = Mode::LineComment,
                    ('(', Some(';')) => {
                        mode = Mode::BlockComment(1);
                        k += 1;
                    }
                    ('"', _) => mode = Mode::String,
                    ('(', _) => {
                        depth += 1;
                        started = true;
                    }
                    (')', _) if started => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(n);
                        }
                    }
                    _ => {}
                },
                Mode::String => match c {
                    '\\' => mode = Mode::StringEscape,
                    '"' => mode = Mode::Code,
                    _ => {}
                },
                Mode::StringEscape => mode = Mode::String,
                Mode::LineComment => break,
                Mode::BlockComment(d) => match (c, next) {
                    ('(', Some(';')) => {
                        mode = Mode::BlockComment(d + 1);
                        k += 1;
                    }
                    (';', Some(')')) => {
                        mode = if d == 1 {
                            Mode::Code
                        } else {
                            Mode::BlockComment(d - 1)
                        };
                        k += 1;
                    }
                    _ => {}
                },
            }
            k += 1;
        }
        // Give up on a directive that never closes rather than scan the
        // whole file: the excerpt is cut there anyway.
        if n >= line + MAX_DIRECTIVE_LINES * 4 {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = "(module\n  (func (export \"f\") (result i32)\n    (i32.const 1)))\n\n(assert_return (invoke \"f\")\n  (i32.const 1))\n(assert_trap (invoke \"g\" (; a ) comment ;) \") \") \"unreachable\") ;; )\n(module)\n";

    #[test]
    fn spans_a_multi_line_directive_with_context() {
        let e = excerpt(SCRIPT, 5, 1).unwrap();
        let numbers: Vec<u32> = e.lines.iter().map(|l| l.0).collect();
        assert_eq!(numbers, [3, 4, 5, 6]);
        let marked: Vec<bool> = e.lines.iter().map(|l| l.2).collect();
        assert_eq!(marked, [false, false, true, true]);
        assert!(!e.cut);
    }

    #[test]
    fn ignores_parens_in_strings_and_comments() {
        let e = excerpt(SCRIPT, 7, 1).unwrap();
        assert_eq!(
            e.lines.last().unwrap().0,
            7,
            "the directive closes on its own line: {e:?}"
        );
    }

    #[test]
    fn column_on_the_keyword_still_spans_the_whole_directive() {
        // `(assert_return` at line 5: column 2 is the keyword, as wast reports it.
        let e = excerpt(SCRIPT, 5, 2).unwrap();
        assert_eq!(e.lines.last().unwrap().0, 6, "{e:?}");
        let nested = "(module\n  (rec\n    (type (struct)))\n  (func))\n";
        let e = excerpt(nested, 1, 2).unwrap();
        assert_eq!(e.lines.last().unwrap().0, 4, "{e:?}");
    }

    #[test]
    fn cuts_long_directives() {
        let long = format!("(module\n{})\n", "  (func)\n".repeat(40));
        let e = excerpt(&long, 1, 1).unwrap();
        assert!(e.cut);
        assert_eq!(e.lines.len() as u32, MAX_DIRECTIVE_LINES);
    }

    #[test]
    fn line_outside_source_is_none() {
        assert_eq!(excerpt(SCRIPT, 99, 1), None);
        assert_eq!(excerpt(SCRIPT, 0, 1), None);
    }
}
