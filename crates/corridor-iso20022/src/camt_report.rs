//! camt.052.001.08, camt.053.001.08 and camt.054.001.08: an account servicer reports on an
//! account (an intraday report, a statement, a debit/credit notification). The three XSDs
//! share every component; they differ in the names of a few elements and in whether
//! balances are optional, required or absent, which one [`ReportSpec`] per message says.

use crate::check::{EXTERNAL_CODE, MAX35_TEXT, MAX500_TEXT};
use crate::codes::{Code, CreditDebit};
use crate::components::{
    AccountIdentification, ActiveCurrencyAndAmount, Agent, CashAccount, PartyIdentification,
    check_optional_account, check_optional_agent, check_unstructured_remittance,
    read_unstructured_remittance, write_optional_account, write_optional_agent,
    write_optional_party, write_unstructured_remittance,
};
use crate::error::{FieldErrors, Report};
use crate::message_type::MessageType;
use crate::read::{Choice, read_document};
use crate::reason::ReasonCode;
use crate::tree::Element;
use crate::writer::{XmlWriter, document_xml};

/// What tells the three messages apart.
pub(crate) struct ReportSpec {
    message_type: MessageType,
    /// The message element inside `Document`.
    pub(crate) message: &'static str,
    /// The repeated report element: `Rpt`, `Stmt` or `Ntfctn`.
    pub(crate) report: &'static str,
    /// The report's closing free text: `AddtlRptInf`, `AddtlStmtInf` or `AddtlNtfctnInf`.
    additional_information: &'static str,
    balances: Balances,
}

/// How often `Bal` occurs in a report.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Balances {
    /// camt.052: any number.
    Optional,
    /// camt.053: at least one.
    Required,
    /// camt.054: none; the schema has no `Bal`.
    NotAdmitted,
}

pub(crate) const ACCOUNT_REPORT: ReportSpec = ReportSpec {
    message_type: MessageType::Camt052V08,
    message: "BkToCstmrAcctRpt",
    report: "Rpt",
    additional_information: "AddtlRptInf",
    balances: Balances::Optional,
};

pub(crate) const STATEMENT: ReportSpec = ReportSpec {
    message_type: MessageType::Camt053V08,
    message: "BkToCstmrStmt",
    report: "Stmt",
    additional_information: "AddtlStmtInf",
    balances: Balances::Required,
};

pub(crate) const NOTIFICATION: ReportSpec = ReportSpec {
    message_type: MessageType::Camt054V08,
    message: "BkToCstmrDbtCdtNtfctn",
    report: "Ntfctn",
    additional_information: "AddtlNtfctnInf",
    balances: Balances::NotAdmitted,
};

/// `BkToCstmrAcctRpt` (camt.052.001.08): intraday reports on accounts, balances optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BkToCstmrAcctRpt {
    /// `GrpHdr`
    pub group_header: ReportGroupHeader,
    /// `Rpt`, at least one.
    pub reports: Vec<AccountReport>,
}

/// `BkToCstmrStmt` (camt.053.001.08): statements, each with at least one balance (such as
/// the opening and closing booked balances of the day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BkToCstmrStmt {
    /// `GrpHdr`
    pub group_header: ReportGroupHeader,
    /// `Stmt`, at least one.
    pub statements: Vec<AccountReport>,
}

/// `BkToCstmrDbtCdtNtfctn` (camt.054.001.08): notifications of entries on accounts, with no
/// balances (their `balances` must stay empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BkToCstmrDbtCdtNtfctn {
    /// `GrpHdr`
    pub group_header: ReportGroupHeader,
    /// `Ntfctn`, at least one.
    pub notifications: Vec<AccountReport>,
}

impl BkToCstmrAcctRpt {
    pub(crate) fn read(document: &Element) -> Result<Self, FieldErrors> {
        read_message(document, &ACCOUNT_REPORT).map(|(group_header, reports)| BkToCstmrAcctRpt {
            group_header,
            reports,
        })
    }

    /// The `Document` element, namespace declared. A report that passes [`Self::validate`]
    /// is valid against the camt.052.001.08 XSD.
    pub fn to_xml(&self) -> String {
        message_xml(&ACCOUNT_REPORT, &self.group_header, &self.reports)
    }

    /// The first validation layer: lengths, patterns and required elements.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        check_message(&ACCOUNT_REPORT, &self.group_header, &self.reports)
    }
}

impl BkToCstmrStmt {
    pub(crate) fn read(document: &Element) -> Result<Self, FieldErrors> {
        read_message(document, &STATEMENT).map(|(group_header, statements)| BkToCstmrStmt {
            group_header,
            statements,
        })
    }

