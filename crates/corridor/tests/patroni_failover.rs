//! The journal's PostgreSQL fails over under payment load: a primary and its synchronous
//! standby managed by Patroni (`scripts/with-patroni.sh` starts them and sets
//! `CORRIDOR_TEST_PATRONI_URL`, a multi-host URL with `target_session_attrs=read-write`).
//! The primary's postmaster is killed five times; Patroni promotes the standby, the nodes
//! reconnect through the URL and go on, and no acknowledged payment is lost or repeated.

mod failover;

use std::process::Command;
use std::time::{Duration, Instant};

use failover::*;

#[test]
fn the_primary_database_killed_under_load_loses_no_acknowledged_payment() {
    let (Ok(journal), Ok(dir)) = (
        std::env::var("CORRIDOR_TEST_PATRONI_URL"),
        std::env::var("CORRIDOR_TEST_PATRONI_DIR"),
    ) else {
        println!("skipped: run under scripts/with-patroni.sh");
        return;
    };
    let tool = |name: &str| std::path::Path::new(&dir).join(name);
    let root = tempfile::tempdir().unwrap();
    let http = http();
    let (mut nodes, volga) = start_pair(&journal, root.path(), &http);
    let urls: Vec<String> = nodes.iter().map(Node::url).collect();
    let load = Load::start(2, &urls, &volga);

    let mut outages = Vec::new();
    let mut probes = std::collections::BTreeMap::new();
    for round in 0..5 {
        std::thread::sleep(Duration::from_millis(500 + 300 * round));
        let killed = Instant::now();
        let out = Command::new(tool("kill-primary")).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The time until a payment sent after the kill is acknowledged again.
        let id = uetr(99, round as usize);
        let body = payment(&format!("PROBE-{round}"), &id);
        let answers = pay_until_acknowledged(&http, &urls, &volga, &body);
        outages.push(killed.elapsed());
        probes.insert(id, answers[0]);
        let healthy = Command::new(tool("wait-healthy"))
            .arg("90")
            .output()
            .unwrap();
        assert!(
            healthy.status.success(),
            "{}",
            String::from_utf8_lossy(&healthy.stderr)
        );
    }
    let mut acknowledged = load.stop();
    acknowledged.extend(probes);
    println!(
        "5 primary kills, {} payments acknowledged, payments acknowledged again after {outages:?}",
        acknowledged.len()
    );
    let writer = writer_of(&nodes, &http);
    assert_exactly_once(&http, &nodes[writer].url(), &volga, &acknowledged);
    assert_same_end_state(&mut nodes, &journal);
}
