//! Replays every input of the fuzz corpora through the same properties the fuzz targets
//! check, so `cargo test` keeps what fuzzing found without a nightly toolchain.

use std::path::{Path, PathBuf};

use corridor_iso20022::harness::{mt_properties, xml_properties};

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the {target} corpus {} is missing: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable corpus entry").path())
        .filter(|path| path.is_file())
        .collect();
    assert!(
        !files.is_empty(),
        "the {target} corpus {} is empty",
        dir.display()
    );
    files.sort();
    files
}

fn replay(target: &str, properties: fn(&[u8])) {
    for file in corpus(target) {
        let input = std::fs::read(&file).expect("a readable corpus file");
        let outcome = std::panic::catch_unwind(|| properties(&input));
        assert!(outcome.is_ok(), "{} breaks a property", file.display());
    }
}

#[test]
fn every_xml_corpus_input_keeps_the_properties() {
    replay("xml", xml_properties);
}

#[test]
fn every_mt_corpus_input_keeps_the_properties() {
    replay("mt", mt_properties);
}
