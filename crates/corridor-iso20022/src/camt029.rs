//! camt.029.001.09, ResolutionOfInvestigationV09: the answer to a cancellation request
//! (camt.056), saying for each transaction whether it is cancelled, and why not.

use crate::camt056::CaseAssignment;
use crate::check::{EXTERNAL_CODE, MAX35_TEXT};
use crate::codes::{CancellationStatus, Code};
use crate::components::{OriginalIdentification, ReasonInformation};
use crate::error::{FieldErrors, Report};
use crate::message_type::MessageType;
use crate::read::read_document;
use crate::tree::Element;
use crate::writer::{XmlWriter, document_xml};

pub(crate) const MESSAGE: &str = "RsltnOfInvstgtn";

/// `RsltnOfInvstgtn`: the case assignment, the status of the investigation and the status
/// of each transaction it was asked to cancel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsltnOfInvstgtn {
    /// `Assgnmt`
    pub assignment: CaseAssignment,
    /// `Sts/Conf`: an `ExternalInvestigationExecutionConfirmation1Code` such as `CNCL`
    /// (cancelled as requested), `RJCR` (cancellation rejected) or `PDCR` (pending).
    pub status_confirmation: String,
    /// `CxlDtls`
    pub cancellation_details: Vec<CancellationDetails>,
}

/// `UnderlyingTransaction22`, kept to its transactions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CancellationDetails {
    /// `TxInfAndSts`
    pub transactions: Vec<CancellationStatusTransaction>,
}

/// `PaymentTransaction102`: the fate of one transaction the request named.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CancellationStatusTransaction {
    /// `CxlStsId`
    pub cancellation_status_identification: Option<String>,
    /// `OrgnlInstrId`, `OrgnlEndToEndId`, `OrgnlTxId`, `OrgnlUETR`
    pub original: OriginalIdentification,
    /// `TxCxlSts`
    pub status: Option<CancellationStatus>,
    /// `CxlStsRsnInf`: `Rsn/Cd` is an `ExternalPaymentCancellationRejection1Code` such as
    /// `LEGL`, `CUST`, `ARDT`, `NOAS`, `NOOR`, `AC04` or `AM04`.
    pub reasons: Vec<ReasonInformation>,
}

impl RsltnOfInvstgtn {
    pub(crate) fn read(document: &Element) -> Result<Self, FieldErrors> {
        read_document(document, MESSAGE, read_message)
    }

    /// The `Document` element, namespace declared. A resolution that passes
    /// [`Self::validate`] is valid against the camt.029.001.09 XSD.
    pub fn to_xml(&self) -> String {
        document_xml(MessageType::Camt029V09, MESSAGE, |out| {
            self.assignment.write(out);
            out.element("Sts", |out| out.leaf("Conf", &self.status_confirmation));
            for details in &self.cancellation_details {
                details.write(out);
            }
        })
    }

    /// The first validation layer: lengths, patterns and required elements.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        Report::check_document(MESSAGE, |r| {
            r.within("Assgnmt", |r| self.assignment.check(r));
            r.within("Sts", |r| {
                r.max_text("Conf", &self.status_confirmation, EXTERNAL_CODE)
            });
            r.each_within(
                "CxlDtls",
                &self.cancellation_details,
                CancellationDetails::check,
            );
        })
    }
}

/// `Sts` is kept only as `Conf`: a status given as a rejected modification, a duplicate
/// case or an assignment cancellation is refused as a missing `Conf`.
fn read_message(report: &mut Report, element: &Element) -> Option<RsltnOfInvstgtn> {
    let assignment = report.required_with(element, "Assgnmt", CaseAssignment::read);
    let status_confirmation =
        report.required_with(element, "Sts", |r, status| r.required_text(status, "Conf"));
    let cancellation_details = report.repeated_with(element, "CxlDtls", CancellationDetails::read);
    Some(RsltnOfInvstgtn {
        assignment: assignment?,
        status_confirmation: status_confirmation?,
        cancellation_details,
    })
}

impl CancellationDetails {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(CancellationDetails {
            transactions: report.repeated_with(
                element,
                "TxInfAndSts",
                CancellationStatusTransaction::read,
            ),
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("CxlDtls", |out| {
            for transaction in &self.transactions {
                transaction.write(out);
            }
        });
    }

    fn check(&self, report: &mut Report) {
        report.each_within(
            "TxInfAndSts",
            &self.transactions,
            CancellationStatusTransaction::check,
        );
    }
}

impl CancellationStatusTransaction {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(CancellationStatusTransaction {
            cancellation_status_identification: report.optional_text(element, "CxlStsId"),
            original: OriginalIdentification::read(report, element),
            status: report.optional_code(element, "TxCxlSts"),
            reasons: report.repeated_with(element, "CxlStsRsnInf", ReasonInformation::read),
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter) {
        out.element("TxInfAndSts", |out| {
            out.optional_leaf(
                "CxlStsId",
                self.cancellation_status_identification.as_deref(),
            );
            self.original.write(out);
            out.optional_leaf("TxCxlSts", self.status.map(CancellationStatus::code));
            for reason in &self.reasons {
                reason.write(out, "CxlStsRsnInf");
            }
        });
    }

    fn check(&self, report: &mut Report) {
        report.optional_max_text(
            "CxlStsId",
            self.cancellation_status_identification.as_deref(),
            MAX35_TEXT,
        );
        self.original.check(report);
        report.each_within("CxlStsRsnInf", &self.reasons, ReasonInformation::check);
    }
}
