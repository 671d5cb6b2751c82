//! Deferred net settlement windows: payments join the open window against their sender's
//! net debit cap, a closed window settles its net positions as one batch, an empty window
//! settles trivially, a window waits for liquidity and then runs the default procedure, a
//! payment arriving as a window closes joins the next one, the operator aborts a window,
//! windows survive a snapshot and a replay, and bad requests change nothing. Statements and
//! notifications show the net settlement entries.

mod support;

use corridor_ledger::StateMachine;
use corridor_settlement::{
    Hub, HubCommand, LiquidityDirection, NetDebitCapRequest, NetSettlementRequest, NetWindowAction,
    OutboxEvent, PaymentStatus, Priority, WindowState,
};
use support::*;

fn net(up_to: &str, default_after_seconds: u32, caps: &[(corridor_core::Bic, &str)]) -> HubCommand {
    HubCommand::ConfigureNetSettlement {
        currency: rub(),
        settings: NetSettlementRequest {
            up_to_amount: Some(up_to.into()),
            default_after_seconds,
            window_seconds: None,
            net_debit_caps: caps
                .iter()
                .map(|(bic, cap)| NetDebitCapRequest {
                    participant: *bic,
                    cap: (*cap).into(),
                })
                .collect(),
        },
    }
}

fn close() -> HubCommand {
    HubCommand::NetWindow {
        currency: rub(),
        action: NetWindowAction::Close,
    }
}

fn status(b: &Bench, id: u64) -> PaymentStatus {
    b.hub.payment(id).unwrap().status
}

fn standard_net() -> Bench {
    let mut b = Bench::standard();
    b.ok(net(
        "1000.00",
        600,
        &[
            (bank_a(), "500.00"),
            (bank_b(), "500.00"),
            (bank_c(), "500.00"),
        ],
    ));
    b
}

#[test]
fn a_window_settles_its_net_positions_as_one_batch() {
    let mut b = standard_net();
    b.fund(bank_a(), rub(), "100.00");
    let p1 = b.pay_ok(bank_a(), instruction("N1", bank_b(), "300.00", rub()));
    let p2 = b.pay_ok(bank_b(), instruction("N2", bank_a(), "250.00", rub()));
    let p3 = b.pay_ok(bank_b(), instruction("N3", bank_c(), "20.00", rub()));
    for p in [&p1, &p2, &p3] {
        assert_eq!(p.status, PaymentStatus::Netting);
    }
    // Above the net amount, or urgent: the RTGS, as before.
    let big = b.pay_ok(bank_a(), instruction("G1", bank_b(), "1000.01", rub()));
    assert_eq!(big.status, PaymentStatus::Queued);
    let urgent = b.pay_ok(
        bank_a(),
        with_priority(
            instruction("U1", bank_c(), "10.00", rub()),
            Priority::Urgent,
        ),
    );
    assert_eq!(urgent.status, PaymentStatus::Settled);
    let window = b.hub.payment(p1.payment).unwrap().net_window.unwrap();
    let w = b.hub.net_window(window).unwrap();
    assert_eq!(
        (w.state, w.value, w.payments.len()),
        (WindowState::Open, 57_000, 3)
    );
    assert_eq!(w.positions[&bank_a()], -5_000);
    assert_eq!(w.positions[&bank_b()], 3_000);
    assert_eq!(w.positions[&bank_c()], 2_000);
    b.hub.check_invariants().unwrap();

    b.ok(close());
    let w = b.hub.net_window(window).unwrap();
    assert_eq!(w.state, WindowState::Settled);
    assert_eq!(w.transfers.len(), 2, "A pays B and C their net");
    for p in [&p1, &p2, &p3] {
        let settled = b.hub.payment(p.payment).unwrap();
        assert_eq!(settled.status, PaymentStatus::Settled);
        assert_eq!(settled.net_window, Some(window));
    }
    // A had 100.00, paid 10.00 urgent and 50.00 net.
    assert_eq!(b.balance(bank_a(), rub()), 4_000);
    assert_eq!(b.balance(bank_b(), rub()), 3_000);
    assert_eq!(b.balance(bank_c(), rub()), 3_000);
    // The next window is open, empty.
    let next = b.hub.net_windows(rub(), 1)[0];
    assert_eq!((next.state, next.payments.len()), (WindowState::Open, 0));
    // The statement shows the net settlement entry.
    let statement = b
        .hub
        .statement(
            b.account(bank_a(), rub()),
            START,
            b.now.plus_seconds(1),
            100,
        )
        .unwrap();
    assert!(
        statement
            .entries
            .iter()
            .any(|e| corridor_settlement::transfer_kind(e.code) == "net_settlement" && !e.credit)
    );
    // Each participant is told its net position as posted: A debited, B and C credited.
    for (bank, expected) in [
        (bank_a(), (LiquidityDirection::Defund, 5_000)),
        (bank_b(), (LiquidityDirection::Fund, 3_000)),
        (bank_c(), (LiquidityDirection::Fund, 2_000)),
    ] {
        let told: Vec<_> = b
            .outbox(bank)
            .into_iter()
            .filter_map(|e| match e {
                OutboxEvent::NetSettlement {
                    window: w,
                    account,
                    direction,
                    amount,
                    ..
                } if w == window => Some((account, direction, amount)),
                _ => None,
            })
            .collect();
        assert_eq!(
            told,
            vec![(b.account(bank, rub()), expected.0, expected.1)],
            "{bank}"
        );
    }
    b.hub.check_invariants().unwrap();
}

