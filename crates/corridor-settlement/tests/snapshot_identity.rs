//! The hub's on-disk formats are frozen: a deterministic run through every kind of command
//! (tokens and certificates, participants, accounts, funding, payments settled and queued, FX quotes and PvP,
//! cancellations, returns, recalls, holds, AML cases, end of day, calendars and schedules) must encode its journal
//! requests, its answers, its snapshot and its state hash to exactly the bytes recorded
//! here. A change to any of them means old journals or snapshots would no longer load.

mod support;

use corridor_core::{Bic, Timestamp};
use corridor_ledger::{StateMachine, codec};
use corridor_settlement::fx::sheet::{PairRequest, RateSheetRequest, ReferenceRateRequest};
use corridor_settlement::{
    AccountPurpose, CalendarAmendment, CaseAction, ChargeBearer, CutOff, DaySchedule, EndOfDayRule,
    HoldDecision, Hub, HubCommand, HubConfig, HubOutcome, LiquidityDirection,
    LiquiditySavingConfig, ListVersionRef, Officer, ParticipantRole, ParticipantStatus,
    PaymentStatus, Priority, QuoteRequest, RecallDecision, ScreenedRole, Screening, ScreeningHit,
};
use sha2::{Digest, Sha256};
use support::*;

/// SHA-256 of the snapshot's hub part (everything before the ledger's own snapshot bytes,
/// whose transfer index is listed in hash-map order).
const HUB_SNAPSHOT_SHA256: &str =
    "79764b5a10b4a1a4087b1834a6b1f1551ba505a9307bc6d81d4ee4bcadabe683";
const STATE_HASH: u128 = 85055752080399978333814170578437474749;
/// SHA-256 of every journaled request, each length-prefixed, in order.
const JOURNAL_SHA256: &str = "f5e4e7136ecd6bffc90595a024fd344d0e5a0dba461f26370ea2e1554e9164cb";
/// SHA-256 of every answer's debug text, in order.
const ANSWERS_SHA256: &str = "8825700499cd35ae11135245f0ff3b324e1b6e69cae2ffad6e81e5cf63b7d6f8";

fn provider() -> Bic {
    bic("FXPXRUMM")
}

fn list() -> ListVersionRef {
    ListVersionRef {
        list: "un".into(),
        date: "2026-11-20".into(),
        sha256: "sha-of-2026-11-20".into(),
    }
}

fn screening(score: Option<u16>) -> Screening {
    Screening {
        lists: vec![list()],
        threshold: 850,
        hits: score
            .map(|score| ScreeningHit {
                role: ScreenedRole::Creditor,
                party_name: "Ali Rezaei".into(),
                list: "un".into(),
                entry_id: "QDi.1".into(),
                entry_name: "Listed Person".into(),
                entry_fingerprint: "f1".into(),
                score,
                explanation: "test".into(),
            })
            .into_iter()
            .collect(),
    }
}

fn operator() -> Officer {
    Officer {
        name: "olga".into(),
        bank: None,
    }
}

/// A bench that remembers every command it ran and every answer it gave.
struct Run {
    b: Bench,
    commands: Vec<HubCommand>,
    answers: Vec<HubOutcome>,
}

impl Run {
    fn run(&mut self, command: HubCommand) -> HubOutcome {
        let outcome = self.b.run(command.clone());
        self.commands.push(command);
        self.answers.push(outcome.clone());
        outcome
    }

    fn pay(&mut self, sender: Bic, id: &str, to: Bic, amount: &str) -> u64 {
        self.pay_with(sender, instruction(id, to, amount, rub()), Vec::new())
    }

    /// A payment screened clean against the recorded list.
    fn pay_screened(&mut self, sender: Bic, id: &str, to: Bic, amount: &str) -> u64 {
        self.pay_with(
            sender,
            instruction(id, to, amount, rub()),
            vec![screening(None)],
        )
    }

    fn pay_with(
        &mut self,
        sender: Bic,
        i: corridor_settlement::PaymentInstruction,
        screening: Vec<Screening>,
    ) -> u64 {
        let answer = self
            .run(HubCommand::SubmitPayments {
                sender,
                payments: vec![i],
                screening,
            })
            .expect("a batch answer");
        receipts(answer)
            .remove(0)
            .expect("the payment is accepted")
            .payment
    }

