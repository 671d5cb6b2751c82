//! Starting and stopping a node: the engine over the hub, the screening service, the
//! HTTP(S) listener serving the router, and the background ticker that lets queue timeouts
//! fire when no request arrives.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicU16;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use corridor_core::Bic;
use corridor_engine::{Engine, EngineConfig, EngineError, EngineHandle};
use corridor_settlement::{Hub, HubCommand};
use tokio::sync::watch;

use crate::auth::{Directory, RateLimiter};
use crate::metrics::Metrics;
use crate::routes::router;
use crate::screening::ScreeningService;
use crate::state::AppState;
use crate::tls::{self, TlsSettings};

#[derive(Debug, Clone)]
pub struct NodeConfig {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// Mutual TLS: clients must present a certificate from `client_ca`.
    pub tls: Option<TlsSettings>,
    /// Development bearer tokens. Off unless asked for.
    pub token_mode: bool,
    pub rate_limit_per_second: u32,
    /// Applied at start-up if it differs from the hub's.
    pub queue_timeout_seconds: Option<u32>,
    /// The hub's own BIC: the `Fr` of the ISO 20022 messages it writes.
    pub hub_bic: Bic,
    /// Where reference data for screening lives (`person_names.txt`, the cross-script
    /// name dictionary). Without it screening works on transliteration alone, less well.
    pub reference_dir: Option<PathBuf>,
}

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
            rate_limit_per_second: 20_000,
            queue_timeout_seconds: None,
            hub_bic: default_hub_bic(),
            reference_dir: None,
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
    #[error("screening: {0}")]
    Screening(#[from] crate::screening::ScreeningError),
}

/// A running node. [`RunningNode::shutdown`] stops accepting, finishes what was accepted,
/// writes a final snapshot and stops the engine.
#[derive(Debug)]
pub struct RunningNode {
    addr: SocketAddr,
    state: Arc<AppState>,
    engine: Option<Engine<Hub>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    ticker: tokio::task::JoinHandle<()>,
}

impl RunningNode {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
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
        if let Some(engine) = self.engine.take() {
            let _ = tokio::task::spawn_blocking(move || engine.shutdown()).await;
        }
    }
}

pub async fn start(config: NodeConfig) -> Result<RunningNode, NodeError> {
    if config.tls.is_none() && !config.token_mode {
        return Err(NodeError::NoAuthentication);
    }
    let metrics = Metrics::new()?;
    let mut engine_config = EngineConfig::new(&config.data_dir);
    engine_config.reserve_transfers = 1 << 20;
    let fsync = metrics.fsync_latency.clone();
    engine_config.sync_observer = Some(Arc::new(move |d| fsync.observe(d.as_secs_f64())));
    let engine = tokio::task::spawn_blocking(move || Engine::<Hub>::open(engine_config))
        .await
        .map_err(|e| NodeError::Listen {
            addr: config.listen,
            source: std::io::Error::other(e),
        })??;
    tracing::info!(recovered = %engine.recovery().report.last_seq, "journal records recovered");
    let handle = engine.handle();
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
    let directory = handle.query_async(Directory::from_hub).await?;
    let screening = open_screening(&config, &handle).await?;
    let hit_threshold = handle
        .query_async(|hub| hub.compliance().config().hit_threshold)
        .await?;
    let state = Arc::new(AppState {
        engine: handle.clone(),
        directory: RwLock::new(directory),
        token_mode: config.token_mode,
        limiter: RateLimiter::new(config.rate_limit_per_second),
        metrics,
        changes: watch::channel(0).0,
        outbox_signals: Default::default(),
        hub_bic: config.hub_bic,
        screening,
        hit_threshold: AtomicU16::new(hit_threshold),
    });
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
    let app = router(state.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        let _ = stopped.await;
    };
    let server = match &config.tls {
        Some(settings) => {
            let tls_config = tls::server_config(settings)?;
            tokio::spawn(tls::serve_tls(listener, tls_config, app, shutdown))
        }
        None => tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
        }),
    };
    let ticker = tokio::spawn(tick(state.clone()));
    Ok(RunningNode {
        addr,
        state,
        engine: Some(engine),
        stop: Some(stop),
        server: Some(server),
        ticker,
    })
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
    let service = ScreeningService::open(&config.data_dir, dictionary)?;
    let recorded = engine
        .query_async(|hub| hub.compliance().lists().cloned().collect::<Vec<_>>())
        .await?;
    let loaded = service
        .versions()
        .iter()
        .map(crate::screening::version_ref)
        .collect::<Vec<_>>();
    for version in recorded.iter().filter(|v| !loaded.contains(v)) {
        tracing::error!(
            list = %version.list,
            date = %version.date,
            "the hub screens against this list version but the data directory does not hold it: payments will be held until it is loaded again"
        );
    }
    Ok(service)
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
            Ok(_) => {}
            Err(_) => return,
        }
    }
}
