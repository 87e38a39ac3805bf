//! The tracing collector: a mark-sweep over the store's object arena and
//! its exceptions.
//!
//! **Roots.** The running invocation's value stack (every frame's slots and
//! operands), globals, tables, element segments, and whatever the host was
//! handed and has not released (pinned, see [`Store::pin`]). Objects and
//! exceptions are traced through their fields, descriptors and payloads.
//!
//! **Host handles.** `AnyRef` and `Exn` handles are plain indices, so the
//! store counts hand-outs instead: every reference that reaches the host
//! (a call's results or escaping exception, `Global::get`, `Table::get`, a
//! host function's arguments, `Exn::new`, `Exn::payload`) pins its target once, and
//! [`Store::release`] undoes one pin. A pinned object is never freed, so its
//! handle stays valid however many collections run; once the host has
//! released every hand-out, the object lives only as long as wasm can reach
//! it. Hosts that only describe values (the harness's adapter) release them
//! at once; a host that keeps them calls `release` when it lets go (the JS
//! API host gives each hand-out to a JS object that releases it when
//! QuickJS frees it).
//!
//! **The same object handed out twice** is pinned twice and must be
//! released twice: a pin belongs to a hand-out, not to the object, so two
//! parts of a host that were each handed the same exception (a `catch` that
//! rethrows to the host, a table read twice) can each release theirs
//! without freeing the other's. A host that keeps one object per reference
//! (the JS API's identity rule) releases the duplicate hand-out at once.
//! Releasing more often than the object was handed out is refused
//! (`release` returns `false` at a count of zero) but cannot tell hosts
//! apart: a host that releases another part's hand-out makes that part's
//! handle stale (never undefined behaviour, see [`Store::release`]).
//!
//! **Identity across heaps.** A host that gives each object one wrapper of
//! its own (JS objects) must keep that wrapper while wasm can still hand
//! the object back, or the object would come back as a new wrapper;
//! [`Store::held_only_by_host`] names the pinned objects wasm cannot reach,
//! whose wrappers the host may let its own collector free.
//!
//! **Precise where typed.** Globals, object fields (by the object's type)
//! and exception payloads (by the tag's type) are scanned only where they
//! hold references.
//!
//! **Conservative words.** Frame slots are untyped `u64`s, so every word
//! on the value stack is treated as a possible reference: a word tagged as a struct
//! or array reference that names a live arena slot marks that object, and a
//! word `1..=exns.len()` marks exception `word - 1` (the `exnref`
//! encoding).
//!
//! **Trigger.** Allocation (`struct.new*`, `array.new*`, `throw`) checks
//! [`Store::gc_due`]: once the bytes allocated since the last collection
//! exceed the bytes that survived it (at least `Config::gc_interval_bytes`),
//! or what is left of the store's memory budget, it collects before
//! allocating, while every operand is still on the stack.
//! Only the outermost invocation collects: a nested one (a host function
//! calling back into wasm) cannot see its callers' stacks. The count of
//! running invocations is kept by a guard, so a call that panics (a host
//! function's panic unwinding through the interpreter) does not leave the
//! store believing a call is still running, which would stop collection
//! for good.
//!
//! **Why conservative, not precise.** Precise frame maps would need the
//! translator to record which slots hold references at every allocation
//! site, and the interpreter's hot paths to keep them; the conservative
//! scan needs neither, and never misses a root. Its cost is retention: an
//! `i64` that equals a live object's tagged reference (bit 62 or 61 set and
//! a live arena index below 2^32) keeps that object alive until the number
//! changes, and since an `exnref` is its exception's index plus one, any
//! small number in a slot below the count of exception slots keeps that
//! exception (exception slots are reused, so their count stays near the
//! peak of live ones). Retention only: nothing live is ever freed.

use super::super::store::Store;
use super::super::types::slots_of;
use super::super::value::Val;
use super::heap::RefSlots;

