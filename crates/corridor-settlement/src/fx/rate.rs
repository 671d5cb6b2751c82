//! Exchange rates as exact decimals, and conversion between minor units of two currencies
//! with one written rounding rule: the exact product (or quotient) is rounded half-even to
//! the target currency's minor unit. Intermediate products are 256-bit, so a rial amount
//! above 10^20 times a rate with 18 decimals still converts exactly.

use std::fmt;

use corridor_core::Currency;
use ethnum::U256;
use serde::{Deserialize, Serialize};

use crate::rejection::Rejection;

/// Most decimal places a rate may carry.
pub const MAX_RATE_SCALE: u8 = 18;
/// Most digits a rate may carry in all.
const MAX_RATE_DIGITS: usize = 36;

/// Units of the quote currency per one unit of the base currency (major units), as the
/// exact decimal `units / 10^scale`. Never zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rate {
    units: u128,
    scale: u8,
}

impl Rate {
    /// Parses "41.2345": ASCII digits, at most one point, at most 18 decimals, not zero.
    pub fn parse(text: &str) -> Result<Rate, Rejection> {
        let bad = || Rejection::format(format!("rate {:?} is not a positive decimal", clip(text)));
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) {
            return Err(bad());
        }
        if text.contains('.') && fraction.is_empty() {
            return Err(bad());
        }
        if fraction.len() > usize::from(MAX_RATE_SCALE) || text.len() > MAX_RATE_DIGITS + 1 {
            return Err(Rejection::format(format!(
                "rate {:?} has more than {MAX_RATE_SCALE} decimals or {MAX_RATE_DIGITS} digits",
                clip(text)
            )));
        }
        let mut units: u128 = 0;
        for b in whole.bytes().chain(fraction.bytes()) {
            units = units
                .checked_mul(10)
                .and_then(|u| u.checked_add(u128::from(b - b'0')))
                .ok_or_else(bad)?;
        }
        if units == 0 {
            return Err(bad());
        }
        Ok(Rate {
            units,
            scale: fraction.len() as u8,
        })
    }

    /// Whether `self` is at most `other`, compared exactly.
    pub fn at_most(self, other: Rate) -> bool {
        let (a, b) = (
            U256::from(self.units) * pow10(other.scale),
            U256::from(other.units) * pow10(self.scale),
        );
        a <= b
    }
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

fn pow10(exponent: u8) -> U256 {
    U256::from(10u8).pow(u32::from(exponent))
}

impl TryFrom<String> for Rate {
    type Error = Rejection;
    fn try_from(text: String) -> Result<Rate, Rejection> {
        Rate::parse(&text)
    }
}

impl From<Rate> for String {
    fn from(rate: Rate) -> String {
        rate.to_string()
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.units.to_string();
        let scale = usize::from(self.scale);
        if scale == 0 {
            return f.write_str(&digits);
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        write!(f, "{whole}.{fraction}")
    }
}

/// Which way a rate is applied: a provider buys the base currency at its bid and sells it
/// at its ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Base currency in, quote currency out: amount × rate.
    BaseToQuote,
    /// Quote currency in, base currency out: amount ÷ rate.
    QuoteToBase,
}

/// A rate applied in one direction between two currencies with their exponents: the exact
/// ratio `numerator / denominator` from source minor units to destination minor units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conversion {
    numerator: U256,
    denominator: U256,
}

impl Conversion {
    pub fn new(rate: Rate, direction: Direction, from: Currency, to: Currency) -> Conversion {
        let (per_unit, units) = (pow10(rate.scale), U256::from(rate.units));
        let (numerator, denominator) = match direction {
            Direction::BaseToQuote => (units, per_unit),
            Direction::QuoteToBase => (per_unit, units),
        };
        Conversion {
            numerator: numerator * pow10(to.exponent),
            denominator: denominator * pow10(from.exponent),
        }
    }

    /// Source minor units to destination minor units, rounded half-even. `None` if the
    /// result does not fit in 128 bits.
    pub fn forward(self, amount: u128) -> Option<u128> {
        divide_half_even(
            U256::from(amount).checked_mul(self.numerator)?,
            self.denominator,
        )
    }

    /// The source amount whose exact conversion is `amount` destination minor units,
    /// rounded half-even to the source's minor unit.
    pub fn backward(self, amount: u128) -> Option<u128> {
        divide_half_even(
            U256::from(amount).checked_mul(self.denominator)?,
            self.numerator,
        )
    }
}

