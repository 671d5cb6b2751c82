//! `pay`, `status`, `payments`, `cancel` and `return`.

use std::time::Duration;

use anyhow::bail;
use clap::Args;
use comfy_table::Cell;
use corridor_core::{Bic, CurrencyCode, Uetr};
use corridor_settlement::{
    CashAccount, ChargeBearer, Party, PartyIdentification, PaymentInstruction, PaymentKind,
    Priority,
};
use serde::Serialize;

use super::args::{bic_arg, currency_arg, print_json, segment};
use super::conn::{ConnArgs, Node};
use super::render::{self, block, reason, table, time, time_exact, word};
use super::views::{PaymentSummary, PaymentView, Receipt};

const TIMEOUT: Duration = Duration::from_secs(30);

const STATUSES: [&str; 6] = [
    "queued",
    "held",
    "settled",
    "rejected",
    "cancelled",
    "returned",
];

#[derive(Args, Debug)]
pub struct PayArgs {
    /// The receiving bank (the instructed agent), whose settlement account is credited
    #[arg(long, value_name = "BIC", value_parser = bic_arg, required_unless_present = "quote")]
    to: Option<Bic>,
    /// Amount as a decimal in the currency's scale, e.g. 1500.00 (RUB) or 750000 (IRR)
    #[arg(long, value_name = "DECIMAL", required_unless_present = "quote")]
    amount: Option<String>,
    /// ISO 4217 currency code, e.g. RUB or IRR
    #[arg(long, value_name = "CODE", value_parser = currency_arg, required_unless_present = "quote")]
    currency: Option<CurrencyCode>,
    /// Pay cross-currency at this quote (from `corridor quote`): the receiving bank, the
    /// amount, the currency and the charge bearer are the quote's
    #[arg(long, value_name = "ID", conflicts_with_all = ["to", "amount", "currency"])]
    quote: Option<u64>,
    /// The debtor's name (with --fi: defaults to the sending bank's BIC)
    #[arg(long, value_name = "NAME", required_unless_present = "fi")]
    debtor: Option<String>,
    /// The creditor's name (with --fi: defaults to the receiving bank's BIC)
    #[arg(long, value_name = "NAME", required_unless_present = "fi")]
    creditor: Option<String>,
    /// The debtor's account at its bank (a non-IBAN id, e.g. a 20-digit Russian account)
    #[arg(long, value_name = "ID")]
    debtor_account: Option<String>,
    /// The debtor's IBAN
    #[arg(long, value_name = "IBAN")]
    debtor_iban: Option<String>,
    /// The creditor's account at its bank (a non-IBAN id)
    #[arg(long, value_name = "ID")]
    creditor_account: Option<String>,
    /// The creditor's IBAN
    #[arg(long, value_name = "IBAN")]
    creditor_iban: Option<String>,
    /// ISO 20022 purpose code, e.g. GDDS (purchase of goods)
    #[arg(long, value_name = "CODE")]
    purpose: Option<String>,
    /// Unstructured remittance information (up to 140 characters)
    #[arg(long, value_name = "TEXT")]
    remittance: Option<String>,
    #[arg(long, default_value = "normal", value_parser = ["normal", "high", "urgent"])]
    priority: String,
    /// Your id for this instruction, its idempotency key [default: CLI-<8 hex digits>]
    #[arg(long, value_name = "ID")]
    instruction_id: Option<String>,
    /// End-to-end reference [default: the instruction id]
    #[arg(long, value_name = "ID")]
    end_to_end_id: Option<String>,
    /// UETR, a lowercase UUID v4 [default: a new random one]
    #[arg(long, value_name = "UUID", value_parser = uetr_arg)]
    uetr: Option<Uetr>,
    /// An FI-to-FI transfer (pacs.009): the debtor and creditor are the two banks
    #[arg(long)]
    fi: bool,
    /// With --fi: your own bank's BIC [default: the --as subject]
    #[arg(long, value_name = "BIC", value_parser = bic_arg, requires = "fi")]
    from_bic: Option<Bic>,
    #[command(flatten)]
    conn: ConnArgs,
}

fn uetr_arg(text: &str) -> Result<Uetr, String> {
    text.trim()
        .to_ascii_lowercase()
        .parse()
        .map_err(|e: corridor_core::IdError| e.to_string())
}

fn cash_account(other: Option<String>, iban: Option<String>) -> Option<CashAccount> {
    (other.is_some() || iban.is_some()).then_some(CashAccount { iban, other })
}

fn party(name: String, bic: Option<Bic>) -> Party {
    Party {
        name,
        identification: bic.map(|b| PartyIdentification {
            any_bic: Some(b),
            ..PartyIdentification::default()
        }),
        ..Party::default()
    }
}

