//! pacs.009.001.08, FinancialInstitutionCreditTransferV08: a transfer between financial
//! institutions, either on their own account or as the cover of a customer transfer sent
//! directly (`UndrlygCstmrCdtTrf`).

use crate::codes::Priority;
use crate::components::{
    ActiveCurrencyAndAmount, Agent, CashAccount, PartyIdentification, SettlementTimeRequest,
    check_optional_account, check_optional_agent, check_optional_settlement_time_request,
    check_unstructured_remittance, read_instruction_priority, read_unstructured_remittance,
    write_instruction_priority, write_optional_account, write_optional_agent, write_optional_party,
    write_optional_settlement_time_request, write_unstructured_remittance,
};
use crate::error::{FieldErrors, Report};
use crate::message_type::MessageType;
use crate::pacs008::{GroupHeader, PaymentIdentification};
use crate::read::read_document;
use crate::tree::Element;
use crate::writer::{XmlWriter, document_xml};

pub(crate) const MESSAGE: &str = "FICdtTrf";

/// `FICdtTrf`: a group header and one or more institution credit transfers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FICdtTrf {
    /// `GrpHdr`, the same `GroupHeader93` as pacs.008's.
    pub group_header: GroupHeader,
    /// `CdtTrfTxInf`, at least one.
    pub credit_transfer_transactions: Vec<FICreditTransferTransaction>,
}

/// `CreditTransferTransaction36`: the debtor and creditor are institutions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FICreditTransferTransaction {
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
    /// `InstgAgt`
    pub instructing_agent: Option<Agent>,
    /// `InstdAgt`
    pub instructed_agent: Option<Agent>,
    /// `Dbtr`
    pub debtor: Agent,
    /// `DbtrAcct`
    pub debtor_account: Option<CashAccount>,
    /// `DbtrAgt`
    pub debtor_agent: Option<Agent>,
    /// `CdtrAgt`
    pub creditor_agent: Option<Agent>,
    /// `Cdtr`
    pub creditor: Agent,
    /// `CdtrAcct`
    pub creditor_account: Option<CashAccount>,
    /// `RmtInf/Ustrd`
    pub remittance_information_unstructured: Vec<String>,
    /// `UndrlygCstmrCdtTrf`: present in the cover variant (pacs.009 COV).
    pub underlying_customer_credit_transfer: Option<UnderlyingCustomerCreditTransfer>,
}

/// `CreditTransferTransaction37`: the customer transfer a cover payment settles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnderlyingCustomerCreditTransfer {
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
    /// `RmtInf/Ustrd`
    pub remittance_information_unstructured: Vec<String>,
    /// `InstdAmt` (`ActiveOrHistoricCurrencyAndAmount`).
    pub instructed_amount: Option<ActiveCurrencyAndAmount>,
}

impl FICdtTrf {
    pub(crate) fn read(document: &Element) -> Result<Self, FieldErrors> {
        read_document(document, MESSAGE, read_message)
    }

    /// The `Document` element, namespace declared. A message that passes [`Self::validate`]
    /// is valid against the pacs.009.001.08 XSD.
    pub fn to_xml(&self) -> String {
        document_xml(MessageType::Pacs009V08, MESSAGE, |out| {
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
                FICreditTransferTransaction::check,
            );
        })
    }
}

fn read_message(report: &mut Report, element: &Element) -> Option<FICdtTrf> {
    let group_header = report.required_with(element, "GrpHdr", GroupHeader::read);
    let transactions =
        report.repeated_with(element, "CdtTrfTxInf", FICreditTransferTransaction::read);
    report.at_least_one("CdtTrfTxInf", element.children_named("CdtTrfTxInf").count());
    Some(FICdtTrf {
        group_header: group_header?,
        credit_transfer_transactions: transactions,
    })
}

