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
//! The corridor is the demo's (`corridor_node::demo::seed`), with each bank's home-currency
//! settlement account topped up far beyond the workload's volume, so that no payment waits
//! for liquidity. Payments go between banks of the same currency and carry full party data
//! (names, postal addresses, identifiers, customer accounts, purpose, remittance text).
//! Every payment and every request body is generated and serialised before timing starts;
//! each answer is read in full and every payment's status is counted, so a run where
//! payments queue or are refused says so.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use corridor_core::{Bic, CurrencyCode, Uetr};
use corridor_node::NodeConfig;
use corridor_settlement::{
    AccountPurpose, CashAccount, ChargeBearer, HubCommand, LiquidityDirection, Party,
    PartyIdentification, PaymentInstruction, PaymentKind, PaymentStatus, PostalAddress, Priority,
};
use hyper::body::Body as _;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use hyper_util::rt::TokioIo;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use tokio::sync::Barrier;

use super::{Machine, percentile_us};

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

/// The demo corridor's banks (see `corridor_node::demo`), by currency.
pub(super) struct CurrencyBanks {
    pub(super) currency: &'static str,
    pub(super) agent: &'static str,
    pub(super) banks: [&'static str; 4],
    /// Added to each bank's settlement account before the run: about ten times the volume
    /// the largest default workload could move out of one bank.
    top_up: &'static str,
    /// Amounts in whole rials at a rough 500 to the rouble, else in roubles and kopecks.
    irr: bool,
    country: &'static str,
    parties: &'static [PartyData],
}

pub(super) struct PartyData {
    name: &'static str,
    street: &'static str,
    building: &'static str,
    post_code: &'static str,
    town: &'static str,
    /// Tax number (INN in Russia, national id in Iran); None for a private person.
    tax_id: Option<&'static str>,
}

const RUB_PARTIES: &[PartyData] = &[
    PartyData {
        name: "ООО «Волга Энергия»",
        street: "ул. Садовая-Спасская",
        building: "21/1",
        post_code: "107078",
        town: "Москва",
        tax_id: Some("7708123456"),
    },
    PartyData {
        name: "АО «Северный Транзит»",
        street: "Невский проспект",
        building: "88",
        post_code: "191025",
        town: "Санкт-Петербург",
        tax_id: Some("7841098765"),
    },
    PartyData {
        name: "ООО «Кубань Агро»",
        street: "ул. Красная",
        building: "176",
        post_code: "350020",
        town: "Краснодар",
        tax_id: Some("2310187654"),
    },
    PartyData {
        name: "ПАО «Астраханский Морской Порт»",
        street: "ул. Капитана Краснова",
        building: "31",
        post_code: "414018",
        town: "Астрахань",
        tax_id: Some("3015011223"),
    },
    PartyData {
        name: "Петров Иван Сергеевич",
        street: "ул. Ленина",
        building: "14, кв. 52",
        post_code: "620014",
        town: "Екатеринбург",
        tax_id: None,
    },
];

const IRR_PARTIES: &[PartyData] = &[
    PartyData {
        name: "شرکت پتروشیمی خلیج فارس",
        street: "خیابان ولیعصر",
        building: "2245",
        post_code: "1966913111",
        town: "Tehran",
        tax_id: Some("10101234567"),
    },
    PartyData {
        name: "شرکت حمل و نقل دریای خزر",
        street: "بلوار امام خمینی",
        building: "118",
        post_code: "4713645581",
        town: "Babol",
        tax_id: Some("10860054321"),
    },
    PartyData {
        name: "Khuzestan Agro Industries",
        street: "Kianpars, 7th Street East",
        building: "35",
        post_code: "6155689451",
        town: "Ahvaz",
        tax_id: Some("10530987654"),
    },
    PartyData {
        name: "Bandar Abbas Container Terminal Co.",
        street: "Shahid Rajaee Port Road",
        building: "1",
        post_code: "7915614543",
        town: "Bandar Abbas",
        tax_id: Some("10200456789"),
    },
    PartyData {
        name: "Mohammad Rezaei",
        street: "Chaharbagh Abbasi Street",
        building: "76",
        post_code: "8173835111",
        town: "Isfahan",
        tax_id: None,
    },
];

pub(super) const CURRENCIES: [CurrencyBanks; 2] = [
    CurrencyBanks {
        currency: "RUB",
        agent: "CBRFRUMM",
        banks: ["VOLGRUMM", "NEVARUMM", "URALRUMM", "BAIKRUMM"],
        top_up: "10000000000000.00",
        irr: false,
        country: "RU",
        parties: RUB_PARTIES,
    },
    CurrencyBanks {
        currency: "IRR",
        agent: "CBIRIRTH",
        banks: ["ZAGRIRTH", "ALBRIRTH", "KARUIRTH", "PARSIRTH"],
        top_up: "5000000000000000",
        irr: true,
        country: "IR",
        parties: IRR_PARTIES,
    },
];

/// ISO 20022 purpose code and the remittance text that goes with it.
const PURPOSES: [(&str, &str); 6] = [
    (
        "GASB",
        "Natural gas deliveries, contract 2026/EN-114, invoice",
    ),
    (
        "ELEC",
        "Electricity supply for November, meter group 7, invoice",
    ),
    (
        "SUPP",
        "Freight forwarding, Caspian route Astrakhan-Anzali, invoice",
    ),
    (
        "GDDS",
        "Wheat shipment, 12,000 t, lot 44, commercial invoice",
    ),
    (
        "TRAD",
        "Payment for spare parts under contract 18/2026, invoice",
    ),
    ("FAMI", "Family support remittance, transfer"),
];

pub(super) fn parse<T: std::str::FromStr>(text: &str) -> T {
    text.parse()
        .unwrap_or_else(|_| unreachable!("bench constant {text} is valid"))
}

/// One bank in the run: its BIC, the index of its currency in [`CURRENCIES`], its token.
pub(super) struct Sender {
    pub(super) bic: Bic,
    pub(super) currency: usize,
    pub(super) auth: HeaderValue,
}

fn party(data: &PartyData, country: &str) -> Party {
    Party {
        name: data.name.to_string(),
        postal_address: Some(PostalAddress {
            street_name: Some(data.street.to_string()),
            building_number: Some(data.building.to_string()),
            post_code: Some(data.post_code.to_string()),
            town_name: Some(data.town.to_string()),
            country: Some(country.to_string()),
            address_lines: Vec::new(),
        }),
        identification: data.tax_id.map(|id| PartyIdentification {
            other_id: Some(id.to_string()),
            other_scheme: Some("TXID".to_string()),
            ..PartyIdentification::default()
        }),
        country_of_residence: Some(country.to_string()),
    }
}

fn customer_account(rng: &mut StdRng, country: &str) -> CashAccount {
    let other = if country == "RU" {
        // A Russian settlement account number: balance account 40702, currency 810, ...
        format!("40702810{:012}", rng.random_range(0..1_000_000_000_000u64))
    } else {
        format!("0{:012}", rng.random_range(0..1_000_000_000_000u64))
    };
    CashAccount {
        iban: None,
        other: Some(other),
    }
}

/// A customer credit transfer from `sender` to another bank of its currency. `tag` and `n`
/// make the instruction id unique.
pub(super) fn payment(
    rng: &mut StdRng,
    senders: &[Sender],
    sender: usize,
    tag: char,
    n: usize,
) -> PaymentInstruction {
    let c = &CURRENCIES[senders[sender].currency];
    let receiver = loop {
        let r = parse::<Bic>(c.banks[rng.random_range(0..c.banks.len())]);
        if r != senders[sender].bic {
            break r;
        }
    };
    // Log-uniform from 1,000 to 50,000,000 roubles: mostly small, some large.
    let major = 10f64.powf(rng.random_range(3.0..7.7)) as u64;
    let amount = if c.irr {
        (u128::from(major) * 500).to_string()
    } else {
        format!("{major}.{:02}", rng.random_range(0..100))
    };
    let debtor = &c.parties[rng.random_range(0..c.parties.len())];
    let creditor = &c.parties[rng.random_range(0..c.parties.len())];
    let (purpose, text) = PURPOSES[rng.random_range(0..PURPOSES.len())];
    let priority = match rng.random_range(0..20) {
        0 => Priority::Urgent,
        1..=3 => Priority::High,
        _ => Priority::Normal,
    };
    PaymentInstruction {
        kind: PaymentKind::CustomerCreditTransfer,
        instruction_id: format!("BENCH-{tag}-{n:010}"),
        end_to_end_id: format!("E2E-{tag}{n:010}-{:04}", rng.random_range(0..10_000)),
        uetr: Uetr::generate(),
        amount,
        currency: parse::<CurrencyCode>(c.currency),
        instructed_agent: receiver,
        debtor: party(debtor, c.country),
        debtor_account: Some(customer_account(rng, c.country)),
        debtor_agent: None,
        creditor: party(creditor, c.country),
        creditor_account: Some(customer_account(rng, c.country)),
        creditor_agent: None,
        ultimate_debtor: None,
        ultimate_creditor: None,
        charge_bearer: ChargeBearer::Shared,
        purpose: Some(purpose.to_string()),
        remittance_information: Some(format!("{text} {}", 100_000 + n)),
        priority,
        quote: None,
    }
}

/// One request ready to send: the sending bank and the serialised body.
pub(super) struct Prepared {
    pub(super) sender: usize,
    pub(super) payments: usize,
    /// JSON, so valid UTF-8: a `String` is a body hyper takes as it is.
    pub(super) body: String,
}

/// One payment per request; `tag` keeps the instruction ids of different runs apart.
pub(super) fn prepare_single(
    senders: &[Sender],
    n: usize,
    tag: char,
    seed: u64,
) -> anyhow::Result<Vec<Prepared>> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let sender = rng.random_range(0..senders.len());
            let p = payment(&mut rng, senders, sender, tag, i);
            Ok(Prepared {
                sender,
                payments: 1,
                body: serde_json::to_string(&p)?,
            })
        })
        .collect()
}

