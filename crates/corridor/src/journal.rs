//! `corridor journal verify` and `corridor journal inspect`, on a node's data directory or
//! on a journal in PostgreSQL (`--journal URL`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use corridor_engine::{EmbeddedSource, Recovery, StartFrom, record, recover, recover_from};
use corridor_journal::{RecordSource, ScanMode};
use corridor_journal_pg::{JournalUrl, PgSource};
use corridor_ledger::StateMachine;
use corridor_settlement::{Hub, HubCommand, PaymentStatus};

/// Which journal a tool reads: a data directory's, or one in PostgreSQL.
#[derive(Args, Clone)]
pub struct JournalLocation {
    #[arg(long, default_value = "./corridor-data")]
    data_dir: PathBuf,
    /// A journal in PostgreSQL (`postgresql://...`) instead of the data directory's.
    #[arg(long, value_name = "URL")]
    journal: Option<String>,
}

/// Shown without the URL's password.
impl std::fmt::Debug for JournalLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl JournalLocation {
    /// A reader of the journal; nothing is created or repaired.
    fn open(&self) -> anyhow::Result<Box<dyn RecordSource>> {
        let Some(url) = &self.journal else {
            return Ok(Box::new(EmbeddedSource::new(
                &self.data_dir,
                ScanMode::ReadOnly,
            )));
        };
        let url = JournalUrl::new(url);
        let mut client = url.connect("corridor journal")?;
        corridor_journal_pg::schema::check(&mut client, &url)?;
        Ok(Box::new(PgSource::new(client, url)))
    }

    fn recover(&self, start: StartFrom) -> anyhow::Result<(Hub, Recovery)> {
        match &self.journal {
            None => Ok(recover::<Hub>(&self.data_dir, ScanMode::ReadOnly, start)?),
            Some(_) => Ok(recover_from::<Hub>(self.open()?.as_mut(), start)?),
        }
    }

    fn describe(&self) -> String {
        match &self.journal {
            None => self.data_dir.display().to_string(),
            Some(url) => JournalUrl::new(url).to_string(),
        }
    }
}

pub fn verify(location: &JournalLocation) -> anyhow::Result<()> {
    let (from_genesis, full) = location
        .recover(StartFrom::Genesis)
        .with_context(|| format!("replaying {} from its first record", location.describe()))?;
    let report = full.report.clone().unwrap_or_default();
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
        full.last_seq, full.replayed_events
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
        location
            .recover(StartFrom::LatestSnapshot)
            .with_context(|| {
                format!(
                    "recovering {} from its latest snapshot",
                    location.describe()
                )
            })?;
    match recovery.snapshot_seq {
        Some(seq) => println!(
            "snapshot: after record {seq}, then {} records replayed",
            recovery.replayed_records
        ),
        None => println!("snapshot: none"),
    }
    println!("state: {}", from_genesis.summary());
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    for id in 1..=from_genesis.payment_count() as u64 {
        if let Some(p) = from_genesis.payment(id) {
            *by_status.entry(status_name(p.status)).or_default() += 1;
        }
    }
    let statuses: Vec<String> = by_status.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!("payments: {}", statuses.join(", "));
    let ledger = from_genesis.ledger();
    println!(
        "ledger: {} accounts, {} transfers, {} pending",
        ledger.accounts().len(),
        ledger.transfer_count(),
        ledger.pending_count()
    );
    for (currency, totals) in ledger.books() {
        println!(
            "  {currency}: posted {} = {}, pending {} = {}",
            totals.debits_posted,
            totals.credits_posted,
            totals.debits_pending,
            totals.credits_pending
        );
    }
    let genesis_hash = from_genesis.state_hash();
    let snapshot_hash = from_snapshot.state_hash();
    println!("state hash (from genesis):  {genesis_hash:032x}");
    println!("state hash (from snapshot): {snapshot_hash:032x}");
    if genesis_hash != snapshot_hash {
        bail!("the snapshot disagrees with a replay of the journal from genesis");
    }
    println!("invariants: hold\nverify: OK");
    Ok(())
}

