//! Shorthands the loader tests share for writing the entries they expect.

use corridor_screening::{EntryName, NameQuality, PartialDate};

pub fn name(text: &str, quality: NameQuality) -> EntryName {
    EntryName {
        text: text.to_owned(),
        quality,
    }
}

pub fn date(year: u16, month: Option<u8>, day: Option<u8>) -> PartialDate {
    PartialDate { year, month, day }
}

pub fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

/// Each skipped value of a list as (entry, field, value), in the order of the file.
pub fn skips(list: &corridor_watchlist::Watchlist) -> Vec<(&str, &str, &str)> {
    list.version
        .skipped
        .iter()
        .map(|s| (s.entry.as_str(), s.field.as_str(), s.value.as_str()))
        .collect()
}