#[test]
fn an_empty_window_settles_at_once() {
    let mut b = standard_net();
    b.ok(close());
    let windows = b.hub.net_windows(rub(), 2);
    assert_eq!(windows[1].state, WindowState::Settled);
    assert!(windows[1].transfers.is_empty());
    assert_eq!(windows[0].state, WindowState::Open);
}

#[test]
fn a_payment_over_the_net_debit_cap_is_rejected() {
    let mut b = standard_net();
    let ok = b.pay_ok(bank_a(), instruction("C1", bank_b(), "400.00", rub()));
    assert_eq!(ok.status, PaymentStatus::Netting);
    let over = b.pay_ok(bank_a(), instruction("C2", bank_b(), "100.01", rub()));
    assert_eq!(over.status, PaymentStatus::Rejected);
    let reason = b
        .hub
        .payment(over.payment)
        .unwrap()
        .history
        .last()
        .unwrap()
        .clone();
    assert_eq!(reason.reason.unwrap().code, "AM04");
    // D has no cap: it may only send what it received in the window.
    let d = b.pay_ok(bank_d(), instruction("D1", bank_a(), "0.01", rub()));
    assert_eq!(d.status, PaymentStatus::Rejected);
}

#[test]
fn a_window_waits_for_liquidity_then_settles() {
    let mut b = standard_net();
    let p = b.pay_ok(bank_a(), instruction("W1", bank_b(), "200.00", rub()));
    b.ok(close());
    let window = b.hub.payment(p.payment).unwrap().net_window.unwrap();
    assert_eq!(
        b.hub.net_window(window).unwrap().state,
        WindowState::Settling
    );
    assert_eq!(status(&b, p.payment), PaymentStatus::Netting);
    let due = b.hub.net_window(window).unwrap().default_at.unwrap();
    assert!(b.hub.next_deadline().is_some_and(|d| d <= due));
    b.fund(bank_a(), rub(), "200.00");
    assert_eq!(
        b.hub.net_window(window).unwrap().state,
        WindowState::Settled
    );
    assert_eq!(status(&b, p.payment), PaymentStatus::Settled);
    assert_eq!(b.balance(bank_b(), rub()), 20_000);
}

