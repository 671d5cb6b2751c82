//! Crash test: a child process (this same test binary, re-run with an environment variable)
//! writes thousands of transfers from several threads through the engine and prints each
//! result the moment it is released. The parent SIGKILLs it at a random instant, recovers the
//! data directory, and checks that
//! - every released `ok`/`exists` transfer is present, every released failure absent;
//! - each present transfer took effect exactly once (balances equal the sum of the present
//!   transfers' effects, computed from the known workload);
//! - no linked chain is half-applied and no post exists without its reservation;
//! - the ledger invariants hold.
//!
//! The same directory is killed and recovered many times in a row, with snapshots at random
//! intervals, so recovery also runs from snapshots taken by earlier, killed runs. At the end
//! the whole workload is retried and every earlier `ok` must come back `exists`.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use corridor_core::{AccountId, Amount, TransferId};
use corridor_engine::{Engine, EngineConfig};
use corridor_ledger::{
    AccountKind, BalanceRule, Command, Ledger, Movement, NewAccount, ResultCode, Transfer,
    TransferAction, TransferState,
};
use rand::Rng;

const CHILD_ENV: &str = "CORRIDOR_CRASH_CHILD_DIR";
const SNAPSHOT_ENV: &str = "CORRIDOR_CRASH_SNAPSHOT_EVERY";
const ROUND_ENV: &str = "CORRIDOR_CRASH_ROUND";
const THREADS: u128 = 4;
const SUBMISSIONS: u128 = 250;
const KILLS: usize = 24;
const FUNDING: u128 = 1;
const EMPTY: u128 = 10;

fn aid(n: u128) -> AccountId {
    AccountId::new(n).unwrap()
}

fn tid(n: u128) -> TransferId {
    TransferId::new(n).unwrap()
}

fn accounts() -> Vec<Command> {
    (1..=EMPTY)
        .map(|id| {
            let rule = if id == FUNDING {
                BalanceRule::Unrestricted
            } else {
                BalanceRule::DebitsMustNotExceedCredits { limit: 0 }
            };
            Command::CreateAccount(NewAccount {
                id: aid(id),
                owner: "SABRRUMM".parse().unwrap(),
                currency: "RUB".parse().unwrap(),
                kind: AccountKind::Settlement,
                rule,
                code: 0,
                user_ref: 0,
                linked: false,
            })
        })
        .collect()
}

/// One workload event and how the checker interprets it.
#[derive(Clone, Copy)]
struct Planned {
    command: Command,
    /// The other member of a linked pair.
    partner: Option<u128>,
}

fn movement(debit: u128, credit: u128, amount: u128) -> Movement {
    Movement {
        debit_account: aid(debit),
        credit_account: aid(credit),
        currency: "RUB".parse().unwrap(),
        amount: Amount::from_minor(amount),
    }
}

fn transfer(id: u128, action: TransferAction, linked: bool) -> Command {
    Command::CreateTransfer(Transfer {
        id: tid(id),
        action,
        code: 7,
        user_ref: id,
        linked,
    })
}

/// Submission `k` of thread `t` in kill round `round`: six single posts, a linked pair, a
/// reservation, the post of the previous submission's reservation, and a transfer that
/// always fails (no funds). Each round writes new ids.
fn submission(round: u128, t: u128, k: u128) -> Vec<Planned> {
    let base = round * 100_000_000 + (t + 1) * 1_000_000 + k * 100;
    let credit = |j: u128| 2 + (base + j) % 8;
    let amount = |j: u128| (base + j) % 997 + 1;
    let mut plan: Vec<Planned> = (0..6)
        .map(|j| Planned {
            command: transfer(
                base + j,
                TransferAction::Post(movement(FUNDING, credit(j), amount(j))),
                false,
            ),
            partner: None,
        })
        .collect();
    plan.push(Planned {
        command: transfer(
            base + 10,
            TransferAction::Post(movement(FUNDING, credit(10), amount(10))),
            true,
        ),
        partner: Some(base + 11),
    });
    plan.push(Planned {
        command: transfer(
            base + 11,
            TransferAction::Post(movement(FUNDING, credit(11), amount(11))),
            false,
        ),
        partner: Some(base + 10),
    });
    let reservation = TransferAction::Reserve {
        movement: movement(FUNDING, credit(20), amount(20)),
        timeout_seconds: 0,
    };
    plan.push(Planned {
        command: transfer(base + 20, reservation, false),
        partner: None,
    });
    if k > 0 {
        let previous = base - 100 + 20;
        let post = TransferAction::PostPending {
            pending_id: tid(previous),
            amount: None,
        };
        plan.push(Planned {
            command: transfer(base + 21, post, false),
            partner: None,
        });
    }
    plan.push(Planned {
        command: transfer(
            base + 30,
            TransferAction::Post(movement(EMPTY, 2, 5)),
            false,
        ),
        partner: None,
    });
    plan
}

