use super::*;
use crate::{Config, Memory, Store};

#[test]
fn bounds_are_exact_to_the_byte() {
    let mut store = Store::default();
    let m = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    let inst = &store.memories[m.0 as usize];
    assert!(inst.effective(65532, 0, 4).is_ok());
    assert_eq!(
        inst.effective(65533, 0, 4),
        Err(TrapKind::MemoryOutOfBounds)
    );
    assert_eq!(
        inst.effective(1, u64::MAX, 1),
        Err(TrapKind::MemoryOutOfBounds)
    );
}

#[test]
fn store_budget_refuses_growth() {
    let mut store = Store::new(Config {
        max_memory_bytes: 2 * PAGE_SIZE,
        ..Config::default()
    });
    let m = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    assert_eq!(m.grow(&mut store, 1), Some(1));
    assert_eq!(m.grow(&mut store, 1), None);
    assert_eq!(m.size(&store), 2);
}

#[test]
fn thirty_two_bit_memories_stop_at_4gib() {
    let mut store = Store::default();
    let m = Memory::new(&mut store, MemoryType::new(0, None)).unwrap();
    assert_eq!(m.grow(&mut store, 65537), None);
}

#[test]
fn growth_never_moves_the_bytes() {
    let mut store = Store::default();
    let m = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    m.write(&mut store, 65535, &[9]).unwrap();
    let base = m.data(&store).as_ptr();
    for _ in 0..256 {
        m.grow(&mut store, 1).unwrap();
    }
    assert_eq!(m.data(&store).as_ptr(), base);
    assert_eq!(m.data(&store)[65535], 9);
    assert!(m.data(&store)[65536..].iter().all(|&b| b == 0));
}

#[test]
fn budget_counts_declared_sizes_and_refunds_refusals() {
    let mut store = Store::new(Config {
        max_memory_bytes: 4 * PAGE_SIZE,
        ..Config::default()
    });
    let a = Memory::new(&mut store, MemoryType::new(2, Some(3))).unwrap();
    assert_eq!(a.grow(&mut store, 2), None, "over its maximum");
    let b = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    assert_eq!(b.grow(&mut store, 1), Some(1), "the refusal was refunded");
    assert_eq!(a.grow(&mut store, 1), None, "the budget is used up");
    assert_eq!(store.memory_bytes, 4 * PAGE_SIZE);
}

#[test]
fn large_memory64_costs_only_what_is_touched() {
    // 5 GiB declared, two bytes touched (one at each end).
    let pages = 5 * (1 << 30) / PAGE_SIZE;
    let mut store = Store::new(Config {
        max_memory_bytes: 8 << 30,
        ..Config::default()
    });
    let m = Memory::new(&mut store, MemoryType::new64(pages, None)).unwrap();
    let last = pages * PAGE_SIZE - 1;
    m.write(&mut store, last, &[7]).unwrap();
    m.write(&mut store, 0, &[1]).unwrap();
    let mut b = [0u8; 1];
    m.read(&store, last, &mut b).unwrap();
    assert_eq!(b, [7]);
    assert!(m.read(&store, last + 1, &mut b).is_err());
}

#[test]
fn shared_memories_are_one_set_of_bytes_across_stores() {
    let mut a = Store::default();
    let ty = MemoryType::new(1, Some(3)).shared();
    let ma = Memory::new(&mut a, ty).unwrap();
    let shared = ma.shared(&a).expect("a shared memory");
    let handle = shared.clone();
    let seen = std::thread::spawn(move || {
        let mut b = Store::default();
        let mb = handle.attach(&mut b);
        mb.write(&mut b, 10, &[42]).unwrap();
        assert_eq!(mb.grow(&mut b, 1), Some(1));
        mb.ty(&b)
    })
    .join()
    .unwrap();
    assert!(seen.is_shared());
    let mut byte = [0u8];
    ma.read(&a, 10, &mut byte).unwrap();
    assert_eq!(byte, [42]);
    assert_eq!(ma.size(&a), 2, "growth in one store is seen in all");
    assert_eq!(ma.ty(&a).minimum(), 2);
    assert_eq!(shared.grow(2), None, "past the maximum");
    assert!(Memory::new(&mut a, MemoryType::new(1, None))
        .unwrap()
        .shared(&a)
        .is_none());
}

