//! Focused tests of the settlement hub: each drives `Hub::execute` and asserts what it
//! answered and what it changed (ledger balances, payment records, outboxes).

mod support;

use corridor_core::{AccountId, Timestamp};
use corridor_ledger::StateMachine;
use corridor_settlement::{
    AccountPurpose, Answer, CashAccount, Hub, HubCommand, HubConfig, LiquidityDirection,
    OutboxEvent, ParticipantRole, ParticipantStatus, PartyIdentification, PaymentKind,
    PaymentStatus, Priority,
};
use support::*;

fn status(b: &Bench, id: u64) -> PaymentStatus {
    b.hub.payment(id).expect("payment exists").status
}

fn statuses_in_history(b: &Bench, id: u64) -> Vec<PaymentStatus> {
    b.hub
        .payment(id)
        .expect("payment exists")
        .history
        .iter()
        .map(|e| e.status)
        .collect()
}

fn cancel(sender: corridor_core::Bic, payment: u64, reason: &str) -> HubCommand {
    HubCommand::CancelPayment {
        sender,
        payment,
        reason: reason.into(),
    }
}

fn set_status(bic: corridor_core::Bic, status: ParticipantStatus) -> HubCommand {
    HubCommand::SetParticipantStatus { bic, status }
}

fn return_command(
    sender: corridor_core::Bic,
    original: u64,
    return_id: &str,
    amount: Option<&str>,
    reason: &str,
) -> HubCommand {
    HubCommand::ReturnPayment {
        sender,
        original,
        return_id: return_id.into(),
        uetr: uetr_for(return_id),
        amount: amount.map(str::to_string),
        reason: reason.into(),
    }
}

// ---- participants, agents, accounts -----------------------------------------------------

#[test]
fn admitting_the_same_participant_again_is_idempotent() {
    let mut b = Bench::empty();
    let admit = HubCommand::AdmitParticipant {
        bic: bank_a(),
        name: "Sberbank".into(),
        country: "RU".into(),
        roles: vec![
            ParticipantRole::FxProvider,
            ParticipantRole::DirectParticipant,
        ],
    };
    let Answer::Participant(first) = b.ok(admit.clone()) else {
        panic!("expected a participant")
    };
    assert_eq!(first.bic, bank_a());
    assert_eq!(first.status, ParticipantStatus::Active);
    assert_eq!(
        first.roles,
        [
            ParticipantRole::DirectParticipant,
            ParticipantRole::FxProvider
        ]
    );
    let hash = b.hub.state_hash();
    let Answer::Participant(again) = b.ok(admit) else {
        panic!("expected a participant")
    };
    assert_eq!(
        again, first,
        "the retry answers the participant as first admitted"
    );
    assert_eq!(b.hub.state_hash(), hash);

    // The 11-character form with branch XXX is the same institution.
    let Answer::Participant(long_form) = b.ok(HubCommand::AdmitParticipant {
        bic: bic("SABRRUMMXXX"),
        name: "Sberbank".into(),
        country: "RU".into(),
        roles: vec![
            ParticipantRole::DirectParticipant,
            ParticipantRole::FxProvider,
        ],
    }) else {
        panic!("expected a participant")
    };
    assert_eq!(long_form, first);
    assert_eq!(b.hub.participants().count(), 1);
}

#[test]
fn admitting_with_other_details_is_a_duplicate() {
    let mut b = Bench::empty();
    b.admit(
        bank_a(),
        "Sberbank",
        "RU",
        &[ParticipantRole::DirectParticipant],
    );
    let hash = b.hub.state_hash();
    for (name, country, roles) in [
        (
            "Sberbank PJSC",
            "RU",
            vec![ParticipantRole::DirectParticipant],
        ),
        ("Sberbank", "KZ", vec![ParticipantRole::DirectParticipant]),
        ("Sberbank", "RU", vec![ParticipantRole::FxProvider]),
    ] {
        let e = b.err(HubCommand::AdmitParticipant {
            bic: bank_a(),
            name: name.into(),
            country: country.into(),
            roles,
        });
        assert_eq!(e.code, "DUPL", "{name} {country}: {e}");
    }
    assert_eq!(b.hub.state_hash(), hash);
    assert_eq!(b.hub.participant(bank_a()).unwrap().name, "Sberbank");
}

#[test]
fn admitting_with_a_bad_country_or_name_is_refused() {
    let mut b = Bench::empty();
    let hash = b.hub.state_hash();
    let long = "x".repeat(141);
    for (name, country) in [
        ("Sberbank", "ru"),
        ("Sberbank", "RUS"),
        ("Sberbank", ""),
        ("Sberbank", "R1"),
        ("Sberbank", "ZZ"),
        ("", "RU"),
        ("   ", "RU"),
        (long.as_str(), "RU"),
        ("Sber\u{0007}bank", "RU"),
        ("Sber\nbank", "RU"),
        ("Sber\u{202E}knab", "RU"),
    ] {
        let e = b.err(HubCommand::AdmitParticipant {
            bic: bank_a(),
            name: name.into(),
            country: country.into(),
            roles: vec![ParticipantRole::DirectParticipant],
        });
        assert_eq!(e.code, "FF01", "{name:?} {country:?}: {e}");
    }
    let e = b.err(HubCommand::AdmitParticipant {
        bic: bank_a(),
        name: "Sberbank".into(),
        country: "RU".into(),
        roles: vec![],
    });
    assert_eq!(e.code, "FF01");
    assert_eq!(b.hub.state_hash(), hash);
    assert!(b.hub.participant(bank_a()).is_none());
    // A name of exactly 140 characters, in any script, is fine.
    let name = "Б".repeat(140);
    b.admit(bank_a(), &name, "RU", &[ParticipantRole::DirectParticipant]);
    assert_eq!(b.hub.participant(bank_a()).unwrap().name, name);
}

#[test]
fn agents_are_designated_with_their_exponents_and_open_funding_accounts() {
    let mut b = Bench::standard();
    let rub_currency = b.hub.currency(rub()).expect("RUB is settled");
    let irr_currency = b.hub.currency(irr()).expect("IRR is settled");
    assert_eq!(rub_currency.exponent, 2);
    assert_eq!(irr_currency.exponent, 0);
    assert_eq!(b.agent_of(rub()), cbr());
    assert_eq!(b.agent_of(irr()), cbi());

    let funding: Vec<_> = b
        .hub
        .accounts_of(cbr())
        .filter(|a| a.purpose == AccountPurpose::Funding)
        .cloned()
        .collect();
    assert_eq!(funding.len(), 1);
    assert_eq!(funding[0].currency, rub());

    // Designating again with the same details answers the same funding account.
    let hash = b.hub.state_hash();
    let again = b.ok(HubCommand::DesignateAgent {
        currency: rub(),
        exponent: 2,
        agent: cbr(),
        time_zone: "Europe/Moscow".into(),
    });
    assert_eq!(again, Answer::Account(funding[0].clone()));
    assert_eq!(b.hub.state_hash(), hash);

    // Another exponent or another agent for a designated currency: DUPL.
    let e = b.err(HubCommand::DesignateAgent {
        currency: rub(),
        exponent: 0,
        agent: cbr(),
        time_zone: "Europe/Moscow".into(),
    });
    assert_eq!(e.code, "DUPL");
    let e = b.err(HubCommand::DesignateAgent {
        currency: rub(),
        exponent: 2,
        agent: cbi(),
        time_zone: "Asia/Tehran".into(),
    });
    assert_eq!(e.code, "DUPL");
    // A bank without the role cannot be an agent; a stranger is not a participant.
    let e = b.err(HubCommand::DesignateAgent {
        currency: ccy("CNY"),
        exponent: 2,
        agent: bank_a(),
        time_zone: "Asia/Shanghai".into(),
    });
    assert_eq!(e.code, "AG01");
    let e = b.err(HubCommand::DesignateAgent {
        currency: ccy("CNY"),
        exponent: 2,
        agent: bic("PBOCCNBJ"),
        time_zone: "Asia/Shanghai".into(),
    });
    assert_eq!(e.code, "RC01");
    let e = b.err(HubCommand::DesignateAgent {
        currency: ccy("CNY"),
        exponent: 19,
        agent: cbr(),
        time_zone: "Asia/Shanghai".into(),
    });
    assert_eq!(e.code, "FF01");
    assert_eq!(b.hub.state_hash(), hash);
}

#[test]
fn settlement_accounts_are_opened_once_per_currency() {
    let mut b = Bench::standard();
    let a_rub = b.account(bank_a(), rub());
    let a_irr = b.account(bank_a(), irr());
    assert_ne!(a_rub, a_irr);
    let info = b.hub.account(a_rub).unwrap().clone();
    assert_eq!(info.owner, bank_a());
    assert_eq!(info.currency, rub());
    assert_eq!(info.purpose, AccountPurpose::Settlement);
    assert_eq!(b.balance(bank_a(), rub()), 0);

    let hash = b.hub.state_hash();
    let again = b.ok(HubCommand::OpenAccount {
        owner: bank_a(),
        currency: rub(),
        purpose: AccountPurpose::Settlement,
        net_debit_cap: 0,
    });
    assert_eq!(again, Answer::Account(info));
    assert_eq!(b.hub.state_hash(), hash);

    for (owner, currency, purpose, code) in [
        // No agent for EUR.
        (bank_a(), ccy("EUR"), AccountPurpose::Settlement, "AM03"),
        // Funding accounts come only with a designation.
        (bank_a(), rub(), AccountPurpose::Funding, "AG01"),
        // Inventory needs the FX provider role.
        (bank_a(), rub(), AccountPurpose::FxInventory, "AG01"),
        // Not a participant.
        (bic("TESTRUMM"), rub(), AccountPurpose::Settlement, "NOTF"),
    ] {
        let e = b.err(HubCommand::OpenAccount {
            owner,
            currency,
            purpose,
            net_debit_cap: 0,
        });
        assert_eq!(e.code, code, "{owner} {currency} {purpose:?}: {e}");
    }
    assert_eq!(b.hub.state_hash(), hash);
}

