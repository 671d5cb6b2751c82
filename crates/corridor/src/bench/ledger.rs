//! `corridor bench ledger`: transfers per second
//! (a) applied in memory by the ledger state machine, in batches, for a uniform, a hot-account
//!     (Zipf) and a 30 % two-phase workload;
//! (b) the uniform and the two-phase workloads through the engine: journaled, `fdatasync`ed
//!     per group commit, applied and released, end to end as callers see it;
//! (c) the baseline: one SQL transaction per transfer on PostgreSQL (when
//!     `CORRIDOR_BENCH_PG_URL` or `--pg-url` names one) or SQLite, on a sample of the same
//!     uniform workload, from one connection and (PostgreSQL) from `--baseline-connections`
//!     at once, so the server can group their commits;
//! (d), (e) the settlement hub applying same-currency payments in memory and durably
//!     (`super::hub`), against the bare ledger's (a) and (b) above.
//!
//! Workloads are generated before timing starts; only `apply` / `submit` / the SQL loop is
//! timed. Every result is counted, so a workload that fails instead of settling shows up.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use corridor_core::{AccountId, Amount, CurrencyCode, Timestamp, TransferId};
use corridor_engine::{Engine, EngineConfig};
use corridor_ledger::{
    AccountKind, BalanceRule, Command, Ledger, Movement, NewAccount, ResultCode, Transfer,
    TransferAction,
};
use corridor_sqlbaseline::{BaselineTarget, BaselineTransfer};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution as _, Zipf};

use super::engine_load::submit_concurrently;
use super::{Machine, percentile_us};

#[derive(Args)]
pub struct LedgerBenchArgs {
    /// Transfers per workload.
    #[arg(long, default_value_t = 4_000_000)]
    transfers: usize,
    #[arg(long, default_value_t = 10_000)]
    accounts: u32,
    #[arg(long, default_value_t = 8_190)]
    batch_size: usize,
    /// Transfers in the SQL baseline sample.
    #[arg(long, default_value_t = 20_000)]
    baseline_transfers: usize,
    /// Concurrent connections of the second PostgreSQL baseline run.
    #[arg(long, default_value_t = 16)]
    baseline_connections: usize,
    /// Payments the hub applies in each of its runs.
    #[arg(long, default_value_t = 200_000)]
    hub_payments: usize,
    /// Payments per `SubmitPayments` command in the hub's runs (the API's batch size).
    #[arg(long, default_value_t = 1_000)]
    hub_batch: usize,
    /// PostgreSQL URL for the baseline (else `CORRIDOR_BENCH_PG_URL`, else SQLite).
    #[arg(long)]
    pg_url: Option<String>,
    /// Where the durable run's journal and the SQLite file go: on the disk being measured.
    #[arg(long, default_value = "./corridor-bench-data")]
    dir: PathBuf,
    /// Concurrent submitters in the durable run.
    #[arg(long, default_value_t = 3)]
    clients: usize,
    #[arg(long)]
    json: bool,
}

const FUNDING: u128 = 1;
/// Initial liquidity of each account: large enough that no workload transfer overdraws.
const INITIAL_BALANCE: u64 = 1_000_000_000_000;

fn rub() -> CurrencyCode {
    corridor_core::CurrencyCode::from_numeric(643)
        .unwrap_or_else(|_| unreachable!("RUB is in ISO 4217"))
}

fn aid(n: u128) -> AccountId {
    AccountId::new(n).unwrap_or_else(|_| unreachable!("bench account ids start at 1"))
}

fn tid(n: u128) -> TransferId {
    TransferId::new(n)
        .unwrap_or_else(|_| unreachable!("bench transfer ids are neither 0 nor u128::MAX"))
}

pub fn account(id: u128, rule: BalanceRule) -> Command {
    Command::CreateAccount(NewAccount {
        id: aid(id),
        owner: "VOLGRUMM"
            .parse()
            .unwrap_or_else(|_| unreachable!("a valid BIC")),
        currency: rub(),
        kind: AccountKind::Settlement,
        rule,
        code: 0,
        user_ref: 0,
        linked: false,
    })
}

