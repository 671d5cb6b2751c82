//! pain.001.001.09, CustomerCreditTransferInitiationV09: a customer asks its bank to make
//! one or more credit transfers from its account, modelled with the fields a payment hub
//! needs to turn each into an interbank credit transfer.

use crate::camt_report::DateOrDateTime;
use crate::check::MAX35_TEXT;
use crate::codes::{ChargeBearer, Code, PaymentMethod, Priority};
use crate::components::{
    ActiveCurrencyAndAmount, Agent, CashAccount, PartyIdentification, check_optional_account,
    check_optional_agent, check_optional_party, check_purpose_code, check_unstructured_remittance,
    read_instruction_priority, read_purpose_code, read_unstructured_remittance,
    write_instruction_priority, write_optional_account, write_optional_agent, write_optional_party,
    write_purpose_code, write_unstructured_remittance,
};
use crate::error::{FieldErrors, Report, excerpt};
use crate::message_type::MessageType;
use crate::read::{Choice, read_document};
use crate::reason::ReasonCode;
use crate::tree::Element;
use crate::writer::{XmlWriter, document_xml};

pub(crate) const MESSAGE: &str = "CstmrCdtTrfInitn";

/// `CstmrCdtTrfInitn`: a group header and one or more payment instructions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CstmrCdtTrfInitn {
    /// `GrpHdr`
    pub group_header: InitiationGroupHeader,
    /// `PmtInf`, at least one.
    pub payment_instructions: Vec<PaymentInstruction>,
}

/// `GroupHeader85`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiationGroupHeader {
    /// `MsgId`
    pub message_identification: String,
    /// `CreDtTm`, as written (ISO 8601 date-time).
    pub creation_date_time: String,
    /// `NbOfTxs`, as written (`Max15NumericText`): the transactions of every `PmtInf`.
    pub number_of_transactions: String,
    /// `CtrlSum`, as written (`DecimalNumber`): the sum of every `InstdAmt`, whatever its
    /// currency.
    pub control_sum: Option<String>,
    /// `InitgPty`
    pub initiating_party: PartyIdentification,
}

/// `PaymentInstruction30`: the transfers debited from one account on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInstruction {
    /// `PmtInfId`
    pub payment_information_identification: String,
    /// `PmtMtd`
    pub payment_method: PaymentMethod,
    /// `BtchBookg`: one debit for the whole instruction (`true`) or one per transaction.
    pub batch_booking: Option<bool>,
    /// `NbOfTxs`, as written (`Max15NumericText`).
    pub number_of_transactions: Option<String>,
    /// `CtrlSum`, as written (`DecimalNumber`).
    pub control_sum: Option<String>,
    /// `PmtTpInf/InstrPrty`
    pub instruction_priority: Option<Priority>,
    /// `ReqdExctnDt`
    pub requested_execution_date: DateOrDateTime,
    /// `Dbtr`
    pub debtor: PartyIdentification,
    /// `DbtrAcct`
    pub debtor_account: CashAccount,
    /// `DbtrAgt`
    pub debtor_agent: Agent,
    /// `UltmtDbtr`
    pub ultimate_debtor: Option<PartyIdentification>,
    /// `ChrgBr`
    pub charge_bearer: Option<ChargeBearer>,
    /// `CdtTrfTxInf`, at least one.
    pub credit_transfer_transactions: Vec<InitiationCreditTransfer>,
}

/// `CreditTransferTransaction34`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiationCreditTransfer {
    /// `PmtId`
    pub payment_identification: InitiationPaymentIdentification,
    /// `PmtTpInf/InstrPrty`
    pub instruction_priority: Option<Priority>,
    /// `Amt/InstdAmt` (`ActiveOrHistoricCurrencyAndAmount`), or `Amt/EqvtAmt/Amt` when
    /// `currency_of_transfer` is set: the amount as the debtor's account is debited.
    pub instructed_amount: ActiveCurrencyAndAmount,
    /// `Amt/EqvtAmt/CcyOfTrf`: the amount was given as an equivalent in the debtor's
    /// currency, to be transferred in this one (ISO 4217 code as written).
    pub currency_of_transfer: Option<String>,
    /// `ChrgBr`
    pub charge_bearer: Option<ChargeBearer>,
    /// `UltmtDbtr`
    pub ultimate_debtor: Option<PartyIdentification>,
    /// `CdtrAgt`
    pub creditor_agent: Option<Agent>,
    /// `Cdtr`, which the model requires though the XSD does not: a transfer the hub routes
    /// names its creditor.
    pub creditor: PartyIdentification,
    /// `CdtrAcct`
    pub creditor_account: Option<CashAccount>,
    /// `UltmtCdtr`
    pub ultimate_creditor: Option<PartyIdentification>,
    /// `Purp/Cd`, an `ExternalPurpose1Code` such as `SUPP`.
    pub purpose_code: Option<String>,
    /// `RmtInf/Ustrd`
    pub remittance_information_unstructured: Vec<String>,
}

