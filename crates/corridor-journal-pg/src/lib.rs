//! The journal on PostgreSQL, beside the embedded one: the same records (a batch's commands
//! and engine time, opaque here) in a table keyed by a gapless sequence, snapshots in
//! another, and a lease row naming the one node that may append. Several Corridor nodes
//! share one database: the lease holder writes, the others follow.
//!
//! Fencing invariant: every append transaction moves the lease row's `last_seq` forward
//! only if the row still carries the appender's epoch, in the same transaction as the
//! records. Taking the lease over increments the epoch, so once a new writer holds it, an
//! old writer (paused, cut off, or simply slow) can never append again, whatever its clock
//! says: the row lock orders the two transactions and the epoch decides.
//!
//! Nothing here knows about ledgers or the engine; the engine reaches this crate through
//! the traits of `corridor-journal`.

mod lease;
mod lists;
pub mod schema;
mod snapshots;
mod source;
mod writer;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub use lease::{Lease, LeaseHolder};
pub use lists::{PgListStore, StoredListFile};
pub use schema::{SCHEMA_VERSION, SCHEME};
pub use snapshots::PgSnapshots;
pub use source::PgSource;
pub use writer::PgJournalWriter;

use corridor_journal::JournalError;

/// A session with the journal's database, as [`JournalUrl::connect`] opens it.
pub type PgClient = postgres::Client;

/// The notification channel a writer signals after each commit; standbys listen on it.
pub const NOTIFY_CHANNEL: &str = "corridor_journal";

#[derive(Debug, thiserror::Error)]
pub enum PgJournalError {
    #[error("cannot connect to the journal at {url}: {}", detail(.source))]
    Unreachable {
        url: String,
        source: postgres::Error,
    },
    #[error("journal at {url}: {}", detail(.source))]
    Database {
        url: String,
        source: postgres::Error,
    },
    #[error("{url} is not a PostgreSQL connection string: {reason}")]
    BadUrl { url: String, reason: String },
    #[error(
        "journal at {url} is {found}; this build reads and writes {SCHEME} format version {format_version} schema version {SCHEMA_VERSION}: refusing it",
        format_version = corridor_journal::FORMAT_VERSION
    )]
    OtherVersion { url: String, found: String },
    #[error(
        "journal at {url}: record {found} where record {expected} was expected (a gap or a record out of place); nothing applied past record {last_good}",
        last_good = expected - 1
    )]
    Gap {
        url: String,
        expected: u64,
        found: u64,
    },
    #[error(
        "journal at {url}: record {seq} fails its checksum (edited or damaged); nothing applied past record {last_good}",
        last_good = seq - 1
    )]
    Checksum { url: String, seq: u64 },
    #[error(
        "journal at {url}: the snapshot after record {seq} is damaged (a part missing, out of place or failing its checksum)"
    )]
    SnapshotDamaged { url: String, seq: u64 },
    #[error(
        "journal at {url}: a snapshot after record {seq} was refused: the journal's last committed record is {last_seq}"
    )]
    SnapshotAhead {
        url: String,
        seq: u64,
        last_seq: u64,
    },
    #[error(
        "journal at {url}: this node's lease (epoch {epoch}) is no longer current: {holder} holds epoch {current}; nothing was appended"
    )]
    Fenced {
        url: String,
        epoch: u64,
        current: u64,
        holder: String,
    },
    #[error(
        "journal at {url}: the commit of records up to {seq} was not confirmed by the synchronous standby (its wait was cancelled); they are not acknowledged"
    )]
    NotReplicated { url: String, seq: u64 },
    #[error("journal at {url}: the value {value} of column {column} is out of range")]
    OutOfRange {
        url: String,
        column: &'static str,
        value: i64,
    },
}

/// The server's own message and SQLSTATE for an error it reported; otherwise the client's
/// error, whose text already names its cause (a refused connection, a timeout).
fn detail(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => error.to_string(),
    }
}

impl From<PgJournalError> for JournalError {
    fn from(e: PgJournalError) -> JournalError {
        JournalError::Backend(Box::new(e))
    }
}

/// A connection string as the operator gave it, and the same without its password for
/// every message and log line.
#[derive(Clone)]
pub struct JournalUrl {
    url: String,
    shown: String,
}

impl std::fmt::Debug for JournalUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Display for JournalUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl JournalUrl {
    pub fn new(url: &str) -> JournalUrl {
        JournalUrl {
            url: url.to_string(),
            shown: hide_password(url),
        }
    }

    /// True for a PostgreSQL connection string: a URL, or libpq's `key=value` pairs.
    pub fn is_postgres(text: &str) -> bool {
        text.starts_with("postgresql://") || text.starts_with("postgres://") || text.contains('=')
    }

    pub(crate) fn shown(&self) -> String {
        self.shown.clone()
    }

    /// Opens a session for the journal: synchronous commit on (a COMMIT returns once the
    /// record is durable, on the synchronous standby too when the server has one), a
    /// bounded connect time and TCP keepalives so a lost server is noticed. No statement
    /// timeout: under strict synchronous replication a COMMIT rightly waits for the standby.
    pub fn connect(&self, application: &str) -> Result<postgres::Client, PgJournalError> {
        self.connect_watching(application, None)
    }

