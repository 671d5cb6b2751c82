//! Identities and standing in the hub: tokens expire and are revoked, client certificates are
//! registered per subject (with overlap for rotation) and revoked, and a suspended participant
//! (with its officers) can change nothing, not even by having its held payment released.

mod support;

use corridor_core::Timestamp;
use corridor_ledger::StateMachine;
use corridor_settlement::{
    Answer, HoldDecision, Hub, HubCommand, LiquidityDirection, ListVersionRef, Officer,
    ParticipantStatus, PaymentStatus,
};
use support::*;

const OLD: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const NEW: &str = "0000000000000000000000000000000000000000000000000000000000000002";

fn register(subject: &str, fingerprint: &str) -> HubCommand {
    HubCommand::RegisterCredential {
        subject: subject.to_string(),
        fingerprint_sha256: fingerprint.to_string(),
    }
}

fn revoke(subject: &str, fingerprint: &str) -> HubCommand {
    HubCommand::RevokeCredential {
        subject: subject.to_string(),
        fingerprint_sha256: fingerprint.to_string(),
    }
}

fn fingerprints(hub: &Hub, subject: &str) -> Vec<String> {
    hub.credentials()
        .filter(|c| c.subject == subject)
        .map(|c| c.fingerprint_sha256.clone())
        .collect()
}

fn suspend(b: &mut Bench, bic: corridor_core::Bic) {
    b.ok(HubCommand::SetParticipantStatus {
        bic,
        status: ParticipantStatus::Suspended,
    });
}

#[test]
fn rotation_registers_the_new_certificate_before_revoking_the_old() {
    let mut b = Bench::standard();
    b.ok(register("operator", OLD));
    b.ok(register("operator", NEW));
    assert_eq!(fingerprints(&b.hub, "operator"), [OLD, NEW]);
    b.ok(revoke("operator", OLD));
    assert_eq!(fingerprints(&b.hub, "operator"), [NEW]);
    let again = b.err(revoke("operator", OLD));
    assert_eq!(again.code, "NOTF");
}

#[test]
fn a_certificate_acts_for_one_well_formed_subject_only() {
    let mut b = Bench::standard();
    b.ok(register(&bank_a().to_string(), OLD));
    assert_eq!(b.err(register("operator", OLD)).code, "DUPL");
    for malformed in ["root", "officer:", "XXXX", "auditor-"] {
        assert_eq!(b.err(register(malformed, NEW)).code, "FF01", "{malformed}");
    }
    assert_eq!(b.hub.credentials().count(), 1);
}

#[test]
fn registrations_and_tokens_survive_a_snapshot() {
    let mut b = Bench::standard();
    b.ok(register("auditor", OLD));
    b.ok(HubCommand::IssueToken {
        token_sha256: NEW.to_string(),
        subject: "operator".to_string(),
        expires_at: Timestamp(u64::MAX),
    });
    let bytes = b.hub.encode_snapshot().unwrap();
    let restored = Hub::decode_snapshot(&bytes).unwrap();
    assert_eq!(fingerprints(&restored, "auditor"), [OLD]);
    let (digest, grant) = restored.tokens().next().unwrap();
    assert_eq!((digest, grant.expires_at), (NEW, Timestamp(u64::MAX)));
}

#[test]
fn tokens_carry_an_expiry_and_can_be_revoked() {
    let mut b = Bench::standard();
    let expired = b.err(HubCommand::IssueToken {
        token_sha256: OLD.to_string(),
        subject: "operator".to_string(),
        expires_at: Timestamp(1),
    });
    assert_eq!(expired.code, "FF01");
    // A token from a journal written before tokens expired gets an expiry all the same.
    b.ok(HubCommand::RegisterToken {
        token_sha256: NEW.to_string(),
        subject: "operator".to_string(),
    });
    let (_, grant) = b.hub.tokens().next().unwrap();
    assert!(grant.expires_at > grant.registered_at && grant.expires_at.0 < u64::MAX);
    b.ok(HubCommand::RevokeToken {
        token_sha256: NEW.to_string(),
    });
    assert_eq!(b.hub.tokens().count(), 0);
}

#[test]
fn a_suspended_bank_cannot_send_move_liquidity_or_decide() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    suspend(&mut b, bank_a());
    let refused = b.err(HubCommand::SubmitPayments {
        sender: bank_a(),
        payments: vec![instruction("P1", bank_b(), "1.00", rub())],
        screening: Vec::new(),
    });
    assert_eq!(refused.code, "AG01", "{refused}");
    let command = b.liquidity_command(bank_a(), rub(), "1.00", LiquidityDirection::Defund);
    let refused = b.err(command);
    assert_eq!(refused.code, "AG01", "{refused}");
    assert!(refused.message.contains("suspended"), "{refused}");
    let refused = b.err(HubCommand::DecideHold {
        officer: Officer {
            name: "ivan".into(),
            bank: Some(bank_a()),
        },
        payment: 1,
        decision: HoldDecision::Reject,
        reason: "x".into(),
    });
    assert!(refused.message.contains("suspended"), "{refused}");
}

#[test]
fn a_held_payment_of_a_suspended_bank_is_not_settled_on_release() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    b.ok(HubCommand::RecordWatchlist {
        version: ListVersionRef {
            list: "un".into(),
            date: "2026-11-20".into(),
            sha256: "sha".into(),
        },
        entries: 1,
    });
    let answer = b.ok(HubCommand::SubmitPayments {
        sender: bank_a(),
        payments: vec![instruction("P1", bank_b(), "10.00", rub())],
        screening: Vec::new(),
    });
    let receipt = receipts(answer).remove(0).unwrap();
    assert_eq!(receipt.status, PaymentStatus::Held);
    for suspended in [bank_a(), bank_b()] {
        suspend(&mut b, suspended);
        let before = b.balance(bank_a(), rub());
        let refused = b.err(HubCommand::DecideHold {
            officer: Officer {
                name: "olga".into(),
                bank: None,
            },
            payment: receipt.payment,
            decision: HoldDecision::Release {
                false_positive: false,
            },
            reason: "checked".into(),
        });
        assert!(refused.message.contains("suspended"), "{refused}");
        assert_eq!(b.balance(bank_a(), rub()), before);
        let status = b.hub.payment(receipt.payment).unwrap().status;
        assert_eq!(status, PaymentStatus::Held);
        b.ok(HubCommand::SetParticipantStatus {
            bic: suspended,
            status: ParticipantStatus::Active,
        });
    }
    let released = b.ok(HubCommand::DecideHold {
        officer: Officer {
            name: "olga".into(),
            bank: None,
        },
        payment: receipt.payment,
        decision: HoldDecision::Release {
            false_positive: false,
        },
        reason: "checked".into(),
    });
    assert!(matches!(released, Answer::Hold(_)));
    let status = b.hub.payment(receipt.payment).unwrap().status;
    assert_eq!(status, PaymentStatus::Settled);
}