/// What the store's collected heap holds now (see [`Store::heap_stats`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeapStats {
    /// Live structs and arrays (not yet collected).
    pub objects: usize,
    /// Live exceptions.
    pub exceptions: usize,
    /// Objects and exceptions the host holds (pinned at least once).
    pub pinned: usize,
    /// Arena slots of objects and exceptions, live or free: what a
    /// collection (or [`Store::held_only_by_host`]) walks.
    pub slots: usize,
}

/// What one collection freed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Collected {
    pub objects: usize,
    pub exns: usize,
}

impl Store {
    /// Whether an allocation should collect first: when the bytes allocated
    /// since the last collection reach what survived it (at least the
    /// interval), or exceed what is left of the memory budget, so that a
    /// store whose live data fills most of its budget collects more often
    /// instead of running out while its garbage could be freed. An interval
    /// of `u64::MAX` turns collection off (tests measure garbage with it).
    #[inline]
    pub(crate) fn gc_due(&self) -> bool {
        let since = self.heap.allocated_since_gc;
        let interval = self.config.gc_interval_bytes;
        let left = self
            .config
            .max_memory_bytes
            .saturating_sub(self.memory_bytes);
        self.invocations == 1
            && interval != u64::MAX
            && (since >= self.heap.live_after_gc.max(interval) || (since > 0 && since >= left))
    }

    /// Records that the host was handed `val`: if it refers to an object
    /// or exception, that is a root until the host releases it
    /// ([`Store::release`]), so the handle the host keeps stays valid
    /// (never freed, never reused). Pins count: each hand-out is one.
    pub(crate) fn pin(&self, val: &Val) {
        match val {
            Val::ExnRef(Some(e)) => {
                if let Some(e) = self.exns.get(e.0 as usize).filter(|e| !e.is_free()) {
                    e.pinned.set(e.pinned.get().saturating_add(1));
                }
            }
            Val::AnyRef(Some(a)) | Val::ExternGc(a) => self.heap.pin(a.to_raw()),
            _ => {}
        }
    }

    /// Pins the exception of an error that escaped to the host (the
    /// host reads it through `RuntimeError::exception`).
    pub(crate) fn pin_escaped(&self, error: &crate::error::RuntimeError) {
        if let Some(exn) = error.exception() {
            self.pin(&Val::ExnRef(Some(exn)));
        }
    }

    /// The host no longer holds `val`, a reference it was handed (a call's
    /// result, `Global::get`, `Table::get`, a host function's argument,
    /// `Exn::new`, `Exn::payload`). Each hand-out is released once; when an object's last
    /// one is, it stays alive only while wasm can reach it. Returns whether
    /// `val` named a pinned object or exception (`false` for numbers,
    /// nulls, `i31`s, host references, and handles released already).
    ///
    /// Using a handle after releasing it is the host's error, but never
    /// undefined behaviour: once its object is collected the handle fails
    /// every type check (`is_valid_in`), and once the slot is reused it
    /// names the new object.
    ///
    /// ```
    /// use touchstone_engine::{Exn, FuncType, Store, Tag, Val};
    /// let mut store = Store::default();
    /// let tag = Tag::new(&mut store, FuncType::new([], []));
    /// let exn = Val::ExnRef(Some(Exn::new(&mut store, tag, &[]).unwrap()));
    /// assert!(store.release(&exn));
    /// assert!(!store.release(&exn), "released once per hand-out");
    /// assert!(!store.release(&Val::I32(1)));
    /// ```
    pub fn release(&mut self, val: &Val) -> bool {
        match val {
            Val::ExnRef(Some(e)) => match self.exns.get(e.0 as usize) {
                Some(e) if !e.is_free() && e.pinned.get() > 0 => {
                    e.pinned.set(e.pinned.get() - 1);
                    true
                }
                _ => false,
            },
            Val::AnyRef(Some(a)) | Val::ExternGc(a) => self.heap.unpin(a.to_raw()),
            _ => false,
        }
    }

