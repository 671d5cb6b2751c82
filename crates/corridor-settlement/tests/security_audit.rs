//! Issue 17's compliance findings in the hub: a bank learns only RR04 of a hold, a bank's
//! officers cannot release a sanctions hold (nor, when the scheme lets banks decide, be
//! both eyes of a four-eyes release), and no payment settles unscreened while no watchlist
//! is on record unless the operator disabled screening.

mod support;

use corridor_settlement::{
    ComplianceConfig, HoldDecision, HoldState, HubCommand, ListVersionRef, Officer, OutboxEvent,
    PaymentStatus, SanctionsDeciders, ScreenedRole, Screening, ScreeningHit, ScreeningPolicy,
};
use support::*;

fn list() -> ListVersionRef {
    ListVersionRef {
        list: "un".into(),
        date: "2026-11-20".into(),
        sha256: "sha".into(),
    }
}

fn hit_screening() -> Screening {
    Screening {
        lists: vec![list()],
        threshold: 850,
        hits: vec![ScreeningHit {
            role: ScreenedRole::Creditor,
            party_name: "Ali Rezaei".into(),
            list: "un".into(),
            entry_id: "QDi.1".into(),
            entry_name: "Listed Person".into(),
            entry_fingerprint: "f1".into(),
            score: 990,
            explanation: "test".into(),
        }],
    }
}

fn officer(name: &str, bank: Option<corridor_core::Bic>) -> Officer {
    Officer {
        name: name.into(),
        bank,
    }
}

/// A funded bank A with a payment to bank B held on a sanctions hit.
fn held(config: ComplianceConfig) -> (Bench, u64) {
    let mut b = Bench::standard();
    b.ok(HubCommand::ConfigureCompliance(config));
    b.ok(HubCommand::RecordWatchlist {
        version: list(),
        entries: 1,
    });
    b.fund(bank_a(), rub(), "100.00");
    let answer = b.ok(HubCommand::SubmitPayments {
        sender: bank_a(),
        payments: vec![instruction("P1", bank_b(), "10.00", rub())],
        screening: vec![hit_screening()],
    });
    let corridor_settlement::Answer::Payments(mut results) = answer else {
        panic!("a batch answer")
    };
    let receipt = results.remove(0).expect("accepted");
    assert_eq!(receipt.status, PaymentStatus::Held);
    (b, receipt.payment)
}

fn decide(who: Officer, payment: u64, decision: HoldDecision) -> HubCommand {
    HubCommand::DecideHold {
        officer: who,
        payment,
        decision,
        reason: "checked the passport copy".into(),
    }
}

const RELEASE: HoldDecision = HoldDecision::Release {
    false_positive: true,
};

#[test]
fn the_banks_see_only_rr04_on_a_held_payment() {
    let (b, payment) = held(ComplianceConfig::default());
    let p = b.hub.payment(payment).expect("the payment");
    for event in &p.history {
        if let Some(reason) = &event.reason {
            assert_eq!(reason.code, "RR04");
            for secret in ["Ali", "Rezaei", "un", "QDi", "Listed", "990"] {
                assert!(!reason.message.contains(secret), "{}", reason.message);
            }
        }
    }
    let outbox = b.hub.outbox(bank_a()).expect("an outbox").read(None, 100);
    for m in outbox {
        if let OutboxEvent::PaymentStatus {
            reason: Some(r), ..
        } = m.event
        {
            assert_eq!(r.code, "RR04");
            assert!(!r.message.contains("Rezaei"), "{}", r.message);
        }
    }
    let hold = b.hub.compliance().hold(payment).expect("the hold");
    assert!(hold.why.contains("QDi.1"), "officers keep the details");
}

#[test]
fn a_bank_officer_cannot_release_a_sanctions_hold_but_may_recommend() {
    let (mut b, payment) = held(ComplianceConfig::default());
    let release = decide(officer("olga", Some(bank_a())), payment, RELEASE);
    assert_eq!(b.err(release).code, "AG01");
    assert_eq!(b.hub.compliance().false_positives().count(), 0);
    let recommend = decide(
        officer("olga", Some(bank_a())),
        payment,
        HoldDecision::Recommend { release: true },
    );
    b.ok(recommend);
    let hold = b.hub.compliance().hold(payment).expect("the hold");
    assert_eq!(hold.state, HoldState::Open);
    assert_eq!(hold.recommendations.len(), 1);
    let release = decide(officer("omar", None), payment, RELEASE);
    b.ok(release);
    assert_eq!(
        b.hub.payment(payment).map(|p| p.status),
        Some(PaymentStatus::Settled)
    );
}

#[test]
fn four_eyes_never_takes_two_officers_of_the_same_bank() {
    let (mut b, payment) = held(ComplianceConfig {
        four_eyes: true,
        sanctions_decided_by: SanctionsDeciders::BankOfficers,
        ..ComplianceConfig::default()
    });
    let first = decide(officer("olga", Some(bank_a())), payment, RELEASE);
    b.ok(first);
    let same_bank = decide(officer("pavel", Some(bank_a())), payment, RELEASE);
    assert_eq!(b.err(same_bank).code, "AG01");
    assert_eq!(
        b.hub.payment(payment).map(|p| p.status),
        Some(PaymentStatus::Held)
    );
    let operator = decide(officer("omar", None), payment, RELEASE);
    b.ok(operator);
    assert_eq!(
        b.hub.payment(payment).map(|p| p.status),
        Some(PaymentStatus::Settled)
    );
}

#[test]
fn without_a_watchlist_a_payment_is_not_settled_unless_screening_is_disabled() {
    let mut b = Bench::standard();
    b.ok(HubCommand::ConfigureCompliance(ComplianceConfig::default()));
    b.fund(bank_a(), rub(), "100.00");
    let r = b.pay_ok(bank_a(), instruction("P1", bank_b(), "10.00", rub()));
    assert_eq!(r.status, PaymentStatus::Held);
    assert_eq!(b.balance(bank_b(), rub()), 0);

    b.ok(HubCommand::ConfigureCompliance(ComplianceConfig {
        screening: ScreeningPolicy::Disabled,
        ..ComplianceConfig::default()
    }));
    let r = b.pay_ok(bank_a(), instruction("P2", bank_b(), "10.00", rub()));
    assert_eq!(r.status, PaymentStatus::Settled);
    let audited = b
        .hub
        .audit()
        .page(1, usize::MAX)
        .iter()
        .any(|rec| rec.actor == "operator" && format!("{:?}", rec.action).contains("Disabled"));
    assert!(audited, "disabling screening is in the audit chain");
}
