//! The engine thread and the journal thread behind an [`crate::EngineHandle`]. The engine
//! thread owns the state; in the writer role it applies gathered requests and hands each
//! batch to the journal thread, which appends, makes durable and only then releases the
//! answers. In the standby role there is no journal thread: the engine applies records the
//! writer already made durable, answers reads at once and refuses writes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use corridor_journal::{JournalError, JournalWriter, SnapshotSink};
use corridor_ledger::StateMachine;
use crossbeam_channel::{Receiver, Sender};

use crate::config::{EngineConfig, SyncObserver};
use crate::error::EngineError;
use crate::record::RecordBuilder;
use crate::recovery::apply_record;
use crate::role::{Role, SharedStatus, Storage};

/// Releases one caller's answer once the record holding its batch is durable (`Ok`) or the
/// journal failed (`Err`).
pub(crate) type Release = Box<dyn FnOnce(Result<(), Arc<str>>) + Send>;

pub(crate) type Reply<T> = oneshot::Sender<Result<T, EngineError>>;

pub(crate) enum Request<S: StateMachine> {
    Submit {
        request: S::Request,
        reply: Reply<S::Outcome>,
    },
    Query(Box<dyn FnOnce(&S) -> Release + Send>),
    Snapshot(Reply<u64>),
    /// Standby only: records the writer made durable, in order from the next one.
    Replicate {
        records: Vec<(u64, Vec<u8>)>,
        reply: Reply<u64>,
    },
    /// Standby to writer, appending from the applied record on.
    Promote {
        storage: Storage,
        reply: Reply<()>,
    },
    /// Any role to standby, on a state rebuilt from the journal after record `applied_seq`.
    Demote {
        state: Box<S>,
        applied_seq: u64,
        reply: Reply<()>,
    },
    Shutdown,
}

impl<S: StateMachine> Request<S> {
    pub(crate) fn events(&self) -> usize {
        match self {
            Request::Submit { request, .. } => S::events(request),
            Request::Replicate { records, .. } => records.len(),
            _ => 1,
        }
    }
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

/// The writer role: the journal thread, the snapshot store, and why writing failed if it did.
struct Writer {
    to_journal: Sender<ToJournal>,
    thread: JoinHandle<()>,
    snapshots: Box<dyn SnapshotSink>,
    failure: Arc<Failure>,
}

/// Set once by the journal thread when an append or sync failed: the engine's memory is then
/// ahead of the journal and it serves nothing until demoted (or restarted). Mirrored into
/// the shared status, for those who ask without queueing.
struct Failure {
    failed: AtomicBool,
    shared: Arc<SharedStatus>,
}

impl Failure {
    fn new(shared: Arc<SharedStatus>) -> Failure {
        shared.set_failure(None);
        Failure {
            failed: AtomicBool::new(false),
            shared,
        }
    }

    fn set(&self, reason: Arc<str>) {
        self.shared.set_failure(Some(reason));
        self.failed.store(true, Ordering::Release);
    }

    fn is_set(&self) -> bool {
        self.failed.load(Ordering::Acquire)
    }

    fn reason(&self) -> Option<Arc<str>> {
        if !self.is_set() {
            return None;
        }
        self.shared.failure()
    }
}

impl Writer {
    fn start(
        storage: Storage,
        config: &EngineConfig,
        shared: &Arc<SharedStatus>,
    ) -> Result<Writer, EngineError> {
        let (to_journal, journal_inbox) = crossbeam_channel::bounded(2);
        let failure = Arc::new(Failure::new(shared.clone()));
        let observer = config.sync_observer.clone();
        let thread_failure = failure.clone();
        let journal = storage.writer;
        let thread = std::thread::Builder::new()
            .name("corridor-journal".into())
            .spawn(move || journal_loop(journal, journal_inbox, thread_failure, observer))
            .map_err(|source| JournalError::Io {
                path: config.data_dir.clone(),
                source,
            })?;
        Ok(Writer {
            to_journal,
            thread,
            snapshots: storage.snapshots,
            failure,
        })
    }

