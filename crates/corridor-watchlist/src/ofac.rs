//! OFAC's SDN list (`sdnList`, `sdn.xml`): each `sdnEntry` becomes an entry whose id is its
//! `uid`. OFAC writes names as `lastName` and `firstName`; an entry's name is read in the
//! order people write it, "firstName lastName".

use crate::country::alpha2_of_name;
use crate::date;
use crate::entries::{Entries, push_name, push_unique};
use crate::error::{LoadError, Problem};
use crate::format::ListFormat;
use crate::xml::{Element, read_records};
use corridor_screening::{ListEntry, NameQuality, PartyKind};

/// `idList` also carries facts that are not numbers of a document or register: these id
/// types, and every type written as the start of a statement (ending in `:` or `-`).
const NOT_IDENTIFIERS: [&str; 17] = [
    "Gender",
    "Website",
    "Email Address",
    "Phone Number",
    "Organization Established Date",
    "Target Type",
    "Aircraft Model",
    "Aircraft Operator",
    "Aircraft Manufacture Date",
    "Vessel Year of Build",
    "Former Vessel Flag",
    "Other Vessel Flag",
    "Other Vessel Type",
    "Nationality of Registration",
    "Registration Country",
    "Executive Order 14024 Directive Information",
    "Equity Ticker",
];

/// The list's date and its entries.
pub(crate) fn read(bytes: &[u8]) -> Result<(String, Vec<ListEntry>), LoadError> {
    let mut entries = Entries::default();
    let mut published = None;
    read_records(
        bytes,
        ListFormat::Ofac,
        "sdnList",
        &["publshInformation", "sdnEntry"],
        |record| match record.name.as_str() {
            "sdnEntry" => entries.push(entry(&record)?, || record.place()),
            _ => {
                published = record.text_of("Publish_Date").map(str::to_owned);
                Ok(())
            }
        },
    )?;
    let published = published.ok_or(LoadError::MissingListDate {
        format: ListFormat::Ofac,
        expected: "publshInformation/Publish_Date",
    })?;
    let date = publish_date(&published).ok_or(LoadError::BadListDate { found: published })?;
    Ok((date, entries.into_vec()))
}

/// `MM/DD/YYYY` as `YYYY-MM-DD`.
fn publish_date(text: &str) -> Option<String> {
    let mut parts = text.trim().split('/');
    let (month, day, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    date::whole_day(&format!("{year}-{month}-{day}"))
}

fn entry(record: &Element) -> Result<ListEntry, LoadError> {
    let fail = |problem| record.refused(problem);
    let id = record
        .text_of("uid")
        .ok_or_else(|| fail(Problem::MissingId))?;
    let primary = full_name(record).ok_or_else(|| fail(Problem::MissingName))?;
    let kind = match record.text_of("sdnType") {
        Some("Individual") => PartyKind::Person,
        Some("Entity" | "Vessel" | "Aircraft") => PartyKind::Organisation,
        Some(other) => return Err(fail(Problem::UnknownKind(other.to_owned()))),
        None => PartyKind::Unknown,
    };
    let mut names = Vec::new();
    push_name(&mut names, &primary, NameQuality::Primary);
    for aka in record.descend(&["akaList", "aka"]) {
        let quality = match aka.text_of("category") {
            Some("strong") | None => NameQuality::StrongAlias,
            Some("weak") => NameQuality::WeakAlias,
            Some(other) => return Err(fail(Problem::UnknownAliasQuality(other.to_owned()))),
        };
        if let Some(name) = full_name(aka) {
            push_name(&mut names, &name, quality);
        }
    }
    let mut dates_of_birth = Vec::new();
    let born = record.descend(&["dateOfBirthList", "dateOfBirthItem", "dateOfBirth"]);
    for text in born.filter_map(Element::text) {
        dates_of_birth.extend(date::ofac(text).map_err(fail)?);
    }
    let mut countries = Vec::new();
    let nationalities = record.descend(&["nationalityList", "nationality", "country"]);
    let citizenships = record.descend(&["citizenshipList", "citizenship", "country"]);
    let addresses = record.descend(&["addressList", "address", "country"]);
    let named = nationalities.chain(citizenships).chain(addresses);
    for name in named.filter_map(Element::text) {
        if let Some(code) = alpha2_of_name(name) {
            push_unique(&mut countries, code);
        }
    }
    let mut identifiers = Vec::new();
    for id in record
        .descend(&["idList", "id"])
        .filter(|id| is_identifier(id))
    {
        if let Some(number) = id.text_of("idNumber") {
            push_unique(&mut identifiers, number);
        }
    }
    Ok(ListEntry {
        id: id.to_owned(),
        kind,
        names,
        dates_of_birth,
        countries,
        identifiers,
    })
}

/// "firstName lastName"; entities, vessels and aircraft have only a `lastName`.
fn full_name(element: &Element) -> Option<String> {
    let parts: Vec<&str> = ["firstName", "lastName"]
        .iter()
        .filter_map(|part| element.text_of(part))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn is_identifier(id: &Element) -> bool {
    let kind = id.text_of("idType").unwrap_or_default();
    !(NOT_IDENTIFIERS.contains(&kind) || kind.ends_with(':') || kind.ends_with('-'))
}
