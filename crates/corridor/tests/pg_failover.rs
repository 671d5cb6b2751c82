//! Writer and standby as real processes on one PostgreSQL journal (`CORRIDOR_TEST_PG_URL`,
//! which `scripts/with-postgres.sh` starts): a writer paused with SIGSTOP is replaced and,
//! resumed, can no longer append; and a writer SIGKILLed again and again under load from
//! several clients loses and repeats nothing, with every retry answered by its first result.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_corridor");
const LEASE_MS: u64 = 1_000;

fn test_database() -> Option<String> {
    let Ok(url) = std::env::var("CORRIDOR_TEST_PG_URL") else {
        println!("skipped: set CORRIDOR_TEST_PG_URL (scripts/with-postgres.sh does) to run it");
        return None;
    };
    let name = format!(
        "corridor_failover_{}",
        std::process::id() as u64 * 1_000 + rand_suffix()
    );
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("test PostgreSQL");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    let mut parts: Vec<&str> = url
        .split_whitespace()
        .filter(|p| !p.starts_with("dbname="))
        .collect();
    let db = format!("dbname={name}");
    parts.push(&db);
    Some(parts.join(" "))
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()) % 1_000)
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

/// A `corridor up --journal` process; killed when dropped.
struct Node {
    name: &'static str,
    journal: String,
    port: u16,
    data_dir: PathBuf,
    log: PathBuf,
    child: Option<Child>,
    starts: u32,
}

