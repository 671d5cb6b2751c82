//! The properties that the fuzz targets (`fuzz/fuzz_targets/xml.rs` and `mt.rs`) and the
//! corpus replay test (`tests/fuzz_corpus.rs`) check, kept here so both run the same code.
//! Each function takes any bytes and panics only when a property breaks: a panic is how
//! a fuzzer or a test learns of it, so these are the one place where the crate asserts.

use crate::envelope::{Message, parse, parse_bytes};
use crate::mt::{Mt103, mt103_to_pacs008, pacs008_to_mt103, parse_fin};

/// The `CreDtTm` a translation is stamped with; any valid date-time serves.
const CREATED: &str = "2026-01-01T00:00:00Z";

/// XML input: parsing never panics, validating each message never panics, and a message
/// that validates is written to XML that parses back to an equal message.
pub fn xml_properties(input: &[u8]) {
    let Ok(messages) = parse_bytes(input) else {
        return;
    };
    for message in &messages {
        round_trips_if_valid(message);
    }
}

/// MT input: FIN parsing and the MT103 reading never panic, the translation to pacs.008
/// is written to XML that parses back (equal when it validates), and translating that
/// pacs.008 back to an MT103 never panics.
pub fn mt_properties(input: &[u8]) {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let Ok(fin) = parse_fin(text) else {
        return;
    };
    let Ok(mt) = Mt103::from_fin(&fin) else {
        return;
    };
    let translation = mt103_to_pacs008(&mt, CREATED);
    let xml = translation.message.to_xml();
    let messages = match parse(&xml) {
        Ok(messages) => messages,
        Err(error) => panic!("the pacs.008 translated from an MT103 does not parse: {error}"),
    };
    for message in &messages {
        round_trips_if_valid(message);
    }
    pacs008_to_mt103(&translation.message);
}

/// A modelled message that passes the first validation layer keeps every field through
/// `to_xml` and `parse`, header included.
fn round_trips_if_valid(message: &Message) {
    if message.validate().is_err() {
        return;
    }
    let document = message.document.to_xml();
    let xml = match &message.header {
        Some(header) => format!("<Message>{}{document}</Message>", header.to_xml()),
        None => document,
    };
    match parse(&xml) {
        Ok(again) => assert_eq!(
            again.as_slice(),
            std::slice::from_ref(message),
            "a valid message changed through to_xml and parse:\n{xml}"
        ),
        Err(error) => {
            panic!("a valid message was written as XML that does not parse: {error}\n{xml}")
        }
    }
}
