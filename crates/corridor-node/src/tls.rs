//! Mutual TLS for the node: every bank, operator and auditor is identified by the client
//! certificate it presents, never by anything it sends inside a request. This module makes a
//! development PKI, builds the rustls server configuration that demands a client certificate,
//! reads the caller's identity from that certificate, and serves an axum router over it.

use std::fs::{self, OpenOptions};
use std::future::Future;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use hyper_util::rt::TokioIo;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DnType,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose, PublicKeyData,
    RevocationReason, RevokedCertParams, SerialNumber,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{RootCertStore, ServerConfig};
use sha2::{Digest, Sha256};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use x509_parser::certificate::X509Certificate;
use x509_parser::time::ASN1Time;

use crate::crl::{ClientVerifier, CrlError};
pub use crate::listener::ConnectionLimits;
use crate::listener::{accept_loop, serve_http, stopped};

/// Common name of the development CA; also how a reused `ca.pem` is recognised as ours.
pub const DEV_CA_COMMON_NAME: &str = "Corridor development CA";

/// A client that never finishes its handshake must not hold a task and a socket forever.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Development certificates must survive a long-running demo, but not live forever.
const DEV_CA_VALIDITY_DAYS: i64 = 3650;
/// Leaf certificates are short-lived, so a stolen key is useful for weeks, not years, and
/// rotation (register the new certificate, then revoke the old) is routine.
const DEV_LEAF_VALIDITY_DAYS: i64 = 90;

/// Tolerates a little clock skew between the machine that generated the PKI and its peers.
const NOT_BEFORE_SKEW_SECONDS: i64 = 3600;

const MAX_CLIENT_NAME_LEN: usize = 64;

