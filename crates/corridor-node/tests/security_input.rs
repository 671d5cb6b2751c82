//! Hostile input costs the node little: malformed payments are refused by the gateway
//! before screening and before the journal, lists and searches are bounded, and streams are
//! capped per caller.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use corridor_settlement::{Answer, HubCommand, PaymentInstruction};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestNode, payment};

/// The bytes in the journal's segments.
fn journal_bytes(data_dir: &Path) -> u64 {
    std::fs::read_dir(corridor_engine::journal_dir(data_dir))
        .unwrap()
        .map(|entry| entry.unwrap().metadata().unwrap().len())
        .sum()
}

fn instruction(instruction_id: &str, debtor_name: &str) -> PaymentInstruction {
    let mut value = payment(instruction_id, "NEVARUMM", "1.00", "RUB");
    value["debtor"]["name"] = json!(debtor_name);
    serde_json::from_value(value).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_payments_with_sixty_kilobyte_names_are_refused_fast_and_not_journaled() {
    let node = TestNode::start().await;
    let state = node.node.as_ref().unwrap().state().clone();
    let long_name = "x".repeat(60 * 1024);
    let payments: Vec<PaymentInstruction> = (0..10_000)
        .map(|i| instruction(&format!("HOSTILE-{i}"), &long_name))
        .collect();
    let journal_before = journal_bytes(node.dir.path());
    let payments_before = node.payment_count().await;

    let started = Instant::now();
    let answer = corridor_node::submit::submit(
        &state,
        HubCommand::SubmitPayments {
            sender: "VOLGRUMM".parse().unwrap(),
            payments,
            screening: Vec::new(),
        },
    )
    .await
    .unwrap();
    let elapsed = started.elapsed();
    eprintln!("10,000 payments with 60 KB names refused in {elapsed:?}");

    let Answer::Payments(results) = answer else {
        panic!("not a batch answer");
    };
    assert_eq!(results.len(), 10_000);
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().is_err_and(|e| e.code == "FF01"))
    );
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    assert_eq!(journal_bytes(node.dir.path()), journal_before);
    assert_eq!(node.payment_count().await, payments_before);
    node.stop().await;
}

#[tokio::test]
async fn a_batch_answers_refused_and_accepted_payments_in_their_order() {
    let node = TestNode::start().await;
    let mut hostile = payment("MIXED-2", "NEVARUMM", "1.00", "RUB");
    hostile["creditor"]["name"] = json!("y".repeat(60 * 1024));
    let batch = json!({"payments": [
        payment("MIXED-1", "NEVARUMM", "1.00", "RUB"),
        hostile,
        payment("MIXED-3", "NEVARUMM", "1.00", "RUB"),
    ]});
    let (status, view) = node.post("VOLGRUMM", "/v1/payments/batch", &batch).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["accepted"], 2, "{view}");
    assert_eq!(view["refused"], 1, "{view}");
    let results = view["results"].as_array().unwrap();
    assert_eq!(results[0]["instruction_id"], "MIXED-1");
    assert_eq!(results[1]["error"]["code"], "FF01");
    assert_eq!(results[2]["instruction_id"], "MIXED-3");
    node.stop().await;
}

#[tokio::test]
async fn a_malformed_json_payment_is_refused_without_reaching_the_journal() {
    let node = TestNode::start().await;
    let journal_before = journal_bytes(node.dir.path());
    let mut hostile = payment("HOSTILE-ONE", "NEVARUMM", "1.00", "RUB");
    hostile["debtor"]["name"] = json!("z".repeat(60 * 1024));
    let (status, body) = node.post("VOLGRUMM", "/v1/payments", &hostile).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "FF01", "{body}");
    assert_eq!(journal_bytes(node.dir.path()), journal_before);
    node.stop().await;
}

