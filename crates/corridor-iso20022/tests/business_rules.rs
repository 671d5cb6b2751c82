//! The second validation layer: each business rule passes a sound message and names the
//! element and the reason code of each one it breaks.

mod common;

use common::{
    APP_HDR, CAMT029, CAMT050, CAMT053, CAMT054, CAMT056, FULL_PACS008, PACS002, PACS004, PACS009,
    envelope,
};
use corridor_iso20022::{
    AccountIdentification, ActiveCurrencyAndAmount, BusinessContext, BusinessDate, CashAccount,
    ChargeBearer, Document, FICdtTrf, FIToFICstmrCdtTrf, FIToFIPmtCxlReq, FIToFIPmtStsRpt,
    FieldErrors, Message, PmtRtr, ReasonCode, parse,
};

const TX: &str = "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]";
const GRP_HDR: &str = "/Document/FIToFICstmrCdtTrf/GrpHdr";
const COVER_TX: &str = "/Document/FICdtTrf/CdtTrfTxInf[1]";

/// Rials move in whole units in this scheme, though ISO 4217 gives IRR two decimals.
const CURRENCIES: &[(&str, u32)] = &[("EUR", 2), ("RUB", 2), ("IRR", 0), ("USD", 2)];

/// The samples settle on 2024-05-01; settlement may be up to two days ahead.
fn context_on(date: &str) -> BusinessContext<'static> {
    BusinessContext {
        business_date: BusinessDate::parse(date).expect("a business date"),
        max_forward_days: 2,
        currencies: CURRENCIES,
    }
}

fn context() -> BusinessContext<'static> {
    context_on("2024-05-01")
}

fn only_message(xml: &str) -> Message {
    let mut messages = parse(xml).expect("sample parses");
    assert_eq!(messages.len(), 1);
    messages.remove(0)
}

fn pacs008() -> FIToFICstmrCdtTrf {
    match only_message(FULL_PACS008).document {
        Document::Pacs008(document) => *document,
        other => panic!("expected pacs.008, got {other:?}"),
    }
}

/// The cover sample with its first transaction only, as CBPR+ sends it.
fn pacs009_cover() -> FICdtTrf {
    let mut document = match only_message(PACS009).document {
        Document::Pacs009(document) => *document,
        other => panic!("expected pacs.009, got {other:?}"),
    };
    document.credit_transfer_transactions.truncate(1);
    document.group_header.number_of_transactions = "1".into();
    document
}

fn pacs002() -> FIToFIPmtStsRpt {
    match only_message(PACS002).document {
        Document::Pacs002(document) => *document,
        other => panic!("expected pacs.002, got {other:?}"),
    }
}

fn pacs004() -> PmtRtr {
    match only_message(PACS004).document {
        Document::Pacs004(document) => *document,
        other => panic!("expected pacs.004, got {other:?}"),
    }
}

fn camt056() -> FIToFIPmtCxlReq {
    match only_message(CAMT056).document {
        Document::Camt056(document) => *document,
        other => panic!("expected camt.056, got {other:?}"),
    }
}

fn errors(result: Result<(), FieldErrors>) -> Vec<(String, ReasonCode)> {
    result
        .expect_err("a broken rule")
        .0
        .into_iter()
        .map(|error| (error.path, error.code))
        .collect()
}

fn only_error(result: Result<(), FieldErrors>, path: &str, code: ReasonCode) {
    assert_eq!(errors(result), [(path.to_owned(), code)]);
}

fn iban(value: &str) -> Option<CashAccount> {
    Some(CashAccount {
        identification: AccountIdentification::Iban(value.into()),
    })
}

fn with_creditor_iban(value: &str) -> Result<(), FieldErrors> {
    let mut d = pacs008();
    d.credit_transfer_transactions[0].creditor_account = iban(value);
    d.check_business_rules(&context())
}

#[test]
fn full_pacs008_with_its_header_passes() {
    let message = only_message(&envelope(&[(APP_HDR, FULL_PACS008)]));
    assert!(message.header.is_some());
    assert_eq!(message.validate(), Ok(()));
    assert_eq!(message.check_business_rules(&context()), Ok(()));
}