fn transfer(id: u128, action: TransferAction) -> Command {
    Command::CreateTransfer(Transfer {
        id: tid(id),
        action,
        code: 1,
        user_ref: 0,
        linked: false,
    })
}

fn movement(debit: u128, credit: u128, amount: u128) -> Movement {
    Movement {
        debit_account: aid(debit),
        credit_account: aid(credit),
        currency: rub(),
        amount: Amount::from_minor(amount),
    }
}

pub fn post(id: u128, debit: u128, credit: u128, amount: u128) -> Command {
    transfer(id, TransferAction::Post(movement(debit, credit, amount)))
}

/// Account 1 funds accounts 2..=n+1, each with no overdraft allowed.
fn setup(accounts: u32) -> Vec<Vec<Command>> {
    let ids = 2..=u128::from(accounts) + 1;
    let mut open = vec![account(FUNDING, BalanceRule::Unrestricted)];
    open.extend(
        ids.clone()
            .map(|id| account(id, BalanceRule::DebitsMustNotExceedCredits { limit: 0 })),
    );
    let fund = ids
        .map(|id| post(id, FUNDING, id, u128::from(INITIAL_BALANCE)))
        .collect();
    vec![open, fund]
}

#[derive(Clone, Copy, Debug)]
enum Workload {
    Uniform,
    Zipf,
    TwoPhase,
    /// Uniform, but with random transfer ids instead of the increasing ones the Hub assigns:
    /// what the index costs when ids carry no order.
    RandomIds,
}

impl Workload {
    fn name(self) -> &'static str {
        match self {
            Workload::Uniform => "uniform",
            Workload::Zipf => "zipf",
            Workload::TwoPhase => "two_phase_30",
            Workload::RandomIds => "uniform_random_ids",
        }
    }
}

struct Picker {
    rng: StdRng,
    zipf: Option<Zipf<f64>>,
    accounts: u32,
}

impl Picker {
    fn account(&mut self) -> u128 {
        let index = match &self.zipf {
            Some(zipf) => zipf.sample(&mut self.rng) as u32 - 1,
            None => self.rng.random_range(0..self.accounts),
        };
        u128::from(index) + 2
    }

    fn pair(&mut self) -> (u128, u128) {
        loop {
            let (d, c) = (self.account(), self.account());
            if d != c {
                return (d, c);
            }
        }
    }
}

/// `n` transfers in batches. The two-phase workload makes 30 % of its events two-phase:
/// 15 % reservations and 15 % posts (nine in ten) or voids of earlier reservations.
fn generate(
    workload: Workload,
    n: usize,
    accounts: u32,
    batch_size: usize,
) -> anyhow::Result<Vec<Vec<Command>>> {
    let zipf = match workload {
        Workload::Zipf => Some(Zipf::new(f64::from(accounts), 1.0).context("Zipf distribution")?),
        _ => None,
    };
    let mut picker = Picker {
        rng: StdRng::seed_from_u64(7),
        zipf,
        accounts,
    };
    let mut open_reservations = std::collections::VecDeque::new();
    let mut commands = Vec::with_capacity(n);
    let first_id = 1_000_000_000u128;
    for i in 0..n {
        let id = match workload {
            Workload::RandomIds => picker.rng.random_range(1..u128::MAX),
            _ => first_id + i as u128,
        };
        let amount = picker.rng.random_range(1..10_000u128);
        let roll: f64 = match workload {
            Workload::TwoPhase => picker.rng.random(),
            _ => 1.0,
        };
        let command = if roll < 0.15 {
            let (d, c) = picker.pair();
            open_reservations.push_back(id);
            transfer(
                id,
                TransferAction::Reserve {
                    movement: movement(d, c, amount),
                    timeout_seconds: 3_600,
                },
            )
        } else if roll < 0.30 && open_reservations.len() > batch_size {
            let pending_id = tid(open_reservations
                .pop_front()
                .unwrap_or_else(|| unreachable!("checked non-empty")));
            if picker.rng.random_ratio(9, 10) {
                transfer(
                    id,
                    TransferAction::PostPending {
                        pending_id,
                        amount: None,
                    },
                )
            } else {
                transfer(id, TransferAction::VoidPending { pending_id })
            }
        } else {
            let (d, c) = picker.pair();
            post(id, d, c, amount)
        };
        commands.push(command);
    }
    Ok(commands
        .chunks(batch_size)
        .map(<[Command]>::to_vec)
        .collect())
}

