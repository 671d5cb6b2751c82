//! ISO 20022 messages out: what the hub tells a participant, written as the message a bank's
//! core system expects, each with its AppHdr. pacs.002 for every status change of a payment
//! it sent, pacs.008 (or pacs.009) to the creditor's agent, pacs.004 for a payment sent
//! back, camt.054 for liquidity moved on its account, camt.053 for a statement, camt.056
//! forwarding a recall to the creditor's agent, camt.029 answering a cancellation request
//! or a recall. Every
//! message passes the library's first validation layer, which makes it valid against its
//! XSD; the node's tests check that with libxml2.

use corridor_core::{Bic, CurrencyCode, Timestamp, Uetr};
use corridor_iso20022::{
    AccountIdentification, AccountReport, ActiveCurrencyAndAmount, Agent, Balance,
    BankTransactionCode, BankTransactionDomain, BkToCstmrDbtCdtNtfctn, BkToCstmrStmt,
    BusinessApplicationHeader, CancellationDetails, CancellationStatus,
    CancellationStatusTransaction, CancellationTransaction, CaseAssignment,
    CashAccount as IsoCashAccount, ChargeBearer as IsoChargeBearer, CodeOrProprietary, CreditDebit,
    CreditTransferTransaction, DateOrDateTime, Document, EntryDetails, EntryTransaction, FICdtTrf,
    FICreditTransferTransaction, FIToFICstmrCdtTrf, FIToFIPmtCxlReq, FIToFIPmtStsRpt,
    GenericOrganisationIdentification, GroupHeader, MessageType, OrganisationIdentification,
    OriginalGroupStatus, OriginalIdentification, PartyIdentification as IsoParty,
    PaymentIdentification, PmtRtr, PostalAddress as IsoAddress, Priority as IsoPriority,
    ReasonInformation, ReportEntry, ReportGroupHeader, ReportedAccount, ReturnGroupHeader,
    ReturnTransaction, RsltnOfInvstgtn, SettlementMethod, SettlementTimeRequest,
    TransactionReferences, TransactionStatus, UnderlyingTransaction,
};
use corridor_settlement::{
    AuditHead, CashAccount, ChargeBearer, LiquidityDirection, OutboxEvent, OutboxMessage, Party,
    Payment, PaymentInstruction, PaymentKind, PaymentStatus, Priority, Recall, RecallOutcome,
    Rejection, Statement,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::outbound_facts::OutboundFacts;
use crate::views::{Records, net_reference};

/// Who writes the messages, from which copied records: the hub's own BIC is the `Fr` of
/// everything it reports itself.
#[derive(Debug, Clone, Copy)]
pub struct Outbound<'f> {
    facts: &'f OutboundFacts,
    hub_bic: Bic,
}

/// One message with its header, ready to be written.
#[derive(Debug)]
pub struct Written {
    pub header: BusinessApplicationHeader,
    pub document: Document,
}

impl Written {
    /// `AppHdr` then `Document`, as an envelope element holds them.
    pub fn to_xml(&self) -> String {
        format!("{}{}", self.header.to_xml(), self.document.to_xml())
    }
}

