//! Arbitrary bytes as an Arazzo document: the compiler must return, never panic, overflow
//! its stack, hang or exhaust memory. Run with `scripts/fuzz.sh [SECONDS]`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arazzo_fuzz::load(data));
