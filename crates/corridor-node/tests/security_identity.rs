//! Identities bound to registrations, over real HTTP(S): a client certificate acts only if
//! the operator registered it (by fingerprint) for the subject it names; registrations are
//! revoked and rotated with overlap; the CRL file is read again on reload; bearer tokens
//! expire, are revoked, and are refused over mutual TLS unless the node allows them; a
//! suspended bank may read but change nothing.

mod support;

use std::path::{Path, PathBuf};

use corridor_node::tls::{DevPkiFiles, fingerprint_sha256, generate_dev_pki, write_dev_crl};
use corridor_node::{NodeConfig, RunningNode};
use reqwest::StatusCode;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde_json::{Value, json};
use support::TestNode;

/// A PKI whose client files are copied aside under `<name>-<generation>` so that a later
/// generation (same CA, same common name, a new key) does not overwrite them.
struct Pki {
    dir: PathBuf,
    files: DevPkiFiles,
}

impl Pki {
    fn generate(dir: &Path, clients: &[&str], generation: &str) -> Pki {
        let names: Vec<String> = clients.iter().map(|c| c.to_string()).collect();
        let files = generate_dev_pki(dir, &["localhost".to_string()], &names).unwrap();
        for name in clients {
            for suffix in ["", "-key"] {
                let from = dir.join(format!("client-{name}{suffix}.pem"));
                let to = dir.join(format!("client-{name}-{generation}{suffix}.pem"));
                std::fs::copy(from, to).unwrap();
            }
        }
        Pki {
            dir: dir.to_path_buf(),
            files,
        }
    }

    fn cert(&self, name: &str, generation: &str) -> PathBuf {
        self.dir.join(format!("client-{name}-{generation}.pem"))
    }

    fn fingerprint(&self, name: &str, generation: &str) -> String {
        let der = CertificateDer::from_pem_file(self.cert(name, generation)).unwrap();
        fingerprint_sha256(&der)
    }

    /// A fresh client (no pooled connection) presenting `name`'s certificate of `generation`.
    fn client(&self, name: &str, generation: &str) -> reqwest::Client {
        let ca =
            reqwest::Certificate::from_pem(&std::fs::read(&self.files.ca_cert).unwrap()).unwrap();
        let mut pem = std::fs::read(self.cert(name, generation)).unwrap();
        let key = self.dir.join(format!("client-{name}-{generation}-key.pem"));
        pem.extend(std::fs::read(key).unwrap());
        reqwest::Client::builder()
            .use_rustls_tls()
            .add_root_certificate(ca)
            .identity(reqwest::Identity::from_pem(&pem).unwrap())
            .build()
            .unwrap()
    }
}

struct MtlsNode {
    _dir: tempfile::TempDir,
    node: RunningNode,
    base: String,
}

impl MtlsNode {
    async fn start(
        pki: &Pki,
        registered: &[PathBuf],
        adjust: impl FnOnce(&mut NodeConfig),
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = NodeConfig::new(dir.path().join("data"));
        config.listen = "127.0.0.1:0".parse().unwrap();
        config.tls = Some(pki.files.server_settings());
        config.register_certificates = registered.to_vec();
        adjust(&mut config);
        let node = corridor_node::start(config).await.unwrap();
        let base = format!("https://localhost:{}", node.local_addr().port());
        MtlsNode {
            _dir: dir,
            node,
            base,
        }
    }

