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