/// ISO 8601 in UTC, as `ISODateTime` allows.
pub fn date_time(at: Timestamp) -> String {
    instant(at)
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// The UTC calendar date of `at`, as `ISODate` writes it.
pub fn date(at: Timestamp) -> String {
    let day = instant(at).date();
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

fn instant(at: Timestamp) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(at.nanos()))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl<'f> Outbound<'f> {
    pub fn new(facts: &'f OutboundFacts, hub_bic: Bic) -> Outbound<'f> {
        Outbound { facts, hub_bic }
    }

    fn amount(&self, currency: CurrencyCode, minor: u128) -> ActiveCurrencyAndAmount {
        ActiveCurrencyAndAmount {
            amount: crate::views::decimal(self.facts, currency, minor),
            currency: currency.to_string(),
        }
    }

    fn header(
        &self,
        to: Bic,
        id: String,
        message_type: MessageType,
        at: Timestamp,
    ) -> BusinessApplicationHeader {
        BusinessApplicationHeader {
            from: agent(self.hub_bic),
            to: agent(to),
            business_message_identifier: id,
            message_definition_identifier: message_type.name().to_owned(),
            business_service: None,
            creation_date: date_time(at),
        }
    }

    /// The outbox message `m` of `participant`, as ISO 20022: usually one message; a
    /// cancellation also answers the request with a camt.029.
    pub fn outbox_message(&self, participant: Bic, m: &OutboxMessage) -> Vec<Written> {
        let id = format!("CRDR{}{}", participant, m.seq);
        match &m.event {
            OutboxEvent::PaymentStatus {
                payment,
                instruction_id,
                uetr,
                status,
                reason,
            } => {
                let Some(payment) = self.facts.payment(*payment) else {
                    return Vec::new();
                };
                let original = PaymentStatusReport {
                    instruction_id,
                    uetr: *uetr,
                    status: *status,
                    reason: reason.as_ref(),
                };
                let report = self.status_report(participant, id.clone(), m.at, payment, original);
                if *status != PaymentStatus::Cancelled {
                    return vec![report];
                }
                let answer = CancellationAnswer {
                    cancellation_id: None,
                    original_uetr: *uetr,
                    outcome: CancellationOutcome::Cancelled,
                };
                let case = format!("{id}C");
                vec![
                    report,
                    self.cancellation_answer(participant, &case, m.at, &[answer]),
                ]
            }
            OutboxEvent::IncomingPayment { payment, .. } => self
                .facts
                .payment(*payment)
                .map(|p| match p.return_of {
                    Some(original) => self.payment_return(participant, m.at, p, original),
                    None => self.credit_transfer(participant, m.at, p),
                })
                .into_iter()
                .collect(),
            OutboxEvent::RecallRequest { recall } => self
                .facts
                .recall(*recall)
                .and_then(|r| self.recall_request(participant, m.at, r))
                .into_iter()
                .collect(),
            OutboxEvent::RecallAnswer { recall } => self
                .facts
                .recall(*recall)
                .and_then(|r| self.recall_answer(participant, m.at, r))
                .into_iter()
                .collect(),
            OutboxEvent::Liquidity {
                account,
                currency,
                direction,
                amount,
                reference,
            } => {
                let entry = LiquidityEntry {
                    currency: *currency,
                    direction: *direction,
                    amount: *amount,
                    reference,
                    sub_family: "XBCT",
                };
                vec![self.notification(participant, id, m.at, &account.to_string(), entry)]
            }
            OutboxEvent::NetSettlement {
                window,
                account,
                currency,
                direction,
                amount,
            } => {
                let reference = net_reference(*window);
                let entry = LiquidityEntry {
                    currency: *currency,
                    direction: *direction,
                    amount: *amount,
                    reference: &reference,
                    sub_family: "NETT",
                };
                vec![self.notification(participant, id, m.at, &account.to_string(), entry)]
            }
            // A warning for the sender's operators, not a message of the standard: the JSON
            // outbox carries it.
            OutboxEvent::SettlementTimeWarning { .. } => Vec::new(),
            OutboxEvent::Statement {
                account,
                from,
                to,
                audit_head,
            } => self
                .facts
                .outbox_statement(*account, *from, *to)
                .map(|s| self.statement(m.at, &s, Some(*audit_head)))
                .into_iter()
                .collect(),
        }
    }

    /// pacs.002: the status of one payment the participant sent.
    fn status_report(
        &self,
        to: Bic,
        id: String,
        at: Timestamp,
        payment: &Payment,
        report: PaymentStatusReport,
    ) -> Written {
        let message_type = match (payment.return_of, payment.instruction.kind) {
            (Some(_), _) => MessageType::Pacs004V09,
            (None, PaymentKind::CustomerCreditTransfer) => MessageType::Pacs008V08,
            (None, PaymentKind::FinancialInstitutionTransfer) => MessageType::Pacs009V08,
        };
        let transaction = TransactionStatus {
            status_identification: None,
            original: OriginalIdentification {
                instruction_identification: Some(report.instruction_id.to_owned()),
                end_to_end_identification: Some(payment.instruction.end_to_end_id.clone()),
                transaction_identification: None,
                uetr: Some(report.uetr.to_string()),
            },
            transaction_status: Some(report.status.iso_code().to_owned()),
            status_reasons: report.reason.map(reason).into_iter().collect(),
            acceptance_date_time: (report.status == PaymentStatus::Settled)
                .then(|| payment.settled_at.map(date_time))
                .flatten(),
            instructing_agent: None,
            instructed_agent: None,
        };
        let document = FIToFIPmtStsRpt {
            message_identification: id.clone(),
            creation_date_time: date_time(at),
            original_groups: vec![OriginalGroupStatus {
                original_message_identification: report.instruction_id.to_owned(),
                original_message_name_identification: message_type.name().to_owned(),
                group_status: None,
            }],
            transactions: vec![transaction],
        };
        Written {
            header: self.header(to, id, MessageType::Pacs002V10, at),
            document: Document::Pacs002(Box::new(document)),
        }
    }

    /// pacs.008 or pacs.009 to the creditor's agent: the settled payment as its sender
    /// instructed it, with the hub as the instructing agent of this leg.
    fn credit_transfer(&self, to: Bic, at: Timestamp, payment: &Payment) -> Written {
        let i = &payment.instruction;
        let id = i.instruction_id.clone();
        let header = GroupHeader::one_transaction(
            format!("CRDR{}", payment.id),
            date_time(at),
            SettlementMethod::ClearingSystem,
        );
        let payment_identification = PaymentIdentification {
            instruction_identification: Some(id),
            end_to_end_identification: i.end_to_end_id.clone(),
            transaction_identification: None,
            uetr: Some(i.uetr.to_string()),
        };
        // A cross-currency payment reaches the creditor's agent in the currency its last leg
        // credited, with what the debtor instructed beside it.
        let (amount, instructed_amount) = match payment.fx.as_ref().and_then(|fx| fx.legs.last()) {
            Some(last) => (
                self.amount(last.currency, last.amount),
                Some(self.amount(i.currency, payment.amount)),
            ),
            None => (self.amount(i.currency, payment.amount), None),
        };
        let settled_on = payment.settled_at.map(date);
        let (message_type, document) = match i.kind {
            PaymentKind::CustomerCreditTransfer => (
                MessageType::Pacs008V08,
                Document::Pacs008(Box::new(FIToFICstmrCdtTrf {
                    group_header: header.clone(),
                    credit_transfer_transactions: vec![CreditTransferTransaction {
                        payment_identification,
                        instruction_priority: priority(i.priority),
                        interbank_settlement_amount: amount,
                        interbank_settlement_date: settled_on.clone(),
                        settlement_time_request: settlement_times(i),
                        instructed_amount,
                        exchange_rate: None,
                        charge_bearer: charge_bearer(i.charge_bearer),
                        instructing_agent: Some(agent(payment.sender)),
                        instructed_agent: Some(agent(i.instructed_agent)),
                        ultimate_debtor: i.ultimate_debtor.as_ref().map(party),
                        debtor: party(&i.debtor),
                        debtor_account: i.debtor_account.as_ref().and_then(account),
                        debtor_agent: agent(i.debtor_agent.unwrap_or(payment.sender)),
                        creditor_agent: agent(i.creditor_agent.unwrap_or(i.instructed_agent)),
                        creditor: party(&i.creditor),
                        creditor_account: i.creditor_account.as_ref().and_then(account),
                        ultimate_creditor: i.ultimate_creditor.as_ref().map(party),
                        instructions_for_next_agent: Vec::new(),
                        purpose_code: i.purpose.clone(),
                        remittance_information_unstructured: i
                            .remittance_information
                            .iter()
                            .cloned()
                            .collect(),
                    }],
                })),
            ),
            PaymentKind::FinancialInstitutionTransfer => (
                MessageType::Pacs009V08,
                Document::Pacs009(Box::new(FICdtTrf {
                    group_header: header.clone(),
                    credit_transfer_transactions: vec![FICreditTransferTransaction {
                        payment_identification,
                        instruction_priority: priority(i.priority),
                        interbank_settlement_amount: amount,
                        interbank_settlement_date: settled_on,
                        settlement_time_request: settlement_times(i),
                        instructing_agent: Some(agent(payment.sender)),
                        instructed_agent: Some(agent(i.instructed_agent)),
                        debtor: institution(&i.debtor, payment.sender),
                        debtor_account: i.debtor_account.as_ref().and_then(account),
                        debtor_agent: None,
                        creditor_agent: i.creditor_agent.map(agent),
                        creditor: institution(&i.creditor, i.instructed_agent),
                        creditor_account: i.creditor_account.as_ref().and_then(account),
                        remittance_information_unstructured: i
                            .remittance_information
                            .iter()
                            .cloned()
                            .collect(),
                        underlying_customer_credit_transfer: None,
                    }],
                })),
            ),
        };
        Written {
            header: self.header(to, header.message_identification, message_type, at),
            document,
        }
    }

    /// pacs.004 to the original sender: its payment `original` sent back, with the
    /// returning agent's reason.
    fn payment_return(&self, to: Bic, at: Timestamp, payment: &Payment, original: u64) -> Written {
        let id = format!("CRDR{}", payment.id);
        let i = &payment.instruction;
        let transaction = ReturnTransaction {
            return_identification: Some(i.instruction_id.clone()),
            original: self
                .facts
                .payment(original)
                .map(original_identification)
                .unwrap_or_default(),
            returned_interbank_settlement_amount: self.amount(i.currency, payment.amount),
            interbank_settlement_date: payment.settled_at.map(date),
            charge_bearer: None,
            instructing_agent: Some(agent(payment.sender)),
            instructed_agent: Some(agent(i.instructed_agent)),
            return_reasons: payment.return_reason.iter().map(reason).collect(),
        };
        let document = PmtRtr {
            group_header: ReturnGroupHeader {
                message_identification: id.clone(),
                creation_date_time: date_time(at),
                number_of_transactions: "1".to_owned(),
                settlement_method: SettlementMethod::ClearingSystem,
            },
            transactions: vec![transaction],
        };
        Written {
            header: self.header(to, id, MessageType::Pacs004V09, at),
            document: Document::Pacs004(Box::new(document)),
        }
    }

    /// camt.056 to the creditor's agent: the debtor agent's recall of a settled payment,
    /// forwarded by the hub, which names the case after the recall.
    fn recall_request(&self, to: Bic, at: Timestamp, recall: &Recall) -> Option<Written> {
        let payment = self.facts.payment(recall.payment)?;
        let id = format!("CRDR{}", recall_case(recall));
        let transaction = CancellationTransaction {
            cancellation_identification: Some(recall_case(recall)),
            original: original_identification(payment),
            original_interbank_settlement_amount: Some(
                self.amount(payment.currency(), payment.amount),
            ),
            original_interbank_settlement_date: payment.settled_at.map(date),
            cancellation_reasons: vec![reason(&recall.reason)],
        };
        let document = FIToFIPmtCxlReq {
            assignment: CaseAssignment {
                identification: id.clone(),
                assigner: agent(self.hub_bic),
                assignee: agent(to),
                creation_date_time: date_time(at),
            },
            underlying: vec![UnderlyingTransaction {
                transactions: vec![transaction],
            }],
        };
        Some(Written {
            header: self.header(to, id, MessageType::Camt056V08, at),
            document: Document::Camt056(Box::new(document)),
        })
    }

    /// camt.029 to the requester: the creditor agent's answer to its recall.
    fn recall_answer(&self, to: Bic, at: Timestamp, recall: &Recall) -> Option<Written> {
        let payment = self.facts.payment(recall.payment)?;
        let answer = CancellationAnswer {
            cancellation_id: Some(recall.cancellation_id.clone()),
            original_uetr: payment.instruction.uetr,
            outcome: CancellationOutcome::of_recall(recall),
        };
        Some(self.cancellation_answer(to, &recall_case(recall), at, &[answer]))
    }

    /// camt.054: one credit or debit on the participant's account.
    fn notification(
        &self,
        to: Bic,
        id: String,
        at: Timestamp,
        account: &str,
        entry: LiquidityEntry,
    ) -> Written {
        let credit = entry.direction == LiquidityDirection::Fund;
        let report = AccountReport {
            identification: id.clone(),
            electronic_sequence_number: None,
            creation_date_time: Some(date_time(at)),
            account: reported_account(account, entry.currency),
            balances: Vec::new(),
            transactions_summary: None,
            entries: vec![ReportEntry {
                entry_reference: None,
                amount: self.amount(entry.currency, entry.amount),
                credit_debit: credit_debit(credit),
                status: CodeOrProprietary::Code("BOOK".to_owned()),
                booking_date: Some(DateOrDateTime::DateTime(date_time(at))),
                value_date: Some(DateOrDateTime::Date(date(at))),
                account_servicer_reference: Some(entry.reference.to_owned()),
                bank_transaction_code: transaction_code("ICDT", entry.sub_family),
                details: Vec::new(),
                additional_entry_information: None,
            }],
            additional_information: None,
        };
        let document = BkToCstmrDbtCdtNtfctn {
            group_header: ReportGroupHeader {
                message_identification: id.clone(),
                creation_date_time: date_time(at),
            },
            notifications: vec![report],
        };
        Written {
            header: self.header(to, id, MessageType::Camt054V08, at),
            document: Document::Camt054(Box::new(document)),
        }
    }

    /// camt.053: the account's statement over its period, opening and closing booked
    /// balances and every entry with the payment behind it; an end-of-day statement ends
    /// with the audit chain's head at the close.
    pub fn statement(
        &self,
        at: Timestamp,
        statement: &Statement,
        audit_head: Option<AuditHead>,
    ) -> Written {
        let info = &statement.account;
        let id = format!(
            "CRDRSTMT{}T{}",
            info.id,
            statement.to.nanos().min(at.nanos())
        );
        let entries = statement
            .entries
            .iter()
            .map(|e| self.statement_entry(info.currency, e))
            .collect();
        let balances = vec![
            self.balance(
                "OPBD",
                info.currency,
                statement.opening_credits,
                statement.opening_debits,
                statement.from,
            ),
            self.balance(
                "CLBD",
                info.currency,
                statement.closing_credits,
                statement.closing_debits,
                statement.to.min(at),
            ),
        ];
        let report = AccountReport {
            identification: id.clone(),
            electronic_sequence_number: None,
            creation_date_time: Some(date_time(at)),
            account: reported_account(&info.id.to_string(), info.currency),
            balances,
            transactions_summary: None,
            entries,
            additional_information: audit_head.map(|head| {
                format!(
                    "audit chain head: record {}, SHA-256 {}",
                    head.seq, head.hash
                )
            }),
        };
        let document = BkToCstmrStmt {
            group_header: ReportGroupHeader {
                message_identification: id.clone(),
                creation_date_time: date_time(at),
            },
            statements: vec![report],
        };
        Written {
            header: self.header(info.owner, id, MessageType::Camt053V08, at),
            document: Document::Camt053(Box::new(document)),
        }
    }

    fn balance(
        &self,
        code: &str,
        currency: CurrencyCode,
        credits: u128,
        debits: u128,
        at: Timestamp,
    ) -> Balance {
        Balance {
            balance_type: CodeOrProprietary::Code(code.to_owned()),
            amount: self.amount(currency, credits.abs_diff(debits)),
            credit_debit: credit_debit(credits >= debits),
            date: DateOrDateTime::DateTime(date_time(at)),
        }
    }

    fn statement_entry(
        &self,
        currency: CurrencyCode,
        e: &corridor_settlement::StatementEntry,
    ) -> ReportEntry {
        let payment = e.payment.and_then(|id| self.facts.payment(id));
        let details = payment
            .map(|p| EntryDetails {
                transactions: vec![EntryTransaction {
                    references: Some(TransactionReferences {
                        instruction_identification: Some(p.instruction.instruction_id.clone()),
                        end_to_end_identification: Some(p.instruction.end_to_end_id.clone()),
                        uetr: Some(p.instruction.uetr.to_string()),
                        ..TransactionReferences::default()
                    }),
                    ..EntryTransaction::default()
                }],
            })
            .into_iter()
            .collect();
        let family = if e.payment.is_some() { "RCDT" } else { "XBCT" };
        ReportEntry {
            entry_reference: Some(e.transfer.to_string()),
            amount: self.amount(currency, e.amount),
            credit_debit: credit_debit(e.credit),
            status: CodeOrProprietary::Code("BOOK".to_owned()),
            booking_date: Some(DateOrDateTime::DateTime(date_time(e.at))),
            value_date: Some(DateOrDateTime::Date(date(e.at))),
            account_servicer_reference: Some(e.transfer.to_string()),
            bank_transaction_code: transaction_code("RCDT", family),
            details,
            additional_entry_information: None,
        }
    }

    /// camt.029: the answer to a camt.056, for each cancellation asked: cancelled (ACCR),
    /// forwarded to the creditor's agent and pending (PDCR), or refused (RJCR) with the
    /// reason.
    pub fn cancellation_answer(
        &self,
        to: Bic,
        case: &str,
        at: Timestamp,
        answers: &[CancellationAnswer],
    ) -> Written {
        let id = format!("CRDR{case}");
        let transactions = answers
            .iter()
            .map(|a| CancellationStatusTransaction {
                cancellation_status_identification: a.cancellation_id.clone(),
                original: OriginalIdentification {
                    uetr: Some(a.original_uetr.to_string()),
                    ..OriginalIdentification::default()
                },
                status: Some(a.outcome.status()),
                reasons: match &a.outcome {
                    CancellationOutcome::Refused(refusal) => vec![reason(refusal)],
                    _ => Vec::new(),
                },
            })
            .collect();
        let document = RsltnOfInvstgtn {
            assignment: CaseAssignment {
                identification: id.clone(),
                assigner: agent(self.hub_bic),
                assignee: agent(to),
                creation_date_time: date_time(at),
            },
            status_confirmation: confirmation(answers).to_owned(),
            cancellation_details: vec![CancellationDetails { transactions }],
        };
        Written {
            header: self.header(to, id, MessageType::Camt029V09, at),
            document: Document::Camt029(Box::new(document)),
        }
    }
}

/// The investigation's confirmation: cancelled when every transaction is, rejected when
/// any is refused, else pending at the creditor's agent.
fn confirmation(answers: &[CancellationAnswer]) -> &'static str {
    let all = |status| answers.iter().all(|a| a.outcome.status() == status);
    let any_refused = answers
        .iter()
        .any(|a| matches!(a.outcome, CancellationOutcome::Refused(_)));
    if all(CancellationStatus::Accepted) {
        "CNCL"
    } else if any_refused {
        "RJCR"
    } else {
        "PDCR"
    }
}

/// The hub's name for a recall's case, in the camt.056 it forwards and the camt.029 it
/// answers with.
fn recall_case(recall: &Recall) -> String {
    format!("RCL{}", recall.id)
}

/// The identifiers a return, a recall or a status names its payment by.
fn original_identification(payment: &Payment) -> OriginalIdentification {
    OriginalIdentification {
        instruction_identification: Some(payment.instruction.instruction_id.clone()),
        end_to_end_identification: Some(payment.instruction.end_to_end_id.clone()),
        transaction_identification: None,
        uetr: Some(payment.instruction.uetr.to_string()),
    }
}

/// What a pacs.002 reports about one payment.
struct PaymentStatusReport<'a> {
    instruction_id: &'a str,
    uetr: Uetr,
    status: PaymentStatus,
    reason: Option<&'a Rejection>,
}

