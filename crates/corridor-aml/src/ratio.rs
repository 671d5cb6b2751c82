//! Basis-point arithmetic on minor units, exact and without floats: every rule's
//! comparison goes through here so none can overflow or round its own way.

use crate::config::{StructuringRule, WHOLE_BP};

/// `value × bp / 10,000`, rounded down; saturates instead of overflowing.
pub fn bp_of(value: u128, bp: u32) -> u128 {
    let whole = u128::from(WHOLE_BP);
    let bp = u128::from(bp);
    (value / whole)
        .saturating_mul(bp)
        .saturating_add((value % whole) * bp / whole)
}

/// `value × bp / 10,000`, rounded up, for `bp` of at most 10,000: the smallest integer that
/// is at least that share.
pub fn bp_of_rounded_up(value: u128, bp: u32) -> u128 {
    value - bp_of(value, WHOLE_BP.saturating_sub(bp))
}

/// `part` as basis points of `whole`, rounded down (0 when `whole` is 0).
pub fn share_bp(part: u128, whole: u128) -> u128 {
    part.saturating_mul(u128::from(WHOLE_BP))
        .checked_div(whole)
        .unwrap_or_default()
}

/// Whether `amount` is within `tolerance_bp` of `reference`, either side.
pub fn within_tolerance(amount: u128, reference: u128, tolerance_bp: u32) -> bool {
    amount.abs_diff(reference) <= bp_of(reference, tolerance_bp)
}

/// Every `reference` that `amount` is within `tolerance_bp` of, as the inclusive range it
/// forms: the distance allowed grows with the reference, so the set has no gaps.
pub fn references_near(amount: u128, tolerance_bp: u32) -> (u128, u128) {
    let near = |reference: u128| within_tolerance(amount, reference, tolerance_bp);
    // A reference below `amount` is at most its allowance, which is at most the amount's.
    let (mut low, mut high) = (amount - bp_of(amount, tolerance_bp), amount);
    while low < high {
        let mid = low + (high - low) / 2;
        if near(mid) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    let lowest = low;
    // Above it, the allowance grows with the reference: widen until one is too far.
    let mut step = bp_of(amount, tolerance_bp).max(1);
    let mut high = amount.saturating_add(step);
    while near(high) && high < u128::MAX {
        step = step.saturating_mul(2);
        high = high.saturating_add(step);
    }
    let mut low = amount;
    while low < high {
        let mid = low + (high - low) / 2 + 1;
        if near(mid) {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    (lowest, low)
}

/// The amounts within `tolerance_bp` of some reference in `[lowest, highest]`.
pub fn amounts_near(lowest: u128, highest: u128, tolerance_bp: u32) -> (u128, u128) {
    (
        lowest - bp_of(lowest, tolerance_bp),
        highest.saturating_add(bp_of(highest, tolerance_bp)),
    )
}

/// The lowest amount that counts as just under the structuring rule's threshold.
pub fn structuring_floor(rule: &StructuringRule) -> u128 {
    rule.reporting_threshold - bp_of(rule.reporting_threshold, rule.margin_bp)
}

/// Whether `amount` is in the structuring band `[floor, threshold)`.
pub fn in_structuring_band(rule: &StructuringRule, amount: u128) -> bool {
    amount >= structuring_floor(rule) && amount < rule.reporting_threshold
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_exact_at_the_edges() {
        assert_eq!(bp_of(1_000_000, 1_000), 100_000);
        assert_eq!(bp_of(9_999, 1), 0);
        assert_eq!(bp_of_rounded_up(9_999, 1), 1);
        assert_eq!(bp_of_rounded_up(1_000_000, 9_000), 900_000);
        assert_eq!(bp_of(u128::MAX, 50_000), u128::MAX);
        assert_eq!(share_bp(95, 100), 9_500);
        assert_eq!(share_bp(1, 0), 0);
        assert!(within_tolerance(95, 100, 500) && within_tolerance(105, 100, 500));
        assert!(!within_tolerance(94, 100, 500));
    }

    #[test]
    fn the_references_near_an_amount_are_exactly_those_within_tolerance() {
        for (amount, bp) in [
            (100u128, 500u32),
            (1_000_003, 777),
            (0, 500),
            (7, 0),
            (u128::MAX, 10_000),
        ] {
            let (lowest, highest) = references_near(amount, bp);
            for reference in [
                lowest.saturating_sub(1),
                lowest,
                highest,
                highest.saturating_add(1),
            ] {
                let inside = (lowest..=highest).contains(&reference);
                assert_eq!(
                    within_tolerance(amount, reference, bp),
                    inside,
                    "{amount} {bp} {reference}"
                );
            }
        }
        assert_eq!(references_near(100, 500), (96, 105));
        assert_eq!(amounts_near(96, 105, 500), (92, 110));
    }
}
