//! Sanctions holds in the hub: what a screening's hits do to a payment, every stage of the
//! review (release, reject, four-eyes), the banks' false-positive memory, the audit chain, and
//! that a held payment survives a snapshot and is never timed out or dropped.

mod support;

use corridor_ledger::StateMachine;
use corridor_settlement::{
    Answer, AuditAction, ComplianceConfig, Hold, HoldDecision, HoldState, Hub, HubCommand,
    ListVersionRef, Officer, OutboxEvent, PaymentReceipt, PaymentStatus, Rejection, ScreenedRole,
    Screening, ScreeningHit, ScreeningPolicy, verify_audit_chain,
};
use support::*;

fn un_list(date: &str) -> ListVersionRef {
    ListVersionRef {
        list: "un".to_string(),
        date: date.to_string(),
        sha256: format!("sha-of-{date}"),
    }
}

fn hit(party: &str, entry: &str, fingerprint: &str, score: u16) -> ScreeningHit {
    ScreeningHit {
        role: ScreenedRole::Creditor,
        party_name: party.to_string(),
        list: "un".to_string(),
        entry_id: entry.to_string(),
        entry_name: "Listed Person".to_string(),
        entry_fingerprint: fingerprint.to_string(),
        score,
        explanation: "test".to_string(),
    }
}

fn screened(hits: Vec<ScreeningHit>) -> Screening {
    Screening {
        lists: vec![un_list("2026-11-20")],
        threshold: 850,
        hits,
    }
}

fn officer(name: &str, bank: Option<corridor_core::Bic>) -> Officer {
    Officer {
        name: name.to_string(),
        bank,
    }
}

/// The standard bench with money on bank A and the UN list on record.
fn bench_with_list() -> Bench {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "1000.00");
    b.ok(HubCommand::RecordWatchlist {
        version: un_list("2026-11-20"),
        entries: 1000,
    });
    b
}

fn pay_screened(b: &mut Bench, id: &str, screening: Option<Screening>) -> PaymentReceipt {
    let answer = b.ok(HubCommand::SubmitPayments {
        sender: bank_a(),
        payments: vec![instruction(id, bank_b(), "10.00", rub())],
        screening: screening.into_iter().collect(),
    });
    receipts(answer)
        .remove(0)
        .unwrap_or_else(|e| panic!("payment {id} was refused: {e}"))
}

fn decide(
    b: &mut Bench,
    who: Officer,
    payment: u64,
    decision: HoldDecision,
) -> Result<Hold, Rejection> {
    b.run(HubCommand::DecideHold {
        officer: who,
        payment,
        decision,
        reason: "checked the passport copy".to_string(),
    })
    .map(|answer| match answer {
        Answer::Hold(hold) => *hold,
        other => panic!("expected a hold, got {other:?}"),
    })
}

const RELEASE: HoldDecision = HoldDecision::Release {
    false_positive: false,
};

fn actions(b: &Bench) -> Vec<AuditAction> {
    b.hub
        .audit()
        .page(1, usize::MAX)
        .iter()
        .map(|r| r.action.clone())
        .collect()
}

#[test]
fn without_a_recorded_list_an_unscreened_payment_is_held_unless_screening_is_disabled() {
    let mut b = Bench::standard();
    b.ok(HubCommand::ConfigureCompliance(ComplianceConfig::default()));
    b.fund(bank_a(), rub(), "100.00");
    let r = pay_screened(&mut b, "P1", None);
    assert_eq!(r.status, PaymentStatus::Held);
    assert_eq!(r.reason.map(|r| r.code), Some("RR04".to_string()));

    b.ok(HubCommand::ConfigureCompliance(ComplianceConfig {
        screening: ScreeningPolicy::Disabled,
        ..ComplianceConfig::default()
    }));
    let r = pay_screened(&mut b, "P2", None);
    assert_eq!(r.status, PaymentStatus::Settled);
}

#[test]
fn once_a_list_is_recorded_an_unscreened_payment_is_held() {
    let mut b = bench_with_list();
    let r = pay_screened(&mut b, "P1", None);
    assert_eq!(r.status, PaymentStatus::Held);
    let hold = b.hub.compliance().hold(r.payment).expect("a hold");
    assert!(hold.why.contains("unscreened"), "{}", hold.why);
}