    /// Lets the journal thread finish what it was given, then joins it.
    fn stop(self) {
        drop(self.to_journal);
        let _ = self.thread.join();
    }
}

pub(crate) struct EngineLoop<S: StateMachine> {
    state: S,
    config: EngineConfig,
    inbox: Receiver<Request<S>>,
    writer: Option<Writer>,
    events_since_snapshot: u64,
    /// The number of the record being gathered now (writer) or expected next (standby).
    next_record_seq: u64,
    /// The latest engine time of a batch applied here.
    last_now: corridor_core::Timestamp,
    /// What the handle reads without queueing: role, last record applied, failure, and
    /// where the writer is (for a standby's refusals).
    shared: Arc<SharedStatus>,
    /// Held for the life of the engine thread: one writer per data directory.
    _lock: Option<std::fs::File>,
}

impl<S: StateMachine> EngineLoop<S> {
    pub(crate) fn new(
        state: S,
        applied_seq: u64,
        storage: Option<Storage>,
        config: EngineConfig,
        inbox: Receiver<Request<S>>,
        lock: Option<std::fs::File>,
        shared: Arc<SharedStatus>,
    ) -> Result<EngineLoop<S>, EngineError> {
        let writer = storage
            .map(|storage| {
                check_continues(&storage, applied_seq)?;
                Writer::start(storage, &config, &shared)
            })
            .transpose()?;
        shared.set_role(if writer.is_some() {
            Role::Writer
        } else {
            Role::Standby
        });
        shared.set_applied(applied_seq);
        Ok(EngineLoop {
            state,
            config,
            inbox,
            writer,
            events_since_snapshot: 0,
            next_record_seq: applied_seq + 1,
            last_now: corridor_core::Timestamp(0),
            shared,
            _lock: lock,
        })
    }

    pub(crate) fn run(&mut self) {
        while let Ok(first) = self.inbox.recv() {
            let mut pending = vec![first];
            let mut events = pending[0].events();
            while events < self.config.max_batch_events {
                let Ok(next) = self.inbox.try_recv() else {
                    break;
                };
                events += next.events();
                pending.push(next);
            }
            if !self.process(pending) {
                break;
            }
        }
        self.finish();
    }

    fn failed(&self) -> bool {
        self.writer.as_ref().is_some_and(|w| w.failure.is_set())
    }

    fn role(&self) -> Role {
        if self.writer.is_some() {
            Role::Writer
        } else {
            Role::Standby
        }
    }

    /// Handles one gathered group of requests; `false` once shutdown was asked for.
    fn process(&mut self, pending: Vec<Request<S>>) -> bool {
        // Never earlier than a batch already applied: a writer that took over from one
        // whose clock ran ahead keeps the journal's time moving forward.
        let now = (self.config.clock)().max(self.last_now);
        self.last_now = now;
        let mut record = RecordBuilder::new(now);
        let mut releases: Vec<Release> = Vec::new();
        let mut keep_running = true;
        for request in pending {
            match request {
                Request::Submit { request, reply } => {
                    self.submit(request, reply, &mut record, &mut releases, now)
                }
                Request::Query(read) if !self.failed() => releases.push(read(&self.state)),
                Request::Query(read) => drop(read),
                Request::Snapshot(reply) => {
                    let batch = std::mem::replace(&mut record, RecordBuilder::new(now));
                    self.flush_batch(batch, &mut releases);
                    let _ = reply.send(self.write_snapshot());
                }
                Request::Replicate { records, reply } => {
                    let _ = reply.send(self.replicate(records));
                }
                Request::Promote { storage, reply } => {
                    let batch = std::mem::replace(&mut record, RecordBuilder::new(now));
                    self.flush_batch(batch, &mut releases);
                    let _ = reply.send(self.promote(storage));
                }
                Request::Demote {
                    state,
                    applied_seq,
                    reply,
                } => {
                    let batch = std::mem::replace(&mut record, RecordBuilder::new(now));
                    self.flush_batch(batch, &mut releases);
                    self.demote(*state, applied_seq);
                    let _ = reply.send(Ok(()));
                }
                Request::Shutdown => keep_running = false,
            }
        }
        self.flush_batch(record, &mut releases);
        self.shared.set_applied(self.next_record_seq - 1);
        if self.events_since_snapshot >= self.config.snapshot_every_events
            && let Err(e) = self.write_snapshot()
        {
            tracing::error!(error = %e, "periodic snapshot failed; the journal still holds everything");
        }
        keep_running
    }

