//! The embedded durable journal: an append-only sequence of checksummed records in segment
//! files on local disk, plus snapshot files. Records are opaque bytes numbered 1, 2, 3 ...;
//! the engine decides what they mean. Nothing here knows about ledgers.
//!
//! Durability contract: [`Journal::append`] only writes; [`Journal::sync`] makes every record
//! appended so far durable (`fdatasync`). The engine releases no result before `sync`
//! returned for the record that produced it.
//!
//! Recovery contract: [`Journal::open`] validates every record. A torn write at the very
//! end of the last segment (a crash mid-append, never acknowledged) is truncated with a
//! warning; damage anywhere else is an error and nothing is replayed past it.

pub mod private;
mod segment;
mod snapshot;
mod store;

pub use segment::{Journal, JournalConfig, ScanMode, ScanReport, SegmentInfo, TornTail};
pub use snapshot::{SnapshotStore, StoredSnapshot};
pub use store::{JournalWriter, RecordSource, RecordVisitor, SnapshotSink};

use std::path::PathBuf;

/// Version of the segment and snapshot file layouts this build reads and writes. It also
/// covers what the records hold, so a data directory written for another state machine
/// layout is refused by name rather than misread. 2: records hold length-prefixed requests
/// of the settlement hub. 4: payment submissions carry their sanctions screening. 5: recalls
/// of settled payments (requests and answers) and their place in the hub's state. 6: closed
/// business days and their statement notices. 7: token expiry and registered certificates,
/// who decides sanctions holds and whether screening is required, and the audit chain of
/// every command; a journal of version 6 would replay under rules it was not written under.
pub const FORMAT_VERSION: u32 = 7;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a Corridor journal file ({reason})")]
    NotAJournal { path: PathBuf, reason: &'static str },
    #[error(
        "{path}: format version {found} is not supported (this build reads version {FORMAT_VERSION})"
    )]
    UnsupportedVersion { path: PathBuf, found: u32 },
    #[error(
        "{path}: corrupt record at byte {offset} (expected record {expected_seq}): {reason}; refusing to continue"
    )]
    Corrupt {
        path: PathBuf,
        offset: u64,
        expected_seq: u64,
        reason: String,
    },
    #[error("{path}: journal has a gap: expected record {expected}, segment starts at {found}")]
    Gap {
        path: PathBuf,
        expected: u64,
        found: u64,
    },
    #[error("{path}: snapshot is damaged: {reason}")]
    SnapshotDamaged { path: PathBuf, reason: String },
    #[error(
        "snapshot at record {snapshot_seq} is ahead of the journal, which ends at record {journal_end}"
    )]
    SnapshotAhead { snapshot_seq: u64, journal_end: u64 },
    #[error("record {seq} could not be applied: {reason}")]
    Replay { seq: u64, reason: String },
    /// A failure of a journal backend outside this crate (the PostgreSQL journal), with its
    /// own typed error inside.
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

pub(crate) fn io_error(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Makes a directory entry change (a new or renamed file) durable.
pub(crate) fn sync_dir(dir: &std::path::Path) -> Result<(), JournalError> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error(dir))
}
