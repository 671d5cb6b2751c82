//! Basis-point arithmetic on minor units, exact and without floats: every rule's
//! comparison goes through here so none can overflow or round its own way.

use corridor_aml::WHOLE_BP;

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
}
