//! Starting and stopping a node: the engine over the hub, the HTTP(S) listener, the router,
//! and the background ticker that lets queue timeouts fire when no request arrives.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicU16;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use corridor_core::Bic;
use corridor_engine::{Engine, EngineConfig, EngineError, EngineHandle};
use corridor_settlement::{Hub, HubCommand};
use rand::Rng;
use tokio::sync::watch;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::auth::{Directory, RateLimiter, token_sha256};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::screening::ScreeningService;
use crate::tls::{self, TlsSettings};
use crate::{api, compliance_api, fx_api, iso_api, recall_api};

/// Every body but a batch's is small; a batch of 10,000 payments with full party data is a
/// few megabytes.
pub const BODY_LIMIT: usize = 64 * 1024;
pub const BATCH_BODY_LIMIT: usize = 32 * 1024 * 1024;

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

#[derive(Debug)]
pub struct AppState {
    pub engine: EngineHandle<Hub>,
    pub directory: RwLock<Directory>,
    pub token_mode: bool,
    pub limiter: RateLimiter,
    pub metrics: Metrics,
    /// Bumped after every change, to wake long polls and event streams.
    pub changes: watch::Sender<u64>,
    pub hub_bic: Bic,
    pub screening: ScreeningService,
    /// The hub's hit threshold, cached here because every payment needs it and only this
    /// node changes it.
    pub hit_threshold: AtomicU16,
}

impl AppState {
    pub fn changed(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub async fn refresh_directory(&self) -> Result<(), ApiError> {
        let directory = self.engine.query_async(Directory::from_hub).await?;
        *self
            .directory
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = directory;
        Ok(())
    }

    pub async fn register_token(&self, token: &str, subject: &str) -> Result<(), ApiError> {
        let command = HubCommand::RegisterToken {
            token_sha256: token_sha256(token),
            subject: subject.to_string(),
        };
        self.engine.submit_async(command).await??;
        self.refresh_directory().await
    }
}

/// A random bearer token: 256 bits, hex, with a prefix that makes a leaked one easy to spot.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    format!("corridor_dev_{}", hex::encode(bytes))
}

pub fn router(state: Arc<AppState>) -> Router {
    let (router, _) = api_router().split_for_parts();
    router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .with_state(state)
}

/// Every route with its OpenAPI description. Only the batch route accepts a large body.
pub fn api_router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::with_openapi(crate::openapi::base())
        .routes(routes!(api::health))
        .routes(routes!(api::ready))
        .routes(routes!(api::metrics))
        .routes(routes!(crate::openapi::document))
        .routes(routes!(api::list_participants, api::admit))
        .routes(routes!(api::get_participant))
        .routes(routes!(api::suspend))
        .routes(routes!(api::reinstate))
        .routes(routes!(api::list_currencies, api::designate))
        .routes(routes!(api::list_accounts, api::open_account))
        .routes(routes!(api::get_account))
        .routes(routes!(api::set_cap))
        .routes(routes!(api::statement))
        .routes(routes!(api::liquidity))
        .routes(routes!(api::issue_token))
        .routes(routes!(api::configure))
        .routes(routes!(api::end_of_day))
        .routes(routes!(api::search_payments, api::submit_payment))
        .routes(routes!(api::submit_batch).layer(DefaultBodyLimit::max(BATCH_BODY_LIMIT)))
        .routes(routes!(api::get_payment))
        .routes(routes!(fx_api::list_sheets, fx_api::publish_sheet))
        .routes(routes!(
            fx_api::list_reference_rates,
            fx_api::publish_reference_rates
        ))
        .routes(routes!(fx_api::request_quote))
        .routes(routes!(fx_api::get_quote))
        .routes(routes!(api::cancel_payment))
        .routes(routes!(api::return_payment))
        .routes(routes!(recall_api::recall_payment))
        .routes(routes!(recall_api::list_recalls))
        .routes(routes!(recall_api::answer_recall))
        .routes(routes!(iso_api::submit_iso).layer(DefaultBodyLimit::max(iso_api::ISO_BODY_LIMIT)))
        .routes(routes!(api::outbox))
        .routes(routes!(api::acknowledge))
        .routes(routes!(api::outbox_stream))
        .routes(routes!(compliance_api::list_holds))
        .routes(routes!(compliance_api::get_hold))
        .routes(routes!(compliance_api::decide))
        .routes(routes!(compliance_api::false_positives))
        .routes(routes!(compliance_api::audit))
        .routes(routes!(
            compliance_api::get_config,
            compliance_api::set_config
        ))
        .routes(routes!(compliance_api::list_versions))
        .routes(routes!(compliance_api::list_cases))
        .routes(routes!(compliance_api::get_case))
        .routes(routes!(compliance_api::work_case))
        .routes(routes!(
            compliance_api::get_monitoring,
            compliance_api::set_monitoring
        ))
        .routes(
            routes!(compliance_api::load_list)
                .layer(DefaultBodyLimit::max(compliance_api::LIST_BODY_LIMIT)),
        )
}

async fn count_requests(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    let class = match response.status().as_u16() {
        200..=299 => "2xx",
        400..=499 => "4xx",
        500..=599 => "5xx",
        _ => "other",
    };
    state.metrics.requests.with_label_values(&[class]).inc();
    response
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
