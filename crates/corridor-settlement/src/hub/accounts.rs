//! Participants' standing and accounts: designating a currency's settlement agent (which
//! opens its funding account), suspending and reinstating, opening accounts in the ledger
//! and the registry together, and changing a settlement account's net debit cap.

use corridor_core::{AccountId, Bic, Currency, CurrencyCode, Timestamp};
use corridor_ledger::{AccountKind, BalanceRule, NewAccount};

use super::{Answer, Hub, HubOutcome};
use crate::command::AccountPurpose;
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
}
