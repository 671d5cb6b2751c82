//! camt.052, camt.053 and camt.054: each sample keeps every field the shared model holds
//! through parse -> serialize -> parse, writes XML its XSD accepts, and breaks validation
//! with a path and a reason code when a field is wrong.

mod common;

use common::{APP_HDR, CAMT052, CAMT053, CAMT054, assert_valid, envelope};
use corridor_iso20022::{
    AccountIdentification, AccountReport, ActiveCurrencyAndAmount, Agent, Balance,
    BankTransactionCode, BankTransactionDomain, BkToCstmrDbtCdtNtfctn, BkToCstmrStmt, CashAccount,
    CodeOrProprietary, CreditDebit, DateOrDateTime, Document, EntryDetails, EntryTotals,
    EntryTransaction, FieldError, NetAmount, ParseError, PartyIdentification,
    ProprietaryBankTransactionCode, ReasonCode, ReportEntry, ReportGroupHeader, ReportedAccount,
    TotalEntries, TransactionAgents, TransactionParties, TransactionParty, TransactionReferences,
    TransactionsSummary, parse,
};

/// The one document in `xml`, after checking that it validates, that its output passes
/// `schema`, and that reading the output back changes nothing.
fn round_tripped(xml: &str, schema: &str) -> Document {
    let mut messages = parse(xml).expect("sample parses");
    assert_eq!(messages.len(), 1);
    let document = messages.remove(0).document;
    document.validate().expect("sample is valid");
    let written = document.to_xml();
    assert_valid(&written, schema);
    let reread = parse(&written).unwrap_or_else(|e| panic!("{e}\n{written}"));
    assert_eq!(reread[0].document, document, "{written}");
    document
}

fn notification() -> BkToCstmrDbtCdtNtfctn {
    match parse(CAMT054).expect("sample parses").remove(0).document {
        Document::Camt054(document) => *document,
        other => panic!("expected camt.054, got {other:?}"),
    }
}

fn statement() -> BkToCstmrStmt {
    match parse(CAMT053).expect("sample parses").remove(0).document {
        Document::Camt053(document) => *document,
        other => panic!("expected camt.053, got {other:?}"),
    }
}

fn errors(result: Result<(), corridor_iso20022::FieldErrors>) -> Vec<(String, ReasonCode)> {
    result
        .expect_err("invalid")
        .0
        .into_iter()
        .map(|FieldError { path, code, .. }| (path, code))
        .collect()
}