/// What a payment moves: given on the command line, or taken from a quote.
struct Terms {
    to: Bic,
    amount: String,
    currency: CurrencyCode,
    charge_bearer: ChargeBearer,
    quote: Option<u64>,
}

impl PayArgs {
    fn terms(&self, node: &Node) -> anyhow::Result<Terms> {
        if let Some(id) = self.quote {
            let q = super::fx::fetch_quote(node, id)?;
            return Ok(Terms {
                to: bic_arg(&q.creditor_agent).map_err(anyhow::Error::msg)?,
                amount: q.instructed_amount,
                currency: currency_arg(&q.source_currency).map_err(anyhow::Error::msg)?,
                charge_bearer: q.charge_bearer,
                quote: Some(id),
            });
        }
        match (self.to, &self.amount, self.currency) {
            (Some(to), Some(amount), Some(currency)) => Ok(Terms {
                to,
                amount: amount.trim().to_string(),
                currency,
                charge_bearer: ChargeBearer::default(),
                quote: None,
            }),
            _ => bail!("give --to, --amount and --currency, or --quote"),
        }
    }

    fn instruction(self, terms: Terms) -> anyhow::Result<(PaymentInstruction, ConnArgs)> {
        let sender = if self.fi {
            let from = match (self.from_bic, &self.conn.as_subject) {
                (Some(b), _) => b,
                (None, Some(subject)) => bic_arg(subject).map_err(|e| {
                    anyhow::anyhow!("--fi needs your bank's BIC: --from-bic BIC ({e})")
                })?,
                (None, None) => bail!(
                    "--fi needs your bank's BIC for the debtor: give --from-bic BIC (a token \
                     does not tell it)"
                ),
            };
            Some(from)
        } else {
            None
        };
        let (kind, debtor, creditor) = match sender {
            Some(from) => (
                PaymentKind::FinancialInstitutionTransfer,
                party(self.debtor.unwrap_or_else(|| from.to_string()), Some(from)),
                party(
                    self.creditor.unwrap_or_else(|| terms.to.to_string()),
                    Some(terms.to),
                ),
            ),
            None => (
                PaymentKind::CustomerCreditTransfer,
                party(self.debtor.unwrap_or_default(), None),
                party(self.creditor.unwrap_or_default(), None),
            ),
        };
        let instruction_id = self.instruction_id.unwrap_or_else(|| {
            format!(
                "CLI-{}",
                Uetr::generate().to_string()[..8].to_ascii_uppercase()
            )
        });
        let priority = match self.priority.as_str() {
            "urgent" => Priority::Urgent,
            "high" => Priority::High,
            _ => Priority::Normal,
        };
        let instruction = PaymentInstruction {
            kind,
            end_to_end_id: self.end_to_end_id.unwrap_or_else(|| instruction_id.clone()),
            instruction_id,
            uetr: self.uetr.unwrap_or_else(Uetr::generate),
            amount: terms.amount,
            currency: terms.currency,
            instructed_agent: terms.to,
            debtor,
            debtor_account: cash_account(self.debtor_account, self.debtor_iban),
            debtor_agent: None,
            creditor,
            creditor_account: cash_account(self.creditor_account, self.creditor_iban),
            creditor_agent: None,
            ultimate_debtor: None,
            ultimate_creditor: None,
            charge_bearer: terms.charge_bearer,
            purpose: self.purpose,
            remittance_information: self.remittance,
            priority,
            quote: terms.quote,
            settlement_date: None,
            when_closed: None,
            settlement_time: None,
        };
        Ok((instruction, self.conn))
    }
}

pub fn pay(args: PayArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let terms = args.terms(&node)?;
    let (instruction, conn) = args.instruction(terms)?;
    let answer = node.post("/v1/payments", &instruction)?;
    if print_json(&conn, &answer) {
        return Ok(());
    }
    let r: Receipt = answer.decode()?;
    print_receipt(&format!("Payment {}: {}", r.payment, word(&r.status)), &r);
    Ok(())
}

/// The receipt of a payment, cancellation or return, under `title`.
fn print_receipt(title: &str, r: &Receipt) {
    println!("{title}");
    let mut rows = vec![
        ("payment", r.payment.to_string()),
        ("instruction id", r.instruction_id.clone()),
        ("UETR", r.uetr.to_string()),
        ("status", word(&r.status)),
    ];
    if r.reason.is_some() {
        rows.push(("reason", reason(r.reason.as_ref())));
    }
    if r.duplicate {
        rows.push((
            "duplicate",
            "yes: this instruction id was already accepted; nothing new happened".to_string(),
        ));
    }
    print!("{}", block(&rows));
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The payment's number or UETR
    payment: String,
    #[command(flatten)]
    conn: ConnArgs,
}

