//! The client commands against a real node: `corridor up --demo` on a free port, then the
//! commands as subprocesses with development tokens (`--as`, `--credentials`).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_corridor");

/// A demo node; killed when dropped, so a failed assertion does not leave it running.
struct DemoNode {
    child: Child,
    url: String,
    credentials: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for DemoNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

/// Starts `corridor up --demo` and waits until it answers an authenticated request with the
/// last token the demo registers (the operator's), so every token works. Retries on
/// another port if the chosen one was taken in the meantime.
fn start_node() -> DemoNode {
    for _attempt in 0..5 {
        let dir = tempfile::tempdir().expect("temporary directory");
        let port = free_port();
        let url = format!("http://127.0.0.1:{port}");
        let log = std::fs::File::create(dir.path().join("node.log")).expect("log file");
        let child = Command::new(BIN)
            .args(["up", "--demo", "--data-dir"])
            .arg(dir.path().join("data"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            // Few generated payments: the test's own stay easy to find and always fundable.
            .args(["--demo-rate", "1"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start corridor up");
        let mut node = DemoNode {
            child,
            url,
            credentials: dir.path().join("data").join("credentials.json"),
            _dir: dir,
        };
        if wait_ready(&mut node) {
            return node;
        }
        let log = std::fs::read_to_string(node._dir.path().join("node.log")).unwrap_or_default();
        eprintln!("node on port {port} did not start; retrying. Its log:\n{log}");
    }
    panic!("could not start a demo node");
}

fn wait_ready(node: &mut DemoNode) -> bool {
    let http = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("HTTP client");
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if node.child.try_wait().ok().flatten().is_some() {
            return false;
        }
        let healthy = http
            .get(format!("{}/health", node.url))
            .send()
            .is_ok_and(|r| r.status().is_success());
        if healthy && let Some(token) = token(&node.credentials, "operator") {
            let authorised = http
                .get(format!("{}/v1/participants", node.url))
                .bearer_auth(token)
                .send()
                .is_ok_and(|r| r.status().is_success());
            if authorised {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

fn token(credentials: &Path, subject: &str) -> Option<String> {
    let text = std::fs::read_to_string(credentials).ok()?;
    let tokens: Value = serde_json::from_str(&text).ok()?;
    tokens.get(subject)?.as_str().map(str::to_string)
}

/// Runs `corridor <args> --node <url> --credentials <file> --as <subject>`.
fn run(node: &DemoNode, subject: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .args(["--node", &node.url, "--as", subject, "--credentials"])
        .arg(&node.credentials)
        .env_remove("CORRIDOR_NODE")
        .env_remove("CORRIDOR_TOKEN")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run corridor")
}

/// Runs a command that must succeed and returns its stdout.
fn ok(node: &DemoNode, subject: &str, args: &[&str]) -> String {
    let out = run(node, subject, args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "corridor {args:?} as {subject} failed: {stderr}\n{stdout}"
    );
    stdout
}

/// Runs a command that must fail and returns its stderr.
fn fails(node: &DemoNode, subject: &str, args: &[&str]) -> String {
    let out = run(node, subject, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.status.success(),
        "corridor {args:?} as {subject} should have failed:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

const PAY: [&str; 11] = [
    "pay",
    "--to",
    "NEVARUMM",
    "--amount",
    "1500.00",
    "--currency",
    "RUB",
    "--debtor",
    "Ivan Petrov",
    "--creditor",
    "Anna Smirnova",
];

#[test]
fn client_commands_against_a_demo_node() {
    let node = start_node();

    // pay, as a table and as JSON.
    let table = ok(&node, "VOLGRUMM", &PAY);
    assert!(table.contains("settled"), "{table}");
    assert!(
        table.contains("CLI-"),
        "a generated instruction id: {table}"
    );
    let mut args = PAY.to_vec();
    args.extend([
        "--instruction-id",
        "TEST-CLIENT-1",
        "--purpose",
        "GDDS",
        "--json",
    ]);
    let receipt = json(&ok(&node, "VOLGRUMM", &args));
    assert_eq!(receipt["status"], "settled", "{receipt}");
    assert_eq!(receipt["instruction_id"], "TEST-CLIENT-1");
    assert_eq!(receipt["duplicate"], false);
    let id = receipt["payment"].as_u64().expect("payment id");
    let uetr = receipt["uetr"].as_str().expect("uetr").to_string();
    let id_text = id.to_string();

    // status, by number and by UETR: the summary and the history.
    let status = ok(&node, "VOLGRUMM", &["status", &id_text]);
    assert!(status.contains(&format!("Payment {id}")), "{status}");
    assert!(
        status.contains("VOLGRUMM -> NEVARUMM  1500.00 RUB  settled (ACSC)"),
        "{status}"
    );
    assert!(status.contains("History"), "{status}");
    assert!(status.contains("GDDS"), "{status}");
    let history_row = status
        .lines()
        .skip_while(|l| !l.starts_with("History"))
        .find(|l| l.contains("settled"))
        .unwrap_or_else(|| panic!("no settled row in the history:\n{status}"));
    assert!(
        history_row.contains("T") && history_row.contains("Z "),
        "an RFC 3339 UTC time: {history_row}"
    );
    let by_uetr = ok(&node, "NEVARUMM", &["status", &uetr]);
    assert!(by_uetr.contains(&format!("Payment {id}")), "{by_uetr}");

    // payments lists it (starting just before it, as the demo keeps adding payments).
    let after = (id - 1).to_string();
    let list = ok(
        &node,
        "VOLGRUMM",
        &[
            "payments",
            "--after",
            &after,
            "--counterparty",
            "NEVARUMM",
            "--from",
            "2000-01-01T00:00:00Z",
            "--to",
            "2500-01-01",
        ],
    );
    assert!(list.contains("TEST-CLIENT-1"), "{list}");
    assert!(list.contains(&uetr), "{list}");
    let page = json(&ok(
        &node,
        "VOLGRUMM",
        &["payments", "--after", &after, "--limit", "1", "--json"],
    ));
    assert_eq!(page[0]["id"].as_u64(), Some(id), "{page}");

    // statement of the sender's RUB settlement account shows the entry.
    let accounts = json(&ok(&node, "VOLGRUMM", &["accounts", "--json"]));
    let account = accounts
        .as_array()
        .expect("a list of accounts")
        .iter()
        .find(|a| a["currency"] == "RUB" && a["purpose"] == "settlement")
        .unwrap_or_else(|| panic!("no RUB settlement account: {accounts}"))["id"]
        .to_string();
    let table = ok(&node, "VOLGRUMM", &["accounts"]);
    assert!(table.contains("settlement"), "{table}");
    let statement = ok(&node, "VOLGRUMM", &["statement", &account]);
    assert!(statement.contains("opening balance"), "{statement}");
    assert!(statement.contains("closing balance"), "{statement}");
    let row = statement
        .lines()
        .find(|l| l.contains(&format!(" {id_text} ")) && l.contains("payment"))
        .unwrap_or_else(|| panic!("no entry of payment {id}:\n{statement}"));
    assert!(row.contains("1500.00"), "{row}");
    let statement = json(&ok(&node, "VOLGRUMM", &["statement", &account, "--json"]));
    let entries = statement["entries"].as_array().expect("entries");
    assert!(
        entries
            .iter()
            .any(|e| e["payment"].as_u64() == Some(id) && e["side"] == "debit"),
        "{statement}"
    );

    // A bank cannot see a payment between two other banks.
    let error = fails(&node, "ZAGRIRTH", &["status", &id_text]);
    assert!(error.contains("error: NOTF: "), "{error}");

    // A bad amount is refused by the node with its reason code.
    let mut args = PAY.to_vec();
    args[4] = "1.001";
    let error = fails(&node, "VOLGRUMM", &args);
    assert!(error.contains("error: AM12: "), "{error}");

    // Only a queued payment can be cancelled; the receiver may return part of it.
    let error = fails(
        &node,
        "VOLGRUMM",
        &["cancel", &id_text, "--reason", "CUST customer asked"],
    );
    assert!(error.contains("error: NOCN: "), "{error}");
    let returned = ok(
        &node,
        "NEVARUMM",
        &[
            "return",
            &id_text,
            "--return-id",
            "TEST-RET-1",
            "--amount",
            "100.00",
            "--reason",
            "AC04 closed",
        ],
    );
    assert!(returned.contains("settled"), "{returned}");

    // The sender recalls the rest; the receiver finds the recall and rejects it.
    let recalled = ok(
        &node,
        "VOLGRUMM",
        &[
            "recall",
            &id_text,
            "--id",
            "TEST-CXL-1",
            "--reason",
            "DUPL sent twice",
        ],
    );
    assert!(recalled.contains(": open"), "{recalled}");
    let listed = ok(&node, "NEVARUMM", &["recalls"]);
    assert!(
        listed.contains("DUPL") && listed.contains("VOLGRUMM"),
        "{listed}"
    );
    let recall_id = json(&ok(&node, "NEVARUMM", &["recalls", "--json"]))[0]["id"].to_string();
    let answered = ok(
        &node,
        "NEVARUMM",
        &[
            "answer",
            &recall_id,
            "reject",
            "--reason",
            "CUST customer refuses",
        ],
    );
    assert!(answered.contains(": rejected"), "{answered}");
    assert!(answered.contains("CUST: customer refuses"), "{answered}");

    // The settlement agent funds a bank; the bank sees it in its outbox.
    let funded = ok(
        &node,
        "CBRFRUMM",
        &[
            "fund",
            "--participant",
            "VOLGRUMM",
            "--currency",
            "RUB",
            "--amount",
            "100.50",
            "--reference",
            "TEST-FUND-1",
        ],
    );
    assert!(funded.contains("100.50 RUB"), "{funded}");
    let outbox = json(&ok(
        &node,
        "VOLGRUMM",
        &["outbox", "--limit", "2", "--json"],
    ));
    assert_eq!(outbox["messages"][0]["seq"], 1, "{outbox}");
    let shown = ok(&node, "VOLGRUMM", &["outbox", "--limit", "2", "--ack"]);
    assert!(shown.contains("acknowledged up to 2"), "{shown}");
    let outbox = json(&ok(
        &node,
        "VOLGRUMM",
        &["outbox", "--limit", "1", "--json"],
    ));
    assert_eq!(outbox["messages"][0]["seq"], 3, "{outbox}");

    // The operator closes the business day: statements for every account; closing it
    // again sends nothing new; a bank may not close a day; an impossible date is DT01.
    let closed = ok(&node, "operator", &["end-of-day", "2026-11-24"]);
    assert!(
        closed.contains("Closed business day 2026-11-24"),
        "{closed}"
    );
    let receipt = json(&ok(
        &node,
        "operator",
        &["end-of-day", "2026-11-24", "--json"],
    ));
    assert_eq!(receipt["duplicate"], true, "{receipt}");
    assert!(receipt["day"]["statements"].as_u64() > Some(0), "{receipt}");
    let refused = fails(&node, "VOLGRUMM", &["end-of-day", "2026-11-25"]);
    assert!(refused.contains("only the operator"), "{refused}");
    let impossible = fails(&node, "operator", &["end-of-day", "2026-02-30"]);
    assert!(impossible.contains("DT01"), "{impossible}");

    // Limits and reservations: a bank sets its own and reads them back; another bank's
    // are refused.
    let set = ok(
        &node,
        "VOLGRUMM",
        &[
            "liquidity-controls",
            "set",
            "VOLGRUMM",
            "RUB",
            "--urgent-reserve",
            "10.00",
            "--bilateral",
            "NEVARUMM=500.00",
        ],
    );
    assert!(set.contains("set"), "{set}");
    let shown = ok(
        &node,
        "VOLGRUMM",
        &["liquidity-controls", "show", "VOLGRUMM", "RUB"],
    );
    for part in ["10.00", "NEVARUMM", "500.00", "participant:VOLGRUMM"] {
        assert!(shown.contains(part), "{shown}");
    }
    let refused = fails(
        &node,
        "NEVARUMM",
        &["liquidity-controls", "show", "VOLGRUMM", "RUB"],
    );
    assert!(refused.contains("AG01"), "{refused}");
    let refused = fails(
        &node,
        "VOLGRUMM",
        &[
            "liquidity-controls",
            "set",
            "VOLGRUMM",
            "RUB",
            "--bilateral",
            "NEVARUMM",
        ],
    );
    assert!(refused.contains("BIC=AMOUNT"), "{refused}");

    // Net settlement: the operator sets it for small payments and closes the window; a bank
    // reads its own position.
    let set = ok(
        &node,
        "operator",
        &[
            "net-settlement",
            "set",
            "RUB",
            "--up-to",
            "0.05",
            "--cap",
            "VOLGRUMM=1.00",
        ],
    );
    assert!(set.contains("set"), "{set}");
    let refused = fails(&node, "VOLGRUMM", &["net-settlement", "close", "RUB"]);
    assert!(refused.contains("only the operator"), "{refused}");
    let shown = ok(&node, "VOLGRUMM", &["net-settlement", "show", "RUB"]);
    assert!(shown.contains("up to 0.05 RUB"), "{shown}");
    let closed = ok(&node, "operator", &["net-settlement", "close", "RUB"]);
    assert!(closed.contains("closed"), "{closed}");
    let windows = json(&ok(
        &node,
        "operator",
        &["net-settlement", "show", "RUB", "--json"],
    ));
    assert_eq!(windows["windows"][1]["state"], "settled", "{windows}");
    let refused = fails(
        &node,
        "operator",
        &["net-settlement", "abort", "RUB", "1", "NARR test"],
    );
    assert!(refused.contains("NARR"), "{refused}");
    ok(&node, "operator", &["net-settlement", "set", "RUB"]);

    // participants: the demo's twelve (two agents, eight banks, two FX providers).
    let list = json(&ok(&node, "auditor", &["participants", "--json"]));
    assert_eq!(list.as_array().map(Vec::len), Some(12), "{list}");
    let table = ok(&node, "auditor", &["participants"]);
    for bic in ["VOLGRUMM", "NEVARUMM", "ZAGRIRTH", "CBRFRUMM", "CBIRIRTH"] {
        assert!(table.contains(bic), "{table}");
    }
    assert!(table.contains("12 participants"), "{table}");

    // A node that is not there: the URL and how to start one.
    let out = Command::new(BIN)
        .args(["accounts", "--token", "x", "--node"])
        .arg(format!("http://127.0.0.1:{}", free_port()))
        .output()
        .expect("run corridor");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("http://127.0.0.1:"), "{stderr}");
    assert!(stderr.contains("corridor up --demo"), "{stderr}");

    drop(node);
}

#[test]
fn quote_then_pay_the_quote_from_the_command_line() {
    let node = start_node();
    let quote_args = [
        "quote",
        "--to",
        "ZAGRIRTH",
        "--sell",
        "RUB",
        "--buy",
        "IRR",
        "--amount",
        "2500.00",
        "--charges",
        "DEBT",
    ];
    let shown = ok(&node, "VOLGRUMM", &quote_args);
    assert!(shown.contains("route RUB -> IRR"), "{shown}");
    assert!(
        shown.contains("CASPRUMM") && shown.contains("SILKIRTH"),
        "{shown}"
    );
    let mut json_args = quote_args.to_vec();
    json_args.push("--json");
    let q = json(&ok(&node, "VOLGRUMM", &json_args));
    let id = q["id"].as_u64().expect("quote id").to_string();
    let paid = json(&ok(
        &node,
        "VOLGRUMM",
        &[
            "pay",
            "--quote",
            &id,
            "--debtor",
            "Ivan Petrov",
            "--creditor",
            "Reza Karimi",
            "--json",
        ],
    ));
    assert_eq!(paid["status"], "settled", "{paid}");
    let payment = paid["payment"].as_u64().unwrap().to_string();
    let status = ok(&node, "ZAGRIRTH", &["status", &payment]);
    assert!(status.contains("Cross-currency"), "{status}");
    assert!(
        status.contains(&format!("{} IRR", q["creditor_receives"].as_str().unwrap())),
        "{status}"
    );
    // Another bank cannot see it, nor pay it.
    let refused = fails(
        &node,
        "NEVARUMM",
        &["pay", "--quote", &id, "--debtor", "X", "--creditor", "Y"],
    );
    assert!(refused.contains("NOTF"), "{refused}");
    // Reference rates: an agent loads a file, everyone sees them.
    let file = node.credentials.with_file_name("rates.csv");
    std::fs::write(&file, "base,quote,rate\nRUB,IRR,516.75\n").unwrap();
    ok(
        &node,
        "CBIRIRTH",
        &["rates", "load", file.to_str().unwrap()],
    );
    let rates = ok(&node, "VOLGRUMM", &["rates", "show"]);
    assert!(rates.contains("516.75"), "{rates}");
    let refused = fails(
        &node,
        "VOLGRUMM",
        &["rates", "load", file.to_str().unwrap()],
    );
    assert!(refused.contains("AG01"), "{refused}");
}

#[test]
fn a_held_payment_is_decided_from_the_command_line_and_the_audit_chain_verifies() {
    let node = start_node();
    let mut args = PAY.to_vec();
    args[10] = "Борис Санкционов";
    args.push("--json");
    let receipt = json(&ok(&node, "VOLGRUMM", &args));
    assert_eq!(receipt["status"], "held", "{receipt}");
    let id = receipt["payment"].as_u64().expect("payment id").to_string();

    let lists = ok(&node, "officer:VOLGRUMM:olga", &["lists"]);
    assert!(lists.contains("demo") && lists.contains("yes"), "{lists}");
    let holds = ok(&node, "officer:VOLGRUMM:olga", &["holds", "--open"]);
    assert!(holds.contains(&id) && holds.contains("DEMO-1"), "{holds}");
    let refused = fails(&node, "VOLGRUMM", &["holds"]);
    assert!(refused.contains("AG01"), "{refused}");

    // A sanctions hold is released by the operator's officers only.
    let decided = ok(
        &node,
        "officer:olga",
        &[
            "decide",
            &id,
            "release",
            "--reason",
            "born 1990, not the listed man",
        ],
    );
    assert!(decided.contains("released"), "{decided}");
    let status = ok(&node, "VOLGRUMM", &["status", &id]);
    assert!(status.contains("settled"), "{status}");

    let dir = tempfile::tempdir().expect("temporary directory");
    let list = dir.path().join("own.csv");
    std::fs::write(
        &list,
        "id,kind,name,aliases,dates_of_birth,countries,identifiers\nCLI-1,person,Kazimir Zapretov,,1955;1955-13,RU,\n",
    )
    .expect("write the list");
    let path = list.to_string_lossy().into_owned();
    let loaded = ok(
        &node,
        "operator",
        &[
            "lists",
            "load",
            &path,
            "--format",
            "csv",
            "--name",
            "ops",
            "--date",
            "2026-11-20",
        ],
    );
    assert!(
        loaded.contains("Loaded ops of 2026-11-20: 1 entries, 1 values skipped"),
        "{loaded}"
    );
    assert!(
        loaded.contains("skipped in CLI-1 dates_of_birth: \"1955-13\""),
        "{loaded}"
    );
    let lists = ok(&node, "operator", &["lists"]);
    assert!(lists.contains("skipped"), "{lists}");

    let audit = ok(&node, "auditor", &["audit"]);
    assert!(audit.starts_with("Audit chain verified:"), "{audit}");
    let head = audit
        .trim()
        .rsplit(' ')
        .next()
        .expect("a head hash")
        .to_string();
    let again = ok(&node, "auditor", &["audit", "--since", &head]);
    assert!(again.contains("verified"), "{again}");
    let cut = fails(&node, "auditor", &["audit", "--since", &"0".repeat(64)]);
    assert!(cut.contains("no longer contains"), "{cut}");
}
