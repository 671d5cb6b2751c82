//! The hub's FX desk: every rate sheet and reference rate ever published (one version
//! counter for both), the quotes issued and not yet forgotten, pricing a quote over every
//! usable route, and the settled cross-currency volume by currency pair.

use std::collections::{BTreeMap, BTreeSet};

use corridor_core::{Bic, Currency, CurrencyCode, Timestamp};

use crate::books::Books;
use crate::fx::quote::{self, Fixed, Offer, PricedRoute};
use crate::fx::sheet::{PairRates, RateSheet, ReferenceRate, ReferenceRateRequest};
use crate::model::{ChargeBearer, PaymentInstruction};
use crate::pvp::{Candidate, Quote, better, forget_at, quote_expired};
use crate::registry::Registry;
use crate::rejection::Rejection;

/// Settled cross-currency payments of one currency pair since genesis.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PairVolume {
    pub payments: u64,
    /// Debited from debtors, in source-currency minor units.
    pub source_minor: u128,
    /// Credited to creditors, in destination-currency minor units.
    pub destination_minor: u128,
}

#[derive(Debug, Default)]
pub(crate) struct FxDesk {
    /// Every rate sheet ever published, oldest first.
    sheets: Vec<RateSheet>,
    /// Every reference rate ever published, oldest first.
    reference_rates: Vec<ReferenceRate>,
    next_rate_version: u64,
    /// Quotes issued and not yet forgotten (see `expire_quotes`).
    quotes: BTreeMap<u64, Quote>,
    next_quote: u64,
    // Indexes rebuilt from the fields above when a snapshot is loaded.
    /// Index into `sheets` of each provider's latest sheet.
    current_sheets: BTreeMap<Bic, usize>,
    /// Index into `reference_rates` of the latest rate of each pair, in either orientation
    /// (keyed by the two currencies in order).
    latest_reference: BTreeMap<(CurrencyCode, CurrencyCode), usize>,
    /// When each quote is forgotten.
    quote_deadlines: BTreeSet<(Timestamp, u64)>,
    /// Settled cross-currency volume by (source, destination) currency.
    volume: BTreeMap<(CurrencyCode, CurrencyCode), PairVolume>,
}

/// A pair's key in either orientation.
fn unordered(a: CurrencyCode, b: CurrencyCode) -> (CurrencyCode, CurrencyCode) {
    if a <= b { (a, b) } else { (b, a) }
}

impl FxDesk {
    /// The desk as a snapshot stored it, its indexes rebuilt. The volume is counted again
    /// from the settled payments' quotes by the caller.
    pub(crate) fn restore(
        sheets: Vec<RateSheet>,
        reference_rates: Vec<ReferenceRate>,
        next_rate_version: u64,
        quotes: Vec<Quote>,
        next_quote: u64,
    ) -> FxDesk {
        let mut latest_reference = BTreeMap::new();
        for (i, r) in reference_rates.iter().enumerate() {
            latest_reference.insert(unordered(r.base, r.quote), i);
        }
        FxDesk {
            current_sheets: sheets
                .iter()
                .enumerate()
                .map(|(i, sheet)| (sheet.provider, i))
                .collect(),
            latest_reference,
            quote_deadlines: quotes.iter().map(|q| (forget_at(q), q.id)).collect(),
            quotes: quotes.into_iter().map(|q| (q.id, q)).collect(),
            sheets,
            reference_rates,
            next_rate_version,
            next_quote,
            volume: BTreeMap::new(),
        }
    }

    // ---- reads ---------------------------------------------------------------------------

    pub(crate) fn sheets(&self) -> &[RateSheet] {
        &self.sheets
    }

    pub(crate) fn reference_rates(&self) -> &[ReferenceRate] {
        &self.reference_rates
    }

    pub(crate) fn next_rate_version(&self) -> u64 {
        self.next_rate_version
    }

    pub(crate) fn quotes(&self) -> impl Iterator<Item = &Quote> {
        self.quotes.values()
    }

    pub(crate) fn next_quote(&self) -> u64 {
        self.next_quote
    }

    pub(crate) fn quote(&self, id: u64) -> Option<&Quote> {
        self.quotes.get(&id)
    }

    pub(crate) fn volume(&self) -> &BTreeMap<(CurrencyCode, CurrencyCode), PairVolume> {
        &self.volume
    }

    /// The sheet a provider last published, whether still valid or not.
    pub(crate) fn current_sheet(&self, provider: Bic) -> Option<&RateSheet> {
        self.current_sheets.get(&provider).map(|&i| &self.sheets[i])
    }

    /// The latest reference rate published for `a`/`b`, in either orientation.
    pub(crate) fn reference_rate(
        &self,
        a: CurrencyCode,
        b: CurrencyCode,
    ) -> Option<&ReferenceRate> {
        self.latest_reference
            .get(&unordered(a, b))
            .map(|&i| &self.reference_rates[i])
    }

    // ---- publishing ----------------------------------------------------------------------

    fn take_rate_version(&mut self) -> u64 {
        self.next_rate_version += 1;
        self.next_rate_version
    }

