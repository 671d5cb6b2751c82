//! An operator's own list in CSV and in JSON: both read the same entries, both skip the
//! same unreadable values, and both refuse the same mistakes, saying where.

mod common;

use common::{date, name, skips, strings};
use corridor_screening::{ListEntry, NameQuality::*, PartyKind};
use corridor_watchlist::{ListFormat, LoadError, Place, Problem, Watchlist, load};

const CSV: &str = include_str!("fixtures/own.csv");
const JSON: &str = include_str!("fixtures/own.json");
const HEADER: &str = "id,kind,name,aliases,dates_of_birth,countries,identifiers\n";

fn load_csv(text: &str) -> Result<Watchlist, LoadError> {
    load(
        ListFormat::Csv,
        "bank-own",
        text.as_bytes(),
        Some("2025-03-01"),
    )
}

fn load_json(text: &str) -> Result<Watchlist, LoadError> {
    load(
        ListFormat::Json,
        "bank-own",
        text.as_bytes(),
        Some("2025-03-01"),
    )
}

fn expected() -> Vec<ListEntry> {
    vec![
        ListEntry {
            id: "OWN-1".into(),
            kind: PartyKind::Person,
            names: vec![
                name("Marta Kowalczyk", Primary),
                name("Marta Kowalczyk-Nowak", StrongAlias),
                name("Марта Ковальчик", StrongAlias),
            ],
            dates_of_birth: vec![date(1975, Some(3), None), date(1976, None, None)],
            countries: strings(&["PL", "UA"]),
            identifiers: strings(&["AB1234567"]),
        },
        ListEntry {
            id: "OWN-2".into(),
            kind: PartyKind::Organisation,
            names: vec![
                name("Northern Lights Trading, Ltd.", Primary),
                name("NLT Ltd", StrongAlias),
            ],
            dates_of_birth: vec![],
            countries: strings(&["GB"]),
            identifiers: strings(&["12345678", "NLTRGB2L"]),
        },
        ListEntry {
            id: "OWN-3".into(),
            kind: PartyKind::Person,
            names: vec![name("Ali Rezaei", Primary)],
            dates_of_birth: vec![date(1980, Some(11), Some(2))],
            countries: vec![],
            identifiers: vec![],
        },
    ]
}

#[test]
fn every_field_of_a_csv_list_is_mapped() {
    let list = load_csv(CSV).unwrap();
    assert_eq!(list.name, "bank-own");
    assert_eq!(list.version.date, "2025-03-01");
    assert_eq!(list.version.entries, 3);
    assert_eq!(list.entries, expected());
}

#[test]
fn every_field_of_a_json_list_is_mapped() {
    let list = load_json(JSON).unwrap();
    assert_eq!(list.version.date, "2025-03-01");
    assert_eq!(list.entries, expected());
}

#[test]
fn own_list_without_a_date_is_refused() {
    for format in [ListFormat::Csv, ListFormat::Json] {
        assert!(matches!(
            load(format, "bank-own", CSV.as_bytes(), None),
            Err(LoadError::MissingListDate { .. })
        ));
        assert_eq!(
            load(format, "bank-own", CSV.as_bytes(), Some("01/03/2025")),
            Err(LoadError::BadListDate {
                found: "01/03/2025".into()
            })
        );
    }
}

fn csv_problem(rows: &str) -> (Place, Problem) {
    match load_csv(&format!("{HEADER}{rows}")) {
        Err(LoadError::Entry { place, problem }) => (place, problem),
        other => panic!("expected an entry error, got {other:?}"),
    }
}

#[test]
fn csv_row_without_an_id_is_refused_with_its_line() {
    let rows = "OWN-1,person,Marta Kowalczyk,,,,\n,person,Ali Rezaei,,,,\n";
    assert_eq!(csv_problem(rows), (Place::CsvLine(3), Problem::MissingId));
}

#[test]
fn csv_row_without_a_name_is_refused() {
    assert_eq!(csv_problem("OWN-1,person, ,,,,\n").1, Problem::MissingName);
}