struct LiquidityEntry<'a> {
    currency: CurrencyCode,
    direction: LiquidityDirection,
    amount: u128,
    reference: &'a str,
    /// The bank transaction code's sub-family: a cross-border transfer of liquidity (XBCT),
    /// or a net settlement position (NETT).
    sub_family: &'static str,
}

/// The outcome of one transaction of a camt.056.
#[derive(Debug, Clone)]
pub struct CancellationAnswer {
    pub cancellation_id: Option<String>,
    pub original_uetr: Uetr,
    pub outcome: CancellationOutcome,
}

#[derive(Debug, Clone)]
pub enum CancellationOutcome {
    /// Cancelled while queued, or recalled and sent back.
    Cancelled,
    /// A recall forwarded to the creditor's agent, not answered yet.
    Pending,
    Refused(Rejection),
}

impl CancellationOutcome {
    /// Where a recall stands, as a camt.029 says it.
    pub fn of_recall(recall: &Recall) -> CancellationOutcome {
        match recall.answer.as_ref().map(|a| &a.outcome) {
            None => CancellationOutcome::Pending,
            Some(RecallOutcome::Accepted { .. }) => CancellationOutcome::Cancelled,
            Some(RecallOutcome::Rejected { reason }) => {
                CancellationOutcome::Refused(reason.clone())
            }
        }
    }

