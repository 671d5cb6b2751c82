//! The screener: list entries indexed by the keys of their name words, and a screening that
//! looks up only the entries sharing a key with the party's name, scores each name word by
//! word, weighs date of birth, country, identifiers and kind, and explains the result.

use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use ahash::AHashMap;
use smallvec::SmallVec;

use crate::candidate::{Candidate, SecondaryEvidence, Threshold, TokenMatch};
use crate::dictionary::NameDictionary;
use crate::entry::{ListEntry, NameQuality, PartialDate, Party, PartyKind};
use crate::word::{Word, WordMatch, words_of};

/// The name of the list an entry comes from ("un", "ofac-sdn", an operator's own list).
pub type ListRef = String;

/// Candidates are returned from this far below the threshold, for an analyst's review.
const REVIEW_MARGIN: u16 = 150;

/// An index of list entries to screen parties against. Built once per list version; screening
/// takes `&self` and can run on many threads at once.
pub struct Screener {
    lists: Vec<Box<str>>,
    entries: Vec<(u16, ListEntry)>,
    names: Vec<IndexedName>,
    /// Each name's word count, apart from the names: the candidate search reads it for
    /// hundreds of names per screening, and a small array stays in cache.
    word_counts: Vec<u8>,
    postings: AHashMap<u64, Vec<u32>>,
    dictionary: Option<Arc<NameDictionary>>,
    threshold: Threshold,
}

struct IndexedName {
    entry: u32,
    /// The position of the name within its entry.
    name: u16,
    quality: NameQuality,
    words: Vec<Word>,
}

impl std::fmt::Debug for Screener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screener")
            .field("entries", &self.entries.len())
            .field("names", &self.names.len())
            .field("keys", &self.postings.len())
            .field("dictionary", &self.dictionary)
            .field("threshold", &self.threshold)
            .finish()
    }
}

