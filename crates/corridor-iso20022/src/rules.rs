//! The second validation layer: business rules, what a message means rather than how it is
//! written. It runs on a message that passed `validate`. The crate reads no clock and no
//! configuration, so the business date and the scheme's currencies come in a
//! [`BusinessContext`] the caller builds. Each model has one function listing its rules;
//! the rules themselves are shared.
//!
//! CBPR+ (SWIFT's cross-border usage guidelines) restricts what ISO 20022 allows; the rules
//! that come from CBPR+ rather than from the ISO message definition say so.

use crate::camt_report::{
    ACCOUNT_REPORT, AccountReport, BkToCstmrAcctRpt, BkToCstmrDbtCdtNtfctn, BkToCstmrStmt,
    DateOrDateTime, NOTIFICATION, ReportSpec, STATEMENT,
};
use crate::camt029::{self, RsltnOfInvstgtn};
use crate::camt050::{self, LqdtyCdtTrf, TransferredAmount};
use crate::camt056::{self, CancellationTransaction, CaseAssignment, FIToFIPmtCxlReq};
use crate::check::{is_bic, is_uetr, split_date};
use crate::codes::ChargeBearer;
use crate::components::{
    AccountIdentification, ActiveCurrencyAndAmount, Agent, CashAccount, OriginalIdentification,
    PartyIdentification,
};
use crate::envelope::{Document, Message};
use crate::error::{FieldErrors, Report, excerpt};
use crate::head001::BusinessApplicationHeader;
use crate::message_type::MessageType;
use crate::pacs002::{self, FIToFIPmtStsRpt, TransactionStatus};
use crate::pacs004::{self, PmtRtr, ReturnTransaction};
use crate::pacs008::{self, CreditTransferTransaction, FIToFICstmrCdtTrf, GroupHeader};
use crate::pacs009::{
    self, FICdtTrf, FICreditTransferTransaction, UnderlyingCustomerCreditTransfer,
};
use crate::pain001::{self, CstmrCdtTrfInitn, InitiationCreditTransfer, PaymentInstruction};
use crate::reason::ReasonCode;

/// A calendar day, read from `YYYY-MM-DD` and counted in days so that days can be added and
/// compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BusinessDate(i64);