/// Batches, each from one sender (a bank sends its own payments).
fn prepare_batches(
    senders: &[Sender],
    n: usize,
    batch_size: usize,
) -> anyhow::Result<Vec<Prepared>> {
    let mut rng = StdRng::seed_from_u64(13);
    let mut out = Vec::with_capacity(n.div_ceil(batch_size));
    let mut done = 0;
    while done < n {
        let count = batch_size.min(n - done);
        let sender = rng.random_range(0..senders.len());
        let mut body = Vec::with_capacity(count * 1_100);
        body.extend_from_slice(b"{\"payments\":[");
        for i in done..done + count {
            if i > done {
                body.push(b',');
            }
            serde_json::to_writer(&mut body, &payment(&mut rng, senders, sender, 'B', i))?;
        }
        body.extend_from_slice(b"]}");
        out.push(Prepared {
            sender,
            payments: count,
            body: String::from_utf8(body)?,
        });
        done += count;
    }
    Ok(out)
}

/// Payment outcomes as the answers reported them.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub(super) struct Counts {
    pub(super) settled: usize,
    pub(super) queued: usize,
    /// Refused by the hub (an error instead of a receipt, or status rejected/cancelled),
    /// or carried by a request that failed as a whole.
    pub(super) refused: usize,
    /// Requests answered with a non-2xx status (their payments count as refused).
    pub(super) failed_requests: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.settled += other.settled;
        self.queued += other.queued;
        self.refused += other.refused;
        self.failed_requests += other.failed_requests;
    }

    fn status(&mut self, status: Option<PaymentStatus>) {
        match status {
            Some(PaymentStatus::Settled) => self.settled += 1,
            Some(PaymentStatus::Queued) => self.queued += 1,
            _ => self.refused += 1,
        }
    }
}