    /// [`JournalUrl::connect`], raising `not_replicated` when the server warns that a
    /// COMMIT stopped waiting for the synchronous standby (the wait was cancelled): the
    /// transaction is then committed on the primary alone and may be lost in a failover,
    /// so its records must not be acknowledged.
    pub(crate) fn connect_watching(
        &self,
        application: &str,
        not_replicated: Option<Arc<AtomicBool>>,
    ) -> Result<postgres::Client, PgJournalError> {
        let mut config: postgres::Config =
            self.url
                .parse()
                .map_err(|e: postgres::Error| PgJournalError::BadUrl {
                    url: self.shown(),
                    reason: e.to_string(),
                })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        // A database that vanished without closing the connection (a host or network lost)
        // is noticed within about 11 s rather than the operating system's minutes.
        config.keepalives_idle(Duration::from_secs(5));
        config.keepalives_interval(Duration::from_secs(2));
        config.keepalives_retries(3);
        config.application_name(application);
        if let Some(flag) = not_replicated {
            config.notice_callback(move |notice| {
                if notice.message().contains("synchronous replication") {
                    tracing::error!(notice = %notice.message(), "a commit was not confirmed by the synchronous standby");
                    flag.store(true, Ordering::Release);
                }
            });
        }
        let mut client =
            config
                .connect(postgres::NoTls)
                .map_err(|source| PgJournalError::Unreachable {
                    url: self.shown(),
                    source,
                })?;
        // No timeout may cut a COMMIT's wait for the standby short (see above).
        client
            .batch_execute("SET synchronous_commit TO on; SET statement_timeout TO 0")
            .map_err(self.database())?;
        Ok(client)
    }

    pub(crate) fn database(&self) -> impl Fn(postgres::Error) -> PgJournalError + '_ {
        move |source| PgJournalError::Database {
            url: self.shown(),
            source,
        }
    }
}

/// `postgresql://user:secret@host/db` and `password=secret` shown with `***` instead.
fn hide_password(url: &str) -> String {
    let mut shown = url.to_string();
    if let Some(scheme_end) = shown.find("://") {
        let rest = &shown[scheme_end + 3..];
        let authority_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@')
            && let Some(colon) = rest[..at].find(':')
        {
            let from = scheme_end + 3 + colon + 1;
            let to = scheme_end + 3 + at;
            shown.replace_range(from..to, "***");
        }
    }
    mask_values(&shown, "password")
}

pub(crate) fn to_u64(
    url: &JournalUrl,
    column: &'static str,
    value: i64,
) -> Result<u64, PgJournalError> {
    u64::try_from(value).map_err(|_| PgJournalError::OutOfRange {
        url: url.shown(),
        column,
        value,
    })
}

pub(crate) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A record's checksum covers its number too, so a record copied to another place fails.
pub fn record_crc(seq: u64, payload: &[u8]) -> i64 {
    let crc = crc32c::crc32c_append(crc32c::crc32c(&seq.to_le_bytes()), payload);
    i64::from(crc)
}

/// Every value of a key ending in `key` (`password`, `sslpassword`) in libpq's `key=value`
/// or URL query form, spaces around `=` and quoted values included, shown as `***`.
fn mask_values(text: &str, key: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(found) = rest.find(key) {
        let after_key = &rest[found + key.len()..];
        let trimmed = after_key.trim_start();
        let Some(value) = trimmed.strip_prefix('=') else {
            shown.push_str(&rest[..found + key.len()]);
            rest = after_key;
            continue;
        };
        let value = value.trim_start();
        let value_len = if let Some(quoted) = value.strip_prefix('\'') {
            quoted_len(quoted) + 1
        } else {
            value.find([' ', '&']).unwrap_or(value.len())
        };
        shown.push_str(&rest[..rest.len() - value.len()]);
        shown.push_str("***");
        rest = &value[value_len..];
    }
    shown.push_str(rest);
    shown
}

/// Bytes of a single-quoted libpq value after its opening quote, up to and including the
/// closing one (a backslash escapes the next character).
fn quoted_len(quoted: &str) -> usize {
    let mut escaped = false;
    for (at, c) in quoted.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '\'' => return at + 1,
            _ => {}
        }
    }
    quoted.len()
}

#[cfg(test)]
mod tests {
    use super::hide_password;

    #[test]
    fn passwords_never_shown() {
        assert_eq!(
            hide_password("postgresql://corridor:s3cr3t@db1:5432,db2:5432/corridor"),
            "postgresql://corridor:***@db1:5432,db2:5432/corridor"
        );
        assert_eq!(
            hide_password("postgresql://db1/corridor?user=c&password=s3cr3t&sslmode=require"),
            "postgresql://db1/corridor?user=c&password=***&sslmode=require"
        );
        assert_eq!(
            hide_password("host=/tmp port=5432 password=s3cr3t dbname=c"),
            "host=/tmp port=5432 password=*** dbname=c"
        );
        assert_eq!(
            hide_password("postgresql://corridor@db1/corridor"),
            "postgresql://corridor@db1/corridor"
        );
        assert_eq!(
            hide_password("host=db password = 's3 cr\\'3t' user=c sslpassword=k3y"),
            "host=db password = *** user=c sslpassword=***"
        );
    }
}
