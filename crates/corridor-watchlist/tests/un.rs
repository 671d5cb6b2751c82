//! The UN consolidated list loader against hand-written files in the UN's format as
//! published now and in November 2020, the values it skips, and the files it must refuse.

mod common;

use common::{date, name, skips, strings};
use corridor_screening::{ListEntry, NameQuality::*, PartyKind};
use corridor_watchlist::{
    ListFormat, LoadError, MAX_SKIPPED_DETAILS, Place, Problem, SkippedValue, load,
};

const FIXTURE: &str = include_str!("fixtures/un.xml");
const FIXTURE_2020: &str = include_str!("fixtures/un_2020.xml");

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
    assert_eq!(list.version.skipped_values, 0);
    assert!(list.version.skipped.is_empty());
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

fn entry<'a>(list: &'a corridor_watchlist::Watchlist, id: &str) -> &'a ListEntry {
    let found = list.entries.iter().find(|e| e.id == id);
    found.unwrap_or_else(|| panic!("no entry {id}"))
}

#[test]
fn dates_written_with_a_time_zone_are_read_as_their_day() {
    let list = load_un(FIXTURE_2020).unwrap();
    assert_eq!(list.version.date, "2020-11-05");
    assert_eq!(list.version.entries, 4);
    assert_eq!(list.version.skipped_values, 0, "{:?}", list.version.skipped);
    assert_eq!(
        entry(&list, "QDi.911").dates_of_birth,
        [date(1960, Some(1), Some(1))]
    );
    assert_eq!(
        entry(&list, "TAi.912").dates_of_birth,
        [date(1958, Some(7), Some(13)), date(1957, None, None)]
    );
    assert_eq!(
        entry(&list, "SOi.913").dates_of_birth,
        [
            date(1971, Some(3), Some(2)),
            date(1969, None, None),
            date(1970, None, None)
        ]
    );
    assert_eq!(entry(&list, "QDe.914").countries, strings(&["SO"]));
}

#[test]
fn every_time_zone_form_of_a_date_or_year_is_read() {
    for (written, expected) in [
        (
            "<DATE>1961-04-28+14:00</DATE>",
            date(1961, Some(4), Some(28)),
        ),
        (
            "<DATE>1961-04-28-00:00</DATE>",
            date(1961, Some(4), Some(28)),
        ),
        ("<DATE>1961-04Z</DATE>", date(1961, Some(4), None)),
        ("<DATE>1961-04-05:00</DATE>", date(1961, Some(4), None)),
        ("<DATE>1961+01:00</DATE>", date(1961, None, None)),
    ] {
        let xml = FIXTURE.replace("<DATE>1961-04-28</DATE>", written);
        let list = load_un(&xml).unwrap();
        assert_eq!(list.version.skipped_values, 0, "{written}");
        assert_eq!(
            entry(&list, "QDi.901").dates_of_birth[0],
            expected,
            "{written}"
        );
    }
    let xml = FIXTURE.replace("<YEAR>1963</YEAR>", "<YEAR>1963-05:00</YEAR>");
    let list = load_un(&xml).unwrap();
    assert_eq!(
        entry(&list, "QDi.901").dates_of_birth[1],
        date(1963, None, None)
    );
}

#[test]
fn an_unreadable_date_of_birth_is_skipped_and_its_entry_kept() {
    let xml = FIXTURE.replace("1961-04-28", "1961-02-30");
    let list = load_un(&xml).unwrap();
    assert_eq!(list.version.entries, 3);
    let karim = entry(&list, "QDi.901");
    assert_eq!(karim.dates_of_birth, [date(1963, None, None)]);
    assert_eq!(karim.countries, strings(&["IR", "SY", "TR"]));
    assert_eq!(list.version.skipped_values, 1);
    assert_eq!(
        list.version.skipped,
        [SkippedValue {
            entry: "QDi.901".into(),
            field: "INDIVIDUAL_DATE_OF_BIRTH/DATE".into(),
            value: "1961-02-30".into(),
            reason: Problem::BadDate("1961-02-30".into()).to_string(),
        }]
    );
    let other = load_un(FIXTURE).unwrap();
    assert_eq!(entry(&list, "KPi.977"), entry(&other, "KPi.977"));
}

#[test]
fn a_year_that_is_not_a_year_is_skipped() {
    let xml = FIXTURE.replace("<YEAR>1963</YEAR>", "<YEAR>about 1963</YEAR>");
    let list = load_un(&xml).unwrap();
    assert_eq!(
        entry(&list, "QDi.901").dates_of_birth,
        [date(1961, Some(4), Some(28))]
    );
    assert_eq!(
        skips(&list),
        [("QDi.901", "INDIVIDUAL_DATE_OF_BIRTH/YEAR", "about 1963")]
    );
}

