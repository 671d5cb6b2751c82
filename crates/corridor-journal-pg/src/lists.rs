//! Watchlist files beside the journal: the lists the hub screens against must be where every
//! node can load them, or a standby that takes over would hold every payment as screened
//! against a list it lacks. Each list is stored whole (its description and its bytes as
//! published), replaced in one transaction; the hub's journal records which version counts.

use crate::{JournalUrl, PgJournalError};

/// One stored list: its name, its description (format and date, as the node writes it) and
/// the file as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredListFile {
    pub name: String,
    pub meta: Vec<u8>,
    pub body: Vec<u8>,
}

/// The `corridor_lists` table of a journal's database. Connects per operation: lists
/// change a few times a day.
#[derive(Debug, Clone)]
pub struct PgListStore {
    url: JournalUrl,
}

impl PgListStore {
    pub fn new(url: JournalUrl) -> PgListStore {
        PgListStore { url }
    }

    pub fn describe(&self) -> String {
        self.url.shown()
    }

    /// Stores `name`, replacing an older version whole.
    pub fn put(&self, list: &StoredListFile) -> Result<(), PgJournalError> {
        let mut client = self.url.connect("corridor lists")?;
        client
            .execute(
                "INSERT INTO corridor_lists (name, meta, body) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET meta = $2, body = $3, stored_at = now()",
                &[&list.name, &list.meta, &list.body],
            )
            .map_err(self.url.database())?;
        Ok(())
    }

    pub fn all(&self) -> Result<Vec<StoredListFile>, PgJournalError> {
        let mut client = self.url.connect("corridor lists")?;
        let rows = client
            .query(
                "SELECT name, meta, body FROM corridor_lists ORDER BY name",
                &[],
            )
            .map_err(self.url.database())?;
        Ok(rows
            .into_iter()
            .map(|row| StoredListFile {
                name: row.get(0),
                meta: row.get(1),
                body: row.get(2),
            })
            .collect())
    }
}