/// Why TLS material could not be generated, loaded or used. Each variant names the file
/// involved, because the operator's next step is to fix or replace that file.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error(
        "invalid client name {name:?}: expected 1 to {MAX_CLIENT_NAME_LEN} characters of A-Z, a-z, 0-9, '.', '_' or '-'"
    )]
    InvalidClientName { name: String },
    #[error("at least one server name (DNS name or IP address) is required")]
    NoServerNames,
    #[error("{path}: {action}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        source: io::Error,
    },
    #[error("{path}: cannot read {what}: {source}")]
    Pem {
        path: PathBuf,
        what: &'static str,
        source: rustls::pki_types::pem::Error,
    },
    #[error("{path}: no {what} found")]
    Missing { path: PathBuf, what: &'static str },
    #[error("{path}: not a valid certificate: {reason}")]
    InvalidCertificate { path: PathBuf, reason: String },
    #[error("{path}: unusable CA certificate: {source}")]
    ClientCa {
        path: PathBuf,
        source: rustls::Error,
    },
    #[error("{path}: cannot build the client certificate verifier: {source}")]
    ClientVerifier {
        path: PathBuf,
        source: rustls::server::VerifierBuilderError,
    },
    #[error("{cert} with {key}: unusable certificate and key: {source}")]
    CertifiedKey {
        cert: PathBuf,
        key: PathBuf,
        source: rustls::Error,
    },
    #[error("cannot build the TLS configuration: {0}")]
    Config(#[source] rustls::Error),
    #[error("{present} exists but {missing} does not; refusing to replace a CA half-present")]
    IncompleteCa { present: PathBuf, missing: PathBuf },
    #[error("{path}: {reason}; move it away to generate a new development CA")]
    ForeignCa { path: PathBuf, reason: String },
    #[error("cannot generate {what}: {source}")]
    Generate { what: String, source: rcgen::Error },
    #[error(transparent)]
    Crl(#[from] CrlError),
}

/// The files of one client identity made by [`generate_dev_pki`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientFiles {
    pub name: String,
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Where [`generate_dev_pki`] put everything, and which files it (re)wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DevPkiFiles {
    pub ca_cert: PathBuf,
    pub ca_key: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub clients: Vec<ClientFiles>,
    /// True when an existing CA in the directory signed the new certificates.
    pub reused_ca: bool,
    /// Every file written by this call, in the order written (a reused CA is not among them).
    pub written: Vec<PathBuf>,
}

impl DevPkiFiles {
    /// The server side of this PKI: its certificate, and the CA its clients must chain to.
    pub fn server_settings(&self) -> TlsSettings {
        TlsSettings {
            cert: self.server_cert.clone(),
            key: self.server_key.clone(),
            client_ca: self.ca_cert.clone(),
        }
    }
}

/// Writes a development PKI into `out_dir`: a CA, a server certificate valid for every entry
/// of `server_names` (DNS names or IP addresses), and one client certificate per entry of
/// `clients` whose subject common name is that client's identity.
///
/// An existing `ca.pem` + `ca-key.pem` pair is reused, so clients can be added later without
/// re-distributing the CA to everyone who already trusts it. Server and client files are
/// always rewritten.
pub fn generate_dev_pki(
    out_dir: &Path,
    server_names: &[String],
    clients: &[String],
) -> Result<DevPkiFiles, TlsError> {
    // Validate everything before writing anything, so a typo leaves the directory as it was.
    for name in clients {
        validate_client_name(name)?;
    }
    if server_names.is_empty() {
        return Err(TlsError::NoServerNames);
    }
    let mut server_params = CertificateParams::new(server_names.to_vec())
        .map_err(|source| generate_error("the server certificate", source))?;
    server_params
        .distinguished_name
        .push(DnType::CommonName, "Corridor development server");
    server_params
        .extended_key_usages
        .push(ExtendedKeyUsagePurpose::ServerAuth);
    fs::create_dir_all(out_dir).map_err(|source| TlsError::Io {
        path: out_dir.to_path_buf(),
        action: "cannot create directory",
        source,
    })?;

    let ca_cert = out_dir.join("ca.pem");
    let ca_key = out_dir.join("ca-key.pem");
    let server_cert = out_dir.join("server.pem");
    let server_key = out_dir.join("server-key.pem");
    let mut written = Vec::new();

    let (issuer, reused_ca) = match (ca_cert.exists(), ca_key.exists()) {
        (true, true) => (load_dev_ca(&ca_cert, &ca_key)?, true),
        (false, false) => {
            let key = generate_key("the CA key")?;
            let params = dev_ca_params()?;
            let cert = params
                .self_signed(&key)
                .map_err(|source| generate_error("the CA certificate", source))?;
            // The key first: a crash in between then leaves no ca.pem without its key.
            write_file(&ca_key, key.serialize_pem().as_bytes(), Secrecy::Secret)?;
            write_file(&ca_cert, cert.pem().as_bytes(), Secrecy::Public)?;
            written.extend([ca_key.clone(), ca_cert.clone()]);
            (Issuer::new(params, key), false)
        }
        (true, false) => {
            return Err(TlsError::IncompleteCa {
                present: ca_cert,
                missing: ca_key,
            });
        }
        (false, true) => {
            return Err(TlsError::IncompleteCa {
                present: ca_key,
                missing: ca_cert,
            });
        }
    };

    issue_leaf(
        server_params,
        &issuer,
        "the server certificate",
        &server_cert,
        &server_key,
    )?;
    written.extend([server_key.clone(), server_cert.clone()]);

    let mut client_files = Vec::with_capacity(clients.len());
    for name in clients {
        let cert = out_dir.join(format!("client-{name}.pem"));
        let key = out_dir.join(format!("client-{name}-key.pem"));
        let mut params = CertificateParams::default();
        params
            .distinguished_name
            .push(DnType::CommonName, name.as_str());
        params
            .extended_key_usages
            .push(ExtendedKeyUsagePurpose::ClientAuth);
        issue_leaf(
            params,
            &issuer,
            &format!("the client certificate for {name}"),
            &cert,
            &key,
        )?;
        written.extend([key.clone(), cert.clone()]);
        client_files.push(ClientFiles {
            name: name.clone(),
            cert,
            key,
        });
    }

    Ok(DevPkiFiles {
        ca_cert,
        ca_key,
        server_cert,
        server_key,
        clients: client_files,
        reused_ca,
        written,
    })
}

/// How long a development CRL is current; the node does not refuse a stale one, but tools
/// that read it may.
const DEV_CRL_VALIDITY_DAYS: i64 = 30;

/// Writes `crl.pem` in `pki_dir`, signed by the development CA there, revoking the
/// certificates in the PEM files `revoked`. The node reads it with `--crl` at start and on
/// reload. The whole list is rewritten: pass every certificate still to be refused.
pub fn write_dev_crl(pki_dir: &Path, revoked: &[PathBuf]) -> Result<PathBuf, TlsError> {
    let issuer = load_dev_ca(&pki_dir.join("ca.pem"), &pki_dir.join("ca-key.pem"))?;
    let mut window = CertificateParams::default();
    set_validity(&mut window, DEV_CRL_VALIDITY_DAYS)?;
    let mut revoked_certs = Vec::with_capacity(revoked.len());
    for path in revoked {
        for der in read_certificates(path, "certificate")? {
            let cert = parse_certificate(&der, path)?;
            revoked_certs.push(RevokedCertParams {
                serial_number: SerialNumber::from_slice(cert.raw_serial()),
                revocation_time: window.not_before,
                reason_code: Some(RevocationReason::KeyCompromise),
                invalidity_date: None,
            });
        }
    }
    let this_update = window.not_before;
    let crl_number = u64::try_from(this_update.unix_timestamp()).unwrap_or(0);
    let params = CertificateRevocationListParams {
        this_update,
        next_update: window.not_after,
        crl_number: SerialNumber::from(crl_number),
        issuing_distribution_point: None,
        revoked_certs,
        key_identifier_method: KeyIdMethod::Sha256,
    };
    let crl = params
        .signed_by(&issuer)
        .map_err(|source| generate_error("the certificate revocation list", source))?;
    let pem = crl
        .pem()
        .map_err(|source| generate_error("the certificate revocation list", source))?;
    let path = pki_dir.join("crl.pem");
    write_file(&path, pem.as_bytes(), Secrecy::Public)?;
    Ok(path)
}

/// A client name becomes both a file name and a certificate subject, so it is kept to
/// characters that are safe in both.
fn validate_client_name(name: &str) -> Result<(), TlsError> {
    let valid = (1..=MAX_CLIENT_NAME_LEN).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if valid {
        Ok(())
    } else {
        Err(TlsError::InvalidClientName {
            name: name.to_owned(),
        })
    }
}

fn dev_ca_params() -> Result<CertificateParams, TlsError> {
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::CommonName, DEV_CA_COMMON_NAME);
    // Path length 0: this CA signs end entities only, never another CA.
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    set_validity(&mut params, DEV_CA_VALIDITY_DAYS)?;
    Ok(params)
}

fn set_validity(params: &mut CertificateParams, days: i64) -> Result<(), TlsError> {
    // A clock before 1970 is not worth an error path; it only shifts the window.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        });
    let at = |seconds: i64| {
        ASN1Time::from_timestamp(seconds)
            .map(|time| time.to_datetime())
            .map_err(|_| generate_error("a validity period", rcgen::Error::Time))
    };
    params.not_before = at(now.saturating_sub(NOT_BEFORE_SKEW_SECONDS))?;
    params.not_after = at(now.saturating_add(days.saturating_mul(86_400)))?;
    Ok(())
}

/// Loads a CA written by an earlier run. The new certificates name the issuer from
/// [`dev_ca_params`], so the existing certificate must match those parameters and the key
/// exactly; otherwise clients would get certificates that chain to nothing.
fn load_dev_ca(cert_path: &Path, key_path: &Path) -> Result<Issuer<'static, KeyPair>, TlsError> {
    let key_pem = fs::read_to_string(key_path).map_err(|source| TlsError::Io {
        path: key_path.to_path_buf(),
        action: "cannot read the CA key",
        source,
    })?;
    let key = KeyPair::from_pem(&key_pem).map_err(|source| TlsError::ForeignCa {
        path: key_path.to_path_buf(),
        reason: format!("not a usable private key ({source})"),
    })?;
    let cert_der = CertificateDer::from_pem_file(cert_path).map_err(|source| TlsError::Pem {
        path: cert_path.to_path_buf(),
        what: "the CA certificate",
        source,
    })?;
    let existing = parse_certificate(&cert_der, cert_path)?;
    if existing.public_key().raw != key.subject_public_key_info().as_slice() {
        return Err(TlsError::ForeignCa {
            path: cert_path.to_path_buf(),
            reason: format!("its public key does not match {}", key_path.display()),
        });
    }

    let params = dev_ca_params()?;
    // The subject must match byte for byte, because path building compares the issuer name
    // of each new certificate with the subject of this one. Signing a throwaway copy is the
    // only way rcgen exposes the encoding it would use.
    let expected = params
        .self_signed(&key)
        .map_err(|source| generate_error("a copy of the CA certificate", source))?;
    let expected = parse_certificate(expected.der(), cert_path)?;
    if existing.subject().as_raw() != expected.subject().as_raw() {
        return Err(TlsError::ForeignCa {
            path: cert_path.to_path_buf(),
            reason: format!(
                "its subject is \"{}\", not \"CN={DEV_CA_COMMON_NAME}\"",
                existing.subject()
            ),
        });
    }
    Ok(Issuer::new(params, key))
}

