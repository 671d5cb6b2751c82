//! `corridor bench api`: payments per second and request latency through the node's HTTP
//! API, end to end as a bank sees it: a node started in this process on loopback, with its
//! journal on the disk under `--dir` (every group commit `fdatasync`ed), driven by
//! concurrent keep-alive HTTP/1.1 clients
//! (1) one payment per request (`POST /v1/payments`), as fast as the clients get answers;
//! (1p) the same at a fixed offered load (`--single-rate`), latency counted from when each
//!      request was due, so a stalled server cannot hide its backlog;
//! (2) batches of payments (`POST /v1/payments/batch`), as fast as answers come;
//! against the ledger-only durable throughput (`bench ledger` part (b)) measured in the same
//! run on a smaller workload. The node and the clients run in separate runtimes with named
//! threads, and each run reports the CPU time of the node's threads, the engine and journal
//! threads and the clients, so the cost of a payment can be split between them.
//!
//! The node screens every payment against the demo's own list, plus, when they are given
//! (`--un-list`, `--ofac-list`, `--reference-dir` or the environment as for `bench screen`),
//! the real UN and OFAC lists and the name dictionary. With `--mtls` it takes no tokens:
//! each bank's clients connect over mutual TLS with its certificate from a development PKI
//! made for the run, as banks do in production.
//!
//! The corridor is the demo's (`corridor_demo::seed`), with each bank's home-currency
//! settlement account topped up far beyond the workload's volume, so that no payment waits
//! for liquidity. Payments go between banks of the same currency and carry full party data
//! (names, postal addresses, identifiers, customer accounts, purpose, remittance text).
//! Every payment and every request body is generated and serialised before timing starts;
//! each answer is read in full and every payment's status is counted, so a run where
//! payments queue or are refused says so.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use corridor_node::NodeConfig;
use corridor_settlement::{AccountPurpose, HubCommand, LiquidityDirection, PaymentStatus};
use corridor_watchlist::ListFormat;
use hyper::header::HeaderValue;

use super::cpu::{CLIENT_THREAD, NODE_THREAD, runtime};
use super::http::{AnswerKind, ClientTls, Counts, ModeResult, Target, drive, print_mode};
use super::payments::{CURRENCIES, Sender, parse, prepare_batches, prepare_single};
use super::{Machine, met};

#[derive(Args)]
pub struct ApiBenchArgs {
    /// Concurrent clients (one keep-alive connection each) in the single-payment run.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Payments in the single-payment run, one per request.
    #[arg(long, default_value_t = 50_000)]
    single_payments: usize,
    /// Payments per request in the batch run (at most 10,000).
    #[arg(long, default_value_t = 1_000)]
    batch_size: usize,
    /// Payments in the batch run.
    #[arg(long, default_value_t = 200_000)]
    batch_payments: usize,
    /// Concurrent clients in the batch run.
    #[arg(long, default_value_t = 4)]
    batch_clients: usize,
    /// Transfers in the ledger-only durable run the API is compared against.
    #[arg(long, default_value_t = 1_000_000)]
    ledger_transfers: usize,
    /// Where the node's data directory and the ledger run's journal go: on the disk being
    /// measured. Both are fresh and removed afterwards.
    #[arg(long, default_value = "./corridor-bench-data")]
    dir: PathBuf,
    /// Payments in the paced single-payment run, sent at `--single-rate`.
    #[arg(long, default_value_t = 30_000)]
    paced_payments: usize,
    /// Offered load of the paced run, in payments (requests) per second, spread over
    /// `--clients` clients: the latency target is judged at this load.
    #[arg(long, default_value_t = 5_000.0)]
    single_rate: f64,
    /// The UN consolidated list (XML) to screen against, beside the demo's own list.
    #[arg(long, env = "CORRIDOR_UN_LIST", value_name = "FILE")]
    un_list: Option<PathBuf>,
    /// OFAC's SDN list (XML) to screen against, beside the demo's own list.
    #[arg(long, env = "CORRIDOR_OFAC_LIST", value_name = "FILE")]
    ofac_list: Option<PathBuf>,
    /// Reference data: the name dictionary (person_names.txt) the node's matcher reads.
    #[arg(long, env = "CORRIDOR_REFERENCE_DIR", value_name = "DIR")]
    reference_dir: Option<PathBuf>,
    /// Screen against the demo's own list only, whatever the environment names.
    #[arg(long)]
    demo_list_only: bool,
    /// Mutual TLS instead of tokens: each bank's clients present its certificate. A bank's
    /// connection carries only its own payments, so each run's clients are shared out
    /// evenly between the banks (rounded up to a whole number per bank).
    #[arg(long)]
    mtls: bool,
    /// Also run the same workload with the node's journal in PostgreSQL (an empty database:
    /// `postgresql://...` or `host=... dbname=...`), report its figures beside the embedded
    /// journal's of this run, and measure how long a standby takes to replace a killed
    /// writer on it.
    #[arg(long, value_name = "URL")]
    journal: Option<String>,
    /// Offered load of the paced run on PostgreSQL, in payments per second.
    #[arg(long, default_value_t = 2_000.0)]
    pg_single_rate: f64,
    /// Writers killed for the takeover measurement on PostgreSQL.
    #[arg(long, default_value_t = 20)]
    takeovers: usize,
    /// The lease the two nodes of the takeover measurement run with (the node's default).
    #[arg(long, default_value_t = 3_000)]
    lease_ms: u64,
    /// Worker threads of the node's runtime (default: one per CPU).
    #[arg(long)]
    node_threads: Option<usize>,
    /// Worker threads of the bench clients' runtime (default: one per CPU).
    #[arg(long)]
    client_threads: Option<usize>,
    #[arg(long)]
    json: bool,
}

