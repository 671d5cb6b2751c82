//! Each monitoring rule on a scenario that raises it and on the near miss that must not,
//! plus deduplication, eviction and the monitor's configuration checks.

mod common;

use common::*;
use corridor_aml::{
    AccountKey, AccountNumber, AmlConfig, AmlMonitor, ConfigError, OriginatorData, RuleKind,
    SchemeRules,
};

const HOUR: u64 = 3_600;
const DAY: u64 = 86_400;

fn key(holder: &Holder) -> AccountKey {
    AccountKey::Iban(holder.iban.to_owned())
}

fn structuring_rules() -> SchemeRules {
    let mut rules = silent_rules();
    rules.structuring.reporting_threshold = 1_000_000;
    rules.structuring.margin_bp = 1_000;
    rules.structuring.min_payments = 3;
    rules.structuring.window_seconds = DAY as u32;
    rules
}

#[test]
fn three_payments_just_under_the_threshold_are_structuring() {
    let mut monitor = monitor(structuring_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 950_000),
            pay(2, HOUR, &ALICE, &CAROL, 900_000),
            pay(3, 2 * HOUR, &ALICE, &DAVE, 999_999),
        ],
    );
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    assert_eq!((alert.id, alert.rule), (1, RuleKind::Structuring));
    assert_eq!(alert.subject, key(&ALICE));
    assert_eq!(alert.raised_at, at(2 * HOUR));
    assert_eq!(alert.evidence, vec![1, 2, 3]);
    assert_eq!(
        alert.detail,
        "3 payments from DE89370400440532013000 within 1 day, each at least 9000.00 EUR and \
         under the reporting threshold of 10000.00 EUR (margin 1000 bp, alert from 3 payments): \
         9500.00 EUR, 9000.00 EUR, 9999.99 EUR"
    );
}

#[test]
fn payments_at_the_threshold_are_not_structuring() {
    let mut monitor = monitor(structuring_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 950_000),
            pay(2, HOUR, &ALICE, &BOB, 990_000),
            pay(3, 2 * HOUR, &ALICE, &BOB, 1_000_000),
            pay(4, 3 * HOUR, &ALICE, &BOB, 899_999),
        ],
    );
    assert_eq!(alerts, vec![]);
}

#[test]
fn payments_spread_beyond_the_window_are_not_structuring() {
    let mut monitor = monitor(structuring_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 950_000),
            pay(2, 12 * HOUR, &ALICE, &BOB, 950_000),
            pay(3, DAY + 1, &ALICE, &BOB, 950_000),
        ],
    );
    assert_eq!(alerts, vec![]);
}

#[test]
fn structuring_is_not_raised_again_on_evidence_an_alert_covers() {
    let mut monitor = monitor(structuring_rules());
    let first = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 950_000),
            pay(2, HOUR, &ALICE, &BOB, 950_000),
            pay(3, 2 * HOUR, &ALICE, &BOB, 950_000),
        ],
    );
    assert_eq!(first.len(), 1);
    let overlapping = monitor.observe(&pay(4, 3 * HOUR, &ALICE, &BOB, 950_000));
    assert_eq!(overlapping, vec![], "payments 1-3 are already covered");
    let fresh = observe_all(
        &mut monitor,
        &[
            pay(5, 2 * DAY, &ALICE, &BOB, 950_000),
            pay(6, 2 * DAY + HOUR, &ALICE, &BOB, 950_000),
            pay(7, 2 * DAY + 2 * HOUR, &ALICE, &BOB, 950_000),
        ],
    );
    assert_eq!(fresh.len(), 1);
    assert_eq!((fresh[0].id, fresh[0].evidence.clone()), (2, vec![5, 6, 7]));
}

fn velocity_rules() -> SchemeRules {
    let mut rules = silent_rules();
    rules.velocity.window_seconds = HOUR as u32;
    rules.velocity.trailing_windows = 4;
    rules.velocity.spike_multiple_bp = 30_000;
    rules.velocity.min_baseline_count = 2;
    rules.velocity.min_baseline_value = 100_000_000;
    rules
}

