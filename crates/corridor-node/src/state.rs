//! What every request handler shares: the engine handle, the authentication directory, the
//! rate limiter, metrics, the screening service and the change signals that wake long polls
//! and event streams.

use std::sync::atomic::AtomicU16;
use std::sync::{Arc, RwLock};

use corridor_core::Bic;
use corridor_engine::EngineHandle;
use corridor_settlement::{Hub, HubCommand};
use tokio::sync::watch;

use crate::auth::{Directory, RateLimiter, token_sha256};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::outbox_signal::{OutboxSignals, Waiter};
use crate::screening::ScreeningService;

#[derive(Debug)]
pub struct AppState {
    pub engine: EngineHandle<Hub>,
    pub directory: RwLock<Directory>,
    pub token_mode: bool,
    pub limiter: RateLimiter,
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
}

impl AppState {
    /// A long poll or stream of `bic`'s outbox (see [`OutboxSignals::wait_for`]).
    pub fn wait_for_outbox(&self, bic: Bic) -> Result<Waiter, ApiError> {
        self.outbox_signals
            .wait_for(bic, &self.engine, &self.changes)
    }

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
