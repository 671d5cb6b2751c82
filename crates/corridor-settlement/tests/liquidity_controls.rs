//! Limits and reservations: a normal payment never uses liquidity reserved for urgent or
//! high payments, nor takes a position above a bilateral or multilateral limit, whether it
//! settles alone or in a group; bad requests are refused with a reason and change nothing;
//! a random simulation checks the rules after every command and that replay agrees.

mod support;

use std::collections::BTreeMap;

use corridor_core::Bic;
use corridor_ledger::StateMachine;
use corridor_settlement::{
    BilateralLimitRequest, HubCommand, LiquidityControlsRequest, LiquiditySavingConfig,
    PaymentStatus, Priority,
};
use proptest::prelude::*;
use support::traffic::{command, op};
use support::*;

fn controls(bank: Bic, request: LiquidityControlsRequest, by: Option<Bic>) -> HubCommand {
    HubCommand::SetLiquidityControls {
        participant: bank,
        currency: rub(),
        controls: request,
        requested_by: by,
    }
}

fn reserves(urgent: &str, high: &str) -> LiquidityControlsRequest {
    LiquidityControlsRequest {
        urgent_reserve: Some(urgent.into()),
        high_reserve: Some(high.into()),
        ..LiquidityControlsRequest::default()
    }
}

fn bilateral(toward: Bic, limit: &str) -> LiquidityControlsRequest {
    LiquidityControlsRequest {
        bilateral_limits: vec![BilateralLimitRequest {
            counterparty: toward,
            limit: limit.into(),
        }],
        ..LiquidityControlsRequest::default()
    }
}

fn status(b: &Bench, id: u64) -> PaymentStatus {
    b.hub.payment(id).unwrap().status
}

#[test]
fn a_normal_payment_leaves_the_reserves_alone_and_an_urgent_one_may_use_them() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    b.ok(controls(
        bank_a(),
        reserves("30.00", "20.00"),
        Some(bank_a()),
    ));
    let normal = b.pay_ok(bank_a(), instruction("N", bank_b(), "60.00", rub()));
    assert_eq!(
        normal.status,
        PaymentStatus::Queued,
        "60 > 100 - 50 reserved"
    );
    let high = b.pay_ok(
        bank_a(),
        with_priority(instruction("H", bank_b(), "70.00", rub()), Priority::High),
    );
    assert_eq!(high.status, PaymentStatus::Settled, "70 <= 100 - 30");
    let urgent = b.pay_ok(
        bank_a(),
        with_priority(instruction("U", bank_b(), "30.00", rub()), Priority::Urgent),
    );
    assert_eq!(urgent.status, PaymentStatus::Settled);
    assert_eq!(b.balance(bank_a(), rub()), 0);
    // Lowering the reserves lets the queued normal payment go once there is money for it.
    b.ok(controls(bank_a(), reserves("0", "0"), None));
    b.fund(bank_a(), rub(), "60.00");
    assert_eq!(status(&b, normal.payment), PaymentStatus::Settled);
    b.hub.check_invariants().unwrap();
}

#[test]
fn a_bilateral_limit_holds_normal_payments_until_the_counterparty_pays_back() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "1000.00");
    b.fund(bank_b(), rub(), "1000.00");
    b.ok(controls(
        bank_a(),
        bilateral(bank_b(), "100.00"),
        Some(bank_a()),
    ));
    let first = b.pay_ok(bank_a(), instruction("A1", bank_b(), "80.00", rub()));
    assert_eq!(first.status, PaymentStatus::Settled);
    let second = b.pay_ok(bank_a(), instruction("A2", bank_b(), "50.00", rub()));
    assert_eq!(second.status, PaymentStatus::Queued, "80 + 50 > 100");
    // Toward another bank there is no limit.
    let other = b.pay_ok(
        bank_a(),
        with_priority(instruction("A3", bank_c(), "10.00", rub()), Priority::High),
    );
    assert_eq!(other.status, PaymentStatus::Settled);
    let urgent = b.pay_ok(
        bank_a(),
        with_priority(
            instruction("A4", bank_b(), "500.00", rub()),
            Priority::Urgent,
        ),
    );
    assert_eq!(
        urgent.status,
        PaymentStatus::Settled,
        "limits bind normal payments"
    );
    // B pays A 40.00: the position falls to 40.00 and the queued 50.00 fits.
    b.pay_ok(bank_b(), instruction("B1", bank_a(), "40.00", rub()));
    assert_eq!(status(&b, second.payment), PaymentStatus::Settled);
    let (_, positions) = b.hub.liquidity_controls(bank_a(), rub()).unwrap();
    assert_eq!(positions.bilateral[&bank_b()], 8_000 - 4_000 + 5_000);
    b.hub.check_invariants().unwrap();
}