/// One payment an hour for four hours, then `burst` payments in the fifth hour.
fn hourly_then_burst(burst: u64) -> Vec<corridor_aml::SettledPayment> {
    let history = (0..4).map(|hour| pay(hour + 1, hour * HOUR, &ALICE, &BOB, 10_000));
    let spike = (0..burst).map(|n| pay(10 + n, 4 * HOUR + n, &ALICE, &BOB, 10_000));
    history.chain(spike).collect()
}

#[test]
fn a_burst_above_the_multiple_of_the_average_is_a_velocity_spike() {
    let mut monitor = monitor(velocity_rules());
    let alerts = observe_all(&mut monitor, &hourly_then_burst(7));
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    assert_eq!(
        (alert.rule, alert.subject.clone()),
        (RuleKind::VelocitySpike, key(&ALICE))
    );
    assert_eq!(alert.evidence, (10..17).collect::<Vec<u64>>());
    assert_eq!(
        alert.detail,
        "count spike: 7 payments totalling 700.00 EUR from DE89370400440532013000 in the \
         current 1 hour window; the previous 4 windows held 4 payments totalling 400.00 EUR \
         (average taken as at least 2 payments and 1000000.00 EUR a window); a spike is above 3.00x the average"
    );
}

#[test]
fn a_burst_at_the_multiple_of_the_average_is_not_a_velocity_spike() {
    let mut monitor = monitor(velocity_rules());
    assert_eq!(observe_all(&mut monitor, &hourly_then_burst(6)), vec![]);
}

#[test]
fn a_new_account_within_the_baseline_floor_is_not_a_velocity_spike() {
    let mut monitor = monitor(velocity_rules());
    let burst: Vec<_> = (0..6)
        .map(|n| pay(n + 1, n, &ALICE, &BOB, 10_000))
        .collect();
    assert_eq!(observe_all(&mut monitor, &burst), vec![]);
}

#[test]
fn a_value_spike_counts_even_at_an_ordinary_count() {
    let mut rules = velocity_rules();
    rules.velocity.min_baseline_count = u64::MAX;
    rules.velocity.min_baseline_value = 100_000;
    let mut monitor = monitor(rules);
    let mut payments: Vec<_> = (0..4)
        .map(|hour| pay(hour + 1, hour * HOUR, &ALICE, &BOB, 10_000))
        .collect();
    payments.push(pay(9, 4 * HOUR, &ALICE, &BOB, 300_001));
    let alerts = observe_all(&mut monitor, &payments);
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].evidence, vec![9]);
    assert!(
        alerts[0]
            .detail
            .starts_with("value spike: 1 payment totalling 3000.01 EUR")
    );
}

fn round_trip_rules() -> SchemeRules {
    let mut rules = silent_rules();
    rules.round_trip.window_seconds = DAY as u32;
    rules.round_trip.tolerance_bp = 500;
    rules.round_trip.min_amount = 100_000;
    rules
}

#[test]
fn money_paid_straight_back_is_a_round_trip() {
    let mut monitor = monitor(round_trip_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 1_000_000),
            pay(2, HOUR, &BOB, &ALICE, 970_000),
        ],
    );
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    assert_eq!(
        (alert.rule, alert.subject.clone()),
        (RuleKind::RoundTrip, key(&ALICE))
    );
    assert_eq!(alert.evidence, vec![1, 2]);
    assert_eq!(
        alert.detail,
        "funds back at DE89370400440532013000 within 1 day through 2 legs: \
         DE89370400440532013000 paid 10000.00 EUR (payment 1), then \
         FR1420041010050500013M02606 paid 9700.00 EUR (payment 2); each leg within 500 bp of \
         the first, first leg at least 1000.00 EUR"
    );
}

#[test]
fn money_back_through_one_intermediate_is_a_round_trip() {
    let mut monitor = monitor(round_trip_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 1_000_000),
            pay(2, HOUR, &BOB, &CAROL, 990_000),
            pay(3, 2 * HOUR, &CAROL, &DAVE, 10_000),
            pay(4, 3 * HOUR, &CAROL, &ALICE, 960_000),
        ],
    );
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].subject, key(&ALICE));
    assert_eq!(alerts[0].evidence, vec![1, 2, 4]);
    assert!(alerts[0].detail.contains(
        "through 3 legs: DE89370400440532013000 paid 10000.00 EUR (payment 1), then \
         FR1420041010050500013M02606 paid 9900.00 EUR (payment 2), then \
         GB29NWBK60161331926819 paid 9600.00 EUR (payment 4)"
    ));
}

