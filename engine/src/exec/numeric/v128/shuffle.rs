//! Byte permutations: `i8x16.shuffle` (immediate indices) and `i8x16.swizzle`
//! (indices from a vector).

use super::V128;

/// `i8x16.shuffle`: result byte `i` is byte `lanes[i]` of the 32-byte
/// concatenation `a ++ b`. Validation guarantees `lanes[i] < 32`; larger
/// indices are reduced modulo 32 so the function stays total.
#[inline]
pub fn i8x16_shuffle(a: V128, b: V128, lanes: [u8; 16]) -> V128 {
    let (a, b) = (a.to_bytes(), b.to_bytes());
    V128::from_bytes(std::array::from_fn(|i| {
        let j = usize::from(lanes[i] % 32);
        if j < 16 {
            a[j]
        } else {
            b[j - 16]
        }
    }))
}

/// `i8x16.swizzle`: result byte `i` is byte `s[i]` of `a`, or 0 when the
/// (unsigned) index is 16 or more.
#[inline]
pub fn i8x16_swizzle(a: V128, s: V128) -> V128 {
    let (a, s) = (a.to_bytes(), s.to_bytes());
    V128::from_bytes(std::array::from_fn(|i| {
        a.get(usize::from(s[i])).copied().unwrap_or(0)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(start: u8) -> V128 {
        V128::from_bytes(std::array::from_fn(|i| start + i as u8))
    }

    #[test]
    fn shuffle_indexes_the_concatenation() {
        let (a, b) = (bytes(0x00), bytes(0x10));
        let idx: [u8; 16] = std::array::from_fn(|i| 31 - i as u8);
        let expect: [u8; 16] = std::array::from_fn(|i| 0x1f - i as u8);
        assert_eq!(i8x16_shuffle(a, b, idx).to_bytes(), expect);
        let idx = [0, 16, 1, 17, 2, 18, 3, 19, 15, 31, 15, 31, 0, 0, 16, 16];
        let expect = [0, 16, 1, 17, 2, 18, 3, 19, 15, 31, 15, 31, 0, 0, 16, 16];
        assert_eq!(i8x16_shuffle(a, b, idx).to_bytes(), expect);
    }

    #[test]
    fn swizzle_zeroes_out_of_range_indices() {
        let a = bytes(0xa0);
        let s = V128::from_bytes([
            0, 15, 16, 255, 128, 1, 17, 31, 3, 3, 0x7f, 0x80, 2, 14, 100, 4,
        ]);
        let expect = [
            0xa0, 0xaf, 0, 0, 0, 0xa1, 0, 0, 0xa3, 0xa3, 0, 0, 0xa2, 0xae, 0, 0xa4,
        ];
        assert_eq!(i8x16_swizzle(a, s).to_bytes(), expect);
    }
}
