//! The load the HTTP benchmarks (`bench api`, `bench fx`) put on a node: concurrent
//! keep-alive HTTP/1.1 clients on loopback, over TCP with a bearer token or over mutual TLS
//! with each bank's certificate, each answer read in full and every payment's status
//! counted; the latency of each request, the CPU of each part of the process and the node's
//! own fsync and settlement histograms over the run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use corridor_settlement::PaymentStatus;
use hyper::body::Body as _;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use tokio::sync::Barrier;

use super::cpu::{Cpu, CpuSnapshot};
use super::payments::{Prepared, Sender};
use super::percentile_us;

/// Payment outcomes as the answers reported them.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub(super) struct Counts {
    pub(super) settled: usize,
    pub(super) queued: usize,
    /// Held by sanctions screening for a compliance officer.
    pub(super) held: usize,
    /// Refused by the hub (an error instead of a receipt, or status rejected/cancelled),
    /// or carried by a request that failed as a whole.
    pub(super) refused: usize,
    /// Requests answered with a non-2xx status (their payments count as refused).
    pub(super) failed_requests: usize,
}

impl Counts {
    pub(super) fn add(&mut self, other: Counts) {
        self.settled += other.settled;
        self.queued += other.queued;
        self.held += other.held;
        self.refused += other.refused;
        self.failed_requests += other.failed_requests;
    }

