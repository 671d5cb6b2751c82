//! camt.050.001.05, LiquidityCreditTransferV05: a participant moves liquidity between its
//! own settlement accounts (or to another participant's) at the settlement infrastructure.

use crate::check::MAX35_TEXT;
use crate::components::{
    ActiveCurrencyAndAmount, Agent, CashAccount, check_optional_account, check_optional_agent,
    write_optional_account, write_optional_agent,
};
use crate::error::{FieldErrors, Report};
use crate::message_type::MessageType;
use crate::pacs008::PaymentIdentification;
use crate::read::read_document;
use crate::reason::ReasonCode;
use crate::tree::Element;
use crate::writer::{XmlWriter, document_xml};

pub(crate) const MESSAGE: &str = "LqdtyCdtTrf";

/// `LqdtyCdtTrf`: a message header and one liquidity transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LqdtyCdtTrf {
    /// `MsgHdr`
    pub message_header: MessageHeader,
    /// `LqdtyCdtTrf`
    pub liquidity_credit_transfer: LiquidityCreditTransfer,
}

/// `MessageHeader1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageHeader {
    /// `MsgId`
    pub message_identification: String,
    /// `CreDtTm`, as written (ISO 8601 date-time).
    pub creation_date_time: Option<String>,
}

/// `LiquidityCreditTransfer2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiquidityCreditTransfer {
    /// `LqdtyTrfId` (`PaymentIdentification8`: `InstrId`, `EndToEndId`, `TxId`, `UETR`).
    pub liquidity_transfer_identification: Option<PaymentIdentification>,
    /// `Cdtr`
    pub creditor: Option<Agent>,
    /// `CdtrAcct`
    pub creditor_account: Option<CashAccount>,
    /// `TrfdAmt`
    pub transferred_amount: TransferredAmount,
    /// `Dbtr`
    pub debtor: Option<Agent>,
    /// `DbtrAcct`
    pub debtor_account: Option<CashAccount>,
    /// `SttlmDt`, as written (ISO 8601 date).
    pub settlement_date: Option<String>,
}

/// `Amount2Choice`: an amount in the currency the service implies, or with its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferredAmount {
    /// `AmtWthtCcy` (`ImpliedCurrencyAndAmount`), as written.
    WithoutCurrency(String),
    /// `AmtWthCcy`
    WithCurrency(ActiveCurrencyAndAmount),
}

impl LqdtyCdtTrf {
    pub(crate) fn read(document: &Element) -> Result<Self, FieldErrors> {
        read_document(document, MESSAGE, read_message)
    }

    /// The `Document` element, namespace declared. A transfer that passes
    /// [`Self::validate`] is valid against the camt.050.001.05 XSD.
    pub fn to_xml(&self) -> String {
        document_xml(MessageType::Camt050V05, MESSAGE, |out| {
            self.message_header.write(out);
            self.liquidity_credit_transfer.write(out);
        })
    }

    /// The first validation layer: lengths, patterns and required elements.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        Report::check_document(MESSAGE, |r| {
            r.within("MsgHdr", |r| self.message_header.check(r));
            r.within("LqdtyCdtTrf", |r| self.liquidity_credit_transfer.check(r));
        })
    }
}

fn read_message(report: &mut Report, element: &Element) -> Option<LqdtyCdtTrf> {
    let message_header = report.required_with(element, "MsgHdr", MessageHeader::read);
    let transfer = report.required_with(element, "LqdtyCdtTrf", LiquidityCreditTransfer::read);
    Some(LqdtyCdtTrf {
        message_header: message_header?,
        liquidity_credit_transfer: transfer?,
    })
}

