//! The engine loop end to end on a real data directory: results are durable and recovered,
//! retries are idempotent across restarts, concurrent callers share group commits, snapshots
//! and replay agree, and a damaged journal is refused.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use corridor_core::{AccountId, Amount, Timestamp, TransferId};
use corridor_engine::{Engine, EngineConfig, EngineError};
use corridor_ledger::{
    AccountKind, BalanceRule, Command, Ledger, Movement, NewAccount, ResultCode, Transfer,
    TransferAction,
};

fn config(dir: &std::path::Path) -> EngineConfig {
    let mut config = EngineConfig::new(dir);
    let tick = Arc::new(AtomicU64::new(1_000_000_000));
    config.clock = Arc::new(move || Timestamp(tick.fetch_add(1_000, Ordering::Relaxed)));
    config
}

fn open_account(id: u128, rule: BalanceRule) -> Command {
    Command::CreateAccount(NewAccount {
        id: AccountId::new(id).unwrap(),
        owner: "BMJIIRTH".parse().unwrap(),
        currency: "IRR".parse().unwrap(),
        kind: AccountKind::Settlement,
        rule,
        code: 0,
        user_ref: 0,
        linked: false,
    })
}

fn pay(id: u128, debit: u128, credit: u128, amount: u128) -> Command {
    Command::CreateTransfer(Transfer {
        id: TransferId::new(id).unwrap(),
        action: TransferAction::Post(Movement {
            debit_account: AccountId::new(debit).unwrap(),
            credit_account: AccountId::new(credit).unwrap(),
            currency: "IRR".parse().unwrap(),
            amount: Amount::from_minor(amount),
        }),
        code: 0,
        user_ref: 0,
        linked: false,
    })
}

fn setup() -> Vec<Command> {
    vec![
        open_account(1, BalanceRule::Unrestricted),
        open_account(2, BalanceRule::DebitsMustNotExceedCredits { limit: 0 }),
        open_account(3, BalanceRule::DebitsMustNotExceedCredits { limit: 0 }),
    ]
}

#[test]
fn results_survive_a_restart_and_retries_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let hash = {
        let engine = Engine::<Ledger>::open(config(dir.path())).unwrap();
        let handle = engine.handle();
        handle.submit(setup()).unwrap();
        let outcome = handle
            .submit(vec![pay(10, 1, 2, 500), pay(11, 2, 3, 800)])
            .unwrap();
        assert_eq!(
            outcome.results,
            vec![ResultCode::Ok, ResultCode::ExceedsCredits]
        );
        handle.query(|l| l.state_hash()).unwrap()
    };
    let engine = Engine::<Ledger>::open(config(dir.path())).unwrap();
    let handle = engine.handle();
    assert_eq!(handle.query(|l| l.state_hash()).unwrap(), hash);
    let retry = handle.submit(vec![pay(10, 1, 2, 500)]).unwrap();
    assert_eq!(retry.results, vec![ResultCode::Exists]);
    let balance = handle
        .query(|l| {
            l.account(AccountId::new(2).unwrap())
                .unwrap()
                .credits_posted
        })
        .unwrap();
    assert_eq!(balance, 500);
}

#[test]
fn concurrent_callers_all_get_durable_results() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::<Ledger>::open(config(dir.path())).unwrap();
    engine.handle().submit(setup()).unwrap();
    let threads: Vec<_> = (0..8u128)
        .map(|t| {
            let handle = engine.handle();
            std::thread::spawn(move || {
                for k in 0..50u128 {
                    let id = 1_000 + t * 1_000 + k;
                    let outcome = handle.submit(vec![pay(id, 1, 2 + (k % 2), 1)]).unwrap();
                    assert_eq!(outcome.results, vec![ResultCode::Ok]);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let hash = engine.handle().query(|l| l.state_hash()).unwrap();
    drop(engine);
    let recovered = Engine::<Ledger>::open(config(dir.path())).unwrap();
    assert_eq!(
        recovered
            .handle()
            .query(|l| (l.state_hash(), l.transfer_count()))
            .unwrap(),
        (hash, 400)
    );
}

#[test]
fn snapshots_plus_replay_equal_the_live_state() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.snapshot_every_events = 7;
    let engine = Engine::<Ledger>::open(cfg.clone()).unwrap();
    let handle = engine.handle();
    handle.submit(setup()).unwrap();
    for id in 100..160 {
        handle.submit(vec![pay(id, 1, 2, id)]).unwrap();
    }
    let hash = handle.query(|l| l.state_hash()).unwrap();
    drop(engine);
    // Drop the final snapshot of the clean shutdown: recovery must then combine an older
    // periodic snapshot with the journal records after it.
    let snapshots = dir.path().join("snapshots");
    let mut files: Vec<_> = std::fs::read_dir(&snapshots)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    std::fs::remove_file(files.pop().unwrap()).unwrap();
    let recovered = Engine::<Ledger>::open(cfg).unwrap();
    assert!(recovered.recovery().snapshot_seq.is_some());
    assert!(recovered.recovery().replayed_records > 0);
    assert_eq!(recovered.handle().query(|l| l.state_hash()).unwrap(), hash);
}

#[test]
fn a_data_directory_has_one_engine_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::<Ledger>::open(config(dir.path())).unwrap();
    assert!(matches!(
        Engine::<Ledger>::open(config(dir.path())),
        Err(EngineError::Locked(_))
    ));
    drop(engine);
    Engine::<Ledger>::open(config(dir.path())).unwrap();
}

#[test]
fn a_corrupt_journal_is_refused_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    {
        let engine = Engine::<Ledger>::open(config(dir.path())).unwrap();
        engine.handle().submit(setup()).unwrap();
        engine.handle().submit(vec![pay(10, 1, 2, 5)]).unwrap();
        engine.handle().submit(vec![pay(11, 1, 2, 5)]).unwrap();
    }
    std::fs::remove_dir_all(dir.path().join("snapshots")).unwrap();
    let segment = std::fs::read_dir(dir.path().join("journal"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut bytes = std::fs::read(&segment).unwrap();
    bytes[60] ^= 0xff;
    std::fs::write(&segment, &bytes).unwrap();
    let err = Engine::<Ledger>::open(config(dir.path())).unwrap_err();
    assert!(
        matches!(
            err,
            EngineError::Journal(corridor_journal::JournalError::Corrupt { .. })
        ),
        "{err}"
    );
}
