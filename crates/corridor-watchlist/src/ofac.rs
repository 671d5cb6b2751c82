//! OFAC's SDN list (`sdnList`, `sdn.xml`): each `sdnEntry` becomes an entry whose id is its
//! `uid`. OFAC writes names as `lastName` and `firstName`; an entry's name is read in the
//! order people write it, "firstName lastName".

use crate::country::country_of_name;
use crate::date;
use crate::entries::{Entries, push_name, push_unique};
use crate::error::{LoadError, Problem};
use crate::format::ListFormat;
use crate::skipped::{EntrySkips, Skipped};
use crate::xml::{Element, read_records};
use corridor_screening::{EntryName, ListEntry, NameQuality, PartyKind};

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
pub(crate) fn read(bytes: &[u8]) -> Result<(String, Entries), LoadError> {
    let mut entries = Entries::default();
    let mut published = None;
    read_records(
        bytes,
        ListFormat::Ofac,
        "sdnList",
        &["publshInformation", "sdnEntry"],
        |record| match record.name.as_str() {
            "sdnEntry" => {
                let entry = entry(&record, &mut entries.skipped)?;
                entries.push(entry, || record.place())
            }
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
    Ok((date, entries))
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

/// One entry. Without a uid or a name there is no entry to keep, and the list is refused;
/// any other value that cannot be read is skipped and the entry kept.
fn entry(record: &Element, skipped: &mut Skipped) -> Result<ListEntry, LoadError> {
    let fail = |problem| record.refused(problem);
    let id = record
        .text_of("uid")
        .ok_or_else(|| fail(Problem::MissingId))?;
    let primary = full_name(record).ok_or_else(|| fail(Problem::MissingName))?;
    let mut skips = skipped.of_entry(id);
    let kind = match record.text_of("sdnType") {
        // A kind the loader cannot read is screened as either, as when the list says none.
        Some(written) => skips
            .read("sdnType", written, party_kind(written))
            .unwrap_or(PartyKind::Unknown),
        None => PartyKind::Unknown,
    };
    let names = names(record, &primary, &mut skips);
    let mut dates_of_birth = Vec::new();
    let born = record.descend(&["dateOfBirthList", "dateOfBirthItem", "dateOfBirth"]);
    for text in born.filter_map(Element::text) {
        if let Some(dates) = skips.read("dateOfBirth", text, date::ofac(text)) {
            dates_of_birth.extend(dates);
        }
    }
    let countries = countries(record, &mut skips);
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

fn party_kind(sdn_type: &str) -> Result<PartyKind, Problem> {
    match sdn_type {
        "Individual" => Ok(PartyKind::Person),
        "Entity" | "Vessel" | "Aircraft" => Ok(PartyKind::Organisation),
        other => Err(Problem::UnknownKind(other.to_owned())),
    }
}

/// The primary name and the AKAs, graded; an AKA whose grade cannot be read is kept as a
/// strong one, as when the list gives none.
fn names(record: &Element, primary: &str, skips: &mut EntrySkips<'_>) -> Vec<EntryName> {
    let mut names = Vec::new();
    push_name(&mut names, primary, NameQuality::Primary);
    for aka in record.descend(&["akaList", "aka"]) {
        let quality = match aka.text_of("category") {
            Some("strong") | None => NameQuality::StrongAlias,
            Some("weak") => NameQuality::WeakAlias,
            Some(other) => {
                let problem = Problem::UnknownAliasQuality(other.to_owned());
                skips.skip("aka/category", other, &problem);
                NameQuality::StrongAlias
            }
        };
        if let Some(name) = full_name(aka) {
            push_name(&mut names, &name, quality);
        }
    }
    names
}

/// Nationalities, citizenships and the countries of addresses, as ISO 3166 alpha-2 codes.
fn countries(record: &Element, skips: &mut EntrySkips<'_>) -> Vec<String> {
    const PLACES: [[&str; 3]; 3] = [
        ["nationalityList", "nationality", "country"],
        ["citizenshipList", "citizenship", "country"],
        ["addressList", "address", "country"],
    ];
    let mut countries = Vec::new();
    for path in &PLACES {
        let field = format!("{}/{}", path[1], path[2]);
        for name in record.descend(path).filter_map(Element::text) {
            if let Some(Some(code)) = skips.read(&field, name, country_of_name(name)) {
                push_unique(&mut countries, code);
            }
        }
    }
    countries
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