#[test]
fn business_date_must_be_a_real_day() {
    assert!(BusinessDate::parse("2024-02-29").is_some());
    assert_eq!(BusinessDate::parse("2023-02-29"), None);
    assert_eq!(BusinessDate::parse("01.05.2024"), None);
}

#[test]
fn currency_the_scheme_does_not_settle_fails_am03() {
    let mut d = pacs008();
    d.credit_transfer_transactions[0]
        .interbank_settlement_amount
        .currency = "CHF".into();
    // The total stays in EUR, so the transaction also leaves the message's currency.
    assert_eq!(
        errors(d.check_business_rules(&context())),
        [
            (format!("{TX}/IntrBkSttlmAmt/@Ccy"), ReasonCode::Am11),
            (format!("{TX}/IntrBkSttlmAmt/@Ccy"), ReasonCode::Am03),
        ]
    );
}

#[test]
fn more_decimals_than_the_currency_has_fails_ch20() {
    let mut d = pacs008();
    if let Some(total) = d.group_header.total_interbank_settlement_amount.as_mut() {
        total.amount = "125000.505".into();
    }
    d.credit_transfer_transactions[0]
        .interbank_settlement_amount
        .amount = "125000.505".into();
    assert_eq!(
        errors(d.check_business_rules(&context())),
        [
            (format!("{GRP_HDR}/TtlIntrBkSttlmAmt"), ReasonCode::Ch20),
            (format!("{TX}/IntrBkSttlmAmt"), ReasonCode::Ch20),
        ]
    );
}

#[test]
fn rials_with_a_fraction_fail_ch20_where_the_operator_set_no_decimals() {
    let mut d = pacs009_cover();
    let underlying = d.credit_transfer_transactions[0]
        .underlying_customer_credit_transfer
        .as_mut()
        .expect("the cover sample carries its customer transfer");
    underlying.instructed_amount = Some(ActiveCurrencyAndAmount {
        amount: "5750000000.00".into(),
        currency: "IRR".into(),
    });
    only_error(
        d.check_business_rules(&context()),
        &format!("{COVER_TX}/UndrlygCstmrCdtTrf/InstdAmt"),
        ReasonCode::Ch20,
    );
}

#[test]
fn zero_amount_fails_am01() {
    let mut d = pacs008();
    d.group_header.total_interbank_settlement_amount = None;
    d.credit_transfer_transactions[0]
        .interbank_settlement_amount
        .amount = "0.00".into();
    only_error(
        d.check_business_rules(&context()),
        &format!("{TX}/IntrBkSttlmAmt"),
        ReasonCode::Am01,
    );
}

#[test]
fn settlement_date_within_the_forward_window_passes() {
    let mut d = pacs008();
    d.credit_transfer_transactions[0].interbank_settlement_date = Some("2024-05-03".into());
    assert_eq!(d.check_business_rules(&context()), Ok(()));
}

#[test]
fn settlement_date_before_the_business_date_fails_dt01() {
    let mut d = pacs008();
    d.credit_transfer_transactions[0].interbank_settlement_date = Some("2024-04-30".into());
    only_error(
        d.check_business_rules(&context()),
        &format!("{TX}/IntrBkSttlmDt"),
        ReasonCode::Dt01,
    );
}

#[test]
fn settlement_date_beyond_the_forward_window_fails_dt01() {
    let mut d = pacs008();
    d.credit_transfer_transactions[0].interbank_settlement_date = Some("2024-05-04".into());
    only_error(
        d.check_business_rules(&context()),
        &format!("{TX}/IntrBkSttlmDt"),
        ReasonCode::Dt01,
    );
    let same_day_only = BusinessContext {
        max_forward_days: 0,
        ..context()
    };
    d.credit_transfer_transactions[0].interbank_settlement_date = Some("2024-05-02".into());
    only_error(
        d.check_business_rules(&same_day_only),
        &format!("{TX}/IntrBkSttlmDt"),
        ReasonCode::Dt01,
    );
}

