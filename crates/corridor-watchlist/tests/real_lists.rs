//! The real UN and OFAC files, when the environment names them: the loaders must read a
//! whole published list, not only the hand-written fixtures. Each variable may name several
//! files (separated as in `PATH`), so that lists published in older and newer forms are read
//! in one run. Skipped (with a note) otherwise.

use corridor_screening::NameQuality;
use corridor_watchlist::{ListFormat, MAX_SKIPPED_DETAILS, Watchlist, load};
use std::ops::Range;
use std::path::PathBuf;
use std::time::Instant;

fn real_lists(variable: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let Some(paths) = std::env::var_os(variable) else {
        println!("skipped: {variable} does not name a file");
        return Vec::new();
    };
    std::env::split_paths(&paths)
        .filter(|path| !path.as_os_str().is_empty())
        .map(|path| match std::fs::read(&path) {
            Ok(bytes) => (path, bytes),
            Err(e) => panic!("{variable}={}: {e}", path.display()),
        })
        .collect()
}

/// Loads every file the variable names and checks what any published list must give.
fn check(variable: &str, format: ListFormat, sizes: Range<usize>) {
    for (path, bytes) in real_lists(variable) {
        let started = Instant::now();
        let list = load(format, format.as_str(), &bytes, None)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let took = started.elapsed();
        report(&path, &list, took);
        assert!(sizes.contains(&list.entries.len()), "{}", path.display());
        assert!(list.entries.iter().all(|e| !e.names.is_empty()));
        let version = &list.version;
        assert_eq!(
            version.skipped.len(),
            version.skipped_values.min(MAX_SKIPPED_DETAILS)
        );
        // A published list is read whole but for a few values (regions, former countries):
        // far fewer than one a twentieth of its entries.
        assert!(
            version.skipped_values < version.entries / 20,
            "{}: {} values skipped",
            path.display(),
            version.skipped_values
        );
    }
}

fn report(path: &std::path::Path, list: &Watchlist, took: std::time::Duration) {
    let version = &list.version;
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
        "{} ({}) of {}: {} entries, {} with a name in original script, {} values skipped, \
         sha256 {}, read in {took:?}",
        list.name,
        path.display(),
        version.date,
        version.entries,
        original,
        version.skipped_values,
        version.sha256
    );
    for skipped in &version.skipped {
        println!(
            "  skipped {} {}: {:?} ({})",
            skipped.entry, skipped.field, skipped.value, skipped.reason
        );
    }
}

#[test]
fn real_lists_load() {
    check("CORRIDOR_UN_LIST", ListFormat::Un, 500..5_000);
    check("CORRIDOR_OFAC_LIST", ListFormat::Ofac, 5_000..50_000);
}
