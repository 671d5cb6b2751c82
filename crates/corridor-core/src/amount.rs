use crate::currency::Currency;
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// An exact, non-negative amount in integer minor units of some currency (kopecks, rials).
///
/// `u128` holds more than 10^38 minor units, so even a rial energy invoice above 10^15 is far
/// from the edge; every operation is still checked, because an overflow in a ledger is a
/// loss of money, not a rounding detail.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Amount(u128);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AmountError {
    #[error("amount is empty")]
    Empty,
    #[error("amount {0:?} is not a plain decimal number (digits, one optional '.')")]
    NotDecimal(String),
    #[error("amount has {found} decimal places but {currency} allows {allowed}")]
    TooManyDecimals {
        currency: String,
        found: usize,
        allowed: u8,
    },
    #[error("amount is too large to represent")]
    Overflow,
}

impl AmountError {
    /// ISO 20022 reason code: AM12 InvalidAmount.
    pub fn reason_code(&self) -> &'static str {
        "AM12"
    }
}

impl Amount {
    pub const ZERO: Amount = Amount(0);

    pub const fn from_minor(minor: u128) -> Amount {
        Amount(minor)
    }

    pub const fn minor(self) -> u128 {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        self.0.checked_sub(other.0).map(Amount)
    }

    /// Parses a plain decimal string in major units ("1234.56") into minor units of
    /// `currency`. Never rounds: more decimals than the currency has is an error. Signs,
    /// exponents, separators, whitespace and non-ASCII digits are all rejected.
    pub fn parse(text: &str, currency: Currency) -> Result<Amount, AmountError> {
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w, f),
            None => (text, ""),
        };
        let has_dot = text.len() != whole.len();
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || (has_dot && fraction.is_empty())
            || !all_digits(whole)
            || !all_digits(fraction)
        {
            return Err(AmountError::NotDecimal(text.chars().take(64).collect()));
        }
        if fraction.len() > usize::from(currency.exponent) {
            return Err(AmountError::TooManyDecimals {
                currency: currency.code.to_string(),
                found: fraction.len(),
                allowed: currency.exponent,
            });
        }
        let padding = usize::from(currency.exponent) - fraction.len();
        let mut minor: u128 = 0;
        let digits = whole
            .bytes()
            .chain(fraction.bytes())
            .chain(std::iter::repeat_n(b'0', padding));
        for digit in digits {
            minor = minor
                .checked_mul(10)
                .and_then(|m| m.checked_add(u128::from(digit - b'0')))
                .ok_or(AmountError::Overflow)?;
        }
        Ok(Amount(minor))
    }

    /// Formats in major units with exactly the currency's number of decimals: the inverse
    /// of [`Amount::parse`].
    pub fn format(self, currency: Currency) -> String {
        DecimalAmount {
            amount: self,
            exponent: currency.exponent,
        }
        .to_string()
    }
}

struct DecimalAmount {
    amount: Amount,
    exponent: u8,
}

impl fmt::Display for DecimalAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.exponent == 0 {
            return write!(f, "{}", self.amount.0);
        }
        let scale = 10u128.pow(u32::from(self.exponent));
        let width = usize::from(self.exponent);
        write!(
            f,
            "{}.{:0width$}",
            self.amount.0 / scale,
            self.amount.0 % scale
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CurrencyTable;
    use proptest::prelude::*;

    fn currency(code: &str) -> Currency {
        CurrencyTable::iso().lookup(code).unwrap()
    }

    fn rial_whole() -> Currency {
        let mut table = CurrencyTable::iso();
        table.override_exponent("IRR".parse().unwrap(), 0).unwrap();
        table.lookup("IRR").unwrap()
    }

    #[test]
    fn parses_decimal_strings_exactly() {
        let rub = currency("RUB");
        assert_eq!(Amount::parse("1234.56", rub), Ok(Amount(123_456)));
        assert_eq!(Amount::parse("1234.5", rub), Ok(Amount(123_450)));
        assert_eq!(Amount::parse("1234", rub), Ok(Amount(123_400)));
        assert_eq!(Amount::parse("0.01", rub), Ok(Amount(1)));
        assert_eq!(Amount::parse("007.00", rub), Ok(Amount(700)));
        assert_eq!(Amount::parse("3", currency("KWD")), Ok(Amount(3000)));
    }

    #[test]
    fn formats_with_the_currency_exponent() {
        assert_eq!(Amount(123_456).format(currency("RUB")), "1234.56");
        assert_eq!(Amount(5).format(currency("RUB")), "0.05");
        assert_eq!(Amount(0).format(currency("RUB")), "0.00");
        assert_eq!(Amount(1234).format(currency("JPY")), "1234");
        assert_eq!(Amount(1).format(currency("CLF")), "0.0001");
    }

    #[test]
    fn huge_rial_amounts_are_exact() {
        let irr = rial_whole();
        let invoice = "1234567890123456789";
        let amount = Amount::parse(invoice, irr).unwrap();
        assert_eq!(amount.minor(), 1_234_567_890_123_456_789);
        assert_eq!(amount.format(irr), invoice);
        assert_eq!(
            Amount::parse("1.5", irr),
            Err(AmountError::TooManyDecimals {
                currency: "IRR".into(),
                found: 1,
                allowed: 0
            })
        );
    }

    #[test]
    fn rejects_everything_that_is_not_a_plain_decimal() {
        let rub = currency("RUB");
        for bad in [
            "-1", "+1", "1e3", "1,000.00", " 1", "1 ", ".5", "5.", "1.2.3", "١٢", "0x10", "NaN",
            "1_000",
        ] {
            assert!(
                matches!(Amount::parse(bad, rub), Err(AmountError::NotDecimal(_))),
                "{bad}"
            );
        }
        assert_eq!(Amount::parse("", rub), Err(AmountError::Empty));
        assert!(matches!(
            Amount::parse("1.234", rub),
            Err(AmountError::TooManyDecimals { found: 3, .. })
        ));
        assert_eq!(
            Amount::parse(&"9".repeat(40), rub),
            Err(AmountError::Overflow)
        );
        assert_eq!(
            Amount::parse(&u128::MAX.to_string(), rub),
            Err(AmountError::Overflow)
        );
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(Amount(u128::MAX).checked_add(Amount(1)), None);
        assert_eq!(Amount(0).checked_sub(Amount(1)), None);
        assert_eq!(Amount(2).checked_add(Amount(3)), Some(Amount(5)));
    }

    proptest! {
        #[test]
        fn format_then_parse_is_lossless(minor in any::<u128>(), exponent in 0u8..=18) {
            let c = Currency { code: "RUB".parse().unwrap(), exponent };
            let text = Amount(minor).format(c);
            prop_assert_eq!(Amount::parse(&text, c), Ok(Amount(minor)));
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,50}") {
            let _ = Amount::parse(&text, currency("RUB"));
        }
    }
}