#[test]
fn settlement_date_that_is_not_a_real_day_fails_dt01() {
    let mut d = pacs008();
    d.credit_transfer_transactions[0].interbank_settlement_date = Some("2024-04-31".into());
    only_error(
        d.check_business_rules(&context()),
        &format!("{TX}/IntrBkSttlmDt"),
        ReasonCode::Dt01,
    );
}

#[test]
fn missing_settlement_date_fails_ch21_under_cbpr() {
    let mut d = pacs008();
    d.credit_transfer_transactions[0].interbank_settlement_date = None;
    only_error(
        d.check_business_rules(&context()),
        &format!("{TX}/IntrBkSttlmDt"),
        ReasonCode::Ch21,
    );
}

#[test]
fn bic_of_no_country_fails_rc01() {
    let mut d = pacs008();
    d.credit_transfer_transactions[0].debtor_agent.bicfi = Some("SABRXXMM".into());
    only_error(
        d.check_business_rules(&context()),
        &format!("{TX}/DbtrAgt/FinInstnId/BICFI"),
        ReasonCode::Rc01,
    );
}

#[test]
fn party_any_bic_of_no_country_fails_rc01() {
    let mut d = pacs008();
    if let Some(organisation) = d.credit_transfer_transactions[0]
        .debtor
        .organisation_identification
        .as_mut()
    {
        organisation.any_bic = Some("ROMAUKMM".into());
    }
    only_error(
        d.check_business_rules(&context()),
        &format!("{TX}/Dbtr/Id/OrgId/AnyBIC"),
        ReasonCode::Rc01,
    );
}

#[test]
fn registry_example_ibans_pass() {
    for value in [
        "GB82WEST12345698765432",
        "DE89370400440532013000",
        "RU0204452560040702810412345678901",
    ] {
        assert_eq!(with_creditor_iban(value), Ok(()), "{value}");
    }
}

#[test]
fn iban_with_a_changed_digit_fails_ac01() {
    for value in ["GB82WEST12345698765433", "DE89370400440532013001"] {
        only_error(
            with_creditor_iban(value),
            &format!("{TX}/CdtrAcct/Id/IBAN"),
            ReasonCode::Ac01,
        );
    }
}

#[test]
fn iban_of_the_wrong_length_fails_ac01() {
    only_error(
        with_creditor_iban("DE8937040044053201300"),
        &format!("{TX}/CdtrAcct/Id/IBAN"),
        ReasonCode::Ac01,
    );
}

#[test]
fn iban_of_a_country_without_ibans_fails_ac01() {
    only_error(
        with_creditor_iban("US64SVBKUS6S3300958879"),
        &format!("{TX}/CdtrAcct/Id/IBAN"),
        ReasonCode::Ac01,
    );
}

#[test]
fn iban_of_the_underlying_customer_transfer_is_checked() {
    let mut d = pacs009_cover();
    if let Some(underlying) = d.credit_transfer_transactions[0]
        .underlying_customer_credit_transfer
        .as_mut()
    {
        underlying.creditor_account = iban("IR062960000000100324200002");
    }
    only_error(
        d.check_business_rules(&context()),
        &format!("{COVER_TX}/UndrlygCstmrCdtTrf/CdtrAcct/Id/IBAN"),
        ReasonCode::Ac01,
    );
}

#[test]
fn missing_uetr_fails_ch21_under_cbpr() {
    let mut d = pacs008();
    d.credit_transfer_transactions[0]
        .payment_identification
        .uetr = None;
    only_error(
        d.check_business_rules(&context()),
        &format!("{TX}/PmtId/UETR"),
        ReasonCode::Ch21,
    );
    let mut d = pacs009_cover();
    d.credit_transfer_transactions[0]
        .payment_identification
        .uetr = None;
    only_error(
        d.check_business_rules(&context()),
        &format!("{COVER_TX}/PmtId/UETR"),
        ReasonCode::Ch21,
    );
}

