//! Cross-currency payments as data: what a bank asks a quote for, what a quote locks (every
//! amount, until an expiry), and what payment-versus-payment settlement leaves behind (one
//! leg per hop and one more); which route is better for the payer, and what a refused leg
//! means to the payer. Settling the legs is `hub/fx.rs`.

use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp, TransferId};
use serde::{Deserialize, Serialize};

use crate::business_day::BusinessDate;
use crate::fx::quote::{Fixed, PricedRoute};
use crate::fx::sheet::ReferenceRate;
use crate::model::ChargeBearer;
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
    /// The business day a payment against it settles on if submitted now: today while
    /// every currency of the route is open, else their next common business day.
    pub value_date: Option<BusinessDate>,
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

/// One leg of a settled cross-currency payment: the transfer that posted it, and the
/// reservation it posted when the payment settled alone (a payment settled in a liquidity
/// saving group has its legs posted directly, in the group's one linked chain).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leg {
    pub currency: CurrencyCode,
    pub debit: AccountId,
    pub credit: AccountId,
    pub amount: u128,
    pub reserved: Option<TransferId>,
    pub posted: TransferId,
}

impl Leg {
    /// Leg `(currency, debit, credit, amount)` (a `books::ChainLeg`) as `posted` posted it.
    pub(crate) fn new(
        (currency, debit, credit, amount): (CurrencyCode, AccountId, AccountId, u128),
        reserved: Option<TransferId>,
        posted: TransferId,
    ) -> Leg {
        Leg {
            currency,
            debit,
            credit,
            amount,
            reserved,
            posted,
        }
    }
}

/// The FX side of a payment: its quote, and its legs once settled (none if refused).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FxSettlement {
    pub quote: Quote,
    pub legs: Vec<Leg>,
}

/// Why a cross-currency payment still queued when its quote expired could not settle: the
/// first leg whose payer lacks liquidity, in the payer's terms: the debtor's (AM04) or a
/// provider's (FXLQ). `short[i]` says whether leg `i`'s payer lacks it now.
pub(crate) fn expired_in_queue(quote: &Quote, short: &[bool]) -> Rejection {
    let currencies = quote.route();
    let leg = short.iter().position(|s| *s).unwrap_or(0);
    let currency = currencies.get(leg).copied().unwrap_or(quote.source());
    match leg
        .checked_sub(1)
        .and_then(|hop| quote.priced.hops.get(hop))
    {
        Some(hop) => Rejection::new(
            "FXLQ",
            format!(
                "still queued when quote {} expired: FX provider {} lacks {currency} liquidity for this payment",
                quote.id, hop.provider
            ),
        ),
        None => Rejection::new(
            "AM04",
            format!(
                "still queued when quote {} expired: insufficient {currency} liquidity on the debtor side",
                quote.id
            ),
        ),
    }
}

/// How long an expired quote is remembered.
const QUOTE_RETENTION_SECONDS: u32 = 24 * 3_600;

pub(crate) fn forget_at(quote: &Quote) -> Timestamp {
    quote.expires_at.plus_seconds(QUOTE_RETENTION_SECONDS)
}

pub(crate) fn quote_expired(id: u64) -> Rejection {
    Rejection::new("QEXP", format!("quote {id} has expired: ask for a new one"))
}

/// Whether `candidate` is better for the payer than `best`: more for the creditor when the
/// instructed amount is fixed, less for the debtor when the creditor's amount is; ties go
/// to the shorter route, then to the one found first (providers in BIC order).
pub(crate) fn better(candidate: &PricedRoute, best: Option<&PricedRoute>, fixed: Fixed) -> bool {
    let Some(best) = best else { return true };
    let key = |r: &PricedRoute| match fixed {
        Fixed::Instructed(_) => (u128::MAX - r.creditor_receives, r.debtor_pays, r.hops.len()),
        Fixed::CreditorReceives(_) => {
            (r.debtor_pays, u128::MAX - r.creditor_receives, r.hops.len())
        }
    };
    key(candidate) < key(best)
}
