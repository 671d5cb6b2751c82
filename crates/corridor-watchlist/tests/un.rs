//! The UN consolidated list loader against a hand-written file in the UN's format, and the
//! files it must refuse.

mod common;

use common::{date, name, strings};
use corridor_screening::{ListEntry, NameQuality::*, PartyKind};
use corridor_watchlist::{ListFormat, LoadError, Place, Problem, load};

const FIXTURE: &str = include_str!("fixtures/un.xml");

fn load_un(xml: &str) -> Result<corridor_watchlist::Watchlist, LoadError> {
    load(ListFormat::Un, "un", xml.as_bytes(), None)
}

#[test]
fn every_field_of_the_un_list_is_mapped() {
    let list = load_un(FIXTURE).unwrap();
    assert_eq!(list.name, "un");
    assert_eq!(list.version.list, "un");
    assert_eq!(list.version.date, "2025-03-04");
    assert_eq!(list.version.entries, 3);
    assert_eq!(list.version.sha256.len(), 64);
    let expected = vec![
        ListEntry {
            id: "QDi.901".into(),
            kind: PartyKind::Person,
            names: vec![
                name("KARIM HASSAN AL-FARSI", Primary),
                name("كريم حسن الفارسي", OriginalScript),
                name("Abu Karim", StrongAlias),
                name("Karim", WeakAlias),
            ],
            dates_of_birth: vec![date(1961, Some(4), Some(28)), date(1963, None, None)],
            countries: strings(&["IR", "SY", "TR"]),
            identifiers: strings(&["P-4471093", "0215-88-1123"]),
        },
        ListEntry {
            id: "KPi.977".into(),
            kind: PartyKind::Person,
            names: vec![
                name("Igor Petrovich Volkov", Primary),
                name("Игорь Петрович Волков", OriginalScript),
                name("Igor Volkoff", StrongAlias),
            ],
            dates_of_birth: [1966, 1967, 1968].map(|y| date(y, None, None)).into(),
            countries: strings(&["RU"]),
            identifiers: vec![],
        },
        ListEntry {
            id: "KPe.978".into(),
            kind: PartyKind::Organisation,
            names: vec![
                name("KOREA SEA & AIR TRADING CORPORATION", Primary),
                name("조선해공무역회사", OriginalScript),
                name("KSATC", StrongAlias),
                name("Chosun Sea Trading", StrongAlias),
            ],
            dates_of_birth: vec![],
            countries: strings(&["KP", "HK"]),
            identifiers: vec![],
        },
    ];
    assert_eq!(list.entries, expected);
}

#[test]
fn the_same_file_gives_the_same_checksum() {
    let first = load_un(FIXTURE).unwrap();
    let second = load_un(FIXTURE).unwrap();
    let changed = load_un(&FIXTURE.replace("Abu Karim", "Abu Karym")).unwrap();
    assert_eq!(first.version.sha256, second.version.sha256);
    assert_ne!(first.version.sha256, changed.version.sha256);
}

fn entry_problem(xml: &str) -> (Place, Problem) {
    match load_un(xml) {
        Err(LoadError::Entry { place, problem }) => (place, problem),
        other => panic!("expected an entry error, got {other:?}"),
    }
}

#[test]
fn individual_without_a_reference_number_is_refused() {
    let xml = FIXTURE.replace("<REFERENCE_NUMBER>KPi.977</REFERENCE_NUMBER>", "");
    let (place, problem) = entry_problem(&xml);
    assert_eq!(problem, Problem::MissingId);
    assert_eq!(
        place,
        Place::Element {
            name: "INDIVIDUAL".into(),
            line: 71
        }
    );
}

#[test]
fn entity_without_a_name_is_refused() {
    let xml = FIXTURE.replace(
        "<FIRST_NAME>KOREA SEA &amp; AIR TRADING CORPORATION</FIRST_NAME>",
        "<FIRST_NAME> </FIRST_NAME>",
    );
    assert_eq!(entry_problem(&xml).1, Problem::MissingName);
}