#[test]
#[should_panic(expected = "shared memory")]
fn shared_bytes_are_never_borrowed() {
    let mut store = Store::default();
    let m = Memory::new(&mut store, MemoryType::new(1, Some(1)).shared()).unwrap();
    let _ = m.data(&store);
}

#[test]
fn shared_memory_needs_a_maximum() {
    assert!(SharedMemory::new(MemoryType::new(1, None).shared()).is_err());
    assert!(SharedMemory::new(MemoryType::new(1, Some(1))).is_err());
}

#[test]
fn atomics_check_alignment_then_bounds() {
    let mut store = Store::default();
    let m = Memory::new(&mut store, MemoryType::new(1, Some(1)).shared()).unwrap();
    let inst = &mut store.memories[m.0 as usize];
    assert_eq!(inst.atomic_at(2, 0, 4), Err(TrapKind::UnalignedAtomic));
    assert_eq!(
        inst.atomic_at(65536, 0, 4),
        Err(TrapKind::MemoryOutOfBounds)
    );
    let at = inst.atomic_at(4, 4, 4).unwrap();
    assert_eq!(inst.atomic_rmw(at, 4, RmwOp::Add, 5), 0);
    assert_eq!(inst.atomic_cmpxchg(at, 4, 5, 6), 5);
    assert_eq!(inst.atomic_load(at, 4), 6);
    assert_eq!(inst.load(at, 4), 6);
    assert_eq!(inst.load(at + 1, 4), 0, "an unaligned plain load");
}

#[test]
fn wait_blocks_until_notified_and_traps_on_unshared_memory() {
    let mut store = Store::default();
    let own = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    let flag = AtomicBool::new(false);
    let inst = &store.memories[own.0 as usize];
    assert_eq!(
        inst.wait(0, 4, 0, 0, &flag),
        Err(TrapKind::ExpectedSharedMemory)
    );
    assert_eq!(inst.notify(0, 1), 0);

    let m = Memory::new(&mut store, MemoryType::new(1, Some(1)).shared()).unwrap();
    let shared = m.shared(&store).unwrap();
    let inst = &store.memories[m.0 as usize];
    assert_eq!(inst.wait(0, 4, 1, -1, &flag), Ok(1), "not equal");
    assert_eq!(inst.wait(0, 8, 0, 1_000_000, &flag), Ok(2), "timed out");
    let waker = std::thread::spawn(move || {
        let mut other = Store::default();
        let mem = shared.attach(&mut other);
        let inst = &other.memories[mem.0 as usize];
        loop {
            if inst.notify(16, 1) == 1 {
                break;
            }
            std::thread::yield_now();
        }
    });
    assert_eq!(inst.wait(16, 4, 0, -1, &flag), Ok(0), "woken");
    waker.join().unwrap();
}

#[test]
fn shared_memory_handles_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<SharedMemory>();
}

/// `raw_parts` works for shared memories too (whose bytes cannot be
/// borrowed as a slice), and the first byte stays put when the memory grows.
#[test]
fn raw_parts_of_a_shared_memory_stay_put_across_growth() {
    let mut store = Store::default();
    let ty = MemoryType::new(1, Some(4)).shared();
    let memory = Memory::new(&mut store, ty).unwrap();
    let (base, len) = memory.raw_parts(&store);
    assert_eq!(len, 65536);
    memory.write(&mut store, 100, &[42]).unwrap();
    assert_eq!(memory.grow(&mut store, 2), Some(1));
    let (grown_base, grown_len) = memory.raw_parts(&store);
    assert_eq!((grown_base, grown_len), (base, 3 * 65536));
    let mut byte = [0];
    memory.read(&store, 100, &mut byte).unwrap();
    assert_eq!(byte, [42]);
}