thread_local! {
    /// Per name id, the query words that share a key with it; reset after every screening.
    static SHARED_KEYS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

impl Screener {
    /// Indexes every name of every entry. Names that normalise to no word are not indexed;
    /// an entry without any indexed name is never a candidate.
    pub fn build(
        entries: impl IntoIterator<Item = (ListRef, ListEntry)>,
        dictionary: Option<Arc<NameDictionary>>,
    ) -> Screener {
        let mut screener = Screener {
            lists: Vec::new(),
            entries: Vec::new(),
            names: Vec::new(),
            word_counts: Vec::new(),
            postings: AHashMap::new(),
            dictionary,
            threshold: Threshold::DEFAULT,
        };
        let mut keys = Vec::new();
        for (list, entry) in entries {
            let list = screener.list_index(&list);
            let Ok(entry_index) = u32::try_from(screener.entries.len()) else {
                break;
            };
            for (position, name) in entry.names.iter().enumerate() {
                let words = words_of(&name.text, screener.dictionary.as_deref());
                let (Ok(name_id), Ok(position)) =
                    (u32::try_from(screener.names.len()), u16::try_from(position))
                else {
                    break;
                };
                if words.is_empty() {
                    continue;
                }
                keys.clear();
                words.iter().for_each(|word| word.index_keys(&mut keys));
                keys.sort_unstable();
                keys.dedup();
                for key in &keys {
                    screener.postings.entry(*key).or_default().push(name_id);
                }
                screener
                    .word_counts
                    .push(u8::try_from(words.len()).unwrap_or(u8::MAX));
                screener.names.push(IndexedName {
                    entry: entry_index,
                    name: position,
                    quality: name.quality,
                    words,
                });
            }
            screener.entries.push((list, entry));
        }
        screener
    }

    /// The same index with another hit threshold; it also bounds what a weak alias alone and
    /// an exact name with contrary secondary data can score.
    pub fn with_threshold(mut self, threshold: Threshold) -> Screener {
        self.threshold = threshold;
        self
    }

    pub fn threshold(&self) -> Threshold {
        self.threshold
    }

    /// Whether a name dictionary was given: without it, screening relies on transliteration,
    /// skeletons and edit distance alone.
    pub fn has_dictionary(&self) -> bool {
        self.dictionary.is_some()
    }

    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    fn list_index(&mut self, list: &str) -> u16 {
        if let Some(index) = self.lists.iter().position(|known| **known == *list) {
            return u16::try_from(index).unwrap_or(u16::MAX);
        }
        self.lists.push(list.into());
        u16::try_from(self.lists.len() - 1).unwrap_or(u16::MAX)
    }

    /// The entries that may be this party, best first (ties by list and id), each with its
    /// best-matching name. Returns hits and, below them, near misses down to
    /// `REVIEW_MARGIN` under the threshold.
    pub fn screen(&self, party: &Party) -> Vec<Candidate> {
        let query = words_of(&party.name, self.dictionary.as_deref());
        if query.is_empty() {
            return Vec::new();
        }
        // Per entry, its best name's score and id; only the few above the floor are then
        // scored again with their explanation.
        let mut best: AHashMap<u32, (u16, u32)> = AHashMap::new();
        for name_id in self.names_sharing_keys(&query) {
            let Some(name) = self.names.get(name_id as usize) else {
                continue;
            };
            let Some(scored) = self.score(party, &query, name) else {
                continue;
            };
            match best.entry(name.entry) {
                Entry::Occupied(mut kept) if scored.score > kept.get().0 => {
                    kept.insert((scored.score, name_id));
                }
                Entry::Occupied(_) => {}
                Entry::Vacant(slot) => {
                    slot.insert((scored.score, name_id));
                }
            }
        }
        let floor = self.threshold.per_mille().saturating_sub(REVIEW_MARGIN);
        let mut candidates: Vec<Candidate> = best
            .into_values()
            .filter(|(score, _)| *score >= floor)
            .filter_map(|(_, name_id)| self.candidate(party, &query, name_id))
            .collect();
        candidates.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| a.list.cmp(&b.list))
                .then_with(|| a.entry_id.cmp(&b.entry_id))
        });
        candidates
    }

    /// Names that share a key with enough query words to be worth scoring: two words, or all
    /// of them when the query or the name has fewer, at least all but one through a reading
    /// rather than a slip of the pen. A word is looked up as a slip of the pen (its skeleton
    /// with a consonant left out) only when none of its own readings is indexed: a spelling
    /// some listed name has is taken as meant, and the short skeletons its deletions give
    /// would touch thousands of names for nothing.
    fn names_sharing_keys(&self, query: &[Word]) -> Vec<u32> {
        SHARED_KEYS.with_borrow_mut(|shared| {
            if shared.len() < self.names.len() {
                shared.resize(self.names.len(), 0);
            }
            let mut touched = Vec::new();
            let mut keys = Vec::new();
            for (position, word) in query.iter().enumerate() {
                keys.clear();
                word.reading_keys(&mut keys);
                let readings = keys.len();
                if !keys.iter().any(|key| self.postings.contains_key(key)) {
                    word.deletion_keys(&mut keys);
                }
                for (index, key) in keys.iter().enumerate() {
                    // Readings set the low half of the bits, deletions the high half.
                    let bit = if index < readings {
                        1u64 << position
                    } else {
                        1u64 << (position + 32)
                    };
                    for name_id in self.postings.get(key).into_iter().flatten() {
                        let Some(bits) = shared.get_mut(*name_id as usize) else {
                            continue;
                        };
                        if *bits == 0 {
                            touched.push(*name_id);
                        }
                        *bits |= bit;
                    }
                }
            }
            let mut worth = Vec::with_capacity(touched.len());
            for name_id in touched {
                let Some(bits) = shared.get_mut(name_id as usize) else {
                    continue;
                };
                let name_words = self
                    .word_counts
                    .get(name_id as usize)
                    .map_or(0, |count| usize::from(*count));
                let reading = *bits as u32;
                let any = reading | (*bits >> 32) as u32;
                // At most one word may be found through a slip of the pen alone.
                let two_words = query.len() >= 2 && name_words >= 2;
                if !two_words || (reading != 0 && has_two_bits(any)) {
                    worth.push(name_id);
                }
                *bits = 0;
            }
            worth
        })
    }

    fn score(&self, party: &Party, query: &[Word], name: &IndexedName) -> Option<Scored> {
        let matched = match_words(query, &name.words);
        let name_score = name_score(query, &name.words, &matched);
        let threshold = i32::from(self.threshold.per_mille());
        let mut score = i32::from(name_score);
        if name.quality == NameQuality::WeakAlias {
            score = score.min(threshold - 1);
        }
        // A party given by its name alone leaves the entry itself unread: most names scored
        // are not hits, and their entries are not in the cache.
        let (evidence, kind) = if party.has_secondary_data() {
            let (_, entry) = self.entries.get(name.entry as usize)?;
            secondary_evidence(party, entry)
        } else {
            (Vec::new(), None)
        };
        score += evidence.iter().map(SecondaryEvidence::effect).sum::<i32>();
        if name_score == 1000 && name.quality != NameQuality::WeakAlias {
            score = score.max(threshold);
        }
        let mut secondary = evidence;
        if let Some(kind) = kind {
            score += kind.effect();
            secondary.push(kind);
        }
        let score = u16::try_from(score.clamp(0, 1000)).unwrap_or(0);
        Some(Scored {
            score,
            matched,
            secondary,
        })
    }

    fn candidate(&self, party: &Party, query: &[Word], name_id: u32) -> Option<Candidate> {
        let name = self.names.get(name_id as usize)?;
        let scored = self.score(party, query, name)?;
        let (list, entry) = self.entries.get(name.entry as usize)?;
        let entry_name = entry.names.get(usize::from(name.name))?;
        Some(Candidate {
            list: self.lists.get(usize::from(*list))?.to_string(),
            entry_id: entry.id.clone(),
            entry_name: entry_name.text.clone(),
            name_quality: name.quality,
            score: scored.score,
            explanation: explanation(query, &name.words, &scored.matched),
            secondary: scored.secondary,
        })
    }
}