#[derive(Debug, serde::Serialize)]
struct RunResult {
    transfers: usize,
    failed: usize,
    seconds: f64,
    transfers_per_s: f64,
    batch_p50_us: u64,
    batch_p99_us: u64,
}

impl RunResult {
    fn new(
        transfers: usize,
        failed: usize,
        elapsed: Duration,
        mut latencies: Vec<Duration>,
    ) -> RunResult {
        latencies.sort_unstable();
        RunResult {
            transfers,
            failed,
            seconds: elapsed.as_secs_f64(),
            transfers_per_s: transfers as f64 / elapsed.as_secs_f64(),
            batch_p50_us: percentile_us(&latencies, 0.50),
            batch_p99_us: percentile_us(&latencies, 0.99),
        }
    }
}

fn count_failed(results: &[ResultCode]) -> usize {
    results.iter().filter(|r| **r != ResultCode::Ok).count()
}

/// Both runs reserve index room for the whole workload up front, as a node sized for its
/// expected volume does (`EngineConfig::reserve_transfers`).
fn run_in_memory(setup: &[Vec<Command>], batches: &[Vec<Command>]) -> anyhow::Result<RunResult> {
    let mut ledger = Ledger::new();
    ledger.reserve_transfers(
        batches.iter().map(Vec::len).sum::<usize>() + setup.iter().map(Vec::len).sum::<usize>(),
    );
    let mut now = 1_000_000_000u64;
    for batch in setup {
        if count_failed(&ledger.apply(batch, Timestamp(now)).results) > 0 {
            bail!("bench setup was refused");
        }
    }
    let mut latencies = Vec::with_capacity(batches.len());
    let mut failed = 0;
    let started = Instant::now();
    for batch in batches {
        now += 1_000_000;
        let t = Instant::now();
        let outcome = ledger.apply(batch, Timestamp(now));
        latencies.push(t.elapsed());
        failed += count_failed(&outcome.results);
    }
    let elapsed = started.elapsed();
    ledger
        .check_invariants()
        .context("ledger invariants after the run")?;
    Ok(RunResult::new(
        batches.iter().map(Vec::len).sum(),
        failed,
        elapsed,
        latencies,
    ))
}

/// The durable run: several callers submit batches concurrently, as a node's connections
/// would, so the engine applies one batch while the journal syncs the previous one.
fn run_durable(
    setup: Vec<Vec<Command>>,
    batches: Vec<Vec<Command>>,
    dir: &std::path::Path,
    clients: usize,
) -> anyhow::Result<RunResult> {
    let data_dir = tempfile::Builder::new()
        .prefix("durable-")
        .tempdir_in(dir)?;
    let mut config = EngineConfig::new(data_dir.path());
    config.reserve_transfers =
        batches.iter().map(Vec::len).sum::<usize>() + setup.iter().map(Vec::len).sum::<usize>();
    let engine = Engine::<Ledger>::open(config)?;
    for batch in setup {
        if count_failed(&engine.handle().submit(batch)?.results) > 0 {
            bail!("bench setup was refused");
        }
    }
    let total = batches.iter().map(Vec::len).sum();
    let (elapsed, latencies, failed) = submit_concurrently(&engine, batches, clients, |outcome| {
        count_failed(&outcome.results)
    })?;
    let invariants = engine.handle().query(|l| l.check_invariants())?;
    invariants.context("ledger invariants after the durable run")?;
    drop(engine);
    Ok(RunResult::new(total, failed, elapsed, latencies))
}

