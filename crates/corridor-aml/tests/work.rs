//! The monitor's work per payment does not grow with an account's history: one pair of
//! accounts paying every second for more than a day, just under the reporting threshold
//! among other amounts, with money sent on and back round a cycle, reads about as many
//! window elements per payment after 100,000 payments as after 100. Counted, not timed.

mod common;

use common::*;
use corridor_aml::{AmlMonitor, SchemeRules};

/// Ordinary, just-under-the-threshold and large amounts in turn.
const AMOUNTS: [u128; 5] = [950_000, 120_000, 5_000_000, 30_000, 990_000];
const LARGE: u128 = 5_000_000;

/// Payment `n` (from 0), one a second: Alice pays Bob; every tenth, Bob pays Carol a
/// large amount, and every fiftieth, Carol pays as much back to Alice (a round trip).
fn payment(n: u64) -> corridor_aml::SettledPayment {
    let id = n + 1;
    if n % 50 == 49 {
        return pay(id, n, &CAROL, &ALICE, LARGE);
    }
    if n % 10 == 9 {
        return pay(id, n, &BOB, &CAROL, LARGE);
    }
    pay(id, n, &ALICE, &BOB, AMOUNTS[(n % 5) as usize])
}

/// Elements read per payment over payments `from..from + 100`, playing all before them.
fn read_per_payment(monitor: &mut AmlMonitor, next: &mut u64, from: u64) -> u64 {
    while *next < from {
        monitor.observe(&payment(*next));
        *next += 1;
    }
    let before = monitor.elements_read();
    while *next < from + 100 {
        monitor.observe(&payment(*next));
        *next += 1;
    }
    (monitor.elements_read() - before) / 100
}

#[test]
fn work_per_payment_stays_flat_as_one_pairs_history_grows() {
    let mut monitor = monitor(SchemeRules::default());
    let mut next = 0;
    let early = read_per_payment(&mut monitor, &mut next, 100);
    let late = read_per_payment(&mut monitor, &mut next, 100_000);
    let alerts = monitor.last_alert_id();
    println!(
        "{early} elements read per payment after 100 payments, {late} after 100,000; {alerts} alerts"
    );
    assert!(alerts > 1_000, "the rules fire: {alerts} alerts");
    // A binary search over 100,000 flows reads about 17 elements where one over 100 reads
    // 7; everything else is the same.
    assert!(late <= early + 40, "{early} per payment early, {late} late");
}