    fn submit(
        &mut self,
        request: S::Request,
        reply: Reply<S::Outcome>,
        record: &mut RecordBuilder,
        releases: &mut Vec<Release>,
        now: corridor_core::Timestamp,
    ) {
        if self.writer.is_none() {
            let _ = reply.send(Err(EngineError::NotWriter {
                writer: self.shared.writer_hint(),
            }));
            return;
        }
        if let Some(reason) = self.writer.as_ref().and_then(|w| w.failure.reason()) {
            let _ = reply.send(Err(EngineError::JournalFailed { reason }));
            return;
        }
        // Encoded before it is applied: a request the journal cannot hold must not change
        // the state either.
        if let Err(e) = record.push::<S>(&request) {
            tracing::error!(error = %e, "request cannot be encoded for the journal: refused, not applied");
            let _ = reply.send(Err(EngineError::Encode(e)));
            return;
        }
        self.state.begin_record(self.next_record_seq);
        let outcome = self.state.apply(&request, now);
        self.events_since_snapshot += S::events(&request) as u64;
        releases.push(Box::new(move |durable| {
            let _ = reply.send(
                durable
                    .map(|()| outcome)
                    .map_err(|reason| EngineError::JournalFailed { reason }),
            );
        }));
    }

    fn replicate(&mut self, records: Vec<(u64, Vec<u8>)>) -> Result<u64, EngineError> {
        if self.writer.is_some() {
            return Err(EngineError::WrongRole {
                role: Role::Writer,
                wanted: "replicate records",
            });
        }
        for (seq, payload) in records {
            if seq != self.next_record_seq {
                return Err(EngineError::OutOfOrder {
                    expected: self.next_record_seq,
                    found: seq,
                });
            }
            let applied = apply_record(&mut self.state, seq, &payload)?;
            self.events_since_snapshot += applied.events;
            self.last_now = self.last_now.max(applied.now);
            self.next_record_seq += 1;
            self.shared.set_applied(seq);
        }
        Ok(self.next_record_seq - 1)
    }

    fn promote(&mut self, storage: Storage) -> Result<(), EngineError> {
        if self.writer.is_some() {
            return Err(EngineError::WrongRole {
                role: Role::Writer,
                wanted: "become the writer",
            });
        }
        check_continues(&storage, self.next_record_seq - 1)?;
        self.writer = Some(Writer::start(storage, &self.config, &self.shared)?);
        self.shared.set_writer_hint(None);
        self.shared.set_role(Role::Writer);
        tracing::info!(
            from_record = self.next_record_seq,
            "this node is the writer"
        );
        Ok(())
    }

    /// Drops the writer role, if held, and everything in memory: the state is replaced by
    /// one rebuilt from the journal, since what was applied here but never made durable
    /// must be forgotten.
    fn demote(&mut self, state: S, applied_seq: u64) {
        if let Some(writer) = self.writer.take() {
            writer.stop();
            tracing::warn!(applied_seq, "this node stepped down to standby");
        }
        self.state = state;
        self.next_record_seq = applied_seq + 1;
        self.events_since_snapshot = 0;
        self.shared.set_failure(None);
        self.shared.set_role(Role::Standby);
        self.shared.set_applied(applied_seq);
    }

    fn flush_batch(&mut self, record: RecordBuilder, releases: &mut Vec<Release>) {
        if releases.is_empty() {
            return;
        }
        let Some(writer) = &self.writer else {
            // A standby applied only what the writer already made durable.
            for release in releases.drain(..) {
                release(Ok(()));
            }
            return;
        };
        if !record.is_empty() {
            self.next_record_seq += 1;
        }
        let batch = ToJournal::Batch {
            record: (!record.is_empty()).then(|| record.finish()),
            releases: std::mem::take(releases),
        };
        if let Err(crossbeam_channel::SendError(ToJournal::Batch { releases, .. })) =
            writer.to_journal.send(batch)
        {
            writer.failure.set("journal thread is gone".into());
            fail_all(releases, "journal thread is gone");
        }
    }