    fn status(&mut self, status: Option<PaymentStatus>) {
        match status {
            Some(PaymentStatus::Settled) => self.settled += 1,
            Some(PaymentStatus::Queued) => self.queued += 1,
            Some(PaymentStatus::Held) => self.held += 1,
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
/// answer is read or, when paced, when it is due. Over mutual TLS the connection is `bank`'s.
async fn client(
    target: Arc<Endpoint>,
    bank: usize,
    path: &'static str,
    work: Vec<Prepared>,
    kind: AnswerKind,
    pace: Option<Pace>,
    start: Arc<Barrier>,
) -> anyhow::Result<ClientResult> {
    let warm = async {
        let mut http = connect(&target, bank).await?;
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
        let mut http_request = hyper::Request::post(uri.clone())
            .header(HOST, target.host.clone())
            .header(CONTENT_TYPE, json.clone());
        if target.tls.is_none() {
            http_request = http_request.header(AUTHORIZATION, target.auth[request.sender].clone());
        }
        let http_request = http_request.body(request.body)?;
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

/// Opens a keep-alive connection to the node: plain TCP, or TLS with `bank`'s certificate.
async fn connect(
    target: &Endpoint,
    bank: usize,
) -> anyhow::Result<hyper::client::conn::http1::SendRequest<String>> {
    let stream = tokio::net::TcpStream::connect(target.addr).await?;
    stream.set_nodelay(true)?;
    let Some(tls) = &target.tls else {
        return handshake(stream).await;
    };
    let connector = tls
        .connectors
        .get(bank)
        .context("no certificate for the bank")?;
    let stream = connector
        .connect(tls.server_name.clone(), stream)
        .await
        .context("TLS handshake")?;
    handshake(stream).await
}

async fn handshake<T>(io: T) -> anyhow::Result<hyper::client::conn::http1::SendRequest<String>>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (http, connection) =
        hyper::client::conn::http1::handshake::<_, String>(TokioIo::new(io)).await?;
    tokio::spawn(connection);
    Ok(http)
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
    pub(super) p999_ms: f64,
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

/// Where the clients connect, and how each sending bank authenticates: the `Authorization`
/// header of its token, or, over mutual TLS, its client certificate.
pub(super) struct Endpoint {
    pub(super) addr: std::net::SocketAddr,
    pub(super) host: HeaderValue,
    pub(super) auth: Vec<HeaderValue>,
    tls: Option<ClientTls>,
}

/// Mutual TLS as the banks use it: one connector per sending bank, holding its certificate.
pub(super) struct ClientTls {
    connectors: Vec<tokio_rustls::TlsConnector>,
    server_name: rustls::pki_types::ServerName<'static>,
}

impl ClientTls {
    /// Connectors trusting `ca.pem` of the development PKI in `pki`, each presenting
    /// `client-<BIC>.pem` of one sender, for a server certificate naming `server_name`.
    pub(super) fn new(
        pki: &std::path::Path,
        senders: &[Sender],
        server_name: &str,
    ) -> anyhow::Result<ClientTls> {
        use rustls::pki_types::pem::PemObject as _;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let mut roots = rustls::RootCertStore::empty();
        for ca in CertificateDer::pem_file_iter(pki.join("ca.pem"))? {
            roots.add(ca?)?;
        }
        let roots = Arc::new(roots);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let connectors = senders
            .iter()
            .map(|s| {
                let chain =
                    CertificateDer::pem_file_iter(pki.join(format!("client-{}.pem", s.bic)))?
                        .collect::<Result<Vec<_>, _>>()?;
                let key =
                    PrivateKeyDer::from_pem_file(pki.join(format!("client-{}-key.pem", s.bic)))?;
                let mut config = rustls::ClientConfig::builder_with_provider(provider.clone())
                    .with_safe_default_protocol_versions()?
                    .with_root_certificates(roots.clone())
                    .with_client_auth_cert(chain, key)?;
                config.alpn_protocols = vec![b"http/1.1".to_vec()];
                anyhow::Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(ClientTls {
            connectors,
            server_name: rustls::pki_types::ServerName::try_from(server_name.to_string())?,
        })
    }
}

/// The node under test, as the clients see it.
pub(super) struct Target<'a> {
    pub(super) endpoint: Arc<Endpoint>,
    pub(super) metrics: &'a corridor_node::metrics::Metrics,
}

impl<'a> Target<'a> {
    /// The node on loopback, with each sending bank's `Authorization` header, or its
    /// certificate when `tls` is given.
    pub(super) fn new(
        node: &'a corridor_node::RunningNode,
        senders: &[Sender],
        tls: Option<ClientTls>,
    ) -> anyhow::Result<Target<'a>> {
        Ok(Target {
            endpoint: Arc::new(Endpoint {
                addr: node.local_addr(),
                host: HeaderValue::from_str(&node.local_addr().to_string())?,
                auth: senders.iter().map(|s| s.auth.clone()).collect(),
                tls,
            }),
            metrics: &node.state().metrics,
        })
    }
}

/// Which client sends each request, and whose connection each client is (its bank). With
/// tokens a connection carries any bank's requests: request i goes to client i mod clients.
/// Over mutual TLS (`banks` given) a connection is one bank's, so the clients are shared out
/// evenly between the banks (rounded up to a whole number each) and each request goes to the
/// next client of its bank.
fn shares(
    work: Vec<Prepared>,
    clients: usize,
    banks: Option<usize>,
) -> Vec<(usize, Vec<Prepared>)> {
    let clients = clients.clamp(1, work.len().max(1));
    let Some(banks) = banks.filter(|b| *b > 0) else {
        let mut shares: Vec<(usize, Vec<Prepared>)> =
            (0..clients).map(|_| (0, Vec::new())).collect();
        for (i, p) in work.into_iter().enumerate() {
            shares[i % clients].1.push(p);
        }
        return shares;
    };
    let per_bank = clients.div_ceil(banks);
    let mut shares: Vec<(usize, Vec<Prepared>)> = (0..per_bank * banks)
        .map(|c| (c % banks, Vec::new()))
        .collect();
    let mut sent = vec![0usize; banks];
    for p in work {
        let bank = p.sender % banks;
        shares[bank + banks * (sent[bank] % per_bank)].1.push(p);
        sent[bank] += 1;
    }
    shares.retain(|(_, share)| !share.is_empty());
    shares
}

/// Sends `work` from `clients` concurrent clients (see [`shares`]) and times from the moment all connections are open until the last answer is read.
/// `rate`: offered load in requests per second, else as fast as answers come.
pub(super) async fn drive(
    target: &Target<'_>,
    path: &'static str,
    work: Vec<Prepared>,
    clients: usize,
    kind: AnswerKind,
    rate: Option<f64>,
) -> anyhow::Result<ModeResult> {
    let requests = work.len();
    let payments: usize = work.iter().map(|p| p.payments).sum();
    let bytes: usize = work.iter().map(|p| p.body.len()).sum();
    let banks = target
        .endpoint
        .tls
        .as_ref()
        .map(|_| target.endpoint.auth.len());
    let shares = shares(work, clients, banks);
    let clients = shares.len();
    let interval = rate.map(|r| Duration::from_secs_f64(clients as f64 / r.max(1e-3)));
    let start = Arc::new(Barrier::new(clients + 1));
    let tasks: Vec<_> = shares
        .into_iter()
        .enumerate()
        .map(|(i, (bank, share))| {
            let pace = interval.map(|interval| Pace {
                interval,
                offset: interval.mul_f64(i as f64 / clients as f64),
            });
            tokio::spawn(client(
                target.endpoint.clone(),
                bank,
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
    let text = target.metrics.exposition()?;
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
    let text = target.metrics.exposition()?;
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
                "{} settled, {} queued, {} held, {} refused",
                r.counts.settled, r.counts.queued, r.counts.held, r.counts.refused
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_tails_are_read_from_the_metrics_text() {
        let before = "x_bucket{le=\"0.02\"} 5\nx_bucket{le=\"0.05\"} 6\nx_sum 0.5\nx_count 7\n";
        let after = "x_bucket{le=\"0.02\"} 8\nx_bucket{le=\"0.05\"} 11\nx_sum 1.5\nx_count 13\n";
        let tail = Tail::between(histogram(before, "x"), histogram(after, "x"));
        assert_eq!((tail.count, tail.over_20ms, tail.over_50ms), (6, 3, 1));
        assert!((tail.mean_ms - 1_000.0 / 6.0).abs() < 1e-6);
    }

    fn work(senders: &[usize]) -> Vec<Prepared> {
        senders
            .iter()
            .map(|&sender| Prepared {
                sender,
                payments: 1,
                body: String::new(),
            })
            .collect()
    }

    #[test]
    fn a_tls_client_sends_only_its_own_banks_requests() {
        let senders = [0, 1, 2, 0, 0, 1, 2, 2, 1, 0];
        let shares = shares(work(&senders), 4, Some(3));
        assert_eq!(shares.len(), 6, "two clients for each of the three banks");
        for (bank, share) in &shares {
            assert!(share.iter().all(|p| p.sender == *bank));
        }
        assert_eq!(
            shares.iter().map(|(_, s)| s.len()).sum::<usize>(),
            senders.len()
        );
        let plain = super::shares(work(&senders), 4, None);
        assert_eq!(
            plain.iter().map(|(_, s)| s.len()).collect::<Vec<_>>(),
            [3, 3, 2, 2]
        );
    }
}
