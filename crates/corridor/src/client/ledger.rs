//! `statement`, `accounts`, `participants`, `fund` and `end-of-day`.

use std::time::Duration;

use clap::Args;
use corridor_core::{Bic, CurrencyCode};
use serde::Serialize;

use super::args::{bic_arg, currency_arg, print_json, segment};
use super::conn::{ConnArgs, Node};
use super::render::{self, block, table, time, word};
use super::views::{AccountView, EndOfDayReceipt, LiquidityRecord, Participants, StatementView};

const TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Args, Debug)]
pub struct StatementArgs {
    /// The account's number (see `corridor accounts`)
    account: String,
    /// Entries at or after this time (RFC 3339 or a UTC date) [default: the beginning]
    #[arg(long, value_name = "RFC3339", value_parser = render::time_arg)]
    from: Option<u64>,
    /// Entries before this time (RFC 3339 or a UTC date) [default: now]
    #[arg(long, value_name = "RFC3339", value_parser = render::time_arg)]
    to: Option<u64>,
    #[command(flatten)]
    conn: ConnArgs,
}

pub fn statement(args: StatementArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let path = format!(
        "/v1/accounts/{}/statement",
        segment("account", &args.account)?
    );
    let mut query = Vec::new();
    if let Some(from) = args.from {
        query.push(("from", from.to_string()));
    }
    if let Some(to) = args.to {
        query.push(("to", to.to_string()));
    }
    let answer = node.get(&path, &query)?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let s: StatementView = answer.decode()?;
    println!(
        "Statement of account {} ({}, {})",
        s.account, s.owner, s.currency
    );
    let from = if s.from == 0 {
        "the beginning".to_string()
    } else {
        time(s.from)
    };
    let to = if s.to == u64::MAX {
        "now".to_string()
    } else {
        time(s.to)
    };
    let mut rows = vec![("period", format!("{from} to {to}"))];
    if let Some(date) = &s.date {
        let hijri = s
            .date_solar_hijri
            .as_ref()
            .map_or_else(String::new, |h| format!(" ({h} Solar Hijri)"));
        rows.push(("date", format!("{date}{hijri}")));
    }
    rows.push((
        "opening balance",
        format!("{} {}", s.opening_balance, s.currency),
    ));
    print!("{}", block(&rows));
    if s.entries.is_empty() {
        println!("\nno entries in this period\n");
    } else {
        let mut t = table(
            &[
                "Time (UTC)",
                "Kind",
                "Payment",
                "Transfer",
                "Debit",
                "Credit",
                "Balance",
            ],
            &[2, 3, 4, 5, 6],
        );
        for e in &s.entries {
            let (debit, credit) = if e.side == "debit" {
                (e.amount.clone(), String::new())
            } else {
                (String::new(), e.amount.clone())
            };
            t.add_row(vec![
                time(e.at),
                e.kind.clone(),
                e.payment.map(|p| p.to_string()).unwrap_or_default(),
                e.transfer.to_string(),
                debit,
                credit,
                e.balance_after.clone(),
            ]);
        }
        println!("{t}");
    }
    print!(
        "{}",
        block(&[
            (
                "total debits",
                format!(
                    "{} {} ({} entries)",
                    s.total_debits,
                    s.currency,
                    s.entries.iter().filter(|e| e.side == "debit").count()
                )
            ),
            (
                "total credits",
                format!(
                    "{} {} ({} entries)",
                    s.total_credits,
                    s.currency,
                    s.entries.iter().filter(|e| e.side != "debit").count()
                )
            ),
            (
                "closing balance",
                format!("{} {}", s.closing_balance, s.currency)
            ),
        ])
    );
    Ok(())
}

