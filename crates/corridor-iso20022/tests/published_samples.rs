//! Round trips of the CBPR+ example messages that the PyPI package cbpr-usage-rules 0.6.0
//! publishes (MIT licence; a minimal and a maximal message per type and rule year, written
//! by its author after SWIFT's usage guidelines, not SWIFT's own samples), fetched by `scripts/fetch-iso-samples.sh` into the directory
//! named by `CORRIDOR_ISO20022_SAMPLES_DIR`; nothing of them is committed. Every sample of a
//! modelled type is parsed, validated, written, checked against the XSD and parsed again;
//! the samples we refuse are listed below with the reason, never skipped in silence.

mod common;

use std::path::{Path, PathBuf};

use common::assert_valid;
use corridor_iso20022::{Message, parse};

/// Why a sample is refused: a part of the refusal, and why refusing is right.
#[derive(Debug)]
struct Refusal {
    says: &'static str,
    because: &'static str,
}

/// The package's minimal samples name both `AppHdr` parties as an empty `OrgId`.
const ORGANISATION_PARTIES: Refusal = Refusal {
    says: "/AppHdr/Fr/OrgId: rule CRDR-HEAD-1: a message comes from and goes to a participant, \
           a financial institution named by FIId; an organisation (OrgId) is not one (RC01)",
    because: "Corridor's participants are financial institutions: the scheme's rule \
              CRDR-HEAD-1 (crate docs) refuses an OrgId party the schema allows",
};

/// Samples our parser or first validation layer refuses, each with its reason.
const REFUSED: &[(&str, Refusal)] = &[
    ("y2025/camt.052.min.xml", ORGANISATION_PARTIES),
    ("y2025/camt.054.min.xml", ORGANISATION_PARTIES),
    ("y2025/pacs.002.min.xml", ORGANISATION_PARTIES),
    ("y2025/pacs.004.min.xml", ORGANISATION_PARTIES),
    ("y2025/pacs.008.min.xml", ORGANISATION_PARTIES),
    ("y2025/pacs.008_stp.min.xml", ORGANISATION_PARTIES),
    ("y2025/pacs.009.min.xml", ORGANISATION_PARTIES),
    ("y2025/pacs.009_adv.min.xml", ORGANISATION_PARTIES),
    ("y2025/pacs.009_cov.min.xml", ORGANISATION_PARTIES),
    ("y2025/pain.001.min.xml", ORGANISATION_PARTIES),
    ("y2026/camt.052.min.xml", ORGANISATION_PARTIES),
    ("y2026/camt.054.min.xml", ORGANISATION_PARTIES),
    ("y2026/pacs.002.min.xml", ORGANISATION_PARTIES),
    ("y2026/pacs.004.min.xml", ORGANISATION_PARTIES),
    ("y2026/pacs.008.min.xml", ORGANISATION_PARTIES),
    ("y2026/pacs.008_stp.min.xml", ORGANISATION_PARTIES),
    ("y2026/pacs.009.min.xml", ORGANISATION_PARTIES),
    ("y2026/pacs.009_adv.min.xml", ORGANISATION_PARTIES),
    ("y2026/pacs.009_cov.min.xml", ORGANISATION_PARTIES),
    ("y2026/pain.001.min.xml", ORGANISATION_PARTIES),
];

fn samples_dir() -> PathBuf {
    let how = "run scripts/fetch-iso-samples.sh DIR, then set CORRIDOR_ISO20022_SAMPLES_DIR=DIR";
    let dir = std::env::var_os("CORRIDOR_ISO20022_SAMPLES_DIR")
        .unwrap_or_else(|| panic!("CORRIDOR_ISO20022_SAMPLES_DIR is not set: {how}"));
    let dir = PathBuf::from(dir);
    assert!(
        !xml_files(&dir).is_empty(),
        "{} holds no XML sample: {how}",
        dir.display()
    );
    dir
}

/// Every `.xml` file under `dir`, sorted, as paths relative to it.
fn xml_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                let relative = path.strip_prefix(dir).expect("a path under the directory");
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

/// Why `xml` is refused, or `None` once it has made the whole round trip.
fn refusal(xml: &str) -> Option<String> {
    let messages = match parse(xml) {
        Ok(messages) => messages,
        Err(error) => return Some(format!("parse: {error}")),
    };
    for message in &messages {
        if let Err(errors) = message.validate() {
            return Some(format!("validation: {errors}"));
        }
        round_trip(message);
    }
    None
}

/// Written, XSD-valid, and read back equal; a type we do not model is only recognised.
fn round_trip(message: &Message) {
    let document = message.document.to_xml();
    assert_valid(&document, &format!("{}.xsd", message.message_type.name()));
    let mut xml = document;
    if let Some(header) = &message.header {
        let header = header.to_xml();
        assert_valid(&header, "head.001.001.02.xsd");
        xml = format!("<Message>{header}{xml}</Message>");
    }
    let again = parse(&xml).expect("our own output parses");
    assert_eq!(again.as_slice(), std::slice::from_ref(message));
}

// `scripts/test.sh` (the README's test command) fetches the samples and names their
// directory; run alone, the test says how to get them.
#[test]
fn every_published_sample_round_trips_or_is_refused_for_a_listed_reason() {
    let dir = samples_dir();
    let mut unexpected = Vec::new();
    for file in xml_files(&dir) {
        let xml = std::fs::read_to_string(dir.join(&file)).expect("a UTF-8 sample");
        let listed = REFUSED.iter().find(|(name, _)| *name == file);
        match (refusal(&xml), listed) {
            (None, None) => {}
            (Some(reason), None) => unexpected.push(format!("{file} is refused: {reason}")),
            (None, Some(_)) => unexpected.push(format!("{file} is listed as refused but passes")),
            (Some(reason), Some((_, listed))) if !reason.contains(listed.says) => {
                unexpected.push(format!("{file} is refused for another reason: {reason}"));
            }
            (Some(_), Some((_, listed))) => println!("{file}: refused, {}", listed.because),
        }
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}
