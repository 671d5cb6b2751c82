//! The UN Security Council consolidated list (`CONSOLIDATED_LIST`): each `INDIVIDUAL` and
//! `ENTITY` becomes an entry whose id is its permanent `REFERENCE_NUMBER` (`QDi.001`).

use crate::country::alpha2_of_name;
use crate::date::{self, year_only};
use crate::entries::{Entries, push_name, push_unique};
use crate::error::{LoadError, Problem};
use crate::format::ListFormat;
use crate::xml::{Element, read_records};
use corridor_screening::{ListEntry, NameQuality, PartialDate, PartyKind};

const NAME_PARTS: [&str; 4] = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"];

/// The list's date and its entries.
pub(crate) fn read(bytes: &[u8]) -> Result<(String, Vec<ListEntry>), LoadError> {
    let mut entries = Entries::default();
    let root = read_records(
        bytes,
        ListFormat::Un,
        "CONSOLIDATED_LIST",
        &["INDIVIDUAL", "ENTITY"],
        |record| entries.push(entry(&record)?, || record.place()),
    )?;
    let generated = root
        .attributes
        .iter()
        .find(|(key, _)| key == "dateGenerated")
        .map(|(_, value)| value.as_str())
        .ok_or(LoadError::MissingListDate {
            format: ListFormat::Un,
            expected: "the root's dateGenerated attribute",
        })?;
    // `2024-05-15T00:00:03.012Z`: the day is what names the version.
    let day = generated.get(..10).and_then(date::whole_day);
    let date = day.ok_or_else(|| LoadError::BadListDate {
        found: generated.to_owned(),
    })?;
    Ok((date, entries.into_vec()))
}

fn entry(record: &Element) -> Result<ListEntry, LoadError> {
    let fail = |problem| record.refused(problem);
    let id = record
        .text_of("REFERENCE_NUMBER")
        .ok_or_else(|| fail(Problem::MissingId))?;
    let primary: Vec<&str> = NAME_PARTS
        .iter()
        .filter_map(|p| record.text_of(p))
        .collect();
    if primary.is_empty() {
        return Err(fail(Problem::MissingName));
    }
    let (kind, prefix) = match record.name.as_str() {
        "INDIVIDUAL" => (PartyKind::Person, "INDIVIDUAL"),
        _ => (PartyKind::Organisation, "ENTITY"),
    };
    let mut names = Vec::new();
    push_name(&mut names, &primary.join(" "), NameQuality::Primary);
    if let Some(original) = record.text_of("NAME_ORIGINAL_SCRIPT") {
        push_name(&mut names, original, NameQuality::OriginalScript);
    }
    for alias in record.children(&format!("{prefix}_ALIAS")) {
        let Some(text) = alias.text_of("ALIAS_NAME") else {
            continue;
        };
        let quality = alias_quality(alias.text_of("QUALITY").unwrap_or_default()).map_err(fail)?;
        push_name(&mut names, text, quality);
    }
    let mut dates_of_birth = Vec::new();
    for born in record.children("INDIVIDUAL_DATE_OF_BIRTH") {
        dates_of_birth.extend(birth_dates(born).map_err(fail)?);
    }
    let mut countries = Vec::new();
    let address = format!("{prefix}_ADDRESS");
    let address_countries = [address.as_str(), "COUNTRY"];
    let nationalities = record.descend(&["NATIONALITY", "VALUE"]);
    let addresses = record.descend(&address_countries);
    for name in nationalities.chain(addresses).filter_map(Element::text) {
        if let Some(code) = alpha2_of_name(name) {
            push_unique(&mut countries, code);
        }
    }
    let mut identifiers = Vec::new();
    for number in record
        .descend(&["INDIVIDUAL_DOCUMENT", "NUMBER"])
        .filter_map(Element::text)
    {
        push_unique(&mut identifiers, number);
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

/// "Good" and "Low" grade an individual's aliases; an entity's are "a.k.a." or "f.k.a."
/// (formerly known as), ungraded, and some aliases carry no quality at all.
fn alias_quality(quality: &str) -> Result<NameQuality, Problem> {
    match quality {
        "Good" | "a.k.a." | "f.k.a." | "" => Ok(NameQuality::StrongAlias),
        "Low" => Ok(NameQuality::WeakAlias),
        other => Err(Problem::UnknownAliasQuality(other.to_owned())),
    }
}

/// An exact `DATE`, a `YEAR`, or a `FROM_YEAR`–`TO_YEAR` range; an element with none of
/// them (only a `NOTE`) says nothing to screen on.
fn birth_dates(born: &Element) -> Result<Vec<PartialDate>, Problem> {
    if let Some(exact) = born.text_of("DATE") {
        return Ok(vec![date::iso(exact)?]);
    }
    let year = |name: &str| {
        born.text_of(name)
            .map(|text| date::year(text).ok_or_else(|| Problem::BadDate(text.to_owned())))
            .transpose()
    };
    match (year("YEAR")?, year("FROM_YEAR")?, year("TO_YEAR")?) {
        (Some(year), _, _) => Ok(vec![year_only(year)]),
        (None, Some(from), Some(to)) => {
            date::range(year_only(from), year_only(to), &format!("{from} to {to}"))
        }
        (None, Some(only), None) | (None, None, Some(only)) => Ok(vec![year_only(only)]),
        (None, None, None) => Ok(Vec::new()),
    }
}
