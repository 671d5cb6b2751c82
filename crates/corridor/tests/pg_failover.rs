//! Writer and standby as real processes on one PostgreSQL journal (`CORRIDOR_TEST_PG_URL`,
//! which `scripts/with-postgres.sh` starts): a writer paused with SIGSTOP is replaced and,
//! resumed, can no longer append; and a writer SIGKILLed again and again under load from
//! several clients loses and repeats nothing, with every retry answered by its first result.

mod failover;

use std::time::{Duration, Instant};

use failover::*;

#[test]
fn a_paused_writer_is_fenced_out_and_steps_down_when_it_resumes() {
    let Some(journal) = test_database() else {
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let http = http();
    let (nodes, volga) = start_pair(&journal, root.path(), &http);
    let [mut a, mut b]: [Node; 2] = nodes.try_into().ok().expect("two nodes");
    let urls = [a.url()];
    pay_until_acknowledged(&http, &urls, &volga, &payment("PAUSE-1", &uetr(0, 1)));
    let old_epoch = a.health(&http).unwrap()["epoch"].as_u64().unwrap();

    a.signal("-STOP");
    let took_over = b.wait_role(&http, "writer");
    println!("takeover after SIGSTOP: {took_over:?}");
    let new_epoch = b.health(&http).unwrap()["epoch"].as_u64().unwrap();
    assert!(new_epoch > old_epoch);
    pay_until_acknowledged(&http, &[b.url()], &volga, &payment("PAUSE-2", &uetr(0, 2)));

    // A payment waits in the paused writer's socket; once resumed, the old writer cannot
    // append it: it answers 503, never success, and steps down to standby.
    let pending = {
        let (http, url, volga) = (http.clone(), a.url(), volga.clone());
        std::thread::spawn(move || {
            http.post(format!("{url}/v1/payments"))
                .bearer_auth(volga)
                .json(&payment("PAUSE-3", &uetr(0, 3)))
                .send()
                .map(|r| r.status().as_u16())
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    a.signal("-CONT");
    let answered = pending.join().unwrap();
    assert!(
        matches!(answered, Ok(503) | Err(_)),
        "the fenced writer must not acknowledge: {answered:?}"
    );
    a.wait_role(&http, "standby");
    let log = std::fs::read_to_string(&a.log).unwrap();
    assert!(
        log.contains("no longer current") || log.contains("taken over by another node"),
        "the old writer says why it stepped down:\n{log}"
    );

    // Nothing the old epoch wrote follows the new epoch's first record.
    let mut db = postgres::Client::connect(&journal, postgres::NoTls).unwrap();
    let row = db
        .query_one(
            "SELECT coalesce(max(seq) FILTER (WHERE epoch = $1), 0),
                    coalesce(min(seq) FILTER (WHERE epoch = $2), 0)
             FROM corridor_journal",
            &[&(old_epoch as i64), &(new_epoch as i64)],
        )
        .unwrap();
    let (old_last, new_first): (i64, i64) = (row.get(0), row.get(1));
    assert!(
        old_last < new_first,
        "old epoch wrote record {old_last} after {new_first}"
    );

    b.stop();
    a.wait_role(&http, "writer");
    a.stop();
    assert_eq!(a.stopped_state_hash(), b.stopped_state_hash());
}

#[test]
fn a_writer_killed_again_and_again_under_load_loses_and_repeats_nothing() {
    let Some(journal) = test_database() else {
        return;
    };
    let kills: usize = std::env::var("CORRIDOR_CHAOS_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(20);
    let root = tempfile::tempdir().unwrap();
    let http = http();
    let (mut nodes, volga) = start_pair(&journal, root.path(), &http);
    let urls: Vec<String> = nodes.iter().map(Node::url).collect();
    let load = Load::start(3, &urls, &volga);

    let mut takeovers = Vec::new();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..kills {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(200 + seed % 600));
        let writer = writer_of(&nodes, &http);
        let killed = Instant::now();
        nodes[writer].kill();
        nodes[1 - writer].wait_role(&http, "writer");
        takeovers.push(killed.elapsed());
        nodes[writer].spawn();
        nodes[writer].wait_role(&http, "standby");
    }
    let acknowledged = load.stop();
    takeovers.sort();
    println!(
        "{kills} kills, {} payments acknowledged, takeover median {:?}, max {:?}",
        acknowledged.len(),
        takeovers.get(takeovers.len() / 2),
        takeovers.last()
    );
    assert!(acknowledged.len() >= kills, "the clients kept paying");
    let writer = writer_of(&nodes, &http);
    assert_exactly_once(&http, &nodes[writer].url(), &volga, &acknowledged);
    assert_same_end_state(&mut nodes, &journal);
}

#[test]
fn an_unreachable_journal_stops_the_node_at_start_with_the_url_and_no_password() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(BIN)
        .args([
            "up",
            "--dev-tokens",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(dir.path())
        .args([
            "--journal",
            "postgresql://corridor:s3cr3t@127.0.0.1:1/corridor?connect_timeout=2",
        ])
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("cannot connect to the journal at postgresql://corridor:***@127.0.0.1:1"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cr3t"), "{stderr}");
}
