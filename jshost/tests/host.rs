//! The JS host end to end: scripts that use the `WebAssembly` namespace
//! the way a web page does, checked by what they print.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use touchstone_js::{JsHost, Options, Output};

fn host_in(dir: PathBuf) -> JsHost {
    JsHost::new(Options {
        output: Output::Capture,
        base_dir: dir,
        ..Options::default()
    })
    .unwrap()
}

/// Runs `script` (with `wasm` bound to the bytes of `wat`) to completion;
/// what it printed, and the errors.
fn run(wat: &str, script: &str) -> (String, Vec<String>) {
    let host = host_in(PathBuf::from("."));
    let bytes = wat::parse_str(wat).unwrap();
    let list: Vec<String> = bytes.iter().map(|b| b.to_string()).collect();
    host.eval(
        &format!("globalThis.wasm = new Uint8Array([{}]);", list.join(",")),
        "setup.js",
    )
    .unwrap();
    let mut errors = Vec::new();
    if let Err(e) = host.eval(script, "test.js") {
        errors.push(e);
    }
    host.run_event_loop(|e| errors.push(e));
    (host.captured_output(), errors)
}

#[test]
fn the_readme_example_runs() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let host = host_in(dir.clone());
    let source = std::fs::read_to_string(dir.join("hello.js")).unwrap();
    host.eval(&source, "hello.js").unwrap();
    let mut errors = Vec::new();
    host.run_event_loop(|e| errors.push(e));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        host.captured_output(),
        "exports: mem (memory), add (function)\nwasm called log: 2\nadd(2, 40) = 42\nmemory says: Hi from wasm\n"
    );
}

#[test]
fn memory_buffer_aliases_the_engine_bytes_and_grow_detaches_it() {
    let (out, errors) = run(
        r#"(module (memory (export "mem") 1 3)
             (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u)
             (func (export "grow") (result i32) i32.const 1 memory.grow))"#,
        r#"const { exports } = new WebAssembly.Instance(new WebAssembly.Module(wasm));
           const before = exports.mem.buffer;
           new Uint8Array(before)[10] = 99;
           print(exports.load(10), before === exports.mem.buffer);
           exports.grow();                 // grown by wasm: the old view goes
           print(before.byteLength, exports.mem.buffer.byteLength);
           const b2 = exports.mem.buffer;
           print(exports.mem.grow(0), b2.byteLength, new Uint8Array(exports.mem.buffer)[10]);"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(out, "99 true\n0 131072\n2 0 99\n");
}

#[test]
fn a_shared_memory_grown_by_wasm_keeps_its_old_buffers() {
    let (out, errors) = run(
        r#"(module (memory (export "mem") 1 3 shared)
             (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u)
             (func (export "grow") (result i32) i32.const 1 memory.grow))"#,
        r#"const { exports } = new WebAssembly.Instance(new WebAssembly.Module(wasm));
           const before = exports.mem.buffer;
           new Uint8Array(before)[10] = 99;
           exports.grow();                 // the bytes stay where they are
           const after = exports.mem.buffer;
           print(before instanceof SharedArrayBuffer, before.byteLength, after.byteLength);
           new Uint8Array(after)[70000] = 7;
           print(new Uint8Array(before)[10], exports.load(70000), after === exports.mem.buffer);"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(out, "true 65536 131072\n99 7 true\n");
}

#[test]
fn arguments_of_another_concrete_type_are_a_type_error() {
    let (out, errors) = run(
        r#"(module (type $s (struct (field i32))) (type $t (struct (field f32)))
             (global (export "g") (mut (ref null $s)) (ref.null $s))
             (table (export "tab") 1 (ref null $s))
             (func (export "take") (param (ref $s)))
             (func (export "s") (result (ref $s)) i32.const 1 struct.new $s)
             (func (export "t") (result (ref $t)) f32.const 1 struct.new $t))"#,
        r#"const { exports } = new WebAssembly.Instance(new WebAssembly.Module(wasm));
           exports.take(exports.s());
           for (const f of [() => exports.take(exports.t()), () => { exports.g.value = exports.t(); },
                            () => exports.tab.set(0, exports.t()), () => exports.tab.set(1, exports.s()),
                            // Table.grow converts the value first: a TypeError even by 0
                            // or beyond any limit; a value that fits, beyond it: RangeError.
                            () => exports.tab.grow(1, exports.t()), () => exports.tab.grow(0, exports.t()),
                            () => exports.tab.grow(4e9, exports.t()), () => exports.tab.grow(4e9, exports.s())]) {
             try { f(); print("accepted"); } catch (e) { print(e.constructor.name); }
           }
           print(exports.tab.grow(1, exports.s()), exports.tab.length);"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        out,
        "TypeError\nTypeError\nTypeError\nRangeError\nTypeError\nTypeError\nTypeError\nRangeError\n1 2\n"
    );
}

