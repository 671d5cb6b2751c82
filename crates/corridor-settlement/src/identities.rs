//! Who may act as whom: the bearer tokens the operator issued (their SHA-256, subject and
//! expiry) and the client certificates registered per subject (their SHA-256 fingerprints).
//! A subject is "operator", "auditor" or "auditor-<name>", a participant's BIC, or a
//! compliance officer: "officer:<name>" of the operator, "officer:<BIC>:<name>" of a bank.
//! Several fingerprints may be registered for one subject at once, so a certificate is
//! rotated by registering the new one before revoking the old.

use std::collections::BTreeMap;

use corridor_core::{Bic, Timestamp};
use serde::{Deserialize, Serialize};

use crate::rejection::Rejection;

/// How long a token registered by the old `RegisterToken` command (which carried no expiry)
/// stays valid after its registration: 30 days.
pub(crate) const LEGACY_TOKEN_TTL_NS: u64 = 30 * 86_400 * 1_000_000_000;

/// A registered bearer token, known by its SHA-256 only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TokenGrant {
    pub subject: String,
    pub registered_at: Timestamp,
    /// Refused from this instant on (engine time, nanoseconds since the epoch).
    pub expires_at: Timestamp,
}

/// A client certificate registered for a subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Credential {
    /// SHA-256 of the DER certificate, 64 lowercase hex digits.
    pub fingerprint_sha256: String,
    pub subject: String,
    pub registered_at: Timestamp,
}

#[derive(Debug, Default)]
pub(crate) struct Identities {
    tokens: BTreeMap<String, TokenGrant>,
    credentials: BTreeMap<String, Credential>,
}

impl Identities {
    /// The identities as a snapshot stored them.
    pub(crate) fn restore(
        tokens: BTreeMap<String, TokenGrant>,
        credentials: BTreeMap<String, Credential>,
    ) -> Identities {
        Identities {
            tokens,
            credentials,
        }
    }

    pub(crate) fn token_map(&self) -> &BTreeMap<String, TokenGrant> {
        &self.tokens
    }

    pub(crate) fn credential_map(&self) -> &BTreeMap<String, Credential> {
        &self.credentials
    }

    /// Registers a token digest for `subject` until `expires_at`. The same digest for the
    /// same subject again renews it: the later expiry holds.
    pub(crate) fn register_token(
        &mut self,
        token_sha256: &str,
        subject: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), Rejection> {
        check_digest("token_sha256", token_sha256)?;
        if subject.is_empty() || subject.len() > 64 {
            return Err(Rejection::format("subject must be 1 to 64 characters"));
        }
        if expires_at <= now {
            return Err(Rejection::format("a token must expire after it is issued"));
        }
        if let Some(existing) = self.tokens.get_mut(token_sha256) {
            if existing.subject != subject {
                return Err(Rejection::new(
                    "DUPL",
                    "token already registered for another subject",
                ));
            }
            existing.expires_at = existing.expires_at.max(expires_at);
            return Ok(());
        }
        let grant = TokenGrant {
            subject: subject.to_string(),
            registered_at: now,
            expires_at,
        };
        self.tokens.insert(token_sha256.to_string(), grant);
        Ok(())
    }

    /// Forgets a token: refused from the next request on.
    pub(crate) fn revoke_token(&mut self, token_sha256: &str) -> Result<TokenGrant, Rejection> {
        self.tokens
            .remove(token_sha256)
            .ok_or_else(|| Rejection::not_found("no such token"))
    }

    /// Registers a certificate fingerprint for `subject`. A fingerprint acts for one subject
    /// only; registering it again for the same subject is a retry.
    pub(crate) fn register_credential(
        &mut self,
        subject: &str,
        fingerprint_sha256: &str,
        now: Timestamp,
    ) -> Result<Credential, Rejection> {
        check_digest("fingerprint_sha256", fingerprint_sha256)?;
        if let Some(existing) = self.credentials.get(fingerprint_sha256) {
            if existing.subject != subject {
                return Err(Rejection::new(
                    "DUPL",
                    format!(
                        "this certificate is already registered for {}",
                        existing.subject
                    ),
                ));
            }
            return Ok(existing.clone());
        }
        let credential = Credential {
            fingerprint_sha256: fingerprint_sha256.to_string(),
            subject: subject.to_string(),
            registered_at: now,
        };
        self.credentials
            .insert(fingerprint_sha256.to_string(), credential.clone());
        Ok(credential)
    }

