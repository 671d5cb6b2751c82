//! Compliance commands against a running node: the watchlists it screens against (show,
//! load a new version), held payments, and an officer's decision on one.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use serde::{Deserialize, Serialize};

use super::args::print_json;
use super::conn::{ConnArgs, Node};
use super::render::{table, time, word};

const TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ListsAction {
    /// Loads a new version of a list from FILE, replacing the old one whole.
    Load,
}

#[derive(Args, Debug)]
pub struct ListsArgs {
    /// Without an action: shows the lists the node screens against and their versions
    action: Option<ListsAction>,
    /// The list file, as published (UN consolidated XML, OFAC sdn.xml, or your own CSV/JSON)
    file: Option<PathBuf>,
    /// The file's format: un, ofac, csv or json
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
    /// The list's name [default: the format, e.g. "un"]
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// The list's own date, YYYY-MM-DD, for csv and json lists
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Deserialize)]
struct Loaded {
    list: String,
    date: String,
    sha256: String,
    entries: usize,
    /// Absent from the answers of nodes that did not yet count them.
    #[serde(default)]
    skipped_values: usize,
    #[serde(default)]
    skipped: Vec<Skipped>,
}

/// A value the node could not read and left out of its entry.
#[derive(Deserialize)]
struct Skipped {
    entry: String,
    field: String,
    value: String,
    reason: String,
}

#[derive(Deserialize)]
struct Recorded {
    list: String,
    date: String,
    sha256: String,
}

#[derive(Deserialize)]
struct Lists {
    loaded: Vec<Loaded>,
    recorded: Vec<Recorded>,
    name_dictionary: bool,
}

pub fn lists(args: ListsArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    if let Some(ListsAction::Load) = args.action {
        return load(&node, &args);
    }
    let answer = node.get("/v1/lists", &[])?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let lists: Lists = answer.decode()?;
    let mut t = table(
        &["list", "date", "entries", "skipped", "sha256", "hub has it"],
        &[2, 3],
    );
    for l in &lists.loaded {
        let recorded = lists
            .recorded
            .iter()
            .any(|r| r.list == l.list && r.date == l.date && r.sha256 == l.sha256);
        t.add_row(vec![
            l.list.clone(),
            l.date.clone(),
            l.entries.to_string(),
            l.skipped_values.to_string(),
            l.sha256.clone(),
            if recorded { "yes" } else { "NO" }.to_string(),
        ]);
    }
    println!("{t}");
    for r in &lists.recorded {
        if !lists.loaded.iter().any(|l| l.list == r.list) {
            println!(
                "the hub screens against {} of {} ({}), which this node has not loaded: payments are held",
                r.list, r.date, r.sha256
            );
        }
    }
    if !lists.name_dictionary {
        println!("no cross-script name dictionary: see the README, section Screening");
    }
    Ok(())
}

fn load(node: &Node, args: &ListsArgs) -> anyhow::Result<()> {
    let Some(file) = &args.file else {
        bail!("lists load needs the list FILE");
    };
    let Some(format) = &args.format else {
        bail!("lists load needs --format un, ofac, csv or json");
    };
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let name = args.name.clone().unwrap_or_else(|| format.clone());
    let mut query = vec![("format", format.clone())];
    query.extend(args.date.clone().map(|d| ("date", d)));
    let answer = node.put_bytes(&format!("/v1/lists/{name}"), &query, bytes)?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let l: Loaded = answer.decode()?;
    println!(
        "Loaded {} of {}: {} entries, {} values skipped, sha256 {}",
        l.list, l.date, l.entries, l.skipped_values, l.sha256
    );
    print_skipped(&l);
    Ok(())
}

/// The values left out, as the node kept them; the node keeps only the first in detail.
fn print_skipped(l: &Loaded) {
    for s in &l.skipped {
        println!(
            "  skipped in {} {}: {:?} ({})",
            s.entry, s.field, s.value, s.reason
        );
    }
    let more = l.skipped_values.saturating_sub(l.skipped.len());
    if more > 0 {
        println!("  and {more} more values skipped");
    }
}