    fn status(&self) -> CancellationStatus {
        match self {
            CancellationOutcome::Cancelled => CancellationStatus::Accepted,
            CancellationOutcome::Pending => CancellationStatus::Pending,
            CancellationOutcome::Refused(_) => CancellationStatus::Rejected,
        }
    }
}

fn agent(bic: Bic) -> Agent {
    Agent {
        bicfi: Some(bic.to_string()),
    }
}

/// ISO reason codes are four characters; Corridor's own refusals that are longer travel as
/// narrative (`NARR`) with the code in the text.
fn reason(rejection: &Rejection) -> ReasonInformation {
    let is_code = rejection.code.len() == 4;
    let code = if is_code {
        rejection.code.as_str()
    } else {
        "NARR"
    };
    let text: String = format!("{}: {}", rejection.code, rejection.message)
        .chars()
        .take(105)
        .collect();
    ReasonInformation {
        reason_code: Some(code.to_owned()),
        additional_information: vec![text],
    }
}

fn credit_debit(credit: bool) -> CreditDebit {
    if credit {
        CreditDebit::Credit
    } else {
        CreditDebit::Debit
    }
}

/// `PMNT` domain: a payment received (`RCDT`) or an issued cross-border transfer.
fn transaction_code(family: &str, sub_family: &str) -> BankTransactionCode {
    BankTransactionCode {
        domain: Some(BankTransactionDomain {
            code: "PMNT".to_owned(),
            family_code: family.to_owned(),
            sub_family_code: sub_family.to_owned(),
        }),
        proprietary: None,
    }
}