fn status_name(status: PaymentStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[derive(Args)]
pub struct InspectArgs {
    #[command(flatten)]
    location: JournalLocation,
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

/// The command's name, for counting.
fn kind(command: &HubCommand) -> &'static str {
    match command {
        HubCommand::Configure(_) => "configure",
        HubCommand::DesignateAgent { .. } => "designate_agent",
        HubCommand::AdmitParticipant { .. } => "admit_participant",
        HubCommand::SetParticipantStatus { .. } => "set_participant_status",
        HubCommand::OpenAccount { .. } => "open_account",
        HubCommand::SetNetDebitCap { .. } => "set_net_debit_cap",
        HubCommand::Liquidity { .. } => "liquidity",
        HubCommand::SubmitPayments { .. } => "submit_payments",
        HubCommand::CancelPayment { .. } => "cancel_payment",
        HubCommand::ReturnPayment { .. } => "return_payment",
        HubCommand::AcknowledgeOutbox { .. } => "acknowledge_outbox",
        HubCommand::RegisterToken { .. } => "register_token",
        HubCommand::PublishRateSheet { .. } => "publish_rate_sheet",
        HubCommand::PublishReferenceRates { .. } => "publish_reference_rates",
        HubCommand::RequestQuote { .. } => "request_quote",
        HubCommand::Tick => "tick",
        HubCommand::ConfigureCompliance(_) => "configure_compliance",
        HubCommand::RecordWatchlist { .. } => "record_watchlist",
        HubCommand::DecideHold { .. } => "decide_hold",
        HubCommand::ConfigureMonitoring(_) => "configure_monitoring",
        HubCommand::WorkCase { .. } => "work_case",
        HubCommand::RecallPayment { .. } => "recall_payment",
        HubCommand::AnswerRecall { .. } => "answer_recall",
        HubCommand::CloseBusinessDay { .. } => "close_business_day",
        HubCommand::IssueToken { .. } => "issue_token",
        HubCommand::RevokeToken { .. } => "revoke_token",
        HubCommand::RegisterCredential { .. } => "register_credential",
        HubCommand::RevokeCredential { .. } => "revoke_credential",
        HubCommand::ConfigureOperatingDay { .. } => "configure_operating_day",
        HubCommand::LoadCalendar { .. } => "load_calendar",
        HubCommand::AmendCalendar(_) => "amend_calendar",
        HubCommand::ExtendCutOff { .. } => "extend_cut_off",
        HubCommand::ConfigureLiquiditySaving(_) => "configure_liquidity_saving",
        HubCommand::SetLiquidityControls { .. } => "set_liquidity_controls",
        HubCommand::ConfigureNetSettlement { .. } => "configure_net_settlement",
        HubCommand::NetWindow { .. } => "net_window",
        HubCommand::RunOptimisation { .. } => "run_optimisation",
    }
}

pub fn inspect(args: InspectArgs) -> anyhow::Result<()> {
    let last = args.from.saturating_add(args.limit);
    let mut printed = 0u64;
    let mut source = args.location.open()?;
    let last_seq = source
        .scan(args.from.saturating_sub(1), &mut |seq, payload| {
            if seq >= last {
                return Ok(());
            }
            let batch = record::decode::<Hub>(payload).map_err(|e| e.to_string())?;
            let events: usize = batch.requests.iter().map(Hub::events).sum();
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for command in &batch.requests {
                *counts.entry(kind(command)).or_default() += 1;
            }
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
                let kinds: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
                println!(
                    "#{seq} at {} ns: {} bytes, {} requests, {events} events ({})",
                    batch.now,
                    payload.len(),
                    batch.requests.len(),
                    kinds.join(", ")
                );
            }
            if args.events {
                for command in &batch.requests {
                    println!("    {command:?}");
                }
            }
            printed += 1;
            Ok(())
        })
        .with_context(|| format!("reading the journal in {}", args.location.describe()))?;
    if !args.json {
        println!("({printed} of {last_seq} records shown)");
    }
    Ok(())
}
