//! Deliberate misbehaviour of `touchstone serve --fault MODE`, to test
//! that the harness contains every way an external engine can fail.

use std::io::Write;
use std::str::FromStr;

use crate::engine::external::wire::{self, Request};
use crate::fuzz::observe::fnv1a32;

/// A fault and when it strikes: `MODE` when an export named `fault...` is
/// invoked; `MODE@module=HEX` when the module whose FNV-1a digest is `HEX`
/// is compiled (to make one chosen module of a fuzzing run fatal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trigger {
    pub fault: Fault,
    module: Option<u32>,
}

impl FromStr for Trigger {
    type Err = String;

    fn from_str(s: &str) -> Result<Trigger, String> {
        let (mode, module) = match s.split_once("@module=") {
            Some((mode, hex)) => {
                let digest = u32::from_str_radix(hex, 16)
                    .map_err(|e| format!("fault `{s}`: bad module digest ({e})"))?;
                (mode, Some(digest))
            }
            None => (s, None),
        };
        Ok(Trigger {
            fault: mode.parse()?,
            module,
        })
    }
}

impl Trigger {
    /// Whether the fault strikes before `request` is answered.
    pub fn strikes(&self, request: &Request) -> bool {
        match (self.module, request) {
            (None, Request::Invoke { export, .. }) => export.starts_with("fault"),
            (Some(digest), Request::Compile { wasm, .. }) => {
                wire::decode_bytes(wasm).is_ok_and(|bytes| fnv1a32(&bytes) == digest)
            }
            _ => false,
        }
    }
}

/// How to misbehave when an export named `fault...` is invoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Abort (killed by SIGABRT), after a line on stderr.
    Crash,
    /// Never answer.
    Hang,
    /// Answer a line that is not JSON.
    Garbage,
    /// Exit cleanly in the middle of the file.
    Exit,
    /// Write a stray line on stdout before the answer.
    Noise,
    /// Answer valid JSON of the wrong shape (a value of no known type).
    BadAnswer,
}

const MODES: [(&str, Fault); 6] = [
    ("crash", Fault::Crash),
    ("hang", Fault::Hang),
    ("garbage", Fault::Garbage),
    ("exit", Fault::Exit),
    ("noise", Fault::Noise),
    ("bad-answer", Fault::BadAnswer),
];

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Fault, String> {
        MODES
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = MODES.iter().map(|(n, _)| *n).collect();
                format!("unknown fault `{s}`; one of: {}", names.join(", "))
            })
    }
}

impl Fault {
    /// Misbehaves before request `id` is answered. Returns only for the
    /// faults after which the normal answer still follows.
    pub fn strike(self, stdout: &mut impl Write, id: u64) -> std::io::Result<()> {
        eprintln!("fake engine: misbehaving on purpose ({self:?})");
        match self {
            Fault::Crash => std::process::abort(),
            Fault::Hang => loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            },
            Fault::Garbage => {
                writeln!(stdout, "}}{{ this is not a response")?;
                stdout.flush()?;
                hang_up()
            }
            Fault::Exit => std::process::exit(0),
            Fault::Noise => {
                writeln!(stdout, "debug: entering the function")?;
                stdout.flush()
            }
            Fault::BadAnswer => {
                writeln!(
                    stdout,
                    r#"{{"id":{id},"ok":{{"results":[{{"type":"i33","value":"1"}}]}}}}"#
                )?;
                stdout.flush()?;
                hang_up()
            }
        }
    }
}

/// After a broken answer, wait to be killed (as a confused engine would).
fn hang_up() -> ! {
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}
