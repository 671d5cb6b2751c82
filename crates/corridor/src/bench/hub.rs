//! The hub's part of `corridor bench ledger`: same-currency customer payments applied by the
//! settlement hub (`corridor_settlement::Hub`, through `HubCommand::SubmitPayments`), which
//! checks each instruction, keeps its idempotency keys, statements, outboxes and AML
//! monitoring and settles it as one ledger transfer:
//! (d) in memory, one command after another;
//! (f) the same in memory with both currencies on their real operating day (the shipped
//!     calendars, Moscow's and Tehran's schedules, inside their common window), so every
//!     payment's value date, cut-off and window are checked: what the operating day costs;
//! (e) durably, through the engine with its journal, as the node runs it: several callers
//!     submit at once, and each answer is released only after its record is `fdatasync`ed.
//!
//! The corridor is the demo's banks of both currencies (as `bench api` sends between), with
//! AML monitoring configured as the demo configures it; the payments are `bench api`'s, with
//! full party data, generated before timing. Every answer is counted, so a payment that queues
//! or is refused shows up.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use corridor_core::Timestamp;
use corridor_engine::{Engine, EngineConfig};
use corridor_settlement::{
    AccountPurpose, Answer, ComplianceConfig, DaySchedule, EndOfDayRule, Hub, HubCommand,
    HubOutcome, LiquidityDirection, ParticipantRole, PaymentStatus, ScreeningPolicy,
};
use hyper::header::HeaderValue;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::engine_load::submit_concurrently;
use super::payments::{CURRENCIES, Sender, every_bank, parse, payment};
use super::percentile_us;

/// One run of the hub: payments per second and the latency of each command.
#[derive(Debug, serde::Serialize)]
pub(super) struct HubRun {
    pub(super) payments: usize,
    pub(super) settled: usize,
    /// Queued or refused: none are expected, the banks are funded far beyond the workload.
    pub(super) not_settled: usize,
    pub(super) seconds: f64,
    pub(super) payments_per_s: f64,
    pub(super) command_p50_us: u64,
    pub(super) command_p99_us: u64,
}

impl HubRun {
    fn new(
        payments: usize,
        settled: usize,
        elapsed: Duration,
        mut latencies: Vec<Duration>,
    ) -> HubRun {
        latencies.sort_unstable();
        HubRun {
            payments,
            settled,
            not_settled: payments - settled,
            seconds: elapsed.as_secs_f64(),
            payments_per_s: payments as f64 / elapsed.as_secs_f64(),
            command_p50_us: percentile_us(&latencies, 0.50),
            command_p99_us: percentile_us(&latencies, 0.99),
        }
    }
}

/// The banks that send: every bank of the demo corridor, in `CURRENCIES` order (the hub
/// is called directly, so without credentials).
fn senders() -> Vec<Sender> {
    every_bank(HeaderValue::from_static(""))
}

/// The corridor: each currency's agent, its banks with settlement accounts funded far beyond
/// the workload, and AML monitoring.
fn setup() -> Vec<HubCommand> {
    // The hub is measured without the gateway, so without its screening: the operator says
    // so, as it must for payments to settle while no watchlist is on record.
    let mut commands = vec![HubCommand::ConfigureCompliance(ComplianceConfig {
        screening: ScreeningPolicy::Disabled,
        ..ComplianceConfig::default()
    })];
    for c in &CURRENCIES {
        commands.push(HubCommand::AdmitParticipant {
            bic: parse(c.agent),
            name: format!("{} settlement agent", c.currency),
            country: c.country.to_string(),
            roles: vec![ParticipantRole::SettlementAgent],
        });
        commands.push(HubCommand::DesignateAgent {
            currency: parse(c.currency),
            exponent: c.exponent,
            agent: parse(c.agent),
            time_zone: c.time_zone.to_string(),
        });
        for bank in c.banks {
            commands.push(HubCommand::AdmitParticipant {
                bic: parse(bank),
                name: format!("Bank {bank}"),
                country: c.country.to_string(),
                roles: vec![ParticipantRole::DirectParticipant],
            });
            commands.push(HubCommand::OpenAccount {
                owner: parse(bank),
                currency: parse(c.currency),
                purpose: AccountPurpose::Settlement,
                net_debit_cap: 0,
            });
            commands.push(HubCommand::Liquidity {
                agent: parse(c.agent),
                reference: format!("BENCH-TOPUP-{bank}"),
                participant: parse(bank),
                currency: parse(c.currency),
                amount: c.top_up.to_string(),
                direction: LiquidityDirection::Fund,
                account: AccountPurpose::Settlement,
            });
        }
    }
    commands.push(HubCommand::ConfigureMonitoring(
        corridor_demo::monitoring_rules(),
    ));
    commands
}

/// `payments` payments in commands of `per_command`, each command from one bank; `tag` keeps
/// the instruction ids of different runs apart.
pub(super) fn workload(payments: usize, per_command: usize, tag: char) -> Vec<HubCommand> {
    let senders = senders();
    let mut rng = StdRng::seed_from_u64(17);
    let mut commands = Vec::with_capacity(payments.div_ceil(per_command.max(1)));
    let mut done = 0;
    while done < payments {
        let count = per_command.max(1).min(payments - done);
        let sender = rng.random_range(0..senders.len());
        let batch = (done..done + count)
            .map(|n| payment(&mut rng, &senders, sender, tag, n))
            .collect();
        commands.push(HubCommand::SubmitPayments {
            sender: senders[sender].bic,
            payments: batch,
            screening: Vec::new(),
        });
        done += count;
    }
    commands
}

fn payments_in(commands: &[HubCommand]) -> usize {
    commands
        .iter()
        .map(|c| match c {
            HubCommand::SubmitPayments { payments, .. } => payments.len(),
            _ => 0,
        })
        .sum()
}

