//! The one-pass driver's visitor: the operator reader calls one method per
//! operator, which runs wasmparser's validator for exactly that operator
//! and then the translator. Reading operators as [`Operator`] values and
//! handing them to `FuncValidator::op` would dispatch on the operator once
//! more, inside the validator (measured in the engine README's log).

use wasmparser::{
    for_each_visit_operator, for_each_visit_simd_operator, FuncValidator, Operator,
    ValidatorResources, VisitOperator, VisitSimdOperator,
};

use super::Translator;
use crate::error::CompileError;
use crate::runtime::types::slots_of;

/// Validates, then translates, one operator per visit.
pub(super) struct ValidateThenTranslate<'t, 'i, 'v> {
    pub t: &'t mut Translator<'i>,
    pub fv: &'v mut FuncValidator<ValidatorResources>,
    /// Offset of the operator being visited (for the validator's errors).
    pub offset: u64,
    /// The first unsupported operator: translation stops there, validation
    /// goes on to the end of the body.
    pub unsupported: Option<CompileError>,
    /// Operand widths of untyped `drop`/`select`, in order, for a second pass.
    pub widths: Vec<u32>,
}

impl ValidateThenTranslate<'_, '_, '_> {
    /// Before validation pops it: the width of an untyped `drop`/`select`
    /// operand (the validator knows its type, the translator must).
    #[inline(always)]
    fn note_width(&mut self, op: &Operator<'_>) {
        let depth = match op {
            Operator::Drop => 0,
            Operator::Select => 1,
            _ => return,
        };
        self.t.operand_width = match self.fv.get_operand_type(depth) {
            Some(Some(vt)) => slots_of(vt),
            _ => 1,
        };
        self.widths.push(self.t.operand_width);
    }

    /// After validation passed: translates, unless an earlier operator was
    /// unsupported. `control` says whether [`Translator::control`] handles
    /// the operator (a constant in each visit method).
    #[inline(always)]
    fn translate(&mut self, op: Operator<'_>, control: bool) -> Result<(), CompileError> {
        if self.unsupported.is_none() {
            let translated = if control {
                self.t.op(op)
            } else {
                self.t.plain_op(op)
            };
            if let Err(e) = translated {
                self.unsupported = Some(e);
            }
        }
        Ok(())
    }
}

// Arguments are cloned for the validator: all are `Copy` but `BrTable` (a
// slice reader) and `TryTable` (a short list), which the translator needs too.
macro_rules! validate_then_translate {
    ($visitor:ident: $(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            #[allow(clippy::clone_on_copy)]
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
                let op = Operator::$op $({ $($arg: $arg.clone()),* })?;
                self.note_width(&op);
                self.fv
                    .$visitor(self.offset)
                    .$visit($($($arg),*)?)
                    .map_err(crate::valid::classify)?;
                self.translate(op, is_control!($op))
            }
        )*
    };
}

/// Whether [`Translator::control`] handles an operator: those go through
/// `Translator::op`, the rest straight to `plain` (debug builds check that
/// `control` refuses each of those).
macro_rules! is_control {
    (Nop) => {
        true
    };
    (Unreachable) => {
        true
    };
    (Block) => {
        true
    };
    (Loop) => {
        true
    };
    (If) => {
        true
    };
    (Else) => {
        true
    };
    (End) => {
        true
    };
    (Br) => {
        true
    };
    (BrIf) => {
        true
    };
    (BrTable) => {
        true
    };
    (BrOnNull) => {
        true
    };
    (BrOnNonNull) => {
        true
    };
    (Return) => {
        true
    };
    (Try) => {
        true
    };
    (Catch) => {
        true
    };
    (CatchAll) => {
        true
    };
    (Delegate) => {
        true
    };
    (Rethrow) => {
        true
    };
    (Throw) => {
        true
    };
    (ThrowRef) => {
        true
    };
    (TryTable) => {
        true
    };
    ($other:ident) => {
        false
    };
}

macro_rules! plain_operators {
    ($($t:tt)*) => {
        validate_then_translate!(visitor: $($t)*);
    };
}

macro_rules! simd_operators {
    ($($t:tt)*) => {
        validate_then_translate!(simd_visitor: $($t)*);
    };
}

impl<'a> VisitOperator<'a> for ValidateThenTranslate<'_, '_, '_> {
    type Output = Result<(), CompileError>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }

    for_each_visit_operator!(plain_operators);
}

impl<'a> VisitSimdOperator<'a> for ValidateThenTranslate<'_, '_, '_> {
    for_each_visit_simd_operator!(simd_operators);
}