/// The fields of the answers the bench reads; the rest is skipped.
#[derive(Deserialize)]
struct ReceiptAnswer {
    status: PaymentStatus,
}

#[derive(Deserialize)]
struct BatchAnswer {
    results: Vec<BatchAnswerItem>,
}

#[derive(Deserialize)]
struct BatchAnswerItem {
    status: Option<PaymentStatus>,
}

/// What a request's answer is, and so how its outcome is counted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum AnswerKind {
    /// A payment receipt: counted by its status.
    Receipt,
    /// A batch of receipts.
    Batch,
    /// A quote: each one given counts as `settled` (the request did what it asked).
    Quote,
}

#[derive(Default)]
struct ClientResult {
    latencies: Vec<Duration>,
    pub(super) counts: Counts,
    first_error: Option<String>,
}

/// When a paced client's requests are due: `interval` apart, starting `offset` after the
/// start, so that the clients together offer a steady load.
#[derive(Clone, Copy)]
struct Pace {
    interval: Duration,
    offset: Duration,
}

/// One client: a keep-alive HTTP/1.1 connection (hyper's connection-level client: no pool,
/// no URL parsing per request), opened and used once (a health check) before the start
/// barrier, then its share of the requests one after another, each sent when the previous
/// answer is read or, when paced, when it is due.
async fn client(
    target: Arc<Endpoint>,
    path: &'static str,
    work: Vec<Prepared>,
    kind: AnswerKind,
    pace: Option<Pace>,
    start: Arc<Barrier>,
) -> anyhow::Result<ClientResult> {
    let warm = async {
        let stream = tokio::net::TcpStream::connect(target.addr).await?;
        stream.set_nodelay(true)?;
        let (mut http, connection) =
            hyper::client::conn::http1::handshake::<_, String>(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        let request = hyper::Request::get("/health")
            .header(HOST, target.host.clone())
            .body(String::new())?;
        let (status, _) = exchange(&mut http, request).await?;
        if !status.is_success() {
            bail!("health check answered {status}");
        }
        anyhow::Ok(http)
    }
    .await;
    start.wait().await;
    let mut http = warm.context("connecting")?;
    let started = tokio::time::Instant::now();
    let uri = hyper::Uri::from_static(path);
    let json = HeaderValue::from_static("application/json");
    let mut result = ClientResult {
        latencies: Vec::with_capacity(work.len()),
        ..ClientResult::default()
    };
    for (k, request) in work.into_iter().enumerate() {
        // Paced: latency counts from when the request was due if the client was still
        // waiting for the previous answer then (coordinated omission), else from the send,
        // so the timer's millisecond granularity adds nothing.
        let t = match pace {
            Some(pace) => {
                let due = started + pace.offset + pace.interval * k as u32;
                let now = tokio::time::Instant::now();
                if now < due {
                    tokio::time::sleep_until(due).await;
                    Instant::now()
                } else {
                    due.into_std()
                }
            }
            None => Instant::now(),
        };
        let http_request = hyper::Request::post(uri.clone())
            .header(HOST, target.host.clone())
            .header(AUTHORIZATION, target.auth[request.sender].clone())
            .header(CONTENT_TYPE, json.clone())
            .body(request.body)?;
        let (status, body) = exchange(&mut http, http_request).await?;
        result.latencies.push(t.elapsed());
        if !status.is_success() {
            result.counts.failed_requests += 1;
            result.counts.refused += request.payments;
            if result.first_error.is_none() {
                result.first_error = Some(format!(
                    "{status}: {}",
                    String::from_utf8_lossy(&body[..body.len().min(300)])
                ));
            }
            continue;
        }
        match kind {
            AnswerKind::Batch => {
                let answer: BatchAnswer = serde_json::from_slice(&body).context("batch answer")?;
                for item in answer.results {
                    result.counts.status(item.status);
                }
            }
            AnswerKind::Receipt => {
                let answer: ReceiptAnswer = serde_json::from_slice(&body).context("receipt")?;
                result.counts.status(Some(answer.status));
            }
            AnswerKind::Quote => result.counts.settled += 1,
        }
    }
    Ok(result)
}

/// Sends one request and reads the whole answer.
async fn exchange(
    http: &mut hyper::client::conn::http1::SendRequest<String>,
    request: hyper::Request<String>,
) -> anyhow::Result<(hyper::StatusCode, Vec<u8>)> {
    http.ready().await.context("connection closed")?;
    let response = http
        .send_request(request)
        .await
        .context("sending a request")?;
    let status = response.status();
    let mut incoming = response.into_body();
    let mut body = Vec::new();
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut incoming).poll_frame(cx)).await
    {
        if let Ok(data) = frame.context("reading an answer")?.into_data() {
            body.extend_from_slice(&data);
        }
    }
    Ok((status, body))
}

