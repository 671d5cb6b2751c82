//! Starting and stopping a node: the engine over the hub, the screening service, the
//! HTTP(S) listener serving the router, and the background ticker that lets queue timeouts
//! fire when no request arrives.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicU16;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use corridor_core::Bic;
use corridor_engine::{Engine, EngineConfig, EngineError, EngineHandle, Role};
use corridor_settlement::{Hub, HubCommand};
use tokio::sync::watch;

use crate::admission::Admission;
use crate::auth::{Directory, RateLimiter};
use crate::listener::{ConnectionLimits, serve_plain};
use crate::metrics::Metrics;
use crate::replication::{self, PgJournalConfig, Replication, ReplicationError};
use crate::routes::router;
use crate::screening::{ListStore, ScreeningService};
use crate::state::AppState;
use crate::tls::{self, TlsSettings};
use corridor_journal_pg::{JournalUrl, PgListStore};

#[derive(Debug, Clone)]
pub struct NodeConfig {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// Mutual TLS: clients must present a certificate from `client_ca`.
    pub tls: Option<TlsSettings>,
    /// Development bearer tokens. Off unless asked for.
    pub token_mode: bool,
    /// Requests per second per authenticated caller.
    pub rate_limit_per_second: u32,
    /// Requests per second per peer address, authenticated or not.
    pub peer_rate_limit_per_second: u32,
    /// Large bodies (batches, ISO 20022 files, lists) being received at once, node-wide.
    pub large_bodies_in_flight: usize,
    /// Header and body deadlines and the connection cap, for whichever server runs.
    pub connection_limits: ConnectionLimits,
    /// Requests waiting for the engine at most; beyond it requests are answered 503.
    pub engine_inbox_capacity: usize,
    /// A second, plain-HTTP address serving `/metrics` alone without credentials, for a
    /// scraper on a monitoring network. On the main address only the operator and auditors
    /// read the metrics.
    pub metrics_listen: Option<SocketAddr>,
    /// Applied at start-up if it differs from the hub's.
    pub queue_timeout_seconds: Option<u32>,
    /// The hub's own BIC: the `Fr` of the ISO 20022 messages it writes.
    pub hub_bic: Bic,
    /// Where reference data for screening lives (`person_names.txt`, the cross-script
    /// name dictionary). Without it screening works on transliteration alone, less well.
    pub reference_dir: Option<PathBuf>,
    /// Accept bearer tokens over mutual TLS too (refused there by default).
    pub tokens_with_mtls: bool,
    /// How long a token issued by this node is valid.
    pub token_ttl_seconds: u64,
    /// PEM certificate files registered at the first start (while the hub has no certificate
    /// registered) for the subject each names (its common name): how the first operator
    /// certificate gets in.
    pub register_certificates: Vec<PathBuf>,
    /// A certificate revocation list (PEM or DER), read at start and on reload.
    pub crl: Option<PathBuf>,
    /// The journal on PostgreSQL, shared with other nodes; `None` for the embedded journal
    /// in `data_dir`.
    pub postgres: Option<PgJournalConfig>,
}

/// Tokens last a day unless configured otherwise.
pub const DEFAULT_TOKEN_TTL_SECONDS: u64 = 86_400;
/// A bank's systems send a few hundred requests a second at most (single payments; bulk goes
/// in batches); more from one caller is a fault or an attack.
pub const DEFAULT_RATE_LIMIT_PER_SECOND: u32 = 500;
/// One address may front several callers (a bank's gateway), so it gets more than one
/// caller; it also bounds what unauthenticated requests cost.
pub const DEFAULT_PEER_RATE_LIMIT_PER_SECOND: u32 = 2_000;
/// Four 256 MiB list uploads or 32 MiB batches at once are already a gigabyte of memory.
pub const DEFAULT_LARGE_BODIES_IN_FLIGHT: usize = 4;

/// The BIC the demo corridor's hub writes its ISO 20022 messages from.
pub const DEFAULT_HUB_BIC: &str = "CRDRRUMMXXX";