fn parse_certificate<'a>(
    der: &'a CertificateDer<'_>,
    path: &Path,
) -> Result<X509Certificate<'a>, TlsError> {
    x509_parser::parse_x509_certificate(der)
        .map(|(_, cert)| cert)
        .map_err(|error| TlsError::InvalidCertificate {
            path: path.to_path_buf(),
            reason: error.to_string(),
        })
}

fn issue_leaf(
    mut params: CertificateParams,
    issuer: &Issuer<'static, KeyPair>,
    what: &str,
    cert_path: &Path,
    key_path: &Path,
) -> Result<(), TlsError> {
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    set_validity(&mut params, DEV_LEAF_VALIDITY_DAYS)?;
    let key = generate_key(what)?;
    let cert = params
        .signed_by(&key, issuer)
        .map_err(|source| generate_error(what, source))?;
    write_file(key_path, key.serialize_pem().as_bytes(), Secrecy::Secret)?;
    write_file(cert_path, cert.pem().as_bytes(), Secrecy::Public)
}

fn generate_key(what: &str) -> Result<KeyPair, TlsError> {
    KeyPair::generate().map_err(|source| generate_error(&format!("a key for {what}"), source))
}

fn generate_error(what: &str, source: rcgen::Error) -> TlsError {
    TlsError::Generate {
        what: what.to_owned(),
        source,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Secrecy {
    Public,
    Secret,
}

fn write_file(path: &Path, contents: &[u8], secrecy: Secrecy) -> Result<(), TlsError> {
    let io_error = |action: &'static str| {
        move |source| TlsError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    };
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if secrecy == Secrecy::Secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io_error("cannot create"))?;
    // The mode above applies only to a new file; an existing key file may have been readable
    // by others, so tighten it before the secret goes in.
    #[cfg(unix)]
    if secrecy == Secrecy::Secret {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(io_error("cannot restrict permissions of"))?;
    }
    #[cfg(not(unix))]
    let _ = secrecy;
    file.write_all(contents).map_err(io_error("cannot write"))?;
    file.sync_all().map_err(io_error("cannot sync"))
}

