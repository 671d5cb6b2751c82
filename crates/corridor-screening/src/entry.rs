//! The shapes both sides of a screening share: an entry of a watchlist and the party being
//! screened against it.

use serde::{Deserialize, Serialize};

/// Whether a name belongs to a natural person or to an organisation (entity, vessel ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Person,
    Organisation,
    /// The source does not say; matched as either.
    Unknown,
}

/// How much a list trusts one of an entry's names. The UN list grades aliases "Good" and
/// "Low"; OFAC grades AKAs "strong" and "weak".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameQuality {
    /// The entry's main name.
    Primary,
    /// An alias the list calls good or strong.
    StrongAlias,
    /// An alias the list calls low or weak: too common to raise a hit on its own.
    WeakAlias,
    /// The name in its original script (the UN list's NAME_ORIGINAL_SCRIPT).
    OriginalScript,
}

/// One name of an entry, as the list writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryName {
    pub text: String,
    pub quality: NameQuality,
}

/// A date that lists often give only in part: a year, a year and month, or a full day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// One sanctioned person or organisation of one list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The list's own id: the UN list's REFERENCE_NUMBER, OFAC's uid, an operator's key.
    pub id: String,
    pub kind: PartyKind,
    /// At least one name; the first is the primary one.
    pub names: Vec<EntryName>,
    pub dates_of_birth: Vec<PartialDate>,
    /// ISO 3166 alpha-2 codes of nationality, citizenship or address, upper case.
    pub countries: Vec<String>,
    /// Passport, national id, registration or BIC numbers, as written.
    pub identifiers: Vec<String>,
}

/// A party of a payment to screen: whatever the message carries about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    /// `None` when the message does not say.
    pub kind: Option<PartyKind>,
    /// ISO 3166 alpha-2, upper case.
    pub country: Option<String>,
    pub date_of_birth: Option<PartialDate>,
    pub identifiers: Vec<String>,
}

impl Party {
    /// Whether anything beside the name can move a score.
    pub fn has_secondary_data(&self) -> bool {
        self.kind.is_some()
            || self.country.is_some()
            || self.date_of_birth.is_some()
            || !self.identifiers.is_empty()
    }
}