    /// The `Document` element, namespace declared. A statement that passes
    /// [`Self::validate`] is valid against the camt.053.001.08 XSD.
    pub fn to_xml(&self) -> String {
        message_xml(&STATEMENT, &self.group_header, &self.statements)
    }

    /// The first validation layer: lengths, patterns and required elements, including at
    /// least one balance per statement.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        check_message(&STATEMENT, &self.group_header, &self.statements)
    }
}

impl BkToCstmrDbtCdtNtfctn {
    pub(crate) fn read(document: &Element) -> Result<Self, FieldErrors> {
        read_message(document, &NOTIFICATION).map(|(group_header, notifications)| {
            BkToCstmrDbtCdtNtfctn {
                group_header,
                notifications,
            }
        })
    }

    /// The `Document` element, namespace declared. A notification that passes
    /// [`Self::validate`] is valid against the camt.054.001.08 XSD.
    pub fn to_xml(&self) -> String {
        message_xml(&NOTIFICATION, &self.group_header, &self.notifications)
    }

    /// The first validation layer: lengths, patterns and required elements, and no
    /// balances.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        check_message(&NOTIFICATION, &self.group_header, &self.notifications)
    }
}

fn read_message(
    document: &Element,
    spec: &ReportSpec,
) -> Result<(ReportGroupHeader, Vec<AccountReport>), FieldErrors> {
    read_document(document, spec.message, |report, element| {
        let group_header = report.required_with(element, "GrpHdr", ReportGroupHeader::read);
        let reports =
            report.repeated_with(element, spec.report, |r, e| AccountReport::read(r, e, spec));
        report.at_least_one(spec.report, element.children_named(spec.report).count());
        Some((group_header?, reports))
    })
}

fn message_xml(
    spec: &ReportSpec,
    group_header: &ReportGroupHeader,
    reports: &[AccountReport],
) -> String {
    document_xml(spec.message_type, spec.message, |out| {
        group_header.write(out);
        for report in reports {
            report.write(out, spec);
        }
    })
}

fn check_message(
    spec: &ReportSpec,
    group_header: &ReportGroupHeader,
    reports: &[AccountReport],
) -> Result<(), FieldErrors> {
    Report::check_document(spec.message, |r| {
        r.within("GrpHdr", |r| group_header.check(r));
        r.at_least_one(spec.report, reports.len());
        r.each_within(spec.report, reports, |report, r| report.check(r, spec));
    })
}

impl ReportSpec {
    /// Reading and checking both hold `Bal` to the message's cardinality, so a camt.054
    /// carrying balances is refused rather than read and silently dropped.
    fn check_balance_count(&self, report: &mut Report, count: usize) {
        match self.balances {
            Balances::Optional => {}
            Balances::Required => report.at_least_one("Bal", count),
            Balances::NotAdmitted if count > 0 => report.fail(
                "Bal[1]",
                ReasonCode::Ch17,
                format!("a {} report carries no Bal", self.message_type),
            ),
            Balances::NotAdmitted => {}
        }
    }
}

/// `GroupHeader81`, kept to its identification and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportGroupHeader {
    /// `MsgId`
    pub message_identification: String,
    /// `CreDtTm`, as written (ISO 8601 date-time).
    pub creation_date_time: String,
}

impl ReportGroupHeader {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let message_identification = report.required_text(element, "MsgId");
        let creation_date_time = report.required_text(element, "CreDtTm");
        Some(ReportGroupHeader {
            message_identification: message_identification?,
            creation_date_time: creation_date_time?,
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("GrpHdr", |out| {
            out.leaf("MsgId", &self.message_identification);
            out.leaf("CreDtTm", &self.creation_date_time);
        });
    }

    fn check(&self, report: &mut Report) {
        report.max_text("MsgId", &self.message_identification, MAX35_TEXT);
        report.iso_date_time("CreDtTm", &self.creation_date_time);
    }
}

/// `AccountReport25` (`Rpt`), `AccountStatement9` (`Stmt`) and `AccountNotification17`
/// (`Ntfctn`): one account's balances and entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountReport {
    /// `Id`
    pub identification: String,
    /// `ElctrncSeqNb`, as written (1 to 18 digits).
    pub electronic_sequence_number: Option<String>,
    /// `CreDtTm`, as written (ISO 8601 date-time).
    pub creation_date_time: Option<String>,
    /// `Acct`
    pub account: ReportedAccount,
    /// `Bal`: at least one in a statement, none in a notification.
    pub balances: Vec<Balance>,
    /// `TxsSummry`
    pub transactions_summary: Option<TransactionsSummary>,
    /// `Ntry`
    pub entries: Vec<ReportEntry>,
    /// `AddtlRptInf`, `AddtlStmtInf` or `AddtlNtfctnInf`.
    pub additional_information: Option<String>,
}