/// Names of the process's threads, by what they run.
pub(super) const NODE_THREAD: &str = "corridor-node";
pub(super) const CLIENT_THREAD: &str = "bench-client";

/// CPU time of each of this process's threads (from `/proc/self/task/*/schedstat`, in
/// nanoseconds), with its name.
fn thread_cpu() -> HashMap<String, (String, u64)> {
    let mut out = HashMap::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return out;
    };
    for task in tasks.flatten() {
        let path = task.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let ns = std::fs::read_to_string(path.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        out.insert(
            task.file_name().to_string_lossy().into_owned(),
            (comm.trim().to_string(), ns),
        );
    }
    out
}

/// CPU seconds spent by each part of the process during a run.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
struct Cpu {
    /// The node's HTTP side: connections, parsing, JSON, auth, answers.
    node_s: f64,
    /// The engine thread: applying commands to the hub.
    engine_s: f64,
    /// The journal thread: encoding, writing, `fdatasync`.
    journal_s: f64,
    /// The bench's own clients.
    client_s: f64,
    other_s: f64,
    /// Machine-wide, all CPUs: time the hypervisor gave to others (steal) and idle time.
    steal_s: f64,
    idle_s: f64,
}

/// Machine-wide (steal, idle + iowait) CPU time so far, in seconds (`/proc/stat` counts in
/// USER_HZ, 100 per second on Linux).
fn machine_cpu() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    let field = |i: usize| fields.get(i).copied().unwrap_or(0.0) / 100.0;
    (field(7), field(3) + field(4))
}

