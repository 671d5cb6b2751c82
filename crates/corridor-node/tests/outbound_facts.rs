//! Outbox pages and statements are written from owned copies, not from the hub: the engine
//! query copies exactly the records a page refers to, and the ISO 20022 XML and the JSON
//! views are written afterwards, on another thread, with the hub gone.

use corridor_core::{Bic, CurrencyCode, Timestamp};
use corridor_node::iso_api::outbox_xml;
use corridor_node::iso_outbound::Outbound;
use corridor_node::outbound_facts::OutboundFacts;
use corridor_node::views::{self, Records};
use corridor_settlement::{
    AccountPurpose, Answer, ChargeBearer, ComplianceConfig, Hub, HubCommand, LiquidityDirection,
    OutboxEvent, OutboxMessage, ParticipantRole, Party, PaymentInstruction, PaymentKind, Priority,
    RecallDecision, ScreeningPolicy,
};

const SECOND: u64 = 1_000_000_000;

fn bic(s: &str) -> Bic {
    s.parse().expect("a valid BIC")
}

fn rub() -> CurrencyCode {
    "RUB".parse().expect("an ISO 4217 code")
}

fn hub_bic() -> Bic {
    bic(corridor_node::server::DEFAULT_HUB_BIC)
}

fn agent() -> Bic {
    bic("CBRFRUMM")
}

fn bank_a() -> Bic {
    bic("SABRRUMM")
}

fn bank_b() -> Bic {
    bic("VTBRRUMM")
}

/// A hub and the time of its next command.
struct Bench {
    hub: Hub,
    now: Timestamp,
}

impl Bench {
    /// One RUB agent (exponent 2) and two banks with RUB settlement accounts; A holds
    /// 100.00 RUB.
    fn new() -> Bench {
        let mut b = Bench {
            hub: Hub::new(),
            now: Timestamp(1_700_000_000 * SECOND),
        };
        b.ok(HubCommand::ConfigureCompliance(ComplianceConfig {
            screening: ScreeningPolicy::Disabled,
            ..ComplianceConfig::default()
        }));
        b.admit(agent(), ParticipantRole::SettlementAgent);
        b.ok(HubCommand::DesignateAgent {
            currency: rub(),
            exponent: 2,
            agent: agent(),
            time_zone: "Europe/Moscow".into(),
        });
        for bank in [bank_a(), bank_b()] {
            b.admit(bank, ParticipantRole::DirectParticipant);
            b.ok(HubCommand::OpenAccount {
                owner: bank,
                currency: rub(),
                purpose: AccountPurpose::Settlement,
                net_debit_cap: 0,
            });
        }
        b.ok(HubCommand::Liquidity {
            agent: agent(),
            reference: "FUND-1".into(),
            participant: bank_a(),
            currency: rub(),
            amount: "100.00".into(),
            direction: LiquidityDirection::Fund,
            account: AccountPurpose::Settlement,
        });
        b
    }

    fn ok(&mut self, command: HubCommand) -> Answer {
        self.now = Timestamp(self.now.0 + SECOND);
        let text = format!("{command:?}");
        self.hub
            .execute(&command, self.now)
            .unwrap_or_else(|e| panic!("{text} was refused: {e}"))
    }

    fn admit(&mut self, bic: Bic, role: ParticipantRole) {
        self.ok(HubCommand::AdmitParticipant {
            bic,
            name: bic.to_string(),
            country: "RU".into(),
            roles: vec![role],
        });
    }

    /// A pays B `amount` RUB; the payment's id.
    fn pay(&mut self, id: &str, amount: &str) -> u64 {
        let answer = self.ok(HubCommand::SubmitPayments {
            sender: bank_a(),
            payments: vec![instruction(id, amount)],
            screening: Vec::new(),
        });
        let Answer::Payments(mut receipts) = answer else {
            panic!("expected receipts, got {answer:?}");
        };
        receipts.remove(0).expect("the payment is accepted").payment
    }

    fn outbox(&self, bank: Bic) -> Vec<OutboxMessage> {
        self.hub
            .outbox(bank)
            .map(|o| o.read(None, 100))
            .unwrap_or_default()
    }
}

fn instruction(id: &str, amount: &str) -> PaymentInstruction {
    let party = |name: &str| Party {
        name: name.into(),
        ..Party::default()
    };
    PaymentInstruction {
        kind: PaymentKind::CustomerCreditTransfer,
        instruction_id: id.into(),
        end_to_end_id: format!("E2E-{id}"),
        uetr: corridor_core::Uetr::generate(),
        amount: amount.into(),
        currency: rub(),
        instructed_agent: bank_b(),
        debtor: party("Ivan Petrov"),
        debtor_account: None,
        debtor_agent: None,
        creditor: party("Olga Smirnova"),
        creditor_account: None,
        creditor_agent: None,
        ultimate_debtor: None,
        ultimate_creditor: None,
        charge_bearer: ChargeBearer::ServiceLevel,
        purpose: None,
        remittance_information: None,
        priority: Priority::Normal,
        quote: None,
        settlement_date: None,
        when_closed: None,
        settlement_time: None,
    }
}

