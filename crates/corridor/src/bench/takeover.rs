//! `corridor bench api --journal URL`, its takeover part: how long payments stop when the
//! writer dies. Two `corridor up --journal` processes share the journal (the writer and a
//! standby, each with the node's own lease time); the writer is SIGKILLed at a random
//! instant while a client pays through the standby's address, and the time from the kill to
//! the first payment the new writer acknowledges is one sample. The killed node is started
//! again, as the standby, before the next round.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

/// A `corridor up --journal` process of the benchmark; killed when dropped.
struct BenchNode {
    name: &'static str,
    port: u16,
    data_dir: PathBuf,
    child: Option<Child>,
}

impl BenchNode {
    fn start(name: &'static str, journal: &str, lease_ms: u64, dir: &Path) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut node = BenchNode {
            name,
            port,
            data_dir: dir.join(name),
            child: None,
        };
        node.spawn(journal, lease_ms)?;
        Ok(node)
    }

    fn spawn(&mut self, journal: &str, lease_ms: u64) -> anyhow::Result<()> {
        let exe = std::env::current_exe().context("finding the corridor executable")?;
        let child = Command::new(exe)
            .args(["up", "--demo", "--demo-rate", "0", "--journal", journal])
            .args([
                "--node-name",
                self.name,
                "--lease-ms",
                &lease_ms.to_string(),
            ])
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting corridor up")?;
        self.child = Some(child);
        Ok(())
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn role(&self, http: &reqwest::blocking::Client) -> Option<String> {
        let health: Value = http
            .get(format!("{}/health", self.url()))
            .send()
            .ok()?
            .json()
            .ok()?;
        health["role"].as_str().map(str::to_string)
    }

    fn wait_role(&self, http: &reqwest::blocking::Client, role: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.role(http).as_deref() != Some(role) {
            if Instant::now() > deadline {
                bail!("node {} did not become {role}", self.name);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }
}

impl Drop for BenchNode {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The demo token of `subject` once the writer has seeded the corridor.
fn token(
    node: &BenchNode,
    http: &reqwest::blocking::Client,
    subject: &str,
) -> anyhow::Result<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
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
            return Ok(token.to_string());
        }
        if Instant::now() > deadline {
            bail!("the demo corridor was not seeded on node {}", node.name);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn payment(n: usize) -> Value {
    json!({
        "kind": "customer_credit_transfer",
        "instruction_id": format!("TAKEOVER-{}-{n}", std::process::id()),
        "end_to_end_id": format!("E2E-TAKEOVER-{n}"),
        "uetr": corridor_core::Uetr::generate().to_string(),
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

/// Sends `body` to `url` until it is acknowledged.
fn pay(
    http: &reqwest::blocking::Client,
    url: &str,
    token: &str,
    body: &Value,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let answered = http
            .post(format!("{url}/v1/payments"))
            .bearer_auth(token)
            .json(body)
            .send()
            .is_ok_and(|r| r.status().is_success());
        if answered {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("no node acknowledged a payment for two minutes");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// `kills` takeover times: writer SIGKILLed -> first payment acknowledged by the new one.
pub fn takeover_times(
    journal: &str,
    lease_ms: u64,
    kills: usize,
    dir: &Path,
) -> anyhow::Result<Vec<Duration>> {
    let http = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()?;
    // One after the other: the first takes the lease, the second follows it.
    let first = BenchNode::start("bench-a", journal, lease_ms, dir)?;
    first.wait_role(&http, "writer")?;
    let volga = token(&first, &http, "VOLGRUMM")?;
    let second = BenchNode::start("bench-b", journal, lease_ms, dir)?;
    second.wait_role(&http, "standby")?;
    let mut nodes = [first, second];
    let mut writer = 0;
    let mut times = Vec::with_capacity(kills);
    for round in 0..kills {
        let standby = 1 - writer;
        pay(&http, &nodes[writer].url(), &volga, &payment(2 * round))?;
        std::thread::sleep(Duration::from_millis(100 + (round as u64 * 37) % 400));
        let killed = Instant::now();
        nodes[writer].kill();
        pay(
            &http,
            &nodes[standby].url(),
            &volga,
            &payment(2 * round + 1),
        )?;
        times.push(killed.elapsed());
        nodes[writer].spawn(journal, lease_ms)?;
        nodes[writer].wait_role(&http, "standby")?;
        writer = standby;
    }
    Ok(times)
}