/// The ledger-only comparison uses `bench ledger`'s defaults but for the workload size.
const LEDGER_ACCOUNTS: u32 = 10_000;
const LEDGER_BATCH: usize = 8_190;
const LEDGER_CLIENTS: usize = 3;

/// The API's largest batch (`corridor_settlement`'s `MAX_BATCH`).
const MAX_BATCH: usize = 10_000;

const TARGET_SINGLE_PER_S: f64 = 5_000.0;
const TARGET_BATCH_PER_S: f64 = 20_000.0;
const TARGET_P99_MS: f64 = 20.0;

/// What the hub itself holds after the runs, to check the answers against.
#[derive(Debug, Default, serde::Serialize)]
struct HubCounts {
    payments: usize,
    settled: usize,
    queued: usize,
    other: usize,
    queue_depth: usize,
}

/// How the node under test screens and authenticates.
#[derive(Debug, Default)]
pub(super) struct NodeSetup {
    /// Lists loaded beside the demo's own (format, name, file).
    pub(super) lists: Vec<(ListFormat, &'static str, PathBuf)>,
    /// Where the name dictionary is.
    pub(super) reference_dir: Option<PathBuf>,
    /// Mutual TLS only, with a development PKI written into this directory.
    pub(super) mtls_pki: Option<PathBuf>,
    /// The journal in PostgreSQL instead of the data directory's.
    pub(super) journal: Option<String>,
}

impl NodeSetup {
    fn of(args: &ApiBenchArgs, data_dir: &Path) -> NodeSetup {
        let lists = if args.demo_list_only {
            Vec::new()
        } else {
            [
                (ListFormat::Un, "un", &args.un_list),
                (ListFormat::Ofac, "ofac", &args.ofac_list),
            ]
            .into_iter()
            .filter_map(|(format, name, file)| Some((format, name, file.clone()?)))
            .collect()
        };
        NodeSetup {
            lists,
            reference_dir: args.reference_dir.clone().filter(|_| !args.demo_list_only),
            mtls_pki: args.mtls.then(|| data_dir.join("pki")),
            journal: None,
        }
    }

