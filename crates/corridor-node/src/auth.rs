//! Who is calling, and what their role lets them do. A caller is identified by its client
//! certificate (mutual TLS), whose SHA-256 fingerprint the operator registered in the hub for
//! the subject the certificate names, or, in development token mode, by an unexpired bearer
//! token whose SHA-256 the hub holds. The subject is "operator", "auditor", a participant's
//! BIC, or a compliance officer: "officer:<name>" of the operator, "officer:<BIC>:<name>" of a
//! bank. A participant's role (settlement agent or participant) comes from its admission.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::Instant;

use corridor_core::{Bic, Timestamp};
use corridor_settlement::{Hub, Officer, Participant, ParticipantRole, TokenGrant};
use rand::Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the scheme: admits participants, opens accounts, sets limits.
    Operator,
    /// A currency's central bank: moves liquidity in its currency, sees its ledger.
    SettlementAgent,
    /// A bank: sends and receives its own payments, sees only its own accounts.
    Participant,
    /// Reads everything, changes nothing.
    Auditor,
    /// Decides sanctions holds: a bank's officer for that bank's payments, the operator's
    /// for every bank's. Acts for no participant: an officer cannot send or see payments
    /// as its bank does.
    ComplianceOfficer,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub subject: String,
    pub role: Role,
    /// The participant a bank or agent acts as.
    pub bic: Option<Bic>,
    /// Set for compliance officers only.
    pub officer: Option<Officer>,
}

impl Caller {
    pub fn is_operator(&self) -> bool {
        self.role == Role::Operator
    }

    /// Operators and auditors see every participant's data.
    pub fn sees_everything(&self) -> bool {
        matches!(self.role, Role::Operator | Role::Auditor)
    }

    /// The participant this caller acts as, or 403 for the operator and auditors.
    pub fn participant(&self) -> Result<Bic, ApiError> {
        self.bic
            .ok_or_else(|| ApiError::forbidden("only a participant bank can do this"))
    }

    /// The compliance officer this caller is, or 403.
    pub fn officer(&self) -> Result<&Officer, ApiError> {
        self.officer
            .as_ref()
            .ok_or_else(|| ApiError::forbidden("only a compliance officer can do this"))
    }

    /// The operator, its auditors and its compliance officers see compliance data of every
    /// bank; a bank's officer only its own bank's.
    pub fn compliance_scope(&self) -> Result<Option<Bic>, ApiError> {
        match (&self.role, &self.officer) {
            (Role::Operator | Role::Auditor, _) => Ok(None),
            (Role::ComplianceOfficer, Some(officer)) => Ok(officer.bank),
            _ => Err(ApiError::forbidden(
                "only compliance officers, the operator and auditors see compliance data",
            )),
        }
    }

    pub fn require_operator(&self) -> Result<(), ApiError> {
        if self.is_operator() {
            return Ok(());
        }
        Err(ApiError::forbidden("only the operator can do this"))
    }
}

pub fn token_sha256(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A random bearer token: 256 bits, hex, with a prefix that makes a leaked one easy to spot.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    format!("corridor_dev_{}", hex::encode(bytes))
}

/// Why a credential does not identify anyone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CredentialRefusal {
    #[error("unknown token")]
    UnknownToken,
    #[error("the token has expired; ask the operator for a new one")]
    ExpiredToken,
    #[error("this certificate is not registered for the subject it names")]
    UnregisteredCertificate,
}

/// What the gateway needs to know to authenticate without asking the engine: the token
/// grants, the registered certificate fingerprints and the participants. Refreshed from the
/// hub after every administrative change, which only this node makes.
#[derive(Debug, Default)]
pub struct Directory {
    tokens: HashMap<String, TokenGrant>,
    /// Subject of each registered certificate, by fingerprint.
    certificates: HashMap<String, String>,
    participants: HashMap<Bic, Participant>,
}

impl Directory {
    pub fn from_hub(hub: &Hub) -> Directory {
        Directory {
            tokens: hub
                .tokens()
                .map(|(digest, grant)| (digest.to_string(), grant.clone()))
                .collect(),
            certificates: hub
                .credentials()
                .map(|c| (c.fingerprint_sha256.clone(), c.subject.clone()))
                .collect(),
            participants: hub.participants().map(|p| (p.bic, p.clone())).collect(),
        }
    }

