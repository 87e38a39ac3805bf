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
    /// unsupported, by the path `route` names (a constant in each visit
    /// method, from [`route!`]).
    #[inline(always)]
    fn translate(&mut self, op: Operator<'_>, route: Route) -> Result<(), CompileError> {
        if self.unsupported.is_none() {
            let translated = match route {
                Route::Control => self.t.op(op),
                Route::Local => self.t.local_op(op),
                Route::Plain => self.t.plain_op(op),
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
                self.translate(op, route!($op))
            }
        )*
    };
}

/// How an operator is translated.
#[derive(Clone, Copy)]
enum Route {
    /// [`Translator::control`] handles it: through `Translator::op`.
    Control,
    /// `local.*`, `global.*`: straight to `local_or_global`.
    Local,
    /// Everything else: straight to `plain` (debug builds check that
    /// `control` refuses each of these).
    Plain,
}

/// The [`Route`] of an operator, by its name.
macro_rules! route {
    (Nop) => {
        Route::Control
    };
    (Unreachable) => {
        Route::Control
    };
    (Block) => {
        Route::Control
    };
    (Loop) => {
        Route::Control
    };
    (If) => {
        Route::Control
    };
    (Else) => {
        Route::Control
    };
    (End) => {
        Route::Control
    };
    (Br) => {
        Route::Control
    };
    (BrIf) => {
        Route::Control
    };
    (BrTable) => {
        Route::Control
    };
    (BrOnNull) => {
        Route::Control
    };
    (BrOnNonNull) => {
        Route::Control
    };
    (Return) => {
        Route::Control
    };
    (Try) => {
        Route::Control
    };
    (Catch) => {
        Route::Control
    };
    (CatchAll) => {
        Route::Control
    };
    (Delegate) => {
        Route::Control
    };
    (Rethrow) => {
        Route::Control
    };
    (Throw) => {
        Route::Control
    };
    (ThrowRef) => {
        Route::Control
    };
    (TryTable) => {
        Route::Control
    };
    (LocalGet) => {
        Route::Local
    };
    (LocalSet) => {
        Route::Local
    };
    (LocalTee) => {
        Route::Local
    };
    (GlobalGet) => {
        Route::Local
    };
    (GlobalSet) => {
        Route::Local
    };
    ($other:ident) => {
        Route::Plain
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
