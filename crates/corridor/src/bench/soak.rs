//! `corridor bench soak`: whether a node keeps its pace as history piles up on the same
//! accounts. A node started in this process as `bench api` starts it (the demo corridor,
//! with the demo's AML rules on, every bank topped up far beyond the run's volume) takes
//! payments concentrated on three pairs of customer accounts at RUB banks
//! (VOLGRUMM → NEVARUMM, URALRUMM → BAIKRUMM, BAIKRUMM → VOLGRUMM), in batches over one
//! keep-alive connection, one batch after another. The run is timed in tenths; the
//! result is the throughput of the first and the last tenth and their ratio, which stays
//! near 1 when a payment costs the same whatever came before it.
//!
//! Each tenth's requests are generated and serialised before that tenth is timed, so the
//! bench's own work is outside the measurement and only a tenth is held in memory.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use corridor_core::Bic;
use corridor_settlement::CashAccount;
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::api::{NodeSetup, StartedNode, start_node};
use super::cpu::{CLIENT_THREAD, NODE_THREAD, runtime};
use super::http::{AnswerKind, Counts, Target, drive};
use super::payments::{Prepared, Sender, parse, payment};
use super::{Machine, met};

#[derive(Args)]
pub struct SoakBenchArgs {
    /// Payments in the whole run.
    #[arg(long, default_value_t = 1_000_000)]
    payments: usize,
    /// Payments per request (at most 10,000).
    #[arg(long, default_value_t = 1_000)]
    batch_size: usize,
    /// Where the node's data directory goes: on the disk being measured; removed afterwards.
    #[arg(long, default_value = "./corridor-bench-data")]
    dir: PathBuf,
    #[arg(long)]
    json: bool,
}

/// The API's largest batch.
const MAX_BATCH: usize = 10_000;

const TENTHS: usize = 10;

/// The last tenth's throughput should be at least this share of the first's.
const TARGET_RATIO: f64 = 0.9;

/// The debtor's bank, the creditor's bank, and their customers' accounts (Russian
/// settlement account numbers, one customer at each end).
const PAIRS: [(&str, &str, &str, &str); 3] = [
    (
        "VOLGRUMM",
        "NEVARUMM",
        "40702810000000000001",
        "40702810000000000002",
    ),
    (
        "URALRUMM",
        "BAIKRUMM",
        "40702810000000000003",
        "40702810000000000004",
    ),
    (
        "BAIKRUMM",
        "VOLGRUMM",
        "40702810000000000005",
        "40702810000000000006",
    ),
];

fn account(number: &str) -> CashAccount {
    CashAccount {
        iban: None,
        other: Some(number.to_string()),
    }
}

/// Batch `batch` of the run: `count` payments between the accounts of pair
/// `batch mod 3`, numbered from `first`.
fn prepare_batch(
    rng: &mut StdRng,
    senders: &[Sender],
    batch: usize,
    first: usize,
    count: usize,
) -> anyhow::Result<Prepared> {
    let (debtor_bank, creditor_bank, debtor_account, creditor_account) = PAIRS[batch % PAIRS.len()];
    let sender = senders
        .iter()
        .position(|s| s.bic == parse::<Bic>(debtor_bank))
        .with_context(|| format!("{debtor_bank} is not a bank of the demo corridor"))?;
    let mut body = Vec::with_capacity(count * 1_100);
    body.extend_from_slice(b"{\"payments\":[");
    for n in first..first + count {
        if n > first {
            body.push(b',');
        }
        let mut p = payment(rng, senders, sender, 'K', n);
        p.instructed_agent = parse(creditor_bank);
        p.debtor_account = Some(account(debtor_account));
        p.creditor_account = Some(account(creditor_account));
        serde_json::to_writer(&mut body, &p)?;
    }
    body.extend_from_slice(b"]}");
    Ok(Prepared {
        sender,
        payments: count,
        body: String::from_utf8(body)?,
    })
}

/// One tenth of the run as measured.
#[derive(Debug, serde::Serialize)]
struct Tenth {
    payments: usize,
    seconds: f64,
    payments_per_s: f64,
}

struct Soak {
    tenths: Vec<Tenth>,
    counts: Counts,
}

/// Sizes of the batches of the run, and where each tenth's batches start.
fn plan(payments: usize, batch_size: usize) -> (Vec<usize>, Vec<usize>) {
    let sizes: Vec<usize> = (0..payments.div_ceil(batch_size))
        .map(|b| batch_size.min(payments - b * batch_size))
        .collect();
    let starts = (0..=TENTHS).map(|t| t * sizes.len() / TENTHS).collect();
    (sizes, starts)
}