    /// What the node screens against and how clients authenticate, for the report.
    fn describe(&self) -> serde_json::Value {
        let lists: Vec<&str> = ["demo"]
            .into_iter()
            .chain(self.lists.iter().map(|(_, name, _)| *name))
            .collect();
        let authentication = if self.mtls_pki.is_some() {
            "mutual TLS"
        } else {
            "bearer token"
        };
        serde_json::json!({
            "lists": lists,
            "name_dictionary": self.reference_dir.is_some(),
            "authentication": authentication,
            "journal": if self.journal.is_some() { "postgresql" } else { "embedded" },
        })
    }
}

/// The node under test, the banks that send, and their certificates over mutual TLS.
pub(super) struct StartedNode {
    pub(super) node: corridor_node::RunningNode,
    pub(super) senders: Vec<Sender>,
    pub(super) tls: Option<ClientTls>,
}

/// Starts the node and seeds it: the demo corridor, then each bank's home-currency
/// settlement account topped up, then the lists `setup` names loaded and recorded. The
/// node's data directory is `data_dir`; a PKI for mutual TLS goes where `setup` says.
pub(super) async fn start_node(data_dir: &Path, setup: &NodeSetup) -> anyhow::Result<StartedNode> {
    let mut config = NodeConfig::new(data_dir);
    config.listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    // The node's limits are for hostile clients; the benchmark's clients are the load.
    config.rate_limit_per_second = 1_000_000_000;
    config.peer_rate_limit_per_second = 1_000_000_000;
    config.large_bodies_in_flight = 1_024;
    config.reference_dir = setup.reference_dir.clone();
    config.postgres =
        setup
            .journal
            .as_ref()
            .map(|url| corridor_node::replication::PgJournalConfig {
                url: url.clone(),
                node_name: "bench".into(),
                advertise_url: String::new(),
                lease: std::time::Duration::from_secs(3),
            });
    let banks: Vec<String> = CURRENCIES
        .iter()
        .flat_map(|c| c.banks.iter().map(|b| b.to_string()))
        .collect();
    match &setup.mtls_pki {
        Some(pki) => {
            let files =
                corridor_node::tls::generate_dev_pki(pki, &[TLS_SERVER_NAME.to_string()], &banks)
                    .context("making the development PKI")?;
            config.tls = Some(files.server_settings());
            config.register_certificates = files.clients.iter().map(|c| c.cert.clone()).collect();
        }
        None => config.token_mode = true,
    }
    let node = corridor_node::start(config)
        .await
        .context("starting the node")?;
    if setup.reference_dir.is_some() && !node.state().screening.has_dictionary() {
        bail!("the name dictionary could not be read from the reference directory");
    }
    let tokens = corridor_demo::seed(node.state(), data_dir)
        .await
        .context("seeding the demo corridor")?;
    let mut senders = Vec::new();
    for (index, c) in CURRENCIES.iter().enumerate() {
        for bank in c.banks {
            node.state()
                .engine
                .submit_async(HubCommand::Liquidity {
                    agent: parse(c.agent),
                    reference: format!("BENCH-TOPUP-{bank}"),
                    participant: parse(bank),
                    currency: parse(c.currency),
                    amount: c.top_up.to_string(),
                    direction: LiquidityDirection::Fund,
                    account: AccountPurpose::Settlement,
                })
                .await?
                .map_err(|r| anyhow::anyhow!("topping up {bank}: {r}"))?;
            let token = tokens
                .get(bank)
                .with_context(|| format!("no demo token for {bank}"))?;
            senders.push(Sender {
                bic: parse(bank),
                currency: index,
                auth: HeaderValue::from_str(&format!("Bearer {token}"))?,
            });
        }
    }
    for (format, name, file) in &setup.lists {
        load_list(&node, *format, name, file).await?;
    }
    let tls = match &setup.mtls_pki {
        Some(pki) => Some(ClientTls::new(pki, &senders, TLS_SERVER_NAME)?),
        None => None,
    };
    Ok(StartedNode { node, senders, tls })
}

/// The name the node's development certificate is made for, and the clients ask for.
const TLS_SERVER_NAME: &str = "localhost";

/// Loads a list into the node's screening and records its version with the hub, as
/// `PUT /v1/lists/{name}` does.
async fn load_list(
    node: &corridor_node::RunningNode,
    format: ListFormat,
    name: &str,
    file: &Path,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let version = node
        .state()
        .screening
        .load(format, name, &bytes, None)
        .with_context(|| format!("loading {}", file.display()))?;
    node.state()
        .engine
        .submit_async(HubCommand::RecordWatchlist {
            version: corridor_node::screening::version_ref(&version),
            entries: version.entries as u64,
        })
        .await?
        .map_err(|r| anyhow::anyhow!("recording list {name}: {r}"))?;
    Ok(())
}

async fn hub_counts(node: &corridor_node::RunningNode) -> anyhow::Result<HubCounts> {
    Ok(node
        .state()
        .engine
        .query_async(|hub| {
            let mut c = HubCounts {
                payments: hub.payment_count(),
                queue_depth: hub.queue_depth(),
                ..HubCounts::default()
            };
            for id in 1..=hub.payment_count() as u64 {
                match hub.payment(id).map(|p| p.status) {
                    Some(PaymentStatus::Settled) => c.settled += 1,
                    Some(PaymentStatus::Queued) => c.queued += 1,
                    _ => c.other += 1,
                }
            }
            c
        })
        .await?)
}

struct ApiRuns {
    single: ModeResult,
    paced: ModeResult,
    batch: ModeResult,
    hub: HubCounts,
}

/// The three API runs against one node, which runs on its own runtime while the clients
/// run on theirs.
fn api_runs(
    args: &ApiBenchArgs,
    data_dir: &Path,
    setup: &NodeSetup,
    paced_rate: f64,
) -> anyhow::Result<ApiRuns> {
    let node_rt = runtime(NODE_THREAD, args.node_threads)?;
    let client_rt = runtime(CLIENT_THREAD, args.client_threads)?;
    let StartedNode { node, senders, tls } = node_rt.block_on(start_node(data_dir, setup))?;
    let single = prepare_single(&senders, args.single_payments, 'S', 11)?;
    let paced = prepare_single(&senders, args.paced_payments, 'P', 12)?;
    let batches = prepare_batches(&senders, args.batch_payments, args.batch_size)?;
    let target = Target::new(&node, &senders, tls)?;
    let runs = client_rt.block_on(async {
        let (one, many) = ("/v1/payments", "/v1/payments/batch");
        let (clients, rate) = (args.clients, Some(paced_rate));
        let single = drive(&target, one, single, clients, AnswerKind::Receipt, None).await?;
        let paced = drive(&target, one, paced, clients, AnswerKind::Receipt, rate).await?;
        let batch = drive(
            &target,
            many,
            batches,
            args.batch_clients,
            AnswerKind::Batch,
            None,
        )
        .await?;
        let hub = hub_counts(&node).await?;
        anyhow::Ok(ApiRuns {
            single,
            paced,
            batch,
            hub,
        })
    });
    drop(client_rt);
    node_rt.block_on(node.shutdown());
    runs
}

pub fn run(args: ApiBenchArgs) -> anyhow::Result<()> {
    if !(1..=MAX_BATCH).contains(&args.batch_size) {
        bail!("--batch-size is 1 to {MAX_BATCH} (the API's batch limit)");
    }
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("creating {}", args.dir.display()))?;
    let data_dir = tempfile::Builder::new()
        .prefix("api-node-")
        .tempdir_in(&args.dir)?;
    let setup = NodeSetup::of(&args, data_dir.path());
    let ApiRuns {
        single,
        paced,
        batch,
        hub,
    } = api_runs(&args, data_dir.path(), &setup, args.single_rate)?;
    drop(data_dir);
    let postgres = match &args.journal {
        Some(url) => Some(postgres_runs(&args, url)?),
        None => None,
    };

