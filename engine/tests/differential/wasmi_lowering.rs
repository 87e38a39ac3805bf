//! The rendering of a generated function for wasmi: constructs wasmi
//! 2.0.0 miscompiles are rewritten into equivalents through hidden locals
//! (see `func_gen::Generated::wasmi_text`); Touchstone runs both renderings
//! and they must agree.

use super::func_gen::{Access, FuncGen};
use super::ops::Ty;

/// One emitted line, with the variant wasmi runs when it must differ.
pub(crate) struct Line {
    /// `None` for a line only wasmi's rendering has.
    pub(crate) text: Option<String>,
    pub(crate) for_wasmi: Option<String>,
}

impl FuncGen<'_> {
    /// Emits lines only wasmi's rendering has.
    pub(crate) fn emit_wasmi_only(&mut self, for_wasmi: &[&str]) {
        let pad = "  ".repeat(self.indent + 1);
        let alt: Vec<String> = for_wasmi.iter().map(|l| format!("{pad}{l}")).collect();
        self.lines.push(Line {
            text: None,
            for_wasmi: Some(alt.join("\n")),
        });
    }

    /// Emits `instr`, which wasmi runs as the lines `for_wasmi` instead.
    pub(crate) fn emit_dual(&mut self, instr: &str, for_wasmi: &[String]) {
        let pad = "  ".repeat(self.indent + 1);
        let text = format!("{pad}{instr}");
        let alt: Vec<String> = for_wasmi.iter().map(|l| format!("{pad}{l}")).collect();
        self.lines.push(Line {
            text: Some(text),
            for_wasmi: Some(alt.join("\n")),
        });
    }

    /// Emits a `select`; wasmi gets its condition through a hidden local
    /// (see [`Generated::wasmi_text`]).
    pub(crate) fn select(&mut self, instr: String) {
        let cond = self.new_local(Ty::I32, Access::Hidden);
        let lowered = format!("local.set {cond} local.get {cond} {instr} ;; lowered for wasmi");
        self.emit_dual(&instr, &[lowered]);
    }

    /// Emits the header of an `if` with `params`; wasmi gets them through
    /// hidden locals instead and an `if` without params (see
    /// [`Generated::wasmi_text`]). Returns wasmi's code to push them again
    /// at the start of each arm.
    pub(crate) fn lower_if_params(
        &mut self,
        header: &str,
        params: &[Ty],
        results: &[Ty],
    ) -> String {
        let cond = self.new_local(Ty::I32, Access::Hidden);
        let values: Vec<u32> = params
            .iter()
            .map(|&t| self.new_local(t, Access::Hidden))
            .collect();
        let get: Vec<String> = values.iter().map(|v| format!("local.get {v}")).collect();
        let get = get.join(" ");
        let mut lowered = vec![format!(
            "local.set {cond} ;; if with params, lowered for wasmi"
        )];
        lowered.extend(values.iter().rev().map(|v| format!("local.set {v}")));
        lowered.push(format!("local.get {cond}"));
        lowered.push(format!("if{}", Self::block_type(&[], results)));
        lowered.push(format!("  {get}"));
        self.emit_dual(header, &lowered);
        get
    }

    /// `br_table` as a `br_if` chain, through hidden locals, for wasmi (see
    /// [`Generated::wasmi_text`]).
    pub(crate) fn lower_br_table(
        &mut self,
        types: &[Ty],
        depths: &[usize],
        default: usize,
    ) -> Vec<String> {
        let index = self.new_local(Ty::I32, Access::Hidden);
        let values: Vec<u32> = types
            .iter()
            .map(|&t| self.new_local(t, Access::Hidden))
            .collect();
        let get_values: String = values
            .iter()
            .map(|v| format!("local.get {v}"))
            .collect::<Vec<_>>()
            .join(" ");
        let mut lines = vec![format!("local.set {index} ;; br_table, lowered for wasmi")];
        for v in values.iter().rev() {
            lines.push(format!("local.set {v}"));
        }
        for (k, depth) in depths.iter().enumerate() {
            let drops = vec!["drop"; values.len()].join(" ");
            lines.push(format!(
                "{get_values} local.get {index} i32.const {k} i32.eq br_if {depth} {drops}"
            ));
        }
        lines.push(format!("{get_values} br {default}"));
        lines
    }
}