impl Node {
    fn start(name: &'static str, journal: &str, root: &Path) -> Node {
        let mut node = Node {
            name,
            journal: journal.to_string(),
            port: free_port(),
            data_dir: root.join(name),
            log: root.join(format!("{name}.log")),
            child: None,
            starts: 0,
        };
        node.spawn();
        node
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn spawn(&mut self) {
        self.starts += 1;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log file");
        let child = Command::new(BIN)
            .args([
                "up",
                "--demo",
                "--demo-rate",
                "0",
                "--journal",
                &self.journal,
            ])
            .args([
                "--node-name",
                self.name,
                "--lease-ms",
                &LEASE_MS.to_string(),
            ])
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .env("RUST_LOG", "info")
            .env_remove("CORRIDOR_JOURNAL_URL")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start corridor up");
        self.child = Some(child);
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn signal(&self, signal: &str) {
        let pid = self.child.as_ref().expect("running").id().to_string();
        let status = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Stops the node as an operator does (SIGTERM): it finishes, snapshots, lets the
    /// lease go and logs its state hash.
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let pid = child.id().to_string();
            let _ = Command::new("kill").args(["-TERM", &pid]).status();
            let _ = child.wait();
        }
    }

    fn health(&self, http: &reqwest::blocking::Client) -> Option<Value> {
        http.get(format!("{}/health", self.url()))
            .send()
            .ok()?
            .json()
            .ok()
    }

    fn wait_role(&self, http: &reqwest::blocking::Client, role: &str) -> Duration {
        let started = Instant::now();
        loop {
            if self.health(http).is_some_and(|h| h["role"] == role) {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{} never became {role}; its log:\n{}",
                self.name,
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The state hash the node logged when it stopped last.
    fn stopped_state_hash(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        log.lines()
            .filter(|l| l.contains("engine stopping"))
            .filter_map(|l| l.split("state_hash=").nth(1))
            .filter_map(|rest| rest.split_whitespace().next())
            .map(|h| h.trim_matches('"').to_string())
            .next_back()
            .unwrap_or_else(|| panic!("{} logged no state hash", self.name))
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("HTTP client")
}

/// The writer's demo token for `subject`, once the demo is seeded: the operator's token,
/// registered last, is accepted.
fn token(node: &Node, http: &reqwest::blocking::Client, subject: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let tokens: Option<Value> = std::fs::read_to_string(node.data_dir.join("credentials.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        let seeded = tokens
            .as_ref()
            .and_then(|t| t["operator"].as_str())
            .is_some_and(|operator| {
                http.get(format!("{}/v1/participants", node.url()))
                    .bearer_auth(operator)
                    .send()
                    .is_ok_and(|r| r.status().is_success())
            });
        if seeded && let Some(token) = tokens.as_ref().and_then(|t| t[subject].as_str()) {
            return token.to_string();
        }
        assert!(
            Instant::now() < deadline,
            "the demo was not seeded on {}",
            node.name
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn payment(instruction_id: &str, uetr: &str) -> Value {
    json!({
        "kind": "customer_credit_transfer",
        "instruction_id": instruction_id,
        "end_to_end_id": format!("E2E-{instruction_id}"),
        "uetr": uetr,
        "amount": "1.00",
        "currency": "RUB",
        "instructed_agent": "NEVARUMM",
        "debtor": {"name": "Ivan Petrov", "postal_address": {"town_name": "Moskva", "country": "RU"}},
        "debtor_account": {"other": "40702810000000000001"},
        "creditor": {"name": "Anna Smirnova", "country_of_residence": "RU"},
        "purpose": "GDDS",
        "remittance_information": "Invoice",
        "charge_bearer": "SHAR"
    })
}

fn uetr(client: usize, n: usize) -> String {
    format!("5b2a3c4d-0000-4000-8000-{:06x}{:06x}", client, n)
}

/// Sends one payment to whichever node takes it, retrying the same instruction until one
/// answers; returns the payment number of every success (all must be the same).
fn pay_until_acknowledged(
    http: &reqwest::blocking::Client,
    urls: &[String],
    token: &str,
    body: &Value,
) -> Vec<u64> {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut answers = Vec::new();
    let mut attempt = 0usize;
    while answers.is_empty() {
        assert!(Instant::now() < deadline, "never acknowledged: {body}");
        let url = &urls[attempt % urls.len()];
        attempt += 1;
        let Ok(response) = http
            .post(format!("{url}/v1/payments"))
            .bearer_auth(token)
            .json(body)
            .send()
        else {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        let status = response.status();
        let answer: Value = response.json().unwrap_or(Value::Null);
        if status.is_success() {
            answers.push(answer["payment"].as_u64().expect("a payment number"));
            // A retry of an acknowledged instruction must be answered the same.
            let again: Value = http
                .post(format!("{url}/v1/payments"))
                .bearer_auth(token)
                .json(body)
                .send()
                .ok()
                .filter(|r| r.status().is_success())
                .and_then(|r| r.json().ok())
                .unwrap_or(Value::Null);
            if let Some(n) = again["payment"].as_u64() {
                answers.push(n);
            }
        } else {
            assert_eq!(
                status.as_u16(),
                503,
                "only unavailability is retried: {answer}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    answers
}

/// Every payment the bank sent, by UETR, read from `url` page by page.
fn payments_of(http: &reqwest::blocking::Client, url: &str, token: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut request = http
            .get(format!("{url}/v1/payments?limit=1000"))
            .bearer_auth(token);
        if let Some(cursor) = &after {
            request = request.query(&[("after", cursor)]);
        }
        let response = request.send().expect("list payments");
        assert!(response.status().is_success());
        after = response
            .headers()
            .get("next-cursor")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let page: Vec<Value> = response.json().expect("a list");
        all.extend(page);
        if after.is_none() {
            return all;
        }
    }
}

#[test]
fn a_paused_writer_is_fenced_out_and_steps_down_when_it_resumes() {
    let Some(journal) = test_database() else {
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let http = http();
    let mut a = Node::start("a", &journal, root.path());
    a.wait_role(&http, "writer");
    let volga = token(&a, &http, "VOLGRUMM");
    let mut b = Node::start("b", &journal, root.path());
    b.wait_role(&http, "standby");
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
    let nodes = Arc::new(Mutex::new(vec![Node::start("a", &journal, root.path())]));
    nodes.lock().unwrap()[0].wait_role(&http, "writer");
    let volga = token(&nodes.lock().unwrap()[0], &http, "VOLGRUMM");
    let b = Node::start("b", &journal, root.path());
    b.wait_role(&http, "standby");
    nodes.lock().unwrap().push(b);
    let urls: Vec<String> = nodes.lock().unwrap().iter().map(Node::url).collect();

    let running = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let clients: Vec<_> = (0..3)
        .map(|client| {
            let (http, urls, volga, running) =
                (http.clone(), urls.clone(), volga.clone(), running.clone());
            std::thread::spawn(move || {
                let mut acknowledged = BTreeMap::new();
                let mut n = 0;
                while running.load(std::sync::atomic::Ordering::Relaxed) {
                    n += 1;
                    let id = uetr(client, n);
                    let answers = pay_until_acknowledged(
                        &http,
                        &urls,
                        &volga,
                        &payment(&format!("CHAOS-{client}-{n}"), &id),
                    );
                    assert!(
                        answers.windows(2).all(|w| w[0] == w[1]),
                        "retries answered differently: {answers:?}"
                    );
                    acknowledged.insert(id, answers[0]);
                }
                acknowledged
            })
        })
        .collect();

    let mut takeovers = Vec::new();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..kills {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(200 + seed % 600));
        let mut nodes = nodes.lock().unwrap();
        let writer = nodes
            .iter()
            .position(|n| n.health(&http).is_some_and(|h| h["role"] == "writer"))
            .expect("a writer");
        let killed = Instant::now();
        nodes[writer].kill();
        let other = 1 - writer;
        nodes[other].wait_role(&http, "writer");
        takeovers.push(killed.elapsed());
        nodes[writer].spawn();
        nodes[writer].wait_role(&http, "standby");
    }
    running.store(false, std::sync::atomic::Ordering::Relaxed);
    let mut acknowledged = BTreeMap::new();
    for client in clients {
        acknowledged.extend(client.join().expect("client"));
    }
    takeovers.sort();
    println!(
        "{kills} kills, {} payments acknowledged, takeover median {:?}, max {:?}",
        acknowledged.len(),
        takeovers.get(takeovers.len() / 2),
        takeovers.last()
    );
    assert!(acknowledged.len() >= kills, "the clients kept paying");

    // Every acknowledged payment is there exactly once, under the number it was given.
    let nodes_guard = nodes.lock().unwrap();
    let writer = nodes_guard
        .iter()
        .find(|n| n.health(&http).is_some_and(|h| h["role"] == "writer"))
        .expect("a writer");
    let listed = payments_of(&http, &writer.url(), &volga);
    let mut by_uetr: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for p in &listed {
        if let (Some(u), Some(id)) = (p["uetr"].as_str(), p["id"].as_u64()) {
            by_uetr.entry(u.to_string()).or_default().push(id);
        }
    }
    for (uetr, id) in &acknowledged {
        assert_eq!(by_uetr.get(uetr), Some(&vec![*id]), "payment {uetr}");
    }
    let chaos = by_uetr.keys().filter(|u| u.starts_with("5b2a3c4d")).count();
    assert_eq!(
        chaos,
        acknowledged.len(),
        "no payment the clients were not told of"
    );
    drop(nodes_guard);

    // Both nodes end on the same state, and the journal verifies.
    let mut nodes = Arc::try_unwrap(nodes)
        .ok()
        .expect("one owner")
        .into_inner()
        .unwrap();
    let writer = nodes
        .iter()
        .position(|n| n.health(&http).is_some_and(|h| h["role"] == "writer"))
        .unwrap();
    let applied = nodes[writer].health(&http).unwrap()["applied_seq"]
        .as_u64()
        .unwrap();
    let standby = 1 - writer;
    let deadline = Instant::now() + Duration::from_secs(30);
    while nodes[standby]
        .health(&http)
        .and_then(|h| h["applied_seq"].as_u64())
        < Some(applied)
    {
        assert!(Instant::now() < deadline, "the standby does not catch up");
        std::thread::sleep(Duration::from_millis(20));
    }
    nodes[standby].stop();
    nodes[writer].stop();
    assert_eq!(nodes[0].stopped_state_hash(), nodes[1].stopped_state_hash());
    let verify = Command::new(BIN)
        .args(["journal", "verify", "--journal", &journal])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&verify.stdout);
    assert!(
        verify.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(report.contains("verify: OK"), "{report}");
    assert!(report.contains(&nodes[0].stopped_state_hash()), "{report}");
}