#[test]
fn at_the_default_time_the_defaulters_payments_are_taken_out_and_the_rest_settles() {
    let mut b = standard_net();
    b.fund(bank_b(), rub(), "300.00");
    // A owes 200.00 net and holds nothing; without A, B owes 200.00 and holds 300.00.
    let a_to_b = b.pay_ok(bank_a(), instruction("D1", bank_b(), "300.00", rub()));
    let b_to_c = b.pay_ok(bank_b(), instruction("D2", bank_c(), "150.00", rub()));
    let c_to_a = b.pay_ok(bank_c(), instruction("D3", bank_a(), "100.00", rub()));
    let b_to_d = b.pay_ok(bank_b(), instruction("D4", bank_d(), "50.00", rub()));
    b.ok(close());
    let window = b.hub.payment(a_to_b.payment).unwrap().net_window.unwrap();
    assert_eq!(
        b.hub.net_window(window).unwrap().state,
        WindowState::Settling
    );
    b.advance(601);
    b.ok(HubCommand::Tick);
    let w = b.hub.net_window(window).unwrap();
    assert_eq!(w.state, WindowState::Settled);
    assert_eq!(w.defaulted, vec![bank_a()]);
    for p in [&a_to_b, &c_to_a] {
        assert_eq!(status(&b, p.payment), PaymentStatus::Rejected);
    }
    for p in [&b_to_c, &b_to_d] {
        assert_eq!(status(&b, p.payment), PaymentStatus::Settled);
    }
    assert_eq!(b.balance(bank_a(), rub()), 0);
    assert_eq!(b.balance(bank_b(), rub()), 10_000);
    assert_eq!(b.balance(bank_c(), rub()), 15_000);
    assert_eq!(b.balance(bank_d(), rub()), 5_000);
    b.hub.check_invariants().unwrap();
}

#[test]
fn a_payment_arriving_as_the_window_closes_joins_the_next_one() {
    let mut b = standard_net();
    b.fund(bank_a(), rub(), "100.00");
    let before = b.pay_ok(bank_a(), instruction("E1", bank_b(), "10.00", rub()));
    b.ok(close());
    let after = b.pay_ok(bank_a(), instruction("E2", bank_b(), "20.00", rub()));
    let (w1, w2) = (
        b.hub.payment(before.payment).unwrap().net_window.unwrap(),
        b.hub.payment(after.payment).unwrap().net_window.unwrap(),
    );
    assert_ne!(w1, w2);
    assert_eq!(b.hub.net_window(w1).unwrap().value, 1_000);
    assert_eq!(b.hub.net_window(w1).unwrap().state, WindowState::Settled);
    assert_eq!(b.hub.net_window(w2).unwrap().value, 2_000);
    assert_eq!(status(&b, after.payment), PaymentStatus::Netting);
}

#[test]
fn the_operator_aborts_a_window_that_waits() {
    let mut b = standard_net();
    let p = b.pay_ok(bank_a(), instruction("AB1", bank_b(), "200.00", rub()));
    b.ok(close());
    let window = b.hub.payment(p.payment).unwrap().net_window.unwrap();
    let refused = b.err(HubCommand::NetWindow {
        currency: rub(),
        action: NetWindowAction::Abort {
            window,
            reason: "no code".into(),
        },
    });
    assert_eq!(refused.code, "FF01");
    b.ok(HubCommand::NetWindow {
        currency: rub(),
        action: NetWindowAction::Abort {
            window,
            reason: "NARR settlement agent unavailable".into(),
        },
    });
    let w = b.hub.net_window(window).unwrap();
    assert_eq!(w.state, WindowState::Aborted);
    assert_eq!(w.reason.as_ref().unwrap().code, "NARR");
    assert_eq!(status(&b, p.payment), PaymentStatus::Rejected);
    // Aborting it again, or the open window, is refused.
    let open = b.hub.net_windows(rub(), 1)[0].id;
    for target in [window, open] {
        let refused = b.err(HubCommand::NetWindow {
            currency: rub(),
            action: NetWindowAction::Abort {
                window: target,
                reason: "NARR again".into(),
            },
        });
        assert_eq!(refused.code, "NARR");
    }
    b.hub.check_invariants().unwrap();
}

