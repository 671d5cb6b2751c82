//! The name-equivalence dictionary: groups of spellings of one name across scripts
//! (`mohammad, мохаммад, محمد => Q...`), read from text and looked up by normalised word.

use hashbrown::HashTable;
use thiserror::Error;

use crate::rules::name_tokens;

/// Why a dictionary text was refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DictionaryError {
    #[error("line {line}: a group needs its spellings, `=>` and its id")]
    MissingArrow { line: usize },
    #[error("line {line}: `{id}` is not a group id (one word, such as Q123)")]
    BadGroupId { line: usize, id: String },
    #[error("the dictionary is larger than 4 GiB of spellings")]
    TooLarge,
}

/// Spellings of one name across scripts mapped to the groups they belong to. Each spelling is
/// stored once, normalised as screening normalises a name word; groups are numbered densely.
pub struct NameDictionary {
    spellings: String,
    slots: HashTable<Slot>,
    hasher: ahash::RandomState,
    group_lists: Vec<u32>,
    /// The groups' own ids (Wikidata's Q123, or the source's own), one after another.
    group_ids: String,
    group_id_ends: Vec<u32>,
}

#[derive(Clone, Copy)]
struct Slot {
    start: u32,
    len: u32,
    groups_start: u32,
    groups_len: u32,
}

impl std::fmt::Debug for NameDictionary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameDictionary")
            .field("spellings", &self.slots.len())
            .field("groups", &self.group_id_ends.len())
            .finish()
    }
}

impl NameDictionary {
    /// Reads `form1, form2, ... => Q123` lines. Blank lines and lines starting with `#` are
    /// skipped; a spelling that normalises to more than one word is left out, since matching
    /// compares word by word.
    pub fn parse(text: &str) -> Result<NameDictionary, DictionaryError> {
        let mut pairs: Vec<(String, u32)> = Vec::new();
        let mut group_ids = String::new();
        let mut group_id_ends = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (forms, id) = parse_line(line, index + 1)?;
            let group = to_u32(group_id_ends.len())?;
            group_ids.push_str(id);
            group_id_ends.push(to_u32(group_ids.len())?);
            pairs.extend(
                forms
                    .split(',')
                    .filter_map(single_word)
                    .map(|word| (word, group)),
            );
        }
        pairs.sort_unstable();
        pairs.dedup();
        NameDictionary::from_sorted(&pairs, group_ids, group_id_ends)
    }

    fn from_sorted(
        pairs: &[(String, u32)],
        group_ids: String,
        group_id_ends: Vec<u32>,
    ) -> Result<NameDictionary, DictionaryError> {
        let hasher = ahash::RandomState::with_seeds(0x5eed, 0xc0ff, 0x1d0c, 0x7a11);
        let mut dictionary = NameDictionary {
            spellings: String::new(),
            slots: HashTable::with_capacity(pairs.len()),
            hasher,
            group_lists: Vec::with_capacity(pairs.len()),
            group_ids,
            group_id_ends,
        };
        for run in pairs.chunk_by(|a, b| a.0 == b.0) {
            let word = &run[0].0;
            let slot = Slot {
                start: to_u32(dictionary.spellings.len())?,
                len: to_u32(word.len())?,
                groups_start: to_u32(dictionary.group_lists.len())?,
                groups_len: to_u32(run.len())?,
            };
            dictionary.spellings.push_str(word);
            dictionary
                .group_lists
                .extend(run.iter().map(|(_, group)| *group));
            let hash = dictionary.hasher.hash_one(word.as_str());
            let hasher = &dictionary.hasher;
            let spellings = &dictionary.spellings;
            dictionary
                .slots
                .insert_unique(hash, slot, |s| hasher.hash_one(slot_text(spellings, s)));
        }
        Ok(dictionary)
    }

    /// The groups a normalised word belongs to; empty when the dictionary does not know it.
    pub fn groups(&self, word: &str) -> &[u32] {
        let hash = self.hasher.hash_one(word);
        let found = self
            .slots
            .find(hash, |slot| slot_text(&self.spellings, slot) == word);
        let Some(slot) = found else {
            return &[];
        };
        let start = slot.groups_start as usize;
        self.group_lists
            .get(start..start + slot.groups_len as usize)
            .unwrap_or(&[])
    }

    /// The id the dictionary text gave a group (Q123 for a Wikidata item).
    pub fn group_id(&self, group: u32) -> Option<&str> {
        let group = group as usize;
        let end = *self.group_id_ends.get(group)? as usize;
        let start = match group.checked_sub(1) {
            Some(previous) => *self.group_id_ends.get(previous)? as usize,
            None => 0,
        };
        self.group_ids.get(start..end)
    }

    /// How many distinct normalised spellings the dictionary holds.
    pub fn spelling_count(&self) -> usize {
        self.slots.len()
    }

    /// How many groups the dictionary holds.
    pub fn group_count(&self) -> usize {
        self.group_id_ends.len()
    }
}