// ---- liquidity --------------------------------------------------------------------------

#[test]
fn liquidity_is_moved_by_the_currency_agent_only_and_idempotently() {
    let mut b = Bench::standard();
    let fund = |agent, reference: &str, amount: &str| HubCommand::Liquidity {
        agent,
        reference: reference.into(),
        participant: bank_a(),
        currency: rub(),
        amount: amount.into(),
        direction: LiquidityDirection::Fund,
        account: AccountPurpose::Settlement,
    };
    let Answer::Liquidity(record) = b.ok(fund(cbr(), "CBR-1", "1000.50")) else {
        panic!("expected a liquidity record")
    };
    assert_eq!(record.amount, 100_050);
    assert_eq!(record.account, b.account(bank_a(), rub()));
    assert_eq!(b.balance(bank_a(), rub()), 100_050);
    assert_eq!(
        b.outbox(bank_a()),
        [OutboxEvent::Liquidity {
            account: record.account,
            currency: rub(),
            direction: LiquidityDirection::Fund,
            amount: 100_050,
            reference: "CBR-1".into(),
        }]
    );

    // The same reference and body: the same record, nothing moves again.
    let hash = b.hub.state_hash();
    let Answer::Liquidity(again) = b.ok(fund(cbr(), "CBR-1", "1000.50")) else {
        panic!("expected a liquidity record")
    };
    assert_eq!(again, record);
    assert_eq!(b.balance(bank_a(), rub()), 100_050);
    assert_eq!(b.hub.state_hash(), hash);

    // The same reference, another amount: DUPL.
    assert_eq!(b.err(fund(cbr(), "CBR-1", "1000.51")).code, "DUPL");
    // Another bank, or the other currency's agent, may not move RUB: AG01.
    assert_eq!(b.err(fund(bank_c(), "X-1", "5")).code, "AG01");
    assert_eq!(b.err(fund(cbi(), "X-2", "5")).code, "AG01");
    // Amounts are exact.
    assert_eq!(b.err(fund(cbr(), "CBR-2", "0.001")).code, "AM12");
    assert_eq!(b.err(fund(cbr(), "CBR-2", "0")).code, "AM01");
    assert_eq!(b.err(fund(cbr(), "", "1")).code, "FF01");
    assert_eq!(b.hub.state_hash(), hash);

    // IRR has no decimals.
    let Answer::Liquidity(irr_record) = b.ok(HubCommand::Liquidity {
        agent: cbi(),
        reference: "CBI-1".into(),
        participant: bank_b(),
        currency: irr(),
        amount: "42000000".into(),
        direction: LiquidityDirection::Fund,
        account: AccountPurpose::Settlement,
    }) else {
        panic!("expected a liquidity record")
    };
    assert_eq!(irr_record.amount, 42_000_000);
    assert_eq!(b.balance(bank_b(), irr()), 42_000_000);
}

#[test]
fn defunding_returns_liquidity_and_never_beyond_the_balance() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    let defund = |reference: &str, amount: &str| HubCommand::Liquidity {
        agent: cbr(),
        reference: reference.into(),
        participant: bank_a(),
        currency: rub(),
        amount: amount.into(),
        direction: LiquidityDirection::Defund,
        account: AccountPurpose::Settlement,
    };
    let Answer::Liquidity(record) = b.ok(defund("OUT-1", "30.00")) else {
        panic!("expected a liquidity record")
    };
    assert_eq!(record.direction, LiquidityDirection::Defund);
    assert_eq!(b.balance(bank_a(), rub()), 7_000);
    let funding = b
        .hub
        .currencies()
        .find(|c| c.currency.code == rub())
        .unwrap()
        .funding_account;
    let f = b.hub.ledger().account(funding).unwrap();
    assert_eq!(f.debits_posted - f.credits_posted, 7_000);

    let hash = b.hub.state_hash();
    let e = b.err(defund("OUT-2", "70.01"));
    assert_eq!(e.code, "AM04");
    assert_eq!(b.balance(bank_a(), rub()), 7_000);
    assert_eq!(b.hub.state_hash(), hash, "a refused defund changes nothing");
    // The refused reference was not used up.
    b.ok(defund("OUT-2", "70.00"));
    assert_eq!(b.balance(bank_a(), rub()), 0);

    // A net debit cap is credit for settling payments, not money to take out.
    b.ok(HubCommand::SetNetDebitCap {
        account: b.account(bank_a(), rub()),
        net_debit_cap: 50_000,
    });
    let hash = b.hub.state_hash();
    let e = b.err(defund("OUT-3", "0.01"));
    assert_eq!(e.code, "AM04");
    assert_eq!(b.hub.state_hash(), hash);
    assert_eq!(b.balance(bank_a(), rub()), 0);
}

// ---- payments: settlement and the queue ---------------------------------------------------

#[test]
fn a_covered_payment_settles_at_once() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "1000.00");
    b.ok(HubCommand::AcknowledgeOutbox {
        participant: bank_a(),
        up_to: 1,
    });
    let r = b.pay_ok(bank_a(), instruction("P1", bank_b(), "250.75", rub()));
    assert_eq!(r.status, PaymentStatus::Settled);
    assert!(!r.duplicate);
    assert_eq!(r.instruction_id, "P1");
    assert_eq!(r.reason, None);
    assert_eq!(b.balance(bank_a(), rub()), 100_000 - 25_075);
    assert_eq!(b.balance(bank_b(), rub()), 25_075);

    let p = b.hub.payment(r.payment).unwrap();
    assert_eq!(p.amount, 25_075);
    assert_eq!(p.sender, bank_a());
    assert_eq!(p.receiver(), bank_b());
    assert!(p.transfer.is_some());
    assert!(p.settled_at.is_some());
    assert_eq!(p.history.len(), 1);
    assert_eq!(p.status.iso_code(), "ACSC");

    assert_eq!(
        b.outbox(bank_b()),
        [OutboxEvent::IncomingPayment {
            payment: r.payment,
            uetr: uetr_for("P1"),
        }]
    );
    assert_eq!(
        b.outbox(bank_a()),
        [OutboxEvent::PaymentStatus {
            payment: r.payment,
            instruction_id: "P1".into(),
            uetr: uetr_for("P1"),
            status: PaymentStatus::Settled,
            reason: None,
        }]
    );
    assert_eq!(b.hub.queue_depth(), 0);
    b.hub.check_invariants().unwrap();
}

#[test]
fn an_uncovered_payment_queues_and_settles_when_the_payer_is_funded() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "10.00");
    let r = b.pay_ok(bank_a(), instruction("P1", bank_b(), "25.00", rub()));
    assert_eq!(r.status, PaymentStatus::Queued);
    assert_eq!(r.reason.as_ref().map(|r| r.code.as_str()), Some("AM04"));
    assert_eq!(b.balance(bank_a(), rub()), 1_000);
    assert_eq!(b.balance(bank_b(), rub()), 0);
    assert_eq!(b.hub.queue_depth(), 1);
    assert!(b.hub.next_deadline().is_some());
    assert!(b.outbox(bank_b()).is_empty());
    assert!(b.outbox(bank_a()).contains(&OutboxEvent::PaymentStatus {
        payment: r.payment,
        instruction_id: "P1".into(),
        uetr: uetr_for("P1"),
        status: PaymentStatus::Queued,
        reason: r.reason.clone(),
    }));

    b.fund(bank_a(), rub(), "14.99");
    assert_eq!(status(&b, r.payment), PaymentStatus::Queued);
    b.fund(bank_a(), rub(), "0.01");
    assert_eq!(status(&b, r.payment), PaymentStatus::Settled);
    assert_eq!(b.balance(bank_a(), rub()), 0);
    assert_eq!(b.balance(bank_b(), rub()), 2_500);
    assert_eq!(b.hub.queue_depth(), 0);
    assert_eq!(b.hub.next_deadline(), None);
    assert_eq!(
        statuses_in_history(&b, r.payment),
        [PaymentStatus::Queued, PaymentStatus::Settled]
    );
    assert!(b.outbox(bank_b()).contains(&OutboxEvent::IncomingPayment {
        payment: r.payment,
        uetr: uetr_for("P1"),
    }));
    b.hub.check_invariants().unwrap();
}