#[derive(Clone, Debug)]
struct Scored {
    score: u16,
    matched: Pairs,
    secondary: Vec<SecondaryEvidence>,
}

/// The word pairs of one name: a name rarely has more than eight words.
type Pairs = SmallVec<[Pair; 8]>;

/// A query word (by position), the entry word it matched, and how. Positions are below
/// `MAX_WORDS`; a byte keeps the pairs of a name small to sort and to move.
#[derive(Clone, Copy, Debug)]
struct Pair {
    query: u8,
    entry: u8,
    found: WordMatch,
}

/// Whether at least two bits are set; cheaper than counting them all where the CPU has no
/// population-count instruction.
fn has_two_bits(bits: u32) -> bool {
    bits & bits.wrapping_sub(1) != 0
}

/// Pairs query words with entry words in any order: the most similar pair first, each word
/// used once; ties go to the earlier words so the result does not depend on anything else.
fn match_words(query: &[Word], entry: &[Word]) -> Pairs {
    let mut pairs: SmallVec<[Pair; 16]> = SmallVec::new();
    for (q, query_word) in (0u8..).zip(query) {
        for (e, entry_word) in (0u8..).zip(entry) {
            if let Some(found) = query_word.compare(entry_word) {
                pairs.push(Pair {
                    query: q,
                    entry: e,
                    found,
                });
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.found
            .similarity
            .cmp(&a.found.similarity)
            .then(a.query.cmp(&b.query))
            .then(a.entry.cmp(&b.entry))
    });
    let mut query_used = 0u64;
    let mut entry_used = 0u64;
    pairs
        .into_iter()
        .filter(|pair| {
            let free = query_used & (1 << pair.query) == 0 && entry_used & (1 << pair.entry) == 0;
            if free {
                query_used |= 1 << pair.query;
                entry_used |= 1 << pair.entry;
            }
            free
        })
        .collect()
}

/// The mean of how much of the query the entry's name explains and how much of the entry's
/// name the query covers, each weighted by word. With two or more words matched, a middle
/// name or patronymic left out on either side weighs a quarter.
fn name_score(query: &[Word], entry: &[Word], matched: &[Pair]) -> u16 {
    if matched.is_empty() {
        return 0;
    }
    let query_side = coverage(query, matched.len(), |position| {
        matched
            .iter()
            .find(|pair| usize::from(pair.query) == position)
            .map(|pair| pair.found.similarity)
    });
    let entry_side = coverage(entry, matched.len(), |position| {
        matched
            .iter()
            .find(|pair| usize::from(pair.entry) == position)
            .map(|pair| pair.found.similarity)
    });
    u16::try_from((query_side + entry_side) / 2).unwrap_or(0)
}

fn coverage(words: &[Word], matched: usize, similarity: impl Fn(usize) -> Option<u16>) -> u64 {
    let mut weighted = 0u64;
    let mut total = 0u64;
    for (position, word) in words.iter().enumerate() {
        let weight = u64::from(word.weight);
        match similarity(position) {
            Some(similarity) => {
                weighted += weight * u64::from(similarity);
                total += weight;
            }
            None if matched >= 2 && word.is_optional(position, words.len()) => total += weight / 4,
            None => total += weight,
        }
    }
    weighted.checked_div(total).unwrap_or(0)
}

fn explanation(query: &[Word], entry: &[Word], matched: &[Pair]) -> Vec<TokenMatch> {
    let mut lines: Vec<TokenMatch> = Vec::with_capacity(query.len() + entry.len());
    for (position, word) in query.iter().enumerate() {
        let line = match matched
            .iter()
            .find(|pair| usize::from(pair.query) == position)
        {
            Some(pair) => TokenMatch::Matched {
                query: word.text.to_string(),
                entry: entry
                    .get(usize::from(pair.entry))
                    .map(|e| e.text.to_string())
                    .unwrap_or_default(),
                how: pair.found.how,
                similarity: pair.found.similarity,
            },
            None => TokenMatch::QueryWordUnmatched {
                query: word.text.to_string(),
                optional: matched.len() >= 2 && word.is_optional(position, query.len()),
            },
        };
        lines.push(line);
    }
    for (position, word) in entry.iter().enumerate() {
        if matched
            .iter()
            .all(|pair| usize::from(pair.entry) != position)
        {
            lines.push(TokenMatch::EntryWordMissing {
                entry: word.text.to_string(),
                optional: matched.len() >= 2 && word.is_optional(position, entry.len()),
            });
        }
    }
    lines
}

/// Date of birth, country and identifiers agreeing or not, and the kind apart: the kind is
/// not covered by the rule that contrary data never pushes an exact name below the threshold.
fn secondary_evidence(
    party: &Party,
    entry: &ListEntry,
) -> (Vec<SecondaryEvidence>, Option<SecondaryEvidence>) {
    let mut evidence = Vec::new();
    if let Some(date) = party.date_of_birth {
        evidence.extend(date_of_birth_evidence(date, &entry.dates_of_birth));
    }
    if let Some(country) = party
        .country
        .as_deref()
        .filter(|_| !entry.countries.is_empty())
    {
        evidence.push(
            if entry
                .countries
                .iter()
                .any(|listed| listed.eq_ignore_ascii_case(country))
            {
                SecondaryEvidence::CountryAgrees {
                    country: country.to_owned(),
                }
            } else {
                SecondaryEvidence::CountryDisagrees {
                    screened: country.to_owned(),
                }
            },
        );
    }
    if let Some(identifier) = party.identifiers.iter().find(|id| {
        entry
            .identifiers
            .iter()
            .any(|listed| same_identifier(id, listed))
    }) {
        evidence.push(SecondaryEvidence::IdentifierAgrees {
            identifier: identifier.clone(),
        });
    }
    if party.kind.is_none()
        && party.date_of_birth.is_some()
        && entry.kind == PartyKind::Organisation
    {
        // Only a person is born: the date says what the message left unsaid.
        evidence.push(SecondaryEvidence::KindDisagrees {
            listed: entry.kind,
            screened: PartyKind::Person,
        });
    }
    let kind = match (party.kind, entry.kind) {
        (Some(screened @ PartyKind::Person), listed @ PartyKind::Organisation)
        | (Some(screened @ PartyKind::Organisation), listed @ PartyKind::Person) => {
            Some(SecondaryEvidence::KindDisagrees { listed, screened })
        }
        _ => None,
    };
    (evidence, kind)
}

/// A listed date agrees when it does not contradict the screened one at the precision both
/// give; a year one apart is neither agreement nor contradiction (lists give "circa" years).
fn date_of_birth_evidence(
    screened: PartialDate,
    listed: &[PartialDate],
) -> Option<SecondaryEvidence> {
    if let Some(agreeing) = listed.iter().find(|date| dates_agree(screened, **date)) {
        return Some(SecondaryEvidence::DateOfBirthAgrees { listed: *agreeing });
    }
    let contradicted = !listed.is_empty()
        && listed
            .iter()
            .all(|date| date.year.abs_diff(screened.year) > 1);
    contradicted.then_some(SecondaryEvidence::DateOfBirthDisagrees { screened })
}

fn dates_agree(a: PartialDate, b: PartialDate) -> bool {
    let compatible = |x: Option<u8>, y: Option<u8>| x.zip(y).is_none_or(|(x, y)| x == y);
    a.year == b.year && compatible(a.month, b.month) && compatible(a.day, b.day)
}

/// Identifiers compare on their letters and digits, case aside ("AB 123-456" is "ab123456").
fn same_identifier(a: &str, b: &str) -> bool {
    let significant = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let a = significant(a);
    !a.is_empty() && a == significant(b)
}