fn parse_line(line: &str, number: usize) -> Result<(&str, &str), DictionaryError> {
    let (forms, id) = line
        .rsplit_once("=>")
        .ok_or(DictionaryError::MissingArrow { line: number })?;
    let id = id.trim();
    if id.is_empty() || id.contains(|c: char| c.is_whitespace() || c == ',') {
        return Err(DictionaryError::BadGroupId {
            line: number,
            id: id.to_owned(),
        });
    }
    Ok((forms, id))
}

fn single_word(form: &str) -> Option<String> {
    let mut tokens = name_tokens(form);
    if tokens.len() != 1 {
        return None;
    }
    tokens.pop().map(|token| token.text)
}

fn slot_text<'a>(spellings: &'a str, slot: &Slot) -> &'a str {
    let start = slot.start as usize;
    spellings
        .get(start..start + slot.len as usize)
        .unwrap_or("")
}

fn to_u32(value: usize) -> Result<u32, DictionaryError> {
    u32::try_from(value).map_err(|_| DictionaryError::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNIPPET: &str = "\
mohammad, mohammed, muhammad, мухаммед, محمد => Q1
# a comment
hossein, hussein, حسین => Q2

hasan, hassan, حسن => Q3
mohammad hasan, محمد حسن => X4
";

    #[test]
    fn spellings_of_one_group_share_it() {
        let dictionary = NameDictionary::parse(SNIPPET).unwrap();
        assert_eq!(dictionary.groups("mohammed"), dictionary.groups("محمد"));
        assert_eq!(dictionary.groups("мухаммед"), [0]);
        assert_eq!(dictionary.group_id(0), Some("Q1"));
        assert_eq!(dictionary.group_id(3), Some("X4"));
        assert_eq!(dictionary.group_id(4), None);
    }

    #[test]
    fn lookups_use_normalised_words() {
        let dictionary = NameDictionary::parse(SNIPPET).unwrap();
        assert_eq!(dictionary.groups("حسين"), [1]);
    }

    #[test]
    fn multi_word_spellings_are_left_out() {
        let dictionary = NameDictionary::parse(SNIPPET).unwrap();
        assert_eq!(dictionary.group_count(), 4);
        assert_eq!(dictionary.spelling_count(), 11);
    }

    #[test]
    fn unknown_word_has_no_group() {
        let dictionary = NameDictionary::parse(SNIPPET).unwrap();
        assert!(dictionary.groups("zebedee").is_empty());
    }

    #[test]
    fn line_without_arrow_is_refused() {
        assert_eq!(
            NameDictionary::parse("a, b\n").unwrap_err(),
            DictionaryError::MissingArrow { line: 1 }
        );
    }

    #[test]
    fn group_id_of_two_words_is_refused() {
        let error = NameDictionary::parse("a, b => Q1 Q2\n").unwrap_err();
        assert_eq!(
            error,
            DictionaryError::BadGroupId {
                line: 1,
                id: "Q1 Q2".to_owned()
            }
        );
    }
}