fn default_hub_bic() -> Bic {
    DEFAULT_HUB_BIC
        .parse()
        .unwrap_or_else(|_| unreachable!("the default hub BIC is well formed"))
}

impl NodeConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> NodeConfig {
        NodeConfig {
            data_dir: data_dir.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            tls: None,
            token_mode: false,
            rate_limit_per_second: DEFAULT_RATE_LIMIT_PER_SECOND,
            peer_rate_limit_per_second: DEFAULT_PEER_RATE_LIMIT_PER_SECOND,
            large_bodies_in_flight: DEFAULT_LARGE_BODIES_IN_FLIGHT,
            connection_limits: ConnectionLimits::default(),
            engine_inbox_capacity: corridor_engine::DEFAULT_INBOX_CAPACITY,
            metrics_listen: None,
            queue_timeout_seconds: None,
            hub_bic: default_hub_bic(),
            reference_dir: None,
            tokens_with_mtls: false,
            token_ttl_seconds: DEFAULT_TOKEN_TTL_SECONDS,
            register_certificates: Vec::new(),
            crl: None,
            postgres: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    #[error("metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("{0}")]
    Refused(corridor_settlement::Rejection),
    #[error("neither mutual TLS nor token mode is configured: nobody could authenticate")]
    NoAuthentication,
    #[error(
        "plain HTTP is served only on a loopback address, for development; {0} is not one: configure mutual TLS"
    )]
    PlainHttpNotLoopback(SocketAddr),
    #[error(
        "TLS is configured only in part: {missing} missing; give --tls-cert, --tls-key and --client-ca together, or none of them for development plain HTTP"
    )]
    PartialTls { missing: String },
    #[error("screening: {0}")]
    Screening(#[from] crate::screening::ScreeningError),
    #[error(transparent)]
    Replication(#[from] ReplicationError),
    #[error("the node stopped while starting")]
    Interrupted,
}

/// Mutual TLS from its three files, all or none: with only some of them the node would
/// otherwise fall back to plain HTTP, which the operator did not ask for.
pub fn tls_from_parts(
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    client_ca: Option<PathBuf>,
) -> Result<Option<TlsSettings>, NodeError> {
    match (cert, key, client_ca) {
        (Some(cert), Some(key), Some(client_ca)) => Ok(Some(TlsSettings {
            cert,
            key,
            client_ca,
        })),
        (None, None, None) => Ok(None),
        (cert, key, client_ca) => {
            let missing = [
                ("--tls-cert", cert.is_none()),
                ("--tls-key", key.is_none()),
                ("--client-ca", client_ca.is_none()),
            ]
            .iter()
            .filter(|(_, absent)| *absent)
            .map(|(flag, _)| *flag)
            .collect::<Vec<_>>()
            .join(", ");
            Err(NodeError::PartialTls { missing })
        }
    }
}

/// A running node. [`RunningNode::shutdown`] stops accepting, finishes what was accepted,
/// writes a final snapshot and stops the engine.
#[derive(Debug)]
pub struct RunningNode {
    addr: SocketAddr,
    state: Arc<AppState>,
    engine: Option<Engine<Hub>>,
    replication: Option<Replication>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    metrics_server: Option<MetricsServer>,
    ticker: tokio::task::JoinHandle<()>,
}

impl RunningNode {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where `/metrics` is served without credentials, if configured.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_server.as_ref().map(|m| m.addr)
    }

    pub fn state(&self) -> &Arc<AppState> {
        &self.state
    }

    pub fn engine(&self) -> EngineHandle<Hub> {
        self.state.engine.clone()
    }

    pub async fn shutdown(mut self) {
        self.ticker.abort();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        if let Some(metrics) = self.metrics_server.take() {
            metrics.stop().await;
        }
        let replication = self.replication.take();
        let engine = self.engine.take();
        let _ = tokio::task::spawn_blocking(move || {
            let stopped = replication.and_then(Replication::stop);
            if let Some(engine) = engine {
                engine.shutdown();
            }
            if let Some(stopped) = stopped {
                stopped.release_lease();
            }
        })
        .await;
    }
}

