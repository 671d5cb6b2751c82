//! camt.050.001.05 (liquidity credit transfer): read, written back unchanged, valid against
//! the official XSD, and refused field by field with a path and a reason code.

mod common;

use common::{CAMT050, assert_valid};
use corridor_iso20022::{
    AccountIdentification, ActiveCurrencyAndAmount, Document, LqdtyCdtTrf, MessageType, ReasonCode,
    TransferredAmount, parse,
};

fn camt050(xml: &str) -> LqdtyCdtTrf {
    let mut messages = parse(xml).expect("parse");
    match messages.remove(0).document {
        Document::Camt050(transfer) => *transfer,
        other => panic!("not a camt.050: {other:?}"),
    }
}

/// The (path, reason) of each error of `validate`.
fn errors(transfer: &LqdtyCdtTrf) -> Vec<(String, ReasonCode)> {
    let errors = transfer.validate().expect_err("invalid");
    errors.0.iter().map(|e| (e.path.clone(), e.code)).collect()
}

const TRANSFER: &str = "/Document/LqdtyCdtTrf/LqdtyCdtTrf";

#[test]
fn camt050_is_read_with_every_field_it_keeps() {
    let messages = parse(CAMT050).unwrap();
    assert_eq!(messages[0].message_type, MessageType::Camt050V05);
    let transfer = camt050(CAMT050);
    transfer.validate().unwrap();
    assert_eq!(
        transfer.message_header.message_identification,
        "SABR-LQT-20240501-0001"
    );
    assert_eq!(
        transfer.message_header.creation_date_time.as_deref(),
        Some("2024-05-01T08:00:00+03:00")
    );
    let lqt = &transfer.liquidity_credit_transfer;
    let ids = lqt.liquidity_transfer_identification.as_ref().unwrap();
    assert_eq!(ids.end_to_end_identification, "ЛИКВ-2024/05-01");
    assert_eq!(
        ids.uetr.as_deref(),
        Some("7c1b2e4f-5b6d-4e8f-9a0b-1c2d3e4f5a6b")
    );
    assert_eq!(
        lqt.transferred_amount,
        TransferredAmount::WithCurrency(ActiveCurrencyAndAmount {
            amount: "50000000.00".into(),
            currency: "RUB".into()
        })
    );
    assert_eq!(
        lqt.creditor.as_ref().and_then(|a| a.bicfi.as_deref()),
        Some("BMJIIRTH")
    );
    assert_eq!(
        lqt.debtor_account.as_ref().map(|a| &a.identification),
        Some(&AccountIdentification::Other("30111810100000000017".into()))
    );
    assert_eq!(lqt.settlement_date.as_deref(), Some("2024-05-01"));
}

#[test]
fn camt050_round_trips_and_is_schema_valid() {
    let transfer = camt050(CAMT050);
    let xml = transfer.to_xml();
    assert_valid(&xml, "camt.050.001.05.xsd");
    assert_eq!(camt050(&xml), transfer);
}

#[test]
fn a_minimal_camt050_with_an_implied_currency_is_schema_valid() {
    let xml = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.050.001.05"><LqdtyCdtTrf>
<MsgHdr><MsgId>M1</MsgId></MsgHdr><LqdtyCdtTrf><TrfdAmt><AmtWthtCcy>1000.5</AmtWthtCcy></TrfdAmt></LqdtyCdtTrf>
</LqdtyCdtTrf></Document>"#;
    let transfer = camt050(xml);
    transfer.validate().unwrap();
    assert_eq!(
        transfer.liquidity_credit_transfer.transferred_amount,
        TransferredAmount::WithoutCurrency("1000.5".into())
    );
    assert_valid(&transfer.to_xml(), "camt.050.001.05.xsd");
    assert_eq!(camt050(&transfer.to_xml()), transfer);
}

#[test]
fn camt050_without_its_amount_or_header_is_refused_by_path() {
    for (cut, path) in [
        (
            r#"<TrfdAmt>
        <AmtWthCcy Ccy="RUB">50000000.00</AmtWthCcy>
      </TrfdAmt>"#,
            format!("{TRANSFER}/TrfdAmt"),
        ),
        (
            r#"<AmtWthCcy Ccy="RUB">50000000.00</AmtWthCcy>"#,
            format!("{TRANSFER}/TrfdAmt/AmtWthCcy"),
        ),
        (
            "<MsgId>SABR-LQT-20240501-0001</MsgId>",
            "/Document/LqdtyCdtTrf/MsgHdr/MsgId".to_string(),
        ),
    ] {
        let error = parse(&CAMT050.replace(cut, "")).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains(&path) && text.contains("CH21"),
            "{path}: {text}"
        );
    }
    let both = CAMT050.replace("</AmtWthCcy>", "</AmtWthCcy><AmtWthtCcy>1</AmtWthtCcy>");
    let text = parse(&both).unwrap_err().to_string();
    assert!(text.contains("CH17"), "{text}");
}

#[test]
fn camt050_validation_names_each_broken_field() {
    let mut transfer = camt050(CAMT050);
    transfer.message_header.creation_date_time = Some("2024-05-01 08:00".into());
    let lqt = &mut transfer.liquidity_credit_transfer;
    lqt.transferred_amount = TransferredAmount::WithoutCurrency("1.1234567".into());
    lqt.settlement_date = Some("2024-02-30".into());
    lqt.debtor.as_mut().unwrap().bicfi = Some("SABR".into());
    lqt.liquidity_transfer_identification.as_mut().unwrap().uetr = Some("not-a-uetr".into());
    lqt.creditor_account = Some(corridor_iso20022::CashAccount {
        identification: AccountIdentification::Iban("IR00".into()),
    });
    let found = errors(&transfer);
    for expected in [
        (
            "/Document/LqdtyCdtTrf/MsgHdr/CreDtTm".to_string(),
            ReasonCode::Dt01,
        ),
        (format!("{TRANSFER}/TrfdAmt/AmtWthtCcy"), ReasonCode::Am12),
        (format!("{TRANSFER}/SttlmDt"), ReasonCode::Dt01),
        (
            format!("{TRANSFER}/Dbtr/FinInstnId/BICFI"),
            ReasonCode::Rc01,
        ),
        (format!("{TRANSFER}/LqdtyTrfId/UETR"), ReasonCode::Ff01),
    ] {
        assert!(
            found.contains(&expected),
            "{expected:?} missing from {found:?}"
        );
    }
    assert!(
        found
            .iter()
            .any(|(path, _)| path == &format!("{TRANSFER}/CdtrAcct/Id/IBAN")),
        "{found:?}"
    );
}
