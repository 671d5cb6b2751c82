//! Recalls of settled payments: the debtor agent asks, the creditor agent alone answers,
//! once; an acceptance sends the money back exactly once as a return linked to the recall;
//! every refusal changes nothing; recalls survive a snapshot and a replay.

mod support;

use corridor_core::Bic;
use corridor_ledger::StateMachine;
use corridor_settlement::{
    Answer, Hub, HubCommand, OutboxEvent, PaymentStatus, Recall, RecallDecision, RecallOutcome,
};
use support::*;

fn recall_command(sender: Bic, payment: u64, cancellation_id: &str, reason: &str) -> HubCommand {
    HubCommand::RecallPayment {
        sender,
        payment,
        cancellation_id: cancellation_id.into(),
        reason: reason.into(),
    }
}

fn accept(responder: Bic, recall: u64, return_id: &str) -> HubCommand {
    HubCommand::AnswerRecall {
        responder,
        recall,
        decision: RecallDecision::Accept {
            return_id: return_id.into(),
            uetr: uetr_for(return_id),
        },
    }
}

fn reject(responder: Bic, recall: u64, reason: &str) -> HubCommand {
    HubCommand::AnswerRecall {
        responder,
        recall,
        decision: RecallDecision::Reject {
            reason: reason.into(),
        },
    }
}

fn recall_of(answer: Answer) -> (Recall, bool) {
    match answer {
        Answer::Recall { recall, duplicate } => (*recall, duplicate),
        other => panic!("expected a recall, got {other:?}"),
    }
}

/// A funds B 100.00 RUB, then pays B 40.00, which settles: payment 1.
fn settled_payment() -> (Bench, u64) {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    let receipt = b.pay_ok(bank_a(), instruction("P1", bank_b(), "40.00", rub()));
    assert_eq!(receipt.status, PaymentStatus::Settled);
    (b, receipt.payment)
}

/// The settled payment and an open recall of it by A: recall 1.
fn recalled() -> (Bench, u64, Recall) {
    let (mut b, payment) = settled_payment();
    let (recall, duplicate) = recall_of(b.ok(recall_command(
        bank_a(),
        payment,
        "CXL-1",
        "DUPL sent twice",
    )));
    assert!(!duplicate);
    (b, payment, recall)
}

#[test]
fn a_recall_of_a_settled_payment_goes_to_the_creditor_agent() {
    let (b, payment, recall) = recalled();
    assert_eq!(recall.id, 1);
    assert_eq!(recall.payment, payment);
    assert_eq!(recall.requester, bank_a());
    assert_eq!(recall.responder, bank_b());
    assert_eq!(recall.cancellation_id, "CXL-1");
    assert_eq!(recall.reason.code, "DUPL");
    assert_eq!(recall.reason.message, "sent twice");
    assert!(recall.is_open());
    assert!(
        b.outbox(bank_b())
            .contains(&OutboxEvent::RecallRequest { recall: 1 })
    );
    assert!(
        !b.outbox(bank_a())
            .iter()
            .any(|e| matches!(e, OutboxEvent::RecallRequest { .. }))
    );
    assert_eq!(
        b.hub.payment(payment).unwrap().status,
        PaymentStatus::Settled
    );
    assert_eq!(b.balance(bank_b(), rub()), 4_000, "nothing moved yet");
    b.hub.check_invariants().unwrap();
}

#[test]
fn an_accepted_recall_returns_the_money_once_and_answers_the_requester() {
    let (mut b, payment, recall) = recalled();
    let (answered, duplicate) = recall_of(b.ok(accept(bank_b(), recall.id, "RTN-1")));
    assert!(!duplicate);
    let outcome = answered.answer.as_ref().map(|a| &a.outcome);
    let Some(RecallOutcome::Accepted {
        return_payment,
        return_id,
    }) = outcome
    else {
        panic!("accepted, got {outcome:?}");
    };
    assert_eq!(return_id, "RTN-1");
    let returned = b.hub.payment(*return_payment).unwrap();
    assert_eq!(returned.return_of, Some(payment));
    assert_eq!(returned.status, PaymentStatus::Settled);
    assert_eq!(returned.return_reason.as_ref().unwrap().code, "FOCR");
    assert_eq!(
        b.hub.payment(payment).unwrap().status,
        PaymentStatus::Returned
    );
    assert_eq!(b.balance(bank_a(), rub()), 10_000);
    assert_eq!(b.balance(bank_b(), rub()), 0);
    assert!(
        b.outbox(bank_a())
            .contains(&OutboxEvent::RecallAnswer { recall: 1 })
    );
    assert!(b.outbox(bank_a()).contains(&OutboxEvent::IncomingPayment {
        payment: *return_payment,
        uetr: uetr_for("RTN-1"),
    }));

    // The same answer again is a retry: the same return, nothing moves.
    let (again, duplicate) = recall_of(b.ok(accept(bank_b(), recall.id, "RTN-1")));
    assert!(duplicate);
    assert_eq!(again.return_payment(), Some(*return_payment));
    assert_eq!(b.balance(bank_a(), rub()), 10_000);
    assert_eq!(b.hub.payment_count(), 2);
    b.hub.check_invariants().unwrap();
}

