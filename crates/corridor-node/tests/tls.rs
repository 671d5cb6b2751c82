//! Mutual TLS end to end over real sockets: generated certificates, the server refusing
//! clients it cannot identify, and the identity reaching the handler.

use std::net::SocketAddr;
use std::path::Path;

use axum::routing::get;
use axum::{Extension, Router};
use corridor_node::tls::{
    DevPkiFiles, PeerIdentity, TlsError, TlsSettings, generate_dev_pki, peer_identity, serve_tls,
    server_config,
};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

fn names(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

fn generate(dir: &Path, clients: &[&str]) -> DevPkiFiles {
    generate_dev_pki(dir, &names(&["localhost", "127.0.0.1"]), &names(clients))
        .expect("generate the development PKI")
}

struct Server {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(settings: &TlsSettings) -> Server {
        async fn whoami(Extension(identity): Extension<PeerIdentity>) -> String {
            identity.common_name
        }
        let app = Router::new().route("/whoami", get(whoami));
        let config = server_config(settings).expect("server config");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(serve_tls(listener, config, app, async move {
            let _ = stopped.await;
        }));
        Server { addr, stop, task }
    }

    fn url(&self) -> String {
        format!("https://127.0.0.1:{}/whoami", self.addr.port())
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task
            .await
            .expect("server task")
            .expect("server stops cleanly");
    }
}

/// A client that trusts `pki`'s CA and presents the given client's certificate, if any.
fn client(pki: &DevPkiFiles, identity: Option<(&Path, &Path)>) -> reqwest::Client {
    let ca = std::fs::read(&pki.ca_cert).expect("read ca.pem");
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .no_proxy()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("CA certificate"));
    if let Some((cert, key)) = identity {
        let mut pem = std::fs::read(cert).expect("read client certificate");
        pem.extend(std::fs::read(key).expect("read client key"));
        builder = builder.identity(reqwest::Identity::from_pem(&pem).expect("client identity"));
    }
    builder.build().expect("build client")
}

fn client_as(pki: &DevPkiFiles, signer: &DevPkiFiles, name: &str) -> reqwest::Client {
    let files = signer
        .clients
        .iter()
        .find(|files| files.name == name)
        .expect("client generated");
    client(pki, Some((&files.cert, &files.key)))
}

async fn whoami(client: &reqwest::Client, server: &Server) -> reqwest::Result<String> {
    client
        .get(server.url())
        .send()
        .await?
        .error_for_status()?
        .text()
        .await
}

#[tokio::test]
async fn each_client_is_identified_by_its_certificate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pki = generate(dir.path(), &["VOLGRUMM", "operator"]);
    let server = Server::start(&pki.server_settings()).await;

    let bank = client_as(&pki, &pki, "VOLGRUMM");
    let operator = client_as(&pki, &pki, "operator");
    assert_eq!(whoami(&bank, &server).await.expect("bank"), "VOLGRUMM");
    assert_eq!(
        whoami(&operator, &server).await.expect("operator"),
        "operator"
    );
    // A kept-alive connection keeps its identity on later requests.
    assert_eq!(
        whoami(&bank, &server).await.expect("bank again"),
        "VOLGRUMM"
    );

    server.stop().await;
}

#[tokio::test]
async fn a_client_without_a_certificate_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pki = generate(dir.path(), &["VOLGRUMM"]);
    let server = Server::start(&pki.server_settings()).await;

    let anonymous = client(&pki, None);
    assert!(whoami(&anonymous, &server).await.is_err());

    // Neither the refused handshake nor plain-text garbage stops the accept loop.
    let mut plain = TcpStream::connect(server.addr).await.expect("connect");
    plain
        .write_all(b"GET /whoami HTTP/1.1\r\n\r\n")
        .await
        .expect("write");
    drop(plain);
    let bank = client_as(&pki, &pki, "VOLGRUMM");
    assert_eq!(whoami(&bank, &server).await.expect("bank"), "VOLGRUMM");

    server.stop().await;
}

#[tokio::test]
async fn a_client_certificate_from_another_ca_is_refused() {
    let ours = tempfile::tempdir().expect("temp dir");
    let theirs = tempfile::tempdir().expect("temp dir");
    let pki = generate(ours.path(), &["VOLGRUMM"]);
    let other = generate(theirs.path(), &["VOLGRUMM"]);
    let server = Server::start(&pki.server_settings()).await;

    // Same common name, trusted server, but signed by a CA the server does not trust.
    let impostor = client_as(&pki, &other, "VOLGRUMM");
    assert!(whoami(&impostor, &server).await.is_err());

    let bank = client_as(&pki, &pki, "VOLGRUMM");
    assert_eq!(whoami(&bank, &server).await.expect("bank"), "VOLGRUMM");

    server.stop().await;
}

