//! `liquidity-saving`: what offsetting and the queue optimisation settled, per currency (a
//! bank sees its own figures), and for the operator turning them on or off.

use std::time::Duration;

use clap::{Args, Subcommand};
use corridor_core::CurrencyCode;
use corridor_settlement::LiquiditySavingConfig;
use serde::Deserialize;

use super::args::{currency_arg, print_json};
use super::conn::{ConnArgs, Node};
use super::render::{block, table};

const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Subcommand, Debug)]
pub enum LiquiditySavingCommand {
    /// Value settled gross, by offsetting and by each algorithm, the queue and gridlocks.
    Show(ShowArgs),
    /// Sets liquidity saving (operator).
    Set(SetArgs),
    /// Runs the queue optimisation of CURRENCY now, or one of its algorithms (operator).
    Run(RunArgs),
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[arg(value_parser = currency_arg)]
    currency: CurrencyCode,
    /// all-or-nothing, partial or bilateral; without it, the whole sequence
    #[arg(long)]
    algorithm: Option<String>,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Args, Debug)]
pub struct SetArgs {
    /// Offset a payment that does not fit against the payee's payments back
    #[arg(long)]
    offsetting: bool,
    /// Run the queue optimisation at most this often per currency; 0: never
    #[arg(long, default_value_t = 60)]
    interval_seconds: u32,
    /// Most payments one optimisation run may take out or look at, per algorithm
    #[arg(long, default_value_t = 1_000_000)]
    max_steps: u32,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Debug, Deserialize)]
struct SettledView {
    by: String,
    payments: u64,
    value: String,
}

#[derive(Debug, Deserialize)]
struct CurrencySaving {
    currency: String,
    settled: Vec<SettledView>,
    saved_share_bps: u32,
    queued_payments: u64,
    queued_value: String,
    #[serde(default)]
    oldest_queued_age_seconds: Option<u64>,
    gridlocks: u64,
    settled_today: String,
    liquidity_used: String,
    #[serde(default)]
    liquidity_efficiency_percent: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct SavingView {
    config: LiquiditySavingConfig,
    currencies: Vec<CurrencySaving>,
}

pub fn run(command: LiquiditySavingCommand) -> anyhow::Result<()> {
    match command {
        LiquiditySavingCommand::Show(args) => show(args),
        LiquiditySavingCommand::Set(args) => set(args),
        LiquiditySavingCommand::Run(args) => run_now(args),
    }
}

fn run_now(args: RunArgs) -> anyhow::Result<()> {
    let algorithm = args.algorithm.as_deref().map(|a| a.replace('-', "_"));
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.post(
        &format!("/v1/liquidity-saving/{}/runs", args.currency),
        &serde_json::json!({ "algorithm": algorithm }),
    )?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    println!(
        "Ran {} over the {} queues; `liquidity-saving show` has what it settled.",
        args.algorithm.as_deref().unwrap_or("the optimisation"),
        args.currency
    );
    Ok(())
}

fn show(args: ShowArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.get("/v1/liquidity-saving", &[])?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let view: SavingView = answer.decode()?;
    print_config(&view.config);
    for c in &view.currencies {
        println!(
            "\n{}: {} payments queued ({} {}), oldest {}, {:.2} % of the value settled saved liquidity, {} gridlocks",
            c.currency,
            c.queued_payments,
            c.queued_value,
            c.currency,
            c.oldest_queued_age_seconds
                .map_or_else(|| "none".to_string(), |s| format!("{s} s")),
            f64::from(c.saved_share_bps) / 100.0,
            c.gridlocks
        );
        println!(
            "today: {} {} settled with {} {} of liquidity used (efficiency {})",
            c.settled_today,
            c.currency,
            c.liquidity_used,
            c.currency,
            c.liquidity_efficiency_percent
                .map_or_else(|| "n/a".to_string(), |p| format!("{p} %"))
        );
        let mut t = table(&["settled by", "payments", "value"], &[1, 2]);
        for s in &c.settled {
            t.add_row(vec![
                s.by.replace('_', " "),
                s.payments.to_string(),
                s.value.clone(),
            ]);
        }
        println!("{t}");
    }
    Ok(())
}

fn print_config(config: &LiquiditySavingConfig) {
    print!(
        "{}",
        block(&[
            ("offsetting on entry", config.offsetting.to_string()),
            (
                "optimisation every",
                match config.optimisation_interval_seconds {
                    0 => "never".to_string(),
                    s => format!("{s} s"),
                },
            ),
            ("steps per run", config.max_steps.to_string()),
        ])
    );
}

fn set(args: SetArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let config = LiquiditySavingConfig {
        offsetting: args.offsetting,
        optimisation_interval_seconds: args.interval_seconds,
        max_steps: args.max_steps,
    };
    let answer = node.put("/v1/liquidity-saving", &config)?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    println!("Liquidity saving set:");
    print_config(&answer.decode()?);
    Ok(())
}
