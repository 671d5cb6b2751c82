//! The ledger's binary encoding: commands (what the journal stores) and whole-ledger
//! snapshots. Little-endian, fixed field widths, one tag byte per variant, no padding.
//!
//! Hand-written rather than serde + bincode because it is an on-disk format that must stay
//! readable for years: every byte is specified here, versioned by the journal and snapshot
//! headers, and decoding re-validates every value (ids, currencies, BICs), so bytes from disk
//! can never construct what the constructors forbid.
//!
//! `wire` holds the primitives, commands and the bounds-checked [`Reader`]; `snapshot` the
//! whole-ledger layout built from them.

mod snapshot;
mod wire;

pub use snapshot::{decode_snapshot, encode_snapshot};
pub use wire::{Reader, encode_command, encode_commands};
pub(crate) use wire::{encode_account, put_totals, transfer_body};

/// Version of the snapshot layout written by [`encode_snapshot`].
pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("input ends early at byte {offset}: need {needed} more bytes")]
    Truncated { offset: usize, needed: usize },
    #[error("invalid {what} at byte {offset}")]
    Invalid { what: &'static str, offset: usize },
    #[error("{0} unexpected bytes after the last record")]
    TrailingBytes(usize),
    #[error("not a ledger snapshot (bad magic)")]
    BadMagic,
    #[error(
        "snapshot version {found} is not supported (this build reads version {SNAPSHOT_VERSION})"
    )]
    UnsupportedVersion { found: u32 },
    #[error("snapshot decodes but breaks an invariant: {0}")]
    Inconsistent(#[from] crate::records::InvariantViolation),
}
