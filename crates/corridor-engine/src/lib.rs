//! The engine loop: the single writer of Corridor's state. Callers on any thread submit
//! requests through an [`EngineHandle`]; the engine thread gathers the requests waiting (up
//! to `max_batch_events` events), stamps them with one engine time, applies them to the
//! [`StateMachine`] (the bare ledger, or the settlement hub that wraps it) and hands the batch to the journal thread, which appends it
//! as one record, `fdatasync`s (one sync for every record waiting: group commit) and only then
//! releases the results. While the journal thread syncs batch N, the engine thread applies
//! batch N+1: the two cores overlap, and no result ever leaves before it is durable. Each
//! request is encoded into the batch's record before it is applied, so one the journal
//! could not hold is refused with [`EngineError::Encode`] and changes nothing.
//!
//! Recovery on [`Engine::open`]: latest snapshot, then replay of every journal record after
//! it. Writing fails stop: if the journal cannot be written, the engine refuses all further
//! work, because its memory is then ahead of the disk.

pub mod record;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use corridor_core::Timestamp;
/// Directories 0700 and files 0600 under the data directory, for every crate that writes
/// there.
pub use corridor_journal::private;
use corridor_journal::{Journal, JournalConfig, JournalError, ScanMode, ScanReport, SnapshotStore};
use corridor_ledger::{MachineError, StateMachine};
use crossbeam_channel::{Receiver, Sender, TrySendError};
use record::RecordBuilder;

/// Where engine time comes from. Tests and simulations pass their own.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Timestamp(u64::try_from(nanos).unwrap_or(u64::MAX))
    })
}

#[derive(Clone)]
pub struct EngineConfig {
    pub data_dir: PathBuf,
    pub journal: JournalConfig,
    /// Most events gathered into one batch (one journal record); a larger single request
    /// still goes through, alone.
    pub max_batch_events: usize,
    /// A snapshot is written after this many events, bounding recovery time.
    pub snapshot_every_events: u64,
    /// Room reserved in the transfer index at start-up (see `Ledger::reserve_transfers`).
    pub reserve_transfers: usize,
    pub clock: Clock,
    /// Told how long each group commit's `fdatasync` took (for metrics).
    pub sync_observer: Option<SyncObserver>,
    /// Requests waiting for the engine thread at most. Async callers are refused with
    /// [`EngineError::Busy`] beyond it rather than block a runtime thread; blocking callers
    /// wait.
    pub inbox_capacity: usize,
}

pub type SyncObserver = Arc<dyn Fn(std::time::Duration) + Send + Sync>;

impl std::fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineConfig")
            .field("data_dir", &self.data_dir)
            .field("journal", &self.journal)
            .field("max_batch_events", &self.max_batch_events)
            .field("snapshot_every_events", &self.snapshot_every_events)
            .field("reserve_transfers", &self.reserve_transfers)
            .field("inbox_capacity", &self.inbox_capacity)
            .finish_non_exhaustive()
    }
}

impl EngineConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> EngineConfig {
        EngineConfig {
            data_dir: data_dir.into(),
            journal: JournalConfig::default(),
            max_batch_events: 8_190,
            snapshot_every_events: 10_000_000,
            reserve_transfers: 1_000_000,
            clock: system_clock(),
            sync_observer: None,
            inbox_capacity: DEFAULT_INBOX_CAPACITY,
        }
    }

    fn journal_dir(&self) -> PathBuf {
        journal_dir(&self.data_dir)
    }
}

/// Room for two full batches of single-payment requests: enough that a busy engine is
/// never starved, small enough that a request waits milliseconds, not seconds.
pub const DEFAULT_INBOX_CAPACITY: usize = 16_384;

pub fn journal_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("journal")
}

pub fn snapshot_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("snapshots")
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("snapshot cannot be decoded: {0}")]
    Snapshot(MachineError),
    #[error("the state cannot be encoded for a snapshot: {0}")]
    SnapshotEncode(MachineError),
    #[error("the request cannot be encoded for the journal, so it was refused: {0}")]
    Encode(MachineError),
    #[error("recovered state breaks an invariant: {0}")]
    Invariant(MachineError),
    #[error("the engine stopped after a journal failure; restart the node to recover from disk")]
    Poisoned,
    #[error("the engine is shut down")]
    Stopped,
    #[error("{0} is in use by another running engine")]
    Locked(PathBuf),
    #[error("the engine's inbox is full ({capacity} requests waiting); retry shortly")]
    Busy { capacity: usize },
}