#[test]
fn an_incoming_payment_releases_queues_in_a_cascade() {
    let mut b = Bench::standard();
    // A owes B, B owes D, D owes C: all queued, nobody has money.
    let ab = b.pay_ok(bank_a(), instruction("AB", bank_b(), "100.00", rub()));
    let bd = b.pay_ok(bank_b(), instruction("BD", bank_d(), "60.00", rub()));
    let dc = b.pay_ok(bank_d(), instruction("DC", bank_c(), "60.00", rub()));
    for r in [&ab, &bd, &dc] {
        assert_eq!(r.status, PaymentStatus::Queued);
    }
    // C pays A: A's queue settles, then B's, then D's.
    b.fund(bank_c(), rub(), "100.00");
    let ca = b.pay_ok(bank_c(), instruction("CA", bank_a(), "100.00", rub()));
    assert_eq!(ca.status, PaymentStatus::Settled);
    for id in [ab.payment, bd.payment, dc.payment] {
        assert_eq!(status(&b, id), PaymentStatus::Settled, "payment {id}");
    }
    assert_eq!(b.balance(bank_a(), rub()), 0);
    assert_eq!(b.balance(bank_b(), rub()), 4_000);
    assert_eq!(b.balance(bank_d(), rub()), 0);
    assert_eq!(b.balance(bank_c(), rub()), 6_000);
    assert_eq!(b.hub.queue_depth(), 0);
    b.hub.check_invariants().unwrap();
}

#[test]
fn queued_payments_settle_urgent_then_high_then_normal_each_by_arrival() {
    let mut b = Bench::standard();
    let submitted = [
        ("N1", Priority::Normal),
        ("H1", Priority::High),
        ("U1", Priority::Urgent),
        ("N2", Priority::Normal),
        ("H2", Priority::High),
        ("U2", Priority::Urgent),
    ];
    let mut ids = std::collections::BTreeMap::new();
    for (name, priority) in submitted {
        let i = with_priority(instruction(name, bank_b(), "10.00", rub()), priority);
        let r = b.pay_ok(bank_a(), i);
        assert_eq!(r.status, PaymentStatus::Queued, "{name}");
        ids.insert(name, r.payment);
    }
    // Liquidity for five of the six, one at a time: each funding settles the next in line.
    let expected = ["U1", "U2", "H1", "H2", "N1"];
    for (n, name) in expected.iter().enumerate() {
        b.fund(bank_a(), rub(), "10.00");
        assert_eq!(status(&b, ids[name]), PaymentStatus::Settled, "{name}");
        let settled = ids
            .values()
            .filter(|id| status(&b, **id) == PaymentStatus::Settled)
            .count();
        assert_eq!(settled, n + 1);
    }
    assert_eq!(status(&b, ids["N2"]), PaymentStatus::Queued);

    // All at once: the order of settlement is the queue order.
    let mut b2 = Bench::standard();
    let mut ids2 = Vec::new();
    for (name, priority) in submitted {
        let i = with_priority(instruction(name, bank_b(), "10.00", rub()), priority);
        ids2.push((name, b2.pay_ok(bank_a(), i).payment));
    }
    b2.fund(bank_a(), rub(), "60.00");
    let mut by_settlement: Vec<_> = ids2
        .iter()
        .map(|(name, id)| (b2.hub.payment(*id).unwrap().settled_at.unwrap(), *name))
        .collect();
    by_settlement.sort();
    let order: Vec<_> = by_settlement.iter().map(|(_, n)| *n).collect();
    assert_eq!(order, ["U1", "U2", "H1", "H2", "N1", "N2"]);
    let incoming: Vec<u64> = b2
        .outbox(bank_b())
        .into_iter()
        .filter_map(|e| match e {
            OutboxEvent::IncomingPayment { payment, .. } => Some(payment),
            _ => None,
        })
        .collect();
    let expected_ids: Vec<u64> = order
        .iter()
        .map(|n| ids2.iter().find(|(m, _)| m == n).unwrap().1)
        .collect();
    assert_eq!(incoming, expected_ids);
}

#[test]
fn a_new_payment_never_overtakes_a_queued_one_of_the_same_priority() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "50.00");
    let big = b.pay_ok(bank_a(), instruction("BIG", bank_b(), "100.00", rub()));
    assert_eq!(big.status, PaymentStatus::Queued);
    // Fits, but waits behind BIG.
    let small = b.pay_ok(bank_a(), instruction("SMALL", bank_b(), "10.00", rub()));
    assert_eq!(small.status, PaymentStatus::Queued);
    assert_eq!(b.balance(bank_a(), rub()), 5_000);
    // A less urgent payment waits too; a more urgent one goes ahead.
    let high = with_priority(
        instruction("HIGH", bank_c(), "10.00", rub()),
        Priority::High,
    );
    assert_eq!(b.pay_ok(bank_a(), high).status, PaymentStatus::Settled);
    assert_eq!(b.balance(bank_a(), rub()), 4_000);
    // When BIG can go, both follow in order.
    b.fund(bank_a(), rub(), "70.00");
    assert_eq!(status(&b, big.payment), PaymentStatus::Settled);
    assert_eq!(status(&b, small.payment), PaymentStatus::Settled);
    assert_eq!(b.balance(bank_a(), rub()), 0);
    assert_eq!(b.balance(bank_b(), rub()), 11_000);
}

#[test]
fn a_high_payment_waits_behind_a_queued_urgent_one() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "50.00");
    let urgent = with_priority(
        instruction("U", bank_b(), "100.00", rub()),
        Priority::Urgent,
    );
    assert_eq!(b.pay_ok(bank_a(), urgent).status, PaymentStatus::Queued);
    let high = with_priority(instruction("H", bank_b(), "1.00", rub()), Priority::High);
    assert_eq!(b.pay_ok(bank_a(), high).status, PaymentStatus::Queued);
    assert_eq!(b.balance(bank_a(), rub()), 5_000);
}

#[test]
fn a_queued_payment_past_its_timeout_is_rejected_and_never_settles() {
    let mut b = Bench::standard();
    b.ok(HubCommand::Configure(HubConfig {
        queue_timeout_seconds: 60,
        ..HubConfig::default()
    }));
    assert_eq!(b.hub.config().queue_timeout_seconds, 60);
    let r = b.pay_ok(bank_a(), instruction("P1", bank_b(), "5.00", rub()));
    assert_eq!(r.status, PaymentStatus::Queued);
    let deadline = b.hub.payment(r.payment).unwrap().queue_deadline.unwrap();
    assert_eq!(deadline, b.now.plus_seconds(60));

    b.advance(59);
    b.ok(HubCommand::Tick);
    assert_eq!(status(&b, r.payment), PaymentStatus::Queued);

    b.advance(2);
    b.ok(HubCommand::Tick);
    let p = b.hub.payment(r.payment).unwrap();
    assert_eq!(p.status, PaymentStatus::Rejected);
    assert_eq!(
        p.history.last().unwrap().reason.as_ref().unwrap().code,
        "AM04"
    );
    assert_eq!(p.queue_deadline, None);
    assert_eq!(b.hub.queue_depth(), 0);
    assert_eq!(b.hub.next_deadline(), None);
    assert!(b.outbox(bank_a()).iter().any(|e| matches!(
        e,
        OutboxEvent::PaymentStatus { payment, status: PaymentStatus::Rejected, reason: Some(reason), .. }
            if *payment == r.payment && reason.code == "AM04"
    )));

    // Money arriving later does not revive it.
    b.fund(bank_a(), rub(), "100.00");
    assert_eq!(status(&b, r.payment), PaymentStatus::Rejected);
    assert_eq!(b.balance(bank_a(), rub()), 10_000);
    assert_eq!(b.balance(bank_b(), rub()), 0);
    assert_eq!(
        statuses_in_history(&b, r.payment),
        [PaymentStatus::Queued, PaymentStatus::Rejected]
    );
    // Nor can it be cancelled or returned now.
    assert_eq!(b.err(cancel(bank_a(), r.payment, "CUST")).code, "NOCN");
    b.hub.check_invariants().unwrap();
}

#[test]
fn the_timeout_runs_before_the_command_that_would_have_settled_it() {
    let mut b = Bench::standard();
    b.ok(HubCommand::Configure(HubConfig {
        queue_timeout_seconds: 10,
        ..HubConfig::default()
    }));
    let r = b.pay_ok(bank_a(), instruction("P1", bank_b(), "5.00", rub()));
    b.advance(10);
    // The funding arrives just after the deadline: the payment has already timed out.
    b.fund(bank_a(), rub(), "5.00");
    assert_eq!(status(&b, r.payment), PaymentStatus::Rejected);
    assert_eq!(b.balance(bank_a(), rub()), 500);
    assert_eq!(b.balance(bank_b(), rub()), 0);
}