pub async fn start(config: NodeConfig) -> Result<RunningNode, NodeError> {
    if config.tls.is_none() && !config.token_mode {
        return Err(NodeError::NoAuthentication);
    }
    if config.tls.is_none() && !config.listen.ip().is_loopback() {
        return Err(NodeError::PlainHttpNotLoopback(config.listen));
    }
    let metrics = Metrics::new()?;
    let mut engine_config = EngineConfig::new(&config.data_dir);
    engine_config.reserve_transfers = 1 << 20;
    engine_config.inbox_capacity = config.engine_inbox_capacity;
    let fsync = metrics.fsync_latency.clone();
    engine_config.sync_observer = Some(Arc::new(move |d| fsync.observe(d.as_secs_f64())));
    // The address first: a second process given the same address (and so, by default, the
    // same node name) stops here, before it joins a shared journal.
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| NodeError::Listen {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| NodeError::Listen {
        addr: config.listen,
        source,
    })?;
    // Beside a shared journal the data directory holds only this node's own files.
    if config.postgres.is_some() {
        corridor_engine::private::create_dir_all(&config.data_dir).map_err(|source| {
            EngineError::Journal(corridor_journal::JournalError::Io {
                path: config.data_dir.clone(),
                source,
            })
        })?;
    }
    let postgres = config.postgres.clone();
    let (engine, replication) = tokio::task::spawn_blocking(move || match postgres {
        None => Ok::<_, NodeError>((Engine::<Hub>::open(engine_config)?, None)),
        Some(pg) => {
            let (engine, replication) = replication::open(engine_config, &pg)?;
            Ok((engine, Some(replication)))
        }
    })
    .await
    .map_err(|_| NodeError::Interrupted)??;
    tracing::info!(recovered = %engine.recovery().last_seq, "journal records recovered");
    warn_if_readable_by_others(&config.data_dir);
    let handle = engine.handle();
    if handle.status().role == Role::Writer {
        apply_start_settings(&config, &handle).await?;
    } else {
        tracing::info!(
            "standby: the start-up settings (queue timeout, certificates to register) are left to the writer"
        );
    }
    let directory = handle.query_async(Directory::from_hub).await?;
    let tls_config = match &config.tls {
        Some(settings) => Some(tls::server_config_with_crl(
            settings,
            config.crl.as_deref(),
        )?),
        None => None,
    };
    let screening = open_screening(&config, &handle).await?;
    let hit_threshold = handle
        .query_async(|hub| hub.compliance().config().hit_threshold)
        .await?;
    let state = Arc::new(AppState {
        engine: handle.clone(),
        directory: RwLock::new(directory),
        directory_refresh: tokio::sync::Mutex::new(()),
        token_mode: config.token_mode,
        tokens_with_mtls: config.tokens_with_mtls,
        token_ttl_seconds: config.token_ttl_seconds,
        client_verifier: tls_config.as_ref().map(|(_, verifier)| verifier.clone()),
        limiter: RateLimiter::new(config.rate_limit_per_second),
        admission: Arc::new(Admission::new(
            config.peer_rate_limit_per_second,
            config.large_bodies_in_flight,
            crate::routes::BODY_LIMIT,
        )),
        metrics,
        changes: watch::channel(0).0,
        outbox_signals: Default::default(),
        hub_bic: config.hub_bic,
        screening,
        hit_threshold: AtomicU16::new(hit_threshold),
        replication: replication.as_ref().map(Replication::status),
    });
    if let Some(replication) = &replication {
        tokio::spawn(follow_applied(state.clone(), replication.applied()));
    }
    let app = router(state.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        let _ = stopped.await;
    };
    let limits = config.connection_limits;
    let server = match tls_config {
        Some((tls_config, _)) => tokio::spawn(tls::serve_tls_limited(
            listener, tls_config, app, limits, shutdown,
        )),
        None => tokio::spawn(serve_plain(listener, app, limits, shutdown)),
    };
    let metrics_server = match config.metrics_listen {
        Some(addr) => Some(MetricsServer::start(addr, state.clone(), limits).await?),
        None => None,
    };
    let ticker = tokio::spawn(tick(state.clone()));
    crate::credentials_api::reload_on_hangup(&state);
    Ok(RunningNode {
        addr,
        state,
        engine: Some(engine),
        replication,
        stop: Some(stop),
        server: Some(server),
        metrics_server,
        ticker,
    })
}