/// How many payments of an answer settled.
fn settled(outcome: &HubOutcome) -> usize {
    match outcome {
        Ok(Answer::Payments(receipts)) => receipts
            .iter()
            .filter(|r| matches!(r, Ok(r) if r.status == PaymentStatus::Settled))
            .count(),
        Ok(Answer::Payment(r)) => usize::from(r.status == PaymentStatus::Settled),
        _ => 0,
    }
}

/// Engine time of the runs: a fixed instant, advanced a millisecond per command.
const START_MICROS: u64 = 1_790_000_000_000_000;
/// Tuesday 8 December 2026, 08:00 UTC: 11:00 in Moscow, 11:30 in Tehran, both open until
/// Tehran's customer cut-off at 10:30 UTC, longer than any run takes in engine time.
const OPEN_WINDOW_NS: u64 = 1_796_716_800_000_000_000;

/// Both currencies on their operating day: the shipped calendars and schedules close to
/// their central banks' (Moscow 01:00 to 21:00, Tehran 07:00 to 15:00).
fn operating_day() -> Vec<HubCommand> {
    let mut commands = Vec::new();
    for (_, text) in corridor_calendar::SHIPPED {
        let code = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("currency,"));
        if let Some(Ok(currency)) = code.map(|c| c.trim().parse()) {
            commands.push(HubCommand::LoadCalendar {
                currency,
                text: text.to_string(),
            });
        }
    }
    for (code, zone, times) in [
        (
            "RUB",
            "Europe/Moscow",
            ["01:00", "20:00", "20:00", "20:30", "21:00"],
        ),
        (
            "IRR",
            "Asia/Tehran",
            ["07:00", "14:00", "14:30", "14:30", "15:00"],
        ),
    ] {
        commands.push(HubCommand::ConfigureOperatingDay {
            currency: parse(code),
            schedule: DaySchedule {
                time_zone: zone.into(),
                opens: times[0].into(),
                customer_cutoff: times[1].into(),
                institution_cutoff: times[2].into(),
                liquidity_cutoff: times[3].into(),
                closes: times[4].into(),
                end_of_day: EndOfDayRule::RejectQueued,
                horizon_days: 30,
            },
        });
    }
    commands
}

/// (d): the hub in memory, sized for the workload up front as the node sizes it.
pub(super) fn run_in_memory(commands: &[HubCommand]) -> anyhow::Result<HubRun> {
    run_in_memory_from(commands, Vec::new(), START_MICROS)
}

/// (f): as (d), with both currencies on their operating day, inside their common window.
pub(super) fn run_in_memory_on_operating_day(commands: &[HubCommand]) -> anyhow::Result<HubRun> {
    run_in_memory_from(commands, operating_day(), OPEN_WINDOW_NS)
}

fn run_in_memory_from(
    commands: &[HubCommand],
    extra_setup: Vec<HubCommand>,
    start: u64,
) -> anyhow::Result<HubRun> {
    let mut hub = Hub::new();
    corridor_ledger::StateMachine::reserve_transfers(&mut hub, payments_in(commands) + 64);
    let mut now = start;
    for command in setup().into_iter().chain(extra_setup) {
        if let Err(r) = hub.execute(&command, Timestamp(now)) {
            bail!("hub setup was refused: {r}");
        }
    }
    let (mut latencies, mut count) = (Vec::with_capacity(commands.len()), 0);
    let started = Instant::now();
    for command in commands {
        now += 1_000;
        let t = Instant::now();
        let outcome = hub.execute(command, Timestamp(now));
        latencies.push(t.elapsed());
        count += settled(&outcome);
    }
    let elapsed = started.elapsed();
    hub.check_invariants()
        .map_err(|e| anyhow::anyhow!("hub invariants after the run: {e}"))?;
    Ok(HubRun::new(
        payments_in(commands),
        count,
        elapsed,
        latencies,
    ))
}

/// (e): the hub through the engine, journaled under a fresh directory in `dir`, with
/// `clients` callers submitting at once.
pub(super) fn run_durable(
    commands: Vec<HubCommand>,
    dir: &Path,
    clients: usize,
) -> anyhow::Result<HubRun> {
    let data_dir = tempfile::Builder::new().prefix("hub-").tempdir_in(dir)?;
    let payments = payments_in(&commands);
    let mut config = EngineConfig::new(data_dir.path());
    config.reserve_transfers = payments + 64;
    let engine = Engine::<Hub>::open(config)?;
    for command in setup() {
        if let Err(r) = engine.handle().submit(command)? {
            bail!("hub setup was refused: {r}");
        }
    }
    let (elapsed, latencies, settled_count) =
        submit_concurrently(&engine, commands, clients, settled)?;
    engine
        .handle()
        .query(|hub| hub.check_invariants().map_err(|e| e.to_string()))?
        .map_err(|e| anyhow::anyhow!("hub invariants after the durable run: {e}"))
        .context("durable hub run")?;
    drop(engine);
    Ok(HubRun::new(payments, settled_count, elapsed, latencies))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_payment_of_a_small_workload_settles() {
        let commands = workload(300, 100, 'T');
        assert_eq!(commands.len(), 3);
        let run = run_in_memory(&commands).unwrap();
        assert_eq!((run.payments, run.settled, run.not_settled), (300, 300, 0));
        let open = run_in_memory_on_operating_day(&commands).unwrap();
        assert_eq!((open.payments, open.settled), (300, 300));
        let dir = tempfile::tempdir().unwrap();
        let durable = run_durable(commands, dir.path(), 2).unwrap();
        assert_eq!((durable.payments, durable.settled), (300, 300));
    }
}
