//! Threads that really run at once on one shared memory, each with its own
//! store and instance. Litmus scripts pass even when threads run one after
//! another; these do not: lost updates, a missed wake-up or a torn queue
//! would show. The negative control: built with the `test-racy-rmw` feature
//! (atomic read-modify-write split into a read and a write), the counter
//! test must fail:
//! `cargo test -p touchstone-engine --release --features test-racy-rmw --test threads`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use touchstone_engine::{
    Config, Extern, Instance, MemoryType, Module, SharedMemory, Store, TrapKind, Val,
};

/// Runs `body` on `threads` OS threads released together by a barrier;
/// each gets a fresh store whose instance of `wat` imports `shared` as
/// `env.mem`. A watchdog interrupts them all after a minute, so a missed
/// wake-up fails the test instead of hanging it.
fn run_threads<T: Send + 'static>(
    wat: &'static str,
    shared: &SharedMemory,
    threads: usize,
    body: impl Fn(usize, &mut Store, Instance) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let barrier = Arc::new(Barrier::new(threads));
    let interrupt = Arc::new(AtomicBool::new(false));
    let body = Arc::new(body);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (module, shared, barrier) = (module.clone(), shared.clone(), barrier.clone());
            let (interrupt, body) = (interrupt.clone(), body.clone());
            thread::spawn(move || {
                let mut store = Store::new(Config {
                    interrupt,
                    ..Config::default()
                });
                let mem = shared.attach(&mut store);
                let inst = Instance::with_externs(&mut store, &module, &[Extern::Memory(mem)])
                    .expect("instantiates");
                barrier.wait();
                body(t, &mut store, inst)
            })
        })
        .collect();
    let watchdog = {
        let interrupt = interrupt.clone();
        thread::spawn(move || {
            for _ in 0..600 {
                if interrupt.load(Ordering::SeqCst) {
                    return;
                }
                thread::sleep(Duration::from_millis(100));
            }
            interrupt.store(true, Ordering::SeqCst);
        })
    };
    let results = handles.into_iter().map(|h| h.join().unwrap()).collect();
    interrupt.store(true, Ordering::SeqCst);
    watchdog.join().unwrap();
    results
}

fn call(store: &mut Store, inst: Instance, name: &str, args: &[Val]) -> Vec<Val> {
    let f = inst.get_func(store, name).expect("exported");
    f.call(store, args).expect("runs")
}

fn memory() -> SharedMemory {
    SharedMemory::new(MemoryType::new(1, Some(1)).shared()).unwrap()
}

fn read_u32(mem: &SharedMemory, at: u64) -> u32 {
    let mut b = [0u8; 4];
    mem.read(at, &mut b).unwrap();
    u32::from_le_bytes(b)
}

