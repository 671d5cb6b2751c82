//! `quote` and `rates`: asking for a cross-currency quote, and publishing rate sheets
//! (FX providers) and reference rates (settlement agents).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};
use comfy_table::Cell;
use corridor_core::{Bic, CurrencyCode};
use serde::Serialize;

use super::args::{bic_arg, currency_arg, print_json};
use super::conn::{ConnArgs, Node};
use super::render::{block, table, time_exact, word};
use super::views::{FxView, QuoteView};

const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Args, Debug)]
pub struct QuoteArgs {
    /// The creditor's bank, which receives the destination currency
    #[arg(long, value_name = "BIC", value_parser = bic_arg)]
    to: Bic,
    /// The currency the debtor pays in
    #[arg(long, value_name = "CODE", value_parser = currency_arg)]
    sell: CurrencyCode,
    /// The currency the creditor receives
    #[arg(long, value_name = "CODE", value_parser = currency_arg)]
    buy: CurrencyCode,
    /// Fix the instructed amount, in the currency sold
    #[arg(
        long,
        value_name = "DECIMAL",
        conflicts_with = "receive",
        required_unless_present = "receive"
    )]
    amount: Option<String>,
    /// Or fix what the creditor's bank receives, in the currency bought
    #[arg(long, value_name = "DECIMAL")]
    receive: Option<String>,
    /// Who bears the fees (ISO 20022 ChrgBr)
    #[arg(long, default_value = "SHAR", value_parser = ["DEBT", "CRED", "SHAR", "SLEV"])]
    charges: String,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Serialize)]
struct QuoteRequest<'a> {
    source_currency: CurrencyCode,
    destination_currency: CurrencyCode,
    creditor_agent: Bic,
    instructed_amount: Option<&'a str>,
    creditor_amount: Option<&'a str>,
    charge_bearer: &'a str,
}

pub fn quote(args: QuoteArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let request = QuoteRequest {
        source_currency: args.sell,
        destination_currency: args.buy,
        creditor_agent: args.to,
        instructed_amount: args.amount.as_deref().map(str::trim),
        creditor_amount: args.receive.as_deref().map(str::trim),
        charge_bearer: &args.charges,
    };
    let answer = node.post("/v1/fx/quotes", &request)?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let q: QuoteView = answer.decode()?;
    print_quote(&q);
    println!(
        "\nPay it before it expires: corridor pay --quote {} --debtor NAME --creditor NAME",
        q.id
    );
    Ok(())
}

/// Fetches the quote a payment will settle at.
pub fn fetch_quote(node: &Node, id: u64) -> anyhow::Result<QuoteView> {
    node.get(&format!("/v1/fx/quotes/{id}"), &[])?
        .decode()
        .with_context(|| format!("reading quote {id}"))
}

pub fn print_quote(q: &QuoteView) {
    println!(
        "Quote {}  {} -> {}  route {}",
        q.id,
        q.source_currency,
        q.destination_currency,
        q.route.join(" -> ")
    );
    let mut rows = vec![
        ("creditor agent", q.creditor_agent.clone()),
        (
            "instructed",
            format!("{} {}", q.instructed_amount, q.source_currency),
        ),
        (
            "debtor pays",
            format!("{} {}", q.debtor_pays, q.source_currency),
        ),
        (
            "creditor receives",
            format!("{} {}", q.creditor_receives, q.destination_currency),
        ),
        ("charges", word(&q.charge_bearer)),
        ("expires", time_exact(q.expires_at)),
    ];
    if let Some(r) = &q.reference_rate {
        rows.push((
            "reference rate",
            format!("{} {}/{} ({})", r.rate, r.base, r.quote, r.agent),
        ));
    }
    if let Some(p) = q.used_by {
        rows.push(("used by", format!("payment {p}")));
    }
    print!("{}", block(&rows));
    let mut hops = table(
        &[
            "Provider", "From", "To", "Rate", "Receives", "Fee", "Delivers", "Sheet",
        ],
        &[3, 4, 5, 6],
    );
    for h in &q.hops {
        hops.add_row(vec![
            Cell::new(&h.provider),
            Cell::new(&h.from),
            Cell::new(&h.to),
            Cell::new(&h.rate),
            Cell::new(&h.received),
            Cell::new(&h.fee),
            Cell::new(&h.delivered),
            Cell::new(h.sheet_version),
        ]);
    }
    println!("{hops}");
    for f in &q.fees {
        println!(
            "fee: {} {} to {}, borne by the {}",
            f.amount, f.currency, f.provider, f.borne_by
        );
    }
    println!("Considered:");
    for c in &q.considered {
        let outcome = match (&c.excluded, &c.creditor_receives, &c.debtor_pays) {
            (Some(why), _, _) => format!("not usable: {why}"),
            (None, Some(r), Some(d)) => format!("debtor pays {d}, creditor receives {r}"),
            _ => String::new(),
        };
        println!(
            "  {} via {}: {outcome}",
            c.providers.join(" + "),
            c.route.join(" -> ")
        );
    }
}