#[test]
fn a_multilateral_limit_counts_every_counterparty_without_a_bilateral_one() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "1000.00");
    let request = LiquidityControlsRequest {
        multilateral_limit: Some("100.00".into()),
        ..bilateral(bank_b(), "500.00")
    };
    b.ok(controls(bank_a(), request, None));
    assert_eq!(
        b.pay_ok(bank_a(), instruction("C", bank_c(), "60.00", rub()))
            .status,
        PaymentStatus::Settled
    );
    assert_eq!(
        b.pay_ok(bank_a(), instruction("D", bank_d(), "60.00", rub()))
            .status,
        PaymentStatus::Queued,
        "60 + 60 toward C and D > 100"
    );
    let to_b = b.pay_ok(bank_a(), instruction("B", bank_b(), "300.00", rub()));
    assert_eq!(
        to_b.status,
        PaymentStatus::Queued,
        "no overtaking the queued normal payment"
    );
}

#[test]
fn the_optimisation_keeps_to_the_limits() {
    let mut b = Bench::standard();
    b.ok(HubCommand::ConfigureLiquiditySaving(
        LiquiditySavingConfig {
            offsetting: false,
            optimisation_interval_seconds: 1,
            max_steps: 1_000,
        },
    ));
    // A ring A -> B -> C -> A of 100.00 with no money: all-or-nothing settles it, unless A's
    // limit toward B is below 100.00.
    b.ok(controls(
        bank_a(),
        bilateral(bank_b(), "99.99"),
        Some(bank_a()),
    ));
    let ring = [
        b.pay_ok(bank_a(), instruction("A-B", bank_b(), "100.00", rub())),
        b.pay_ok(bank_b(), instruction("B-C", bank_c(), "100.00", rub())),
        b.pay_ok(bank_c(), instruction("C-A", bank_a(), "100.00", rub())),
    ];
    b.advance(2);
    b.ok(HubCommand::Tick);
    assert!(
        ring.iter()
            .all(|r| status(&b, r.payment) == PaymentStatus::Queued)
    );
    b.ok(controls(
        bank_a(),
        bilateral(bank_b(), "100.00"),
        Some(bank_a()),
    ));
    b.advance(2);
    b.ok(HubCommand::Tick);
    assert!(
        ring.iter()
            .all(|r| status(&b, r.payment) == PaymentStatus::Settled)
    );
    b.hub.check_invariants().unwrap();
}

#[test]
fn positions_start_again_with_the_business_day() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "1000.00");
    b.ok(controls(bank_a(), bilateral(bank_b(), "100.00"), None));
    b.pay_ok(bank_a(), instruction("A1", bank_b(), "100.00", rub()));
    let next = b.pay_ok(bank_a(), instruction("A2", bank_b(), "100.00", rub()));
    assert_eq!(next.status, PaymentStatus::Queued);
    b.ok(HubCommand::CloseBusinessDay {
        date: "2023-11-14".into(),
        at: b.now,
    });
    let (_, positions) = b.hub.liquidity_controls(bank_a(), rub()).unwrap();
    assert_eq!(positions.total, 0);
    b.pay_ok(bank_b(), instruction("B1", bank_c(), "0.01", rub()));
    b.fund(bank_a(), rub(), "0.01");
    assert_eq!(status(&b, next.payment), PaymentStatus::Settled);
}

#[test]
fn bad_requests_are_refused_and_change_nothing() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    let before = b.hub.state_hash();
    let cases: Vec<(HubCommand, &str)> = vec![
        (
            controls(bank_b(), reserves("1.00", "0"), Some(bank_a())),
            "AG01",
        ),
        (controls(bank_a(), reserves("-1.00", "0"), None), "AM12"),
        (controls(bank_a(), reserves("1.001", "0"), None), "AM12"),
        (controls(bank_a(), reserves("60.00", "50.00"), None), "AM04"),
        (controls(bank_a(), bilateral(bank_b(), "-5"), None), "AM12"),
        (controls(bank_a(), bilateral(bank_b(), "1e3"), None), "AM12"),
        (
            controls(bank_a(), bilateral(bank_a(), "10.00"), None),
            "FF01",
        ),
        (
            controls(bank_a(), bilateral(bic("ZZZZRUMM"), "10.00"), None),
            "NOTF",
        ),
        (
            controls(bic("ZZZZRUMM"), reserves("1.00", "0"), None),
            "NOTF",
        ),
    ];
    for (command, code) in cases {
        let refused = b.err(command.clone());
        assert_eq!(refused.code, code, "{command:?}: {refused}");
        assert!(!refused.message.is_empty());
    }
    let twice = LiquidityControlsRequest {
        bilateral_limits: [
            bilateral(bank_b(), "1.00").bilateral_limits,
            bilateral(bank_b(), "2.00").bilateral_limits,
        ]
        .concat(),
        ..LiquidityControlsRequest::default()
    };
    assert_eq!(b.err(controls(bank_a(), twice, None)).code, "FF01");
    assert!(b.hub.liquidity_controls(bank_a(), rub()).is_none());
    assert_eq!(b.hub.state_hash(), before);
}

