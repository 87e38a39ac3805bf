//! What the embedder does with a store's objects through their handles:
//! `Memory`, `Table`, `Global`, `Tag` and `Exn` (the JS API's
//! `WebAssembly.Memory`, `.Table`, `.Global`, `.Tag`, `.Exception`), and
//! the check of the values it hands in. Functions are in `api::func`.

use crate::error::RuntimeError;
use crate::runtime::canon::{CanonHeap, CanonRef, CanonVal};
use crate::runtime::exn::ExnInst;
use crate::runtime::gc::heap::AnyRef;
use crate::runtime::gc::type_defs::TypeKind;
use crate::runtime::global::GlobalInst;
use crate::runtime::handles::{Exn, Global, Memory, Table, Tag};
use crate::runtime::memory::{MemoryInst, SharedMemory};
use crate::runtime::store::Store;
use crate::runtime::tag::TagInst;
use crate::runtime::types::{FuncType, GlobalType, MemoryType, TableType};
use crate::runtime::value::{push_slots, read_slots, ref_from_raw, Val};

impl Memory {
    /// Creates a memory of `ty.minimum()` zeroed pages. A shared type
    /// (`MemoryType::shared`, which needs a maximum) makes a memory other
    /// threads can import through [`Memory::shared`].
    pub fn new(store: &mut Store, ty: MemoryType) -> Result<Memory, RuntimeError> {
        store.alloc_memory(ty).map(Memory)
    }

    /// The memory's type, with the minimum being its current size.
    pub fn ty(&self, store: &Store) -> MemoryType {
        store.memories[self.0 as usize].ty()
    }

    /// Current size in pages.
    pub fn size(&self, store: &Store) -> u64 {
        store.memories[self.0 as usize].pages()
    }

    /// The memory's bytes.
    ///
    /// # Panics
    /// For a shared memory (other threads may write it at any time; use
    /// [`read`](Self::read) and [`write`](Self::write)).
    pub fn data<'s>(&self, store: &'s Store) -> &'s [u8] {
        store.memories[self.0 as usize].as_slice()
    }

    /// The memory's bytes, writable. Panics as [`data`](Self::data).
    pub fn data_mut<'s>(&self, store: &'s mut Store) -> &'s mut [u8] {
        store.memories[self.0 as usize].as_mut_slice()
    }

    /// The first byte and the current length in bytes, for an embedder that
    /// shows the bytes to another runtime (the JS API's `Memory.buffer`).
    /// The first byte never moves (memories are reserved, not reallocated);
    /// the length changes when the memory grows. Unlike [`data`](Self::data)
    /// this works for a shared memory too: whoever dereferences the pointer
    /// must not race with other threads' accesses (only atomics may).
    pub fn raw_parts(&self, store: &Store) -> (*mut u8, usize) {
        let mem = &store.memories[self.0 as usize];
        (mem.base(), mem.len() as usize)
    }

    /// The memory as a handle other threads' stores can import, if shared.
    pub fn shared(&self, store: &Store) -> Option<SharedMemory> {
        store.memories[self.0 as usize]
            .shared()
            .map(|b| SharedMemory(b.clone()))
    }

    /// Copies bytes out of the memory; fails if the range is out of bounds.
    pub fn read(&self, store: &Store, offset: u64, buf: &mut [u8]) -> Result<(), RuntimeError> {
        let mem = &store.memories[self.0 as usize];
        let start = mem.range(offset, buf.len() as u64)?;
        mem.read(start, buf);
        Ok(())
    }

    /// Copies bytes into the memory; fails if the range is out of bounds.
    pub fn write(&self, store: &mut Store, offset: u64, bytes: &[u8]) -> Result<(), RuntimeError> {
        let mem = &mut store.memories[self.0 as usize];
        let start = mem.range(offset, bytes.len() as u64)?;
        mem.write(start, bytes);
        Ok(())
    }

    /// Grows by `delta` pages, returning the old size, or `None` if refused
    /// (the memory is then unchanged).
    pub fn grow(&self, store: &mut Store, delta: u64) -> Option<u64> {
        store.grow_memory(self.0, delta)
    }
}

impl SharedMemory {
    /// The memory as an object of `store`, for its instances to import.
    /// Attaching charges nothing to the store's budget (the bytes were
    /// charged where the memory was created or grown).
    pub fn attach(&self, store: &mut Store) -> Memory {
        store.memories.push(MemoryInst::attach(self.0.clone()));
        Memory(store.memories.len() as u32 - 1)
    }
}

impl Table {
    /// Creates a table of `ty.minimum()` elements, each `init`.
    pub fn new(store: &mut Store, ty: TableType, init: Val) -> Result<Table, RuntimeError> {
        if !init.matches(wasmparser::ValType::Ref(ty.element)) || !init.is_valid_in(store) {
            return Err(RuntimeError::host(
                "initial value does not match the element type",
            ));
        }
        store
            .alloc_table(ty, CanonRef::new(ty.element, &[]), init.to_raw())
            .map(Table)
    }

