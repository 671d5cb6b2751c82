//! `liquidity-controls`: a bank's limits and reservations on its settlement account in one
//! currency, with the positions they bound; a bank sets its own, the operator any bank's.

use std::time::Duration;

use clap::{Args, Subcommand};
use corridor_core::{Bic, CurrencyCode};
use corridor_settlement::{BilateralLimitRequest, LiquidityControlsRequest};
use serde::Deserialize;

use super::args::{bic_amount_arg, bic_arg, currency_arg, print_json};
use super::conn::{ConnArgs, Node};
use super::render::{block, table};

const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Subcommand, Debug)]
pub enum LiquidityControlsCommand {
    /// Reserves, limits and positions of BIC's settlement account in CURRENCY.
    Show(ShowArgs),
    /// Replaces BIC's reserves and limits in CURRENCY (what is not given is zero or no limit).
    Set(SetArgs),
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    #[arg(value_parser = bic_arg)]
    bic: Bic,
    #[arg(value_parser = currency_arg)]
    currency: CurrencyCode,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Args, Debug)]
pub struct SetArgs {
    #[arg(value_parser = bic_arg)]
    bic: Bic,
    #[arg(value_parser = currency_arg)]
    currency: CurrencyCode,
    /// Liquidity only urgent payments may use (decimal, in the currency)
    #[arg(long)]
    urgent_reserve: Option<String>,
    /// Liquidity only high and urgent payments may use
    #[arg(long)]
    high_reserve: Option<String>,
    /// Most net outflow of normal payments toward all participants without a bilateral limit
    #[arg(long)]
    multilateral_limit: Option<String>,
    /// COUNTERPARTY=LIMIT: most net outflow of normal payments toward one participant
    /// (repeat for more)
    #[arg(long = "bilateral", value_parser = bic_amount_arg)]
    bilateral: Vec<(Bic, String)>,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Debug, Deserialize)]
struct BilateralView {
    counterparty: String,
    limit: String,
    position: String,
}

#[derive(Debug, Deserialize)]
struct ControlsView {
    participant: String,
    currency: String,
    urgent_reserve: String,
    high_reserve: String,
    multilateral_limit: Option<String>,
    multilateral_position: String,
    bilateral_limits: Vec<BilateralView>,
    set_by: String,
}

pub fn run(command: LiquidityControlsCommand) -> anyhow::Result<()> {
    match command {
        LiquidityControlsCommand::Show(args) => show(args),
        LiquidityControlsCommand::Set(args) => set(args),
    }
}

fn path(bic: Bic, currency: CurrencyCode) -> String {
    format!("/v1/participants/{bic}/liquidity-controls/{currency}")
}

fn show(args: ShowArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.get(&path(args.bic, args.currency), &[])?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let view: ControlsView = answer.decode()?;
    print!(
        "{}",
        block(&[
            (
                "participant",
                format!("{} {}", view.participant, view.currency)
            ),
            ("urgent reserve", view.urgent_reserve),
            ("high reserve", view.high_reserve),
            (
                "multilateral limit",
                view.multilateral_limit.unwrap_or_else(|| "none".into()),
            ),
            ("multilateral position", view.multilateral_position),
            ("set by", view.set_by),
        ])
    );
    if view.bilateral_limits.is_empty() {
        return Ok(());
    }
    let mut t = table(&["toward", "limit", "position"], &[1, 2]);
    for b in view.bilateral_limits {
        t.add_row(vec![b.counterparty, b.limit, b.position]);
    }
    println!("{t}");
    Ok(())
}

fn set(args: SetArgs) -> anyhow::Result<()> {
    let bilateral_limits = args
        .bilateral
        .into_iter()
        .map(|(counterparty, limit)| BilateralLimitRequest {
            counterparty,
            limit,
        })
        .collect();
    let request = LiquidityControlsRequest {
        urgent_reserve: args.urgent_reserve,
        high_reserve: args.high_reserve,
        multilateral_limit: args.multilateral_limit,
        bilateral_limits,
    };
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.put(&path(args.bic, args.currency), &request)?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    println!(
        "Limits and reservations of {} in {} set.",
        args.bic, args.currency
    );
    Ok(())
}
