//! A fresh database per test on the PostgreSQL that `scripts/with-postgres.sh` starts
//! (`CORRIDOR_TEST_PG_URL`), for the journal on PostgreSQL.

use std::time::Duration;

use corridor_node::replication::PgJournalConfig;

/// A new empty database's connection string, or `None` (the test says it is skipped) when
/// no server is configured.
pub fn fresh_database() -> Option<String> {
    let Ok(url) = std::env::var("CORRIDOR_TEST_PG_URL") else {
        println!("skipped: set CORRIDOR_TEST_PG_URL (scripts/with-postgres.sh does) to run it");
        return None;
    };
    let name = format!("corridor_test_{}", uuid_like());
    run_sql(&url, &format!("CREATE DATABASE {name}"));
    Some(with_database(&url, &name))
}

/// `url` (key=value form, as the script exports it) naming database `name` instead.
fn with_database(url: &str, name: &str) -> String {
    let mut parts: Vec<String> = url
        .split_whitespace()
        .filter(|p| !p.starts_with("dbname="))
        .map(str::to_string)
        .collect();
    parts.push(format!("dbname={name}"));
    parts.join(" ")
}

fn uuid_like() -> String {
    corridor_core::Uetr::generate()
        .to_string()
        .replace('-', "")
        .chars()
        .take(16)
        .collect()
}

pub fn journal(url: &str, node: &str, lease_ms: u64) -> PgJournalConfig {
    PgJournalConfig {
        url: url.to_string(),
        node_name: node.to_string(),
        advertise_url: format!("http://{node}.test"),
        lease: Duration::from_millis(lease_ms),
    }
}

/// Runs `sql` on `url`, on a thread of its own: the blocking client may not run on an
/// async runtime's thread.
pub fn run_sql(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("test PostgreSQL");
        client.batch_execute(&sql).expect("test SQL");
    })
    .join()
    .expect("test SQL thread");
}

/// A session on the test database, to look at or tamper with the tables.
pub fn session(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("test database")
}
