//! Cross-currency payments in the hub: rate sheets and reference rates, quotes that lock
//! every amount until an expiry, and payment-versus-payment settlement.
//!
//! A quote-backed payment settles in one hub command: its legs (debtor -> first provider in
//! the source currency, provider -> provider in an intermediate currency if the route has
//! one, last provider -> creditor in the destination currency) are reserved as one linked
//! chain of pending transfers, and only if every reservation holds are they all posted, as
//! a second linked chain. If any reservation fails, the chain rolls back and nothing moved.
//! The journal holds the command, not its effects, so a crash either loses the command (and
//! its caller never got an answer) or replays all of it: one leg alone can never be posted.

use corridor_core::{AccountId, Amount, Bic, Currency, CurrencyCode, Timestamp, TransferId};
use corridor_ledger::{Command, Movement, ResultCode, Transfer, TransferAction, TransferState};
use serde::{Deserialize, Serialize};

use crate::fx::quote::{self, Fixed, Offer, PricedRoute};
use crate::fx::sheet::{RateSheet, RateSheetRequest, ReferenceRate, ReferenceRateRequest};
use crate::hub::{
    Answer, CODE_FX_LEG, Hub, HubOutcome, PaymentStatus, ledger_rejection, parse_amount,
};
use crate::model::{ChargeBearer, ParticipantRole, PaymentInstruction};
use crate::rejection::Rejection;

/// What a bank asks a quote for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    #[schema(value_type = String, example = "RUB")]
    pub source_currency: CurrencyCode,
    #[schema(value_type = String, example = "IRR")]
    pub destination_currency: CurrencyCode,
    /// The creditor's bank, which the destination leg credits.
    #[schema(value_type = String, example = "BKMTIRTH")]
    pub creditor_agent: Bic,
    /// Fix the instructed amount, in the source currency ("150000.00") ...
    pub instructed_amount: Option<String>,
    /// ... or what the creditor's bank must receive, in the destination currency.
    pub creditor_amount: Option<String>,
    #[serde(default)]
    pub charge_bearer: ChargeBearer,
}

/// A route that was priced, chosen or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub providers: Vec<Bic>,
    pub route: Vec<CurrencyCode>,
    /// Set when the route could be priced.
    pub priced: Option<(u128, u128)>,
    /// Why it was not usable, if it was not.
    pub excluded: Option<String>,
}

/// A locked price: every amount a payment referring to it will move.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub id: u64,
    pub requester: Bic,
    pub creditor_agent: Bic,
    pub charge_bearer: ChargeBearer,
    pub fixed: Fixed,
    pub priced: PricedRoute,
    /// The settlement agents' reference rate for the source/destination pair, if published.
    pub reference_rate: Option<ReferenceRate>,
    /// Every route tried, the chosen one included.
    pub considered: Vec<Candidate>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// The payment that used it; a quote is used at most once.
    pub used_by: Option<u64>,
}

impl Quote {
    pub fn source(&self) -> CurrencyCode {
        self.priced.source()
    }

    pub fn destination(&self) -> CurrencyCode {
        self.priced.destination()
    }

    /// Currencies along the route, source first.
    pub fn route(&self) -> Vec<CurrencyCode> {
        self.priced.route()
    }
}

/// One leg of a settled cross-currency payment: a reservation and the transfer that posted it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leg {
    pub currency: CurrencyCode,
    pub debit: AccountId,
    pub credit: AccountId,
    pub amount: u128,
    pub reserved: TransferId,
    pub posted: TransferId,
}

/// The FX side of a payment: its quote, and its legs once settled (none if refused).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FxSettlement {
    pub quote: Quote,
    pub legs: Vec<Leg>,
}

impl Hub {
    pub fn quote(&self, id: u64) -> Option<&Quote> {
        self.quotes.get(&id)
    }

    pub fn rate_sheets(&self) -> &[RateSheet] {
        &self.sheets
    }

    /// The sheet a provider last published, whether still valid or not.
    pub fn current_sheet(&self, provider: Bic) -> Option<&RateSheet> {
        self.current_sheets.get(&provider).map(|&i| &self.sheets[i])
    }

    pub fn reference_rates(&self) -> &[ReferenceRate] {
        &self.reference_rates
    }

    /// The latest reference rate published for `base`/`quote`, in either orientation.
    pub fn reference_rate(&self, a: CurrencyCode, b: CurrencyCode) -> Option<&ReferenceRate> {
        self.reference_rates
            .iter()
            .rev()
            .find(|r| (r.base, r.quote) == (a, b) || (r.base, r.quote) == (b, a))
    }

