//! The writer's lease: one row holding an epoch, the holder's name and address, when the
//! lease expires (by the database's clock, so the nodes' clocks do not matter) and the last
//! record appended. A writer renews it every third of its duration; a standby takes it
//! over once it has expired, which increments the epoch and so fences the old writer out of
//! the journal (see the crate documentation).

use std::time::Duration;

use postgres::Client;

use crate::{JournalUrl, PgJournalError, to_i64, to_u64};

/// The lease row as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseHolder {
    pub epoch: u64,
    /// The holding node's name, empty before any node held it.
    pub holder: String,
    /// Where the holder serves its API, for standbys to send writers to.
    pub holder_url: String,
    pub expired: bool,
    /// The last record appended under any epoch.
    pub last_seq: u64,
}

/// One node's view of the lease, on its own connection.
#[derive(Debug)]
pub struct Lease {
    url: JournalUrl,
    node: String,
    node_url: String,
    duration: Duration,
}

impl Lease {
    pub fn new(url: JournalUrl, node: &str, node_url: &str, duration: Duration) -> Lease {
        Lease {
            url,
            node: node.to_string(),
            node_url: node_url.to_string(),
            duration,
        }
    }

    pub fn duration(&self) -> Duration {
        self.duration
    }

    fn duration_ms(&self) -> f64 {
        self.duration.as_secs_f64() * 1_000.0
    }

    pub fn read(&self, client: &mut Client) -> Result<LeaseHolder, PgJournalError> {
        let row = client
            .query_one(
                "SELECT epoch, holder, holder_url, expires_at < now(), last_seq FROM corridor_lease",
                &[],
            )
            .map_err(self.url.database())?;
        Ok(LeaseHolder {
            epoch: to_u64(&self.url, "epoch", row.get(0))?,
            holder: row.get(1),
            holder_url: row.get(2),
            expired: row.get(3),
            last_seq: to_u64(&self.url, "last_seq", row.get(4))?,
        })
    }

    /// Takes the lease if it has expired: a new epoch, held by this node. `None` while
    /// another holder's lease runs.
    pub fn try_acquire(&self, client: &mut Client) -> Result<Option<LeaseHolder>, PgJournalError> {
        let row = client
            .query_opt(
                "UPDATE corridor_lease SET epoch = epoch + 1, holder = $1, holder_url = $2,
                     expires_at = now() + $3 * interval '1 millisecond'
                 WHERE expires_at < now()
                 RETURNING epoch, last_seq",
                &[&self.node, &self.node_url, &self.duration_ms()],
            )
            .map_err(self.url.database())?;
        row.map(|row| self.held(&row)).transpose()
    }

    /// Takes back, under a new epoch, a lease this node's name still holds (`epoch`): what
    /// a node does after its own writer stepped down (the database failed over, the node
    /// restarted), without waiting for the lease to run out. Safe whatever became of the
    /// old writer: the new epoch fences it out.
    pub fn take_back(
        &self,
        client: &mut Client,
        epoch: u64,
    ) -> Result<Option<LeaseHolder>, PgJournalError> {
        let row = client
            .query_opt(
                "UPDATE corridor_lease SET epoch = epoch + 1, holder_url = $3,
                     expires_at = now() + $4 * interval '1 millisecond'
                 WHERE epoch = $1 AND holder = $2
                 RETURNING epoch, last_seq",
                &[
                    &to_i64(epoch),
                    &self.node,
                    &self.node_url,
                    &self.duration_ms(),
                ],
            )
            .map_err(self.url.database())?;
        row.map(|row| self.held(&row)).transpose()
    }

    /// The lease as this node now holds it, from a `RETURNING epoch, last_seq` row.
    fn held(&self, row: &postgres::Row) -> Result<LeaseHolder, PgJournalError> {
        Ok(LeaseHolder {
            epoch: to_u64(&self.url, "epoch", row.get(0))?,
            holder: self.node.clone(),
            holder_url: self.node_url.clone(),
            expired: false,
            last_seq: to_u64(&self.url, "last_seq", row.get(1))?,
        })
    }

    /// Extends the lease held under `epoch`; `false` once another node holds it.
    pub fn renew(&self, client: &mut Client, epoch: u64) -> Result<bool, PgJournalError> {
        let renewed = client
            .execute(
                "UPDATE corridor_lease SET expires_at = now() + $2 * interval '1 millisecond'
                 WHERE epoch = $1",
                &[&to_i64(epoch), &self.duration_ms()],
            )
            .map_err(self.url.database())?;
        Ok(renewed == 1)
    }

    /// Lets the lease go at a clean shutdown, so a standby takes over at once rather than
    /// after the lease has run out.
    pub fn release(&self, client: &mut Client, epoch: u64) -> Result<(), PgJournalError> {
        client
            .execute(
                "UPDATE corridor_lease SET expires_at = '-infinity' WHERE epoch = $1",
                &[&to_i64(epoch)],
            )
            .map_err(self.url.database())?;
        Ok(())
    }
}
