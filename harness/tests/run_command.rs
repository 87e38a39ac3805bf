//! `touchstone run` and `touchstone inspect` end to end on our engine: local
//! files, and a module served slowly in chunks by an HTTP server on the
//! loopback address (a thread of this test).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use touchstone_harness::cli::inspect::{self, InspectArgs};
use touchstone_harness::cli::run_module::{self, RunArgs, RunLimits, RunStatus};

/// A module exercising every outcome `run` distinguishes.
const WAT: &str = r#"(module
  (memory (export "memory") 1)
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "swap") (param f64 i64) (result i64 f64) local.get 1 local.get 0)
  (func (export "boom") unreachable)
  (func $deep (export "deep") (result i32) call $deep)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))"#;

fn wasm() -> Vec<u8> {
    wat::parse_str(WAT).unwrap()
}

/// Writes `bytes` to a fresh file under the target dir and returns its path.
fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("run_command");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

struct Ran {
    status: RunStatus,
    out: String,
    err: String,
}

fn run(module: &str, invoke: Option<&str>, args: &[&str], timings: bool) -> Ran {
    run_with_fetch_timeout(module, invoke, args, timings, 30.0)
}

fn run_with_fetch_timeout(
    module: &str,
    invoke: Option<&str>,
    args: &[&str],
    timings: bool,
    fetch_timeout: f64,
) -> Ran {
    let args = RunArgs {
        module: module.to_string(),
        invoke: invoke.map(str::to_string),
        args: args.iter().map(|a| a.to_string()).collect(),
        timings,
        fetch_timeout,
        limits: RunLimits::default(),
    };
    ran(&args)
}

fn ran(args: &RunArgs) -> Ran {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = run_module::execute(args, &mut out, &mut err);
    Ran {
        status,
        out: String::from_utf8(out).unwrap(),
        err: String::from_utf8(err).unwrap(),
    }
}

/// Serves `body` at every path but `/missing` (404) to at most `requests`
/// connections, writing `chunk` bytes at a time with `delay` between them.
/// The thread stops by itself after its requests or 20 s.
struct SlowServer {
    base: String,
    chunks_sent: Arc<AtomicUsize>,
    thread: Option<thread::JoinHandle<()>>,
}

impl SlowServer {
    fn start(body: Vec<u8>, chunk: usize, delay: Duration, requests: usize) -> SlowServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let chunks_sent = Arc::new(AtomicUsize::new(0));
        let counter = chunks_sent.clone();
        let thread = thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(20);
            let mut served = 0;
            while served < requests && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        served += 1;
                        let _ = respond(stream, &body, chunk, delay, &counter);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        thread::sleep(Duration::from_millis(5))
                    }
                    Err(_) => break,
                }
            }
        });
        SlowServer {
            base,
            chunks_sent,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Waits for the server thread to end and returns how many body chunks it wrote.
    fn finish(mut self) -> usize {
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
        self.chunks_sent.load(Ordering::SeqCst)
    }
}

