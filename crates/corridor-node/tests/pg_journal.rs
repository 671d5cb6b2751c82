//! The journal on PostgreSQL, in process: the same state as the embedded journal from the
//! same records, recovery from a snapshot stored in the database, a standby that follows,
//! serves reads, refuses writes with the writer's address and takes over without losing or
//! repeating a payment, and an old writer fenced out of the journal.

mod support;

use std::time::{Duration, Instant};

use corridor_engine::{StartFrom, recover, recover_from};
use corridor_journal::{Journal, JournalConfig, JournalWriter, ScanMode};
use corridor_journal_pg::{JournalUrl, PgSource};
use corridor_ledger::StateMachine;
use corridor_settlement::Hub;
use reqwest::StatusCode;
use support::pg::{fresh_database, journal, session};
use support::{TestNode, payment};

async fn pay_some(node: &TestNode, prefix: &str, count: usize) {
    for i in 0..count {
        let body = payment(&format!("{prefix}-{i}"), "NEVARUMM", "10.00", "RUB");
        let (status, answer) = node.post("VOLGRUMM", "/v1/payments", &body).await;
        assert!(status.is_success(), "{status} {answer}");
    }
}

/// Waits until `node` has applied record `seq` at least.
async fn wait_applied(node: &TestNode, seq: u64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let health = node.health().await;
        if health["applied_seq"].as_u64().unwrap_or(0) >= seq {
            return;
        }
        assert!(Instant::now() < deadline, "standby stuck at {health}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn wait_role(node: &TestNode, role: &str) -> Duration {
    let started = Instant::now();
    loop {
        let health = node.health().await;
        if health["role"] == role {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "still {health}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_records_give_the_same_state_on_postgresql_and_on_disk() {
    let Some(url) = fresh_database() else { return };
    // A long lease: this test is about the records, not about losing the lease on a
    // machine busy with other tests.
    let mut node = TestNode::start_on(journal(&url, "a", 10_000), None).await;
    pay_some(&node, "SAME", 20).await;
    let live_hash = node.state_hash().await;
    let health = node.health().await;
    assert_eq!(health["role"], "writer", "{health}");
    assert_eq!(health["journal"], "postgresql", "{health}");
    assert!(health["epoch"].as_u64().unwrap() >= 1, "{health}");
    node.node.take().unwrap().shutdown().await;

    // Recovery from the snapshot the shutdown stored in the database, and from genesis.
    let pg_url = JournalUrl::new(&url);
    let recovered = |start| {
        let mut source = PgSource::new(pg_url.connect("test").unwrap(), pg_url.clone());
        recover_from::<Hub>(&mut source, start).unwrap()
    };
    let (from_snapshot, recovery) =
        tokio::task::block_in_place(|| recovered(StartFrom::LatestSnapshot));
    assert!(
        recovery.snapshot_seq.is_some(),
        "the shutdown stored a snapshot"
    );
    let (from_genesis, full) = tokio::task::block_in_place(|| recovered(StartFrom::Genesis));
    assert_eq!(from_snapshot.state_hash(), live_hash);
    assert_eq!(from_genesis.state_hash(), live_hash);

    // The very same record bytes in an embedded journal replay to the same state.
    let records = tokio::task::block_in_place(|| {
        let mut source = PgSource::new(pg_url.connect("test").unwrap(), pg_url.clone());
        source.records_after(0, 1_000_000).unwrap()
    });
    assert_eq!(records.len() as u64, full.last_seq);
    let dir = tempfile::tempdir().unwrap();
    let journal_dir = corridor_engine::journal_dir(dir.path());
    std::fs::create_dir_all(&journal_dir).unwrap();
    let report = Journal::scan(&journal_dir, ScanMode::Repair, 0, |_, _| Ok(())).unwrap();
    let mut embedded = Journal::open(&journal_dir, JournalConfig::default(), &report).unwrap();
    for (_, payload) in &records {
        embedded.append(payload).unwrap();
    }
    JournalWriter::sync(&mut embedded).unwrap();
    let (on_disk, _) = recover::<Hub>(dir.path(), ScanMode::ReadOnly, StartFrom::Genesis).unwrap();
    assert_eq!(on_disk.state_hash(), live_hash);

    // A restarted node recovers the same state and goes on writing.
    let restarted = TestNode::start_on(journal(&url, "a", 10_000), Some(node.tokens.clone())).await;
    wait_role(&restarted, "writer").await;
    assert_eq!(restarted.state_hash().await, live_hash);
    pay_some(&restarted, "AFTER", 2).await;
    restarted.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_follows_serves_reads_refuses_writes_and_takes_over() {
    let Some(url) = fresh_database() else { return };
    let mut writer = TestNode::start_on(journal(&url, "a", 1_000), None).await;
    let standby = TestNode::start_on(journal(&url, "b", 1_000), Some(writer.tokens.clone())).await;
    assert_eq!(standby.health().await["role"], "standby");
    let first = payment("TAKEOVER-1", "NEVARUMM", "25.00", "RUB");
    let (status, accepted) = writer.post("VOLGRUMM", "/v1/payments", &first).await;
    assert!(status.is_success(), "{accepted}");
    let id = accepted["payment"].as_u64().unwrap();
    wait_applied(
        &standby,
        writer.health().await["applied_seq"].as_u64().unwrap(),
    )
    .await;
    assert_eq!(standby.state_hash().await, writer.state_hash().await);

    // Reads on the standby, with the same rules: the sender sees its payment, another bank
    // does not.
    let (status, read) = standby.get("VOLGRUMM", &format!("/v1/payments/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read["id"], id);
    let (status, _) = standby.get("URALRUMM", &format!("/v1/payments/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Writes are refused with the writer's address; only the writer is ready.
    let second = payment("TAKEOVER-2", "NEVARUMM", "26.00", "RUB");
    let (status, refused) = standby.post("VOLGRUMM", "/v1/payments", &second).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{refused}");
    assert_eq!(refused["error"]["code"], "STBY");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("http://a.test"),
        "{refused}"
    );
    assert_eq!(
        standby.status_of(None, "/ready").await,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(writer.status_of(None, "/ready").await, StatusCode::OK);

    // The writer stops (its lease released): the standby takes over, the retry of the
    // first payment gets its first answer, the refused one goes through now.
    writer.node.take().unwrap().shutdown().await;
    let took = wait_role(&standby, "writer").await;
    assert!(took < Duration::from_secs(5), "takeover took {took:?}");
    let (status, again) = standby.post("VOLGRUMM", "/v1/payments", &first).await;
    assert!(status.is_success(), "{again}");
    assert_eq!(
        again["id"], accepted["id"],
        "the retry is answered with the first result"
    );
    let (status, now) = standby.post("VOLGRUMM", "/v1/payments", &second).await;
    assert_eq!(status, StatusCode::CREATED, "{now}");
    assert_eq!(
        now["status"], "settled",
        "screened against the lists the old writer stored, not held for want of them: {now}"
    );
    assert_eq!(standby.status_of(None, "/ready").await, StatusCode::OK);
    standby.stop().await;
}

#[test]
fn a_fenced_writer_appends_nothing_and_a_damaged_journal_is_refused_by_record() {
    let Some(url) = fresh_database() else { return };
    let pg = JournalUrl::new(&url);
    let mut admin = session(&url);
    corridor_journal_pg::schema::migrate(&mut admin, &pg).unwrap();
    let lease =
        |node| corridor_journal_pg::Lease::new(pg.clone(), node, "", Duration::from_millis(50));
    let old = lease("old")
        .try_acquire(&mut admin)
        .unwrap()
        .expect("a free lease");
    let mut old_writer =
        corridor_journal_pg::PgJournalWriter::connect(&pg, "old", old.epoch, old.last_seq).unwrap();
    let record = corridor_engine::record::RecordBuilder::new(corridor_core::Timestamp(1)).finish();
    old_writer.append(&record).unwrap();
    old_writer.sync().unwrap();

    std::thread::sleep(Duration::from_millis(80));
    let new = lease("new")
        .try_acquire(&mut admin)
        .unwrap()
        .expect("expired, so free");
    assert_eq!(new.epoch, old.epoch + 1);
    assert_eq!(new.last_seq, 1);
    old_writer.append(&record).unwrap();
    let refused = old_writer.sync().unwrap_err().to_string();
    assert!(refused.contains("no longer current"), "{refused}");
    assert!(refused.contains("new holds epoch"), "{refused}");
    let rows: i64 = admin
        .query_one("SELECT count(*) FROM corridor_journal", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 1, "the fenced append left nothing");

    // A record edited by hand fails its checksum; a removed one leaves a gap. Either way
    // recovery names the record and applies nothing past it.
    let mut new_writer =
        corridor_journal_pg::PgJournalWriter::connect(&pg, "new", new.epoch, new.last_seq).unwrap();
    for _ in 0..3 {
        new_writer.append(&record).unwrap();
    }
    new_writer.sync().unwrap();
    let recover = || {
        let mut source = PgSource::new(pg.connect("test").unwrap(), pg.clone());
        recover_from::<Hub>(&mut source, StartFrom::Genesis).map(|(_, r)| r.last_seq)
    };
    assert_eq!(recover().unwrap(), 4);
    admin
        .execute(
            "UPDATE corridor_journal SET payload = payload || '\\x00'::bytea WHERE seq = 3",
            &[],
        )
        .unwrap();
    let damaged = recover().unwrap_err().to_string();
    assert!(damaged.contains("record 3 fails its checksum"), "{damaged}");
    assert!(
        damaged.contains("nothing applied past record 2"),
        "{damaged}"
    );
    admin
        .execute("DELETE FROM corridor_journal WHERE seq = 3", &[])
        .unwrap();
    let gap = recover().unwrap_err().to_string();
    assert!(
        gap.contains("record 4 where record 3 was expected"),
        "{gap}"
    );

    // Another version in the meta row is refused, naming both.
    admin
        .execute("UPDATE corridor_meta SET format_version = 6", &[])
        .unwrap();
    let other = corridor_journal_pg::schema::migrate(&mut admin, &pg)
        .unwrap_err()
        .to_string();
    assert!(other.contains("format version 6"), "{other}");
    assert!(
        other.contains(&format!(
            "format version {}",
            corridor_journal::FORMAT_VERSION
        )),
        "{other}"
    );
}

#[test]
fn an_unreachable_journal_is_a_clear_error_without_the_password() {
    let url =
        JournalUrl::new("postgresql://corridor:s3cr3t@127.0.0.1:1/corridor?connect_timeout=2");
    let Err(error) = url.connect("test") else {
        panic!("nothing listens on port 1")
    };
    let error = error.to_string();
    assert!(
        error.contains("cannot connect to the journal at postgresql://corridor:***@127.0.0.1:1"),
        "{error}"
    );
    assert!(!error.contains("s3cr3t"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_without_rights_to_create_the_schema_is_refused_at_start() {
    let Some(url) = fresh_database() else { return };
    support::pg::run_sql(
        &url,
        "DO $$ BEGIN CREATE ROLE corridor_reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
    );
    let reader = format!("{url} user=corridor_reader");
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::config(dir.path());
    config.postgres = Some(journal(&reader, "a", 1_000));
    let error = corridor_node::start(config).await.unwrap_err().to_string();
    assert!(error.contains("permission denied"), "{error}");
    assert!(
        error.contains("user=corridor_reader"),
        "the error names the journal: {error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_that_loses_the_database_refuses_with_the_reason_then_resumes() {
    let Some(url) = fresh_database() else { return };
    let node = TestNode::start_on(journal(&url, "a", 1_000), None).await;
    pay_some(&node, "BEFORE", 2).await;
    let epoch = node.health().await["epoch"].as_u64().unwrap();

    // Every session of the node is cut, as when the database restarts.
    support::pg::run_sql(
        &url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'corridor a'",
    );
    let body = payment("LOST-1", "NEVARUMM", "10.00", "RUB");
    let (status, refused) = node.post("VOLGRUMM", "/v1/payments", &body).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{refused}");
    let reason = refused["error"]["message"].as_str().unwrap();
    assert!(
        reason.contains("the journal refused the last write"),
        "{reason}"
    );

    // It rebuilds from the journal and takes its lease back: the same instruction goes
    // through once.
    let deadline = Instant::now() + Duration::from_secs(20);
    let accepted = loop {
        let (status, answer) = node.post("VOLGRUMM", "/v1/payments", &body).await;
        if status.is_success() {
            break answer;
        }
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
        assert!(Instant::now() < deadline, "never resumed: {answer}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let (status, again) = node.post("VOLGRUMM", "/v1/payments", &body).await;
    assert!(status.is_success(), "{again}");
    assert_eq!(again["payment"], accepted["payment"]);
    let health = node.health().await;
    assert_eq!(health["role"], "writer", "{health}");
    assert!(health["epoch"].as_u64().unwrap() > epoch, "{health}");
    node.stop().await;
}
