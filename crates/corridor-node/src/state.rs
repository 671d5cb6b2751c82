//! What every request handler shares: the engine handle, the authentication directory, the
//! rate limiter, metrics, the screening service and the change signals that wake long polls
//! and event streams.

use std::sync::atomic::AtomicU16;
use std::sync::{Arc, RwLock};

use corridor_core::{Bic, Timestamp};
use corridor_engine::EngineHandle;
use corridor_settlement::{Hub, HubCommand};
use tokio::sync::watch;

use crate::admission::Admission;
use crate::auth::{Directory, RateLimiter, token_sha256};
use crate::crl::ClientVerifier;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::outbox_signal::{OutboxSignals, Waiter};
use crate::replication::ReplicationStatus;
use crate::screening::ScreeningService;

#[derive(Debug)]
pub struct AppState {
    pub engine: EngineHandle<Hub>,
    pub directory: RwLock<Directory>,
    /// One directory refresh at a time, so a copy read earlier never replaces a later one
    /// (a revocation would come back to life).
    pub directory_refresh: tokio::sync::Mutex<()>,
    pub token_mode: bool,
    /// Bearer tokens are also accepted over mutual TLS (from a client whose certificate is
    /// registered); without it a token sent over mTLS is refused.
    pub tokens_with_mtls: bool,
    /// How long a token issued by this node is valid.
    pub token_ttl_seconds: u64,
    /// The mutual TLS client verifier, whose revocation list the operator can have re-read.
    pub client_verifier: Option<Arc<ClientVerifier>>,
    pub limiter: RateLimiter,
    /// Limits applied before any handler: per peer address, and large bodies in flight.
    pub admission: Arc<Admission>,
    pub metrics: Metrics,
    /// Bumped after every change; the outbox signals turn it into wake-ups per participant.
    pub changes: watch::Sender<u64>,
    /// Wakes a participant's long polls and streams when its outbox grows, and caps them.
    pub outbox_signals: Arc<OutboxSignals>,
    pub hub_bic: Bic,
    pub screening: ScreeningService,
    /// The hub's hit threshold, cached here because every payment needs it and only this
    /// node changes it.
    pub hit_threshold: AtomicU16,
    /// The node's role on a shared PostgreSQL journal; `None` on the embedded journal,
    /// where the node is always the writer.
    pub replication: Option<Arc<ReplicationStatus>>,
}

impl AppState {
    /// A long poll or stream of `bic`'s outbox (see [`OutboxSignals::wait_for`]).
    pub fn wait_for_outbox(&self, bic: Bic) -> Result<Waiter, ApiError> {
        self.outbox_signals
            .wait_for(bic, &self.engine, &self.changes)
    }

    /// The refusal a standby gives a write, before the write does anything of its own.
    pub fn standby_refusal(&self) -> Option<ApiError> {
        let status = self.engine.status();
        if status.role == corridor_engine::Role::Writer {
            return None;
        }
        Some(ApiError::from(corridor_engine::EngineError::NotWriter {
            writer: status.writer_hint,
        }))
    }

    pub fn changed(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Copies the hub's credentials into the gateway's directory. It follows a credential
    /// change the hub has already made, so it waits for room in a full engine inbox rather
    /// than give up: a revocation the gateway missed would go on authenticating.
    pub async fn refresh_directory(&self) -> Result<(), ApiError> {
        let _one_at_a_time = self.directory_refresh.lock().await;
        let engine = self.engine.clone();
        let directory = tokio::task::spawn_blocking(move || engine.query(Directory::from_hub))
            .await
            .map_err(|e| ApiError::unwritable("the credential directory", e))??;
        *self
            .directory
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = directory;
        Ok(())
    }

    /// Registers `token` for `subject` for this node's token lifetime; returns its expiry.
    pub async fn register_token(&self, token: &str, subject: &str) -> Result<Timestamp, ApiError> {
        let now = (corridor_engine::system_clock())();
        let ttl_ns = self.token_ttl_seconds.saturating_mul(1_000_000_000);
        let expires_at = Timestamp(now.0.saturating_add(ttl_ns));
        let command = HubCommand::IssueToken {
            token_sha256: token_sha256(token),
            subject: subject.to_string(),
            expires_at,
        };
        self.engine.submit_async(command).await??;
        self.refresh_directory().await?;
        Ok(expires_at)
    }
}
