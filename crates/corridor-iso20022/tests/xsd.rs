//! What the crate writes is valid against the official XSDs, checked with xmllint.

mod common;

use common::{
    APP_HDR, CAMT056, FULL_PACS008, MINIMAL_PACS008, PACS002, PACS004, PACS009,
    SETTLEMENT_TIME_REQUEST, after_settlement_date, assert_valid, envelope,
};
use corridor_iso20022::{
    AccountIdentification, ActiveCurrencyAndAmount, Agent, CashAccount, ChargeBearer,
    CreditTransferTransaction, Document, FIToFICstmrCdtTrf, GroupHeader, PartyIdentification,
    PaymentIdentification, PostalAddress, SettlementMethod, SettlementTimeRequest, parse,
};
/// Every document in `xml`, validated and written out.
fn written_documents(xml: &str) -> Vec<String> {
    parse(xml)
        .expect("sample parses")
        .into_iter()
        .map(|message| {
            message
                .document
                .validate()
                .expect("passes the first validation layer");
            message.document.to_xml()
        })
        .collect()
}

fn pacs008_documents(xml: &str) -> Vec<FIToFICstmrCdtTrf> {
    parse(xml)
        .expect("sample parses")
        .into_iter()
        .map(|message| match message.document {
            Document::Pacs008(document) => *document,
            other => panic!("expected pacs.008, got {other:?}"),
        })
        .collect()
}

/// Built in code rather than parsed: every optional part empty or absent.
fn built_in_code() -> FIToFICstmrCdtTrf {
    let agent = |bic: &str| Agent {
        bicfi: Some(bic.into()),
    };
    FIToFICstmrCdtTrf {
        group_header: GroupHeader::one_transaction(
            "BUILT-1".into(),
            "2024-12-31T23:59:59.999999Z".into(),
            SettlementMethod::CoverMethod,
        ),
        credit_transfer_transactions: vec![CreditTransferTransaction {
            payment_identification: PaymentIdentification {
                instruction_identification: None,
                end_to_end_identification: "NOTPROVIDED".into(),
                transaction_identification: None,
                uetr: Some("3a1c2e4f-5b6d-4e8f-9a0b-1c2d3e4f5a6b".into()),
            },
            instruction_priority: None,
            interbank_settlement_amount: ActiveCurrencyAndAmount {
                amount: "999999999999999.999".into(),
                currency: "RUB".into(),
            },
            interbank_settlement_date: None,
            settlement_time_request: None,
            instructed_amount: None,
            exchange_rate: None,
            charge_bearer: ChargeBearer::BorneByCreditor,
            instructing_agent: None,
            instructed_agent: None,
            ultimate_debtor: None,
            debtor: PartyIdentification {
                name: Some("Сергей 'Серж' Иванов & сыновья".into()),
                postal_address: Some(PostalAddress::default()),
                organisation_identification: Some(Default::default()),
                country_of_residence: None,
            },
            debtor_account: Some(CashAccount {
                identification: AccountIdentification::Iban("DE89370400440532013000".into()),
            }),
            debtor_agent: agent("DEUTDEFF500"),
            creditor_agent: agent("BMJIIRTH"),
            creditor: PartyIdentification::default(),
            creditor_account: None,
            ultimate_creditor: None,
            instructions_for_next_agent: Vec::new(),
            purpose_code: None,
            remittance_information_unstructured: Vec::new(),
        }],
    }
}

#[test]
fn serialized_pacs008_is_valid_against_the_xsd() {
    let mut documents = pacs008_documents(FULL_PACS008);
    documents.extend(pacs008_documents(MINIMAL_PACS008));
    documents.push(built_in_code());
    for document in &documents {
        document
            .validate()
            .expect("passes the first validation layer");
        assert_valid(&document.to_xml(), "pacs.008.001.08.xsd");
    }
}