#[test]
fn a_return_leg_outside_the_tolerance_is_not_a_round_trip() {
    let mut monitor = monitor(round_trip_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 1_000_000),
            pay(2, HOUR, &BOB, &ALICE, 949_999),
            pay(3, 2 * HOUR, &BOB, &CAROL, 1_000_000),
            pay(4, 3 * HOUR, &CAROL, &ALICE, 1_050_001),
        ],
    );
    assert_eq!(alerts, vec![]);
}

#[test]
fn a_return_after_the_window_is_not_a_round_trip() {
    let mut monitor = monitor(round_trip_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 1_000_000),
            pay(2, DAY + 1, &BOB, &ALICE, 1_000_000),
        ],
    );
    assert_eq!(alerts, vec![]);
}

fn pass_through_rules() -> SchemeRules {
    let mut rules = silent_rules();
    rules.pass_through.window_seconds = DAY as u32;
    rules.pass_through.onward_share_bp = 9_000;
    rules.pass_through.min_inflow = 1_000_000;
    rules
}

#[test]
fn sending_on_most_of_what_came_in_is_pass_through() {
    let mut monitor = monitor(pass_through_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 600_000),
            pay(2, HOUR, &CAROL, &BOB, 400_000),
            pay(3, 2 * HOUR, &BOB, &DAVE, 950_000),
        ],
    );
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    assert_eq!(
        (alert.rule, alert.subject.clone()),
        (RuleKind::PassThrough, key(&BOB))
    );
    assert_eq!(alert.evidence, vec![1, 2, 3]);
    assert_eq!(
        alert.detail,
        "FR1420041010050500013M02606 received 10000.00 EUR in 2 payments and sent on 9500.00 \
         EUR (9500 bp) in 1 payment within 1 day; the rule flags at least 9000 bp of an inflow \
         of at least 10000.00 EUR"
    );
}

#[test]
fn sending_on_less_than_the_share_is_not_pass_through() {
    let mut monitor = monitor(pass_through_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 1_000_000),
            pay(2, HOUR, &BOB, &DAVE, 899_999),
        ],
    );
    assert_eq!(alerts, vec![]);
}

#[test]
fn a_small_inflow_sent_on_is_not_pass_through() {
    let mut monitor = monitor(pass_through_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 999_999),
            pay(2, HOUR, &BOB, &DAVE, 999_999),
        ],
    );
    assert_eq!(alerts, vec![]);
}

fn new_counterparty_rules() -> SchemeRules {
    let mut rules = silent_rules();
    rules.new_counterparty.threshold = 5_000_000;
    rules.new_counterparty.memory_seconds = 30 * DAY as u32;
    rules
}

#[test]
fn a_large_first_payment_to_a_creditor_is_a_new_counterparty_alert() {
    let mut monitor = monitor(new_counterparty_rules());
    let alerts = monitor.observe(&pay(1, 0, &ALICE, &BOB, 5_000_000));
    assert_eq!(alerts.len(), 1);
    assert_eq!(
        (alerts[0].rule, alerts[0].subject.clone()),
        (RuleKind::NewCounterparty, key(&ALICE))
    );
    assert_eq!(alerts[0].evidence, vec![1]);
    assert_eq!(
        alerts[0].detail,
        "first payment from DE89370400440532013000 to FR1420041010050500013M02606 in 30 days: \
         50000.00 EUR, at or above the 50000.00 EUR threshold for a new counterparty"
    );
}

#[test]
fn a_large_payment_to_a_known_creditor_is_not_a_new_counterparty_alert() {
    let mut monitor = monitor(new_counterparty_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 4_999_999),
            pay(2, 29 * DAY, &ALICE, &BOB, 9_000_000),
        ],
    );
    assert_eq!(alerts, vec![]);
}