#[test]
fn when_the_head_of_a_queue_leaves_the_payments_behind_it_are_retried() {
    // Cancelled head.
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "50.00");
    let big = b.pay_ok(bank_a(), instruction("BIG", bank_b(), "100.00", rub()));
    let small = b.pay_ok(bank_a(), instruction("SMALL", bank_b(), "10.00", rub()));
    assert_eq!(small.status, PaymentStatus::Queued);
    b.ok(cancel(bank_a(), big.payment, "CUST too large"));
    assert_eq!(status(&b, small.payment), PaymentStatus::Settled);
    assert_eq!(b.balance(bank_b(), rub()), 1_000);

    // Timed-out head.
    let mut b = Bench::standard();
    b.ok(HubCommand::Configure(HubConfig {
        queue_timeout_seconds: 60,
        ..HubConfig::default()
    }));
    b.fund(bank_a(), rub(), "50.00");
    let big = b.pay_ok(bank_a(), instruction("BIG", bank_b(), "100.00", rub()));
    b.advance(30);
    let small = b.pay_ok(bank_a(), instruction("SMALL", bank_b(), "10.00", rub()));
    assert_eq!(small.status, PaymentStatus::Queued);
    b.advance(31);
    b.ok(HubCommand::Tick);
    assert_eq!(status(&b, big.payment), PaymentStatus::Rejected);
    assert_eq!(status(&b, small.payment), PaymentStatus::Settled);
    assert_eq!(b.balance(bank_b(), rub()), 1_000);
}

#[test]
fn payments_to_a_suspended_receiver_wait_and_do_not_block_the_queue() {
    let mut b = Bench::standard();
    let to_b = b.pay_ok(bank_a(), instruction("TO-B", bank_b(), "10.00", rub()));
    assert_eq!(to_b.status, PaymentStatus::Queued);
    b.ok(set_status(bank_b(), ParticipantStatus::Suspended));
    // Funded: the payment to the suspended B is passed over, not settled, not rejected.
    b.fund(bank_a(), rub(), "30.00");
    assert_eq!(status(&b, to_b.payment), PaymentStatus::Queued);
    assert_eq!(b.balance(bank_b(), rub()), 0);
    // A later payment to C is not stuck behind it.
    let to_c = b.pay_ok(bank_a(), instruction("TO-C", bank_c(), "10.00", rub()));
    assert_eq!(to_c.status, PaymentStatus::Settled);
    assert_eq!(b.balance(bank_c(), rub()), 1_000);
    // Reinstated: B's payment settles.
    b.ok(set_status(bank_b(), ParticipantStatus::Active));
    assert_eq!(status(&b, to_b.payment), PaymentStatus::Settled);
    assert_eq!(b.balance(bank_b(), rub()), 1_000);
    assert_eq!(b.balance(bank_a(), rub()), 1_000);

    // Suspending the receiver of the head of a queue lets the payments behind it go.
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "50.00");
    let big = b.pay_ok(bank_a(), instruction("BIG", bank_b(), "100.00", rub()));
    let small = b.pay_ok(bank_a(), instruction("SMALL", bank_c(), "10.00", rub()));
    assert_eq!(small.status, PaymentStatus::Queued);
    b.ok(set_status(bank_b(), ParticipantStatus::Suspended));
    assert_eq!(status(&b, big.payment), PaymentStatus::Queued);
    assert_eq!(status(&b, small.payment), PaymentStatus::Settled);
}

#[test]
fn a_suspended_payer_keeps_its_queue_until_reinstated() {
    let mut b = Bench::standard();
    let r = b.pay_ok(bank_a(), instruction("P1", bank_b(), "10.00", rub()));
    b.ok(set_status(bank_a(), ParticipantStatus::Suspended));
    // Liquidity moves need every party active: the agent cannot fund a suspended bank.
    let funding = b.liquidity_command(bank_a(), rub(), "10.00", LiquidityDirection::Fund);
    assert_eq!(b.err(funding).code, "AG01");
    assert_eq!(status(&b, r.payment), PaymentStatus::Queued);
    b.ok(set_status(bank_a(), ParticipantStatus::Active));
    b.fund(bank_a(), rub(), "10.00");
    assert_eq!(status(&b, r.payment), PaymentStatus::Settled);
    assert_eq!(b.balance(bank_b(), rub()), 1_000);
}

// ---- cancel and return ------------------------------------------------------------------

#[test]
fn a_sender_cancels_its_own_queued_payment() {
    let mut b = Bench::standard();
    let r = b.pay_ok(bank_a(), instruction("P1", bank_b(), "10.00", rub()));
    let hash = b.hub.state_hash();
    // Another bank cannot see it; a payment that does not exist is not found either.
    assert_eq!(b.err(cancel(bank_c(), r.payment, "CUST")).code, "NOTF");
    assert_eq!(b.err(cancel(bank_b(), r.payment, "CUST")).code, "NOTF");
    assert_eq!(b.err(cancel(bank_a(), 999, "CUST")).code, "NOTF");
    assert_eq!(b.err(cancel(bank_a(), 0, "CUST")).code, "NOTF");
    // The reason must start with a four-character code.
    for reason in ["", "cust", "CUS", "CUSTOMER asked", "CU-T", "CUST\u{0000}"] {
        assert_eq!(
            b.err(cancel(bank_a(), r.payment, reason)).code,
            "FF01",
            "{reason:?}"
        );
    }
    let e = b.err(cancel(
        bank_a(),
        r.payment,
        &format!("CUST {}", "x".repeat(101)),
    ));
    assert_eq!(e.code, "FF01");
    assert_eq!(b.hub.state_hash(), hash);

    let Answer::Payment(receipt) = b.ok(cancel(bank_a(), r.payment, "DUPL sent twice")) else {
        panic!("expected a receipt")
    };
    assert_eq!(receipt.status, PaymentStatus::Cancelled);
    assert!(!receipt.duplicate);
    assert_eq!(receipt.reason.as_ref().unwrap().code, "DUPL");
    assert_eq!(receipt.reason.as_ref().unwrap().message, "sent twice");
    assert_eq!(b.hub.queue_depth(), 0);
    assert!(b.outbox(bank_a()).iter().any(|e| matches!(
        e,
        OutboxEvent::PaymentStatus { payment, status: PaymentStatus::Cancelled, .. } if *payment == r.payment
    )));
    // Cancelling again is a harmless retry.
    let Answer::Payment(again) = b.ok(cancel(bank_a(), r.payment, "CUST")) else {
        panic!("expected a receipt")
    };
    assert!(again.duplicate);
    assert_eq!(again.status, PaymentStatus::Cancelled);
    // Liquidity arriving later does not settle it.
    b.fund(bank_a(), rub(), "10.00");
    assert_eq!(status(&b, r.payment), PaymentStatus::Cancelled);
    assert_eq!(b.balance(bank_b(), rub()), 0);
    assert_eq!(
        statuses_in_history(&b, r.payment),
        [PaymentStatus::Queued, PaymentStatus::Cancelled]
    );
}

#[test]
fn a_settled_payment_cannot_be_cancelled() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "10.00");
    let r = b.pay_ok(bank_a(), instruction("P1", bank_b(), "10.00", rub()));
    assert_eq!(r.status, PaymentStatus::Settled);
    let hash = b.hub.state_hash();
    assert_eq!(b.err(cancel(bank_a(), r.payment, "CUST")).code, "NOCN");
    assert_eq!(b.hub.state_hash(), hash);
    assert_eq!(status(&b, r.payment), PaymentStatus::Settled);
}

#[test]
fn the_receiver_returns_a_settled_payment_in_parts() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    let mut i = instruction("P1", bank_b(), "100.00", rub());
    i.debtor_account = Some(CashAccount {
        iban: None,
        other: Some("40817810099910004312".into()),
    });
    let original = b.pay_ok(bank_a(), i).payment;
    assert_eq!(b.balance(bank_b(), rub()), 10_000);

    let hash = b.hub.state_hash();
    // Only the receiver may return it.
    for sender in [bank_a(), bank_c()] {
        let e = b.err(return_command(sender, original, "R0", Some("1.00"), "AC04"));
        assert_eq!(e.code, "NOTF", "{sender}");
    }
    // The reason needs its code.
    let e = b.err(return_command(
        bank_b(),
        original,
        "R0",
        Some("1.00"),
        "closed",
    ));
    assert_eq!(e.code, "FF01");
    // More than was paid.
    let e = b.err(return_command(
        bank_b(),
        original,
        "R0",
        Some("100.01"),
        "AC04",
    ));
    assert_eq!(e.code, "AM09");
    assert_eq!(b.hub.state_hash(), hash);

    // Partial return.
    let Answer::Payment(r1) = b.ok(return_command(
        bank_b(),
        original,
        "R1",
        Some("30.00"),
        "AC04 account closed",
    )) else {
        panic!("expected a receipt")
    };
    assert_eq!(r1.status, PaymentStatus::Settled);
    let ret = b.hub.payment(r1.payment).unwrap();
    assert_eq!(ret.return_of, Some(original));
    assert_eq!(ret.sender, bank_b());
    assert_eq!(ret.receiver(), bank_a());
    assert_eq!(ret.amount, 3_000);
    assert_eq!(ret.instruction.amount, "30.00");
    assert_eq!(ret.instruction.uetr, uetr_for("R1"));
    assert_eq!(ret.instruction.creditor.name, "Ivan Petrov");
    assert_eq!(ret.instruction.debtor.name, "Ali Rezaei");
    assert_eq!(
        ret.instruction
            .creditor_account
            .as_ref()
            .unwrap()
            .other
            .as_deref(),
        Some("40817810099910004312")
    );
    let reason = ret.return_reason.as_ref().unwrap();
    assert_eq!(reason.code, "AC04");
    assert_eq!(reason.message, "account closed");
    let orig = b.hub.payment(original).unwrap();
    assert_eq!(orig.status, PaymentStatus::Settled);
    assert_eq!(orig.returned_amount, 3_000);
    assert_eq!(orig.returns, [r1.payment]);
    assert_eq!(b.balance(bank_a(), rub()), 3_000);
    assert_eq!(b.balance(bank_b(), rub()), 7_000);
    assert!(b.outbox(bank_a()).contains(&OutboxEvent::IncomingPayment {
        payment: r1.payment,
        uetr: uetr_for("R1"),
    }));

    // Retrying the same return is harmless.
    let hash = b.hub.state_hash();
    let Answer::Payment(retry) = b.ok(return_command(
        bank_b(),
        original,
        "R1",
        Some("30.00"),
        "AC04 account closed",
    )) else {
        panic!("expected a receipt")
    };
    assert!(retry.duplicate);
    assert_eq!(retry.payment, r1.payment);
    assert_eq!(b.hub.state_hash(), hash);

    // Over-return of the rest.
    let e = b.err(return_command(
        bank_b(),
        original,
        "R2",
        Some("70.01"),
        "AC04",
    ));
    assert_eq!(e.code, "AM09");
    // The rest (no amount = all that is left): the original is now Returned.
    let Answer::Payment(r2) = b.ok(return_command(bank_b(), original, "R2", None, "CUST")) else {
        panic!("expected a receipt")
    };
    assert_eq!(r2.status, PaymentStatus::Settled);
    assert_eq!(b.hub.payment(r2.payment).unwrap().amount, 7_000);
    let orig = b.hub.payment(original).unwrap();
    assert_eq!(orig.status, PaymentStatus::Returned);
    assert_eq!(orig.returned_amount, 10_000);
    assert_eq!(
        orig.history.last().unwrap().reason.as_ref().unwrap().code,
        "CUST"
    );
    assert_eq!(orig.status.iso_code(), "ACSC");
    assert_eq!(b.balance(bank_a(), rub()), 10_000);
    assert_eq!(b.balance(bank_b(), rub()), 0);
    assert!(b.outbox(bank_a()).iter().any(|e| matches!(
        e,
        OutboxEvent::PaymentStatus { payment, status: PaymentStatus::Returned, .. } if *payment == original
    )));
    // Nothing is left to return.
    let e = b.err(return_command(
        bank_b(),
        original,
        "R3",
        Some("0.01"),
        "CUST",
    ));
    assert_eq!(e.code, "AG01");
    b.hub.check_invariants().unwrap();
}

