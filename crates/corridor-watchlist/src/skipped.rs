//! Values a loader could not read. One odd date of birth must never make a sanctions list
//! unusable, nor drop the person it belongs to: the entry is kept without that value, and
//! the value is reported so that the operator can see what was left out and tell the list's
//! publisher.

use crate::error::Problem;
use serde::{Deserialize, Serialize};

/// Skipped values kept in detail per list version; past this only the count grows, so a
/// hostile list full of bad values costs a counter, not memory.
pub const MAX_SKIPPED_DETAILS: usize = 100;

/// Characters of each text kept in a skipped value's detail: enough to recognise any real
/// value, and a bound on what a hostile one costs.
pub const MAX_SKIPPED_TEXT_CHARS: usize = 200;

/// One value left out of an entry that was kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedValue {
    /// The entry's id in its list: the UN's reference number, OFAC's uid, the operator's id.
    pub entry: String,
    /// Where the value stands, named as the list names it (`INDIVIDUAL_DATE_OF_BIRTH/DATE`,
    /// `dateOfBirth`, `countries` ...).
    pub field: String,
    /// The value as the list writes it.
    pub value: String,
    /// Why it could not be read.
    pub reason: String,
}

/// The values skipped while reading one list: all counted, the first
/// [`MAX_SKIPPED_DETAILS`] kept in detail, in the order of the file.
#[derive(Debug, Default)]
pub(crate) struct Skipped {
    count: usize,
    first: Vec<SkippedValue>,
}

impl Skipped {
    /// The log as seen from one entry, which names the entry in every report.
    pub(crate) fn of_entry<'a>(&'a mut self, entry: &'a str) -> EntrySkips<'a> {
        EntrySkips { entry, log: self }
    }

    fn note(&mut self, entry: &str, field: &str, value: &str, problem: &Problem) {
        self.count = self.count.saturating_add(1);
        if self.first.len() < MAX_SKIPPED_DETAILS {
            self.first.push(SkippedValue {
                entry: clipped(entry),
                field: clipped(field),
                value: clipped(value),
                reason: clipped(&problem.to_string()),
            });
        }
    }

    /// How many values were skipped, and the first of them in detail.
    pub(crate) fn into_parts(self) -> (usize, Vec<SkippedValue>) {
        (self.count, self.first)
    }
}

/// The skipped values of one entry, written down against its id.
pub(crate) struct EntrySkips<'a> {
    entry: &'a str,
    log: &'a mut Skipped,
}

impl EntrySkips<'_> {
    /// What was read, or `None` once the value that could not be read is written down.
    pub(crate) fn read<T>(
        &mut self,
        field: &str,
        value: &str,
        read: Result<T, Problem>,
    ) -> Option<T> {
        match read {
            Ok(read) => Some(read),
            Err(problem) => {
                self.skip(field, value, &problem);
                None
            }
        }
    }

    pub(crate) fn skip(&mut self, field: &str, value: &str, problem: &Problem) {
        self.log.note(self.entry, field, value, problem);
    }
}

/// `text`, cut to [`MAX_SKIPPED_TEXT_CHARS`] characters with an ellipsis when longer.
fn clipped(text: &str) -> String {
    match text.char_indices().nth(MAX_SKIPPED_TEXT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_values_are_kept_in_detail_and_all_are_counted() {
        let mut skipped = Skipped::default();
        for n in 0..MAX_SKIPPED_DETAILS + 5 {
            let value = n.to_string();
            let problem = Problem::BadDate(value.clone());
            skipped.of_entry("QDi.901").skip("DATE", &value, &problem);
        }
        let (count, first) = skipped.into_parts();
        assert_eq!(count, MAX_SKIPPED_DETAILS + 5);
        assert_eq!(first.len(), MAX_SKIPPED_DETAILS);
        assert_eq!(first[0].value, "0");
    }

    #[test]
    fn long_texts_are_clipped_on_a_character_boundary() {
        let long = "й".repeat(MAX_SKIPPED_TEXT_CHARS + 1);
        let kept = clipped(&long);
        assert_eq!(kept.chars().count(), MAX_SKIPPED_TEXT_CHARS + 1);
        assert!(kept.ends_with('…'));
        assert_eq!(clipped("1960-13-01"), "1960-13-01");
    }
}