    /// The table's type, with the minimum being its current size.
    pub fn ty(&self, store: &Store) -> TableType {
        store.tables[self.0 as usize].ty
    }

    /// Current size in elements.
    pub fn size(&self, store: &Store) -> u64 {
        store.tables[self.0 as usize].elems.len() as u64
    }

    /// The element at `index`, or `None` if out of bounds.
    pub fn get(&self, store: &Store, index: u64) -> Option<Val> {
        let t = &store.tables[self.0 as usize];
        let raw = *t.elems.get(usize::try_from(index).ok()?)?;
        let value = ref_from_raw(raw, t.ty.element);
        store.pin(&value);
        Some(value)
    }

    /// Sets the element at `index`.
    pub fn set(&self, store: &mut Store, index: u64, value: Val) -> Result<(), RuntimeError> {
        if !value.is_valid_in(store)
            || !value.fits_concrete(store, store.tables[self.0 as usize].canon)
        {
            return Err(RuntimeError::host("value does not match the element type"));
        }
        let t = &mut store.tables[self.0 as usize];
        if !value.matches(wasmparser::ValType::Ref(t.ty.element)) {
            return Err(RuntimeError::host("value does not match the element type"));
        }
        let i = t.range(index, 1)?;
        t.elems[i] = value.to_raw();
        Ok(())
    }

    /// Grows by `delta` elements set to `init`; returns the old size. The
    /// value is checked first (the JS API's `Table.grow` converts it before
    /// growing): one not of the element type is refused whatever `delta`
    /// is. The table is unchanged when refused.
    ///
    /// ```
    /// use touchstone_engine::{RefType, Store, Table, TableGrowError, TableType, Val};
    /// let mut store = Store::default();
    /// let t = Table::new(&mut store, TableType::new(RefType::FUNCREF, 1, Some(2)), Val::FuncRef(None)).unwrap();
    /// assert_eq!(t.grow(&mut store, 2, Val::FuncRef(None)), Err(TableGrowError::Limit));
    /// assert_eq!(t.grow(&mut store, 0, Val::ExternRef(None)), Err(TableGrowError::ValueType));
    /// assert_eq!(t.grow(&mut store, 1, Val::FuncRef(None)), Ok(1));
    /// ```
    pub fn grow(&self, store: &mut Store, delta: u64, init: Val) -> Result<u64, TableGrowError> {
        let t = &store.tables[self.0 as usize];
        let fits = init.matches(wasmparser::ValType::Ref(t.ty.element))
            && init.fits_concrete(store, t.canon);
        if !init.is_valid_in(store) || !fits {
            return Err(TableGrowError::ValueType);
        }
        store
            .grow_table(self.0, delta, init.to_raw())
            .ok_or(TableGrowError::Limit)
    }
}

/// Why [`Table::grow`] refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableGrowError {
    /// The initial value is not of the table's element type (the JS API's
    /// `TypeError`).
    ValueType,
    /// The table's maximum, the address type's range or the store's table
    /// budget does not allow `delta` more elements (the JS API's
    /// `RangeError`).
    Limit,
}

impl std::fmt::Display for TableGrowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TableGrowError::ValueType => "value does not match the element type",
            TableGrowError::Limit => "table cannot grow by that many elements",
        })
    }
}

impl std::error::Error for TableGrowError {}

impl Global {
    /// Creates a global holding `value`, which must be of the global's type.
    pub fn new(store: &mut Store, ty: GlobalType, value: Val) -> Result<Global, RuntimeError> {
        if !value.matches(ty.content) || !value.is_valid_in(store) {
            return Err(RuntimeError::host("global value does not match its type"));
        }
        store.globals.push(GlobalInst {
            ty,
            canon: CanonVal::new(ty.content, &[]),
            value: value.to_raw128(),
        });
        Ok(Global(store.globals.len() as u32 - 1))
    }

    /// The global's type.
    pub fn ty(&self, store: &Store) -> GlobalType {
        store.globals[self.0 as usize].ty
    }

    /// The current value.
    pub fn get(&self, store: &Store) -> Val {
        let g = &store.globals[self.0 as usize];
        let value = Val::from_raw128(g.value, g.ty.content);
        store.pin(&value);
        value
    }

    /// Sets the value of a mutable global.
    pub fn set(&self, store: &mut Store, value: Val) -> Result<(), RuntimeError> {
        if !value.is_valid_in(store) {
            return Err(RuntimeError::host("global value does not match its type"));
        }
        if let CanonVal::Ref(want) = store.globals[self.0 as usize].canon {
            if !value.fits_concrete(store, want) {
                return Err(RuntimeError::host("global value does not match its type"));
            }
        }
        let g = &mut store.globals[self.0 as usize];
        if !g.ty.mutable {
            return Err(RuntimeError::host("global is immutable"));
        }
        if !value.matches(g.ty.content) {
            return Err(RuntimeError::host("global value does not match its type"));
        }
        g.value = value.to_raw128();
        Ok(())
    }
}

