//! An operator's own list, kept by hand: CSV with the header
//! `id,kind,name,aliases,dates_of_birth,countries,identifiers` (several values in one field
//! separated by `;`), or a JSON array of objects with the same fields (several values as an
//! array). Kinds are `person` or `organisation`, dates `YYYY`, `YYYY-MM` or `YYYY-MM-DD`,
//! countries ISO 3166 alpha-2 codes. An entry needs its id and its name; a kind, a date or
//! a country that cannot be read is skipped and reported, and the entry kept without it.

use crate::country::alpha2_of_code;
use crate::date;
use crate::entries::{Entries, push_name, push_unique};
use crate::error::{LoadError, Place, Problem};
use crate::skipped::{EntrySkips, Skipped};
use corridor_screening::{ListEntry, NameQuality, PartialDate, PartyKind};
use serde::Deserialize;

const HEADER: [&str; 7] = [
    "id",
    "kind",
    "name",
    "aliases",
    "dates_of_birth",
    "countries",
    "identifiers",
];

/// One entry as the operator writes it, in either format.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct OwnEntry {
    id: String,
    kind: String,
    name: String,
    aliases: Vec<String>,
    dates_of_birth: Vec<String>,
    countries: Vec<String>,
    identifiers: Vec<String>,
}

pub(crate) fn read_csv(bytes: &[u8]) -> Result<Entries, LoadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = reader.headers().map_err(csv_error)?;
    if header.iter().map(str::trim).ne(HEADER) {
        return Err(LoadError::Csv {
            line: 1,
            reason: format!("the header must be {}", HEADER.join(",")),
        });
    }
    let mut entries = Entries::default();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, csv::Position::line);
        let field = |index: usize| record.get(index).unwrap_or_default();
        let many = |index: usize| field(index).split(';').map(str::to_owned).collect();
        let own = OwnEntry {
            id: field(0).to_owned(),
            kind: field(1).to_owned(),
            name: field(2).to_owned(),
            aliases: many(3),
            dates_of_birth: many(4),
            countries: many(5),
            identifiers: many(6),
        };
        let place = || Place::CsvLine(line);
        let entry = entry(own, &mut entries.skipped).map_err(|problem| LoadError::Entry {
            place: place(),
            problem,
        })?;
        entries.push(entry, place)?;
    }
    Ok(entries)
}

fn csv_error(error: csv::Error) -> LoadError {
    LoadError::Csv {
        line: error.position().map_or(0, csv::Position::line),
        reason: error.to_string(),
    }
}

pub(crate) fn read_json(bytes: &[u8]) -> Result<Entries, LoadError> {
    let own: Vec<OwnEntry> = serde_json::from_slice(bytes).map_err(|e| LoadError::Json {
        line: e.line(),
        column: e.column(),
        reason: e.to_string(),
    })?;
    let mut entries = Entries::default();
    for (index, own) in own.into_iter().enumerate() {
        let place = || Place::JsonEntry(index + 1);
        let entry = entry(own, &mut entries.skipped).map_err(|problem| LoadError::Entry {
            place: place(),
            problem,
        })?;
        entries.push(entry, place)?;
    }
    Ok(entries)
}

/// One entry: refused without an id or a name, every other value read as far as it can be.
fn entry(own: OwnEntry, skipped: &mut Skipped) -> Result<ListEntry, Problem> {
    let id = own.id.trim();
    if id.is_empty() {
        return Err(Problem::MissingId);
    }
    if own.name.trim().is_empty() {
        return Err(Problem::MissingName);
    }
    let mut skips = skipped.of_entry(id);
    let kind = party_kind(own.kind.trim(), &mut skips);
    let mut names = Vec::new();
    push_name(&mut names, &own.name, NameQuality::Primary);
    for alias in &own.aliases {
        push_name(&mut names, alias, NameQuality::StrongAlias);
    }
    let dates_of_birth = dates_of_birth(&own.dates_of_birth, &mut skips);
    let mut countries = Vec::new();
    for code in written(&own.countries) {
        let known = alpha2_of_code(code).ok_or_else(|| Problem::UnknownCountry(code.to_owned()));
        if let Some(known) = skips.read("countries", code, known) {
            push_unique(&mut countries, known);
        }
    }
    let mut identifiers = Vec::new();
    for identifier in written(&own.identifiers) {
        push_unique(&mut identifiers, identifier);
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

/// `person` or `organisation`; an entry without a kind, or with one the loader cannot
/// read, is screened as either.
fn party_kind(kind: &str, skips: &mut EntrySkips<'_>) -> PartyKind {
    match kind {
        "person" => PartyKind::Person,
        "organisation" => PartyKind::Organisation,
        "" => PartyKind::Unknown,
        other => {
            skips.skip("kind", other, &Problem::UnknownKind(other.to_owned()));
            PartyKind::Unknown
        }
    }
}

fn dates_of_birth(values: &[String], skips: &mut EntrySkips<'_>) -> Vec<PartialDate> {
    written(values)
        .filter_map(|text| skips.read("dates_of_birth", text, date::iso(text)))
        .collect()
}

/// The values the operator wrote, without surrounding spaces or empty ones.
fn written(values: &[String]) -> impl Iterator<Item = &str> {
    values.iter().map(|v| v.trim()).filter(|v| !v.is_empty())
}
