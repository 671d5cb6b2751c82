//! `corridor certs`: a development certificate authority, a server certificate and client
//! certificates (valid 90 days) whose common name is the caller's subject ("operator",
//! "auditor", a BIC), or with `--revoke` a certificate revocation list signed by that CA.
//! For development and tests only: production certificates come from the scheme's own PKI.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use corridor_node::tls::{generate_dev_pki, write_dev_crl};

#[derive(Args)]
pub struct CertsArgs {
    /// Where the PEM files go. An existing CA there is reused, so clients can be added later.
    #[arg(long, default_value = "./corridor-certs")]
    out: PathBuf,
    /// DNS names and IP addresses of the node's certificate.
    #[arg(long = "server-name", default_values_t = ["localhost".to_string(), "127.0.0.1".to_string()])]
    server_names: Vec<String>,
    /// A client certificate's common name: "operator", "auditor" or a participant's BIC.
    #[arg(long = "client", default_values_t = ["operator".to_string(), "auditor".to_string()])]
    clients: Vec<String>,
    /// Instead of issuing certificates, write `crl.pem` in --out revoking the certificates
    /// (PEM files) given; repeatable, and the list is rewritten whole each time.
    #[arg(long, value_name = "PEM", num_args = 0..)]
    revoke: Option<Vec<PathBuf>>,
}

pub fn run(args: CertsArgs) -> anyhow::Result<()> {
    if let Some(revoked) = &args.revoke {
        let crl = write_dev_crl(&args.out, revoked)
            .with_context(|| format!("writing the revocation list in {}", args.out.display()))?;
        println!(
            "certificate revocation list ({} revoked): {}\nstart the node with --crl {}, then reload it with SIGHUP or `corridor certificates reload-crl`",
            revoked.len(),
            crl.display(),
            crl.display()
        );
        return Ok(());
    }
    let files = generate_dev_pki(&args.out, &args.server_names, &args.clients)
        .with_context(|| format!("writing certificates to {}", args.out.display()))?;
    let ca = if files.reused_ca { "reused" } else { "created" };
    println!("development CA {ca}: {}", files.ca_cert.display());
    println!(
        "server certificate: {} (key {})",
        files.server_cert.display(),
        files.server_key.display()
    );
    for client in &files.clients {
        println!(
            "client {:<9} {} (key {})",
            client.name,
            client.cert.display(),
            client.key.display()
        );
    }
    let register: String = files
        .clients
        .iter()
        .map(|c| format!(" --register-cert {}", c.cert.display()))
        .collect();
    println!(
        "\nstart the node with mutual TLS (the certificates are registered at the first start):\n  corridor up --tls-cert {} --tls-key {} --client-ca {}{register}",
        files.server_cert.display(),
        files.server_key.display(),
        files.ca_cert.display()
    );
    Ok(())
}
