//! Byte offsets to 1-based line and column, in O(log n) per lookup
//! (`wast`'s own `Span::linecol_in` rescans the text from the start, which
//! is quadratic over a file of thousands of directives).

/// The start offset of every line of a text.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        // `match_indices` of a `char` searches a word at a time (`memchr`);
        // a byte-by-byte filter was 89 M instructions over the official
        // snapshot's 288 files, 1.8% of the whole run.
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in bytes, like `wast`) of `offset`.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        (line as u32 + 1, (offset - self.starts[line]) as u32 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wast::token::Span;

    #[test]
    fn agrees_with_wast() {
        let text = "(module)\n\n  (assert_return\r\n (invoke \"f\"))\nlast";
        let index = LineIndex::new(text);
        for offset in 0..text.len() {
            let (l, c) = Span::from_offset(offset).linecol_in(text);
            assert_eq!(
                index.position(offset),
                (l as u32 + 1, c as u32 + 1),
                "offset {offset}"
            );
        }
    }
}
