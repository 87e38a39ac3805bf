//! The GC heap and the slot encoding of `any`-hierarchy references.
//!
//! **Heap:** struct and array objects live in one arena of the store;
//! a slot freed by the collector ([`super::collect`]) goes on a free list
//! and is reused by a later allocation.
//!
//! **Encoding.** A reference slot is `0` for null. In the `any` and
//! `extern` hierarchies (one encoding for both, so `any.convert_extern`
//! and `extern.convert_any` cost nothing) the top bits tag the kind:
//! an `i31` has bit 63 set and its 31 bits below; a struct or array has
//! bit 62 or 61 set and its arena index below; anything untagged is a
//! host reference, `payload + 1`, exactly as an `externref` is encoded.

use std::cell::Cell;

/// Tag of an `i31ref`.
pub(crate) const I31_TAG: u64 = 1 << 63;
/// Tag of a struct reference.
pub(crate) const STRUCT_TAG: u64 = 1 << 62;
/// Tag of an array reference.
pub(crate) const ARRAY_TAG: u64 = 1 << 61;
const TAGS: u64 = I31_TAG | STRUCT_TAG | ARRAY_TAG;

/// A non-null reference of the `any` hierarchy, as the embedder sees it.
///
/// ```
/// use touchstone_engine::{AnyRef, Val};
/// let v = Val::AnyRef(Some(AnyRef::I31(-1)));
/// assert_eq!(v, Val::AnyRef(Some(AnyRef::I31(-1))));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnyRef {
    /// An `i31ref` with its value, sign-extended from 31 bits.
    I31(i32),
    /// A struct, by heap index.
    Struct(u32),
    /// An array, by heap index.
    Array(u32),
    /// A host reference converted into the `any` hierarchy (`ref.host`).
    Host(u32),
}

impl AnyRef {
    /// The slot encoding.
    pub(crate) fn to_raw(self) -> u64 {
        match self {
            AnyRef::I31(x) => i31(x as u32),
            AnyRef::Struct(i) => STRUCT_TAG | i as u64,
            AnyRef::Array(i) => ARRAY_TAG | i as u64,
            AnyRef::Host(p) => p as u64 + 1,
        }
    }

    /// Decodes a non-null slot.
    pub(crate) fn from_raw(raw: u64) -> Option<AnyRef> {
        Some(match raw {
            0 => return None,
            r if r & I31_TAG != 0 => AnyRef::I31(i31_get(r, true) as i32),
            r if r & STRUCT_TAG != 0 => AnyRef::Struct(r as u32),
            r if r & ARRAY_TAG != 0 => AnyRef::Array(r as u32),
            r => AnyRef::Host((r - 1) as u32),
        })
    }
}

/// `ref.i31`: the low 31 bits, tagged.
#[inline]
pub(crate) fn i31(x: u32) -> u64 {
    I31_TAG | (x & 0x7fff_ffff) as u64
}

/// `i31.get_s` / `i31.get_u` of a non-null `i31` slot, as an `i32` slot.
#[inline]
pub(crate) fn i31_get(raw: u64, signed: bool) -> u64 {
    let bits = raw as u32 & 0x7fff_ffff;
    if signed {
        (((bits << 1) as i32) >> 1) as u32 as u64
    } else {
        bits as u64
    }
}

/// Whether a non-null slot is a host reference (no GC tag).
#[inline]
pub(crate) fn is_host(raw: u64) -> bool {
    raw & TAGS == 0
}

/// One struct or array: its canonical type and its fields (or elements),
/// one slot each (two for `v128`), packed values already truncated.
#[derive(Clone, Debug)]
pub(crate) struct GcObject {
    /// How many references to it the host was handed and has not released
    /// ([`super::super::store::Store::release`]): a root while above zero.
    pub pinned: Cell<u32>,
    /// Whether its bytes were charged to the store's memory budget (objects
    /// built by constant expressions are not), so freeing gives them back.
    pub charged: bool,
    pub type_id: u32,
    /// Slots per element (2 for a `v128` array, else 1).
    pub width: u32,
    /// The descriptor (custom descriptors), or 0.
    pub desc: u64,
    pub data: Vec<u64>,
}

