//! Any bytes as ISO 20022 XML: the properties of `corridor_iso20022::harness::xml_properties`.

#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| {
    corridor_iso20022::harness::xml_properties(input);
});