/// GET `path` as `subject`: status, JSON body and the `next-cursor` header.
async fn get_page(node: &TestNode, subject: &str, path: &str) -> (StatusCode, Value, Option<u64>) {
    let response = node
        .http
        .get(format!("{}{path}", node.base))
        .bearer_auth(node.token(subject).unwrap())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let next = response
        .headers()
        .get("next-cursor")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    (status, response.json().await.unwrap_or(Value::Null), next)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_that_matches_nothing_stops_at_its_scan_budget_with_a_cursor() {
    let node = TestNode::start().await;
    let state = node.node.as_ref().unwrap().state().clone();
    let payments: Vec<PaymentInstruction> = (0..corridor_settlement::SEARCH_SCAN_BUDGET + 5)
        .map(|i| instruction(&format!("MANY-{i}"), "Pavel Orlov"))
        .collect();
    for chunk in payments.chunks(corridor_settlement::MAX_BATCH) {
        let command = HubCommand::SubmitPayments {
            sender: "VOLGRUMM".parse().unwrap(),
            payments: chunk.to_vec(),
            screening: Vec::new(),
        };
        corridor_node::submit::submit(&state, command)
            .await
            .unwrap();
    }

    let (status, first, cursor) = get_page(&node, "VOLGRUMM", "/v1/payments?status=returned").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first, json!([]));
    let cursor = cursor.expect("a search stopped by its budget gives a cursor");
    let (_, rest, end) = get_page(
        &node,
        "VOLGRUMM",
        &format!("/v1/payments?status=returned&after={cursor}"),
    )
    .await;
    assert_eq!(rest, json!([]));
    assert_eq!(end, None, "the second page reaches the end of the history");
    node.stop().await;
}