impl Tag {
    /// Creates a fresh tag (distinct from every other, even of the same type).
    pub fn new(store: &mut Store, ty: FuncType) -> Tag {
        let type_id = store.intern_type(&ty);
        store.tags.push(TagInst { type_id });
        Tag(store.tags.len() as u32 - 1)
    }

    /// The payload type.
    pub fn ty(&self, store: &Store) -> FuncType {
        store.types[store.tags[self.0 as usize].type_id as usize].clone()
    }
}

impl Exn {
    /// Creates an exception of `tag` with `payload` (of the tag's
    /// parameter types), ready to be thrown with
    /// [`RuntimeError::throw`].
    ///
    /// ```
    /// use touchstone_engine::{Exn, FuncType, Store, Tag, Val, ValType};
    /// let mut store = Store::default();
    /// let tag = Tag::new(&mut store, FuncType::new([ValType::I32], []));
    /// let exn = Exn::new(&mut store, tag, &[Val::I32(7)]).unwrap();
    /// assert_eq!(exn.tag(&store), tag);
    /// assert_eq!(exn.payload(&store), vec![Val::I32(7)]);
    /// assert!(Exn::new(&mut store, tag, &[]).is_err());
    /// ```
    pub fn new(store: &mut Store, tag: Tag, payload: &[Val]) -> Result<Exn, RuntimeError> {
        let ty = tag.ty(store);
        if payload.len() != ty.params().len()
            || !payload
                .iter()
                .zip(ty.params())
                .all(|(v, t)| v.matches(*t) && v.is_valid_in(store))
        {
            return Err(RuntimeError::host("payload does not match the tag's type"));
        }
        let mut slots = Vec::new();
        push_slots(payload, &mut slots);
        let exn = store.alloc_exn(ExnInst::new(tag.0, slots));
        // The embedder holds it from now on: a root for the collector.
        store.pin(&Val::ExnRef(Some(Exn(exn))));
        Ok(Exn(exn))
    }

    /// The store address: a stable identity of the exception in its store.
    pub fn address(&self) -> u32 {
        self.0
    }

    /// The exception at store address `address`, as returned by
    /// [`Exn::address`]; the embedder keeps it valid (`Exn` handles of
    /// other addresses name nothing, and using them panics).
    pub fn from_address(address: u32) -> Exn {
        Exn(address)
    }

    /// The exception's tag.
    pub fn tag(&self, store: &Store) -> Tag {
        Tag(store.exns[self.0 as usize].tag)
    }

    /// The payload values. References among them are hand-outs like a
    /// call's results: each is pinned until [`Store::release`]d, since the
    /// host may keep one after it let the exception go.
    pub fn payload(&self, store: &Store) -> Vec<Val> {
        let e = &store.exns[self.0 as usize];
        let ty = Tag(e.tag).ty(store);
        let values = read_slots(&e.payload, ty.params());
        values.iter().for_each(|v| store.pin(v));
        values
    }
}

impl Val {
    /// Whether a reference is of the canonical reference type `ty` as far
    /// as concrete types go: a struct, array or function must be of a
    /// subtype of a concrete `ty` (hierarchy and nullability are what
    /// [`Val::matches`] checks; other values pass).
    pub(crate) fn fits_concrete(&self, store: &Store, ty: CanonRef) -> bool {
        let heap = match *self {
            Val::FuncRef(Some(f)) => CanonHeap::Concrete(store.funcs[f.0 as usize].type_id()),
            Val::AnyRef(Some(AnyRef::Struct(n) | AnyRef::Array(n))) => {
                CanonHeap::Concrete(store.heap.objects[n as usize].type_id)
            }
            Val::AnyRef(Some(AnyRef::I31(_))) => CanonHeap::I31,
            _ => return true,
        };
        let have = CanonRef {
            nullable: false,
            heap,
        };
        have.matches_in(ty, &store.type_info)
    }

    /// Whether a GC reference names a live object of its kind in `store`
    /// (an embedder could make up a handle); other values always are.
    pub(crate) fn is_valid_in(&self, store: &Store) -> bool {
        let (index, kind) = match self {
            Val::AnyRef(Some(AnyRef::Struct(i))) | Val::ExternGc(AnyRef::Struct(i)) => {
                (*i, TypeKind::Struct)
            }
            Val::AnyRef(Some(AnyRef::Array(i))) | Val::ExternGc(AnyRef::Array(i)) => {
                (*i, TypeKind::Array)
            }
            _ => return true,
        };
        store
            .heap
            .objects
            .get(index as usize)
            .is_some_and(|o| !o.is_free() && store.type_info[o.type_id as usize].kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ValType;

    #[test]
    fn immutable_globals_refuse_writes() {
        let mut store = Store::default();
        let g = Global::new(
            &mut store,
            GlobalType::new(ValType::F32, false),
            Val::F32(7),
        )
        .unwrap();
        assert!(g.set(&mut store, Val::F32(8)).is_err());
        assert_eq!(g.get(&store), Val::F32(7));
    }

    #[test]
    fn wrong_type_is_refused() {
        let mut store = Store::default();
        assert!(Global::new(&mut store, GlobalType::new(ValType::I32, true), Val::I64(0)).is_err());
    }
}