/// What `corridor up` was told to set at start: the queue timeout, and the certificates of
/// a first start. Only the writer applies them.
async fn apply_start_settings(
    config: &NodeConfig,
    handle: &EngineHandle<Hub>,
) -> Result<(), NodeError> {
    if let Some(timeout) = config.queue_timeout_seconds {
        let current = handle.query_async(|hub| hub.config().clone()).await?;
        if current.queue_timeout_seconds != timeout {
            let mut wanted = current;
            wanted.queue_timeout_seconds = timeout;
            handle
                .submit_async(HubCommand::Configure(wanted))
                .await?
                .map_err(NodeError::Refused)?;
        }
    }
    register_certificates(&config.register_certificates, handle).await
}

/// On a standby, each batch of records applied may change what the gateway caches (the
/// credentials, the hit threshold) and what long polls wait for.
async fn follow_applied(state: Arc<AppState>, mut applied: watch::Receiver<u64>) {
    let mut tried = Vec::new();
    while applied.changed().await.is_ok() {
        state.changed();
        if let Err(e) = state.refresh_directory().await {
            tracing::warn!(error = ?e, "the credential directory could not be refreshed");
        }
        if let Ok(threshold) = state
            .engine
            .query_async(|hub| hub.compliance().config().hit_threshold)
            .await
        {
            state
                .hit_threshold
                .store(threshold, std::sync::atomic::Ordering::Relaxed);
        }
        reload_lists_if_needed(&state, &mut tried).await;
    }
}

/// Another node loaded a list the hub now screens against: read the stored lists again,
/// once per set of versions missing (a list stored but never recorded stays missing, and
/// must not be read again after every batch).
async fn reload_lists_if_needed(
    state: &Arc<AppState>,
    tried: &mut Vec<corridor_settlement::ListVersionRef>,
) {
    let Ok(missing) = lists_not_loaded(&state.screening, &state.engine).await else {
        return;
    };
    if missing.is_empty() || missing == *tried {
        return;
    }
    *tried = missing;
    let worker = state.clone();
    match tokio::task::spawn_blocking(move || worker.screening.reload()).await {
        Ok(Ok(())) => tracing::info!("watchlists reloaded: the hub recorded a new version"),
        Ok(Err(e)) => tracing::error!(error = %e, "the stored watchlists could not be reloaded"),
        Err(_) => {}
    }
}

/// Registers each certificate of the given files for the subject it names, on a hub with no
/// certificate registered yet only: afterwards the operator registers and revokes through
/// the API, and a restart with the same files must not bring back a revoked certificate.
async fn register_certificates(
    files: &[PathBuf],
    engine: &EngineHandle<Hub>,
) -> Result<(), NodeError> {
    let bootstrapped = engine
        .query_async(|hub| hub.credentials().next().is_some())
        .await?;
    if bootstrapped {
        if !files.is_empty() {
            tracing::info!(
                "certificates are already registered: the files given to register at start are ignored; use the API"
            );
        }
        return Ok(());
    }
    for path in files {
        for identity in tls::certificate_identities(path)? {
            let command = HubCommand::RegisterCredential {
                subject: identity.common_name,
                fingerprint_sha256: identity.fingerprint_sha256,
            };
            engine
                .submit_async(command)
                .await?
                .map_err(NodeError::Refused)?;
        }
    }
    Ok(())
}

