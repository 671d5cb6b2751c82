//! Snapshots in the journal's database: stored only by the current epoch's holder and only
//! for a record already committed, in parts (a `bytea` value holds at most 1 GiB), all parts
//! of one snapshot in one transaction, so a snapshot is there whole or not at all.

use corridor_journal::{JournalError, SnapshotSink, StoredSnapshot};
use postgres::Client;

use crate::{JournalUrl, PgJournalError, record_crc, to_i64, to_u64};

/// Bytes per stored part: well under PostgreSQL's 1 GiB per value.
const PART_BYTES: usize = 256 << 20;

/// Older snapshots are kept as a fallback; the journal itself is never pruned.
const SNAPSHOTS_KEPT: i64 = 2;

/// The lease holder's snapshot store, on its own connection.
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

impl PgSnapshots {
    pub fn new(client: Client, url: JournalUrl, epoch: u64) -> PgSnapshots {
        PgSnapshots { client, url, epoch }
    }

    fn store(&mut self, seq: u64, payload: &[u8]) -> Result<String, PgJournalError> {
        let url = &self.url;
        let mut tx = self.client.transaction().map_err(url.database())?;
        // The lease row is held for the transaction: a takeover waits, and a writer fenced
        // out already (whose memory may hold batches the journal never took) stores nothing.
        let lease = tx
            .query_one(
                "SELECT epoch, holder, last_seq FROM corridor_lease FOR SHARE",
                &[],
            )
            .map_err(url.database())?;
        let current = to_u64(url, "epoch", lease.get(0))?;
        if current != self.epoch {
            return Err(PgJournalError::Fenced {
                url: url.shown(),
                epoch: self.epoch,
                current,
                holder: lease.get(1),
            });
        }
        let last_seq = to_u64(url, "last_seq", lease.get(2))?;
        if seq > last_seq {
            return Err(PgJournalError::SnapshotAhead {
                url: url.shown(),
                seq,
                last_seq,
            });
        }
        let parts: Vec<&[u8]> = payload.chunks(PART_BYTES).collect();
        let count = i32::try_from(parts.len().max(1)).unwrap_or(i32::MAX);
        let empty: &[u8] = &[];
        for (part, bytes) in (0..count).zip(parts.into_iter().chain(std::iter::once(empty))) {
            tx.execute(
                "INSERT INTO corridor_snapshots (seq, part, parts, epoch, crc32c, payload)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (seq, part) DO NOTHING",
                &[
                    &to_i64(seq),
                    &part,
                    &count,
                    &to_i64(self.epoch),
                    &record_crc(seq, bytes),
                    &bytes,
                ],
            )
            .map_err(url.database())?;
        }
        tx.execute(
            "DELETE FROM corridor_snapshots WHERE seq < (
                 SELECT min(seq) FROM (
                     SELECT DISTINCT seq FROM corridor_snapshots ORDER BY seq DESC LIMIT $1
                 ) AS kept)",
            &[&SNAPSHOTS_KEPT],
        )
        .map_err(url.database())?;
        tx.commit().map_err(url.database())?;
        Ok(format!(
            "{url} corridor_snapshots seq {seq} ({count} parts)"
        ))
    }
}

impl SnapshotSink for PgSnapshots {
    fn write_snapshot(&mut self, seq: u64, payload: &[u8]) -> Result<String, JournalError> {
        self.store(seq, payload).map_err(JournalError::from)
    }
}

/// The newest snapshot, its parts checked and joined.
pub(crate) fn latest(
    client: &mut Client,
    url: &JournalUrl,
) -> Result<Option<StoredSnapshot>, PgJournalError> {
    let newest = client
        .query_one("SELECT max(seq) FROM corridor_snapshots", &[])
        .map_err(url.database())?;
    let Some(seq) = newest.get::<_, Option<i64>>(0) else {
        return Ok(None);
    };
    let seq = to_u64(url, "seq", seq)?;
    let rows = client
        .query(
            "SELECT part, parts, crc32c, payload FROM corridor_snapshots WHERE seq = $1 ORDER BY part",
            &[&to_i64(seq)],
        )
        .map_err(url.database())?;
    let damaged = || PgJournalError::SnapshotDamaged {
        url: url.shown(),
        seq,
    };
    let mut payload = Vec::new();
    for (expected, row) in (0i32..).zip(&rows) {
        let (part, parts): (i32, i32) = (row.get(0), row.get(1));
        let bytes: &[u8] = row.get(3);
        let whole = usize::try_from(parts).is_ok_and(|p| p == rows.len());
        if part != expected || !whole || row.get::<_, i64>(2) != record_crc(seq, bytes) {
            return Err(damaged());
        }
        payload.extend_from_slice(bytes);
    }
    if rows.is_empty() {
        return Err(damaged());
    }
    Ok(Some(StoredSnapshot {
        seq,
        location: format!("{url} corridor_snapshots seq {seq}"),
        payload,
    }))
}
