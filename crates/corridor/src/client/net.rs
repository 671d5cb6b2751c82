//! `net-settlement`: a currency's deferred net settlement windows (a bank sees its own
//! position in each), and for the operator setting it, closing the open window and
//! aborting a closed one.

use std::time::Duration;

use clap::{Args, Subcommand};
use corridor_core::{Bic, CurrencyCode};
use corridor_settlement::{NetDebitCapRequest, NetSettlementRequest, NetWindowAction};
use serde::Deserialize;

use super::args::{bic_amount_arg, currency_arg, print_json};
use super::conn::{ConnArgs, Node};
use super::render::{block, table};

const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Subcommand, Debug)]
pub enum NetSettlementCommand {
    /// CURRENCY's net settlement and its latest windows.
    Show(ShowArgs),
    /// Sets CURRENCY's net settlement (operator).
    Set(SetArgs),
    /// Closes CURRENCY's open window; it settles as soon as it can (operator).
    Close(ShowArgs),
    /// Aborts a closed window of CURRENCY that has not settled: its payments are rejected
    /// with REASON, an ISO 20022 reason code then text (operator).
    Abort(AbortArgs),
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    #[arg(value_parser = currency_arg)]
    currency: CurrencyCode,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Args, Debug)]
pub struct SetArgs {
    #[arg(value_parser = currency_arg)]
    currency: CurrencyCode,
    /// Normal payments of at most this amount settle net; without it, net settlement is off
    #[arg(long)]
    up_to: Option<String>,
    /// How long a closed window waits for liquidity before the default procedure
    #[arg(long, default_value_t = 1_800)]
    default_after_seconds: u32,
    /// Close each window this long after it opened (several cycles a day); without it,
    /// windows close at the end of day or by the operator
    #[arg(long)]
    window_seconds: Option<u32>,
    /// BIC=CAP: a participant's net debit cap in a window (repeat for more)
    #[arg(long = "cap", value_parser = bic_amount_arg)]
    caps: Vec<(Bic, String)>,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Args, Debug)]
pub struct AbortArgs {
    #[arg(value_parser = currency_arg)]
    currency: CurrencyCode,
    window: u64,
    reason: String,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Debug, Deserialize)]
struct PositionView {
    participant: String,
    position: String,
}

#[derive(Debug, Deserialize)]
struct WindowView {
    id: u64,
    state: String,
    #[serde(default)]
    payments: Option<u64>,
    #[serde(default)]
    value: Option<String>,
    positions: Vec<PositionView>,
    defaulted: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct NetView {
    currency: String,
    up_to_amount: Option<String>,
    default_after_seconds: u32,
    windows: Vec<WindowView>,
}

pub fn run(command: NetSettlementCommand) -> anyhow::Result<()> {
    match command {
        NetSettlementCommand::Show(args) => show(args),
        NetSettlementCommand::Set(args) => set(args),
        NetSettlementCommand::Close(args) => act(&args.conn, args.currency, NetWindowAction::Close),
        NetSettlementCommand::Abort(args) => act(
            &args.conn,
            args.currency,
            NetWindowAction::Abort {
                window: args.window,
                reason: args.reason.clone(),
            },
        ),
    }
}

fn show(args: ShowArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.get(&format!("/v1/net-settlement/{}", args.currency), &[])?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let view: NetView = answer.decode()?;
    print!(
        "{}",
        block(&[
            (
                "settles net",
                view.up_to_amount.map_or_else(
                    || "nothing (off)".to_string(),
                    |a| format!("normal payments up to {a} {}", view.currency)
                ),
            ),
            ("default after", format!("{} s", view.default_after_seconds)),
        ])
    );
    let mut t = table(
        &[
            "window",
            "state",
            "payments",
            "value",
            "positions",
            "defaulted",
        ],
        &[0, 2, 3],
    );
    for w in view.windows {
        let positions: Vec<String> = w
            .positions
            .iter()
            .map(|p| format!("{} {}", p.participant, p.position))
            .collect();
        t.add_row(vec![
            w.id.to_string(),
            w.state,
            w.payments.map_or_else(|| "-".into(), |n| n.to_string()),
            w.value.unwrap_or_else(|| "-".into()),
            positions.join(", "),
            w.defaulted.join(", "),
        ]);
    }
    println!("{t}");
    Ok(())
}

fn set(args: SetArgs) -> anyhow::Result<()> {
    let net_debit_caps = args
        .caps
        .into_iter()
        .map(|(participant, cap)| NetDebitCapRequest { participant, cap })
        .collect();
    let settings = NetSettlementRequest {
        up_to_amount: args.up_to,
        default_after_seconds: args.default_after_seconds,
        window_seconds: args.window_seconds,
        net_debit_caps,
    };
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.put(&format!("/v1/net-settlement/{}", args.currency), &settings)?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    println!("Net settlement of {} set.", args.currency);
    Ok(())
}

fn act(conn: &ConnArgs, currency: CurrencyCode, action: NetWindowAction) -> anyhow::Result<()> {
    let node = Node::connect(conn, TIMEOUT)?;
    let answer = node.post(&format!("/v1/net-settlement/{currency}/windows"), &action)?;
    if print_json(conn, &answer) {
        return Ok(());
    }
    match action {
        NetWindowAction::Close => println!("The open {currency} window is closed."),
        NetWindowAction::Abort { window, .. } => println!("Window {window} is aborted."),
    }
    Ok(())
}
