//! The SQL baseline of the ledger benchmark: applies transfers the way most
//! ledgers are written, one durable SQL transaction per transfer, against
//! PostgreSQL or SQLite.
//!
//! It exists so that `corridor bench ledger` can state Corridor's ledger speed
//! as a ratio to a conventional, honest baseline rather than as a bare number.
//! The baseline is written as a careful engineer would write it (prepared
//! statements, row locks on both accounts taken in id order so concurrent
//! transfers cannot deadlock, primary-key idempotency) and is deliberately not
//! batched: every transfer is its own transaction whose `COMMIT` waits for an
//! fsync. On PostgreSQL it runs on one connection ([`run`]) or on several at
//! once ([`run_concurrent`]), as an application server's pool would: the
//! server then flushes the WAL of transactions committing together once
//! (group commit), which is how PostgreSQL is used when throughput matters.
//!
//! # Durability
//!
//! - PostgreSQL: the session sets `synchronous_commit = on` (the server
//!   default) and [`run`] refuses a server running with `fsync = off`, so each
//!   `COMMIT` returns only once its WAL record is flushed to disk.
//! - SQLite: the database uses `journal_mode = WAL` with `synchronous = FULL`,
//!   so each `COMMIT` fsyncs the WAL.
//!
//! Balances and amounts are stored as signed 64-bit SQL integers, as most
//! ledgers store minor units; larger values are refused with
//! [`BaselineError::OutOfRange`].

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use postgres::{Client, NoTls};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

/// One transfer: move `amount` from `debit_account` to `credit_account`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaselineTransfer {
    /// Unique id; a transfer whose id was already applied is rejected.
    pub id: u128,
    pub debit_account: u32,
    pub credit_account: u32,
    pub amount: u64,
}

/// The database the baseline runs against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaselineTarget {
    /// A PostgreSQL server, e.g. `postgresql://postgres@127.0.0.1:55432/corridor_bench`.
    Postgres { url: String },
    /// A SQLite database file, created if missing.
    Sqlite { path: PathBuf },
}

/// The outcome of one run; `elapsed` times the transfer loop only, not the setup.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineReport {
    /// Database and version, e.g. `PostgreSQL 15.18 (Debian 15.18-0+deb12u1)` or `SQLite 3.50.2`.
    pub backend: String,
    /// Connections applying transfers at once.
    pub connections: usize,
    pub transfers: usize,
    pub applied: usize,
    /// Transfers rolled back: insufficient funds, unknown account or duplicate id.
    pub rejected: usize,
    pub elapsed: Duration,
}

