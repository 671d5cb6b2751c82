//! `corridor up`: runs the node until Ctrl-C (or SIGTERM), then shuts down cleanly: stops
//! accepting, finishes what was accepted, writes a snapshot. `--demo` also creates the
//! reference corridor and keeps a payment generator running.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use corridor_node::NodeConfig;
use corridor_node::listener::ConnectionLimits;
use corridor_node::server::tls_from_parts;

#[derive(Args)]
pub struct UpArgs {
    #[arg(long, default_value = "./corridor-data")]
    data_dir: PathBuf,
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Create the reference RUB/IRR corridor and generate demo payments.
    #[arg(long)]
    demo: bool,
    /// Development only: plain HTTP with bearer tokens, on a loopback address (always on
    /// with --demo). Without it the node serves mutual TLS and nothing else.
    #[arg(long)]
    dev_tokens: bool,
    /// Server certificate (PEM) for mutual TLS; with --tls-key and --client-ca.
    #[arg(long)]
    tls_cert: Option<PathBuf>,
    #[arg(long)]
    tls_key: Option<PathBuf>,
    /// CA whose client certificates are accepted; a certificate's CN names the caller.
    #[arg(long)]
    client_ca: Option<PathBuf>,
    /// Reject payments still queued after this many seconds.
    #[arg(long)]
    queue_timeout: Option<u32>,
    /// Requests per second allowed per caller.
    #[arg(long, default_value_t = corridor_node::server::DEFAULT_RATE_LIMIT_PER_SECOND)]
    rate_limit: u32,
    /// Requests per second allowed per peer address, with or without credentials.
    #[arg(long, default_value_t = corridor_node::server::DEFAULT_PEER_RATE_LIMIT_PER_SECOND)]
    peer_rate_limit: u32,
    /// Connections open at once; more are closed as soon as they are accepted.
    #[arg(long, default_value_t = ConnectionLimits::default().max_connections)]
    max_connections: usize,
    /// Also serve /metrics without credentials on this address (plain HTTP), for a
    /// scraper; on the main address only the operator and auditors may read it.
    #[arg(long, value_name = "ADDR")]
    metrics_listen: Option<SocketAddr>,
    /// Demo payments per second, roughly; 0 for none.
    #[arg(long, default_value_t = 10)]
    demo_rate: u32,
    /// Reference data for screening: the directory holding person_names.txt, the
    /// cross-script name dictionary (see the README, section Screening).
    #[arg(long, env = "CORRIDOR_REFERENCE_DIR", value_name = "DIR")]
    reference_dir: Option<PathBuf>,
    /// A client certificate (PEM) registered for the subject its common name gives, at the
    /// first start only (while no certificate is registered): how the operator's own
    /// certificate gets in. Repeatable. Later ones are registered through the API.
    #[arg(long = "register-cert", value_name = "PEM")]
    register_certs: Vec<PathBuf>,
    /// Certificate revocation list (PEM or DER) for mutual TLS, read at start and again on
    /// SIGHUP or `POST /v1/tls/reload`.
    #[arg(long, value_name = "FILE", requires = "client_ca")]
    crl: Option<PathBuf>,
    /// How long a development token issued by this node is valid, in seconds.
    #[arg(long, default_value_t = corridor_node::server::DEFAULT_TOKEN_TTL_SECONDS)]
    token_ttl: u64,
    /// Also accept bearer tokens over mutual TLS (refused there by default).
    #[arg(long)]
    allow_tokens_with_mtls: bool,
    /// The journal in PostgreSQL (`postgresql://user@host1,host2/db?target_session_attrs=read-write`)
    /// instead of the embedded one in --data-dir: nodes sharing it elect one writer; the
    /// others are standbys that follow it and take over.
    #[arg(long, value_name = "URL", env = "CORRIDOR_JOURNAL_URL")]
    journal: Option<String>,
    /// This node's name among those sharing a PostgreSQL journal (default: the host name
    /// and the listening port).
    #[arg(long, requires = "journal")]
    node_name: Option<String>,
    /// Where other nodes' clients reach this node's API, given to them when a standby
    /// refuses a write (default: the listening address).
    #[arg(long, value_name = "URL", requires = "journal")]
    advertise_url: Option<String>,
    /// How long the writer's lease lasts without renewal, in milliseconds: a standby takes
    /// over this long after the writer's last renewal. Shorter means faster takeover but
    /// a writer stalled that long (a pause, a slow disk) loses its place.
    #[arg(long, default_value_t = 3_000, requires = "journal")]
    lease_ms: u64,
}

pub fn run(args: UpArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(serve(args))
}

