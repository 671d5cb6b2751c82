//! Cross-currency payments in the hub: publishing rate sheets and reference rates, issuing
//! quotes, and settling a quoted payment payment-versus-payment.
//!
//! A quote-backed payment settles in one hub command (its own, or the one that frees the
//! liquidity it waits for in the payer's queue): its legs (debtor -> first provider in
//! the source currency, provider -> provider in an intermediate currency if the route has
//! one, last provider -> creditor in the destination currency) are reserved as one linked
//! chain of pending transfers, and only if every reservation holds are they all posted, as
//! a second linked chain. If any reservation fails, the chain rolls back and nothing moved.
//! In a liquidity saving group (`hub/lsm.rs`) its legs are transfers of the group's one
//! linked chain instead, so they settle with the group or not at all.
//! The journal holds the command, not its effects, so a crash either loses the command (and
//! its caller never got an answer) or replays all of it: one leg alone can never be posted.

use corridor_core::{AccountId, Bic, Timestamp};

use corridor_ledger::ResultCode;

use super::payments::Attempt;
use super::{Answer, Hub, HubOutcome};
use crate::books::{CODE_FX_LEG, ChainLeg, ChainRefused};
use crate::fx::quote::Fixed;
use crate::fx::sheet::{MAX_PAIRS, RateSheetRequest, ReferenceRateRequest};
use crate::liquidity_controls::Flow;
use crate::liquidity_saving::SettledBy;
use crate::model::PaymentInstruction;
use crate::payment::{PaymentReceipt, PaymentStatus, parse_amount};
use crate::pvp::{FxSettlement, Leg, Quote, QuoteRequest, expired_in_queue};
use crate::rejection::{Rejection, ledger_rejection};

impl Hub {
    pub(super) fn publish_sheet(
        &mut self,
        provider: Bic,
        request: &RateSheetRequest,
        now: Timestamp,
    ) -> HubOutcome {
        self.registry.check_provider(provider)?;
        let pairs = request.validate(|code| self.registry.currency(code))?;
        for pair in &pairs {
            for currency in [pair.base, pair.quote] {
                if self
                    .registry
                    .inventory_account(provider, currency)
                    .is_none()
                {
                    return Err(Rejection::new(
                        "AC01",
                        format!("{provider} has no {currency} FX inventory account"),
                    ));
                }
            }
        }
        let sheet = self
            .fx
            .publish_sheet(provider, pairs, request.valid_for_seconds, now);
        Ok(Answer::RateSheet(sheet))
    }

    pub(super) fn publish_reference_rates(
        &mut self,
        agent: Bic,
        rates: &[ReferenceRateRequest],
        now: Timestamp,
    ) -> HubOutcome {
        if rates.is_empty() || rates.len() > MAX_PAIRS {
            return Err(Rejection::format(format!(
                "1 to {MAX_PAIRS} reference rates at a time"
            )));
        }
        let agent_of = |code| self.registry.currency_agent(code).map(|c| c.agent);
        for (i, r) in rates.iter().enumerate() {
            if r.base == r.quote {
                return Err(Rejection::new(
                    "CURR",
                    format!("rates[{i}]: one currency twice"),
                ));
            }
            if agent_of(r.base).is_none() || agent_of(r.quote).is_none() {
                return Err(Rejection::new(
                    "CURR",
                    format!(
                        "rates[{i}]: {}/{} is not a pair of this scheme",
                        r.base, r.quote
                    ),
                ));
            }
            if agent_of(r.base) != Some(agent) && agent_of(r.quote) != Some(agent) {
                return Err(Rejection::forbidden(format!(
                    "rates[{i}]: {agent} is the settlement agent of neither {} nor {}",
                    r.base, r.quote
                )));
            }
        }
        let published = self.fx.publish_reference_rates(agent, rates, now);
        Ok(Answer::ReferenceRates(published))
    }

