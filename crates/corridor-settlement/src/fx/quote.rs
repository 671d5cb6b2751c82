//! Pricing a cross-currency payment along a route of one or two conversions ("hops"), each
//! by one provider. Pure arithmetic over a rate sheet's pairs; which providers and routes
//! are tried, and which wins, is the hub's business (`crate::pvp`).
//!
//! The rules, for a route A -> (B ->) C:
//! - The first provider's fee is split by the charge bearer: DEBT adds it to what the debtor
//!   pays, CRED deducts it before conversion, SHAR and SLEV split it (the debtor's half
//!   rounded up to the minor unit, the creditor's half rounded down).
//! - A second provider's fee (in B) is deducted in transit before its conversion, as an
//!   intermediary's charge is in correspondent banking; the quote names it as the creditor's.
//! - Every conversion is rounded half-even to the minor unit of the currency it produces; with
//!   the creditor's amount fixed, amounts are computed backwards from it, each rounded
//!   half-even in its own currency. The amounts in a quote are the amounts that move: each
//!   leg is one ledger transfer in one currency, so no rounding creates or destroys money.
//! - A tier is chosen by the hop's amount in its pair's base currency, valued at the pair's
//!   headline rate; the tier's rate then prices the hop.

use corridor_core::{Bic, Currency, CurrencyCode};
use serde::{Deserialize, Serialize};

use super::rate::{Conversion, Direction, Rate};
use super::sheet::{PairRates, Pricing};
use crate::model::ChargeBearer;
use crate::rejection::Rejection;

/// Which amount a quote holds fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fixed {
    /// The instructed amount, in the source currency.
    Instructed(u128),
    /// What the creditor's bank is credited, in the destination currency.
    CreditorReceives(u128),
}

/// One provider's offer for one hop: its sheet version, the pair and how it applies.
#[derive(Clone, Copy, Debug)]
pub struct Offer<'a> {
    pub provider: Bic,
    pub sheet_version: u64,
    pub pair: &'a PairRates,
    pub pricing: Pricing,
}

/// One conversion of a priced route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub provider: Bic,
    pub sheet_version: u64,
    pub from: CurrencyCode,
    pub to: CurrencyCode,
    pub direction: Direction,
    /// The sheet's rate that priced this hop (its tier's, if one applied).
    pub rate: Rate,
    /// What the provider receives, in `from`, its fee included.
    pub received: u128,
    /// The provider's fee, in `from`, kept out of `received`.
    pub fee: u128,
    /// What the provider pays out, in `to`: `received - fee` converted.
    pub delivered: u128,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BorneBy {
    Debtor,
    Creditor,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    pub provider: Bic,
    pub currency: CurrencyCode,
    pub amount: u128,
    pub borne_by: BorneBy,
}

/// A route with every amount worked out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedRoute {
    /// The instructed amount (source currency): what the payment instruction carries.
    pub instructed: u128,
    /// What the debtor's bank is debited (source currency): instructed plus its fee share.
    pub debtor_pays: u128,
    /// What the creditor's bank is credited (destination currency).
    pub creditor_receives: u128,
    pub hops: Vec<Hop>,
    pub fees: Vec<FeeLine>,
}

/// The (debtor, creditor) shares of a fee.
fn split(fee: u128, bearer: ChargeBearer) -> (u128, u128) {
    match bearer {
        ChargeBearer::Debtor => (fee, 0),
        ChargeBearer::Creditor => (0, fee),
        ChargeBearer::Shared | ChargeBearer::ServiceLevel => (fee - fee / 2, fee / 2),
    }
}

fn invalid(message: impl Into<String>) -> Rejection {
    Rejection::new("AM12", message)
}

fn positive(amount: u128, what: &str) -> Result<u128, Rejection> {
    if amount == 0 {
        return Err(invalid(format!("{what} would be zero")));
    }
    Ok(amount)
}

/// The rate and conversion of `offer` from `from` to `to` for an amount known on one side:
/// `known_in` (in `from`) going forwards, else `known_out` (in `to`) going backwards.
fn conversion(
    offer: &Offer<'_>,
    from: Currency,
    to: Currency,
    known: Known,
) -> Result<(Rate, Conversion), Rejection> {
    let direction = offer.pricing.direction;
    let headline = Conversion::new(offer.pair.rate(direction, 0), direction, from, to);
    let base_amount = match (direction, known) {
        (Direction::BaseToQuote, Known::In(a)) | (Direction::QuoteToBase, Known::Out(a)) => Some(a),
        (Direction::BaseToQuote, Known::Out(a)) => headline.backward(a),
        (Direction::QuoteToBase, Known::In(a)) => headline.forward(a),
    }
    .ok_or_else(|| invalid("amount too large to convert"))?;
    let rate = offer.pair.rate(direction, base_amount);
    Ok((rate, Conversion::new(rate, direction, from, to)))
}

#[derive(Clone, Copy)]
enum Known {
    In(u128),
    Out(u128),
}