#[test]
fn a_creditor_not_paid_within_the_memory_is_new_again() {
    let mut monitor = monitor(new_counterparty_rules());
    let alerts = observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 100),
            pay(2, 30 * DAY + 1, &ALICE, &BOB, 9_000_000),
        ],
    );
    assert_eq!(
        alerts
            .iter()
            .map(|a| a.evidence.clone())
            .collect::<Vec<_>>(),
        vec![vec![2]]
    );
}

fn originator_rules() -> SchemeRules {
    let mut rules = silent_rules();
    rules.originator_data.de_minimis = 100_000;
    rules
}

#[test]
fn a_wire_without_originator_name_or_account_is_flagged() {
    let mut monitor = monitor(originator_rules());
    let mut payment = pay(1, 0, &ALICE, &BOB, 100_000);
    payment.originator.originator_name = None;
    payment.originator.originator_account = Some(AccountNumber::Iban("  ".to_owned()));
    let alerts = monitor.observe(&payment);
    assert_eq!(alerts.len(), 1);
    assert_eq!(
        (alerts[0].rule, alerts[0].subject.clone()),
        (RuleKind::OriginatorData, key(&ALICE))
    );
    assert_eq!(alerts[0].evidence, vec![1]);
    assert_eq!(
        alerts[0].detail,
        "wire of 1000.00 EUR from COBADEFF to BNPAFRPP at or above the de minimis 1000.00 EUR \
         (FATF R.16): originator name missing; originator account missing"
    );
}

#[test]
fn an_originator_who_is_not_the_account_holder_is_flagged() {
    let mut monitor = monitor(originator_rules());
    let mut payment = pay(1, 0, &ALICE, &BOB, 250_000);
    payment.originator.originator_name = Some("Mallory Example".to_owned());
    payment.originator.originator_account = Some(AccountNumber::Iban(CAROL.iban.to_owned()));
    let alerts = monitor.observe(&payment);
    assert_eq!(
        alerts[0].detail,
        "wire of 2500.00 EUR from COBADEFF to BNPAFRPP at or above the de minimis 1000.00 EUR \
         (FATF R.16): originator name \"Mallory Example\" is not the account holder's name \
         \"Alice Example\"; originator account \"GB29NWBK60161331926819\" is not the account \
         debited \"DE89370400440532013000\""
    );
}

#[test]
fn a_wire_carrying_nothing_lists_every_missing_element() {
    let mut monitor = monitor(originator_rules());
    let mut payment = pay(1, 0, &ALICE, &BOB, 250_000);
    payment.originator = OriginatorData::default();
    let alerts = monitor.observe(&payment);
    assert!(alerts[0].detail.ends_with(
        "originator name missing; originator account missing; originator address, national \
         identity number, customer identification number or date and place of birth missing; \
         beneficiary name missing; beneficiary account missing"
    ));
}

#[test]
fn a_wire_under_the_de_minimis_is_not_checked_for_originator_data() {
    let mut monitor = monitor(originator_rules());
    let mut payment = pay(1, 0, &ALICE, &BOB, 99_999);
    payment.originator = OriginatorData::default();
    assert_eq!(monitor.observe(&payment), vec![]);
}

#[test]
fn the_holder_name_in_another_order_and_case_is_consistent() {
    let mut monitor = monitor(originator_rules());
    let mut payment = pay(1, 0, &ALICE, &BOB, 5_000_000);
    payment.originator.originator_name = Some("EXAMPLE, alice".to_owned());
    payment.originator.originator_account = Some(AccountNumber::Iban(
        "de89 3704 0044 0532 0130 00".to_owned(),
    ));
    assert_eq!(monitor.observe(&payment), vec![]);
}

#[test]
fn a_domestic_wire_is_not_checked_when_the_rule_is_cross_border_only() {
    let mut monitor = monitor(originator_rules());
    let mut payment = pay(1, 0, &ALICE, &BOB, 500_000);
    payment.creditor_agent = "DEUTDEFF".parse().unwrap();
    payment.originator = OriginatorData::default();
    assert_eq!(monitor.observe(&payment), vec![]);
}

