//! Watchlists, pure: the UN Security Council consolidated list, OFAC's SDN list and an
//! operator's own CSV or JSON list, each given as bytes, turned into
//! [`corridor_screening::ListEntry`] values with the list's version; and the set of lists a
//! screening runs against, where a new version replaces a whole list at once. A value that
//! cannot be read is skipped and reported in the list's version, never the entry or the
//! list. Reading the files and fetching new versions is the caller's job: this crate takes
//! bytes, never paths.

mod country;
mod date;
mod entries;
mod error;
mod format;
mod ofac;
mod own;
mod set;
mod skipped;
mod un;
mod watchlist;
mod xml;

pub use error::{LoadError, Place, Problem};
pub use format::ListFormat;
pub use set::WatchlistSet;
pub use skipped::{MAX_SKIPPED_DETAILS, MAX_SKIPPED_TEXT_CHARS, SkippedValue};
pub use watchlist::{ListVersion, Watchlist, load};