/// What a caller does when the inbox is full: a thread of its own may wait; an async task
/// must not hold its runtime thread, so it is refused.
#[derive(Clone, Copy)]
enum Wait {
    Block,
    Refuse,
}

/// Releases one caller's answer once the record holding its batch is durable (`Ok`) or the
/// journal failed (`Err`).
type Release = Box<dyn FnOnce(Result<(), Arc<str>>) + Send>;

enum Request<S: StateMachine> {
    Submit {
        request: S::Request,
        reply: oneshot::Sender<Result<S::Outcome, EngineError>>,
    },
    Query(Box<dyn FnOnce(&S) -> Release + Send>),
    Snapshot(oneshot::Sender<Result<u64, EngineError>>),
    Shutdown,
}

enum ToJournal {
    /// `record` is `None` when the batch held only queries.
    Batch {
        record: Option<Vec<u8>>,
        releases: Vec<Release>,
    },
    /// Answers once everything before it is durable, with the last record's number.
    Barrier(oneshot::Sender<Result<u64, Arc<str>>>),
}

/// What recovery did, for the start-up log line.
#[derive(Debug, Clone)]
pub struct Recovery {
    pub snapshot_seq: Option<u64>,
    pub replayed_records: u64,
    pub replayed_events: u64,
    pub report: ScanReport,
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
}

impl<S: StateMachine> Clone for EngineHandle<S> {
    fn clone(&self) -> Self {
        EngineHandle {
            requests: self.requests.clone(),
            inbox_capacity: self.inbox_capacity,
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

/// Takes the data directory's lock file. The OS releases it when the process dies, so a
/// crash never leaves a stale lock behind.
fn lock_data_dir(data_dir: &Path) -> Result<std::fs::File, EngineError> {
    let path = data_dir.join("LOCK");
    let io = |source| {
        EngineError::Journal(JournalError::Io {
            path: path.clone(),
            source,
        })
    };
    private::create_dir_all(data_dir).map_err(io)?;
    let file = private::file_options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(EngineError::Locked(data_dir.to_path_buf())),
        Err(std::fs::TryLockError::Error(source)) => Err(io(source)),
    }
}

/// Where recovery starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartFrom {
    /// The latest snapshot, then the journal after it: what start-up does.
    LatestSnapshot,
    /// An empty state and the whole journal: what `journal verify` compares against.
    Genesis,
}

/// Rebuilds the state from `data_dir`: a snapshot (or an empty state) plus replay of the
/// journal after it, then a full invariant check.
pub fn recover<S: StateMachine + Default>(
    data_dir: &Path,
    mode: ScanMode,
    start: StartFrom,
) -> Result<(S, Recovery), EngineError> {
    let snapshot = match start {
        StartFrom::LatestSnapshot => SnapshotStore::new(&snapshot_dir(data_dir)).latest()?,
        StartFrom::Genesis => None,
    };
    let (mut state, after) = match &snapshot {
        Some(s) => (
            S::decode_snapshot(&s.payload).map_err(EngineError::Snapshot)?,
            s.seq,
        ),
        None => (S::default(), 0),
    };
    if mode == ScanMode::Repair {
        private::create_dir_all(&journal_dir(data_dir)).map_err(|source| JournalError::Io {
            path: journal_dir(data_dir),
            source,
        })?;
    }
    let mut replayed_events = 0;
    let report = Journal::scan(&journal_dir(data_dir), mode, after, |_, payload| {
        let batch = record::decode::<S>(payload).map_err(|e| e.to_string())?;
        for request in &batch.requests {
            state.apply(request, batch.now);
            replayed_events += S::events(request) as u64;
        }
        Ok(())
    })?;
    if after > report.last_seq {
        return Err(JournalError::SnapshotAhead {
            snapshot_seq: after,
            journal_end: report.last_seq,
        }
        .into());
    }
    state.check_invariants().map_err(EngineError::Invariant)?;
    let recovery = Recovery {
        snapshot_seq: snapshot.map(|s| s.seq),
        replayed_records: report.last_seq - after,
        replayed_events,
        report,
    };
    Ok((state, recovery))
}

impl<S: StateMachine + Default> Engine<S> {
    /// Recovers the state in `config.data_dir` and starts the engine and journal threads.
    pub fn open(config: EngineConfig) -> Result<Engine<S>, EngineError> {
        let lock = lock_data_dir(&config.data_dir)?;
        let (mut state, recovery) = recover::<S>(
            &config.data_dir,
            ScanMode::Repair,
            StartFrom::LatestSnapshot,
        )?;
        state.reserve_transfers(config.reserve_transfers);
        let journal = Journal::open(
            &config.journal_dir(),
            config.journal.clone(),
            &recovery.report,
        )?;
        tracing::info!(
            data_dir = %config.data_dir.display(),
            snapshot = ?recovery.snapshot_seq,
            replayed_records = recovery.replayed_records,
            replayed_events = recovery.replayed_events,
            state = %state.summary(),
            "state recovered"
        );
        let inbox_capacity = config.inbox_capacity.max(1);
        let (requests, inbox) = crossbeam_channel::bounded(inbox_capacity);
        let (to_journal, journal_inbox) = crossbeam_channel::bounded(2);
        let poisoned = Arc::new(AtomicBool::new(false));
        let journal_poisoned = poisoned.clone();
        let journal_thread = std::thread::Builder::new()
            .name("corridor-journal".into())
            .spawn({
                let observer = config.sync_observer.clone();
                move || journal_loop(journal, journal_inbox, journal_poisoned, observer)
            })
            .map_err(|source| JournalError::Io {
                path: config.data_dir.clone(),
                source,
            })?;
        let data_dir = config.data_dir.clone();
        let mut engine_loop = EngineLoop {
            state,
            config,
            inbox,
            to_journal: Some(to_journal),
            journal_thread: Some(journal_thread),
            poisoned,
            events_since_snapshot: 0,
            _lock: lock,
        };
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
            },
            engine_thread: Some(engine_thread),
            recovery,
        })
    }
}

