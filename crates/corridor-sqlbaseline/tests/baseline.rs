//! Runs the baseline against SQLite (always) and PostgreSQL (when
//! `CORRIDOR_TEST_PG_URL` is set) and checks the database it leaves behind
//! against an in-memory model of the same rules.

use std::collections::{BTreeMap, HashSet};

use corridor_sqlbaseline::{BaselineError, BaselineTarget, BaselineTransfer, run, run_concurrent};

const ACCOUNTS: u32 = 40;

/// The PostgreSQL tests share one database and its tables: one at a time.
static POSTGRES: std::sync::Mutex<()> = std::sync::Mutex::new(());
const INITIAL: u64 = 1_000;

/// Final state: `(debits_posted, credits_posted)` per account id, and
/// `(debit_account, credit_account, amount)` per transfer id.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    accounts: Vec<(i64, i64)>,
    transfers: BTreeMap<u128, (i64, i64, i64)>,
}

fn transfer(id: u128, debit_account: u32, credit_account: u32, amount: u64) -> BaselineTransfer {
    BaselineTransfer {
        id,
        debit_account,
        credit_account,
        amount,
    }
}

/// Hand-picked edge cases followed by deterministic pseudo-random transfers,
/// some of which overdraw.
fn scenario() -> Vec<BaselineTransfer> {
    let mut edge_cases = vec![
        transfer(1, 0, 1, INITIAL + 1), // overdraft: rejected
        transfer(2, 0, 1, INITIAL),     // drains account 0 exactly
        transfer(2, 2, 3, 1),           // duplicate id: rejected
        transfer(3, 2, ACCOUNTS, 1),    // unknown credit account: rejected
        transfer(4, ACCOUNTS, 2, 1),    // unknown debit account: rejected
        transfer(u128::MAX, 5, 5, 7),   // to itself, with the largest id
        transfer(5, 0, 6, 1),           // account 0 is empty now: rejected
    ];
    let mut x = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move |bound: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % bound
    };
    edge_cases.extend((10..400_u128).map(|i| {
        let (debit, credit) = (next(u64::from(ACCOUNTS)), next(u64::from(ACCOUNTS)));
        transfer(i << 64 | i, debit as u32, credit as u32, next(400))
    }));
    edge_cases
}

/// The rules the baseline must follow, applied in memory.
fn model(transfers: &[BaselineTransfer]) -> Snapshot {
    let mut snapshot = Snapshot {
        accounts: vec![(0, INITIAL as i64); ACCOUNTS as usize],
        transfers: BTreeMap::new(),
    };
    let mut seen = HashSet::new();
    for t in transfers {
        let (d, c, amount) = (
            t.debit_account as usize,
            t.credit_account as usize,
            t.amount as i64,
        );
        if d < snapshot.accounts.len()
            && c < snapshot.accounts.len()
            && snapshot.accounts[d].1 - snapshot.accounts[d].0 >= amount
            && seen.insert(t.id)
        {
            snapshot.accounts[d].0 += amount;
            snapshot.accounts[c].1 += amount;
            snapshot
                .transfers
                .insert(t.id, (d as i64, c as i64, amount));
        }
    }
    snapshot
}

fn transfer_id(bytes: &[u8]) -> u128 {
    u128::from_be_bytes(bytes.try_into().expect("16-byte transfer id"))
}

