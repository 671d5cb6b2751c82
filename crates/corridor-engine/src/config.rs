//! How an engine is set up: where it keeps its files, how it batches, where its time comes
//! from, and what it reports about its group commits.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use corridor_core::Timestamp;
use corridor_journal::JournalConfig;

/// Where engine time comes from. Tests and simulations pass their own.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Timestamp(u64::try_from(nanos).unwrap_or(u64::MAX))
    })
}

#[derive(Clone)]
pub struct EngineConfig {
    pub data_dir: PathBuf,
    pub journal: JournalConfig,
    /// Most events gathered into one batch (one journal record); a larger single request
    /// still goes through, alone.
    pub max_batch_events: usize,
    /// A snapshot is written after this many events, bounding recovery time.
    pub snapshot_every_events: u64,
    /// Room reserved in the transfer index at start-up (see `Ledger::reserve_transfers`).
    pub reserve_transfers: usize,
    pub clock: Clock,
    /// Told how long each group commit's `fdatasync` took (for metrics).
    pub sync_observer: Option<SyncObserver>,
    /// Requests waiting for the engine thread at most. Async callers are refused with
    /// [`EngineError::Busy`] beyond it rather than block a runtime thread; blocking callers
    /// wait.
    pub inbox_capacity: usize,
}

pub type SyncObserver = Arc<dyn Fn(std::time::Duration) + Send + Sync>;

impl std::fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineConfig")
            .field("data_dir", &self.data_dir)
            .field("journal", &self.journal)
            .field("max_batch_events", &self.max_batch_events)
            .field("snapshot_every_events", &self.snapshot_every_events)
            .field("reserve_transfers", &self.reserve_transfers)
            .field("inbox_capacity", &self.inbox_capacity)
            .finish_non_exhaustive()
    }
}

impl EngineConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> EngineConfig {
        EngineConfig {
            data_dir: data_dir.into(),
            journal: JournalConfig::default(),
            max_batch_events: 8_190,
            snapshot_every_events: 10_000_000,
            reserve_transfers: 1_000_000,
            clock: system_clock(),
            sync_observer: None,
            inbox_capacity: DEFAULT_INBOX_CAPACITY,
        }
    }
}

/// Room for two full batches of single-payment requests: enough that a busy engine is
/// never starved, small enough that a request waits milliseconds, not seconds.
pub const DEFAULT_INBOX_CAPACITY: usize = 16_384;
