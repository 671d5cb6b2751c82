//! The real UN and OFAC files, when the environment names them: the loaders must read a
//! whole published list, not only the hand-written fixtures. Skipped (with a note) otherwise.

use corridor_screening::NameQuality;
use corridor_watchlist::{ListFormat, load};
use std::time::Instant;

fn real_list(variable: &str) -> Option<Vec<u8>> {
    let Some(path) = std::env::var_os(variable) else {
        println!("skipped: {variable} does not name a file");
        return None;
    };
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) => panic!("{variable}={}: {e}", path.to_string_lossy()),
    }
}

#[test]
fn real_lists_load() {
    if let Some(bytes) = real_list("CORRIDOR_UN_LIST") {
        let started = Instant::now();
        let list = load(ListFormat::Un, "un", &bytes, None).unwrap_or_else(|e| panic!("{e}"));
        let took = started.elapsed();
        let original = list
            .entries
            .iter()
            .filter(|e| {
                e.names
                    .iter()
                    .any(|n| n.quality == NameQuality::OriginalScript)
            })
            .count();
        println!(
            "UN list of {}: {} entries, {} with a name in original script, sha256 {}, read in {took:?}",
            list.version.date, list.version.entries, original, list.version.sha256
        );
        assert!((500..5_000).contains(&list.entries.len()));
        assert!(list.entries.iter().all(|e| !e.names.is_empty()));
    }
    if let Some(bytes) = real_list("CORRIDOR_OFAC_LIST") {
        let started = Instant::now();
        let list = load(ListFormat::Ofac, "ofac", &bytes, None).unwrap_or_else(|e| panic!("{e}"));
        let took = started.elapsed();
        println!(
            "OFAC SDN list of {}: {} entries, sha256 {}, read in {took:?}",
            list.version.date, list.version.entries, list.version.sha256
        );
        assert!((5_000..50_000).contains(&list.entries.len()));
        assert!(list.entries.iter().all(|e| !e.names.is_empty()));
    }
}
