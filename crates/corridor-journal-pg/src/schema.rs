//! The journal's tables, created and versioned by the node: one migration step, run under
//! an advisory lock so two nodes starting together do not race, refusing a database that
//! holds another scheme or another version and naming both.

use corridor_journal::FORMAT_VERSION;
use postgres::{Client, GenericClient};

use crate::{JournalUrl, PgJournalError};

/// What the meta row names this journal as.
pub const SCHEME: &str = "corridor-journal";
/// The layout of the tables below. The records' own layout is `FORMAT_VERSION`.
pub const SCHEMA_VERSION: i32 = 1;

/// Any constant: it only has to be the same for every node creating the schema.
const MIGRATION_LOCK: i64 = 0x636f_7272_6964_6f72;

const CREATE: &str = "
CREATE TABLE corridor_meta (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    scheme text NOT NULL,
    schema_version integer NOT NULL,
    format_version integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE corridor_journal (
    seq bigint PRIMARY KEY CHECK (seq > 0),
    epoch bigint NOT NULL,
    crc32c bigint NOT NULL,
    payload bytea NOT NULL
);
CREATE TABLE corridor_snapshots (
    seq bigint NOT NULL CHECK (seq > 0),
    part integer NOT NULL CHECK (part >= 0),
    parts integer NOT NULL CHECK (parts > part),
    epoch bigint NOT NULL,
    crc32c bigint NOT NULL,
    payload bytea NOT NULL,
    PRIMARY KEY (seq, part)
);
CREATE TABLE corridor_lease (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    epoch bigint NOT NULL,
    holder text NOT NULL,
    holder_url text NOT NULL,
    expires_at timestamptz NOT NULL,
    last_seq bigint NOT NULL
);
CREATE TABLE corridor_lists (
    name text PRIMARY KEY,
    meta bytea NOT NULL,
    body bytea NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO corridor_lease VALUES (true, 0, '', '', '-infinity', 0);
";

/// Creates the tables in an empty database, or checks that those there are this build's.
pub fn migrate(client: &mut Client, url: &JournalUrl) -> Result<(), PgJournalError> {
    let mut tx = client.transaction().map_err(url.database())?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(url.database())?;
    let exists: bool = tx
        .query_one("SELECT to_regclass('corridor_meta') IS NOT NULL", &[])
        .map_err(url.database())?
        .get(0);
    if !exists {
        tx.batch_execute(CREATE).map_err(url.database())?;
        tx.execute(
            "INSERT INTO corridor_meta (scheme, schema_version, format_version) VALUES ($1, $2, $3)",
            &[&SCHEME, &SCHEMA_VERSION, &(FORMAT_VERSION as i32)],
        )
        .map_err(url.database())?;
        tx.commit().map_err(url.database())?;
        tracing::info!(journal = %url, schema_version = SCHEMA_VERSION, "journal schema created");
        return Ok(());
    }
    check_meta(&mut tx, url)
}

/// Checks, without changing anything, that the database holds this build's journal: what a
/// read-only tool does before reading.
pub fn check(client: &mut Client, url: &JournalUrl) -> Result<(), PgJournalError> {
    let exists: bool = client
        .query_one("SELECT to_regclass('corridor_meta') IS NOT NULL", &[])
        .map_err(url.database())?
        .get(0);
    if !exists {
        return Err(PgJournalError::OtherVersion {
            url: url.shown(),
            found: "a database without a journal (no corridor_meta table)".into(),
        });
    }
    check_meta(client, url)
}

fn check_meta(client: &mut impl GenericClient, url: &JournalUrl) -> Result<(), PgJournalError> {
    let row = client
        .query_opt(
            "SELECT scheme, schema_version, format_version FROM corridor_meta",
            &[],
        )
        .map_err(url.database())?;
    let found = match row {
        None => "an empty corridor_meta table".to_string(),
        Some(row) => {
            let (scheme, schema, format): (String, i32, i32) = (row.get(0), row.get(1), row.get(2));
            if scheme == SCHEME && schema == SCHEMA_VERSION && format == FORMAT_VERSION as i32 {
                return Ok(());
            }
            format!("{scheme} format version {format} schema version {schema}")
        }
    };
    Err(PgJournalError::OtherVersion {
        url: url.shown(),
        found,
    })
}
