//! `corridor bench memory`: builds a ledger with many accounts and a large idempotency index
//! and reports the process's peak resident memory (VmHWM), against the 8 GiB budget for
//! 10 million accounts and 100 million transfers.

use std::time::Instant;

use anyhow::bail;
use clap::Args;
use corridor_core::Timestamp;
use corridor_ledger::{BalanceRule, Ledger, ResultCode};

use super::ledger::{account, post};

#[derive(Args)]
pub struct MemoryBenchArgs {
    #[arg(long, default_value_t = 10_000_000)]
    accounts: u64,
    #[arg(long, default_value_t = 100_000_000)]
    transfers: u64,
    #[arg(long)]
    json: bool,
}

fn peak_rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| {
            l.strip_prefix("VmHWM:")?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kib| kib * 1024)
}

pub fn run(args: MemoryBenchArgs) -> anyhow::Result<()> {
    const BATCH: u64 = 8_190;
    let started = Instant::now();
    let mut ledger = Ledger::new();
    let mut now = 1u64;
    let mut next = 1u64;
    while next <= args.accounts {
        let end = (next + BATCH).min(args.accounts + 1);
        let batch: Vec<_> = (next..end)
            .map(|id| account(u128::from(id), BalanceRule::Unrestricted))
            .collect();
        ledger.apply(&batch, Timestamp(now));
        now += 1_000_000;
        next = end;
    }
    let mut done = 0u64;
    while done < args.transfers {
        let n = BATCH.min(args.transfers - done);
        let batch: Vec<_> = (done..done + n)
            .map(|i| {
                let debit = u128::from(i % args.accounts + 1);
                let credit = u128::from((i * 7 + 3) % args.accounts + 1);
                let credit = if credit == debit {
                    debit % u128::from(args.accounts) + 1
                } else {
                    credit
                };
                post(u128::from(i) + 1, debit, credit, 1)
            })
            .collect();
        let outcome = ledger.apply(&batch, Timestamp(now));
        if let Some(bad) = outcome.results.iter().find(|r| **r != ResultCode::Ok) {
            bail!("memory workload transfer refused: {bad}");
        }
        now += 1_000_000;
        done += n;
    }
    let peak = peak_rss_bytes();
    let gib = peak as f64 / f64::from(1u32 << 30);
    if args.json {
        let out = serde_json::json!({
            "accounts": ledger.accounts().len(),
            "transfers": ledger.transfer_count(),
            "peak_rss_bytes": peak,
            "peak_rss_gib": gib,
            "budget_gib": 8,
            "seconds": started.elapsed().as_secs_f64(),
            "machine": super::Machine::detect(),
        });
        println!("{out}");
    } else {
        println!(
            "{} accounts, {} transfers indexed: peak resident memory {gib:.2} GiB (budget 8 GiB) in {:.1?}",
            ledger.accounts().len(),
            ledger.transfer_count(),
            started.elapsed()
        );
    }
    Ok(())
}