/// A snapshot of the CPU counters a run is measured between.
struct CpuSnapshot {
    threads: HashMap<String, (String, u64)>,
    machine: (f64, f64),
}

impl CpuSnapshot {
    fn take() -> CpuSnapshot {
        CpuSnapshot {
            threads: thread_cpu(),
            machine: machine_cpu(),
        }
    }
}

impl Cpu {
    fn between(before: &CpuSnapshot, after: &CpuSnapshot) -> Cpu {
        let mut cpu = Cpu {
            steal_s: after.machine.0 - before.machine.0,
            idle_s: after.machine.1 - before.machine.1,
            ..Cpu::default()
        };
        for (tid, (comm, ns)) in &after.threads {
            let earlier = before.threads.get(tid).map_or(0, |(_, ns)| *ns);
            let s = ns.saturating_sub(earlier) as f64 / 1e9;
            let slot = if comm.starts_with(NODE_THREAD) {
                &mut cpu.node_s
            } else if comm.starts_with("corridor-engine") {
                &mut cpu.engine_s
            } else if comm.starts_with("corridor-journa") {
                &mut cpu.journal_s
            } else if comm.starts_with(CLIENT_THREAD) {
                &mut cpu.client_s
            } else {
                &mut cpu.other_s
            };
            *slot += s;
        }
        cpu
    }

    fn server_s(&self) -> f64 {
        self.node_s + self.engine_s + self.journal_s
    }
}

#[derive(Debug, serde::Serialize)]
pub(super) struct ModeResult {
    clients: usize,
    /// Offered load of a paced run, payments per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    offered_per_s: Option<f64>,
    requests: usize,
    payments: usize,
    /// Mean request body size per payment.
    bytes_per_payment: usize,
    seconds: f64,
    pub(super) payments_per_s: f64,
    requests_per_s: f64,
    pub(super) p50_ms: f64,
    pub(super) p99_ms: f64,
    p999_ms: f64,
    max_ms: f64,
    #[serde(flatten)]
    pub(super) counts: Counts,
    /// CPU seconds by part of the process, and the server's (node + engine + journal) CPU
    /// microseconds per payment.
    cpu: Cpu,
    server_cpu_us_per_payment: f64,
    /// The node's own histograms over the run: each group commit's `fdatasync`, and each
    /// settled payment from its handler's start to its durable answer (the server's share
    /// of the latency; a batch's payments all count the batch's time).
    fsync: Tail,
    server_latency: Tail,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_error: Option<String>,
}

