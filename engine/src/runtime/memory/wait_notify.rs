//! `memory.atomic.wait` / `notify`: a parking table of one shared memory,
//! keyed by byte address, with waiters woken first-come first-served.
//!
//! A waiter compares the memory's value and enqueues itself under the
//! table's lock, and `notify` dequeues under the same lock, so a notify
//! that follows the write a waiter is waiting for can never miss it.
//! Blocked threads park in short slices to see the store's interrupt flag:
//! a deadlocked script ends at its time limit instead of hanging.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

/// How often a blocked waiter looks at the interrupt flag.
const INTERRUPT_POLL: Duration = Duration::from_millis(10);

/// What `wait` returns to wasm (the spec's result codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WaitResult {
    /// Woken by a `notify` ("ok", 0).
    Woken = 0,
    /// The value differed from the expected one ("not-equal", 1).
    NotEqual = 1,
    /// The timeout passed ("timed-out", 2).
    TimedOut = 2,
}

struct Waiter {
    woken: AtomicBool,
    thread: Thread,
}

/// Waiters per byte address of one memory.
#[derive(Default)]
pub(crate) struct Parking {
    queues: Mutex<HashMap<u64, VecDeque<Arc<Waiter>>>>,
}

impl std::fmt::Debug for Parking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Parking")
    }
}

impl Parking {
    fn lock(&self) -> MutexGuard<'_, HashMap<u64, VecDeque<Arc<Waiter>>>> {
        // A panic while holding the lock leaves the table consistent (every
        // critical section is a single push, pop or retain).
        self.queues.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Blocks the calling thread at `addr` while `still_expected()` (checked
    /// under the table's lock) holds, until notified, `timeout` passes (none:
    /// forever) or `interrupt` is raised (`Err(())`).
    pub(crate) fn wait(
        &self,
        addr: u64,
        still_expected: impl FnOnce() -> bool,
        timeout: Option<Duration>,
        interrupt: &AtomicBool,
    ) -> Result<WaitResult, ()> {
        let deadline = timeout.map(|t| Instant::now().checked_add(t));
        let me = Arc::new(Waiter {
            woken: AtomicBool::new(false),
            thread: thread::current(),
        });
        {
            let mut queues = self.lock();
            if !still_expected() {
                return Ok(WaitResult::NotEqual);
            }
            queues.entry(addr).or_default().push_back(me.clone());
        }
        loop {
            if me.woken.load(Ordering::Acquire) {
                return Ok(WaitResult::Woken);
            }
            let now = Instant::now();
            // A deadline too far to represent never comes.
            let left = match deadline {
                Some(Some(d)) => Some(d.saturating_duration_since(now)),
                _ => None,
            };
            let interrupted = interrupt.load(Ordering::Relaxed);
            if interrupted || left == Some(Duration::ZERO) {
                let mut queues = self.lock();
                if me.woken.load(Ordering::Acquire) {
                    return Ok(WaitResult::Woken);
                }
                if let Some(q) = queues.get_mut(&addr) {
                    q.retain(|w| !Arc::ptr_eq(w, &me));
                    if q.is_empty() {
                        queues.remove(&addr);
                    }
                }
                return if interrupted {
                    Err(())
                } else {
                    Ok(WaitResult::TimedOut)
                };
            }
            thread::park_timeout(left.map_or(INTERRUPT_POLL, |l| l.min(INTERRUPT_POLL)));
        }
    }

    /// Wakes up to `count` waiters at `addr`, oldest first; how many woke.
    pub(crate) fn notify(&self, addr: u64, count: u32) -> u32 {
        if count == 0 {
            return 0;
        }
        let mut queues = self.lock();
        let Some(q) = queues.get_mut(&addr) else {
            return 0;
        };
        let mut woken = 0;
        while woken < count {
            let Some(w) = q.pop_front() else { break };
            w.woken.store(true, Ordering::Release);
            w.thread.unpark();
            woken += 1;
        }
        if q.is_empty() {
            queues.remove(&addr);
        }
        woken
    }

    /// Waiters at `addr` (tests).
    #[cfg(test)]
    fn waiting(&self, addr: u64) -> usize {
        self.lock().get(&addr).map_or(0, VecDeque::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_interrupt() -> AtomicBool {
        AtomicBool::new(false)
    }

    #[test]
    fn not_equal_returns_at_once_and_timeouts_expire() {
        let p = Parking::default();
        let flag = no_interrupt();
        assert_eq!(p.wait(0, || false, None, &flag), Ok(WaitResult::NotEqual));
        let start = Instant::now();
        let r = p.wait(0, || true, Some(Duration::from_millis(30)), &flag);
        assert_eq!(r, Ok(WaitResult::TimedOut));
        assert!(start.elapsed() >= Duration::from_millis(30));
        assert_eq!(p.waiting(0), 0, "a timed-out waiter leaves the queue");
    }

    #[test]
    fn notify_wakes_the_asked_number_per_address() {
        let p = Arc::new(Parking::default());
        let flag = Arc::new(no_interrupt());
        let spawn = |addr: u64| {
            let (p, flag) = (p.clone(), flag.clone());
            thread::spawn(move || p.wait(addr, || true, None, &flag))
        };
        let at8: Vec<_> = (0..3).map(|_| spawn(8)).collect();
        let at16 = spawn(16);
        while p.waiting(8) < 3 || p.waiting(16) < 1 {
            thread::yield_now();
        }
        assert_eq!(p.notify(8, 2), 2);
        assert_eq!(p.waiting(8), 1);
        assert_eq!(p.waiting(16), 1, "other addresses are untouched");
        assert_eq!(p.notify(8, u32::MAX), 1);
        assert_eq!(p.notify(8, 1), 0, "nobody left");
        for t in at8 {
            assert_eq!(t.join().unwrap(), Ok(WaitResult::Woken));
        }
        flag.store(true, Ordering::SeqCst);
        assert_eq!(at16.join().unwrap(), Err(()), "the interrupt ends a wait");
        assert_eq!(p.waiting(16), 0);
    }
}