impl MessageHeader {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let message_identification = report.required_text(element, "MsgId");
        Some(MessageHeader {
            message_identification: message_identification?,
            creation_date_time: report.optional_text(element, "CreDtTm"),
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("MsgHdr", |out| {
            out.leaf("MsgId", &self.message_identification);
            out.optional_leaf("CreDtTm", self.creation_date_time.as_deref());
        });
    }

    fn check(&self, report: &mut Report) {
        report.max_text("MsgId", &self.message_identification, MAX35_TEXT);
        if let Some(created) = &self.creation_date_time {
            report.iso_date_time("CreDtTm", created);
        }
    }
}

impl LiquidityCreditTransfer {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let liquidity_transfer_identification =
            report.optional_with(element, "LqdtyTrfId", PaymentIdentification::read);
        let creditor = report.optional_with(element, "Cdtr", Agent::read);
        let creditor_account = report.optional_with(element, "CdtrAcct", CashAccount::read);
        let transferred_amount = report.required_with(element, "TrfdAmt", TransferredAmount::read);
        let debtor = report.optional_with(element, "Dbtr", Agent::read);
        let debtor_account = report.optional_with(element, "DbtrAcct", CashAccount::read);
        Some(LiquidityCreditTransfer {
            liquidity_transfer_identification,
            creditor,
            creditor_account,
            transferred_amount: transferred_amount?,
            debtor,
            debtor_account,
            settlement_date: report.optional_text(element, "SttlmDt"),
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter) {
        out.element("LqdtyCdtTrf", |out| {
            if let Some(identification) = &self.liquidity_transfer_identification {
                identification.write(out, "LqdtyTrfId");
            }
            write_optional_agent(out, "Cdtr", self.creditor.as_ref());
            write_optional_account(out, "CdtrAcct", self.creditor_account.as_ref());
            self.transferred_amount.write(out);
            write_optional_agent(out, "Dbtr", self.debtor.as_ref());
            write_optional_account(out, "DbtrAcct", self.debtor_account.as_ref());
            out.optional_leaf("SttlmDt", self.settlement_date.as_deref());
        });
    }

    fn check(&self, report: &mut Report) {
        if let Some(identification) = &self.liquidity_transfer_identification {
            report.within("LqdtyTrfId", |r| identification.check(r));
        }
        check_optional_agent(report, "Cdtr", self.creditor.as_ref());
        check_optional_account(report, "CdtrAcct", self.creditor_account.as_ref());
        report.within("TrfdAmt", |r| self.transferred_amount.check(r));
        check_optional_agent(report, "Dbtr", self.debtor.as_ref());
        check_optional_account(report, "DbtrAcct", self.debtor_account.as_ref());
        report.iso_date("SttlmDt", self.settlement_date.as_deref());
    }
}

impl TransferredAmount {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let without = report.optional_text(element, "AmtWthtCcy");
        let with = report.optional_with(element, "AmtWthCcy", ActiveCurrencyAndAmount::read);
        match (without, with) {
            (Some(amount), None) => Some(TransferredAmount::WithoutCurrency(amount)),
            (None, Some(amount)) => Some(TransferredAmount::WithCurrency(amount)),
            (Some(_), Some(_)) => {
                report.fail(
                    "AmtWthCcy",
                    ReasonCode::Ch17,
                    "AmtWthtCcy and AmtWthCcy are a choice: one only",
                );
                None
            }
            (None, None) => {
                // An AmtWthCcy without its currency has already been reported as such.
                if element.children_named("AmtWthCcy").next().is_none() {
                    report.fail(
                        "AmtWthCcy",
                        ReasonCode::Ch21,
                        "AmtWthtCcy or AmtWthCcy is required",
                    );
                }
                None
            }
        }
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("TrfdAmt", |out| match self {
            TransferredAmount::WithoutCurrency(amount) => out.leaf("AmtWthtCcy", amount),
            TransferredAmount::WithCurrency(amount) => amount.write(out, "AmtWthCcy"),
        });
    }

    fn check(&self, report: &mut Report) {
        match self {
            TransferredAmount::WithoutCurrency(amount) => report.amount("AmtWthtCcy", amount),
            TransferredAmount::WithCurrency(amount) => amount.check(report, "AmtWthCcy"),
        }
    }
}
