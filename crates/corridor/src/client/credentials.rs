//! Credential commands against a running node (operator): the client certificates registered
//! per subject (list, register, revoke), development tokens (issue, revoke), and re-reading
//! the certificate revocation list.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Subcommand;
use serde::{Deserialize, Serialize};

use super::args::{print_json, segment};
use super::conn::{ConnArgs, Node};
use super::render::{block, table, time};

const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Subcommand, Debug)]
pub enum CertificatesCommand {
    /// Lists the registered certificates: fingerprint, subject, registered at.
    List {
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Registers a client certificate for a subject. Register the new certificate before
    /// revoking the old one to rotate without a gap.
    Register {
        /// "operator", "auditor[-<name>]", a BIC, "officer:<name>" or "officer:<BIC>:<name>"
        #[arg(long)]
        subject: String,
        /// The certificate (PEM); its common name must be the subject
        #[arg(
            long,
            value_name = "PEM",
            conflicts_with = "fingerprint",
            required_unless_present = "fingerprint"
        )]
        cert: Option<PathBuf>,
        /// The SHA-256 of the certificate's DER encoding, 64 lowercase hex digits
        #[arg(long, value_name = "SHA256")]
        fingerprint: Option<String>,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Revokes a registered certificate: refused from the next request on.
    Revoke {
        /// The certificate's SHA-256 fingerprint
        fingerprint: String,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Has the node read its certificate revocation list file again (like SIGHUP).
    ReloadCrl {
        #[command(flatten)]
        conn: ConnArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokensCommand {
    /// Issues a development bearer token for a subject; shown once, valid for the node's
    /// token lifetime.
    Issue {
        #[arg(long)]
        subject: String,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Revokes a token, given itself or its SHA-256: refused from the next request on.
    Revoke {
        /// The token, or its SHA-256 in hex
        token: String,
        #[command(flatten)]
        conn: ConnArgs,
    },
}

#[derive(Deserialize)]
struct Credential {
    fingerprint_sha256: String,
    subject: String,
    registered_at: u64,
}

#[derive(Serialize)]
struct Registration {
    subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    certificate_pem: Option<String>,
}

#[derive(Deserialize)]
struct Issued {
    subject: String,
    token: String,
    expires_at: u64,
}

pub fn certificates(command: CertificatesCommand) -> anyhow::Result<()> {
    match command {
        CertificatesCommand::List { conn } => {
            let node = Node::connect(&conn, TIMEOUT)?;
            let answer = node.get_all("/v1/certificates")?;
            if print_json(&conn, &answer) {
                return Ok(());
            }
            let list: Vec<Credential> = answer.decode()?;
            let mut t = table(&["fingerprint (SHA-256)", "subject", "registered"], &[]);
            for c in list {
                t.add_row(vec![c.fingerprint_sha256, c.subject, time(c.registered_at)]);
            }
            println!("{t}");
            Ok(())
        }
        CertificatesCommand::Register {
            subject,
            cert,
            fingerprint,
            conn,
        } => {
            let certificate_pem = cert
                .map(|path| {
                    std::fs::read_to_string(&path)
                        .with_context(|| format!("reading {}", path.display()))
                })
                .transpose()?;
            let body = Registration {
                subject,
                fingerprint_sha256: fingerprint,
                certificate_pem,
            };
            let node = Node::connect(&conn, TIMEOUT)?;
            let answer = node.post("/v1/certificates", &body)?;
            show_credential(&conn, &answer, "registered")
        }
        CertificatesCommand::Revoke { fingerprint, conn } => {
            let node = Node::connect(&conn, TIMEOUT)?;
            let path = format!("/v1/certificates/{}", segment("fingerprint", &fingerprint)?);
            let answer = node.delete(&path)?;
            show_credential(&conn, &answer, "revoked")
        }
        CertificatesCommand::ReloadCrl { conn } => {
            let node = Node::connect(&conn, TIMEOUT)?;
            let answer = node.post("/v1/tls/reload", &serde_json::json!({}))?;
            if !print_json(&conn, &answer) {
                println!("certificate revocation list reloaded");
            }
            Ok(())
        }
    }
}

fn show_credential(
    conn: &ConnArgs,
    answer: &super::conn::Answer,
    what: &str,
) -> anyhow::Result<()> {
    if print_json(conn, answer) {
        return Ok(());
    }
    let c: Credential = answer.decode()?;
    println!(
        "{}",
        block(&[
            ("certificate", format!("{} {what}", c.fingerprint_sha256)),
            ("subject", c.subject),
        ])
    );
    Ok(())
}

pub fn tokens(command: TokensCommand) -> anyhow::Result<()> {
    match command {
        TokensCommand::Issue { subject, conn } => {
            let node = Node::connect(&conn, TIMEOUT)?;
            let answer = node.post(
                "/v1/credentials",
                &serde_json::json!({ "subject": subject }),
            )?;
            if print_json(&conn, &answer) {
                return Ok(());
            }
            let issued: Issued = answer.decode()?;
            println!(
                "{}",
                block(&[
                    ("subject", issued.subject),
                    ("token", issued.token),
                    ("expires", time(issued.expires_at)),
                ])
            );
            Ok(())
        }
        TokensCommand::Revoke { token, conn } => {
            let node = Node::connect(&conn, TIMEOUT)?;
            let digest = token_digest(&token);
            let answer = node.delete(&format!("/v1/tokens/{digest}"))?;
            if !print_json(&conn, &answer) {
                println!("token {digest} revoked");
            }
            Ok(())
        }
    }
}

/// A token's SHA-256, unless what was given already is one.
fn token_digest(token: &str) -> String {
    let is_digest = token.len() == 64
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if is_digest {
        return token.to_string();
    }
    corridor_node::auth::token_sha256(token)
}
