//! A node on the PostgreSQL journal: who writes, and how the others follow. At most one
//! node holds the lease (see `corridor-journal-pg`) and runs its engine as the writer; the
//! others run theirs as standbys, applying every record the writer commits (woken by
//! LISTEN/NOTIFY, caught up by sequence), serving reads, refusing writes with the writer's
//! address, and taking the lease over once it expires.
//!
//! A writer whose journal refused it (another node took over, or the database was lost)
//! steps down: its memory may hold batches that were never committed, so it is replaced by
//! a state rebuilt from the journal (latest snapshot and the records after it), and the
//! node goes on as a standby, or as the writer again once it holds a new lease.
//!
//! The controller runs on a thread of its own, since the PostgreSQL client blocks.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use corridor_engine::{
    Engine, EngineConfig, EngineError, EngineHandle, Role, StartFrom, Storage, recover_from,
};
use corridor_journal_pg::{
    JournalUrl, Lease, LeaseHolder, PgClient, PgJournalError, PgJournalWriter, PgSnapshots,
    PgSource,
};
use corridor_ledger::StateMachine;
use corridor_settlement::Hub;
use tokio::sync::watch;

/// How a node joins a journal on PostgreSQL.
#[derive(Clone)]
pub struct PgJournalConfig {
    pub url: String,
    /// This node's name in the lease row, unique among the nodes sharing the journal.
    pub node_name: String,
    /// Where this node serves its API, told to standbys for the writes they refuse.
    pub advertise_url: String,
    /// How long a lease lasts without renewal: a writer that stops renewing is replaced
    /// this long after its last renewal.
    pub lease: Duration,
}

/// Shown without the URL's password.
impl std::fmt::Debug for PgJournalConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgJournalConfig")
            .field("url", &JournalUrl::new(&self.url))
            .field("node_name", &self.node_name)
            .field("advertise_url", &self.advertise_url)
            .field("lease", &self.lease)
            .finish()
    }
}

/// Records applied per replication request to the engine.
const FOLLOW_PAGE: i64 = 512;

/// The node's role as `/health` reports it; kept current by the controller.
#[derive(Debug, Default)]
pub struct ReplicationStatus {
    writer: AtomicBool,
    epoch: AtomicU64,
    /// When the writer last renewed its lease (ms since the controller started).
    renewed_ms: AtomicU64,
    lease_ms: AtomicU64,
    started: Option<Instant>,
}

impl ReplicationStatus {
    fn new(lease: Duration) -> ReplicationStatus {
        ReplicationStatus {
            lease_ms: AtomicU64::new(lease.as_millis() as u64),
            started: Some(Instant::now()),
            ..ReplicationStatus::default()
        }
    }

    fn now_ms(&self) -> u64 {
        self.started.map_or(0, |s| s.elapsed().as_millis() as u64)
    }

    fn set_writer(&self, epoch: u64) {
        self.epoch.store(epoch, Ordering::Release);
        self.renewed_ms.store(self.now_ms(), Ordering::Release);
        self.writer.store(true, Ordering::Release);
    }

    fn set_standby(&self) {
        self.writer.store(false, Ordering::Release);
    }

    /// The epoch of the lease as a standby last read it.
    fn seen(&self, epoch: u64) {
        if !self.writer.load(Ordering::Acquire) {
            self.epoch.store(epoch, Ordering::Release);
        }
    }

    fn renewed(&self) {
        self.renewed_ms.store(self.now_ms(), Ordering::Release);
    }

    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// The writer whose lease was renewed within its duration: the one a load balancer
    /// sends traffic to.
    pub fn holds_lease(&self) -> bool {
        let since = self
            .now_ms()
            .saturating_sub(self.renewed_ms.load(Ordering::Acquire));
        self.writer.load(Ordering::Acquire) && since < self.lease_ms.load(Ordering::Acquire)
    }
}

/// A node's replication: the controller thread and what it shares with the API.
#[derive(Debug)]
pub struct Replication {
    status: Arc<ReplicationStatus>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<Controller>>,
    /// Bumped after every batch of records a standby applied.
    applied: watch::Receiver<u64>,
}

impl Replication {
    pub fn status(&self) -> Arc<ReplicationStatus> {
        self.status.clone()
    }

    pub fn applied(&self) -> watch::Receiver<u64> {
        self.applied.clone()
    }

