//! Sanctions holds as the hub keeps them: what the gateway's screening found for a payment,
//! the holds that wait on a person's decision, the decisions (who may take them is a scheme
//! setting; the optional four-eyes rule), the banks' false-positive memory. Each step is
//! recorded in the audit chain (`audit.rs`).
//!
//! Screening itself (matching names against lists) is the gateway's work: it is CPU-heavy
//! and depends on list files, so the gateway does it before the command and puts the result
//! into the command. The journal then holds exactly what was found and against which list
//! versions, and replay reproduces every hold without the lists.

use std::collections::BTreeMap;

use crate::audit::{AuditAction, AuditLog};
use crate::rejection::Rejection;
use corridor_core::{Bic, Timestamp};
use serde::{Deserialize, Serialize};

/// The audit chain's actor for what screening did on its own.
const SCREENING: &str = "system:screening";

/// Which party of a payment a name came from.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ScreenedRole {
    Debtor,
    Creditor,
    UltimateDebtor,
    UltimateCreditor,
    DebtorAgent,
    CreditorAgent,
}

/// One list a screening was run against, by the list's own date and its content hash.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
pub struct ListVersionRef {
    pub list: String,
    /// The list's own publication date, YYYY-MM-DD.
    pub date: String,
    /// SHA-256 of the list file, hex.
    pub sha256: String,
}

/// A party's name that scored at or above the threshold against a list entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScreeningHit {
    pub role: ScreenedRole,
    /// The party's name as the payment carries it.
    pub party_name: String,
    pub list: String,
    /// The list's own id of the entry (UN REFERENCE_NUMBER, OFAC uid).
    pub entry_id: String,
    pub entry_name: String,
    /// A hash of the entry's content: a false-positive decision holds while it is unchanged.
    pub entry_fingerprint: String,
    /// Per mille, 0..=1000.
    pub score: u16,
    /// Which name parts matched which, and how.
    pub explanation: String,
}

/// What the gateway's screening of one payment found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Screening {
    /// Every list the parties were screened against.
    pub lists: Vec<ListVersionRef>,
    /// The hit threshold in force, per mille.
    pub threshold: u16,
    /// Only the matches at or above `threshold`.
    pub hits: Vec<ScreeningHit>,
}

/// The operator's compliance settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComplianceConfig {
    /// A match scoring at least this (per mille) holds the payment.
    pub hit_threshold: u16,
    /// Releasing a held payment takes two different officers (never two of the same bank).
    pub four_eyes: bool,
    /// Whose officers may release a sanctions hold and record a false positive.
    #[serde(default)]
    pub sanctions_decided_by: SanctionsDeciders,
    /// Whether a payment may settle unscreened while no watchlist is on record.
    #[serde(default)]
    pub screening: ScreeningPolicy,
}

impl Default for ComplianceConfig {
    fn default() -> Self {
        ComplianceConfig {
            hit_threshold: 850,
            four_eyes: false,
            sanctions_decided_by: SanctionsDeciders::default(),
            screening: ScreeningPolicy::default(),
        }
    }
}

/// The scheme's rule on who decides a sanctions hold. A bank's officers can always see their
/// bank's holds, reject them (withdraw the payment) and recommend a decision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SanctionsDeciders {
    /// Only the operator's officers release a hold or record a false positive: a bank cannot
    /// whitelist a name for itself.
    #[default]
    OperatorOfficers,
    /// The sending bank's officers may release too; under four-eyes the second approval
    /// must then come from the operator's officers, never from the same bank.
    BankOfficers,
}

/// Whether screening is required of every payment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScreeningPolicy {
    /// Every payment is screened: while no watchlist is on record, payments are held.
    #[default]
    Required,
    /// The operator runs without screening: while no watchlist is on record, payments
    /// settle unscreened. Once a list is recorded, every payment is screened against it.
    Disabled,
}

/// A compliance officer: of a participant bank, or of the operator when `bank` is `None`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Officer {
    pub name: String,
    pub bank: Option<Bic>,
}

impl Officer {
    fn may_decide_for(&self, sender: Bic) -> bool {
        self.bank.is_none_or(|bank| bank == sender)
    }