impl<S: StateMachine> Engine<S> {
    pub fn handle(&self) -> EngineHandle<S> {
        self.handle.clone()
    }

    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// Finishes every accepted request, writes a final snapshot and stops the threads.
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
                let _ = reply.send(durable.map(|()| value).map_err(|_| EngineError::Poisoned));
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
        let (reply, answer) = oneshot::channel();
        self.send(Request::Snapshot(reply), Wait::Block)?;
        answer.recv().map_err(|_| EngineError::Stopped)?
    }
}

struct EngineLoop<S: StateMachine> {
    state: S,
    config: EngineConfig,
    inbox: Receiver<Request<S>>,
    to_journal: Option<Sender<ToJournal>>,
    journal_thread: Option<JoinHandle<()>>,
    poisoned: Arc<AtomicBool>,
    events_since_snapshot: u64,
    /// Held for the life of the engine thread: one writer per data directory.
    _lock: std::fs::File,
}

impl<S: StateMachine> EngineLoop<S> {
    fn run(&mut self) {
        while let Ok(first) = self.inbox.recv() {
            let mut pending = vec![first];
            let mut events = event_count(&pending[0]);
            while events < self.config.max_batch_events {
                let Ok(next) = self.inbox.try_recv() else {
                    break;
                };
                events += event_count(&next);
                pending.push(next);
            }
            if !self.process(pending) {
                break;
            }
        }
        self.finish();
    }

    /// Handles one gathered group of requests; `false` once shutdown was asked for.
    fn process(&mut self, pending: Vec<Request<S>>) -> bool {
        let now = (self.config.clock)();
        let mut record = RecordBuilder::new(now);
        let mut releases: Vec<Release> = Vec::new();
        let mut keep_running = true;
        for request in pending {
            if self.poisoned.load(Ordering::Acquire) {
                refuse(request);
                continue;
            }
            match request {
                Request::Submit { request, reply } => {
                    // Encoded before it is applied: a request the journal cannot hold must
                    // not change the state either.
                    if let Err(e) = record.push::<S>(&request) {
                        tracing::error!(error = %e, "request cannot be encoded for the journal: refused, not applied");
                        let _ = reply.send(Err(EngineError::Encode(e)));
                        continue;
                    }
                    let outcome = self.state.apply(&request, now);
                    self.events_since_snapshot += S::events(&request) as u64;
                    releases.push(Box::new(move |durable| {
                        let _ = reply
                            .send(durable.map(|()| outcome).map_err(|_| EngineError::Poisoned));
                    }));
                }
                Request::Query(read) => releases.push(read(&self.state)),
                Request::Snapshot(reply) => {
                    let batch = std::mem::replace(&mut record, RecordBuilder::new(now));
                    self.flush_batch(batch, &mut releases);
                    let _ = reply.send(self.write_snapshot());
                }
                Request::Shutdown => keep_running = false,
            }
        }
        self.flush_batch(record, &mut releases);
        if self.events_since_snapshot >= self.config.snapshot_every_events
            && let Err(e) = self.write_snapshot()
        {
            tracing::error!(error = %e, "periodic snapshot failed; the journal still holds everything");
        }
        keep_running
    }

