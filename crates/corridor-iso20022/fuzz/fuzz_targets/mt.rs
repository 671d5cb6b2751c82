//! Any bytes as a FIN message: the properties of `corridor_iso20022::harness::mt_properties`.

#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| {
    corridor_iso20022::harness::mt_properties(input);
});
