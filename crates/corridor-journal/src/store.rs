//! What the engine asks of a journal backend, whichever it is: the embedded segment files in
//! this crate or the PostgreSQL journal beside it. Three roles, each its own trait, because
//! they live on different threads: the journal thread appends and makes durable, the engine
//! thread stores snapshots, and recovery (or a standby following the writer) reads back.

use crate::{Journal, JournalError, SnapshotStore, StoredSnapshot};

/// Appends records and makes them durable, numbering them 1, 2, 3 ... without a gap.
pub trait JournalWriter: Send {
    /// The number the next appended record will get.
    fn next_seq(&self) -> u64;
    /// Adds one record, not yet durable; returns its number.
    fn append(&mut self, payload: &[u8]) -> Result<u64, JournalError>;
    /// Makes every record appended so far durable. Nothing is acknowledged before it
    /// returned `Ok`; after an error, the records since the last success may or may not be
    /// durable, and the writer is not used again.
    fn sync(&mut self) -> Result<(), JournalError>;
}

/// Stores the state after a given record, so recovery need not replay from the first.
pub trait SnapshotSink: Send {
    /// Stores `payload` as the state after record `seq`; returns where, for the log.
    fn write_snapshot(&mut self, seq: u64, payload: &[u8]) -> Result<String, JournalError>;
}

/// Reads a journal back: its newest snapshot and the records after a given one, in order.
pub trait RecordSource {
    fn latest_snapshot(&mut self) -> Result<Option<StoredSnapshot>, JournalError>;
    /// Calls `apply` with every record after `after`, in order, and returns the number of
    /// the last record there is. An `Err` from `apply` stops the scan with
    /// [`JournalError::Replay`].
    fn scan(&mut self, after: u64, apply: RecordVisitor<'_>) -> Result<u64, JournalError>;
}

pub type RecordVisitor<'a> = &'a mut dyn FnMut(u64, &[u8]) -> Result<(), String>;

impl JournalWriter for Journal {
    fn next_seq(&self) -> u64 {
        Journal::next_seq(self)
    }

    fn append(&mut self, payload: &[u8]) -> Result<u64, JournalError> {
        Journal::append(self, payload)
    }

    fn sync(&mut self) -> Result<(), JournalError> {
        Journal::sync(self)
    }
}

impl SnapshotSink for SnapshotStore {
    fn write_snapshot(&mut self, seq: u64, payload: &[u8]) -> Result<String, JournalError> {
        self.write(seq, payload)
            .map(|path| path.display().to_string())
    }
}