/// Prices `offers` (one per hop) over `currencies` (one more than hops: source, [middle,]
/// destination).
pub fn price(
    offers: &[Offer<'_>],
    currencies: &[Currency],
    fixed: Fixed,
    bearer: ChargeBearer,
) -> Result<PricedRoute, Rejection> {
    assert!(
        !offers.is_empty() && offers.len() <= 2 && currencies.len() == offers.len() + 1,
        "a route has one or two hops"
    );
    let (debtor_fee, creditor_fee) = split(offers[0].pricing.fee, bearer);
    let mut hops = Vec::with_capacity(offers.len());
    let (instructed, debtor_pays, creditor_receives) = match fixed {
        Fixed::Instructed(instructed) => {
            let mut amount_in = instructed
                .checked_sub(creditor_fee)
                .filter(|a| *a > 0)
                .ok_or_else(|| invalid("the fees borne by the creditor exceed the amount"))?;
            let debtor_pays = instructed
                .checked_add(debtor_fee)
                .ok_or_else(|| invalid("amount too large"))?;
            let mut received = debtor_pays;
            for (i, offer) in offers.iter().enumerate() {
                let (from, to) = (currencies[i], currencies[i + 1]);
                if i > 0 {
                    received = amount_in;
                    amount_in = positive(
                        amount_in.saturating_sub(offer.pricing.fee),
                        "the amount left after the intermediate provider's fee",
                    )?;
                }
                let (rate, conv) = conversion(offer, from, to, Known::In(amount_in))?;
                let delivered = conv
                    .forward(amount_in)
                    .ok_or_else(|| invalid("amount too large to convert"))?;
                let delivered = positive(delivered, "the converted amount")?;
                hops.push(hop(offer, from, to, rate, received, delivered));
                amount_in = delivered;
            }
            (instructed, debtor_pays, amount_in)
        }
        Fixed::CreditorReceives(creditor_receives) => {
            let mut amount_out = positive(creditor_receives, "the creditor's amount")?;
            for (i, offer) in offers.iter().enumerate().rev() {
                let (from, to) = (currencies[i], currencies[i + 1]);
                let (rate, conv) = conversion(offer, from, to, Known::Out(amount_out))?;
                let converted = conv
                    .backward(amount_out)
                    .ok_or_else(|| invalid("amount too large to convert"))?;
                let converted = positive(converted, "the source amount")?;
                let fee = if i == 0 {
                    debtor_fee + creditor_fee
                } else {
                    offer.pricing.fee
                };
                let received = converted
                    .checked_add(fee)
                    .ok_or_else(|| invalid("amount too large"))?;
                hops.push(hop(offer, from, to, rate, received, amount_out));
                amount_out = received;
            }
            hops.reverse();
            let debtor_pays = amount_out;
            (debtor_pays - debtor_fee, debtor_pays, creditor_receives)
        }
    };
    let fees = hops
        .iter()
        .enumerate()
        .flat_map(|(i, h)| {
            let shares = if i == 0 {
                vec![
                    (debtor_fee, BorneBy::Debtor),
                    (creditor_fee, BorneBy::Creditor),
                ]
            } else {
                vec![(h.fee, BorneBy::Creditor)]
            };
            shares
                .into_iter()
                .filter(|(amount, _)| *amount > 0)
                .map(|(amount, borne_by)| FeeLine {
                    provider: h.provider,
                    currency: h.from,
                    amount,
                    borne_by,
                })
        })
        .collect();
    let priced = PricedRoute {
        instructed,
        debtor_pays,
        creditor_receives,
        hops,
        fees,
    };
    debug_assert!(priced.conserves());
    Ok(priced)
}

fn hop(
    offer: &Offer<'_>,
    from: Currency,
    to: Currency,
    rate: Rate,
    received: u128,
    delivered: u128,
) -> Hop {
    Hop {
        provider: offer.provider,
        sheet_version: offer.sheet_version,
        from: from.code,
        to: to.code,
        direction: offer.pricing.direction,
        rate,
        received,
        fee: offer.pricing.fee,
        delivered,
    }
}

impl PricedRoute {
    pub fn source(&self) -> CurrencyCode {
        self.hops[0].from
    }

    pub fn destination(&self) -> CurrencyCode {
        self.hops[self.hops.len() - 1].to
    }

    /// Currencies along the route, source first.
    pub fn route(&self) -> Vec<CurrencyCode> {
        std::iter::once(self.source())
            .chain(self.hops.iter().map(|h| h.to))
            .collect()
    }

    /// Each hop passes on exactly what the next receives, the first receives what the
    /// debtor pays and the last delivers what the creditor receives.
    pub fn conserves(&self) -> bool {
        let chained = self
            .hops
            .windows(2)
            .all(|w| w[0].delivered == w[1].received);
        let fees_within = self.hops.iter().all(|h| h.fee < h.received);
        chained
            && fees_within
            && self
                .hops
                .first()
                .is_some_and(|h| h.received == self.debtor_pays)
            && self
                .hops
                .last()
                .is_some_and(|h| h.delivered == self.creditor_receives)
    }
}