#[test]
fn uetr_that_is_not_version_4_fails_ch16() {
    for uetr in [
        "eb6305c9-1f7f-19de-aed0-16487c27b42d",
        "eb6305c9-1f7f-49de-7ed0-16487c27b42d",
        "EB6305C9-1F7F-49DE-AED0-16487C27B42D",
        "eb6305c91f7f49deaed016487c27b42d",
    ] {
        let mut d = pacs008();
        d.credit_transfer_transactions[0]
            .payment_identification
            .uetr = Some(uetr.into());
        only_error(
            d.check_business_rules(&context()),
            &format!("{TX}/PmtId/UETR"),
            ReasonCode::Ch16,
        );
    }
}

#[test]
fn slev_charge_bearer_fails_be19_under_cbpr() {
    let mut d = pacs008();
    for allowed in [
        ChargeBearer::BorneByDebtor,
        ChargeBearer::BorneByCreditor,
        ChargeBearer::Shared,
    ] {
        d.credit_transfer_transactions[0].charge_bearer = allowed;
        assert_eq!(d.check_business_rules(&context()), Ok(()), "{allowed:?}");
    }
    d.credit_transfer_transactions[0].charge_bearer = ChargeBearer::FollowingServiceLevel;
    only_error(
        d.check_business_rules(&context()),
        &format!("{TX}/ChrgBr"),
        ReasonCode::Be19,
    );
}

#[test]
fn nb_of_txs_that_miscounts_fails_am18() {
    let mut d = pacs008();
    d.group_header.number_of_transactions = "2".into();
    only_error(
        d.check_business_rules(&context()),
        &format!("{GRP_HDR}/NbOfTxs"),
        ReasonCode::Am18,
    );
    let mut d = pacs004();
    d.group_header.number_of_transactions = "3".into();
    only_error(
        d.check_business_rules(&context_on("2024-05-02")),
        "/Document/PmtRtr/GrpHdr/NbOfTxs",
        ReasonCode::Am18,
    );
}

#[test]
fn second_transaction_fails_am18_under_cbpr() {
    let mut d = pacs008();
    let transaction = d.credit_transfer_transactions[0].clone();
    d.credit_transfer_transactions.push(transaction);
    d.group_header.number_of_transactions = "2".into();
    d.group_header.total_interbank_settlement_amount = Some(ActiveCurrencyAndAmount {
        amount: "250001.00".into(),
        currency: "EUR".into(),
    });
    only_error(
        d.check_business_rules(&context()),
        &format!("{GRP_HDR}/NbOfTxs"),
        ReasonCode::Am18,
    );
}

#[test]
fn total_that_is_not_the_sum_fails_am10() {
    let mut d = pacs008();
    if let Some(total) = d.group_header.total_interbank_settlement_amount.as_mut() {
        total.amount = "125000.51".into();
    }
    only_error(
        d.check_business_rules(&context()),
        &format!("{GRP_HDR}/TtlIntrBkSttlmAmt"),
        ReasonCode::Am10,
    );
    // The same value written with another number of zeros is the same sum.
    if let Some(total) = d.group_header.total_interbank_settlement_amount.as_mut() {
        total.amount = "125000.5".into();
    }
    assert_eq!(d.check_business_rules(&context()), Ok(()));
}

#[test]
fn transaction_in_another_currency_than_the_total_fails_am11() {
    let mut d = pacs008();
    d.credit_transfer_transactions[0]
        .interbank_settlement_amount
        .currency = "USD".into();
    only_error(
        d.check_business_rules(&context()),
        &format!("{TX}/IntrBkSttlmAmt/@Ccy"),
        ReasonCode::Am11,
    );
}

#[test]
fn app_hdr_naming_another_message_type_fails_ff01() {
    let header = APP_HDR.replace("pacs.008.001.08", "pacs.009.001.08");
    let message = only_message(&envelope(&[(&header, FULL_PACS008)]));
    only_error(
        message.check_business_rules(&context()),
        "/AppHdr/MsgDefIdr",
        ReasonCode::Ff01,
    );
}