impl BaselineReport {
    /// Transfers processed (applied or rejected) per second of the timed loop.
    pub fn transfers_per_s(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.transfers as f64 / secs
        } else {
            0.0
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("PostgreSQL baseline failed while {context}")]
    Postgres {
        context: &'static str,
        source: postgres::Error,
    },
    #[error("SQLite baseline failed while {context}")]
    Sqlite {
        context: &'static str,
        source: rusqlite::Error,
    },
    #[error("{what} {value} exceeds the baseline's signed 64-bit SQL integers")]
    OutOfRange { what: &'static str, value: u64 },
    #[error("the database has {setting} = {value}; the baseline needs durable commits")]
    NotDurable {
        setting: &'static str,
        value: String,
    },
    #[error("SQLite has one writer at a time: its baseline runs on one connection, not {0}")]
    SingleWriter(usize),
    #[error("a baseline connection stopped without an answer")]
    ConnectionLost,
}

/// Recreates the `accounts` and `transfers` tables, funds accounts
/// `0..accounts` with `initial_balance` credits each (untimed), then applies
/// `transfers` in order on one connection, one transaction each, and times
/// that loop.
pub fn run(
    target: &BaselineTarget,
    accounts: u32,
    initial_balance: u64,
    transfers: &[BaselineTransfer],
) -> Result<BaselineReport, BaselineError> {
    run_concurrent(target, 1, accounts, initial_balance, transfers)
}

/// As [`run`], with `connections` connections applying transfers at once
/// (PostgreSQL only; SQLite has one writer): each takes the next transfer not
/// yet taken, so transfers start in order but may commit out of order. The
/// clock starts once every connection is open and its statements prepared.
pub fn run_concurrent(
    target: &BaselineTarget,
    connections: usize,
    accounts: u32,
    initial_balance: u64,
    transfers: &[BaselineTransfer],
) -> Result<BaselineReport, BaselineError> {
    let initial_balance = bigint("initial balance", initial_balance)?;
    let connections = connections.max(1);
    match target {
        BaselineTarget::Postgres { url } => {
            let version = setup_postgres(url, accounts, initial_balance)?;
            let (applied, start) = apply_postgres(url, connections, transfers)?;
            Ok(report(
                format!("PostgreSQL {version}"),
                connections,
                transfers.len(),
                applied,
                start,
            ))
        }
        BaselineTarget::Sqlite { path } if connections == 1 => {
            run_sqlite(path, accounts, initial_balance, transfers)
        }
        BaselineTarget::Sqlite { .. } => Err(BaselineError::SingleWriter(connections)),
    }
}

/// Checks the server is durable, recreates and funds the tables; returns the
/// server's version.
fn setup_postgres(url: &str, accounts: u32, initial_balance: i64) -> Result<String, BaselineError> {
    let mut client = Client::connect(url, NoTls).map_err(pg("connecting"))?;
    let fsync: String = client
        .query_one("SHOW fsync", &[])
        .map_err(pg("reading the fsync setting"))?
        .get(0);
    if fsync != "on" {
        return Err(BaselineError::NotDurable {
            setting: "fsync",
            value: fsync,
        });
    }
    let version: String = client
        .query_one("SHOW server_version", &[])
        .map_err(pg("reading the server version"))?
        .get(0);
    client
        .batch_execute(
            "DROP TABLE IF EXISTS transfers, accounts;
             CREATE TABLE accounts (
                 id BIGINT PRIMARY KEY,
                 debits_posted BIGINT NOT NULL,
                 credits_posted BIGINT NOT NULL);
             CREATE TABLE transfers (
                 id BYTEA PRIMARY KEY,
                 debit_account BIGINT NOT NULL,
                 credit_account BIGINT NOT NULL,
                 amount BIGINT NOT NULL,
                 ts TIMESTAMPTZ NOT NULL DEFAULT now());",
        )
        .map_err(pg("creating the tables"))?;
    client
        .execute(
            "INSERT INTO accounts (id, debits_posted, credits_posted)
             SELECT g, 0, $2::BIGINT FROM generate_series(0, $1::BIGINT - 1) AS g",
            &[&i64::from(accounts), &initial_balance],
        )
        .map_err(pg("funding the accounts"))?;
    client
        .batch_execute("ANALYZE accounts")
        .map_err(pg("analyzing the accounts"))?;
    Ok(version)
}

/// Applies `transfers` from `connections` threads, each with its own
/// connection; returns how many were applied and when the clock started.
fn apply_postgres(
    url: &str,
    connections: usize,
    transfers: &[BaselineTransfer],
) -> Result<(usize, Instant), BaselineError> {
    let next = AtomicUsize::new(0);
    let ready = Arc::new(Barrier::new(connections + 1));
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..connections)
            .map(|_| {
                let (next, ready) = (&next, ready.clone());
                scope.spawn(move || {
                    let session = PgSession::open(url);
                    ready.wait();
                    let mut session = session?;
                    let mut applied = 0;
                    while let Some(t) = transfers.get(next.fetch_add(1, Ordering::Relaxed)) {
                        applied += usize::from(session.apply(t)?);
                    }
                    Ok(applied)
                })
            })
            .collect();
        ready.wait();
        let start = Instant::now();
        let mut applied = 0;
        for worker in workers {
            let done: Result<usize, BaselineError> =
                worker.join().map_err(|_| BaselineError::ConnectionLost)?;
            applied += done?;
        }
        Ok((applied, start))
    })
}

