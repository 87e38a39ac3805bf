//! Generates one function body: type-directed, flat (stack-form) text, so
//! values stay on the operand stack while sibling code writes the locals
//! they were read from, branches carry values over leftovers, and so on.
//!
//! Every construct is valid by construction: `expr(t)` pushes exactly one
//! `t`, `seq(ts)` pushes `ts`, `stmt` leaves the stack as it found it, and
//! `transform(from, to)` turns `from` on top of the stack into `to`. An
//! unconditional branch makes the rest of its block unreachable, which
//! validation accepts whatever follows. Loops terminate: each loop owns a
//! reserved counter, set before entry, and every branch back to a loop is a
//! `br_if` whose condition decrements that counter.

use super::ops::{self, Ty, FLOAT_BASE, INT_REGION};
use super::rng::Rng;
use super::wasmi_lowering::Line;

/// A function's parameter and result types.
#[derive(Clone, Debug)]
pub struct Sig {
    pub params: Vec<Ty>,
    pub results: Vec<Ty>,
}

/// A global of the module.
#[derive(Clone, Debug)]
pub struct GlobalDef {
    pub ty: Ty,
    pub mutable: bool,
}

/// What a function may see of the rest of the module.
pub struct ModuleView<'a> {
    /// Signatures of every function; a function calls only lower indices
    /// (and itself, when recursive, through a bounded depth parameter).
    pub sigs: &'a [Sig],
    /// Worst-case number of calls one invocation of each earlier function makes.
    pub costs: &'a [u64],
    pub globals: &'a [GlobalDef],
}

/// The dynamic calls one exported call may make, at most.
const COST_BUDGET: u64 = 4000;
/// Instructions per function body, beyond which only leaves are generated.
const SIZE_BUDGET: usize = 160;
/// Expression nesting depth.
const MAX_DEPTH: u32 = 5;
/// A recursive function's depth parameter is masked with this: at most
/// `DEPTH_MASK` nested self-calls, at most two call sites, so at most
/// 1 + 2 + 4 + 8 invocations per outside call.
const DEPTH_MASK: i32 = 3;
const RECURSION_FANOUT: u64 = 15;

/// Who may touch a local.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Access {
    Free,
    /// Read by random code, written only by its owner (loop counters, the
    /// depth parameter).
    ReadOnly,
    /// Used only by the wasmi rendering (see [`FuncGen::escape`]): random
    /// code must not even read it, or the two renderings would differ.
    Hidden,
}

/// A generated function in its two renderings.
pub struct Generated {
    /// The text Touchstone runs.
    pub text: String,
    /// The same function as wasmi runs it, with two constructs wasmi 2.0.0
    /// miscompiles rewritten into equivalents through hidden locals:
    /// - a `br_table` carrying two or more values when other values sit
    ///   beneath them (the first carried value comes from the wrong slot)
    ///   becomes a `br_if` chain;
    /// - an `if` with params (its translator trips over re-pushing the
    ///   params at `else` — with debug assertions it panics "a register
    ///   operand already exists on the stack") becomes an `if` without
    ///   params whose arms push them again;
    /// - a `select` whose condition is `i32.eqz (local.get x)` behaves as if
    ///   the condition were `local.get x`: its condition goes through a
    ///   local.
    pub wasmi_text: String,
    /// Worst-case number of calls one invocation makes.
    pub cost: u64,
}

/// A branch target.
struct Label {
    /// What a branch to it carries: block results, or loop parameters.
    types: Vec<Ty>,
    /// The loop's iteration counter, for loops.
    counter: Option<u32>,
}

/// The generator of one function.
pub struct FuncGen<'a> {
    rng: &'a mut Rng,
    view: &'a ModuleView<'a>,
    index: usize,
    recursive: bool,
    locals: Vec<Ty>,
    access: Vec<Access>,
    labels: Vec<Label>,
    pub(crate) lines: Vec<Line>,
    pub(crate) indent: usize,
    /// Product of the iteration bounds of the enclosing loops.
    mult: u64,
    /// Worst-case calls made by one invocation, so far.
    cost: u64,
    self_calls: usize,
}

