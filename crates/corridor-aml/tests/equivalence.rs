//! The monitor against the reference model (the implementation it replaced, in
//! `reference/`): on random streams of settled payments between a few accounts, in
//! monitored and unmonitored currencies, with amounts at the rules' edges, times that
//! cross every window and sometimes go back, payments sent back (round trips) and sent on
//! (pass-through), both raise the same alerts in the same order and hold the same state,
//! byte for byte of their snapshots; a monitor restored from the reference model's
//! snapshot carries on alike.

mod common;
mod reference;

use common::*;
use std::collections::BTreeSet;

use corridor_aml::{
    AccountNumber, AmlConfig, AmlMonitor, OriginatorData, RuleKind, SchemeRules, SettledPayment,
};
use corridor_core::CurrencyCode;
use proptest::prelude::*;

const HOLDERS: [Holder; 6] = [
    ALICE,
    BOB,
    CAROL,
    DAVE,
    Holder {
        name: "Erin Example",
        iban: "ES9121000418450200051332",
        bic: "CAIXESBB",
    },
    Holder {
        name: "Frank Example",
        iban: "IT60X0542811101000000123456",
        bic: "BCITITMM",
    },
];

fn currency(code: &str) -> CurrencyCode {
    code.parse().unwrap()
}

prop_compose! {
    /// Rules with windows of minutes to a day and limits near the generated amounts, so
    /// every rule fires, sometimes with a memory shorter than the round-trip window.
    fn rules()(
        windows in prop::collection::vec(prop_oneof![Just(600u32), Just(3_600), Just(7_200), Just(86_400)], 5),
        margin_bp in prop_oneof![Just(500u32), Just(1_000), Just(10_000)],
        min_payments in 2u32..4,
        trailing_windows in prop_oneof![Just(1u32), Just(3), Just(7)],
        spike_multiple_bp in prop_oneof![Just(15_000u32), Just(20_000), Just(50_000)],
        min_baseline_count in prop_oneof![Just(1u64), Just(5)],
        min_baseline_value in prop_oneof![Just(0u128), Just(100_000), Just(u128::MAX)],
        tolerance_bp in prop_oneof![Just(0u32), Just(500), Just(2_000)],
        min_amount in prop_oneof![Just(0u128), Just(100_000), Just(900_000)],
        onward_share_bp in prop_oneof![Just(5_000u32), Just(9_000), Just(10_000)],
        min_inflow in prop_oneof![Just(0u128), Just(500_000), Just(1_000_000)],
        threshold in prop_oneof![Just(0u128), Just(900_000), Just(u128::MAX)],
        memory_seconds in prop_oneof![Just(600u32), Just(10_800), Just(86_400)],
        de_minimis in prop_oneof![Just(0u128), Just(100_000), Just(u128::MAX)],
        cross_border_only in any::<bool>(),
    ) -> SchemeRules {
        let mut rules = SchemeRules::default();
        rules.structuring.window_seconds = windows[0];
        rules.structuring.margin_bp = margin_bp;
        rules.structuring.min_payments = min_payments;
        rules.velocity.window_seconds = windows[1];
        rules.velocity.trailing_windows = trailing_windows;
        rules.velocity.spike_multiple_bp = spike_multiple_bp;
        rules.velocity.min_baseline_count = min_baseline_count;
        rules.velocity.min_baseline_value = min_baseline_value;
        rules.round_trip.window_seconds = windows[2];
        rules.round_trip.tolerance_bp = tolerance_bp;
        rules.round_trip.min_amount = min_amount;
        rules.pass_through.window_seconds = windows[3];
        rules.pass_through.onward_share_bp = onward_share_bp;
        rules.pass_through.min_inflow = min_inflow;
        rules.new_counterparty.threshold = threshold;
        rules.new_counterparty.memory_seconds = memory_seconds.min(windows[4]);
        rules.originator_data.de_minimis = de_minimis;
        rules.originator_data.cross_border_only = cross_border_only;
        rules
    }
}

/// Amounts at the structuring band's edges, at the extremes, anywhere, or a few per cent
/// either side of a round figure.
fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![
        Just(1_000_000u128),
        Just(999_999),
        Just(950_000),
        Just(900_000),
        Just(899_999),
        Just(0),
        Just(u128::MAX),
        0u128..2_000_000,
        (1u128..20, 9_400u128..10_600).prop_map(|(base, bp)| base * 100_000 * bp / 10_000),
    ]
}

/// What happens next in a stream.
#[derive(Clone, Debug)]
enum Step {
    /// A payment between two of the accounts (possibly the same one).
    Pay {
        from: usize,
        to: usize,
        amount: u128,
        currency: usize,
        stripped: bool,
        other_account: bool,
    },
    /// An earlier payment's creditor pays `share_bp` of it on, to `to` (back to the
    /// debtor makes a round trip, elsewhere a pass-through or a longer cycle).
    Onward {
        back: usize,
        to: Option<usize>,
        share_bp: u128,
    },
    /// The hub's tick: the monitor's time moves without a payment.
    Tick,
    /// The hub restarts from a snapshot of the monitor.
    Restore,
}

