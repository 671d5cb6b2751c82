//! What the failover tests share: `corridor up --journal` as a process, payments sent until
//! some node acknowledges them, and the checks that nothing was lost or repeated.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_corridor");
pub const LEASE_MS: u64 = 1_000;

pub fn test_database() -> Option<String> {
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

pub fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()) % 1_000)
}

pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

/// A `corridor up --journal` process; killed when dropped.
pub struct Node {
    pub name: &'static str,
    journal: String,
    port: u16,
    pub data_dir: PathBuf,
    pub log: PathBuf,
    child: Option<Child>,
}

impl Node {
    pub fn start(name: &'static str, journal: &str, root: &Path) -> Node {
        let mut node = Node {
            name,
            journal: journal.to_string(),
            port: free_port(),
            data_dir: root.join(name),
            log: root.join(format!("{name}.log")),
            child: None,
        };
        node.spawn();
        node
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn spawn(&mut self) {
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

    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn signal(&self, signal: &str) {
        let pid = self.child.as_ref().expect("running").id().to_string();
        let status = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Stops the node as an operator does (SIGTERM): it finishes, snapshots, lets the
    /// lease go and logs its state hash.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let pid = child.id().to_string();
            let _ = Command::new("kill").args(["-TERM", &pid]).status();
            let _ = child.wait();
        }
    }

    pub fn health(&self, http: &reqwest::blocking::Client) -> Option<Value> {
        http.get(format!("{}/health", self.url()))
            .send()
            .ok()?
            .json()
            .ok()
    }

    pub fn wait_role(&self, http: &reqwest::blocking::Client, role: &str) -> Duration {
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
    pub fn stopped_state_hash(&self) -> String {
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

pub fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("HTTP client")
}

/// The writer's demo token for `subject`, once the demo is seeded: the operator's token,
/// registered last, is accepted.
pub fn token(node: &Node, http: &reqwest::blocking::Client, subject: &str) -> String {
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

pub fn payment(instruction_id: &str, uetr: &str) -> Value {
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

/// How the clients' UETRs start, to tell their payments from any other.
const UETR_PREFIX: &str = "5b2a3c4d";

pub fn uetr(client: usize, n: usize) -> String {
    format!("{UETR_PREFIX}-0000-4000-8000-{client:06x}{n:06x}")
}

/// Sends one payment to whichever node takes it, retrying the same instruction until one
/// answers; returns the payment number of every success (all must be the same).
pub fn pay_until_acknowledged(
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
            assert!(
                matches!(status.as_u16(), 503 | 429),
                "only unavailability and the rate limit are retried: {answer}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    answers
}

/// Every payment the bank sent, by UETR, read from `url` page by page.
pub fn payments_of(http: &reqwest::blocking::Client, url: &str, token: &str) -> Vec<Value> {
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

/// Clients paying as VOLGRUMM until stopped, each payment retried on either node until
/// one acknowledges it.
pub struct Load {
    running: Arc<AtomicBool>,
    clients: Vec<std::thread::JoinHandle<BTreeMap<String, u64>>>,
}

impl Load {
    pub fn start(clients: usize, urls: &[String], token: &str) -> Load {
        let running = Arc::new(AtomicBool::new(true));
        let clients = (0..clients)
            .map(|client| {
                let (urls, token, running) = (urls.to_vec(), token.to_string(), running.clone());
                std::thread::spawn(move || pay_while(&running, client, &urls, &token))
            })
            .collect();
        Load { running, clients }
    }

    /// Stops the clients; every payment acknowledged, by UETR, with its number.
    pub fn stop(self) -> BTreeMap<String, u64> {
        self.running.store(false, Ordering::Relaxed);
        let mut acknowledged = BTreeMap::new();
        for client in self.clients {
            acknowledged.extend(client.join().expect("client"));
        }
        acknowledged
    }
}

fn pay_while(
    running: &AtomicBool,
    client: usize,
    urls: &[String],
    token: &str,
) -> BTreeMap<String, u64> {
    let http = http();
    let mut acknowledged = BTreeMap::new();
    let mut n = 0;
    while running.load(Ordering::Relaxed) {
        n += 1;
        let id = uetr(client, n);
        let body = payment(&format!("CHAOS-{client}-{n}"), &id);
        let answers = pay_until_acknowledged(&http, urls, token, &body);
        assert!(
            answers.windows(2).all(|w| w[0] == w[1]),
            "retries answered differently: {answers:?}"
        );
        acknowledged.insert(id, answers[0]);
    }
    acknowledged
}

/// Nodes `a` (the writer, which seeds the demo corridor) and `b` (its standby) on
/// `journal`, and VOLGRUMM's token.
pub fn start_pair(
    journal: &str,
    root: &Path,
    http: &reqwest::blocking::Client,
) -> (Vec<Node>, String) {
    let a = Node::start("a", journal, root);
    a.wait_role(http, "writer");
    let volga = token(&a, http, "VOLGRUMM");
    let b = Node::start("b", journal, root);
    b.wait_role(http, "standby");
    (vec![a, b], volga)
}

/// The node that is the writer now.
pub fn writer_of(nodes: &[Node], http: &reqwest::blocking::Client) -> usize {
    nodes
        .iter()
        .position(|n| n.health(http).is_some_and(|h| h["role"] == "writer"))
        .expect("a writer")
}

/// Every acknowledged payment is there exactly once, under the number it was given, and
/// there is no payment of the clients' that was not acknowledged.
pub fn assert_exactly_once(
    http: &reqwest::blocking::Client,
    url: &str,
    token: &str,
    acknowledged: &BTreeMap<String, u64>,
) {
    let mut by_uetr: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for p in payments_of(http, url, token) {
        if let (Some(u), Some(id)) = (p["uetr"].as_str(), p["id"].as_u64()) {
            by_uetr.entry(u.to_string()).or_default().push(id);
        }
    }
    for (uetr, id) in acknowledged {
        assert_eq!(by_uetr.get(uetr), Some(&vec![*id]), "payment {uetr}");
    }
    let ours = by_uetr
        .keys()
        .filter(|u| u.starts_with(UETR_PREFIX))
        .count();
    assert_eq!(
        ours,
        acknowledged.len(),
        "no payment the clients were not told of"
    );
}

/// Lets the standby catch up, stops both nodes cleanly, and checks that both ended on the
/// same state and that `corridor journal verify` agrees.
pub fn assert_same_end_state(nodes: &mut [Node], journal: &str) {
    let http = http();
    let writer = writer_of(nodes, &http);
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
    let hash = nodes[0].stopped_state_hash();
    assert_eq!(hash, nodes[1].stopped_state_hash());
    let verify = Command::new(BIN)
        .args(["journal", "verify", "--journal", journal])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&verify.stdout);
    assert!(
        verify.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(report.contains("verify: OK"), "{report}");
    assert!(report.contains(&hash), "{report}");
}
