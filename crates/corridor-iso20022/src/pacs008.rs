//! pacs.008.001.08, FIToFICustomerCreditTransferV08: the customer credit transfer one agent
//! sends another, modelled with the fields a payment hub settles, routes and screens on.

use crate::check::{MAX35_TEXT, MAX140_TEXT};
use crate::codes::{ChargeBearer, Code, Priority, SettlementMethod};
use crate::components::{
    ActiveCurrencyAndAmount, Agent, CashAccount, PartyIdentification, SettlementTimeRequest,
    check_optional_account, check_optional_agent, check_optional_party,
    check_optional_settlement_time_request, check_purpose_code, check_unstructured_remittance,
    read_instruction_priority, read_purpose_code, read_unstructured_remittance,
    write_instruction_priority, write_optional_account, write_optional_agent, write_optional_party,
    write_optional_settlement_time_request, write_purpose_code, write_unstructured_remittance,
};
use crate::error::{FieldErrors, Report, excerpt};
use crate::message_type::MessageType;
use crate::read::read_document;
use crate::reason::ReasonCode;
use crate::tree::Element;
use crate::writer::{XmlWriter, document_xml};

pub(crate) const MESSAGE: &str = "FIToFICstmrCdtTrf";

/// `FIToFICstmrCdtTrf`: a group header and one or more credit transfers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FIToFICstmrCdtTrf {
    /// `GrpHdr`
    pub group_header: GroupHeader,
    /// `CdtTrfTxInf`, at least one.
    pub credit_transfer_transactions: Vec<CreditTransferTransaction>,
}

/// `GroupHeader93`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupHeader {
    /// `MsgId`
    pub message_identification: String,
    /// `CreDtTm`, as written (ISO 8601 date-time).
    pub creation_date_time: String,
    /// `NbOfTxs`, as written (`Max15NumericText`).
    pub number_of_transactions: String,
    /// `TtlIntrBkSttlmAmt`
    pub total_interbank_settlement_amount: Option<ActiveCurrencyAndAmount>,
    /// `SttlmInf/SttlmMtd`
    pub settlement_method: SettlementMethod,
    /// `InstgAgt`: when given here, the instructing agent of every transaction.
    pub instructing_agent: Option<Agent>,
    /// `InstdAgt`: when given here, the instructed agent of every transaction.
    pub instructed_agent: Option<Agent>,
}

/// `CreditTransferTransaction39`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditTransferTransaction {
    /// `PmtId`
    pub payment_identification: PaymentIdentification,
    /// `PmtTpInf/InstrPrty`
    pub instruction_priority: Option<Priority>,
    /// `IntrBkSttlmAmt`
    pub interbank_settlement_amount: ActiveCurrencyAndAmount,
    /// `IntrBkSttlmDt`, as written (ISO 8601 date).
    pub interbank_settlement_date: Option<String>,
    /// `SttlmTmReq`
    pub settlement_time_request: Option<SettlementTimeRequest>,
    /// `InstdAmt`: the amount the debtor instructed, before charges or conversion.
    pub instructed_amount: Option<ActiveCurrencyAndAmount>,
    /// `XchgRate` (`BaseOneRate`), as written: the rate that converted the instructed amount
    /// into the settlement amount.
    pub exchange_rate: Option<String>,
    /// `ChrgBr`
    pub charge_bearer: ChargeBearer,
    /// `InstgAgt`
    pub instructing_agent: Option<Agent>,
    /// `InstdAgt`
    pub instructed_agent: Option<Agent>,
    /// `UltmtDbtr`
    pub ultimate_debtor: Option<PartyIdentification>,
    /// `Dbtr`
    pub debtor: PartyIdentification,
    /// `DbtrAcct`
    pub debtor_account: Option<CashAccount>,
    /// `DbtrAgt`
    pub debtor_agent: Agent,
    /// `CdtrAgt`
    pub creditor_agent: Agent,
    /// `Cdtr`
    pub creditor: PartyIdentification,
    /// `CdtrAcct`
    pub creditor_account: Option<CashAccount>,
    /// `UltmtCdtr`
    pub ultimate_creditor: Option<PartyIdentification>,
    /// `InstrForNxtAgt`: what the sender asks of the next agent, for a payment a bank sends
    /// the hub the hub itself (such as the FX quote to settle against).
    pub instructions_for_next_agent: Vec<InstructionForNextAgent>,
    /// `Purp/Cd`, an `ExternalPurpose1Code` such as `SUPP`.
    pub purpose_code: Option<String>,
    /// `RmtInf/Ustrd`
    pub remittance_information_unstructured: Vec<String>,
}