/// Observations of one of the node's latency histograms, and how many exceeded 20 and 50 ms.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
struct Tail {
    count: u64,
    mean_ms: f64,
    over_20ms: u64,
    over_50ms: u64,
}

/// (count, sum, count ≤ 20 ms, count ≤ 50 ms) of histogram `name` in Prometheus text.
fn histogram(text: &str, name: &str) -> [f64; 4] {
    let value = |prefix: String| {
        text.lines()
            .find_map(|l| l.strip_prefix(prefix.as_str())?.trim().parse().ok())
            .unwrap_or(0.0)
    };
    [
        value(format!("{name}_count ")),
        value(format!("{name}_sum ")),
        value(format!("{name}_bucket{{le=\"0.02\"}} ")),
        value(format!("{name}_bucket{{le=\"0.05\"}} ")),
    ]
}

impl Tail {
    fn between(before: [f64; 4], after: [f64; 4]) -> Tail {
        let d: Vec<f64> = after.iter().zip(before).map(|(a, b)| a - b).collect();
        Tail {
            count: d[0] as u64,
            mean_ms: d[1] * 1e3 / d[0].max(1.0),
            over_20ms: (d[0] - d[2]) as u64,
            over_50ms: (d[0] - d[3]) as u64,
        }
    }
}

const FSYNC_HISTOGRAM: &str = "corridor_journal_fsync_seconds";
const SERVER_HISTOGRAM: &str = "corridor_settlement_latency_seconds";

fn ms(us: u64) -> f64 {
    us as f64 / 1_000.0
}

/// Where the clients connect, and the `Authorization` header of each sending bank.
pub(super) struct Endpoint {
    pub(super) addr: std::net::SocketAddr,
    pub(super) host: HeaderValue,
    pub(super) auth: Vec<HeaderValue>,
}

/// The node under test, as the clients see it.
pub(super) struct Target<'a> {
    pub(super) endpoint: Arc<Endpoint>,
    pub(super) metrics: &'a corridor_node::metrics::Metrics,
}

impl<'a> Target<'a> {
    /// The node on loopback, with each sending bank's `Authorization` header.
    pub(super) fn new(
        node: &'a corridor_node::RunningNode,
        senders: &[Sender],
    ) -> anyhow::Result<Target<'a>> {
        Ok(Target {
            endpoint: Arc::new(Endpoint {
                addr: node.local_addr(),
                host: HeaderValue::from_str(&node.local_addr().to_string())?,
                auth: senders.iter().map(|s| s.auth.clone()).collect(),
            }),
            metrics: &node.state().metrics,
        })
    }
}