    pub(super) fn request_quote(
        &mut self,
        requester: Bic,
        request: &QuoteRequest,
        now: Timestamp,
    ) -> HubOutcome {
        self.registry.check_sender(requester)?;
        let (source, destination) = (
            self.registry.scheme_currency(request.source_currency)?,
            self.registry
                .scheme_currency(request.destination_currency)?,
        );
        if source.code == destination.code {
            return Err(Rejection::new(
                "CURR",
                "source and destination currency are the same: send a plain payment",
            ));
        }
        let fixed = match (&request.instructed_amount, &request.creditor_amount) {
            (Some(a), None) => Fixed::Instructed(parse_amount(a, source)?),
            (None, Some(a)) => Fixed::CreditorReceives(parse_amount(a, destination)?),
            _ => {
                return Err(Rejection::format(
                    "give exactly one of instructed_amount and creditor_amount",
                ));
            }
        };
        self.registry
            .check_receiver(requester, request.creditor_agent, destination.code)?;
        self.registry.sender_account(requester, source.code)?;
        let (chosen, considered) = self.fx.best_route(
            (&self.registry, &self.books),
            (source, destination),
            fixed,
            request.charge_bearer,
            now,
        );
        let priced = chosen.ok_or_else(|| {
            Rejection::new(
                "FXNR",
                format!(
                    "no FX provider can convert {} into {} now, directly or through one other currency",
                    source.code, destination.code
                ),
            )
        })?;
        let value_date = self.quote_value_date(&priced.route(), now);
        let id = self.fx.take_quote_id();
        let sheets_valid_until = priced
            .hops
            .iter()
            .filter_map(|h| self.fx.current_sheet(h.provider).map(|s| s.valid_until))
            .min()
            .unwrap_or(now);
        let quote = Quote {
            id,
            requester,
            creditor_agent: request.creditor_agent,
            charge_bearer: request.charge_bearer,
            fixed,
            priced,
            reference_rate: self
                .fx
                .reference_rate(source.code, destination.code)
                .cloned(),
            considered,
            value_date,
            created_at: now,
            expires_at: now
                .plus_seconds(self.config.quote_validity_seconds)
                .min(sheets_valid_until),
            used_by: None,
        };
        self.fx.add_quote(quote.clone());
        Ok(Answer::Quote(Box::new(quote)))
    }

    /// A cross-currency payment: settled against its quote, payment versus payment, at
    /// once or from the payer's queue. It waits at most until its quote expires, since the
    /// quote locks the rate only until then. When its currencies share no open window now it
    /// is warehoused to their next common one: the quote's amounts hold for the value date
    /// it was taken for.
    pub(super) fn submit_fx(
        &mut self,
        sender: Bic,
        instruction: &PaymentInstruction,
        quote_id: u64,
        now: Timestamp,
    ) -> Result<PaymentReceipt, Rejection> {
        let (amount, quote) = self.quoted_amount(sender, instruction, quote_id, now)?;
        let admission = self.admit(instruction, &quote.route(), now)?;
        let id = self.payments.add(sender, instruction, amount, None, now);
        self.attach_quote(id, quote);
        self.admitted(id, instruction, admission, now, |hub| {
            hub.settle_fx(id, now)
        });
        Ok(self.payments.receipt(id, false))
    }

    pub(super) fn quoted_amount(
        &self,
        sender: Bic,
        instruction: &PaymentInstruction,
        quote_id: u64,
        now: Timestamp,
    ) -> Result<(u128, Quote), Rejection> {
        let amount = parse_amount(
            &instruction.amount,
            self.registry.scheme_currency(instruction.currency)?,
        )?;
        let quote = self
            .fx
            .usable_quote(sender, instruction, quote_id, amount, now)?;
        Ok((amount, quote))
    }

    /// Marks the quote used by payment `id`, so no other payment can take its amounts.
    pub(super) fn attach_quote(&mut self, id: u64, quote: Quote) {
        self.fx.mark_used(quote.id, id);
        self.payments.attach_fx(
            id,
            FxSettlement {
                quote,
                legs: Vec::new(),
            },
        );
    }

    /// Settles quoted payment `id` in all its legs at once, queues it behind the payer's
    /// earlier payments or while liquidity lacks, or rejects it.
    pub(super) fn settle_fx(&mut self, id: u64, now: Timestamp) {
        let Some(p) = self.payments.get(id) else {
            return;
        };
        let (sender, priority) = (p.sender, p.instruction.priority);
        let Some(destination) = p.fx.as_ref().map(|fx| fx.quote.destination()) else {
            return;
        };
        let accounts = self
            .registry
            .sender_account(sender, p.currency())
            .and_then(|payer| {
                let payee = self
                    .registry
                    .check_receiver(sender, p.receiver(), destination)?;
                Ok((payer, payee))
            });
        let (payer, payee) = match accounts {
            Ok(accounts) => accounts,
            Err(reason) => return self.finish(id, PaymentStatus::Rejected, Some(reason), now),
        };
        if self.queues.blocks(payer, priority) {
            self.enqueue(id, payer, now);
            self.drain(vec![payer], now);
            return;
        }
        match self.attempt_fx(id, payer, payee, now) {
            Attempt::Settled => self.drain(vec![payee], now),
            Attempt::NoLiquidity => self.enqueue(id, payer, now),
            Attempt::Failed(reason) => self.finish(id, PaymentStatus::Rejected, Some(reason), now),
        }
    }