impl Drop for SlowServer {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn respond(
    stream: TcpStream,
    body: &[u8],
    chunk: usize,
    delay: Duration,
    counter: &AtomicUsize,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut stream = stream;
    if request_line.split_whitespace().nth(1) == Some("/missing") {
        return stream.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/wasm\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.flush()?;
    for piece in body.chunks(chunk) {
        thread::sleep(delay);
        stream.write_all(piece)?;
        stream.flush()?;
        counter.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

#[test]
fn invokes_an_export_of_a_binary_file_and_prints_wast_values() {
    let path = temp_file("add.wasm", &wasm());
    let ran = run(path.to_str().unwrap(), Some("add"), &["2", "-5"], false);
    assert_eq!(
        (ran.status, ran.out.as_str(), ran.err.as_str()),
        (RunStatus::Ok, "(i32.const -3)\n", "")
    );

    let ran = run(
        path.to_str().unwrap(),
        Some("swap"),
        &["0.5", "0x10"],
        false,
    );
    assert_eq!(ran.out, "(i64.const 16) (f64.const 0.5)\n", "{}", ran.err);
}

#[test]
fn runs_a_text_module_too() {
    let path = temp_file("add.wat", WAT.as_bytes());
    let ran = run(path.to_str().unwrap(), Some("add"), &["40", "2"], false);
    assert_eq!(
        (ran.status, ran.out.as_str()),
        (RunStatus::Ok, "(i32.const 42)\n"),
        "{}",
        ran.err
    );
}

#[test]
fn fetches_a_slowly_served_module_over_http() {
    let body = wasm();
    let server = SlowServer::start(body.clone(), 16, Duration::from_millis(3), 1);
    let ran = run(&server.url("/add.wasm"), Some("add"), &["7", "8"], true);
    assert_eq!(
        (ran.status, ran.out.as_str()),
        (RunStatus::Ok, "(i32.const 15)\n"),
        "{}",
        ran.err
    );
    for stage in ["fetch", "compile", "instantiate", "invoke"] {
        assert!(
            ran.err.contains(&format!("{stage}:")),
            "no {stage} timing in {:?}",
            ran.err
        );
    }
    assert_eq!(
        server.finish(),
        body.len().div_ceil(16),
        "served in 16-byte chunks"
    );
}

/// Compiling while the bytes arrive shows as an early error: a module whose
/// first section is malformed fails before the slow rest has been sent.
#[test]
fn compiles_while_the_bytes_arrive() {
    let mut body = b"\0asm\x01\0\0\0".to_vec();
    body.extend_from_slice(&[0x01, 0x03, 0x01, 0x77, 0x00]); // type section: 0x77 is no type form
    body.extend_from_slice(&wasm()[8..]); // and then a long tail
    body.extend(std::iter::repeat_n(0u8, 8 * 100));
    let chunks = body.len().div_ceil(8);
    let server = SlowServer::start(body, 8, Duration::from_millis(10), 1);
    let started = Instant::now();
    let ran = run(&server.url("/bad.wasm"), Some("add"), &["1", "2"], false);
    let elapsed = started.elapsed();
    assert_eq!(ran.status, RunStatus::Load, "{}", ran.err);
    assert!(ran.err.contains("compile error"), "{}", ran.err);
    let full_transfer = Duration::from_millis(10) * chunks as u32;
    assert!(
        elapsed < full_transfer / 2,
        "took {elapsed:?}; sending everything takes {full_transfer:?}"
    );
    assert!(
        server.finish() < chunks / 2,
        "the server did not need to send the tail"
    );
}

#[test]
fn inspects_a_module_over_http() {
    let server = SlowServer::start(wasm(), 64, Duration::from_millis(1), 1);
    let args = InspectArgs {
        module: server.url("/m.wasm"),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(inspect::execute(&args, &mut out, &mut err), RunStatus::Ok);
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("\"add\": func (param i32 i32) (result i32)"),
        "{out}"
    );
    assert!(out.contains("\"memory\": memory 1"), "{out}");
    assert!(out.contains("functions: 5 (0 imported)"), "{out}");
}

#[test]
fn a_missing_url_is_a_load_error() {
    let server = SlowServer::start(Vec::new(), 1, Duration::ZERO, 1);
    let ran = run(&server.url("/missing"), Some("add"), &[], false);
    assert_eq!(ran.status, RunStatus::Load);
    assert!(ran.err.contains("404"), "{}", ran.err);
}

#[test]
fn traps_and_exhaustion_print_clearly_and_fail() {
    let path = temp_file("traps.wasm", &wasm());
    let path = path.to_str().unwrap();
    let ran = run(path, Some("boom"), &[], false);
    assert_eq!(ran.status, RunStatus::Runtime);
    assert!(ran.err.contains("trap: unreachable"), "{}", ran.err);

    let ran = run(path, Some("div"), &["1", "0"], false);
    assert_eq!(ran.status, RunStatus::Runtime);
    assert!(
        ran.err.contains("trap: integer divide by zero"),
        "{}",
        ran.err
    );

    let ran = run(path, Some("deep"), &[], false);
    assert_eq!(ran.status, RunStatus::Runtime);
    assert!(ran.err.contains("exhaustion"), "{}", ran.err);
}

#[test]
fn an_unsatisfied_import_is_a_link_error_naming_it() {
    let wasm =
        wat::parse_str(r#"(module (import "env" "tick" (func)) (func (export "f")))"#).unwrap();
    let path = temp_file("imports.wasm", &wasm);
    let ran = run(path.to_str().unwrap(), Some("f"), &[], false);
    assert_eq!(ran.status, RunStatus::Link);
    assert!(ran.err.contains("\"env\" \"tick\""), "{}", ran.err);
}

#[test]
fn without_invoke_the_start_function_runs() {
    let trapping_start = wat::parse_str(r#"(module (func $s unreachable) (start $s))"#).unwrap();
    let path = temp_file("start.wasm", &trapping_start);
    let ran = run(path.to_str().unwrap(), None, &[], false);
    assert_eq!(ran.status, RunStatus::Runtime);
    assert!(ran.err.contains("while instantiating"), "{}", ran.err);

    let path = temp_file("nostart.wasm", &wasm());
    let ran = run(path.to_str().unwrap(), None, &[], false);
    assert_eq!(
        (ran.status, ran.out.as_str(), ran.err.as_str()),
        (RunStatus::Ok, "", "")
    );
}

#[test]
fn wrong_calls_are_refused_before_running() {
    let path = temp_file("calls.wasm", &wasm());
    let path = path.to_str().unwrap();
    let ran = run(path, Some("nope"), &[], false);
    assert_eq!(ran.status, RunStatus::Load);
    assert!(
        ran.err.contains("\"add\""),
        "lists the exported functions: {}",
        ran.err
    );

    let ran = run(path, Some("add"), &["1"], false);
    assert_eq!(ran.status, RunStatus::Load);
    assert!(
        ran.err.contains("takes 2 argument(s), 1 given"),
        "{}",
        ran.err
    );

    let ran = run(path, Some("add"), &["1", "x"], false);
    assert_eq!(ran.status, RunStatus::Load);

    let broken = temp_file("broken.wasm", b"\0asm\x01\0\0\0\x01");
    let ran = run(broken.to_str().unwrap(), Some("add"), &[], false);
    assert_eq!(ran.status, RunStatus::Load);
    assert!(ran.err.contains("compile error"), "{}", ran.err);
}

#[test]
fn the_binary_exits_non_zero_on_a_trap() {
    let path = temp_file("bin.wasm", &wasm());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_touchstone"))
        .args(["run", path.to_str().unwrap(), "--invoke", "boom"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(RunStatus::Runtime as i32));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_touchstone"))
        .args([
            "run",
            path.to_str().unwrap(),
            "--invoke",
            "add",
            "1",
            "-2",
            "--timings",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "(i32.const -1)\n");
    assert!(String::from_utf8_lossy(&output.stderr).contains("invoke:"));
}

/// Accepts one connection on the loopback address and hands it to
/// `handle` (in a thread); returns the base URL (`127.0.0.1:PORT`, no scheme).
fn serve_once(handle: impl FnOnce(TcpStream) + Send + 'static) -> (String, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let thread = thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            handle(stream);
        }
    });
    (addr, thread)
}

/// Reads an HTTP request head (up to the blank line).
fn read_head(stream: &TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 2 {
        line.clear();
    }
}

/// Answers with the module's full length but sends only its first half,
/// then stays silent for `then_silent` before closing the connection.
fn serve_half_a_module(then_silent: Duration) -> (String, thread::JoinHandle<()>) {
    let body = wasm();
    serve_once(move |mut stream| {
        read_head(&stream);
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body[..body.len() / 2]);
        let _ = stream.flush();
        thread::sleep(then_silent);
    })
}

#[test]
fn a_server_that_stalls_mid_body_is_a_network_error_within_the_fetch_timeout() {
    // Silent, connection open, far longer than the fetch timeout.
    let (addr, server) = serve_half_a_module(Duration::from_secs(6));
    let started = Instant::now();
    let ran = run_with_fetch_timeout(
        &format!("http://{addr}/m.wasm"),
        Some("add"),
        &["1", "2"],
        false,
        1.0,
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(ran.status, RunStatus::Load);
    assert!(ran.err.contains("network error"), "{}", ran.err);
    assert!(!ran.err.contains("compile error"), "{}", ran.err);
    drop(server);
}

#[test]
fn a_truncated_download_is_a_network_error_not_a_compile_error() {
    // Closes the connection right after the first half.
    let (addr, server) = serve_half_a_module(Duration::ZERO);
    let ran = run(
        &format!("http://{addr}/m.wasm"),
        Some("add"),
        &["1", "2"],
        false,
    );
    server.join().unwrap();
    assert_eq!(ran.status, RunStatus::Load);
    assert!(
        ran.err.contains("network error: downloading"),
        "{}",
        ran.err
    );
    assert!(!ran.err.contains("compile error"), "{}", ran.err);
}

#[test]
fn https_to_a_plain_http_port_fails_within_the_fetch_timeout() {
    let (addr, server) = serve_once(|stream| {
        // A plain HTTP server waiting for a request head that a TLS
        // handshake never completes.
        read_head(&stream);
        thread::sleep(Duration::from_secs(6));
    });
    let started = Instant::now();
    let ran = run_with_fetch_timeout(
        &format!("https://{addr}/m.wasm"),
        Some("add"),
        &[],
        false,
        1.0,
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(ran.status, RunStatus::Load);
    assert!(ran.err.contains("network error"), "{}", ran.err);
    drop(server);
}

/// A module that never ends, one that allocates without end and one that
/// recurses without end each stop at their limit with a message naming it
/// and status 1.
#[test]
fn runaway_modules_stop_at_their_limits() {
    let path = temp_file(
        "runaway.wat",
        br#"(module
          (type $a (array (mut i64)))
          (type $list (struct (field (ref null $list)) (field (ref $a))))
          (global $keep (mut (ref null $list)) (ref.null $list))
          (func (export "spin") (loop (br 0)))
          ;; Every array stays reachable (a growing list), so the collector
          ;; cannot help: the memory limit must stop it.
          (func (export "hoard") (loop
            (global.set $keep (struct.new $list (global.get $keep)
              (array.new_default $a (i32.const 100000))))
            (br 0)))
          (func $down (export "down") (call $down)))"#,
    );
    let with = |invoke: &str, limits: RunLimits| {
        ran(&RunArgs {
            module: path.to_str().unwrap().to_string(),
            invoke: Some(invoke.to_string()),
            args: Vec::new(),
            timings: false,
            fetch_timeout: 30.0,
            limits,
        })
    };
    let started = Instant::now();
    let spin = with(
        "spin",
        RunLimits {
            timeout: Some(0.3),
            ..RunLimits::default()
        },
    );
    assert_eq!(spin.status, RunStatus::Runtime, "{}", spin.err);
    assert!(
        spin.err.contains("time limit exceeded") && spin.err.contains("--timeout"),
        "{}",
        spin.err
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    // A time limit too, so a limit that fails to stop it fails the test instead of hanging it.
    let hoard = with(
        "hoard",
        RunLimits {
            max_memory: 64 << 20,
            timeout: Some(20.0),
            ..RunLimits::default()
        },
    );
    assert_eq!(hoard.status, RunStatus::Runtime, "{}", hoard.err);
    assert!(hoard.err.contains("--max-memory"), "{}", hoard.err);
    let down = with(
        "down",
        RunLimits {
            max_call_depth: 200,
            timeout: Some(20.0),
            ..RunLimits::default()
        },
    );
    assert_eq!(down.status, RunStatus::Runtime, "{}", down.err);
    assert!(down.err.contains("call depth limit 200"), "{}", down.err);
}

/// The limits as the command line spells them.
#[test]
fn limits_parse_from_the_command_line() {
    use clap::Parser;
    let cli = touchstone_harness::cli::Cli::try_parse_from([
        "touchstone",
        "run",
        "m.wasm",
        "--max-memory",
        "512M",
        "--timeout",
        "2.5",
        "--max-call-depth",
        "300",
    ])
    .unwrap();
    let touchstone_harness::cli::Command::Run(args) = cli.command else {
        panic!("not run")
    };
    assert_eq!(args.limits.max_memory, 512 << 20);
    assert_eq!(args.limits.timeout, Some(2.5));
    assert_eq!(args.limits.max_call_depth, 300);
    assert!(touchstone_harness::cli::Cli::try_parse_from([
        "touchstone",
        "run",
        "m.wasm",
        "--max-memory",
        "12X"
    ])
    .is_err());
    // The default shown in --help is the engines' default budget.
    let cli =
        touchstone_harness::cli::Cli::try_parse_from(["touchstone", "run", "m.wasm"]).unwrap();
    let touchstone_harness::cli::Command::Run(args) = cli.command else {
        panic!("not run")
    };
    assert_eq!(args.limits.max_memory, RunLimits::default().max_memory);
}

/// Results of every kind, including an externalised GC value (which has
/// no host number).
const VALUES_WAT: &str = r#"(module
  (func (export "i32") (result i32) i32.const -7)
  (func (export "i64") (result i64) i64.const -9223372036854775808)
  (func (export "f32-nan") (result f32) f32.const -nan:0x200000)
  (func (export "f32-canonical") (result f32) f32.const nan)
  (func (export "f64-signalling") (result f64) f64.const nan:0x1)
  (func (export "f64") (result f64) f64.const -0.5)
  (func (export "v128") (result v128) v128.const i32x4 1 -2 3 0x80000000)
  (func (export "null-extern") (result externref) ref.null extern)
  (func (export "null-func") (result funcref) ref.null func)
  (func $f (export "func") (result funcref) ref.func $f)
  (func (export "i31") (result i31ref) (ref.i31 (i32.const -3)))
  (func (export "extern-gc") (result externref)
    (extern.convert_any (ref.i31 (i32.const 5))))
  (func (export "extern-host") (param externref) (result externref) local.get 0))"#;

/// `touchstone run` prints a result exactly as the script runner's reports
/// do (the one printer, `render_value`, over what the seam returns).
#[test]
fn run_and_the_script_runner_print_values_alike() {
    use touchstone_harness::engine::{registry, Ref, Value};
    use touchstone_harness::script_runner::values::render_value;

    let path = temp_file("values.wat", VALUES_WAT.as_bytes());
    let engine = registry::resolve("touchstone", false, &Default::default()).unwrap();
    let mut session = engine.new_session(
        &touchstone_harness::suite::features::DEFAULT(),
        &Default::default(),
    );
    let module = session
        .compile(&wat::parse_str(VALUES_WAT).unwrap())
        .unwrap();
    let instance = session.instantiate(module).unwrap();
    let cases: [(&str, &[&str], &str); 13] = [
        ("i32", &[], "(i32.const -7)"),
        ("i64", &[], "(i64.const -9223372036854775808)"),
        ("f32-nan", &[], "(f32.const -nan:0x200000)"),
        ("f32-canonical", &[], "(f32.const nan)"),
        ("f64-signalling", &[], "(f64.const nan:0x1)"),
        ("f64", &[], "(f64.const -0.5)"),
        ("v128", &[], "(v128.const i32x4 1 -2 3 -2147483648)"),
        ("null-extern", &[], "(ref.null extern)"),
        ("null-func", &[], "(ref.null func)"),
        ("func", &[], "(ref.func)"),
        ("i31", &[], "(ref.i31 -3)"),
        ("extern-gc", &[], "(ref.extern)"),
        ("extern-host", &["ref.extern 4"], "(ref.extern 4)"),
    ];
    for (export, args, text) in cases {
        let ran = run(path.to_str().unwrap(), Some(export), args, false);
        assert_eq!(ran.out, format!("{text}\n"), "run {export}: {}", ran.err);
        let script_args: Vec<Value> = match args {
            [] => vec![],
            _ => vec![Value::Ref(Ref::Extern(4))],
        };
        let results = session.invoke(instance, export, &script_args).unwrap();
        let printed: Vec<String> = results.iter().map(|v| render_value(v, None)).collect();
        assert_eq!(printed.join(" "), text, "script runner {export}");
    }
}