impl AccountReport {
    fn read(report: &mut Report, element: &Element, spec: &ReportSpec) -> Option<Self> {
        let identification = report.required_text(element, "Id");
        let electronic_sequence_number = report.optional_text(element, "ElctrncSeqNb");
        let creation_date_time = report.optional_text(element, "CreDtTm");
        let account = report.required_with(element, "Acct", ReportedAccount::read);
        let balances = report.repeated_with(element, "Bal", Balance::read);
        spec.check_balance_count(report, element.children_named("Bal").count());
        let transactions_summary =
            report.optional_with(element, "TxsSummry", TransactionsSummary::read);
        let entries = report.repeated_with(element, "Ntry", ReportEntry::read);
        let additional_information = report.optional_text(element, spec.additional_information);
        Some(AccountReport {
            identification: identification?,
            electronic_sequence_number,
            creation_date_time,
            account: account?,
            balances,
            transactions_summary,
            entries,
            additional_information,
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter, spec: &ReportSpec) {
        out.element(spec.report, |out| {
            out.leaf("Id", &self.identification);
            out.optional_leaf("ElctrncSeqNb", self.electronic_sequence_number.as_deref());
            out.optional_leaf("CreDtTm", self.creation_date_time.as_deref());
            self.account.write(out);
            for balance in &self.balances {
                balance.write(out);
            }
            if let Some(summary) = &self.transactions_summary {
                summary.write(out);
            }
            for entry in &self.entries {
                entry.write(out);
            }
            out.optional_leaf(
                spec.additional_information,
                self.additional_information.as_deref(),
            );
        });
    }

    fn check(&self, report: &mut Report, spec: &ReportSpec) {
        report.max_text("Id", &self.identification, MAX35_TEXT);
        report.whole_number("ElctrncSeqNb", self.electronic_sequence_number.as_deref());
        if let Some(created) = &self.creation_date_time {
            report.iso_date_time("CreDtTm", created);
        }
        report.within("Acct", |r| self.account.check(r));
        spec.check_balance_count(report, self.balances.len());
        report.each_within("Bal", &self.balances, Balance::check);
        if let Some(summary) = &self.transactions_summary {
            report.within("TxsSummry", |r| summary.check(r));
        }
        report.each_within("Ntry", &self.entries, ReportEntry::check);
        report.optional_max_text(
            spec.additional_information,
            self.additional_information.as_deref(),
            MAX500_TEXT,
        );
    }
}

/// `CashAccount39`: the reported account, kept to its identification, currency, owner and
/// servicer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedAccount {
    /// `Id`
    pub identification: AccountIdentification,
    /// `Ccy`
    pub currency: Option<String>,
    /// `Ownr`
    pub owner: Option<PartyIdentification>,
    /// `Svcr`
    pub servicer: Option<Agent>,
}

impl ReportedAccount {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let identification = AccountIdentification::read(report, element);
        let currency = report.optional_text(element, "Ccy");
        let owner = report.optional_with(element, "Ownr", PartyIdentification::read);
        let servicer = report.optional_with(element, "Svcr", Agent::read);
        Some(ReportedAccount {
            identification: identification?,
            currency,
            owner,
            servicer,
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("Acct", |out| {
            self.identification.write(out);
            out.optional_leaf("Ccy", self.currency.as_deref());
            write_optional_party(out, "Ownr", self.owner.as_ref());
            write_optional_agent(out, "Svcr", self.servicer.as_ref());
        });
    }

    fn check(&self, report: &mut Report) {
        self.identification.check(report);
        if let Some(currency) = &self.currency {
            report.currency("Ccy", currency);
        }
        if let Some(owner) = &self.owner {
            owner.check(report, "Ownr");
        }
        check_optional_agent(report, "Svcr", self.servicer.as_ref());
    }
}

/// `CashBalance8`, kept to its type, amount, sign and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// `Tp/CdOrPrtry`: `Cd` is an `ExternalBalanceType1Code` such as `OPBD` (opening
    /// booked), `CLBD` (closing booked) or `ITBD` (interim booked).
    pub balance_type: CodeOrProprietary,
    /// `Amt`
    pub amount: ActiveCurrencyAndAmount,
    /// `CdtDbtInd`: `Debit` for a negative balance.
    pub credit_debit: CreditDebit,
    /// `Dt`
    pub date: DateOrDateTime,
}

impl Balance {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let balance_type = report.required_with(element, "Tp", |r, tp| {
            r.required_with(tp, "CdOrPrtry", CodeOrProprietary::read)
        });
        let amount = report.required_with(element, "Amt", ActiveCurrencyAndAmount::read);
        let credit_debit = report.required_code(element, "CdtDbtInd");
        let date = report.required_with(element, "Dt", DateOrDateTime::read);
        Some(Balance {
            balance_type: balance_type?,
            amount: amount?,
            credit_debit: credit_debit?,
            date: date?,
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("Bal", |out| {
            out.element("Tp", |out| {
                out.element("CdOrPrtry", |out| self.balance_type.write(out))
            });
            self.amount.write(out, "Amt");
            out.leaf("CdtDbtInd", self.credit_debit.code());
            self.date.write(out, "Dt");
        });
    }

    fn check(&self, report: &mut Report) {
        report.within("Tp", |r| {
            r.within("CdOrPrtry", |r| self.balance_type.check(r))
        });
        self.amount.check(report, "Amt");
        self.date.check(report, "Dt");
    }
}

/// A choice of an external code (`Cd`, 1 to 4 characters) or a proprietary one (`Prtry`,
/// up to 35): `BalanceType10Choice` and `EntryStatus1Choice`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeOrProprietary {
    /// `Cd`
    Code(String),
    /// `Prtry`
    Proprietary(String),
}

impl CodeOrProprietary {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(match report.choice(element, "Cd", "Prtry")? {
            Choice::First(code) => CodeOrProprietary::Code(code.text().to_owned()),
            Choice::Second(proprietary) => {
                CodeOrProprietary::Proprietary(proprietary.text().to_owned())
            }
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        match self {
            CodeOrProprietary::Code(code) => out.leaf("Cd", code),
            CodeOrProprietary::Proprietary(proprietary) => out.leaf("Prtry", proprietary),
        }
    }

    fn check(&self, report: &mut Report) {
        match self {
            CodeOrProprietary::Code(code) => report.max_text("Cd", code, EXTERNAL_CODE),
            CodeOrProprietary::Proprietary(proprietary) => {
                report.max_text("Prtry", proprietary, MAX35_TEXT)
            }
        }
    }
}

/// `DateAndDateTime2Choice`, as written (ISO 8601).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateOrDateTime {
    /// `Dt`
    Date(String),
    /// `DtTm`
    DateTime(String),
}

impl DateOrDateTime {
    pub(crate) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(match report.choice(element, "Dt", "DtTm")? {
            Choice::First(date) => DateOrDateTime::Date(date.text().to_owned()),
            Choice::Second(date_time) => DateOrDateTime::DateTime(date_time.text().to_owned()),
        })
    }