    async fn call(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = client.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, client: &reqwest::Client, path: &str) -> StatusCode {
        self.call(client, reqwest::Method::GET, path, None).await.0
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_with_the_operators_name_but_an_unregistered_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    Pki::generate(dir.path(), &["operator"], "real");
    // The same CA signs a second certificate named "operator", with another key.
    let pki = Pki::generate(dir.path(), &["operator"], "forged");
    let node = MtlsNode::start(&pki, &[pki.cert("operator", "real")], |_| {}).await;

    let real = pki.client("operator", "real");
    assert_eq!(node.get(&real, "/v1/participants").await, StatusCode::OK);
    let forged = pki.client("operator", "forged");
    let (status, body) = node
        .call(&forged, reqwest::Method::GET, "/v1/participants", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not registered"),
        "{body}"
    );
    node.node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_certificate_is_refused_at_once_and_rotation_overlaps() {
    let dir = tempfile::tempdir().unwrap();
    Pki::generate(dir.path(), &["operator", "auditor"], "old");
    let pki = Pki::generate(dir.path(), &["operator"], "new");
    let node = MtlsNode::start(
        &pki,
        &[pki.cert("operator", "old"), pki.cert("auditor", "old")],
        |_| {},
    )
    .await;
    let operator_old = pki.client("operator", "old");
    let operator_new = pki.client("operator", "new");
    let auditor = pki.client("auditor", "old");
    assert_eq!(node.get(&auditor, "/v1/participants").await, StatusCode::OK);

    // The auditor's certificate is revoked: its very next request, on the connection it
    // already has open, is refused.
    let revoke = format!("/v1/certificates/{}", pki.fingerprint("auditor", "old"));
    let (status, body) = node
        .call(&operator_old, reqwest::Method::DELETE, &revoke, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["subject"], "auditor");
    assert_eq!(
        node.get(&auditor, "/v1/participants").await,
        StatusCode::UNAUTHORIZED
    );

    // Rotation: the new operator certificate is registered while the old one still works.
    assert_eq!(
        node.get(&operator_new, "/v1/participants").await,
        StatusCode::UNAUTHORIZED
    );
    let pem = std::fs::read_to_string(pki.cert("operator", "new")).unwrap();
    let register = json!({ "subject": "operator", "certificate_pem": pem });
    let (status, body) = node
        .call(
            &operator_old,
            reqwest::Method::POST,
            "/v1/certificates",
            Some(register),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["fingerprint_sha256"],
        pki.fingerprint("operator", "new")
    );
    for client in [&operator_old, &operator_new] {
        assert_eq!(node.get(client, "/v1/participants").await, StatusCode::OK);
    }
    let (_, listed) = node
        .call(
            &operator_new,
            reqwest::Method::GET,
            "/v1/certificates",
            None,
        )
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let revoke_old = format!("/v1/certificates/{}", pki.fingerprint("operator", "old"));
    let (status, _) = node
        .call(&operator_new, reqwest::Method::DELETE, &revoke_old, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        node.get(&operator_old, "/v1/participants").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        node.get(&operator_new, "/v1/participants").await,
        StatusCode::OK
    );
    node.node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_in_the_crl_is_refused_once_the_crl_is_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path(), &["operator", "auditor"], "1");
    let crl = write_dev_crl(dir.path(), &[]).unwrap();
    let registered = [pki.cert("operator", "1"), pki.cert("auditor", "1")];
    let node = MtlsNode::start(&pki, &registered, |c| c.crl = Some(crl.clone())).await;
    assert_eq!(
        node.get(&pki.client("auditor", "1"), "/v1/participants")
            .await,
        StatusCode::OK
    );

    write_dev_crl(dir.path(), &[pki.cert("auditor", "1")]).unwrap();
    let operator = pki.client("operator", "1");
    let (status, body) = node
        .call(&operator, reqwest::Method::POST, "/v1/tls/reload", None)
        .await;
    assert_eq!(
        (status, &body["crls"]),
        (StatusCode::OK, &json!(1)),
        "{body}"
    );
    let refused = pki
        .client("auditor", "1")
        .get(format!("{}/v1/participants", node.base))
        .send()
        .await;
    assert!(refused.is_err(), "the handshake fails: {refused:?}");
    assert_eq!(
        node.get(&operator, "/v1/participants").await,
        StatusCode::OK
    );
    node.node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bearer_token_over_mutual_tls_is_refused_unless_the_node_allows_it() {
    for allowed in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let pki = Pki::generate(dir.path(), &["operator"], "1");
        let node = MtlsNode::start(&pki, &[pki.cert("operator", "1")], |c| {
            c.token_mode = true;
            c.tokens_with_mtls = allowed;
        })
        .await;
        let operator = pki.client("operator", "1");
        let (status, issued) = node
            .call(
                &operator,
                reqwest::Method::POST,
                "/v1/credentials",
                Some(json!({ "subject": "auditor" })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{issued}");
        let token = issued["token"].as_str().unwrap();
        // The operator's connection, with the auditor's token: refused outright, or acting
        // as the auditor (who may not change anything), never as the operator.
        let status = operator
            .put(format!("{}/v1/config", node.base))
            .bearer_auth(token)
            .json(&json!({ "queue_timeout_seconds": 60 }))
            .send()
            .await
            .unwrap()
            .status();
        let expected = if allowed {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::UNAUTHORIZED
        };
        assert_eq!(status, expected, "tokens allowed: {allowed}");
        node.node.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_refused() {
    let node = TestNode::start_with(|c| c.token_ttl_seconds = 1).await;
    let (status, issued) = node
        .post(
            "operator",
            "/v1/credentials",
            &json!({ "subject": "auditor" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let token = issued["token"].as_str().unwrap().to_string();
    let get = || {
        node.http
            .get(format!("{}/v1/participants", node.base))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    let response = get().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{body}"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_token_is_refused_at_once() {
    let node = TestNode::start().await;
    let digest = corridor_node::auth::token_sha256(node.token("auditor").unwrap());
    assert_eq!(
        node.get("auditor", "/v1/participants").await.0,
        StatusCode::OK
    );
    let (status, body) = node
        .call(
            Some("auditor"),
            reqwest::Method::DELETE,
            &format!("/v1/tokens/{digest}"),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the operator revokes: {body}"
    );
    let (status, body) = node
        .call(
            Some("operator"),
            reqwest::Method::DELETE,
            &format!("/v1/tokens/{digest}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        node.get("auditor", "/v1/participants").await.0,
        StatusCode::UNAUTHORIZED
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_bank_may_read_but_change_nothing() {
    let node = TestNode::start().await;
    let (status, queued) = node
        .post(
            "VOLGRUMM",
            "/v1/payments",
            &support::payment("BIG-1", "NEVARUMM", "900000000000.00", "RUB"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{queued}");
    assert_eq!(queued["status"], "queued", "{queued}");
    let id = queued["payment"].as_u64().unwrap();
    let (status, _) = node
        .post("operator", "/v1/participants/VOLGRUMM/suspend", &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);

    assert_eq!(node.get("VOLGRUMM", "/v1/accounts").await.0, StatusCode::OK);
    let (status, refused) = node
        .post(
            "VOLGRUMM",
            &format!("/v1/payments/{id}/cancel"),
            &json!({ "reason": "CUST changed their mind" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["error"]["code"], "AG01");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("suspended"),
        "{refused}"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_banks_held_payment_is_not_settled_on_release() {
    let node = TestNode::start().await;
    let mut held = support::payment("H-1", "NEVARUMM", "100.00", "RUB");
    held["creditor"]["name"] = json!("Boris Sanktsionov");
    let (status, receipt) = node.post("VOLGRUMM", "/v1/payments", &held).await;
    assert_eq!(
        (status, &receipt["status"]),
        (StatusCode::CREATED, &json!("held"))
    );
    let id = receipt["payment"].as_u64().unwrap();
    let (status, _) = node
        .post("operator", "/v1/participants/VOLGRUMM/suspend", &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);

    let release = json!({"decision": "release", "reason": "date of birth differs"});
    let path = format!("/v1/compliance/holds/{id}/decision");
    let (status, refused) = node.post("officer:olga", &path, &release).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("suspended"),
        "{refused}"
    );
    let (_, payment) = node.get("operator", &format!("/v1/payments/{id}")).await;
    assert_eq!(payment["status"], "held", "{payment}");
    node.stop().await;
}

/// Setting a cap names no agent in the hub's command, so the gateway refuses a suspended
/// agent itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_settlement_agent_cannot_set_a_cap() {
    let node = TestNode::start().await;
    let account = node.account("VOLGRUMM", "RUB").await;
    let path = format!("/v1/accounts/{account}/net-debit-cap");
    let cap = json!({ "net_debit_cap": "100.00" });
    let (status, body) = node
        .call(Some("CBRFRUMM"), reqwest::Method::PUT, &path, Some(&cap))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = node
        .post("operator", "/v1/participants/CBRFRUMM/suspend", &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);

    let raise = json!({ "net_debit_cap": "900000000.00" });
    let (status, refused) = node
        .call(Some("CBRFRUMM"), reqwest::Method::PUT, &path, Some(&raise))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["error"]["code"], "AG01", "{refused}");
    let (_, view) = node
        .get("operator", &format!("/v1/accounts/{account}"))
        .await;
    assert_eq!(view["net_debit_cap"], "100.00", "{view}");
    node.stop().await;
}