#[test]
fn a_builtin_import_in_a_larger_recursion_group_does_not_compile() {
    let (out, errors) = run(
        r#"(module (rec (type $f (func (param externref) (result i32))) (type (struct)))
             (import "wasm:js-string" "length" (func (type $f))))"#,
        r#"const options = { builtins: ["js-string"] };
           print(WebAssembly.validate(wasm, options), WebAssembly.validate(wasm));
           try { new WebAssembly.Module(wasm, options); print("compiled"); }
           catch (e) { print(e.constructor.name); }"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(out, "false true\nCompileError\n");
}

#[test]
fn exceptions_cross_both_ways() {
    let (out, errors) = run(
        r#"(module
             (import "js" "tag" (tag $t (param i32)))
             (import "js" "f" (func $f))
             (func (export "catchAll") (result i32)
               (block $h (try_table (catch_all $h) (call $f)) (return (i32.const 0)))
               i32.const 1)
             (func (export "through") (call $f))
             (func (export "throw") (param i32) (throw $t (local.get 0))))"#,
        r#"const tag = new WebAssembly.Tag({ parameters: ["i32"] });
           const err = new Error("from JS");
           const { exports } = new WebAssembly.Instance(new WebAssembly.Module(wasm),
             { js: { tag, f: () => { throw err; } } });
           print(exports.catchAll());
           try { exports.through(); } catch (e) { print(e === err); }
           try { exports.throw(7); } catch (e) {
             print(e instanceof WebAssembly.Exception, e.is(tag), e.getArg(tag, 0));
           }"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(out, "1\ntrue\ntrue true 7\n");
}

#[test]
fn imports_call_back_into_wasm_with_i64_as_bigint() {
    let (out, errors) = run(
        r#"(module
             (import "js" "f" (func $f (param i64) (result i64)))
             (func (export "twice") (param i64) (result i64) local.get 0 local.get 0 i64.add)
             (func (export "run") (param i64) (result i64) local.get 0 call $f))"#,
        r#"let exports;
           ({ exports } = new WebAssembly.Instance(new WebAssembly.Module(wasm),
             { js: { f: (x) => exports.twice(x) + 1n } }));
           print(exports.run(20n), typeof exports.run(1n), exports.run.name, exports.run.length);"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(out, "41 bigint 2 1\n");
}