    /// Counts the live objects and exceptions, and those the host holds.
    ///
    /// ```
    /// use touchstone_engine::{Exn, FuncType, Store, Tag, Val};
    /// let mut store = Store::default();
    /// let tag = Tag::new(&mut store, FuncType::new([], []));
    /// let exn = Exn::new(&mut store, tag, &[]).unwrap();
    /// assert_eq!((store.heap_stats().exceptions, store.heap_stats().pinned), (1, 1));
    /// store.release(&Val::ExnRef(Some(exn)));
    /// assert!(store.collect());
    /// assert_eq!(store.heap_stats().exceptions, 0);
    /// ```
    pub fn heap_stats(&self) -> HeapStats {
        let objects = self.heap.objects.iter().filter(|o| !o.is_free());
        let exns = self.exns.iter().filter(|e| !e.is_free());
        let (mut stats, mut pinned) = (HeapStats::default(), 0);
        for o in objects {
            stats.objects += 1;
            pinned += usize::from(o.pinned.get() > 0);
        }
        for e in exns {
            stats.exceptions += 1;
            pinned += usize::from(e.pinned.get() > 0);
        }
        stats.pinned = pinned;
        stats.slots = self.heap.objects.len() + self.exns.len();
        stats
    }

    /// Collects now, as an allocation would when due: frees every object
    /// and exception that neither wasm nor the host can reach. Only between
    /// calls: while wasm runs (a host function calling this) its stacks are
    /// not visible here, so nothing is collected and this returns `false`.
    pub fn collect(&mut self) -> bool {
        if self.invocations != 0 {
            return false;
        }
        self.collect_garbage(&[]);
        true
    }

    /// The pinned objects and exceptions that only the host can reach:
    /// neither wasm's roots (globals, tables, element segments) nor any
    /// other object the host holds leads to them. While that stays so,
    /// wasm can get one only from the host, so a host that keeps one
    /// wrapper per object may let that wrapper go (and release the object)
    /// once its own code drops it, and still never see the object again
    /// under a new wrapper. An object that reaches itself through its
    /// fields (a cycle) is never listed: retention only. `None` while wasm
    /// runs (its stacks are roots this cannot see).
    pub fn held_only_by_host(&self) -> Option<Vec<Val>> {
        use super::super::canon::TypeKind;
        use super::heap::AnyRef;
        if self.invocations != 0 {
            return None;
        }
        let mut marker = Marker::new(self);
        self.mark_wasm_roots(&mut marker, &[]);
        marker.trace(self);
        // What host-held objects lead to (not themselves: only their fields).
        for (i, o) in self.heap.objects.iter().enumerate() {
            if o.pinned.get() > 0 && !o.is_free() && !marker.objects[i] {
                marker.scan_fields(self, Pending::Object(i));
            }
        }
        for (i, e) in self.exns.iter().enumerate() {
            if e.pinned.get() > 0 && !e.is_free() && !marker.exns[i] {
                marker.scan_fields(self, Pending::Exn(i));
            }
        }
        marker.trace(self);
        let objects = self.heap.objects.iter().enumerate().filter_map(|(i, o)| {
            (o.pinned.get() > 0 && !o.is_free() && !marker.objects[i]).then(|| {
                let r = match self.type_info[o.type_id as usize].kind {
                    TypeKind::Array => AnyRef::Array(i as u32),
                    _ => AnyRef::Struct(i as u32),
                };
                Val::AnyRef(Some(r))
            })
        });
        let exns = self.exns.iter().enumerate().filter_map(|(i, e)| {
            (e.pinned.get() > 0 && !e.is_free() && !marker.exns[i])
                .then(|| Val::ExnRef(Some(crate::runtime::handles::Exn(i as u32))))
        });
        Some(objects.chain(exns).collect())
    }