#[test]
fn the_setter_is_recorded() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    b.ok(controls(bank_a(), reserves("10.00", "0"), Some(bank_a())));
    let (c, _) = b.hub.liquidity_controls(bank_a(), rub()).unwrap();
    assert_eq!(c.set_by, format!("participant:{}", bank_a()));
    b.ok(controls(bank_a(), reserves("20.00", "0"), None));
    let (c, _) = b.hub.liquidity_controls(bank_a(), rub()).unwrap();
    assert_eq!((c.set_by.as_str(), c.urgent_reserve), ("operator", 2_000));
}

/// Each bank's net outflow of normal payments toward each other bank, from what settled.
fn positions(b: &Bench, banks: &[Bic]) -> BTreeMap<(Bic, Bic), i128> {
    let mut out = BTreeMap::new();
    for id in 1..=b.hub.payment_count() as u64 {
        let p = b.hub.payment(id).unwrap();
        if p.status != PaymentStatus::Settled || !banks.contains(&p.sender) {
            continue;
        }
        let amount = i128::try_from(p.amount).unwrap();
        if p.instruction.priority == Priority::Normal {
            *out.entry((p.sender, p.receiver())).or_default() += amount;
        }
        *out.entry((p.receiver(), p.sender)).or_default() -= amount;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn limits_and_reservations_hold_after_every_command_and_replay_agrees(
        ops in prop::collection::vec(op(), 1..80),
        limit in 50..400u16,
        reserve in 1..100u16,
    ) {
        let banks = [bank_a(), bank_b(), bank_c(), bank_d()];
        let setup = |b: &mut Bench| {
            b.ok(HubCommand::ConfigureLiquiditySaving(LiquiditySavingConfig {
                offsetting: true,
                optimisation_interval_seconds: 1,
                max_steps: 10_000,
            }));
            b.fund(bank_a(), rub(), &reserve.to_string());
            b.ok(controls(bank_a(), reserves(&reserve.to_string(), "0"), None));
            b.ok(controls(bank_b(), bilateral(bank_a(), &limit.to_string()), None));
            b.ok(controls(bank_c(), LiquidityControlsRequest {
                multilateral_limit: Some(limit.to_string()),
                ..LiquidityControlsRequest::default()
            }, None));
        };
        let mut b = Bench::standard();
        setup(&mut b);
        let limit = i128::from(limit) * 100;
        let mut commands = Vec::new();
        for (n, op) in ops.into_iter().enumerate() {
            let command = command(&mut b, n, op);
            let before = positions(&b, &banks);
            let before_at = b.now;
            let _ = b.run(command.clone());
            commands.push((b.now, command.clone()));
            b.hub.check_invariants().map_err(TestCaseError::fail)?;
            let after = positions(&b, &banks);
            let of = |m: &BTreeMap<(Bic, Bic), i128>, k| m.get(&k).copied().unwrap_or(0);
            // B's position toward A never rises above its limit.
            let (ba_before, ba_after) = (of(&before, (bank_b(), bank_a())), of(&after, (bank_b(), bank_a())));
            prop_assert!(ba_after <= limit || ba_after <= ba_before, "B toward A {} > {}", ba_after, limit);
            // C's position toward everyone neither.
            let total = |m: &BTreeMap<(Bic, Bic), i128>| banks.iter().map(|x| of(m, (bank_c(), *x))).sum::<i128>();
            prop_assert!(total(&after) <= limit || total(&after) <= total(&before));
            // A's normal payments never dig into its urgent reserve: whenever one settled
            // in this step (and no urgent or high one of A, which may use the reserve), A
            // holds at least the reserve afterwards.
            let settled_now: Vec<Priority> = (1..=b.hub.payment_count() as u64)
                .map(|id| b.hub.payment(id).unwrap())
                .filter(|p| p.sender == bank_a() && p.settled_at.is_some_and(|t| t > before_at))
                .map(|p| p.instruction.priority)
                .collect();
            if settled_now.iter().all(|p| *p == Priority::Normal) && !settled_now.is_empty() {
                let step: Vec<String> = (1..=b.hub.payment_count() as u64)
                    .map(|id| b.hub.payment(id).unwrap())
                    .filter(|p| p.settled_at.is_some_and(|t| t > before_at))
                    .map(|p| format!("{}->{} {} {:?}", p.sender, p.receiver(), p.amount, p.instruction.priority))
                    .collect();
                prop_assert!(
                    b.balance(bank_a(), rub()) >= i128::from(reserve) * 100,
                    "A holds {} under its reserve {} after {:?}: {:?}",
                    b.balance(bank_a(), rub()),
                    reserve,
                    command,
                    step
                );
            }
        }
        let mut replay = Bench::standard();
        setup(&mut replay);
        for (at, command) in &commands {
            let _ = replay.hub.execute(command, *at);
        }
        prop_assert_eq!(replay.hub.state_hash(), b.hub.state_hash());
    }
}
