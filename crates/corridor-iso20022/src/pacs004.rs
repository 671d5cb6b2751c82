//! pacs.004.001.09, PaymentReturnV09: an agent returns the funds of a transfer it settled,
//! naming the original transaction and the reason.

use crate::check::MAX35_TEXT;
use crate::codes::{ChargeBearer, Code, SettlementMethod};
use crate::components::{
    ActiveCurrencyAndAmount, Agent, OriginalIdentification, ReasonInformation,
    check_optional_agent, write_optional_agent,
};
use crate::error::{FieldErrors, Report};
use crate::message_type::MessageType;
use crate::read::read_document;
use crate::tree::Element;
use crate::writer::{XmlWriter, document_xml};

pub(crate) const MESSAGE: &str = "PmtRtr";

/// `PmtRtr`: a group header and the returned transactions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PmtRtr {
    /// `GrpHdr`
    pub group_header: ReturnGroupHeader,
    /// `TxInf`
    pub transactions: Vec<ReturnTransaction>,
}

/// `GroupHeader90`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnGroupHeader {
    /// `MsgId`
    pub message_identification: String,
    /// `CreDtTm`, as written (ISO 8601 date-time).
    pub creation_date_time: String,
    /// `NbOfTxs`, as written (`Max15NumericText`).
    pub number_of_transactions: String,
    /// `SttlmInf/SttlmMtd`
    pub settlement_method: SettlementMethod,
}

/// `PaymentTransaction112`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnTransaction {
    /// `RtrId`
    pub return_identification: Option<String>,
    /// `OrgnlInstrId`, `OrgnlEndToEndId`, `OrgnlTxId`, `OrgnlUETR`
    pub original: OriginalIdentification,
    /// `RtrdIntrBkSttlmAmt`
    pub returned_interbank_settlement_amount: ActiveCurrencyAndAmount,
    /// `IntrBkSttlmDt`, as written (ISO 8601 date).
    pub interbank_settlement_date: Option<String>,
    /// `ChrgBr`
    pub charge_bearer: Option<ChargeBearer>,
    /// `InstgAgt`
    pub instructing_agent: Option<Agent>,
    /// `InstdAgt`
    pub instructed_agent: Option<Agent>,
    /// `RtrRsnInf`
    pub return_reasons: Vec<ReasonInformation>,
}

impl PmtRtr {
    pub(crate) fn read(document: &Element) -> Result<Self, FieldErrors> {
        read_document(document, MESSAGE, read_message)
    }

    /// The `Document` element, namespace declared. A return that passes [`Self::validate`]
    /// is valid against the pacs.004.001.09 XSD.
    pub fn to_xml(&self) -> String {
        document_xml(MessageType::Pacs004V09, MESSAGE, |out| {
            self.group_header.write(out);
            for transaction in &self.transactions {
                transaction.write(out);
            }
        })
    }

    /// The first validation layer: lengths, patterns and required elements.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        Report::check_document(MESSAGE, |r| {
            r.within("GrpHdr", |r| self.group_header.check(r));
            r.each_within("TxInf", &self.transactions, ReturnTransaction::check);
        })
    }
}

fn read_message(report: &mut Report, element: &Element) -> Option<PmtRtr> {
    let group_header = report.required_with(element, "GrpHdr", ReturnGroupHeader::read);
    let transactions = report.repeated_with(element, "TxInf", ReturnTransaction::read);
    Some(PmtRtr {
        group_header: group_header?,
        transactions,
    })
}

impl ReturnGroupHeader {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let message_identification = report.required_text(element, "MsgId");
        let creation_date_time = report.required_text(element, "CreDtTm");
        let number_of_transactions = report.required_text(element, "NbOfTxs");
        let settlement_method = report.required_with(element, "SttlmInf", |r, info| {
            r.required_code(info, "SttlmMtd")
        });
        Some(ReturnGroupHeader {
            message_identification: message_identification?,
            creation_date_time: creation_date_time?,
            number_of_transactions: number_of_transactions?,
            settlement_method: settlement_method?,
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("GrpHdr", |out| {
            out.leaf("MsgId", &self.message_identification);
            out.leaf("CreDtTm", &self.creation_date_time);
            out.leaf("NbOfTxs", &self.number_of_transactions);
            out.element("SttlmInf", |out| {
                out.leaf("SttlmMtd", self.settlement_method.code())
            });
        });
    }

    fn check(&self, report: &mut Report) {
        report.max_text("MsgId", &self.message_identification, MAX35_TEXT);
        report.iso_date_time("CreDtTm", &self.creation_date_time);
        report.numeric_text("NbOfTxs", &self.number_of_transactions);
    }
}

impl ReturnTransaction {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let return_identification = report.optional_text(element, "RtrId");
        let original = OriginalIdentification::read(report, element);
        let returned_interbank_settlement_amount =
            report.required_with(element, "RtrdIntrBkSttlmAmt", ActiveCurrencyAndAmount::read);
        let interbank_settlement_date = report.optional_text(element, "IntrBkSttlmDt");
        let charge_bearer = report.optional_code(element, "ChrgBr");
        let instructing_agent = report.optional_with(element, "InstgAgt", Agent::read);
        let instructed_agent = report.optional_with(element, "InstdAgt", Agent::read);
        let return_reasons = report.repeated_with(element, "RtrRsnInf", ReasonInformation::read);
        Some(ReturnTransaction {
            return_identification,
            original,
            returned_interbank_settlement_amount: returned_interbank_settlement_amount?,
            interbank_settlement_date,
            charge_bearer,
            instructing_agent,
            instructed_agent,
            return_reasons,
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter) {
        out.element("TxInf", |out| {
            out.optional_leaf("RtrId", self.return_identification.as_deref());
            self.original.write(out);
            self.returned_interbank_settlement_amount
                .write(out, "RtrdIntrBkSttlmAmt");
            out.optional_leaf("IntrBkSttlmDt", self.interbank_settlement_date.as_deref());
            out.optional_leaf("ChrgBr", self.charge_bearer.map(ChargeBearer::code));
            write_optional_agent(out, "InstgAgt", self.instructing_agent.as_ref());
            write_optional_agent(out, "InstdAgt", self.instructed_agent.as_ref());
            for reason in &self.return_reasons {
                reason.write(out, "RtrRsnInf");
            }
        });
    }

    fn check(&self, report: &mut Report) {
        report.optional_max_text("RtrId", self.return_identification.as_deref(), MAX35_TEXT);
        self.original.check(report);
        self.returned_interbank_settlement_amount
            .check(report, "RtrdIntrBkSttlmAmt");
        report.iso_date("IntrBkSttlmDt", self.interbank_settlement_date.as_deref());
        check_optional_agent(report, "InstgAgt", self.instructing_agent.as_ref());
        check_optional_agent(report, "InstdAgt", self.instructed_agent.as_ref());
        report.each_within("RtrRsnInf", &self.return_reasons, ReasonInformation::check);
    }
}
