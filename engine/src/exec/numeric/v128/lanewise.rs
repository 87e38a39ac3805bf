//! Macros that define lane-wise operators from one lane expression, so each
//! operator reads as its spec definition: view the lanes, apply, rebuild.
//!
//! Each arm takes the doc comment, the operator name, the lane view of the
//! operands (`i8x16`, `u16x8`, ...), the constructor of the result, and the
//! per-lane expression.

/// Lane-wise operators over one lane shape.
macro_rules! lanewise {
    ($(#[$doc:meta])* unary $name:ident: $view:ident -> $from:ident, |$a:ident| $body:expr) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(a: V128) -> V128 {
            V128::$from(a.$view().map(|$a| $body))
        }
    };
    ($(#[$doc:meta])* binary $name:ident: $view:ident -> $from:ident,
     |$a:ident, $b:ident| $body:expr) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            V128::$from($crate::exec::numeric::v128::zip(a.$view(), b.$view(), |$a, $b| $body))
        }
    };
    ($(#[$doc:meta])* shift $name:ident: $view:ident -> $from:ident,
     |$a:ident, $s:ident| $body:expr) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(a: V128, $s: i32) -> V128 {
            // `wrapping_sh*` take the count modulo the lane width: the spec's shift rule.
            let $s = $s as u32;
            V128::$from(a.$view().map(|$a| $body))
        }
    };
    ($(#[$doc:meta])* all_true $name:ident: $view:ident) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(a: V128) -> i32 {
            i32::from(a.$view().iter().all(|&lane| lane != 0))
        }
    };
    ($(#[$doc:meta])* bitmask $name:ident: $view:ident) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(a: V128) -> i32 {
            a.$view()
                .iter()
                .enumerate()
                .fold(0, |bits, (i, &lane)| bits | (i32::from(lane < 0) << i))
        }
    };
    // Widens half of the lanes of a narrower view (`$half` = 0 for low, N for high).
    ($(#[$doc:meta])* extend $name:ident: $view:ident -> $from:ident as $t:ty, half $half:literal) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(a: V128) -> V128 {
            let lanes = a.$view();
            V128::$from(std::array::from_fn(|i| <$t>::from(lanes[i + $half])))
        }
    };
    // Widening multiply of half of the lanes; the product always fits the
    // wide lane's bit pattern (unsigned products wrap into it).
    ($(#[$doc:meta])* extmul $name:ident: $view:ident -> $from:ident as $t:ty, half $half:literal) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            let (x, y) = (a.$view(), b.$view());
            V128::$from(std::array::from_fn(|i| {
                <$t>::from(x[i + $half]).wrapping_mul(<$t>::from(y[i + $half]))
            }))
        }
    };
    // Sums adjacent lane pairs into lanes twice as wide (never overflows).
    ($(#[$doc:meta])* extadd $name:ident: $view:ident -> $from:ident as $t:ty) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(a: V128) -> V128 {
            let lanes = a.$view();
            V128::$from(std::array::from_fn(|i| {
                <$t>::from(lanes[2 * i]) + <$t>::from(lanes[2 * i + 1])
            }))
        }
    };
    // Saturates the lanes of `a` then `b` into lanes half as wide.
    ($(#[$doc:meta])* narrow $name:ident: $view:ident -> $from:ident as $t:ty, $lo:expr, $hi:expr) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            let (x, y) = (a.$view(), b.$view());
            let n = x.len();
            V128::$from(std::array::from_fn(|i| {
                let lane = if i < n { x[i] } else { y[i - n] };
                lane.clamp($lo, $hi) as $t
            }))
        }
    };
}