async fn serve(args: UpArgs) -> anyhow::Result<()> {
    let tls = tls_from_parts(
        args.tls_cert.clone(),
        args.tls_key.clone(),
        args.client_ca.clone(),
    )?;
    let token_mode = args.dev_tokens || args.demo;
    if tls.is_none() && !token_mode {
        anyhow::bail!(
            "no mutual TLS configured: give --tls-cert, --tls-key and --client-ca, or --dev-tokens for development plain HTTP on a loopback address"
        );
    }
    let mut config = NodeConfig::new(&args.data_dir);
    config.listen = args.listen;
    config.tls = tls;
    config.token_mode = token_mode;
    config.queue_timeout_seconds = args.queue_timeout;
    config.rate_limit_per_second = args.rate_limit;
    config.peer_rate_limit_per_second = args.peer_rate_limit;
    config.connection_limits.max_connections = args.max_connections;
    config.metrics_listen = args.metrics_listen;
    config.reference_dir = args.reference_dir.clone();
    config.register_certificates = args.register_certs.clone();
    config.crl = args.crl.clone();
    config.token_ttl_seconds = args.token_ttl;
    config.tokens_with_mtls = args.allow_tokens_with_mtls;
    let scheme = if config.tls.is_some() {
        "https"
    } else {
        "http"
    };
    config.postgres = postgres_journal(&args, scheme)?;
    let journal = match &args.journal {
        Some(url) => corridor_journal_pg::JournalUrl::new(url).to_string(),
        None => args.data_dir.display().to_string(),
    };
    let node = corridor_node::start(config)
        .await
        .with_context(|| format!("starting the node on {journal}"))?;
    let url = format!("{scheme}://{}", node.local_addr());
    println!("Corridor node listening on {url}  (journal {journal})");
    println!("  health {url}/health   metrics {url}/metrics   API description {url}/openapi.json");
    if let Some(metrics) = node.metrics_addr() {
        println!("  metrics without credentials on http://{metrics}/metrics");
    }
    if token_mode {
        warn_development_mode(scheme);
    }
    let standby = node.engine().status().role == corridor_engine::Role::Standby;
    if args.demo && standby {
        println!("\nStandby: the demo corridor and its credentials are the writer's.");
    }
    let generator = if args.demo && !standby {
        let credentials = corridor_demo::seed(node.state(), &args.data_dir).await?;
        println!(
            "\nDemo corridor ready: RUB (agent CBRFRUMM, Europe/Moscow), IRR (agent CBIRIRTH, Asia/Tehran)."
        );
        println!(
            "Operating day: always open. The demo sets no schedule, so payments settle on any day at any hour; \
             the RUB and IRR calendars are loaded (`corridor calendar show IRR`) and \
             `corridor calendar schedule` puts a currency on its real operating day."
        );
        println!(
            "Development credentials (also in {}):",
            args.data_dir.join("credentials.json").display()
        );
        for (subject, token) in &credentials {
            println!("  {subject:<9} {token}");
        }
        println!(
            "\nTry: corridor pay --as VOLGRUMM --to NEVARUMM --amount 1500.00 --currency RUB --debtor \"Ivan Petrov\" --creditor \"Anna Smirnova\""
        );
        (args.demo_rate > 0).then(|| {
            let interval = Duration::from_secs_f64(2.5 / f64::from(args.demo_rate));
            tokio::spawn(corridor_demo::generate(node.state().clone(), interval))
        })
    } else {
        None
    };
    shutdown_signal().await;
    println!("shutting down: finishing accepted requests, writing a snapshot");
    if let Some(generator) = generator {
        generator.abort();
    }
    node.shutdown().await;
    println!("stopped cleanly");
    Ok(())
}

fn postgres_journal(
    args: &UpArgs,
    scheme: &str,
) -> anyhow::Result<Option<corridor_node::replication::PgJournalConfig>> {
    let Some(url) = &args.journal else {
        return Ok(None);
    };
    if !corridor_journal_pg::JournalUrl::is_postgres(url) {
        anyhow::bail!(
            "--journal takes a PostgreSQL connection string (postgresql://... or host=... dbname=...); the embedded journal is chosen with --data-dir"
        );
    }
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "node".into());
    Ok(Some(corridor_node::replication::PgJournalConfig {
        url: url.clone(),
        node_name: args
            .node_name
            .clone()
            .unwrap_or_else(|| format!("{host}:{}", args.listen.port())),
        advertise_url: args
            .advertise_url
            .clone()
            .unwrap_or_else(|| format!("{scheme}://{}", args.listen)),
        lease: Duration::from_millis(args.lease_ms.max(300)),
    }))
}

/// Said in a box on the console and in the log, so it is seen whether the node runs in a
/// terminal or under a service manager.
fn warn_development_mode(scheme: &str) {
    let transport = if scheme == "http" {
        "plain HTTP on loopback: requests and tokens travel unencrypted"
    } else {
        "bearer tokens are accepted besides client certificates"
    };
    let rule = "*".repeat(72);
    println!("\n  {rule}");
    println!("  *  DEVELOPMENT TOKEN MODE: {transport}.");
    println!("  *  Never use it with real participants or real data.");
    println!("  {rule}\n");
    tracing::warn!(transport, "development token mode: not for production");
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
