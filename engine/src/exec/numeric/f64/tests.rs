//! The shared float suite (`float/tests.rs`) on `f64`. No wider host type
//! gives an exact reference here, so there is no counterpart of `f32`'s
//! exact-arithmetic check.

use crate::exec::numeric::float::tests::float_suite;

float_suite!(f64);