/// `InstructionForNextAgent1`: a code, a text, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstructionForNextAgent {
    /// `Cd`, an `Instruction4Code` (`PHOA`, `TELA`), as written.
    pub code: Option<String>,
    /// `InstrInf`
    pub information: Option<String>,
}

/// `PaymentIdentification7`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentIdentification {
    /// `InstrId`
    pub instruction_identification: Option<String>,
    /// `EndToEndId`
    pub end_to_end_identification: String,
    /// `TxId`
    pub transaction_identification: Option<String>,
    /// `UETR`
    pub uetr: Option<String>,
}

impl FIToFICstmrCdtTrf {
    pub(crate) fn read(document: &Element) -> Result<Self, FieldErrors> {
        read_document(document, MESSAGE, read_message)
    }

    /// The `Document` element, namespace declared. A message that passes [`Self::validate`]
    /// is valid against the pacs.008.001.08 XSD.
    pub fn to_xml(&self) -> String {
        document_xml(MessageType::Pacs008V08, MESSAGE, |out| {
            self.group_header.write(out);
            for transaction in &self.credit_transfer_transactions {
                transaction.write(out);
            }
        })
    }

    /// The first validation layer: lengths, patterns and required elements.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        Report::check_document(MESSAGE, |r| {
            r.within("GrpHdr", |r| self.group_header.check(r));
            r.at_least_one("CdtTrfTxInf", self.credit_transfer_transactions.len());
            r.each_within(
                "CdtTrfTxInf",
                &self.credit_transfer_transactions,
                CreditTransferTransaction::check,
            );
        })
    }
}

fn read_message(report: &mut Report, element: &Element) -> Option<FIToFICstmrCdtTrf> {
    let group_header = report.required_with(element, "GrpHdr", GroupHeader::read);
    let transactions =
        report.repeated_with(element, "CdtTrfTxInf", CreditTransferTransaction::read);
    report.at_least_one("CdtTrfTxInf", element.children_named("CdtTrfTxInf").count());
    Some(FIToFICstmrCdtTrf {
        group_header: group_header?,
        credit_transfer_transactions: transactions,
    })
}

impl GroupHeader {
    /// The header of a message carrying one transaction, with no total and no agents of
    /// its own (each transaction names them).
    pub fn one_transaction(
        message_identification: String,
        creation_date_time: String,
        settlement_method: SettlementMethod,
    ) -> GroupHeader {
        GroupHeader {
            message_identification,
            creation_date_time,
            number_of_transactions: "1".to_owned(),
            total_interbank_settlement_amount: None,
            settlement_method,
            instructing_agent: None,
            instructed_agent: None,
        }
    }

    pub(crate) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let message_identification = report.required_text(element, "MsgId");
        let creation_date_time = report.required_text(element, "CreDtTm");
        let number_of_transactions = report.required_text(element, "NbOfTxs");
        let total_interbank_settlement_amount =
            report.optional_with(element, "TtlIntrBkSttlmAmt", ActiveCurrencyAndAmount::read);
        let settlement_method = report.required_with(element, "SttlmInf", |r, info| {
            r.required_code(info, "SttlmMtd")
        });
        let instructing_agent = report.optional_with(element, "InstgAgt", Agent::read);
        let instructed_agent = report.optional_with(element, "InstdAgt", Agent::read);
        Some(GroupHeader {
            message_identification: message_identification?,
            creation_date_time: creation_date_time?,
            number_of_transactions: number_of_transactions?,
            total_interbank_settlement_amount,
            settlement_method: settlement_method?,
            instructing_agent,
            instructed_agent,
        })
    }

    pub(crate) fn write(&self, out: &mut XmlWriter) {
        out.element("GrpHdr", |out| {
            out.leaf("MsgId", &self.message_identification);
            out.leaf("CreDtTm", &self.creation_date_time);
            out.leaf("NbOfTxs", &self.number_of_transactions);
            if let Some(total) = &self.total_interbank_settlement_amount {
                total.write(out, "TtlIntrBkSttlmAmt");
            }
            out.element("SttlmInf", |out| {
                out.leaf("SttlmMtd", self.settlement_method.code())
            });
            write_optional_agent(out, "InstgAgt", self.instructing_agent.as_ref());
            write_optional_agent(out, "InstdAgt", self.instructed_agent.as_ref());
        });
    }

    pub(crate) fn check(&self, report: &mut Report) {
        report.max_text("MsgId", &self.message_identification, MAX35_TEXT);
        report.iso_date_time("CreDtTm", &self.creation_date_time);
        report.numeric_text("NbOfTxs", &self.number_of_transactions);
        if let Some(total) = &self.total_interbank_settlement_amount {
            total.check(report, "TtlIntrBkSttlmAmt");
        }
        check_optional_agent(report, "InstgAgt", self.instructing_agent.as_ref());
        check_optional_agent(report, "InstdAgt", self.instructed_agent.as_ref());
    }
}