    pub(crate) fn write(&self, out: &mut XmlWriter, name: &str) {
        out.element(name, |out| match self {
            DateOrDateTime::Date(date) => out.leaf("Dt", date),
            DateOrDateTime::DateTime(date_time) => out.leaf("DtTm", date_time),
        });
    }

    pub(crate) fn check(&self, report: &mut Report, name: &str) {
        report.within(name, |r| match self {
            DateOrDateTime::Date(date) => r.iso_date("Dt", Some(date)),
            DateOrDateTime::DateTime(date_time) => r.iso_date_time("DtTm", date_time),
        });
    }
}

fn write_optional_date(out: &mut XmlWriter, name: &str, date: Option<&DateOrDateTime>) {
    if let Some(date) = date {
        date.write(out, name);
    }
}

fn check_optional_date(report: &mut Report, name: &str, date: Option<&DateOrDateTime>) {
    if let Some(date) = date {
        date.check(report, name);
    }
}

/// `TotalTransactions6`, kept to the totals of all, credit and debit entries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TransactionsSummary {
    /// `TtlNtries`
    pub total_entries: Option<TotalEntries>,
    /// `TtlCdtNtries`
    pub total_credit_entries: Option<EntryTotals>,
    /// `TtlDbtNtries`
    pub total_debit_entries: Option<EntryTotals>,
}

/// `NumberAndSumOfTransactions4`: the totals and the net of every entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TotalEntries {
    /// `NbOfNtries` and `Sum`
    pub totals: EntryTotals,
    /// `TtlNetNtry`
    pub net: Option<NetAmount>,
}

/// `NumberAndSumOfTransactions1`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryTotals {
    /// `NbOfNtries`, as written (`Max15NumericText`).
    pub number_of_entries: Option<String>,
    /// `Sum`, as written; checked as an amount (no sign, at most 5 fraction digits), which
    /// is stricter than the XSD's `DecimalNumber`.
    pub sum: Option<String>,
}

/// `AmountAndDirection35`: an amount without currency and its sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetAmount {
    /// `Amt`, as written; checked as an amount (at most 5 fraction digits).
    pub amount: String,
    /// `CdtDbtInd`
    pub credit_debit: CreditDebit,
}

