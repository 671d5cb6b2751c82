//! Invariants over any sequence of settled payments: the monitor never panics, numbers its
//! alerts in strictly increasing order, cites only payments it has seen, and a replay into a
//! fresh monitor gives the same alerts.

mod common;

use std::collections::BTreeSet;

use common::*;
use corridor_aml::{AccountNumber, OriginatorData, SchemeRules, SettledPayment};
use proptest::prelude::*;

const HOLDERS: [Holder; 4] = [ALICE, BOB, CAROL, DAVE];

/// Small windows and thresholds near the generated amounts, so every rule fires often.
fn busy_rules() -> SchemeRules {
    let mut rules = SchemeRules::default();
    rules.structuring.window_seconds = 7_200;
    rules.structuring.min_payments = 2;
    rules.velocity.window_seconds = 600;
    rules.velocity.trailing_windows = 3;
    rules.velocity.spike_multiple_bp = 20_000;
    rules.velocity.min_baseline_count = 1;
    rules.velocity.min_baseline_value = 100_000;
    rules.round_trip.window_seconds = 7_200;
    rules.round_trip.tolerance_bp = 2_000;
    rules.round_trip.min_amount = 0;
    rules.pass_through.window_seconds = 3_600;
    rules.pass_through.min_inflow = 500_000;
    rules.new_counterparty.threshold = 900_000;
    rules.new_counterparty.memory_seconds = 10_800;
    rules
}

fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![
        Just(1_000_000u128),
        Just(999_999),
        Just(900_000),
        Just(899_999),
        Just(0),
        Just(u128::MAX),
        0u128..2_000_000,
    ]
}

prop_compose! {
    /// A step: who pays whom, how much, how long after the previous payment (sometimes
    /// before it: the monitor must cope with time going backwards), and whether the
    /// originator data is stripped.
    fn step()(
        from in 0usize..4,
        to in 0usize..4,
        amount in amount(),
        gap in prop_oneof![0i64..120, 0i64..20_000, -500i64..0],
        stripped in any::<bool>(),
        other_account in any::<bool>(),
    ) -> (usize, usize, u128, i64, bool, bool) {
        (from, to, amount, gap, stripped, other_account)
    }
}

fn payments(steps: &[(usize, usize, u128, i64, bool, bool)]) -> Vec<SettledPayment> {
    let mut seconds: u64 = 1_000_000;
    let mut id = 0;
    steps
        .iter()
        .map(|&(from, to, amount, gap, stripped, other_account)| {
            seconds = seconds.saturating_add_signed(gap);
            id += 1;
            let mut payment = pay(id, seconds, &HOLDERS[from], &HOLDERS[to], amount);
            if stripped {
                payment.originator = OriginatorData::default();
            }
            if other_account {
                payment.debtor.account = AccountNumber::Other(format!("ACC {from}"));
            }
            payment
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_sequence_gives_ordered_alerts_on_seen_payments_and_replays_alike(
        steps in prop::collection::vec(step(), 0..120)
    ) {
        let payments = payments(&steps);
        let mut monitor = monitor(busy_rules());
        let mut seen = BTreeSet::new();
        let mut alerts = Vec::new();
        for payment in &payments {
            seen.insert(payment.payment_id);
            for alert in monitor.observe(payment) {
                prop_assert!(alert.evidence.iter().all(|id| seen.contains(id)), "{alert:?}");
                prop_assert!(!alert.evidence.is_empty());
                prop_assert!(alert.evidence.windows(2).all(|w| w[0] < w[1]));
                alerts.push(alert);
            }
        }
        prop_assert!(alerts.windows(2).all(|w| w[0].id < w[1].id));
        prop_assert_eq!(monitor.last_alert_id(), alerts.last().map_or(0, |a| a.id));
        let mut replay = common::monitor(busy_rules());
        prop_assert_eq!(observe_all(&mut replay, &payments), alerts);
        prop_assert_eq!(replay, monitor);
    }
}