#[tokio::test]
async fn generating_again_reuses_the_ca() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = generate(dir.path(), &["VOLGRUMM"]);
    assert!(!first.reused_ca);
    let ca_before = std::fs::read(&first.ca_cert).expect("read ca.pem");
    let ca_key_before = std::fs::read(&first.ca_key).expect("read ca-key.pem");

    let second = generate(dir.path(), &["auditor"]);
    assert!(second.reused_ca);
    assert!(!second.written.contains(&second.ca_cert));
    assert!(!second.written.contains(&second.ca_key));
    assert_eq!(std::fs::read(&second.ca_cert).expect("ca.pem"), ca_before);
    assert_eq!(
        std::fs::read(&second.ca_key).expect("ca-key"),
        ca_key_before
    );

    let server = Server::start(&second.server_settings()).await;
    let auditor = client_as(&second, &second, "auditor");
    assert_eq!(whoami(&auditor, &server).await.expect("auditor"), "auditor");
    // A certificate from the first run still chains to the same CA.
    let bank = client_as(&second, &first, "VOLGRUMM");
    assert_eq!(whoami(&bank, &server).await.expect("bank"), "VOLGRUMM");
    server.stop().await;
}

#[test]
fn generation_writes_every_file_and_keeps_keys_private() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pki = generate(dir.path(), &["VOLGRUMM", "operator"]);
    let expected = [
        "ca-key.pem",
        "ca.pem",
        "server-key.pem",
        "server.pem",
        "client-VOLGRUMM-key.pem",
        "client-VOLGRUMM.pem",
        "client-operator-key.pem",
        "client-operator.pem",
    ]
    .map(|name| dir.path().join(name));
    assert_eq!(pki.written, expected);

    let cert = CertificateDer::from_pem_file(&pki.clients[0].cert).expect("client cert");
    assert_eq!(
        peer_identity(&cert),
        Some(PeerIdentity {
            common_name: "VOLGRUMM".to_owned(),
            fingerprint_sha256: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(cert.as_ref())),
        })
    );
    assert_eq!(peer_identity(&CertificateDer::from(vec![1, 2, 3])), None);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for key in [&pki.ca_key, &pki.server_key, &pki.clients[1].key] {
            let mode = std::fs::metadata(key)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{}", key.display());
        }
    }
}

#[test]
fn bad_names_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("pki");
    let server_names = names(&["localhost"]);
    for bad in ["bad name!", "", "../etc", &"A".repeat(65)] {
        let result = generate_dev_pki(&out, &server_names, &names(&["VOLGRUMM", bad]));
        assert!(
            matches!(result, Err(TlsError::InvalidClientName { .. })),
            "{bad:?}: {result:?}"
        );
    }
    let result = generate_dev_pki(&out, &[], &names(&["VOLGRUMM"]));
    assert!(matches!(result, Err(TlsError::NoServerNames)), "{result:?}");
    assert!(!out.exists());

    let longest = "A".repeat(64);
    generate_dev_pki(&out, &server_names, &names(&["a.b_c-9", &longest])).expect("valid names");
}

#[test]
fn an_existing_ca_that_is_incomplete_or_mismatched_is_not_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let other = tempfile::tempdir().expect("temp dir");
    let pki = generate(dir.path(), &["VOLGRUMM"]);
    let foreign = generate(other.path(), &[]);
    let again = || generate_dev_pki(dir.path(), &names(&["localhost"]), &names(&["operator"]));

    std::fs::copy(&foreign.ca_cert, &pki.ca_cert).expect("copy a foreign ca.pem");
    let result = again();
    assert!(
        matches!(result, Err(TlsError::ForeignCa { .. })),
        "{result:?}"
    );

    std::fs::remove_file(&pki.ca_key).expect("remove CA key");
    let result = again();
    assert!(
        matches!(result, Err(TlsError::IncompleteCa { .. })),
        "{result:?}"
    );
    assert_eq!(
        std::fs::read(&pki.ca_cert).expect("ca.pem"),
        std::fs::read(&foreign.ca_cert).expect("foreign ca.pem"),
        "the existing ca.pem is left alone"
    );
}

#[test]
fn server_config_reports_missing_and_garbage_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pki = generate(dir.path(), &[]);
    server_config(&pki.server_settings()).expect("valid settings");

    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, b"this is not PEM\n").expect("write garbage");
    let broken_pem = dir.path().join("broken.pem");
    std::fs::write(
        &broken_pem,
        b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
    )
    .expect("write broken PEM");
    let missing = dir.path().join("missing.pem");

    for bad in [&garbage, &broken_pem, &missing] {
        let variants = [
            TlsSettings {
                cert: bad.clone(),
                ..pki.server_settings()
            },
            TlsSettings {
                key: bad.clone(),
                ..pki.server_settings()
            },
            TlsSettings {
                client_ca: bad.clone(),
                ..pki.server_settings()
            },
        ];
        for settings in variants {
            let error = server_config(&settings).expect_err("bad file must be refused");
            let message = error.to_string();
            assert!(message.contains(&*bad.to_string_lossy()), "{message}");
        }
    }

    // A key that does not belong to the certificate.
    let mismatched = TlsSettings {
        key: pki.ca_key.clone(),
        ..pki.server_settings()
    };
    assert!(server_config(&mismatched).is_err());
}
