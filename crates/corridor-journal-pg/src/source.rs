//! Reading the journal back, for recovery, for a standby following the writer, and for
//! `corridor journal verify`: every record checked for its place (no gap, nothing out of
//! order) and its checksum, and nothing handed on past the first bad one.

use corridor_journal::{JournalError, RecordSource, RecordVisitor, StoredSnapshot};
use std::time::Duration;

use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;

use crate::{JournalUrl, NOTIFY_CHANNEL, PgJournalError, record_crc, to_i64, to_u64};

/// Records read per round trip.
const PAGE_RECORDS: i64 = 512;

pub struct PgSource {
    client: Client,
    url: JournalUrl,
}

impl std::fmt::Debug for PgSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgSource")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl PgSource {
    pub fn new(client: Client, url: JournalUrl) -> PgSource {
        PgSource { client, url }
    }

    /// Asks to be told of every commit from now on (see [`PgSource::wait_for_commit`]).
    pub fn listen(&mut self) -> Result<(), PgJournalError> {
        self.client
            .batch_execute(&format!("LISTEN {NOTIFY_CHANNEL}"))
            .map_err(self.url.database())
    }

    /// Waits until the writer commits (or `timeout` passes), once listening. Every
    /// notification already waiting is taken too: one catch-up reads all their records.
    pub fn wait_for_commit(&mut self, timeout: Duration) -> Result<(), PgJournalError> {
        let mut notifications = self.client.notifications();
        notifications
            .timeout_iter(timeout)
            .next()
            .map_err(self.url.database())?;
        let mut pending = notifications.iter();
        while pending.next().map_err(self.url.database())?.is_some() {}
        Ok(())
    }

    /// The checksum of record `seq` as the journal holds it now, if it holds it.
    pub fn checksum_of(&mut self, seq: u64) -> Result<Option<i64>, PgJournalError> {
        let row = self
            .client
            .query_opt(
                "SELECT crc32c FROM corridor_journal WHERE seq = $1",
                &[&to_i64(seq)],
            )
            .map_err(self.url.database())?;
        Ok(row.map(|r| r.get(0)))
    }

    /// Up to `limit` records after `after`, checked, in order.
    pub fn records_after(
        &mut self,
        after: u64,
        limit: i64,
    ) -> Result<Vec<(u64, Vec<u8>)>, PgJournalError> {
        let url = &self.url;
        let rows = self
            .client
            .query(
                "SELECT seq, crc32c, payload FROM corridor_journal WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&to_i64(after), &limit],
            )
            .map_err(url.database())?;
        let mut records = Vec::with_capacity(rows.len());
        for (expected, row) in (after + 1..).zip(rows) {
            let seq = to_u64(url, "seq", row.get(0))?;
            if seq != expected {
                return Err(PgJournalError::Gap {
                    url: url.shown(),
                    expected,
                    found: seq,
                });
            }
            let payload: Vec<u8> = row.get(2);
            if row.get::<_, i64>(1) != record_crc(seq, &payload) {
                return Err(PgJournalError::Checksum {
                    url: url.shown(),
                    seq,
                });
            }
            records.push((seq, payload));
        }
        Ok(records)
    }

    /// The last record the lease row says was committed; the records must reach it.
    fn committed_seq(&mut self) -> Result<u64, PgJournalError> {
        let url = &self.url;
        let row = self
            .client
            .query_one("SELECT last_seq FROM corridor_lease", &[])
            .map_err(url.database())?;
        to_u64(url, "last_seq", row.get(0))
    }

    fn scan_records(&mut self, after: u64, apply: RecordVisitor<'_>) -> Result<u64, JournalError> {
        let committed = self.committed_seq()?;
        let mut last = after;
        loop {
            let page = self.records_after(last, PAGE_RECORDS)?;
            let Some((end, _)) = page.last() else {
                break;
            };
            let end = *end;
            for (seq, payload) in page {
                apply(seq, &payload).map_err(|reason| JournalError::Replay { seq, reason })?;
            }
            last = end;
        }
        if last < committed {
            return Err(PgJournalError::Gap {
                url: self.url.shown(),
                expected: last + 1,
                found: committed,
            }
            .into());
        }
        Ok(last)
    }
}

impl RecordSource for PgSource {
    fn latest_snapshot(&mut self) -> Result<Option<StoredSnapshot>, JournalError> {
        crate::snapshots::latest(&mut self.client, &self.url).map_err(JournalError::from)
    }

    fn scan(&mut self, after: u64, apply: RecordVisitor<'_>) -> Result<u64, JournalError> {
        self.scan_records(after, apply)
    }
}