impl BusinessDate {
    /// `None` unless `text` is exactly `YYYY-MM-DD` and a real day.
    pub fn parse(text: &str) -> Option<BusinessDate> {
        match split_date(text)? {
            (date, "") => Some(BusinessDate::from_civil(date)),
            _ => None,
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`): a year starts in March, so the leap day ends it.
    fn from_civil((year, month, day): (u32, u32, u32)) -> BusinessDate {
        let year = i64::from(year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month_from_march = (i64::from(month) + 9) % 12;
        let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        BusinessDate(era * 146_097 + day_of_era - 719_468)
    }

    fn plus_days(self, days: u32) -> BusinessDate {
        BusinessDate(self.0 + i64::from(days))
    }
}

/// What the business rules need to know of the world.
#[derive(Debug, Clone, Copy)]
pub struct BusinessContext<'a> {
    /// The business date the message is checked on, from the caller's calendar.
    pub business_date: BusinessDate,
    /// How many days after the business date a settlement date may lie (0: same day only).
    pub max_forward_days: u32,
    /// The currencies the scheme settles, each with its number of decimal places: the
    /// ISO 4217 minor unit, or the operator's own (IRR with 0 where rials move in whole
    /// units).
    pub currencies: &'a [(&'a str, u32)],
}

impl BusinessContext<'_> {
    fn decimal_places(&self, currency: &str) -> Option<u32> {
        self.currencies
            .iter()
            .find(|(code, _)| *code == currency)
            .map(|(_, places)| *places)
    }
}

impl Message {
    /// The business rules of the header, if any, and of the document.
    pub fn check_business_rules(&self, ctx: &BusinessContext) -> Result<(), FieldErrors> {
        let header = self.header.as_ref().map_or(Ok(()), |header| {
            header.check_business_rules(self.message_type, &self.document)
        });
        let document = self.document.check_business_rules(ctx);
        match (header, document) {
            (Ok(()), Ok(())) => Ok(()),
            (header, document) => Err(FieldErrors(
                header
                    .err()
                    .into_iter()
                    .chain(document.err())
                    .flat_map(|errors| errors.0)
                    .collect(),
            )),
        }
    }
}

impl Document {
    /// The business rules of the modelled message; nothing to check otherwise.
    pub fn check_business_rules(&self, ctx: &BusinessContext) -> Result<(), FieldErrors> {
        match self {
            Document::Pacs008(document) => document.check_business_rules(ctx),
            Document::Pacs002(document) => document.check_business_rules(),
            Document::Pacs009(document) => document.check_business_rules(ctx),
            Document::Pacs004(document) => document.check_business_rules(ctx),
            Document::Camt056(document) => document.check_business_rules(ctx),
            Document::Camt029(document) => document.check_business_rules(),
            Document::Camt052(document) => document.check_business_rules(ctx),
            Document::Camt053(document) => document.check_business_rules(ctx),
            Document::Camt054(document) => document.check_business_rules(ctx),
            Document::Camt050(document) => document.check_business_rules(ctx),
            Document::Pain001(document) => document.check_business_rules(ctx),
        }
    }

    /// The identifier of the message, which its `AppHdr/BizMsgIdr` repeats.
    fn message_identification(&self) -> Option<&str> {
        match self {
            Document::Pacs008(document) => Some(&document.group_header.message_identification),
            Document::Pacs002(document) => Some(&document.message_identification),
            Document::Pacs009(document) => Some(&document.group_header.message_identification),
            Document::Pacs004(document) => Some(&document.group_header.message_identification),
            Document::Camt056(document) => Some(&document.assignment.identification),
            Document::Camt029(document) => Some(&document.assignment.identification),
            Document::Camt052(document) => Some(&document.group_header.message_identification),
            Document::Camt053(document) => Some(&document.group_header.message_identification),
            Document::Camt054(document) => Some(&document.group_header.message_identification),
            Document::Camt050(document) => Some(&document.message_header.message_identification),
            Document::Pain001(document) => Some(&document.group_header.message_identification),
        }
    }
}

impl BusinessApplicationHeader {
    /// The header agrees with the document it travels with: `MsgDefIdr` names its type
    /// and, a CBPR+ rule, `BizMsgIdr` repeats its message identification; `Fr` and `To` are
    /// BICs of real countries.
    pub fn check_business_rules(
        &self,
        message_type: MessageType,
        document: &Document,
    ) -> Result<(), FieldErrors> {
        let mut report = Report::new();
        report.within("AppHdr", |r| {
            r.within("Fr", |r| identifiers(r, &[("FIId", Some(Held::Agent(&self.from)))]));
            r.within("To", |r| identifiers(r, &[("FIId", Some(Held::Agent(&self.to)))]));
            if let Some(identification) = document.message_identification()
                && identification != self.business_message_identifier
            {
                r.fail(
                    "BizMsgIdr",
                    ReasonCode::Ch16,
                    format!(
                        "CBPR+ requires BizMsgIdr to repeat the document's message identification {:?}",
                        excerpt(identification)
                    ),
                );
            }
            if self.message_definition_identifier != message_type.name() {
                r.fail(
                    "MsgDefIdr",
                    ReasonCode::Ff01,
                    format!("the header announces {:?} but the document is {message_type}", excerpt(&self.message_definition_identifier)),
                );
            }
        });
        report.finish(Some(()))
    }
}

impl FIToFICstmrCdtTrf {
    /// The business rules of a customer credit transfer, CBPR+ ones included.
    pub fn check_business_rules(&self, ctx: &BusinessContext) -> Result<(), FieldErrors> {
        credit_transfers(
            ctx,
            pacs008::MESSAGE,
            &self.group_header,
            &self.credit_transfer_transactions,
            |t| &t.interbank_settlement_amount,
            customer_credit_transfer,
        )
    }
}

impl FICdtTrf {
    /// The business rules of an institution credit transfer and of the customer transfer a
    /// cover carries, CBPR+ ones included.
    pub fn check_business_rules(&self, ctx: &BusinessContext) -> Result<(), FieldErrors> {
        credit_transfers(
            ctx,
            pacs009::MESSAGE,
            &self.group_header,
            &self.credit_transfer_transactions,
            |t| &t.interbank_settlement_amount,
            institution_credit_transfer,
        )
    }
}

/// pacs.008 and pacs.009 alike: the group header's totals over the transactions' settlement
/// amounts, then each transaction's own rules.
fn credit_transfers<T>(
    ctx: &BusinessContext,
    message: &str,
    header: &GroupHeader,
    transactions: &[T],
    settlement_amount: impl Fn(&T) -> &ActiveCurrencyAndAmount,
    transaction: impl Fn(&mut Report, &BusinessContext, &T),
) -> Result<(), FieldErrors> {
    let amounts: Vec<_> = transactions.iter().map(settlement_amount).collect();
    Report::check_document(message, |r| {
        credit_transfer_totals(r, ctx, header, &amounts);
        r.each_within("CdtTrfTxInf", transactions, |t, r| transaction(r, ctx, t));
    })
}

impl FIToFIPmtStsRpt {
    /// The business rules of a status report: the identifiers it names are real.
    pub fn check_business_rules(&self) -> Result<(), FieldErrors> {
        Report::check_document(pacs002::MESSAGE, |r| {
            r.each_within("TxInfAndSts", &self.transactions, transaction_status);
        })
    }
}

impl PmtRtr {
    /// The business rules of a return.
    pub fn check_business_rules(&self, ctx: &BusinessContext) -> Result<(), FieldErrors> {
        Report::check_document(pacs004::MESSAGE, |r| {
            r.within("GrpHdr", |r| {
                number_of_transactions(
                    r,
                    &self.group_header.number_of_transactions,
                    self.transactions.len(),
                )
            });
            r.each_within("TxInf", &self.transactions, |t, r| {
                returned_transaction(r, ctx, t)
            });
        })
    }
}

impl FIToFIPmtCxlReq {
    /// The business rules of a cancellation request.
    pub fn check_business_rules(&self, ctx: &BusinessContext) -> Result<(), FieldErrors> {
        Report::check_document(camt056::MESSAGE, |r| {
            case_assignment(r, &self.assignment);
            r.each_within("Undrlyg", &self.underlying, |underlying, r| {
                r.each_within("TxInf", &underlying.transactions, |t, r| {
                    cancellation_transaction(r, ctx, t)
                });
            });
        })
    }
}

impl RsltnOfInvstgtn {
    /// The business rules of an answer to a cancellation request: the transactions it
    /// answers for are named by well-formed UETRs.
    pub fn check_business_rules(&self) -> Result<(), FieldErrors> {
        Report::check_document(camt029::MESSAGE, |r| {
            case_assignment(r, &self.assignment);
            r.each_within("CxlDtls", &self.cancellation_details, |details, r| {
                r.each_within("TxInfAndSts", &details.transactions, |t, r| {
                    original(r, &t.original)
                });
            });
        })
    }
}

impl LqdtyCdtTrf {
    /// The business rules of a liquidity transfer: a positive amount in a scheme currency,
    /// a settlement date in the window, BICs of real countries, a well-formed UETR.
    pub fn check_business_rules(&self, ctx: &BusinessContext) -> Result<(), FieldErrors> {
        let t = &self.liquidity_credit_transfer;
        Report::check_document(camt050::MESSAGE, |r| {
            r.within("LqdtyCdtTrf", |r| {
                if let Some(id) = &t.liquidity_transfer_identification {
                    r.within("LqdtyTrfId", |r| uetr(r, "UETR", id.uetr.as_deref()));
                }
                if let TransferredAmount::WithCurrency(amount_with_currency) = &t.transferred_amount
                {
                    r.within("TrfdAmt", |r| {
                        amount(r, ctx, "AmtWthCcy", amount_with_currency)
                    });
                }
                if let Some(date) = &t.settlement_date {
                    settlement_date(r, ctx, "SttlmDt", date);
                }
                identifiers(
                    r,
                    &[
                        ("Cdtr", t.creditor.as_ref().map(Held::Agent)),
                        ("CdtrAcct", t.creditor_account.as_ref().map(Held::Account)),
                        ("Dbtr", t.debtor.as_ref().map(Held::Agent)),
                        ("DbtrAcct", t.debtor_account.as_ref().map(Held::Account)),
                    ],
                );
            });
        })
    }
}

impl CstmrCdtTrfInitn {
    /// The business rules of a customer's initiation: the counts and control sums of the
    /// group and of each payment instruction hold, every amount is positive and in a scheme
    /// currency, every execution date lies in the window, BICs, IBANs and UETRs are real.
    pub fn check_business_rules(&self, ctx: &BusinessContext) -> Result<(), FieldErrors> {
        let instructions = &self.payment_instructions;
        let amounts: Vec<_> = instructions
            .iter()
            .flat_map(|i| &i.credit_transfer_transactions)
            .map(|t| &t.instructed_amount)
            .collect();
        let header = &self.group_header;
        Report::check_document(pain001::MESSAGE, |r| {
            r.within("GrpHdr", |r| {
                number_of_transactions(r, &header.number_of_transactions, amounts.len());
                identifiers(
                    r,
                    &[("InitgPty", Some(Held::Party(&header.initiating_party)))],
                );
                if let Some(sum) = &header.control_sum {
                    control_sum(r, sum, &amounts);
                }
            });
            r.each_within("PmtInf", instructions, |i, r| {
                payment_instruction(r, ctx, i)
            });
        })
    }
}

fn payment_instruction(r: &mut Report, ctx: &BusinessContext, i: &PaymentInstruction) {
    let transactions = &i.credit_transfer_transactions;
    let amounts: Vec<_> = transactions.iter().map(|t| &t.instructed_amount).collect();
    if let Some(count) = &i.number_of_transactions {
        number_of_transactions(r, count, amounts.len());
    }
    if let Some(sum) = &i.control_sum {
        control_sum(r, sum, &amounts);
    }
    // A date-time asks for execution on its day as written, whatever its time zone.
    let (name, date) = match &i.requested_execution_date {
        DateOrDateTime::Date(date) => ("ReqdExctnDt/Dt", date),
        DateOrDateTime::DateTime(date_time) => ("ReqdExctnDt/DtTm", date_time),
    };
    settlement_date(r, ctx, name, date);
    identifiers(
        r,
        &[
            ("Dbtr", Some(Held::Party(&i.debtor))),
            ("DbtrAcct", Some(Held::Account(&i.debtor_account))),
            ("DbtrAgt", Some(Held::Agent(&i.debtor_agent))),
            ("UltmtDbtr", i.ultimate_debtor.as_ref().map(Held::Party)),
        ],
    );
    r.each_within("CdtTrfTxInf", transactions, |t, r| {
        initiated_credit_transfer(r, ctx, t)
    });
}

fn initiated_credit_transfer(r: &mut Report, ctx: &BusinessContext, t: &InitiationCreditTransfer) {
    r.within("PmtId", |r| {
        uetr(r, "UETR", t.payment_identification.uetr.as_deref())
    });
    r.within("Amt", |r| match &t.currency_of_transfer {
        None => amount(r, ctx, "InstdAmt", &t.instructed_amount),
        Some(currency) => r.within("EqvtAmt", |r| {
            amount(r, ctx, "Amt", &t.instructed_amount);
            if ctx.decimal_places(currency).is_none() {
                r.fail(
                    "CcyOfTrf",
                    ReasonCode::Am03,
                    format!(
                        "{:?} is not a currency the scheme settles",
                        excerpt(currency)
                    ),
                );
            }
        }),
    });
    identifiers(
        r,
        &[
            ("UltmtDbtr", t.ultimate_debtor.as_ref().map(Held::Party)),
            ("CdtrAgt", t.creditor_agent.as_ref().map(Held::Agent)),
            ("Cdtr", Some(Held::Party(&t.creditor))),
            ("CdtrAcct", t.creditor_account.as_ref().map(Held::Account)),
            ("UltmtCdtr", t.ultimate_creditor.as_ref().map(Held::Party)),
        ],
    );
}

impl BkToCstmrAcctRpt {
    /// The business rules of an account report; see [`account_reports`].
    pub fn check_business_rules(&self, ctx: &BusinessContext) -> Result<(), FieldErrors> {
        account_reports(ctx, &ACCOUNT_REPORT, &self.reports)
    }
}

impl BkToCstmrStmt {
    /// The business rules of a statement; see [`account_reports`].
    pub fn check_business_rules(&self, ctx: &BusinessContext) -> Result<(), FieldErrors> {
        account_reports(ctx, &STATEMENT, &self.statements)
    }
}

impl BkToCstmrDbtCdtNtfctn {
    /// The business rules of a debit or credit notification; see [`account_reports`].
    pub fn check_business_rules(&self, ctx: &BusinessContext) -> Result<(), FieldErrors> {
        account_reports(ctx, &NOTIFICATION, &self.notifications)
    }
}

/// camt.052, camt.053 and camt.054 alike: every balance and entry amount is in a scheme
/// currency with no more decimals than it has.
fn account_reports(
    ctx: &BusinessContext,
    spec: &ReportSpec,
    reports: &[AccountReport],
) -> Result<(), FieldErrors> {
    Report::check_document(spec.message, |r| {
        r.each_within(spec.report, reports, |report, r| {
            r.each_within("Bal", &report.balances, |balance, r| {
                currency_amount(r, ctx, "Amt", &balance.amount)
            });
            r.each_within("Ntry", &report.entries, |entry, r| {
                amount(r, ctx, "Amt", &entry.amount)
            });
        });
    })
}

fn case_assignment(r: &mut Report, assignment: &CaseAssignment) {
    r.within("Assgnmt", |r| {
        r.within("Assgnr", |r| {
            identifiers(r, &[("Agt", Some(Held::Agent(&assignment.assigner)))])
        });
        r.within("Assgne", |r| {
            identifiers(r, &[("Agt", Some(Held::Agent(&assignment.assignee)))])
        });
    });
}

fn customer_credit_transfer(r: &mut Report, ctx: &BusinessContext, t: &CreditTransferTransaction) {
    r.within("PmtId", |r| {
        cbpr_uetr(r, t.payment_identification.uetr.as_deref())
    });
    amount(r, ctx, "IntrBkSttlmAmt", &t.interbank_settlement_amount);
    cbpr_settlement_date(r, ctx, t.interbank_settlement_date.as_deref());
    charge_bearer(r, t.charge_bearer);
    identifiers(
        r,
        &[
            ("InstgAgt", t.instructing_agent.as_ref().map(Held::Agent)),
            ("InstdAgt", t.instructed_agent.as_ref().map(Held::Agent)),
            ("UltmtDbtr", t.ultimate_debtor.as_ref().map(Held::Party)),
            ("Dbtr", Some(Held::Party(&t.debtor))),
            ("DbtrAcct", t.debtor_account.as_ref().map(Held::Account)),
            ("DbtrAgt", Some(Held::Agent(&t.debtor_agent))),
            ("CdtrAgt", Some(Held::Agent(&t.creditor_agent))),
            ("Cdtr", Some(Held::Party(&t.creditor))),
            ("CdtrAcct", t.creditor_account.as_ref().map(Held::Account)),
            ("UltmtCdtr", t.ultimate_creditor.as_ref().map(Held::Party)),
        ],
    );
}

/// pacs.009.001.08 has no `ChrgBr` (`CreditTransferTransaction36` does not define one), so
/// there is no charge bearer to restrict.
fn institution_credit_transfer(
    r: &mut Report,
    ctx: &BusinessContext,
    t: &FICreditTransferTransaction,
) {
    r.within("PmtId", |r| {
        cbpr_uetr(r, t.payment_identification.uetr.as_deref())
    });
    amount(r, ctx, "IntrBkSttlmAmt", &t.interbank_settlement_amount);
    cbpr_settlement_date(r, ctx, t.interbank_settlement_date.as_deref());
    identifiers(
        r,
        &[
            ("InstgAgt", t.instructing_agent.as_ref().map(Held::Agent)),
            ("InstdAgt", t.instructed_agent.as_ref().map(Held::Agent)),
            ("Dbtr", Some(Held::Agent(&t.debtor))),
            ("DbtrAcct", t.debtor_account.as_ref().map(Held::Account)),
            ("DbtrAgt", t.debtor_agent.as_ref().map(Held::Agent)),
            ("CdtrAgt", t.creditor_agent.as_ref().map(Held::Agent)),
            ("Cdtr", Some(Held::Agent(&t.creditor))),
            ("CdtrAcct", t.creditor_account.as_ref().map(Held::Account)),
        ],
    );
    if let Some(underlying) = &t.underlying_customer_credit_transfer {
        r.within("UndrlygCstmrCdtTrf", |r| {
            underlying_customer_credit_transfer(r, ctx, underlying)
        });
    }
}

fn underlying_customer_credit_transfer(
    r: &mut Report,
    ctx: &BusinessContext,
    u: &UnderlyingCustomerCreditTransfer,
) {
    identifiers(
        r,
        &[
            ("UltmtDbtr", u.ultimate_debtor.as_ref().map(Held::Party)),
            ("Dbtr", Some(Held::Party(&u.debtor))),
            ("DbtrAcct", u.debtor_account.as_ref().map(Held::Account)),
            ("DbtrAgt", Some(Held::Agent(&u.debtor_agent))),
            ("CdtrAgt", Some(Held::Agent(&u.creditor_agent))),
            ("Cdtr", Some(Held::Party(&u.creditor))),
            ("CdtrAcct", u.creditor_account.as_ref().map(Held::Account)),
            ("UltmtCdtr", u.ultimate_creditor.as_ref().map(Held::Party)),
        ],
    );
    if let Some(instructed) = &u.instructed_amount {
        amount(r, ctx, "InstdAmt", instructed);
    }
}

fn transaction_status(t: &TransactionStatus, r: &mut Report) {
    original(r, &t.original);
    identifiers(
        r,
        &[
            ("InstgAgt", t.instructing_agent.as_ref().map(Held::Agent)),
            ("InstdAgt", t.instructed_agent.as_ref().map(Held::Agent)),
        ],
    );
}

fn returned_transaction(r: &mut Report, ctx: &BusinessContext, t: &ReturnTransaction) {
    original(r, &t.original);
    amount(
        r,
        ctx,
        "RtrdIntrBkSttlmAmt",
        &t.returned_interbank_settlement_amount,
    );
    if let Some(date) = &t.interbank_settlement_date {
        settlement_date(r, ctx, "IntrBkSttlmDt", date);
    }
    identifiers(
        r,
        &[
            ("InstgAgt", t.instructing_agent.as_ref().map(Held::Agent)),
            ("InstdAgt", t.instructed_agent.as_ref().map(Held::Agent)),
        ],
    );
}

fn cancellation_transaction(r: &mut Report, ctx: &BusinessContext, t: &CancellationTransaction) {
    original(r, &t.original);
    if let Some(original_amount) = &t.original_interbank_settlement_amount {
        amount(r, ctx, "OrgnlIntrBkSttlmAmt", original_amount);
    }
}

fn original(r: &mut Report, original: &OriginalIdentification) {
    uetr(r, "OrgnlUETR", original.uetr.as_deref());
}

/// `GroupHeader93` of pacs.008 and pacs.009: `NbOfTxs` counts the transactions, which CBPR+
/// fixes at one; `TtlIntrBkSttlmAmt`, when present, is the sum of their settlement amounts,
/// all in its currency (the ISO rules TotalInterbankSettlementAmountRule and
/// TotalInterbankSettlementAmountAndSumRule).
fn credit_transfer_totals(
    r: &mut Report,
    ctx: &BusinessContext,
    header: &GroupHeader,
    amounts: &[&ActiveCurrencyAndAmount],
) {
    let total = header.total_interbank_settlement_amount.as_ref();
    r.within("GrpHdr", |r| {
        number_of_transactions(r, &header.number_of_transactions, amounts.len());
        if amounts.len() > 1 {
            r.fail(
                "NbOfTxs",
                ReasonCode::Am18,
                format!(
                    "CBPR+ carries exactly one transaction per message, not {}",
                    amounts.len()
                ),
            );
        }
        if let Some(total) = total {
            amount(r, ctx, "TtlIntrBkSttlmAmt", total);
            total_is_sum(r, total, amounts);
        }
        identifiers(
            r,
            &[
                (
                    "InstgAgt",
                    header.instructing_agent.as_ref().map(Held::Agent),
                ),
                (
                    "InstdAgt",
                    header.instructed_agent.as_ref().map(Held::Agent),
                ),
            ],
        );
    });
    if let Some(total) = total {
        r.each_within("CdtTrfTxInf", amounts, |a, r| {
            if a.currency != total.currency {
                r.fail(
                    "IntrBkSttlmAmt/@Ccy",
                    ReasonCode::Am11,
                    format!(
                        "{:?} differs from the currency of TtlIntrBkSttlmAmt, {:?}",
                        excerpt(&a.currency),
                        excerpt(&total.currency)
                    ),
                );
            }
        });
    }
}

/// The total equals the sum; amounts in another currency are reported as such, not as a
/// wrong sum.
fn total_is_sum(
    r: &mut Report,
    total: &ActiveCurrencyAndAmount,
    amounts: &[&ActiveCurrencyAndAmount],
) {
    if amounts.iter().any(|a| a.currency != total.currency) {
        return;
    }
    if !is_sum(&total.amount, amounts) {
        r.fail(
            "TtlIntrBkSttlmAmt",
            ReasonCode::Am10,
            format!(
                "{:?} is not the sum of the transactions' IntrBkSttlmAmt",
                excerpt(&total.amount)
            ),
        );
    }
}

/// pain.001's `CtrlSum` adds the amounts whatever their currencies, as ISO defines it.
fn control_sum(r: &mut Report, sum: &str, amounts: &[&ActiveCurrencyAndAmount]) {
    if !is_sum(sum, amounts) {
        r.fail(
            "CtrlSum",
            ReasonCode::Am10,
            format!(
                "{:?} is not the sum of the transactions' InstdAmt",
                excerpt(sum)
            ),
        );
    }
}

/// `total` is exactly the sum of the amounts' values.
fn is_sum(total: &str, amounts: &[&ActiveCurrencyAndAmount]) -> bool {
    let sum = amounts.iter().try_fold(0u128, |sum, a| {
        sum.checked_add(hundred_thousandths(&a.amount)?)
    });
    sum.is_some() && sum == hundred_thousandths(total)
}

/// `NbOfTxs` is the number of transactions its element (the message, or a pain.001
/// `PmtInf`) carries.
fn number_of_transactions(r: &mut Report, declared: &str, count: usize) {
    if declared.parse::<usize>().ok() != Some(count) {
        r.fail(
            "NbOfTxs",
            ReasonCode::Am18,
            format!(
                "{:?} but {count} transactions are carried",
                excerpt(declared)
            ),
        );
    }
}

/// A currency the scheme settles, no more decimals than its minor unit, above zero: every
/// amount these messages carry moves or names money, and none may be nil.
fn amount(r: &mut Report, ctx: &BusinessContext, name: &str, amount: &ActiveCurrencyAndAmount) {
    currency_amount(r, ctx, name, amount);
    if hundred_thousandths(&amount.amount) == Some(0) {
        r.fail(name, ReasonCode::Am01, "the amount must be above zero");
    }
}

/// In a scheme currency, with no more decimals than it has; zero allowed, as a balance may
/// be.
fn currency_amount(
    r: &mut Report,
    ctx: &BusinessContext,
    name: &str,
    amount: &ActiveCurrencyAndAmount,
) {
    let Some(places) = ctx.decimal_places(&amount.currency) else {
        r.fail(
            &format!("{name}/@Ccy"),
            ReasonCode::Am03,
            format!(
                "{:?} is not a currency the scheme settles",
                excerpt(&amount.currency)
            ),
        );
        return;
    };
    let decimals = amount.amount.split_once('.').map_or(0, |(_, f)| f.len());
    if decimals > places as usize {
        r.fail(
            name,
            ReasonCode::Ch20,
            format!(
                "{:?} has {decimals} decimals, {} has {places}",
                excerpt(&amount.amount),
                amount.currency
            ),
        );
    }
}

/// The amount in units of 10^-5, the finest `ActiveCurrencyAndAmount` allows, so that sums
/// are exact; `None` for text the first layer refuses.
fn hundred_thousandths(amount: &str) -> Option<u128> {
    const FRACTION_DIGITS: usize = 5;
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > FRACTION_DIGITS {
        return None;
    }
    format!("{whole}{fraction:0<FRACTION_DIGITS$}").parse().ok()
}

/// CBPR+ makes `IntrBkSttlmDt` mandatory in pacs.008 and pacs.009, where ISO also allows it
/// in the group header.
fn cbpr_settlement_date(r: &mut Report, ctx: &BusinessContext, date: Option<&str>) {
    match date {
        Some(date) => settlement_date(r, ctx, "IntrBkSttlmDt", date),
        None => r.fail(
            "IntrBkSttlmDt",
            ReasonCode::Ch21,
            "CBPR+ requires the interbank settlement date",
        ),
    }
}

/// Settlement happens from the business date to `max_forward_days` after it.
fn settlement_date(r: &mut Report, ctx: &BusinessContext, name: &str, date: &str) {
    let Some((day, _time_zone)) = split_date(date) else {
        r.fail(
            name,
            ReasonCode::Dt01,
            format!("{:?} is not a real date", excerpt(date)),
        );
        return;
    };
    let day = BusinessDate::from_civil(day);
    let first = ctx.business_date;
    let last = first.plus_days(ctx.max_forward_days);
    if day < first || day > last {
        r.fail(
            name,
            ReasonCode::Dt01,
            format!(
                "{:?} is outside the settlement window: the business date to {} days after it",
                excerpt(date),
                ctx.max_forward_days
            ),
        );
    }
}

/// CBPR+ makes `UETR` mandatory on every pacs.008 and pacs.009 transaction: it tracks the
/// payment end to end through gpi.
fn cbpr_uetr(r: &mut Report, value: Option<&str>) {
    if value.is_none() {
        r.fail("UETR", ReasonCode::Ch21, "CBPR+ requires a UETR");
    }
    uetr(r, "UETR", value);
}

/// A UUID version 4, variant 1, in lower case (RFC 4122), as SWIFT gpi issues them.
fn uetr(r: &mut Report, name: &str, value: Option<&str>) {
    if let Some(value) = value
        && !is_uetr(value)
    {
        r.fail(
            name,
            ReasonCode::Ch16,
            format!(
                "{:?} is not a lowercase UUID version 4, variant 1 (8-4-4-4-12 hex digits)",
                excerpt(value)
            ),
        );
    }
}

/// CBPR+ pacs.008 allows `DEBT`, `CRED` and `SHAR` only: `SLEV` defers to a service-level
/// (scheme) rule book, which a cross-border correspondent chain does not share
/// (CBPRPlus-pacs.008.001.08 usage guideline, ChargeBearer). pacs.004 keeps the ISO code
/// set: CBPR+ does not restrict it in a way this crate could confirm.
fn charge_bearer(r: &mut Report, bearer: ChargeBearer) {
    if bearer == ChargeBearer::FollowingServiceLevel {
        r.fail(
            "ChrgBr",
            ReasonCode::Be19,
            "CBPR+ allows DEBT, CRED or SHAR, not SLEV",
        );
    }
}

/// An element that identifies an institution, a party or an account.
#[derive(Clone, Copy)]
enum Held<'m> {
    Agent(&'m Agent),
    Party(&'m PartyIdentification),
    Account(&'m CashAccount),
}

/// The BICs and IBANs of the named elements, in the order given.
fn identifiers(r: &mut Report, elements: &[(&str, Option<Held>)]) {
    for (name, held) in elements {
        match held {
            Some(Held::Agent(agent)) => r.within(name, |r| {
                r.within("FinInstnId", |r| bic(r, "BICFI", agent.bicfi.as_deref()))
            }),
            Some(Held::Party(party)) => {
                if let Some(organisation) = &party.organisation_identification {
                    r.within(name, |r| {
                        r.within("Id", |r| {
                            r.within("OrgId", |r| {
                                bic(r, "AnyBIC", organisation.any_bic.as_deref())
                            })
                        })
                    });
                }
            }
            Some(Held::Account(account)) => {
                if let AccountIdentification::Iban(value) = &account.identification {
                    r.within(name, |r| r.within("Id", |r| iban(r, value)));
                }
            }
            None => {}
        }
    }
}

/// A BIC (ISO 9362) whose country code, positions 5 and 6, is an ISO 3166 country.
fn bic(r: &mut Report, name: &str, value: Option<&str>) {
    let Some(value) = value else { return };
    if !is_bic(value) {
        r.fail(
            name,
            ReasonCode::Rc01,
            format!("{:?} is not a BIC", excerpt(value)),
        );
        return;
    }
    let country = &value[4..6];
    if !corridor_core::is_country_code(country) {
        r.fail(
            name,
            ReasonCode::Rc01,
            format!("{value:?} names {country:?}, which is not an ISO 3166 country"),
        );
    }
}

/// An IBAN of a country that issues them, of that country's length, with check digits that
/// hold.
fn iban(r: &mut Report, value: &str) {
    if let Some(problem) = corridor_core::iban_problem(value) {
        r.fail(
            "IBAN",
            ReasonCode::Ac01,
            format!("{:?}: {problem}", excerpt(value)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_dates_count_days() {
        let day = |text| BusinessDate::parse(text).expect("a date");
        assert_eq!(day("1970-01-01"), BusinessDate(0));
        assert_eq!(day("2024-02-28").plus_days(2), day("2024-03-01"));
        assert_eq!(day("2023-12-31").plus_days(1), day("2024-01-01"));
        assert_eq!(day("2000-03-01").0 - day("2000-02-28").0, 2);
        assert_eq!(BusinessDate::parse("2024-02-30"), None);
        assert_eq!(BusinessDate::parse("2024-05-01Z"), None);
    }

    #[test]
    fn amounts_add_exactly() {
        assert_eq!(hundred_thousandths("0"), Some(0));
        assert_eq!(hundred_thousandths("0.00"), Some(0));
        assert_eq!(hundred_thousandths("1.5"), Some(150_000));
        assert_eq!(hundred_thousandths("125000.50"), Some(12_500_050_000));
        assert_eq!(hundred_thousandths("1.123456"), None);
        assert_eq!(hundred_thousandths("-1"), None);
        assert_eq!(hundred_thousandths(".5"), None);
    }
}