/// `/metrics` alone, on its own address, for a scraper that holds no credentials.
#[derive(Debug)]
struct MetricsServer {
    addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl MetricsServer {
    async fn start(
        addr: SocketAddr,
        state: Arc<AppState>,
        limits: ConnectionLimits,
    ) -> Result<MetricsServer, NodeError> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| NodeError::Listen { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| NodeError::Listen { addr, source })?;
        let app = axum::Router::new().route(
            "/metrics",
            axum::routing::get(move || async move { crate::api::scrape(&state).await }),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        let task = tokio::spawn(serve_plain(listener, app, limits, shutdown));
        Ok(MetricsServer { addr, stop, task })
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// The data directory holds customer names, IBANs and credential digests: everything the
/// node writes there is private to its user, and anything looser (an older build, a copy
/// made by hand) is reported at start.
fn warn_if_readable_by_others(data_dir: &std::path::Path) {
    match corridor_engine::private::loose_entries(data_dir) {
        Ok(loose) => {
            for entry in loose {
                tracing::warn!(
                    path = %entry.path.display(),
                    mode = format!("{:o}", entry.mode),
                    "readable by other users of this machine: the data directory should be 0700 and its files 0600"
                );
            }
        }
        Err(error) => {
            tracing::warn!(%error, "cannot check the data directory's permissions");
        }
    }
}

/// Loads the stored lists and the name dictionary, and says loudly what screening lacks: no
/// dictionary, or a list the hub has on record that this node cannot load (payments are
/// then held as screened against a superseded version, never let through).
async fn open_screening(
    config: &NodeConfig,
    engine: &EngineHandle<Hub>,
) -> Result<ScreeningService, NodeError> {
    let dictionary = match crate::screening::read_dictionary(config.reference_dir.as_deref()) {
        Ok(d) => Some(d),
        Err(why) => {
            tracing::warn!(
                "screening without the cross-script name dictionary ({why}): Arabic-script names will match Latin spellings less well; see the README, section Screening"
            );
            None
        }
    };
    let store = match &config.postgres {
        Some(pg) => ListStore::Database(PgListStore::new(JournalUrl::new(&pg.url))),
        None => ListStore::in_data_dir(&config.data_dir)?,
    };
    let service = tokio::task::spawn_blocking(move || ScreeningService::open(store, dictionary))
        .await
        .map_err(|_| NodeError::Interrupted)??;
    for version in lists_not_loaded(&service, engine).await? {
        tracing::error!(
            list = %version.list,
            date = %version.date,
            "the hub screens against this list version but the data directory does not hold it: payments will be held until it is loaded again"
        );
    }
    Ok(service)
}

/// The list versions the hub screens against that `service` has not loaded.
async fn lists_not_loaded(
    service: &ScreeningService,
    engine: &EngineHandle<Hub>,
) -> Result<Vec<corridor_settlement::ListVersionRef>, EngineError> {
    let recorded = engine
        .query_async(|hub| hub.compliance().lists().cloned().collect::<Vec<_>>())
        .await?;
    let loaded = service
        .versions()
        .iter()
        .map(crate::screening::version_ref)
        .collect::<Vec<_>>();
    Ok(recorded
        .into_iter()
        .filter(|v| !loaded.contains(v))
        .collect())
}

/// Queue timeouts are applied when a command runs; with no traffic, this submits a `Tick`
/// once the earliest deadline has passed.
async fn tick(state: Arc<AppState>) {
    let mut interval = tokio::time::interval(Duration::from_millis(500));
    loop {
        interval.tick().await;
        let due = state.engine.query_async(|hub| hub.next_deadline()).await;
        let now = (corridor_engine::system_clock())();
        match due {
            Ok(Some(deadline)) if deadline <= now => {
                if state.engine.submit_async(HubCommand::Tick).await.is_ok() {
                    state.changed();
                }
            }
            // A full inbox means the engine is busy; a writer whose journal failed is
            // stepping down: the next tick asks again either way.
            Ok(_) | Err(_) => {}
        }
    }
}
