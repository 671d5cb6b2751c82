//! Foreign exchange: exact rates and conversions (`rate`), what providers and settlement
//! agents publish (`sheet`), and pricing a route of conversions (`quote`). Pure computation;
//! the hub keeps the published sheets, issues quotes and settles them payment versus
//! payment (`crate::pvp`).

pub mod quote;
pub mod rate;
pub mod sheet;
