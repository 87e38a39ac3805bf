//! 128-bit SIMD numerics (spec 4.3.4 vector operations).
