//! What a screening answers: a candidate list entry with its integer score, the word-by-word
//! explanation of its name match, the secondary evidence that moved the score, and the
//! threshold that makes it a hit.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::entry::{NameQuality, PartialDate, PartyKind};

/// The score from which a candidate is a hit, per mille.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Threshold(u16);

/// A threshold above 1000 per mille.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("a threshold is per mille, 0 to 1000; {0} is not")]
pub struct ThresholdOutOfRange(pub u16);

impl Threshold {
    pub const DEFAULT: Threshold = Threshold(850);

    pub fn new(per_mille: u16) -> Result<Threshold, ThresholdOutOfRange> {
        if per_mille > 1000 {
            return Err(ThresholdOutOfRange(per_mille));
        }
        Ok(Threshold(per_mille))
    }

    pub fn per_mille(self) -> u16 {
        self.0
    }
}

impl Default for Threshold {
    fn default() -> Threshold {
        Threshold::DEFAULT
    }
}

/// How a query word matched an entry word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The same word after normalisation.
    Exact,
    /// Both spellings belong to one group of the name dictionary (the dictionary's group
    /// number; `NameDictionary::group_id` gives its id, such as a Wikidata Q123).
    Dictionary { group: u32 },
    /// One script read in another: Cyrillic transliterated, or an Arabic-script consonant
    /// skeleton equal to the Latin one.
    Transliteration,
    /// Two spellings in one script that sound alike (equal consonant skeletons).
    Phonetic,
    /// Spellings a few edits apart.
    EditDistance { distance: u8 },
}

/// One line of a name match's explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum TokenMatch {
    Matched {
        query: String,
        entry: String,
        how: MatchKind,
        similarity: u16,
    },
    /// A word of the screened name that the entry's name does not have.
    QueryWordUnmatched { query: String, optional: bool },
    /// A word of the entry's name that the screened name leaves out; `optional` when it is
    /// a middle name or patronymic, which costs little.
    EntryWordMissing { entry: String, optional: bool },
}

/// Data beside the name that raised or lowered the score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum SecondaryEvidence {
    DateOfBirthAgrees {
        listed: PartialDate,
    },
    DateOfBirthDisagrees {
        screened: PartialDate,
    },
    CountryAgrees {
        country: String,
    },
    CountryDisagrees {
        screened: String,
    },
    IdentifierAgrees {
        identifier: String,
    },
    KindDisagrees {
        listed: PartyKind,
        screened: PartyKind,
    },
}

impl SecondaryEvidence {
    /// What this evidence adds to (or takes from) the score, per mille.
    pub fn effect(&self) -> i32 {
        match self {
            SecondaryEvidence::DateOfBirthAgrees { .. } => 50,
            SecondaryEvidence::DateOfBirthDisagrees { .. } => -150,
            SecondaryEvidence::CountryAgrees { .. } => 20,
            SecondaryEvidence::CountryDisagrees { .. } => -50,
            SecondaryEvidence::IdentifierAgrees { .. } => 150,
            SecondaryEvidence::KindDisagrees { .. } => -200,
        }
    }
}

/// A list entry that may be the screened party.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub list: String,
    pub entry_id: String,
    /// The entry's name that matched best, as the list writes it.
    pub entry_name: String,
    pub name_quality: NameQuality,
    /// Per mille, 0 to 1000: an integer so that a replayed decision is the same decision.
    pub score: u16,
    pub explanation: Vec<TokenMatch>,
    pub secondary: Vec<SecondaryEvidence>,
}

impl Candidate {
    pub fn is_hit(&self, threshold: Threshold) -> bool {
        self.score >= threshold.per_mille()
    }

    /// The explanation as text for an analyst.
    pub fn explain(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {} \"{}\" ({:?}): {}‰",
            self.list, self.entry_id, self.entry_name, self.name_quality, self.score
        )?;
        for line in &self.explanation {
            writeln!(f, "  {line}")?;
        }
        for evidence in &self.secondary {
            writeln!(f, "  {evidence} ({:+})", evidence.effect())?;
        }
        Ok(())
    }
}

impl fmt::Display for TokenMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenMatch::Matched {
                query,
                entry,
                how,
                similarity,
            } => {
                write!(f, "\"{query}\" matches \"{entry}\": {how}, {similarity}‰")
            }
            TokenMatch::QueryWordUnmatched { query, optional } => {
                write!(
                    f,
                    "\"{query}\" is not in the entry's name{}",
                    optional_note(*optional)
                )
            }
            TokenMatch::EntryWordMissing { entry, optional } => {
                write!(
                    f,
                    "\"{entry}\" of the entry's name is missing{}",
                    optional_note(*optional)
                )
            }
        }
    }
}

fn optional_note(optional: bool) -> &'static str {
    if optional {
        " (middle name or patronymic, costs little)"
    } else {
        ""
    }
}

impl fmt::Display for MatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatchKind::Exact => write!(f, "exact"),
            MatchKind::Dictionary { group } => {
                write!(f, "same name in the dictionary (group {group})")
            }
            MatchKind::Transliteration => write!(f, "transliteration"),
            MatchKind::Phonetic => write!(f, "sounds alike"),
            MatchKind::EditDistance { distance } => write!(f, "{distance} edit(s) apart"),
        }
    }
}

impl fmt::Display for SecondaryEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecondaryEvidence::DateOfBirthAgrees { listed } => {
                write!(f, "date of birth agrees with {}", date(listed))
            }
            SecondaryEvidence::DateOfBirthDisagrees { screened } => {
                write!(
                    f,
                    "date of birth {} differs from every listed one",
                    date(screened)
                )
            }
            SecondaryEvidence::CountryAgrees { country } => {
                write!(f, "country {country} is listed")
            }
            SecondaryEvidence::CountryDisagrees { screened } => {
                write!(f, "country {screened} is not listed")
            }
            SecondaryEvidence::IdentifierAgrees { identifier } => {
                write!(f, "identifier {identifier} is listed")
            }
            SecondaryEvidence::KindDisagrees { listed, screened } => {
                write!(f, "listed as {listed:?}, screened as {screened:?}")
            }
        }
    }
}

fn date(date: &PartialDate) -> String {
    match (date.month, date.day) {
        (Some(month), Some(day)) => format!("{:04}-{month:02}-{day:02}", date.year),
        (Some(month), None) => format!("{:04}-{month:02}", date.year),
        _ => format!("{:04}", date.year),
    }
}