    let (ledger_rate, ledger_refused) = super::ledger::durable_rate(
        args.ledger_transfers,
        LEDGER_ACCOUNTS,
        LEDGER_BATCH,
        LEDGER_CLIENTS,
        &args.dir,
    )
    .context("ledger-only durable run")?;
    // Only succeeds if the directory is empty, i.e. this run created it or left nothing.
    let _ = std::fs::remove_dir(&args.dir);

    let answered = [&single, &paced, &batch]
        .iter()
        .fold(Counts::default(), |mut sum, r| {
            sum.add(r.counts);
            sum
        });
    let consistent = hub.settled == answered.settled && hub.queued == answered.queued;
    let single_ratio = single.payments_per_s / ledger_rate;
    let batch_ratio = batch.payments_per_s / ledger_rate;
    let single_met = single.payments_per_s >= TARGET_SINGLE_PER_S;
    let batch_met = batch.payments_per_s >= TARGET_BATCH_PER_S;
    // The latency target holds at the target load: the paced run, if it kept up with it.
    let paced_kept_up = paced.payments_per_s >= 0.95 * args.single_rate;
    let p99_met = paced.p99_ms < TARGET_P99_MS && paced_kept_up;
    if args.json {
        let out = serde_json::json!({
            "node": setup.describe(),
            "single_payments_per_s": single.payments_per_s,
            "single_p50_ms": single.p50_ms,
            "single_p99_ms": single.p99_ms,
            "single_p999_ms": single.p999_ms,
            "paced_offered_per_s": args.single_rate,
            "paced_payments_per_s": paced.payments_per_s,
            "paced_p50_ms": paced.p50_ms,
            "paced_p99_ms": paced.p99_ms,
            "paced_p999_ms": paced.p999_ms,
            "batch_payments_per_s": batch.payments_per_s,
            "batch_p50_ms": batch.p50_ms,
            "batch_p99_ms": batch.p99_ms,
            "batch_p999_ms": batch.p999_ms,
            "batch_size": args.batch_size,
            "ledger_durable_transfers_per_s": ledger_rate,
            "ledger_transfers": args.ledger_transfers,
            "ledger_refused": ledger_refused,
            "ratio_single_to_ledger": single_ratio,
            "ratio_batch_to_ledger": batch_ratio,
            "single": single,
            "paced": paced,
            "batch": batch,
            "hub": hub,
            "hub_matches_answers": consistent,
            "targets": {
                "single_payments_per_s": TARGET_SINGLE_PER_S,
                "batch_payments_per_s": TARGET_BATCH_PER_S,
                "p99_ms_at_single_target_load": TARGET_P99_MS,
                "single_met": single_met,
                "batch_met": batch_met,
                "p99_met": p99_met,
            },
            "machine": Machine::detect(),
        });
        let mut out = out;
        if let (Some(pg), Some(fields)) = (&postgres, out.as_object_mut()) {
            fields.extend(pg.json(&single));
        }
        println!("{out}");
        return Ok(());
    }
    println!("node: {}", setup.describe());
    print_mode("(1) POST /v1/payments", AnswerKind::Receipt, &single);
    print_mode(
        &format!("(1p) the same at {:.0}/s offered", args.single_rate),
        AnswerKind::Receipt,
        &paced,
    );
    print_mode(
        &format!("(2) POST /v1/payments/batch ×{}", args.batch_size),
        AnswerKind::Batch,
        &batch,
    );
    println!(
        "(3) ledger only, durable       {ledger_rate:>8.0} transfers/s  ({} transfers, {ledger_refused} refused)",
        args.ledger_transfers
    );
    println!("ratios: single / ledger {single_ratio:.4}; batch / ledger {batch_ratio:.4}");
    println!(
        "hub after the runs: {} payments, {} settled, {} queued, {} other, queue depth {} ({})",
        hub.payments,
        hub.settled,
        hub.queued,
        hub.other,
        hub.queue_depth,
        if consistent {
            "matches the answers"
        } else {
            "DOES NOT match the answers"
        }
    );
    println!(
        "targets: single ≥ {TARGET_SINGLE_PER_S:.0}/s {}; batch ≥ {TARGET_BATCH_PER_S:.0}/s {}; p99 < {TARGET_P99_MS:.0} ms at {:.0}/s offered {}",
        met(single_met),
        met(batch_met),
        args.single_rate,
        met(p99_met)
    );
    if let Some(pg) = &postgres {
        pg.print(&single, args.pg_single_rate);
    }
    Ok(())
}

