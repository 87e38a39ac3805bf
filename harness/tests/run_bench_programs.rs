//! Checks the committed benchmark programs (`bench/`): their shape, and that
//! wasmi reproduces the checksums the native gcc build recorded. Also runs
//! the unit tests of the benchmark's own modules, which cargo does not run
//! from a `harness = false` bench target.

#![cfg(feature = "wasmi")]

#[path = "../benches/engines/programs.rs"]
#[allow(dead_code)] // the tests read the committed programs only (`repo_bench_dir`)
mod programs;
#[path = "../benches/engines/runners/mod.rs"]
#[allow(dead_code)] // the tests use only the wasmi runner
mod runners;
#[path = "../benches/engines/stats.rs"]
mod stats;

use wasmparser::{Operator, Parser, Payload, ValType};

fn all_programs() -> Vec<programs::Program> {
    // The large program is included when bench/build-lua.sh has built it.
    programs::load(&programs::repo_bench_dir(), &[])
        .expect("bench/expected.tsv and programs/*.wasm")
        .programs
}

/// The operator names (enum variants) of every function body in `wasm`.
fn operators(wasm: &[u8]) -> Vec<String> {
    let mut ops = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CodeSectionEntry(body) = payload.unwrap() {
            let mut reader = body.get_operators_reader().unwrap();
            while !reader.eof() {
                let op: Operator = reader.read().unwrap();
                let name = format!("{op:?}");
                ops.push(name.split([' ', '{', '(']).next().unwrap().to_string());
            }
        }
    }
    ops
}

#[test]
fn every_program_validates_and_exports_run_i32_to_i64() {
    for program in all_programs() {
        let types = wasmparser::Validator::new()
            .validate_all(&program.wasm)
            .unwrap_or_else(|e| panic!("{}: {e}", program.name));
        let mut run_type = None;
        for payload in Parser::new(0).parse_all(&program.wasm) {
            if let Payload::ExportSection(exports) = payload.unwrap() {
                for export in exports {
                    let export = export.unwrap();
                    if export.name == "run" {
                        assert_eq!(
                            export.kind,
                            wasmparser::ExternalKind::Func,
                            "{}",
                            program.name
                        );
                        let ty = types.as_ref().core_function_at(export.index);
                        run_type = Some(types[ty].unwrap_func().clone());
                    }
                }
            }
        }
        let ty = run_type.unwrap_or_else(|| panic!("{} exports no run", program.name));
        assert_eq!(ty.params(), [ValType::I32], "{}", program.name);
        assert_eq!(ty.results(), [ValType::I64], "{}", program.name);
    }
}

#[test]
fn programs_cover_the_instruction_families_they_claim() {
    let programs = all_programs();
    let ops_of = |name: &str| {
        let program = programs
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no {name}"));
        operators(&program.wasm)
    };
    let has = |ops: &[String], op: &str| ops.iter().any(|o| o == op);
    assert!(
        has(&ops_of("vm"), "BrTable"),
        "vm must dispatch with br_table"
    );
    assert!(
        has(&ops_of("fib"), "Call"),
        "fib must recurse through calls"
    );
    let nbody = ops_of("nbody");
    assert!(
        has(&nbody, "F64Sqrt") && has(&nbody, "F64Div"),
        "nbody is f64 arithmetic"
    );
    assert!(has(&ops_of("mandelbrot"), "F64Mul"));
    let sha = ops_of("sha256");
    assert!(
        has(&sha, "I32Rotr") || has(&sha, "I32Rotl"),
        "sha256 rotates"
    );
    let bigint = ops_of("bigint");
    assert!(
        has(&bigint, "I64DivU") && has(&bigint, "I64Mul"),
        "bigint is i64 arithmetic"
    );
    assert!(has(&ops_of("tak"), "Call"), "tak recurses through calls");
    assert!(
        has(&ops_of("dispatch"), "CallIndirect"),
        "dispatch calls through function tables"
    );
    let spectral = ops_of("spectral");
    assert!(has(&spectral, "F64Div"), "spectral divides in f64");
    assert!(has(&ops_of("raytrace"), "F64Sqrt"), "raytrace is f64");
    let f32dsp = ops_of("f32dsp");
    assert!(
        has(&f32dsp, "F32Mul") && has(&f32dsp, "F32Sqrt"),
        "f32dsp is f32 arithmetic"
    );
    assert!(
        has(&ops_of("forth"), "BrTable"),
        "forth dispatches with br_table"
    );
    let siphash = ops_of("siphash");
    assert!(
        has(&siphash, "I64Rotl") && has(&siphash, "I64Mul"),
        "siphash is i64 arithmetic"
    );
    for name in ["sieve", "matmul", "sort", "lz77", "expr"] {
        let ops = ops_of(name);
        assert!(
            has(&ops, "I32Load") || has(&ops, "I32Load8U"),
            "{name} reads memory"
        );
    }
}

#[test]
fn wasmi_reproduces_the_native_checksums() {
    use runners::Runner;
    for program in all_programs() {
        // The benchmark's own wasmi runner (with its stubs for imports).
        let mut prepared = runners::wasmi::Wasmi
            .prepare(&program.wasm)
            .unwrap_or_else(|e| panic!("{}: {e}", program.name));
        let checksum = prepared.run(program.size).unwrap();
        assert_eq!(
            checksum, program.expected,
            "{} run({})",
            program.name, program.size
        );
    }
}