impl TransactionsSummary {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(TransactionsSummary {
            total_entries: report.optional_with(element, "TtlNtries", TotalEntries::read),
            total_credit_entries: report.optional_with(element, "TtlCdtNtries", EntryTotals::read),
            total_debit_entries: report.optional_with(element, "TtlDbtNtries", EntryTotals::read),
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("TxsSummry", |out| {
            if let Some(total) = &self.total_entries {
                out.element("TtlNtries", |out| total.write(out));
            }
            for (name, totals) in self.signed_totals() {
                out.element(name, |out| totals.write(out));
            }
        });
    }

    fn check(&self, report: &mut Report) {
        if let Some(total) = &self.total_entries {
            report.within("TtlNtries", |r| total.check(r));
        }
        for (name, totals) in self.signed_totals() {
            report.within(name, |r| totals.check(r));
        }
    }

    /// `TtlCdtNtries` and `TtlDbtNtries` where present, in the XSD's order.
    fn signed_totals(&self) -> impl Iterator<Item = (&'static str, &EntryTotals)> {
        [
            ("TtlCdtNtries", self.total_credit_entries.as_ref()),
            ("TtlDbtNtries", self.total_debit_entries.as_ref()),
        ]
        .into_iter()
        .filter_map(|(name, totals)| Some((name, totals?)))
    }
}

impl TotalEntries {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(TotalEntries {
            totals: EntryTotals::read(report, element)?,
            net: report.optional_with(element, "TtlNetNtry", NetAmount::read),
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        self.totals.write(out);
        if let Some(net) = &self.net {
            out.element("TtlNetNtry", |out| {
                out.leaf("Amt", &net.amount);
                out.leaf("CdtDbtInd", net.credit_debit.code());
            });
        }
    }

    fn check(&self, report: &mut Report) {
        self.totals.check(report);
        if let Some(net) = &self.net {
            report.within("TtlNetNtry", |r| r.amount("Amt", &net.amount));
        }
    }
}

impl EntryTotals {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(EntryTotals {
            number_of_entries: report.optional_text(element, "NbOfNtries"),
            sum: report.optional_text(element, "Sum"),
        })
    }

    /// The children of the totals element, which its owner writes.
    fn write(&self, out: &mut XmlWriter) {
        out.optional_leaf("NbOfNtries", self.number_of_entries.as_deref());
        out.optional_leaf("Sum", self.sum.as_deref());
    }

    fn check(&self, report: &mut Report) {
        if let Some(number) = &self.number_of_entries {
            report.numeric_text("NbOfNtries", number);
        }
        if let Some(sum) = &self.sum {
            report.amount("Sum", sum);
        }
    }
}

impl NetAmount {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let amount = report.required_text(element, "Amt");
        let credit_debit = report.required_code(element, "CdtDbtInd");
        Some(NetAmount {
            amount: amount?,
            credit_debit: credit_debit?,
        })
    }
}

/// `ReportEntry10`: one booking (or pending booking) on the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportEntry {
    /// `NtryRef`
    pub entry_reference: Option<String>,
    /// `Amt`
    pub amount: ActiveCurrencyAndAmount,
    /// `CdtDbtInd`
    pub credit_debit: CreditDebit,
    /// `Sts`: `Cd` is an `ExternalEntryStatus1Code` such as `BOOK`, `PDNG` or `INFO`.
    pub status: CodeOrProprietary,
    /// `BookgDt`
    pub booking_date: Option<DateOrDateTime>,
    /// `ValDt`
    pub value_date: Option<DateOrDateTime>,
    /// `AcctSvcrRef`
    pub account_servicer_reference: Option<String>,
    /// `BkTxCd`
    pub bank_transaction_code: BankTransactionCode,
    /// `NtryDtls`
    pub details: Vec<EntryDetails>,
    /// `AddtlNtryInf`
    pub additional_entry_information: Option<String>,
}