/// The same workload with the journal in PostgreSQL, and the takeover times.
struct PostgresRuns {
    runs: ApiRuns,
    takeovers: Vec<std::time::Duration>,
}

const TARGET_PG_RATIO: f64 = 0.40;
const TARGET_PG_P99_MS: f64 = 30.0;
const TARGET_TAKEOVER_P99_S: f64 = 5.0;

fn postgres_runs(args: &ApiBenchArgs, url: &str) -> anyhow::Result<PostgresRuns> {
    require_empty_journal(url)?;
    let data_dir = tempfile::Builder::new()
        .prefix("api-node-pg-")
        .tempdir_in(&args.dir)?;
    let mut setup = NodeSetup::of(args, data_dir.path());
    setup.journal = Some(url.to_string());
    let runs = api_runs(args, data_dir.path(), &setup, args.pg_single_rate)?;
    let takeovers =
        super::takeover::takeover_times(url, args.lease_ms, args.takeovers, data_dir.path())
            .context("takeover measurement")?;
    Ok(PostgresRuns { runs, takeovers })
}

/// The runs' instruction ids are the same every time: a journal that already holds a run's
/// payments would answer them as duplicates.
fn require_empty_journal(url: &str) -> anyhow::Result<()> {
    let url = corridor_journal_pg::JournalUrl::new(url);
    let mut client = url.connect("corridor bench")?;
    let exists: bool = client
        .query_one("SELECT to_regclass('corridor_journal') IS NOT NULL", &[])
        .map(|row| row.get(0))
        .with_context(|| format!("reading {url}"))?;
    let holds = exists
        && client
            .query_one("SELECT EXISTS (SELECT 1 FROM corridor_journal)", &[])
            .map(|row| row.get::<_, bool>(0))
            .with_context(|| format!("reading {url}"))?;
    if holds {
        bail!("{url} already holds a journal: the benchmark needs an empty database");
    }
    Ok(())
}