/// Sends `work` from `clients` concurrent clients (request i goes to client i mod clients)
/// and times from the moment all connections are open until the last answer is read.
/// `rate`: offered load in requests per second, else as fast as answers come.
pub(super) async fn drive(
    target: &Target<'_>,
    path: &'static str,
    work: Vec<Prepared>,
    clients: usize,
    kind: AnswerKind,
    rate: Option<f64>,
) -> anyhow::Result<ModeResult> {
    let clients = clients.clamp(1, work.len().max(1));
    let requests = work.len();
    let payments: usize = work.iter().map(|p| p.payments).sum();
    let bytes: usize = work.iter().map(|p| p.body.len()).sum();
    let mut shares: Vec<Vec<Prepared>> = (0..clients)
        .map(|_| Vec::with_capacity(requests / clients + 1))
        .collect();
    for (i, p) in work.into_iter().enumerate() {
        shares[i % clients].push(p);
    }
    let interval = rate.map(|r| Duration::from_secs_f64(clients as f64 / r.max(1e-3)));
    let start = Arc::new(Barrier::new(clients + 1));
    let tasks: Vec<_> = shares
        .into_iter()
        .enumerate()
        .map(|(i, share)| {
            let pace = interval.map(|interval| Pace {
                interval,
                offset: interval.mul_f64(i as f64 / clients as f64),
            });
            tokio::spawn(client(
                target.endpoint.clone(),
                path,
                share,
                kind,
                pace,
                start.clone(),
            ))
        })
        .collect();
    start.wait().await;
    let cpu_before = CpuSnapshot::take();
    let text = target.metrics.render();
    let histograms_before = [
        histogram(&text, FSYNC_HISTOGRAM),
        histogram(&text, SERVER_HISTOGRAM),
    ];
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(requests);
    let mut counts = Counts::default();
    let mut first_error = None;
    for task in tasks {
        let r = task.await.context("bench client panicked")??;
        latencies.extend(r.latencies);
        counts.add(r.counts);
        first_error = first_error.or(r.first_error);
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu = Cpu::between(&cpu_before, &CpuSnapshot::take());
    let text = target.metrics.render();
    let fsync = Tail::between(histograms_before[0], histogram(&text, FSYNC_HISTOGRAM));
    let server_latency = Tail::between(histograms_before[1], histogram(&text, SERVER_HISTOGRAM));
    latencies.sort_unstable();
    Ok(ModeResult {
        clients,
        offered_per_s: rate,
        requests,
        payments,
        bytes_per_payment: bytes / payments.max(1),
        seconds,
        payments_per_s: payments as f64 / seconds,
        requests_per_s: requests as f64 / seconds,
        p50_ms: ms(percentile_us(&latencies, 0.50)),
        p99_ms: ms(percentile_us(&latencies, 0.99)),
        p999_ms: ms(percentile_us(&latencies, 0.999)),
        max_ms: ms(percentile_us(&latencies, 1.0)),
        counts,
        cpu,
        server_cpu_us_per_payment: cpu.server_s() * 1e6 / payments.max(1) as f64,
        fsync,
        server_latency,
        first_error,
    })
}

/// What the hub itself holds after the runs, to check the answers against.
#[derive(Debug, Default, serde::Serialize)]
struct HubCounts {
    payments: usize,
    settled: usize,
    queued: usize,
    other: usize,
    queue_depth: usize,
}

/// Starts the node and seeds it: the demo corridor, then each bank's home-currency
/// settlement account topped up. Returns the node and the banks that will send.
pub(super) async fn start_node(
    data_dir: &std::path::Path,
) -> anyhow::Result<(corridor_node::RunningNode, Vec<Sender>)> {
    let mut config = NodeConfig::new(data_dir);
    config.listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    config.token_mode = true;
    config.rate_limit_per_second = 1_000_000_000;
    let node = corridor_node::start(config)
        .await
        .context("starting the node")?;
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
    Ok((node, senders))
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

pub(super) fn runtime(
    name: &str,
    threads: Option<usize>,
) -> anyhow::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.thread_name(name).enable_all();
    if let Some(threads) = threads {
        builder.worker_threads(threads.max(1));
    }
    Ok(builder.build()?)
}

/// The three API runs against one node, which runs on its own runtime while the clients
/// run on theirs.
fn api_runs(args: &ApiBenchArgs, data_dir: &std::path::Path) -> anyhow::Result<ApiRuns> {
    let node_rt = runtime(NODE_THREAD, args.node_threads)?;
    let client_rt = runtime(CLIENT_THREAD, args.client_threads)?;
    let (node, senders) = node_rt.block_on(start_node(data_dir))?;
    let single = prepare_single(&senders, args.single_payments, 'S', 11)?;
    let paced = prepare_single(&senders, args.paced_payments, 'P', 12)?;
    let batches = prepare_batches(&senders, args.batch_payments, args.batch_size)?;
    let target = Target::new(&node, &senders)?;
    let runs = client_rt.block_on(async {
        let (one, many) = ("/v1/payments", "/v1/payments/batch");
        let (clients, rate) = (args.clients, Some(args.single_rate));
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

/// Prints one run of requests answered as `kind`.
pub(super) fn print_mode(name: &str, kind: AnswerKind, r: &ModeResult) {
    let (unit, outcome) = match kind {
        AnswerKind::Quote => (
            "quotes",
            format!("{} given, {} refused", r.counts.settled, r.counts.refused),
        ),
        AnswerKind::Receipt | AnswerKind::Batch => (
            "payments",
            format!(
                "{} settled, {} queued, {} refused",
                r.counts.settled, r.counts.queued, r.counts.refused
            ),
        ),
    };
    println!(
        "{name:<30} {:>8.0} {unit}/s  ({:>6.0} requests/s, {} clients)  p50 {:>7.2} ms  p99 {:>7.2} ms  p99.9 {:>7.2} ms  max {:>7.2} ms",
        r.payments_per_s, r.requests_per_s, r.clients, r.p50_ms, r.p99_ms, r.p999_ms, r.max_ms
    );
    println!(
        "{:<30} {} {unit} in {} requests, {} bytes per item, {:.2} s: {outcome}, {} failed requests",
        "", r.payments, r.requests, r.bytes_per_payment, r.seconds, r.counts.failed_requests
    );
    let per = |s: f64| s * 1e6 / r.payments.max(1) as f64;
    println!(
        "{:<30} CPU per item: node HTTP {:.1} us, engine {:.1} us, journal {:.1} us (server {:.1} us); bench clients {:.1} us; other {:.1} us",
        "",
        per(r.cpu.node_s),
        per(r.cpu.engine_s),
        per(r.cpu.journal_s),
        r.server_cpu_us_per_payment,
        per(r.cpu.client_s),
        per(r.cpu.other_s)
    );
    println!(
        "{:<30} {} group commits ({:.1} {unit} each), fdatasync mean {:.2} ms, {} over 20 ms, {} over 50 ms",
        "",
        r.fsync.count,
        r.payments as f64 / r.fsync.count.max(1) as f64,
        r.fsync.mean_ms,
        r.fsync.over_20ms,
        r.fsync.over_50ms,
    );
    // The node's histogram times settled payments only: a run of quotes has none.
    if r.server_latency.count > 0 {
        println!(
            "{:<30} in the node, handler to durable answer: mean {:.2} ms, {} payments over 20 ms, {} over 50 ms",
            "", r.server_latency.mean_ms, r.server_latency.over_20ms, r.server_latency.over_50ms,
        );
    }
    println!(
        "{:<30} machine: {:.2} CPU-s stolen by the hypervisor, {:.2} CPU-s idle",
        "", r.cpu.steal_s, r.cpu.idle_s
    );
    if let Some(e) = &r.first_error {
        println!("{:<30} first failure: {e}", "");
    }
}

pub(super) fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
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
    let ApiRuns {
        single,
        paced,
        batch,
        hub,
    } = api_runs(&args, data_dir.path())?;
    drop(data_dir);

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
        println!("{out}");
        return Ok(());
    }
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn senders() -> Vec<Sender> {
        CURRENCIES
            .iter()
            .enumerate()
            .flat_map(|(currency, c)| {
                c.banks.iter().map(move |b| Sender {
                    bic: parse(b),
                    currency,
                    auth: HeaderValue::from_static("Bearer test"),
                })
            })
            .collect()
    }

    #[test]
    fn generated_payments_pass_the_hubs_checks() {
        let senders = senders();
        let mut rng = StdRng::seed_from_u64(1);
        for n in 0..500 {
            let s = n % senders.len();
            let p = payment(&mut rng, &senders, s, 'T', n);
            assert!(p.check().is_ok(), "{p:?}");
            assert_ne!(p.instructed_agent, senders[s].bic);
            assert_eq!(p.currency, parse(CURRENCIES[senders[s].currency].currency));
        }
        let batches = prepare_batches(&senders, 25, 10).unwrap();
        assert_eq!(
            batches.iter().map(|b| b.payments).collect::<Vec<_>>(),
            [10, 10, 5]
        );
        let parsed: serde_json::Value = serde_json::from_str(&batches[2].body).unwrap();
        assert_eq!(parsed["payments"].as_array().map(Vec::len), Some(5));
    }

    #[test]
    fn histogram_tails_are_read_from_the_metrics_text() {
        let before = "x_bucket{le=\"0.02\"} 5\nx_bucket{le=\"0.05\"} 6\nx_sum 0.5\nx_count 7\n";
        let after = "x_bucket{le=\"0.02\"} 8\nx_bucket{le=\"0.05\"} 11\nx_sum 1.5\nx_count 13\n";
        let tail = Tail::between(histogram(before, "x"), histogram(after, "x"));
        assert_eq!((tail.count, tail.over_20ms, tail.over_50ms), (6, 3, 1));
        assert!((tail.mean_ms - 1_000.0 / 6.0).abs() < 1e-6);
    }
}
