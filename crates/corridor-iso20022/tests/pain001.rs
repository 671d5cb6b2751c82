//! pain.001.001.09 (customer credit transfer initiation): read, written back unchanged,
//! valid against the official XSD, and refused field by field with a path and a reason
//! code, by the first layer and by the business rules.

mod common;

use common::{PAIN001, PAIN001_APP_HDR, assert_valid, envelope};
use corridor_iso20022::{
    AccountIdentification, ActiveCurrencyAndAmount, BusinessContext, BusinessDate, ChargeBearer,
    CstmrCdtTrfInitn, DateOrDateTime, Document, FieldErrors, MessageType, PaymentMethod, Priority,
    ReasonCode, parse,
};

const MESSAGE: &str = "/Document/CstmrCdtTrfInitn";
const FIRST: &str = "/Document/CstmrCdtTrfInitn/PmtInf[1]";

/// The scheme of the business rules tests: rials in whole units.
const CURRENCIES: &[(&str, u32)] = &[("EUR", 2), ("RUB", 2), ("IRR", 0), ("USD", 2)];

fn context() -> BusinessContext<'static> {
    BusinessContext {
        business_date: BusinessDate::parse("2024-05-01").expect("a business date"),
        max_forward_days: 2,
        currencies: CURRENCIES,
    }
}

fn pain001(xml: &str) -> CstmrCdtTrfInitn {
    let mut messages = parse(xml).expect("parse");
    match messages.remove(0).document {
        Document::Pain001(initiation) => *initiation,
        other => panic!("not a pain.001: {other:?}"),
    }
}

/// The (path, reason) of each error.
fn errors(result: Result<(), FieldErrors>) -> Vec<(String, ReasonCode)> {
    result
        .expect_err("a broken rule")
        .0
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect()
}