#[test]
fn csv_bad_date_kind_or_country_is_skipped_and_the_entry_kept() {
    let rows = "OWN-1,vessel,Ali,,1980-02-30;1980-03Z,Iran;IR,\nOWN-2,person,Reza,,,,\n";
    let list = load_csv(&format!("{HEADER}{rows}")).unwrap();
    assert_eq!(list.version.entries, 2);
    let ali = &list.entries[0];
    assert_eq!(ali.kind, PartyKind::Unknown);
    assert_eq!(ali.dates_of_birth, [date(1980, Some(3), None)]);
    assert_eq!(ali.countries, strings(&["IR"]));
    assert_eq!(list.version.skipped_values, 3);
    assert_eq!(
        skips(&list),
        [
            ("OWN-1", "kind", "vessel"),
            ("OWN-1", "dates_of_birth", "1980-02-30"),
            ("OWN-1", "countries", "Iran"),
        ]
    );
    assert_eq!(
        list.version.skipped[2].reason,
        Problem::UnknownCountry("Iran".into()).to_string()
    );
}

#[test]
fn csv_row_without_a_kind_is_screened_as_either() {
    let list = load_csv(&format!("{HEADER}OWN-1,,Ali,,,,\n")).unwrap();
    assert_eq!(list.entries[0].kind, PartyKind::Unknown);
    assert_eq!(list.version.skipped_values, 0);
}

#[test]
fn csv_id_used_twice_is_refused() {
    let rows = "OWN-1,person,Ali,,,,\nOWN-1,person,Ali Reza,,,,\n";
    assert_eq!(
        csv_problem(rows),
        (Place::CsvLine(3), Problem::DuplicateId("OWN-1".into()))
    );
}

#[test]
fn csv_with_another_header_is_refused() {
    assert!(matches!(
        load_csv("uid,type,name\n1,person,Ali\n"),
        Err(LoadError::Csv { line: 1, .. })
    ));
}

#[test]
fn csv_row_with_missing_fields_is_refused() {
    assert!(matches!(
        load_csv(&format!("{HEADER}OWN-1,person\n")),
        Err(LoadError::Csv { line: 2, .. })
    ));
}

fn json_problem(text: &str) -> (Place, Problem) {
    match load_json(text) {
        Err(LoadError::Entry { place, problem }) => (place, problem),
        other => panic!("expected an entry error, got {other:?}"),
    }
}

#[test]
fn json_entry_without_an_id_or_name_is_refused_with_its_position() {
    let text =
        r#"[{"id": "A", "kind": "person", "name": "Ali"}, {"kind": "person", "name": "Reza"}]"#;
    assert_eq!(
        json_problem(text),
        (Place::JsonEntry(2), Problem::MissingId)
    );
    let text = r#"[{"id": "A", "kind": "person"}]"#;
    assert_eq!(
        json_problem(text),
        (Place::JsonEntry(1), Problem::MissingName)
    );
}

#[test]
fn json_bad_date_is_skipped_and_the_entry_kept() {
    let text =
        r#"[{"id": "A", "kind": "person", "name": "Ali", "dates_of_birth": ["1980-13", "1981"]}]"#;
    let list = load_json(text).unwrap();
    assert_eq!(list.entries[0].dates_of_birth, [date(1981, None, None)]);
    assert_eq!(skips(&list), [("A", "dates_of_birth", "1980-13")]);
}

#[test]
fn json_that_is_not_an_array_of_entries_is_refused() {
    for text in [
        "{\"id\": \"A\"}",
        "[{\"id\": \"A\", \"nickname\": \"x\"}]",
        "not json",
        "",
    ] {
        assert!(
            matches!(load_json(text), Err(LoadError::Json { .. })),
            "{text}"
        );
    }
}

#[test]
fn format_names_parse() {
    let parsed: Vec<ListFormat> = ["un", "ofac", "csv", "json"]
        .iter()
        .map(|f| f.parse().unwrap())
        .collect();
    assert_eq!(
        parsed,
        [
            ListFormat::Un,
            ListFormat::Ofac,
            ListFormat::Csv,
            ListFormat::Json
        ]
    );
    assert_eq!(
        "xml".parse::<ListFormat>(),
        Err(LoadError::UnknownFormat("xml".into()))
    );
}