#[test]
fn fetch_and_instantiate_streaming_read_files() {
    let dir = std::env::temp_dir().join(format!("touchstone-js-fetch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let wasm =
        wat::parse_str(r#"(module (func (export "answer") (result i32) i32.const 42))"#).unwrap();
    std::fs::write(dir.join("m.wasm"), wasm).unwrap();
    let host = host_in(dir.clone());
    host.eval(
        r#"WebAssembly.instantiateStreaming(fetch("m.wasm")).then(({ instance }) => print(instance.exports.answer()));
           fetch("missing.wasm").catch((e) => print(e instanceof TypeError));"#,
        "t.js",
    )
    .unwrap();
    let mut errors = Vec::new();
    host.run_event_loop(|e| errors.push(e));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    let mut lines: Vec<String> = host.captured_output().lines().map(String::from).collect();
    lines.sort();
    assert_eq!(lines, ["42", "true"]);
}

#[test]
fn a_wasm_loop_that_never_ends_is_interrupted() {
    let host = host_in(PathBuf::from("."));
    let wasm = wat::parse_str(r#"(module (func (export "spin") (loop $l (br $l))))"#).unwrap();
    let list: Vec<String> = wasm.iter().map(|b| b.to_string()).collect();
    let expired = Arc::new(AtomicBool::new(false));
    let _w = host.interrupt_after(Duration::from_millis(200), expired.clone());
    let r = host.eval(
        &format!(
            "new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([{}]))).exports.spin()",
            list.join(",")
        ),
        "spin.js",
    );
    assert!(r.unwrap_err().contains("RuntimeError"));
    assert!(expired.load(std::sync::atomic::Ordering::Relaxed));
}

/// GC objects and exceptions JS lets go are released to the engine's
/// collector, while the ones wasm still holds keep their wrappers (same
/// object, same expando properties) however many wrappers come and go.
#[test]
fn references_js_drops_are_collected_and_kept_ones_keep_their_identity() {
    let host = host_in(PathBuf::from("."));
    let bytes = wat::parse_str(
        r#"(module
             (type $s (struct (field i32)))
             (import "js" "f" (func $f))
             (tag $t (export "t") (param (ref $s)))
             (global $g (mut (ref null $s)) (ref.null $s))
             (global $e (mut exnref) (ref.null exn))
             (func (export "make") (param i32) (result (ref $s)) (struct.new $s (local.get 0)))
             (func (export "throw") (param i32) (throw $t (struct.new $s (local.get 0))))
             (func (export "keep") (param (ref null $s)) (global.set $g (local.get 0)))
             (func (export "get") (result (ref null $s)) (global.get $g))
             (func (export "val") (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0)))
             (func (export "catchKeep")
               (global.set $e (block $h (result exnref)
                 (try_table (catch_all_ref $h) (call $f)) (unreachable))))
             (func (export "rethrow") (throw_ref (global.get $e))))"#,
    )
    .unwrap();
    let list: Vec<String> = bytes.iter().map(|b| b.to_string()).collect();
    let script = format!(
        r#"let toThrow;
           const {{ exports: x }} = new WebAssembly.Instance(
             new WebAssembly.Module(new Uint8Array([{}])), {{ js: {{ f: () => {{ throw toThrow; }} }} }});
           const marks = new WeakMap();
           let o = x.make(7);
           marks.set(o, "kept");
           x.keep(o);
           o = null;
           toThrow = new WebAssembly.Exception(x.t, [x.make(5)]);
           toThrow.mark = "same";
           x.catchKeep();
           toThrow = null;
           function churn() {{
             let sum = 0;
             for (let i = 0; i < 20000; i++) {{
               sum += x.val(x.make(i));
               try {{ x.throw(i); }} catch (e) {{ sum -= x.val(e.getArg(x.t, 0)); }}
               new WebAssembly.Exception(x.t, [x.make(i)]);
             }}
             return sum;
           }}
           print(churn(), marks.get(x.get()), x.get() === x.get());"#,
        list.join(",")
    );
    host.eval(&script, "test.js").unwrap();
    // Each churn makes 60,000 objects and 40,000 exceptions, all dropped
    // at once. What stays after a collection: what wasm holds (2 objects,
    // 1 exception) and the wrappers made since the prelude last asked the
    // engine which ones only JS holds (spaced by 1/32 of the arena).
    let mut seen = Vec::new();
    for round in 0..3 {
        if round > 0 {
            host.eval("print(churn());", "again.js").unwrap();
        }
        host.collect_garbage();
        let stats = host.heap_stats();
        assert!(stats.objects < 5_000, "{stats:?}");
        assert!(stats.exceptions < 5_000, "{stats:?}");
        assert!(stats.pinned < 5_000, "{stats:?}");
        seen.push(stats);
    }
    host.eval(
        r#"print(marks.get(x.get()));
           try { x.rethrow(); } catch (e) { print(e.mark, x.val(e.getArg(x.t, 0))); }"#,
        "end.js",
    )
    .unwrap();
    let mut errors = Vec::new();
    host.run_event_loop(|e| errors.push(e));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        host.captured_output(),
        "0 kept true\n0\n0\nkept\nsame 5\n",
        "{seen:?}"
    );
}
