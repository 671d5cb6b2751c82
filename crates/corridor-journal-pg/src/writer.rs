//! The writer's side: appends gathered in memory and committed as one transaction per group
//! commit, fenced by the lease epoch in that same transaction.

use corridor_journal::{JournalError, JournalWriter};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use postgres::Client;

use crate::{JournalUrl, NOTIFY_CHANNEL, PgJournalError, record_crc, to_i64, to_u64};

/// Most records in one INSERT: bounds one statement's size; a group commit with more
/// simply sends several in its one transaction.
const RECORDS_PER_INSERT: usize = 1_024;

pub struct PgJournalWriter {
    client: Client,
    /// Raised by the server's warning that a COMMIT's wait for the standby was cancelled.
    not_replicated: Arc<AtomicBool>,
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
    /// A writer under the lease `epoch`, whose journal ends at record `last_seq`, on a
    /// connection of its own.
    pub fn connect(
        url: &JournalUrl,
        application: &str,
        epoch: u64,
        last_seq: u64,
    ) -> Result<PgJournalWriter, PgJournalError> {
        let not_replicated = Arc::new(AtomicBool::new(false));
        let client = url.connect_watching(application, Some(not_replicated.clone()))?;
        Ok(PgJournalWriter {
            client,
            not_replicated,
            url: url.clone(),
            epoch,
            durable_seq: last_seq,
            pending: Vec::new(),
        })
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
        self.not_replicated.store(false, Ordering::Release);
        tx.commit().map_err(url.database())?;
        if self.not_replicated.load(Ordering::Acquire) {
            return Err(PgJournalError::NotReplicated {
                url: url.shown(),
                seq: last,
            });
        }
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