fn workload(round: u128) -> Vec<Planned> {
    (0..THREADS)
        .flat_map(|t| (0..SUBMISSIONS).flat_map(move |k| submission(round, t, k)))
        .collect()
}

fn engine_config(dir: &Path, snapshot_every: u64) -> EngineConfig {
    let mut config = EngineConfig::new(dir);
    config.snapshot_every_events = snapshot_every;
    config
}

/// The child: runs only when the parent sets `CHILD_ENV`; a no-op in a normal test run.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let snapshot_every = std::env::var(SNAPSHOT_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let round: u128 = std::env::var(ROUND_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let engine = Engine::<Ledger>::open(engine_config(Path::new(&dir), snapshot_every)).unwrap();
    engine.handle().submit(accounts()).unwrap();
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let handle = engine.handle();
            std::thread::spawn(move || {
                for k in 0..SUBMISSIONS {
                    let commands: Vec<Command> =
                        submission(round, t, k).iter().map(|p| p.command).collect();
                    let outcome = handle.submit(commands.clone()).unwrap();
                    let mut lines = String::new();
                    for (command, result) in commands.iter().zip(&outcome.results) {
                        if let Command::CreateTransfer(tr) = command {
                            lines.push_str(&format!("RELEASED {} {}\n", tr.id, result));
                        }
                    }
                    print!("{lines}");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    println!("CHILD DONE");
}

/// Runs the child until a random instant, SIGKILLs it, returns the released results.
fn run_and_kill(
    dir: &Path,
    round: u128,
    kill_after: Duration,
    snapshot_every: u64,
) -> (HashMap<u128, String>, bool) {
    let mut child = Process::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, dir)
        .env(SNAPSHOT_ENV, snapshot_every.to_string())
        .env(ROUND_ENV, round.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut released = HashMap::new();
        let mut done = false;
        let mut reader = BufReader::new(stdout);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
            // A line cut by the kill has no newline and does not count as released.
            if line.ends_with(b"\n") {
                let text = String::from_utf8_lossy(&line);
                let mut parts = text.split_whitespace();
                match (parts.next(), parts.next(), parts.next()) {
                    (Some("RELEASED"), Some(id), Some(result)) => {
                        released.insert(id.parse::<u128>().unwrap(), result.to_string());
                    }
                    (Some("CHILD"), Some("DONE"), _) => done = true,
                    _ => {}
                }
            }
            line.clear();
        }
        (released, done)
    });
    std::thread::sleep(kill_after);
    child.kill().unwrap();
    child.wait().unwrap();
    reader.join().unwrap()
}

fn recover(dir: &Path) -> Ledger {
    let engine = Engine::<Ledger>::open(engine_config(dir, 1_000_000)).unwrap();
    engine.handle().query(|l| l.clone()).unwrap()
}

