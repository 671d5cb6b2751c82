//! Plain domain types shared by every Corridor crate: ISO 4217 currencies with operator
//! overrides, exact amounts in integer minor units, validated identifiers (BIC, UETR,
//! account and transfer ids) and engine time. No I/O, no clock, no dependencies on other
//! Corridor crates.
//!
//! Every type here follows "parse, don't validate": a value that exists is valid, so the
//! crates above never re-check it.

mod amount;
mod currency;
mod iban;
mod ids;
mod schema;
mod text;
mod time;

pub use amount::{Amount, AmountError};
pub use currency::{Currency, CurrencyCode, CurrencyError, CurrencyTable};
pub use iban::{iban_check_digits_hold, iban_problem};
pub use ids::{AccountId, Bic, IdError, TransferId, Uetr};
pub use text::{is_country_code, is_hidden};
pub use time::Timestamp;
