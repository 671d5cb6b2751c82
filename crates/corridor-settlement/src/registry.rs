//! Who takes part and what they hold: participants and their roles, each currency's
//! settlement agent, the accounts opened for participants (the ledger keeps their
//! balances). Also the checks every command makes
//! of the parties it names: may this participant send, receive, provide FX?

use std::collections::BTreeMap;

use corridor_core::{AccountId, Bic, Currency, CurrencyCode, Timestamp};
use serde::{Deserialize, Serialize};

use crate::command::AccountPurpose;
use crate::model::{Participant, ParticipantRole, ParticipantStatus};
use crate::rejection::Rejection;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountInfo {
    pub id: AccountId,
    pub owner: Bic,
    pub currency: CurrencyCode,
    pub purpose: AccountPurpose,
    pub opened_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyAgent {
    pub currency: Currency,
    pub agent: Bic,
    pub time_zone: String,
    pub funding_account: AccountId,
}

#[derive(Debug, Default)]
pub(crate) struct Registry {
    currencies: BTreeMap<CurrencyCode, CurrencyAgent>,
    participants: BTreeMap<Bic, Participant>,
    accounts: BTreeMap<AccountId, AccountInfo>,
    next_account: u128,
    // Indexes rebuilt from `accounts` when a snapshot is loaded.
    settlement_accounts: BTreeMap<(Bic, CurrencyCode), AccountId>,
    inventory_accounts: BTreeMap<(Bic, CurrencyCode), AccountId>,
}

impl Registry {
    /// The registry as a snapshot stored it, its indexes rebuilt.
    pub(crate) fn restore(
        currencies: BTreeMap<CurrencyCode, CurrencyAgent>,
        participants: BTreeMap<Bic, Participant>,
        accounts: BTreeMap<AccountId, AccountInfo>,
        next_account: u128,
    ) -> Registry {
        let index = |purpose| {
            accounts
                .values()
                .filter(|a| a.purpose == purpose)
                .map(|a| ((a.owner, a.currency), a.id))
                .collect()
        };
        Registry {
            settlement_accounts: index(AccountPurpose::Settlement),
            inventory_accounts: index(AccountPurpose::FxInventory),
            currencies,
            participants,
            accounts,
            next_account,
        }
    }

    // ---- reads ---------------------------------------------------------------------------

    pub(crate) fn currency_map(&self) -> &BTreeMap<CurrencyCode, CurrencyAgent> {
        &self.currencies
    }

    pub(crate) fn participant_map(&self) -> &BTreeMap<Bic, Participant> {
        &self.participants
    }

    pub(crate) fn account_map(&self) -> &BTreeMap<AccountId, AccountInfo> {
        &self.accounts
    }

    pub(crate) fn next_account(&self) -> u128 {
        self.next_account
    }

    pub(crate) fn currency_agent(&self, code: CurrencyCode) -> Option<&CurrencyAgent> {
        self.currencies.get(&code)
    }

    pub(crate) fn currency(&self, code: CurrencyCode) -> Option<Currency> {
        self.currencies.get(&code).map(|c| c.currency)
    }

    pub(crate) fn participant(&self, bic: Bic) -> Option<&Participant> {
        self.participants.get(&bic)
    }

    pub(crate) fn account(&self, id: AccountId) -> Option<&AccountInfo> {
        self.accounts.get(&id)
    }

    pub(crate) fn settlement_account(
        &self,
        owner: Bic,
        currency: CurrencyCode,
    ) -> Option<AccountId> {
        self.settlement_accounts.get(&(owner, currency)).copied()
    }

    pub(crate) fn inventory_account(
        &self,
        owner: Bic,
        currency: CurrencyCode,
    ) -> Option<AccountId> {
        self.inventory_accounts.get(&(owner, currency)).copied()
    }

    pub(crate) fn is_active(&self, bic: Bic) -> bool {
        self.participants
            .get(&bic)
            .is_some_and(Participant::is_active)
    }

    // ---- checks --------------------------------------------------------------------------

    pub(crate) fn scheme_currency(&self, code: CurrencyCode) -> Result<Currency, Rejection> {
        self.currency(code)
            .ok_or_else(|| Rejection::new("AM03", format!("{code} is not settled in this scheme")))
    }

    /// `sender` may send payments: an active direct participant or settlement agent.
    pub(crate) fn check_sender(&self, sender: Bic) -> Result<&Participant, Rejection> {
        let participant = self
            .participants
            .get(&sender)
            .ok_or_else(|| Rejection::forbidden(format!("{sender} is not a participant")))?;
        if !participant.is_active() {
            return Err(Rejection::forbidden(format!("{sender} is suspended")));
        }
        if !participant.has_role(ParticipantRole::DirectParticipant)
            && !participant.has_role(ParticipantRole::SettlementAgent)
        {
            return Err(Rejection::forbidden(format!(
                "{sender} may not send payments"
            )));
        }
        Ok(participant)
    }

    /// The sender's settlement account in `code`: the account its payments debit.
    pub(crate) fn sender_account(
        &self,
        sender: Bic,
        code: CurrencyCode,
    ) -> Result<AccountId, Rejection> {
        self.settlement_account(sender, code).ok_or_else(|| {
            Rejection::new("AC01", format!("{sender} has no {code} settlement account"))
        })
    }

    /// The receiver's settlement account in `currency`, if `sender` may pay it: another
    /// participant, active, holding such an account.
    pub(crate) fn check_receiver(
        &self,
        sender: Bic,
        receiver: Bic,
        currency: CurrencyCode,
    ) -> Result<AccountId, Rejection> {
        if receiver == sender {
            return Err(Rejection::new("AG01", "a participant cannot pay itself"));
        }
        let participant = self.participants.get(&receiver).ok_or_else(|| {
            Rejection::new(
                "RC04",
                format!("instructed agent {receiver} is not a participant"),
            )
        })?;
        if !participant.is_active() {
            return Err(Rejection::forbidden(format!(
                "instructed agent {receiver} is suspended"
            )));
        }
        self.settlement_account(receiver, currency).ok_or_else(|| {
            Rejection::new(
                "AC01",
                format!("{receiver} has no {currency} settlement account"),
            )
        })
    }

    /// `provider` may quote and settle FX: an active participant with the FX provider role.
    pub(crate) fn check_provider(&self, provider: Bic) -> Result<(), Rejection> {
        let participant = self
            .participants
            .get(&provider)
            .ok_or_else(|| Rejection::forbidden(format!("{provider} is not a participant")))?;
        if !participant.has_role(ParticipantRole::FxProvider) {
            return Err(Rejection::forbidden(format!(
                "{provider} is not an FX provider"
            )));
        }
        if !participant.is_active() {
            return Err(Rejection::forbidden(format!("{provider} is suspended")));
        }
        Ok(())
    }

    /// `provider`'s FX inventory account in `currency`, which its legs use.
    pub(crate) fn provider_inventory(
        &self,
        provider: Bic,
        currency: CurrencyCode,
    ) -> Result<AccountId, Rejection> {
        self.inventory_account(provider, currency).ok_or_else(|| {
            Rejection::new(
                "AC01",
                format!("FX provider {provider} has no {currency} inventory account"),
            )
        })
    }

    // ---- changes -------------------------------------------------------------------------

    pub(crate) fn admit(
        &mut self,
        bic: Bic,
        name: &str,
        country: &str,
        roles: &[ParticipantRole],
        now: Timestamp,
    ) -> Result<Participant, Rejection> {
        if name.trim().is_empty()
            || name.chars().count() > 140
            || name.chars().any(corridor_core::is_hidden)
        {
            return Err(Rejection::format(
                "name must be 1 to 140 printable characters",
            ));
        }
        if !corridor_core::is_country_code(country) {
            return Err(Rejection::format(format!(
                "country {country:?} is not an ISO 3166 alpha-2 code"
            )));
        }
        if roles.is_empty() {
            return Err(Rejection::format("a participant needs at least one role"));
        }
        let mut roles = roles.to_vec();
        roles.sort();
        roles.dedup();
        if let Some(existing) = self.participants.get(&bic) {
            if existing.name == name && existing.country == country && existing.roles == roles {
                return Ok(existing.clone());
            }
            return Err(Rejection::new(
                "DUPL",
                format!("{bic} is already admitted with other details"),
            ));
        }
        let participant = Participant {
            bic,
            name: name.to_string(),
            country: country.to_string(),
            roles,
            status: ParticipantStatus::Active,
            admitted_at: now,
        };
        self.participants.insert(bic, participant.clone());
        Ok(participant)
    }

    pub(crate) fn set_status(
        &mut self,
        bic: Bic,
        status: ParticipantStatus,
    ) -> Result<Participant, Rejection> {
        let participant = self
            .participants
            .get_mut(&bic)
            .ok_or_else(|| Rejection::not_found(format!("{bic} is not a participant")))?;
        participant.status = status;
        Ok(participant.clone())
    }

    /// Checks that `agent` may become the settlement agent of `code`. `Some` is the funding
    /// account of the same designation made before: a retry.
    pub(crate) fn check_designation(
        &self,
        code: CurrencyCode,
        exponent: u8,
        agent: Bic,
    ) -> Result<Option<AccountInfo>, Rejection> {
        let participant = self
            .participants
            .get(&agent)
            .ok_or_else(|| Rejection::new("RC01", format!("{agent} is not a participant")))?;
        if !participant.has_role(ParticipantRole::SettlementAgent) {
            return Err(Rejection::forbidden(format!(
                "{agent} does not have the settlement agent role"
            )));
        }
        if exponent > 18 {
            return Err(Rejection::format(format!(
                "exponent {exponent} is above 18"
            )));
        }
        let Some(existing) = self.currencies.get(&code) else {
            return Ok(None);
        };
        if existing.agent == agent && existing.currency.exponent == exponent {
            return Ok(Some(self.accounts[&existing.funding_account].clone()));
        }
        Err(Rejection::new(
            "DUPL",
            format!("{code} already has settlement agent {}", existing.agent),
        ))
    }

    pub(crate) fn add_currency(&mut self, agent: CurrencyAgent) {
        self.currencies.insert(agent.currency.code, agent);
    }

    /// Checks that `owner` may open a `purpose` account in `currency`. `Some` is the one it
    /// already has: settlement and inventory accounts are one per owner and currency.
    pub(crate) fn check_new_account(
        &self,
        owner: Bic,
        currency: CurrencyCode,
        purpose: AccountPurpose,
    ) -> Result<Option<AccountInfo>, Rejection> {
        let participant = self
            .participants
            .get(&owner)
            .ok_or_else(|| Rejection::not_found(format!("{owner} is not a participant")))?;
        if purpose == AccountPurpose::Funding {
            return Err(Rejection::forbidden(
                "a funding account is opened only by designating a settlement agent",
            ));
        }
        if purpose == AccountPurpose::FxInventory
            && !participant.has_role(ParticipantRole::FxProvider)
        {
            return Err(Rejection::forbidden(format!(
                "{owner} is not an FX provider"
            )));
        }
        if !self.currencies.contains_key(&currency) {
            return Err(Rejection::new(
                "AM03",
                format!("{currency} has no settlement agent in this scheme"),
            ));
        }
        let existing = match purpose {
            AccountPurpose::Settlement => self.settlement_accounts.get(&(owner, currency)),
            AccountPurpose::FxInventory => self.inventory_accounts.get(&(owner, currency)),
            _ => None,
        };
        Ok(existing.map(|id| self.accounts[id].clone()))
    }

    /// The id the next account will have.
    pub(crate) fn next_account_id(&self) -> Result<AccountId, Rejection> {
        AccountId::try_from(self.next_account + 1)
            .map_err(|_| Rejection::new("AC10", "account ids are exhausted"))
    }

    /// Records an account the ledger has just opened with [`Registry::next_account_id`].
    pub(crate) fn add_account(&mut self, info: AccountInfo) {
        self.next_account += 1;
        let key = (info.owner, info.currency);
        match info.purpose {
            AccountPurpose::Settlement => {
                self.settlement_accounts.insert(key, info.id);
            }
            AccountPurpose::FxInventory => {
                self.inventory_accounts.insert(key, info.id);
            }
            _ => {}
        }
        self.accounts.insert(info.id, info);
    }
}
