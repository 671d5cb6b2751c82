//! Certificate revocation for mutual TLS: the client certificate verifier checks every
//! client's certificate against the CA bundle and the certificate revocation list (CRL) file,
//! read at start and again on reload (SIGHUP or the operator's endpoint), so a certificate
//! the CA revoked is refused at the next handshake without restarting the node.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, RootCertStore, SignatureScheme};

/// Why the revocation list or the verifier built on it cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CrlError {
    #[error("{path}: cannot read the certificate revocation list: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a PEM certificate revocation list: {source}")]
    Pem {
        path: PathBuf,
        source: rustls::pki_types::pem::Error,
    },
    #[error("{path}: no certificate revocation list found")]
    Missing { path: PathBuf },
    #[error("{path}: cannot build the client certificate verifier: {source}")]
    Verifier {
        path: PathBuf,
        source: rustls::server::VerifierBuilderError,
    },
}

/// The client certificate verifier of a running node. Rebuilt by [`ClientVerifier::reload`]
/// from the same CA bundle and the CRL file as it is now; handshakes in flight keep the
/// verifier they started with.
#[derive(Debug)]
pub struct ClientVerifier {
    roots: Arc<RootCertStore>,
    provider: Arc<CryptoProvider>,
    ca_path: PathBuf,
    crl_path: Option<PathBuf>,
    hints: Vec<DistinguishedName>,
    current: RwLock<Arc<dyn ClientCertVerifier>>,
}

impl ClientVerifier {
    /// A verifier for clients chaining to `roots`, refusing those the CRL file revokes.
    pub fn new(
        roots: RootCertStore,
        provider: Arc<CryptoProvider>,
        ca_path: &Path,
        crl_path: Option<&Path>,
    ) -> Result<ClientVerifier, CrlError> {
        let roots = Arc::new(roots);
        let crls = read_crls(crl_path)?;
        let current = build(&roots, &provider, ca_path, crls)?;
        Ok(ClientVerifier {
            hints: roots.subjects(),
            roots,
            provider,
            ca_path: ca_path.to_path_buf(),
            crl_path: crl_path.map(Path::to_path_buf),
            current: RwLock::new(current),
        })
    }

    /// Reads the CRL file again. On an error the verifier in use is kept, so a half-written
    /// file never opens the door. Returns how many CRLs are in force.
    pub fn reload(&self) -> Result<usize, CrlError> {
        let crls = read_crls(self.crl_path.as_deref())?;
        let count = crls.len();
        let fresh = build(&self.roots, &self.provider, &self.ca_path, crls)?;
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        Ok(count)
    }

    fn current(&self) -> Arc<dyn ClientCertVerifier> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

fn build(
    roots: &Arc<RootCertStore>,
    provider: &Arc<CryptoProvider>,
    ca_path: &Path,
    crls: Vec<CertificateRevocationListDer<'static>>,
) -> Result<Arc<dyn ClientCertVerifier>, CrlError> {
    // Only the client's own certificate is checked, and a CA whose CRL the file does not
    // carry is not refused for it: the file lists what was revoked, not who may connect.
    WebPkiClientVerifier::builder_with_provider(roots.clone(), provider.clone())
        .with_crls(crls)
        .only_check_end_entity_revocation()
        .allow_unknown_revocation_status()
        .build()
        .map_err(|source| CrlError::Verifier {
            path: ca_path.to_path_buf(),
            source,
        })
}

/// The CRLs of a PEM file (one or more `X509 CRL` blocks) or of a DER file (one CRL).
fn read_crls(path: Option<&Path>) -> Result<Vec<CertificateRevocationListDer<'static>>, CrlError> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let bytes = fs::read(path).map_err(|source| CrlError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !bytes.starts_with(b"-----BEGIN") {
        return Ok(vec![CertificateRevocationListDer::from(bytes)]);
    }
    let pem_error = |source| CrlError::Pem {
        path: path.to_path_buf(),
        source,
    };
    let crls = CertificateRevocationListDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(pem_error)?;
    if crls.is_empty() {
        return Err(CrlError::Missing {
            path: path.to_path_buf(),
        });
    }
    Ok(crls)
}

impl ClientCertVerifier for ClientVerifier {
    fn offer_client_auth(&self) -> bool {
        self.current().offer_client_auth()
    }

    fn client_auth_mandatory(&self) -> bool {
        self.current().client_auth_mandatory()
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.hints
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        self.current()
            .verify_client_cert(end_entity, intermediates, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.current().verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.current().verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.current().supported_verify_schemes()
    }
}
