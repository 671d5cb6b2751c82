//! A loaded list and its version, the formats a list comes in, and the one entry point that
//! turns a file's bytes into a list.

use crate::error::LoadError;
use crate::format::ListFormat;
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
