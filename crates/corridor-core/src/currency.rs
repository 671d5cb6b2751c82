use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Largest exponent Corridor accepts, from ISO 4217 (4, e.g. CLF) or an operator override.
/// Eighteen leaves `u128` room for more than 10^20 whole units.
const MAX_EXPONENT: u8 = 18;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CurrencyError {
    #[error("unknown currency code {0:?}: not in ISO 4217")]
    UnknownCode(String),
    #[error("unknown ISO 4217 numeric currency code {0}")]
    UnknownNumeric(u16),
    #[error("currency {0} has no minor unit in ISO 4217; the operator must set its exponent")]
    NoMinorUnit(CurrencyCode),
    #[error("exponent {exponent} for {code} is above the maximum of {MAX_EXPONENT}")]
    ExponentTooLarge { code: CurrencyCode, exponent: u8 },
}

impl CurrencyError {
    /// ISO 20022 reason code: AM03 NotAllowedCurrency.
    pub fn reason_code(&self) -> &'static str {
        "AM03"
    }
}

/// An ISO 4217 alphabetic currency code that exists in the table ("RUB", "IRR").
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode(iso_currency::Currency);

impl CurrencyCode {
    pub fn as_str(&self) -> &'static str {
        self.0.code()
    }

    pub fn numeric(&self) -> u16 {
        self.0.numeric()
    }

    pub fn from_numeric(numeric: u16) -> Result<CurrencyCode, CurrencyError> {
        iso_currency::Currency::from_numeric(numeric)
            .map(CurrencyCode)
            .ok_or(CurrencyError::UnknownNumeric(numeric))
    }

    /// Minor-unit exponent as ISO 4217 publishes it; `None` for codes without one (XAU, XDR).
    pub fn iso_exponent(&self) -> Option<u8> {
        self.0.exponent().and_then(|e| u8::try_from(e).ok())
    }
}

impl FromStr for CurrencyCode {
    type Err = CurrencyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let canonical = s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase());
        if !canonical {
            return Err(CurrencyError::UnknownCode(s.chars().take(8).collect()));
        }
        iso_currency::Currency::from_code(s)
            .map(CurrencyCode)
            .ok_or_else(|| CurrencyError::UnknownCode(s.chars().take(8).collect()))
    }
}

impl TryFrom<String> for CurrencyCode {
    type Error = CurrencyError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CurrencyCode> for String {
    fn from(c: CurrencyCode) -> String {
        c.as_str().to_owned()
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A currency as Corridor uses it: its code and the exponent in force (ISO 4217's, unless
/// the operator overrode it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Currency {
    pub code: CurrencyCode,
    /// Number of decimal places of the minor unit: 2 for RUB, 0 for IRR as quoted in practice.
    pub exponent: u8,
}

/// The ISO 4217 table plus the operator's exponent overrides.
///
/// The rial is the motivating case: ISO 4217 gives IRR two decimals, but it is quoted and
/// settled in whole rials, so a scheme sets its exponent to 0. The override is configuration
/// that is fixed for the life of a ledger: changing it would reinterpret stored amounts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyTable {
    overrides: BTreeMap<CurrencyCode, u8>,
}

impl CurrencyTable {
    /// The plain ISO 4217 table, no overrides.
    pub fn iso() -> CurrencyTable {
        CurrencyTable::default()
    }

    /// Sets the exponent the scheme uses for `code`.
    pub fn override_exponent(
        &mut self,
        code: CurrencyCode,
        exponent: u8,
    ) -> Result<(), CurrencyError> {
        if exponent > MAX_EXPONENT {
            return Err(CurrencyError::ExponentTooLarge { code, exponent });
        }
        self.overrides.insert(code, exponent);
        Ok(())
    }

    pub fn get(&self, code: CurrencyCode) -> Result<Currency, CurrencyError> {
        let exponent = match self.overrides.get(&code) {
            Some(e) => *e,
            None => code
                .iso_exponent()
                .ok_or(CurrencyError::NoMinorUnit(code))?,
        };
        Ok(Currency { code, exponent })
    }

    pub fn lookup(&self, code: &str) -> Result<Currency, CurrencyError> {
        self.get(code.parse()?)
    }

    pub fn lookup_numeric(&self, numeric: u16) -> Result<Currency, CurrencyError> {
        self.get(CurrencyCode::from_numeric(numeric)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_table_has_alpha_numeric_and_exponent() {
        let table = CurrencyTable::iso();
        let rub = table.lookup("RUB").unwrap();
        assert_eq!((rub.code.numeric(), rub.exponent), (643, 2));
        let irr = table.lookup_numeric(364).unwrap();
        assert_eq!((irr.code.as_str(), irr.exponent), ("IRR", 2));
        assert_eq!(table.lookup("JPY").unwrap().exponent, 0);
        assert_eq!(table.lookup("KWD").unwrap().exponent, 3);
        assert_eq!(table.lookup("CLF").unwrap().exponent, 4);
        assert_eq!(table.lookup("CNY").unwrap().code.numeric(), 156);
    }

    #[test]
    fn unknown_codes_are_rejected() {
        let table = CurrencyTable::iso();
        assert!(matches!(
            table.lookup("XYZ"),
            Err(CurrencyError::UnknownCode(_))
        ));
        assert!(matches!(
            table.lookup("rub"),
            Err(CurrencyError::UnknownCode(_))
        ));
        assert!(matches!(
            table.lookup(""),
            Err(CurrencyError::UnknownCode(_))
        ));
        assert!(matches!(
            table.lookup_numeric(1),
            Err(CurrencyError::UnknownNumeric(1))
        ));
    }

    #[test]
    fn codes_without_minor_unit_need_an_override() {
        let mut table = CurrencyTable::iso();
        let xau: CurrencyCode = "XAU".parse().unwrap();
        assert_eq!(table.get(xau), Err(CurrencyError::NoMinorUnit(xau)));
        table.override_exponent(xau, 3).unwrap();
        assert_eq!(table.get(xau).unwrap().exponent, 3);
    }

    #[test]
    fn operator_overrides_the_rial_exponent() {
        let mut table = CurrencyTable::iso();
        let irr: CurrencyCode = "IRR".parse().unwrap();
        table.override_exponent(irr, 0).unwrap();
        assert_eq!(table.get(irr).unwrap().exponent, 0);
        assert_eq!(table.lookup("RUB").unwrap().exponent, 2);
        assert!(matches!(
            table.override_exponent(irr, 19),
            Err(CurrencyError::ExponentTooLarge { exponent: 19, .. })
        ));
    }
}
