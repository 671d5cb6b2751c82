//! camt.052.001.08, camt.053.001.08 and camt.054.001.08: an account servicer reports on an
//! account (an intraday report, a statement, a debit/credit notification). The three XSDs
//! share every component; they differ in the names of a few elements and in whether
//! balances are optional, required or absent, which one [`ReportSpec`] per message says.
//! An entry and the payment behind it are in `entry.rs`; the code and date choices that
//! balances and entries share, in `choices.rs`.

use crate::check::{MAX35_TEXT, MAX500_TEXT};
use crate::codes::{Code, CreditDebit};
use crate::components::{
    AccountIdentification, ActiveCurrencyAndAmount, Agent, PartyIdentification,
    check_optional_agent, write_optional_agent, write_optional_party,
};
use crate::error::{FieldErrors, Report};
use crate::message_type::MessageType;
use crate::read::read_document;
use crate::reason::ReasonCode;
use crate::tree::Element;
use crate::writer::{XmlWriter, document_xml};

mod choices;
mod entry;

pub use choices::{CodeOrProprietary, DateOrDateTime};
pub use entry::{
    BankTransactionCode, BankTransactionDomain, EntryDetails, EntryTransaction,
    ProprietaryBankTransactionCode, ReportEntry, TransactionAgents, TransactionParties,
    TransactionParty, TransactionReferences,
};

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