/// Where the server's TLS material lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsSettings {
    /// PEM certificate chain presented to clients, end entity first.
    pub cert: PathBuf,
    /// PEM private key of that certificate.
    pub key: PathBuf,
    /// PEM CA certificate(s) every client certificate must chain to.
    pub client_ca: PathBuf,
}

/// Builds the server configuration: a client without a certificate signed by
/// `settings.client_ca` fails the handshake, so no request ever arrives unauthenticated.
pub fn server_config(settings: &TlsSettings) -> Result<Arc<ServerConfig>, TlsError> {
    server_config_with_crl(settings, None).map(|(config, _)| config)
}

/// Like [`server_config`], and a client certificate revoked by the CRL file `crl` (PEM or
/// DER) fails the handshake too. The verifier is returned so the file can be read again.
pub fn server_config_with_crl(
    settings: &TlsSettings,
    crl: Option<&Path>,
) -> Result<(Arc<ServerConfig>, Arc<ClientVerifier>), TlsError> {
    let chain = read_certificates(&settings.cert, "certificate")?;
    let key = PrivateKeyDer::from_pem_file(&settings.key).map_err(|source| match source {
        rustls::pki_types::pem::Error::NoItemsFound => TlsError::Missing {
            path: settings.key.clone(),
            what: "private key",
        },
        source => TlsError::Pem {
            path: settings.key.clone(),
            what: "the private key",
            source,
        },
    })?;

    let mut roots = RootCertStore::empty();
    for cert in read_certificates(&settings.client_ca, "CA certificate")? {
        roots.add(cert).map_err(|source| TlsError::ClientCa {
            path: settings.client_ca.clone(),
            source,
        })?;
    }

    // Explicit provider: a process-wide default would make the outcome depend on which
    // crate happened to install one first.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(ClientVerifier::new(
        roots,
        provider.clone(),
        &settings.client_ca,
        crl,
    )?);
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Config)?
        .with_client_cert_verifier(verifier.clone())
        .with_single_cert(chain, key)
        .map_err(|source| TlsError::CertifiedKey {
            cert: settings.cert.clone(),
            key: settings.key.clone(),
            source,
        })?;
    // Only HTTP/1.1 is served (see `serve_tls`), so only it is offered.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    // A resumed session skips the client verifier, so a certificate the CRL revoked since
    // would go on being accepted: every connection does a full handshake.
    config.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
    config.send_tls13_tickets = 0;
    Ok((Arc::new(config), verifier))
}