impl ReportEntry {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let entry_reference = report.optional_text(element, "NtryRef");
        let amount = report.required_with(element, "Amt", ActiveCurrencyAndAmount::read);
        let credit_debit = report.required_code(element, "CdtDbtInd");
        let status = report.required_with(element, "Sts", CodeOrProprietary::read);
        let booking_date = report.optional_with(element, "BookgDt", DateOrDateTime::read);
        let value_date = report.optional_with(element, "ValDt", DateOrDateTime::read);
        let account_servicer_reference = report.optional_text(element, "AcctSvcrRef");
        let bank_transaction_code =
            report.required_with(element, "BkTxCd", BankTransactionCode::read);
        let details = report.repeated_with(element, "NtryDtls", EntryDetails::read);
        let additional_entry_information = report.optional_text(element, "AddtlNtryInf");
        Some(ReportEntry {
            entry_reference,
            amount: amount?,
            credit_debit: credit_debit?,
            status: status?,
            booking_date,
            value_date,
            account_servicer_reference,
            bank_transaction_code: bank_transaction_code?,
            details,
            additional_entry_information,
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter) {
        out.element("Ntry", |out| {
            out.optional_leaf("NtryRef", self.entry_reference.as_deref());
            self.amount.write(out, "Amt");
            out.leaf("CdtDbtInd", self.credit_debit.code());
            out.element("Sts", |out| self.status.write(out));
            write_optional_date(out, "BookgDt", self.booking_date.as_ref());
            write_optional_date(out, "ValDt", self.value_date.as_ref());
            out.optional_leaf("AcctSvcrRef", self.account_servicer_reference.as_deref());
            self.bank_transaction_code.write(out);
            for details in &self.details {
                details.write(out);
            }
            out.optional_leaf("AddtlNtryInf", self.additional_entry_information.as_deref());
        });
    }

    fn check(&self, report: &mut Report) {
        report.optional_max_text("NtryRef", self.entry_reference.as_deref(), MAX35_TEXT);
        self.amount.check(report, "Amt");
        report.within("Sts", |r| self.status.check(r));
        check_optional_date(report, "BookgDt", self.booking_date.as_ref());
        check_optional_date(report, "ValDt", self.value_date.as_ref());
        report.optional_max_text(
            "AcctSvcrRef",
            self.account_servicer_reference.as_deref(),
            MAX35_TEXT,
        );
        report.within("BkTxCd", |r| self.bank_transaction_code.check(r));
        report.each_within("NtryDtls", &self.details, EntryDetails::check);
        report.optional_max_text(
            "AddtlNtryInf",
            self.additional_entry_information.as_deref(),
            MAX500_TEXT,
        );
    }
}

/// `BankTransactionCodeStructure4`: the ISO family code of a booking, a proprietary one, or
/// both.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BankTransactionCode {
    /// `Domn`
    pub domain: Option<BankTransactionDomain>,
    /// `Prtry`
    pub proprietary: Option<ProprietaryBankTransactionCode>,
}

/// `BankTransactionCodeStructure5` with its family: external codes of 1 to 4 characters,
/// such as `PMNT` / `ICDT` / `XBCT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankTransactionDomain {
    /// `Cd`
    pub code: String,
    /// `Fmly/Cd`
    pub family_code: String,
    /// `Fmly/SubFmlyCd`
    pub sub_family_code: String,
}

/// `ProprietaryBankTransactionCodeStructure1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProprietaryBankTransactionCode {
    /// `Cd`
    pub code: String,
    /// `Issr`
    pub issuer: Option<String>,
}

impl BankTransactionCode {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(BankTransactionCode {
            domain: report.optional_with(element, "Domn", BankTransactionDomain::read),
            proprietary: report.optional_with(
                element,
                "Prtry",
                ProprietaryBankTransactionCode::read,
            ),
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("BkTxCd", |out| {
            if let Some(domain) = &self.domain {
                out.element("Domn", |out| {
                    out.leaf("Cd", &domain.code);
                    out.element("Fmly", |out| {
                        out.leaf("Cd", &domain.family_code);
                        out.leaf("SubFmlyCd", &domain.sub_family_code);
                    });
                });
            }
            if let Some(proprietary) = &self.proprietary {
                out.element("Prtry", |out| {
                    out.leaf("Cd", &proprietary.code);
                    out.optional_leaf("Issr", proprietary.issuer.as_deref());
                });
            }
        });
    }

    fn check(&self, report: &mut Report) {
        if let Some(domain) = &self.domain {
            report.within("Domn", |r| {
                r.max_text("Cd", &domain.code, EXTERNAL_CODE);
                r.within("Fmly", |r| {
                    r.max_text("Cd", &domain.family_code, EXTERNAL_CODE);
                    r.max_text("SubFmlyCd", &domain.sub_family_code, EXTERNAL_CODE);
                });
            });
        }
        if let Some(proprietary) = &self.proprietary {
            report.within("Prtry", |r| {
                r.max_text("Cd", &proprietary.code, MAX35_TEXT);
                r.optional_max_text("Issr", proprietary.issuer.as_deref(), MAX35_TEXT);
            });
        }
    }
}

impl BankTransactionDomain {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let code = report.required_text(element, "Cd");
        let family = report.required_with(element, "Fmly", |r, family| {
            let code = r.required_text(family, "Cd");
            let sub_family_code = r.required_text(family, "SubFmlyCd");
            Some((code?, sub_family_code?))
        });
        let (family_code, sub_family_code) = family?;
        Some(BankTransactionDomain {
            code: code?,
            family_code,
            sub_family_code,
        })
    }
}

impl ProprietaryBankTransactionCode {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let code = report.required_text(element, "Cd");
        let issuer = report.optional_text(element, "Issr");
        Some(ProprietaryBankTransactionCode {
            code: code?,
            issuer,
        })
    }
}