pub fn status(args: StatusArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let path = format!("/v1/payments/{}", segment("payment", &args.payment)?);
    let answer = node.get(&path, &[])?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let p: PaymentView = answer.decode()?;
    print_payment(&p);
    Ok(())
}

fn describe_party(party: &Party, account: Option<&CashAccount>) -> String {
    let mut text = party.name.clone();
    if let Some(bic) = party.identification.as_ref().and_then(|i| i.any_bic)
        && bic.as_str() != party.name
    {
        text.push_str(&format!(" ({bic})"));
    }
    if let Some(a) = account {
        let id = a.iban.as_deref().or(a.other.as_deref()).unwrap_or_default();
        text.push_str(&format!(", account {id}"));
    }
    text
}

/// A date, with its Solar Hijri form when the currency keeps that calendar.
fn dated(date: &str, solar_hijri: Option<&str>) -> String {
    match solar_hijri {
        Some(hijri) => format!("{date} ({hijri} Solar Hijri)"),
        None => date.to_string(),
    }
}

fn print_payment(p: &PaymentView) {
    let i = &p.instruction;
    println!(
        "Payment {}  {} -> {}  {} {}  {} ({})",
        p.id,
        p.sender,
        p.receiver,
        p.amount,
        p.currency,
        word(&p.status),
        p.iso_status
    );
    let kind = match i.kind {
        PaymentKind::CustomerCreditTransfer => "customer credit transfer (pacs.008)",
        PaymentKind::FinancialInstitutionTransfer => "FI-to-FI transfer (pacs.009)",
    };
    let mut rows = vec![
        ("kind", kind.to_string()),
        ("instruction id", i.instruction_id.clone()),
        ("end-to-end id", i.end_to_end_id.clone()),
        ("UETR", i.uetr.to_string()),
        ("priority", word(&i.priority)),
        ("received", time_exact(p.received_at)),
    ];
    if let Some(date) = &p.value_date {
        rows.push((
            "value date",
            dated(date, p.value_date_solar_hijri.as_deref()),
        ));
    }
    if let Some(at) = p.warehoused_until {
        rows.push(("warehoused until", time_exact(at)));
    }
    if let Some(at) = p.settled_at {
        rows.push(("settled", time_exact(at)));
    }
    if p.reason.is_some() {
        rows.push(("reason", reason(p.reason.as_ref())));
    }
    rows.push((
        "debtor",
        describe_party(&i.debtor, i.debtor_account.as_ref()),
    ));
    rows.push((
        "creditor",
        describe_party(&i.creditor, i.creditor_account.as_ref()),
    ));
    if let Some(purpose) = &i.purpose {
        rows.push(("purpose", purpose.clone()));
    }
    if let Some(text) = &i.remittance_information {
        rows.push(("remittance", text.clone()));
    }
    if let Some(original) = p.return_of {
        rows.push(("return of", format!("payment {original}")));
        if p.return_reason.is_some() {
            rows.push(("return reason", reason(p.return_reason.as_ref())));
        }
    }
    if !p.returns.is_empty() {
        let ids: Vec<String> = p.returns.iter().map(u64::to_string).collect();
        rows.push((
            "returns",
            format!(
                "{} (returned {} {})",
                ids.join(", "),
                p.returned_amount,
                p.currency
            ),
        ));
    }
    print!("{}", block(&rows));
    if let Some(fx) = &p.fx {
        super::fx::print_fx(fx);
    }
    println!("\nHistory");
    let mut history = table(&["Time (UTC)", "Status", "Reason", "Message"], &[]);
    for e in &p.history {
        history.add_row(vec![
            Cell::new(time(e.at.0)),
            Cell::new(word(&e.status)),
            Cell::new(
                e.reason
                    .as_ref()
                    .map(|r| r.code.clone())
                    .unwrap_or_default(),
            ),
            Cell::new(
                e.reason
                    .as_ref()
                    .map(|r| r.message.clone())
                    .unwrap_or_default(),
            ),
        ]);
    }
    println!("{history}");
}

