//! `corridor bench lsm`: what liquidity saving does, on the settlement hub in memory.
//!
//! (a) Gridlock: `--banks` banks of one currency and `--gridlock-payments` payments queued
//!     among them that none can settle alone (each bank holds less than its smallest
//!     payment); the time the queue optimisation takes to resolve it (its whole sequence, in
//!     one command) and the value it settles, against plain RTGS, which moves nothing; and
//!     each algorithm alone, on its own copy of the gridlock.
//! (b) Liquidity saved: one business day of payments between `--day-banks` banks, arriving
//!     over ten hours from a seeded generator, settled once as plain RTGS and once with
//!     offsetting and the optimisation every `--interval` seconds, at equal initial liquidity
//!     (value settled by the end of the day, mean delay); then, by bisection, the least
//!     liquidity with which each settles every payment by the end of the day. As payment
//!     system simulators do, each bank's liquidity lies between its lower bound (its net
//!     debit at the end of the day, which no algorithm can do without) and its upper bound
//!     (its largest net debit over the day, with which every payment settles on arrival):
//!     the bisection searches one share of the span between them, the same for every bank.

use std::time::Instant;

use anyhow::bail;
use clap::Args;
use corridor_core::{Bic, Timestamp, Uetr};
use corridor_ledger::StateMachine;
use corridor_settlement::{
    AccountPurpose, Algorithm, ChargeBearer, ComplianceConfig, Hub, HubCommand, HubConfig,
    LiquidityDirection, LiquiditySavingConfig, ParticipantRole, Party, PaymentInstruction,
    PaymentKind, PaymentStatus, Priority, ScreeningPolicy, SettledBy,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::payments::parse;

const SECOND: u64 = 1_000_000_000;
/// 2026-12-08T05:00:00Z: the business day's first instant.
const DAY_START: u64 = 1_796_706_000 * SECOND;
const DAY_SECONDS: u64 = 10 * 3_600;
const AGENT: &str = "CBRFRUMM";

#[derive(Args, Debug)]
pub struct LsmBenchArgs {
    /// Banks in the gridlock
    #[arg(long, default_value_t = 1_000)]
    banks: usize,
    /// Payments queued in the gridlock
    #[arg(long, default_value_t = 100_000)]
    gridlock_payments: usize,
    /// Banks in the business day
    #[arg(long, default_value_t = 20)]
    day_banks: usize,
    /// Payments in the business day
    #[arg(long, default_value_t = 20_000)]
    day_payments: usize,
    /// Seconds between two runs of the queue optimisation in the business day
    #[arg(long, default_value_t = 60)]
    interval: u32,
    /// Percent of payments that belong to no cycle (their payer's net outflow)
    #[arg(long, default_value_t = 5)]
    unmatched_percent: u32,
    #[arg(long)]
    json: bool,
}

/// Bank `n`'s BIC: four letters from `n`, then RU and MM.
fn bank(n: usize) -> Bic {
    let letters: String = (0..4u32)
        .map(|i| char::from(b'A' + u8::try_from((n / 26usize.pow(i)) % 26).unwrap_or(0)))
        .collect();
    parse(&format!("{letters}RUMM"))
}

fn kopecks(minor: u128) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// A customer payment of `amount` kopecks from bank `from` to bank `to`.
fn payment(n: usize, to: usize, amount: u128, rng: &mut StdRng) -> PaymentInstruction {
    PaymentInstruction {
        kind: PaymentKind::CustomerCreditTransfer,
        instruction_id: format!("LSM-{n}"),
        end_to_end_id: format!("E2E-{n}"),
        uetr: Uetr::from_random_bytes(rng.random()),
        amount: kopecks(amount),
        currency: parse("RUB"),
        instructed_agent: bank(to),
        debtor: Party {
            name: "Ivan Petrov".into(),
            ..Party::default()
        },
        debtor_account: None,
        debtor_agent: None,
        creditor: Party {
            name: "Anna Smirnova".into(),
            ..Party::default()
        },
        creditor_account: None,
        creditor_agent: None,
        ultimate_debtor: None,
        ultimate_creditor: None,
        charge_bearer: ChargeBearer::ServiceLevel,
        purpose: None,
        remittance_information: None,
        priority: Priority::Normal,
        quote: None,
        settlement_date: None,
        when_closed: None,
        settlement_time: None,
    }
}

/// The hub as a bench drives it: commands at engine times it chooses.
struct Bench {
    hub: Hub,
    now: u64,
}

impl Bench {
    fn run(&mut self, command: &HubCommand) -> anyhow::Result<()> {
        self.now += 1_000;
        if let Err(r) = self.hub.execute(command, Timestamp(self.now)) {
            bail!("refused: {r}");
        }
        Ok(())
    }

    /// The agent and one bank for each of `liquidity`, funded with that many kopecks,
    /// liquidity saving on (with optimisation every `interval` seconds) or off.
    fn corridor(liquidity: &[u128], interval: Option<u32>) -> anyhow::Result<Bench> {
        let mut b = Bench {
            hub: Hub::new(),
            now: DAY_START - 3_600 * SECOND,
        };
        b.run(&HubCommand::ConfigureCompliance(ComplianceConfig {
            screening: ScreeningPolicy::Disabled,
            ..ComplianceConfig::default()
        }))?;
        b.run(&HubCommand::Configure(HubConfig {
            queue_timeout_seconds: 2 * 86_400,
            quote_validity_seconds: 60,
        }))?;
        b.run(&HubCommand::AdmitParticipant {
            bic: parse(AGENT),
            name: "Bank of Russia".into(),
            country: "RU".into(),
            roles: vec![ParticipantRole::SettlementAgent],
        })?;
        b.run(&HubCommand::DesignateAgent {
            currency: parse("RUB"),
            exponent: 2,
            agent: parse(AGENT),
            time_zone: "Europe/Moscow".into(),
        })?;
        for (n, &liquidity) in liquidity.iter().enumerate() {
            b.run(&HubCommand::AdmitParticipant {
                bic: bank(n),
                name: format!("Bank {n}"),
                country: "RU".into(),
                roles: vec![ParticipantRole::DirectParticipant],
            })?;
            b.run(&HubCommand::OpenAccount {
                owner: bank(n),
                currency: parse("RUB"),
                purpose: AccountPurpose::Settlement,
                net_debit_cap: 0,
            })?;
            if liquidity > 0 {
                b.run(&HubCommand::Liquidity {
                    agent: parse(AGENT),
                    reference: format!("L{n}"),
                    participant: bank(n),
                    currency: parse("RUB"),
                    amount: kopecks(liquidity),
                    direction: LiquidityDirection::Fund,
                    account: AccountPurpose::Settlement,
                })?;
            }
        }
        if let Some(interval) = interval {
            b.run(&HubCommand::ConfigureLiquiditySaving(
                LiquiditySavingConfig {
                    offsetting: true,
                    optimisation_interval_seconds: interval,
                    max_steps: 10_000_000,
                },
            ))?;
        }
        Ok(b)
    }

    fn pay(&mut self, from: usize, instruction: PaymentInstruction) -> anyhow::Result<()> {
        self.run(&HubCommand::SubmitPayments {
            sender: bank(from),
            payments: vec![instruction],
            screening: Vec::new(),
        })
    }

    /// What a day settled, and how late.
    fn outcome(&self) -> Outcome {
        let (mut value, mut settled, mut delay_ns, mut max_ns) = (0u128, 0usize, 0u128, 0u64);
        let count = self.hub.payment_count();
        for id in 1..=count as u64 {
            let Some(p) = self.hub.payment(id) else {
                continue;
            };
            if p.status != PaymentStatus::Settled {
                continue;
            }
            value += p.amount;
            settled += 1;
            let at = p.settled_at.map_or(0, |t| t.0);
            let delay = at.saturating_sub(p.received_at.0);
            delay_ns += u128::from(delay);
            max_ns = max_ns.max(delay);
        }
        let delay_mean_s = if settled == 0 {
            0.0
        } else {
            delay_ns as f64 / settled as f64 / SECOND as f64
        };
        Outcome {
            settled_value: value,
            settled_payments: settled,
            payments: count,
            delay_mean_s,
            delay_max_s: max_ns / SECOND,
        }
    }
}

struct Outcome {
    settled_value: u128,
    settled_payments: usize,
    payments: usize,
    delay_mean_s: f64,
    delay_max_s: u64,
}

#[derive(Debug, serde::Serialize)]
struct Gridlock {
    banks: usize,
    payments: usize,
    queued_value: u128,
    resolve_ms: f64,
    settled_payments: usize,
    settled_value: u128,
    all_or_nothing_value: u128,
    partial_value: u128,
    bilateral_value: u128,
    rtgs_settled_value: u128,
    algorithms: Vec<AlgorithmRun>,
}

/// (a): every bank holds 1.00 and every payment is at least 100.00, so none moves alone;
/// the payments are [`flows`], queued in the order drawn.
fn gridlock(args: &LsmBenchArgs) -> anyhow::Result<Gridlock> {
    let mut b = Bench::corridor(&vec![100; args.banks], None)?;
    let mut rng = StdRng::seed_from_u64(20);
    let mut queued_value = 0u128;
    for (n, (from, to, amount)) in flows(
        args.gridlock_payments,
        args.banks,
        args.unmatched_percent,
        21,
    )
    .into_iter()
    .enumerate()
    {
        queued_value += amount;
        let i = payment(n, to, amount, &mut rng);
        b.pay(from, i)?;
    }
    let rtgs_settled_value = b.outcome().settled_value;
    let algorithms = time_each_algorithm(&b)?;
    // Turning the optimisation on runs its sequence at once over the queues as they stand.
    let started = Instant::now();
    b.run(&HubCommand::ConfigureLiquiditySaving(
        LiquiditySavingConfig {
            offsetting: false,
            optimisation_interval_seconds: 1,
            max_steps: 10_000_000,
        },
    ))?;
    let resolve_ms = started.elapsed().as_secs_f64() * 1_000.0;
    b.hub
        .check_invariants()
        .map_err(|e| anyhow::anyhow!("invariants after the gridlock: {e}"))?;
    let Outcome {
        settled_value,
        settled_payments,
        ..
    } = b.outcome();
    let by = |way| {
        b.hub
            .settled_by(Some(parse("RUB")), None)
            .get(&(parse("RUB"), way))
            .map_or(0, |s| s.value)
    };
    Ok(Gridlock {
        banks: args.banks,
        payments: args.gridlock_payments,
        queued_value,
        resolve_ms,
        settled_payments,
        settled_value,
        all_or_nothing_value: by(SettledBy::AllOrNothing),
        partial_value: by(SettledBy::Partial),
        bilateral_value: by(SettledBy::Bilateral),
        rtgs_settled_value,
        algorithms,
    })
}

/// One algorithm run alone over the gridlock.
#[derive(Debug, serde::Serialize)]
struct AlgorithmRun {
    algorithm: Algorithm,
    ms: f64,
    settled_value: u128,
}

/// Each algorithm alone, on its own copy of the gridlocked hub (restored from a snapshot),
/// timed as the one command that runs it.
fn time_each_algorithm(b: &Bench) -> anyhow::Result<Vec<AlgorithmRun>> {
    let snapshot = b
        .hub
        .encode_snapshot()
        .map_err(|e| anyhow::anyhow!("snapshot: {e}"))?;
    let mut runs = Vec::new();
    for algorithm in [
        Algorithm::AllOrNothing,
        Algorithm::Partial,
        Algorithm::Bilateral,
    ] {
        let mut copy = Bench {
            hub: Hub::decode_snapshot(&snapshot).map_err(|e| anyhow::anyhow!("restore: {e}"))?,
            now: b.now,
        };
        let started = Instant::now();
        copy.run(&HubCommand::RunOptimisation {
            currency: parse("RUB"),
            algorithm: Some(algorithm),
        })?;
        let ms = started.elapsed().as_secs_f64() * 1_000.0;
        runs.push(AlgorithmRun {
            algorithm,
            ms,
            settled_value: copy.outcome().settled_value,
        });
    }
    Ok(runs)
}

/// Payments between `banks` banks as they flow in a payment system, which largely offset:
/// most belong to a cycle (2 to 5 distinct banks, each paying the next the same amount, so
/// the cycle nets to zero for each of them), `unmatched_percent` in a hundred are lone
/// payments between two uniform banks. Amounts are log-uniform from 100.00 to 1,000,000.00, so a
/// few large payments carry most of the value. (from, to, kopecks), cycles in turn.
fn flows(
    payments: usize,
    banks: usize,
    unmatched_percent: u32,
    seed: u64,
) -> Vec<(usize, usize, u128)> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(payments);
    while out.len() < payments {
        let exponent: f64 = rng.random_range(4.0..8.0);
        let amount = 10f64.powf(exponent) as u128;
        let lone = rng.random_range(0..100) < unmatched_percent;
        let size = if lone {
            2
        } else {
            rng.random_range(2..=5usize).min(banks)
        };
        let mut members: Vec<usize> = Vec::with_capacity(size);
        while members.len() < size {
            let b = rng.random_range(0..banks);
            if !members.contains(&b) {
                members.push(b);
            }
        }
        let hops = if lone { 1 } else { size };
        out.extend((0..hops).map(|i| (members[i], members[(i + 1) % size], amount)));
    }
    out.truncate(payments);
    out
}