/// `PaymentIdentification6`: the debtor's own references. It has no `TxId`, which the
/// first agent assigns when it makes the interbank transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiationPaymentIdentification {
    /// `InstrId`
    pub instruction_identification: Option<String>,
    /// `EndToEndId`
    pub end_to_end_identification: String,
    /// `UETR`
    pub uetr: Option<String>,
}

impl CstmrCdtTrfInitn {
    pub(crate) fn read(document: &Element) -> Result<Self, FieldErrors> {
        read_document(document, MESSAGE, read_message)
    }

    /// The `Document` element, namespace declared. An initiation that passes
    /// [`Self::validate`] is valid against the pain.001.001.09 XSD.
    pub fn to_xml(&self) -> String {
        document_xml(MessageType::Pain001V09, MESSAGE, |out| {
            self.group_header.write(out);
            for instruction in &self.payment_instructions {
                instruction.write(out);
            }
        })
    }

    /// The first validation layer: lengths, patterns and required elements.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        Report::check_document(MESSAGE, |r| {
            r.within("GrpHdr", |r| self.group_header.check(r));
            r.at_least_one("PmtInf", self.payment_instructions.len());
            r.each_within(
                "PmtInf",
                &self.payment_instructions,
                PaymentInstruction::check,
            );
        })
    }
}

fn read_message(report: &mut Report, element: &Element) -> Option<CstmrCdtTrfInitn> {
    let group_header = report.required_with(element, "GrpHdr", InitiationGroupHeader::read);
    let payment_instructions = report.repeated_with(element, "PmtInf", PaymentInstruction::read);
    report.at_least_one("PmtInf", element.children_named("PmtInf").count());
    Some(CstmrCdtTrfInitn {
        group_header: group_header?,
        payment_instructions,
    })
}