/// `n / d` rounded half-even (ties to the even neighbour), as a `u128`.
fn divide_half_even(n: U256, d: U256) -> Option<u128> {
    let (quotient, remainder) = (n / d, n % d);
    let twice = remainder * 2;
    let round_up = twice > d || (twice == d && quotient % 2 == 1);
    let rounded = if round_up { quotient + 1 } else { quotient };
    u128::try_from(rounded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_core::CurrencyCode;

    fn currency(code: &str, exponent: u8) -> Currency {
        Currency {
            code: code.parse::<CurrencyCode>().unwrap(),
            exponent,
        }
    }

    fn rub() -> Currency {
        currency("RUB", 2)
    }

    fn irr() -> Currency {
        currency("IRR", 0)
    }

    #[test]
    fn rates_parse_and_print_losslessly() {
        for text in [
            "1",
            "41.5",
            "0.000000000000000001",
            "123456.123456789012345678",
        ] {
            assert_eq!(Rate::parse(text).unwrap().to_string(), text);
        }
        for bad in [
            "",
            "0",
            "0.000",
            "1.",
            ".5",
            "-1",
            "1e3",
            "1,5",
            "١",
            "1.0000000000000000001",
        ] {
            assert_eq!(Rate::parse(bad).unwrap_err().code, "FF01", "{bad:?}");
        }
    }

    #[test]
    fn comparison_is_exact_across_scales() {
        let r = |t| Rate::parse(t).unwrap();
        assert!(r("41.5").at_most(r("41.50")));
        assert!(r("41.50").at_most(r("41.5")));
        assert!(r("41.499999999999999999").at_most(r("41.5")));
        assert!(!r("41.5").at_most(r("41.499999999999999999")));
    }

    #[test]
    fn base_to_quote_multiplies_and_rounds_half_even() {
        // 1 RUB = 512.5 IRR; IRR has no minor unit.
        let c = Conversion::new(
            Rate::parse("512.5").unwrap(),
            Direction::BaseToQuote,
            rub(),
            irr(),
        );
        assert_eq!(c.forward(100), Some(512)); // 512.5 -> 512 (even)
        assert_eq!(c.forward(300), Some(1_538)); // 1537.5 -> 1538 (even)
        assert_eq!(c.forward(301), Some(1_543)); // 1542.625 -> 1543
        assert_eq!(c.forward(1), Some(5)); // 5.125 -> 5
    }

    #[test]
    fn quote_to_base_divides() {
        // IRR -> RUB at 512.5: 1025 IRR = 2.00 RUB exactly; 1 IRR = 0.00195... -> 0.00
        let c = Conversion::new(
            Rate::parse("512.5").unwrap(),
            Direction::QuoteToBase,
            irr(),
            rub(),
        );
        assert_eq!(c.forward(1_025), Some(200));
        assert_eq!(c.forward(1), Some(0));
        assert_eq!(c.forward(3), Some(1)); // 0.585... kopeks -> 1
    }

    #[test]
    fn backward_inverts_within_half_a_minor_unit() {
        let c = Conversion::new(
            Rate::parse("512.5").unwrap(),
            Direction::BaseToQuote,
            rub(),
            irr(),
        );
        // 1,000,000 IRR = 1951.2195... RUB -> 195122 kopeks.
        assert_eq!(c.backward(1_000_000), Some(195_122));
        assert_eq!(c.backward(512), Some(100)); // 0.99902 RUB -> 1.00
    }

    #[test]
    fn very_large_rial_amounts_and_long_rates_stay_exact() {
        // 10^16 kopeks (10^14 RUB) at 512.123456789012345678 IRR/RUB.
        let rate = Rate::parse("512.123456789012345678").unwrap();
        let c = Conversion::new(rate, Direction::BaseToQuote, rub(), irr());
        // 10^14 * 512.123456789012345678 = 51212345678901234.5678 -> ...235
        assert_eq!(c.forward(10u128.pow(16)), Some(51_212_345_678_901_235));
        // Back from 5 * 10^17 rials: 5e17 / 512.123456789012345678 RUB in kopeks.
        let back = c.backward(5 * 10u128.pow(17)).unwrap();
        // 5e17 / 512.123456789012345678 = 976327081627883.65... RUB -> ...88365 kopeks
        assert_eq!(back, 97_632_708_162_788_365);
        // A product beyond 128 bits is refused, not wrapped.
        let huge = Conversion::new(
            Rate::parse("1000000000").unwrap(),
            Direction::BaseToQuote,
            irr(),
            rub(),
        );
        assert_eq!(huge.forward(u128::MAX / 10), None);
    }

    #[test]
    fn ties_round_to_even_in_both_directions() {
        let c = Conversion::new(
            Rate::parse("0.5").unwrap(),
            Direction::BaseToQuote,
            irr(),
            irr(),
        );
        let got: Vec<_> = (1..=6).map(|a| c.forward(a).unwrap()).collect();
        assert_eq!(got, vec![0, 1, 2, 2, 2, 3]); // 0.5 1 1.5 2 2.5 3
        let c = Conversion::new(
            Rate::parse("2").unwrap(),
            Direction::BaseToQuote,
            irr(),
            irr(),
        );
        let got: Vec<_> = (1..=6).map(|a| c.backward(a).unwrap()).collect();
        assert_eq!(got, vec![0, 1, 2, 2, 2, 3]);
    }
}