#[test]
fn a_hit_at_the_threshold_holds_the_payment_and_tells_the_sender() {
    let mut b = bench_with_list();
    let before = b.balance(bank_a(), rub());
    let r = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 850)])),
    );
    assert_eq!(r.status, PaymentStatus::Held);
    assert_eq!(r.reason.as_ref().map(|x| x.code.as_str()), Some("RR04"));
    assert_eq!(b.balance(bank_a(), rub()), before, "nothing moved");
    let told = b.outbox(bank_a()).into_iter().any(|e| {
        matches!(e, OutboxEvent::PaymentStatus { payment, status: PaymentStatus::Held, .. } if payment == r.payment)
    });
    assert!(
        told,
        "the sender's outbox carries the held status (pacs.002 PDNG)"
    );
    assert!(
        b.outbox(bank_b())
            .iter()
            .all(|e| !matches!(e, OutboxEvent::IncomingPayment { .. })),
        "the receiver learns nothing of a held payment"
    );
    assert_eq!(PaymentStatus::Held.iso_code(), "PDNG");
}

#[test]
fn a_hit_below_the_threshold_does_not_hold() {
    let mut b = bench_with_list();
    let r = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 849)])),
    );
    assert_eq!(r.status, PaymentStatus::Settled);
}

#[test]
fn a_screening_against_a_superseded_list_version_is_held() {
    let mut b = bench_with_list();
    b.ok(HubCommand::RecordWatchlist {
        version: un_list("2026-11-23"),
        entries: 1001,
    });
    let r = pay_screened(&mut b, "P1", Some(screened(Vec::new())));
    assert_eq!(r.status, PaymentStatus::Held);
    let why = &b.hub.compliance().hold(r.payment).expect("a hold").why;
    assert!(why.contains("current version"), "{why}");
}

#[test]
fn a_release_by_an_operators_officer_settles_the_payment() {
    let mut b = bench_with_list();
    let r = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])),
    );
    let hold = decide(&mut b, officer("omar", None), r.payment, RELEASE).expect("released");
    assert_eq!(hold.state, HoldState::Released);
    let p = b.hub.payment(r.payment).expect("the payment");
    assert_eq!(p.status, PaymentStatus::Settled);
    assert_eq!(b.balance(bank_b(), rub()), 1000);
    let actions = actions(&b);
    assert!(
        actions.iter().any(
            |a| matches!(a, AuditAction::PaymentHeld { payment, .. } if *payment == r.payment)
        )
    );
    assert!(
        actions.iter().any(
            |a| matches!(a, AuditAction::HoldReleased { payment, .. } if *payment == r.payment)
        )
    );
}

#[test]
fn a_rejection_rejects_the_payment_with_rr04_and_the_reason() {
    let mut b = bench_with_list();
    let r = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])),
    );
    let hold = decide(
        &mut b,
        officer("olga", Some(bank_a())),
        r.payment,
        HoldDecision::Reject,
    )
    .expect("rejected");
    assert_eq!(hold.state, HoldState::Rejected);
    let p = b.hub.payment(r.payment).expect("the payment");
    assert_eq!(p.status, PaymentStatus::Rejected);
    let reason = p
        .history
        .last()
        .and_then(|e| e.reason.clone())
        .expect("a reason");
    assert_eq!(reason.code, "RR04");
    assert!(!reason.message.contains("passport"), "{}", reason.message);
    let kept = hold.rejection.map(|a| a.reason).unwrap_or_default();
    assert!(
        kept.contains("passport"),
        "the officers' reason stays on the hold"
    );
}

#[test]
fn another_banks_officer_cannot_decide_but_the_operators_can() {
    let mut b = bench_with_list();
    let r = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])),
    );
    let e =
        decide(&mut b, officer("eve", Some(bank_c())), r.payment, RELEASE).expect_err("refused");
    assert_eq!(e.code, "NOTF");
    assert_eq!(
        b.hub.payment(r.payment).map(|p| p.status),
        Some(PaymentStatus::Held)
    );
    let hold = decide(&mut b, officer("omar", None), r.payment, RELEASE).expect("released");
    assert_eq!(hold.state, HoldState::Released);
}

