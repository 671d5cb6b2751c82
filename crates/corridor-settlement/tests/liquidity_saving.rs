//! Liquidity saving: offsetting on entry (at the head of the payee's queue, and extended),
//! the queue optimisation (all-or-nothing, partial, bilateral) resolving gridlock, and a
//! random simulation: no balance breaks its rule, no urgent or high payment is overtaken,
//! groups settle whole, and replay gives the same state.

mod support;

use corridor_core::Timestamp;
use corridor_ledger::StateMachine;
use corridor_settlement::{HubCommand, LiquiditySavingConfig, PaymentStatus, Priority, SettledBy};
use proptest::prelude::*;
use support::traffic::{command, op};
use support::*;

fn saving(offsetting: bool, interval: u32) -> HubCommand {
    HubCommand::ConfigureLiquiditySaving(LiquiditySavingConfig {
        offsetting,
        optimisation_interval_seconds: interval,
        max_steps: 100_000,
    })
}

fn status(b: &Bench, id: u64) -> PaymentStatus {
    b.hub.payment(id).unwrap().status
}

fn settled_by(b: &Bench, by: SettledBy) -> u128 {
    b.hub
        .settled_by(Some(rub()), None)
        .get(&(rub(), by))
        .map_or(0, |s| s.value)
}

#[test]
fn a_payment_offsets_against_the_payees_payment_back() {
    let mut b = Bench::standard();
    b.ok(saving(true, 0));
    let back = b.pay_ok(bank_b(), instruction("B1", bank_a(), "100.00", rub()));
    assert_eq!(back.status, PaymentStatus::Queued);
    let out = b.pay_ok(bank_a(), instruction("A1", bank_b(), "100.00", rub()));
    assert_eq!(out.status, PaymentStatus::Settled, "offset on entry");
    assert_eq!(status(&b, back.payment), PaymentStatus::Settled);
    assert_eq!(
        (b.balance(bank_a(), rub()), b.balance(bank_b(), rub())),
        (0, 0)
    );
    assert_eq!(settled_by(&b, SettledBy::Offsetting), 20_000);
    b.hub.check_invariants().unwrap();

    // Without offsetting the same two payments lock each other up.
    let mut plain = Bench::standard();
    plain.pay_ok(bank_b(), instruction("B1", bank_a(), "100.00", rub()));
    let out = plain.pay_ok(bank_a(), instruction("A1", bank_b(), "100.00", rub()));
    assert_eq!(out.status, PaymentStatus::Queued);
}

#[test]
fn extended_offsetting_reaches_into_the_payees_queue_only_as_far_as_it_must() {
    let mut b = Bench::standard();
    b.ok(saving(true, 0));
    b.fund(bank_b(), rub(), "50.00");
    // B's head is a payment to C it cannot make; behind it, two payments back to A.
    let head = b.pay_ok(bank_b(), instruction("B-C", bank_c(), "500.00", rub()));
    let back1 = b.pay_ok(bank_b(), instruction("B-A1", bank_a(), "30.00", rub()));
    let back2 = b.pay_ok(bank_b(), instruction("B-A2", bank_a(), "40.00", rub()));
    assert_eq!(status(&b, back1.payment), PaymentStatus::Queued);
    // A has nothing; its 60.00 is covered by B's 30.00 and 40.00 back.
    let out = b.pay_ok(bank_a(), instruction("A-B", bank_b(), "60.00", rub()));
    assert_eq!(out.status, PaymentStatus::Settled);
    assert_eq!(status(&b, back1.payment), PaymentStatus::Settled);
    assert_eq!(status(&b, back2.payment), PaymentStatus::Settled);
    assert_eq!(status(&b, head.payment), PaymentStatus::Queued);
    assert_eq!(b.balance(bank_a(), rub()), 1_000);
    assert_eq!(b.balance(bank_b(), rub()), 4_000);
    b.hub.check_invariants().unwrap();
}