    /// Each participant's name, for screening the agents of an FI transfer.
    pub fn participant_names(&self) -> HashMap<Bic, String> {
        self.participants
            .iter()
            .map(|(bic, p)| (*bic, p.name.clone()))
            .collect()
    }

    /// The subject a bearer token was issued to, if it has not expired by `now`.
    pub fn token_subject(&self, token: &str, now: Timestamp) -> Result<String, CredentialRefusal> {
        let grant = self
            .tokens
            .get(&token_sha256(token))
            .ok_or(CredentialRefusal::UnknownToken)?;
        if now >= grant.expires_at {
            return Err(CredentialRefusal::ExpiredToken);
        }
        Ok(grant.subject.clone())
    }

    /// The subject a client certificate names, if the operator registered that certificate
    /// (by its fingerprint) for that very subject: a certificate with the right name but
    /// another key, or registered for someone else, identifies nobody.
    pub fn certificate_subject(
        &self,
        common_name: &str,
        fingerprint_sha256: &str,
    ) -> Result<String, CredentialRefusal> {
        match self.certificates.get(fingerprint_sha256) {
            Some(subject) if subject == common_name => Ok(subject.clone()),
            _ => Err(CredentialRefusal::UnregisteredCertificate),
        }
    }

    pub fn caller(&self, subject: &str) -> Option<Caller> {
        if let Some(officer) = subject.strip_prefix("officer:") {
            return self.officer(subject, officer);
        }
        let (role, bic) = match subject {
            "operator" => (Role::Operator, None),
            s if s == "auditor" || s.starts_with("auditor-") => (Role::Auditor, None),
            s => {
                let bic: Bic = s.parse().ok()?;
                let participant = self.participants.get(&bic)?;
                let role = if participant.has_role(ParticipantRole::SettlementAgent) {
                    Role::SettlementAgent
                } else {
                    Role::Participant
                };
                (role, Some(bic))
            }
        };
        Some(Caller {
            subject: subject.to_string(),
            role,
            bic,
            officer: None,
        })
    }

    /// "<name>" for the operator's officer, "<BIC>:<name>" for an admitted bank's.
    fn officer(&self, subject: &str, rest: &str) -> Option<Caller> {
        let (bank, name) = match rest.split_once(':') {
            Some((bic, name)) => {
                let bic: Bic = bic.parse().ok()?;
                self.participants.get(&bic)?;
                (Some(bic), name)
            }
            None => (None, rest),
        };
        let valid = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !valid {
            return None;
        }
        Some(Caller {
            subject: subject.to_string(),
            role: Role::ComplianceOfficer,
            bic: None,
            officer: Some(Officer {
                name: name.to_string(),
                bank,
            }),
        })
    }
}

/// Requests per second per subject, with a burst allowance: a token bucket each.
#[derive(Debug)]
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_second: u32) -> RateLimiter {
        RateLimiter {
            per_second: f64::from(per_second),
            burst: f64::from(per_second) * 2.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn allow(&self, subject: &str) -> bool {
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        if buckets.len() >= MAX_TRACKED_SUBJECTS && !buckets.contains_key(subject) {
            self.forget_refilled(&mut buckets, now);
        }
        let (tokens, last) = buckets
            .entry(subject.to_string())
            .or_insert((self.burst, now));
        let refill = now.duration_since(*last).as_secs_f64() * self.per_second;
        *tokens = (*tokens + refill).min(self.burst);
        *last = now;
        if *tokens < 1.0 {
            return false;
        }
        *tokens -= 1.0;
        true
    }
}

/// Buckets kept before full ones are forgotten: per peer address the subjects are not a
/// closed list, and the map must not grow with every address ever seen.
const MAX_TRACKED_SUBJECTS: usize = 100_000;

impl RateLimiter {
    /// Drops the buckets that have refilled: forgetting them changes nothing, since a new
    /// bucket starts full.
    fn forget_refilled(&self, buckets: &mut HashMap<String, (f64, Instant)>, now: Instant) {
        buckets.retain(|_, (tokens, last)| {
            *tokens + now.duration_since(*last).as_secs_f64() * self.per_second < self.burst
        });
    }
}

pub fn read_directory(directory: &RwLock<Directory>) -> std::sync::RwLockReadGuard<'_, Directory> {
    directory
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
