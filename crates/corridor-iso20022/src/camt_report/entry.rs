//! One entry of a camt.052, camt.053 or camt.054 report (`ReportEntry10`) and what it
//! carries: its bank transaction code and, per transaction, the references, parties and
//! agents of the payment behind it.

use crate::check::{EXTERNAL_CODE, MAX35_TEXT, MAX500_TEXT};
use crate::codes::{Code, CreditDebit};
use crate::components::{
    ActiveCurrencyAndAmount, Agent, CashAccount, PartyIdentification, check_optional_account,
    check_optional_agent, check_unstructured_remittance, read_unstructured_remittance,
    write_optional_account, write_optional_agent, write_unstructured_remittance,
};
use crate::error::Report;
use crate::read::Choice;
use crate::tree::Element;
use crate::writer::XmlWriter;

use super::choices::{CodeOrProprietary, DateOrDateTime, check_optional_date, write_optional_date};

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
    pub(super) fn read(report: &mut Report, element: &Element) -> Option<Self> {
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
    pub(super) fn write(&self, out: &mut XmlWriter) {
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

    pub(super) fn check(&self, report: &mut Report) {
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
