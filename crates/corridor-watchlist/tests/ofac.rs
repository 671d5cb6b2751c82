//! The OFAC SDN loader against a hand-written file in OFAC's format, the values it skips,
//! and the files it must refuse.

mod common;

use common::{date, name, skips, strings};
use corridor_screening::{ListEntry, NameQuality::*, PartyKind};
use corridor_watchlist::{ListFormat, LoadError, Place, Problem, load};

const FIXTURE: &str = include_str!("fixtures/ofac_sdn.xml");

/// The one value of the fixture no loader can read as a country.
const CRIMEA: (&str, &str, &str) = ("990102", "address/country", "Region: Crimea");

fn load_ofac(xml: &str) -> Result<corridor_watchlist::Watchlist, LoadError> {
    load(ListFormat::Ofac, "ofac", xml.as_bytes(), None)
}

#[test]
fn every_field_of_the_sdn_list_is_mapped() {
    let list = load_ofac(FIXTURE).unwrap();
    assert_eq!(list.version.date, "2025-03-04");
    assert_eq!(list.version.entries, 3);
    // A region is no country: left out, and reported.
    assert_eq!(skips(&list), [CRIMEA]);
    let expected = vec![
        ListEntry {
            id: "990101".into(),
            kind: PartyKind::Person,
            names: vec![
                name("Viktor Sergeyevich ORLOV", Primary),
                name("Victor ORLOFF", StrongAlias),
                name("VITYA", WeakAlias),
                name("Виктор Сергеевич ОРЛОВ", StrongAlias),
            ],
            dates_of_birth: vec![
                date(1960, Some(1), Some(12)),
                date(1961, Some(2), None),
                date(1958, None, None),
                date(1970, None, None),
                date(1971, None, None),
            ],
            countries: strings(&["RU", "CY"]),
            identifiers: strings(&["7512345678", "771234567890"]),
        },
        ListEntry {
            id: "990102".into(),
            kind: PartyKind::Organisation,
            names: vec![
                name("BANK OF KISH FOR TRADE & INDUSTRY", Primary),
                name("KISH TRADE BANK", StrongAlias),
            ],
            dates_of_birth: vec![],
            countries: strings(&["IR", "KP"]),
            identifiers: strings(&["BKIDIRTH"]),
        },
        ListEntry {
            id: "990103".into(),
            kind: PartyKind::Organisation,
            names: vec![name("SEA PEARL", Primary)],
            dates_of_birth: vec![],
            countries: vec![],
            identifiers: strings(&["IMO 9123456"]),
        },
    ];
    assert_eq!(list.entries, expected);
}

#[test]
fn entries_are_read_in_any_namespace_the_list_has_had() {
    let older = FIXTURE.replace(
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML",
        "http://tempuri.org/sdnList.xsd",
    );
    assert_eq!(
        load_ofac(&older).unwrap().entries,
        load_ofac(FIXTURE).unwrap().entries
    );
}

#[test]
fn entries_are_read_without_the_namespace() {
    let bare = FIXTURE.replace(
        " xmlns=\"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML\"",
        "",
    );
    assert_eq!(
        load_ofac(&bare).unwrap().entries,
        load_ofac(FIXTURE).unwrap().entries
    );
}

fn entry_problem(xml: &str) -> (Place, Problem) {
    match load_ofac(xml) {
        Err(LoadError::Entry { place, problem }) => (place, problem),
        other => panic!("expected an entry error, got {other:?}"),
    }
}

#[test]
fn entry_without_a_uid_is_refused() {
    let xml = FIXTURE.replace("<uid>990102</uid>", "");
    let (place, problem) = entry_problem(&xml);
    assert_eq!(problem, Problem::MissingId);
    assert_eq!(
        place,
        Place::Element {
            name: "sdnEntry".into(),
            line: 110
        }
    );
}

#[test]
fn entry_without_a_name_is_refused() {
    let xml = FIXTURE.replace("<lastName>SEA PEARL</lastName>", "");
    assert_eq!(entry_problem(&xml).1, Problem::MissingName);
}

fn orlov(list: &corridor_watchlist::Watchlist) -> &ListEntry {
    let found = list.entries.iter().find(|e| e.id == "990101");
    found.expect("the entry 990101")
}