    /// How the audit chain names the officer: `officer:operator:<name>` or
    /// `officer:<BIC>:<name>`, never a bare name that could pass for another actor.
    pub fn label(&self) -> String {
        match self.bank {
            Some(bank) => format!("officer:{bank}:{}", self.name),
            None => format!("officer:operator:{}", self.name),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HoldDecision {
    /// The payment goes on to settlement. With `false_positive`, the bank also records
    /// each hit's (party, list entry) pair so it is not raised again while the entry is
    /// unchanged.
    Release { false_positive: bool },
    /// The payment is rejected (pacs.002 RJCT RR04).
    Reject,
    /// An officer says what it would decide: recorded on the hold and in the audit chain for
    /// the deciding officers; the hold stays open. What a bank's officers do when the
    /// operator's officers decide.
    Recommend { release: bool },
}

/// A decision recommended by an officer, for the officers who decide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Recommendation {
    pub officer: Officer,
    pub at: Timestamp,
    pub release: bool,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Approval {
    pub officer: Officer,
    pub at: Timestamp,
    pub false_positive: bool,
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HoldState {
    /// Waiting for an officer (or, under four-eyes, for the second one).
    Open,
    Released,
    Rejected,
}

/// A payment held by screening, and everything decided about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hold {
    pub payment: u64,
    pub sender: Bic,
    pub raised_at: Timestamp,
    pub why: String,
    pub screening: Screening,
    pub approvals: Vec<Approval>,
    pub recommendations: Vec<Recommendation>,
    pub state: HoldState,
    pub decided_at: Option<Timestamp>,
    pub rejection: Option<Approval>,
}

/// A bank's decision that a party is not the listed entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FalsePositive {
    pub bank: Bic,
    /// The party's name folded (case, spaces), as the memory compares it.
    pub party_key: String,
    pub list: String,
    pub entry_id: String,
    pub entry_fingerprint: String,
    pub recorded_by: Officer,
    pub at: Timestamp,
    /// The payment whose release recorded it.
    pub payment: u64,
}

/// What a screening means for one payment.
#[derive(Clone, Debug, Default)]
pub(crate) struct ScreeningCheck {
    /// Why the payment waits for a person; `None` lets it go on.
    hold: Option<String>,
    /// `list:entry` of each hit the bank's false-positive memory covered.
    suppressed: Vec<String>,
}

impl ScreeningCheck {
    /// Why the payment waits for a person; `None` lets it go on.
    pub(crate) fn hold(&self) -> Option<&str> {
        self.hold.as_deref()
    }

    /// `list:entry` of each hit the bank's false-positive memory covered.
    pub(crate) fn into_suppressed(self) -> Vec<String> {
        self.suppressed
    }
}

/// The compliance part of the hub's state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance {
    config: ComplianceConfig,
    /// The current version of every list the operator recorded, by list name.
    lists: BTreeMap<String, ListVersionRef>,
    holds: BTreeMap<u64, Hold>,
    /// Keyed by (bank, party key, list, entry id).
    false_positives: BTreeMap<(Bic, String, String, String), FalsePositive>,
}

/// Folds a name for the false-positive memory: the same party written with other case or
/// spacing is the same party.
pub fn party_key(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Compliance {
    pub fn config(&self) -> &ComplianceConfig {
        &self.config
    }

    pub fn lists(&self) -> impl Iterator<Item = &ListVersionRef> {
        self.lists.values()
    }

    pub fn hold(&self, payment: u64) -> Option<&Hold> {
        self.holds.get(&payment)
    }

    pub fn holds(&self) -> impl Iterator<Item = &Hold> {
        self.holds.values()
    }

    pub fn false_positives(&self) -> impl Iterator<Item = &FalsePositive> {
        self.false_positives.values()
    }

    /// The settings and the list versions are audited as the commands that set them.
    pub(crate) fn configure(&mut self, config: &ComplianceConfig) {
        self.config = config.clone();
    }

    pub(crate) fn record_list(&mut self, version: &ListVersionRef) {
        self.lists.insert(version.list.clone(), version.clone());
    }

    /// What the gateway's screening of a payment from `sender` means here: why it must
    /// wait for a person, if it must, and which hits the bank's false-positive memory
    /// covers.
    pub(crate) fn screening_check(
        &self,
        sender: Bic,
        screening: Option<&Screening>,
    ) -> ScreeningCheck {
        let mut check = ScreeningCheck::default();
        if self.lists.is_empty() {
            if self.config.screening == ScreeningPolicy::Required {
                check.hold =
                    Some("no watchlist is on record and the scheme requires screening".to_string());
            }
            return check;
        }
        let Some(screening) = screening else {
            check.hold = Some("the payment reached the hub unscreened".to_string());
            return check;
        };
        if let Some(stale) = self.stale_lists(screening) {
            check.hold = Some(stale);
            return check;
        }
        for hit in screening
            .hits
            .iter()
            .filter(|h| h.score >= self.config.hit_threshold)
        {
            if self.remembered(sender, hit) {
                check
                    .suppressed
                    .push(format!("{}:{}", hit.list, hit.entry_id));
                continue;
            }
            check.hold.get_or_insert_with(|| {
                format!(
                    "{} {:?} matches {} entry {} ({:?}) at {}/1000",
                    role_name(hit.role),
                    hit.party_name,
                    hit.list,
                    hit.entry_id,
                    hit.entry_name,
                    hit.score
                )
            });
        }
        check
    }

    pub(crate) fn log_suppressed(
        audit: &mut AuditLog,
        payment: u64,
        entries: Vec<String>,
        now: Timestamp,
    ) {
        if entries.is_empty() {
            return;
        }
        audit.append(
            now,
            SCREENING,
            AuditAction::HitsSuppressed { payment, entries },
        );
    }

    /// A screening must cover every list on record at its current version; one run against
    /// an older version (a list replaced while the payment was on its way) is held for a
    /// person rather than trusted.
    fn stale_lists(&self, screening: &Screening) -> Option<String> {
        let missing = self
            .lists
            .values()
            .filter(|current| !screening.lists.contains(current))
            .map(|v| v.list.as_str())
            .collect::<Vec<_>>();
        if missing.is_empty() {
            return None;
        }
        Some(format!(
            "screened without the current version of: {}",
            missing.join(", ")
        ))
    }

    fn remembered(&self, sender: Bic, hit: &ScreeningHit) -> bool {
        let key = (
            sender,
            party_key(&hit.party_name),
            hit.list.clone(),
            hit.entry_id.clone(),
        );
        self.false_positives
            .get(&key)
            .is_some_and(|fp| fp.entry_fingerprint == hit.entry_fingerprint)
    }

    pub(crate) fn open_hold(
        &mut self,
        audit: &mut AuditLog,
        (payment, sender): (u64, Bic),
        (why, screening): (String, Screening),
        now: Timestamp,
    ) {
        let hits = screening.hits.len();
        audit.append(
            now,
            SCREENING,
            AuditAction::PaymentHeld {
                payment,
                why: why.clone(),
                hits,
            },
        );
        let hold = Hold {
            payment,
            sender,
            raised_at: now,
            why,
            screening,
            approvals: Vec::new(),
            recommendations: Vec::new(),
            state: HoldState::Open,
            decided_at: None,
            rejection: None,
        };
        let previous = self.holds.insert(payment, hold);
        debug_assert!(previous.is_none(), "a payment is held at most once");
    }

    /// Applies one officer's decision to an open hold. Returns the hold's new state:
    /// `Open` while a four-eyes release waits for its second officer, or after a
    /// recommendation.
    pub(crate) fn decide(
        &mut self,
        audit: &mut AuditLog,
        officer: &Officer,
        (payment, decision): (u64, HoldDecision),
        reason: &str,
        now: Timestamp,
    ) -> Result<HoldState, Rejection> {
        let hold = self
            .holds
            .get(&payment)
            .filter(|h| officer.may_decide_for(h.sender))
            .ok_or_else(|| Rejection::not_found(format!("no held payment {payment} for you")))?;
        if hold.state != HoldState::Open {
            return Err(Rejection::new(
                "NOCN",
                format!("the hold of payment {payment} is already decided"),
            ));
        }
        if reason.trim().is_empty() || reason.chars().count() > 500 {
            return Err(Rejection::format(
                "a decision needs a reason of 1 to 500 characters",
            ));
        }
        let actor = officer.label();
        let approval = Approval {
            officer: officer.clone(),
            at: now,
            false_positive: matches!(
                decision,
                HoldDecision::Release {
                    false_positive: true
                }
            ),
            reason: reason.to_string(),
        };
        match decision {
            HoldDecision::Reject => Ok(self.reject(audit, payment, approval, &actor)),
            HoldDecision::Recommend { release } => {
                Ok(self.recommend(audit, payment, approval, release, &actor))
            }
            HoldDecision::Release { .. } => {
                self.may_release(hold, officer)?;
                let needed = if self.config.four_eyes { 2 } else { 1 };
                Ok(self.approve(audit, payment, approval, needed, &actor))
            }
        }
    }

    /// Whether `officer` may approve the release of `hold` under the scheme's settings.
    fn may_release(&self, hold: &Hold, officer: &Officer) -> Result<(), Rejection> {
        let label = officer.label();
        if officer.bank.is_some()
            && self.config.sanctions_decided_by == SanctionsDeciders::OperatorOfficers
        {
            return Err(Rejection::forbidden(format!(
                "{label} may recommend but not release a sanctions hold: the scheme has the operator's officers decide"
            )));
        }
        if hold.approvals.iter().any(|a| a.officer == *officer) {
            return Err(Rejection::forbidden(format!(
                "{label} already approved payment {}: four-eyes needs a different officer",
                hold.payment
            )));
        }
        if officer.bank.is_some()
            && hold
                .approvals
                .iter()
                .any(|a| a.officer.bank == officer.bank)
        {
            return Err(Rejection::forbidden(format!(
                "an officer of the same bank already approved payment {}: the second approval must come from the operator's officers",
                hold.payment
            )));
        }
        Ok(())
    }

    fn recommend(
        &mut self,
        audit: &mut AuditLog,
        payment: u64,
        approval: Approval,
        release: bool,
        actor: &str,
    ) -> HoldState {
        let reason = approval.reason.clone();
        if let Some(hold) = self.holds.get_mut(&payment) {
            hold.recommendations.push(Recommendation {
                officer: approval.officer,
                at: approval.at,
                release,
                reason: approval.reason,
            });
        }
        audit.append(
            approval.at,
            actor,
            AuditAction::HoldRecommended {
                payment,
                release,
                reason,
            },
        );
        HoldState::Open
    }

    fn reject(
        &mut self,
        audit: &mut AuditLog,
        payment: u64,
        approval: Approval,
        actor: &str,
    ) -> HoldState {
        let (reason, now) = (approval.reason.clone(), approval.at);
        if let Some(hold) = self.holds.get_mut(&payment) {
            hold.state = HoldState::Rejected;
            hold.decided_at = Some(now);
            hold.rejection = Some(approval);
        }
        audit.append(now, actor, AuditAction::HoldRejected { payment, reason });
        HoldState::Rejected
    }

    fn approve(
        &mut self,
        audit: &mut AuditLog,
        payment: u64,
        approval: Approval,
        needed: usize,
        actor: &str,
    ) -> HoldState {
        let (reason, now) = (approval.reason.clone(), approval.at);
        let Some(hold) = self.holds.get_mut(&payment) else {
            return HoldState::Open;
        };
        hold.approvals.push(approval);
        if hold.approvals.len() < needed {
            audit.append(now, actor, AuditAction::HoldApproved { payment, reason });
            return HoldState::Open;
        }
        hold.state = HoldState::Released;
        hold.decided_at = Some(now);
        let remember = hold.approvals.iter().any(|a| a.false_positive);
        let hold = hold.clone();
        audit.append(now, actor, AuditAction::HoldReleased { payment, reason });
        if remember {
            self.remember(audit, &hold, actor, now);
        }
        HoldState::Released
    }

    fn remember(&mut self, audit: &mut AuditLog, hold: &Hold, actor: &str, now: Timestamp) {
        let Some(by) = hold.approvals.last().map(|a| a.officer.clone()) else {
            return;
        };
        for hit in &hold.screening.hits {
            let fp = FalsePositive {
                bank: hold.sender,
                party_key: party_key(&hit.party_name),
                list: hit.list.clone(),
                entry_id: hit.entry_id.clone(),
                entry_fingerprint: hit.entry_fingerprint.clone(),
                recorded_by: by.clone(),
                at: now,
                payment: hold.payment,
            };
            audit.append(
                now,
                actor,
                AuditAction::FalsePositiveRecorded {
                    bank: fp.bank,
                    party_key: fp.party_key.clone(),
                    list: fp.list.clone(),
                    entry_id: fp.entry_id.clone(),
                },
            );
            let key = (
                fp.bank,
                fp.party_key.clone(),
                fp.list.clone(),
                fp.entry_id.clone(),
            );
            self.false_positives.insert(key, fp);
        }
    }

    /// Every hold is either open or has the decision that closed it.
    pub(crate) fn check_invariants(&self) -> Result<(), String> {
        for hold in self.holds.values() {
            let decided = hold.decided_at.is_some();
            if decided == (hold.state == HoldState::Open) {
                return Err(format!(
                    "hold of payment {} is {:?} with decided_at {:?}",
                    hold.payment, hold.state, hold.decided_at
                ));
            }
        }
        Ok(())
    }
}

pub fn role_name(role: ScreenedRole) -> &'static str {
    match role {
        ScreenedRole::Debtor => "debtor",
        ScreenedRole::Creditor => "creditor",
        ScreenedRole::UltimateDebtor => "ultimate debtor",
        ScreenedRole::UltimateCreditor => "ultimate creditor",
        ScreenedRole::DebtorAgent => "debtor agent",
        ScreenedRole::CreditorAgent => "creditor agent",
    }
}
