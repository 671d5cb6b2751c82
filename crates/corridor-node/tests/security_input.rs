//! Hostile input costs the node little: malformed payments are refused by the gateway
//! before screening and before the journal, lists and searches are bounded, and streams are
//! capped per caller.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use corridor_settlement::{Answer, HubCommand, PaymentInstruction};
use reqwest::StatusCode;
use serde_json::json;
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
