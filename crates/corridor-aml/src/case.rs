//! The case book: alerts grouped into cases that officers review and close, every change
//! kept with who made it and when.
//!
//! Filing: an alert joins the live (open or under review) case the book opened for the same
//! account, so an officer sees everything about one account in one place; when that account
//! has no live case, the alert opens one. An officer may also open a case over any alerts
//! already filed (a ring across accounts); such a case shares its alerts with the accounts'
//! own cases.

use std::collections::BTreeMap;
use std::fmt;

use corridor_core::Timestamp;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::alert::Alert;
use crate::payment::AccountKey;

/// Identifies a case; sequential from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(pub u64);

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "case {}", self.0)
    }
}

/// Why an officer closed a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// The activity has a legitimate explanation.
    FalsePositive,
    /// A suspicious activity report was filed with the financial intelligence unit.
    Reported { reference: String },
    /// Suspicious enough to have looked, not enough to report.
    NoFurtherAction,
}

/// Where a case is in its lifecycle: Open → UnderReview → Closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    Open,
    UnderReview {
        officer: String,
    },
    Closed {
        officer: String,
        reason: CloseReason,
        note: String,
    },
}

/// One change to a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseChange {
    /// Opened by the book for an account's first alert, or by an officer over alerts.
    Opened { alerts: Vec<u64> },
    /// A later alert on the same account joined.
    AlertJoined { alert: u64 },
    /// An officer took the case, or took it over from another.
    ReviewStarted { officer: String },
    Closed {
        officer: String,
        reason: CloseReason,
        note: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub at: Timestamp,
    pub change: CaseChange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    /// The account whose alerts gather here; `None` for a case an officer opened.
    pub subject: Option<AccountKey>,
    /// Alert ids, in the order they came into the case.
    pub alerts: Vec<u64>,
    pub state: CaseState,
    /// Every change, oldest first; the first is always `Opened`.
    pub history: Vec<CaseEvent>,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CaseError {
    #[error("{0} does not exist")]
    UnknownCase(CaseId),
    #[error("alert {0} has not been filed")]
    UnknownAlert(u64),
    #[error("a case needs at least one alert")]
    NoAlerts,
    #[error("alert {0} is already filed")]
    AlertAlreadyFiled(u64),
    #[error("{0} is closed")]
    Closed(CaseId),
    #[error("{0} must be under review before it is closed")]
    NotUnderReview(CaseId),
    #[error("the officer must be named")]
    NoOfficer,
    #[error("a reported case needs the report's reference")]
    NoReportReference,
}

/// All alerts and cases, for the hub to keep beside the monitor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseBook {
    alerts: BTreeMap<u64, Alert>,
    cases: BTreeMap<CaseId, Case>,
    /// The live case the book opened for each account.
    live_by_subject: BTreeMap<AccountKey, CaseId>,
    last_case_id: u64,
}

impl CaseBook {
    pub fn new() -> CaseBook {
        CaseBook::default()
    }

    /// Keeps `alert` and puts it in its account's live case, opening one if there is none.
    /// An alert id is filed once; filing it again is an error.
    pub fn file(&mut self, alert: Alert, at: Timestamp) -> Result<CaseId, CaseError> {
        if self.alerts.contains_key(&alert.id) {
            return Err(CaseError::AlertAlreadyFiled(alert.id));
        }
        let (alert_id, subject) = (alert.id, alert.subject.clone());
        self.alerts.insert(alert_id, alert);
        let live = self.live_by_subject.get(&subject).copied();
        if let Some(case) = live.and_then(|id| self.cases.get_mut(&id)) {
            case.alerts.push(alert_id);
            case.history.push(CaseEvent {
                at,
                change: CaseChange::AlertJoined { alert: alert_id },
            });
            return Ok(case.id);
        }
        let id = self.open(vec![alert_id], Some(subject.clone()), at);
        self.live_by_subject.insert(subject, id);
        Ok(id)
    }

    /// Opens a case over alerts already filed, whatever cases they are in.
    pub fn open_case(&mut self, alert_ids: &[u64], at: Timestamp) -> Result<CaseId, CaseError> {
        if alert_ids.is_empty() {
            return Err(CaseError::NoAlerts);
        }
        if let Some(unknown) = alert_ids.iter().find(|id| !self.alerts.contains_key(id)) {
            return Err(CaseError::UnknownAlert(*unknown));
        }
        let mut alerts = alert_ids.to_vec();
        alerts.sort_unstable();
        alerts.dedup();
        Ok(self.open(alerts, None, at))
    }

    /// An officer takes the case: Open → UnderReview, or UnderReview → UnderReview with
    /// another officer.
    pub fn start_review(
        &mut self,
        id: CaseId,
        officer: &str,
        at: Timestamp,
    ) -> Result<(), CaseError> {
        let officer = named(officer)?;
        let case = self.live_case(id)?;
        case.state = CaseState::UnderReview {
            officer: officer.clone(),
        };
        case.history.push(CaseEvent {
            at,
            change: CaseChange::ReviewStarted { officer },
        });
        Ok(())
    }

    /// UnderReview → Closed. A closed case stays closed; the account's next alert opens a
    /// new one.
    pub fn close(
        &mut self,
        id: CaseId,
        officer: &str,
        reason: CloseReason,
        note: &str,
        at: Timestamp,
    ) -> Result<(), CaseError> {
        let officer = named(officer)?;
        if let CloseReason::Reported { reference } = &reason
            && reference.trim().is_empty()
        {
            return Err(CaseError::NoReportReference);
        }
        let case = self.live_case(id)?;
        if case.state == CaseState::Open {
            return Err(CaseError::NotUnderReview(id));
        }
        let subject = case.subject.clone();
        case.state = CaseState::Closed {
            officer: officer.clone(),
            reason: reason.clone(),
            note: note.to_owned(),
        };
        case.history.push(CaseEvent {
            at,
            change: CaseChange::Closed {
                officer,
                reason,
                note: note.to_owned(),
            },
        });
        if let Some(subject) = subject {
            self.live_by_subject.remove(&subject);
        }
        Ok(())
    }

    pub fn case(&self, id: CaseId) -> Option<&Case> {
        self.cases.get(&id)
    }

    pub fn alert(&self, id: u64) -> Option<&Alert> {
        self.alerts.get(&id)
    }

    /// All cases, oldest first.
    pub fn cases(&self) -> impl Iterator<Item = &Case> {
        self.cases.values()
    }

    fn open(&mut self, alerts: Vec<u64>, subject: Option<AccountKey>, at: Timestamp) -> CaseId {
        self.last_case_id += 1;
        let id = CaseId(self.last_case_id);
        let case = Case {
            id,
            subject,
            alerts: alerts.clone(),
            state: CaseState::Open,
            history: vec![CaseEvent {
                at,
                change: CaseChange::Opened { alerts },
            }],
        };
        self.cases.insert(id, case);
        id
    }

    /// The case, if it exists and is not closed.
    fn live_case(&mut self, id: CaseId) -> Result<&mut Case, CaseError> {
        let case = self.cases.get_mut(&id).ok_or(CaseError::UnknownCase(id))?;
        if matches!(case.state, CaseState::Closed { .. }) {
            return Err(CaseError::Closed(id));
        }
        Ok(case)
    }
}

fn named(officer: &str) -> Result<String, CaseError> {
    let officer = officer.trim();
    if officer.is_empty() {
        return Err(CaseError::NoOfficer);
    }
    Ok(officer.to_owned())
}