fn step() -> impl Strategy<Value = Step> {
    let pay = (
        0usize..6,
        0usize..6,
        amount(),
        prop_oneof![8 => Just(0usize), 1 => Just(1), 1 => Just(2)],
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(from, to, amount, currency, stripped, other_account)| Step::Pay {
                from,
                to,
                amount,
                currency,
                stripped,
                other_account,
            },
        );
    let onward = (
        0usize..8,
        prop::option::of(0usize..6),
        prop_oneof![Just(10_000u128), 8_500u128..11_500],
    )
        .prop_map(|(back, to, share_bp)| Step::Onward { back, to, share_bp });
    prop_oneof![
        12 => pay,
        6 => onward,
        1 => Just(Step::Tick),
        1 => Just(Step::Restore),
    ]
}

/// How long after the previous step the next one comes: seconds, minutes, hours, past a
/// whole window, exactly a window or a second either side, or before it (a clock set
/// back).
fn gap() -> impl Strategy<Value = i64> {
    prop_oneof![
        6 => 0i64..120,
        3 => 0i64..4_000,
        1 => 0i64..100_000,
        2 => prop::sample::select(vec![600i64, 3_600, 7_200, 86_400, 599, 3_599, 601, 3_601]),
        1 => -700i64..0,
    ]
}

/// The two monitors side by side.
struct Pair {
    monitor: AmlMonitor,
    reference: reference::monitor::AmlMonitor,
}

impl Pair {
    fn new(config: AmlConfig) -> Pair {
        Pair {
            monitor: AmlMonitor::new(config.clone()).unwrap(),
            reference: reference::monitor::AmlMonitor::new(config).unwrap(),
        }
    }

    fn snapshots(&self) -> (Vec<u8>, Vec<u8>) {
        (
            postcard::to_stdvec(&self.monitor).unwrap(),
            postcard::to_stdvec(&self.reference).unwrap(),
        )
    }
}

/// Plays `steps` into both monitors, checking alerts and snapshots after every step.
fn play(rules: SchemeRules, steps: &[(Step, i64)]) -> Result<BTreeSet<RuleKind>, TestCaseError> {
    let mut usd_rules = rules.clone();
    usd_rules.structuring.min_payments = 2;
    let config = AmlConfig {
        schemes: [(currency("EUR"), rules), (currency("USD"), usd_rules)]
            .into_iter()
            .collect(),
    };
    let currencies = [currency("EUR"), currency("USD"), currency("GBP")];
    let mut pair = Pair::new(config);
    let mut seconds: u64 = 1_000_000;
    let mut sent: Vec<SettledPayment> = Vec::new();
    let mut kinds = BTreeSet::new();
    for (step, gap) in steps {
        seconds = seconds.saturating_add_signed(*gap);
        let payment = match step {
            Step::Tick => {
                pair.monitor.evict_idle(at(seconds));
                pair.reference.evict_idle(at(seconds));
                None
            }
            Step::Restore => {
                let (_, bytes) = pair.snapshots();
                pair.monitor = postcard::from_bytes(&bytes).unwrap();
                None
            }
            Step::Pay {
                from,
                to,
                amount,
                currency,
                stripped,
                other_account,
            } => {
                let id = sent.len() as u64 + 1;
                let mut payment = pay(id, seconds, &HOLDERS[*from], &HOLDERS[*to], *amount);
                payment.currency = currencies[*currency];
                if *stripped {
                    payment.originator = OriginatorData::default();
                }
                if *other_account {
                    payment.debtor.account = AccountNumber::Other(format!("ACC {from}"));
                }
                Some(payment)
            }
            Step::Onward { back, to, share_bp } => {
                let Some(earlier) = sent.iter().rev().nth(*back) else {
                    continue;
                };
                let mut payment = earlier.clone();
                payment.payment_id = sent.len() as u64 + 1;
                payment.settled_at = at(seconds);
                payment.amount = (earlier.amount / 10_000).saturating_mul(*share_bp);
                std::mem::swap(&mut payment.debtor, &mut payment.creditor);
                std::mem::swap(&mut payment.debtor_agent, &mut payment.creditor_agent);
                if let Some(to) = to {
                    payment.debtor = earlier.creditor.clone();
                    payment.debtor_agent = earlier.creditor_agent;
                    payment.creditor = HOLDERS[*to].party();
                    payment.creditor_agent = HOLDERS[*to].agent();
                }
                Some(payment)
            }
        };
        if let Some(payment) = payment {
            let raised = pair.monitor.observe(&payment);
            let expected = pair.reference.observe(&payment);
            prop_assert_eq!(&raised, &expected, "payment {}", payment.payment_id);
            kinds.extend(raised.iter().map(|alert| alert.rule));
            sent.push(payment);
        }
        let (ours, theirs) = pair.snapshots();
        prop_assert!(ours == theirs, "state differs after {step:?}");
    }
    Ok(kinds)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn monitor_raises_the_same_alerts_as_the_reference_model(
        rules in rules(),
        steps in prop::collection::vec((step(), gap()), 0..250),
    ) {
        play(rules, &steps)?;
    }
}

/// The generated streams raise alerts of every rule, so the equivalence is not vacuous.
#[test]
fn the_streams_raise_every_kind_of_alert() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut kinds = BTreeSet::new();
    for _ in 0..40 {
        let rules = rules().new_tree(&mut runner).unwrap().current();
        let steps = prop::collection::vec((step(), gap()), 200..250)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        kinds.extend(play(rules, &steps).unwrap());
    }
    assert_eq!(kinds.len(), 6, "{kinds:?}");
}
