//! What FX providers and settlement agents publish: providers' rate sheets (bid and ask per
//! currency pair, tiers by amount, a fixed fee per direction, a validity) and agents'
//! official reference rates. Both are journaled commands, and every version is kept, so the
//! rate behind any past quote can be shown.

use corridor_core::{Amount, Bic, Currency, CurrencyCode, Timestamp};
use serde::{Deserialize, Serialize};

use super::rate::{Direction, Rate};
use crate::rejection::Rejection;

/// Most pairs one sheet may carry, and most tiers per pair.
pub const MAX_PAIRS: usize = 64;
pub const MAX_TIERS: usize = 16;
/// Longest validity a sheet may claim: a week.
pub const MAX_VALIDITY_SECONDS: u32 = 7 * 24 * 3_600;

/// A rate sheet as a provider sends it: decimal strings, validated by the hub.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateSheetRequest {
    /// How long the sheet may be used for quotes, from its publication.
    pub valid_for_seconds: u32,
    pub pairs: Vec<PairRequest>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairRequest {
    #[schema(value_type = String, example = "RUB")]
    pub base: CurrencyCode,
    #[schema(value_type = String, example = "IRR")]
    pub quote: CurrencyCode,
    /// Quote-currency units the provider pays for one unit of base ("512.25").
    #[schema(value_type = String, example = "512.25")]
    pub bid: Rate,
    /// Quote-currency units the provider asks for one unit of base; at least `bid`.
    #[schema(value_type = String, example = "515.75")]
    pub ask: Rate,
    /// Better rates from a base-currency amount up, in increasing order of `from_base_amount`.
    #[serde(default)]
    pub tiers: Vec<TierRequest>,
    /// Fixed fee when the payer pays in the base currency, in base-currency units.
    pub fee_in_base: Option<String>,
    /// Fixed fee when the payer pays in the quote currency, in quote-currency units.
    pub fee_in_quote: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierRequest {
    /// The tier applies from this amount in the base currency ("1000000.00").
    pub from_base_amount: String,
    #[schema(value_type = String)]
    pub bid: Rate,
    #[schema(value_type = String)]
    pub ask: Rate,
}

/// A validated pair, amounts in minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairRates {
    pub base: CurrencyCode,
    pub quote: CurrencyCode,
    pub bid: Rate,
    pub ask: Rate,
    pub tiers: Vec<Tier>,
    pub fee_in_base: u128,
    pub fee_in_quote: u128,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub from_base_amount: u128,
    pub bid: Rate,
    pub ask: Rate,
}

/// One published version of a provider's sheet. A new one replaces the last as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateSheet {
    /// Scheme-wide version number, increasing with every sheet published.
    pub version: u64,
    pub provider: Bic,
    pub published_at: Timestamp,
    pub valid_until: Timestamp,
    pub pairs: Vec<PairRates>,
}

/// How a pair of a sheet prices one direction: which rate side, and the fee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pricing {
    pub direction: Direction,
    pub fee: u128,
}

impl PairRates {
    /// How this pair converts `from` into `to`, if it covers that direction.
    pub fn pricing(&self, from: CurrencyCode, to: CurrencyCode) -> Option<Pricing> {
        if (from, to) == (self.base, self.quote) {
            return Some(Pricing {
                direction: Direction::BaseToQuote,
                fee: self.fee_in_base,
            });
        }
        if (from, to) == (self.quote, self.base) {
            return Some(Pricing {
                direction: Direction::QuoteToBase,
                fee: self.fee_in_quote,
            });
        }
        None
    }

    /// The rate for `direction` at a base-currency amount: the provider buys base at its
    /// bid and sells it at its ask; the highest tier the amount reaches applies.
    pub fn rate(&self, direction: Direction, base_amount: u128) -> Rate {
        let (bid, ask) = self
            .tiers
            .iter()
            .rev()
            .find(|t| base_amount >= t.from_base_amount)
            .map_or((self.bid, self.ask), |t| (t.bid, t.ask));
        match direction {
            Direction::BaseToQuote => bid,
            Direction::QuoteToBase => ask,
        }
    }
}

