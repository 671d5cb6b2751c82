//! Writer or standby: what an engine is, what it reports about itself, and the storage a
//! writer is given.

use std::sync::Arc;

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
