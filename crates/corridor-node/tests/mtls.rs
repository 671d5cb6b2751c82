//! The API over mutual TLS: the client certificate (registered for the subject its common
//! name gives) is the caller, and the same authorisation applies as with tokens.

mod support;

use corridor_node::NodeConfig;
use corridor_node::tls::generate_dev_pki;
use serde_json::Value;

fn client(pki: &std::path::Path, name: Option<&str>) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(&std::fs::read(pki.join("ca.pem")).unwrap()).unwrap();
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(ca);
    if let Some(name) = name {
        let mut pem = std::fs::read(pki.join(format!("client-{name}.pem"))).unwrap();
        pem.extend(std::fs::read(pki.join(format!("client-{name}-key.pem"))).unwrap());
        builder = builder.identity(reqwest::Identity::from_pem(&pem).unwrap());
    }
    builder.build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_certificates_identify_and_authorise_callers() {
    let dir = tempfile::tempdir().unwrap();
    let pki = dir.path().join("pki");
    let clients: Vec<String> = ["operator", "VOLGRUMM", "NEVARUMM"]
        .map(String::from)
        .to_vec();
    let files = generate_dev_pki(&pki, &["localhost".to_string()], &clients).unwrap();
    let mut config = NodeConfig::new(dir.path().join("data"));
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.tls = Some(files.server_settings());
    config.register_certificates = files.clients.iter().map(|c| c.cert.clone()).collect();
    let node = corridor_node::start(config).await.unwrap();
    corridor_demo::seed(node.state(), &dir.path().join("data"))
        .await
        .unwrap();
    let base = format!("https://localhost:{}", node.local_addr().port());

    let operator = client(&pki, Some("operator"));
    let participants: Value = operator
        .get(format!("{base}/v1/participants"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        participants.as_array().unwrap().len(),
        12,
        "the demo's agents, banks and FX providers"
    );

    let volg = client(&pki, Some("VOLGRUMM"));
    let accounts: Value = volg
        .get(format!("{base}/v1/accounts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let accounts = accounts.as_array().unwrap();
    assert!(!accounts.is_empty());
    assert!(accounts.iter().all(|a| a["owner"] == "VOLGRUMM"));
    let own = accounts[0]["id"].as_u64().unwrap();

    let response = volg
        .post(format!("{base}/v1/payments"))
        .json(&support::payment("MTLS-1", "NEVARUMM", "12.34", "RUB"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);

    // Another bank's certificate does not open VOLGRUMM's account.
    let neva = client(&pki, Some("NEVARUMM"));
    let response = neva
        .get(format!("{base}/v1/accounts/{own}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);

    // Without a certificate there is no connection; a bearer token does not replace one.
    let anonymous = client(&pki, None);
    let token = corridor_demo::seed(node.state(), &dir.path().join("data"))
        .await
        .unwrap()["VOLGRUMM"]
        .clone();
    let refused = anonymous
        .get(format!("{base}/v1/accounts"))
        .bearer_auth(token)
        .send()
        .await;
    assert!(refused.is_err(), "{refused:?}");
    node.shutdown().await;
}
