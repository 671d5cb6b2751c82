//! Rebuilding the state from a journal: the latest snapshot (or an empty state), then every
//! record after it, then a full invariant check. One routine for both backends, through
//! [`RecordSource`]; the embedded journal also reports its segments and torn tail.

use std::path::{Path, PathBuf};

use corridor_journal::{
    Journal, JournalError, RecordSource, RecordVisitor, ScanMode, ScanReport, SnapshotStore,
    StoredSnapshot,
};
use corridor_ledger::StateMachine;

use corridor_journal::private;

use crate::error::EngineError;
use crate::record;

pub fn journal_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("journal")
}

pub fn snapshot_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("snapshots")
}

/// Where recovery starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartFrom {
    /// The latest snapshot, then the journal after it: what start-up does.
    LatestSnapshot,
    /// An empty state and the whole journal: what `journal verify` compares against.
    Genesis,
}

/// What recovery did, for the start-up log line and `journal verify`.
#[derive(Debug, Clone)]
pub struct Recovery {
    pub snapshot_seq: Option<u64>,
    pub replayed_records: u64,
    pub replayed_events: u64,
    /// The number of the last record in the journal, now applied.
    pub last_seq: u64,
    /// Segments and torn tail, for the embedded journal.
    pub report: Option<ScanReport>,
}

/// The embedded journal and snapshot files of a data directory, read as a [`RecordSource`].
#[derive(Debug)]
pub struct EmbeddedSource {
    data_dir: PathBuf,
    mode: ScanMode,
    report: Option<ScanReport>,
}

impl EmbeddedSource {
    pub fn new(data_dir: &Path, mode: ScanMode) -> EmbeddedSource {
        EmbeddedSource {
            data_dir: data_dir.to_path_buf(),
            mode,
            report: None,
        }
    }
}

impl RecordSource for EmbeddedSource {
    fn latest_snapshot(&mut self) -> Result<Option<StoredSnapshot>, JournalError> {
        SnapshotStore::new(&snapshot_dir(&self.data_dir)).latest()
    }

    fn scan(&mut self, after: u64, apply: RecordVisitor<'_>) -> Result<u64, JournalError> {
        let dir = journal_dir(&self.data_dir);
        if self.mode == ScanMode::Repair {
            private::create_dir_all(&dir).map_err(|source| JournalError::Io {
                path: dir.clone(),
                source,
            })?;
        }
        let report = Journal::scan(&dir, self.mode, after, apply)?;
        let last_seq = report.last_seq;
        self.report = Some(report);
        Ok(last_seq)
    }
}

/// What applying one record did.
#[derive(Debug, Clone, Copy)]
pub struct Applied {
    pub events: u64,
    /// The engine time the record's batch was applied at.
    pub now: corridor_core::Timestamp,
}

/// Applies one journal record (a batch) to `state`. A record that cannot be decoded changes
/// nothing.
pub fn apply_record<S: StateMachine>(
    state: &mut S,
    seq: u64,
    payload: &[u8],
) -> Result<Applied, EngineError> {
    let batch = record::decode::<S>(payload).map_err(|e| JournalError::Replay {
        seq,
        reason: e.to_string(),
    })?;
    state.begin_record(seq);
    let mut events = 0;
    for request in &batch.requests {
        state.apply(request, batch.now);
        events += S::events(request) as u64;
    }
    Ok(Applied {
        events,
        now: batch.now,
    })
}

/// Rebuilds the state from `source`: a snapshot (or an empty state) plus replay of the
/// journal after it, then a full invariant check.
pub fn recover_from<S: StateMachine + Default>(
    source: &mut dyn RecordSource,
    start: StartFrom,
) -> Result<(S, Recovery), EngineError> {
    let snapshot = match start {
        StartFrom::LatestSnapshot => source.latest_snapshot()?,
        StartFrom::Genesis => None,
    };
    let (mut state, after) = match &snapshot {
        Some(s) => (
            S::decode_snapshot(&s.payload).map_err(EngineError::Snapshot)?,
            s.seq,
        ),
        None => (S::default(), 0),
    };
    let mut replayed_events = 0;
    let last_seq = source.scan(after, &mut |seq, payload| {
        replayed_events += apply_record(&mut state, seq, payload)
            .map_err(|e| e.to_string())?
            .events;
        Ok(())
    })?;
    if after > last_seq {
        return Err(JournalError::SnapshotAhead {
            snapshot_seq: after,
            journal_end: last_seq,
        }
        .into());
    }
    state.check_invariants().map_err(EngineError::Invariant)?;
    let recovery = Recovery {
        snapshot_seq: snapshot.map(|s| s.seq),
        replayed_records: last_seq - after,
        replayed_events,
        last_seq,
        report: None,
    };
    Ok((state, recovery))
}

/// [`recover_from`] on the embedded journal of `data_dir`.
pub fn recover<S: StateMachine + Default>(
    data_dir: &Path,
    mode: ScanMode,
    start: StartFrom,
) -> Result<(S, Recovery), EngineError> {
    let mut source = EmbeddedSource::new(data_dir, mode);
    let (state, mut recovery) = recover_from::<S>(&mut source, start)?;
    recovery.report = source.report;
    Ok((state, recovery))
}

/// Takes the data directory's lock file. The OS releases it when the process dies, so a
/// crash never leaves a stale lock behind.
pub(crate) fn lock_data_dir(data_dir: &Path) -> Result<std::fs::File, EngineError> {
    let path = data_dir.join("LOCK");
    let io = |source| {
        EngineError::Journal(JournalError::Io {
            path: path.clone(),
            source,
        })
    };
    private::create_dir_all(data_dir).map_err(io)?;
    let file = private::file_options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(EngineError::Locked(data_dir.to_path_buf())),
        Err(std::fs::TryLockError::Error(source)) => Err(io(source)),
    }
}