fn sqlite_snapshot(path: &std::path::Path) -> Snapshot {
    let conn = rusqlite::Connection::open(path).expect("open");
    let accounts = conn
        .prepare("SELECT debits_posted, credits_posted FROM accounts ORDER BY id")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let transfers = conn
        .prepare("SELECT id, debit_account, credit_account, amount FROM transfers")
        .expect("prepare")
        .query_map([], |r| {
            Ok((
                transfer_id(&r.get::<_, Vec<u8>>(0)?),
                (r.get(1)?, r.get(2)?, r.get(3)?),
            ))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    Snapshot {
        accounts,
        transfers,
    }
}

fn postgres_snapshot(url: &str) -> Snapshot {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    let accounts = client
        .query(
            "SELECT debits_posted, credits_posted FROM accounts ORDER BY id",
            &[],
        )
        .expect("accounts")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let transfers = client
        .query(
            "SELECT id, debit_account, credit_account, amount FROM transfers",
            &[],
        )
        .expect("transfers")
        .iter()
        .map(|r| (transfer_id(r.get(0)), (r.get(1), r.get(2), r.get(3))))
        .collect();
    Snapshot {
        accounts,
        transfers,
    }
}

/// Runs the scenario on `target` and checks counts, rejections and balances.
fn check(target: &BaselineTarget, snapshot: impl Fn() -> Snapshot) {
    let transfers = scenario();
    let report = run(target, ACCOUNTS, INITIAL, &transfers).expect("baseline run");
    println!("{report:?}: {:.0} transfers/s", report.transfers_per_s());

    let expected = model(&transfers);
    let actual = snapshot();
    assert_eq!(report.transfers, transfers.len());
    assert_eq!(report.applied + report.rejected, transfers.len());
    assert_eq!(report.applied, expected.transfers.len());
    assert!(report.rejected >= 5, "{report:?}");
    for rejected_id in [1, 3, 4, 5] {
        assert!(!actual.transfers.contains_key(&rejected_id));
    }
    assert_eq!(actual.transfers[&2], (0, 1, INITIAL as i64));
    let net: i64 = actual.accounts.iter().map(|(d, c)| c - d).sum();
    assert_eq!(net, i64::from(ACCOUNTS) * INITIAL as i64);
    assert!(actual.accounts.iter().all(|(d, c)| c >= d));
    assert_eq!(actual, expected);
}

#[test]
fn sqlite_applies_like_the_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("baseline.db");
    let target = BaselineTarget::Sqlite { path: path.clone() };
    check(&target, || sqlite_snapshot(&path));
    // A second run starts from fresh tables.
    check(&target, || sqlite_snapshot(&path));

    let conn = rusqlite::Connection::open(&path).expect("open");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal_mode");
    assert_eq!(mode, "wal");
}

#[test]
fn sqlite_rejects_an_overdraft() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("baseline.db");
    let target = BaselineTarget::Sqlite { path: path.clone() };
    let report = run(&target, 2, 10, &[transfer(1, 0, 1, 11)]).expect("run");
    assert_eq!((report.applied, report.rejected), (0, 1));
    let snapshot = sqlite_snapshot(&path);
    assert_eq!(snapshot.accounts, [(0, 10), (0, 10)]);
    assert!(snapshot.transfers.is_empty());
}

#[test]
fn amounts_beyond_bigint_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = BaselineTarget::Sqlite {
        path: dir.path().join("baseline.db"),
    };
    let err = run(&target, 2, 10, &[transfer(1, 0, 1, u64::MAX)]).expect_err("out of range");
    assert!(matches!(err, BaselineError::OutOfRange { .. }), "{err}");
}

#[test]
fn postgres_applies_like_the_model() {
    let Ok(url) = std::env::var("CORRIDOR_TEST_PG_URL") else {
        println!("skipped: set CORRIDOR_TEST_PG_URL (scripts/with-postgres.sh does) to run it");
        return;
    };
    let _one_at_a_time = POSTGRES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    check(&BaselineTarget::Postgres { url: url.clone() }, || {
        postgres_snapshot(&url)
    });
}

#[test]
fn sqlite_runs_on_one_connection_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = BaselineTarget::Sqlite {
        path: dir.path().join("baseline.db"),
    };
    let err = run_concurrent(&target, 16, 2, 10, &[transfer(1, 0, 1, 1)]).expect_err("16");
    assert!(matches!(err, BaselineError::SingleWriter(16)), "{err}");
}

/// With many connections the order of commits varies, so here every transfer
/// is covered and every id unique: none depends on another having gone first.
#[test]
fn postgres_concurrent_connections_apply_like_the_model() {
    let Ok(url) = std::env::var("CORRIDOR_TEST_PG_URL") else {
        println!("skipped: set CORRIDOR_TEST_PG_URL (scripts/with-postgres.sh does) to run it");
        return;
    };
    let _one_at_a_time = POSTGRES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let target = BaselineTarget::Postgres { url: url.clone() };
    let mut ids = HashSet::new();
    let transfers: Vec<_> = scenario()
        .into_iter()
        .filter(|t| t.debit_account < ACCOUNTS && t.credit_account < ACCOUNTS && ids.insert(t.id))
        .map(|t| BaselineTransfer {
            amount: t.amount % 3,
            ..t
        })
        .collect();
    let report = run_concurrent(&target, 8, ACCOUNTS, INITIAL, &transfers).expect("run");
    assert_eq!(report.connections, 8);
    let expected = model(&transfers);
    assert_eq!(report.applied, expected.transfers.len());
    assert_eq!(postgres_snapshot(&url), expected);
}