pub fn accounts(args: ListArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.get_all("/v1/accounts")?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let list: Vec<AccountView> = answer.decode()?;
    if list.is_empty() {
        println!("no accounts you may see");
        return Ok(());
    }
    let mut t = table(
        &[
            "ID",
            "Owner",
            "Currency",
            "Purpose",
            "Balance",
            "Available",
            "Net debit cap",
            "Opened (UTC)",
        ],
        &[0, 4, 5, 6],
    );
    for a in &list {
        t.add_row(vec![
            a.id.to_string(),
            a.owner.clone(),
            a.currency.clone(),
            a.purpose.clone(),
            a.balance.clone(),
            a.available.clone(),
            a.net_debit_cap.clone(),
            time(a.opened_at),
        ]);
    }
    println!("{t}");
    Ok(())
}

pub fn participants(args: ListArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.get_all("/v1/participants")?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let list: Participants = answer.decode()?;
    let mut t = table(
        &[
            "BIC",
            "Name",
            "Country",
            "Roles",
            "Status",
            "Admitted (UTC)",
        ],
        &[],
    );
    for p in &list {
        let roles: Vec<String> = p.roles.iter().map(word).collect();
        t.add_row(vec![
            p.bic.to_string(),
            p.name.clone(),
            p.country.clone(),
            roles.join(", "),
            word(&p.status),
            time(p.admitted_at.0),
        ]);
    }
    println!("{t}");
    println!("{} participants", list.len());
    Ok(())
}

#[derive(Args, Debug)]
pub struct FundArgs {
    /// The bank whose settlement account is funded
    #[arg(long, value_name = "BIC", value_parser = bic_arg)]
    participant: Bic,
    /// ISO 4217 currency code, e.g. RUB or IRR
    #[arg(long, value_name = "CODE", value_parser = currency_arg)]
    currency: CurrencyCode,
    /// Amount as a decimal in the currency's scale
    #[arg(long, value_name = "DECIMAL")]
    amount: String,
    /// Your reference for this transfer, its idempotency key
    #[arg(long, value_name = "REF")]
    reference: String,
    /// Take liquidity out of the account instead (back to the domestic RTGS)
    #[arg(long)]
    defund: bool,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Serialize)]
struct LiquidityRequest<'a> {
    reference: &'a str,
    participant: Bic,
    currency: CurrencyCode,
    amount: &'a str,
    direction: &'a str,
}

pub fn fund(args: FundArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let request = LiquidityRequest {
        reference: &args.reference,
        participant: args.participant,
        currency: args.currency,
        amount: args.amount.trim(),
        direction: if args.defund { "defund" } else { "fund" },
    };
    let answer = node.post("/v1/liquidity", &request)?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let r: LiquidityRecord = answer.decode()?;
    let amount = format!("{} {}", r.amount, r.currency);
    if r.direction == "defund" {
        println!(
            "Defunded {}: {amount} debited from account {}",
            r.participant, r.account
        );
    } else {
        println!(
            "Funded {}: {amount} credited to account {}",
            r.participant, r.account
        );
    }
    print!(
        "{}",
        block(&[
            ("reference", r.reference.clone()),
            ("agent", r.agent.clone()),
            ("transfer", r.transfer.to_string()),
            ("at", time(r.at)),
        ])
    );
    Ok(())
}

#[derive(Args, Debug)]
pub struct EndOfDayArgs {
    /// The business day to close, YYYY-MM-DD; closing the last closed day again sends
    /// nothing new
    #[arg(value_name = "DATE")]
    business_date: String,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Serialize)]
struct EndOfDayRequest<'a> {
    business_date: &'a str,
}

pub fn end_of_day(args: EndOfDayArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let request = EndOfDayRequest {
        business_date: args.business_date.trim(),
    };
    let answer = node.post("/v1/operator/end-of-day", &request)?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let r: EndOfDayReceipt = answer.decode()?;
    if r.duplicate {
        println!(
            "Business day {} was already closed; nothing new was sent",
            r.day.date
        );
    } else {
        println!("Closed business day {}", r.day.date);
    }
    print!(
        "{}",
        block(&[
            ("entries from", time(r.day.from.0)),
            ("entries before", time(r.day.to.0)),
            ("statements sent", r.day.statements.to_string()),
        ])
    );
    Ok(())
}
