//! A loaded list and its version, the formats a list comes in, and the one entry point that
//! turns a file's bytes into a list.

use crate::error::{LoadError, Place, Problem};
use crate::{date, ofac, own, un};
use corridor_screening::{EntryName, ListEntry, NameQuality};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

/// The file formats a watchlist comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListFormat {
    /// The UN Security Council consolidated list, XML.
    Un,
    /// OFAC's Specially Designated Nationals list, `sdn.xml`.
    Ofac,
    /// An operator's own list: `id,kind,name,aliases,dates_of_birth,countries,identifiers`.
    Csv,
    /// An operator's own list: a JSON array of objects with the CSV's fields.
    Json,
}

impl ListFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ListFormat::Un => "un",
            ListFormat::Ofac => "ofac",
            ListFormat::Csv => "csv",
            ListFormat::Json => "json",
        }
    }
}

impl fmt::Display for ListFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ListFormat {
    type Err = LoadError;

    fn from_str(text: &str) -> Result<Self, LoadError> {
        [
            ListFormat::Un,
            ListFormat::Ofac,
            ListFormat::Csv,
            ListFormat::Json,
        ]
        .into_iter()
        .find(|f| f.as_str() == text)
        .ok_or_else(|| LoadError::UnknownFormat(text.to_owned()))
    }
}

/// Which version of a list is loaded: what an audit of a screening decision needs to say
/// which list it was screened against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListVersion {
    /// The list's name, as in [`Watchlist::name`].
    pub list: String,
    /// The list's own date, `YYYY-MM-DD`: the UN's `dateGenerated`, OFAC's `Publish_Date`,
    /// or the date the operator gave for a list of its own.
    pub date: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    pub entries: usize,
}

/// One list, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watchlist {
    /// "un", "ofac" or the operator's name for a list of its own.
    pub name: String,
    pub version: ListVersion,
    pub entries: Vec<ListEntry>,
}

/// Reads a whole list file. The UN and OFAC files say their own date, and
/// `date_for_own_lists` is not consulted for them; a CSV or JSON list needs it, as
/// `YYYY-MM-DD`. Any malformed entry refuses the whole file, so a list is never half
/// loaded.
pub fn load(
    format: ListFormat,
    name: &str,
    bytes: &[u8],
    date_for_own_lists: Option<&str>,
) -> Result<Watchlist, LoadError> {
    let (date, entries) = match format {
        ListFormat::Un => un::read(bytes)?,
        ListFormat::Ofac => ofac::read(bytes)?,
        ListFormat::Csv => (own_date(format, date_for_own_lists)?, own::read_csv(bytes)?),
        ListFormat::Json => (
            own_date(format, date_for_own_lists)?,
            own::read_json(bytes)?,
        ),
    };
    Ok(Watchlist {
        name: name.to_owned(),
        version: ListVersion {
            list: name.to_owned(),
            date,
            sha256: hex::encode(Sha256::digest(bytes)),
            entries: entries.len(),
        },
        entries,
    })
}

fn own_date(format: ListFormat, given: Option<&str>) -> Result<String, LoadError> {
    let given = given.ok_or(LoadError::MissingListDate {
        format,
        expected: "given by the operator as YYYY-MM-DD",
    })?;
    date::whole_day(given).ok_or_else(|| LoadError::BadListDate {
        found: given.to_owned(),
    })
}

/// A list's entries as they are read: refuses a second entry with an id already seen, since
/// a screening hit names its entry by id.
#[derive(Debug, Default)]
pub(crate) struct Entries {
    entries: Vec<ListEntry>,
    ids: HashSet<String>,
}

impl Entries {
    pub(crate) fn push(
        &mut self,
        entry: ListEntry,
        place: impl FnOnce() -> Place,
    ) -> Result<(), LoadError> {
        if !self.ids.insert(entry.id.clone()) {
            return Err(LoadError::Entry {
                place: place(),
                problem: Problem::DuplicateId(entry.id),
            });
        }
        self.entries.push(entry);
        Ok(())
    }

    pub(crate) fn into_vec(self) -> Vec<ListEntry> {
        self.entries
    }
}

/// Adds a name unless the entry already has that text: lists often repeat the main name
/// among the aliases, and a duplicate would only weigh twice in matching.
pub(crate) fn push_name(names: &mut Vec<EntryName>, text: &str, quality: NameQuality) {
    let text = text.trim();
    if text.is_empty() || names.iter().any(|n| n.text == text) {
        return;
    }
    names.push(EntryName {
        text: text.to_owned(),
        quality,
    });
}

/// Adds a value unless it is empty or already there, keeping the list's order.
pub(crate) fn push_unique(values: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if value.is_empty() || values.iter().any(|v| v == value) {
        return;
    }
    values.push(value.to_owned());
}
