//! Nothing reaches the disk half-encoded: a request the state machine cannot encode is
//! refused with an error and neither applied nor journaled, and a state that cannot be
//! encoded writes no snapshot.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use corridor_core::Timestamp;
use corridor_engine::{Engine, EngineConfig, EngineError, StartFrom, recover, snapshot_dir};
use corridor_journal::ScanMode;
use corridor_ledger::{MachineError, StateMachine};

/// The one request [`Counter`] cannot encode.
const UNENCODABLE: u64 = 13;

/// A running total whose encoder refuses [`UNENCODABLE`], and whose snapshot cannot be
/// encoded while the total is odd.
#[derive(Debug, Default)]
struct Counter {
    total: u64,
}

impl StateMachine for Counter {
    type Request = u64;
    type Outcome = u64;

    fn apply(&mut self, request: &u64, _now: Timestamp) -> u64 {
        self.total += request;
        self.total
    }

    fn events(_request: &u64) -> usize {
        1
    }

    fn encode_request(request: &u64, out: &mut Vec<u8>) -> Result<(), MachineError> {
        if *request == UNENCODABLE {
            return Err("13 has no encoding".into());
        }
        out.extend_from_slice(&request.to_le_bytes());
        Ok(())
    }

    fn decode_request(bytes: &[u8]) -> Result<u64, MachineError> {
        Ok(u64::from_le_bytes(bytes.try_into()?))
    }

    fn encode_snapshot(&self) -> Result<Vec<u8>, MachineError> {
        if self.total % 2 == 1 {
            return Err("an odd total has no encoding".into());
        }
        Ok(self.total.to_le_bytes().to_vec())
    }

    fn decode_snapshot(bytes: &[u8]) -> Result<Counter, MachineError> {
        Ok(Counter {
            total: u64::from_le_bytes(bytes.try_into()?),
        })
    }

    fn check_invariants(&self) -> Result<(), MachineError> {
        Ok(())
    }

    fn state_hash(&self) -> u128 {
        u128::from(self.total)
    }

    fn reserve_transfers(&mut self, _transfers: usize) {}

    fn summary(&self) -> String {
        format!("total {}", self.total)
    }
}

fn config(dir: &std::path::Path) -> EngineConfig {
    let mut config = EngineConfig::new(dir);
    let tick = Arc::new(AtomicU64::new(1_000_000_000));
    config.clock = Arc::new(move || Timestamp(tick.fetch_add(1_000, Ordering::Relaxed)));
    config
}

fn snapshot_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(snapshot_dir(dir)).map_or(0, |entries| entries.count())
}

#[test]
fn an_unencodable_request_is_refused_and_neither_applied_nor_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::<Counter>::open(config(dir.path())).unwrap();
    let handle = engine.handle();
    assert_eq!(handle.submit(1).unwrap(), 1);
    let refused = handle.submit(UNENCODABLE);
    assert!(
        matches!(refused, Err(EngineError::Encode(_))),
        "{refused:?}"
    );
    assert_eq!(
        handle.query(|c: &Counter| c.total).unwrap(),
        1,
        "not applied"
    );
    assert_eq!(
        handle.submit(2).unwrap(),
        3,
        "the engine goes on after a refusal"
    );
    engine.shutdown();

    let (replayed, recovery) =
        recover::<Counter>(dir.path(), ScanMode::ReadOnly, StartFrom::Genesis).unwrap();
    assert_eq!(replayed.total, 3);
    assert_eq!(
        recovery.replayed_events, 2,
        "the journal holds the two encodable requests only"
    );
}

#[test]
fn a_state_that_cannot_be_encoded_writes_no_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    // A periodic snapshot after every request, so each odd total tries and fails.
    config.snapshot_every_events = 1;
    let engine = Engine::<Counter>::open(config).unwrap();
    let handle = engine.handle();
    assert_eq!(handle.submit(1).unwrap(), 1);
    let failed = handle.snapshot();
    assert!(
        matches!(failed, Err(EngineError::SnapshotEncode(_))),
        "{failed:?}"
    );
    assert_eq!(snapshot_files(dir.path()), 0, "nothing written");

    assert_eq!(handle.submit(1).unwrap(), 2);
    handle.snapshot().expect("an even total encodes");
    assert_eq!(snapshot_files(dir.path()), 1);
    engine.shutdown();

    let reopened = Engine::<Counter>::open(EngineConfig {
        snapshot_every_events: 1,
        ..self::config(dir.path())
    })
    .unwrap();
    assert_eq!(reopened.handle().query(|c: &Counter| c.total).unwrap(), 2);
}
