//! The case book: alerts filed into cases per account, the Open → UnderReview → Closed
//! lifecycle and the transitions it refuses.

mod common;

use common::*;
use corridor_aml::{
    AccountKey, Alert, CaseBook, CaseChange, CaseError, CaseEvent, CaseId, CaseState, CloseReason,
    RuleKind,
};

fn alert(id: u64, holder: &Holder) -> Alert {
    Alert {
        id,
        rule: RuleKind::NewCounterparty,
        subject: AccountKey::Iban(holder.iban.to_owned()),
        currency: eur(),
        raised_at: at(id),
        evidence: vec![id],
        detail: format!("alert {id}"),
    }
}

#[test]
fn alerts_on_one_account_join_its_live_case() {
    let mut book = CaseBook::new();
    let first = book.file(alert(1, &ALICE), at(1)).unwrap();
    let other = book.file(alert(2, &BOB), at(2)).unwrap();
    let joined = book.file(alert(3, &ALICE), at(3)).unwrap();
    assert_eq!((first, other, joined), (CaseId(1), CaseId(2), CaseId(1)));
    let case = book.case(first).unwrap();
    assert_eq!(case.alerts, vec![1, 3]);
    assert_eq!(
        case.history,
        vec![
            CaseEvent {
                at: at(1),
                change: CaseChange::Opened { alerts: vec![1] }
            },
            CaseEvent {
                at: at(3),
                change: CaseChange::AlertJoined { alert: 3 }
            },
        ]
    );
    assert_eq!(
        book.file(alert(3, &ALICE), at(4)),
        Err(CaseError::AlertAlreadyFiled(3))
    );
}

#[test]
fn a_case_goes_from_open_through_review_to_closed_keeping_who_and_when() {
    let mut book = CaseBook::new();
    let id = book.file(alert(1, &ALICE), at(1)).unwrap();
    book.start_review(id, "officer.a", at(10)).unwrap();
    book.start_review(id, "officer.b", at(20)).unwrap();
    let reason = CloseReason::Reported {
        reference: "SAR-2025-0042".to_owned(),
    };
    book.close(
        id,
        "officer.b",
        reason.clone(),
        "filed with the FIU",
        at(30),
    )
    .unwrap();
    let case = book.case(id).unwrap();
    assert_eq!(
        case.state,
        CaseState::Closed {
            officer: "officer.b".to_owned(),
            reason: reason.clone(),
            note: "filed with the FIU".to_owned()
        }
    );
    let changes: Vec<_> = case
        .history
        .iter()
        .map(|e| (e.at, e.change.clone()))
        .collect();
    assert_eq!(
        changes,
        vec![
            (at(1), CaseChange::Opened { alerts: vec![1] }),
            (
                at(10),
                CaseChange::ReviewStarted {
                    officer: "officer.a".to_owned()
                }
            ),
            (
                at(20),
                CaseChange::ReviewStarted {
                    officer: "officer.b".to_owned()
                }
            ),
            (
                at(30),
                CaseChange::Closed {
                    officer: "officer.b".to_owned(),
                    reason,
                    note: "filed with the FIU".to_owned()
                }
            ),
        ]
    );
}

#[test]
fn a_closed_case_can_be_neither_closed_again_nor_reviewed() {
    let mut book = CaseBook::new();
    let id = book.file(alert(1, &ALICE), at(1)).unwrap();
    book.start_review(id, "officer.a", at(2)).unwrap();
    book.close(id, "officer.a", CloseReason::FalsePositive, "salary", at(3))
        .unwrap();
    let closed = book.clone();
    assert_eq!(
        book.close(id, "officer.a", CloseReason::NoFurtherAction, "", at(4)),
        Err(CaseError::Closed(id))
    );
    assert_eq!(
        book.start_review(id, "officer.b", at(4)),
        Err(CaseError::Closed(id))
    );
    assert_eq!(book, closed, "refused transitions change nothing");
    let next = book.file(alert(2, &ALICE), at(5)).unwrap();
    assert_eq!(next, CaseId(2), "the account's next alert opens a new case");
}

#[test]
fn an_open_case_must_be_reviewed_before_it_is_closed() {
    let mut book = CaseBook::new();
    let id = book.file(alert(1, &ALICE), at(1)).unwrap();
    assert_eq!(
        book.close(id, "officer.a", CloseReason::FalsePositive, "", at(2)),
        Err(CaseError::NotUnderReview(id))
    );
    assert_eq!(book.case(id).unwrap().state, CaseState::Open);
}

#[test]
fn transitions_without_an_officer_or_a_report_reference_are_refused() {
    let mut book = CaseBook::new();
    let id = book.file(alert(1, &ALICE), at(1)).unwrap();
    assert_eq!(
        book.start_review(id, "  ", at(2)),
        Err(CaseError::NoOfficer)
    );
    book.start_review(id, "officer.a", at(2)).unwrap();
    let unreferenced = CloseReason::Reported {
        reference: " ".to_owned(),
    };
    assert_eq!(
        book.close(id, "officer.a", unreferenced, "", at(3)),
        Err(CaseError::NoReportReference)
    );
    assert_eq!(
        book.start_review(CaseId(9), "officer.a", at(3)),
        Err(CaseError::UnknownCase(CaseId(9)))
    );
}

#[test]
fn an_officer_opens_a_case_over_filed_alerts_only() {
    let mut book = CaseBook::new();
    book.file(alert(1, &ALICE), at(1)).unwrap();
    book.file(alert(2, &BOB), at(2)).unwrap();
    assert_eq!(book.open_case(&[], at(3)), Err(CaseError::NoAlerts));
    assert_eq!(
        book.open_case(&[1, 7], at(3)),
        Err(CaseError::UnknownAlert(7))
    );
    let ring = book.open_case(&[2, 1, 2], at(3)).unwrap();
    let case = book.case(ring).unwrap();
    assert_eq!(
        (case.subject.clone(), case.alerts.clone()),
        (None, vec![1, 2])
    );
    assert_eq!(
        book.file(alert(3, &ALICE), at(4)),
        Ok(CaseId(1)),
        "ring cases take no filings"
    );
}

#[test]
fn the_book_survives_a_snapshot() {
    let mut book = CaseBook::new();
    let id = book.file(alert(1, &ALICE), at(1)).unwrap();
    book.start_review(id, "officer.a", at(2)).unwrap();
    let bytes = postcard::to_stdvec(&book).unwrap();
    let restored: CaseBook = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(restored, book);
}