fn parse_errors(xml: &str) -> Vec<(String, ReasonCode)> {
    match parse(xml) {
        Err(ParseError::Invalid { errors, .. }) => errors
            .0
            .into_iter()
            .map(|FieldError { path, code, .. }| (path, code))
            .collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn amount(amount: &str, currency: &str) -> ActiveCurrencyAndAmount {
    ActiveCurrencyAndAmount {
        amount: amount.into(),
        currency: currency.into(),
    }
}

fn agent(bic: &str) -> Agent {
    Agent {
        bicfi: Some(bic.into()),
    }
}

const NTFCTN: &str = "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]";
const STMT: &str = "/Document/BkToCstmrStmt/Stmt[1]";

#[test]
fn camt054_keeps_every_field() {
    let Document::Camt054(message) = round_tripped(CAMT054, "camt.054.001.08.xsd") else {
        panic!("expected camt.054");
    };
    assert_eq!(
        message.group_header,
        ReportGroupHeader {
            message_identification: "CORR-NTF-20240501-0101".into(),
            creation_date_time: "2024-05-01T09:31:05.120Z".into(),
        }
    );
    let [notification] = &message.notifications[..] else {
        panic!("one notification expected");
    };
    assert_eq!(notification.identification, "NTF-0101");
    assert_eq!(
        notification.electronic_sequence_number.as_deref(),
        Some("101")
    );
    assert_eq!(
        notification.creation_date_time.as_deref(),
        Some("2024-05-01T09:31:05Z")
    );
    assert_eq!(
        notification.account,
        ReportedAccount {
            identification: AccountIdentification::Other("CORR-SETTLE-SABRRUMM-RUB".into()),
            currency: Some("RUB".into()),
            owner: Some(PartyIdentification {
                name: Some("ПАО «Сбербанк» & Co".into()),
                ..PartyIdentification::default()
            }),
            servicer: Some(agent("CORRXXHUXXX")),
        }
    );
    assert!(notification.balances.is_empty());
    assert_eq!(
        notification.transactions_summary,
        Some(TransactionsSummary {
            total_entries: None,
            total_credit_entries: Some(EntryTotals {
                number_of_entries: Some("1".into()),
                sum: Some("50000000.00".into()),
            }),
            total_debit_entries: Some(EntryTotals {
                number_of_entries: Some("1".into()),
                sum: Some("11500000.00".into()),
            }),
        })
    );
    assert_eq!(
        notification.additional_information.as_deref(),
        Some("Notification of settlement account moves")
    );

    let [liquidity, payment] = &notification.entries[..] else {
        panic!("two entries expected");
    };
    assert_eq!(
        *liquidity,
        ReportEntry {
            entry_reference: Some("LQ-0001".into()),
            amount: amount("50000000.00", "RUB"),
            credit_debit: CreditDebit::Credit,
            status: CodeOrProprietary::Code("BOOK".into()),
            booking_date: Some(DateOrDateTime::DateTime("2024-05-01T09:00:00Z".into())),
            value_date: Some(DateOrDateTime::Date("2024-05-01".into())),
            account_servicer_reference: Some("CORR-LQ-0001".into()),
            bank_transaction_code: BankTransactionCode {
                domain: None,
                proprietary: Some(ProprietaryBankTransactionCode {
                    code: "LIQUIDITY-IN".into(),
                    issuer: Some("CORRIDOR".into()),
                }),
            },
            details: vec![EntryDetails {
                transactions: vec![EntryTransaction {
                    references: Some(TransactionReferences {
                        message_identification: Some("SABR-LQ-0501".into()),
                        ..TransactionReferences::default()
                    }),
                    related_parties: Some(TransactionParties {
                        debtor: Some(TransactionParty::Agent(agent("SABRRUMM"))),
                        debtor_account: Some(CashAccount {
                            identification: AccountIdentification::Other(
                                "30110810000000000001".into()
                            ),
                        }),
                        ..TransactionParties::default()
                    }),
                    ..EntryTransaction::default()
                }],
            }],
            additional_entry_information: None,
        }
    );

    assert_eq!(payment.credit_debit, CreditDebit::Debit);
    assert_eq!(payment.entry_reference, None);
    assert_eq!(
        payment.bank_transaction_code.domain,
        Some(BankTransactionDomain {
            code: "PMNT".into(),
            family_code: "ICDT".into(),
            sub_family_code: "XBCT".into(),
        })
    );
    assert_eq!(
        payment
            .bank_transaction_code
            .proprietary
            .as_ref()
            .map(|p| (p.code.as_str(), p.issuer.as_deref())),
        Some(("PACS009-COVE", None))
    );
    assert_eq!(
        payment.additional_entry_information.as_deref(),
        Some("Settled in the 09:30 cycle")
    );
    let transaction = &payment.details[0].transactions[0];
    assert_eq!(
        transaction.references,
        Some(TransactionReferences {
            message_identification: Some("SABR-COV-20240501-0003".into()),
            account_servicer_reference: Some("CORR-TX-000017".into()),
            instruction_identification: Some("COV-17".into()),
            end_to_end_identification: Some("ИНВ-2024/05-77".into()),
            uetr: Some("eb6305c9-1f7f-49de-aed0-16487c27b42d".into()),
            transaction_identification: Some("TX-COV-000017".into()),
        })
    );
    assert_eq!(transaction.amount, Some(amount("11500000.00", "RUB")));
    assert_eq!(transaction.credit_debit, Some(CreditDebit::Debit));
    assert!(transaction.bank_transaction_code.is_some());
    let parties = transaction.related_parties.as_ref().expect("parties");
    let Some(TransactionParty::Party(debtor)) = &parties.debtor else {
        panic!("debtor is a party");
    };
    assert_eq!(debtor.name.as_deref(), Some("ООО «Ромашка»"));
    assert_eq!(
        debtor
            .postal_address
            .as_ref()
            .and_then(|a| a.town_name.as_deref()),
        Some("Москва")
    );
    let Some(TransactionParty::Party(creditor)) = &parties.creditor else {
        panic!("creditor is a party");
    };
    assert_eq!(creditor.name.as_deref(), Some("شرکت بازرگانی آریا پارس"));
    assert_eq!(
        parties.creditor_account.as_ref().map(|a| &a.identification),
        Some(&AccountIdentification::Iban(
            "IR062960000000100324200001".into()
        ))
    );
    assert_eq!(
        transaction.related_agents,
        Some(TransactionAgents {
            debtor_agent: Some(agent("SABRRUMM")),
            creditor_agent: Some(agent("BMJIIRTH")),
        })
    );
    assert_eq!(
        transaction.remittance_information,
        ["Оплата по контракту № 17/2024", "پرداخت فاکتور ۴۵۶"]
    );
    assert_eq!(
        transaction.additional_transaction_information.as_deref(),
        Some("покрытие <COVE>")
    );
}

#[test]
fn camt053_keeps_balances_totals_and_entries() {
    let Document::Camt053(message) = round_tripped(CAMT053, "camt.053.001.08.xsd") else {
        panic!("expected camt.053");
    };
    let [rub, irr] = &message.statements[..] else {
        panic!("two statements expected");
    };
    assert_eq!(
        rub.balances,
        [
            Balance {
                balance_type: CodeOrProprietary::Code("OPBD".into()),
                amount: amount("1000000.00", "RUB"),
                credit_debit: CreditDebit::Credit,
                date: DateOrDateTime::Date("2024-05-01".into()),
            },
            Balance {
                balance_type: CodeOrProprietary::Code("CLBD".into()),
                amount: amount("10500000.00", "RUB"),
                credit_debit: CreditDebit::Debit,
                date: DateOrDateTime::DateTime("2024-05-01T23:59:59+03:00".into()),
            },
        ]
    );
    assert_eq!(
        rub.transactions_summary,
        Some(TransactionsSummary {
            total_entries: Some(TotalEntries {
                totals: EntryTotals {
                    number_of_entries: Some("1".into()),
                    sum: Some("11500000.00".into()),
                },
                net: Some(NetAmount {
                    amount: "11500000.00".into(),
                    credit_debit: CreditDebit::Debit,
                }),
            }),
            total_credit_entries: None,
            total_debit_entries: Some(EntryTotals {
                number_of_entries: Some("1".into()),
                sum: None,
            }),
        })
    );
    assert_eq!(rub.entries.len(), 1);
    assert_eq!(
        rub.entries[0].details[0].transactions[0]
            .references
            .as_ref()
            .and_then(|r| r.uetr.as_deref()),
        Some("eb6305c9-1f7f-49de-aed0-16487c27b42d")
    );
    assert_eq!(rub.additional_information.as_deref(), Some("Конец дня"));

    assert_eq!(irr.electronic_sequence_number, None);
    assert_eq!(irr.creation_date_time, None);
    assert_eq!(irr.account.currency, None);
    assert_eq!(
        irr.balances[0].balance_type,
        CodeOrProprietary::Proprietary("CORRIDOR-CLOSING".into())
    );
    assert_eq!(irr.balances[0].amount, amount("0", "IRR"));
    assert!(irr.entries.is_empty());
}

#[test]
fn camt052_keeps_interim_balances_and_pending_entries() {
    let Document::Camt052(message) = round_tripped(CAMT052, "camt.052.001.08.xsd") else {
        panic!("expected camt.052");
    };
    let [report, empty] = &message.reports[..] else {
        panic!("two reports expected");
    };
    assert_eq!(
        report.account.identification,
        AccountIdentification::Iban("IR062960000000100324200001".into())
    );
    assert_eq!(
        report.balances[0].balance_type,
        CodeOrProprietary::Code("ITBD".into())
    );
    let entry = &report.entries[0];
    assert_eq!(
        entry.status,
        CodeOrProprietary::Proprietary("QUEUED".into())
    );
    assert_eq!(entry.bank_transaction_code, BankTransactionCode::default());
    assert_eq!(entry.details, [EntryDetails::default()]);
    assert!(empty.balances.is_empty() && empty.entries.is_empty());
}

/// How Corridor builds an end-of-day statement from its ledger: the structs alone, no XML.
fn end_of_day_statement() -> BkToCstmrStmt {
    let booked = |code: &str, value: &str, credit_debit| Balance {
        balance_type: CodeOrProprietary::Code(code.into()),
        amount: amount(value, "CNY"),
        credit_debit,
        date: DateOrDateTime::Date("2024-06-30".into()),
    };
    BkToCstmrStmt {
        group_header: ReportGroupHeader {
            message_identification: "CORR-STMT-20240630-ICBK".into(),
            creation_date_time: "2024-06-30T23:59:59Z".into(),
        },
        statements: vec![AccountReport {
            identification: "STMT-20240630-CNY".into(),
            electronic_sequence_number: Some("182".into()),
            creation_date_time: Some("2024-06-30T23:59:59Z".into()),
            account: ReportedAccount {
                identification: AccountIdentification::Other("CORR-SETTLE-ICBKCNBJ-CNY".into()),
                currency: Some("CNY".into()),
                owner: None,
                servicer: Some(agent("CORRXXHU")),
            },
            balances: vec![
                booked("OPBD", "250000.00", CreditDebit::Credit),
                booked("CLBD", "0", CreditDebit::Credit),
            ],
            transactions_summary: None,
            entries: vec![ReportEntry {
                entry_reference: None,
                amount: amount("250000.00", "CNY"),
                credit_debit: CreditDebit::Debit,
                status: CodeOrProprietary::Code("BOOK".into()),
                booking_date: None,
                value_date: None,
                account_servicer_reference: None,
                bank_transaction_code: BankTransactionCode::default(),
                details: Vec::new(),
                additional_entry_information: None,
            }],
            additional_information: None,
        }],
    }
}

#[test]
fn statement_built_in_code_is_valid_against_the_xsd() {
    let statement = end_of_day_statement();
    statement.validate().expect("valid");
    let xml = statement.to_xml();
    assert_valid(&xml, "camt.053.001.08.xsd");
    let Document::Camt053(reread) = parse(&xml).expect("parses").remove(0).document else {
        panic!("expected camt.053");
    };
    assert_eq!(*reread, statement);
}

#[test]
fn notification_built_in_code_is_valid_against_the_xsd() {
    let statement = end_of_day_statement();
    let notification = BkToCstmrDbtCdtNtfctn {
        group_header: statement.group_header,
        notifications: vec![AccountReport {
            balances: Vec::new(),
            ..statement.statements[0].clone()
        }],
    };
    notification.validate().expect("valid");
    assert_valid(&notification.to_xml(), "camt.054.001.08.xsd");
}

#[test]
fn envelope_carries_reports_after_their_headers() {
    let xml = envelope(&[(APP_HDR, CAMT054), (APP_HDR, CAMT053), (APP_HDR, CAMT052)]);
    let messages = parse(&xml).expect("envelope parses");
    let types: Vec<_> = messages.iter().map(|m| m.message_type.name()).collect();
    assert_eq!(
        types,
        ["camt.054.001.08", "camt.053.001.08", "camt.052.001.08"]
    );
    for message in &messages {
        assert!(message.header.is_some());
        message.validate().expect("valid");
    }
}

#[test]
fn bad_amount_bic_and_code_are_named_by_path() {
    let mut d = notification();
    d.notifications[0].entries[1].amount.amount = "-11500000.00".into();
    assert_eq!(
        errors(d.validate()),
        [(format!("{NTFCTN}/Ntry[2]/Amt"), ReasonCode::Am12)]
    );

    let mut d = notification();
    d.notifications[0].account.servicer = Some(agent("CORR XXHU"));
    assert_eq!(
        errors(d.validate()),
        [(
            format!("{NTFCTN}/Acct/Svcr/FinInstnId/BICFI"),
            ReasonCode::Rc01
        )]
    );

    let mut d = notification();
    d.notifications[0].entries[0].status = CodeOrProprietary::Code("BOOKED".into());
    assert_eq!(
        errors(d.validate()),
        [(format!("{NTFCTN}/Ntry[1]/Sts/Cd"), ReasonCode::Ff01)]
    );

    let mut d = statement();
    d.statements[0].balances[1].date = DateOrDateTime::Date("2024-02-30".into());
    d.statements[0].electronic_sequence_number = Some("-1".into());
    assert_eq!(
        errors(d.validate()),
        [
            (format!("{STMT}/ElctrncSeqNb"), ReasonCode::Ff01),
            (format!("{STMT}/Bal[2]/Dt/Dt"), ReasonCode::Dt01),
        ]
    );
}

#[test]
fn balances_follow_each_message_cardinality() {
    let mut d = statement();
    d.statements[1].balances.clear();
    assert_eq!(
        errors(d.validate()),
        [(
            "/Document/BkToCstmrStmt/Stmt[2]/Bal".to_owned(),
            ReasonCode::Ch21
        )]
    );

    let mut d = notification();
    d.notifications[0].balances = statement().statements[0].balances.clone();
    assert_eq!(
        errors(d.validate()),
        [(format!("{NTFCTN}/Bal[1]"), ReasonCode::Ch17)]
    );

    let no_balance = CAMT053.replace(
        "<Bal>\n        <Tp><CdOrPrtry><Prtry>CORRIDOR-CLOSING</Prtry></CdOrPrtry></Tp>\n        <Amt Ccy=\"IRR\">0</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Dt><Dt>2024-05-01</Dt></Dt>\n      </Bal>",
        "",
    );
    assert_ne!(no_balance, CAMT053);
    assert_eq!(
        parse_errors(&no_balance),
        [(
            "/Document/BkToCstmrStmt/Stmt[2]/Bal".to_owned(),
            ReasonCode::Ch21
        )]
    );

    let balance_in_notification = CAMT054.replace(
        "<TxsSummry>",
        "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"RUB\">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-05-01</Dt></Dt></Bal><TxsSummry>",
    );
    assert_eq!(
        parse_errors(&balance_in_notification),
        [(format!("{NTFCTN}/Bal[1]"), ReasonCode::Ch17)]
    );

    let mut d = statement();
    d.statements.clear();
    assert_eq!(
        errors(d.validate()),
        [("/Document/BkToCstmrStmt/Stmt".to_owned(), ReasonCode::Ch21)]
    );
}

#[test]
fn reading_names_missing_elements_unknown_codes_and_broken_choices() {
    let no_status = CAMT054.replace(
        "<Sts><Cd>BOOK</Cd></Sts>\n        <BookgDt><Dt>",
        "<BookgDt><Dt>",
    );
    assert_eq!(
        parse_errors(&no_status),
        [(format!("{NTFCTN}/Ntry[2]/Sts"), ReasonCode::Ch21)]
    );

    let bad_sign = CAMT054.replacen(
        "<CdtDbtInd>CRDT</CdtDbtInd>",
        "<CdtDbtInd>CRED</CdtDbtInd>",
        1,
    );
    assert_eq!(
        parse_errors(&bad_sign),
        [(format!("{NTFCTN}/Ntry[1]/CdtDbtInd"), ReasonCode::Ff01)]
    );

    let both_dates = CAMT054.replace(
        "<ValDt><Dt>2024-05-01</Dt></ValDt>",
        "<ValDt><Dt>2024-05-01</Dt><DtTm>2024-05-01T09:00:00Z</DtTm></ValDt>",
    );
    assert_eq!(
        parse_errors(&both_dates),
        [(format!("{NTFCTN}/Ntry[1]/ValDt/DtTm"), ReasonCode::Ch17)]
    );

    let empty_party = CAMT054.replace(
        "<Cdtr><Pty><Nm>شرکت بازرگانی آریا پارس</Nm></Pty></Cdtr>",
        "<Cdtr/>",
    );
    assert_eq!(
        parse_errors(&empty_party),
        [(
            format!("{NTFCTN}/Ntry[2]/NtryDtls[1]/TxDtls[1]/RltdPties/Cdtr/Pty"),
            ReasonCode::Ch21
        )]
    );

    let no_account = CAMT052.replace(
        "<Acct><Id><Othr><Id>CORR-SETTLE-BMJIIRTH-IRR</Id></Othr></Id></Acct>",
        "",
    );
    assert_eq!(
        parse_errors(&no_account),
        [(
            "/Document/BkToCstmrAcctRpt/Rpt[2]/Acct".to_owned(),
            ReasonCode::Ch21
        )]
    );
}

#[test]
fn hostile_reports_are_errors_not_panics() {
    let xml = envelope(&[(APP_HDR, CAMT054), (APP_HDR, CAMT053), (APP_HDR, CAMT052)]);
    for (end, _) in xml.char_indices().skip(1) {
        let truncated = &xml[..end];
        if truncated.trim_end().ends_with("</BizMsgEnvlp>") {
            continue;
        }
        assert!(parse(truncated).is_err(), "truncated at {end} parsed");
    }
    let nested = format!("{}{}", "<TxDtls>".repeat(60), "</TxDtls>".repeat(60));
    let deep = CAMT054.replace("<TxDtls>", &nested);
    assert!(matches!(parse(&deep), Err(ParseError::TooDeep { .. })));
    let huge = CAMT053.replace("Конец дня", &"\u{202E}".repeat(100_000));
    let Document::Camt053(statement) = parse(&huge).expect("parses").remove(0).document else {
        panic!("expected camt.053");
    };
    // One error for the length, one for the hidden character: never a panic.
    let found = errors(statement.validate());
    let expected = (format!("{STMT}/AddtlStmtInf"), ReasonCode::Ff01);
    assert_eq!(found, [expected.clone(), expected]);
}
