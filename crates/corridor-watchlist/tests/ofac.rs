//! The OFAC SDN loader against a hand-written file in OFAC's format, and the files it must
//! refuse.

mod common;

use common::{date, name, strings};
use corridor_screening::{ListEntry, NameQuality::*, PartyKind};
use corridor_watchlist::{ListFormat, LoadError, Place, Problem, load};

const FIXTURE: &str = include_str!("fixtures/ofac_sdn.xml");

fn load_ofac(xml: &str) -> Result<corridor_watchlist::Watchlist, LoadError> {
    load(ListFormat::Ofac, "ofac", xml.as_bytes(), None)
}

#[test]
fn every_field_of_the_sdn_list_is_mapped() {
    let list = load_ofac(FIXTURE).unwrap();
    assert_eq!(list.version.date, "2025-03-04");
    assert_eq!(list.version.entries, 3);
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

#[test]
fn unreadable_date_of_birth_is_refused() {
    let xml = FIXTURE.replace("12 Jan 1960", "12 Janvier 1960");
    assert_eq!(
        entry_problem(&xml).1,
        Problem::BadDate("12 Janvier 1960".into())
    );
}

#[test]
fn unknown_sdn_type_is_refused() {
    let xml = FIXTURE.replace("<sdnType>Vessel</sdnType>", "<sdnType>Submarine</sdnType>");
    assert_eq!(
        entry_problem(&xml).1,
        Problem::UnknownKind("Submarine".into())
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