    pub(crate) fn publish_sheet(
        &mut self,
        provider: Bic,
        pairs: Vec<PairRates>,
        valid_for_seconds: u32,
        now: Timestamp,
    ) -> RateSheet {
        let sheet = RateSheet {
            version: self.take_rate_version(),
            provider,
            published_at: now,
            valid_until: now.plus_seconds(valid_for_seconds),
            pairs,
        };
        self.sheets.push(sheet.clone());
        self.current_sheets.insert(provider, self.sheets.len() - 1);
        sheet
    }

    /// Publishes checked `rates` as `agent`'s, each with its own version.
    pub(crate) fn publish_reference_rates(
        &mut self,
        agent: Bic,
        rates: &[ReferenceRateRequest],
        now: Timestamp,
    ) -> Vec<ReferenceRate> {
        let mut published = Vec::with_capacity(rates.len());
        for r in rates {
            let rate = ReferenceRate {
                version: self.take_rate_version(),
                agent,
                base: r.base,
                quote: r.quote,
                rate: r.rate,
                published_at: now,
            };
            self.latest_reference
                .insert(unordered(r.base, r.quote), self.reference_rates.len());
            self.reference_rates.push(rate.clone());
            published.push(rate);
        }
        published
    }

    // ---- quotes --------------------------------------------------------------------------

    /// The number the next quote will have.
    pub(crate) fn take_quote_id(&mut self) -> u64 {
        self.next_quote += 1;
        self.next_quote
    }

    pub(crate) fn add_quote(&mut self, quote: Quote) {
        self.quote_deadlines.insert((forget_at(&quote), quote.id));
        self.quotes.insert(quote.id, quote);
    }

    /// Marks quote `id` used by `payment`, so no other payment can take its amounts.
    pub(crate) fn mark_used(&mut self, id: u64, payment: u64) {
        if let Some(q) = self.quotes.get_mut(&id) {
            q.used_by = Some(payment);
        }
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

    /// Counts a settled payment of `quote` into its pair's volume.
    pub(crate) fn count_settled(&mut self, quote: &Quote) {
        let volume = self
            .volume
            .entry((quote.source(), quote.destination()))
            .or_default();
        volume.payments += 1;
        volume.source_minor = volume.source_minor.saturating_add(quote.priced.debtor_pays);
        volume.destination_minor = volume
            .destination_minor
            .saturating_add(quote.priced.creditor_receives);
    }

    // ---- pricing -------------------------------------------------------------------------

    /// Every active provider's offer to convert `from` into `to` now, by provider order.
    fn offers(
        &self,
        registry: &Registry,
        from: CurrencyCode,
        to: CurrencyCode,
        now: Timestamp,
    ) -> Vec<Offer<'_>> {
        self.current_sheets
            .iter()
            .filter(|(provider, _)| registry.check_provider(**provider).is_ok())
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
    pub(crate) fn best_route(
        &self,
        (registry, books): (&Registry, &Books),
        (source, destination): (Currency, Currency),
        fixed: Fixed,
        bearer: ChargeBearer,
        now: Timestamp,
    ) -> (Option<PricedRoute>, Vec<Candidate>) {
        let mut pricing = Pricing {
            registry,
            books,
            fixed,
            bearer,
            considered: Vec::new(),
            best: None,
        };
        for offer in &self.offers(registry, source.code, destination.code, now) {
            pricing.consider(&[*offer], &[source, destination]);
        }
        if pricing.best.is_some() {
            return (pricing.best, pricing.considered);
        }
        for middle in registry.currency_map().values().map(|c| c.currency) {
            if middle.code == source.code || middle.code == destination.code {
                continue;
            }
            let firsts = self.offers(registry, source.code, middle.code, now);
            let seconds = self.offers(registry, middle.code, destination.code, now);
            for first in &firsts {
                for second in &seconds {
                    pricing.consider(&[*first, *second], &[source, middle, destination]);
                }
            }
        }
        (pricing.best, pricing.considered)
    }
}

/// One quote's pricing in progress: the routes considered so far and the best of them.
struct Pricing<'a> {
    registry: &'a Registry,
    books: &'a Books,
    fixed: Fixed,
    bearer: ChargeBearer,
    considered: Vec<Candidate>,
    best: Option<PricedRoute>,
}

impl Pricing<'_> {
    fn consider(&mut self, offers: &[Offer<'_>], currencies: &[Currency]) {
        let mut candidate = Candidate {
            providers: offers.iter().map(|o| o.provider).collect(),
            route: currencies.iter().map(|c| c.code).collect(),
            priced: None,
            excluded: None,
        };
        match quote::price(offers, currencies, self.fixed, self.bearer) {
            Err(reason) => candidate.excluded = Some(reason.message),
            Ok(priced) => {
                candidate.priced = Some((priced.debtor_pays, priced.creditor_receives));
                candidate.excluded = self.short_of_liquidity(&priced);
                if candidate.excluded.is_none() && better(&priced, self.best.as_ref(), self.fixed) {
                    self.best = Some(priced);
                }
            }
        }
        self.considered.push(candidate);
    }

    /// Why a provider of the route could not deliver its hop now, if one could not.
    fn short_of_liquidity(&self, priced: &PricedRoute) -> Option<String> {
        priced.hops.iter().find_map(|hop| {
            let account = self.registry.inventory_account(hop.provider, hop.to)?;
            (self.books.available(account) < hop.delivered)
                .then(|| format!("{} lacks {} liquidity", hop.provider, hop.to))
        })
    }
}