#[test]
fn impossible_date_of_birth_is_refused() {
    let xml = FIXTURE.replace("1961-04-28", "1961-02-30");
    assert_eq!(entry_problem(&xml).1, Problem::BadDate("1961-02-30".into()));
}

#[test]
fn year_that_is_not_a_year_is_refused() {
    let xml = FIXTURE.replace("<YEAR>1963</YEAR>", "<YEAR>about 1963</YEAR>");
    assert_eq!(entry_problem(&xml).1, Problem::BadDate("about 1963".into()));
}

#[test]
fn unknown_alias_quality_is_refused() {
    let xml = FIXTURE.replace("<QUALITY>Low</QUALITY>", "<QUALITY>Medium</QUALITY>");
    assert_eq!(
        entry_problem(&xml).1,
        Problem::UnknownAliasQuality("Medium".into())
    );
}

#[test]
fn reference_number_used_twice_is_refused() {
    let xml = FIXTURE.replace("KPi.977", "QDi.901");
    assert_eq!(
        entry_problem(&xml).1,
        Problem::DuplicateId("QDi.901".into())
    );
}

#[test]
fn list_without_its_date_is_refused() {
    let xml = FIXTURE.replace("dateGenerated=\"2025-03-04T00:00:02.417Z\"", "");
    assert!(matches!(
        load_un(&xml),
        Err(LoadError::MissingListDate { .. })
    ));
    let xml = FIXTURE.replace("2025-03-04T00:00:02.417Z", "yesterday");
    assert_eq!(
        load_un(&xml),
        Err(LoadError::BadListDate {
            found: "yesterday".into()
        })
    );
}

#[test]
fn text_that_is_not_xml_is_refused() {
    assert!(matches!(
        load_un("INDIVIDUAL,QDi.901"),
        Err(LoadError::Xml { .. })
    ));
    let cut = &FIXTURE[..FIXTURE.len() / 2];
    assert!(matches!(load_un(cut), Err(LoadError::Xml { .. })));
    let crossed = FIXTURE.replace("</TITLE>", "</TITEL>");
    assert!(matches!(
        load_un(&crossed),
        Err(LoadError::Xml { line: 17, .. })
    ));
}

#[test]
fn ofac_file_is_not_a_un_list() {
    let ofac = include_str!("fixtures/ofac_sdn.xml");
    assert_eq!(
        load_un(ofac),
        Err(LoadError::WrongRoot {
            format: ListFormat::Un,
            expected: "CONSOLIDATED_LIST",
            found: "sdnList".into()
        })
    );
}

#[test]
fn second_root_element_is_refused() {
    let xml = format!("{FIXTURE}<CONSOLIDATED_LIST dateGenerated=\"2025-03-05\"/>");
    assert!(matches!(load_un(&xml), Err(LoadError::Xml { .. })));
}

#[test]
fn empty_list_reads_as_no_entries() {
    let xml = "<CONSOLIDATED_LIST dateGenerated=\"2025-03-04T00:00:00Z\"/>";
    assert_eq!(load_un(xml).unwrap().version.entries, 0);
}

#[test]
fn file_that_is_not_utf8_is_refused() {
    let mut bytes = FIXTURE.as_bytes().to_vec();
    let at = FIXTURE.find("KARIM").unwrap();
    bytes[at] = 0xFF;
    assert_eq!(
        load(ListFormat::Un, "un", &bytes, None),
        Err(LoadError::NotUtf8 { line: 7 })
    );
}

#[test]
fn doctype_is_refused() {
    let xml = FIXTURE.replace(
        "<CONSOLIDATED_LIST ",
        "<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x \"y\">]>\n<CONSOLIDATED_LIST ",
    );
    assert!(matches!(load_un(&xml), Err(LoadError::Xml { .. })));
}
