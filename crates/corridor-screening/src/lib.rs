//! Watchlist screening, pure: what a list entry and a screened party are, and (to come) how
//! names in Latin, Cyrillic and Persian/Arabic script are normalised, indexed and matched.
//! Loading list files is `corridor-watchlist`'s job; reading reference data from disk is the
//! caller's: this crate takes text, never paths.

mod entry;

pub use entry::{EntryName, ListEntry, NameQuality, PartialDate, Party, PartyKind};