impl<'a> FuncGen<'a> {
    /// Generates function `index` (signature `view.sigs[index]`).
    pub fn generate(
        rng: &'a mut Rng,
        view: &'a ModuleView<'a>,
        index: usize,
        recursive: bool,
    ) -> Generated {
        let sig = view.sigs[index].clone();
        let mut g = FuncGen {
            rng,
            view,
            index,
            recursive,
            locals: sig.params.clone(),
            access: vec![Access::Free; sig.params.len()],
            labels: vec![Label {
                types: sig.results.clone(),
                counter: None,
            }],
            lines: Vec::new(),
            indent: 1,
            mult: 1,
            cost: 1,
            self_calls: 0,
        };
        // Few locals per type, so reads and writes of the same one collide often.
        for t in Ty::ALL {
            for _ in 0..g.rng.range(0, 2) {
                g.new_local(t, Access::Free);
            }
        }
        if recursive {
            assert_eq!(sig.params.first(), Some(&Ty::I32), "depth parameter");
            g.access[0] = Access::ReadOnly;
            g.emit(format!(
                "local.get 0 i32.const {DEPTH_MASK} i32.and local.set 0"
            ));
        }
        // Small functions too: frames with few slots, shallow code.
        let depth = g.rng.range(1, MAX_DEPTH as usize) as u32;
        for _ in 0..g.rng.range(0, 2) {
            g.stmt(depth);
        }
        g.seq(&sig.results, depth);
        if g.rng.chance(1, 8) {
            g.emit("return");
        }
        let mut text = format!("  (func $f{index} (export \"f{index}\")");
        for t in &sig.params {
            text += &format!(" (param {})", t.name());
        }
        for t in &sig.results {
            text += &format!(" (result {})", t.name());
        }
        for t in &g.locals[sig.params.len()..] {
            text += &format!(" (local {})", t.name());
        }
        text.push('\n');
        let mut wasmi_text = text.clone();
        for line in &g.lines {
            if let Some(plain) = &line.text {
                text += plain;
                text.push('\n');
            }
            if let Some(alt) = line.for_wasmi.as_ref().or(line.text.as_ref()) {
                wasmi_text += alt;
                wasmi_text.push('\n');
            }
        }
        text += "  )\n";
        wasmi_text += "  )\n";
        let cost = if recursive {
            g.cost * RECURSION_FANOUT
        } else {
            g.cost
        };
        Generated {
            text,
            wasmi_text,
            cost,
        }
    }

    fn emit(&mut self, instr: impl AsRef<str>) {
        let text = format!("{}{}", "  ".repeat(self.indent + 1), instr.as_ref());
        self.lines.push(Line {
            text: Some(text),
            for_wasmi: None,
        });
    }

    fn out_of_budget(&self) -> bool {
        self.lines.len() >= SIZE_BUDGET
    }

    pub(crate) fn new_local(&mut self, t: Ty, access: Access) -> u32 {
        self.locals.push(t);
        self.access.push(access);
        (self.locals.len() - 1) as u32
    }

    /// A local of type `t`, writable ones only if `writable`.
    fn local_of(&mut self, t: Ty, writable: bool) -> Option<u32> {
        let found: Vec<u32> = (0..self.locals.len())
            .filter(|&i| match self.access[i] {
                Access::Free => self.locals[i] == t,
                Access::ReadOnly => self.locals[i] == t && !writable,
                Access::Hidden => false,
            })
            .map(|i| i as u32)
            .collect();
        (!found.is_empty()).then(|| *self.rng.pick(&found))
    }

    fn global_of(&mut self, t: Ty, writable: bool) -> Option<usize> {
        let found: Vec<usize> = (0..self.view.globals.len())
            .filter(|&i| {
                self.view.globals[i].ty == t && (!writable || self.view.globals[i].mutable)
            })
            .collect();
        (!found.is_empty()).then(|| *self.rng.pick(&found))
    }

    /// The relative depth of label `idx` (an index into `self.labels`).
    pub(crate) fn depth_of(&self, idx: usize) -> usize {
        self.labels.len() - 1 - idx
    }

    /// Functions callable from here within the cost budget, with their results.
    fn callees(&self) -> Vec<usize> {
        (0..self.index)
            .filter(|&g| self.cost + self.mult * self.view.costs[g] <= COST_BUDGET)
            .collect()
    }