    fn fund(&mut self, bank: Bic, currency: corridor_core::CurrencyCode, amount: &str) {
        let command = self
            .b
            .liquidity_command(bank, currency, amount, LiquidityDirection::Fund);
        self.run(command).expect("funded");
    }
}

fn pair() -> PairRequest {
    PairRequest {
        base: rub(),
        quote: irr(),
        bid: "512.5".to_string().try_into().unwrap(),
        ask: "515".to_string().try_into().unwrap(),
        tiers: Vec::new(),
        fee_in_base: Some("10.00".into()),
        fee_in_quote: Some("5000".into()),
    }
}

fn quote_request() -> QuoteRequest {
    QuoteRequest {
        source_currency: rub(),
        destination_currency: irr(),
        creditor_agent: bank_b(),
        instructed_amount: Some("100.00".into()),
        creditor_amount: None,
        charge_bearer: ChargeBearer::Debtor,
    }
}

fn quote_id(outcome: HubOutcome) -> u64 {
    match outcome {
        Ok(corridor_settlement::Answer::Quote(q)) => q.id,
        other => panic!("expected a quote, got {other:?}"),
    }
}

/// Every kind of command, in an order that leaves queued, held, settled, returned,
/// recalled, cancelled and cross-currency payments, open quotes and a closed day behind.
fn scripted_run() -> Run {
    let mut r = Run {
        b: Bench::standard(),
        commands: Vec::new(),
        answers: Vec::new(),
    };
    r.run(HubCommand::Configure(HubConfig {
        queue_timeout_seconds: 600,
        quote_validity_seconds: 60,
    }))
    .unwrap();
    r.run(HubCommand::RegisterToken {
        token_sha256: "ab".repeat(32),
        subject: bank_a().to_string(),
    })
    .unwrap();
    for digest in ["cd", "ef"] {
        r.run(HubCommand::IssueToken {
            token_sha256: digest.repeat(32),
            subject: "operator".into(),
            expires_at: Timestamp(u64::MAX / 2),
        })
        .unwrap();
    }
    r.run(HubCommand::RevokeToken {
        token_sha256: "ef".repeat(32),
    })
    .unwrap();
    for digest in ["01", "02"] {
        r.run(HubCommand::RegisterCredential {
            subject: "operator".into(),
            fingerprint_sha256: digest.repeat(32),
        })
        .unwrap();
    }
    r.run(HubCommand::RevokeCredential {
        subject: "operator".into(),
        fingerprint_sha256: "01".repeat(32),
    })
    .unwrap();
    r.run(HubCommand::AdmitParticipant {
        bic: provider(),
        name: "FX house".into(),
        country: "RU".into(),
        roles: vec![ParticipantRole::FxProvider],
    })
    .unwrap();
    for currency in [rub(), irr()] {
        r.run(HubCommand::OpenAccount {
            owner: provider(),
            currency,
            purpose: AccountPurpose::FxInventory,
            net_debit_cap: 0,
        })
        .unwrap();
    }
    for (currency, amount) in [(rub(), "100000.00"), (irr(), "1000000000000")] {
        let mut command =
            r.b.liquidity_command(provider(), currency, amount, LiquidityDirection::Fund);
        if let HubCommand::Liquidity { account, .. } = &mut command {
            *account = AccountPurpose::FxInventory;
        }
        r.run(command).unwrap();
    }
    r.fund(bank_a(), rub(), "10000.00");
    r.fund(bank_c(), rub(), "50.00");
    r.fund(bank_b(), irr(), "1000000");
    let c_rub = r.b.account(bank_c(), rub());
    r.run(HubCommand::SetNetDebitCap {
        account: c_rub,
        net_debit_cap: 1_000,
    })
    .unwrap();

    // FX: a sheet, reference rates both ways round, a quote used and one left to expire.
    r.run(HubCommand::PublishRateSheet {
        provider: provider(),
        sheet: RateSheetRequest {
            valid_for_seconds: 3_600,
            pairs: vec![pair()],
        },
    })
    .unwrap();
    for (agent, base, quote, rate) in [
        (cbi(), rub(), irr(), "514.25"),
        (cbr(), irr(), rub(), "0.00194"),
    ] {
        r.run(HubCommand::PublishReferenceRates {
            agent,
            rates: vec![ReferenceRateRequest {
                base,
                quote,
                rate: rate.to_string().try_into().unwrap(),
            }],
        })
        .unwrap();
    }
    let used = quote_id(r.run(HubCommand::RequestQuote {
        requester: bank_a(),
        request: quote_request(),
    }));
    let mut fx = instruction("FX1", bank_b(), "100.00", rub());
    fx.charge_bearer = ChargeBearer::Debtor;
    fx.quote = Some(used);
    r.pay_with(bank_a(), fx, Vec::new());
    quote_id(r.run(HubCommand::RequestQuote {
        requester: bank_a(),
        request: quote_request(),
    }));

    // Domestic payments: settled, queued behind each other, cancelled, returned.
    let settled = r.pay(bank_a(), "P1", bank_b(), "100.00");
    r.pay(bank_c(), "Q1", bank_d(), "70.00");
    let cancelled = r.pay(bank_c(), "Q2", bank_d(), "30.00");
    r.pay_with(
        bank_c(),
        with_priority(instruction("Q3", bank_d(), "5.00", rub()), Priority::Urgent),
        Vec::new(),
    );
    r.run(HubCommand::CancelPayment {
        sender: bank_c(),
        payment: cancelled,
        reason: "CUST changed their mind".into(),
    })
    .unwrap();
    r.run(HubCommand::ReturnPayment {
        sender: bank_b(),
        original: settled,
        return_id: "R1".into(),
        uetr: uetr_for("R1"),
        amount: Some("30.00".into()),
        reason: "AC04 account closed".into(),
    })
    .unwrap();

    // Recalls: one accepted (money back as a return), one rejected, one still open.
    for (id, answer) in [("P2", Some(true)), ("P3", Some(false)), ("P4", None)] {
        let payment = r.pay(bank_a(), id, bank_b(), "20.00");
        let recall = match r.run(HubCommand::RecallPayment {
            sender: bank_a(),
            payment,
            cancellation_id: format!("CXL-{id}"),
            reason: "DUPL".into(),
        }) {
            Ok(corridor_settlement::Answer::Recall { recall, .. }) => recall.id,
            other => panic!("expected a recall, got {other:?}"),
        };
        let decision = match answer {
            Some(true) => RecallDecision::Accept {
                return_id: format!("RET-{id}"),
                uetr: uetr_for(&format!("RET-{id}")),
            },
            Some(false) => RecallDecision::Reject {
                reason: "CUST refuses".into(),
            },
            None => continue,
        };
        r.run(HubCommand::AnswerRecall {
            responder: bank_b(),
            recall,
            decision,
        })
        .unwrap();
    }

    // AML monitoring: three payments just under the reporting threshold open a case.
    let mut rules = corridor_aml::SchemeRules::default();
    rules.structuring.reporting_threshold = 60_000;
    rules.velocity.min_baseline_value = 50_000;
    rules.new_counterparty.threshold = 500_000;
    let config = corridor_aml::AmlConfig::default().with_scheme(rub(), rules);
    let mut config = config;
    config.schemes.retain(|code, _| *code == rub());
    r.run(HubCommand::ConfigureMonitoring(config)).unwrap();
    for n in 0..3 {
        r.pay(bank_a(), &format!("S{n}"), bank_d(), "590.00");
    }
    let _ = r.run(HubCommand::WorkCase {
        officer: operator(),
        case: 1,
        action: CaseAction::Review,
    });

    // Sanctions: a list on record, one payment held and released, one held and rejected.
    r.run(HubCommand::RecordWatchlist {
        version: list(),
        entries: 1000,
    })
    .unwrap();
    let released = r.pay_with(
        bank_a(),
        instruction("H1", bank_b(), "10.00", rub()),
        vec![screening(Some(990))],
    );
    let refused = r.pay_with(
        bank_a(),
        instruction("H2", bank_b(), "10.00", rub()),
        vec![screening(Some(900))],
    );
    r.pay_with(
        bank_a(),
        instruction("H3", bank_b(), "10.00", rub()),
        Vec::new(),
    );
    for (payment, decision) in [
        (
            released,
            HoldDecision::Release {
                false_positive: true,
            },
        ),
        (refused, HoldDecision::Reject),
    ] {
        r.run(HubCommand::DecideHold {
            officer: operator(),
            payment,
            decision,
            reason: "checked the passport copy".into(),
        })
        .unwrap();
    }

    // Participants come and go; liquidity leaves; outboxes are acknowledged.
    r.run(HubCommand::SetParticipantStatus {
        bic: bank_d(),
        status: ParticipantStatus::Suspended,
    })
    .unwrap();
    r.pay_screened(bank_a(), "TO-SUSPENDED", bank_c(), "1.00");
    r.run(HubCommand::SetParticipantStatus {
        bic: bank_d(),
        status: ParticipantStatus::Active,
    })
    .unwrap();
    let defund =
        r.b.liquidity_command(bank_a(), rub(), "5.00", LiquidityDirection::Defund);
    r.run(defund).unwrap();
    r.run(HubCommand::AcknowledgeOutbox {
        participant: bank_a(),
        up_to: 3,
    })
    .unwrap();

    // Time passes: the queue times out, a new payment queues, the day closes.
    r.b.advance(700);
    r.run(HubCommand::Tick).unwrap();
    r.pay_screened(bank_c(), "Q4", bank_d(), "500.00");
    r.run(HubCommand::CloseBusinessDay {
        date: "2023-11-14".into(),
        at: r.b.now,
    })
    .unwrap();
    r.pay_screened(bank_a(), "AFTER-CLOSE", bank_b(), "1.00");

    // The operating day: RUB gets its calendar, an amendment, a schedule and one cut-off
    // extended.
    let (_, rub_2026) = corridor_calendar::SHIPPED[0];
    r.run(HubCommand::LoadCalendar {
        currency: rub(),
        text: rub_2026.into(),
    })
    .unwrap();
    r.run(HubCommand::AmendCalendar(CalendarAmendment {
        currency: rub(),
        date: "2026-12-08".parse().unwrap(),
        closed: true,
        name: "Ad-hoc closure".into(),
        source: "Operator notice 1".into(),
    }))
    .unwrap();
    r.run(HubCommand::ConfigureOperatingDay {
        currency: rub(),
        schedule: DaySchedule {
            time_zone: "Europe/Moscow".into(),
            opens: "01:00".into(),
            customer_cutoff: "18:00".into(),
            institution_cutoff: "19:00".into(),
            liquidity_cutoff: "19:30".into(),
            closes: "21:00".into(),
            end_of_day: EndOfDayRule::RejectQueued,
            horizon_days: 30,
        },
    })
    .unwrap();
    r.run(HubCommand::ExtendCutOff {
        currency: rub(),
        date: "2026-12-09".parse().unwrap(),
        cut_off: CutOff::Customer,
        until: "20:00".into(),
    })
    .unwrap();
    r.run(HubCommand::ConfigureLiquiditySaving(
        LiquiditySavingConfig {
            offsetting: true,
            optimisation_interval_seconds: 60,
            max_steps: 10_000,
        },
    ))
    .unwrap();
    r.run(HubCommand::SetLiquidityControls {
        participant: bank_a(),
        currency: rub(),
        controls: corridor_settlement::LiquidityControlsRequest {
            multilateral_limit: Some("1000000.00".into()),
            bilateral_limits: vec![corridor_settlement::BilateralLimitRequest {
                counterparty: bank_b(),
                limit: "500000.00".into(),
            }],
            ..Default::default()
        },
        requested_by: Some(bank_a()),
    })
    .unwrap();
    r.run(HubCommand::ConfigureNetSettlement {
        currency: rub(),
        settings: corridor_settlement::NetSettlementRequest {
            up_to_amount: Some("10.00".into()),
            default_after_seconds: 600,
            window_seconds: Some(7_200),
            net_debit_caps: vec![corridor_settlement::NetDebitCapRequest {
                participant: bank_a(),
                cap: "100.00".into(),
            }],
        },
    })
    .unwrap();
    r.run(HubCommand::NetWindow {
        currency: rub(),
        action: corridor_settlement::NetWindowAction::Close,
    })
    .unwrap();
    r.run(HubCommand::RunOptimisation {
        currency: irr(),
        algorithm: None,
    })
    .unwrap();
    r
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn snapshot_journal_and_answers_are_byte_identical_to_the_recorded_format() {
    let r = scripted_run();
    let hub = &r.b.hub;
    hub.check_invariants().expect("invariants hold");
    let statuses: Vec<PaymentStatus> = (1..=hub.payment_count() as u64)
        .filter_map(|id| hub.payment(id).map(|p| p.status))
        .collect();
    for status in [
        PaymentStatus::Settled,
        PaymentStatus::Queued,
        PaymentStatus::Rejected,
        PaymentStatus::Cancelled,
        PaymentStatus::Returned,
        PaymentStatus::Held,
    ] {
        assert!(
            statuses.contains(&status),
            "no {status:?} payment: {statuses:?}"
        );
    }
    assert!(
        (1..=hub.payment_count() as u64)
            .any(|id| hub.payment(id).is_some_and(|p| p.return_of.is_some())),
        "no return"
    );
    assert_eq!(hub.recalls().count(), 3);
    assert_eq!(hub.compliance().holds().count(), 3);
    assert!(hub.monitoring().cases().cases().count() >= 1, "no AML case");
    assert!(!hub.fx_volume().is_empty(), "no PvP settlement");
    assert!(hub.quote(2).is_some(), "no open quote");
    assert_eq!(hub.closed_days().len(), 1);

    let snapshot = hub.encode_snapshot().expect("the state encodes");
    let ledger = codec::encode_snapshot(hub.ledger());
    assert!(
        snapshot.ends_with(&ledger),
        "the ledger's own snapshot closes the hub's"
    );
    let hub_part = &snapshot[..snapshot.len() - ledger.len()];

    let mut journal = Vec::new();
    for command in &r.commands {
        let mut bytes = Vec::new();
        Hub::encode_request(command, &mut bytes).expect("the command encodes");
        journal.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        journal.extend_from_slice(&bytes);
    }
    let answers: String = r.answers.iter().map(|a| format!("{a:?}\n")).collect();

    let found = (
        sha256_hex(hub_part),
        hub.state_hash(),
        sha256_hex(&journal),
        sha256_hex(answers.as_bytes()),
    );
    assert_eq!(
        found,
        (
            HUB_SNAPSHOT_SHA256.to_string(),
            STATE_HASH,
            JOURNAL_SHA256.to_string(),
            ANSWERS_SHA256.to_string()
        ),
        "the hub's snapshot, state hash, journal requests or answers changed"
    );

    let restored = Hub::decode_snapshot(&snapshot).expect("the snapshot decodes");
    assert_eq!(restored.state_hash(), hub.state_hash());
    let again = restored.encode_snapshot().expect("the state encodes");
    assert_eq!(sha256_hex(&again[..again.len() - ledger.len()]), found.0);
}

/// The audit chain covers every command kind: a kind the script never runs, or one the hub
/// carries out without a record naming it and its caller, fails here.
#[test]
fn every_command_kind_leaves_an_audit_entry_with_its_caller() {
    use corridor_settlement::{AuditAction, CommandKind, verify_audit_chain};
    use strum::IntoEnumIterator;

    let r = scripted_run();
    let chain = r.b.hub.audit().page(1, usize::MAX);
    verify_audit_chain(&chain).expect("the chain verifies");
    let recorded = |kind: CommandKind, actor: &str| {
        chain.iter().any(|rec| {
            matches!(&rec.action, AuditAction::Command { command, .. } if *command == kind)
                && rec.actor == actor
        })
    };
    for kind in CommandKind::iter() {
        assert!(
            chain.iter().any(
                |rec| matches!(&rec.action, AuditAction::Command { command, .. } if *command == kind)
            ),
            "no audit record of {kind:?}"
        );
    }
    for (command, answer) in r.commands.iter().zip(&r.answers) {
        if answer.is_ok() {
            let (kind, actor) = (command.kind(), command.caller_label());
            assert!(
                recorded(kind, &actor),
                "no audit record of {kind:?} by {actor}"
            );
        }
    }
    for rec in &chain {
        let system = rec.actor.starts_with("system:");
        let named = rec.actor == "operator"
            || rec.actor.starts_with("participant:")
            || rec.actor.starts_with("officer:");
        assert!(
            system || named,
            "record {} has actor {:?}",
            rec.seq,
            rec.actor
        );
    }
}
