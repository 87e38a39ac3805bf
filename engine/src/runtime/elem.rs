//! Element instances (spec 4.2.13): evaluated references of an element segment.

/// An element segment's references (raw slots) until `elem.drop`.
#[derive(Clone, Debug)]
pub(crate) struct ElemInst {
    pub items: Vec<u64>,
}

impl ElemInst {
    /// `elem.drop`: the segment becomes empty.
    pub(crate) fn drop_items(&mut self) {
        self.items = Vec::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_empties_the_segment() {
        let mut e = ElemInst { items: vec![1, 2] };
        e.drop_items();
        assert!(e.items.is_empty());
    }
}
