//! Small pieces of markup used across the page: outcome badges, stacked
//! bars, numbers.

use std::borrow::Cow;

use maud::{html, Markup};

use crate::report::matrix::{outcome_word, pass_rate_text};
use crate::report::model::{Outcome, Totals};

/// Every outcome, best first: the order of bar segments and legends.
pub const OUTCOMES: [Outcome; 6] = [
    Outcome::Pass,
    Outcome::Fail,
    Outcome::Error,
    Outcome::Unsupported,
    Outcome::Timeout,
    Outcome::Crash,
];

/// How many directives of `t` had `outcome`.
pub fn count_of(t: &Totals, outcome: Outcome) -> u64 {
    match outcome {
        Outcome::Pass => t.passed,
        Outcome::Fail => t.failed,
        Outcome::Error => t.errors,
        Outcome::Unsupported => t.unsupported,
        Outcome::Timeout => t.timeouts,
        Outcome::Crash => t.crashes,
    }
}

/// `12345` as `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Engine text with its control characters written out (`\u{1}`):
/// malformed-module tests are full of raw bytes that a browser would draw
/// as blank boxes, and that are not allowed in HTML text anyway.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A coloured pill naming the outcome.
pub fn badge(outcome: Outcome) -> Markup {
    let word = outcome_word(outcome);
    html! { span class=(format!("badge o-{word}")) { (word) } }
}

/// A horizontal bar split by outcome share; each segment's tooltip gives
/// its count.
pub fn stacked_bar(t: &Totals) -> Markup {
    let all = t.directives();
    html! {
        div.bar role="img" aria-label=(format!("{} passed", pass_rate_text(t))) {
            @for outcome in OUTCOMES {
                @let n = count_of(t, outcome);
                @if n > 0 && all > 0 {
                    span class=(format!("seg o-{}", outcome_word(outcome)))
                        style=(format!("width:{:.3}%", n as f64 * 100.0 / all as f64))
                        title=(format!("{}: {}", outcome_word(outcome), thousands(n))) {}
                }
            }
        }
    }
}

/// The legend that explains the bar colours.
pub fn legend() -> Markup {
    html! {
        div.legend {
            @for outcome in OUTCOMES {
                span.legend-item { span class=(format!("swatch o-{}", outcome_word(outcome))) {} (outcome_word(outcome)) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_written_out() {
        assert_eq!(visible("a\u{1}b\u{7f}"), "a\\u{1}b\\u{7f}");
        assert!(matches!(visible("plain\ttext\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(60123456), "60,123,456");
    }

    #[test]
    fn bar_segments_cover_every_counted_outcome() {
        let t = Totals {
            passed: 3,
            failed: 1,
            ..Default::default()
        };
        let html = stacked_bar(&t).into_string();
        assert!(
            html.contains("width:75.000%") && html.contains("width:25.000%"),
            "{html}"
        );
        assert!(
            !html.contains("o-crash"),
            "zero counts draw no segment: {html}"
        );
    }
}