impl PostgresRuns {
    fn takeover_p99_s(&self) -> f64 {
        let mut sorted = self.takeovers.clone();
        sorted.sort();
        super::percentile_us(&sorted, 0.99) as f64 / 1e6
    }

    fn ratio(&self, embedded: &ModeResult) -> f64 {
        self.runs.single.payments_per_s / embedded.payments_per_s
    }

    fn json(&self, embedded: &ModeResult) -> serde_json::Map<String, serde_json::Value> {
        let pg = &self.runs;
        let takeovers_s: Vec<f64> = self.takeovers.iter().map(|d| d.as_secs_f64()).collect();
        let fields = serde_json::json!({
            "pg_single_payments_per_s": pg.single.payments_per_s,
            "pg_single_p99_ms": pg.single.p99_ms,
            "pg_paced_payments_per_s": pg.paced.payments_per_s,
            "pg_paced_p50_ms": pg.paced.p50_ms,
            "pg_paced_p99_ms": pg.paced.p99_ms,
            "pg_batch_payments_per_s": pg.batch.payments_per_s,
            "pg_hub": pg.hub,
            "pg_single": pg.single,
            "pg_paced": pg.paced,
            "pg_batch": pg.batch,
            "ratio_pg_to_embedded": self.ratio(embedded),
            "takeover_p99_s": self.takeover_p99_s(),
            "takeovers_s": takeovers_s,
        });
        fields.as_object().cloned().unwrap_or_default()
    }

    fn print(&self, embedded: &ModeResult, paced_rate: f64) {
        let pg = &self.runs;
        println!("with the journal in PostgreSQL:");
        print_mode("(1) POST /v1/payments", AnswerKind::Receipt, &pg.single);
        print_mode(
            &format!("(1p) the same at {paced_rate:.0}/s offered"),
            AnswerKind::Receipt,
            &pg.paced,
        );
        print_mode("(2) POST /v1/payments/batch", AnswerKind::Batch, &pg.batch);
        let ratio = self.ratio(embedded);
        let p99 = self.takeover_p99_s();
        println!(
            "takeover (writer killed -> first payment acknowledged by the new writer), {} kills: p99 {p99:.2} s",
            self.takeovers.len()
        );
        println!(
            "targets: single on PostgreSQL ≥ {:.0} % of embedded ({:.1} %) {}; p99 < {TARGET_PG_P99_MS:.0} ms at {paced_rate:.0}/s {}; takeover p99 < {TARGET_TAKEOVER_P99_S:.0} s {}",
            TARGET_PG_RATIO * 100.0,
            ratio * 100.0,
            met(ratio >= TARGET_PG_RATIO),
            met(pg.paced.p99_ms < TARGET_PG_P99_MS && pg.paced.payments_per_s >= 0.95 * paced_rate),
            met(p99 < TARGET_TAKEOVER_P99_S),
        );
    }
}