/// Part (b) on its own, for benchmarks that compare against it (`bench api`): the uniform
/// workload of `transfers` transfers over `accounts` accounts, submitted durably through the
/// engine in batches of `batch_size` from `clients` concurrent callers, with its journal in
/// a fresh directory under `dir`. Returns the transfers per second and how many were refused.
pub fn durable_rate(
    transfers: usize,
    accounts: u32,
    batch_size: usize,
    clients: usize,
    dir: &std::path::Path,
) -> anyhow::Result<(f64, usize)> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let batches = generate(Workload::Uniform, transfers, accounts, batch_size)?;
    let result = run_durable(setup(accounts), batches, dir, clients)?;
    Ok((result.transfers_per_s, result.failed))
}

fn baseline_sample(batches: &[Vec<Command>], n: usize) -> Vec<BaselineTransfer> {
    batches
        .iter()
        .flatten()
        .filter_map(|c| match c {
            Command::CreateTransfer(Transfer {
                id,
                action: TransferAction::Post(m),
                ..
            }) => Some(BaselineTransfer {
                id: id.get(),
                debit_account: (m.debit_account.get() - 2) as u32,
                credit_account: (m.credit_account.get() - 2) as u32,
                amount: m.amount.minor() as u64,
            }),
            _ => None,
        })
        .take(n)
        .collect()
}

/// The SQL baseline: one connection, then, on PostgreSQL, `connections` at once.
fn baselines(
    args: &LedgerBenchArgs,
    sample: &[BaselineTransfer],
) -> anyhow::Result<Vec<corridor_sqlbaseline::BaselineReport>> {
    let target = match args
        .pg_url
        .clone()
        .or_else(|| std::env::var("CORRIDOR_BENCH_PG_URL").ok())
    {
        Some(url) => BaselineTarget::Postgres { url },
        None => {
            let path = args.dir.join("baseline.sqlite");
            let _ = std::fs::remove_file(&path);
            BaselineTarget::Sqlite { path }
        }
    };
    let mut reports = vec![
        corridor_sqlbaseline::run(&target, args.accounts, INITIAL_BALANCE, sample)
            .context("SQL baseline")?,
    ];
    if let BaselineTarget::Postgres { .. } = target
        && args.baseline_connections > 1
    {
        reports.push(
            corridor_sqlbaseline::run_concurrent(
                &target,
                args.baseline_connections,
                args.accounts,
                INITIAL_BALANCE,
                sample,
            )
            .context("SQL baseline, concurrent connections")?,
        );
    }
    Ok(reports)
}

fn print_run(label: &str, unit: &str, r: &RunResult) {
    println!(
        "{label:<44} {:>12.0} {unit}/s  batch p50 {:>6} us  p99 {:>6} us  ({} refused)",
        r.transfers_per_s, r.batch_p50_us, r.batch_p99_us, r.failed
    );
}

fn print_hub(label: &str, r: &super::hub::HubRun) {
    println!(
        "{label:<44} {:>12.0} payments/s  command p50 {:>6} us  p99 {:>6} us  ({} of {} settled)",
        r.payments_per_s, r.command_p50_us, r.command_p99_us, r.settled, r.payments
    );
}