#[tokio::test]
async fn payments_and_rate_sheets_come_a_page_at_a_time() {
    let node = TestNode::start().await;
    for i in 0..3 {
        let one = payment(&format!("PAGE-{i}"), "NEVARUMM", "1.00", "RUB");
        let (status, body) = node.post("VOLGRUMM", "/v1/payments", &one).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (_, first, cursor) = get_page(&node, "VOLGRUMM", "/v1/payments?limit=2").await;
    assert_eq!(first.as_array().unwrap().len(), 2);
    let cursor = cursor.expect("a full page gives a cursor");
    assert_eq!(first[1]["id"].as_u64(), Some(cursor), "{first}");
    let (_, second, _) = get_page(
        &node,
        "VOLGRUMM",
        &format!("/v1/payments?limit=2&after={cursor}"),
    )
    .await;
    assert!(second[0]["id"].as_u64().unwrap() > cursor, "{second}");

    let (_, sheets, _) = get_page(&node, "operator", "/v1/fx/rate-sheets").await;
    let all = sheets.as_array().unwrap().len();
    let (_, page, next) = get_page(&node, "operator", "/v1/fx/rate-sheets?limit=1").await;
    assert_eq!(page.as_array().unwrap().len(), 1);
    assert_eq!(next.is_some(), all > 1, "{sheets}");
    node.stop().await;
}

#[tokio::test]
async fn holds_cases_and_recalls_take_a_page_and_a_cursor() {
    let node = TestNode::start().await;
    for path in [
        "/v1/compliance/holds?limit=5&after=0",
        "/v1/compliance/cases?limit=5&after=0",
        "/v1/recalls?limit=5&after=0",
    ] {
        let (status, body, _) = get_page(&node, "operator", path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        assert!(body.as_array().unwrap().len() <= 5, "{path}: {body}");
    }
    node.stop().await;
}

async fn open_stream(node: &TestNode, subject: &str) -> reqwest::Response {
    node.http
        .get(format!("{}/v1/outbox/stream", node.base))
        .bearer_auth(node.token(subject).unwrap())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_bank_holding_its_cap_of_streams_is_refused_another() {
    let node = TestNode::start().await;
    let cap = corridor_node::outbox_signal::MAX_WAITERS_PER_PARTICIPANT;
    let mut open = Vec::new();
    for _ in 0..cap {
        let stream = open_stream(&node, "VOLGRUMM").await;
        assert_eq!(stream.status(), StatusCode::OK);
        open.push(stream);
    }
    let extra = open_stream(&node, "VOLGRUMM").await;
    assert_eq!(extra.status(), StatusCode::TOO_MANY_REQUESTS);
    let (status, body) = node.get("VOLGRUMM", "/v1/outbox?wait=5").await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "a long poll counts too: {body}"
    );
    let other = open_stream(&node, "NEVARUMM").await;
    assert_eq!(other.status(), StatusCode::OK, "the cap is per bank");
    drop((open, other));
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_poll_wakes_for_a_payment_to_its_own_bank() {
    let node = TestNode::start().await;
    let (_, outbox) = node.get("NEVARUMM", "/v1/outbox?limit=1").await;
    let last = outbox["last_seq"].as_u64().unwrap();
    let poll = {
        let http = node.http.clone();
        let url = format!("{}/v1/outbox?after={last}&wait=30", node.base);
        let token = node.token("NEVARUMM").unwrap().to_owned();
        tokio::spawn(async move {
            let started = Instant::now();
            let page: Value = http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (started.elapsed(), page)
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let one = payment("WAKE-1", "NEVARUMM", "1.00", "RUB");
    let (status, body) = node.post("VOLGRUMM", "/v1/payments", &one).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (waited, page) = poll.await.unwrap();
    assert!(waited < Duration::from_secs(10), "woken after {waited:?}");
    assert!(!page["messages"].as_array().unwrap().is_empty(), "{page}");
    node.stop().await;
}

/// Every item of `path` as `subject`, `limit` at a time, following `next-cursor` (kept as
/// text: a BIC, an account id), with the number of pages it took.
async fn walk_pages(
    node: &TestNode,
    subject: &str,
    path: &str,
    limit: usize,
) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    for pages in 1.. {
        let cursor = after
            .as_ref()
            .map(|a| format!("&after={a}"))
            .unwrap_or_default();
        let response = node
            .http
            .get(format!("{}{path}?limit={limit}{cursor}", node.base))
            .bearer_auth(node.token(subject).unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path} after {after:?}");
        after = response
            .headers()
            .get("next-cursor")
            .map(|v| v.to_str().unwrap().to_string());
        let page: Vec<Value> = response.json().await.unwrap();
        assert!(page.len() <= limit, "{path}: {page:?}");
        items.extend(page);
        if after.is_none() {
            return (items, pages);
        }
    }
    unreachable!()
}

#[tokio::test]
async fn participants_and_accounts_come_a_page_at_a_time_with_a_working_cursor() {
    let node = TestNode::start().await;
    for (path, key) in [("/v1/participants", "bic"), ("/v1/accounts", "id")] {
        let (_, whole, next) = get_page(&node, "operator", &format!("{path}?limit=1000")).await;
        assert_eq!(
            next, None,
            "{path}: one page of 1,000 holds the test scheme"
        );
        let whole = whole.as_array().unwrap().clone();
        assert!(whole.len() > 3, "{path}: {whole:?}");
        let (paged, pages) = walk_pages(&node, "operator", path, 2).await;
        assert_eq!(
            paged, whole,
            "{path}: the pages, put together, are the whole list"
        );
        assert!(pages >= whole.len().div_ceil(2), "{path}: {pages} pages");
        let keys: Vec<String> = paged.iter().map(|item| item[key].to_string()).collect();
        let mut unique = keys.clone();
        unique.dedup();
        assert_eq!(keys, unique, "{path}: no item comes twice");
    }

    let (own, _) = walk_pages(&node, "VOLGRUMM", "/v1/accounts", 1).await;
    assert!(!own.is_empty());
    assert!(own.iter().all(|a| a["owner"] == "VOLGRUMM"), "{own:?}");

    let response = node
        .http
        .get(format!("{}/v1/participants?after=not-a-bic", node.base))
        .bearer_auth(node.token("operator").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    node.stop().await;
}