    /// Revokes a certificate registered for `subject`: refused from the next request on.
    pub(crate) fn revoke_credential(
        &mut self,
        subject: &str,
        fingerprint_sha256: &str,
    ) -> Result<Credential, Rejection> {
        match self.credentials.get(fingerprint_sha256) {
            Some(existing) if existing.subject == subject => self
                .credentials
                .remove(fingerprint_sha256)
                .ok_or_else(|| Rejection::not_found("no such certificate")),
            _ => Err(Rejection::not_found(format!(
                "no certificate {fingerprint_sha256} is registered for {subject}"
            ))),
        }
    }
}

fn check_digest(field: &str, digest: &str) -> Result<(), Rejection> {
    let well_formed = digest.len() == 64
        && digest
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if well_formed {
        return Ok(());
    }
    Err(Rejection::format(format!(
        "{field} must be 64 lowercase hex digits"
    )))
}

/// The bank a subject acts for or belongs to: a participant's BIC, or the bank of a bank's
/// compliance officer; `None` for the operator, its auditors and its officers. A subject
/// that is none of the recognised forms is refused.
pub fn subject_bank(subject: &str) -> Result<Option<Bic>, Rejection> {
    let malformed = || {
        Rejection::format(format!(
            "{subject:?} is not a subject: expected operator, auditor[-<name>], a BIC, officer:<name> or officer:<BIC>:<name>"
        ))
    };
    if subject == "operator" || subject == "auditor" {
        return Ok(None);
    }
    if let Some(name) = subject.strip_prefix("auditor-") {
        return if is_name(name) {
            Ok(None)
        } else {
            Err(malformed())
        };
    }
    if let Some(rest) = subject.strip_prefix("officer:") {
        let (bank, name) = match rest.split_once(':') {
            Some((bic, name)) => (Some(bic.parse::<Bic>().map_err(|_| malformed())?), name),
            None => (None, rest),
        };
        return if is_name(name) {
            Ok(bank)
        } else {
            Err(malformed())
        };
    }
    subject.parse::<Bic>().map(Some).map_err(|_| malformed())
}

/// An officer's or auditor's name: 1 to 64 of A-Z, a-z, 0-9, '-', '_', '.'.
pub fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    #[test]
    fn subjects_are_recognised_with_their_bank() {
        assert_eq!(subject_bank("operator"), Ok(None));
        assert_eq!(subject_bank("auditor-eu"), Ok(None));
        assert_eq!(subject_bank("officer:olga"), Ok(None));
        let volg: Bic = "VOLGRUMM".parse().unwrap();
        assert_eq!(subject_bank("VOLGRUMM"), Ok(Some(volg)));
        assert_eq!(subject_bank("officer:VOLGRUMM:ivan"), Ok(Some(volg)));
        for bad in [
            "",
            "root",
            "auditor-",
            "officer:",
            "officer:VOLGRUMM:",
            "officer:a b",
        ] {
            assert!(subject_bank(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_fingerprint_acts_for_one_subject_and_several_rotate_with_overlap() {
        let mut ids = Identities::default();
        let now = Timestamp(1);
        ids.register_credential("operator", A, now).unwrap();
        ids.register_credential("operator", B, now).unwrap();
        assert_eq!(
            ids.register_credential("auditor", A, now).unwrap_err().code,
            "DUPL"
        );
        assert_eq!(
            ids.revoke_credential("auditor", A).unwrap_err().code,
            "NOTF"
        );
        ids.revoke_credential("operator", A).unwrap();
        assert_eq!(ids.credential_map().len(), 1);
        assert!(ids.credential_map().contains_key(B));
    }

    #[test]
    fn tokens_need_an_expiry_in_the_future_and_can_be_revoked() {
        let mut ids = Identities::default();
        let now = Timestamp(10);
        let refused = ids.register_token(A, "operator", now, now).unwrap_err();
        assert_eq!(refused.code, "FF01");
        ids.register_token(A, "operator", Timestamp(20), now)
            .unwrap();
        assert_eq!(ids.token_map()[A].expires_at, Timestamp(20));
        ids.revoke_token(A).unwrap();
        assert_eq!(ids.revoke_token(A).unwrap_err().code, "NOTF");
    }
}
