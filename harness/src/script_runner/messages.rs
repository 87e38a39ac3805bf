//! Loose comparison of error messages.
//!
//! Scripts name the failure they expect ("integer divide by zero"); engines
//! word theirs their own way ("integer division by zero"). A different
//! wording is not a failure (the failure *kind* is what counts), but it is
//! recorded so a report can show it.

/// Whether the engine's `actual` message says what `expected` says, loosely:
/// case, punctuation and spacing are ignored, and either may contain the
/// other, or the engine's message may use every significant word of the
/// expected one.
pub fn loosely_matches(expected: &str, actual: &str) -> bool {
    let e = normalize(expected);
    let a = normalize(actual);
    if e.is_empty() || a.contains(&e) || (!a.is_empty() && e.contains(&a)) {
        return true;
    }
    let words: Vec<&str> = e.split(' ').filter(|w| w.len() > 2).collect();
    !words.is_empty()
        && words
            .iter()
            .all(|w| a.split(' ').any(|aw| aw.starts_with(stem(w))))
}

fn normalize(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A crude stem (the first four letters) so "divide" meets "division".
fn stem(word: &str) -> &str {
    let end = word.char_indices().nth(4).map_or(word.len(), |(i, _)| i);
    &word[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_words_in_other_wording_match() {
        assert!(loosely_matches(
            "integer divide by zero",
            "integer division by zero"
        ));
        assert!(loosely_matches(
            "out of bounds memory access",
            "Trap: out of bounds memory access at 0x10"
        ));
        assert!(loosely_matches(
            "unknown import",
            "unknown import: `spectest::foo` has not been defined"
        ));
        assert!(loosely_matches("type mismatch", "Type Mismatch"));
    }

    #[test]
    fn different_failures_do_not_match() {
        assert!(!loosely_matches(
            "integer overflow",
            "integer division by zero"
        ));
        assert!(!loosely_matches(
            "unreachable",
            "out of bounds memory access"
        ));
        assert!(!loosely_matches("unknown import", ""));
    }
}
