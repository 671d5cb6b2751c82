//! AML monitoring as the hub runs it: every settled payment goes through `corridor-aml`'s
//! rules, each alert is filed into a case, and the operator's compliance officers take cases
//! through review to closure. The hub keeps the monitor and the cases in its state, so a
//! replay of the journal raises the same alerts and rebuilds the same cases.

use corridor_aml::{
    AccountNumber, AmlConfig, AmlMonitor, CaseBook, CaseError, CaseId, CloseReason, OriginatorData,
    OriginatorIdentification, PartyRef, SettledPayment,
};
use corridor_core::{Currency, CurrencyCode, Timestamp};
use serde::{Deserialize, Serialize};

use crate::audit::{AuditAction, AuditLog};
use crate::compliance::{Officer, party_key};
use crate::model::CashAccount;
use crate::payment::Payment;
use crate::rejection::Rejection;

/// What an officer does with a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    /// Takes the case (or takes it over): open → under review.
    Review,
    /// Under review → closed, with the reason and a note for the file.
    Close { reason: CloseReason, note: String },
}

/// The monitor (absent until the operator configures rules) and the cases.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Monitoring {
    monitor: Option<AmlMonitor>,
    cases: CaseBook,
}

fn case_rejection(e: CaseError) -> Rejection {
    let text = e.to_string();
    match e {
        CaseError::UnknownCase(_) | CaseError::UnknownAlert(_) => Rejection::not_found(text),
        CaseError::Closed(_) | CaseError::NotUnderReview(_) | CaseError::AlertAlreadyFiled(_) => {
            Rejection::new("NOCN", text)
        }
        CaseError::NoAlerts | CaseError::NoOfficer | CaseError::NoReportReference => {
            Rejection::format(text)
        }
    }
}

impl Monitoring {
    pub fn config(&self) -> Option<&AmlConfig> {
        self.monitor.as_ref().map(AmlMonitor::config)
    }

    pub fn cases(&self) -> &CaseBook {
        &self.cases
    }

    /// Replaces the rules. Each scheme must be a currency of the hub, at its exponent, since
    /// the thresholds are in its minor units. The windows start afresh.
    pub(crate) fn configure(
        &mut self,
        config: &AmlConfig,
        currency: impl Fn(CurrencyCode) -> Option<Currency>,
    ) -> Result<(), Rejection> {
        for (code, rules) in &config.schemes {
            let known = currency(*code).ok_or_else(|| {
                Rejection::not_found(format!("{code} is not a currency of the scheme"))
            })?;
            if known.exponent != rules.minor_unit_exponent {
                return Err(Rejection::format(format!(
                    "{code} has {} decimals, not {}: its thresholds would be misread",
                    known.exponent, rules.minor_unit_exponent
                )));
            }
        }
        let monitor =
            AmlMonitor::new(config.clone()).map_err(|e| Rejection::format(e.to_string()))?;
        self.monitor = Some(monitor);
        Ok(())
    }

    /// Runs the rules over one settled payment and files what they raise.
    pub(crate) fn observe(&mut self, payment: &Payment, at: Timestamp, audit: &mut AuditLog) {
        let Some(monitor) = self.monitor.as_mut() else {
            return;
        };
        for alert in monitor.observe(&settled_payment(payment, at)) {
            let (id, rule) = (alert.id, alert.rule);
            match self.cases.file(alert, at) {
                Ok(case) => audit.append(
                    at,
                    "system:monitoring",
                    AuditAction::Case {
                        case: case.0,
                        detail: format!("alert {id} ({rule}) filed"),
                    },
                ),
                Err(e) => debug_assert!(false, "a fresh alert files: {e}"),
            }
        }
    }

    /// Applies an officer's action. Cases are the operator's: a bank's officers see only
    /// their own bank's flows and cannot judge a pattern across banks.
    pub(crate) fn act(
        &mut self,
        officer: &Officer,
        case: u64,
        action: &CaseAction,
        at: Timestamp,
        audit: &mut AuditLog,
    ) -> Result<(), Rejection> {
        if officer.bank.is_some() {
            return Err(Rejection::forbidden(
                "AML cases are worked by the operator's compliance officers",
            ));
        }
        let id = CaseId(case);
        let detail = match action {
            CaseAction::Review => {
                self.cases
                    .start_review(id, &officer.name, at)
                    .map_err(case_rejection)?;
                "under review".to_string()
            }
            CaseAction::Close { reason, note } => {
                self.cases
                    .close(id, &officer.name, reason.clone(), note, at)
                    .map_err(case_rejection)?;
                format!("closed: {reason:?}")
            }
        };
        audit.append(at, &officer.label(), AuditAction::Case { case, detail });
        Ok(())
    }
}

fn account_number(account: Option<&CashAccount>) -> Option<AccountNumber> {
    let account = account?;
    match (&account.iban, &account.other) {
        (Some(iban), _) => Some(AccountNumber::Iban(iban.clone())),
        (None, Some(other)) => Some(AccountNumber::Other(other.clone())),
        (None, None) => None,
    }
}

/// A party without an account number is told apart by its name at its agent, so two
/// account-less customers of one bank are not one account.
fn party_ref(account: Option<&CashAccount>, name: &str) -> PartyRef {
    let account = account_number(account)
        .unwrap_or_else(|| AccountNumber::Other(format!("name:{}", party_key(name))));
    PartyRef {
        account,
        name: name.to_string(),
    }
}

fn originator_identification(p: &Payment) -> Option<OriginatorIdentification> {
    let debtor = &p.instruction.debtor;
    if let Some(address) = &debtor.postal_address {
        let lines = [
            &address.street_name,
            &address.building_number,
            &address.post_code,
            &address.town_name,
            &address.country,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .chain(address.address_lines.iter().cloned())
        .collect::<Vec<_>>();
        if !lines.is_empty() {
            return Some(OriginatorIdentification::Address(lines));
        }
    }
    let id = debtor.identification.as_ref()?;
    id.other_id
        .clone()
        .map(OriginatorIdentification::CustomerIdentificationNumber)
}

fn settled_payment(p: &Payment, at: Timestamp) -> SettledPayment {
    let i = &p.instruction;
    SettledPayment {
        payment_id: p.id,
        uetr: i.uetr,
        settled_at: at,
        currency: i.currency,
        amount: p.amount,
        debtor_agent: i.debtor_agent.unwrap_or(p.sender),
        creditor_agent: i.creditor_agent.unwrap_or(i.instructed_agent),
        debtor: party_ref(i.debtor_account.as_ref(), &i.debtor.name),
        creditor: party_ref(i.creditor_account.as_ref(), &i.creditor.name),
        originator: OriginatorData {
            originator_name: Some(i.debtor.name.clone()),
            originator_account: account_number(i.debtor_account.as_ref()),
            originator_identification: originator_identification(p),
            beneficiary_name: Some(i.creditor.name.clone()),
            beneficiary_account: account_number(i.creditor_account.as_ref()),
        },
    }
}
