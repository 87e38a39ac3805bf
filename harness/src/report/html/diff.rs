//! Expected-vs-actual as two aligned lines with the differing parts
//! highlighted, computed with `similar`.

use std::time::Duration;

use maud::{html, Markup};
use similar::{ChangeTag, TextDiff};

use super::widgets::visible;

/// Below this similarity a character diff is noise (every other character
/// marked); a word diff reads better.
const CHAR_DIFF_MIN_RATIO: f32 = 0.5;

/// Below this even words have little in common; the values are then shown
/// as wholly different rather than speckled.
const WORD_DIFF_MIN_RATIO: f32 = 0.4;

/// Runs of text, each either shared by both sides or only on one.
#[derive(Debug, PartialEq)]
pub struct Sides {
    /// `(text, changed)` runs of the expected value.
    pub expected: Vec<(String, bool)>,
    /// `(text, changed)` runs of the actual value.
    pub actual: Vec<(String, bool)>,
}

/// Diffs two values by characters, or by words when they have little in
/// common, and merges neighbouring characters into runs.
pub fn sides(expected: &str, actual: &str) -> Sides {
    let timeout = Duration::from_millis(50);
    let chars = TextDiff::configure()
        .timeout(timeout)
        .diff_chars(expected, actual);
    let diff = if chars.ratio() >= CHAR_DIFF_MIN_RATIO {
        chars
    } else {
        TextDiff::configure()
            .timeout(timeout)
            .diff_words(expected, actual)
    };
    let mut sides = Sides {
        expected: Vec::new(),
        actual: Vec::new(),
    };
    if diff.ratio() < WORD_DIFF_MIN_RATIO {
        // Nothing real in common (shared spaces do not count): mark it all.
        push(&mut sides.expected, expected, true);
        push(&mut sides.actual, actual, true);
        return sides;
    }
    for change in diff.iter_all_changes() {
        let text = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                push(&mut sides.expected, text, false);
                push(&mut sides.actual, text, false);
            }
            ChangeTag::Delete => push(&mut sides.expected, text, true),
            ChangeTag::Insert => push(&mut sides.actual, text, true),
        }
    }
    sides
}

fn push(runs: &mut Vec<(String, bool)>, text: &str, changed: bool) {
    match runs.last_mut() {
        Some((last, c)) if *c == changed => last.push_str(text),
        _ => runs.push((text.to_string(), changed)),
    }
}

/// The two lines as HTML: removed parts in `del`, added parts in `ins`.
pub fn markup(expected: &str, actual: &str) -> Markup {
    let s = sides(&visible(expected), &visible(actual));
    html! {
        div.diff {
            div.diff-row {
                span.diff-label { "expected" }
                code.diff-text {
                    @for (text, changed) in &s.expected {
                        @if *changed { del { (text) } } @else { (text) }
                    }
                }
            }
            div.diff-row {
                span.diff-label { "actual" }
                code.diff-text {
                    @for (text, changed) in &s.actual {
                        @if *changed { ins { (text) } } @else { (text) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_only_the_differing_characters() {
        let s = sides("(f32.const nan:0x200000)", "(f32.const nan:0x400000)");
        let changed: String = s
            .expected
            .iter()
            .filter(|r| r.1)
            .map(|r| r.0.as_str())
            .collect();
        assert_eq!(changed, "2");
        let joined: String = s.actual.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(joined, "(f32.const nan:0x400000)");
    }

    #[test]
    fn several_values_mark_each_difference() {
        let s = sides(
            "(i32.const 1) (i64.const 2)",
            "(i32.const 1) (f64.const 2.5)",
        );
        let changed: Vec<&str> = s
            .actual
            .iter()
            .filter(|r| r.1)
            .map(|r| r.0.as_str())
            .collect();
        assert_eq!(changed, ["f", ".5"], "{s:?}");
    }

    #[test]
    fn unrelated_values_are_marked_whole() {
        let s = sides("(i32.const 1)", "trap: unreachable executed");
        assert_eq!(s.expected, [("(i32.const 1)".to_string(), true)]);
        assert_eq!(s.actual, [("trap: unreachable executed".to_string(), true)]);
    }

    #[test]
    fn markup_escapes_values() {
        let html = markup("<a>", "<b>").into_string();
        assert!(html.contains("&lt;"), "{html}");
        assert!(!html.contains("<a>"), "{html}");
    }
}