/// `type_id` of a freed arena slot.
const FREE: u32 = u32::MAX;

/// Bytes an object of `slots` data slots is charged (its slots plus a header).
pub(crate) fn object_bytes(slots: u64) -> u64 {
    const HEADER_BYTES: u64 = 48;
    slots * 8 + HEADER_BYTES
}

impl GcObject {
    /// Whether this arena slot is free (its object was collected).
    pub(crate) fn is_free(&self) -> bool {
        self.type_id == FREE
    }

    /// Bytes this object is charged.
    pub(crate) fn bytes(&self) -> u64 {
        object_bytes(self.data.len() as u64)
    }

    /// An array's length in elements.
    pub(crate) fn len(&self) -> u64 {
        (self.data.len() / self.width as usize) as u64
    }
}

/// Which data slots of a type's objects hold references: what the
/// collector traces (the other slots hold numbers, which a conservative
/// scan could mistake for references).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RefSlots {
    /// No references (function types, numeric structs and arrays).
    None,
    /// Every slot (an array of references).
    All,
    /// These slots (a struct's reference fields).
    At(Box<[u32]>),
}

impl RefSlots {
    /// The reference slots of objects of a composite type.
    pub(crate) fn of(composite: &super::type_defs::CompositeDef) -> RefSlots {
        use super::type_defs::{CompositeDef, Storage};
        let is_ref = |s: Storage| matches!(s, Storage::Val(v) if v.is_reference_type());
        match composite {
            CompositeDef::Func(_) => RefSlots::None,
            CompositeDef::Array(f) if is_ref(f.storage) => RefSlots::All,
            CompositeDef::Array(_) => RefSlots::None,
            CompositeDef::Struct { fields, .. } => {
                let at: Box<[u32]> = fields
                    .iter()
                    .filter(|f| is_ref(f.storage))
                    .map(|f| f.offset)
                    .collect();
                if at.is_empty() {
                    RefSlots::None
                } else {
                    RefSlots::At(at)
                }
            }
        }
    }
}

/// The arena of GC objects.
#[derive(Debug, Default)]
pub(crate) struct Heap {
    pub objects: Vec<GcObject>,
    /// By canonical type id: which slots of its objects hold references
    /// (the store adds one as it interns each type).
    pub ref_slots: Vec<RefSlots>,
    /// Free arena slots, reused before the arena grows.
    free: Vec<u32>,
    /// Bytes allocated (objects and exceptions) since the last collection.
    pub allocated_since_gc: u64,
    /// Bytes of the objects that survived the last collection.
    pub live_after_gc: u64,
}

impl Heap {
    /// Allocates a struct with descriptor `desc` (custom descriptors; 0
    /// for none); returns its reference slot.
    pub(crate) fn alloc_struct_desc(&mut self, type_id: u32, data: Vec<u64>, desc: u64) -> u64 {
        let r = STRUCT_TAG | self.push(type_id, 1, data);
        self.get_mut(r).desc = desc;
        r
    }

    /// Allocates an array of elements `width` slots wide; returns its reference slot.
    pub(crate) fn alloc_array(&mut self, type_id: u32, width: u32, data: Vec<u64>) -> u64 {
        ARRAY_TAG | self.push(type_id, width, data)
    }

    fn push(&mut self, type_id: u32, width: u32, data: Vec<u64>) -> u64 {
        let object = GcObject {
            pinned: Cell::new(0),
            charged: false,
            type_id,
            width,
            desc: 0,
            data,
        };
        self.allocated_since_gc += object.bytes();
        match self.free.pop() {
            Some(i) => {
                self.objects[i as usize] = object;
                i as u64
            }
            None => {
                self.objects.push(object);
                self.objects.len() as u64 - 1
            }
        }
    }

