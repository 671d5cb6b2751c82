//! The node's transport under hostile clients: roles checked before a body is read, a full
//! engine inbox answered 503, clients that stall or trickle cut off on both servers, a
//! connection cap, a rate per peer address and a budget of large bodies, metrics kept from
//! banks, partial TLS refused, and data files only the node's user can read.

mod support;

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use corridor_node::NodeConfig;
use corridor_node::server::tls_from_parts;
use corridor_node::tls::generate_dev_pki;
use reqwest::{Method, StatusCode};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use support::TestNode;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// Long enough for a loaded test machine to answer, far shorter than any old behaviour (a
/// 256 MiB body that never comes, a socket never closed).
const PROMPT: Duration = Duration::from_secs(5);

/// Reads what the server sends until it closes the connection or `PROMPT` passes; `None` if
/// the connection was still open then.
async fn read_until_closed(stream: &mut (impl AsyncRead + Unpin)) -> Option<String> {
    let mut received = Vec::new();
    let read = async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    };
    tokio::time::timeout(PROMPT, read).await.ok()?;
    Some(String::from_utf8_lossy(&received).into_owned())
}

/// Reads until the end of a response's headers, or `None` if none comes within `PROMPT`.
async fn read_head(stream: &mut (impl AsyncRead + Unpin)) -> Option<String> {
    let mut received = Vec::new();
    let read = async {
        let mut buffer = [0u8; 4096];
        while !received.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    };
    tokio::time::timeout(PROMPT, read).await.ok()?;
    Some(String::from_utf8_lossy(&received).into_owned())
}