#[derive(Args, Debug)]
pub struct PaymentsArgs {
    #[arg(long, value_parser = STATUSES)]
    status: Option<String>,
    /// Only payments to or from this bank
    #[arg(long, value_name = "BIC", value_parser = bic_arg)]
    counterparty: Option<Bic>,
    /// Received at or after this time (RFC 3339, e.g. 2026-11-23T09:00:00Z, or a UTC date)
    #[arg(long, value_name = "RFC3339", value_parser = render::time_arg)]
    from: Option<u64>,
    /// Received before this time (RFC 3339 or a UTC date)
    #[arg(long, value_name = "RFC3339", value_parser = render::time_arg)]
    to: Option<u64>,
    /// Only payments in this currency (needed by the amount filters)
    #[arg(long, value_name = "CODE", value_parser = currency_arg)]
    currency: Option<CurrencyCode>,
    #[arg(long, value_name = "DECIMAL", requires = "currency")]
    min_amount: Option<String>,
    #[arg(long, value_name = "DECIMAL", requires = "currency")]
    max_amount: Option<String>,
    /// At most this many (the node's default is 100, its maximum 1000)
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Only payments numbered above this (the previous page's last number)
    #[arg(long, value_name = "ID")]
    after: Option<u64>,
    /// Whose payments (for the operator and auditors)
    #[arg(long, value_name = "BIC", value_parser = bic_arg)]
    participant: Option<Bic>,
    #[command(flatten)]
    conn: ConnArgs,
}

impl PaymentsArgs {
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        let mut add = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                q.push((k, v));
            }
        };
        add("status", self.status.clone());
        add("counterparty", self.counterparty.map(|b| b.to_string()));
        add("from", self.from.map(|t| t.to_string()));
        add("to", self.to.map(|t| t.to_string()));
        add("currency", self.currency.map(|c| c.to_string()));
        add("min_amount", self.min_amount.clone());
        add("max_amount", self.max_amount.clone());
        add("limit", self.limit.map(|n| n.to_string()));
        add("after", self.after.map(|n| n.to_string()));
        add("participant", self.participant.map(|b| b.to_string()));
        q
    }
}

pub fn list(args: PaymentsArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.get("/v1/payments", &args.query())?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let list: Vec<PaymentSummary> = answer.decode()?;
    if list.is_empty() {
        println!("no payments match");
        return Ok(());
    }
    let mut t = table(
        &[
            "ID",
            "Received (UTC)",
            "Sender",
            "Receiver",
            "Amount",
            "Currency",
            "Status",
            "Priority",
            "Instruction ID",
            "UETR",
        ],
        &[0, 4],
    );
    for p in &list {
        t.add_row(vec![
            p.id.to_string(),
            time(p.received_at),
            p.sender.clone(),
            p.receiver.clone(),
            p.amount.clone(),
            p.currency.clone(),
            word(&p.status),
            word(&p.priority),
            p.instruction_id.clone(),
            p.uetr.clone(),
        ]);
    }
    println!("{t}");
    let limit = args.limit.unwrap_or(100).min(1_000);
    let last = list.last().map_or(0, |p| p.id);
    let count = match list.len() {
        1 => "1 payment".to_string(),
        n => format!("{n} payments"),
    };
    if list.len() >= limit {
        println!("{count}; there may be more: add --after {last}");
    } else {
        println!("{count}");
    }
    Ok(())
}

#[derive(Args, Debug)]
pub struct CancelArgs {
    /// The payment's number or UETR
    payment: String,
    /// Starts with a reason code, e.g. "CUST customer asked" or "DUPL sent twice"
    #[arg(long, value_name = "TEXT")]
    reason: String,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Serialize)]
struct CancelRequest<'a> {
    reason: &'a str,
}

pub fn cancel(args: CancelArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let path = format!("/v1/payments/{}/cancel", segment("payment", &args.payment)?);
    let answer = node.post(
        &path,
        &CancelRequest {
            reason: &args.reason,
        },
    )?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let r: Receipt = answer.decode()?;
    print_receipt(&format!("Payment {}: {}", r.payment, word(&r.status)), &r);
    Ok(())
}

#[derive(Args, Debug)]
pub struct ReturnArgs {
    /// The payment to return (its number or UETR)
    payment: String,
    /// Your instruction id for the return, its idempotency key
    #[arg(long, value_name = "ID")]
    return_id: String,
    /// Part of the amount [default: all that is not yet returned]
    #[arg(long, value_name = "DECIMAL")]
    amount: Option<String>,
    /// Starts with a pacs.004 reason code, e.g. "AC04 account closed"
    #[arg(long, value_name = "TEXT")]
    reason: String,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Serialize)]
struct ReturnRequest<'a> {
    return_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<&'a str>,
    reason: &'a str,
}

pub fn return_payment(args: ReturnArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let path = format!("/v1/payments/{}/return", segment("payment", &args.payment)?);
    let answer = node.post(
        &path,
        &ReturnRequest {
            return_id: &args.return_id,
            amount: args.amount.as_deref().map(str::trim),
            reason: &args.reason,
        },
    )?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let r: Receipt = answer.decode()?;
    let title = format!(
        "Return of payment {} (payment {}): {}",
        args.payment,
        r.payment,
        word(&r.status)
    );
    print_receipt(&title, &r);
    Ok(())
}