#[test]
fn an_unreadable_date_of_birth_is_skipped_and_its_entry_kept() {
    let xml = FIXTURE.replace("12 Jan 1960", "12 Janvier 1960");
    let list = load_ofac(&xml).unwrap();
    assert_eq!(list.version.entries, 3);
    assert_eq!(
        orlov(&list).dates_of_birth,
        [
            date(1961, Some(2), None),
            date(1958, None, None),
            date(1970, None, None),
            date(1971, None, None),
        ]
    );
    assert_eq!(list.version.skipped_values, 2);
    assert_eq!(
        skips(&list),
        [("990101", "dateOfBirth", "12 Janvier 1960"), CRIMEA]
    );
    assert_eq!(
        list.version.skipped[0].reason,
        Problem::BadDate("12 Janvier 1960".into()).to_string()
    );
}

#[test]
fn every_date_form_of_the_sdn_list_is_read() {
    for (written, expected) in [
        ("1 Jan 1960", vec![date(1960, Some(1), Some(1))]),
        ("circa 12 Jan 1960", vec![date(1960, Some(1), Some(12))]),
        ("circa 1960", vec![date(1960, None, None)]),
        (
            "Mar 1959 to Feb 1960",
            [1959, 1960].map(|y| date(y, None, None)).into(),
        ),
        (
            "01 Mar 1960 to 31 Mar 1960",
            vec![date(1960, Some(3), None)],
        ),
    ] {
        let xml = FIXTURE.replace("12 Jan 1960", written);
        let list = load_ofac(&xml).unwrap();
        assert_eq!(skips(&list), [CRIMEA], "{written}");
        let read = &orlov(&list).dates_of_birth[..expected.len()];
        assert_eq!(read, expected, "{written}");
    }
}

#[test]
fn an_unknown_sdn_type_is_skipped_and_the_entry_screened_as_either_kind() {
    let xml = FIXTURE.replace("<sdnType>Vessel</sdnType>", "<sdnType>Submarine</sdnType>");
    let list = load_ofac(&xml).unwrap();
    let vessel = list.entries.iter().find(|e| e.id == "990103").unwrap();
    assert_eq!(vessel.kind, PartyKind::Unknown);
    assert_eq!(skips(&list), [CRIMEA, ("990103", "sdnType", "Submarine")]);
}

#[test]
fn an_unknown_aka_category_or_country_is_skipped() {
    let xml = FIXTURE.replace("<category>weak</category>", "<category>medium</category>");
    let xml = xml.replace(
        "<country>Cyprus</country>",
        "<country>Region: Atlantis</country>",
    );
    let list = load_ofac(&xml).unwrap();
    assert!(orlov(&list).names.contains(&name("VITYA", StrongAlias)));
    assert_eq!(orlov(&list).countries, strings(&["RU"]));
    assert_eq!(
        skips(&list),
        [
            ("990101", "aka/category", "medium"),
            ("990101", "citizenship/country", "Region: Atlantis"),
            ("990101", "address/country", "Region: Atlantis"),
            CRIMEA,
        ]
    );
}

#[test]
fn list_without_a_publish_date_is_refused() {
    let xml = FIXTURE.replace("<Publish_Date>03/04/2025</Publish_Date>", "");
    assert!(matches!(
        load_ofac(&xml),
        Err(LoadError::MissingListDate { .. })
    ));
    let xml = FIXTURE.replace("03/04/2025", "2025-03-04");
    assert_eq!(
        load_ofac(&xml),
        Err(LoadError::BadListDate {
            found: "2025-03-04".into()
        })
    );
}

#[test]
fn un_file_is_not_an_sdn_list() {
    let un = include_str!("fixtures/un.xml");
    assert!(matches!(
        load_ofac(un),
        Err(LoadError::WrongRoot { found, .. }) if found == "CONSOLIDATED_LIST"
    ));
}

#[test]
fn json_is_not_xml() {
    assert!(matches!(
        load_ofac("[{\"uid\": 1}]"),
        Err(LoadError::Xml { .. })
    ));
    assert!(matches!(load_ofac(""), Err(LoadError::Xml { .. })));
}
