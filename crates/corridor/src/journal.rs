//! `corridor journal verify` and `corridor journal inspect`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use corridor_engine::{StartFrom, journal_dir, record, recover};
use corridor_journal::{Journal, ScanMode};
use corridor_ledger::{Command, Ledger, StateMachine, TransferAction};

pub fn verify(data_dir: &Path) -> anyhow::Result<()> {
    let (from_genesis, full) = recover::<Ledger>(data_dir, ScanMode::ReadOnly, StartFrom::Genesis)
        .with_context(|| format!("replaying {} from its first record", data_dir.display()))?;
    let report = &full.report;
    for segment in &report.segments {
        println!(
            "segment {}: records from {}, {} records, {} bytes",
            segment.path.display(),
            segment.first_seq,
            segment.records,
            segment.bytes
        );
    }
    println!(
        "records: {} ({} events)",
        report.last_seq, full.replayed_events
    );
    if let Some(torn) = &report.torn_tail {
        println!(
            "torn tail: {} at byte {} ({} bytes, {}): never acknowledged, truncated at next start",
            torn.path.display(),
            torn.offset,
            torn.discarded_bytes,
            torn.reason
        );
    }
    let (from_snapshot, recovery) =
        recover::<Ledger>(data_dir, ScanMode::ReadOnly, StartFrom::LatestSnapshot).with_context(
            || format!("recovering {} from its latest snapshot", data_dir.display()),
        )?;
    let genesis_hash = from_genesis.state_hash();
    let snapshot_hash = from_snapshot.state_hash();
    match recovery.snapshot_seq {
        Some(seq) => println!(
            "snapshot: after record {seq}, then {} records replayed",
            recovery.replayed_records
        ),
        None => println!("snapshot: none"),
    }
    println!(
        "accounts: {}, transfers: {}, pending: {}",
        from_genesis.accounts().len(),
        from_genesis.transfer_count(),
        from_genesis.pending_count()
    );
    for (currency, totals) in from_genesis.books() {
        println!(
            "  {currency}: posted {} = {}, pending {} = {}",
            totals.debits_posted,
            totals.credits_posted,
            totals.debits_pending,
            totals.credits_pending
        );
    }
    println!("state hash (from genesis):  {genesis_hash:032x}");
    println!("state hash (from snapshot): {snapshot_hash:032x}");
    if genesis_hash != snapshot_hash {
        bail!("the snapshot disagrees with a replay of the journal from genesis");
    }
    println!("invariants: hold\nverify: OK");
    Ok(())
}

#[derive(Args)]
pub struct InspectArgs {
    #[arg(long, default_value = "./corridor-data")]
    data_dir: PathBuf,
    /// First record to print.
    #[arg(long, default_value_t = 1)]
    from: u64,
    /// Most records to print.
    #[arg(long, default_value_t = 20)]
    limit: u64,
    /// Also print every command of each record.
    #[arg(long)]
    events: bool,
    /// One JSON object per record.
    #[arg(long)]
    json: bool,
}

#[derive(Default, serde::Serialize)]
struct Counts {
    create_account: usize,
    post: usize,
    reserve: usize,
    post_pending: usize,
    void_pending: usize,
    set_rule: usize,
}

impl Counts {
    fn add(&mut self, command: &Command) {
        match command {
            Command::CreateAccount(_) => self.create_account += 1,
            Command::CreateTransfer(t) => match t.action {
                TransferAction::Post(_) => self.post += 1,
                TransferAction::Reserve { .. } => self.reserve += 1,
                TransferAction::PostPending { .. } => self.post_pending += 1,
                TransferAction::VoidPending { .. } => self.void_pending += 1,
            },
            Command::SetBalanceRule(_) => self.set_rule += 1,
        }
    }
}

pub fn inspect(args: InspectArgs) -> anyhow::Result<()> {
    let last = args.from.saturating_add(args.limit);
    let mut printed = 0u64;
    let report = Journal::scan(&journal_dir(&args.data_dir), ScanMode::ReadOnly, args.from.saturating_sub(1), |seq, payload| {
        if seq >= last {
            return Ok(());
        }
        let batch = record::decode::<Ledger>(payload).map_err(|e| e.to_string())?;
        let events: usize = batch.requests.iter().map(Ledger::events).sum();
        let mut counts = Counts::default();
        batch.requests.iter().flatten().for_each(|c| counts.add(c));
        if args.json {
            let line = serde_json::json!({
                "seq": seq,
                "bytes": payload.len(),
                "engine_time_ns": batch.now.0,
                "requests": batch.requests.len(),
                "events": events,
                "commands": counts,
            });
            println!("{line}");
        } else {
            println!(
                "#{seq} at {} ns: {} bytes, {} requests, {} events (accounts {}, posts {}, reserves {}, post-pending {}, void-pending {})",
                batch.now, payload.len(), batch.requests.len(), events,
                counts.create_account, counts.post, counts.reserve, counts.post_pending, counts.void_pending
            );
        }
        if args.events {
            for command in batch.requests.iter().flatten() {
                println!("    {command:?}");
            }
        }
        printed += 1;
        Ok(())
    })
    .with_context(|| format!("reading the journal in {}", args.data_dir.display()))?;
    if !args.json {
        println!("({printed} of {} records shown)", report.last_seq);
    }
    Ok(())
}
