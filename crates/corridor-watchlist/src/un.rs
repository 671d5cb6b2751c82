//! The UN Security Council consolidated list (`CONSOLIDATED_LIST`): each `INDIVIDUAL` and
//! `ENTITY` becomes an entry whose id is its permanent `REFERENCE_NUMBER` (`QDi.001`).

use crate::country::country_of_name;
use crate::date::{self, year_only};
use crate::entries::{Entries, push_name, push_unique};
use crate::error::{LoadError, Problem};
use crate::format::ListFormat;
use crate::skipped::{EntrySkips, Skipped};
use crate::xml::{Element, read_records};
use corridor_screening::{EntryName, ListEntry, NameQuality, PartialDate, PartyKind};

const NAME_PARTS: [&str; 4] = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"];

/// The list's date and its entries.
pub(crate) fn read(bytes: &[u8]) -> Result<(String, Entries), LoadError> {
    let mut entries = Entries::default();
    let root = read_records(
        bytes,
        ListFormat::Un,
        "CONSOLIDATED_LIST",
        &["INDIVIDUAL", "ENTITY"],
        |record| {
            let entry = entry(&record, &mut entries.skipped)?;
            entries.push(entry, || record.place())
        },
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
    Ok((date, entries))
}

/// One entry. Without a reference number or a name there is no entry to keep, and the list
/// is refused; any other value that cannot be read is skipped and the entry kept.
fn entry(record: &Element, skipped: &mut Skipped) -> Result<ListEntry, LoadError> {
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
    let mut skips = skipped.of_entry(id);
    let names = names(record, prefix, &primary.join(" "), &mut skips);
    let dates_of_birth = record
        .children("INDIVIDUAL_DATE_OF_BIRTH")
        .flat_map(|born| birth_dates(born, &mut skips))
        .collect();
    let countries = countries(record, prefix, &mut skips);
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

/// The primary name, the name in original script and the aliases, graded.
fn names(
    record: &Element,
    prefix: &str,
    primary: &str,
    skips: &mut EntrySkips<'_>,
) -> Vec<EntryName> {
    let mut names = Vec::new();
    push_name(&mut names, primary, NameQuality::Primary);
    if let Some(original) = record.text_of("NAME_ORIGINAL_SCRIPT") {
        push_name(&mut names, original, NameQuality::OriginalScript);
    }
    let field = format!("{prefix}_ALIAS/QUALITY");
    for alias in record.children(&format!("{prefix}_ALIAS")) {
        let Some(text) = alias.text_of("ALIAS_NAME") else {
            continue;
        };
        let written = alias.text_of("QUALITY").unwrap_or_default();
        // An alias is a name to screen whatever its grade: one the loader cannot read is
        // kept as an alias without a grade.
        let quality = skips
            .read(&field, written, alias_quality(written))
            .unwrap_or(NameQuality::StrongAlias);
        push_name(&mut names, text, quality);
    }
    names
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
/// them (only a `NOTE`) says nothing to screen on. A `DATE` that cannot be read leaves the
/// years, when the element gives any.
fn birth_dates(born: &Element, skips: &mut EntrySkips<'_>) -> Vec<PartialDate> {
    if let Some(exact) = born.text_of("DATE") {
        let field = "INDIVIDUAL_DATE_OF_BIRTH/DATE";
        if let Some(date) = skips.read(field, exact, date::iso(exact)) {
            return vec![date];
        }
    }
    let mut year = |name: &str| {
        let text = born.text_of(name)?;
        let field = format!("INDIVIDUAL_DATE_OF_BIRTH/{name}");
        skips.read(&field, text, date::xs_year(text))
    };
    match (year("YEAR"), year("FROM_YEAR"), year("TO_YEAR")) {
        (Some(year), _, _) => vec![year_only(year)],
        (None, Some(from), Some(to)) => {
            let text = format!("{from} to {to}");
            let range = date::range(year_only(from), year_only(to), &text);
            let field = "INDIVIDUAL_DATE_OF_BIRTH/FROM_YEAR,TO_YEAR";
            skips.read(field, &text, range).unwrap_or_default()
        }
        (None, Some(only), None) | (None, None, Some(only)) => vec![year_only(only)],
        (None, None, None) => Vec::new(),
    }
}

/// Nationalities and the countries of addresses, as ISO 3166 alpha-2 codes.
fn countries(record: &Element, prefix: &str, skips: &mut EntrySkips<'_>) -> Vec<String> {
    let address = format!("{prefix}_ADDRESS");
    let address_field = format!("{address}/COUNTRY");
    let nationalities = record
        .descend(&["NATIONALITY", "VALUE"])
        .map(|value| ("NATIONALITY/VALUE", value));
    let address_path = [address.as_str(), "COUNTRY"];
    let addresses = record
        .descend(&address_path)
        .map(|country| (address_field.as_str(), country));
    let mut countries = Vec::new();
    for (field, element) in nationalities.chain(addresses) {
        let Some(name) = element.text() else {
            continue;
        };
        if let Some(Some(code)) = skips.read(field, name, country_of_name(name)) {
            push_unique(&mut countries, code);
        }
    }
    countries
}