/// Writes the page on another thread after the hub is dropped: only the copies exist.
fn written_without_hub(
    bench: Bench,
    participant: Bic,
    messages: Vec<OutboxMessage>,
) -> (OutboundFacts, String) {
    let facts = OutboundFacts::gather(&bench.hub, &messages);
    drop(bench);
    std::thread::spawn(move || {
        let xml = outbox_xml(&facts, hub_bic(), participant, &messages, 0, 0);
        (facts, xml)
    })
    .join()
    .expect("the writer thread finishes")
}

#[test]
fn a_page_copies_only_the_payments_its_messages_name_and_is_written_without_the_hub() {
    let mut b = Bench::new();
    let first = b.pay("P1", "40.00");
    let second = b.pay("P2", "25.50");
    let page: Vec<OutboxMessage> = b
        .outbox(bank_b())
        .into_iter()
        .filter(
            |m| matches!(m.event, OutboxEvent::IncomingPayment { payment, .. } if payment == first),
        )
        .collect();
    assert_eq!(page.len(), 1);

    let (facts, xml) = written_without_hub(b, bank_b(), page.clone());

    let json = views::outbox_message(&facts, &page[0]);
    let detail = json.payment_detail.expect("the payment, from the copy");
    assert_eq!(detail.amount, "40.00");
    assert!(facts.payment(first).is_some());
    assert!(
        facts.payment(second).is_none(),
        "not on the page, not copied"
    );
    assert!(
        xml.contains("<MsgDefIdr>pacs.008.001.08</MsgDefIdr>"),
        "{xml}"
    );
    assert!(xml.contains("E2E-P1"), "{xml}");
    assert!(xml.contains(">40.00<"), "the amount in RUB's scale: {xml}");
    assert!(!xml.contains("E2E-P2"), "{xml}");
}

#[test]
fn a_recall_answer_and_its_return_copy_the_recall_and_both_payments() {
    let mut b = Bench::new();
    let payment = b.pay("P1", "40.00");
    let Answer::Recall { recall, .. } = b.ok(HubCommand::RecallPayment {
        sender: bank_a(),
        payment,
        cancellation_id: "CXL-1".into(),
        reason: "DUPL sent twice".into(),
    }) else {
        panic!("expected a recall");
    };
    b.ok(HubCommand::AnswerRecall {
        responder: bank_b(),
        recall: recall.id,
        decision: RecallDecision::Accept {
            return_id: "RTN-1".into(),
            uetr: corridor_core::Uetr::generate(),
        },
    });
    let page: Vec<OutboxMessage> = b
        .outbox(bank_a())
        .into_iter()
        .filter(|m| {
            matches!(
                m.event,
                OutboxEvent::RecallAnswer { .. } | OutboxEvent::IncomingPayment { .. }
            )
        })
        .collect();
    assert_eq!(page.len(), 2, "{page:?}");

    let (facts, xml) = written_without_hub(b, bank_a(), page);

    assert!(facts.recall(recall.id).is_some());
    assert!(facts.payment(payment).is_some(), "the recalled original");
    assert!(
        xml.contains("<MsgDefIdr>camt.029.001.09</MsgDefIdr>"),
        "{xml}"
    );
    assert!(
        xml.contains("<MsgDefIdr>pacs.004.001.09</MsgDefIdr>"),
        "{xml}"
    );
    assert!(
        xml.contains("E2E-P1"),
        "the return names its original: {xml}"
    );
}

#[test]
fn a_statement_copies_the_payments_of_its_entries() {
    let mut b = Bench::new();
    let payment = b.pay("P1", "40.00");
    let account = b
        .hub
        .settlement_account(bank_b(), rub())
        .expect("B's settlement account");
    let statement = b
        .hub
        .statement(account, Timestamp(0), Timestamp(u64::MAX), 100)
        .expect("B's statement");
    let facts = OutboundFacts::of_statement(&b.hub, &statement);
    let at = b.now;
    drop(b);

    assert!(facts.payment(payment).is_some());
    let xml = Outbound::new(&facts, hub_bic())
        .statement(at, &statement, None)
        .to_xml();
    assert!(xml.contains("E2E-P1"), "the entry names its payment: {xml}");
    assert!(xml.contains(">40.00<"), "{xml}");
}