#[test]
fn serialized_settlement_time_request_is_valid_against_the_xsd() {
    let requests = [
        SETTLEMENT_TIME_REQUEST,
        "<SttlmTmReq><FrTm>09:00:00Z</FrTm><RjctTm>23:59:59.999999-14:00</RjctTm></SttlmTmReq>",
        "<SttlmTmReq/>",
    ];
    for request in requests {
        for (sample, schema) in [
            (FULL_PACS008, "pacs.008.001.08.xsd"),
            (PACS009, "pacs.009.001.08.xsd"),
        ] {
            let xml = after_settlement_date(sample, request);
            assert_valid(&xml, schema);
            for written in written_documents(&xml) {
                assert!(written.contains("<SttlmTmReq>"), "{written}");
                assert_valid(&written, schema);
            }
        }
    }

    // Built in code, without a settlement date: the request follows IntrBkSttlmAmt.
    let mut document = built_in_code();
    document.credit_transfer_transactions[0].settlement_time_request =
        Some(SettlementTimeRequest {
            from_time: Some("00:00:00".into()),
            till_time: Some("12:30:00.5+05:45".into()),
            reject_time: Some("13:00:00-03:00".into()),
            cls_time: Some("06:00:00+01:00".into()),
        });
    document
        .validate()
        .expect("passes the first validation layer");
    assert_valid(&document.to_xml(), "pacs.008.001.08.xsd");
}

#[test]
fn serialized_app_hdr_is_valid_against_the_xsd() {
    let messages = parse(&envelope(&[(APP_HDR, MINIMAL_PACS008)])).expect("envelope parses");
    let header = messages[0].header.as_ref().expect("header");
    header
        .validate()
        .expect("passes the first validation layer");
    assert_valid(&header.to_xml(), "head.001.001.02.xsd");

    let mut bare = header.clone();
    bare.business_service = None;
    bare.to = Agent { bicfi: None };
    bare.validate().expect("passes the first validation layer");
    assert_valid(&bare.to_xml(), "head.001.001.02.xsd");
}

#[test]
fn serialized_pacs002_is_valid_against_the_xsd() {
    for xml in written_documents(PACS002) {
        assert_valid(&xml, "pacs.002.001.10.xsd");
    }
    let bare = format!(
        "<Document xmlns=\"{}\"><FIToFIPmtStsRpt><GrpHdr><MsgId>S</MsgId><CreDtTm>2024-05-01T00:00:00Z</CreDtTm></GrpHdr><TxInfAndSts/></FIToFIPmtStsRpt></Document>",
        corridor_iso20022::MessageType::Pacs002V10.namespace()
    );
    for xml in written_documents(&bare) {
        assert_valid(&xml, "pacs.002.001.10.xsd");
    }
}

#[test]
fn serialized_pacs009_is_valid_against_the_xsd() {
    for xml in written_documents(PACS009) {
        assert_valid(&xml, "pacs.009.001.08.xsd");
    }
}

#[test]
fn serialized_pacs004_is_valid_against_the_xsd() {
    for xml in written_documents(PACS004) {
        assert_valid(&xml, "pacs.004.001.09.xsd");
    }
}

#[test]
fn serialized_camt056_is_valid_against_the_xsd() {
    for xml in written_documents(CAMT056) {
        assert_valid(&xml, "camt.056.001.08.xsd");
    }
}

#[test]
fn the_samples_themselves_are_valid() {
    assert_valid(CAMT056, "camt.056.001.08.xsd");
    assert_valid(PACS004, "pacs.004.001.09.xsd");
    assert_valid(PACS002, "pacs.002.001.10.xsd");
    assert_valid(PACS009, "pacs.009.001.08.xsd");
    assert_valid(FULL_PACS008, "pacs.008.001.08.xsd");
    assert_valid(MINIMAL_PACS008, "pacs.008.001.08.xsd");
    assert_valid(APP_HDR, "head.001.001.02.xsd");
}
