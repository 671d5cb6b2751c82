//! `outbox`: reads the caller's outbox and optionally acknowledges what it showed.

use std::time::Duration;

use clap::Args;
use serde::Serialize;

use super::args::print_json;
use super::conn::{ConnArgs, Node};
use super::render::{pretty_json, reason, table, time, word};
use super::views::{OutboxMessage, OutboxPage};

/// The node waits at most this long in a long poll.
const MAX_WAIT: u64 = 60;

#[derive(Args, Debug)]
pub struct OutboxArgs {
    /// Messages after this number [default: after the last acknowledged one]
    #[arg(long, value_name = "N")]
    after: Option<u64>,
    /// At most this many messages (the node's default is 100, its maximum 1000)
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Long poll: wait up to this many seconds (at most 60) for a message
    #[arg(long, value_name = "SECONDS")]
    wait: Option<u64>,
    /// Acknowledge the messages shown (up to the last one), so they are not shown again
    #[arg(long)]
    ack: bool,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Serialize)]
struct AckRequest {
    up_to: u64,
}

pub fn run(args: OutboxArgs) -> anyhow::Result<()> {
    let wait = args.wait.map(|w| w.min(MAX_WAIT));
    let timeout = Duration::from_secs(wait.unwrap_or(0) + 30);
    let node = Node::connect(&args.conn, timeout)?;
    let mut query = Vec::new();
    if let Some(after) = args.after {
        query.push(("after", after.to_string()));
    }
    if let Some(limit) = args.limit {
        query.push(("limit", limit.to_string()));
    }
    if let Some(wait) = wait {
        query.push(("wait", wait.to_string()));
    }
    let answer = node.get("/v1/outbox", &query)?;
    if !print_json(&args.conn, &answer) {
        print_page(&answer.decode()?);
    }
    if !args.ack {
        return Ok(());
    }
    let page: OutboxPage = answer.decode()?;
    let Some(last) = page.messages.last().map(|m| m.seq) else {
        if !args.conn.json {
            println!("nothing to acknowledge");
        }
        return Ok(());
    };
    let acked = node.post("/v1/outbox/ack", &AckRequest { up_to: last })?;
    if args.conn.json {
        // stdout holds one JSON document, the page; the acknowledgement goes to stderr.
        eprintln!("acknowledged up to {last}: {}", pretty_json(&acked.body));
    } else {
        let after: OutboxPage = acked.decode()?;
        println!(
            "acknowledged up to {}; {} unacknowledged",
            after.acknowledged,
            after.last_seq.saturating_sub(after.acknowledged)
        );
    }
    Ok(())
}

fn print_page(page: &OutboxPage) {
    if page.messages.is_empty() {
        println!("no messages");
    } else {
        let mut t = table(
            &["Seq", "Time (UTC)", "Type", "Payment", "Details"],
            &[0, 3],
        );
        for m in &page.messages {
            t.add_row(vec![
                m.seq.to_string(),
                time(m.at),
                m.kind.replace('_', " "),
                m.payment.map(|p| p.to_string()).unwrap_or_default(),
                details(m),
            ]);
        }
        println!("{t}");
    }
    println!(
        "last message {}, acknowledged up to {}",
        page.last_seq, page.acknowledged
    );
}

fn details(m: &OutboxMessage) -> String {
    match m.kind.as_str() {
        "payment_status" => {
            let mut text = m.status.as_ref().map(word).unwrap_or_default();
            if let Some(id) = &m.instruction_id {
                text.push_str(&format!(" ({id})"));
            }
            if m.reason.is_some() {
                text.push_str(&format!(": {}", reason(m.reason.as_ref())));
            }
            text
        }
        "incoming_payment" => match &m.payment_detail {
            Some(p) => format!(
                "{} {} from {}: {} -> {}",
                p.amount,
                p.currency,
                p.sender,
                p.instruction.debtor.name,
                p.instruction.creditor.name
            ),
            None => String::new(),
        },
        "liquidity" => format!(
            "{} {} {} on account {}, reference {}",
            m.direction.as_deref().unwrap_or_default(),
            m.amount_decimal.as_deref().unwrap_or_default(),
            m.currency.as_deref().unwrap_or_default(),
            m.account.map(|a| a.to_string()).unwrap_or_default(),
            m.reference.as_deref().unwrap_or_default()
        ),
        _ => String::new(),
    }
}