fn read_certificates(
    path: &Path,
    what: &'static str,
) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem_error = |source| TlsError::Pem {
        path: path.to_path_buf(),
        what,
        source,
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(pem_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(pem_error)?;
    if certs.is_empty() {
        return Err(TlsError::Missing {
            path: path.to_path_buf(),
            what,
        });
    }
    Ok(certs)
}

/// Who is on the other end of a connection, as proven by its client certificate. Inserted
/// into every request's extensions by [`serve_tls`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerIdentity {
    pub common_name: String,
    /// SHA-256 of the certificate's DER encoding, 64 lowercase hex digits: what the operator
    /// registers for the subject.
    pub fingerprint_sha256: String,
}

/// The subject common name and fingerprint of a certificate. `None` if the certificate does
/// not parse or has no common name, or more than one: an identity must be unambiguous.
pub fn peer_identity(der: &CertificateDer<'_>) -> Option<PeerIdentity> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let mut names = cert.subject().iter_common_name();
    let common_name = names.next()?.as_str().ok()?;
    if names.next().is_some() {
        return None;
    }
    Some(PeerIdentity {
        common_name: common_name.to_owned(),
        fingerprint_sha256: fingerprint_sha256(der),
    })
}

/// SHA-256 of a certificate's DER encoding, in lowercase hex.
pub fn fingerprint_sha256(der: &CertificateDer<'_>) -> String {
    hex::encode(Sha256::digest(der.as_ref()))
}

/// The identity of each certificate in a PEM file, in order: what registering the file's
/// certificates for the subjects they name would register.
pub fn certificate_identities(path: &Path) -> Result<Vec<PeerIdentity>, TlsError> {
    read_certificates(path, "certificate")?
        .iter()
        .map(|der| {
            peer_identity(der).ok_or_else(|| TlsError::InvalidCertificate {
                path: path.to_path_buf(),
                reason: "not a certificate with a single common name".to_string(),
            })
        })
        .collect()
}

/// Serves `app` over mutual TLS until `shutdown` completes, with the default
/// [`ConnectionLimits`]; see [`serve_tls_limited`].
pub async fn serve_tls(
    listener: TcpListener,
    config: Arc<ServerConfig>,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_tls_limited(listener, config, app, ConnectionLimits::default(), shutdown).await
}

/// Serves `app` over mutual TLS until `shutdown` completes, then stops accepting and gives
/// open connections up to 10 s to finish.
///
/// Every request carries the caller's [`PeerIdentity`] and its [`axum::extract::ConnectInfo`]
/// in its extensions. A connection whose handshake fails or whose certificate has no single
/// common name is dropped without affecting any other.
pub async fn serve_tls_limited(
    listener: TcpListener,
    config: Arc<ServerConfig>,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let acceptor = TlsAcceptor::from(config);
    accept_loop(
        listener,
        limits,
        shutdown,
        move |stream, remote, stopping| {
            serve_connection(
                acceptor.clone(),
                stream,
                remote,
                app.clone(),
                limits,
                stopping,
            )
        },
    )
    .await
}

async fn serve_connection(
    acceptor: TlsAcceptor,
    stream: TcpStream,
    remote: SocketAddr,
    app: Router,
    limits: ConnectionLimits,
    mut stopping: watch::Receiver<bool>,
) {
    let handshake = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream));
    let tls = tokio::select! {
        // A connection still shaking hands when shutdown starts has sent no request yet, so
        // nothing is lost by dropping it.
        () = stopped(&mut stopping) => return,
        handshake = handshake => match handshake {
            Ok(Ok(tls)) => tls,
            Ok(Err(error)) => {
                tracing::debug!(%remote, %error, "TLS handshake failed");
                return;
            }
            Err(_) => {
                tracing::debug!(%remote, "TLS handshake timed out");
                return;
            }
        },
    };
    let identity = tls
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first())
        .and_then(peer_identity);
    let Some(identity) = identity else {
        tracing::debug!(%remote, "client certificate has no single common name; closing");
        return;
    };
    let annotate = move |extensions: &mut hyper::http::Extensions| {
        extensions.insert(identity.clone());
    };
    serve_http(TokioIo::new(tls), remote, app, annotate, limits, stopping).await;
}