#[test]
fn a_full_return_in_one_go_and_a_queued_return_counts_against_the_rest() {
    let mut b = Bench::standard();
    b.fund(bank_b(), irr(), "5000000");
    let original = b
        .pay_ok(bank_b(), instruction("P1", bank_a(), "5000000", irr()))
        .payment;
    // A defunds everything, so its return has to queue.
    b.ok(HubCommand::Liquidity {
        agent: cbi(),
        reference: "OUT".into(),
        participant: bank_a(),
        currency: irr(),
        amount: "5000000".into(),
        direction: LiquidityDirection::Defund,
        account: AccountPurpose::Settlement,
    });
    let Answer::Payment(queued) = b.ok(return_command(
        bank_a(),
        original,
        "R1",
        Some("2000000"),
        "FOCR",
    )) else {
        panic!("expected a receipt")
    };
    assert_eq!(queued.status, PaymentStatus::Queued);
    // The queued return is in flight: only 3,000,000 are left to return.
    let e = b.err(return_command(
        bank_a(),
        original,
        "R2",
        Some("3000001"),
        "FOCR",
    ));
    assert_eq!(e.code, "AM09");
    // Returning "the rest" takes only what is not in flight.
    let Answer::Payment(rest) = b.ok(return_command(bank_a(), original, "R2", None, "FOCR")) else {
        panic!("expected a receipt")
    };
    assert_eq!(b.hub.payment(rest.payment).unwrap().amount, 3_000_000);
    assert_eq!(status(&b, original), PaymentStatus::Settled);
    // Money arrives: both returns settle and the original is Returned.
    b.fund(bank_a(), irr(), "5000000");
    assert_eq!(status(&b, queued.payment), PaymentStatus::Settled);
    assert_eq!(status(&b, rest.payment), PaymentStatus::Settled);
    assert_eq!(status(&b, original), PaymentStatus::Returned);
    assert_eq!(b.balance(bank_b(), irr()), 5_000_000);
    assert_eq!(b.balance(bank_a(), irr()), 0);
    b.hub.check_invariants().unwrap();
}

// ---- idempotency and validation ---------------------------------------------------------

#[test]
fn a_retried_instruction_is_a_duplicate_and_a_changed_one_is_refused() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    let i = instruction("P1", bank_b(), "10.00", rub());
    let first = b.pay_ok(bank_a(), i.clone());
    assert!(!first.duplicate);
    let hash = b.hub.state_hash();
    let outbox_len = b.outbox(bank_a()).len();

    let again = b.pay_ok(bank_a(), i.clone());
    assert!(again.duplicate);
    assert_eq!(again.payment, first.payment);
    assert_eq!(again.status, PaymentStatus::Settled);
    assert_eq!(b.hub.payment_count(), 1);
    assert_eq!(b.balance(bank_a(), rub()), 9_000);
    assert_eq!(b.outbox(bank_a()).len(), outbox_len);
    assert_eq!(b.hub.state_hash(), hash);

    // Same instruction id, another body: DUPL.
    let mut changed = i.clone();
    changed.amount = "10.01".into();
    assert_eq!(b.pay(bank_a(), changed).unwrap_err().code, "DUPL");
    let mut changed = i.clone();
    changed.remittance_information = Some("invoice 43".into());
    assert_eq!(b.pay(bank_a(), changed).unwrap_err().code, "DUPL");
    // Another instruction id reusing the UETR: DUPL.
    let mut reused = instruction("P2", bank_b(), "10.00", rub());
    reused.uetr = i.uetr;
    assert_eq!(b.pay(bank_a(), reused).unwrap_err().code, "DUPL");
    // Another sender reusing the UETR: DUPL too.
    b.fund(bank_c(), rub(), "10.00");
    let hash = b.hub.state_hash();
    let mut reused = instruction("P1", bank_b(), "10.00", rub());
    reused.uetr = i.uetr;
    assert_eq!(b.pay(bank_c(), reused).unwrap_err().code, "DUPL");
    assert_eq!(b.hub.payment_count(), 1);
    assert_eq!(b.hub.state_hash(), hash);
    assert_eq!(b.hub.payment_by_uetr(i.uetr).unwrap().id, first.payment);

    // The same instruction id from another sender is its own payment.
    let other = b.pay_ok(bank_c(), instruction("P1-C", bank_b(), "10.00", rub()));
    assert!(!other.duplicate);
    let mut same_id = instruction("P1", bank_b(), "1.00", rub());
    same_id.uetr = uetr_for("P1 from D");
    b.fund(bank_d(), rub(), "1.00");
    let from_d = b.pay_ok(bank_d(), same_id);
    assert!(!from_d.duplicate);
    assert_ne!(from_d.payment, first.payment);
}

#[test]
fn a_queued_duplicate_answers_the_current_status() {
    let mut b = Bench::standard();
    let i = instruction("P1", bank_b(), "10.00", rub());
    let first = b.pay_ok(bank_a(), i.clone());
    assert_eq!(first.status, PaymentStatus::Queued);
    b.fund(bank_a(), rub(), "10.00");
    let again = b.pay_ok(bank_a(), i);
    assert!(again.duplicate);
    assert_eq!(again.payment, first.payment);
    assert_eq!(again.status, PaymentStatus::Settled);
    assert_eq!(b.balance(bank_b(), rub()), 1_000);
}