    /// Frees arena slot `index` (the collector found it unreachable);
    /// returns the bytes it was charged (0 if it was not charged).
    pub(crate) fn free(&mut self, index: usize) -> u64 {
        let object = &mut self.objects[index];
        let charged = if object.charged { object.bytes() } else { 0 };
        object.type_id = FREE;
        object.desc = 0;
        object.charged = false;
        object.pinned.set(0);
        object.data = Vec::new();
        self.free.push(index as u32);
        charged
    }

    /// The live object a word refers to, if it is tagged as a struct or
    /// array reference and names a live arena slot (the collector's test).
    pub(crate) fn object_index(&self, word: u64) -> Option<usize> {
        let tag = word & !(u32::MAX as u64);
        if tag != STRUCT_TAG && tag != ARRAY_TAG {
            return None;
        }
        let index = word as u32 as usize;
        self.objects
            .get(index)
            .is_some_and(|o| !o.is_free())
            .then_some(index)
    }

    /// Pins the object a reference slot names, if any: the host holds one
    /// more reference to it.
    pub(crate) fn pin(&self, word: u64) {
        if let Some(i) = self.object_index(word) {
            let p = &self.objects[i].pinned;
            p.set(p.get().saturating_add(1));
        }
    }

    /// Undoes one [`Heap::pin`]; whether the word named a pinned object.
    pub(crate) fn unpin(&self, word: u64) -> bool {
        match self.object_index(word).map(|i| &self.objects[i].pinned) {
            Some(p) if p.get() > 0 => {
                p.set(p.get() - 1);
                true
            }
            _ => false,
        }
    }

    /// The object a non-null struct or array slot refers to.
    #[inline]
    pub(crate) fn get(&self, raw: u64) -> &GcObject {
        &self.objects[raw as u32 as usize]
    }

    /// Mutable access to the object of a non-null struct or array slot.
    #[inline]
    pub(crate) fn get_mut(&mut self, raw: u64) -> &mut GcObject {
        &mut self.objects[raw as u32 as usize]
    }

    /// The canonical type of a struct or array slot; `None` for other references.
    pub(crate) fn type_of(&self, raw: u64) -> Option<u32> {
        (raw & (STRUCT_TAG | ARRAY_TAG) != 0).then(|| self.get(raw).type_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i31_round_trips_with_sign() {
        assert_eq!(i31_get(i31(-1i32 as u32), true) as u32 as i32, -1);
        assert_eq!(i31_get(i31(-1i32 as u32), false), 0x7fff_ffff);
        assert_eq!(i31_get(i31(0x4000_0000), true) as u32, 0xc000_0000);
        assert_ne!(i31(0), 0, "i31 zero is not null");
    }

    #[test]
    fn any_refs_round_trip_and_hosts_stay_untagged() {
        for r in [
            AnyRef::I31(-5),
            AnyRef::I31(7),
            AnyRef::Struct(3),
            AnyRef::Array(0),
            AnyRef::Host(9),
        ] {
            assert_eq!(AnyRef::from_raw(r.to_raw()), Some(r));
        }
        assert!(is_host(AnyRef::Host(u32::MAX).to_raw()));
        assert_eq!(AnyRef::from_raw(0), None);
    }

    #[test]
    fn heap_allocates_tagged_objects() {
        let mut heap = Heap::default();
        let s = heap.alloc_struct_desc(4, vec![1, 2], 7);
        assert_eq!(heap.get(s).desc, 7);
        let a = heap.alloc_array(5, 2, vec![1, 2, 3, 4]);
        assert_eq!(heap.get(a).len(), 2);
        assert_eq!(heap.type_of(s), Some(4));
        assert_eq!(heap.type_of(a), Some(5));
        assert_eq!(heap.get(s).data, vec![1, 2]);
        assert_eq!(heap.type_of(i31(1)), None);
    }
}
