//! `corridor bench fx`: quotes per second and cross-currency payments per second through
//! the node's HTTP API, end to end on loopback, against same-currency payments per second
//! measured on the same node in the same run (the `bench api` single-payment mode):
//! (1) `POST /v1/payments`, same currency, one payment per request;
//! (2) `POST /v1/fx/quotes`, one quote per request;
//! (3) `POST /v1/payments` referring to a quote: payment versus payment, both legs reserved
//!     and posted, one payment per request.
//! Each mode runs with the same concurrent keep-alive clients, as fast as answers come. The
//! quotes the FX payments use are issued before timing (through the engine, as (2) would
//! issue them), so (3) times settlement, not quoting. The node is the demo corridor's, with
//! the banks and the FX providers' inventories topped up so that nothing is refused for
//! want of liquidity; every answer is counted, so a run where payments fail says so.

use anyhow::{Context, bail};
use clap::Args;
use corridor_core::{Amount, Bic};
use corridor_settlement::{
    AccountPurpose, Answer, HubCommand, HubConfig, LiquidityDirection, QuoteRequest,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::api::{NodeSetup, StartedNode, start_node};
use super::cpu::{CLIENT_THREAD, NODE_THREAD, runtime};
use super::http::{AnswerKind, ModeResult, Target, drive, print_mode};
use super::payments::{CURRENCIES, Prepared, Sender, parse, payment, prepare_single};
use super::{Machine, met};

#[derive(Args)]
pub struct FxBenchArgs {
    /// Concurrent clients (one keep-alive connection each) in every mode.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Same-currency payments in the baseline run.
    #[arg(long, default_value_t = 30_000)]
    same_currency_payments: usize,
    /// Quotes in the quote run.
    #[arg(long, default_value_t = 30_000)]
    quotes: usize,
    /// Cross-currency payments in the settlement run.
    #[arg(long, default_value_t = 30_000)]
    fx_payments: usize,
    /// Where the node's data directory goes: on the disk being measured; removed afterwards.
    #[arg(long, default_value = "./corridor-bench-data")]
    dir: std::path::PathBuf,
    #[arg(long)]
    json: bool,
}

const TARGET_RATIO: f64 = 0.5;

/// The FX providers of the demo corridor, and what each inventory is topped up with.
const PROVIDERS: [&str; 2] = ["CASPRUMM", "SILKIRTH"];
const INVENTORY_TOP_UP: [(&str, &str, &str); 2] = [
    ("RUB", "CBRFRUMM", "100000000000000.00"),
    ("IRR", "CBIRIRTH", "50000000000000000"),
];

/// Tops up the providers' inventories and keeps quotes valid for the whole run.
async fn prepare_fx(node: &corridor_node::RunningNode) -> anyhow::Result<()> {
    let engine = &node.state().engine;
    for provider in PROVIDERS {
        for (currency, agent, amount) in INVENTORY_TOP_UP {
            engine
                .submit_async(HubCommand::Liquidity {
                    agent: parse(agent),
                    reference: format!("BENCH-FX-{provider}-{currency}"),
                    participant: parse(provider),
                    currency: parse(currency),
                    amount: amount.to_string(),
                    direction: LiquidityDirection::Fund,
                    account: AccountPurpose::FxInventory,
                })
                .await?
                .map_err(|r| anyhow::anyhow!("topping up {provider}'s {currency}: {r}"))?;
        }
    }
    let config = HubConfig {
        quote_validity_seconds: 3_600,
        ..engine.query_async(|hub| hub.config().clone()).await?
    };
    engine
        .submit_async(HubCommand::Configure(config))
        .await?
        .map_err(|r| anyhow::anyhow!("configuring: {r}"))?;
    Ok(())
}

/// A bank of the other currency than sender's, picked at random.
fn foreign_bank(rng: &mut StdRng, sender: &Sender) -> (Bic, usize) {
    let other = 1 - sender.currency;
    let banks = &CURRENCIES[other].banks;
    (parse(banks[rng.random_range(0..banks.len())]), other)
}

/// The quote request for a payment the generator would make, sent abroad instead.
fn quote_request(rng: &mut StdRng, senders: &[Sender], sender: usize, n: usize) -> QuoteRequest {
    let p = payment(rng, senders, sender, 'Q', n);
    let (creditor, other) = foreign_bank(rng, &senders[sender]);
    QuoteRequest {
        source_currency: p.currency,
        destination_currency: parse(CURRENCIES[other].currency),
        creditor_agent: creditor,
        instructed_amount: Some(p.amount),
        creditor_amount: None,
        charge_bearer: p.charge_bearer,
    }
}

fn prepare_quotes(senders: &[Sender], n: usize) -> anyhow::Result<Vec<Prepared>> {
    let mut rng = StdRng::seed_from_u64(21);
    (0..n)
        .map(|i| {
            let sender = rng.random_range(0..senders.len());
            Ok(Prepared {
                sender,
                payments: 1,
                body: serde_json::to_string(&quote_request(&mut rng, senders, sender, i))?,
            })
        })
        .collect()
}

/// Cross-currency payments, each with a quote issued now through the engine.
async fn prepare_fx_payments(
    node: &corridor_node::RunningNode,
    senders: &[Sender],
    n: usize,
) -> anyhow::Result<Vec<Prepared>> {
    let mut rng = StdRng::seed_from_u64(22);
    let engine = &node.state().engine;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let sender = rng.random_range(0..senders.len());
        let mut instruction = payment(&mut rng, senders, sender, 'F', i);
        let request = quote_request(&mut rng, senders, sender, i);
        let creditor = request.creditor_agent;
        let answer = engine
            .submit_async(HubCommand::RequestQuote {
                requester: senders[sender].bic,
                request,
            })
            .await?
            .map_err(|r| anyhow::anyhow!("quote for FX payment {i}: {r}"))?;
        let Answer::Quote(quote) = answer else {
            bail!("the hub answered a quote request with {answer:?}");
        };
        let code = quote.source();
        let source = engine
            .query_async(move |hub| hub.currency(code))
            .await?
            .context("the quote's source currency")?;
        instruction.instructed_agent = creditor;
        instruction.amount = Amount::from_minor(quote.priced.instructed).format(source);
        instruction.charge_bearer = quote.charge_bearer;
        instruction.quote = Some(quote.id);
        out.push(Prepared {
            sender,
            payments: 1,
            body: serde_json::to_string(&instruction)?,
        });
    }
    Ok(out)
}