#[test]
fn malformed_instructions_are_refused_and_change_nothing() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "1000.00");
    b.fund(bank_a(), irr(), "1000");
    b.admit(
        bic("SUSPRUMM"),
        "Suspended Bank",
        "RU",
        &[ParticipantRole::DirectParticipant],
    );
    b.ok(HubCommand::OpenAccount {
        owner: bic("SUSPRUMM"),
        currency: rub(),
        purpose: AccountPurpose::Settlement,
        net_debit_cap: 0,
    });
    b.ok(set_status(bic("SUSPRUMM"), ParticipantStatus::Suspended));
    b.admit(
        bic("NOACRUMM"),
        "No Account Bank",
        "RU",
        &[ParticipantRole::DirectParticipant],
    );

    let base = || instruction("BAD", bank_b(), "10.00", rub());
    type Mutation = Box<dyn Fn(&mut corridor_settlement::PaymentInstruction)>;
    let cases: Vec<(&str, Mutation, &str)> = vec![
        (
            "over-long debtor name",
            Box::new(|i| i.debtor.name = "n".repeat(141)),
            "FF01",
        ),
        (
            "over-long instruction id",
            Box::new(|i| i.instruction_id = "i".repeat(36)),
            "FF01",
        ),
        (
            "empty end-to-end id",
            Box::new(|i| i.end_to_end_id = String::new()),
            "FF01",
        ),
        (
            "control character in creditor name",
            Box::new(|i| i.creditor.name = "Ali\u{0000}".into()),
            "FF01",
        ),
        (
            "bidi override in remittance",
            Box::new(|i| i.remittance_information = Some("pay \u{202E}001".into())),
            "FF01",
        ),
        (
            "newline in debtor name",
            Box::new(|i| i.debtor.name = "Ivan\nPetrov".into()),
            "FF01",
        ),
        (
            "bad IBAN check digits",
            Box::new(|i| {
                i.creditor_account = Some(CashAccount {
                    iban: Some("DE89370400440532013001".into()),
                    other: None,
                })
            }),
            "AC01",
        ),
        (
            "lowercase IBAN",
            Box::new(|i| {
                i.debtor_account = Some(CashAccount {
                    iban: Some("de89370400440532013000".into()),
                    other: None,
                })
            }),
            "AC01",
        ),
        (
            "account with neither IBAN nor other id",
            Box::new(|i| i.debtor_account = Some(CashAccount::default())),
            "FF01",
        ),
        (
            "bad purpose code",
            Box::new(|i| i.purpose = Some("gdds".into())),
            "FF01",
        ),
        (
            "pacs.009 without BICs",
            Box::new(|i| i.kind = PaymentKind::FinancialInstitutionTransfer),
            "FF01",
        ),
        (
            "three decimals in RUB",
            Box::new(|i| i.amount = "1.001".into()),
            "AM12",
        ),
        (
            "decimals in IRR",
            Box::new(|i| {
                i.currency = irr();
                i.amount = "10.5".into();
            }),
            "AM12",
        ),
        ("zero", Box::new(|i| i.amount = "0".into()), "AM01"),
        (
            "zero with decimals",
            Box::new(|i| i.amount = "0.00".into()),
            "AM01",
        ),
        ("negative", Box::new(|i| i.amount = "-5".into()), "AM12"),
        ("plus sign", Box::new(|i| i.amount = "+5".into()), "AM12"),
        ("exponent", Box::new(|i| i.amount = "1e3".into()), "AM12"),
        (
            "empty amount",
            Box::new(|i| i.amount = String::new()),
            "AM12",
        ),
        ("spaces", Box::new(|i| i.amount = " 5".into()), "AM12"),
        ("trailing dot", Box::new(|i| i.amount = "5.".into()), "AM12"),
        ("overflow", Box::new(|i| i.amount = "9".repeat(60)), "AM12"),
        (
            "currency without an agent",
            Box::new(|i| i.currency = ccy("EUR")),
            "AM03",
        ),
        (
            "unknown instructed agent",
            Box::new(|i| i.instructed_agent = bic("UNKNRUMM")),
            "RC04",
        ),
        (
            "suspended receiver",
            Box::new(|i| i.instructed_agent = bic("SUSPRUMM")),
            "AG01",
        ),
        (
            "paying itself",
            Box::new(|i| i.instructed_agent = bank_a()),
            "AG01",
        ),
        (
            "receiver without an account in the currency",
            Box::new(|i| i.instructed_agent = bic("NOACRUMM")),
            "AC01",
        ),
    ];
    let hash = b.hub.state_hash();
    for (what, mutate, code) in &cases {
        let mut i = base();
        mutate(&mut i);
        let e = b.pay(bank_a(), i).expect_err(what);
        assert_eq!(e.code, *code, "{what}: {e}");
        assert_eq!(b.hub.state_hash(), hash, "{what} changed the state");
    }
    assert_eq!(b.hub.payment_count(), 0);

    // A valid pacs.009 with both BICs is accepted, with the same fields.
    let mut fi = base();
    fi.instruction_id = "FI-1".into();
    fi.uetr = uetr_for("FI-1");
    fi.kind = PaymentKind::FinancialInstitutionTransfer;
    for party in [&mut fi.debtor, &mut fi.creditor] {
        party.identification = Some(PartyIdentification {
            any_bic: Some(bank_a()),
            ..PartyIdentification::default()
        });
    }
    fi.creditor_account = Some(CashAccount {
        iban: Some("DE89370400440532013000".into()),
        other: None,
    });
    assert_eq!(b.pay_ok(bank_a(), fi).status, PaymentStatus::Settled);

    // Senders that may not send: the whole command is refused.
    let hash = b.hub.state_hash();
    for (sender, code) in [
        (bic("SUSPRUMM"), "AG01"),
        (bic("UNKNRUMM"), "AG01"),
        // An agent may send, but has no RUB settlement account.
        (cbr(), "AC01"),
    ] {
        let outcome = b.run(HubCommand::SubmitPayments {
            sender,
            payments: vec![instruction("S1", bank_b(), "1.00", rub())],
            screening: Vec::new(),
        });
        let e = match outcome {
            Err(e) => e,
            Ok(answer) => receipts(answer).remove(0).unwrap_err(),
        };
        assert_eq!(e.code, code, "{sender}: {e}");
        assert_eq!(b.hub.state_hash(), hash);
    }
    // A refused instruction id may be used again once fixed.
    let mut i = base();
    i.amount = "1.001".into();
    assert!(b.pay(bank_a(), i).is_err());
    assert_eq!(b.pay_ok(bank_a(), base()).status, PaymentStatus::Settled);
}

#[test]
fn an_fx_provider_only_participant_may_not_send() {
    let mut b = Bench::standard();
    b.admit(
        bic("FXPRRUMM"),
        "FX Provider",
        "RU",
        &[ParticipantRole::FxProvider],
    );
    let hash = b.hub.state_hash();
    let e = b.err(HubCommand::SubmitPayments {
        sender: bic("FXPRRUMM"),
        payments: vec![instruction("S1", bank_b(), "1.00", rub())],
        screening: Vec::new(),
    });
    assert_eq!(e.code, "AG01");
    assert_eq!(b.hub.state_hash(), hash);
}

// ---- net debit cap ----------------------------------------------------------------------

#[test]
fn a_net_debit_cap_lets_a_payment_settle_and_cannot_drop_below_the_overdraft() {
    let mut b = Bench::standard();
    let account = b.account(bank_a(), rub());
    let r = b.pay_ok(bank_a(), instruction("P1", bank_b(), "100.00", rub()));
    assert_eq!(r.status, PaymentStatus::Queued);

    // Raising the cap retries the queue.
    b.ok(HubCommand::SetNetDebitCap {
        account,
        net_debit_cap: 50_000,
    });
    assert_eq!(status(&b, r.payment), PaymentStatus::Settled);
    assert_eq!(b.balance(bank_a(), rub()), -10_000);
    assert_eq!(b.balance(bank_b(), rub()), 10_000);

    // Within the cap, a new payment settles at once; beyond it, it queues.
    let r2 = b.pay_ok(bank_a(), instruction("P2", bank_b(), "400.00", rub()));
    assert_eq!(r2.status, PaymentStatus::Settled);
    assert_eq!(b.balance(bank_a(), rub()), -50_000);
    let r3 = b.pay_ok(bank_a(), instruction("P3", bank_b(), "0.01", rub()));
    assert_eq!(r3.status, PaymentStatus::Queued);

    // Below the current overdraft: refused, and the cap stays.
    let e = b.err(HubCommand::SetNetDebitCap {
        account,
        net_debit_cap: 49_999,
    });
    assert_eq!(e.code, "AM04");
    assert_eq!(
        b.hub.ledger().account(account).unwrap().rule,
        corridor_ledger::BalanceRule::DebitsMustNotExceedCredits { limit: 50_000 }
    );
    assert_eq!(b.balance(bank_a(), rub()), -50_000);
    // Exactly the overdraft is fine.
    b.ok(HubCommand::SetNetDebitCap {
        account,
        net_debit_cap: 50_000,
    });
    assert_eq!(status(&b, r3.payment), PaymentStatus::Queued);

    // Only settlement accounts have a cap; unknown accounts are not found.
    let funding = b
        .hub
        .currencies()
        .find(|c| c.currency.code == rub())
        .unwrap()
        .funding_account;
    let e = b.err(HubCommand::SetNetDebitCap {
        account: funding,
        net_debit_cap: 1,
    });
    assert_eq!(e.code, "AG01");
    let e = b.err(HubCommand::SetNetDebitCap {
        account: AccountId::new(9_999).unwrap(),
        net_debit_cap: 1,
    });
    assert_eq!(e.code, "NOTF");

    // Paying the overdraft back settles the queued payment.
    b.fund(bank_a(), rub(), "500.01");
    assert_eq!(status(&b, r3.payment), PaymentStatus::Settled);
    assert_eq!(b.balance(bank_a(), rub()), 0);
    b.hub.check_invariants().unwrap();
}

#[test]
fn an_account_opened_with_a_cap_may_go_into_overdraft() {
    let mut b = Bench::standard();
    b.admit(
        bic("CAPBRUMM"),
        "Capped Bank",
        "RU",
        &[ParticipantRole::DirectParticipant],
    );
    b.ok(HubCommand::OpenAccount {
        owner: bic("CAPBRUMM"),
        currency: rub(),
        purpose: AccountPurpose::Settlement,
        net_debit_cap: 1_000,
    });
    let r = b.pay_ok(bic("CAPBRUMM"), instruction("P1", bank_a(), "10.00", rub()));
    assert_eq!(r.status, PaymentStatus::Settled);
    assert_eq!(b.balance(bic("CAPBRUMM"), rub()), -1_000);
    let r = b.pay_ok(bic("CAPBRUMM"), instruction("P2", bank_a(), "0.01", rub()));
    assert_eq!(r.status, PaymentStatus::Queued);
}

