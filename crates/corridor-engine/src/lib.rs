//! The engine: the single writer of Corridor's state. Callers on any thread submit
//! requests through an [`EngineHandle`]; the engine thread gathers the requests waiting (up
//! to `max_batch_events` events), stamps them with one engine time, applies them to the
//! [`StateMachine`] (the bare ledger, or the settlement hub that wraps it) and hands the
//! batch to the journal thread, which appends it as one record, makes it durable (one sync
//! or one transaction for every record waiting: group commit) and only then releases the
//! results. While the journal thread syncs batch N, the engine thread applies batch N+1: the
//! two cores overlap, and no result ever leaves before it is durable. Each request is
//! encoded into the batch's record before it is applied, so one the journal could not hold
//! is refused with [`EngineError::Encode`] and changes nothing.
//!
//! The journal is a [`JournalWriter`] and [`SnapshotSink`]: the embedded segment files
//! ([`Engine::open`]) or any other backend ([`Engine::start`]). An engine is the writer or
//! a standby: a standby applies records another writer made durable
//! ([`EngineHandle::replicate`]), serves reads and refuses writes with
//! [`EngineError::NotWriter`]; it becomes the writer with [`EngineHandle::promote`] and any
//! engine goes back to standby, on a state rebuilt from the journal, with
//! [`EngineHandle::demote`]. Writing fails stop: if the journal cannot be written, the
//! engine refuses all further work, because its memory is then ahead of the journal.

mod config;
mod engine_loop;
mod error;
pub mod record;
mod recovery;
mod role;

use std::sync::Arc;
use std::thread::JoinHandle;

pub use config::{Clock, DEFAULT_INBOX_CAPACITY, EngineConfig, SyncObserver, system_clock};
/// Directories 0700 and files 0600 under the data directory, for every crate that writes
/// there.
pub use corridor_journal::private;
use corridor_journal::{Journal, JournalError, ScanMode, SnapshotStore};
use corridor_ledger::StateMachine;
use crossbeam_channel::{Sender, TrySendError};
use engine_loop::{EngineLoop, Release, Request};
pub use error::EngineError;
pub use recovery::{
    Applied, EmbeddedSource, Recovery, StartFrom, apply_record, journal_dir, recover, recover_from,
    snapshot_dir,
};
use role::SharedStatus;
pub use role::{EngineStatus, Role, Storage};

/// What a caller does when the inbox is full: a thread of its own may wait; an async task
/// must not hold its runtime thread, so it is refused.
#[derive(Clone, Copy)]
enum Wait {
    Block,
    Refuse,
}

/// A running engine. Drop it or call [`Engine::shutdown`] to stop.
pub struct Engine<S: StateMachine> {
    handle: EngineHandle<S>,
    engine_thread: Option<JoinHandle<()>>,
    recovery: Recovery,
}

/// A cheap, cloneable way in to the engine, for any number of threads or connections.
pub struct EngineHandle<S: StateMachine> {
    requests: Sender<Request<S>>,
    inbox_capacity: usize,
    status: Arc<SharedStatus>,
}

impl<S: StateMachine> Clone for EngineHandle<S> {
    fn clone(&self) -> Self {
        EngineHandle {
            requests: self.requests.clone(),
            inbox_capacity: self.inbox_capacity,
            status: self.status.clone(),
        }
    }
}

impl<S: StateMachine> std::fmt::Debug for EngineHandle<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineHandle").finish_non_exhaustive()
    }
}

impl<S: StateMachine> std::fmt::Debug for Engine<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("recovery", &self.recovery)
            .finish_non_exhaustive()
    }
}