/// One business day: the flows of [`flows`], each payment at its own uniform time over the
/// ten hours. (arrival second, from, to, kopecks), by arrival.
fn day_workload(args: &LsmBenchArgs) -> Vec<(u64, usize, usize, u128)> {
    let mut rng = StdRng::seed_from_u64(18);
    let mut day: Vec<(u64, usize, usize, u128)> = flows(
        args.day_payments,
        args.day_banks,
        args.unmatched_percent,
        19,
    )
    .into_iter()
    .map(|(from, to, amount)| (rng.random_range(0..DAY_SECONDS), from, to, amount))
    .collect();
    day.sort_unstable();
    day
}

/// Each bank's lower and upper bound of liquidity for `day`, in kopecks: its net debit at
/// the end of the day, and its largest net debit at any moment of the day.
#[derive(Debug)]
struct Bounds {
    lower: Vec<u128>,
    upper: Vec<u128>,
}

impl Bounds {
    fn of(banks: usize, day: &[(u64, usize, usize, u128)]) -> Bounds {
        let mut net = vec![0i128; banks];
        let mut upper = vec![0u128; banks];
        for &(_, from, to, amount) in day {
            let amount = i128::try_from(amount).unwrap_or(i128::MAX);
            net[from] += amount;
            net[to] -= amount;
            upper[from] = upper[from].max(net[from].max(0).unsigned_abs());
        }
        let lower = net.iter().map(|n| n.max(&0).unsigned_abs()).collect();
        Bounds { lower, upper }
    }

