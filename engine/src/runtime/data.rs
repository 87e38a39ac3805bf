//! Data instances (spec 4.2.12): the bytes of a data segment until `data.drop`.

use std::sync::Arc;

/// A data segment as an instance sees it. Dropping empties it.
#[derive(Clone, Debug)]
pub(crate) struct DataInst {
    pub bytes: Arc<[u8]>,
}

impl DataInst {
    /// `data.drop`: the segment becomes empty; later `memory.init` of a non-zero length traps.
    pub(crate) fn drop_bytes(&mut self) {
        self.bytes = Arc::from(&[][..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_empties_the_segment() {
        let mut d = DataInst {
            bytes: Arc::from(&b"abc"[..]),
        };
        d.drop_bytes();
        assert!(d.bytes.is_empty());
    }
}