#[test]
fn a_range_of_years_too_wide_to_tell_anything_is_skipped() {
    let xml = FIXTURE.replace("<FROM_YEAR>1966</FROM_YEAR>", "<FROM_YEAR>1900</FROM_YEAR>");
    let list = load_un(&xml).unwrap();
    assert!(entry(&list, "KPi.977").dates_of_birth.is_empty());
    assert_eq!(
        skips(&list),
        [(
            "KPi.977",
            "INDIVIDUAL_DATE_OF_BIRTH/FROM_YEAR,TO_YEAR",
            "1900 to 1968"
        )]
    );
}

#[test]
fn an_unknown_alias_quality_keeps_the_alias_ungraded() {
    let xml = FIXTURE.replace("<QUALITY>Low</QUALITY>", "<QUALITY>Medium</QUALITY>");
    let list = load_un(&xml).unwrap();
    assert!(
        entry(&list, "QDi.901")
            .names
            .contains(&name("Karim", StrongAlias))
    );
    assert_eq!(
        skips(&list),
        [("QDi.901", "INDIVIDUAL_ALIAS/QUALITY", "Medium")]
    );
}

#[test]
fn a_country_name_the_loader_does_not_know_is_skipped() {
    let xml = FIXTURE.replace("<COUNTRY>Türkiye</COUNTRY>", "<COUNTRY>Atlantis</COUNTRY>");
    let xml = xml.replace(
        "<VALUE>Russian Federation</VALUE>",
        "<VALUE>former Soviet Union</VALUE>",
    );
    let list = load_un(&xml).unwrap();
    assert_eq!(entry(&list, "QDi.901").countries, strings(&["IR", "SY"]));
    assert!(entry(&list, "KPi.977").countries.is_empty());
    assert_eq!(
        skips(&list),
        [
            ("QDi.901", "INDIVIDUAL_ADDRESS/COUNTRY", "Atlantis"),
            ("KPi.977", "NATIONALITY/VALUE", "former Soviet Union"),
        ]
    );
}

/// A list of `count` individuals, each born on a day that does not exist.
fn list_of_bad_dates(count: usize) -> String {
    let mut xml =
        String::from("<CONSOLIDATED_LIST dateGenerated=\"2025-03-04T00:00:00Z\"><INDIVIDUALS>");
    for n in 0..count {
        xml.push_str(&format!(
            "<INDIVIDUAL><FIRST_NAME>PERSON {n}</FIRST_NAME><REFERENCE_NUMBER>QDi.{n}</REFERENCE_NUMBER>\
             <INDIVIDUAL_DATE_OF_BIRTH><DATE>1961-02-30</DATE></INDIVIDUAL_DATE_OF_BIRTH>\
             <INDIVIDUAL_DATE_OF_BIRTH><YEAR>19x{n}</YEAR></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>"
        ));
    }
    xml.push_str("</INDIVIDUALS></CONSOLIDATED_LIST>");
    xml
}

#[test]
fn many_bad_values_are_all_counted_and_the_first_kept_in_detail() {
    let list = load_un(&list_of_bad_dates(300)).unwrap();
    assert_eq!(list.version.entries, 300);
    assert!(list.entries.iter().all(|e| e.dates_of_birth.is_empty()));
    assert_eq!(list.version.skipped_values, 600);
    assert_eq!(list.version.skipped.len(), MAX_SKIPPED_DETAILS);
    let first = &list.version.skipped[..2];
    assert_eq!(
        (first[0].entry.as_str(), first[1].value.as_str()),
        ("QDi.0", "19x0")
    );
    let last = &list.version.skipped[MAX_SKIPPED_DETAILS - 1];
    assert_eq!(last.entry, format!("QDi.{}", MAX_SKIPPED_DETAILS / 2 - 1));
}

#[test]
fn a_hostile_long_value_is_kept_clipped() {
    let long = "9".repeat(1_000_000);
    let xml = FIXTURE.replace("1961-04-28", &long);
    let list = load_un(&xml).unwrap();
    assert_eq!(list.version.skipped_values, 1);
    let kept = &list.version.skipped[0];
    assert!(kept.value.chars().count() <= corridor_watchlist::MAX_SKIPPED_TEXT_CHARS + 1);
    assert!(kept.reason.chars().count() <= corridor_watchlist::MAX_SKIPPED_TEXT_CHARS + 1);
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