#[test]
fn extended_offsetting_never_overtakes_an_urgent_payment_of_the_payee() {
    let mut b = Bench::standard();
    b.ok(saving(true, 0));
    b.pay_ok(
        bank_b(),
        with_priority(
            instruction("URGENT", bank_c(), "500.00", rub()),
            Priority::Urgent,
        ),
    );
    let back = b.pay_ok(bank_b(), instruction("BACK", bank_a(), "60.00", rub()));
    let out = b.pay_ok(bank_a(), instruction("OUT", bank_b(), "60.00", rub()));
    assert_eq!(out.status, PaymentStatus::Queued);
    assert_eq!(status(&b, back.payment), PaymentStatus::Queued);
}

#[test]
fn the_optimisation_resolves_a_ring_and_leaves_out_what_does_not_fit() {
    let mut b = Bench::standard();
    b.ok(saving(false, 1));
    let ring = [
        b.pay_ok(bank_a(), instruction("A-B", bank_b(), "100.00", rub())),
        b.pay_ok(bank_b(), instruction("B-C", bank_c(), "100.00", rub())),
        b.pay_ok(bank_c(), instruction("C-A", bank_a(), "100.00", rub())),
    ];
    // A's last payment cannot be covered by anything: algorithm 2 takes it out.
    let too_big = b.pay_ok(bank_a(), instruction("A-D", bank_d(), "1000.00", rub()));
    for r in &ring {
        assert_eq!(r.status, PaymentStatus::Queued);
    }
    b.advance(2);
    b.ok(HubCommand::Tick);
    for r in &ring {
        assert_eq!(status(&b, r.payment), PaymentStatus::Settled);
    }
    assert_eq!(status(&b, too_big.payment), PaymentStatus::Queued);
    assert_eq!(settled_by(&b, SettledBy::Partial), 30_000);
    assert_eq!(b.hub.queue_depth(), 1);
    b.hub.check_invariants().unwrap();
}

#[test]
fn a_whole_gridlocked_queue_settles_at_once() {
    let mut b = Bench::standard();
    b.ok(saving(false, 1));
    let banks = [bank_a(), bank_b(), bank_c(), bank_d()];
    let mut ids = Vec::new();
    for (i, from) in banks.iter().enumerate() {
        let to = banks[(i + 1) % banks.len()];
        ids.push(
            b.pay_ok(*from, instruction(&format!("R{i}"), to, "250.00", rub()))
                .payment,
        );
    }
    // With no more traffic, the node still knows when to tick for the next run.
    let due = b.hub.next_deadline().expect("a run is due");
    assert!(due <= Timestamp(b.now.0 + SECOND), "{due} after {}", b.now);
    b.advance(2);
    b.ok(HubCommand::Tick);
    assert!(
        ids.iter()
            .all(|id| status(&b, *id) == PaymentStatus::Settled)
    );
    assert_eq!(settled_by(&b, SettledBy::AllOrNothing), 100_000);
}

