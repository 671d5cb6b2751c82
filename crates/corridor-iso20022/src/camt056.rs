//! camt.056.001.08, FIToFIPaymentCancellationRequestV08: an agent asks the next one to
//! cancel transfers it sent, as a case assigned from one institution to another.

use crate::check::MAX35_TEXT;
use crate::components::{
    ActiveCurrencyAndAmount, Agent, OriginalIdentification, ReasonInformation,
};
use crate::error::{FieldErrors, Report};
use crate::message_type::MessageType;
use crate::read::read_document;
use crate::tree::Element;
use crate::writer::{XmlWriter, document_xml};

pub(crate) const MESSAGE: &str = "FIToFIPmtCxlReq";

/// `FIToFIPmtCxlReq`: the case assignment and the transactions to cancel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FIToFIPmtCxlReq {
    /// `Assgnmt`
    pub assignment: CaseAssignment,
    /// `Undrlyg`, at least one.
    pub underlying: Vec<UnderlyingTransaction>,
}

/// `CaseAssignment5`, with both parties as financial institutions (`Agt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseAssignment {
    /// `Id`
    pub identification: String,
    /// `Assgnr/Agt`
    pub assigner: Agent,
    /// `Assgne/Agt`
    pub assignee: Agent,
    /// `CreDtTm`, as written (ISO 8601 date-time).
    pub creation_date_time: String,
}

/// `UnderlyingTransaction23`, kept to its transactions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnderlyingTransaction {
    /// `TxInf`
    pub transactions: Vec<CancellationTransaction>,
}

/// `PaymentTransaction106`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CancellationTransaction {
    /// `CxlId`
    pub cancellation_identification: Option<String>,
    /// `OrgnlInstrId`, `OrgnlEndToEndId`, `OrgnlTxId`, `OrgnlUETR`
    pub original: OriginalIdentification,
    /// `OrgnlIntrBkSttlmAmt` (`ActiveOrHistoricCurrencyAndAmount`).
    pub original_interbank_settlement_amount: Option<ActiveCurrencyAndAmount>,
    /// `OrgnlIntrBkSttlmDt`, as written (ISO 8601 date).
    pub original_interbank_settlement_date: Option<String>,
    /// `CxlRsnInf`
    pub cancellation_reasons: Vec<ReasonInformation>,
}

impl FIToFIPmtCxlReq {
    pub(crate) fn read(document: &Element) -> Result<Self, FieldErrors> {
        read_document(document, MESSAGE, read_message)
    }

    /// The `Document` element, namespace declared. A request that passes
    /// [`Self::validate`] is valid against the camt.056.001.08 XSD.
    pub fn to_xml(&self) -> String {
        document_xml(MessageType::Camt056V08, MESSAGE, |out| {
            self.assignment.write(out);
            for underlying in &self.underlying {
                underlying.write(out);
            }
        })
    }

    /// The first validation layer: lengths, patterns and required elements.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        Report::check_document(MESSAGE, |r| {
            r.within("Assgnmt", |r| self.assignment.check(r));
            r.at_least_one("Undrlyg", self.underlying.len());
            r.each_within("Undrlyg", &self.underlying, UnderlyingTransaction::check);
        })
    }
}

fn read_message(report: &mut Report, element: &Element) -> Option<FIToFIPmtCxlReq> {
    let assignment = report.required_with(element, "Assgnmt", CaseAssignment::read);
    let underlying = report.repeated_with(element, "Undrlyg", UnderlyingTransaction::read);
    report.at_least_one("Undrlyg", element.children_named("Undrlyg").count());
    Some(FIToFIPmtCxlReq {
        assignment: assignment?,
        underlying,
    })
}

impl CaseAssignment {
    pub(crate) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let identification = report.required_text(element, "Id");
        let assigner = report.required_with(element, "Assgnr", read_party);
        let assignee = report.required_with(element, "Assgne", read_party);
        let creation_date_time = report.required_text(element, "CreDtTm");
        Some(CaseAssignment {
            identification: identification?,
            assigner: assigner?,
            assignee: assignee?,
            creation_date_time: creation_date_time?,
        })
    }

    pub(crate) fn write(&self, out: &mut XmlWriter) {
        out.element("Assgnmt", |out| {
            out.leaf("Id", &self.identification);
            out.element("Assgnr", |out| self.assigner.write(out, "Agt"));
            out.element("Assgne", |out| self.assignee.write(out, "Agt"));
            out.leaf("CreDtTm", &self.creation_date_time);
        });
    }

    pub(crate) fn check(&self, report: &mut Report) {
        report.max_text("Id", &self.identification, MAX35_TEXT);
        report.within("Assgnr", |r| self.assigner.check(r, "Agt"));
        report.within("Assgne", |r| self.assignee.check(r, "Agt"));
        report.iso_date_time("CreDtTm", &self.creation_date_time);
    }
}

/// `Party40Choice`: Corridor's participants are financial institutions, so `Agt` is
/// required and `Pty` is not accepted in its place.
fn read_party(report: &mut Report, element: &Element) -> Option<Agent> {
    report.required_with(element, "Agt", Agent::read)
}

impl UnderlyingTransaction {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(UnderlyingTransaction {
            transactions: report.repeated_with(element, "TxInf", CancellationTransaction::read),
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("Undrlyg", |out| {
            for transaction in &self.transactions {
                transaction.write(out);
            }
        });
    }

    fn check(&self, report: &mut Report) {
        report.each_within("TxInf", &self.transactions, CancellationTransaction::check);
    }
}

impl CancellationTransaction {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(CancellationTransaction {
            cancellation_identification: report.optional_text(element, "CxlId"),
            original: OriginalIdentification::read(report, element),
            original_interbank_settlement_amount: report.optional_with(
                element,
                "OrgnlIntrBkSttlmAmt",
                ActiveCurrencyAndAmount::read,
            ),
            original_interbank_settlement_date: report.optional_text(element, "OrgnlIntrBkSttlmDt"),
            cancellation_reasons: report.repeated_with(
                element,
                "CxlRsnInf",
                ReasonInformation::read,
            ),
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter) {
        out.element("TxInf", |out| {
            out.optional_leaf("CxlId", self.cancellation_identification.as_deref());
            self.original.write(out);
            if let Some(amount) = &self.original_interbank_settlement_amount {
                amount.write(out, "OrgnlIntrBkSttlmAmt");
            }
            out.optional_leaf(
                "OrgnlIntrBkSttlmDt",
                self.original_interbank_settlement_date.as_deref(),
            );
            for reason in &self.cancellation_reasons {
                reason.write(out, "CxlRsnInf");
            }
        });
    }

    fn check(&self, report: &mut Report) {
        report.optional_max_text(
            "CxlId",
            self.cancellation_identification.as_deref(),
            MAX35_TEXT,
        );
        self.original.check(report);
        if let Some(amount) = &self.original_interbank_settlement_amount {
            amount.check(report, "OrgnlIntrBkSttlmAmt");
        }
        report.iso_date(
            "OrgnlIntrBkSttlmDt",
            self.original_interbank_settlement_date.as_deref(),
        );
        report.each_within(
            "CxlRsnInf",
            &self.cancellation_reasons,
            ReasonInformation::check,
        );
    }
}