/// One connection of the PostgreSQL baseline, with its prepared statements.
struct PgSession {
    client: Client,
    lock: postgres::Statement,
    insert: postgres::Statement,
    debit: postgres::Statement,
    credit: postgres::Statement,
}

impl PgSession {
    fn open(url: &str) -> Result<PgSession, BaselineError> {
        let mut client = Client::connect(url, NoTls).map_err(pg("connecting"))?;
        client
            .batch_execute("SET synchronous_commit = on")
            .map_err(pg("setting synchronous_commit"))?;
        // Both accounts, locked in id order: two transfers between the same
        // accounts in opposite directions wait for each other instead of
        // deadlocking.
        let lock = client
            .prepare(
                "SELECT id, debits_posted, credits_posted FROM accounts
                 WHERE id = ANY($1) ORDER BY id FOR UPDATE",
            )
            .map_err(pg("preparing the balance query"))?;
        let insert = client
            .prepare(
                "INSERT INTO transfers (id, debit_account, credit_account, amount)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
            )
            .map_err(pg("preparing the transfer insert"))?;
        let debit = client
            .prepare("UPDATE accounts SET debits_posted = debits_posted + $2 WHERE id = $1")
            .map_err(pg("preparing the debit update"))?;
        let credit = client
            .prepare("UPDATE accounts SET credits_posted = credits_posted + $2 WHERE id = $1")
            .map_err(pg("preparing the credit update"))?;
        Ok(PgSession {
            client,
            lock,
            insert,
            debit,
            credit,
        })
    }

    /// One transfer in its own transaction; whether it was applied.
    fn apply(&mut self, t: &BaselineTransfer) -> Result<bool, BaselineError> {
        let amount = bigint("transfer amount", t.amount)?;
        let (debit_id, credit_id) = (i64::from(t.debit_account), i64::from(t.credit_account));
        let id = t.id.to_be_bytes();
        let mut tx = self
            .client
            .transaction()
            .map_err(pg("beginning a transfer"))?;
        let funded = tx
            .query(&self.lock, &[&vec![debit_id, credit_id]])
            .map_err(pg("locking the accounts"))?
            .iter()
            .find(|row| row.get::<_, i64>(0) == debit_id)
            .is_some_and(|row| covers(row.get(1), row.get(2), amount));
        let ok = funded
            && tx
                .execute(
                    &self.insert,
                    &[&id.as_slice(), &debit_id, &credit_id, &amount],
                )
                .map_err(pg("inserting a transfer"))?
                == 1
            && tx
                .execute(&self.debit, &[&debit_id, &amount])
                .map_err(pg("debiting an account"))?
                == 1
            && tx
                .execute(&self.credit, &[&credit_id, &amount])
                .map_err(pg("crediting an account"))?
                == 1;
        if ok {
            tx.commit().map_err(pg("committing a transfer"))?;
        } else {
            tx.rollback().map_err(pg("rolling back a transfer"))?;
        }
        Ok(ok)
    }
}

