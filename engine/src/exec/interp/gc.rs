//! Execution of GC operators: allocation, field and element access with
//! null and bounds traps, `i31`, `ref.eq` and casts over canonical types.

use super::Executor;
use crate::error::{RuntimeError, TrapKind};
use crate::exec::gc_op::{CastHeap, GcOp};
use crate::runtime::gc::heap::{i31, i31_get, is_host, I31_TAG};
use crate::runtime::gc::read_elems;
use crate::runtime::gc::type_defs::{CompositeDef, FieldDef, TypeKind};
use crate::runtime::store::Store;

/// Whether `op` allocates an object (a collection safepoint).
fn allocates(op: GcOp) -> bool {
    matches!(
        op,
        GcOp::StructNew(_)
            | GcOp::StructNewDesc(_)
            | GcOp::StructNewDefault(_)
            | GcOp::StructNewDefaultDesc(_)
            | GcOp::ArrayNew(_)
            | GcOp::ArrayNewDefault(_)
            | GcOp::ArrayNewFixed { .. }
            | GcOp::ArrayNewData { .. }
            | GcOp::ArrayNewElem { .. }
    )
}

fn trap(kind: TrapKind) -> RuntimeError {
    RuntimeError::new(kind)
}

/// Whether a reference slot is of type `(ref null? heap)`; concrete types
/// are canonical ids here.
pub(crate) fn cast_ok(
    store: &Store,
    type_ids: &[u32],
    raw: u64,
    heap: CastHeap,
    nullable: bool,
) -> bool {
    if raw == 0 {
        return nullable;
    }
    let is_i31 = raw & I31_TAG != 0;
    match heap {
        CastHeap::Any | CastHeap::Top => true,
        CastHeap::Bottom => false,
        CastHeap::Eq => !is_host(raw),
        CastHeap::I31 => is_i31,
        CastHeap::Struct => {
            !is_i31
                && store
                    .heap
                    .type_of(raw)
                    .is_some_and(|t| kind(store, t) == TypeKind::Struct)
        }
        CastHeap::Array => {
            !is_i31
                && store
                    .heap
                    .type_of(raw)
                    .is_some_and(|t| kind(store, t) == TypeKind::Array)
        }
        CastHeap::Concrete(i) | CastHeap::Exact(i) => {
            let want = type_ids[i as usize];
            let have = if is_i31 {
                return false;
            } else if let Some(have) = store.heap.type_of(raw) {
                have
            } else if kind(store, want) == TypeKind::Func {
                store.funcs[raw as usize - 1].type_id()
            } else {
                return false;
            };
            match heap {
                CastHeap::Exact(_) => have == want,
                _ => store.is_subtype(have, want),
            }
        }
    }
}

fn kind(store: &Store, id: u32) -> TypeKind {
    store.type_info[id as usize].kind
}