    /// Stops following and renewing; the lease, if held, is let go by
    /// [`StoppedReplication::release_lease`] once the engine has written its last snapshot.
    pub fn stop(mut self) -> Option<StoppedReplication> {
        self.stop.store(true, Ordering::Release);
        let controller = self.thread.take()?.join().ok()?;
        Some(StoppedReplication { controller })
    }
}

/// A controller that stopped, still holding the lease if it was the writer.
pub struct StoppedReplication {
    controller: Controller,
}

impl std::fmt::Debug for StoppedReplication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoppedReplication")
            .field("epoch", &self.controller.epoch)
            .finish_non_exhaustive()
    }
}

impl StoppedReplication {
    /// Lets the lease go, so a standby takes over at once rather than when it expires.
    pub fn release_lease(mut self) {
        let controller = &mut self.controller;
        let Some(epoch) = controller.epoch else {
            return;
        };
        let released = connected(
            &mut controller.lease_client,
            &controller.url,
            &controller.pg,
        )
        .and_then(|client| Ok(controller.lease.release(client, epoch)?));
        if let Err(e) = released {
            tracing::warn!(error = %e, "the lease could not be released: a standby takes over when it expires");
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReplicationError {
    #[error(transparent)]
    Journal(#[from] PgJournalError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("cannot start the replication thread: {0}")]
    Thread(std::io::Error),
}

/// Opens the journal at `pg.url` (creating its tables in an empty database), recovers the
/// state from it, starts the engine as a standby and the controller, which makes it the
/// writer at once if no other node holds the lease. Blocks: call it off the async runtime.
pub fn open(
    engine_config: EngineConfig,
    pg: &PgJournalConfig,
) -> Result<(Engine<Hub>, Replication), ReplicationError> {
    let url = JournalUrl::new(&pg.url);
    let mut client = url.connect(&application_name(pg))?;
    corridor_journal_pg::schema::migrate(&mut client, &url)?;
    let mut state = rebuild(&url, pg)?;
    state.0.reserve_transfers(engine_config.reserve_transfers);
    let (hub, recovery) = state;
    tracing::info!(
        journal = %url,
        snapshot = ?recovery.snapshot_seq,
        replayed_records = recovery.replayed_records,
        state = %hub.summary(),
        "state recovered from the PostgreSQL journal"
    );
    let applied_seq = recovery.last_seq;
    let engine = Engine::start(engine_config, hub, recovery, None, None)?;
    let status = Arc::new(ReplicationStatus::new(pg.lease));
    let (applied_tx, applied) = watch::channel(0);
    let mut controller = Controller {
        url: url.clone(),
        pg: pg.clone(),
        lease: Lease::new(url.clone(), &pg.node_name, &pg.advertise_url, pg.lease),
        engine: engine.handle(),
        status: status.clone(),
        applied_seq,
        applied_checksum: None,
        epoch: None,
        follower: None,
        lease_client: Some(client),
        applied: applied_tx,
        last_renewal: Instant::now(),
    };
    controller.step();
    let stop = Arc::new(AtomicBool::new(false));
    let thread_stop = stop.clone();
    let thread = std::thread::Builder::new()
        .name("corridor-replication".into())
        .spawn(move || {
            controller.run(&thread_stop);
            controller
        })
        .map_err(ReplicationError::Thread)?;
    Ok((
        engine,
        Replication {
            status,
            stop,
            thread: Some(thread),
            applied,
        },
    ))
}

fn application_name(pg: &PgJournalConfig) -> String {
    format!("corridor {}", pg.node_name)
}

/// The journal's state: latest snapshot, then every record after it.
fn rebuild(
    url: &JournalUrl,
    pg: &PgJournalConfig,
) -> Result<(Hub, corridor_engine::Recovery), ReplicationError> {
    let client = url.connect(&application_name(pg))?;
    let mut source = PgSource::new(client, url.clone());
    Ok(recover_from::<Hub>(&mut source, StartFrom::LatestSnapshot)?)
}

struct Controller {
    url: JournalUrl,
    pg: PgJournalConfig,
    lease: Lease,
    engine: EngineHandle<Hub>,
    status: Arc<ReplicationStatus>,
    /// The last record the engine applied (as a standby) or the journal held when this
    /// node became the writer.
    applied_seq: u64,
    /// That record's checksum, when this standby applied it itself.
    applied_checksum: Option<i64>,
    /// The lease epoch this node writes under, while it is the writer.
    epoch: Option<u64>,
    /// The standby's connection, listening for the writer's commits.
    follower: Option<PgSource>,
    lease_client: Option<PgClient>,
    applied: watch::Sender<u64>,
    last_renewal: Instant,
}

impl Controller {
    fn run(&mut self, stop: &AtomicBool) {
        while !stop.load(Ordering::Acquire) {
            let wait = self.step();
            self.wait(wait);
        }
    }

    /// One round of the role's duties; returns how long to wait before the next.
    fn step(&mut self) -> Duration {
        let result = match self.epoch {
            Some(epoch) => self.keep_writing(epoch),
            None => self.follow_or_take_over(),
        };
        match result {
            Ok(wait) => wait,
            Err(e) => {
                tracing::warn!(error = %e, "journal unavailable; trying again");
                self.lease_client = None;
                self.follower = None;
                self.poll_interval()
            }
        }
    }

    fn poll_interval(&self) -> Duration {
        (self.lease.duration() / 10).clamp(Duration::from_millis(20), Duration::from_millis(500))
    }

    /// The writer renews its lease every third of its duration, and steps down once the
    /// journal refused it or the lease is gone.
    fn keep_writing(&mut self, epoch: u64) -> Result<Duration, ReplicationError> {
        if let Some(reason) = self.engine.status().failure {
            tracing::error!(%reason, "the journal refused this writer");
            return self.step_down();
        }
        let renew_every = self.lease.duration() / 3;
        if self.last_renewal.elapsed() < renew_every {
            return Ok(self.poll_interval());
        }
        let lease = self.lease.duration();
        let renewed = connected(&mut self.lease_client, &self.url, &self.pg)
            .and_then(|client| Ok(self.lease.renew(client, epoch)?));
        match renewed {
            Ok(true) => {
                self.last_renewal = Instant::now();
                self.status.renewed();
                Ok(self.poll_interval())
            }
            Ok(false) => {
                tracing::error!(epoch, "the lease was taken over by another node");
                self.step_down()
            }
            Err(e) if self.last_renewal.elapsed() >= lease => {
                tracing::error!(error = %e, "the lease could not be renewed within its duration");
                self.step_down()
            }
            Err(e) => Err(e),
        }
    }

    /// Forgets everything the engine applied and starts again from the journal, as a
    /// standby.
    fn step_down(&mut self) -> Result<Duration, ReplicationError> {
        self.epoch = None;
        self.status.set_standby();
        self.rebuild_as_standby()?;
        tracing::warn!(
            applied_seq = self.applied_seq,
            "stepped down: a standby on the journal's state"
        );
        Ok(Duration::ZERO)
    }

    fn rebuild_as_standby(&mut self) -> Result<(), ReplicationError> {
        let (state, recovery) = rebuild(&self.url, &self.pg)?;
        self.engine.demote(state, recovery.last_seq)?;
        self.applied_seq = recovery.last_seq;
        self.applied_checksum = None;
        self.notify_applied();
        Ok(())
    }

    /// A standby applies what the writer committed, then takes the lease if it expired.
    fn follow_or_take_over(&mut self) -> Result<Duration, ReplicationError> {
        if self.engine.status().role == Role::Writer {
            // A writer that failed before it was ever told it holds a lease: rebuild.
            return self.step_down();
        }
        self.catch_up()?;
        let client = connected(&mut self.lease_client, &self.url, &self.pg)?;
        let lease = self.lease.read(client)?;
        self.status.seen(lease.epoch);
        let acquired = if lease.expired {
            self.lease.try_acquire(client)?
        } else if lease.holder == self.pg.node_name {
            self.lease.take_back(client, lease.epoch)?
        } else {
            self.engine.set_writer_hint(writer_hint(&lease));
            return Ok(self.poll_interval());
        };
        match acquired {
            Some(held) => self.take_over(held),
            None => Ok(Duration::ZERO),
        }
    }

    fn take_over(&mut self, held: LeaseHolder) -> Result<Duration, ReplicationError> {
        let started = Instant::now();
        self.check_history()?;
        while self.applied_seq < held.last_seq {
            if self.catch_up()? == 0 {
                return Err(PgJournalError::Gap {
                    url: self.url.to_string(),
                    expected: self.applied_seq + 1,
                    found: held.last_seq,
                }
                .into());
            }
        }
        let name = application_name(&self.pg);
        let storage = Storage {
            writer: Box::new(PgJournalWriter::connect(
                &self.url,
                &name,
                held.epoch,
                held.last_seq,
            )?),
            snapshots: Box::new(PgSnapshots::new(
                self.url.connect(&name)?,
                self.url.clone(),
                held.epoch,
            )),
        };
        self.engine.promote(storage)?;
        self.epoch = Some(held.epoch);
        // The lease was renewed when it was taken, before the catch-up.
        self.last_renewal = started;
        self.status.set_writer(held.epoch);
        self.follower = None;
        self.notify_applied();
        tracing::warn!(
            epoch = held.epoch,
            from_record = held.last_seq + 1,
            catch_up_ms = started.elapsed().as_millis() as u64,
            "took the lease: this node is the writer"
        );
        Ok(self.poll_interval())
    }

    /// Applies every committed record not yet applied; returns how many.
    fn catch_up(&mut self) -> Result<u64, ReplicationError> {
        // After a refused record the engine may have applied part of a page.
        self.applied_seq = self.engine.status().applied_seq;
        if self.follower.is_none() {
            let mut source = PgSource::new(
                self.url.connect(&application_name(&self.pg))?,
                self.url.clone(),
            );
            source.listen()?;
            self.follower = Some(source);
            self.check_history()?;
        }
        let mut applied = 0;
        loop {
            let Some(follower) = self.follower.as_mut() else {
                return Ok(applied);
            };
            let records = follower.records_after(self.applied_seq, FOLLOW_PAGE)?;
            let Some((last_seq, last_payload)) = records.last() else {
                break;
            };
            let last_checksum = corridor_journal_pg::record_crc(*last_seq, last_payload);
            let count = records.len() as u64;
            self.applied_seq = self.engine.replicate(records)?;
            self.applied_checksum = Some(last_checksum);
            applied += count;
        }
        if applied > 0 {
            self.notify_applied();
        }
        Ok(applied)
    }

    /// A record this standby applied may have been lost since (committed on a primary that
    /// was then rewound, never on its synchronous standby). After every reconnection and
    /// before taking over, the last record applied must still be the journal's: otherwise the
    /// state is rebuilt from the journal.
    fn check_history(&mut self) -> Result<(), ReplicationError> {
        let Some(follower) = self.follower.as_mut() else {
            return Ok(());
        };
        if self.applied_seq == 0 {
            return Ok(());
        }
        let now = follower.checksum_of(self.applied_seq)?;
        match (self.applied_checksum, now) {
            (Some(applied), Some(now)) if applied == now => Ok(()),
            (None, Some(now)) => {
                self.applied_checksum = Some(now);
                Ok(())
            }
            _ => {
                tracing::error!(
                    applied_seq = self.applied_seq,
                    "the journal no longer holds the last record this standby applied: rebuilding from the journal"
                );
                self.rebuild_as_standby()
            }
        }
    }

    fn notify_applied(&self) {
        self.applied.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A standby sleeps until the writer's next commit (or the poll interval, to watch the
    /// lease); a writer until its next renewal check.
    fn wait(&mut self, wait: Duration) {
        if wait.is_zero() {
            return;
        }
        match (self.epoch, self.follower.as_mut()) {
            (None, Some(follower)) => {
                if let Err(e) = follower.wait_for_commit(wait) {
                    tracing::warn!(error = %e, "lost the journal connection while waiting");
                    self.follower = None;
                }
            }
            _ => std::thread::sleep(wait),
        }
    }
}

/// The connection in `slot`, opened first if there is none (or it was dropped after an
/// error).
fn connected<'a>(
    slot: &'a mut Option<PgClient>,
    url: &JournalUrl,
    pg: &PgJournalConfig,
) -> Result<&'a mut PgClient, ReplicationError> {
    if slot.is_none() {
        *slot = Some(url.connect(&application_name(pg))?);
    }
    Ok(slot
        .as_mut()
        .unwrap_or_else(|| unreachable!("connected above")))
}

fn writer_hint(lease: &LeaseHolder) -> Option<String> {
    (!lease.holder_url.is_empty()).then(|| lease.holder_url.clone())
}