/// The (path, reason) of each error `parse` reports for `xml`.
fn parse_errors(xml: &str) -> Vec<(String, ReasonCode)> {
    match parse(xml) {
        Err(corridor_iso20022::ParseError::Invalid { errors, .. }) => {
            errors.0.into_iter().map(|e| (e.path, e.code)).collect()
        }
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[test]
fn pain001_is_read_with_every_field_it_keeps() {
    let messages = parse(PAIN001).unwrap();
    assert_eq!(messages[0].message_type, MessageType::Pain001V09);
    let initiation = pain001(PAIN001);
    initiation.validate().unwrap();
    let header = &initiation.group_header;
    assert_eq!(header.message_identification, "ВОСТОК-2024-05-01-0042");
    assert_eq!(header.creation_date_time, "2024-05-01T09:05:00+03:00");
    assert_eq!(header.number_of_transactions, "3");
    assert_eq!(header.control_sum.as_deref(), Some("4325980.75"));
    assert_eq!(
        header.initiating_party.name.as_deref(),
        Some("ООО «Восток Импорт»")
    );
    assert_eq!(
        header
            .initiating_party
            .organisation_identification
            .as_ref()
            .and_then(|o| o.lei.as_deref()),
        Some("253400ABCDEFGHIJ1234")
    );

    assert_eq!(initiation.payment_instructions.len(), 2);
    let first = &initiation.payment_instructions[0];
    assert_eq!(first.payment_information_identification, "ПЛТ-2024-05-01/1");
    assert_eq!(first.payment_method, PaymentMethod::CreditTransfer);
    assert_eq!(first.batch_booking, Some(false));
    assert_eq!(first.number_of_transactions.as_deref(), Some("2"));
    assert_eq!(first.control_sum.as_deref(), Some("4325000.50"));
    assert_eq!(first.instruction_priority, Some(Priority::Normal));
    assert_eq!(
        first.requested_execution_date,
        DateOrDateTime::Date("2024-05-02".into())
    );
    let address = first.debtor.postal_address.as_ref().unwrap();
    assert_eq!(address.town_name.as_deref(), Some("Москва"));
    assert_eq!(
        first.debtor_account.identification,
        AccountIdentification::Other("40702810900000012345".into())
    );
    assert_eq!(first.debtor_agent.bicfi.as_deref(), Some("SABRRUMM"));
    assert_eq!(
        first
            .ultimate_debtor
            .as_ref()
            .and_then(|p| p.name.as_deref()),
        Some("АО «Восток Холдинг»")
    );
    assert_eq!(first.charge_bearer, Some(ChargeBearer::Shared));

    let transfer = &first.credit_transfer_transactions[0];
    let id = &transfer.payment_identification;
    assert_eq!(id.instruction_identification.as_deref(), Some("ВИ-1"));
    assert_eq!(id.end_to_end_identification, "СЧЕТ-2024/117");
    assert_eq!(
        id.uetr.as_deref(),
        Some("3f2a9c1e-8b7d-4c6e-a5f4-0e1d2c3b4a59")
    );
    assert_eq!(transfer.instruction_priority, Some(Priority::High));
    assert_eq!(
        transfer.instructed_amount,
        ActiveCurrencyAndAmount {
            amount: "125000.50".into(),
            currency: "RUB".into()
        }
    );
    assert_eq!(transfer.charge_bearer, Some(ChargeBearer::BorneByDebtor));
    assert_eq!(
        transfer
            .ultimate_debtor
            .as_ref()
            .and_then(|p| p.name.as_deref()),
        Some("Филиал «Восток-Юг»")
    );
    assert_eq!(
        transfer
            .creditor_agent
            .as_ref()
            .and_then(|a| a.bicfi.as_deref()),
        Some("BMJIIRTH")
    );
    assert_eq!(
        transfer.creditor.name.as_deref(),
        Some("شرکت بازرگانی پارس")
    );
    assert_eq!(
        transfer
            .creditor
            .postal_address
            .as_ref()
            .unwrap()
            .address_lines,
        ["پلاک ۱۲، طبقه ۳"]
    );
    assert_eq!(
        transfer
            .creditor_account
            .as_ref()
            .map(|a| &a.identification),
        Some(&AccountIdentification::Iban(
            "IR062960000000100324200001".into()
        ))
    );
    assert_eq!(
        transfer
            .ultimate_creditor
            .as_ref()
            .and_then(|p| p.name.as_deref()),
        Some("مهدی رضایی")
    );
    assert_eq!(transfer.purpose_code.as_deref(), Some("SUPP"));
    assert_eq!(
        transfer.remittance_information_unstructured,
        ["پرداخت فاکتور ۱۱۷ & حمل", "Счёт №117 <оборудование>"]
    );

    let second = &initiation.payment_instructions[1];
    assert_eq!(second.payment_method, PaymentMethod::TransferAdvice);
    assert_eq!(second.batch_booking, Some(true));
    assert_eq!(second.number_of_transactions, None);
    assert_eq!(second.charge_bearer, None);
    assert_eq!(
        second.requested_execution_date,
        DateOrDateTime::DateTime("2024-05-01T14:00:00+03:00".into())
    );
    let bare = &second.credit_transfer_transactions[0];
    assert_eq!(bare.payment_identification.instruction_identification, None);
    assert_eq!(bare.payment_identification.uetr, None);
    assert_eq!(
        bare.creditor.name.as_deref(),
        Some("Müller Maschinenbau GmbH")
    );
}

#[test]
fn pain001_round_trips_and_is_schema_valid() {
    let initiation = pain001(PAIN001);
    let xml = initiation.to_xml();
    assert_valid(&xml, "pain.001.001.09.xsd");
    let again = pain001(&xml);
    assert_eq!(again, initiation);
    assert_eq!(again.to_xml(), xml);
}

#[test]
fn a_batch_booking_of_1_is_kept_as_true_and_written_so() {
    let xml = PAIN001.replace("<BtchBookg>true</BtchBookg>", "<BtchBookg>1</BtchBookg>");
    let initiation = pain001(&xml);
    assert_eq!(initiation.payment_instructions[1].batch_booking, Some(true));
    assert_eq!(initiation, pain001(PAIN001));
}

#[test]
fn pain001_in_an_envelope_with_its_app_hdr() {
    let xml = envelope(&[(PAIN001_APP_HDR, PAIN001)]);
    let messages = parse(&xml).expect("parse");
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message.message_type, MessageType::Pain001V09);
    let header = message.header.as_ref().expect("an AppHdr");
    assert_eq!(header.business_message_identifier, "ВОСТОК-2024-05-01-0042");
    message.validate().unwrap();
    message.check_business_rules(&context()).unwrap();
    assert_eq!(
        message.document,
        Document::Pain001(Box::new(pain001(PAIN001)))
    );

    let header_xml = header.to_xml();
    assert_valid(&header_xml, "head.001.001.02.xsd");
    let document_xml = message.document.to_xml();
    let again = parse(&format!("<Message>{header_xml}{document_xml}</Message>")).unwrap();
    assert_eq!(again.as_slice(), std::slice::from_ref(message));

    let wrong_id = xml.replace(
        "<BizMsgIdr>ВОСТОК-2024-05-01-0042</BizMsgIdr>",
        "<BizMsgIdr>OTHER</BizMsgIdr>",
    );
    let message = parse(&wrong_id).unwrap().remove(0);
    assert_eq!(
        errors(message.check_business_rules(&context())),
        [("/AppHdr/BizMsgIdr".to_owned(), ReasonCode::Ch16)]
    );
}

#[test]
fn an_unknown_payment_method_is_refused_by_path() {
    let xml = PAIN001.replace("<PmtMtd>TRF</PmtMtd>", "<PmtMtd>SWIFT</PmtMtd>");
    assert_eq!(
        parse_errors(&xml),
        [(format!("{FIRST}/PmtMtd"), ReasonCode::Ff01)]
    );
}

#[test]
fn a_transfer_without_its_creditor_is_refused_by_path() {
    let xml = PAIN001.replace("<Cdtr><Nm>زهرا احمدی</Nm></Cdtr>", "");
    assert_eq!(
        parse_errors(&xml),
        [(format!("{FIRST}/CdtTrfTxInf[2]/Cdtr"), ReasonCode::Ch21)]
    );
}

#[test]
fn an_equivalent_amount_is_read_kept_and_written_back_as_given() {
    let xml = PAIN001.replace(
        r#"<Amt><InstdAmt Ccy="IRR">4200000</InstdAmt></Amt>"#,
        r#"<Amt><EqvtAmt><Amt Ccy="IRR">4200000</Amt><CcyOfTrf>RUB</CcyOfTrf></EqvtAmt></Amt>"#,
    );
    let document = pain001(&xml);
    let transfer = &document.payment_instructions[0].credit_transfer_transactions[1];
    assert_eq!(
        (
            transfer.instructed_amount.currency.as_str(),
            transfer.instructed_amount.amount.as_str(),
            transfer.currency_of_transfer.as_deref()
        ),
        ("IRR", "4200000", Some("RUB"))
    );
    document.validate().expect("valid");
    document
        .check_business_rules(&context())
        .expect("RUB and IRR are settled here");
    let written = document.to_xml();
    assert!(
        written.contains("<CcyOfTrf>RUB</CcyOfTrf>") && !written.contains("InstdAmt Ccy=\"IRR\""),
        "{written}"
    );
    assert_valid(&written, "pain.001.001.09.xsd");
    assert_eq!(pain001(&written), document, "written back as given");

    let bad = pain001(&xml.replace("<CcyOfTrf>RUB</CcyOfTrf>", "<CcyOfTrf>rub</CcyOfTrf>"));
    assert!(
        errors(bad.validate())
            .iter()
            .any(|(path, _)| path == &format!("{FIRST}/CdtTrfTxInf[2]/Amt/EqvtAmt/CcyOfTrf")),
    );
    let foreign = pain001(&xml.replace("<CcyOfTrf>RUB</CcyOfTrf>", "<CcyOfTrf>JPY</CcyOfTrf>"));
    assert_eq!(
        errors(foreign.check_business_rules(&context())),
        [(
            format!("{FIRST}/CdtTrfTxInf[2]/Amt/EqvtAmt/CcyOfTrf"),
            ReasonCode::Am03
        )]
    );
}

#[test]
fn missing_or_unkept_elements_are_refused_by_path() {
    let neither = PAIN001.replace(
        r#"<Amt><InstdAmt Ccy="IRR">4200000</InstdAmt></Amt>"#,
        "<Amt></Amt>",
    );
    let no_date = PAIN001.replace("<ReqdExctnDt><Dt>2024-05-02</Dt></ReqdExctnDt>", "");
    let no_account = PAIN001.replace(
        "<DbtrAcct><Id><Othr><Id>40702810900000012345</Id></Othr></Id></DbtrAcct>",
        "",
    );
    let no_transfers = format!(
        "{}</PmtInf>{}",
        &PAIN001[..PAIN001.find("<CdtTrfTxInf>").unwrap()],
        &PAIN001[PAIN001
            .find("<PmtInf>\n      <PmtInfId>ПЛТ-2024-05-01/2")
            .unwrap()..]
    );
    let bad_batch = PAIN001.replace("<BtchBookg>false</BtchBookg>", "<BtchBookg>no</BtchBookg>");
    let both_dates = PAIN001.replace(
        "<Dt>2024-05-02</Dt>",
        "<Dt>2024-05-02</Dt><DtTm>2024-05-02T10:00:00Z</DtTm>",
    );
    for (xml, path, code) in [
        (
            neither,
            format!("{FIRST}/CdtTrfTxInf[2]/Amt/InstdAmt"),
            ReasonCode::Ch21,
        ),
        (no_date, format!("{FIRST}/ReqdExctnDt"), ReasonCode::Ch21),
        (no_account, format!("{FIRST}/DbtrAcct"), ReasonCode::Ch21),
        (
            no_transfers,
            format!("{FIRST}/CdtTrfTxInf"),
            ReasonCode::Ch21,
        ),
        (bad_batch, format!("{FIRST}/BtchBookg"), ReasonCode::Ff01),
        (
            both_dates,
            format!("{FIRST}/ReqdExctnDt/DtTm"),
            ReasonCode::Ch17,
        ),
    ] {
        assert_eq!(parse_errors(&xml), [(path.clone(), code)], "{path}");
    }
}

#[test]
fn validation_names_each_broken_field() {
    let mut initiation = pain001(PAIN001);
    initiation.group_header.number_of_transactions = "three".into();
    initiation.group_header.control_sum = Some("-4325980.75".into());
    let first = &mut initiation.payment_instructions[0];
    first.requested_execution_date = DateOrDateTime::Date("2024-02-30".into());
    first.debtor_agent.bicfi = Some("SABR".into());
    let transfer = &mut first.credit_transfer_transactions[0];
    transfer.instructed_amount.amount = "125000,50".into();
    transfer.payment_identification.uetr = Some("3F2A9C1E".into());
    transfer.creditor.name = Some("ش".repeat(141));
    let second = &mut initiation.payment_instructions[1];
    second.credit_transfer_transactions[0]
        .instructed_amount
        .currency = "eur".into();
    assert_eq!(
        errors(initiation.validate()),
        [
            (format!("{MESSAGE}/GrpHdr/NbOfTxs"), ReasonCode::Ff01),
            (format!("{MESSAGE}/GrpHdr/CtrlSum"), ReasonCode::Am12),
            (format!("{FIRST}/ReqdExctnDt/Dt"), ReasonCode::Dt01),
            (
                format!("{FIRST}/DbtrAgt/FinInstnId/BICFI"),
                ReasonCode::Rc01
            ),
            (
                format!("{FIRST}/CdtTrfTxInf[1]/PmtId/UETR"),
                ReasonCode::Ff01
            ),
            (
                format!("{FIRST}/CdtTrfTxInf[1]/Amt/InstdAmt"),
                ReasonCode::Am12
            ),
            (format!("{FIRST}/CdtTrfTxInf[1]/Cdtr/Nm"), ReasonCode::Ff01),
            (
                format!("{MESSAGE}/PmtInf[2]/CdtTrfTxInf[1]/Amt/InstdAmt/@Ccy"),
                ReasonCode::Am03
            ),
        ]
    );
}

#[test]
fn the_sample_keeps_every_business_rule() {
    pain001(PAIN001).check_business_rules(&context()).unwrap();
}

#[test]
fn counts_that_do_not_count_are_am18() {
    let mut initiation = pain001(PAIN001);
    initiation.group_header.number_of_transactions = "2".into();
    initiation.payment_instructions[0].number_of_transactions = Some("1".into());
    assert_eq!(
        errors(initiation.check_business_rules(&context())),
        [
            (format!("{MESSAGE}/GrpHdr/NbOfTxs"), ReasonCode::Am18),
            (format!("{FIRST}/NbOfTxs"), ReasonCode::Am18),
        ]
    );
}

#[test]
fn control_sums_that_do_not_add_up_are_am10() {
    let mut initiation = pain001(PAIN001);
    // One hundred-thousandth off: the sum is exact, not a float's.
    initiation.group_header.control_sum = Some("4325980.75001".into());
    initiation.payment_instructions[0].control_sum = Some("4325000.5".into());
    initiation.payment_instructions[1].control_sum = Some("980.24".into());
    assert_eq!(
        errors(initiation.check_business_rules(&context())),
        [
            (format!("{MESSAGE}/GrpHdr/CtrlSum"), ReasonCode::Am10),
            (format!("{MESSAGE}/PmtInf[2]/CtrlSum"), ReasonCode::Am10),
        ]
    );
}

#[test]
fn amounts_dates_and_identifiers_break_their_rules_by_path() {
    let mut initiation = pain001(PAIN001);
    initiation.group_header.control_sum = None;
    let first = &mut initiation.payment_instructions[0];
    first.control_sum = None;
    first.requested_execution_date = DateOrDateTime::Date("2024-05-04".into());
    first.debtor_agent.bicfi = Some("SABRXXMM".into());
    let transfers = &mut first.credit_transfer_transactions;
    transfers[0].payment_identification.uetr = Some("3f2a9c1e-8b7d-3c6e-a5f4-0e1d2c3b4a59".into());
    transfers[0].creditor_account = Some(corridor_iso20022::CashAccount {
        identification: AccountIdentification::Iban("IR072960000000100324200001".into()),
    });
    transfers[1].instructed_amount.amount = "4200000.5".into();
    let second = &mut initiation.payment_instructions[1];
    second.requested_execution_date = DateOrDateTime::DateTime("2024-04-30T23:00:00Z".into());
    second.credit_transfer_transactions[0].instructed_amount = ActiveCurrencyAndAmount {
        amount: "0".into(),
        currency: "CHF".into(),
    };
    let tx = |n| format!("{FIRST}/CdtTrfTxInf[{n}]");
    let second_tx = format!("{MESSAGE}/PmtInf[2]/CdtTrfTxInf[1]");
    assert_eq!(
        errors(initiation.check_business_rules(&context())),
        [
            (format!("{FIRST}/ReqdExctnDt/Dt"), ReasonCode::Dt01),
            (
                format!("{FIRST}/DbtrAgt/FinInstnId/BICFI"),
                ReasonCode::Rc01
            ),
            (format!("{}/PmtId/UETR", tx(1)), ReasonCode::Ch16),
            (format!("{}/CdtrAcct/Id/IBAN", tx(1)), ReasonCode::Ac01),
            (format!("{}/Amt/InstdAmt", tx(2)), ReasonCode::Ch20),
            (
                format!("{MESSAGE}/PmtInf[2]/ReqdExctnDt/DtTm"),
                ReasonCode::Dt01
            ),
            (format!("{second_tx}/Amt/InstdAmt/@Ccy"), ReasonCode::Am03),
            (format!("{second_tx}/Amt/InstdAmt"), ReasonCode::Am01),
        ]
    );
}
