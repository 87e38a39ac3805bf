//! Guards that keep one bad script from stalling or killing a run: a
//! watchdog that raises the interrupt flag when a file's time is up, and
//! panic isolation that turns a panic into a `crash` outcome without the
//! default hook's noise.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Once};
use std::thread;
use std::time::Duration;

/// Raises `flag` after `limit`, unless dropped first.
pub struct Watchdog {
    // Dropping the sender wakes the watchdog thread, which then exits.
    _cancel: mpsc::Sender<()>,
}

impl Watchdog {
    /// Starts watching; the flag is set once `limit` has passed.
    pub fn start(limit: Duration, flag: Arc<AtomicBool>) -> Watchdog {
        let (cancel, cancelled) = mpsc::channel::<()>();
        thread::Builder::new()
            .name("touchstone-watchdog".into())
            .spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = cancelled.recv_timeout(limit) {
                    flag.store(true, Ordering::SeqCst);
                }
            })
            .expect("spawning the watchdog thread");
        Watchdog { _cancel: cancel }
    }
}

thread_local! {
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`, turning a panic into `Err(message)` (with the panic's location
/// when known). The panic is not printed: the report carries it.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let was = CATCHING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was));
    result.map_err(|payload| {
        let located = LAST_PANIC.with(|p| p.borrow_mut().take());
        located.unwrap_or_else(|| payload_text(&*payload))
    })
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-text payload".to_string()
    }
}

/// Wraps the current panic hook once: panics inside [`catch`] are recorded
/// for the report instead of printed; all others go to the previous hook.
fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(|c| c.get()) {
                let text = payload_text(info.payload());
                let message = match info.location() {
                    Some(loc) => format!("panicked at {}:{}: {text}", loc.file(), loc.line()),
                    None => format!("panicked: {text}"),
                };
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
            } else {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn catch_turns_a_panic_into_its_message() {
        let r: Result<(), String> = catch(|| panic!("engine blew up: {}", 42));
        let msg = r.unwrap_err();
        assert!(msg.contains("engine blew up: 42"), "{msg}");
        assert!(msg.contains("guard.rs"), "location missing: {msg}");
        assert_eq!(catch(|| 7).unwrap(), 7);
    }

    #[test]
    fn watchdog_raises_the_flag_after_the_limit() {
        let flag = Arc::new(AtomicBool::new(false));
        let _dog = Watchdog::start(Duration::from_millis(20), flag.clone());
        let start = Instant::now();
        while !flag.load(Ordering::SeqCst) {
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "watchdog never fired"
            );
            thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn dropped_watchdog_never_fires() {
        let flag = Arc::new(AtomicBool::new(false));
        drop(Watchdog::start(Duration::from_millis(20), flag.clone()));
        thread::sleep(Duration::from_millis(60));
        assert!(!flag.load(Ordering::SeqCst));
    }
}