impl<S: StateMachine + Default> Engine<S> {
    /// Recovers the state from the embedded journal in `config.data_dir` and starts the
    /// engine as its writer.
    pub fn open(config: EngineConfig) -> Result<Engine<S>, EngineError> {
        let lock = recovery::lock_data_dir(&config.data_dir)?;
        let (mut state, recovery) = recover::<S>(
            &config.data_dir,
            ScanMode::Repair,
            StartFrom::LatestSnapshot,
        )?;
        state.reserve_transfers(config.reserve_transfers);
        let report = recovery.report.clone().unwrap_or_default();
        let journal = Journal::open(
            &journal_dir(&config.data_dir),
            config.journal.clone(),
            &report,
        )?;
        tracing::info!(
            data_dir = %config.data_dir.display(),
            snapshot = ?recovery.snapshot_seq,
            replayed_records = recovery.replayed_records,
            replayed_events = recovery.replayed_events,
            state = %state.summary(),
            "state recovered"
        );
        let storage = Storage {
            writer: Box::new(journal),
            snapshots: Box::new(SnapshotStore::new(&snapshot_dir(&config.data_dir))),
        };
        Engine::start(config, state, recovery, Some(storage), Some(lock))
    }
}

impl<S: StateMachine> Engine<S> {
    /// Starts the engine threads on a recovered `state`: the writer when `storage` is given
    /// (whose next record must follow `recovery.last_seq`), a standby otherwise.
    pub fn start(
        config: EngineConfig,
        state: S,
        recovery: Recovery,
        storage: Option<Storage>,
        lock: Option<std::fs::File>,
    ) -> Result<Engine<S>, EngineError> {
        let inbox_capacity = config.inbox_capacity.max(1);
        let (requests, inbox) = crossbeam_channel::bounded(inbox_capacity);
        let data_dir = config.data_dir.clone();
        let status = Arc::new(SharedStatus::default());
        let mut engine_loop = EngineLoop::new(
            state,
            recovery.last_seq,
            storage,
            config,
            inbox,
            lock,
            status.clone(),
        )?;
        let engine_thread = std::thread::Builder::new()
            .name("corridor-engine".into())
            .spawn(move || engine_loop.run())
            .map_err(|source| JournalError::Io {
                path: data_dir,
                source,
            })?;
        Ok(Engine {
            handle: EngineHandle {
                requests,
                inbox_capacity,
                status,
            },
            engine_thread: Some(engine_thread),
            recovery,
        })
    }

    pub fn handle(&self) -> EngineHandle<S> {
        self.handle.clone()
    }

    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// Finishes every accepted request, writes a final snapshot (as the writer) and stops
    /// the threads.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.handle.send(Request::Shutdown, Wait::Block);
        if let Some(thread) = self.engine_thread.take() {
            let _ = thread.join();
        }
    }
}

impl<S: StateMachine> Drop for Engine<S> {
    fn drop(&mut self) {
        self.stop();
    }
}

impl<S: StateMachine> EngineHandle<S> {
    fn send(&self, request: Request<S>, wait: Wait) -> Result<(), EngineError> {
        match wait {
            Wait::Block => self
                .requests
                .send(request)
                .map_err(|_| EngineError::Stopped),
            Wait::Refuse => self.requests.try_send(request).map_err(|e| match e {
                TrySendError::Full(_) => EngineError::Busy {
                    capacity: self.inbox_capacity,
                },
                TrySendError::Disconnected(_) => EngineError::Stopped,
            }),
        }
    }

    /// Sends a request built around a reply channel and waits for the answer.
    fn ask<T>(
        &self,
        request: impl FnOnce(engine_loop::Reply<T>) -> Request<S>,
    ) -> Result<T, EngineError> {
        let (reply, answer) = oneshot::channel();
        self.send(request(reply), Wait::Block)?;
        answer.recv().map_err(|_| EngineError::Stopped)?
    }