impl FICreditTransferTransaction {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let payment_identification =
            report.required_with(element, "PmtId", PaymentIdentification::read);
        let instruction_priority = read_instruction_priority(report, element);
        let interbank_settlement_amount =
            report.required_with(element, "IntrBkSttlmAmt", ActiveCurrencyAndAmount::read);
        let interbank_settlement_date = report.optional_text(element, "IntrBkSttlmDt");
        let settlement_time_request =
            report.optional_with(element, "SttlmTmReq", SettlementTimeRequest::read);
        let instructing_agent = report.optional_with(element, "InstgAgt", Agent::read);
        let instructed_agent = report.optional_with(element, "InstdAgt", Agent::read);
        let debtor = report.required_with(element, "Dbtr", Agent::read);
        let debtor_account = report.optional_with(element, "DbtrAcct", CashAccount::read);
        let debtor_agent = report.optional_with(element, "DbtrAgt", Agent::read);
        let creditor_agent = report.optional_with(element, "CdtrAgt", Agent::read);
        let creditor = report.required_with(element, "Cdtr", Agent::read);
        let creditor_account = report.optional_with(element, "CdtrAcct", CashAccount::read);
        let remittance_information_unstructured = read_unstructured_remittance(report, element);
        let underlying_customer_credit_transfer = report.optional_with(
            element,
            "UndrlygCstmrCdtTrf",
            UnderlyingCustomerCreditTransfer::read,
        );
        Some(FICreditTransferTransaction {
            payment_identification: payment_identification?,
            instruction_priority,
            interbank_settlement_amount: interbank_settlement_amount?,
            interbank_settlement_date,
            settlement_time_request,
            instructing_agent,
            instructed_agent,
            debtor: debtor?,
            debtor_account,
            debtor_agent,
            creditor_agent,
            creditor: creditor?,
            creditor_account,
            remittance_information_unstructured,
            underlying_customer_credit_transfer,
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
            write_optional_agent(out, "InstgAgt", self.instructing_agent.as_ref());
            write_optional_agent(out, "InstdAgt", self.instructed_agent.as_ref());
            self.debtor.write(out, "Dbtr");
            write_optional_account(out, "DbtrAcct", self.debtor_account.as_ref());
            write_optional_agent(out, "DbtrAgt", self.debtor_agent.as_ref());
            write_optional_agent(out, "CdtrAgt", self.creditor_agent.as_ref());
            self.creditor.write(out, "Cdtr");
            write_optional_account(out, "CdtrAcct", self.creditor_account.as_ref());
            write_unstructured_remittance(out, &self.remittance_information_unstructured);
            if let Some(underlying) = &self.underlying_customer_credit_transfer {
                underlying.write(out);
            }
        });
    }

    fn check(&self, report: &mut Report) {
        report.within("PmtId", |r| self.payment_identification.check(r));
        self.interbank_settlement_amount
            .check(report, "IntrBkSttlmAmt");
        report.iso_date("IntrBkSttlmDt", self.interbank_settlement_date.as_deref());
        check_optional_settlement_time_request(report, self.settlement_time_request.as_ref());
        check_optional_agent(report, "InstgAgt", self.instructing_agent.as_ref());
        check_optional_agent(report, "InstdAgt", self.instructed_agent.as_ref());
        self.debtor.check(report, "Dbtr");
        check_optional_account(report, "DbtrAcct", self.debtor_account.as_ref());
        check_optional_agent(report, "DbtrAgt", self.debtor_agent.as_ref());
        check_optional_agent(report, "CdtrAgt", self.creditor_agent.as_ref());
        self.creditor.check(report, "Cdtr");
        check_optional_account(report, "CdtrAcct", self.creditor_account.as_ref());
        check_unstructured_remittance(report, &self.remittance_information_unstructured);
        if let Some(underlying) = &self.underlying_customer_credit_transfer {
            report.within("UndrlygCstmrCdtTrf", |r| underlying.check(r));
        }
    }
}

impl UnderlyingCustomerCreditTransfer {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let ultimate_debtor = report.optional_with(element, "UltmtDbtr", PartyIdentification::read);
        let debtor = report.required_with(element, "Dbtr", PartyIdentification::read);
        let debtor_account = report.optional_with(element, "DbtrAcct", CashAccount::read);
        let debtor_agent = report.required_with(element, "DbtrAgt", Agent::read);
        let creditor_agent = report.required_with(element, "CdtrAgt", Agent::read);
        let creditor = report.required_with(element, "Cdtr", PartyIdentification::read);
        let creditor_account = report.optional_with(element, "CdtrAcct", CashAccount::read);
        let ultimate_creditor =
            report.optional_with(element, "UltmtCdtr", PartyIdentification::read);
        let remittance_information_unstructured = read_unstructured_remittance(report, element);
        let instructed_amount =
            report.optional_with(element, "InstdAmt", ActiveCurrencyAndAmount::read);
        Some(UnderlyingCustomerCreditTransfer {
            ultimate_debtor,
            debtor: debtor?,
            debtor_account,
            debtor_agent: debtor_agent?,
            creditor_agent: creditor_agent?,
            creditor: creditor?,
            creditor_account,
            ultimate_creditor,
            remittance_information_unstructured,
            instructed_amount,
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter) {
        out.element("UndrlygCstmrCdtTrf", |out| {
            write_optional_party(out, "UltmtDbtr", self.ultimate_debtor.as_ref());
            self.debtor.write(out, "Dbtr");
            write_optional_account(out, "DbtrAcct", self.debtor_account.as_ref());
            self.debtor_agent.write(out, "DbtrAgt");
            self.creditor_agent.write(out, "CdtrAgt");
            self.creditor.write(out, "Cdtr");
            write_optional_account(out, "CdtrAcct", self.creditor_account.as_ref());
            write_optional_party(out, "UltmtCdtr", self.ultimate_creditor.as_ref());
            write_unstructured_remittance(out, &self.remittance_information_unstructured);
            if let Some(amount) = &self.instructed_amount {
                amount.write(out, "InstdAmt");
            }
        });
    }

    fn check(&self, report: &mut Report) {
        if let Some(party) = &self.ultimate_debtor {
            party.check(report, "UltmtDbtr");
        }
        self.debtor.check(report, "Dbtr");
        check_optional_account(report, "DbtrAcct", self.debtor_account.as_ref());
        self.debtor_agent.check(report, "DbtrAgt");
        self.creditor_agent.check(report, "CdtrAgt");
        self.creditor.check(report, "Cdtr");
        check_optional_account(report, "CdtrAcct", self.creditor_account.as_ref());
        if let Some(party) = &self.ultimate_creditor {
            party.check(report, "UltmtCdtr");
        }
        check_unstructured_remittance(report, &self.remittance_information_unstructured);
        if let Some(amount) = &self.instructed_amount {
            amount.check(report, "InstdAmt");
        }
    }
}