struct FxRuns {
    same: ModeResult,
    quotes: ModeResult,
    fx: ModeResult,
}

fn fx_runs(args: &FxBenchArgs, data_dir: &std::path::Path) -> anyhow::Result<FxRuns> {
    let node_rt = runtime(NODE_THREAD, None)?;
    let client_rt = runtime(CLIENT_THREAD, None)?;
    let StartedNode { node, senders, .. } =
        node_rt.block_on(start_node(data_dir, &NodeSetup::default()))?;
    node_rt.block_on(prepare_fx(&node))?;
    let same = prepare_single(&senders, args.same_currency_payments, 'S', 11)?;
    let quotes = prepare_quotes(&senders, args.quotes)?;
    let fx = node_rt.block_on(prepare_fx_payments(&node, &senders, args.fx_payments))?;
    let target = Target::new(&node, &senders, None)?;
    let runs = client_rt.block_on(async {
        let c = args.clients;
        let same = drive(&target, "/v1/payments", same, c, AnswerKind::Receipt, None).await?;
        let quotes = drive(&target, "/v1/fx/quotes", quotes, c, AnswerKind::Quote, None).await?;
        let fx = drive(&target, "/v1/payments", fx, c, AnswerKind::Receipt, None).await?;
        anyhow::Ok(FxRuns { same, quotes, fx })
    });
    drop(client_rt);
    node_rt.block_on(node.shutdown());
    runs
}

pub fn run(args: FxBenchArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("creating {}", args.dir.display()))?;
    let data_dir = tempfile::Builder::new()
        .prefix("fx-node-")
        .tempdir_in(&args.dir)?;
    let FxRuns { same, quotes, fx } = fx_runs(&args, data_dir.path())?;
    drop(data_dir);
    let _ = std::fs::remove_dir(&args.dir);
    let ratio = fx.payments_per_s / same.payments_per_s;
    let quote_ratio = quotes.payments_per_s / same.payments_per_s;
    let all_settled = fx.counts.settled == args.fx_payments
        && same.counts.settled == args.same_currency_payments
        && quotes.counts.settled == args.quotes;
    if args.json {
        let out = serde_json::json!({
            "same_currency_payments_per_s": same.payments_per_s,
            "quotes_per_s": quotes.payments_per_s,
            "fx_payments_per_s": fx.payments_per_s,
            "ratio_to_same_currency": ratio,
            "ratio_quotes_to_same_currency": quote_ratio,
            "fx_p50_ms": fx.p50_ms,
            "fx_p99_ms": fx.p99_ms,
            "quotes_p50_ms": quotes.p50_ms,
            "quotes_p99_ms": quotes.p99_ms,
            "same_currency": same,
            "quotes": quotes,
            "fx": fx,
            "all_answered_as_expected": all_settled,
            "targets": {
                "ratio_to_same_currency": TARGET_RATIO,
                "met": ratio >= TARGET_RATIO,
            },
            "machine": Machine::detect(),
        });
        println!("{out}");
        return Ok(());
    }
    print_mode("(1) same-currency payments", AnswerKind::Receipt, &same);
    print_mode("(2) POST /v1/fx/quotes", AnswerKind::Quote, &quotes);
    print_mode("(3) cross-currency payments", AnswerKind::Receipt, &fx);
    println!(
        "ratios: cross-currency / same-currency {ratio:.2}; quotes / same-currency payments {quote_ratio:.2}"
    );
    println!(
        "answers: {} (the counts above: every quote given, every payment settled)",
        if all_settled {
            "as expected"
        } else {
            "NOT all as expected"
        }
    );
    println!(
        "target: cross-currency ≥ {TARGET_RATIO} × same-currency {}",
        met(ratio >= TARGET_RATIO)
    );
    Ok(())
}