/// `EntryDetails9`, kept to its transactions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryDetails {
    /// `TxDtls`
    pub transactions: Vec<EntryTransaction>,
}

impl EntryDetails {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(EntryDetails {
            transactions: report.repeated_with(element, "TxDtls", EntryTransaction::read),
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("NtryDtls", |out| {
            for transaction in &self.transactions {
                transaction.write(out);
            }
        });
    }

    fn check(&self, report: &mut Report) {
        report.each_within("TxDtls", &self.transactions, EntryTransaction::check);
    }
}

/// `EntryTransaction10`: the payment behind an entry, as the account servicer knows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryTransaction {
    /// `Refs`
    pub references: Option<TransactionReferences>,
    /// `Amt`
    pub amount: Option<ActiveCurrencyAndAmount>,
    /// `CdtDbtInd`
    pub credit_debit: Option<CreditDebit>,
    /// `BkTxCd`
    pub bank_transaction_code: Option<BankTransactionCode>,
    /// `RltdPties`
    pub related_parties: Option<TransactionParties>,
    /// `RltdAgts`
    pub related_agents: Option<TransactionAgents>,
    /// `RmtInf/Ustrd`
    pub remittance_information: Vec<String>,
    /// `AddtlTxInf`
    pub additional_transaction_information: Option<String>,
}

impl EntryTransaction {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(EntryTransaction {
            references: report.optional_with(element, "Refs", TransactionReferences::read),
            amount: report.optional_with(element, "Amt", ActiveCurrencyAndAmount::read),
            credit_debit: report.optional_code(element, "CdtDbtInd"),
            bank_transaction_code: report.optional_with(
                element,
                "BkTxCd",
                BankTransactionCode::read,
            ),
            related_parties: report.optional_with(element, "RltdPties", TransactionParties::read),
            related_agents: report.optional_with(element, "RltdAgts", TransactionAgents::read),
            remittance_information: read_unstructured_remittance(report, element),
            additional_transaction_information: report.optional_text(element, "AddtlTxInf"),
        })
    }

    /// Elements in the XSD's sequence order.
    fn write(&self, out: &mut XmlWriter) {
        out.element("TxDtls", |out| {
            if let Some(references) = &self.references {
                references.write(out);
            }
            if let Some(amount) = &self.amount {
                amount.write(out, "Amt");
            }
            out.optional_leaf("CdtDbtInd", self.credit_debit.map(CreditDebit::code));
            if let Some(code) = &self.bank_transaction_code {
                code.write(out);
            }
            if let Some(parties) = &self.related_parties {
                parties.write(out);
            }
            if let Some(agents) = &self.related_agents {
                agents.write(out);
            }
            write_unstructured_remittance(out, &self.remittance_information);
            out.optional_leaf(
                "AddtlTxInf",
                self.additional_transaction_information.as_deref(),
            );
        });
    }

    fn check(&self, report: &mut Report) {
        if let Some(references) = &self.references {
            report.within("Refs", |r| references.check(r));
        }
        if let Some(amount) = &self.amount {
            amount.check(report, "Amt");
        }
        if let Some(code) = &self.bank_transaction_code {
            report.within("BkTxCd", |r| code.check(r));
        }
        if let Some(parties) = &self.related_parties {
            report.within("RltdPties", |r| parties.check(r));
        }
        if let Some(agents) = &self.related_agents {
            report.within("RltdAgts", |r| agents.check(r));
        }
        check_unstructured_remittance(report, &self.remittance_information);
        report.optional_max_text(
            "AddtlTxInf",
            self.additional_transaction_information.as_deref(),
            MAX500_TEXT,
        );
    }
}

/// `TransactionReferences6`, kept to the references a payment carries end to end.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TransactionReferences {
    /// `MsgId`
    pub message_identification: Option<String>,
    /// `AcctSvcrRef`
    pub account_servicer_reference: Option<String>,
    /// `InstrId`
    pub instruction_identification: Option<String>,
    /// `EndToEndId`
    pub end_to_end_identification: Option<String>,
    /// `UETR`
    pub uetr: Option<String>,
    /// `TxId`
    pub transaction_identification: Option<String>,
}

