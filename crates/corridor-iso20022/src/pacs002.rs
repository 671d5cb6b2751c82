//! pacs.002.001.10, FIToFIPaymentStatusReportV10: an agent reports the status of messages
//! and transactions it received, with the reason codes of a rejection.

use crate::check::{EXTERNAL_CODE, MAX35_TEXT};
use crate::components::{
    Agent, OriginalIdentification, ReasonInformation, check_optional_agent, write_optional_agent,
};
use crate::error::{FieldErrors, Report};
use crate::message_type::MessageType;
use crate::read::read_document;
use crate::tree::Element;
use crate::writer::{XmlWriter, document_xml};

pub(crate) const MESSAGE: &str = "FIToFIPmtStsRpt";

/// `FIToFIPmtStsRpt`: a group header, the status of original groups and of transactions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FIToFIPmtStsRpt {
    /// `GrpHdr/MsgId`
    pub message_identification: String,
    /// `GrpHdr/CreDtTm`, as written (ISO 8601 date-time).
    pub creation_date_time: String,
    /// `OrgnlGrpInfAndSts`
    pub original_groups: Vec<OriginalGroupStatus>,
    /// `TxInfAndSts`
    pub transactions: Vec<TransactionStatus>,
}

/// `OriginalGroupHeader17`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginalGroupStatus {
    /// `OrgnlMsgId`
    pub original_message_identification: String,
    /// `OrgnlMsgNmId`, such as `pacs.008.001.08`.
    pub original_message_name_identification: String,
    /// `GrpSts`, an `ExternalPaymentGroupStatus1Code` such as `ACSC` or `RJCT`.
    pub group_status: Option<String>,
}

/// `PaymentTransaction110`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TransactionStatus {
    /// `StsId`
    pub status_identification: Option<String>,
    /// `OrgnlInstrId`, `OrgnlEndToEndId`, `OrgnlTxId`, `OrgnlUETR`
    pub original: OriginalIdentification,
    /// `TxSts`, an `ExternalPaymentTransactionStatus1Code` such as `ACSC`, `ACCC`, `PDNG`
    /// or `RJCT`: an external code list, so kept as text.
    pub transaction_status: Option<String>,
    /// `StsRsnInf`
    pub status_reasons: Vec<ReasonInformation>,
    /// `AccptncDtTm`, as written (ISO 8601 date-time).
    pub acceptance_date_time: Option<String>,
    /// `InstgAgt`
    pub instructing_agent: Option<Agent>,
    /// `InstdAgt`
    pub instructed_agent: Option<Agent>,
}

impl FIToFIPmtStsRpt {
    pub(crate) fn read(document: &Element) -> Result<Self, FieldErrors> {
        read_document(document, MESSAGE, read_message)
    }

    /// The `Document` element, namespace declared. A report that passes [`Self::validate`]
    /// is valid against the pacs.002.001.10 XSD.
    pub fn to_xml(&self) -> String {
        document_xml(MessageType::Pacs002V10, MESSAGE, |out| {
            out.element("GrpHdr", |out| {
                out.leaf("MsgId", &self.message_identification);
                out.leaf("CreDtTm", &self.creation_date_time);
            });
            for group in &self.original_groups {
                group.write(out);
            }
            for transaction in &self.transactions {
                transaction.write(out);
            }
        })
    }

    /// The first validation layer: lengths, patterns and required elements.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        Report::check_document(MESSAGE, |r| {
            r.within("GrpHdr", |r| {
                r.max_text("MsgId", &self.message_identification, MAX35_TEXT);
                r.iso_date_time("CreDtTm", &self.creation_date_time);
            });
            r.each_within(
                "OrgnlGrpInfAndSts",
                &self.original_groups,
                OriginalGroupStatus::check,
            );
            r.each_within("TxInfAndSts", &self.transactions, TransactionStatus::check);
        })
    }
}

fn read_message(report: &mut Report, element: &Element) -> Option<FIToFIPmtStsRpt> {
    let header = report.required_with(element, "GrpHdr", |r, header| {
        let message_identification = r.required_text(header, "MsgId");
        let creation_date_time = r.required_text(header, "CreDtTm");
        Some((message_identification?, creation_date_time?))
    });
    let original_groups =
        report.repeated_with(element, "OrgnlGrpInfAndSts", OriginalGroupStatus::read);
    let transactions = report.repeated_with(element, "TxInfAndSts", TransactionStatus::read);
    let (message_identification, creation_date_time) = header?;
    Some(FIToFIPmtStsRpt {
        message_identification,
        creation_date_time,
        original_groups,
        transactions,
    })
}

impl OriginalGroupStatus {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let original_message_identification = report.required_text(element, "OrgnlMsgId");
        let original_message_name_identification = report.required_text(element, "OrgnlMsgNmId");
        let group_status = report.optional_text(element, "GrpSts");
        Some(OriginalGroupStatus {
            original_message_identification: original_message_identification?,
            original_message_name_identification: original_message_name_identification?,
            group_status,
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("OrgnlGrpInfAndSts", |out| {
            out.leaf("OrgnlMsgId", &self.original_message_identification);
            out.leaf("OrgnlMsgNmId", &self.original_message_name_identification);
            out.optional_leaf("GrpSts", self.group_status.as_deref());
        });
    }

    fn check(&self, report: &mut Report) {
        report.max_text(
            "OrgnlMsgId",
            &self.original_message_identification,
            MAX35_TEXT,
        );
        report.max_text(
            "OrgnlMsgNmId",
            &self.original_message_name_identification,
            MAX35_TEXT,
        );
        report.optional_max_text("GrpSts", self.group_status.as_deref(), EXTERNAL_CODE);
    }
}

impl TransactionStatus {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(TransactionStatus {
            status_identification: report.optional_text(element, "StsId"),
            original: OriginalIdentification::read(report, element),
            transaction_status: report.optional_text(element, "TxSts"),
            status_reasons: report.repeated_with(element, "StsRsnInf", ReasonInformation::read),
            acceptance_date_time: report.optional_text(element, "AccptncDtTm"),
            instructing_agent: report.optional_with(element, "InstgAgt", Agent::read),
            instructed_agent: report.optional_with(element, "InstdAgt", Agent::read),
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter) {
        out.element("TxInfAndSts", |out| {
            out.optional_leaf("StsId", self.status_identification.as_deref());
            self.original.write(out);
            out.optional_leaf("TxSts", self.transaction_status.as_deref());
            for reason in &self.status_reasons {
                reason.write(out, "StsRsnInf");
            }
            out.optional_leaf("AccptncDtTm", self.acceptance_date_time.as_deref());
            write_optional_agent(out, "InstgAgt", self.instructing_agent.as_ref());
            write_optional_agent(out, "InstdAgt", self.instructed_agent.as_ref());
        });
    }

    fn check(&self, report: &mut Report) {
        report.optional_max_text("StsId", self.status_identification.as_deref(), MAX35_TEXT);
        self.original.check(report);
        report.optional_max_text("TxSts", self.transaction_status.as_deref(), EXTERNAL_CODE);
        report.each_within("StsRsnInf", &self.status_reasons, ReasonInformation::check);
        if let Some(accepted) = &self.acceptance_date_time {
            report.iso_date_time("AccptncDtTm", accepted);
        }
        check_optional_agent(report, "InstgAgt", self.instructing_agent.as_ref());
        check_optional_agent(report, "InstdAgt", self.instructed_agent.as_ref());
    }
}
