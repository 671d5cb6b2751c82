//! Why the engine refused or could not do what it was asked.

use std::path::PathBuf;
use std::sync::Arc;

use corridor_journal::JournalError;
use corridor_ledger::MachineError;

use crate::role::Role;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("snapshot cannot be decoded: {0}")]
    Snapshot(MachineError),
    #[error("the state cannot be encoded for a snapshot: {0}")]
    SnapshotEncode(MachineError),
    #[error("the request cannot be encoded for the journal, so it was refused: {0}")]
    Encode(MachineError),
    #[error("recovered state breaks an invariant: {0}")]
    Invariant(MachineError),
    #[error(
        "the engine stopped after a journal failure; it serves again once recovered from the journal (a restart; on a shared journal, by itself)"
    )]
    Poisoned,
    #[error(
        "the journal refused the last write ({reason}); nothing more is acknowledged until the state is recovered from the journal"
    )]
    JournalFailed { reason: Arc<str> },
    #[error("the engine is shut down")]
    Stopped,
    #[error("{0} is in use by another running engine")]
    Locked(PathBuf),
    #[error("the engine's inbox is full ({capacity} requests waiting); retry shortly")]
    Busy { capacity: usize },
    #[error("this node is a standby and takes no writes{}", writer_at(writer))]
    NotWriter { writer: Option<Arc<str>> },
    #[error("the engine is the {role:?} and cannot {wanted}")]
    WrongRole { role: Role, wanted: &'static str },
    #[error("journal record {found} does not follow the state, which expects record {expected}")]
    OutOfOrder { expected: u64, found: u64 },
}

fn writer_at(writer: &Option<Arc<str>>) -> String {
    writer
        .as_ref()
        .map(|w| format!(": the writer is {w}"))
        .unwrap_or_default()
}
