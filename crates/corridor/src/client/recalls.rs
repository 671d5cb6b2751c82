//! Recall commands against a running node: the debtor agent recalls a payment it sent (a
//! settled one goes to the creditor agent), the creditor agent answers, and both list the
//! recalls they asked or must answer.

use std::time::Duration;

use clap::{Args, ValueEnum};
use corridor_settlement::Rejection;
use serde::{Deserialize, Serialize};

use super::args::{print_json, segment};
use super::conn::{ConnArgs, Node};
use super::render::{block, reason, table, time};
use super::views::Receipt;

const TIMEOUT: Duration = Duration::from_secs(30);

/// A recall as the node shows it (`corridor_node::views::RecallView`).
#[derive(Debug, Deserialize)]
struct RecallView {
    id: u64,
    payment: u64,
    #[serde(default)]
    amount: Option<String>,
    #[serde(default)]
    currency: Option<String>,
    requester: String,
    responder: String,
    reason: Rejection,
    requested_at: u64,
    status: String,
    #[serde(default)]
    rejection: Option<Rejection>,
    #[serde(default)]
    return_payment: Option<u64>,
}

/// A recall of a queued payment cancels it: the node answers with its receipt.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RecallAnswer {
    Recall(RecallView),
    Cancelled(Receipt),
}

#[derive(Args, Debug)]
pub struct RecallArgs {
    /// The payment you sent (its number or UETR)
    payment: String,
    /// Your id for this request (camt.056 CxlId): asking again with it is the same request
    #[arg(long, value_name = "ID")]
    id: String,
    /// Starts with a camt.056 reason code: DUPL, FRAD, TECH, CUST, AC03, ...
    #[arg(long, value_name = "TEXT")]
    reason: String,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Serialize)]
struct RecallRequest<'a> {
    cancellation_id: &'a str,
    reason: &'a str,
}

pub fn recall(args: RecallArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let path = format!("/v1/payments/{}/recall", segment("payment", &args.payment)?);
    let answer = node.post(
        &path,
        &RecallRequest {
            cancellation_id: &args.id,
            reason: &args.reason,
        },
    )?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    match answer.decode()? {
        RecallAnswer::Recall(r) => print_recall(&r),
        RecallAnswer::Cancelled(r) => println!("Payment {} was still queued: cancelled", r.payment),
    }
    Ok(())
}

#[derive(Clone, Copy, Debug, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    Reject,
}

#[derive(Args, Debug)]
pub struct AnswerArgs {
    /// The recall's number
    recall: u64,
    /// accept (the money goes back, pacs.004) or reject (with --reason)
    decision: Decision,
    /// To reject: starts with a camt.029 reason code: CUST, LEGL, NOAS, AC04, ...
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// To accept: your instruction id for the return [default: RECALL-<recall>]
    #[arg(long, value_name = "ID")]
    return_id: Option<String>,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Serialize)]
struct AnswerRequest<'a> {
    decision: Decision,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    return_id: Option<&'a str>,
}

pub fn answer(args: AnswerArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.post(
        &format!("/v1/recalls/{}/answer", args.recall),
        &AnswerRequest {
            decision: args.decision,
            reason: args.reason.as_deref(),
            return_id: args.return_id.as_deref(),
        },
    )?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    print_recall(&answer.decode()?);
    Ok(())
}

#[derive(Args, Debug)]
pub struct RecallsArgs {
    #[command(flatten)]
    conn: ConnArgs,
}

pub fn list(args: RecallsArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.get("/v1/recalls", &[("limit", "1000".to_string())])?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let recalls: Vec<RecallView> = answer.decode()?;
    let mut t = table(
        &[
            "recall",
            "payment",
            "amount",
            "requester",
            "responder",
            "asked at",
            "reason",
            "status",
        ],
        &[2],
    );
    for r in &recalls {
        t.add_row(vec![
            r.id.to_string(),
            r.payment.to_string(),
            amount(r),
            r.requester.clone(),
            r.responder.clone(),
            time(r.requested_at),
            r.reason.code.clone(),
            r.status.clone(),
        ]);
    }
    println!("{t}");
    Ok(())
}

fn amount(r: &RecallView) -> String {
    match (&r.amount, &r.currency) {
        (Some(amount), Some(currency)) => format!("{amount} {currency}"),
        _ => String::new(),
    }
}

fn print_recall(r: &RecallView) {
    println!("Recall {} of payment {}: {}", r.id, r.payment, r.status);
    let mut rows = vec![
        ("amount", amount(r)),
        ("requester", r.requester.clone()),
        ("responder", r.responder.clone()),
        ("reason", reason(Some(&r.reason))),
    ];
    if r.rejection.is_some() {
        rows.push(("rejected", reason(r.rejection.as_ref())));
    }
    if let Some(payment) = r.return_payment {
        rows.push(("returned by", format!("payment {payment}")));
    }
    print!("{}", block(&rows));
}
