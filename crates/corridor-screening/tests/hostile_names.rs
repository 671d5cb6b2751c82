//! Hostile names cost little: a word is compared by at most `MAX_WORD_CHARS` characters and a
//! name is read up to `MAX_NAME_CHARS`, so a 60 KB word costs what a short one does instead
//! of its length squared.

use std::time::{Duration, Instant};

use corridor_screening::{
    EntryName, ListEntry, MAX_NAME_CHARS, MAX_WORD_CHARS, NameQuality, Party, PartyKind, Screener,
};

fn screener() -> Screener {
    let entry = ListEntry {
        id: "1".to_owned(),
        kind: PartyKind::Person,
        names: vec![EntryName {
            text: "Ivan Petrovich Sidorov".to_owned(),
            quality: NameQuality::Primary,
        }],
        dates_of_birth: Vec::new(),
        countries: Vec::new(),
        identifiers: Vec::new(),
    };
    Screener::build([("test".to_owned(), entry)], None)
}

fn named(name: String) -> Party {
    Party {
        name,
        ..Party::default()
    }
}

#[test]
fn the_caps_are_documented_values() {
    assert_eq!(MAX_WORD_CHARS, 64);
    assert_eq!(MAX_NAME_CHARS, 1_024);
}

/// An order-of-magnitude bound only: uncapped, one 60 KB word took seconds (its length
/// squared); capped, ten thousand of them take well under a second even in a debug build.
#[test]
fn ten_thousand_sixty_kilobyte_words_screen_in_microseconds_each() {
    let screener = screener();
    let party = named("x".repeat(60 * 1024));
    let started = Instant::now();
    for _ in 0..10_000 {
        assert!(screener.screen(&party).is_empty());
    }
    let elapsed = started.elapsed();
    eprintln!(
        "10,000 names of one 60 KB word: {elapsed:?} ({:?} per name)",
        elapsed / 10_000
    );
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
}

#[test]
fn a_long_word_is_screened_as_its_first_characters() {
    let screener = screener();
    let cut = format!(
        "Ivan Petrovich Sidorov{}",
        "v".repeat(MAX_WORD_CHARS - "Sidorov".len())
    );
    let long = format!("Ivan Petrovich Sidorov{}", "v".repeat(60 * 1024));
    let found = |name: &str| {
        screener
            .screen(&named(name.to_owned()))
            .iter()
            .map(|candidate| (candidate.entry_id.clone(), candidate.score))
            .collect::<Vec<_>>()
    };
    assert!(!found(&cut).is_empty());
    assert_eq!(found(&long), found(&cut));
}