pub fn run(args: LedgerBenchArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("creating {}", args.dir.display()))?;
    let setup = setup(args.accounts);
    let mut apply = serde_json::Map::new();
    let (mut uniform, mut two_phase) = (Vec::new(), Vec::new());
    for workload in [
        Workload::Uniform,
        Workload::Zipf,
        Workload::TwoPhase,
        Workload::RandomIds,
    ] {
        let batches = generate(workload, args.transfers, args.accounts, args.batch_size)?;
        let result = run_in_memory(&setup, &batches)?;
        if !args.json {
            print_run(
                &format!("(a) apply in memory, {}", workload.name()),
                "transfers",
                &result,
            );
        }
        apply.insert(workload.name().into(), serde_json::to_value(&result)?);
        match workload {
            Workload::Uniform => uniform = batches,
            Workload::TwoPhase => two_phase = batches,
            _ => {}
        }
    }
    let rate = |name: &str| apply[name]["transfers_per_s"].as_f64().unwrap_or(0.0);
    let (apply_rate, apply_two_phase_rate) = (rate("uniform"), rate("two_phase_30"));

    let sample = baseline_sample(&uniform, args.baseline_transfers);
    let durable = run_durable(setup.clone(), uniform, &args.dir, args.clients)?;
    let durable_two_phase = run_durable(setup, two_phase, &args.dir, args.clients)?;
    if !args.json {
        print_run(
            "(b) durable (journal + fdatasync), uniform",
            "transfers",
            &durable,
        );
        print_run(
            "(b) durable (journal + fdatasync), two-phase",
            "transfers",
            &durable_two_phase,
        );
    }

    let hub_workload = super::hub::workload(args.hub_payments, args.hub_batch, 'H');
    // Whichever in-memory hub run comes second in a process is faster (warm allocator and
    // caches): both variants run twice, alternately, and the second run of each is kept.
    super::hub::run_in_memory(&hub_workload)?;
    super::hub::run_in_memory_on_operating_day(&hub_workload)?;
    let hub_memory = super::hub::run_in_memory(&hub_workload)?;
    let hub_operating_day = super::hub::run_in_memory_on_operating_day(&hub_workload)?;
    let hub_durable = super::hub::run_durable(hub_workload, &args.dir, args.clients)?;
    if !args.json {
        print_hub("(d) hub in memory, same-currency payments", &hub_memory);
        print_hub(
            "(f) hub in memory, on the operating day",
            &hub_operating_day,
        );
        print_hub("(e) hub durable (engine + journal)", &hub_durable);
    }

    let baselines = baselines(&args, &sample)?;
    let baseline_rate = baselines[0].transfers_per_s();
    let ratios = serde_json::json!({
        "durable_to_apply": durable.transfers_per_s / apply_rate,
        "durable_two_phase_to_apply_two_phase": durable_two_phase.transfers_per_s / apply_two_phase_rate,
        "apply_to_baseline": apply_rate / baseline_rate,
        "durable_to_baseline": durable.transfers_per_s / baseline_rate,
        "durable_to_each_baseline": baselines
            .iter()
            .map(|b| durable.transfers_per_s / b.transfers_per_s())
            .collect::<Vec<_>>(),
        "hub_memory_to_apply": hub_memory.payments_per_s / apply_rate,
        "hub_operating_day_to_hub_memory": hub_operating_day.payments_per_s / hub_memory.payments_per_s,
        "hub_durable_to_durable": hub_durable.payments_per_s / durable.transfers_per_s,
        "hub_durable_to_each_baseline": baselines
            .iter()
            .map(|b| hub_durable.payments_per_s / b.transfers_per_s())
            .collect::<Vec<_>>(),
    });
    if args.json {
        let out = serde_json::json!({
            "accounts": args.accounts,
            "transfers": args.transfers,
            "batch_size": args.batch_size,
            "apply_transfers_per_s": apply_rate,
            "durable_transfers_per_s": durable.transfers_per_s,
            "batch_p50_us": durable.batch_p50_us,
            "batch_p99_us": durable.batch_p99_us,
            "apply": apply,
            "durable": durable,
            "durable_two_phase": durable_two_phase,
            "hub_batch": args.hub_batch,
            "hub_memory": hub_memory,
            "hub_operating_day": hub_operating_day,
            "hub_durable": hub_durable,
            "baseline": baselines.iter().map(|b| serde_json::json!({
                "backend": b.backend,
                "connections": b.connections,
                "transfers": b.transfers,
                "refused": b.rejected,
                "transfers_per_s": b.transfers_per_s(),
            })).collect::<Vec<_>>(),
            "ratio_durable_to_apply": durable.transfers_per_s / apply_rate,
            "ratio_apply_to_baseline": apply_rate / baseline_rate,
            "ratio_durable_to_baseline": durable.transfers_per_s / baseline_rate,
            "ratios": ratios,
            "machine": Machine::detect(),
        });
        println!("{out}");
        return Ok(());
    }
    for b in &baselines {
        println!(
            "(c) baseline: {}, one transaction per transfer, {} connection(s): {:>10.0} transfers/s ({} transfers, {} refused)",
            b.backend,
            b.connections,
            b.transfers_per_s(),
            b.transfers,
            b.rejected
        );
    }
    for (name, ratio) in ratios.as_object().into_iter().flatten() {
        println!("ratio {name}: {ratio}");
    }
    Ok(())
}