#[test]
fn a_decided_hold_cannot_be_decided_again() {
    let mut b = bench_with_list();
    let r = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])),
    );
    decide(
        &mut b,
        officer("olga", Some(bank_a())),
        r.payment,
        HoldDecision::Reject,
    )
    .expect("rejected");
    let e =
        decide(&mut b, officer("olga", Some(bank_a())), r.payment, RELEASE).expect_err("refused");
    assert_eq!(e.code, "NOCN");
}

#[test]
fn a_decision_without_a_reason_is_refused_and_changes_nothing() {
    let mut b = bench_with_list();
    let r = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])),
    );
    let audit_before = b.hub.audit().len();
    let e = b.err(HubCommand::DecideHold {
        officer: officer("olga", Some(bank_a())),
        payment: r.payment,
        decision: RELEASE,
        reason: "  ".to_string(),
    });
    assert_eq!(e.code, "FF01");
    assert_eq!(b.hub.audit().len(), audit_before);
    assert_eq!(
        b.hub.payment(r.payment).map(|p| p.status),
        Some(PaymentStatus::Held)
    );
}

#[test]
fn four_eyes_needs_two_different_officers_to_release() {
    let mut b = bench_with_list();
    b.ok(HubCommand::ConfigureCompliance(ComplianceConfig {
        hit_threshold: 850,
        four_eyes: true,
        ..ComplianceConfig::default()
    }));
    let r = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])),
    );
    let first = decide(&mut b, officer("omar", None), r.payment, RELEASE).expect("approved");
    assert_eq!(first.state, HoldState::Open);
    assert_eq!(
        b.hub.payment(r.payment).map(|p| p.status),
        Some(PaymentStatus::Held)
    );
    let e = decide(&mut b, officer("omar", None), r.payment, RELEASE).expect_err("same officer");
    assert_eq!(e.code, "AG01");
    let second = decide(&mut b, officer("oksana", None), r.payment, RELEASE).expect("released");
    assert_eq!(second.state, HoldState::Released);
    assert_eq!(second.approvals.len(), 2);
    assert_eq!(
        b.hub.payment(r.payment).map(|p| p.status),
        Some(PaymentStatus::Settled)
    );
}

#[test]
fn a_false_positive_is_not_raised_again_until_the_entry_changes() {
    let mut b = bench_with_list();
    let first = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])),
    );
    decide(
        &mut b,
        officer("omar", None),
        first.payment,
        HoldDecision::Release {
            false_positive: true,
        },
    )
    .expect("released");
    assert_eq!(b.hub.compliance().false_positives().count(), 1);

    let same = pay_screened(
        &mut b,
        "P2",
        Some(screened(vec![hit("ALI  rezaei", "QDi.1", "f1", 990)])),
    );
    assert_eq!(
        same.status,
        PaymentStatus::Settled,
        "remembered: not held again"
    );
    assert!(actions(&b).iter().any(
        |a| matches!(a, AuditAction::HitsSuppressed { payment, .. } if *payment == same.payment)
    ));

    let changed = pay_screened(
        &mut b,
        "P3",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f2", 990)])),
    );
    assert_eq!(
        changed.status,
        PaymentStatus::Held,
        "the list entry changed"
    );

    let other_entry = pay_screened(
        &mut b,
        "P4",
        Some(screened(vec![hit("Ali Rezaei", "QDi.9", "f1", 990)])),
    );
    assert_eq!(other_entry.status, PaymentStatus::Held);
}

#[test]
fn a_false_positive_belongs_to_the_bank_that_recorded_it() {
    let mut b = bench_with_list();
    b.fund(bank_c(), rub(), "100.00");
    let first = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])),
    );
    decide(
        &mut b,
        officer("omar", None),
        first.payment,
        HoldDecision::Release {
            false_positive: true,
        },
    )
    .expect("released");
    let answer = b.ok(HubCommand::SubmitPayments {
        sender: bank_c(),
        payments: vec![instruction("C1", bank_b(), "1.00", rub())],
        screening: vec![screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])],
    });
    let r = receipts(answer).remove(0).expect("accepted");
    assert_eq!(r.status, PaymentStatus::Held);
}