    pub(crate) fn publish_sheet(
        &mut self,
        provider: Bic,
        request: &RateSheetRequest,
        now: Timestamp,
    ) -> HubOutcome {
        self.check_provider(provider)?;
        let pairs = request.validate(|code| self.currency(code))?;
        for pair in &pairs {
            for currency in [pair.base, pair.quote] {
                if self.inventory_account(provider, currency).is_none() {
                    return Err(Rejection::new(
                        "AC01",
                        format!("{provider} has no {currency} FX inventory account"),
                    ));
                }
            }
        }
        let sheet = RateSheet {
            version: self.next_rate_version(),
            provider,
            published_at: now,
            valid_until: now.plus_seconds(request.valid_for_seconds),
            pairs,
        };
        self.sheets.push(sheet.clone());
        self.current_sheets.insert(provider, self.sheets.len() - 1);
        Ok(Answer::RateSheet(sheet))
    }

    pub(crate) fn publish_reference_rates(
        &mut self,
        agent: Bic,
        rates: &[ReferenceRateRequest],
        now: Timestamp,
    ) -> HubOutcome {
        if rates.is_empty() || rates.len() > crate::fx::sheet::MAX_PAIRS {
            return Err(Rejection::format(format!(
                "1 to {} reference rates at a time",
                crate::fx::sheet::MAX_PAIRS
            )));
        }
        for (i, r) in rates.iter().enumerate() {
            if r.base == r.quote {
                return Err(Rejection::new(
                    "CURR",
                    format!("rates[{i}]: one currency twice"),
                ));
            }
            let agent_of = |code| self.currencies.get(&code).map(|c| c.agent);
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
        let mut published = Vec::with_capacity(rates.len());
        for r in rates {
            let rate = ReferenceRate {
                version: self.next_rate_version(),
                agent,
                base: r.base,
                quote: r.quote,
                rate: r.rate,
                published_at: now,
            };
            self.reference_rates.push(rate.clone());
            published.push(rate);
        }
        Ok(Answer::ReferenceRates(published))
    }

    fn next_rate_version(&mut self) -> u64 {
        self.next_rate_version += 1;
        self.next_rate_version
    }

    fn check_provider(&self, provider: Bic) -> Result<(), Rejection> {
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

    pub(crate) fn inventory_account(
        &self,
        owner: Bic,
        currency: CurrencyCode,
    ) -> Option<AccountId> {
        self.inventory_accounts.get(&(owner, currency)).copied()
    }

    /// What an account may still pay out: posted credits plus its net debit cap, less posted
    /// and pending debits.
    fn available(&self, account: AccountId) -> u128 {
        let Some(a) = self.ledger.account(account) else {
            return 0;
        };
        let limit = match a.rule {
            corridor_ledger::BalanceRule::DebitsMustNotExceedCredits { limit } => limit,
            _ => 0,
        };
        a.credits_posted
            .saturating_add(limit)
            .saturating_sub(a.debits_posted.saturating_add(a.debits_pending))
    }

    // ---- quotes ------------------------------------------------------------------------

    pub(crate) fn request_quote(
        &mut self,
        requester: Bic,
        request: &QuoteRequest,
        now: Timestamp,
    ) -> HubOutcome {
        self.check_sender(requester)?;
        let (source, destination) = (
            self.scheme_currency(request.source_currency)?,
            self.scheme_currency(request.destination_currency)?,
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
        self.check_receiver(requester, request.creditor_agent, destination.code)?;
        self.sender_account(requester, source.code)?;
        let (chosen, considered) =
            self.best_route(source, destination, fixed, request.charge_bearer, now);
        let priced = chosen.ok_or_else(|| {
            Rejection::new(
                "FXNR",
                format!(
                    "no FX provider can convert {} into {} now, directly or through one other currency",
                    source.code, destination.code
                ),
            )
        })?;
        self.next_quote += 1;
        let validity = self.config.quote_validity_seconds;
        let sheets_valid_until = priced
            .hops
            .iter()
            .filter_map(|h| self.current_sheet(h.provider).map(|s| s.valid_until))
            .min()
            .unwrap_or(now);
        let quote = Quote {
            id: self.next_quote,
            requester,
            creditor_agent: request.creditor_agent,
            charge_bearer: request.charge_bearer,
            fixed,
            priced,
            reference_rate: self.reference_rate(source.code, destination.code).cloned(),
            considered,
            created_at: now,
            expires_at: now.plus_seconds(validity).min(sheets_valid_until),
            used_by: None,
        };
        self.quote_deadlines.insert((forget_at(&quote), quote.id));
        self.quotes.insert(quote.id, quote.clone());
        Ok(Answer::Quote(Box::new(quote)))
    }

    pub(crate) fn scheme_currency(&self, code: CurrencyCode) -> Result<Currency, Rejection> {
        self.currency(code)
            .ok_or_else(|| Rejection::new("AM03", format!("{code} is not settled in this scheme")))
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

    /// Every provider's offer to convert `from` into `to` now, by provider order.
    fn offers(&self, from: CurrencyCode, to: CurrencyCode, now: Timestamp) -> Vec<Offer<'_>> {
        self.current_sheets
            .iter()
            .filter(|(provider, _)| self.check_provider(**provider).is_ok())
            .map(|(_, &i)| &self.sheets[i])
            .filter(|sheet| sheet.valid_until > now)
            .flat_map(|sheet| {
                sheet.pairs.iter().filter_map(move |pair| {
                    pair.pricing(from, to).map(|pricing| Offer {
                        provider: sheet.provider,
                        sheet_version: sheet.version,
                        pair,
                        pricing,
                    })
                })
            })
            .collect()
    }

    /// Prices every direct route and, if none is usable, every route through one other
    /// scheme currency; returns the best for the payer and all that were considered.
    fn best_route(
        &self,
        source: Currency,
        destination: Currency,
        fixed: Fixed,
        bearer: ChargeBearer,
        now: Timestamp,
    ) -> (Option<PricedRoute>, Vec<Candidate>) {
        let mut considered = Vec::new();
        let mut best: Option<PricedRoute> = None;
        let direct = self.offers(source.code, destination.code, now);
        for offer in &direct {
            self.consider(
                &[*offer],
                &[source, destination],
                fixed,
                bearer,
                &mut considered,
                &mut best,
            );
        }
        if best.is_some() {
            return (best, considered);
        }
        for middle in self.currencies.values().map(|c| c.currency) {
            if middle.code == source.code || middle.code == destination.code {
                continue;
            }
            let firsts = self.offers(source.code, middle.code, now);
            let seconds = self.offers(middle.code, destination.code, now);
            for first in &firsts {
                for second in &seconds {
                    self.consider(
                        &[*first, *second],
                        &[source, middle, destination],
                        fixed,
                        bearer,
                        &mut considered,
                        &mut best,
                    );
                }
            }
        }
        (best, considered)
    }

    fn consider(
        &self,
        offers: &[Offer<'_>],
        currencies: &[Currency],
        fixed: Fixed,
        bearer: ChargeBearer,
        considered: &mut Vec<Candidate>,
        best: &mut Option<PricedRoute>,
    ) {
        let mut candidate = Candidate {
            providers: offers.iter().map(|o| o.provider).collect(),
            route: currencies.iter().map(|c| c.code).collect(),
            priced: None,
            excluded: None,
        };
        match quote::price(offers, currencies, fixed, bearer) {
            Err(reason) => candidate.excluded = Some(reason.message),
            Ok(priced) => {
                candidate.priced = Some((priced.debtor_pays, priced.creditor_receives));
                candidate.excluded = self.short_of_liquidity(&priced);
                if candidate.excluded.is_none() && better(&priced, best.as_ref(), fixed) {
                    *best = Some(priced);
                }
            }
        }
        considered.push(candidate);
    }

    /// Why a provider of the route could not deliver its hop now, if one could not.
    fn short_of_liquidity(&self, priced: &PricedRoute) -> Option<String> {
        priced.hops.iter().find_map(|hop| {
            let account = self.inventory_account(hop.provider, hop.to)?;
            (self.available(account) < hop.delivered)
                .then(|| format!("{} lacks {} liquidity", hop.provider, hop.to))
        })
    }

    /// Forgets quotes a day after their expiry: until then a late payment hears that its
    /// quote expired (QEXP) rather than that it is unknown.
    pub(crate) fn expire_quotes(&mut self, now: Timestamp) {
        while let Some(&(at, id)) = self.quote_deadlines.first() {
            if at > now {
                break;
            }
            self.quote_deadlines.pop_first();
            self.quotes.remove(&id);
        }
    }

    // ---- settlement --------------------------------------------------------------------

    /// Checks a quote-backed instruction against its quote and returns the quote.
    pub(crate) fn usable_quote(
        &self,
        sender: Bic,
        instruction: &PaymentInstruction,
        quote_id: u64,
        amount: u128,
        now: Timestamp,
    ) -> Result<Quote, Rejection> {
        let quote = self
            .quotes
            .get(&quote_id)
            .filter(|q| q.requester == sender)
            .ok_or_else(|| {
                Rejection::not_found(format!(
                    "{sender} holds no quote {quote_id} (never issued to it, or expired more than a day ago)"
                ))
            })?;
        if quote.expires_at <= now {
            return Err(quote_expired(quote_id));
        }
        if let Some(payment) = quote.used_by {
            return Err(Rejection::new(
                "DUPL",
                format!("quote {quote_id} was already used by payment {payment}"),
            ));
        }
        let (currency, receiver) = (instruction.currency, instruction.instructed_agent);
        if currency != quote.source() {
            return Err(Rejection::new(
                "CURR",
                format!(
                    "quote {quote_id} is for {} payments, not {currency}",
                    quote.source()
                ),
            ));
        }
        if amount != quote.priced.instructed {
            return Err(Rejection::new(
                "AM12",
                format!(
                    "amount differs from quote {quote_id}'s instructed amount ({} minor units)",
                    quote.priced.instructed
                ),
            ));
        }
        if receiver != quote.creditor_agent || instruction.charge_bearer != quote.charge_bearer {
            return Err(Rejection::new(
                "AG01",
                format!("quote {quote_id} was given for another creditor agent or charge bearer"),
            ));
        }
        Ok(quote.clone())
    }

    /// Reserves every leg as one linked chain, then posts every leg as another. Either all
    /// legs are posted or the ledger is as it was. Returns the legs, or why nothing moved.
    pub(crate) fn settle_pvp(
        &mut self,
        payment: u64,
        debtor_account: AccountId,
        creditor_account: AccountId,
        quote: &Quote,
        now: Timestamp,
    ) -> Result<Vec<Leg>, Rejection> {
        let plan = self.leg_plan(debtor_account, creditor_account, quote)?;
        let first_id = self.next_transfer + 1;
        let ids: Vec<TransferId> = (0..plan.len() as u128 * 2)
            .map(|i| TransferId::try_from(first_id + i))
            .collect::<Result<_, _>>()
            .map_err(|_| Rejection::new("AC10", "transfer ids are exhausted"))?;
        let (reserve_ids, post_ids) = ids.split_at(plan.len());
        let last = plan.len() - 1;
        let reservations: Vec<Command> = plan
            .iter()
            .zip(reserve_ids)
            .enumerate()
            .map(|(i, ((currency, debit, credit, amount), id))| {
                Command::CreateTransfer(Transfer {
                    id: *id,
                    action: TransferAction::Reserve {
                        movement: Movement {
                            debit_account: *debit,
                            credit_account: *credit,
                            currency: *currency,
                            amount: Amount::from_minor(*amount),
                        },
                        timeout_seconds: 0,
                    },
                    code: CODE_FX_LEG,
                    user_ref: u128::from(payment),
                    linked: i < last,
                })
            })
            .collect();
        let outcome = self.ledger.apply(&reservations, now);
        if let Some(i) = outcome
            .results
            .iter()
            .position(|r| !r.is_success() && *r != ResultCode::LinkedEventFailed)
        {
            return Err(self.leg_refusal(i, outcome.results[i], &plan, quote));
        }
        let posts: Vec<Command> = reserve_ids
            .iter()
            .zip(post_ids)
            .enumerate()
            .map(|(i, (reserved, id))| {
                Command::CreateTransfer(Transfer {
                    id: *id,
                    action: TransferAction::PostPending {
                        pending_id: *reserved,
                        amount: None,
                    },
                    code: CODE_FX_LEG,
                    user_ref: u128::from(payment),
                    linked: i < last,
                })
            })
            .collect();
        let outcome = self.ledger.apply(&posts, now);
        // A reservation counts against both accounts' rules already, and nothing ran between
        // the two chains, so posting it cannot be refused.
        assert!(
            outcome.results.iter().all(|r| r.is_success()),
            "posting reserved PvP legs was refused: {:?}",
            outcome.results
        );
        self.next_transfer += ids.len() as u128;
        let legs: Vec<Leg> = plan
            .iter()
            .zip(reserve_ids.iter().zip(post_ids))
            .map(
                |(&(currency, debit, credit, amount), (&reserved, &posted))| Leg {
                    currency,
                    debit,
                    credit,
                    amount,
                    reserved,
                    posted,
                },
            )
            .collect();
        for (i, leg) in legs.iter().enumerate() {
            let at = Timestamp(outcome.first_timestamp.0 + i as u64);
            self.record_posting(
                leg.posted,
                leg.debit,
                leg.credit,
                leg.amount,
                CODE_FX_LEG,
                Some(payment),
                at,
            );
        }
        Ok(legs)
    }

    /// (currency, debit, credit, amount) of each leg, debtor side first.
    fn leg_plan(
        &self,
        debtor_account: AccountId,
        creditor_account: AccountId,
        quote: &Quote,
    ) -> Result<Vec<(CurrencyCode, AccountId, AccountId, u128)>, Rejection> {
        let hops = &quote.priced.hops;
        let mut plan = Vec::with_capacity(hops.len() + 1);
        let mut payer = debtor_account;
        for hop in hops {
            self.check_provider(hop.provider)
                .map_err(|r| Rejection::new("AG01", format!("FX provider: {}", r.message)))?;
            let receives = self.provider_inventory(hop.provider, hop.from)?;
            plan.push((hop.from, payer, receives, hop.received));
            payer = self.provider_inventory(hop.provider, hop.to)?;
        }
        let last = &hops[hops.len() - 1];
        plan.push((last.to, payer, creditor_account, last.delivered));
        Ok(plan)
    }

    fn provider_inventory(
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

    fn leg_refusal(
        &self,
        leg: usize,
        code: ResultCode,
        plan: &[(CurrencyCode, AccountId, AccountId, u128)],
        quote: &Quote,
    ) -> Rejection {
        if code != ResultCode::ExceedsCredits {
            return ledger_rejection(code);
        }
        let currency = plan[leg].0;
        if leg == 0 {
            return Rejection::new(
                "AM04",
                format!("insufficient {currency} liquidity on the debtor side"),
            );
        }
        let provider = quote.priced.hops[leg - 1].provider;
        Rejection::new(
            "FXLQ",
            format!("FX provider {provider} lacks {currency} liquidity for this payment"),
        )
    }

    /// The hub's PvP invariant: a cross-currency payment has all its legs posted (settled or
    /// returned) or none recorded, and every recorded leg is posted in the ledger.
    pub(crate) fn check_pvp(&self) -> Result<(), String> {
        if self.ledger.pending_count() != 0 {
            return Err(format!(
                "{} reservations are left pending",
                self.ledger.pending_count()
            ));
        }
        for p in &self.payments {
            let Some(fx) = &p.fx else { continue };
            let settled = matches!(p.status, PaymentStatus::Settled | PaymentStatus::Returned);
            let expected = if settled {
                fx.quote.priced.hops.len() + 1
            } else {
                0
            };
            if fx.legs.len() != expected {
                return Err(format!(
                    "payment {} is {:?} with {} of {} legs",
                    p.id,
                    p.status,
                    fx.legs.len(),
                    fx.quote.priced.hops.len() + 1
                ));
            }
            for leg in &fx.legs {
                let reserved = self.ledger.transfer_state(leg.reserved);
                let posted = self.ledger.transfer_state(leg.posted);
                if reserved != Some(TransferState::PendingPosted)
                    || posted != Some(TransferState::PostsPending)
                {
                    return Err(format!(
                        "payment {}'s {} leg is {reserved:?}/{posted:?}",
                        p.id, leg.currency
                    ));
                }
            }
        }
        Ok(())
    }
}

/// How long an expired quote is remembered.
const QUOTE_RETENTION_SECONDS: u32 = 24 * 3_600;

pub(crate) fn forget_at(quote: &Quote) -> Timestamp {
    quote.expires_at.plus_seconds(QUOTE_RETENTION_SECONDS)
}

fn quote_expired(id: u64) -> Rejection {
    Rejection::new("QEXP", format!("quote {id} has expired: ask for a new one"))
}

/// Whether `candidate` is better for the payer than `best`: more for the creditor when the
/// instructed amount is fixed, less for the debtor when the creditor's amount is; ties go
/// to the shorter route, then to the one found first (providers in BIC order).
fn better(candidate: &PricedRoute, best: Option<&PricedRoute>, fixed: Fixed) -> bool {
    let Some(best) = best else { return true };
    let key = |r: &PricedRoute| match fixed {
        Fixed::Instructed(_) => (u128::MAX - r.creditor_receives, r.debtor_pays, r.hops.len()),
        Fixed::CreditorReceives(_) => {
            (r.debtor_pays, u128::MAX - r.creditor_receives, r.hops.len())
        }
    };
    key(candidate) < key(best)
}