// ---- statements and outboxes --------------------------------------------------------------

#[test]
fn a_statement_gives_opening_and_closing_totals_and_the_entries_of_its_period() {
    let mut b = Bench::standard();
    let account = b.account(bank_a(), rub());
    let funded = b.fund(bank_a(), rub(), "100.00");
    b.advance(60);
    let p1 = b.pay_ok(bank_a(), instruction("P1", bank_b(), "30.00", rub()));
    b.advance(60);
    b.fund(bank_c(), rub(), "5.00");
    let p2 = b.pay_ok(bank_c(), instruction("P2", bank_a(), "5.00", rub()));
    b.advance(60);
    let p3 = b.pay_ok(bank_a(), instruction("P3", bank_d(), "1.00", rub()));

    let settled_at = |id| b.hub.payment(id).unwrap().settled_at.unwrap();
    let (t1, t2, t3) = (
        settled_at(p1.payment),
        settled_at(p2.payment),
        settled_at(p3.payment),
    );
    assert!(funded.at < t1 && t1 < t2 && t2 < t3);

    // The whole history.
    let all = b
        .hub
        .statement(account, Timestamp::ZERO, Timestamp(u64::MAX), usize::MAX)
        .unwrap();
    assert_eq!(all.account.id, account);
    assert_eq!((all.opening_credits, all.opening_debits), (0, 0));
    assert_eq!((all.closing_credits, all.closing_debits), (10_500, 3_100));
    let summary: Vec<_> = all
        .entries
        .iter()
        .map(|e| {
            (
                e.credit,
                e.amount,
                e.payment,
                e.credits_after,
                e.debits_after,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (true, 10_000, None, 10_000, 0),
            (false, 3_000, Some(p1.payment), 10_000, 3_000),
            (true, 500, Some(p2.payment), 10_500, 3_000),
            (false, 100, Some(p3.payment), 10_500, 3_100),
        ]
    );
    assert_eq!(all.entries[0].transfer, funded.transfer);
    assert_eq!(all.entries[0].at, funded.at);

    // [t1, t3): opening after the funding, closing after P2; P3 excluded.
    let mid = b.hub.statement(account, t1, t3, usize::MAX).unwrap();
    assert_eq!((mid.opening_credits, mid.opening_debits), (10_000, 0));
    assert_eq!((mid.closing_credits, mid.closing_debits), (10_500, 3_000));
    assert_eq!(mid.entries.len(), 2);
    assert_eq!(mid.entries[0].payment, Some(p1.payment));
    assert_eq!(mid.entries[1].payment, Some(p2.payment));
    let net: i128 = mid
        .entries
        .iter()
        .map(|e| {
            if e.credit {
                e.amount as i128
            } else {
                -(e.amount as i128)
            }
        })
        .sum();
    assert_eq!(
        (mid.opening_credits as i128 - mid.opening_debits as i128) + net,
        mid.closing_credits as i128 - mid.closing_debits as i128
    );

    // An empty period in between, and a reversed one.
    let quiet = b
        .hub
        .statement(
            account,
            Timestamp(t1.0 + 1),
            Timestamp(t1.0 + 2),
            usize::MAX,
        )
        .unwrap();
    assert!(quiet.entries.is_empty());
    assert_eq!(quiet.opening_credits, quiet.closing_credits);
    assert_eq!(quiet.opening_debits, quiet.closing_debits);
    assert_eq!(
        (quiet.opening_credits, quiet.opening_debits),
        (10_000, 3_000)
    );
    let reversed = b.hub.statement(account, t3, t1, usize::MAX).unwrap();
    assert!(reversed.entries.is_empty());

    // Pages of two: the first is cut at the third entry's instant, the second goes on from it.
    let first = b
        .hub
        .statement(account, Timestamp::ZERO, Timestamp(u64::MAX), 2)
        .unwrap();
    assert_eq!(first.entries.len(), 2);
    assert_eq!(first.next_from, Some(all.entries[2].at));
    assert_eq!(first.to, all.entries[2].at);
    assert_eq!(
        (first.closing_credits, first.closing_debits),
        (10_000, 3_000)
    );
    let second = b
        .hub
        .statement(account, first.next_from.unwrap(), Timestamp(u64::MAX), 2)
        .unwrap();
    assert_eq!(second.entries, all.entries[2..]);
    assert_eq!(second.next_from, None);
    assert_eq!(
        (second.opening_credits, second.opening_debits),
        (first.closing_credits, first.closing_debits)
    );

    // The receiver's statement shows the credit; an unknown account has none.
    let b_statement = b
        .hub
        .statement(
            b.account(bank_b(), rub()),
            Timestamp::ZERO,
            Timestamp(u64::MAX),
            usize::MAX,
        )
        .unwrap();
    assert_eq!(b_statement.entries.len(), 1);
    assert!(b_statement.entries[0].credit);
    assert_eq!(b_statement.closing_credits, 3_000);
    assert!(
        b.hub
            .statement(
                AccountId::new(9_999).unwrap(),
                Timestamp::ZERO,
                Timestamp(1),
                usize::MAX
            )
            .is_none()
    );
}

#[test]
fn outbox_messages_are_read_by_cursor_and_dropped_once_acknowledged() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    b.pay_ok(bank_a(), instruction("P1", bank_b(), "10.00", rub()));
    b.pay_ok(bank_a(), instruction("P2", bank_b(), "10.00", rub()));
    let outbox = b.hub.outbox(bank_a()).unwrap();
    let all = outbox.read(None, 100);
    assert_eq!(
        all.iter().map(|m| m.seq).collect::<Vec<_>>(),
        [1, 2, 3],
        "funding and two statuses"
    );
    assert!(matches!(all[0].event, OutboxEvent::Liquidity { .. }));
    assert!(all.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(outbox.last_seq(), 3);
    assert_eq!(outbox.read(Some(1), 1).len(), 1);
    assert_eq!(outbox.read(Some(1), 1)[0].seq, 2);

    b.ok(HubCommand::AcknowledgeOutbox {
        participant: bank_a(),
        up_to: 2,
    });
    let outbox = b.hub.outbox(bank_a()).unwrap();
    assert_eq!(outbox.acknowledged(), 2);
    let rest = outbox.read(None, 100);
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].seq, 3);
    assert_eq!(rest[0], all[2]);
    // Acknowledging an older number again changes nothing.
    let hash = b.hub.state_hash();
    b.ok(HubCommand::AcknowledgeOutbox {
        participant: bank_a(),
        up_to: 1,
    });
    assert_eq!(b.hub.state_hash(), hash);
    // New messages continue the numbering.
    b.pay_ok(bank_a(), instruction("P3", bank_b(), "10.00", rub()));
    let seqs: Vec<u64> = b
        .hub
        .outbox(bank_a())
        .unwrap()
        .read(None, 100)
        .iter()
        .map(|m| m.seq)
        .collect();
    assert_eq!(seqs, [3, 4]);
    b.ok(HubCommand::AcknowledgeOutbox {
        participant: bank_a(),
        up_to: 1_000,
    });
    assert!(b.outbox(bank_a()).is_empty());
    assert_eq!(b.hub.outbox(bank_a()).unwrap().acknowledged(), 4);
    // B's outbox is untouched by A's acknowledgements.
    assert_eq!(b.outbox(bank_b()).len(), 3);
}

// ---- batches ----------------------------------------------------------------------------

#[test]
fn a_batch_answers_each_item_on_its_own() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "15.00");
    let mut bad_amount = instruction("B2", bank_b(), "1.001", rub());
    bad_amount.uetr = uetr_for("B2");
    let items = vec![
        instruction("B1", bank_b(), "10.00", rub()),
        bad_amount,
        instruction("B3", bank_c(), "10.00", rub()),
        instruction("B4", bic("UNKNRUMM"), "1.00", rub()),
        // A duplicate within the same batch.
        instruction("B1", bank_b(), "10.00", rub()),
        instruction("B5", bank_d(), "1.00", rub()),
    ];
    let answer = b.ok(HubCommand::SubmitPayments {
        sender: bank_a(),
        payments: items,
        screening: Vec::new(),
    });
    let r = receipts(answer);
    assert_eq!(r.len(), 6);
    let b1 = r[0].as_ref().unwrap();
    assert_eq!(b1.status, PaymentStatus::Settled);
    assert_eq!(r[1].as_ref().unwrap_err().code, "AM12");
    let b3 = r[2].as_ref().unwrap();
    assert_eq!(b3.status, PaymentStatus::Queued);
    assert_eq!(r[3].as_ref().unwrap_err().code, "RC04");
    let dup = r[4].as_ref().unwrap();
    assert!(dup.duplicate);
    assert_eq!(dup.payment, b1.payment);
    // B5 fits (5.00 left) but waits behind the queued B3.
    let b5 = r[5].as_ref().unwrap();
    assert_eq!(b5.status, PaymentStatus::Queued);
    assert_eq!(b.hub.payment_count(), 3);
    assert_eq!(b.balance(bank_a(), rub()), 500);
    assert_eq!(b.balance(bank_b(), rub()), 1_000);
}

