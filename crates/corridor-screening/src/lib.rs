//! Watchlist screening, pure: what a list entry and a screened party are, how names in Latin,
//! Cyrillic and Persian/Arabic script are normalised (`normalize`, `rules`), read across
//! scripts (`translit`, `dictionary`), indexed and matched (`screener`), and what a match
//! says (`candidate`). Loading list files is `corridor-watchlist`'s job; reading reference
//! data from disk is the caller's: this crate takes text, never paths, and reads no clock.

mod candidate;
mod dictionary;
mod entry;
mod normalize;
mod rules;
mod screener;
mod translit;
mod word;

pub use candidate::{
    Candidate, MatchKind, SecondaryEvidence, Threshold, ThresholdOutOfRange, TokenMatch,
};
pub use dictionary::{DictionaryError, NameDictionary};
pub use entry::{EntryName, ListEntry, NameQuality, PartialDate, Party, PartyKind};
pub use normalize::{NameToken, Script};
pub use rules::name_tokens;
pub use screener::{ListRef, Screener};
pub use translit::{arabic_skeleton, cyrillic_to_latin, latin_skeleton};
pub use word::{MAX_NAME_CHARS, MAX_WORD_CHARS};