    /// Each bank's liquidity at `share` ten-thousandths of the way from lower to upper.
    fn at(&self, share: u128) -> Vec<u128> {
        self.lower
            .iter()
            .zip(&self.upper)
            .map(|(&low, &high)| low + (high - low) * share / 10_000)
            .collect()
    }
}

#[derive(Debug, serde::Serialize)]
struct DayRun {
    /// Ten-thousandths of the way from each bank's lower bound to its upper bound.
    share: u128,
    liquidity: u128,
    settled_value: u128,
    settled_payments: usize,
    payments: usize,
    delay_mean_s: f64,
    delay_max_s: u64,
}

impl DayRun {
    fn settled_all(&self) -> bool {
        self.settled_payments == self.payments
    }
}

/// Settles `day` with each bank's liquidity at `share` of its bounds, liquidity saving on
/// or off.
fn run_day(
    args: &LsmBenchArgs,
    day: &[(u64, usize, usize, u128)],
    bounds: &Bounds,
    share: u128,
    lsm: bool,
) -> anyhow::Result<DayRun> {
    let liquidity = bounds.at(share);
    let mut b = Bench::corridor(&liquidity, lsm.then_some(args.interval))?;
    for (n, &(at, from, to, amount)) in day.iter().enumerate() {
        b.now = b.now.max(DAY_START + at * SECOND);
        let mut rng = StdRng::seed_from_u64(n as u64);
        b.pay(from, payment(n, to, amount, &mut rng))?;
    }
    // The end of the day: one last optimisation run, then the count.
    b.now = b.now.max(DAY_START + DAY_SECONDS * SECOND) + u64::from(args.interval) * SECOND;
    b.run(&HubCommand::Tick)?;
    let o = b.outcome();
    Ok(DayRun {
        share,
        liquidity: liquidity.iter().sum(),
        settled_value: o.settled_value,
        settled_payments: o.settled_payments,
        payments: o.payments,
        delay_mean_s: o.delay_mean_s,
        delay_max_s: o.delay_max_s,
    })
}