impl RateSheetRequest {
    /// Validates the sheet against the scheme's currencies (`currency` looks one up).
    pub fn validate(
        &self,
        currency: impl Fn(CurrencyCode) -> Option<Currency>,
    ) -> Result<Vec<PairRates>, Rejection> {
        if self.valid_for_seconds == 0 || self.valid_for_seconds > MAX_VALIDITY_SECONDS {
            return Err(Rejection::format(format!(
                "valid_for_seconds must be 1 to {MAX_VALIDITY_SECONDS}"
            )));
        }
        if self.pairs.is_empty() || self.pairs.len() > MAX_PAIRS {
            return Err(Rejection::format(format!(
                "a sheet holds 1 to {MAX_PAIRS} pairs"
            )));
        }
        let mut pairs: Vec<PairRates> = Vec::with_capacity(self.pairs.len());
        for (i, pair) in self.pairs.iter().enumerate() {
            let validated = pair.validate(&format!("pairs[{i}]"), &currency)?;
            if pairs
                .iter()
                .any(|p| p.pricing(validated.base, validated.quote).is_some())
            {
                return Err(Rejection::format(format!(
                    "pairs[{i}]: {}/{} appears twice",
                    validated.base, validated.quote
                )));
            }
            pairs.push(validated);
        }
        Ok(pairs)
    }
}

impl PairRequest {
    fn validate(
        &self,
        path: &str,
        currency: impl Fn(CurrencyCode) -> Option<Currency>,
    ) -> Result<PairRates, Rejection> {
        let known = |code: CurrencyCode| {
            currency(code).ok_or_else(|| {
                Rejection::new(
                    "CURR",
                    format!("{path}: {code} is not settled in this scheme"),
                )
            })
        };
        let (base, quote) = (known(self.base)?, known(self.quote)?);
        if base.code == quote.code {
            return Err(Rejection::new(
                "CURR",
                format!("{path}: base and quote currency are both {}", base.code),
            ));
        }
        check_spread(path, self.bid, self.ask)?;
        if self.tiers.len() > MAX_TIERS {
            return Err(Rejection::format(format!(
                "{path}.tiers: at most {MAX_TIERS} tiers"
            )));
        }
        let mut tiers: Vec<Tier> = Vec::with_capacity(self.tiers.len());
        for (i, tier) in self.tiers.iter().enumerate() {
            let tier_path = format!("{path}.tiers[{i}]");
            let from = minor(&tier_path, &tier.from_base_amount, base)?;
            if tiers.last().is_some_and(|t| t.from_base_amount >= from) {
                return Err(Rejection::format(format!(
                    "{tier_path}: tiers must be in increasing order of from_base_amount"
                )));
            }
            check_spread(&tier_path, tier.bid, tier.ask)?;
            tiers.push(Tier {
                from_base_amount: from,
                bid: tier.bid,
                ask: tier.ask,
            });
        }
        let fee = |text: &Option<String>, c: Currency, name: &str| match text {
            None => Ok(0),
            Some(t) => Amount::parse(t, c)
                .map(Amount::minor)
                .map_err(|e| Rejection::new(e.reason_code(), format!("{path}.{name}: {e}"))),
        };
        Ok(PairRates {
            base: base.code,
            quote: quote.code,
            bid: self.bid,
            ask: self.ask,
            tiers,
            fee_in_base: fee(&self.fee_in_base, base, "fee_in_base")?,
            fee_in_quote: fee(&self.fee_in_quote, quote, "fee_in_quote")?,
        })
    }
}

fn check_spread(path: &str, bid: Rate, ask: Rate) -> Result<(), Rejection> {
    if !bid.at_most(ask) {
        return Err(Rejection::format(format!(
            "{path}: bid {bid} is above ask {ask}"
        )));
    }
    Ok(())
}

fn minor(path: &str, text: &str, currency: Currency) -> Result<u128, Rejection> {
    Amount::parse(text, currency)
        .map(Amount::minor)
        .map_err(|e| Rejection::new(e.reason_code(), format!("{path}: {e}")))
}

/// An official reference rate as a settlement agent publishes it. Informational: quotes show
/// it beside the provider's rate, so a bank can see the provider's margin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceRateRequest {
    #[schema(value_type = String, example = "RUB")]
    pub base: CurrencyCode,
    #[schema(value_type = String, example = "IRR")]
    pub quote: CurrencyCode,
    #[schema(value_type = String, example = "514.00")]
    pub rate: Rate,
}

/// One published reference rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceRate {
    pub version: u64,
    pub agent: Bic,
    pub base: CurrencyCode,
    pub quote: CurrencyCode,
    pub rate: Rate,
    pub published_at: Timestamp,
}
