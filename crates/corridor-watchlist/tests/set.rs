//! The set of lists a screening runs against: a new version replaces a list whole, and the
//! set reports every list's version.

use corridor_watchlist::{ListFormat, Watchlist, WatchlistSet, load};

fn own_list(name: &str, date: &str, rows: &str) -> Watchlist {
    let csv = format!("id,kind,name,aliases,dates_of_birth,countries,identifiers\n{rows}");
    load(ListFormat::Csv, name, csv.as_bytes(), Some(date)).unwrap()
}

#[test]
fn replacing_a_list_swaps_all_its_entries_and_returns_the_old_version() {
    let mut set = WatchlistSet::new();
    let first = own_list(
        "bank-own",
        "2025-01-01",
        "A,person,Ali,,,,\nB,person,Reza,,,,\n",
    );
    let first_version = first.version.clone();
    assert_eq!(set.replace(first), None);
    let un = load(
        ListFormat::Un,
        "un",
        include_bytes!("fixtures/un.xml"),
        None,
    )
    .unwrap();
    set.replace(un);
    let before = set.clone();

    let second = own_list("bank-own", "2025-02-01", "C,organisation,Sea Pearl,,,,\n");
    assert_eq!(set.replace(second), Some(first_version));

    let own: Vec<&str> = set
        .entries()
        .filter(|(list, _)| *list == "bank-own")
        .map(|(_, entry)| entry.id.as_str())
        .collect();
    assert_eq!(own, ["C"]);
    assert_eq!(set.entry_count(), 4);
    // A reader that kept the set from before still sees the old list whole.
    let old: Vec<&str> = before
        .entries()
        .filter(|(list, _)| *list == "bank-own")
        .map(|(_, entry)| entry.id.as_str())
        .collect();
    assert_eq!(old, ["A", "B"]);
}

#[test]
fn versions_name_every_list_in_order() {
    let mut set = WatchlistSet::new();
    set.replace(own_list("zeta", "2025-01-01", "A,person,Ali,,,,\n"));
    set.replace(own_list(
        "alpha",
        "2025-01-02",
        "A,person,Ali,,,,\nB,person,Reza,,,,\n",
    ));
    let versions: Vec<(&str, &str, usize)> = set
        .versions()
        .iter()
        .map(|v| (v.list.as_str(), v.date.as_str(), v.entries))
        .collect();
    assert_eq!(
        versions,
        [("alpha", "2025-01-02", 2), ("zeta", "2025-01-01", 1)]
    );
    assert_eq!(set.remove("zeta").map(|v| v.entries), Some(1));
    assert!(set.get("zeta").is_none());
    assert_eq!(set.get("alpha").map(|l| l.entries.len()), Some(2));
}

#[test]
fn a_refused_file_leaves_the_set_as_it_was() {
    let mut set = WatchlistSet::new();
    set.replace(own_list("bank-own", "2025-01-01", "A,person,Ali,,,,\n"));
    let broken = "id,kind,name,aliases,dates_of_birth,countries,identifiers\nB,person,,,,,\n";
    let loaded = load(
        ListFormat::Csv,
        "bank-own",
        broken.as_bytes(),
        Some("2025-02-01"),
    );
    assert!(loaded.is_err());
    if let Ok(list) = loaded {
        set.replace(list);
    }
    assert_eq!(set.versions()[0].date, "2025-01-01");
    assert_eq!(set.entry_count(), 1);
}