fn reported_account(account: &str, currency: CurrencyCode) -> ReportedAccount {
    ReportedAccount {
        identification: AccountIdentification::Other(account.to_owned()),
        currency: Some(currency.to_string()),
        owner: None,
        servicer: None,
    }
}

fn party(p: &Party) -> IsoParty {
    let id = p.identification.as_ref();
    let organisation = id.map(|id| OrganisationIdentification {
        any_bic: id.any_bic.map(|b| b.to_string()),
        lei: id.lei.clone(),
        other: id
            .other_id
            .iter()
            .map(|other| GenericOrganisationIdentification {
                identification: other.clone(),
                scheme_name_code: id.other_scheme.clone(),
                issuer: None,
            })
            .collect(),
    });
    IsoParty {
        name: Some(p.name.clone()),
        postal_address: p.postal_address.as_ref().map(|a| IsoAddress {
            street_name: a.street_name.clone(),
            building_number: a.building_number.clone(),
            post_code: a.post_code.clone(),
            town_name: a.town_name.clone(),
            country: a.country.clone(),
            address_lines: a.address_lines.clone(),
        }),
        organisation_identification: organisation,
        country_of_residence: p.country_of_residence.clone(),
    }
}

/// A bank party of a pacs.009 by its BIC, falling back to the participant it stands for.
fn institution(p: &Party, fallback: Bic) -> Agent {
    let bic = p
        .identification
        .as_ref()
        .and_then(|id| id.any_bic)
        .unwrap_or(fallback);
    agent(bic)
}

