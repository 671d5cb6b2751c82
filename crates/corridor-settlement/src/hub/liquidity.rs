//! Funding and defunding: a settlement agent moves liquidity between its funding account
//! and a participant's settlement or FX inventory account, and the participant's queue is
//! retried when money came in.

use corridor_core::{AccountId, Amount, Bic, CurrencyCode, Timestamp};

use super::{Answer, Hub, HubOutcome};
use crate::books::{CODE_DEFUND, CODE_FUND};
use crate::command::{AccountPurpose, LiquidityDirection};
use crate::liquidity::{LiquidityMove, LiquidityRecord};
use crate::outbox::OutboxEvent;
use crate::payment::parse_amount;
use crate::rejection::{Rejection, ledger_rejection};

impl Hub {
    pub(super) fn move_liquidity(
        &mut self,
        agent: Bic,
        reference: &str,
        (participant, purpose): (Bic, AccountPurpose),
        (code, amount): (CurrencyCode, &str),
        direction: LiquidityDirection,
        now: Timestamp,
    ) -> HubOutcome {
        if reference.trim().is_empty() || reference.chars().count() > 35 {
            return Err(Rejection::format("reference must be 1 to 35 characters"));
        }
        let currency_agent = self
            .registry
            .currency_agent(code)
            .ok_or_else(|| Rejection::new("AM03", format!("{code} has no settlement agent")))?;
        if currency_agent.agent != agent {
            return Err(Rejection::forbidden(format!(
                "{agent} is not the settlement agent of {code}"
            )));
        }
        self.check_liquidity_window(code, now)?;
        let scale = currency_agent.currency;
        let funding = currency_agent.funding_account;
        let amount = parse_amount(amount, scale)?;
        let account = self.liquidity_account(participant, purpose, code)?;
        let wanted = LiquidityMove::new((participant, account), code, amount, direction);
        if let Some(existing) = self.liquidity.earlier(agent, reference, &wanted)? {
            return Ok(Answer::Liquidity(existing.clone()));
        }
        // A net debit cap is credit for settling payments, not money to take out: only what
        // the participant holds (posted credits less posted and pending debits) may leave.
        if direction == LiquidityDirection::Defund {
            let held = self.books.held(account);
            if amount > held {
                return Err(Rejection::new(
                    "AM04",
                    format!(
                        "{participant} holds {} {code}, less than {}",
                        Amount::from_minor(held).format(scale),
                        Amount::from_minor(amount).format(scale)
                    ),
                ));
            }
        }
        let (debit, credit, code_used) = match direction {
            LiquidityDirection::Fund => (funding, account, CODE_FUND),
            LiquidityDirection::Defund => (account, funding, CODE_DEFUND),
        };
        let (transfer, at) = self
            .books
            .post(debit, credit, code, amount, code_used, None, now)
            .map_err(ledger_rejection)?;
        let record = LiquidityRecord {
            agent,
            reference: reference.to_string(),
            participant,
            account,
            currency: code,
            amount,
            direction,
            transfer,
            at,
        };
        self.liquidity.record(record.clone());
        let event = OutboxEvent::Liquidity {
            account,
            currency: code,
            direction,
            amount,
            reference: reference.to_string(),
        };
        self.outboxes.push(participant, at, event);
        if direction == LiquidityDirection::Fund {
            let mut payers = vec![account];
            if purpose == AccountPurpose::FxInventory {
                payers.extend(self.payers_waiting_for_fx());
            }
            self.drain(payers, now);
            // New liquidity may free a group the queues could not settle before.
            self.lsm.queue_changed(code);
        }
        Ok(Answer::Liquidity(record))
    }

    /// The account of `participant` that liquidity of `purpose` moves to or from.
    fn liquidity_account(
        &self,
        participant: Bic,
        purpose: AccountPurpose,
        code: CurrencyCode,
    ) -> Result<AccountId, Rejection> {
        let (account, kind) = match purpose {
            AccountPurpose::Settlement => (
                self.registry.settlement_account(participant, code),
                "settlement",
            ),
            AccountPurpose::FxInventory => (
                self.registry.inventory_account(participant, code),
                "FX inventory",
            ),
            AccountPurpose::Fees | AccountPurpose::Funding => {
                return Err(Rejection::forbidden(
                    "liquidity moves to and from settlement and FX inventory accounts only",
                ));
            }
        };
        account.ok_or_else(|| {
            Rejection::new(
                "AC01",
                format!("{participant} has no {code} {kind} account"),
            )
        })
    }
}