/// Starts the node and sends the run, a tenth at a time.
fn soak(args: &SoakBenchArgs, data_dir: &std::path::Path) -> anyhow::Result<Soak> {
    let node_rt = runtime(NODE_THREAD, None)?;
    let client_rt = runtime(CLIENT_THREAD, Some(1))?;
    let demo_only = NodeSetup::default();
    let StartedNode { node, senders, .. } = node_rt.block_on(start_node(data_dir, &demo_only))?;
    let target = Target::new(&node, &senders, None)?;
    let (sizes, starts) = plan(args.payments, args.batch_size);
    let mut rng = StdRng::seed_from_u64(17);
    let mut tenths = Vec::with_capacity(TENTHS);
    let mut counts = Counts::default();
    let mut sent = 0;
    for tenth in 0..TENTHS {
        let mut work = Vec::new();
        let batches = starts[tenth]..starts[tenth + 1];
        for (batch, &size) in batches.clone().zip(&sizes[batches]) {
            work.push(prepare_batch(&mut rng, &senders, batch, sent, size)?);
            sent += size;
        }
        let payments: usize = work.iter().map(|p| p.payments).sum();
        let started = Instant::now();
        let path = "/v1/payments/batch";
        let result = client_rt.block_on(drive(&target, path, work, 1, AnswerKind::Batch, None))?;
        let seconds = started.elapsed().as_secs_f64();
        counts.settled += result.counts.settled;
        counts.queued += result.counts.queued;
        counts.refused += result.counts.refused;
        counts.failed_requests += result.counts.failed_requests;
        tenths.push(Tenth {
            payments,
            seconds,
            payments_per_s: payments as f64 / seconds,
        });
    }
    drop(client_rt);
    node_rt.block_on(node.shutdown());
    Ok(Soak { tenths, counts })
}

pub fn run(args: SoakBenchArgs) -> anyhow::Result<()> {
    if !(1..=MAX_BATCH).contains(&args.batch_size) {
        bail!("--batch-size is 1 to {MAX_BATCH} (the API's batch limit)");
    }
    if args.payments < TENTHS * args.batch_size {
        bail!("--payments must be at least ten batches, to be timed in tenths");
    }
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("creating {}", args.dir.display()))?;
    let data_dir = tempfile::Builder::new()
        .prefix("soak-node-")
        .tempdir_in(&args.dir)?;
    let Soak { tenths, counts } = soak(&args, data_dir.path())?;
    drop(data_dir);
    // Only succeeds if the directory is empty, i.e. this run created it or left nothing.
    let _ = std::fs::remove_dir(&args.dir);

    let first = tenths.first().map_or(0.0, |t| t.payments_per_s);
    let last = tenths.last().map_or(0.0, |t| t.payments_per_s);
    let seconds: f64 = tenths.iter().map(|t| t.seconds).sum();
    let overall = args.payments as f64 / seconds;
    let ratio = last / first;
    let ratio_met = ratio >= TARGET_RATIO;
    if args.json {
        let out = serde_json::json!({
            "soak_payments": args.payments,
            "soak_batch_size": args.batch_size,
            "soak_payments_per_s": overall,
            "soak_seconds": seconds,
            "soak_first_tenth_payments_per_s": first,
            "soak_last_tenth_payments_per_s": last,
            "soak_ratio_last_to_first": ratio,
            "tenths": tenths,
            "counts": counts,
            "targets": {
                "ratio_last_to_first": TARGET_RATIO,
                "ratio_met": ratio_met,
            },
            "machine": Machine::detect(),
        });
        println!("{out}");
        return Ok(());
    }
    for (n, t) in tenths.iter().enumerate() {
        println!(
            "tenth {:>2}: {:>8} payments in {:>7.2} s, {:>8.0} payments/s",
            n + 1,
            t.payments,
            t.seconds,
            t.payments_per_s
        );
    }
    println!(
        "{} payments in {seconds:.1} s: {overall:.0} payments/s; first tenth {first:.0}/s, last tenth {last:.0}/s, ratio {ratio:.3}",
        args.payments
    );
    println!(
        "{} settled, {} queued, {} refused, {} failed requests",
        counts.settled, counts.queued, counts.refused, counts.failed_requests
    );
    println!(
        "target: last tenth ≥ {TARGET_RATIO} × first {}",
        met(ratio_met)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_is_cut_into_tenths_of_whole_batches() {
        let (sizes, starts) = plan(10_500, 1_000);
        assert_eq!(sizes.len(), 11);
        assert_eq!(sizes.last(), Some(&500));
        assert_eq!(sizes.iter().sum::<usize>(), 10_500);
        assert_eq!(starts.first(), Some(&0));
        assert_eq!(starts.last(), Some(&11));
        assert!(starts.windows(2).all(|w| w[1] > w[0]));
    }
}