#[test]
fn pairs_settle_bilaterally_when_no_prefix_of_the_queues_can() {
    let mut b = Bench::standard();
    b.ok(saving(false, 1));
    // A's head payment to C cannot be covered, so no prefix of A's queue fits; A and B owe
    // each other the same behind it. Only the bilateral algorithm may pass A's head.
    let stuck = b.pay_ok(bank_a(), instruction("A-C", bank_c(), "900.00", rub()));
    let ab = b.pay_ok(bank_a(), instruction("A-B", bank_b(), "100.00", rub()));
    let ba = b.pay_ok(bank_b(), instruction("B-A", bank_a(), "100.00", rub()));
    b.advance(2);
    b.ok(HubCommand::Tick);
    assert_eq!(status(&b, ab.payment), PaymentStatus::Settled);
    assert_eq!(status(&b, ba.payment), PaymentStatus::Settled);
    assert_eq!(status(&b, stuck.payment), PaymentStatus::Queued);
    assert_eq!(settled_by(&b, SettledBy::Bilateral), 20_000);
    assert_eq!(settled_by(&b, SettledBy::Partial), 0);
    b.hub.check_invariants().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn groups_never_break_a_balance_or_overtake_and_replay_agrees(
        ops in prop::collection::vec(op(), 1..80),
    ) {
        let mut b = Bench::standard();
        b.ok(saving(true, 1));
        let mut commands = Vec::new();
        for (n, op) in ops.into_iter().enumerate() {
            let command = command(&mut b, n, op);
            let before = b.now;
            let _ = b.run(command.clone());
            commands.push((b.now, command));
            b.hub.check_invariants().map_err(TestCaseError::fail)?;
            // No payment settled in this step overtook an earlier one of its payer still
            // queued with the same or a higher priority (normal ones may pass normal ones).
            let count = b.hub.payment_count() as u64;
            for x in 1..=count {
                let p = b.hub.payment(x).unwrap();
                let Some(at) = p.settled_at else { continue };
                if at <= before { continue; }
                for q in 1..x {
                    let earlier = b.hub.payment(q).unwrap();
                    let blocked = earlier.sender == p.sender
                        && earlier.status == PaymentStatus::Queued
                        && earlier.instruction.priority >= p.instruction.priority
                        && !(earlier.instruction.priority == Priority::Normal
                            && p.instruction.priority == Priority::Normal);
                    prop_assert!(!blocked, "payment {} overtook {}", x, q);
                }
            }
        }
        // Replay: the same commands at the same instants give the same state.
        let mut again = Bench::standard();
        again.ok(saving(true, 1));
        for (at, command) in &commands {
            let _ = again.hub.execute(command, *at);
        }
        prop_assert_eq!(again.hub.state_hash(), b.hub.state_hash());
    }
}

#[test]
fn liquidity_used_is_the_largest_net_debit_of_each_account_and_starts_again_each_day() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    b.pay_ok(bank_a(), instruction("U1", bank_b(), "60.00", rub()));
    b.pay_ok(bank_b(), instruction("U2", bank_a(), "60.00", rub()));
    b.pay_ok(bank_a(), instruction("U3", bank_b(), "30.00", rub()));
    // A went 60.00 down, back to 0, then 30.00 down: its peak is 60.00; B never owed.
    assert_eq!(b.hub.settled_today(rub(), None), (15_000, 6_000));
    assert_eq!(b.hub.settled_today(rub(), Some(bank_b())), (6_000, 0));
    assert_eq!(b.hub.settled_today(rub(), Some(bank_a())), (9_000, 6_000));
    // Offset on entry, two payments that cancel out use no liquidity at all.
    b.ok(saving(true, 0));
    b.pay_ok(bank_c(), instruction("U4", bank_d(), "500.00", rub()));
    b.pay_ok(bank_d(), instruction("U5", bank_c(), "500.00", rub()));
    assert_eq!(b.hub.settled_today(rub(), None), (115_000, 6_000));
    b.ok(HubCommand::CloseBusinessDay {
        date: "2023-11-14".into(),
        at: b.now,
    });
    assert_eq!(b.hub.settled_today(rub(), None), (0, 0));
}

#[test]
fn the_operator_runs_one_algorithm_alone() {
    let run = |algorithm| HubCommand::RunOptimisation {
        currency: rub(),
        algorithm: Some(algorithm),
    };
    let mut b = Bench::standard();
    let ring = [
        b.pay_ok(bank_a(), instruction("A-B", bank_b(), "100.00", rub())),
        b.pay_ok(bank_b(), instruction("B-C", bank_c(), "100.00", rub())),
        b.pay_ok(bank_c(), instruction("C-A", bank_a(), "100.00", rub())),
    ];
    // A ring of three has no pair paying both ways: the bilateral algorithm finds nothing.
    b.ok(run(corridor_settlement::Algorithm::Bilateral));
    assert!(
        ring.iter()
            .all(|r| status(&b, r.payment) == PaymentStatus::Queued)
    );
    b.ok(run(corridor_settlement::Algorithm::AllOrNothing));
    assert!(
        ring.iter()
            .all(|r| status(&b, r.payment) == PaymentStatus::Settled)
    );
    assert_eq!(settled_by(&b, SettledBy::AllOrNothing), 30_000);
    let refused = b.err(HubCommand::RunOptimisation {
        currency: ccy("XXX"),
        algorithm: None,
    });
    assert_eq!(refused.code, "AM03", "{refused}");
}