#[test]
fn windows_survive_a_snapshot_and_replay_to_the_same_state() {
    let mut b = standard_net();
    let mut commands = Vec::new();
    let mut run = |b: &mut Bench, c: HubCommand| {
        let _ = b.run(c.clone());
        commands.push((b.now, c));
    };
    b.fund(bank_b(), rub(), "50.00");
    let pay = |id: &str, to, amount: &str| HubCommand::SubmitPayments {
        sender: bank_a(),
        payments: vec![instruction(id, to, amount, rub())],
        screening: Vec::new(),
    };
    run(&mut b, pay("R1", bank_b(), "30.00"));
    run(&mut b, close());
    run(&mut b, pay("R2", bank_c(), "40.00"));
    let snapshot = b.hub.encode_snapshot().unwrap();
    let restored = Hub::decode_snapshot(&snapshot).unwrap();
    assert_eq!(restored.state_hash(), b.hub.state_hash());
    restored.check_invariants().unwrap();
    // The restored hub goes on as the original: the waiting window settles when A is
    // funded, in both.
    let mut restored = restored;
    let fund = b.liquidity_command(
        bank_a(),
        rub(),
        "100.00",
        corridor_settlement::LiquidityDirection::Fund,
    );
    b.ok(fund.clone());
    restored.execute(&fund, b.now).unwrap();
    assert_eq!(restored.state_hash(), b.hub.state_hash());
    // And replaying every command from the start gives the same state again.
    let mut replay = standard_net();
    replay.fund(bank_b(), rub(), "50.00");
    for (at, command) in &commands {
        let _ = replay.hub.execute(command, *at);
    }
    let _ = replay.hub.execute(&fund, b.now);
    assert_eq!(replay.hub.state_hash(), b.hub.state_hash());
    let first = b.hub.net_windows(rub(), 3);
    assert_eq!(first[1].state, WindowState::Settled);
}

#[test]
fn bad_requests_change_nothing() {
    let mut b = standard_net();
    let before = b.hub.state_hash();
    for (command, code) in [
        (net("-1", 60, &[]), "AM12"),
        (net("1.001", 60, &[]), "AM12"),
        (net("10.00", 60, &[(bank_a(), "abc")]), "AM12"),
        (net("10.00", 60, &[(bic("ZZZZRUMM"), "1.00")]), "NOTF"),
        (
            net("10.00", 60, &[(bank_a(), "1.00"), (bank_a(), "2.00")]),
            "FF01",
        ),
        (
            HubCommand::NetWindow {
                currency: irr(),
                action: NetWindowAction::Close,
            },
            "NOTF",
        ),
    ] {
        let refused = b.err(command.clone());
        assert_eq!(refused.code, code, "{command:?}: {refused}");
    }
    assert_eq!(b.hub.state_hash(), before);
}

#[test]
fn windows_close_on_their_own_after_their_length() {
    let mut b = Bench::standard();
    let cycles = |seconds| HubCommand::ConfigureNetSettlement {
        currency: rub(),
        settings: NetSettlementRequest {
            up_to_amount: Some("100.00".into()),
            default_after_seconds: 60,
            window_seconds: seconds,
            net_debit_caps: vec![NetDebitCapRequest {
                participant: bank_a(),
                cap: "100.00".into(),
            }],
        },
    };
    assert_eq!(b.err(cycles(Some(0))).code, "FF01");
    b.ok(cycles(Some(3_600)));
    b.fund(bank_a(), rub(), "10.00");
    let p = b.pay_ok(bank_a(), instruction("CY1", bank_b(), "10.00", rub()));
    let window = b.hub.payment(p.payment).unwrap().net_window.unwrap();
    let opened = b.hub.net_window(window).unwrap().opened_at;
    // The node knows when to tick for the close.
    assert_eq!(b.hub.next_deadline(), Some(opened.plus_seconds(3_600)));
    b.advance(1_800);
    b.ok(HubCommand::Tick);
    assert_eq!(b.hub.net_window(window).unwrap().state, WindowState::Open);
    b.advance(1_800);
    b.ok(HubCommand::Tick);
    assert_eq!(
        b.hub.net_window(window).unwrap().state,
        WindowState::Settled
    );
    assert_eq!(status(&b, p.payment), PaymentStatus::Settled);
    assert_eq!(b.balance(bank_b(), rub()), 1_000);
    let next = b.hub.net_windows(rub(), 1)[0];
    assert_eq!(next.state, WindowState::Open);
    assert!(next.opened_at > opened);
}

#[test]
fn the_operators_end_of_day_closes_the_open_window() {
    let mut b = standard_net();
    b.fund(bank_a(), rub(), "10.00");
    let p = b.pay_ok(bank_a(), instruction("EOD1", bank_b(), "10.00", rub()));
    b.ok(HubCommand::CloseBusinessDay {
        date: "2023-11-14".into(),
        at: b.now,
    });
    assert_eq!(status(&b, p.payment), PaymentStatus::Settled);
    assert_eq!(b.hub.net_windows(rub(), 2)[1].state, WindowState::Settled);
}