    /// Pushes one value of type `t`.
    pub fn expr(&mut self, t: Ty, depth: u32) {
        if depth == 0 || self.out_of_budget() {
            return self.leaf(t);
        }
        let d = depth - 1;
        let can_call = !self.callees().is_empty();
        let can_recurse = self.recursive && self.self_calls < 2 && self.mult == 1;
        let weights = [
            4,                                // leaf
            2,                                // unary
            7,                                // binary
            if t == Ty::I32 { 4 } else { 0 }, // comparison / eqz
            2,                                // conversion
            4,                                // local.tee
            2,                                // select
            2,                                // load
            4,                                // statement, then a value
            5,                                // block / if / loop
            if can_call { 3 } else { 0 },     // call
            2,                                // br_if carrying values
            1,                                // br / br_table / return
            if can_recurse { 3 } else { 0 },  // bounded self-call
        ];
        match self.rng.weighted(&weights) {
            0 => self.leaf(t),
            1 => {
                self.expr(t, d);
                let op = *self.rng.pick(ops::unops(t));
                self.emit(op);
            }
            2 => self.binary(t, d),
            3 => {
                let u = Ty::random(self.rng);
                if self.rng.chance(1, 4) && u != Ty::F64 {
                    self.expr(u, d);
                    self.emit(format!("{}.eqz", u.name()));
                } else {
                    self.expr(u, d);
                    self.expr(u, d);
                    let op = *self.rng.pick(ops::relops(u));
                    self.emit(op);
                }
            }
            4 => self.conversion(t, d),
            5 => match self.local_of(t, true) {
                Some(x) => {
                    self.expr(t, d);
                    self.emit(format!("local.tee {x}"));
                }
                None => self.leaf(t),
            },
            6 => {
                self.expr(t, d);
                self.expr(t, d);
                self.cond(d);
                if self.rng.chance(1, 2) {
                    self.select("select".into());
                } else {
                    self.select(format!("select (result {})", t.name()));
                }
            }
            7 => self.load(t, d),
            8 => {
                self.stmt(d);
                self.expr(t, d);
            }
            9 => {
                let results = if self.rng.chance(1, 2) {
                    vec![t]
                } else {
                    self.random_types(3)
                };
                let params = self.maybe_params();
                self.structured(&params, &results, d);
                self.transform(&results, &[t], d);
            }
            10 => self.call(d, &[t]),
            11 => self.br_if(d, &[t]),
            12 => self.escape(d),
            _ => self.self_call(d, &[t]),
        }
    }

    /// A condition; half the time a comparison of locals and constants in
    /// -1..=1, so operands are often equal and `<` versus `<=`, signed
    /// versus unsigned decide the outcome.
    fn cond(&mut self, d: u32) {
        if self.rng.chance(1, 2) {
            return self.expr(Ty::I32, d);
        }
        let t = if self.rng.chance(3, 4) {
            Ty::I32
        } else {
            Ty::I64
        };
        self.near_value(t);
        self.near_value(t);
        let op = *self.rng.pick(ops::relops(t));
        self.emit(op);
    }

    /// A local of type `t` or a constant in -1..=1.
    fn near_value(&mut self, t: Ty) {
        match self.local_of(t, false) {
            Some(x) if self.rng.chance(2, 3) => self.emit(format!("local.get {x}")),
            _ => {
                let c = self.rng.range(0, 2) as i64 - 1;
                self.emit(format!("{}.const {c}", t.name()));
            }
        }
    }

    /// A constant, a local or a global; now and then a deliberate trap.
    fn leaf(&mut self, t: Ty) {
        if self.rng.chance(1, 600) {
            return self.emit("unreachable");
        }
        match self.rng.below(8) {
            0..=2 => {
                let c = ops::constant(self.rng, t);
                self.emit(c)
            }
            3..=6 => match self.local_of(t, false) {
                Some(x) => self.emit(format!("local.get {x}")),
                None => self.leaf(t),
            },
            _ => match self.global_of(t, false) {
                Some(g) => self.emit(format!("global.get {g}")),
                None => self.leaf(t),
            },
        }
    }