    /// Allocates an exception (reusing a collected slot); returns its index.
    pub(crate) fn alloc_exn(&mut self, exn: super::super::exn::ExnInst) -> u32 {
        self.heap.allocated_since_gc += super::heap::object_bytes(exn.payload.len() as u64);
        match self.free_exns.pop() {
            Some(i) => {
                self.exns[i as usize] = exn;
                i
            }
            None => {
                self.exns.push(exn);
                self.exns.len() as u32 - 1
            }
        }
    }

    /// Collects every object and exception not reachable from `stack` (the
    /// running invocation's value stack) or the store's other roots.
    pub(crate) fn collect_garbage(&mut self, stack: &[u64]) -> Collected {
        let mut marker = Marker::new(self);
        self.mark_wasm_roots(&mut marker, stack);
        for (i, o) in self.heap.objects.iter().enumerate() {
            if o.pinned.get() > 0 && !o.is_free() && !marker.objects[i] {
                marker.objects[i] = true;
                marker.pending.push(Pending::Object(i));
            }
        }
        for (i, e) in self.exns.iter().enumerate() {
            if e.pinned.get() > 0 && !e.is_free() && !marker.exns[i] {
                marker.exns[i] = true;
                marker.pending.push(Pending::Exn(i));
            }
        }
        marker.trace(self);
        self.sweep(&marker)
    }

    /// Marks what `stack` (a running invocation's values), the globals,
    /// tables and element segments refer to (not yet traced).
    fn mark_wasm_roots(&self, marker: &mut Marker, stack: &[u64]) {
        marker.scan(self, stack);
        // Globals are typed: only reference globals are scanned, so an
        // `i32` global holding a small number keeps no exception alive.
        for g in self
            .globals
            .iter()
            .filter(|g| g.ty.content.is_reference_type())
        {
            marker.scan(self, &[g.value as u64]);
        }
        for t in &self.tables {
            marker.scan(self, &t.elems);
        }
        for e in &self.elems {
            marker.scan(self, &e.items);
        }
    }

    fn sweep(&mut self, marker: &Marker) -> Collected {
        let mut freed = Collected::default();
        let mut returned = 0;
        let mut live = 0;
        for (i, &marked) in marker.objects.iter().enumerate() {
            if marked {
                live += self.heap.objects[i].bytes();
            } else if !self.heap.objects[i].is_free() {
                returned += self.heap.free(i);
                freed.objects += 1;
            }
        }
        for (i, &marked) in marker.exns.iter().enumerate() {
            let e = &mut self.exns[i];
            if marked {
                live += super::heap::object_bytes(e.payload.len() as u64);
            } else if !e.is_free() {
                e.tag = super::super::exn::ExnInst::FREE;
                e.payload = Vec::new();
                self.free_exns.push(i as u32);
                freed.exns += 1;
            }
        }
        self.memory_bytes = self.memory_bytes.saturating_sub(returned);
        self.heap.allocated_since_gc = 0;
        self.heap.live_after_gc = live;
        freed
    }
}

enum Pending {
    Object(usize),
    Exn(usize),
}

/// Mark bits and the objects marked but not yet traced.
struct Marker {
    objects: Vec<bool>,
    exns: Vec<bool>,
    pending: Vec<Pending>,
}

impl Marker {
    fn new(store: &Store) -> Marker {
        Marker {
            objects: vec![false; store.heap.objects.len()],
            exns: vec![false; store.exns.len()],
            pending: Vec::new(),
        }
    }

    /// Traces every marked object not traced yet: marks what it refers to.
    fn trace(&mut self, store: &Store) {
        while let Some(p) = self.pending.pop() {
            self.scan_fields(store, p);
        }
    }

