//! Differential testing: random valid modules run on Touchstone and on
//! wasmi must agree call by call on results, traps (by kind), globals and
//! memory; plus hand-written regressions for the hazards of a register
//! translator, with expected values worked out by hand.
//!
//! wasmi 2.0.0 has miscompilations of its own. Two known ones are avoided
//! by giving wasmi an equivalent rewrite of the module (see
//! `func_gen::Generated::wasmi_text`; Touchstone runs both forms and they
//! must agree); for the rest, a disagreement is put to V8 (`node`), and
//! one where V8 sides with Touchstone is reported as wasmi's, not failed.
//!
//! `DIFFTEST_SEEDS=N` runs N random modules (default 1000);
//! `DIFFTEST_SEED=S` runs only seed S and prints its module and calls.
//! A failure prints the seed, the diverging call and the module text.

#[path = "differential/func_gen.rs"]
mod func_gen;
#[path = "differential/module_gen.rs"]
mod module_gen;
#[path = "differential/ops.rs"]
mod ops;
#[path = "differential/regressions.rs"]
mod regressions;
#[path = "differential/rng.rs"]
mod rng;
#[path = "differential/run.rs"]
mod run;
#[path = "differential/v8.rs"]
mod v8;
#[path = "differential/wasmi_lowering.rs"]
mod wasmi_lowering;

use run::{Call, Observation, Outcome};
use std::time::Instant;

const DEFAULT_SEEDS: u64 = 1000;

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name}={v}: not a number"))
    })
}

/// The first difference between two observation lists, described.
fn divergence(calls: &[Call], ours: &[Observation], theirs: &[Observation]) -> Option<String> {
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        if a == b {
            continue;
        }
        let call = &calls[i];
        let mut why = format!("call #{i} {}({:?}):\n", call.export, call.args);
        if a.outcome != b.outcome {
            why += &format!(
                "  touchstone: {:?}\n  wasmi:      {:?}\n",
                a.outcome, b.outcome
            );
        }
        if a.globals != b.globals {
            why += &format!(
                "  globals: touchstone {:?}, wasmi {:?}\n",
                a.globals, b.globals
            );
        }
        if let Some(at) = (0..a.int_memory.len()).find(|&j| a.int_memory[j] != b.int_memory[j]) {
            why += &format!(
                "  memory[{at}]: touchstone {:#04x}, wasmi {:#04x}\n",
                a.int_memory[at], b.int_memory[at]
            );
        }
        if let Some(at) =
            (0..a.float_memory.len()).find(|&j| a.float_memory[j] != b.float_memory[j])
        {
            why += &format!(
                "  float slot {at}: touchstone {:?}, wasmi {:?}\n",
                a.float_memory[at], b.float_memory[at]
            );
        }
        return Some(why);
    }
    (ours.len() != theirs.len()).then(|| "different number of observations".to_string())
}

/// What the random test saw.
#[derive(Default)]
struct Tally {
    /// Calls that returned, and that trapped (as seen on wasmi).
    returned: usize,
    trapped: usize,
    /// Seeds where wasmi disagreed with Touchstone and V8 sided with Touchstone.
    wasmi_wrong: Vec<u64>,
}

/// [`run::touchstone`], with a panic turned into an error, so that a
/// crashing engine still reports the seed and module.
fn touchstone_guarded(
    wasm: &[u8],
    globals: usize,
    calls: &[Call],
) -> Result<Vec<Observation>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run::touchstone(wasm, globals, calls)
    }))
    .unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        Err(format!("touchstone panicked: {what}"))
    })
}

/// The observations with every trap made alike.
fn erase_trap_kinds(seen: &[Observation]) -> Vec<Observation> {
    let mut seen = seen.to_vec();
    for o in &mut seen {
        if let Outcome::Trapped(_) = o.outcome {
            o.outcome = Outcome::Trapped(run::Trap::Unreachable);
        }
    }
    seen
}

