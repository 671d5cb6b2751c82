//! What can be wrong with a watchlist file, said precisely enough for an operator to find
//! the line and fix it.

use crate::format::ListFormat;
use std::fmt;
use thiserror::Error;

/// A birth date range wider than this says nothing a screening can use; such a span in a
/// list is far more likely a typing error than a fact. Kept beside the problem that names it,
/// so the error type needs nothing of the date parser.
pub(crate) const MAX_RANGE_YEARS: u16 = 20;

/// Why a file was refused. A refused file changes nothing: the list it was meant to replace
/// stays as it was.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LoadError {
    #[error("unknown list format {0:?}: expected un, ofac, csv or json")]
    UnknownFormat(String),
    #[error("the file is not UTF-8: an invalid byte on line {line}")]
    NotUtf8 { line: usize },
    #[error("not well-formed XML on line {line}: {reason}")]
    Xml { line: usize, reason: String },
    #[error("the root element is <{found}>, but a {format} list's is <{expected}>")]
    WrongRoot {
        format: ListFormat,
        expected: &'static str,
        found: String,
    },
    #[error("the list's own date {found:?} is not a date of the form YYYY-MM-DD")]
    BadListDate { found: String },
    #[error("the {format} list does not say its own date ({expected})")]
    MissingListDate {
        format: ListFormat,
        expected: &'static str,
    },
    #[error("not well-formed CSV on line {line}: {reason}")]
    Csv { line: u64, reason: String },
    #[error("not a JSON array of entries (line {line}, column {column}): {reason}")]
    Json {
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("{place}: {problem}")]
    Entry { place: Place, problem: Problem },
}

/// Where in a file an entry was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// An XML element and the line it starts on.
    Element { name: String, line: usize },
    /// The line of a CSV record.
    CsvLine(u64),
    /// The position of an object in a JSON array, from 1.
    JsonEntry(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Element { name, line } => write!(f, "<{name}> on line {line}"),
            Place::CsvLine(line) => write!(f, "CSV line {line}"),
            Place::JsonEntry(index) => write!(f, "JSON entry {index}"),
        }
    }
}

/// What is wrong with one entry, or with one of its values.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    #[error("the entry has no id")]
    MissingId,
    #[error("the entry has no name")]
    MissingName,
    #[error("the id {0:?} is already used by an earlier entry")]
    DuplicateId(String),
    #[error("{0:?} is not a date (YYYY, YYYY-MM, YYYY-MM-DD, or as the list writes them)")]
    BadDate(String),
    #[error("the dates {0:?} span more than {max} years", max = MAX_RANGE_YEARS)]
    DateRangeTooWide(String),
    #[error("{0:?} is not a kind of party this list has")]
    UnknownKind(String),
    #[error("{0:?} is not an alias quality this list has")]
    UnknownAliasQuality(String),
    #[error("{0:?} is not an ISO 3166 alpha-2 country code")]
    UnknownCountry(String),
    #[error("{0:?} is not a country name the loader knows")]
    UnknownCountryName(String),
}