    fn binary(&mut self, t: Ty, d: u32) {
        let mut op = *self.rng.pick(ops::binops(t));
        // Integer division traps on zero; keep it, but not so often that
        // most calls end in a trap before reaching interesting code.
        if (op.contains("div") || op.contains("rem")) && t != Ty::F64 && self.rng.chance(2, 3) {
            op = *self.rng.pick(&ops::binops(t)[..11]);
        }
        self.expr(t, d);
        if op == "f64.copysign" {
            // The sign of an arithmetic NaN is nondeterministic; copied
            // onto a number it would become observable. Take the sign
            // from a converted integer, never NaN.
            self.expr(Ty::I64, d);
            self.emit("f64.convert_i64_s");
        } else {
            self.expr(t, d);
        }
        self.emit(op);
    }

    fn conversion(&mut self, t: Ty, d: u32) {
        let from: Vec<Ty> = Ty::ALL
            .into_iter()
            .filter(|&u| !ops::conversions(u, t).is_empty())
            .collect();
        let u = *self.rng.pick(&from);
        let table = ops::conversions(u, t);
        // The last F64 -> integer entry traps on NaN and overflow: make it rare.
        let usable = if u == Ty::F64 && !self.rng.chance(1, 10) {
            &table[..2]
        } else {
            table
        };
        let op = *self.rng.pick(usable);
        self.expr(u, d);
        self.emit(op);
    }

    /// An address for an access of type `t`, masked into its region, then
    /// the `memarg` text. Rarely at the end of the page or beyond it, to
    /// trap out of bounds (never into the other region).
    fn address(&mut self, t: Ty, d: u32) -> String {
        self.expr(Ty::I32, d);
        if self.rng.chance(1, 60) {
            self.emit("i32.const 0xff00 i32.or");
            return String::new();
        }
        if t == Ty::F64 {
            self.emit("i32.const 248 i32.and");
            format!(" offset={FLOAT_BASE}")
        } else {
            self.emit(format!("i32.const {} i32.and", INT_REGION - 1));
            format!(" offset={}", self.rng.pick(&[0, 1, 3, 8]))
        }
    }

    fn load(&mut self, t: Ty, d: u32) {
        let (op, _) = *self.rng.pick(ops::loads(t));
        let memarg = self.address(t, d);
        self.emit(format!("{op}{memarg}"));
    }

    fn store(&mut self, d: u32) {
        let t = Ty::random(self.rng);
        let op = *self.rng.pick(ops::stores(t));
        let memarg = self.address(t, d);
        self.expr(t, d);
        self.emit(format!("{op}{memarg}"));
    }

    /// Pushes the values `types`, in order.
    pub fn seq(&mut self, types: &[Ty], depth: u32) {
        let d = depth.saturating_sub(1);
        let matching: Vec<usize> = self
            .callees()
            .into_iter()
            .filter(|&g| self.view.sigs[g].results == types)
            .collect();
        let weights = [
            6,                                                // one expression each
            if depth > 0 && types.len() > 1 { 3 } else { 1 }, // a structured producer
            if matching.is_empty() || depth == 0 {
                0
            } else {
                2
            }, // a call
        ];
        match self.rng.weighted(&weights) {
            1 if depth > 0 && !self.out_of_budget() => {
                let params = self.maybe_params();
                self.structured(&params, types, d);
            }
            2 => {
                let g = *self.rng.pick(&matching);
                self.call_fn(g, d);
            }
            _ => {
                for &t in types {
                    self.expr(t, depth);
                }
            }
        }
    }

    /// Leaves the stack as it found it.
    fn stmt(&mut self, depth: u32) {
        let d = depth.saturating_sub(1);
        if depth == 0 || self.out_of_budget() {
            if let Some(x) = self.local_of(Ty::I32, true) {
                self.leaf(Ty::I32);
                self.emit(format!("local.set {x}"));
            }
            return;
        }
        match self.rng.weighted(&[6, 2, 3, 1, 4, 2, 2]) {
            0 => {
                let t = Ty::random(self.rng);
                if let Some(x) = self.local_of(t, true) {
                    self.expr(t, d);
                    self.emit(format!("local.set {x}"));
                }
            }
            1 => {
                let t = Ty::random(self.rng);
                if let Some(g) = self.global_of(t, true) {
                    self.expr(t, d);
                    self.emit(format!("global.set {g}"));
                }
            }
            2 => self.store(d),
            3 => {
                let t = Ty::random(self.rng);
                self.expr(t, d);
                self.emit("drop");
            }
            4 => {
                let params = self.maybe_params();
                self.structured(&params, &[], d);
            }
            5 => {
                if !self.callees().is_empty() {
                    self.call(d, &[]);
                }
            }
            _ => self.br_if(d, &[]),
        }
    }

