//! A loaded list and its version, the formats a list comes in, and the one entry point that
//! turns a file's bytes into a list.

use crate::error::LoadError;
use crate::format::ListFormat;
use crate::skipped::SkippedValue;
use crate::{date, ofac, own, un};
use corridor_screening::ListEntry;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::str::FromStr;

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
    /// How many values of entries could not be read and were left out, each entry kept
    /// without them: what this version holds less than the file says.
    #[serde(default)]
    pub skipped_values: usize,
    /// The first of them (at most [`crate::MAX_SKIPPED_DETAILS`]), in the order of the file.
    #[serde(default)]
    pub skipped: Vec<SkippedValue>,
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
/// `YYYY-MM-DD`. A value that cannot be read (a date of birth, a country, a kind) is
/// skipped and counted in the version, its entry kept without it: one odd value must not
/// make a sanctions list unusable. A file that is not a list of the format, or an entry
/// without an id or a name, or two entries with one id, refuse the whole file, so a list
/// is never half loaded.
pub fn load(
    format: ListFormat,
    name: &str,
    bytes: &[u8],
    date_for_own_lists: Option<&str>,
) -> Result<Watchlist, LoadError> {
    let (date, read) = match format {
        ListFormat::Un => un::read(bytes)?,
        ListFormat::Ofac => ofac::read(bytes)?,
        ListFormat::Csv => (own_date(format, date_for_own_lists)?, own::read_csv(bytes)?),
        ListFormat::Json => (
            own_date(format, date_for_own_lists)?,
            own::read_json(bytes)?,
        ),
    };
    let (entries, skipped) = read.finish();
    let (skipped_values, skipped) = skipped.into_parts();
    Ok(Watchlist {
        name: name.to_owned(),
        version: ListVersion {
            list: name.to_owned(),
            date,
            sha256: hex::encode(Sha256::digest(bytes)),
            entries: entries.len(),
            skipped_values,
            skipped,
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

/// A format by the name `as_str` gives it (`un`, `ofac`, `csv`, `json`), as the CLI and the API
/// take it; here rather than beside the type so that the error type can name a format.
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