impl TransactionReferences {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(TransactionReferences {
            message_identification: report.optional_text(element, "MsgId"),
            account_servicer_reference: report.optional_text(element, "AcctSvcrRef"),
            instruction_identification: report.optional_text(element, "InstrId"),
            end_to_end_identification: report.optional_text(element, "EndToEndId"),
            uetr: report.optional_text(element, "UETR"),
            transaction_identification: report.optional_text(element, "TxId"),
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("Refs", |out| {
            out.optional_leaf("MsgId", self.message_identification.as_deref());
            out.optional_leaf("AcctSvcrRef", self.account_servicer_reference.as_deref());
            out.optional_leaf("InstrId", self.instruction_identification.as_deref());
            out.optional_leaf("EndToEndId", self.end_to_end_identification.as_deref());
            out.optional_leaf("UETR", self.uetr.as_deref());
            out.optional_leaf("TxId", self.transaction_identification.as_deref());
        });
    }

    fn check(&self, report: &mut Report) {
        for (name, value) in [
            ("MsgId", &self.message_identification),
            ("AcctSvcrRef", &self.account_servicer_reference),
            ("InstrId", &self.instruction_identification),
            ("EndToEndId", &self.end_to_end_identification),
            ("TxId", &self.transaction_identification),
        ] {
            report.optional_max_text(name, value.as_deref(), MAX35_TEXT);
        }
        report.uetr("UETR", self.uetr.as_deref());
    }
}

/// `TransactionParties6`, kept to the debtor and the creditor and their accounts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TransactionParties {
    /// `Dbtr`
    pub debtor: Option<TransactionParty>,
    /// `DbtrAcct`
    pub debtor_account: Option<CashAccount>,
    /// `Cdtr`
    pub creditor: Option<TransactionParty>,
    /// `CdtrAcct`
    pub creditor_account: Option<CashAccount>,
}

/// `Party40Choice`: a customer (`Pty`) or a financial institution (`Agt`), such as a
/// participant moving liquidity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransactionParty {
    /// `Pty`, boxed: a party is ten times the size of an agent.
    Party(Box<PartyIdentification>),
    /// `Agt`
    Agent(Agent),
}

impl TransactionParties {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(TransactionParties {
            debtor: report.optional_with(element, "Dbtr", TransactionParty::read),
            debtor_account: report.optional_with(element, "DbtrAcct", CashAccount::read),
            creditor: report.optional_with(element, "Cdtr", TransactionParty::read),
            creditor_account: report.optional_with(element, "CdtrAcct", CashAccount::read),
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("RltdPties", |out| {
            if let Some(debtor) = &self.debtor {
                debtor.write(out, "Dbtr");
            }
            write_optional_account(out, "DbtrAcct", self.debtor_account.as_ref());
            if let Some(creditor) = &self.creditor {
                creditor.write(out, "Cdtr");
            }
            write_optional_account(out, "CdtrAcct", self.creditor_account.as_ref());
        });
    }

    fn check(&self, report: &mut Report) {
        if let Some(debtor) = &self.debtor {
            report.within("Dbtr", |r| debtor.check(r));
        }
        check_optional_account(report, "DbtrAcct", self.debtor_account.as_ref());
        if let Some(creditor) = &self.creditor {
            report.within("Cdtr", |r| creditor.check(r));
        }
        check_optional_account(report, "CdtrAcct", self.creditor_account.as_ref());
    }
}

impl TransactionParty {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        match report.choice(element, "Pty", "Agt")? {
            Choice::First(party) => report
                .within("Pty", |r| PartyIdentification::read(r, &party))
                .map(|party| TransactionParty::Party(Box::new(party))),
            Choice::Second(agent) => report
                .within("Agt", |r| Agent::read(r, &agent))
                .map(TransactionParty::Agent),
        }
    }

    fn write(&self, out: &mut XmlWriter, name: &str) {
        out.element(name, |out| match self {
            TransactionParty::Party(party) => party.write(out, "Pty"),
            TransactionParty::Agent(agent) => agent.write(out, "Agt"),
        });
    }

    fn check(&self, report: &mut Report) {
        match self {
            TransactionParty::Party(party) => party.check(report, "Pty"),
            TransactionParty::Agent(agent) => agent.check(report, "Agt"),
        }
    }
}

/// `TransactionAgents5`, kept to the debtor's and the creditor's agents.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TransactionAgents {
    /// `DbtrAgt`
    pub debtor_agent: Option<Agent>,
    /// `CdtrAgt`
    pub creditor_agent: Option<Agent>,
}

impl TransactionAgents {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(TransactionAgents {
            debtor_agent: report.optional_with(element, "DbtrAgt", Agent::read),
            creditor_agent: report.optional_with(element, "CdtrAgt", Agent::read),
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("RltdAgts", |out| {
            write_optional_agent(out, "DbtrAgt", self.debtor_agent.as_ref());
            write_optional_agent(out, "CdtrAgt", self.creditor_agent.as_ref());
        });
    }

    fn check(&self, report: &mut Report) {
        check_optional_agent(report, "DbtrAgt", self.debtor_agent.as_ref());
        check_optional_agent(report, "CdtrAgt", self.creditor_agent.as_ref());
    }
}