impl PaymentIdentification {
    pub(crate) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let instruction_identification = report.optional_text(element, "InstrId");
        let end_to_end_identification = report.required_text(element, "EndToEndId");
        let transaction_identification = report.optional_text(element, "TxId");
        let uetr = report.optional_text(element, "UETR");
        Some(PaymentIdentification {
            instruction_identification,
            end_to_end_identification: end_to_end_identification?,
            transaction_identification,
            uetr,
        })
    }

    /// As `PmtId`, or under the name another message gives the same shape (`LqdtyTrfId`).
    pub(crate) fn write(&self, out: &mut XmlWriter, name: &str) {
        out.element(name, |out| {
            out.optional_leaf("InstrId", self.instruction_identification.as_deref());
            out.leaf("EndToEndId", &self.end_to_end_identification);
            out.optional_leaf("TxId", self.transaction_identification.as_deref());
            out.optional_leaf("UETR", self.uetr.as_deref());
        });
    }

    pub(crate) fn check(&self, report: &mut Report) {
        report.optional_max_text(
            "InstrId",
            self.instruction_identification.as_deref(),
            MAX35_TEXT,
        );
        report.max_text("EndToEndId", &self.end_to_end_identification, MAX35_TEXT);
        report.optional_max_text(
            "TxId",
            self.transaction_identification.as_deref(),
            MAX35_TEXT,
        );
        report.uetr("UETR", self.uetr.as_deref());
    }
}