/// The FX part of a payment's detail.
pub fn print_fx(fx: &FxView) {
    println!("\nCross-currency");
    print_quote(&fx.quote);
    let mut legs = table(&["Leg", "Currency", "Amount", "Debit", "Credit"], &[2]);
    for (i, l) in fx.legs.iter().enumerate() {
        legs.add_row(vec![
            Cell::new(i + 1),
            Cell::new(&l.currency),
            Cell::new(&l.amount),
            Cell::new(l.debit_account),
            Cell::new(l.credit_account),
        ]);
    }
    if !fx.legs.is_empty() {
        println!("{legs}");
    }
}

#[derive(Subcommand, Debug)]
pub enum RatesCommand {
    /// Publishes official reference rates from a CSV (base,quote,rate) or JSON file; for
    /// settlement agents.
    Load {
        file: PathBuf,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Publishes a rate sheet (JSON, as POST /v1/fx/rate-sheets takes it), replacing your
    /// last one; for FX providers.
    Publish {
        file: PathBuf,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Shows the reference rates and the rate sheets you may see.
    Show {
        #[command(flatten)]
        conn: ConnArgs,
    },
}

pub fn rates(command: RatesCommand) -> anyhow::Result<()> {
    match command {
        RatesCommand::Load { file, conn } => {
            let text = read(&file)?;
            let rates = corridor_node::rates_file::parse(&text)
                .with_context(|| format!("reading {}", file.display()))?;
            let node = Node::connect(&conn, TIMEOUT)?;
            let answer = node.post(
                "/v1/fx/reference-rates",
                &serde_json::json!({ "rates": rates }),
            )?;
            if !print_json(&conn, &answer) {
                println!("Published {} reference rates", rates.len());
            }
            Ok(())
        }
        RatesCommand::Publish { file, conn } => {
            let sheet: serde_json::Value = serde_json::from_str(&read(&file)?)
                .with_context(|| format!("{} is not JSON", file.display()))?;
            let node = Node::connect(&conn, TIMEOUT)?;
            let answer = node.post("/v1/fx/rate-sheets", &sheet)?;
            if !print_json(&conn, &answer) {
                let version = answer.decode::<serde_json::Value>()?["version"].clone();
                println!("Published rate sheet version {version}");
            }
            Ok(())
        }
        RatesCommand::Show { conn } => show(&conn),
    }
}

fn read(file: &PathBuf) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))
}

fn show(conn: &ConnArgs) -> anyhow::Result<()> {
    let node = Node::connect(conn, TIMEOUT)?;
    let reference = node.get_all("/v1/fx/reference-rates")?;
    let sheets = node.get_all("/v1/fx/rate-sheets")?;
    if conn.json {
        println!(
            "{}",
            serde_json::json!({
                "reference_rates": reference.decode::<serde_json::Value>()?,
                "rate_sheets": sheets.decode::<serde_json::Value>()?,
            })
        );
        return Ok(());
    }
    let mut t = table(&["Pair", "Reference rate", "Agent", "Version"], &[1]);
    for r in reference.decode::<Vec<serde_json::Value>>()? {
        t.add_row(vec![
            Cell::new(format!(
                "{}/{}",
                r["base"].as_str().unwrap_or(""),
                r["quote"].as_str().unwrap_or("")
            )),
            Cell::new(r["rate"].as_str().unwrap_or("")),
            Cell::new(r["agent"].as_str().unwrap_or("")),
            Cell::new(&r["version"]),
        ]);
    }
    println!("{t}");
    let mut t = table(
        &["Provider", "Version", "Pair", "Bid", "Ask", "Valid until"],
        &[3, 4],
    );
    for s in sheets.decode::<Vec<serde_json::Value>>()? {
        for p in s["pairs"].as_array().into_iter().flatten() {
            t.add_row(vec![
                Cell::new(s["provider"].as_str().unwrap_or("")),
                Cell::new(&s["version"]),
                Cell::new(format!(
                    "{}/{}",
                    p["base"].as_str().unwrap_or(""),
                    p["quote"].as_str().unwrap_or("")
                )),
                Cell::new(p["bid"].as_str().unwrap_or("")),
                Cell::new(p["ask"].as_str().unwrap_or("")),
                Cell::new(time_exact(s["valid_until"].as_u64().unwrap_or(0))),
            ]);
        }
    }
    println!("{t}");
    Ok(())
}
