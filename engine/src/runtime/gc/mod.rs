//! WebAssembly 3.0 GC: type definitions with field layouts, canonical
//! type keys, the object heap and the reference encoding of the `any`
//! hierarchy. The instructions live in `exec::translate::gc` and
//! `exec::interp::gc`.

pub(crate) mod collect;
pub mod heap;
pub(crate) mod type_defs;

use type_defs::Storage;

/// Decodes `n` elements of `storage` from the start of `bytes`
/// (little-endian, as `array.new_data` reads a data segment); the caller
/// has checked `bytes` holds them.
pub(crate) fn read_elems(bytes: &[u8], storage: Storage, n: usize) -> Vec<u64> {
    let z = storage.byte_size();
    let mut out = Vec::with_capacity(n * storage.slots() as usize);
    for chunk in bytes[..n * z].chunks_exact(z) {
        let mut word = [0u8; 8];
        match z {
            16 => {
                out.push(u64::from_le_bytes(chunk[..8].try_into().expect("8 bytes")));
                out.push(u64::from_le_bytes(chunk[8..].try_into().expect("8 bytes")));
            }
            _ => {
                word[..z].copy_from_slice(chunk);
                out.push(u64::from_le_bytes(word));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::types::ValType;

    #[test]
    fn data_elements_read_little_endian() {
        let bytes = [1, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(read_elems(&bytes, Storage::I16, 2), vec![0x0201, 0x0403]);
        assert_eq!(read_elems(&bytes, Storage::I8, 1), vec![1]);
        assert_eq!(
            read_elems(&bytes, Storage::Val(ValType::I32), 2),
            vec![0x0403_0201, 0x0807_0605]
        );
    }
}