/// Runs one seed; `Err` describes a disagreement (with the module text).
fn check_seed(seed: u64, tally: &mut Tally) -> Result<(), String> {
    let case = module_gen::generate(seed);
    let fail = |why: String| Err(format!("seed {seed}: {why}\n--- module ---\n{}", case.wat));
    let wasm = match wat::parse_str(&case.wat) {
        Ok(w) => w,
        Err(e) => return fail(format!("generated text does not parse: {e}")),
    };
    let ours = match touchstone_guarded(&wasm, case.globals, &case.calls) {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let theirs = if case.wasmi_wat == case.wat {
        run::wasmi(&wasm, case.globals, &case.calls)
    } else {
        let lowered = match wat::parse_str(&case.wasmi_wat) {
            Ok(w) => w,
            Err(e) => return fail(format!("lowered text does not parse: {e}")),
        };
        // Equivalent programs: Touchstone must run them alike.
        match touchstone_guarded(&lowered, case.globals, &case.calls) {
            Ok(o) if o == ours => {}
            Ok(o) => {
                let why = divergence(&case.calls, &ours, &o).unwrap_or_default();
                return fail(format!(
                    "touchstone runs the module and its equivalent wasmi rendering \
                     differently (an engine bug, unless the rewrite is wrong):\n{why}\n\
                     --- as wasmi runs it ---\n{}",
                    case.wasmi_wat
                ));
            }
            Err(e) => return fail(format!("lowered module: {e}")),
        }
        run::wasmi(&lowered, case.globals, &case.calls)
    };
    let theirs = match theirs {
        Ok(o) => o,
        Err(e) => return fail(format!("generated module invalid for wasmi: {e}")),
    };
    for o in &theirs {
        match o.outcome {
            Outcome::Returned(_) => tally.returned += 1,
            Outcome::Trapped(_) => tally.trapped += 1,
        }
    }
    let Some(why) = divergence(&case.calls, &ours, &theirs) else {
        return Ok(());
    };
    if erase_trap_kinds(&ours) == erase_trap_kinds(&theirs) {
        // V8 cannot tell trap kinds apart (see `v8::agrees`).
        return fail(why);
    }
    match v8::agrees(&format!("seed{seed}"), &wasm, &case.calls, &ours) {
        Ok(true) => {
            println!("seed {seed}: wasmi wrong, V8 agrees with touchstone; {why}");
            tally.wasmi_wrong.push(seed);
            Ok(())
        }
        Ok(false) => fail(format!("{why}(V8 does not side with touchstone either)")),
        Err(e) => fail(format!("{why}(no third opinion: {e})")),
    }
}

#[test]
fn random_modules_agree_with_wasmi() {
    let seeds: Vec<u64> = match env_u64("DIFFTEST_SEED") {
        Some(s) => {
            let case = module_gen::generate(s);
            println!("{}", case.wat);
            for call in &case.calls {
                println!(";; call {} {:?}", call.export, call.args);
            }
            if case.wasmi_wat != case.wat {
                println!(";; --- as wasmi runs it ---\n{}", case.wasmi_wat);
            }
            vec![s]
        }
        None => (0..env_u64("DIFFTEST_SEEDS").unwrap_or(DEFAULT_SEEDS)).collect(),
    };
    let start = Instant::now();
    let mut tally = Tally::default();
    let failures: Vec<String> = seeds
        .iter()
        .filter_map(|&s| check_seed(s, &mut tally).err())
        .collect();
    println!(
        "{} modules, {} calls returned, {} trapped, {} disagreements, in {:.2?}; \
         wasmi wrong (V8 agrees with touchstone) on seeds {:?}",
        seeds.len(),
        tally.returned,
        tally.trapped,
        failures.len(),
        start.elapsed(),
        tally.wasmi_wrong
    );
    if let Some(first) = failures.first() {
        let failed: Vec<&str> = failures
            .iter()
            .map(|f| f.split(':').next().unwrap())
            .take(20)
            .collect();
        panic!(
            "{} of {} modules disagree (up to 20: {}); first:\n{first}",
            failures.len(),
            seeds.len(),
            failed.join(", ")
        );
    }
    // Traps end a call early; most calls must run to the end for the
    // comparison to exercise the code after the first trap site.
    if seeds.len() > 50 {
        assert!(
            tally.returned > tally.trapped * 2,
            "too many traps: {} returned, {} trapped",
            tally.returned,
            tally.trapped
        );
    }
}

/// The generator must actually produce the constructs the test is for.
#[test]
fn generator_covers_the_hazards() {
    let texts: Vec<String> = (0..200).map(|s| module_gen::generate(s).wat).collect();
    let count = |needle: &str| {
        texts
            .iter()
            .map(|t| t.matches(needle).count())
            .sum::<usize>()
    };
    let wanted = [
        "local.tee",
        "local.set",
        "select",
        "br_if",
        "br_table",
        "br 0",
        "return",
        "call $f",
        "block (param",
        "loop (param",
        "if (param",
        "(result i32) (result",
        "else",
        "global.set",
        "i64.store",
        "f64.load",
        "i32.load8_s",
        "i32.div_s",
        "f64.convert_i64_u",
        "unreachable",
    ];
    let missing: Vec<String> = wanted
        .iter()
        .map(|w| (w, count(w)))
        .filter(|&(_, n)| n < 5)
        .map(|(w, n)| format!("{w} ({n})"))
        .collect();
    assert!(missing.is_empty(), "rarely or never generated: {missing:?}");
    // Bounded self-recursion appears: a function calling itself.
    let recursive = texts
        .iter()
        .filter(|t| {
            t.split("(func $f").skip(1).any(|f| {
                let name = f.split_whitespace().next().unwrap_or("");
                f.contains(&format!("call $f{name}\n"))
            })
        })
        .count();
    assert!(recursive >= 20, "only {recursive} modules recurse");
}

/// Regression checks wasmi 2.0.0 gets wrong (see `func_gen::Generated::wasmi_text`).
const WASMI_BUGS: &[&str] = &["br_table_vals", "select_eqz_local"];

type Runner = fn(&[u8], usize, &[Call]) -> Result<Vec<Observation>, String>;

/// The V8 tie-breaker must not rubber-stamp: it accepts what Touchstone
/// observed and rejects the same observations with one byte changed.
/// Needs `node` on the PATH.
#[test]
fn v8_tie_breaker_tells_agreement_from_disagreement() {
    let case = module_gen::generate(1);
    let wasm = wat::parse_str(&case.wat).unwrap();
    let mut ours = run::touchstone(&wasm, case.globals, &case.calls).unwrap();
    assert_eq!(v8::agrees("tie-ok", &wasm, &case.calls, &ours), Ok(true));
    ours.last_mut().unwrap().int_memory[0] ^= 1;
    assert_eq!(v8::agrees("tie-bad", &wasm, &case.calls, &ours), Ok(false));
}

fn check_regressions(engine: &str, run: Runner, skip: &[&str]) {
    for reg in regressions::ALL {
        let wasm = wat::parse_str(reg.wat).expect("regression module parses");
        let calls: Vec<Call> = reg
            .checks
            .iter()
            .map(|(export, args, _)| Call {
                export: export.to_string(),
                args: args.to_vec(),
            })
            .collect();
        let seen = run(&wasm, 0, &calls).unwrap_or_else(|e| panic!("{engine}: {e}"));
        for ((export, args, expected), o) in reg.checks.iter().zip(&seen) {
            if skip.contains(export) {
                continue;
            }
            assert_eq!(
                o.outcome,
                Outcome::Returned(expected.to_vec()),
                "{engine}: {export}{args:?}"
            );
        }
    }
}

#[test]
fn regressions_hold_on_touchstone() {
    check_regressions("touchstone", run::touchstone, &[]);
}

/// Checks the hand-computed expectations themselves on a second engine,
/// except where wasmi is known to be wrong.
#[test]
fn regression_expectations_hold_on_wasmi() {
    check_regressions("wasmi", run::wasmi, WASMI_BUGS);
}

/// Pins the wasmi bugs the random test works around: when this fails,
/// wasmi was fixed and the matching lowering (and `WASMI_BUGS` entry) can go.
#[test]
fn wasmi_bugs_are_still_there() {
    for bug in WASMI_BUGS {
        let (reg, checks): (&regressions::Regression, Vec<_>) = regressions::ALL
            .iter()
            .map(|r| {
                (
                    *r,
                    r.checks.iter().filter(|c| c.0 == *bug).collect::<Vec<_>>(),
                )
            })
            .find(|(_, c)| !c.is_empty())
            .unwrap_or_else(|| panic!("no regression check named {bug}"));
        let wasm = wat::parse_str(reg.wat).unwrap();
        let calls: Vec<Call> = checks
            .iter()
            .map(|(export, args, _)| Call {
                export: export.to_string(),
                args: args.to_vec(),
            })
            .collect();
        let seen = run::wasmi(&wasm, 0, &calls).unwrap();
        let wrong = checks
            .iter()
            .zip(&seen)
            .filter(|((_, _, expected), o)| o.outcome != Outcome::Returned(expected.to_vec()))
            .count();
        assert!(wrong > 0, "wasmi now gets {bug} right");
    }
}