    fn random_types(&mut self, max: usize) -> Vec<Ty> {
        let n = self.rng.range(0, max);
        (0..n).map(|_| Ty::random(self.rng)).collect()
    }

    fn maybe_params(&mut self) -> Vec<Ty> {
        if self.rng.chance(1, 3) {
            self.random_types(3)
        } else {
            Vec::new()
        }
    }

    pub(crate) fn block_type(params: &[Ty], results: &[Ty]) -> String {
        let mut s = String::new();
        for t in params {
            s += &format!(" (param {})", t.name());
        }
        for t in results {
            s += &format!(" (result {})", t.name());
        }
        s
    }

    /// Pushes `params`, then a `block`, `if` or `loop` that takes them and
    /// leaves `results`.
    fn structured(&mut self, params: &[Ty], results: &[Ty], d: u32) {
        let ty = Self::block_type(params, results);
        match self.rng.weighted(&[3, 3, 2]) {
            0 => {
                self.seq(params, d);
                self.open(format!("block{ty}"), results.to_vec(), None);
                self.body(params, results, d);
                self.close("end");
            }
            1 => {
                self.seq(params, d);
                self.cond(d);
                let header = format!("if{ty}");
                let spilled = if params.is_empty() {
                    self.open(header, results.to_vec(), None);
                    None
                } else {
                    let get = self.lower_if_params(&header, params, results);
                    self.indent += 1;
                    self.labels.push(Label {
                        types: results.to_vec(),
                        counter: None,
                    });
                    Some(get)
                };
                self.body(params, results, d);
                if params != results || !self.rng.chance(1, 3) {
                    self.close("else");
                    self.indent += 1;
                    if let Some(get) = &spilled {
                        self.emit_wasmi_only(&[get]);
                    }
                    self.body(params, results, d);
                } else if let Some(get) = &spilled {
                    // The lowered `if` has results but no params: it needs
                    // an `else` passing the values through.
                    self.emit_wasmi_only(&["else", get]);
                }
                self.close("end");
            }
            _ => {
                let counter = self.new_local(Ty::I32, Access::ReadOnly);
                let iterations = self.rng.range(1, 3) as u64;
                self.emit(format!("i32.const {iterations} local.set {counter}"));
                self.seq(params, d);
                self.open(format!("loop{ty}"), params.to_vec(), Some(counter));
                self.mult *= iterations;
                self.body(params, params, d);
                self.guard(counter);
                self.emit("br_if 0");
                self.transform(params, results, d);
                self.mult /= iterations;
                self.close("end");
            }
        }
    }

    fn open(&mut self, header: String, types: Vec<Ty>, counter: Option<u32>) {
        self.emit(header);
        self.indent += 1;
        self.labels.push(Label { types, counter });
    }

    /// Ends the innermost construct with `word` (`end` or `else`); `else`
    /// keeps its label, as the else arm branches to the same `if`.
    fn close(&mut self, word: &str) {
        self.indent -= 1;
        self.emit(word);
        if word == "end" {
            self.labels.pop();
        }
    }

    /// A block body: statements, then `params` on the stack become `results`,
    /// sometimes carried out by an explicit `br 0`.
    fn body(&mut self, params: &[Ty], results: &[Ty], d: u32) {
        for _ in 0..self.rng.range(0, 2) {
            self.stmt(d);
        }
        self.transform(params, results, d);
        let in_loop = self.labels.last().is_some_and(|l| l.counter.is_some());
        if !in_loop && self.rng.chance(1, 6) {
            self.emit("br 0");
        }
    }

    /// Pushes 1 if `counter` is still positive after decrementing it: the
    /// only condition under which code branches back to a loop.
    fn guard(&mut self, counter: u32) {
        self.emit(format!(
            "local.get {counter} i32.const 1 i32.sub local.tee {counter} i32.const 0 i32.gt_s"
        ));
    }

