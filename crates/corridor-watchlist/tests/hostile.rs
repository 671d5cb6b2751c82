//! Hostile input: random bytes and damaged copies of valid files never make a loader panic;
//! each is either read, with what it could not read counted and bounded, or refused with an
//! error.

use corridor_watchlist::{ListFormat, MAX_SKIPPED_DETAILS, load};
use proptest::prelude::*;

const FORMATS: [ListFormat; 4] = [
    ListFormat::Un,
    ListFormat::Ofac,
    ListFormat::Csv,
    ListFormat::Json,
];

const FIXTURES: [&[u8]; 4] = [
    include_bytes!("fixtures/un.xml"),
    include_bytes!("fixtures/ofac_sdn.xml"),
    include_bytes!("fixtures/own.csv"),
    include_bytes!("fixtures/own.json"),
];

/// One damage to a valid file: a byte overwritten, a span removed, or a span repeated.
#[derive(Debug, Clone)]
enum Damage {
    Overwrite(usize, u8),
    Remove(usize, usize),
    Repeat(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Damage::Overwrite(at, byte)),
        (any::<usize>(), 0usize..64).prop_map(|(at, len)| Damage::Remove(at, len)),
        (any::<usize>(), 0usize..64).prop_map(|(at, len)| Damage::Repeat(at, len)),
    ]
}

fn damaged(valid: &[u8], damages: &[Damage]) -> Vec<u8> {
    let mut bytes = valid.to_vec();
    for damage in damages {
        if bytes.is_empty() {
            break;
        }
        match *damage {
            Damage::Overwrite(at, byte) => {
                let at = at % bytes.len();
                bytes[at] = byte;
            }
            Damage::Remove(at, len) => {
                let at = at % bytes.len();
                let end = (at + len).min(bytes.len());
                bytes.drain(at..end);
            }
            Damage::Repeat(at, len) => {
                let at = at % bytes.len();
                let end = (at + len).min(bytes.len());
                let span = bytes[at..end].to_vec();
                bytes.splice(at..at, span);
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        for format in FORMATS {
            let _ = load(format, "list", &bytes, Some("2025-01-01"));
        }
    }

    #[test]
    fn damaged_valid_files_never_panic(
        which in 0usize..4,
        damages in proptest::collection::vec(damage(), 1..6),
    ) {
        let bytes = damaged(FIXTURES[which], &damages);
        for format in FORMATS {
            let _ = load(format, "list", &bytes, Some("2025-01-01"));
        }
    }

    #[test]
    fn valid_files_damaged_in_text_load_or_are_refused_whole(
        which in 0usize..4,
        at in any::<usize>(),
        byte in b'0'..=b'z',
    ) {
        let bytes = damaged(FIXTURES[which], &[Damage::Overwrite(at, byte)]);
        if let Ok(list) = load(FORMATS[which], "list", &bytes, Some("2025-01-01")) {
            prop_assert_eq!(list.version.entries, list.entries.len());
            prop_assert!(list.entries.iter().all(|e| !e.id.is_empty() && !e.names.is_empty()));
            let details = list.version.skipped.len();
            prop_assert_eq!(details, list.version.skipped_values.min(MAX_SKIPPED_DETAILS));
        }
    }
}
