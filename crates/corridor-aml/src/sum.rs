//! Exact running sums of amounts in minor units: a `u128` with a count of the times it
//! wrapped, so the total of any stretch of a window is the difference of two running sums
//! and still reads as the saturating sum the rules compare.

/// A sum of `u128` amounts that cannot overflow: `low` plus `wraps` times 2^128.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sum {
    low: u128,
    wraps: u64,
}

impl Sum {
    pub fn plus(self, amount: u128) -> Sum {
        let (low, wrapped) = self.low.overflowing_add(amount);
        Sum {
            low,
            wraps: self.wraps.wrapping_add(u64::from(wrapped)),
        }
    }

    /// `self − earlier`, for an `earlier` running sum of a prefix of what `self` sums.
    pub fn since(self, earlier: Sum) -> Sum {
        let (low, borrowed) = self.low.overflowing_sub(earlier.low);
        Sum {
            low,
            wraps: self
                .wraps
                .wrapping_sub(earlier.wraps)
                .wrapping_sub(u64::from(borrowed)),
        }
    }

    /// The sum, or `u128::MAX` if it does not fit: what adding the amounts one by one with
    /// `saturating_add` gives, in any order.
    pub fn saturated(self) -> u128 {
        if self.wraps == 0 { self.low } else { u128::MAX }
    }
}

#[cfg(test)]
mod tests {
    use super::Sum;

    #[test]
    fn differences_of_running_sums_saturate_like_folding() {
        let amounts = [u128::MAX, 5, u128::MAX - 3, 7, 1];
        let running: Vec<Sum> = amounts
            .iter()
            .scan(Sum::default(), |sum, a| {
                *sum = sum.plus(*a);
                Some(*sum)
            })
            .collect();
        for start in 0..amounts.len() {
            let before = if start == 0 {
                Sum::default()
            } else {
                running[start - 1]
            };
            let folded = amounts[start..]
                .iter()
                .fold(0u128, |s, a| s.saturating_add(*a));
            assert_eq!(running[4].since(before).saturated(), folded, "from {start}");
        }
    }
}
