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
    #[error("line {line}: `{id}` is not a group id of the form Q<number>")]
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
    wikidata_ids: Vec<u32>,
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
            .field("groups", &self.wikidata_ids.len())
            .finish()
    }
}

impl NameDictionary {
    /// Reads `form1, form2, ... => Q123` lines. Blank lines and lines starting with `#` are
    /// skipped; a spelling that normalises to more than one word is left out, since matching
    /// compares word by word.
    pub fn parse(text: &str) -> Result<NameDictionary, DictionaryError> {
        let mut pairs: Vec<(String, u32)> = Vec::new();
        let mut wikidata_ids = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (forms, id) = parse_line(line, index + 1)?;
            let group = u32::try_from(wikidata_ids.len()).map_err(|_| DictionaryError::TooLarge)?;
            wikidata_ids.push(id);
            pairs.extend(
                forms
                    .split(',')
                    .filter_map(single_word)
                    .map(|word| (word, group)),
            );
        }
        pairs.sort_unstable();
        pairs.dedup();
        NameDictionary::from_sorted(&pairs, wikidata_ids)
    }

    fn from_sorted(
        pairs: &[(String, u32)],
        wikidata_ids: Vec<u32>,
    ) -> Result<NameDictionary, DictionaryError> {
        let hasher = ahash::RandomState::with_seeds(0x5eed, 0xc0ff, 0x1d0c, 0x7a11);
        let mut dictionary = NameDictionary {
            spellings: String::new(),
            slots: HashTable::with_capacity(pairs.len()),
            hasher,
            group_lists: Vec::with_capacity(pairs.len()),
            wikidata_ids,
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

    /// The Wikidata number (the 123 of Q123) of a group.
    pub fn wikidata_id(&self, group: u32) -> Option<u32> {
        self.wikidata_ids.get(group as usize).copied()
    }

    /// How many distinct normalised spellings the dictionary holds.
    pub fn spelling_count(&self) -> usize {
        self.slots.len()
    }

    /// How many groups the dictionary holds.
    pub fn group_count(&self) -> usize {
        self.wikidata_ids.len()
    }
}

fn parse_line(line: &str, number: usize) -> Result<(&str, u32), DictionaryError> {
    let (forms, id) = line
        .rsplit_once("=>")
        .ok_or(DictionaryError::MissingArrow { line: number })?;
    let id = id.trim();
    let wikidata = id
        .strip_prefix('Q')
        .and_then(|digits| digits.parse::<u32>().ok())
        .ok_or_else(|| DictionaryError::BadGroupId {
            line: number,
            id: id.to_owned(),
        })?;
    Ok((forms, wikidata))
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
mohammad hasan, محمد حسن => Q4
";

    #[test]
    fn spellings_of_one_group_share_it() {
        let dictionary = NameDictionary::parse(SNIPPET).unwrap();
        assert_eq!(dictionary.groups("mohammed"), dictionary.groups("محمد"));
        assert_eq!(dictionary.groups("мухаммед"), [0]);
        assert_eq!(dictionary.wikidata_id(0), Some(1));
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
    fn group_id_without_q_is_refused() {
        let error = NameDictionary::parse("a, b => 12\n").unwrap_err();
        assert_eq!(
            error,
            DictionaryError::BadGroupId {
                line: 1,
                id: "12".to_owned()
            }
        );
    }
}
