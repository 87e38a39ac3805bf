//! The toy's interpreter: straight-line integer code on a value stack.

use touchstone_harness::engine::{EngineError, ErrorKind, Limits, Value};
use wasmparser::{BinaryReader, Operator, OperatorsReader, ValType};

use crate::{unsupported, Function};

fn trap(message: &str) -> EngineError {
    EngineError::new(ErrorKind::Trap, message)
}

/// Runs `function` on `args`.
pub(crate) fn call(
    function: &Function,
    args: &[Value],
    limits: &Limits,
) -> Result<Vec<Value>, EngineError> {
    if args.len() != function.params.len() {
        return Err(EngineError::new(
            ErrorKind::Other,
            "wrong number of arguments",
        ));
    }
    let mut locals: Vec<Value> = args.to_vec();
    for ty in &function.locals[args.len()..] {
        locals.push(match ty {
            ValType::I32 => Value::I32(0),
            ValType::I64 => Value::I64(0),
            other => return Err(unsupported(format!("{other} locals"))),
        });
    }
    let mut stack: Vec<Value> = Vec::new();
    let mut reader = OperatorsReader::new(BinaryReader::new(&function.body, 0));
    while !reader.eof() {
        if limits.interrupt.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(EngineError::new(ErrorKind::Interrupted, "interrupted"));
        }
        let op = reader
            .read()
            .map_err(|e| EngineError::new(ErrorKind::Malformed, e.to_string()))?;
        if matches!(op, Operator::End | Operator::Return) {
            break;
        }
        step(op, &mut stack, &mut locals)?;
    }
    Ok(stack.split_off(stack.len() - function.results.len()))
}

