//! The `corridor` binary end to end: `up --demo` writes a real data directory, a clean stop
//! and a SIGKILL under load both recover, `journal verify` replays it, and a damaged journal
//! is refused with a reason.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn corridor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

struct Node {
    child: Child,
    base: String,
    stdout: Arc<Mutex<String>>,
}

/// Starts `corridor up` on a free port and waits until it serves (and, with `--demo`,
/// until the corridor is seeded).
fn up(data: &str, extra: &[&str]) -> Node {
    let mut child = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["up", "--data-dir", data, "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = Arc::new(Mutex::new(String::new()));
    let lines = BufReader::new(child.stdout.take().unwrap());
    let sink = stdout.clone();
    std::thread::spawn(move || {
        for line in lines.lines().map_while(Result::ok) {
            let mut out = sink.lock().unwrap();
            out.push_str(&line);
            out.push('\n');
        }
    });
    let ready_marker = if extra.contains(&"--demo") {
        "Try:"
    } else {
        "listening on"
    };
    let started = Instant::now();
    loop {
        let out = stdout.lock().unwrap().clone();
        if out.contains(ready_marker) {
            let base = out
                .split_once("listening on ")
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .unwrap()
                .to_string();
            return Node {
                child,
                base,
                stdout,
            };
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "node did not start: {out}"
        );
        if let Ok(Some(status)) = child.try_wait() {
            panic!("node exited early ({status}): {out}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn signal(node: &Node, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), node.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// SIGTERM, then waits for a clean exit.
fn stop(mut node: Node) -> String {
    signal(&node, "TERM");
    let status = node.child.wait().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let out = node.stdout.lock().unwrap().clone();
    assert!(status.success(), "{out}");
    assert!(out.contains("stopped cleanly"), "{out}");
    out
}

fn credentials(data: &str) -> Value {
    serde_json::from_slice(&std::fs::read(format!("{data}/credentials.json")).unwrap()).unwrap()
}

#[test]
fn up_demo_stops_cleanly_restarts_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let node = up(data, &["--demo", "--demo-rate", "200"]);
    std::thread::sleep(Duration::from_millis(1500));
    let first = stop(node);
    assert!(first.contains("DEVELOPMENT TOKEN MODE"), "{first}");
    let tokens = credentials(data);
    // The demo is idempotent: a second start seeds nothing new and keeps the credentials.
    let node = up(data, &["--demo"]);
    let second = stop(node);
    assert_eq!(credentials(data), tokens);
    assert!(
        second.contains(tokens["VOLGRUMM"].as_str().unwrap()),
        "{second}"
    );

    let verify = corridor(&["journal", "verify", "--data-dir", data]);
    let report = text(&verify);
    assert!(verify.status.success(), "{report}");
    assert!(report.contains("verify: OK"), "{report}");
    // Two agents, eight banks and two FX providers; 12 settlement, 4 FX inventory and 2
    // funding accounts.
    assert!(report.contains("12 participants, 18 accounts"), "{report}");
    let payments = report
        .lines()
        .find(|l| l.starts_with("payments: "))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(
        payments.contains("settled "),
        "the generator's payments settled: {report}"
    );

    let inspect = corridor(&[
        "journal",
        "inspect",
        "--data-dir",
        data,
        "--json",
        "--limit",
        "2",
    ]);
    assert!(inspect.status.success(), "{}", text(&inspect));
    let first: Value = serde_json::from_str(
        String::from_utf8_lossy(&inspect.stdout)
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["seq"], 1);
    assert_eq!(first["commands"]["admit_participant"], 1);
}

/// Sends payments from `bank` until told to stop or the node goes away; records every
/// payment whose answer was received (acknowledged), with the body that was sent.
fn load(
    base: String,
    token: String,
    bank: usize,
    round: usize,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Vec<(Value, Value)>>>,
) {
    let http = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let receivers = ["NEVARUMM", "URALRUMM", "BAIKRUMM"];
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let priority = ["normal", "high", "urgent"][n % 3];
        let body = json!({
            "kind": "customer_credit_transfer",
            "instruction_id": format!("K{round}-{bank}-{n}"),
            "end_to_end_id": format!("E-{round}-{bank}-{n}"),
            "uetr": corridor_core::Uetr::generate().to_string(),
            "amount": format!("{}.{:02}", 1 + n % 5000, n % 100),
            "currency": "RUB",
            "instructed_agent": receivers[n % receivers.len()],
            "debtor": {"name": "ООО «Волга Энергия»"},
            "creditor": {"name": "Anna Smirnova"},
            "priority": priority
        });
        let Ok(response) = http
            .post(format!("{base}/v1/payments"))
            .bearer_auth(&token)
            .json(&body)
            .send()
        else {
            return;
        };
        let Ok(receipt) = response.json::<Value>() else {
            return;
        };
        assert!(receipt["payment"].is_u64(), "{receipt}");
        acked.lock().unwrap().push((body, receipt));
    }
}

#[test]
fn sigkill_under_load_loses_no_acknowledged_payment_and_settles_none_twice() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    stop(up(data, &["--demo"]));
    let token = credentials(data)["VOLGRUMM"].as_str().unwrap().to_string();
    let acked = Arc::new(Mutex::new(Vec::new()));
    for round in 0..4 {
        // The load is as fast as the node answers, above a bank's default request rate.
        let node = up(
            data,
            &[
                "--demo",
                "--demo-rate",
                "100",
                "--rate-limit",
                "1000000",
                "--peer-rate-limit",
                "1000000",
            ],
        );
        let stop_flag = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = (0..4)
            .map(|bank| {
                let (base, token, stop_flag, acked) = (
                    node.base.clone(),
                    token.clone(),
                    stop_flag.clone(),
                    acked.clone(),
                );
                std::thread::spawn(move || load(base, token, bank, round, stop_flag, acked))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(400 + 300 * round as u64));
        let mut node = node;
        signal(&node, "KILL");
        node.child.wait().unwrap();
        stop_flag.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.join().unwrap();
        }
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 100,
        "the load ran: {} payments acknowledged",
        acked.len()
    );

    let node = up(
        data,
        &[
            "--dev-tokens",
            "--rate-limit",
            "1000000",
            "--peer-rate-limit",
            "1000000",
        ],
    );
    let http = reqwest::blocking::Client::new();
    let mut ids = std::collections::BTreeSet::new();
    for (body, receipt) in &acked {
        let id = receipt["payment"].as_u64().unwrap();
        assert!(ids.insert(id), "one payment per instruction: {receipt}");
        let view: Value = http
            .get(format!("{}/v1/payments/{id}", node.base))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(
            view["instruction"]["instruction_id"], body["instruction_id"],
            "{view}"
        );
        if receipt["status"] == "settled" {
            assert_eq!(
                view["status"], "settled",
                "a settled payment stays settled: {view}"
            );
        }
        let settled_events = view["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["status"] == "settled")
            .count();
        assert!(settled_events <= 1, "{view}");
    }
    // Retrying every acknowledged submission finds the first result, never a second payment.
    for (body, receipt) in acked.iter().step_by(7) {
        let retry: Value = http
            .post(format!("{}/v1/payments", node.base))
            .bearer_auth(&token)
            .json(body)
            .send()
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(retry["payment"], receipt["payment"], "{retry}");
        assert_eq!(retry["duplicate"], true);
    }
    stop(node);
    let verify = corridor(&["journal", "verify", "--data-dir", data]);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(text(&verify).contains("verify: OK"));
}

#[test]
fn verify_refuses_a_damaged_journal_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_str = data.to_str().unwrap();
    stop(up(data_str, &["--demo"]));
    let segment = std::fs::read_dir(data.join("journal"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut bytes = std::fs::read(&segment).unwrap();
    bytes[100] ^= 0x01;
    std::fs::write(&segment, &bytes).unwrap();
    let verify = corridor(&["journal", "verify", "--data-dir", data_str]);
    assert!(!verify.status.success());
    assert!(
        text(&verify).contains("corrupt record at byte"),
        "{}",
        text(&verify)
    );
    assert!(
        text(&verify).contains("checksum mismatch"),
        "{}",
        text(&verify)
    );

    let bad_version = dir.path().join("versioned");
    std::fs::create_dir_all(bad_version.join("journal")).unwrap();
    let mut header = b"CORRJRNL".to_vec();
    header.extend_from_slice(&99u32.to_le_bytes());
    header.extend_from_slice(&1u64.to_le_bytes());
    let crc = crc32c_of(&header);
    header.extend_from_slice(&crc.to_le_bytes());
    header.extend_from_slice(&[0u8; 64]);
    std::fs::write(
        bad_version.join("journal/journal-00000000000000000001.log"),
        &header,
    )
    .unwrap();
    let verify = corridor(&[
        "journal",
        "verify",
        "--data-dir",
        bad_version.to_str().unwrap(),
    ]);
    assert!(!verify.status.success());
    assert!(
        text(&verify).contains("format version 99 is not supported"),
        "{}",
        text(&verify)
    );
}

fn crc32c_of(bytes: &[u8]) -> u32 {
    // CRC-32C (Castagnoli), bit by bit: the test must not share the code it checks.
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