    /// Turns `from` on top of the stack into `to`: keeps a common prefix,
    /// consumes the rest top-down (drop, `local.set`, or fold into a binary
    /// operation first), then pushes what `to` still needs.
    fn transform(&mut self, from: &[Ty], to: &[Ty], d: u32) {
        let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        let keep = if self.rng.chance(1, 2) {
            common
        } else {
            self.rng.range(0, common)
        };
        for &t in from[keep..].iter().rev() {
            if self.rng.chance(1, 3) && !self.out_of_budget() {
                self.expr(t, d);
                let op = *self.rng.pick(&ops::binops(t)[..5]);
                self.emit(op);
            }
            match self.local_of(t, true) {
                Some(x) if self.rng.chance(2, 3) => self.emit(format!("local.set {x}")),
                _ => self.emit("drop"),
            }
        }
        self.seq(&to[keep..], d);
    }

    /// Calls a random affordable function, then turns its results into `want`.
    fn call(&mut self, d: u32, want: &[Ty]) {
        let callees = self.callees();
        let g = *self.rng.pick(&callees);
        self.call_fn(g, d);
        let results = self.view.sigs[g].results.clone();
        self.transform(&results, want, d);
    }

    fn call_fn(&mut self, g: usize, d: u32) {
        let params = self.view.sigs[g].params.clone();
        self.seq(&params, d);
        self.emit(format!("call $f{g}"));
        self.cost += self.mult * self.view.costs[g];
    }

    /// A `br_if` to a random label carrying its values (decrementing the
    /// counter, for a loop), then the values left become `want`.
    fn br_if(&mut self, d: u32, want: &[Ty]) {
        let idx = self.rng.below(self.labels.len());
        let types = self.labels[idx].types.clone();
        let counter = self.labels[idx].counter;
        self.seq(&types, d);
        match counter {
            Some(c) => self.guard(c),
            None => self.cond(d),
        }
        self.emit(format!("br_if {}", self.depth_of(idx)));
        self.transform(&types, want, d);
    }

    /// An unconditional `br`, `br_table` or `return` carrying values, out of
    /// blocks only (never back to a loop). What follows is unreachable.
    fn escape(&mut self, d: u32) {
        let targets: Vec<usize> = (0..self.labels.len())
            .filter(|&i| self.labels[i].counter.is_none())
            .collect();
        let first = *self.rng.pick(&targets);
        let types = self.labels[first].types.clone();
        match self.rng.below(4) {
            0 => {
                let results = self.labels[0].types.clone();
                self.seq(&results, d);
                self.emit("return");
            }
            1 => {
                self.seq(&types, d);
                self.emit(format!("br {}", self.depth_of(first)));
            }
            _ => {
                let same: Vec<usize> = targets
                    .into_iter()
                    .filter(|&i| self.labels[i].types == types)
                    .collect();
                let mut depths = Vec::new();
                for _ in 0..self.rng.range(1, 4) {
                    let i = *self.rng.pick(&same);
                    depths.push(self.depth_of(i));
                }
                let default = self.depth_of(first);
                self.seq(&types, d);
                self.expr(Ty::I32, d);
                if self.rng.chance(1, 2) {
                    self.emit("i32.const 7 i32.and");
                }
                let mut table = String::from("br_table");
                for depth in depths.iter().chain([&default]) {
                    table += &format!(" {depth}");
                }
                if types.len() < 2 {
                    return self.emit(table);
                }
                let lowered = self.lower_br_table(&types, &depths, default);
                self.emit_dual(&table, &lowered);
            }
        }
    }

    /// `if depth != 0 then call self(depth - 1, ...) else <values> end`,
    /// then the results become `want`.
    fn self_call(&mut self, d: u32, want: &[Ty]) {
        let sig = self.view.sigs[self.index].clone();
        let ty = Self::block_type(&[], &sig.results);
        self.self_calls += 1;
        self.emit("local.get 0");
        self.open(format!("if{ty}"), sig.results.clone(), None);
        self.emit("local.get 0 i32.const 1 i32.sub");
        self.seq(&sig.params[1..], d);
        self.emit(format!("call $f{}", self.index));
        self.close("else");
        self.indent += 1;
        self.seq(&sig.results, d);
        self.close("end");
        self.transform(&sig.results, want, d);
    }
}