#[test]
fn idle_accounts_are_forgotten_once_every_window_has_passed() {
    let mut rules = structuring_rules();
    rules.velocity.window_seconds = HOUR as u32;
    rules.velocity.trailing_windows = 2;
    rules.round_trip.window_seconds = DAY as u32;
    rules.pass_through.window_seconds = HOUR as u32;
    rules.new_counterparty.memory_seconds = 2 * DAY as u32;
    assert_eq!(rules.retention_seconds(), 2 * DAY);
    let mut monitor = monitor(rules);
    observe_all(
        &mut monitor,
        &[
            pay(1, 0, &ALICE, &BOB, 100),
            pay(2, DAY, &CAROL, &DAVE, 100),
        ],
    );
    assert_eq!(monitor.tracked_accounts(), 4);
    monitor.evict_idle(at(2 * DAY));
    assert_eq!(
        monitor.tracked_accounts(),
        4,
        "alice and bob are still within the window"
    );
    monitor.observe(&pay(3, 2 * DAY + 1, &CAROL, &DAVE, 100));
    assert_eq!(
        monitor.tracked_accounts(),
        2,
        "alice and bob idle for longer than 2 days"
    );
    monitor.evict_idle(at(5 * DAY));
    assert_eq!(monitor.tracked_accounts(), 0);
}

#[test]
fn a_busy_account_keeps_only_its_window() {
    let mut monitor = monitor(structuring_rules());
    for n in 0..500 {
        monitor.observe(&pay(n + 1, n * HOUR, &ALICE, &BOB, 100));
    }
    let snapshot = postcard::to_stdvec(&monitor).unwrap();
    let mut fresh = common::monitor(structuring_rules());
    fresh.observe(&pay(1, 0, &ALICE, &BOB, 100));
    let one_payment = postcard::to_stdvec(&fresh).unwrap().len();
    assert!(
        snapshot.len() < one_payment * 400,
        "{} bytes for 500 payments over 500 hours, {one_payment} for one",
        snapshot.len()
    );
}

#[test]
fn a_payment_in_a_currency_without_rules_is_counted_not_monitored() {
    let mut monitor = monitor(structuring_rules());
    let mut payment = pay(1, 0, &ALICE, &BOB, 950_000);
    payment.currency = "USD".parse().unwrap();
    assert_eq!(monitor.observe(&payment), vec![]);
    assert_eq!(
        (monitor.unmonitored_payments(), monitor.tracked_accounts()),
        (1, 0)
    );
}

#[test]
fn a_margin_above_the_whole_is_refused() {
    let mut rules = SchemeRules::default();
    rules.structuring.margin_bp = 10_001;
    let config = AmlConfig::default().with_scheme(eur(), rules);
    assert_eq!(
        AmlMonitor::new(config),
        Err(ConfigError::Invalid {
            currency: eur(),
            problem: "structuring margin_bp is above 10000"
        })
    );
    assert!(AmlMonitor::new(AmlConfig::default()).is_ok());
}

#[test]
fn a_monitor_restored_from_its_snapshot_carries_on_alike() {
    let mut rules = structuring_rules();
    rules.round_trip = round_trip_rules().round_trip;
    let payments = [
        pay(1, 0, &ALICE, &BOB, 950_000),
        pay(2, HOUR, &ALICE, &BOB, 950_000),
        pay(3, 2 * HOUR, &BOB, &ALICE, 950_000),
        pay(4, 3 * HOUR, &ALICE, &BOB, 950_000),
    ];
    let mut original = monitor(rules);
    observe_all(&mut original, &payments[..2]);
    let bytes = postcard::to_stdvec(&original).unwrap();
    let mut restored: AmlMonitor = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(restored, original);
    let rest = observe_all(&mut original, &payments[2..]);
    assert_eq!(observe_all(&mut restored, &payments[2..]), rest);
    let raised: Vec<_> = rest
        .iter()
        .map(|a| (a.id, a.rule, a.evidence.clone()))
        .collect();
    assert_eq!(
        raised,
        vec![
            (1, RuleKind::RoundTrip, vec![2, 3]),
            (2, RuleKind::Structuring, vec![1, 2, 4]),
            (3, RuleKind::RoundTrip, vec![3, 4]),
        ]
    );
}