fn account(a: &CashAccount) -> Option<IsoCashAccount> {
    let identification = match (&a.iban, &a.other) {
        (Some(iban), _) => AccountIdentification::Iban(iban.clone()),
        (None, Some(other)) => AccountIdentification::Other(other.clone()),
        (None, None) => return None,
    };
    Some(IsoCashAccount { identification })
}

fn charge_bearer(bearer: ChargeBearer) -> IsoChargeBearer {
    match bearer {
        ChargeBearer::Debtor => IsoChargeBearer::BorneByDebtor,
        ChargeBearer::Creditor => IsoChargeBearer::BorneByCreditor,
        ChargeBearer::Shared => IsoChargeBearer::Shared,
        ChargeBearer::ServiceLevel => IsoChargeBearer::FollowingServiceLevel,
    }
}

fn priority(priority: Priority) -> Option<IsoPriority> {
    match priority {
        Priority::Normal => None,
        Priority::High | Priority::Urgent => Some(IsoPriority::High),
    }
}

/// The sender's settlement time request, passed on as it asked it (`SttlmTmReq`).
fn settlement_times(i: &PaymentInstruction) -> Option<SettlementTimeRequest> {
    let times = i.settlement_time.as_ref()?;
    Some(SettlementTimeRequest {
        from_time: times.from_time.clone(),
        till_time: times.till_time.clone(),
        reject_time: times.reject_time.clone(),
        cls_time: None,
    })
}