/// The least share of the bounds (to one in a thousand) with which every payment of `day`
/// settles by the end of the day, and the run at it.
fn liquidity_needed(
    args: &LsmBenchArgs,
    day: &[(u64, usize, usize, u128)],
    bounds: &Bounds,
    lsm: bool,
) -> anyhow::Result<DayRun> {
    let mut best = run_day(args, day, bounds, 10_000, lsm)?;
    if !best.settled_all() {
        bail!("the upper bound settles every payment on arrival, yet some did not settle");
    }
    let (mut low, mut high) = (0u128, 10_000u128);
    let floor = run_day(args, day, bounds, 0, lsm)?;
    if floor.settled_all() {
        return Ok(floor);
    }
    while high - low > 10 {
        let mid = low + (high - low) / 2;
        let run = run_day(args, day, bounds, mid, lsm)?;
        if run.settled_all() {
            high = mid;
            best = run;
        } else {
            low = mid;
        }
    }
    Ok(best)
}

pub fn run(args: LsmBenchArgs) -> anyhow::Result<()> {
    if args.banks < 2 || args.day_banks < 2 {
        bail!("--banks and --day-banks need at least 2 banks");
    }
    let grid = gridlock(&args)?;
    let day = day_workload(&args);
    let bounds = Bounds::of(args.day_banks, &day);
    let needed_rtgs = liquidity_needed(&args, &day, &bounds, false)?;
    let needed_lsm = liquidity_needed(&args, &day, &bounds, true)?;

    // Equal liquidity: what liquidity saving needs to settle everything.
    let rtgs = run_day(&args, &day, &bounds, needed_lsm.share, false)?;
    let lsm = needed_lsm;
    let saving = 1.0 - lsm.liquidity as f64 / needed_rtgs.liquidity.max(1) as f64;
    let lower_bound: u128 = bounds.lower.iter().sum();
    let upper_bound: u128 = bounds.upper.iter().sum();
    let machine = super::Machine::detect();
    if args.json {
        let out = serde_json::json!({
            "machine": machine,
            "gridlock": grid,
            "gridlock_resolve_ms": grid.resolve_ms,
            "liquidity_lower_bound": lower_bound,
            "liquidity_upper_bound": upper_bound,
            "liquidity_needed_rtgs": needed_rtgs.liquidity,
            "liquidity_needed_lsm": lsm.liquidity,
            "liquidity_saving_ratio": saving,
            "delay_mean_s_rtgs": needed_rtgs.delay_mean_s,
            "delay_mean_s_lsm": lsm.delay_mean_s,
            "equal_liquidity_rtgs": rtgs,
            "equal_liquidity_lsm": lsm,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "(a) gridlock: {} banks, {} payments queued ({} kopecks), plain RTGS settles {}",
        grid.banks, grid.payments, grid.queued_value, grid.rtgs_settled_value
    );
    println!(
        "    optimisation sequence: {:.3} ms, {} payments settled ({} kopecks: all-or-nothing {}, partial {}, bilateral {})",
        grid.resolve_ms,
        grid.settled_payments,
        grid.settled_value,
        grid.all_or_nothing_value,
        grid.partial_value,
        grid.bilateral_value
    );
    for run in &grid.algorithms {
        println!(
            "    {:?} alone: {:.3} ms, {} kopecks settled",
            run.algorithm, run.ms, run.settled_value
        );
    }
    println!(
        "(b) a day of {} payments between {} banks, optimisation every {} s; liquidity bounds: lower {lower_bound}, upper {upper_bound} kopecks",
        args.day_payments, args.day_banks, args.interval
    );
    println!(
        "    least liquidity to settle everything: plain RTGS {} (mean delay {:.0} s), liquidity saving {} (mean delay {:.0} s): saving ratio {saving:.3}",
        needed_rtgs.liquidity, needed_rtgs.delay_mean_s, lsm.liquidity, lsm.delay_mean_s
    );
    for (label, r) in [("plain RTGS", &rtgs), ("liquidity saving", &lsm)] {
        println!(
            "    {label:<17} at {} kopecks: {} of {} payments, {} kopecks settled, mean delay {:.0} s",
            r.liquidity, r.settled_payments, r.payments, r.settled_value, r.delay_mean_s
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(unmatched_percent: u32) -> LsmBenchArgs {
        LsmBenchArgs {
            banks: 10,
            gridlock_payments: 300,
            day_banks: 5,
            day_payments: 200,
            interval: 60,
            unmatched_percent,
            json: false,
        }
    }

    #[test]
    fn balanced_flows_resolve_from_gridlock() {
        let grid = gridlock(&small(0)).unwrap();
        assert_eq!(grid.rtgs_settled_value, 0, "nobody can pay alone");
        assert!(grid.settled_value > grid.queued_value / 2, "{grid:?}");
        assert_eq!(
            grid.settled_value,
            grid.all_or_nothing_value + grid.partial_value + grid.bilateral_value
        );
    }

    #[test]
    fn a_day_settles_everything_with_the_liquidity_found_for_it() {
        let args = small(5);
        let day = day_workload(&args);
        let bounds = Bounds::of(args.day_banks, &day);
        for lsm in [false, true] {
            let needed = liquidity_needed(&args, &day, &bounds, lsm).unwrap();
            let run = run_day(&args, &day, &bounds, needed.share, lsm).unwrap();
            assert_eq!(run.settled_payments, run.payments, "lsm {lsm}");
            assert!(run.liquidity >= bounds.lower.iter().sum::<u128>());
        }
    }
}
