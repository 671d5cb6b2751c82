//! Wakes a participant's long polls and event streams only when its own outbox grows, and
//! caps how many of them one participant holds open. One watcher task per node turns the
//! node's change counter into per-participant signals: after a burst of commands it reads,
//! in one engine query, the last message number of each outbox someone waits on, and wakes
//! only the waiters of the outboxes that grew.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use axum::http::StatusCode;
use corridor_core::Bic;
use corridor_engine::{EngineError, EngineHandle};
use corridor_settlement::Hub;
use tokio::sync::watch;

use crate::error::{ApiError, AppResult};

/// How long the watcher waits before reading again when the engine inbox is full.
const BUSY_RETRY: std::time::Duration = std::time::Duration::from_millis(50);

/// Long polls and event streams one participant may hold open at once; one more is refused
/// with 429. A bank needs one stream; a few allow a reconnect before the old one is gone.
pub const MAX_WAITERS_PER_PARTICIPANT: usize = 4;

#[derive(Debug, Default)]
pub struct OutboxSignals {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    watched: HashMap<Bic, Watched>,
    watcher_started: bool,
}

/// The waiters on one outbox: how many, and its last message number as last published.
#[derive(Debug)]
struct Watched {
    last_seq: watch::Sender<u64>,
    open: usize,
}

/// One open long poll or stream: its wake-ups, and its place under the cap until dropped.
#[derive(Debug)]
pub struct Waiter {
    signals: Arc<OutboxSignals>,
    bic: Bic,
    receiver: watch::Receiver<u64>,
}

impl OutboxSignals {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a waiter on `bic`'s outbox, or refuses it with 429 when `bic` already holds
    /// `MAX_WAITERS_PER_PARTICIPANT` open. Starts the node's watcher, which reads the
    /// outboxes through `engine` after each bump of `changes`, on first use.
    pub fn wait_for(
        self: &Arc<Self>,
        bic: Bic,
        engine: &EngineHandle<Hub>,
        changes: &watch::Sender<u64>,
    ) -> AppResult<Waiter> {
        let (receiver, first) = self.register(bic)?;
        if first {
            let watcher = watch_outboxes(Arc::downgrade(self), engine.clone(), changes.subscribe());
            tokio::spawn(watcher);
        }
        Ok(Waiter {
            signals: Arc::clone(self),
            bic,
            receiver,
        })
    }

    /// A new waiter's wake-ups, and whether it is the node's first (the watcher is to start).
    fn register(&self, bic: Bic) -> AppResult<(watch::Receiver<u64>, bool)> {
        let mut inner = self.lock();
        let watched = inner.watched.entry(bic).or_insert_with(|| Watched {
            last_seq: watch::channel(0).0,
            open: 0,
        });
        if watched.open >= MAX_WAITERS_PER_PARTICIPANT {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE",
                format!(
                    "{bic} already holds {MAX_WAITERS_PER_PARTICIPANT} long polls or streams open"
                ),
            ));
        }
        watched.open += 1;
        let receiver = watched.last_seq.subscribe();
        let first = !std::mem::replace(&mut inner.watcher_started, true);
        Ok((receiver, first))
    }

    /// The participants someone waits on.
    fn watched(&self) -> Vec<Bic> {
        self.lock().watched.keys().copied().collect()
    }

    /// Publishes each outbox's last message number: only the waiters of an outbox whose
    /// number rose are woken.
    pub fn publish(&self, last_seqs: impl IntoIterator<Item = (Bic, u64)>) {
        let inner = self.lock();
        for (bic, seq) in last_seqs {
            if let Some(watched) = inner.watched.get(&bic) {
                watched.last_seq.send_if_modified(|last| {
                    let grew = seq > *last;
                    *last = (*last).max(seq);
                    grew
                });
            }
        }
    }

    fn release(&self, bic: Bic) {
        let mut inner = self.lock();
        let Some(watched) = inner.watched.get_mut(&bic) else {
            return;
        };
        watched.open = watched.open.saturating_sub(1);
        if watched.open == 0 {
            inner.watched.remove(&bic);
        }
    }
}

impl Waiter {
    /// Waits until the participant's outbox grows; false when the node is stopping.
    pub async fn changed(&mut self) -> bool {
        self.receiver.changed().await.is_ok()
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        self.signals.release(self.bic);
    }
}

/// The node's watcher: after each change (a burst of them counts once, while it reads),
/// publishes the last message number of every outbox someone waits on. It ends with the
/// node (its change counter or its signals gone, or the engine stopped).
async fn watch_outboxes(
    signals: Weak<OutboxSignals>,
    engine: EngineHandle<Hub>,
    mut changes: watch::Receiver<u64>,
) {
    while changes.changed().await.is_ok() {
        let Some(signals) = signals.upgrade() else {
            return;
        };
        let watched = signals.watched();
        if watched.is_empty() {
            continue;
        }
        let read = engine.query_async(move |hub| {
            watched
                .into_iter()
                .map(|bic| (bic, hub.outbox(bic).map_or(0, |o| o.last_seq())))
                .collect::<Vec<_>>()
        });
        match read.await {
            Ok(last_seqs) => signals.publish(last_seqs),
            // A full inbox means the engine is busy, not gone: read again shortly, whether
            // or not anything changes meanwhile, so no waiter misses what it waits for.
            Err(EngineError::Busy { .. }) => {
                tokio::time::sleep(BUSY_RETRY).await;
                changes.mark_changed();
            }
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bic(text: &str) -> Bic {
        text.parse().unwrap()
    }

    #[test]
    fn only_the_waiters_of_an_outbox_that_grew_are_woken() {
        let signals = OutboxSignals::default();
        let (volga, first) = signals.register(bic("VOLGRUMM")).unwrap();
        assert!(first);
        let (mut neva, first) = signals.register(bic("NEVARUMM")).unwrap();
        assert!(!first);
        signals.publish([(bic("NEVARUMM"), 3)]);
        assert!(!volga.has_changed().unwrap());
        assert!(neva.has_changed().unwrap());
        neva.borrow_and_update();
        signals.publish([(bic("VOLGRUMM"), 1), (bic("NEVARUMM"), 3)]);
        assert!(volga.has_changed().unwrap());
        assert!(!neva.has_changed().unwrap(), "its outbox did not grow");
    }

    #[test]
    fn a_participant_holds_at_most_its_cap_of_waiters() {
        let signals = OutboxSignals::default();
        let volga = bic("VOLGRUMM");
        let open: Vec<_> = (0..MAX_WAITERS_PER_PARTICIPANT)
            .map(|_| signals.register(volga).unwrap())
            .collect();
        let refused = signals.register(volga).unwrap_err();
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            signals.register(bic("NEVARUMM")).is_ok(),
            "another bank's cap"
        );
        signals.release(volga);
        assert!(signals.register(volga).is_ok());
        drop(open);
    }
}
