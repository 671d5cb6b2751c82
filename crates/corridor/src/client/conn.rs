//! Talking to a node: the connection options every client command takes, credentials
//! (a bearer token, a development subject from the demo's credentials file, or a client
//! certificate), and requests whose refusals become `<code>: <message>` errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use clap::Args;
use reqwest::blocking::{Client, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub const DEFAULT_NODE: &str = "http://127.0.0.1:8080";
pub const DEFAULT_CREDENTIALS: &str = "./corridor-data/credentials.json";

/// How to reach a node and who to be there. Flattened into every client command.
#[derive(Args, Debug, Clone)]
pub struct ConnArgs {
    /// The node's URL [env: CORRIDOR_NODE] [default: http://127.0.0.1:8080]
    #[arg(long, value_name = "URL", help_heading = "Connection")]
    pub node: Option<String>,
    /// Bearer token [env: CORRIDOR_TOKEN]
    #[arg(
        long,
        value_name = "TOKEN",
        conflicts_with = "as_subject",
        help_heading = "Connection"
    )]
    pub token: Option<String>,
    /// DEVELOPMENT ONLY: act as SUBJECT ("operator", "auditor" or a BIC) with its token from
    /// --credentials, the file `corridor up --demo` writes
    #[arg(long = "as", value_name = "SUBJECT", help_heading = "Connection")]
    pub as_subject: Option<String>,
    /// Development credentials file read by --as (a JSON object subject -> token)
    #[arg(
        long,
        value_name = "FILE",
        default_value = DEFAULT_CREDENTIALS,
        help_heading = "Connection"
    )]
    pub credentials: PathBuf,
    /// Mutual TLS: the client certificate (PEM), with --key
    #[arg(
        long,
        value_name = "PEM",
        requires = "key",
        help_heading = "Connection"
    )]
    pub cert: Option<PathBuf>,
    /// Mutual TLS: the client certificate's private key (PEM)
    #[arg(
        long,
        value_name = "PEM",
        requires = "cert",
        help_heading = "Connection"
    )]
    pub key: Option<PathBuf>,
    /// CA certificate(s) (PEM) to trust for the node's server certificate
    #[arg(long, value_name = "PEM", help_heading = "Connection")]
    pub ca: Option<PathBuf>,
    /// Print the node's JSON answer as is (pretty-printed) instead of tables
    #[arg(long)]
    pub json: bool,
}

/// A node to send requests to.
#[derive(Debug)]
pub struct Node {
    http: Client,
    base: String,
    token: Option<String>,
    /// Whether a client certificate identifies the caller.
    mutual_tls: bool,
}

/// A successful answer: its body as sent, so `--json` can print it unchanged.
#[derive(Debug)]
pub struct Answer {
    pub body: String,
    /// Where the next page of a paged list starts (the `next-cursor` header).
    next_cursor: Option<String>,
}

/// Items the node gives a page at most: fewer round trips for a whole list.
const MAX_PAGE_ITEMS: usize = 1_000;

impl Answer {
    pub fn decode<T: DeserializeOwned>(&self) -> anyhow::Result<T> {
        serde_json::from_str(&self.body)
            .with_context(|| "the node's answer is not in the expected shape".to_string())
    }
}