fn address(node: &TestNode) -> std::net::SocketAddr {
    node.node.as_ref().unwrap().local_addr()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_banks_list_upload_is_refused_before_its_256_mib_body_is_read() {
    let node = TestNode::start().await;
    let mut stream = TcpStream::connect(address(&node)).await.unwrap();
    let head = format!(
        "PUT /v1/lists/un?format=un HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
        node.token("VOLGRUMM").unwrap(),
        256 * 1024 * 1024
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&[b'x'; 1024]).await.unwrap();
    let started = Instant::now();
    let answer = read_head(&mut stream)
        .await
        .expect("an answer before the body is sent");
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(started.elapsed() < PROMPT);
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_engine_inbox_is_answered_503_without_blocking() {
    // Room for the demo's seeding and the node's own tasks (ticker, outbox watcher), which
    // must not meet a full inbox before the test fills it.
    const INBOX: usize = 64;
    let node = TestNode::start_with(|c| c.engine_inbox_capacity = INBOX).await;
    let engine = node.node.as_ref().unwrap().engine();

    // The engine thread is held inside a query, so nothing leaves its inbox.
    let (started, running) = mpsc::channel();
    let (release, go) = mpsc::channel::<()>();
    let holder = {
        let engine = engine.clone();
        std::thread::spawn(move || {
            engine.query(move |_| {
                started.send(()).unwrap();
                go.recv().unwrap();
            })
        })
    };
    running.recv().unwrap();
    // Fills every place in the inbox (some may already hold the node's own requests).
    let waiting: Vec<_> = (0..INBOX).map(|_| engine.query_async(|_| ())).collect();

    let asked = Instant::now();
    let (status, body) = node
        .call(Some("operator"), Method::GET, "/v1/participants", None)
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "BUSY", "{body}");
    assert!(asked.elapsed() < PROMPT);

    release.send(()).unwrap();
    holder.join().unwrap().unwrap();
    drop(waiting);
    // The engine drains the queries that filled its inbox on its own thread: under load
    // that takes a moment, so the node answers again soon, not necessarily at once.
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        let (status, _) = node
            .call(Some("operator"), Method::GET, "/v1/participants", None)
            .await;
        if status != StatusCode::SERVICE_UNAVAILABLE || Instant::now() > deadline {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(status, StatusCode::OK, "the engine answers again");
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_no_headers_is_disconnected_on_the_plain_server() {
    let node = TestNode::start_with(|c| c.connection_limits.header_read_timeout_ms = 300).await;

    let mut silent = TcpStream::connect(address(&node)).await.unwrap();
    assert!(
        read_until_closed(&mut silent).await.is_some(),
        "a connection that sends nothing is closed"
    );

    let mut slow = TcpStream::connect(address(&node)).await.unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: node\r\n")
        .await
        .unwrap();
    assert!(
        read_until_closed(&mut slow).await.is_some(),
        "a connection whose headers never end is closed"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_trickles_a_body_is_answered_at_the_body_deadline() {
    let node = TestNode::start_with(|c| c.connection_limits.body_timeout_ms = 300).await;
    let mut stream = TcpStream::connect(address(&node)).await.unwrap();
    let head = format!(
        "POST /v1/payments HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"instr",
        node.token("VOLGRUMM").unwrap()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_head(&mut stream)
        .await
        .expect("an answer at the deadline");
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_cap_are_closed_at_once() {
    let node = TestNode::start_with(|c| c.connection_limits.max_connections = 2).await;
    let first = TcpStream::connect(address(&node)).await.unwrap();
    let second = TcpStream::connect(address(&node)).await.unwrap();
    // Both are accepted before the third arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = TcpStream::connect(address(&node)).await.unwrap();
    assert_eq!(read_until_closed(&mut third).await.as_deref(), Some(""));
    drop((first, second));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, _) = node.call(None, Method::GET, "/health", None).await;
    assert_eq!(status, StatusCode::OK, "a place is free again");
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthenticated_requests_are_rate_limited_by_peer_address() {
    let node = TestNode::start_with(|c| c.peer_rate_limit_per_second = 5).await;
    let mut limited = 0;
    for _ in 0..40 {
        let (status, body) = node.call(None, Method::GET, "/health", None).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(body["error"]["code"], "RATE");
            limited += 1;
        }
    }
    assert!(
        limited > 0,
        "40 requests at once from one address exceed 5/s"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_bodies_in_flight_are_budgeted() {
    let node = TestNode::start_with(|c| c.large_bodies_in_flight = 1).await;
    let head = format!(
        "POST /v1/payments/batch HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{{",
        node.token("VOLGRUMM").unwrap(),
        1024 * 1024
    );
    // A body trickled to a small-body route takes no place in the budget.
    let trickle = format!(
        "POST /v1/payments HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{{\r\n",
        node.token("URALRUMM").unwrap(),
    );
    let mut trickling = TcpStream::connect(address(&node)).await.unwrap();
    trickling.write_all(trickle.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut holding = TcpStream::connect(address(&node)).await.unwrap();
    holding.write_all(head.as_bytes()).await.unwrap();
    assert!(
        tokio::time::timeout(Duration::from_millis(500), read_head(&mut holding))
            .await
            .is_err(),
        "the batch is admitted and waits for its body"
    );

    let mut second = TcpStream::connect(address(&node)).await.unwrap();
    second.write_all(head.as_bytes()).await.unwrap();
    let answer = read_head(&mut second).await.expect("an answer at once");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("BUSY") || answer.contains("content-length"));

    let (status, _) = node
        .call(Some("VOLGRUMM"), Method::GET, "/v1/accounts", None)
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "small requests do not wait for large ones"
    );
    drop(holding);
    drop(trickling);
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_for_the_operator_and_auditors_or_on_their_own_address() {
    let node =
        TestNode::start_with(|c| c.metrics_listen = Some("127.0.0.1:0".parse().unwrap())).await;
    let (status, _) = node
        .call(Some("VOLGRUMM"), Method::GET, "/metrics", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = node.call(None, Method::GET, "/metrics", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for subject in ["operator", "auditor"] {
        let (status, _) = node
            .call(Some(subject), Method::GET, "/metrics", None)
            .await;
        assert_eq!(status, StatusCode::OK, "{subject}");
    }
    let scraper = node.node.as_ref().unwrap().metrics_addr().unwrap();
    let text = reqwest::get(format!("http://{scraper}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("corridor_http_requests_total"), "{text}");
    let other = reqwest::get(format!("http://{scraper}/v1/participants"))
        .await
        .unwrap();
    assert_eq!(
        other.status(),
        StatusCode::NOT_FOUND,
        "nothing but metrics there"
    );
    node.stop().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_directory_and_its_files_are_private() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let node = corridor_node::start(support::config(&data)).await.unwrap();
    let tokens = corridor_demo::seed(node.state(), &data).await.unwrap();
    let base = format!("http://{}", node.local_addr());
    let http = reqwest::Client::new();
    let list = "id,kind,name,aliases,dates_of_birth,countries,identifiers\nOPS-1,person,Kazimir Zapretov,,1955,RU,\n";
    let response = http
        .put(format!("{base}/v1/lists/ops?format=csv&date=2026-11-20"))
        .bearer_auth(&tokens["operator"])
        .body(list)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = http
        .post(format!("{base}/v1/payments"))
        .bearer_auth(&tokens["VOLGRUMM"])
        .json(&support::payment("PRIV-1", "NEVARUMM", "10.00", "RUB"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let engine = node.engine();
    tokio::task::spawn_blocking(move || engine.snapshot())
        .await
        .unwrap()
        .unwrap();

    let mode = std::fs::metadata(&data).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "{mode:o}");
    let loose = corridor_engine::private::loose_entries(&data).unwrap();
    assert!(loose.is_empty(), "readable by others: {loose:?}");
    for held in ["journal", "snapshots", "lists"] {
        let entries = std::fs::read_dir(data.join(held)).unwrap().count();
        assert!(entries > 0, "{held} holds files");
    }
    assert!(data.join("credentials.json").exists());
    node.shutdown().await;
}

#[test]
fn tls_configured_in_part_is_refused() {
    let some = || Some(std::path::PathBuf::from("x.pem"));
    assert!(tls_from_parts(None, None, None).unwrap().is_none());
    assert!(tls_from_parts(some(), some(), some()).unwrap().is_some());
    let partial = tls_from_parts(None, some(), some())
        .unwrap_err()
        .to_string();
    assert!(partial.contains("--tls-cert missing"), "{partial}");
    let partial = tls_from_parts(some(), None, None).unwrap_err().to_string();
    assert!(partial.contains("--tls-key, --client-ca"), "{partial}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_is_refused_off_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::config(dir.path());
    config.listen = "0.0.0.0:0".parse().unwrap();
    let refused = corridor_node::start(config).await.unwrap_err();
    assert!(refused.to_string().contains("loopback"), "{refused}");
}

/// A client of the TLS server with a valid certificate, which completes its handshake and
/// then stalls.
async fn tls_connection(
    pki: &std::path::Path,
    addr: std::net::SocketAddr,
) -> impl AsyncRead + AsyncWrite + Unpin {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(pki.join("ca.pem")).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let chain = CertificateDer::pem_file_iter(pki.join("client-operator.pem"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(pki.join("client-operator-key.pem")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)
        .unwrap();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(addr).await.unwrap();
    connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_no_headers_is_disconnected_on_the_tls_server() {
    let dir = tempfile::tempdir().unwrap();
    let pki = dir.path().join("pki");
    let files =
        generate_dev_pki(&pki, &["localhost".to_string()], &["operator".to_string()]).unwrap();
    let mut config = NodeConfig::new(dir.path().join("data"));
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.tls = Some(files.server_settings());
    config.connection_limits.header_read_timeout_ms = 300;
    let node = corridor_node::start(config).await.unwrap();

    let mut silent = tls_connection(&pki, node.local_addr()).await;
    assert!(
        read_until_closed(&mut silent).await.is_some(),
        "a TLS connection that sends nothing after its handshake is closed"
    );
    let mut slow = tls_connection(&pki, node.local_addr()).await;
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    assert!(
        read_until_closed(&mut slow).await.is_some(),
        "a TLS connection whose headers never end is closed"
    );
    node.shutdown().await;
}

/// The head of a POST to `path` declaring `length` bytes, with `bearer` (none: no
/// credentials), followed by the first kilobyte of the body only.
async fn send_large_head(
    node: &TestNode,
    path: &str,
    bearer: Option<&str>,
    length: usize,
) -> String {
    let mut stream = TcpStream::connect(address(node)).await.unwrap();
    let authorization = bearer
        .map(|token| format!("Authorization: Bearer {token}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: node\r\n{authorization}\
         Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&[b' '; 1024]).await.unwrap();
    let started = Instant::now();
    let answer = read_head(&mut stream)
        .await
        .expect("an answer before the body is sent");
    assert!(
        started.elapsed() < PROMPT,
        "{path}: answered only after {:?}",
        started.elapsed()
    );
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_or_iso_message_from_a_non_participant_is_refused_before_its_body_is_read() {
    let node = TestNode::start().await;
    let length = 32 * 1024 * 1024;
    for path in ["/v1/payments/batch", "/v1/iso20022"] {
        for subject in [
            "operator",
            "auditor",
            "officer:VOLGRUMM:olga",
            "officer:olga",
        ] {
            let token = node.token(subject).unwrap();
            let answer = send_large_head(&node, path, Some(token), length).await;
            assert!(
                answer.starts_with("HTTP/1.1 403"),
                "{path} as {subject}: {answer}"
            );
        }
        let answer = send_large_head(&node, path, None, length).await;
        assert!(
            answer.starts_with("HTTP/1.1 401"),
            "{path} without credentials: {answer}"
        );
    }
    node.stop().await;
}