#[test]
fn an_empty_or_oversized_batch_is_refused() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100000.00");
    let hash = b.hub.state_hash();
    let e = b.err(HubCommand::SubmitPayments {
        sender: bank_a(),
        payments: vec![],
        screening: Vec::new(),
    });
    assert_eq!(e.code, "FF01");
    let one = instruction("X", bank_b(), "1.00", rub());
    let e = b.err(HubCommand::SubmitPayments {
        sender: bank_a(),
        payments: vec![one.clone(); 10_001],
        screening: Vec::new(),
    });
    assert_eq!(e.code, "FF01");
    assert_eq!(b.hub.state_hash(), hash);
    assert_eq!(b.hub.payment_count(), 0);

    // Exactly 10,000 is allowed.
    let payments: Vec<_> = (0..10_000)
        .map(|n| instruction(&format!("X{n}"), bank_b(), "1.00", rub()))
        .collect();
    let r = receipts(b.ok(HubCommand::SubmitPayments {
        sender: bank_a(),
        payments,
        screening: Vec::new(),
    }));
    assert_eq!(r.len(), 10_000);
    assert!(
        r.iter()
            .all(|r| r.as_ref().is_ok_and(|r| r.status == PaymentStatus::Settled))
    );
    assert_eq!(b.balance(bank_b(), rub()), 1_000_000);
    assert_eq!(b.balance(bank_a(), rub()), 9_000_000);
}

// ---- snapshots and the codec ------------------------------------------------------------

/// Builds a hub with something of everything: settled, queued, cancelled, returned payments,
/// liquidity, a cap, a suspension, tokens and acknowledged outboxes.
fn busy_bench() -> Bench {
    let mut b = Bench::standard();
    b.ok(HubCommand::Configure(HubConfig {
        queue_timeout_seconds: 120,
        ..HubConfig::default()
    }));
    b.fund(bank_a(), rub(), "100.00");
    b.fund(bank_b(), irr(), "1000000");
    let p1 = b.pay_ok(bank_a(), instruction("S1", bank_b(), "40.00", rub()));
    b.pay_ok(bank_a(), instruction("S2", bank_c(), "80.00", rub()));
    let urgent = with_priority(instruction("S3", bank_d(), "5.00", rub()), Priority::Urgent);
    b.pay_ok(bank_a(), urgent);
    let cancelled = b.pay_ok(bank_a(), instruction("S4", bank_d(), "1.00", rub()));
    b.ok(cancel(bank_a(), cancelled.payment, "CUST"));
    b.pay_ok(bank_b(), instruction("S5", bank_d(), "2000000", irr()));
    b.ok(return_command(
        bank_b(),
        p1.payment,
        "RET1",
        Some("10.00"),
        "AC04",
    ));
    b.ok(HubCommand::SetNetDebitCap {
        account: b.account(bank_c(), rub()),
        net_debit_cap: 1_000,
    });
    b.ok(set_status(bank_d(), ParticipantStatus::Suspended));
    b.ok(HubCommand::RegisterToken {
        token_sha256: "a".repeat(64),
        subject: bank_a().to_string(),
    });
    b.ok(HubCommand::AcknowledgeOutbox {
        participant: bank_a(),
        up_to: 2,
    });
    b.hub.check_invariants().unwrap();
    assert!(b.hub.queue_depth() >= 2);
    b
}

fn continuation() -> Vec<(u64, HubCommand)> {
    vec![
        (
            1,
            HubCommand::Liquidity {
                agent: cbr(),
                reference: "LATE-1".into(),
                participant: bank_a(),
                currency: rub(),
                amount: "30.00".into(),
                direction: LiquidityDirection::Fund,
                account: AccountPurpose::Settlement,
            },
        ),
        (
            1,
            HubCommand::SubmitPayments {
                sender: bank_c(),
                payments: vec![instruction("C1", bank_a(), "9.00", rub())],
                screening: Vec::new(),
            },
        ),
        (
            1,
            HubCommand::SetParticipantStatus {
                bic: bank_d(),
                status: ParticipantStatus::Active,
            },
        ),
        (
            1,
            HubCommand::SubmitPayments {
                sender: bank_a(),
                payments: vec![
                    instruction("C2", bank_b(), "500.00", rub()),
                    instruction("S1", bank_b(), "40.00", rub()),
                ],
                screening: Vec::new(),
            },
        ),
        (
            1,
            HubCommand::ReturnPayment {
                sender: bank_d(),
                original: 3,
                return_id: "RET-D".into(),
                uetr: uetr_for("RET-D"),
                amount: None,
                reason: "CUST".into(),
            },
        ),
        (200, HubCommand::Tick),
        (
            1,
            HubCommand::AcknowledgeOutbox {
                participant: bank_b(),
                up_to: 3,
            },
        ),
    ]
}

#[test]
fn a_snapshot_round_trips_and_continues_identically() {
    let mut live = busy_bench();
    let bytes = live.hub.encode_snapshot().expect("the state encodes");
    let restored = Hub::decode_snapshot(&bytes).expect("the snapshot decodes");
    assert_eq!(restored.state_hash(), live.hub.state_hash());
    // (The bytes themselves may differ: the ledger lists its transfer index in hash order.)
    assert_eq!(restored.queue_depth(), live.hub.queue_depth());
    assert_eq!(restored.next_deadline(), live.hub.next_deadline());
    assert_eq!(restored.payment_count(), live.hub.payment_count());
    restored.check_invariants().unwrap();
    let mut copy = Bench {
        hub: restored,
        now: live.now,
        ..Bench::empty()
    };
    for (seconds, command) in continuation() {
        let step = seconds * SECOND;
        live.now = Timestamp(live.now.0 + step);
        copy.now = Timestamp(copy.now.0 + step);
        let a = live.hub.execute(&command, live.now);
        let b = copy.hub.execute(&command, copy.now);
        assert_eq!(a, b, "{command:?}");
        assert_eq!(live.hub.state_hash(), copy.hub.state_hash(), "{command:?}");
        live.hub.check_invariants().unwrap();
        copy.hub.check_invariants().unwrap();
    }
    assert_eq!(
        live.hub.queue_depth(),
        0,
        "the tick timed out what was left"
    );
}

#[test]
fn a_damaged_snapshot_is_an_error_not_a_panic() {
    let b = busy_bench();
    let bytes = b.hub.encode_snapshot().expect("the state encodes");
    assert!(Hub::decode_snapshot(&[]).is_err());
    assert!(Hub::decode_snapshot(b"CORHUB01").is_err());
    assert!(Hub::decode_snapshot(&bytes[8..]).is_err());
    for cut in [9, bytes.len() / 2, bytes.len() - 1] {
        assert!(Hub::decode_snapshot(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    // Flipped bytes: decode may fail or give some hub; it must not panic.
    for at in (8..bytes.len()).step_by(bytes.len() / 64 + 1) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x5a;
        let _ = Hub::decode_snapshot(&damaged);
    }
}

#[test]
fn commands_round_trip_through_the_journal_codec() {
    let mut commands = vec![
        HubCommand::Configure(HubConfig::default()),
        HubCommand::Tick,
        HubCommand::AdmitParticipant {
            bic: bank_a(),
            name: "Sberbank".into(),
            country: "RU".into(),
            roles: vec![ParticipantRole::DirectParticipant],
        },
        HubCommand::OpenAccount {
            owner: bank_a(),
            currency: irr(),
            purpose: AccountPurpose::Settlement,
            net_debit_cap: u128::MAX,
        },
        HubCommand::RegisterToken {
            token_sha256: "0".repeat(64),
            subject: "operator".into(),
        },
        return_command(bank_b(), 7, "R", Some("1"), "CUST"),
    ];
    commands.extend(continuation().into_iter().map(|(_, c)| c));
    let mut i = instruction("FULL", bank_b(), "1.00", rub());
    i.kind = PaymentKind::FinancialInstitutionTransfer;
    i.debtor.identification = Some(PartyIdentification {
        any_bic: Some(bank_a()),
        lei: Some("5493001KJTIIGC8Y1R12".into()),
        other_id: None,
        other_scheme: None,
    });
    i.priority = Priority::Urgent;
    i.purpose = Some("GDDS".into());
    commands.push(HubCommand::SubmitPayments {
        sender: bank_a(),
        payments: vec![i],
        screening: Vec::new(),
    });
    for command in commands {
        let mut bytes = Vec::new();
        Hub::encode_request(&command, &mut bytes).expect("the command encodes");
        let decoded = Hub::decode_request(&bytes).expect("decodes");
        assert_eq!(decoded, command);
        assert_eq!(Hub::events(&command), command.events());
        if bytes.len() > 1 {
            // Truncated bytes are an error, never a panic.
            let _ = Hub::decode_request(&bytes[..bytes.len() - 1]);
        }
    }
    assert!(Hub::decode_request(&[0xff, 0xff, 0xff]).is_err());
}

#[test]
fn replaying_the_same_commands_gives_the_same_state() {
    let a = busy_bench();
    let b = busy_bench();
    assert_eq!(a.hub.state_hash(), b.hub.state_hash());
    assert_eq!(
        Hub::decode_snapshot(&a.hub.encode_snapshot().expect("the state encodes"))
            .unwrap()
            .state_hash(),
        b.hub.state_hash()
    );
}