fn step(op: Operator<'_>, stack: &mut Vec<Value>, locals: &mut [Value]) -> Result<(), EngineError> {
    use Operator as O;
    macro_rules! binary {
        ($ty:ident, |$a:ident, $b:ident| $e:expr) => {{
            let (Some(Value::$ty($b)), Some(Value::$ty($a))) = (stack.pop(), stack.pop()) else {
                unreachable!("validated")
            };
            stack.push($e);
        }};
    }
    macro_rules! unary {
        ($ty:ident, |$a:ident| $e:expr) => {{
            let Some(Value::$ty($a)) = stack.pop() else {
                unreachable!("validated")
            };
            stack.push($e);
        }};
    }
    let b32 = |b: bool| Value::I32(b as i32);
    match op {
        O::Nop => {}
        O::Unreachable => return Err(trap("unreachable")),
        O::Drop => {
            stack.pop();
        }
        O::Select => {
            let (Some(Value::I32(c)), Some(b), Some(a)) = (stack.pop(), stack.pop(), stack.pop())
            else {
                unreachable!("validated")
            };
            stack.push(if c != 0 { a } else { b });
        }
        O::LocalGet { local_index } => stack.push(locals[local_index as usize].clone()),
        O::LocalSet { local_index } => {
            locals[local_index as usize] = stack.pop().expect("validated")
        }
        O::LocalTee { local_index } => {
            locals[local_index as usize] = stack.last().expect("validated").clone()
        }
        O::I32Const { value } => stack.push(Value::I32(value)),
        O::I64Const { value } => stack.push(Value::I64(value)),
        O::I32Add => binary!(I32, |a, b| Value::I32(a.wrapping_add(b))),
        O::I32Sub => binary!(I32, |a, b| Value::I32(a.wrapping_sub(b))),
        O::I32Mul => binary!(I32, |a, b| Value::I32(a.wrapping_mul(b))),
        O::I32DivS => binary!(I32, |a, b| match (a, b) {
            (_, 0) => return Err(trap("integer divide by zero")),
            (i32::MIN, -1) => return Err(trap("integer overflow")),
            _ => Value::I32(a / b),
        }),
        O::I32DivU => binary!(I32, |a, b| match b {
            0 => return Err(trap("integer divide by zero")),
            _ => Value::I32(((a as u32) / (b as u32)) as i32),
        }),
        O::I32RemS => binary!(I32, |a, b| match b {
            0 => return Err(trap("integer divide by zero")),
            _ => Value::I32(a.wrapping_rem(b)),
        }),
        O::I32RemU => binary!(I32, |a, b| match b {
            0 => return Err(trap("integer divide by zero")),
            _ => Value::I32(((a as u32) % (b as u32)) as i32),
        }),
        O::I32And => binary!(I32, |a, b| Value::I32(a & b)),
        O::I32Or => binary!(I32, |a, b| Value::I32(a | b)),
        O::I32Xor => binary!(I32, |a, b| Value::I32(a ^ b)),
        O::I32Shl => binary!(I32, |a, b| Value::I32(a.wrapping_shl(b as u32))),
        O::I32ShrS => binary!(I32, |a, b| Value::I32(a.wrapping_shr(b as u32))),
        O::I32ShrU => binary!(I32, |a, b| Value::I32(
            (a as u32).wrapping_shr(b as u32) as i32
        )),
        O::I32Rotl => binary!(I32, |a, b| Value::I32(a.rotate_left(b as u32 % 32))),
        O::I32Rotr => binary!(I32, |a, b| Value::I32(a.rotate_right(b as u32 % 32))),
        O::I32Clz => unary!(I32, |a| Value::I32(a.leading_zeros() as i32)),
        O::I32Ctz => unary!(I32, |a| Value::I32(a.trailing_zeros() as i32)),
        O::I32Popcnt => unary!(I32, |a| Value::I32(a.count_ones() as i32)),
        O::I32Extend8S => unary!(I32, |a| Value::I32(a as i8 as i32)),
        O::I32Extend16S => unary!(I32, |a| Value::I32(a as i16 as i32)),
        O::I32Eqz => unary!(I32, |a| b32(a == 0)),
        O::I32Eq => binary!(I32, |a, b| b32(a == b)),
        O::I32Ne => binary!(I32, |a, b| b32(a != b)),
        O::I32LtS => binary!(I32, |a, b| b32(a < b)),
        O::I32LtU => binary!(I32, |a, b| b32((a as u32) < (b as u32))),
        O::I32GtS => binary!(I32, |a, b| b32(a > b)),
        O::I32GtU => binary!(I32, |a, b| b32((a as u32) > (b as u32))),
        O::I32LeS => binary!(I32, |a, b| b32(a <= b)),
        O::I32LeU => binary!(I32, |a, b| b32((a as u32) <= (b as u32))),
        O::I32GeS => binary!(I32, |a, b| b32(a >= b)),
        O::I32GeU => binary!(I32, |a, b| b32((a as u32) >= (b as u32))),
        O::I64Add => binary!(I64, |a, b| Value::I64(a.wrapping_add(b))),
        O::I64Sub => binary!(I64, |a, b| Value::I64(a.wrapping_sub(b))),
        O::I64Mul => binary!(I64, |a, b| Value::I64(a.wrapping_mul(b))),
        O::I64And => binary!(I64, |a, b| Value::I64(a & b)),
        O::I64Or => binary!(I64, |a, b| Value::I64(a | b)),
        O::I64Xor => binary!(I64, |a, b| Value::I64(a ^ b)),
        O::I64Eqz => unary!(I64, |a| b32(a == 0)),
        O::I64Eq => binary!(I64, |a, b| b32(a == b)),
        O::I64Ne => binary!(I64, |a, b| b32(a != b)),
        O::I32WrapI64 => unary!(I64, |a| Value::I32(a as i32)),
        O::I64ExtendI32S => unary!(I32, |a| Value::I64(a as i64)),
        O::I64ExtendI32U => unary!(I32, |a| Value::I64(a as u32 as i64)),
        other => return Err(unsupported(format!("instruction {other:?}"))),
    }
    Ok(())
}
