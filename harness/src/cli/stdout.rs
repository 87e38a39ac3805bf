//! Standard output that may be a pipe closed early (`touchstone list |
//! head`). `print!` panics there; this stops writing quietly instead, as
//! Unix tools do, while the command still finishes its work (report files,
//! baselines) and exits with its usual status.

use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a write failed: later output is dropped.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to standard output, unless it is closed. A closed pipe
/// is the reader's choice and says nothing; any other write error is
/// named once on standard error.
pub fn write(text: &str) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != ErrorKind::BrokenPipe {
            eprintln!("touchstone: writing to standard output: {e}");
        }
    }
}

/// `print!` that tolerates a closed standard output ([`write`]).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::stdout::write(&format!($($arg)*))
    };
}

/// `println!` that tolerates a closed standard output ([`write`]).
macro_rules! outln {
    () => {
        $crate::cli::stdout::write("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::stdout::write(&format!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {out, outln};