#[test]
fn a_rejected_recall_keeps_the_money_and_tells_the_requester_why() {
    let (mut b, payment, recall) = recalled();
    let (answered, _) = recall_of(b.ok(reject(bank_b(), recall.id, "CUST customer refuses")));
    let outcome = answered.answer.map(|a| a.outcome);
    let Some(RecallOutcome::Rejected { reason }) = outcome else {
        panic!("rejected, got {outcome:?}");
    };
    assert_eq!(reason.code, "CUST");
    assert_eq!(reason.message, "customer refuses");
    assert_eq!(
        b.hub.payment(payment).unwrap().status,
        PaymentStatus::Settled
    );
    assert_eq!(b.balance(bank_b(), rub()), 4_000);
    assert!(
        b.outbox(bank_a())
            .contains(&OutboxEvent::RecallAnswer { recall: 1 })
    );
    // Once answered, the payment may be recalled again, as a new request.
    let (second, _) = recall_of(b.ok(recall_command(bank_a(), payment, "CXL-2", "FRAD")));
    assert_eq!(second.id, 2);
    assert!(second.is_open());
    b.hub.check_invariants().unwrap();
}

#[test]
fn a_recall_is_answered_only_once() {
    let (mut b, _, recall) = recalled();
    b.ok(reject(bank_b(), recall.id, "LEGL"));
    let before = b.hub.state_hash();
    assert_eq!(b.err(accept(bank_b(), recall.id, "RTN-9")).code, "DUPL");
    assert_eq!(b.err(reject(bank_b(), recall.id, "NOAS")).code, "DUPL");
    assert_eq!(b.hub.state_hash(), before);
    assert_eq!(b.balance(bank_b(), rub()), 4_000);
    let (_, duplicate) = recall_of(b.ok(reject(bank_b(), recall.id, "LEGL")));
    assert!(duplicate, "the same rejection again is a retry");
}

#[test]
fn only_the_creditor_agent_answers_a_recall() {
    let (mut b, _, recall) = recalled();
    let before = b.hub.state_hash();
    for wrong in [bank_a(), bank_c(), bank_d(), cbr()] {
        assert_eq!(
            b.err(accept(wrong, recall.id, "RTN-X")).code,
            "NOTF",
            "{wrong}"
        );
        assert_eq!(
            b.err(reject(wrong, recall.id, "CUST")).code,
            "NOTF",
            "{wrong}"
        );
    }
    assert_eq!(b.err(accept(bank_b(), 99, "RTN-X")).code, "NOTF");
    assert_eq!(b.hub.state_hash(), before);
    assert!(b.hub.recall(recall.id).unwrap().is_open());
}

#[test]
fn only_the_sender_recalls_a_payment() {
    let (mut b, payment) = settled_payment();
    let before = b.hub.state_hash();
    for wrong in [bank_b(), bank_c(), cbr()] {
        let refusal = b.err(recall_command(wrong, payment, "CXL-W", "DUPL"));
        assert_eq!(refusal.code, "NOTF", "{wrong}");
    }
    assert_eq!(b.hub.state_hash(), before);
    assert_eq!(b.hub.recalls().count(), 0);
}

#[test]
fn a_recall_of_an_unknown_payment_is_refused() {
    let (mut b, _) = settled_payment();
    let before = b.hub.state_hash();
    assert_eq!(
        b.err(recall_command(bank_a(), 42, "CXL-U", "DUPL")).code,
        "NOTF"
    );
    assert_eq!(
        b.err(recall_command(bank_a(), 0, "CXL-U", "DUPL")).code,
        "NOTF"
    );
    assert_eq!(b.hub.state_hash(), before);
}