    /// Tries to settle quoted payment `id` now, every leg or none. It waits while one of its
    /// currencies is closed (its quote's expiry ends the wait).
    pub(super) fn attempt_fx(
        &mut self,
        id: u64,
        payer: AccountId,
        payee: AccountId,
        now: Timestamp,
    ) -> Attempt {
        let Some(p) = self.payments.get(id) else {
            return Attempt::Failed(Rejection::not_found(format!("payment {id} is missing")));
        };
        let Some(quote) = p.fx.as_ref().map(|fx| fx.quote.clone()) else {
            return Attempt::Failed(Rejection::format(format!("payment {id} has no quote")));
        };
        if !quote.route().iter().all(|c| self.currency_open(*c, now)) {
            return Attempt::NoLiquidity;
        }
        let plan = match self.leg_plan(payer, payee, &quote) {
            Ok(plan) => plan,
            Err(reason) => return Attempt::Failed(reason),
        };
        let flow = Flow {
            payer,
            sender: p.sender,
            payee: plan[0].2,
            receiver: p.receiver(),
            amount: plan[0].3,
            priority: p.instruction.priority,
        };
        if self.controls_allow(&[flow]).is_err() {
            return Attempt::NoLiquidity;
        }
        let transfers = match self.books.post_chain(&plan, CODE_FX_LEG, id, now) {
            Ok(transfers) => transfers,
            Err(ChainRefused::Leg(_, ResultCode::ExceedsCredits)) => return Attempt::NoLiquidity,
            Err(ChainRefused::Leg(_, code)) => return Attempt::Failed(ledger_rejection(code)),
            Err(ChainRefused::IdsExhausted) => {
                return Attempt::Failed(Rejection::new("AC10", "transfer ids are exhausted"));
            }
        };
        let legs: Vec<Leg> = plan
            .iter()
            .zip(transfers)
            .map(|(&leg, (reserved, posted))| Leg::new(leg, Some(reserved), posted))
            .collect();
        self.record_flows(&[flow]);
        for leg in &legs {
            self.lsm
                .moved(leg.currency, (leg.debit, leg.credit), leg.amount);
        }
        self.fx_settled(id, legs, SettledBy::Gross, now);
        Attempt::Settled
    }

    /// Quoted payment `id` settled in `legs` (by `by`): recorded, counted and announced. The
    /// liquidity the legs used is the caller's to count (a group counts only its net).
    pub(super) fn fx_settled(&mut self, id: u64, legs: Vec<Leg>, by: SettledBy, at: Timestamp) {
        let Some(p) = self.payments.get(id) else {
            return;
        };
        let (sender, amount) = (p.sender, p.amount);
        let Some(quote) = p.fx.as_ref().map(|fx| fx.quote.clone()) else {
            return;
        };
        let first = legs.first().map(|leg| leg.posted);
        self.lsm.count(quote.source(), sender, by, amount);
        self.fx.count_settled(&quote);
        self.payments.set_legs(id, legs);
        self.settled(id, first, at);
    }

    /// Why queued quoted payment `id` could not settle before its quote expired.
    pub(super) fn fx_expiry_reason(&self, id: u64) -> Rejection {
        let Some(quote) = self
            .payments
            .get(id)
            .and_then(|p| p.fx.as_ref())
            .map(|fx| &fx.quote)
        else {
            return Rejection::not_found(format!("payment {id} has no quote"));
        };
        let plan = self
            .registry
            .sender_account(quote.requester, quote.source())
            .and_then(|payer| {
                let payee = self.payee_account(id).ok_or_else(|| {
                    Rejection::not_found("the creditor has no account in the destination currency")
                })?;
                self.leg_plan(payer, payee, quote)
            });
        let short: Vec<bool> = plan
            .map(|plan| {
                plan.iter()
                    .map(|&(_, debit, _, amount)| self.books.available(debit) < amount)
                    .collect()
            })
            .unwrap_or_default();
        expired_in_queue(quote, &short)
    }

    /// Every payer with a cross-currency payment queued, which a provider's new inventory
    /// may let go; the optimisation of each one's currency is due again.
    pub(super) fn payers_waiting_for_fx(&mut self) -> Vec<AccountId> {
        let mut payers = Vec::new();
        for payer in self.queues.payers() {
            let waiting = self
                .queued_in(&[payer])
                .into_iter()
                .filter_map(|id| self.payments.get(id))
                .find(|p| p.fx.is_some())
                .map(|p| p.currency());
            if let Some(currency) = waiting {
                payers.push(payer);
                self.lsm.queue_changed(currency);
            }
        }
        payers
    }

    /// (currency, debit, credit, amount) of each leg, debtor side first.
    pub(super) fn leg_plan(
        &self,
        debtor_account: AccountId,
        creditor_account: AccountId,
        quote: &Quote,
    ) -> Result<Vec<ChainLeg>, Rejection> {
        let hops = &quote.priced.hops;
        let mut plan = Vec::with_capacity(hops.len() + 1);
        let mut payer = debtor_account;
        for hop in hops {
            self.registry
                .check_provider(hop.provider)
                .map_err(|r| Rejection::new("AG01", format!("FX provider: {}", r.message)))?;
            let receives = self.registry.provider_inventory(hop.provider, hop.from)?;
            plan.push((hop.from, payer, receives, hop.received));
            payer = self.registry.provider_inventory(hop.provider, hop.to)?;
        }
        let last = &hops[hops.len() - 1];
        plan.push((last.to, payer, creditor_account, last.delivered));
        Ok(plan)
    }
}
