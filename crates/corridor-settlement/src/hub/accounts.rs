//! Participants' standing and accounts: designating a currency's settlement agent (which
//! opens its funding account), suspending and reinstating, opening accounts in the ledger
//! and the registry together, and changing a settlement account's net debit cap. A
//! suspended participant, and its bank's officers, may change nothing: every command they
//! would act in is refused here, whatever the gateway checked.

use corridor_core::{AccountId, Bic, Currency, CurrencyCode, Timestamp};
use corridor_ledger::{AccountKind, BalanceRule, NewAccount};

use super::{Answer, Hub, HubOutcome};
use crate::command::{AccountPurpose, HubCommand};
use crate::identities::subject_bank;
use crate::model::ParticipantStatus;
use crate::registry::{AccountInfo, CurrencyAgent};
use crate::rejection::{Rejection, ledger_rejection};

impl Hub {
    pub(super) fn designate_agent(
        &mut self,
        code: CurrencyCode,
        exponent: u8,
        agent: Bic,
        time_zone: &str,
        now: Timestamp,
    ) -> HubOutcome {
        if let Some(account) = self.registry.check_designation(code, exponent, agent)? {
            return Ok(Answer::Account(account));
        }
        let account = self.open_ledger_account(
            (agent, code, AccountPurpose::Funding),
            AccountKind::Funding,
            BalanceRule::Unrestricted,
            now,
        )?;
        self.registry.add_currency(CurrencyAgent {
            currency: Currency { code, exponent },
            agent,
            time_zone: time_zone.to_string(),
            funding_account: account.id,
        });
        Ok(Answer::Account(account))
    }

    pub(super) fn set_status(
        &mut self,
        bic: Bic,
        status: ParticipantStatus,
        now: Timestamp,
    ) -> HubOutcome {
        let participant = self.registry.set_status(bic, status)?;
        // Reinstated: its own queue and every queue holding payments to it may move again.
        // Suspended: payments to it are now passed over, so those behind them may move.
        self.drain(self.queues.payers(), now);
        Ok(Answer::Participant(participant))
    }

    pub(super) fn open_account(
        &mut self,
        owner: Bic,
        currency: CurrencyCode,
        purpose: AccountPurpose,
        net_debit_cap: u128,
        now: Timestamp,
    ) -> HubOutcome {
        if let Some(existing) = self.registry.check_new_account(owner, currency, purpose)? {
            return Ok(Answer::Account(existing));
        }
        let kind = match purpose {
            AccountPurpose::Settlement => AccountKind::Settlement,
            AccountPurpose::FxInventory => AccountKind::FxInventory,
            AccountPurpose::Fees => AccountKind::Fees,
            AccountPurpose::Funding => AccountKind::Funding,
        };
        let rule = BalanceRule::DebitsMustNotExceedCredits {
            limit: net_debit_cap,
        };
        let account = self.open_ledger_account((owner, currency, purpose), kind, rule, now)?;
        Ok(Answer::Account(account))
    }

    /// Opens the account in the ledger, then records it in the registry.
    fn open_ledger_account(
        &mut self,
        (owner, currency, purpose): (Bic, CurrencyCode, AccountPurpose),
        kind: AccountKind,
        rule: BalanceRule,
        now: Timestamp,
    ) -> Result<AccountInfo, Rejection> {
        let id = self.registry.next_account_id()?;
        let new = NewAccount {
            id,
            owner,
            currency,
            kind,
            rule,
            code: purpose as u16,
            user_ref: 0,
            linked: false,
        };
        let opened_at = self
            .books
            .open_account(new, now)
            .map_err(ledger_rejection)?;
        let info = AccountInfo {
            id,
            owner,
            currency,
            purpose,
            opened_at,
        };
        self.registry.add_account(info.clone());
        Ok(info)
    }

    pub(super) fn set_net_debit_cap(
        &mut self,
        account: AccountId,
        cap: u128,
        now: Timestamp,
    ) -> HubOutcome {
        let info = self
            .registry
            .account(account)
            .cloned()
            .ok_or_else(|| Rejection::not_found(format!("account {account} does not exist")))?;
        if info.purpose != AccountPurpose::Settlement {
            return Err(Rejection::forbidden(
                "only settlement accounts have a net debit cap",
            ));
        }
        self.books
            .set_rule(
                account,
                BalanceRule::DebitsMustNotExceedCredits { limit: cap },
                now,
            )
            .map_err(ledger_rejection)?;
        self.drain(vec![account], now);
        Ok(Answer::Account(info))
    }

    /// Registers a client certificate for `subject`. A bank's certificate may be registered
    /// before the bank is admitted: it identifies nobody until then.
    pub(super) fn register_credential(
        &mut self,
        subject: &str,
        fingerprint_sha256: &str,
        now: Timestamp,
    ) -> HubOutcome {
        subject_bank(subject)?;
        let credential = self
            .identities
            .register_credential(subject, fingerprint_sha256, now)?;
        Ok(Answer::Credential(credential))
    }

    /// Refuses a command in which a suspended participant would act: as sender, responder,
    /// requester, provider, agent, the participant of a liquidity move, or as the bank of a
    /// compliance officer. Acknowledging its outbox is reading it, so stays allowed. Unknown
    /// participants are left to each workflow's own checks.
    pub(super) fn check_acting_parties(&self, command: &HubCommand) -> Result<(), Rejection> {
        for bic in acting_banks(command) {
            let suspended = self
                .registry
                .participant(bic)
                .is_some_and(|p| !p.is_active());
            if suspended {
                return Err(Rejection::forbidden(format!(
                    "{bic} is suspended: it may only read"
                )));
            }
        }
        Ok(())
    }

    /// A held payment is released only while its sender and receiver are both active: the
    /// release is refused and the payment stays held, to be released after reinstatement or
    /// rejected.
    pub(super) fn check_release_parties(&self, payment: u64) -> Result<(), Rejection> {
        let Some(p) = self.payments.get(payment) else {
            return Ok(());
        };
        for (party, bic) in [("sender", p.sender), ("receiver", p.receiver())] {
            if !self.registry.is_active(bic) {
                return Err(Rejection::forbidden(format!(
                    "the {party} {bic} of payment {payment} is suspended: the payment stays held"
                )));
            }
        }
        Ok(())
    }
}

/// The participants a command acts for.
fn acting_banks(command: &HubCommand) -> Vec<Bic> {
    match command {
        HubCommand::Liquidity {
            agent, participant, ..
        } => vec![*agent, *participant],
        HubCommand::SubmitPayments { sender, .. }
        | HubCommand::CancelPayment { sender, .. }
        | HubCommand::ReturnPayment { sender, .. }
        | HubCommand::RecallPayment { sender, .. } => vec![*sender],
        HubCommand::AnswerRecall { responder, .. } => vec![*responder],
        HubCommand::PublishRateSheet { provider, .. } => vec![*provider],
        HubCommand::PublishReferenceRates { agent, .. } => vec![*agent],
        HubCommand::RequestQuote { requester, .. } => vec![*requester],
        HubCommand::SetLiquidityControls {
            requested_by: Some(bank),
            ..
        } => vec![*bank],
        HubCommand::DecideHold { officer, .. } | HubCommand::WorkCase { officer, .. } => {
            officer.bank.into_iter().collect()
        }
        _ => Vec::new(),
    }
}
