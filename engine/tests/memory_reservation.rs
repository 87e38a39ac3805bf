//! Linear memory is reserved, not allocated: growing a memory to 4 GiB one
//! page at a time costs neither RAM nor copies. Alone in its test binary so
//! the process's resident size is this test's own.

use touchstone_engine::{Memory, MemoryType, Store, PAGE_SIZE};

/// Resident set size of this process in bytes (Linux).
#[cfg(target_os = "linux")]
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

#[cfg(target_os = "linux")]
#[test]
fn growing_to_4gib_page_by_page_touches_no_ram_and_moves_nothing() {
    let mut store = Store::default();
    let mem = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    mem.write(&mut store, 0, &[42]).unwrap();
    let base = mem.data(&store).as_ptr();
    let before = rss();
    for pages in 1..65536 {
        assert_eq!(mem.grow(&mut store, 1), Some(pages));
    }
    assert_eq!(mem.grow(&mut store, 1), None, "4 GiB is the 32-bit limit");
    let grown = rss().saturating_sub(before);
    assert!(
        grown < 64 << 20,
        "4 GiB of untouched pages made the process {grown} bytes larger"
    );
    assert_eq!(mem.data(&store).as_ptr(), base, "the bytes never moved");
    assert_eq!(mem.data(&store)[0], 42);
    let last = 65536 * PAGE_SIZE - 1;
    mem.write(&mut store, last, &[7]).unwrap();
    let mut b = [0u8];
    mem.read(&store, last, &mut b).unwrap();
    assert_eq!(b, [7]);
}