impl Node {
    /// Builds the client. `timeout` bounds each whole request.
    pub fn connect(args: &ConnArgs, timeout: Duration) -> anyhow::Result<Node> {
        let mutual_tls = args.cert.is_some();
        let base = base_url(args.node.clone(), mutual_tls);
        let token = token(args)?;
        let mut builder = Client::builder()
            .use_rustls_tls()
            .connect_timeout(Duration::from_secs(10))
            .timeout(timeout)
            .user_agent(concat!("corridor-cli/", env!("CARGO_PKG_VERSION")));
        if let (Some(cert), Some(key)) = (&args.cert, &args.key) {
            let mut pem = read(cert, "client certificate")?;
            pem.push(b'\n');
            pem.extend(read(key, "client key")?);
            let identity = reqwest::Identity::from_pem(&pem).with_context(|| {
                format!(
                    "{} and {} are not a PEM certificate and private key",
                    cert.display(),
                    key.display()
                )
            })?;
            builder = builder.identity(identity);
        }
        if let Some(ca) = &args.ca {
            let pem = read(ca, "CA certificate")?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .with_context(|| format!("{} holds no PEM certificate", ca.display()))?;
            if certs.is_empty() {
                bail!("{} holds no PEM certificate", ca.display());
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder.build().context("setting up the HTTP client")?;
        Ok(Node {
            http,
            base,
            token,
            mutual_tls,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get(&self, path: &str, query: &[(&str, String)]) -> anyhow::Result<Answer> {
        self.send(path, self.http.get(self.url(path)).query(query))
    }

    /// Every page of a paged list, following the node's cursor, as one answer holding one
    /// JSON array.
    pub fn get_all(&self, path: &str) -> anyhow::Result<Answer> {
        let mut items: Vec<serde_json::Value> = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut query = vec![("limit", MAX_PAGE_ITEMS.to_string())];
            query.extend(after.clone().map(|cursor| ("after", cursor)));
            let page = self.get(path, &query)?;
            items.extend(page.decode::<Vec<serde_json::Value>>()?);
            match page.next_cursor {
                None => break,
                Some(next) if after.as_ref() == Some(&next) => {
                    bail!("the node's cursor for {path} does not advance past {next}")
                }
                next => after = next,
            }
        }
        let body = serde_json::to_string(&items).context("writing the list back out")?;
        Ok(Answer {
            body,
            next_cursor: None,
        })
    }

    pub fn post<B: Serialize>(&self, path: &str, body: &B) -> anyhow::Result<Answer> {
        self.send(path, self.http.post(self.url(path)).json(body))
    }

    pub fn put<B: Serialize>(&self, path: &str, body: &B) -> anyhow::Result<Answer> {
        self.send(path, self.http.put(self.url(path)).json(body))
    }

    pub fn delete(&self, path: &str) -> anyhow::Result<Answer> {
        self.send(path, self.http.delete(self.url(path)))
    }

    pub fn put_bytes(
        &self,
        path: &str,
        query: &[(&str, String)],
        body: Vec<u8>,
    ) -> anyhow::Result<Answer> {
        let request = self
            .http
            .put(self.url(path))
            .query(query)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(body);
        self.send(path, request)
    }

    fn send(&self, path: &str, request: RequestBuilder) -> anyhow::Result<Answer> {
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None if self.mutual_tls => request,
            None => bail!(
                "no credentials: give --token TOKEN (or set CORRIDOR_TOKEN), --cert/--key for \
                 mutual TLS, or for development --as SUBJECT with the tokens `corridor up --demo` \
                 writes"
            ),
        };
        let url = self.url(path);
        let response = request.send().map_err(|e| transport_error(&url, &e))?;
        let status = response.status();
        let next_cursor = response
            .headers()
            .get("next-cursor")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response
            .text()
            .map_err(|e| anyhow!("reading the answer from {url}: {e}"))?;
        if status.is_success() {
            return Ok(Answer { body, next_cursor });
        }
        Err(api_error(status, &body))
    }
}

/// `--node`, else `CORRIDOR_NODE`, else the default; a bare `host:port` gets a scheme.
fn base_url(flag: Option<String>, mutual_tls: bool) -> String {
    let text = flag
        .or_else(|| non_empty_env("CORRIDOR_NODE"))
        .unwrap_or_else(|| DEFAULT_NODE.to_string());
    let text = text.trim().trim_end_matches('/');
    if text.contains("://") {
        text.to_string()
    } else if mutual_tls {
        format!("https://{text}")
    } else {
        format!("http://{text}")
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// `--as` (from the credentials file), else `--token`, else `CORRIDOR_TOKEN`.
fn token(args: &ConnArgs) -> anyhow::Result<Option<String>> {
    if let Some(subject) = &args.as_subject {
        return development_token(&args.credentials, subject).map(Some);
    }
    Ok(args
        .token
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| non_empty_env("CORRIDOR_TOKEN"))
        .map(|t| t.trim().to_string()))
}

/// The token of `subject` in a development credentials file (`corridor up --demo` writes
/// `<data-dir>/credentials.json`). Real deployments use mutual TLS or issued tokens.
fn development_token(path: &Path, subject: &str) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).map_err(|e| {
        anyhow!(
            "--as reads development tokens from {}: {e}. It is the file `corridor up --demo` \
             writes into its data directory; point --credentials at it",
            path.display()
        )
    })?;
    let tokens: BTreeMap<String, String> = serde_json::from_slice(&bytes).with_context(|| {
        format!(
            "{} is not a development credentials file (a JSON object subject -> token)",
            path.display()
        )
    })?;
    if let Some(token) = tokens.get(subject) {
        return Ok(token.clone());
    }
    let known: Vec<&str> = tokens.keys().map(String::as_str).collect();
    bail!(
        "{} has no token for {subject:?}; it has: {}",
        path.display(),
        known.join(", ")
    )
}

fn read(path: &Path, what: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading the {what} {}", path.display()))
}

fn transport_error(url: &str, e: &reqwest::Error) -> anyhow::Error {
    let cause = root_cause(e);
    let lower = cause.to_ascii_lowercase();
    if lower.contains("certificaterequired") {
        return anyhow!(
            "the node at {url} requires a client certificate ({cause}): give --cert and --key"
        );
    }
    if ["certificate", "alert", "handshake", "tls"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return anyhow!(
            "TLS with the node at {url} failed: {cause}. Check --ca (the CA that signed the \
             node's certificate), the host name in --node, and --cert/--key"
        );
    }
    if e.is_connect() {
        return anyhow!(
            "cannot reach the node at {url}: {cause}. Is a node running there? Start one with \
             `corridor up --demo`, or point --node (or CORRIDOR_NODE) at yours"
        );
    }
    if e.is_timeout() {
        return anyhow!("the node at {url} did not answer in time");
    }
    anyhow!("request to {url} failed: {cause}")
}

/// The innermost error text: reqwest's own says little more than "error sending request".
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(serde::Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
}

/// `<code>: <message>` from the API's error shape; anything else with its HTTP status.
fn api_error(status: reqwest::StatusCode, body: &str) -> anyhow::Error {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(ErrorBody { error }) => anyhow!("{}: {}", error.code, error.message),
        Err(_) => {
            let text: String = body.trim().chars().take(300).collect();
            if text.is_empty() {
                anyhow!("HTTP {status}")
            } else {
                anyhow!("HTTP {status}: {text}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            base_url(Some("http://h:1/".into()), false),
            "http://h:1".to_string()
        );
        assert_eq!(base_url(Some("h:1".into()), false), "http://h:1");
        assert_eq!(base_url(Some("h:1".into()), true), "https://h:1");
    }

    #[test]
    fn error_shapes() {
        let e = api_error(
            reqwest::StatusCode::NOT_FOUND,
            r#"{"error":{"code":"NOTF","message":"no payment 7 you may see"}}"#,
        );
        assert_eq!(e.to_string(), "NOTF: no payment 7 you may see");
        let e = api_error(reqwest::StatusCode::BAD_GATEWAY, "upstream down");
        assert_eq!(e.to_string(), "HTTP 502 Bad Gateway: upstream down");
    }
}