    fn start_submit(
        &self,
        request: S::Request,
        wait: Wait,
    ) -> Result<oneshot::Receiver<Result<S::Outcome, EngineError>>, EngineError> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Submit { request, reply }, wait)?;
        Ok(answer)
    }

    /// Applies `request` as one unit (a linked chain never spans two requests) and returns
    /// its outcome once it is durable. Blocks the calling thread, also while the inbox is
    /// full.
    pub fn submit(&self, request: S::Request) -> Result<S::Outcome, EngineError> {
        self.start_submit(request, Wait::Block)?
            .recv()
            .map_err(|_| EngineError::Stopped)?
    }

    /// [`EngineHandle::submit`] for async callers; never blocks the executor. The request is
    /// handed to the engine when this is called, not when the future is first polled: a
    /// full inbox refuses it at once with [`EngineError::Busy`].
    pub fn submit_async(
        &self,
        request: S::Request,
    ) -> impl Future<Output = Result<S::Outcome, EngineError>> + Send + use<S> {
        let answer = self.start_submit(request, Wait::Refuse);
        async move { answer?.await.map_err(|_| EngineError::Stopped)? }
    }

    fn start_query<T: Send + 'static>(
        &self,
        read: impl FnOnce(&S) -> T + Send + 'static,
        wait: Wait,
    ) -> Result<oneshot::Receiver<Result<T, EngineError>>, EngineError> {
        let (reply, answer) = oneshot::channel();
        let query = Request::Query(Box::new(move |state: &S| {
            let value = read(state);
            Box::new(move |durable: Result<(), Arc<str>>| {
                let _ = reply.send(
                    durable
                        .map(|()| value)
                        .map_err(|reason| EngineError::JournalFailed { reason }),
                );
            }) as Release
        }));
        self.send(query, wait)?;
        Ok(answer)
    }

    /// Reads the state in the total order of requests: the answer reflects every request
    /// submitted before it and is released only once those are durable.
    pub fn query<T: Send + 'static>(
        &self,
        read: impl FnOnce(&S) -> T + Send + 'static,
    ) -> Result<T, EngineError> {
        self.start_query(read, Wait::Block)?
            .recv()
            .map_err(|_| EngineError::Stopped)?
    }

    /// [`EngineHandle::query`] for async callers: like [`EngineHandle::submit_async`], it
    /// never blocks the executor and a full inbox refuses it at once with
    /// [`EngineError::Busy`].
    pub fn query_async<T: Send + 'static, F: FnOnce(&S) -> T + Send + 'static>(
        &self,
        read: F,
    ) -> impl Future<Output = Result<T, EngineError>> + Send + use<S, T, F> {
        let answer = self.start_query(read, Wait::Refuse);
        async move { answer?.await.map_err(|_| EngineError::Stopped)? }
    }

    /// Writes a snapshot now; returns the number of the last record it covers.
    pub fn snapshot(&self) -> Result<u64, EngineError> {
        self.ask(Request::Snapshot)
    }

    /// On a standby: applies records a writer made durable, which must continue from the
    /// last one applied. Returns the number of the last record now applied.
    pub fn replicate(&self, records: Vec<(u64, Vec<u8>)>) -> Result<u64, EngineError> {
        self.ask(|reply| Request::Replicate { records, reply })
    }

    /// Makes a standby the writer, appending to `storage`, whose next record must follow
    /// the last one applied.
    pub fn promote(&self, storage: Storage) -> Result<(), EngineError> {
        self.ask(|reply| Request::Promote { storage, reply })
    }

    /// Makes the engine a standby on `state`, the journal's state after record
    /// `applied_seq`: what a writer does once its journal refused it (another writer took
    /// over, or the journal was lost).
    pub fn demote(&self, state: S, applied_seq: u64) -> Result<(), EngineError> {
        self.ask(|reply| Request::Demote {
            state: Box::new(state),
            applied_seq,
            reply,
        })
    }

    /// Where a standby says the writer is when it refuses a write.
    pub fn set_writer_hint(&self, writer: Option<String>) {
        self.status.set_writer_hint(writer.map(Arc::from));
    }

    /// The engine's role, the last record applied and any journal failure, at once: it
    /// does not wait behind the requests in the inbox.
    pub fn status(&self) -> EngineStatus {
        self.status.read()
    }
}