#[test]
fn app_hdr_biz_msg_idr_other_than_the_msg_id_fails_ch16() {
    let header = APP_HDR.replace("SABR-20240501-000017", "SABR-20240501-000018");
    let message = only_message(&envelope(&[(&header, FULL_PACS008)]));
    only_error(
        message.check_business_rules(&context()),
        "/AppHdr/BizMsgIdr",
        ReasonCode::Ch16,
    );
}

#[test]
fn app_hdr_bic_of_no_country_fails_rc01() {
    let header = APP_HDR.replace("BMJIIRTH", "BMJIQQTH");
    let message = only_message(&envelope(&[(&header, FULL_PACS008)]));
    only_error(
        message.check_business_rules(&context()),
        "/AppHdr/To/FIId/FinInstnId/BICFI",
        ReasonCode::Rc01,
    );
}

#[test]
fn header_and_document_errors_come_together() {
    let header = APP_HDR.replace("SABR-20240501-000017", "OTHER");
    let message = only_message(&envelope(&[(&header, FULL_PACS008)]));
    let late = BusinessContext {
        business_date: BusinessDate::parse("2024-05-02").expect("a date"),
        ..context()
    };
    assert_eq!(
        errors(message.check_business_rules(&late)),
        [
            ("/AppHdr/BizMsgIdr".to_owned(), ReasonCode::Ch16),
            (format!("{TX}/IntrBkSttlmDt"), ReasonCode::Dt01),
        ]
    );
}

#[test]
fn pacs009_cover_passes() {
    assert_eq!(pacs009_cover().check_business_rules(&context()), Ok(()));
}

#[test]
fn pacs009_sample_breaks_the_cbpr_and_total_rules() {
    let d = match only_message(PACS009).document {
        Document::Pacs009(document) => *document,
        other => panic!("expected pacs.009, got {other:?}"),
    };
    let second = "/Document/FICdtTrf/CdtTrfTxInf[2]";
    assert_eq!(
        errors(d.check_business_rules(&context())),
        [
            (
                "/Document/FICdtTrf/GrpHdr/NbOfTxs".to_owned(),
                ReasonCode::Am18
            ),
            (format!("{second}/IntrBkSttlmAmt/@Ccy"), ReasonCode::Am11),
            (format!("{second}/PmtId/UETR"), ReasonCode::Ch21),
            (format!("{second}/IntrBkSttlmDt"), ReasonCode::Ch21),
        ]
    );
}

#[test]
fn pacs002_passes_and_checks_its_agents() {
    let mut d = pacs002();
    assert_eq!(d.check_business_rules(), Ok(()));
    d.transactions[0].instructed_agent = d.transactions[0].instructing_agent.clone();
    if let Some(agent) = d.transactions[0].instructed_agent.as_mut() {
        agent.bicfi = Some("BMJIZZTH".into());
    }
    only_error(
        d.check_business_rules(),
        "/Document/FIToFIPmtStsRpt/TxInfAndSts[1]/InstdAgt/FinInstnId/BICFI",
        ReasonCode::Rc01,
    );
}

#[test]
fn pacs004_passes_and_refuses_a_zero_return() {
    let mut d = pacs004();
    let ctx = context_on("2024-05-02");
    assert_eq!(d.check_business_rules(&ctx), Ok(()));
    d.transactions[1]
        .returned_interbank_settlement_amount
        .amount = "0".into();
    only_error(
        d.check_business_rules(&ctx),
        "/Document/PmtRtr/TxInf[2]/RtrdIntrBkSttlmAmt",
        ReasonCode::Am01,
    );
}

#[test]
fn pacs004_settlement_date_outside_the_window_fails_dt01() {
    only_error(
        pacs004().check_business_rules(&context_on("2024-05-03")),
        "/Document/PmtRtr/TxInf[1]/IntrBkSttlmDt",
        ReasonCode::Dt01,
    );
}