#[derive(Args, Debug)]
pub struct HoldsArgs {
    /// Only open holds (waiting for a decision)
    #[arg(long)]
    open: bool,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Deserialize)]
struct HoldView {
    hold: Hold,
    payment: PaymentView,
}

#[derive(Deserialize)]
struct Hold {
    payment: u64,
    sender: String,
    raised_at: u64,
    why: String,
    state: serde_json::Value,
    approvals: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct PaymentView {
    amount: String,
    currency: String,
}

pub fn holds(args: HoldsArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let query: Vec<(&str, String)> = if args.open {
        vec![("state", "open".to_string())]
    } else {
        Vec::new()
    };
    let answer = node.get("/v1/compliance/holds", &query)?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let holds: Vec<HoldView> = answer.decode()?;
    let mut t = table(
        &[
            "payment",
            "sender",
            "amount",
            "held at",
            "state",
            "approvals",
            "why",
        ],
        &[2],
    );
    for h in &holds {
        t.add_row(vec![
            h.hold.payment.to_string(),
            h.hold.sender.clone(),
            format!("{} {}", h.payment.amount, h.payment.currency),
            time(h.hold.raised_at),
            word(&h.hold.state),
            h.hold.approvals.len().to_string(),
            h.hold.why.clone(),
        ]);
    }
    println!("{t}");
    Ok(())
}

#[derive(Clone, Copy, Debug, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Release,
    Reject,
}

#[derive(Args, Debug)]
pub struct DecideArgs {
    /// The held payment's number
    payment: u64,
    /// release (it goes on to settlement) or reject (pacs.002 RJCT, RR04)
    decision: Decision,
    /// Why, in your words: it goes into the audit log
    #[arg(long, value_name = "TEXT")]
    reason: String,
    /// With release: remember each hit as a false positive of your bank
    #[arg(long)]
    false_positive: bool,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Serialize)]
struct DecisionRequest<'a> {
    decision: Decision,
    reason: &'a str,
    false_positive: bool,
}

pub fn decide(args: DecideArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.post(
        &format!("/v1/compliance/holds/{}/decision", args.payment),
        &DecisionRequest {
            decision: args.decision,
            reason: &args.reason,
            false_positive: args.false_positive,
        },
    )?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let hold: Hold = answer.decode()?;
    println!(
        "Hold of payment {}: {} ({} approval(s))",
        hold.payment,
        word(&hold.state),
        hold.approvals.len()
    );
    Ok(())
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// A head hash published earlier: the chain must still contain it, so a log cut short
    /// or rewritten since then shows
    #[arg(long, value_name = "SHA256")]
    since: Option<String>,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Deserialize)]
struct AuditPage {
    records: Vec<corridor_settlement::AuditRecord>,
    next_after: Option<u64>,
}

/// Fetches the audit chain page by page and checks every link here, each page against the
/// head verified before it, trusting nothing the node says about it.
pub fn audit(args: AuditArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let mut head = corridor_settlement::AuditHead::default();
    let mut seen_since = false;
    loop {
        let answer = node.get("/v1/compliance/audit", &[("after", head.seq.to_string())])?;
        let page: AuditPage = answer.decode()?;
        head = corridor_settlement::verify_audit_page(head, &page.records)
            .map_err(|e| anyhow::anyhow!("the audit chain is broken: {e}"))?;
        seen_since |= args
            .since
            .as_ref()
            .is_some_and(|since| page.records.iter().any(|r| r.hash.to_hex() == *since));
        if page.next_after.is_none() || page.records.is_empty() {
            break;
        }
    }
    if let Some(since) = &args.since
        && !seen_since
    {
        bail!("the audit chain no longer contains {since}: it was cut short or rewritten");
    }
    println!(
        "Audit chain verified: {} records, head {}",
        head.seq, head.hash
    );
    Ok(())
}
