//! The six monitoring rules, each a pure function from the scene of one settled payment to
//! at most one new finding, and `evaluate`, which runs them all;
//! what they look at and what they find is in `scene`.
//!
//! A rule first decides from its account's running totals whether it finds anything, then
//! whether an alert it raised before already covers that evidence, and only then lists the
//! evidence and writes the detail: work for a finding only ever goes into an alert.

mod new_counterparty;
mod originator;
mod pass_through;
mod round_trip;
mod scene;
mod structuring;
mod velocity;

pub use scene::{Finding, Scene};

/// Every rule's new finding on this payment, in [`RuleKind`] order.
pub fn evaluate(scene: &Scene<'_>) -> Vec<Finding> {
    let rules: [fn(&Scene<'_>) -> Option<Finding>; 6] = [
        structuring::check,
        velocity::check,
        round_trip::check,
        pass_through::check,
        new_counterparty::check,
        originator::check,
    ];
    rules.into_iter().filter_map(|rule| rule(scene)).collect()
}