#[test]
fn a_held_payment_is_never_timed_out_and_cannot_be_cancelled() {
    let mut b = bench_with_list();
    let r = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])),
    );
    b.advance(10 * 86_400);
    b.ok(HubCommand::Tick);
    assert_eq!(
        b.hub.payment(r.payment).map(|p| p.status),
        Some(PaymentStatus::Held)
    );
    let e = b.err(HubCommand::CancelPayment {
        sender: bank_a(),
        payment: r.payment,
        reason: "CUST changed my mind".to_string(),
    });
    assert_eq!(e.code, "NOCN");
}

#[test]
fn a_held_payment_survives_a_snapshot_and_is_released_after_it() {
    let mut b = bench_with_list();
    let r = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])),
    );
    let bytes = b.hub.encode_snapshot().expect("the state encodes");
    b.hub = Hub::decode_snapshot(&bytes).expect("the snapshot decodes");
    b.hub.check_invariants().expect("consistent after restore");
    assert_eq!(
        b.hub.payment(r.payment).map(|p| p.status),
        Some(PaymentStatus::Held)
    );
    decide(&mut b, officer("omar", None), r.payment, RELEASE).expect("released");
    assert_eq!(
        b.hub.payment(r.payment).map(|p| p.status),
        Some(PaymentStatus::Settled)
    );
}

#[test]
fn the_audit_chain_verifies_and_any_change_breaks_it() {
    let mut b = bench_with_list();
    let r = pay_screened(
        &mut b,
        "P1",
        Some(screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])),
    );
    decide(
        &mut b,
        officer("olga", Some(bank_a())),
        r.payment,
        HoldDecision::Reject,
    )
    .expect("rejected");
    let chain = b.hub.audit().page(1, usize::MAX);
    assert!(chain.len() >= 3);
    verify_audit_chain(&chain).expect("an untouched chain verifies");

    let mut edited = chain.clone();
    edited[1].actor = "someone else".to_string();
    assert_eq!(verify_audit_chain(&edited).map_err(|e| e.seq), Err(2));

    let mut dropped = chain.clone();
    dropped.remove(1);
    assert!(verify_audit_chain(&dropped).is_err());
}

#[test]
fn a_held_payment_still_refused_at_once_when_it_could_never_settle() {
    let mut b = bench_with_list();
    let answer = b.ok(HubCommand::SubmitPayments {
        sender: bank_a(),
        payments: vec![instruction("P1", bic("NOPENOPE"), "10.00", rub())],
        screening: vec![screened(vec![hit("Ali Rezaei", "QDi.1", "f1", 990)])],
    });
    let e = receipts(answer).remove(0).expect_err("unknown receiver");
    assert_ne!(e.code, "RR04");
    assert_eq!(b.hub.compliance().holds().count(), 0);
}

// ---- AML monitoring ------------------------------------------------------------------------

fn rub_rules() -> corridor_aml::AmlConfig {
    let mut rules = corridor_aml::SchemeRules::default();
    // 600,000.00 RUB: the amount Russian law reports anyway.
    rules.structuring.reporting_threshold = 60_000_000;
    rules.velocity.min_baseline_value = 50_000_000;
    rules.new_counterparty.threshold = 500_000_000;
    corridor_aml::AmlConfig::default().with_scheme(rub(), rules)
}

fn rub_only() -> corridor_aml::AmlConfig {
    let mut config = rub_rules();
    config.schemes.retain(|code, _| *code == rub());
    config
}

fn work(
    b: &mut Bench,
    who: Officer,
    case: u64,
    action: corridor_settlement::CaseAction,
) -> Result<(), Rejection> {
    b.run(HubCommand::WorkCase {
        officer: who,
        case,
        action,
    })
    .map(|_| ())
}

