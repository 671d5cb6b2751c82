//! A list's entries as a loader reads them: one id once, names and values without repeats,
//! and the values that could not be read.

use crate::error::{LoadError, Place, Problem};
use crate::skipped::Skipped;
use corridor_screening::{EntryName, ListEntry, NameQuality};
use std::collections::HashSet;

/// A list's entries as they are read: refuses a second entry with an id already seen, since
/// a screening hit names its entry by id.
#[derive(Debug, Default)]
pub(crate) struct Entries {
    entries: Vec<ListEntry>,
    ids: HashSet<String>,
    /// Values left out of the entries, each entry kept without them.
    pub(crate) skipped: Skipped,
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

    /// The entries in the order of the file, and the values skipped in them.
    pub(crate) fn finish(self) -> (Vec<ListEntry>, Skipped) {
        (self.entries, self.skipped)
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