    /// Waits until everything applied is durable, then writes the state as the snapshot of
    /// the last record.
    fn write_snapshot(&mut self) -> Result<u64, EngineError> {
        let Some(writer) = &mut self.writer else {
            return Err(EngineError::NotWriter {
                writer: self.shared.writer_hint(),
            });
        };
        let (reply, answer) = oneshot::channel();
        writer
            .to_journal
            .send(ToJournal::Barrier(reply))
            .map_err(|_| EngineError::Poisoned)?;
        let seq = answer
            .recv()
            .map_err(|_| EngineError::Poisoned)?
            .map_err(|reason| EngineError::JournalFailed { reason })?;
        if seq == 0 {
            return Ok(0);
        }
        let bytes = self.state.encode_snapshot().map_err(|e| {
            tracing::error!(seq, error = %e, "the state cannot be encoded: no snapshot written");
            EngineError::SnapshotEncode(e)
        })?;
        let location = writer.snapshots.write_snapshot(seq, &bytes)?;
        self.events_since_snapshot = 0;
        tracing::info!(seq, bytes = bytes.len(), %location, "snapshot written");
        Ok(seq)
    }

    fn finish(&mut self) {
        tracing::info!(
            role = ?self.role(),
            applied_seq = self.next_record_seq - 1,
            state_hash = format!("{:032x}", self.state.state_hash()),
            "engine stopping"
        );
        if self.writer.is_some()
            && !self.failed()
            && let Err(e) = self.write_snapshot()
        {
            tracing::error!(error = %e, "final snapshot failed; the journal still holds everything");
        }
        if let Some(writer) = self.writer.take() {
            writer.stop();
        }
        for request in self.inbox.try_iter() {
            refuse(request);
        }
    }
}

/// A writer must continue the journal exactly where the state ends.
fn check_continues(storage: &Storage, applied_seq: u64) -> Result<(), EngineError> {
    let next = storage.writer.next_seq();
    if next != applied_seq + 1 {
        return Err(EngineError::OutOfOrder {
            expected: applied_seq + 1,
            found: next,
        });
    }
    Ok(())
}

fn refuse<S: StateMachine>(request: Request<S>) {
    match request {
        Request::Submit { reply, .. } => {
            let _ = reply.send(Err(EngineError::Stopped));
        }
        Request::Snapshot(reply) | Request::Replicate { reply, .. } => {
            let _ = reply.send(Err(EngineError::Stopped));
        }
        Request::Promote { reply, .. } | Request::Demote { reply, .. } => {
            let _ = reply.send(Err(EngineError::Stopped));
        }
        Request::Query(_) | Request::Shutdown => {}
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
    mut journal: Box<dyn JournalWriter>,
    inbox: Receiver<ToJournal>,
    failure: Arc<Failure>,
    sync_observer: Option<SyncObserver>,
) {
    // Once a write or sync failed, the journal's tail is unknown: nothing more is written.
    let mut failed: Option<Arc<str>> = None;
    while let Ok(first) = inbox.recv() {
        let mut waiting = vec![first];
        waiting.extend(inbox.try_iter());
        let mut released = Vec::new();
        let mut barriers = Vec::new();
        for item in waiting {
            match item {
                ToJournal::Batch { record, releases } => {
                    if failed.is_none()
                        && let Some(record) = record
                        && let Err(e) = journal.append(&record)
                    {
                        failed = Some(e.to_string().into());
                    }
                    released.extend(releases);
                }
                ToJournal::Barrier(reply) => barriers.push(reply),
            }
        }
        if failed.is_none() {
            let started = std::time::Instant::now();
            if let Err(e) = journal.sync() {
                failed = Some(e.to_string().into());
            }
            if let Some(observe) = &sync_observer {
                observe(started.elapsed());
            }
        }
        let last_seq = journal.next_seq() - 1;
        if let Some(reason) = &failed {
            tracing::error!(%reason, "journal write failed: the engine stops accepting work");
            failure.set(reason.clone());
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