#[test]
fn a_repeated_recall_is_the_same_recall() {
    let (mut b, payment, recall) = recalled();
    let (same, duplicate) = recall_of(b.ok(recall_command(bank_a(), payment, "CXL-1", "DUPL")));
    assert!(duplicate);
    assert_eq!(same.id, recall.id);
    // Another request id while one is open: still the open recall.
    let (open, duplicate) = recall_of(b.ok(recall_command(bank_a(), payment, "CXL-7", "FRAD")));
    assert!(duplicate);
    assert_eq!(open.id, recall.id);
    assert_eq!(b.hub.recalls().count(), 1);
    let requests = b
        .outbox(bank_b())
        .iter()
        .filter(|e| matches!(e, OutboxEvent::RecallRequest { .. }))
        .count();
    assert_eq!(requests, 1, "the creditor agent is asked once");
    // The same request id for another payment is a conflict.
    b.fund(bank_a(), rub(), "1.00");
    let other = b.pay_ok(bank_a(), instruction("P2", bank_c(), "1.00", rub()));
    let refusal = b.err(recall_command(bank_a(), other.payment, "CXL-1", "DUPL"));
    assert_eq!(refusal.code, "DUPL");
}

#[test]
fn a_recall_of_a_queued_payment_cancels_it() {
    let mut b = Bench::standard();
    let queued = b.pay_ok(bank_a(), instruction("Q1", bank_b(), "5.00", rub()));
    assert_eq!(queued.status, PaymentStatus::Queued);
    let answer = b.ok(recall_command(bank_a(), queued.payment, "CXL-Q", "CUST"));
    let Answer::Payment(receipt) = answer else {
        panic!("a cancellation receipt, got {answer:?}");
    };
    assert_eq!(receipt.status, PaymentStatus::Cancelled);
    assert_eq!(b.hub.recalls().count(), 0);
    assert_eq!(b.hub.queue_depth(), 0);
    let Answer::Payment(again) = b.ok(recall_command(bank_a(), queued.payment, "CXL-Q", "CUST"))
    else {
        panic!("a receipt");
    };
    assert!(again.duplicate);
}

#[test]
fn recalls_that_cannot_be_forwarded_are_refused_and_change_nothing() {
    let (mut b, payment, recall) = recalled();
    b.ok(accept(bank_b(), recall.id, "RTN-1"));
    let before = b.hub.state_hash();
    // Returned in full: nothing left to recall.
    let refusal = b.err(recall_command(bank_a(), payment, "CXL-9", "DUPL"));
    assert_eq!(refusal.code, "NOCN");
    // A reason camt.056 does not know, or a malformed request id.
    b.fund(bank_a(), rub(), "1.00");
    let other = b.pay_ok(bank_a(), instruction("P3", bank_c(), "1.00", rub()));
    let before_other = b.hub.state_hash();
    assert_eq!(
        b.err(recall_command(bank_a(), other.payment, "CXL-3", "AC04"))
            .code,
        "FF01"
    );
    assert_eq!(
        b.err(recall_command(bank_a(), other.payment, "", "DUPL"))
            .code,
        "FF01"
    );
    assert_eq!(
        b.err(recall_command(
            bank_a(),
            other.payment,
            &"X".repeat(36),
            "DUPL"
        ))
        .code,
        "FF01"
    );
    assert_eq!(b.hub.state_hash(), before_other);
    assert_ne!(before, before_other);
}

#[test]
fn an_acceptance_under_a_return_id_already_used_is_refused() {
    let (mut b, payment, recall) = recalled();
    b.ok(HubCommand::ReturnPayment {
        sender: bank_b(),
        original: payment,
        return_id: "RTN-OWN".into(),
        uetr: uetr_for("RTN-OWN"),
        amount: Some("1.00".into()),
        reason: "AC04".into(),
    });
    let before = b.hub.state_hash();
    assert_eq!(b.err(accept(bank_b(), recall.id, "RTN-OWN")).code, "DUPL");
    assert_eq!(b.hub.state_hash(), before);
    // A fresh id returns what is left.
    let (answered, _) = recall_of(b.ok(accept(bank_b(), recall.id, "RTN-2")));
    let returned = b.hub.payment(answered.return_payment().unwrap()).unwrap();
    assert_eq!(returned.amount, 3_900);
    assert_eq!(b.balance(bank_b(), rub()), 0);
    b.hub.check_invariants().unwrap();
}