#[test]
fn payments_just_under_the_reporting_threshold_raise_a_case_an_officer_closes() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "5000000.00");
    b.ok(HubCommand::ConfigureMonitoring(rub_only()));
    let ids: Vec<u64> = (0..3)
        .map(|n| {
            b.pay_ok(
                bank_a(),
                instruction(&format!("S{n}"), bank_b(), "590000.00", rub()),
            )
            .payment
        })
        .collect();
    let cases = b
        .hub
        .monitoring()
        .cases()
        .cases()
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(cases.len(), 1, "{cases:?}");
    let book = b.hub.monitoring().cases();
    let alerts: Vec<_> = cases[0]
        .alerts
        .iter()
        .filter_map(|id| book.alert(*id).cloned())
        .collect();
    let structuring = alerts
        .iter()
        .find(|a| a.rule == corridor_aml::RuleKind::Structuring)
        .expect("a structuring alert");
    assert_eq!(
        structuring.evidence, ids,
        "the evidence is the three payments"
    );
    assert!(
        alerts
            .iter()
            .any(|a| a.rule == corridor_aml::RuleKind::OriginatorData),
        "a cross-border wire without the debtor's account breaks FATF R.16: {alerts:?}"
    );
    let case = cases[0].id.0;

    let bank_officer = officer("olga", Some(bank_a()));
    let e = work(
        &mut b,
        bank_officer,
        case,
        corridor_settlement::CaseAction::Review,
    )
    .expect_err("a bank's officer");
    assert_eq!(e.code, "AG01");
    let close = corridor_settlement::CaseAction::Close {
        reason: corridor_aml::CloseReason::Reported {
            reference: "STR-2026-0042".to_string(),
        },
        note: "split invoice pattern".to_string(),
    };
    let e =
        work(&mut b, officer("omar", None), case, close.clone()).expect_err("not under review yet");
    assert_eq!(e.code, "NOCN");
    work(
        &mut b,
        officer("omar", None),
        case,
        corridor_settlement::CaseAction::Review,
    )
    .expect("review");
    work(&mut b, officer("omar", None), case, close.clone()).expect("closed");
    let e = work(&mut b, officer("omar", None), case, close).expect_err("closed once");
    assert_eq!(e.code, "NOCN");
    let logged = actions(&b)
        .into_iter()
        .filter(|a| matches!(a, AuditAction::Case { .. }))
        .count();
    assert_eq!(
        logged,
        alerts.len() + 2,
        "each alert filed, under review, closed"
    );
    b.hub.check_invariants().expect("consistent");
}

#[test]
fn rules_at_another_exponent_than_the_currency_are_refused() {
    let mut b = Bench::standard();
    let mut config = rub_only();
    if let Some(rules) = config.schemes.get_mut(&rub()) {
        rules.minor_unit_exponent = 0;
    }
    let e = b.err(HubCommand::ConfigureMonitoring(config));
    assert_eq!(e.code, "FF01");
    let e = b.err(HubCommand::ConfigureMonitoring(rub_rules()));
    assert_eq!(e.code, "NOTF", "EUR is no currency of this scheme");
    assert!(b.hub.monitoring().config().is_none());
}

#[test]
fn monitoring_replays_to_the_same_cases_from_a_snapshot() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "5000000.00");
    b.ok(HubCommand::ConfigureMonitoring(rub_only()));
    b.pay_ok(bank_a(), instruction("S0", bank_b(), "590000.00", rub()));
    let restored = Hub::decode_snapshot(&b.hub.encode_snapshot().expect("the state encodes"))
        .expect("decodes");
    let mut copy = Bench {
        hub: restored,
        now: b.now,
        references: b.references,
    };
    for n in 1..3 {
        let id = format!("S{n}");
        b.pay_ok(bank_a(), instruction(&id, bank_b(), "590000.00", rub()));
        copy.pay_ok(bank_a(), instruction(&id, bank_b(), "590000.00", rub()));
    }
    assert_eq!(b.hub.monitoring(), copy.hub.monitoring());
    assert_eq!(b.hub.monitoring().cases().cases().count(), 1);
}
