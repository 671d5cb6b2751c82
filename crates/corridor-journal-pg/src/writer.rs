//! The writer's side: appends gathered in memory and committed as one transaction per group
//! commit, fenced by the lease epoch in that same transaction; and snapshots, stored only
//! by the current epoch's holder and only for records already committed.

use corridor_journal::{JournalError, JournalWriter, SnapshotSink};
use postgres::Client;

use crate::{JournalUrl, NOTIFY_CHANNEL, PgJournalError, record_crc, to_i64, to_u64};

/// Most records in one INSERT: bounds one statement's size; a group commit with more
/// simply sends several in its one transaction.
const RECORDS_PER_INSERT: usize = 1_024;

pub struct PgJournalWriter {
    client: Client,
    url: JournalUrl,
    epoch: u64,
    /// The last record committed.
    durable_seq: u64,
    pending: Vec<(u64, Vec<u8>)>,
}

impl std::fmt::Debug for PgJournalWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgJournalWriter")
            .field("url", &self.url)
            .field("epoch", &self.epoch)
            .field("durable_seq", &self.durable_seq)
            .finish_non_exhaustive()
    }
}

impl PgJournalWriter {
    /// A writer under the lease `epoch`, whose journal ends at record `last_seq`.
    pub fn new(client: Client, url: JournalUrl, epoch: u64, last_seq: u64) -> PgJournalWriter {
        PgJournalWriter {
            client,
            url,
            epoch,
            durable_seq: last_seq,
            pending: Vec::new(),
        }
    }

    fn commit(&mut self) -> Result<(), PgJournalError> {
        let last = self.durable_seq + self.pending.len() as u64;
        let url = &self.url;
        let mut tx = self.client.transaction().map_err(url.database())?;
        let moved = tx
            .execute(
                "UPDATE corridor_lease SET last_seq = $1 WHERE epoch = $2 AND last_seq = $3",
                &[
                    &to_i64(last),
                    &to_i64(self.epoch),
                    &to_i64(self.durable_seq),
                ],
            )
            .map_err(url.database())?;
        if moved != 1 {
            let row = tx
                .query_one("SELECT epoch, holder FROM corridor_lease", &[])
                .map_err(url.database())?;
            return Err(PgJournalError::Fenced {
                url: url.shown(),
                epoch: self.epoch,
                current: to_u64(url, "epoch", row.get(0))?,
                holder: row.get(1),
            });
        }
        for chunk in self.pending.chunks(RECORDS_PER_INSERT) {
            let seqs: Vec<i64> = chunk.iter().map(|(seq, _)| to_i64(*seq)).collect();
            let crcs: Vec<i64> = chunk.iter().map(|(seq, p)| record_crc(*seq, p)).collect();
            let payloads: Vec<&[u8]> = chunk.iter().map(|(_, p)| p.as_slice()).collect();
            tx.execute(
                "INSERT INTO corridor_journal (seq, epoch, crc32c, payload)
                 SELECT s, $1, c, p FROM unnest($2::bigint[], $3::bigint[], $4::bytea[]) AS r(s, c, p)",
                &[&to_i64(self.epoch), &seqs, &crcs, &payloads],
            )
            .map_err(url.database())?;
        }
        tx.execute(
            "SELECT pg_notify($1, $2)",
            &[&NOTIFY_CHANNEL, &last.to_string()],
        )
        .map_err(url.database())?;
        tx.commit().map_err(url.database())?;
        self.durable_seq = last;
        self.pending.clear();
        Ok(())
    }
}

impl JournalWriter for PgJournalWriter {
    fn next_seq(&self) -> u64 {
        self.durable_seq + self.pending.len() as u64 + 1
    }

    fn append(&mut self, payload: &[u8]) -> Result<u64, JournalError> {
        let seq = self.next_seq();
        self.pending.push((seq, payload.to_vec()));
        Ok(seq)
    }

    fn sync(&mut self) -> Result<(), JournalError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.commit().map_err(JournalError::from)
    }
}

/// Snapshots in the journal's database, written by the lease holder on its own connection.
pub struct PgSnapshots {
    client: Client,
    url: JournalUrl,
    epoch: u64,
}

impl std::fmt::Debug for PgSnapshots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgSnapshots")
            .field("url", &self.url)
            .field("epoch", &self.epoch)
            .finish_non_exhaustive()
    }
}

/// Older snapshots are kept as a fallback; the journal itself is never pruned.
const SNAPSHOTS_KEPT: i64 = 2;

impl PgSnapshots {
    pub fn new(client: Client, url: JournalUrl, epoch: u64) -> PgSnapshots {
        PgSnapshots { client, url, epoch }
    }

    fn store(&mut self, seq: u64, payload: &[u8]) -> Result<String, PgJournalError> {
        let url = &self.url;
        let mut tx = self.client.transaction().map_err(url.database())?;
        // Only the current epoch's holder, and only for a record already committed: a
        // fenced writer's memory may hold batches the journal never took.
        let stored = tx
            .execute(
                "INSERT INTO corridor_snapshots (seq, epoch, crc32c, payload)
                 SELECT $1, $2, $3, $4 FROM corridor_lease WHERE epoch = $2 AND last_seq >= $1
                 ON CONFLICT (seq) DO NOTHING",
                &[
                    &to_i64(seq),
                    &to_i64(self.epoch),
                    &record_crc(seq, payload),
                    &payload,
                ],
            )
            .map_err(url.database())?;
        if stored == 0 {
            let row = tx
                .query_one("SELECT epoch, holder FROM corridor_lease", &[])
                .map_err(url.database())?;
            let current = to_u64(url, "epoch", row.get(0))?;
            if current != self.epoch {
                return Err(PgJournalError::Fenced {
                    url: url.shown(),
                    epoch: self.epoch,
                    current,
                    holder: row.get(1),
                });
            }
        }
        tx.execute(
            "DELETE FROM corridor_snapshots WHERE seq < (
                 SELECT min(seq) FROM (SELECT seq FROM corridor_snapshots ORDER BY seq DESC LIMIT $1) AS kept)",
            &[&SNAPSHOTS_KEPT],
        )
        .map_err(url.database())?;
        tx.commit().map_err(url.database())?;
        Ok(format!("{url} corridor_snapshots seq {seq}"))
    }
}

impl SnapshotSink for PgSnapshots {
    fn write_snapshot(&mut self, seq: u64, payload: &[u8]) -> Result<String, JournalError> {
        self.store(seq, payload).map_err(JournalError::from)
    }
}