impl CreditTransferTransaction {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let payment_identification =
            report.required_with(element, "PmtId", PaymentIdentification::read);
        let instruction_priority = read_instruction_priority(report, element);
        let interbank_settlement_amount =
            report.required_with(element, "IntrBkSttlmAmt", ActiveCurrencyAndAmount::read);
        let interbank_settlement_date = report.optional_text(element, "IntrBkSttlmDt");
        let settlement_time_request =
            report.optional_with(element, "SttlmTmReq", SettlementTimeRequest::read);
        let instructed_amount =
            report.optional_with(element, "InstdAmt", ActiveCurrencyAndAmount::read);
        let exchange_rate = report.optional_text(element, "XchgRate");
        let charge_bearer = report.required_code(element, "ChrgBr");
        let instructing_agent = report.optional_with(element, "InstgAgt", Agent::read);
        let instructed_agent = report.optional_with(element, "InstdAgt", Agent::read);
        let ultimate_debtor = report.optional_with(element, "UltmtDbtr", PartyIdentification::read);
        let debtor = report.required_with(element, "Dbtr", PartyIdentification::read);
        let debtor_account = report.optional_with(element, "DbtrAcct", CashAccount::read);
        let debtor_agent = report.required_with(element, "DbtrAgt", Agent::read);
        let creditor_agent = report.required_with(element, "CdtrAgt", Agent::read);
        let creditor = report.required_with(element, "Cdtr", PartyIdentification::read);
        let creditor_account = report.optional_with(element, "CdtrAcct", CashAccount::read);
        let ultimate_creditor =
            report.optional_with(element, "UltmtCdtr", PartyIdentification::read);
        let instructions_for_next_agent =
            report.repeated_with(element, "InstrForNxtAgt", |r, e| {
                Some(InstructionForNextAgent {
                    code: r.optional_text(e, "Cd"),
                    information: r.optional_text(e, "InstrInf"),
                })
            });
        let purpose_code = read_purpose_code(report, element);
        let remittance_information_unstructured = read_unstructured_remittance(report, element);
        Some(CreditTransferTransaction {
            payment_identification: payment_identification?,
            instruction_priority,
            interbank_settlement_amount: interbank_settlement_amount?,
            interbank_settlement_date,
            settlement_time_request,
            instructed_amount,
            exchange_rate,
            charge_bearer: charge_bearer?,
            instructing_agent,
            instructed_agent,
            ultimate_debtor,
            debtor: debtor?,
            debtor_account,
            debtor_agent: debtor_agent?,
            creditor_agent: creditor_agent?,
            creditor: creditor?,
            creditor_account,
            ultimate_creditor,
            instructions_for_next_agent,
            purpose_code,
            remittance_information_unstructured,
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter) {
        out.element("CdtTrfTxInf", |out| {
            self.payment_identification.write(out, "PmtId");
            write_instruction_priority(out, self.instruction_priority);
            self.interbank_settlement_amount
                .write(out, "IntrBkSttlmAmt");
            out.optional_leaf("IntrBkSttlmDt", self.interbank_settlement_date.as_deref());
            write_optional_settlement_time_request(out, self.settlement_time_request.as_ref());
            if let Some(amount) = &self.instructed_amount {
                amount.write(out, "InstdAmt");
            }
            out.optional_leaf("XchgRate", self.exchange_rate.as_deref());
            out.leaf("ChrgBr", self.charge_bearer.code());
            write_optional_agent(out, "InstgAgt", self.instructing_agent.as_ref());
            write_optional_agent(out, "InstdAgt", self.instructed_agent.as_ref());
            write_optional_party(out, "UltmtDbtr", self.ultimate_debtor.as_ref());
            self.debtor.write(out, "Dbtr");
            write_optional_account(out, "DbtrAcct", self.debtor_account.as_ref());
            self.debtor_agent.write(out, "DbtrAgt");
            self.creditor_agent.write(out, "CdtrAgt");
            self.creditor.write(out, "Cdtr");
            write_optional_account(out, "CdtrAcct", self.creditor_account.as_ref());
            write_optional_party(out, "UltmtCdtr", self.ultimate_creditor.as_ref());
            for instruction in &self.instructions_for_next_agent {
                out.element("InstrForNxtAgt", |out| {
                    out.optional_leaf("Cd", instruction.code.as_deref());
                    out.optional_leaf("InstrInf", instruction.information.as_deref());
                });
            }
            write_purpose_code(out, self.purpose_code.as_deref());
            write_unstructured_remittance(out, &self.remittance_information_unstructured);
        });
    }

    fn check(&self, report: &mut Report) {
        report.within("PmtId", |r| self.payment_identification.check(r));
        self.interbank_settlement_amount
            .check(report, "IntrBkSttlmAmt");
        report.iso_date("IntrBkSttlmDt", self.interbank_settlement_date.as_deref());
        check_optional_settlement_time_request(report, self.settlement_time_request.as_ref());
        if let Some(amount) = &self.instructed_amount {
            amount.check(report, "InstdAmt");
        }
        report.rate("XchgRate", self.exchange_rate.as_deref());
        check_optional_agent(report, "InstgAgt", self.instructing_agent.as_ref());
        check_optional_agent(report, "InstdAgt", self.instructed_agent.as_ref());
        check_optional_party(report, "UltmtDbtr", self.ultimate_debtor.as_ref());
        self.debtor.check(report, "Dbtr");
        check_optional_account(report, "DbtrAcct", self.debtor_account.as_ref());
        self.debtor_agent.check(report, "DbtrAgt");
        self.creditor_agent.check(report, "CdtrAgt");
        self.creditor.check(report, "Cdtr");
        check_optional_account(report, "CdtrAcct", self.creditor_account.as_ref());
        check_optional_party(report, "UltmtCdtr", self.ultimate_creditor.as_ref());
        report.each_within(
            "InstrForNxtAgt",
            &self.instructions_for_next_agent,
            InstructionForNextAgent::check,
        );
        check_purpose_code(report, self.purpose_code.as_deref());
        check_unstructured_remittance(report, &self.remittance_information_unstructured);
    }
}

impl InstructionForNextAgent {
    fn check(&self, report: &mut Report) {
        if let Some(code) = self
            .code
            .as_deref()
            .filter(|c| !INSTRUCTION4_CODES.contains(c))
        {
            report.fail(
                "Cd",
                ReasonCode::Ff01,
                format!(
                    "{:?} is not one of {}",
                    excerpt(code),
                    INSTRUCTION4_CODES.join(", ")
                ),
            );
        }
        report.optional_max_text("InstrInf", self.information.as_deref(), MAX140_TEXT);
    }
}

/// `Instruction4Code`: phone the next agent, or telecommunicate with it.
const INSTRUCTION4_CODES: [&str; 2] = ["PHOA", "TELA"];