    /// Marks what an object's reference fields (by its type) or an
    /// exception's reference payload values (by its tag's type) refer to.
    /// Numbers in other fields are not scanned: an `i32` field equal to
    /// an exception's index plus one would otherwise keep that exception.
    fn scan_fields(&mut self, store: &Store, p: Pending) {
        match p {
            Pending::Object(i) => {
                let o = &store.heap.objects[i];
                self.scan(store, &[o.desc]);
                // An object of a type the store did not intern (unit tests
                // build some by hand) is scanned conservatively.
                match store.heap.ref_slots.get(o.type_id as usize) {
                    Some(RefSlots::None) => {}
                    Some(RefSlots::At(at)) => {
                        for &k in at.iter() {
                            self.scan(store, &o.data[k as usize..k as usize + 1]);
                        }
                    }
                    Some(RefSlots::All) | None => self.scan(store, &o.data),
                }
            }
            Pending::Exn(i) => {
                let e = &store.exns[i];
                let ty = store
                    .tags
                    .get(e.tag as usize)
                    .and_then(|t| store.types.get(t.type_id as usize));
                let Some(ty) = ty else {
                    return self.scan(store, &e.payload);
                };
                let mut at = 0;
                for &t in ty.params() {
                    if t.is_reference_type() {
                        self.scan(store, &e.payload[at..at + 1]);
                    }
                    at += slots_of(t) as usize;
                }
            }
        }
    }

    /// Marks whatever the words of `words` may refer to.
    fn scan(&mut self, store: &Store, words: &[u64]) {
        for &w in words {
            if let Some(i) = store.heap.object_index(w) {
                if !self.objects[i] {
                    self.objects[i] = true;
                    self.pending.push(Pending::Object(i));
                }
            } else if let Some(i) = w.checked_sub(1).filter(|&i| i < self.exns.len() as u64) {
                let i = i as usize;
                if !self.exns[i] && !store.exns[i].is_free() {
                    self.exns[i] = true;
                    self.pending.push(Pending::Exn(i));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::exn::ExnInst;

    #[test]
    fn unreachable_objects_are_freed_and_their_slots_reused() {
        let mut store = Store::default();
        let leaf = store.heap.alloc_array(0, 1, vec![7, 8]);
        let root = store.heap.alloc_struct_desc(0, vec![leaf], 0);
        let garbage = store.heap.alloc_struct_desc(0, vec![1], 0);
        let exn = store.alloc_exn(ExnInst::new(0, vec![root]));
        let dead_exn = store.alloc_exn(ExnInst::new(0, vec![garbage]));
        // Only the exception is on the stack; it keeps `root` and `leaf`.
        let freed = store.collect_garbage(&[exn as u64 + 1]);
        assert_eq!(
            freed,
            Collected {
                objects: 1,
                exns: 1
            }
        );
        assert!(store.exns[dead_exn as usize].is_free());
        assert_eq!(store.heap.get(leaf).data, vec![7, 8]);
        assert_eq!(store.heap.get(root).data, vec![leaf]);
        // The freed slot is reused.
        let again = store.heap.alloc_struct_desc(0, vec![2], 0);
        assert_eq!(again as u32, garbage as u32);
    }

    #[test]
    fn pinned_objects_survive_and_cycles_without_roots_do_not() {
        let mut store = Store::default();
        let a = store.heap.alloc_struct_desc(0, vec![0], 0);
        let b = store.heap.alloc_struct_desc(0, vec![a], 0);
        store.heap.get_mut(a).data[0] = b;
        let pinned = store.heap.alloc_array(0, 1, vec![]);
        store.pin(&Val::AnyRef(crate::runtime::gc::heap::AnyRef::from_raw(
            pinned,
        )));
        let freed = store.collect_garbage(&[]);
        assert_eq!(freed.objects, 2);
        assert!(store.heap.object_index(pinned).is_some());
        assert!(store.heap.object_index(a).is_none());
    }

    #[test]
    fn freeing_returns_charged_bytes_to_the_budget() {
        let mut store = Store::default();
        let r = store.heap.alloc_array(0, 1, vec![0; 10]);
        store.heap.get_mut(r).charged = true;
        assert!(store.reserve_memory(crate::runtime::gc::heap::object_bytes(10)));
        store.collect_garbage(&[]);
        assert_eq!(store.memory_bytes, 0);
    }
}