    fn flush_batch(&mut self, record: RecordBuilder, releases: &mut Vec<Release>) {
        if releases.is_empty() {
            return;
        }
        let batch = ToJournal::Batch {
            record: (!record.is_empty()).then(|| record.finish()),
            releases: std::mem::take(releases),
        };
        let Some(to_journal) = &self.to_journal else {
            return;
        };
        if let Err(crossbeam_channel::SendError(ToJournal::Batch { releases, .. })) =
            to_journal.send(batch)
        {
            self.poisoned.store(true, Ordering::Release);
            fail_all(releases, "journal thread is gone");
        }
    }

    /// Waits until everything applied is durable, then writes the state as the snapshot of
    /// the last record.
    fn write_snapshot(&mut self) -> Result<u64, EngineError> {
        let (reply, answer) = oneshot::channel();
        let to_journal = self.to_journal.as_ref().ok_or(EngineError::Stopped)?;
        to_journal
            .send(ToJournal::Barrier(reply))
            .map_err(|_| EngineError::Poisoned)?;
        let seq = answer
            .recv()
            .map_err(|_| EngineError::Poisoned)?
            .map_err(|_| EngineError::Poisoned)?;
        if seq == 0 {
            return Ok(0);
        }
        let bytes = self.state.encode_snapshot().map_err(|e| {
            tracing::error!(seq, error = %e, "the state cannot be encoded: no snapshot written");
            EngineError::SnapshotEncode(e)
        })?;
        let path = SnapshotStore::new(&snapshot_dir(&self.config.data_dir)).write(seq, &bytes)?;
        self.events_since_snapshot = 0;
        tracing::info!(seq, bytes = bytes.len(), path = %path.display(), "snapshot written");
        Ok(seq)
    }

    fn finish(&mut self) {
        if !self.poisoned.load(Ordering::Acquire)
            && let Err(e) = self.write_snapshot()
        {
            tracing::error!(error = %e, "final snapshot failed; the journal still holds everything");
        }
        self.to_journal = None;
        if let Some(thread) = self.journal_thread.take() {
            let _ = thread.join();
        }
        for request in self.inbox.try_iter() {
            refuse(request);
        }
    }
}

fn event_count<S: StateMachine>(request: &Request<S>) -> usize {
    match request {
        Request::Submit { request, .. } => S::events(request),
        _ => 1,
    }
}

fn refuse<S: StateMachine>(request: Request<S>) {
    match request {
        Request::Submit { reply, .. } => {
            let _ = reply.send(Err(EngineError::Poisoned));
        }
        Request::Query(read) => drop(read),
        Request::Snapshot(reply) => {
            let _ = reply.send(Err(EngineError::Poisoned));
        }
        Request::Shutdown => {}
    }
}

fn fail_all(releases: Vec<Release>, reason: &str) {
    let reason: Arc<str> = reason.into();
    for release in releases {
        release(Err(reason.clone()));
    }
}

/// The journal thread: appends every batch waiting, syncs once, then releases their results.
fn journal_loop(
    mut journal: Journal,
    inbox: Receiver<ToJournal>,
    poisoned: Arc<AtomicBool>,
    sync_observer: Option<SyncObserver>,
) {
    // Once a write or sync failed, the file's tail is unknown: nothing more is written.
    let mut failure: Option<Arc<str>> = None;
    while let Ok(first) = inbox.recv() {
        let mut waiting = vec![first];
        waiting.extend(inbox.try_iter());
        let mut released = Vec::new();
        let mut barriers = Vec::new();
        for item in waiting {
            match item {
                ToJournal::Batch { record, releases } => {
                    if failure.is_none()
                        && let Some(record) = record
                        && let Err(e) = journal.append(&record)
                    {
                        failure = Some(e.to_string().into());
                    }
                    released.extend(releases);
                }
                ToJournal::Barrier(reply) => barriers.push(reply),
            }
        }
        if failure.is_none() {
            let started = std::time::Instant::now();
            if let Err(e) = journal.sync() {
                failure = Some(e.to_string().into());
            }
            if let Some(observe) = &sync_observer {
                observe(started.elapsed());
            }
        }
        let last_seq = journal.next_seq() - 1;
        if let Some(reason) = &failure {
            tracing::error!(%reason, "journal write failed: the engine stops accepting work");
            poisoned.store(true, Ordering::Release);
            fail_all(released, reason);
            for reply in barriers {
                let _ = reply.send(Err(reason.clone()));
            }
            continue;
        }
        for release in released {
            release(Ok(()));
        }
        for reply in barriers {
            let _ = reply.send(Ok(last_seq));
        }
    }
}