const COUNTER: &str = r#"(module
  (memory (import "env" "mem") 1 1 shared)
  (func (export "add") (param $n i32)
    (loop $more
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (br_if $more (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))"#;

#[test]
fn concurrent_atomic_increments_lose_nothing() {
    const THREADS: usize = 2;
    const EACH: i32 = 1_000_000;
    let mem = memory();
    run_threads(COUNTER, &mem, THREADS, |_, store, inst| {
        call(store, inst, "add", &[Val::I32(EACH)]);
    });
    assert_eq!(
        read_u32(&mem, 0),
        THREADS as u32 * EACH as u32,
        "every increment of every thread counted"
    );
}

const PING_PONG: &str = r#"(module
  (memory (import "env" "mem") 1 1 shared)
  ;; Plays `rounds` turns as player $me (0 or 1): waits until the turn
  ;; word at 0 is $me, counts a move at 4, hands the turn over and wakes
  ;; the other player. Returns how many of its waits were woken by a notify.
  (func (export "play") (param $me i32) (param $rounds i32) (result i32)
    (local $turn i32) (local $woken i32)
    (loop $round
      (block $mine
        (loop $wait
          (local.set $turn (i32.atomic.load (i32.const 0)))
          (br_if $mine (i32.eq (local.get $turn) (local.get $me)))
          (if (i32.eqz (memory.atomic.wait32 (i32.const 0) (local.get $turn) (i64.const -1)))
            (then (local.set $woken (i32.add (local.get $woken) (i32.const 1)))))
          (br $wait)))
      (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
      (i32.atomic.store (i32.const 0) (i32.sub (i32.const 1) (local.get $me)))
      (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
      (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
    (local.get $woken)))"#;

#[test]
fn wait_and_notify_ping_pong() {
    const ROUNDS: i32 = 2000;
    let mem = memory();
    let woken = run_threads(PING_PONG, &mem, 2, |me, store, inst| {
        match call(
            store,
            inst,
            "play",
            &[Val::I32(me as i32), Val::I32(ROUNDS)],
        )[..]
        {
            [Val::I32(w)] => w,
            ref other => panic!("unexpected result {other:?}"),
        }
    });
    assert_eq!(read_u32(&mem, 4), 2 * ROUNDS as u32, "every move made");
    assert_eq!(read_u32(&mem, 0), 0, "the turn is back with player 0");
    // Each player had to wait for the other about once per round; at least
    // some of those waits really blocked and were woken by the other thread.
    assert!(
        woken.iter().sum::<i32>() > 0,
        "no wait was ever woken: {woken:?}"
    );
}

const QUEUE: &str = r#"(module
  (memory (import "env" "mem") 1 1 shared)
  ;; A single-producer single-consumer ring of 16 i32 slots at 64:
  ;; word 0 counts items produced, word 4 items consumed. Each side blocks
  ;; with wait32 on the other's counter when the ring is full or empty.
  (func (export "produce") (param $n i32)
    (local $i i32) (local $t i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (block $room
          (loop $full
            (local.set $t (i32.atomic.load (i32.const 4)))
            (br_if $room (i32.lt_u (i32.sub (local.get $i) (local.get $t)) (i32.const 16)))
            (drop (memory.atomic.wait32 (i32.const 4) (local.get $t) (i64.const -1)))
            (br $full)))
        (i32.store offset=64
          (i32.shl (i32.and (local.get $i) (i32.const 15)) (i32.const 2))
          (i32.add (local.get $i) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (i32.atomic.store (i32.const 0) (local.get $i))
        (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
        (br $next))))
  ;; Consumes $n items, checking each is the next in order (else traps);
  ;; returns their sum.
  (func (export "consume") (param $n i32) (result i64)
    (local $i i32) (local $h i32) (local $v i32) (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (block $some
          (loop $empty
            (local.set $h (i32.atomic.load (i32.const 0)))
            (br_if $some (i32.lt_u (local.get $i) (local.get $h)))
            (drop (memory.atomic.wait32 (i32.const 0) (local.get $h) (i64.const -1)))
            (br $empty)))
        (local.set $v (i32.load offset=64
          (i32.shl (i32.and (local.get $i) (i32.const 15)) (i32.const 2))))
        (if (i32.ne (local.get $v) (i32.add (local.get $i) (i32.const 1)))
          (then unreachable))
        (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $v))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (i32.atomic.store (i32.const 4) (local.get $i))
        (drop (memory.atomic.notify (i32.const 4) (i32.const 1)))
        (br $next)))
    (local.get $sum)))"#;

#[test]
fn producer_consumer_queue_delivers_every_item_in_order() {
    const ITEMS: i32 = 100_000;
    let mem = memory();
    let sums = run_threads(QUEUE, &mem, 2, |t, store, inst| {
        if t == 0 {
            call(store, inst, "produce", &[Val::I32(ITEMS)]);
            None
        } else {
            Some(call(store, inst, "consume", &[Val::I32(ITEMS)]))
        }
    });
    let n = ITEMS as i64;
    assert_eq!(sums[1], Some(vec![Val::I64(n * (n + 1) / 2)]));
    assert_eq!(read_u32(&mem, 0), ITEMS as u32);
    assert_eq!(read_u32(&mem, 4), ITEMS as u32);
}

#[test]
fn an_interrupt_ends_a_wait_that_nobody_notifies() {
    let wat = r#"(module (memory (import "env" "mem") 1 1 shared)
      (func (export "forever") (result i32)
        (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))"#;
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let interrupt = Arc::new(AtomicBool::new(false));
    let mut store = Store::new(Config {
        interrupt: interrupt.clone(),
        ..Config::default()
    });
    let mem = memory().attach(&mut store);
    let inst = Instance::with_externs(&mut store, &module, &[Extern::Memory(mem)]).unwrap();
    let raiser = thread::spawn(move || {
        thread::sleep(Duration::from_millis(50));
        interrupt.store(true, Ordering::SeqCst);
    });
    let f = inst.get_func(&store, "forever").unwrap();
    let e = f.call(&mut store, &[]).unwrap_err();
    assert_eq!(e.kind(), TrapKind::Interrupted);
    raiser.join().unwrap();
}

#[test]
fn plain_accesses_to_shared_memory_race_without_harm() {
    // Unaligned and mixed-width plain stores and loads from two threads on
    // the same bytes: any torn value is allowed, a crash or a value that
    // no store wrote byte by byte is not.
    let wat = r#"(module (memory (import "env" "mem") 1 1 shared)
      (func (export "hammer") (param $v i64) (param $n i32)
        (loop $more
          (i64.store offset=3 (i32.const 0) (local.get $v))
          (i32.store16 offset=5 (i32.const 0) (i32.wrap_i64 (local.get $v)))
          (drop (i64.load offset=1 (i32.const 0)))
          (br_if $more (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))"#;
    let mem = memory();
    run_threads(wat, &mem, 2, |t, store, inst| {
        let v = if t == 0 {
            0x1111_1111_1111_1111
        } else {
            0x2222_2222_2222_2222
        };
        call(store, inst, "hammer", &[Val::I64(v), Val::I32(200_000)]);
    });
    let mut bytes = [0u8; 8];
    mem.read(3, &mut bytes).unwrap();
    assert!(bytes.iter().all(|&b| b == 0x11 || b == 0x22), "{bytes:x?}");
}