impl Executor<'_> {
    /// The element (`None`) or field layout of module type `ty`.
    fn layout(&self, ty: u32, field: Option<u32>) -> FieldDef {
        let def = self.inst.sub_types[ty as usize]
            .as_ref()
            .expect("validated: a GC type");
        match (&def.composite, field) {
            (CompositeDef::Struct { fields, .. }, Some(f)) => fields[f as usize],
            (CompositeDef::Array(e), None) => *e,
            _ => unreachable!("validated: struct field or array element"),
        }
    }

    /// Fields and total slots of struct type `ty` of the current module.
    fn struct_def(&self, ty: u32) -> (&[FieldDef], u32) {
        match &self.inst.sub_types[ty as usize]
            .as_ref()
            .expect("validated: a GC type")
            .composite
        {
            CompositeDef::Struct { fields, slots } => (fields, *slots),
            _ => unreachable!("validated: struct type"),
        }
    }

    fn pop_n(&mut self, n: usize) -> Vec<u64> {
        let at = self.values.len() - n;
        self.values.split_off(at)
    }

    fn pop_array(&mut self) -> Result<u64, RuntimeError> {
        match self.pop() {
            0 => Err(trap(TrapKind::NullArrayReference)),
            r => Ok(r),
        }
    }

    /// Checks that `[at, at + n)` lies within array `raw`.
    fn array_range(&self, raw: u64, at: u64, n: u64) -> Result<usize, RuntimeError> {
        let len = self.store.heap.get(raw).len();
        match at.checked_add(n) {
            Some(end) if end <= len => Ok(at as usize),
            _ => Err(trap(TrapKind::ArrayOutOfBounds)),
        }
    }

    /// Runs GC operator `index` of the current function (out of line, so the
    /// interpreter loop stays small for code without GC).
    #[inline(never)]
    pub(super) fn gc(&mut self, index: u32) -> Result<(), RuntimeError> {
        let op = self.code.gc[index as usize];
        if allocates(op) {
            // A safepoint: every operand is still on the value stack.
            self.collect_if_due();
        }
        match op {
            GcOp::StructNew(ty) | GcOp::StructNewDesc(ty) => {
                let desc = self.pop_desc(matches!(op, GcOp::StructNewDesc(_)))?;
                self.charge(self.struct_def(ty).1 as u64)?;
                let mut data = self.pop_n(self.struct_def(ty).1 as usize);
                for f in self.struct_def(ty).0 {
                    data[f.offset as usize] = f.storage.pack(data[f.offset as usize]);
                }
                let id = self.inst.type_ids[ty as usize];
                let r = self.store.heap.alloc_struct_desc(id, data, desc);
                self.store.heap.get_mut(r).charged = true;
                self.push(r);
            }
            GcOp::StructNewDefault(ty) | GcOp::StructNewDefaultDesc(ty) => {
                let desc = self.pop_desc(matches!(op, GcOp::StructNewDefaultDesc(_)))?;
                self.charge(self.struct_def(ty).1 as u64)?;
                let data = vec![0; self.struct_def(ty).1 as usize];
                let id = self.inst.type_ids[ty as usize];
                let r = self.store.heap.alloc_struct_desc(id, data, desc);
                self.store.heap.get_mut(r).charged = true;
                self.push(r);
            }
            GcOp::RefGetDesc => match self.pop() {
                0 => return Err(trap(TrapKind::NullReference)),
                r => {
                    let desc = self.store.heap.get(r).desc;
                    self.push(desc);
                }
            },
            GcOp::RefCastDescEq { nullable } => {
                let desc = self.pop_desc(true)?;
                let r = *self.top();
                if !self.has_desc(r, desc, nullable) {
                    return Err(trap(TrapKind::DescriptorCastFailure));
                }
            }
            GcOp::BrOnCastDescTest { nullable, fail } => {
                let desc = self.pop_desc(true)?;
                let r = *self.top();
                let ok = self.has_desc(r, desc, nullable);
                self.push((ok != fail) as u64);
            }
            GcOp::StructGet { ty, field, signed } => {
                let f = self.layout(ty, Some(field));
                let r = self.pop();
                if r == 0 {
                    return Err(trap(TrapKind::NullStructReference));
                }
                let obj = self.store.heap.get(r);
                let at = f.offset as usize;
                let x = f.storage.unpack(obj.data[at], signed);
                if f.storage.slots() == 2 {
                    let hi = obj.data[at + 1];
                    self.push(x);
                    self.push(hi);
                } else {
                    self.push(x);
                }
            }
            GcOp::StructSet { ty, field } => {
                let f = self.layout(ty, Some(field));
                let vals = self.pop_n(f.storage.slots() as usize);
                let r = self.pop();
                if r == 0 {
                    return Err(trap(TrapKind::NullStructReference));
                }
                let obj = self.store.heap.get_mut(r);
                let at = f.offset as usize;
                obj.data[at] = f.storage.pack(vals[0]);
                if vals.len() == 2 {
                    obj.data[at + 1] = vals[1];
                }
            }
            GcOp::ArrayNew(ty) => {
                let f = self.layout(ty, None);
                let n = self.pop() as u32 as u64;
                let w = f.storage.slots() as usize;
                let mut val = self.pop_n(w);
                val[0] = f.storage.pack(val[0]);
                let data = self.array_data(n, w, |data| {
                    for _ in 0..n {
                        data.extend_from_slice(&val)
                    }
                })?;
                self.alloc_array(ty, w, data);
            }
            GcOp::ArrayNewDefault(ty) => {
                let w = self.layout(ty, None).storage.slots() as usize;
                let n = self.pop() as u32 as u64;
                let data = self.array_data(n, w, |data| data.resize(n as usize * w, 0))?;
                self.alloc_array(ty, w, data);
            }
            GcOp::ArrayNewFixed { ty, len } => {
                let f = self.layout(ty, None);
                let w = f.storage.slots() as usize;
                self.charge(len as u64 * w as u64)?;
                let mut data = self.pop_n(len as usize * w);
                for x in data.iter_mut().step_by(w) {
                    *x = f.storage.pack(*x);
                }
                self.alloc_array(ty, w, data);
            }
            GcOp::ArrayNewData { ty, data } => {
                let f = self.layout(ty, None);
                let n = self.pop() as u32 as usize;
                let s = self.pop() as u32 as usize;
                let bytes = self.store.datas[self.inst.datas[data as usize] as usize]
                    .bytes
                    .clone();
                let z = f.storage.byte_size();
                let end = n.checked_mul(z).and_then(|b| b.checked_add(s));
                if end.is_none_or(|e| e > bytes.len()) {
                    return Err(trap(TrapKind::MemoryOutOfBounds));
                }
                self.charge(n as u64 * f.storage.slots() as u64)?;
                let items = read_elems(&bytes[s..], f.storage, n);
                self.alloc_array(ty, f.storage.slots() as usize, items);
            }
            GcOp::ArrayNewElem { ty, elem } => {
                let n = self.pop() as u32 as usize;
                let s = self.pop() as u32 as usize;
                let items = &self.store.elems[self.inst.elems[elem as usize] as usize].items;
                if s.checked_add(n).is_none_or(|e| e > items.len()) {
                    return Err(trap(TrapKind::TableOutOfBounds));
                }
                let data = items[s..s + n].to_vec();
                self.charge(n as u64)?;
                self.alloc_array(ty, 1, data);
            }
            GcOp::ArrayGet { ty, signed } => {
                let f = self.layout(ty, None);
                let i = self.pop() as u32 as u64;
                let r = self.pop_array()?;
                let at = self.array_range(r, i, 1)?;
                let w = f.storage.slots() as usize;
                let obj = self.store.heap.get(r);
                let x = f.storage.unpack(obj.data[at * w], signed);
                if w == 2 {
                    let hi = obj.data[at * w + 1];
                    self.push(x);
                    self.push(hi);
                } else {
                    self.push(x);
                }
            }
            GcOp::ArraySet(ty) => {
                let f = self.layout(ty, None);
                let w = f.storage.slots() as usize;
                let vals = self.pop_n(w);
                let i = self.pop() as u32 as u64;
                let r = self.pop_array()?;
                let at = self.array_range(r, i, 1)?;
                let obj = self.store.heap.get_mut(r);
                obj.data[at * w] = f.storage.pack(vals[0]);
                if w == 2 {
                    obj.data[at * w + 1] = vals[1];
                }
            }
            GcOp::ArrayLen => {
                let r = self.pop_array()?;
                let len = self.store.heap.get(r).len();
                self.push(len);
            }
            GcOp::ArrayFill(ty) => {
                let f = self.layout(ty, None);
                let w = f.storage.slots() as usize;
                let n = self.pop() as u32 as u64;
                let mut val = self.pop_n(w);
                val[0] = f.storage.pack(val[0]);
                let d = self.pop() as u32 as u64;
                let r = self.pop_array()?;
                let at = self.array_range(r, d, n)?;
                let obj = self.store.heap.get_mut(r);
                for chunk in obj.data[at * w..(at + n as usize) * w].chunks_exact_mut(w) {
                    chunk.copy_from_slice(&val);
                }
            }
            GcOp::ArrayCopy { .. } => {
                let n = self.pop() as u32 as u64;
                let s = self.pop() as u32 as u64;
                let src = self.pop();
                let d = self.pop() as u32 as u64;
                let dst = self.pop();
                if dst == 0 || src == 0 {
                    return Err(trap(TrapKind::NullArrayReference));
                }
                let d = self.array_range(dst, d, n)?;
                let s = self.array_range(src, s, n)?;
                let w = self.store.heap.get(dst).width as usize;
                let (n, s, d) = (n as usize * w, s * w, d * w);
                if dst == src {
                    self.store.heap.get_mut(dst).data.copy_within(s..s + n, d);
                } else {
                    let from = self.store.heap.get(src).data[s..s + n].to_vec();
                    self.store.heap.get_mut(dst).data[d..d + n].copy_from_slice(&from);
                }
            }
            GcOp::ArrayInitData { ty, data } => {
                let f = self.layout(ty, None);
                let n = self.pop() as u32 as usize;
                let s = self.pop() as u32 as usize;
                let d = self.pop() as u32 as u64;
                let r = self.pop_array()?;
                let at = self.array_range(r, d, n as u64)?;
                let bytes = self.store.datas[self.inst.datas[data as usize] as usize]
                    .bytes
                    .clone();
                let z = f.storage.byte_size();
                if s.checked_add(n * z).is_none_or(|e| e > bytes.len()) {
                    return Err(trap(TrapKind::MemoryOutOfBounds));
                }
                let items = read_elems(&bytes[s..], f.storage, n);
                let w = f.storage.slots() as usize;
                self.store.heap.get_mut(r).data[at * w..at * w + items.len()]
                    .copy_from_slice(&items);
            }
            GcOp::ArrayInitElem { elem, .. } => {
                let n = self.pop() as u32 as usize;
                let s = self.pop() as u32 as usize;
                let d = self.pop() as u32 as u64;
                let r = self.pop_array()?;
                let at = self.array_range(r, d, n as u64)?;
                let items = &self.store.elems[self.inst.elems[elem as usize] as usize].items;
                if s.checked_add(n).is_none_or(|e| e > items.len()) {
                    return Err(trap(TrapKind::TableOutOfBounds));
                }
                let items = items[s..s + n].to_vec();
                self.store.heap.get_mut(r).data[at..at + n].copy_from_slice(&items);
            }
            GcOp::RefI31 => {
                let x = self.pop();
                self.push(i31(x as u32));
            }
            GcOp::I31Get { signed } => match self.pop() {
                0 => return Err(trap(TrapKind::NullI31Reference)),
                r => self.push(i31_get(r, signed)),
            },
            GcOp::RefEq => {
                let b = self.pop();
                let a = self.pop();
                self.push((a == b) as u64);
            }
            GcOp::RefTest { heap, nullable } => {
                let r = self.pop();
                let ok = cast_ok(self.store, &self.inst.type_ids, r, heap, nullable);
                self.push(ok as u64);
            }
            GcOp::RefCast { heap, nullable } => {
                let r = *self.top();
                if !cast_ok(self.store, &self.inst.type_ids, r, heap, nullable) {
                    return Err(trap(TrapKind::CastFailure));
                }
            }
            GcOp::BrOnCastTest {
                heap,
                nullable,
                fail,
            } => {
                let r = *self.top();
                let ok = cast_ok(self.store, &self.inst.type_ids, r, heap, nullable);
                self.push((ok != fail) as u64);
            }
        }
        Ok(())
    }

    /// Pops a descriptor operand when `present`, trapping on null; 0 otherwise.
    fn pop_desc(&mut self, present: bool) -> Result<u64, RuntimeError> {
        match present {
            false => Ok(0),
            true => match self.pop() {
                0 => Err(trap(TrapKind::NullDescriptorReference)),
                d => Ok(d),
            },
        }
    }

    /// Whether reference `r` is null (and `nullable`) or a struct with descriptor `desc`.
    fn has_desc(&self, r: u64, desc: u64, nullable: bool) -> bool {
        match r {
            0 => nullable,
            r if r & I31_TAG != 0 || self.store.heap.type_of(r).is_none() => false,
            r => self.store.heap.get(r).desc == desc,
        }
    }

    /// Collects garbage if enough was allocated since the last collection
    /// (see `runtime::gc::collect`); called only where every live reference
    /// is in a root: on the value stack, not in a Rust local.
    pub(super) fn collect_if_due(&mut self) {
        if self.store.gc_due() {
            self.store.collect_garbage(&self.values);
        }
    }

    /// Charges an object of `slots` data slots to the store's memory budget.
    fn charge(&mut self, slots: u64) -> Result<(), RuntimeError> {
        self.store.charge_gc_object(slots)
    }

    /// Builds the slots of an array sized at run time, refusing absurd sizes.
    fn array_data(
        &mut self,
        n: u64,
        w: usize,
        fill: impl FnOnce(&mut Vec<u64>),
    ) -> Result<Vec<u64>, RuntimeError> {
        self.charge(n * w as u64)?;
        let mut data = Vec::with_capacity(n as usize * w);
        fill(&mut data);
        Ok(data)
    }

    fn alloc_array(&mut self, ty: u32, w: usize, data: Vec<u64>) {
        let id = self.inst.type_ids[ty as usize];
        let r = self.store.heap.alloc_array(id, w as u32, data);
        self.store.heap.get_mut(r).charged = true;
        self.push(r);
    }
}