fn run_sqlite(
    path: &Path,
    accounts: u32,
    initial_balance: i64,
    transfers: &[BaselineTransfer],
) -> Result<BaselineReport, BaselineError> {
    let conn = Connection::open(path).map_err(lite("opening the database"))?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(lite("enabling WAL"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(BaselineError::NotDurable {
            setting: "journal_mode",
            value: mode,
        });
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(lite("setting synchronous = FULL"))?;
    conn.execute_batch(
        "DROP TABLE IF EXISTS transfers;
         DROP TABLE IF EXISTS accounts;
         CREATE TABLE accounts (
             id INTEGER PRIMARY KEY,
             debits_posted INTEGER NOT NULL,
             credits_posted INTEGER NOT NULL);
         CREATE TABLE transfers (
             id BLOB PRIMARY KEY,
             debit_account INTEGER NOT NULL,
             credit_account INTEGER NOT NULL,
             amount INTEGER NOT NULL,
             ts TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);",
    )
    .map_err(lite("creating the tables"))?;
    conn.execute(
        "WITH RECURSIVE ids(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM ids WHERE id + 1 < ?1)
         INSERT INTO accounts (id, debits_posted, credits_posted)
         SELECT id, 0, ?2 FROM ids WHERE id < ?1",
        (accounts, initial_balance),
    )
    .map_err(lite("funding the accounts"))?;

    let mut balance = conn
        .prepare("SELECT debits_posted, credits_posted FROM accounts WHERE id = ?1")
        .map_err(lite("preparing the balance query"))?;
    let mut insert = conn
        .prepare(
            "INSERT INTO transfers (id, debit_account, credit_account, amount)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
        )
        .map_err(lite("preparing the transfer insert"))?;
    let mut debit = conn
        .prepare("UPDATE accounts SET debits_posted = debits_posted + ?2 WHERE id = ?1")
        .map_err(lite("preparing the debit update"))?;
    let mut credit = conn
        .prepare("UPDATE accounts SET credits_posted = credits_posted + ?2 WHERE id = ?1")
        .map_err(lite("preparing the credit update"))?;

    let (start, mut applied) = (Instant::now(), 0);
    for t in transfers {
        let amount = bigint("transfer amount", t.amount)?;
        // BEGIN IMMEDIATE takes the write lock up front, like FOR UPDATE does.
        // `new_unchecked` lets the prepared statements above outlive each transaction.
        let tx = Transaction::new_unchecked(&conn, TransactionBehavior::Immediate)
            .map_err(lite("beginning a transfer"))?;
        let funded = balance
            .query_row([t.debit_account], |row| {
                Ok(covers(row.get(0)?, row.get(1)?, amount))
            })
            .optional()
            .map_err(lite("reading the debit account"))?
            == Some(true);
        let ok = funded
            && insert
                .execute((
                    &t.id.to_be_bytes(),
                    t.debit_account,
                    t.credit_account,
                    amount,
                ))
                .map_err(lite("inserting a transfer"))?
                == 1
            && debit
                .execute((t.debit_account, amount))
                .map_err(lite("debiting an account"))?
                == 1
            && credit
                .execute((t.credit_account, amount))
                .map_err(lite("crediting an account"))?
                == 1;
        if ok {
            tx.commit().map_err(lite("committing a transfer"))?;
            applied += 1;
        } else {
            tx.rollback().map_err(lite("rolling back a transfer"))?;
        }
    }
    let backend = format!("SQLite {}", rusqlite::version());
    Ok(report(backend, 1, transfers.len(), applied, start))
}

/// Whether an account with these postings can be debited `amount` without going negative.
fn covers(debits: i64, credits: i64, amount: i64) -> bool {
    i128::from(credits) - i128::from(debits) >= i128::from(amount)
}

fn report(
    backend: String,
    connections: usize,
    transfers: usize,
    applied: usize,
    start: Instant,
) -> BaselineReport {
    BaselineReport {
        backend,
        connections,
        transfers,
        applied,
        rejected: transfers - applied,
        elapsed: start.elapsed(),
    }
}

fn bigint(what: &'static str, value: u64) -> Result<i64, BaselineError> {
    i64::try_from(value).map_err(|_| BaselineError::OutOfRange { what, value })
}

fn pg(context: &'static str) -> impl FnOnce(postgres::Error) -> BaselineError {
    move |source| BaselineError::Postgres { context, source }
}

fn lite(context: &'static str) -> impl FnOnce(rusqlite::Error) -> BaselineError {
    move |source| BaselineError::Sqlite { context, source }
}
