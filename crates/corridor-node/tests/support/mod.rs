//! A node started in-process on a random loopback port with a fresh data directory and the
//! demo corridor, driven over real HTTP.

#![allow(dead_code)]

pub mod pg;

use std::collections::BTreeMap;

use corridor_node::{NodeConfig, RunningNode};
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub struct TestNode {
    pub dir: tempfile::TempDir,
    pub node: Option<RunningNode>,
    pub base: String,
    pub tokens: BTreeMap<String, String>,
    pub http: reqwest::Client,
}

pub fn config(dir: &std::path::Path) -> NodeConfig {
    let mut config = NodeConfig::new(dir);
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.token_mode = true;
    config
}

impl TestNode {
    pub async fn start() -> TestNode {
        TestNode::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut NodeConfig)) -> TestNode {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(dir.path());
        adjust(&mut config);
        let node = corridor_node::start(config).await.unwrap();
        let tokens = corridor_demo::seed(node.state(), dir.path()).await.unwrap();
        let base = format!("http://{}", node.local_addr());
        TestNode {
            dir,
            node: Some(node),
            base,
            tokens,
            http: reqwest::Client::new(),
        }
    }

    /// A node on the PostgreSQL journal `journal`, seeded with the demo corridor if it
    /// becomes the writer at start; a standby is given `tokens` (the writer's).
    pub async fn start_on(
        journal: corridor_node::replication::PgJournalConfig,
        tokens: Option<BTreeMap<String, String>>,
    ) -> TestNode {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(dir.path());
        config.postgres = Some(journal);
        let node = corridor_node::start(config).await.unwrap();
        let tokens = match tokens {
            Some(tokens) => tokens,
            None => corridor_demo::seed(node.state(), dir.path()).await.unwrap(),
        };
        let base = format!("http://{}", node.local_addr());
        TestNode {
            dir,
            node: Some(node),
            base,
            tokens,
            http: reqwest::Client::new(),
        }
    }

    /// The state hash of the node's hub.
    pub async fn state_hash(&self) -> u128 {
        use corridor_ledger::StateMachine;
        let engine = self.node.as_ref().unwrap().engine();
        engine.query_async(|hub| hub.state_hash()).await.unwrap()
    }

    /// `/health` as JSON.
    pub async fn health(&self) -> Value {
        self.call(None, Method::GET, "/health", None).await.1
    }

    /// Stops the node cleanly and starts a new one on the same data directory.
    pub async fn restart(&mut self) {
        if let Some(node) = self.node.take() {
            node.shutdown().await;
        }
        let node = corridor_node::start(config(self.dir.path())).await.unwrap();
        self.base = format!("http://{}", node.local_addr());
        self.node = Some(node);
    }

    pub async fn stop(mut self) {
        if let Some(node) = self.node.take() {
            node.shutdown().await;
        }
    }

    pub fn token(&self, subject: &str) -> Option<&str> {
        self.tokens.get(subject).map(String::as_str)
    }

    /// The status of a GET as `subject`, without reading the body (an event stream never ends).
    pub async fn status_of(&self, subject: Option<&str>, path: &str) -> StatusCode {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(subject) = subject {
            request = request.bearer_auth(self.token(subject).unwrap_or("not-a-token"));
        }
        request.send().await.unwrap().status()
    }

    /// Sends a request as `subject` (None: no credentials) and returns status and JSON body
    /// (Null when the body is not JSON).
    pub async fn call(
        &self,
        subject: Option<&str>,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(subject) = subject {
            let token = self.token(subject).unwrap_or("not-a-token");
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, subject: &str, path: &str) -> (StatusCode, Value) {
        self.call(Some(subject), Method::GET, path, None).await
    }

    pub async fn post(&self, subject: &str, path: &str, body: &Value) -> (StatusCode, Value) {
        self.call(Some(subject), Method::POST, path, Some(body))
            .await
    }

    /// The id of `owner`'s settlement account in `currency`.
    pub async fn account(&self, owner: &str, currency: &str) -> u64 {
        let (status, accounts) = self.get(owner, "/v1/accounts").await;
        assert_eq!(status, StatusCode::OK, "{accounts}");
        accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["currency"] == currency && a["purpose"] == "settlement")
            .and_then(|a| a["id"].as_u64())
            .unwrap()
    }

    pub async fn balance(&self, owner: &str, currency: &str) -> String {
        let id = self.account(owner, currency).await;
        let (_, account) = self.get("operator", &format!("/v1/accounts/{id}")).await;
        account["balance"].as_str().unwrap().to_string()
    }

    /// The Prometheus text at `/metrics` (no credentials needed).
    /// The metrics as the auditor reads them (banks may not).
    pub async fn metrics(&self) -> String {
        self.http
            .get(format!("{}/metrics", self.base))
            .bearer_auth(self.token("auditor").unwrap_or_default())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub async fn payment_count(&self) -> usize {
        let mut total = 0;
        for bank in ["VOLGRUMM", "NEVARUMM", "URALRUMM", "BAIKRUMM"] {
            let (_, list) = self.get(bank, "/v1/payments?limit=1000").await;
            total += list.as_array().map_or(0, Vec::len);
        }
        total
    }
}

/// A customer credit transfer from the caller to `to`.
pub fn payment(instruction_id: &str, to: &str, amount: &str, currency: &str) -> Value {
    serde_json::json!({
        "kind": "customer_credit_transfer",
        "instruction_id": instruction_id,
        "end_to_end_id": format!("E2E-{instruction_id}"),
        "uetr": corridor_core::Uetr::generate().to_string(),
        "amount": amount,
        "currency": currency,
        "instructed_agent": to,
        "debtor": {"name": "ООО «Волга Энергия»", "postal_address": {"town_name": "Москва", "country": "RU"}},
        "debtor_account": {"other": "40702810000000000001"},
        "creditor": {"name": "Anna Smirnova", "country_of_residence": "RU"},
        "purpose": "GDDS",
        "remittance_information": "Invoice 1",
        "charge_bearer": "SHAR"
    })
}