impl InitiationGroupHeader {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let message_identification = report.required_text(element, "MsgId");
        let creation_date_time = report.required_text(element, "CreDtTm");
        let number_of_transactions = report.required_text(element, "NbOfTxs");
        let control_sum = report.optional_text(element, "CtrlSum");
        let initiating_party = report.required_with(element, "InitgPty", PartyIdentification::read);
        Some(InitiationGroupHeader {
            message_identification: message_identification?,
            creation_date_time: creation_date_time?,
            number_of_transactions: number_of_transactions?,
            control_sum,
            initiating_party: initiating_party?,
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("GrpHdr", |out| {
            out.leaf("MsgId", &self.message_identification);
            out.leaf("CreDtTm", &self.creation_date_time);
            out.leaf("NbOfTxs", &self.number_of_transactions);
            out.optional_leaf("CtrlSum", self.control_sum.as_deref());
            self.initiating_party.write(out, "InitgPty");
        });
    }

    fn check(&self, report: &mut Report) {
        report.max_text("MsgId", &self.message_identification, MAX35_TEXT);
        report.iso_date_time("CreDtTm", &self.creation_date_time);
        report.numeric_text("NbOfTxs", &self.number_of_transactions);
        check_control_sum(report, self.control_sum.as_deref());
        self.initiating_party.check(report, "InitgPty");
    }
}

/// `CtrlSum` is a `DecimalNumber` (18 digits, 17 of them fractional); it is checked as an
/// amount (no sign, at most 5 fraction digits), stricter, since it sums amounts that have
/// no more.
fn check_control_sum(report: &mut Report, control_sum: Option<&str>) {
    if let Some(sum) = control_sum {
        report.amount("CtrlSum", sum);
    }
}

impl PaymentInstruction {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let payment_information_identification = report.required_text(element, "PmtInfId");
        let payment_method = report.required_code(element, "PmtMtd");
        let batch_booking = read_batch_booking(report, element);
        let number_of_transactions = report.optional_text(element, "NbOfTxs");
        let control_sum = report.optional_text(element, "CtrlSum");
        let instruction_priority = read_instruction_priority(report, element);
        let requested_execution_date =
            report.required_with(element, "ReqdExctnDt", DateOrDateTime::read);
        let debtor = report.required_with(element, "Dbtr", PartyIdentification::read);
        let debtor_account = report.required_with(element, "DbtrAcct", CashAccount::read);
        let debtor_agent = report.required_with(element, "DbtrAgt", Agent::read);
        let ultimate_debtor = report.optional_with(element, "UltmtDbtr", PartyIdentification::read);
        let charge_bearer = report.optional_code(element, "ChrgBr");
        let transactions =
            report.repeated_with(element, "CdtTrfTxInf", InitiationCreditTransfer::read);
        report.at_least_one("CdtTrfTxInf", element.children_named("CdtTrfTxInf").count());
        Some(PaymentInstruction {
            payment_information_identification: payment_information_identification?,
            payment_method: payment_method?,
            batch_booking,
            number_of_transactions,
            control_sum,
            instruction_priority,
            requested_execution_date: requested_execution_date?,
            debtor: debtor?,
            debtor_account: debtor_account?,
            debtor_agent: debtor_agent?,
            ultimate_debtor,
            charge_bearer,
            credit_transfer_transactions: transactions,
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter) {
        out.element("PmtInf", |out| {
            out.leaf("PmtInfId", &self.payment_information_identification);
            out.leaf("PmtMtd", self.payment_method.code());
            if let Some(batch) = self.batch_booking {
                out.leaf("BtchBookg", if batch { "true" } else { "false" });
            }
            out.optional_leaf("NbOfTxs", self.number_of_transactions.as_deref());
            out.optional_leaf("CtrlSum", self.control_sum.as_deref());
            write_instruction_priority(out, self.instruction_priority);
            self.requested_execution_date.write(out, "ReqdExctnDt");
            self.debtor.write(out, "Dbtr");
            self.debtor_account.write(out, "DbtrAcct");
            self.debtor_agent.write(out, "DbtrAgt");
            write_optional_party(out, "UltmtDbtr", self.ultimate_debtor.as_ref());
            out.optional_leaf("ChrgBr", self.charge_bearer.map(ChargeBearer::code));
            for transaction in &self.credit_transfer_transactions {
                transaction.write(out);
            }
        });
    }

    fn check(&self, report: &mut Report) {
        report.max_text(
            "PmtInfId",
            &self.payment_information_identification,
            MAX35_TEXT,
        );
        if let Some(count) = &self.number_of_transactions {
            report.numeric_text("NbOfTxs", count);
        }
        check_control_sum(report, self.control_sum.as_deref());
        self.requested_execution_date.check(report, "ReqdExctnDt");
        self.debtor.check(report, "Dbtr");
        self.debtor_account.check(report, "DbtrAcct");
        self.debtor_agent.check(report, "DbtrAgt");
        check_optional_party(report, "UltmtDbtr", self.ultimate_debtor.as_ref());
        report.at_least_one("CdtTrfTxInf", self.credit_transfer_transactions.len());
        report.each_within(
            "CdtTrfTxInf",
            &self.credit_transfer_transactions,
            InitiationCreditTransfer::check,
        );
    }
}

/// `BtchBookg`, an `xs:boolean`: `true`, `false`, `1` or `0`. The value is kept, not its
/// spelling: `1` and `0` are written back as `true` and `false`.
fn read_batch_booking(report: &mut Report, element: &Element) -> Option<bool> {
    let indicator = report.optional(element, "BtchBookg")?;
    match indicator.text() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        other => {
            report.fail(
                "BtchBookg",
                ReasonCode::Ff01,
                format!("{:?} is not true, false, 1 or 0", excerpt(other)),
            );
            None
        }
    }
}

impl InitiationCreditTransfer {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let payment_identification =
            report.required_with(element, "PmtId", InitiationPaymentIdentification::read);
        let instruction_priority = read_instruction_priority(report, element);
        let amount = report.required_with(element, "Amt", read_amount);
        let charge_bearer = report.optional_code(element, "ChrgBr");
        let ultimate_debtor = report.optional_with(element, "UltmtDbtr", PartyIdentification::read);
        let creditor_agent = report.optional_with(element, "CdtrAgt", Agent::read);
        let creditor = report.required_with(element, "Cdtr", PartyIdentification::read);
        let creditor_account = report.optional_with(element, "CdtrAcct", CashAccount::read);
        let ultimate_creditor =
            report.optional_with(element, "UltmtCdtr", PartyIdentification::read);
        let (instructed_amount, currency_of_transfer) = amount?;
        Some(InitiationCreditTransfer {
            payment_identification: payment_identification?,
            instruction_priority,
            instructed_amount,
            currency_of_transfer,
            charge_bearer,
            ultimate_debtor,
            creditor_agent,
            creditor: creditor?,
            creditor_account,
            ultimate_creditor,
            purpose_code: read_purpose_code(report, element),
            remittance_information_unstructured: read_unstructured_remittance(report, element),
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter) {
        out.element("CdtTrfTxInf", |out| {
            self.payment_identification.write(out);
            write_instruction_priority(out, self.instruction_priority);
            out.element("Amt", |out| match &self.currency_of_transfer {
                None => self.instructed_amount.write(out, "InstdAmt"),
                Some(currency) => out.element("EqvtAmt", |out| {
                    self.instructed_amount.write(out, "Amt");
                    out.leaf("CcyOfTrf", currency);
                }),
            });
            out.optional_leaf("ChrgBr", self.charge_bearer.map(ChargeBearer::code));
            write_optional_party(out, "UltmtDbtr", self.ultimate_debtor.as_ref());
            write_optional_agent(out, "CdtrAgt", self.creditor_agent.as_ref());
            self.creditor.write(out, "Cdtr");
            write_optional_account(out, "CdtrAcct", self.creditor_account.as_ref());
            write_optional_party(out, "UltmtCdtr", self.ultimate_creditor.as_ref());
            write_purpose_code(out, self.purpose_code.as_deref());
            write_unstructured_remittance(out, &self.remittance_information_unstructured);
        });
    }

    fn check(&self, report: &mut Report) {
        report.within("PmtId", |r| self.payment_identification.check(r));
        report.within("Amt", |r| match &self.currency_of_transfer {
            None => self.instructed_amount.check(r, "InstdAmt"),
            Some(currency) => r.within("EqvtAmt", |r| {
                self.instructed_amount.check(r, "Amt");
                r.currency("CcyOfTrf", currency);
            }),
        });
        check_optional_party(report, "UltmtDbtr", self.ultimate_debtor.as_ref());
        check_optional_agent(report, "CdtrAgt", self.creditor_agent.as_ref());
        self.creditor.check(report, "Cdtr");
        check_optional_account(report, "CdtrAcct", self.creditor_account.as_ref());
        check_optional_party(report, "UltmtCdtr", self.ultimate_creditor.as_ref());
        check_purpose_code(report, self.purpose_code.as_deref());
        check_unstructured_remittance(report, &self.remittance_information_unstructured);
    }
}

impl InitiationPaymentIdentification {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let instruction_identification = report.optional_text(element, "InstrId");
        let end_to_end_identification = report.required_text(element, "EndToEndId");
        let uetr = report.optional_text(element, "UETR");
        Some(InitiationPaymentIdentification {
            instruction_identification,
            end_to_end_identification: end_to_end_identification?,
            uetr,
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("PmtId", |out| {
            out.optional_leaf("InstrId", self.instruction_identification.as_deref());
            out.leaf("EndToEndId", &self.end_to_end_identification);
            out.optional_leaf("UETR", self.uetr.as_deref());
        });
    }

    fn check(&self, report: &mut Report) {
        report.optional_max_text(
            "InstrId",
            self.instruction_identification.as_deref(),
            MAX35_TEXT,
        );
        report.max_text("EndToEndId", &self.end_to_end_identification, MAX35_TEXT);
        report.uetr("UETR", self.uetr.as_deref());
    }
}

/// `AmountType4Choice`: the instructed amount, or an equivalent amount and the currency to
/// transfer it in.
fn read_amount(
    report: &mut Report,
    amount: &Element,
) -> Option<(ActiveCurrencyAndAmount, Option<String>)> {
    match report.choice(amount, "InstdAmt", "EqvtAmt")? {
        Choice::First(instructed) => report
            .within("InstdAmt", |r| {
                ActiveCurrencyAndAmount::read(r, &instructed)
            })
            .map(|a| (a, None)),
        Choice::Second(equivalent) => report.within("EqvtAmt", |r| {
            let value = r.required_with(&equivalent, "Amt", ActiveCurrencyAndAmount::read);
            let currency = r.required_text(&equivalent, "CcyOfTrf");
            Some((value?, Some(currency?)))
        }),
    }
}
