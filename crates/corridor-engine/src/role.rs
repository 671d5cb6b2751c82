//! Writer or standby: what an engine is, what it reports about itself, and the storage a
//! writer is given.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use corridor_journal::{JournalWriter, SnapshotSink};

/// Where a writer appends and stores snapshots.
pub struct Storage {
    pub writer: Box<dyn JournalWriter>,
    pub snapshots: Box<dyn SnapshotSink>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage")
            .field("next_seq", &self.writer.next_seq())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Applies requests and appends them to the journal.
    Writer,
    /// Applies what a writer appended; serves reads, refuses writes.
    Standby,
}

/// What the engine is doing, answered even after a journal failure.
#[derive(Debug, Clone)]
pub struct EngineStatus {
    pub role: Role,
    /// The last journal record the state reflects (applied, not necessarily durable yet on
    /// a writer).
    pub applied_seq: u64,
    /// Why the journal could not be written, once it could not: the writer then serves
    /// nothing until demoted.
    pub failure: Option<Arc<str>>,
    /// Where a standby says the writer is.
    pub writer_hint: Option<Arc<str>>,
}

/// The engine's status as the engine thread and the journal thread keep it, readable from
/// any thread at once: a controller deciding whether to renew a lease, or `/health`, must not
/// queue behind the requests in the engine's inbox (or a snapshot being written).
#[derive(Debug, Default)]
pub(crate) struct SharedStatus {
    writer: AtomicBool,
    applied_seq: AtomicU64,
    failure: Mutex<Option<Arc<str>>>,
    writer_hint: Mutex<Option<Arc<str>>>,
}

impl SharedStatus {
    pub(crate) fn read(&self) -> EngineStatus {
        EngineStatus {
            role: if self.writer.load(Ordering::Acquire) {
                Role::Writer
            } else {
                Role::Standby
            },
            applied_seq: self.applied_seq.load(Ordering::Acquire),
            failure: self.failure(),
            writer_hint: self.writer_hint(),
        }
    }

    pub(crate) fn set_role(&self, role: Role) {
        self.writer.store(role == Role::Writer, Ordering::Release);
    }

    pub(crate) fn set_applied(&self, seq: u64) {
        self.applied_seq.store(seq, Ordering::Release);
    }

    pub(crate) fn failure(&self) -> Option<Arc<str>> {
        self.failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn set_failure(&self, reason: Option<Arc<str>>) {
        *self
            .failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = reason;
    }

    pub(crate) fn writer_hint(&self) -> Option<Arc<str>> {
        self.writer_hint
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn set_writer_hint(&self, hint: Option<Arc<str>>) {
        *self
            .writer_hint
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = hint;
    }
}