#[test]
fn camt056_passes_and_checks_amounts_and_assignment() {
    let mut d = camt056();
    assert_eq!(d.check_business_rules(&context()), Ok(()));
    d.assignment.assignee.bicfi = Some("BMJIXQTH".into());
    if let Some(amount) = d.underlying[0].transactions[1]
        .original_interbank_settlement_amount
        .as_mut()
    {
        amount.currency = "JPY".into();
    }
    assert_eq!(
        errors(d.check_business_rules(&context())),
        [
            (
                "/Document/FIToFIPmtCxlReq/Assgnmt/Assgne/Agt/FinInstnId/BICFI".to_owned(),
                ReasonCode::Rc01
            ),
            (
                "/Document/FIToFIPmtCxlReq/Undrlyg[1]/TxInf[2]/OrgnlIntrBkSttlmAmt/@Ccy".to_owned(),
                ReasonCode::Am03
            ),
        ]
    );
}

#[test]
fn camt_reports_in_scheme_currencies_pass() {
    for xml in [CAMT054, CAMT053] {
        let message = only_message(xml);
        message
            .document
            .check_business_rules(&context())
            .expect("sound report");
    }
}

#[test]
fn camt054_entry_with_kopecks_beyond_two_decimals_fails_ch20() {
    let xml = CAMT054.replacen(
        "<Amt Ccy=\"RUB\">50000000.00</Amt>",
        "<Amt Ccy=\"RUB\">50000000.001</Amt>",
        1,
    );
    let message = only_message(&xml);
    only_error(
        message.document.check_business_rules(&context()),
        "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Amt",
        ReasonCode::Ch20,
    );
}

#[test]
fn camt053_balance_in_a_currency_outside_the_scheme_fails_am03() {
    let xml = CAMT053.replacen(
        "<Amt Ccy=\"RUB\">1000000.00</Amt>",
        "<Amt Ccy=\"GBP\">1000000.00</Amt>",
        1,
    );
    let message = only_message(&xml);
    only_error(
        message.document.check_business_rules(&context()),
        "/Document/BkToCstmrStmt/Stmt[1]/Bal[1]/Amt/@Ccy",
        ReasonCode::Am03,
    );
}

#[test]
fn camt029_answer_for_an_uppercase_uetr_fails_ch16() {
    let xml = CAMT029.replacen(
        "eb6305c9-1f7f-49de-aed0-16487c27b42d",
        "EB6305C9-1F7F-49DE-AED0-16487C27B42D",
        1,
    );
    let message = only_message(&xml);
    only_error(
        message.document.check_business_rules(&context()),
        "/Document/RsltnOfInvstgtn/CxlDtls[1]/TxInfAndSts[1]/OrgnlUETR",
        ReasonCode::Ch16,
    );
}

#[test]
fn camt050_liquidity_transfer_passes() {
    let message = only_message(CAMT050);
    message
        .document
        .check_business_rules(&context())
        .expect("sound transfer");
}

#[test]
fn camt050_settling_after_the_window_fails_dt01() {
    let xml = CAMT050.replacen(
        "<SttlmDt>2024-05-01</SttlmDt>",
        "<SttlmDt>2024-05-09</SttlmDt>",
        1,
    );
    let message = only_message(&xml);
    only_error(
        message.document.check_business_rules(&context()),
        "/Document/LqdtyCdtTrf/LqdtyCdtTrf/SttlmDt",
        ReasonCode::Dt01,
    );
}

#[test]
fn camt050_in_a_currency_outside_the_scheme_fails_am03() {
    let xml = CAMT050.replacen("<AmtWthCcy Ccy=\"RUB\">", "<AmtWthCcy Ccy=\"GBP\">", 1);
    let message = only_message(&xml);
    only_error(
        message.document.check_business_rules(&context()),
        "/Document/LqdtyCdtTrf/LqdtyCdtTrf/TrfdAmt/AmtWthCcy/@Ccy",
        ReasonCode::Am03,
    );
}