#[test]
fn recalls_survive_a_snapshot_and_a_replay() {
    let commands = |b: &mut Bench| {
        b.fund(bank_a(), rub(), "100.00");
        let p1 = b.pay_ok(bank_a(), instruction("P1", bank_b(), "40.00", rub()));
        let p2 = b.pay_ok(bank_a(), instruction("P2", bank_c(), "10.00", rub()));
        b.ok(recall_command(bank_a(), p1.payment, "CXL-1", "DUPL"));
        b.ok(recall_command(bank_a(), p2.payment, "CXL-2", "FRAD"));
        b.ok(reject(bank_b(), 1, "CUST"));
    };
    let mut live = Bench::standard();
    commands(&mut live);
    let mut again = Bench::standard();
    commands(&mut again);
    assert_eq!(live.hub.state_hash(), again.hub.state_hash());

    let restored = Hub::decode_snapshot(&live.hub.encode_snapshot().expect("the state encodes"))
        .expect("decodes");
    assert_eq!(restored.state_hash(), live.hub.state_hash());
    restored.check_invariants().unwrap();
    assert!(restored.recall(2).unwrap().is_open());
    let mut copy = Bench {
        hub: restored,
        now: live.now,
        ..Bench::empty()
    };
    // The open recall is still open after restoring, and answers alike in both.
    for command in [
        recall_command(bank_a(), 2, "CXL-2", "FRAD"),
        accept(bank_c(), 2, "RTN-C"),
        accept(bank_c(), 2, "RTN-C"),
    ] {
        assert_eq!(live.run(command.clone()), copy.run(command));
        assert_eq!(live.hub.state_hash(), copy.hub.state_hash());
    }
    copy.hub.check_invariants().unwrap();
    assert_eq!(copy.balance(bank_c(), rub()), 0);
}

#[test]
fn recall_commands_round_trip_through_the_journal_codec() {
    for command in [
        recall_command(bank_a(), 7, "CXL-1", "DUPL sent twice"),
        accept(bank_b(), 3, "RTN-1"),
        reject(bank_b(), 3, "LEGL court order"),
    ] {
        let mut bytes = Vec::new();
        Hub::encode_request(&command, &mut bytes).expect("the command encodes");
        assert_eq!(Hub::decode_request(&bytes).expect("decodes"), command);
    }
}

#[test]
fn the_latest_recall_of_each_payment_is_found_by_its_index_and_survives_a_snapshot() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    let payments: Vec<u64> = (0..3)
        .map(|n| {
            b.pay_ok(
                bank_a(),
                instruction(&format!("P{n}"), bank_b(), "10.00", rub()),
            )
            .payment
        })
        .collect();
    let agree = |hub: &Hub| {
        for payment in 1..=hub.payment_count() as u64 + 1 {
            let scanned = hub.recalls().filter(|r| r.payment == payment).last();
            assert_eq!(hub.latest_recall(payment), scanned, "payment {payment}");
        }
        hub.check_invariants().unwrap();
    };
    agree(&b.hub);
    // Payments 1 and 3 are recalled and refused twice each, payment 2 once and left open.
    for (round, payment) in [
        payments[0],
        payments[2],
        payments[0],
        payments[1],
        payments[2],
    ]
    .into_iter()
    .enumerate()
    {
        let (recall, _) = recall_of(b.ok(recall_command(
            bank_a(),
            payment,
            &format!("CXL-{round}"),
            "DUPL",
        )));
        agree(&b.hub);
        if payment != payments[1] {
            b.ok(reject(bank_b(), recall.id, "CUST"));
            agree(&b.hub);
        }
    }
    assert_eq!(b.hub.latest_recall(payments[0]).unwrap().id, 3);
    assert!(b.hub.latest_recall(payments[1]).unwrap().is_open());
    let restored = Hub::decode_snapshot(&b.hub.encode_snapshot().expect("the state encodes"))
        .expect("the snapshot decodes");
    agree(&restored);
    assert_eq!(restored.latest_recall(payments[2]).unwrap().id, 5);
}