fn check(ledger: &Ledger, plan: &[Planned], released: &HashMap<u128, String>) {
    ledger.check_invariants().unwrap();
    let state = |id: u128| ledger.transfer_state(tid(id));
    let mut expected: HashMap<u128, [u128; 4]> = (1..=EMPTY).map(|id| (id, [0; 4])).collect();
    let mut posted = HashSet::new();
    for p in plan {
        let Command::CreateTransfer(t) = p.command else {
            continue;
        };
        let id = t.id.get();
        let present = state(id).is_some();
        if let Some(result) = released.get(&id) {
            let succeeded = result == "ok" || result == "exists";
            assert_eq!(
                present, succeeded,
                "released {id} as {result} but present={present}"
            );
        }
        if let Some(partner) = p.partner {
            assert_eq!(
                present,
                state(partner).is_some(),
                "linked pair {id}/{partner} half-applied"
            );
        }
        if !present {
            continue;
        }
        match t.action {
            TransferAction::Post(m) => {
                expected.get_mut(&m.debit_account.get()).unwrap()[1] += m.amount.minor();
                expected.get_mut(&m.credit_account.get()).unwrap()[3] += m.amount.minor();
            }
            TransferAction::Reserve { movement: m, .. } => {
                let slot = if state(id) == Some(TransferState::Pending) {
                    0
                } else {
                    1
                };
                expected.get_mut(&m.debit_account.get()).unwrap()[slot] += m.amount.minor();
                expected.get_mut(&m.credit_account.get()).unwrap()[slot + 2] += m.amount.minor();
            }
            TransferAction::PostPending { pending_id, .. } => {
                assert_eq!(
                    state(pending_id.get()),
                    Some(TransferState::PendingPosted),
                    "post {id} without its reservation"
                );
                posted.insert(pending_id.get());
            }
            TransferAction::VoidPending { .. } => unreachable!("the workload voids nothing"),
        }
    }
    for p in plan {
        if let Command::CreateTransfer(Transfer {
            id,
            action: TransferAction::Reserve { .. },
            ..
        }) = p.command
        {
            let is_posted = state(id.get()) == Some(TransferState::PendingPosted);
            assert_eq!(
                is_posted,
                posted.contains(&id.get()),
                "reservation {id} posted without a present post"
            );
        }
    }
    for account in ledger.accounts() {
        let balances = [
            account.debits_pending,
            account.debits_posted,
            account.credits_pending,
            account.credits_posted,
        ];
        assert_eq!(
            balances,
            expected[&account.id.get()],
            "account {} applied something not exactly once",
            account.id
        );
    }
}

#[test]
fn sigkill_at_random_points_loses_nothing_released_and_applies_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rng();
    let mut plan = Vec::new();
    let mut ever_released: HashMap<u128, String> = HashMap::new();
    let mut completed_runs = 0;
    for round in 0..KILLS as u128 {
        plan.extend(workload(round));
        let kill_after = Duration::from_millis(rng.random_range(5..250));
        let snapshot_every = rng.random_range(300..4_000);
        let (released, done) = run_and_kill(dir.path(), round, kill_after, snapshot_every);
        completed_runs += usize::from(done);
        eprintln!(
            "round {round}: killed after {kill_after:?}, {} results released, finished: {done}",
            released.len()
        );
        let ledger = recover(dir.path());
        check(&ledger, &plan, &released);
        ever_released.extend(released.into_iter().filter(|(_, result)| result == "ok"));
    }
    assert!(
        completed_runs < KILLS,
        "every child finished before its kill: the kills tested nothing"
    );
    assert!(
        !ever_released.is_empty(),
        "no child released anything before its kill"
    );

    let engine = Engine::<Ledger>::open(engine_config(dir.path(), 1_000_000)).unwrap();
    let handle = engine.handle();
    for round in 0..KILLS as u128 {
        for t in 0..THREADS {
            let planned: Vec<Planned> = (0..SUBMISSIONS)
                .flat_map(|k| submission(round, t, k))
                .collect();
            let outcome = handle
                .submit(planned.iter().map(|p| p.command).collect())
                .unwrap();
            for (p, result) in planned.iter().zip(outcome.results) {
                let Command::CreateTransfer(tr) = p.command else {
                    continue;
                };
                if ever_released.contains_key(&tr.id.get()) {
                    assert_eq!(
                        result,
                        ResultCode::Exists,
                        "{} was released as ok before, then applied again",
                        tr.id
                    );
                }
            }
        }
    }
    let ledger = handle.query(|l| l.clone()).unwrap();
    check(&ledger, &plan, &HashMap::new());
    assert_eq!(
        ledger.pending_count(),
        KILLS * THREADS as usize,
        "only each thread's last reservation is still pending"
    );
}
