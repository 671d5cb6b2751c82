//! Validation errors name the element's path and an ISO 20022 reason code.

mod common;

use common::{
    APP_HDR, CAMT056, FULL_PACS008, MINIMAL_PACS008, PACS002, PACS004, PACS009,
    SETTLEMENT_TIME_REQUEST, after_settlement_date, envelope,
};
use corridor_iso20022::{
    AccountIdentification, CashAccount, Document, FIToFICstmrCdtTrf, FieldError, ParseError,
    ReasonCode, SettlementTimeRequest, parse,
};

const TX: &str = "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]";

fn full() -> FIToFICstmrCdtTrf {
    match parse(FULL_PACS008)
        .expect("sample parses")
        .remove(0)
        .document
    {
        Document::Pacs008(document) => *document,
        other => panic!("expected pacs.008, got {other:?}"),
    }
}

fn errors_of(document: &FIToFICstmrCdtTrf) -> Vec<(String, ReasonCode)> {
    document
        .validate()
        .expect_err("invalid")
        .0
        .into_iter()
        .map(|FieldError { path, code, .. }| (path, code))
        .collect()
}

fn assert_only_error(document: &FIToFICstmrCdtTrf, path: &str, code: ReasonCode) {
    assert_eq!(errors_of(document), [(path.to_owned(), code)]);
}

#[test]
fn identifier_patterns() {
    let mut d = full();
    d.credit_transfer_transactions[0]
        .payment_identification
        .uetr = Some("EB6305C9-1F7F-49DE-AED0-16487C27B42D".into());
    assert_only_error(&d, &format!("{TX}/PmtId/UETR"), ReasonCode::Ff01);

    let mut d = full();
    d.credit_transfer_transactions[0].debtor_agent.bicfi = Some("SABR RUMM".into());
    assert_only_error(
        &d,
        &format!("{TX}/DbtrAgt/FinInstnId/BICFI"),
        ReasonCode::Rc01,
    );

    let mut d = full();
    d.credit_transfer_transactions[0].creditor_account = Some(CashAccount {
        identification: AccountIdentification::Iban("ir06 2960".into()),
    });
    assert_only_error(&d, &format!("{TX}/CdtrAcct/Id/IBAN"), ReasonCode::Ac01);

    let mut d = full();
    if let Some(organisation) = d.credit_transfer_transactions[0]
        .debtor
        .organisation_identification
        .as_mut()
    {
        organisation.lei = Some("2534001EXAMPLE0000AB".into());
    }
    assert_only_error(&d, &format!("{TX}/Dbtr/Id/OrgId/LEI"), ReasonCode::Ff01);
}

#[test]
fn amounts_and_currencies() {
    for (amount, valid) in [
        ("0", true),
        ("1.12345", true),
        ("123456789012.12345", true),
        ("1.123456", false),
        ("1234567890123456.789", false),
        ("-5", false),
        ("1e6", false),
        ("12,50", false),
        ("", false),
    ] {
        let mut d = full();
        d.credit_transfer_transactions[0]
            .interbank_settlement_amount
            .amount = amount.into();
        match valid {
            true => assert_eq!(d.validate(), Ok(()), "{amount:?}"),
            false => assert_only_error(&d, &format!("{TX}/IntrBkSttlmAmt"), ReasonCode::Am12),
        }
    }
    let mut d = full();
    d.credit_transfer_transactions[0]
        .interbank_settlement_amount
        .currency = "eur".into();
    assert_only_error(&d, &format!("{TX}/IntrBkSttlmAmt/@Ccy"), ReasonCode::Am03);
}

#[test]
fn lengths_count_characters_not_bytes() {
    let mut d = full();
    // 35 Cyrillic letters are 70 bytes but fit Max35Text.
    d.credit_transfer_transactions[0]
        .payment_identification
        .end_to_end_identification = "Ж".repeat(35);
    assert_eq!(d.validate(), Ok(()));
    d.credit_transfer_transactions[0]
        .payment_identification
        .end_to_end_identification = "Ж".repeat(36);
    assert_only_error(&d, &format!("{TX}/PmtId/EndToEndId"), ReasonCode::Ff01);

    let mut d = full();
    d.credit_transfer_transactions[0].creditor.name = Some("ش".repeat(141));
    assert_only_error(&d, &format!("{TX}/Cdtr/Nm"), ReasonCode::Ff01);

    let mut d = full();
    d.credit_transfer_transactions[0]
        .remittance_information_unstructured
        .push("x".repeat(141));
    assert_only_error(&d, &format!("{TX}/RmtInf/Ustrd[3]"), ReasonCode::Ff01);

    let mut d = full();
    if let Some(address) = d.credit_transfer_transactions[0]
        .debtor
        .postal_address
        .as_mut()
    {
        address.address_lines = vec!["line".into(); 8];
    }
    assert_only_error(
        &d,
        &format!("{TX}/Dbtr/PstlAdr/AdrLine[8]"),
        ReasonCode::Ch17,
    );
}

#[test]
fn required_elements() {
    let mut d = full();
    d.group_header.message_identification = "  ".into();
    d.credit_transfer_transactions[0]
        .payment_identification
        .end_to_end_identification = String::new();
    assert_eq!(
        errors_of(&d),
        [
            (
                "/Document/FIToFICstmrCdtTrf/GrpHdr/MsgId".to_owned(),
                ReasonCode::Ch21
            ),
            (format!("{TX}/PmtId/EndToEndId"), ReasonCode::Ch21),
        ]
    );

    let mut d = full();
    d.credit_transfer_transactions.clear();
    assert_only_error(
        &d,
        "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf",
        ReasonCode::Ch21,
    );
}

#[test]
fn dates_and_codes() {
    let mut d = full();
    d.group_header.creation_date_time = "2024-02-30T10:00:00".into();
    d.group_header.number_of_transactions = "one".into();
    d.credit_transfer_transactions[0].interbank_settlement_date = Some("01.05.2024".into());
    d.credit_transfer_transactions[0]
        .debtor
        .country_of_residence = Some("RUS".into());
    d.credit_transfer_transactions[0].purpose_code = Some("GOODS".into());
    assert_eq!(
        errors_of(&d),
        [
            (
                "/Document/FIToFICstmrCdtTrf/GrpHdr/CreDtTm".to_owned(),
                ReasonCode::Dt01
            ),
            (
                "/Document/FIToFICstmrCdtTrf/GrpHdr/NbOfTxs".to_owned(),
                ReasonCode::Ff01
            ),
            (format!("{TX}/IntrBkSttlmDt"), ReasonCode::Dt01),
            (format!("{TX}/Dbtr/CtryOfRes"), ReasonCode::Ff01),
            (format!("{TX}/Purp/Cd"), ReasonCode::Ff01),
        ]
    );
}

/// Times `ISOTime` refuses: an hour past 23, no seconds, an offset past fourteen hours,
/// no digits.
const MALFORMED_TIMES: [&str; 4] = ["25:00:00", "10:00", "10:00:00+15:00", "ab:cd:ef"];

/// The element names of `SttlmTmReq` in the XSD's order, each with its field.
fn time_fields(request: &mut SettlementTimeRequest) -> [(&'static str, &mut Option<String>); 4] {
    [
        ("CLSTm", &mut request.cls_time),
        ("TillTm", &mut request.till_time),
        ("FrTm", &mut request.from_time),
        ("RjctTm", &mut request.reject_time),
    ]
}

#[test]
fn settlement_times_are_real_times() {
    let valid = || SettlementTimeRequest {
        from_time: Some("09:00:00Z".into()),
        till_time: Some("16:45:30.125+03:30".into()),
        reject_time: Some("23:59:59-14:00".into()),
        cls_time: Some("07:00:00+01:00".into()),
    };
    let mut d = full();
    d.credit_transfer_transactions[0].settlement_time_request = Some(valid());
    assert_eq!(d.validate(), Ok(()));
    d.credit_transfer_transactions[0].settlement_time_request =
        Some(SettlementTimeRequest::default());
    assert_eq!(d.validate(), Ok(()), "every time is optional");

    for bad in MALFORMED_TIMES {
        for i in 0..4 {
            let mut request = valid();
            let (name, field) = time_fields(&mut request)
                .into_iter()
                .nth(i)
                .expect("four times");
            *field = Some(bad.into());
            let mut d = full();
            d.credit_transfer_transactions[0].settlement_time_request = Some(request);
            let errors = d.validate().expect_err(bad).0;
            assert_eq!(
                errors
                    .iter()
                    .map(|e| (e.path.as_str(), e.code))
                    .collect::<Vec<_>>(),
                [(format!("{TX}/SttlmTmReq/{name}").as_str(), ReasonCode::Dt01)],
                "{bad:?} in {name}"
            );
            assert!(
                errors[0].detail.contains(bad) && errors[0].detail.contains("time"),
                "{}",
                errors[0].detail
            );
        }
    }
}

#[test]
fn pacs009_settlement_times_are_real_times() {
    let tx = "/Document/FICdtTrf/CdtTrfTxInf[1]";
    let valid = after_settlement_date(PACS009, SETTLEMENT_TIME_REQUEST);
    assert_eq!(parse(&valid).expect("parses")[0].validate(), Ok(()));
    for bad in MALFORMED_TIMES {
        // Parsing keeps the text as written; the first validation layer refuses it, every
        // malformed time with its own path, in the XSD's order.
        let request = format!(
            "<SttlmTmReq><CLSTm>{bad}</CLSTm><TillTm>{bad}</TillTm><FrTm>{bad}</FrTm>\
             <RjctTm>{bad}</RjctTm></SttlmTmReq>"
        );
        let messages = parse(&after_settlement_date(PACS009, &request)).expect("parses");
        assert_eq!(
            paths_and_codes(&messages[0].document),
            ["CLSTm", "TillTm", "FrTm", "RjctTm"]
                .map(|name| (format!("{tx}/SttlmTmReq/{name}"), ReasonCode::Dt01)),
            "{bad:?}"
        );
        assert_eq!(
            messages[0].validate().expect_err(bad).reason_code(),
            ReasonCode::Dt01
        );
    }
}

#[test]
fn parsing_reports_every_missing_element_with_its_path() {
    let xml = MINIMAL_PACS008
        .replace("<MsgId>M1</MsgId>", "")
        .replace("<ChrgBr>SLEV</ChrgBr>", "<ChrgBr>BOTH</ChrgBr>")
        .replace(
            r#"<IntrBkSttlmAmt Ccy="IRR">0.5</IntrBkSttlmAmt>"#,
            "<IntrBkSttlmAmt>0.5</IntrBkSttlmAmt>",
        )
        .replace(
            "<Dbtr><Nm>زهرا کریمی</Nm></Dbtr>",
            "<Dbtr><Nm>a</Nm><Nm>b</Nm></Dbtr>",
        );
    let Err(ParseError::Invalid { message: 1, errors }) = parse(&xml) else {
        panic!("expected field errors");
    };
    let found: Vec<(&str, ReasonCode)> =
        errors.0.iter().map(|e| (e.path.as_str(), e.code)).collect();
    let tx2 = "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[2]";
    assert_eq!(
        found,
        [
            ("/Document/FIToFICstmrCdtTrf/GrpHdr/MsgId", ReasonCode::Ch21),
            (
                &format!("{tx2}/IntrBkSttlmAmt/@Ccy") as &str,
                ReasonCode::Ch21
            ),
            (&format!("{tx2}/ChrgBr"), ReasonCode::Ff01),
            (&format!("{tx2}/Dbtr/Nm[2]"), ReasonCode::Ch17),
        ]
    );
    assert_eq!(errors.reason_code(), ReasonCode::Ch21);
}

#[test]
fn header_errors_name_their_path() {
    let xml = envelope(&[(&APP_HDR.replace("BMJIIRTH", "bmjiirth"), MINIMAL_PACS008)]);
    let messages = parse(&xml).expect("parses");
    let errors = messages[0].validate().expect_err("lowercase BIC").0;
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, "/AppHdr/To/FIId/FinInstnId/BICFI");
    assert_eq!(errors[0].code, ReasonCode::Rc01);

    let missing = envelope(&[(
        &APP_HDR.replace("<MsgDefIdr>pacs.008.001.08</MsgDefIdr>", ""),
        MINIMAL_PACS008,
    )]);
    let Err(ParseError::Invalid { errors, .. }) = parse(&missing) else {
        panic!("expected field errors");
    };
    assert_eq!(errors.0[0].path, "/AppHdr/MsgDefIdr");
    assert_eq!(errors.0[0].code, ReasonCode::Ch21);
    assert!(errors.to_string().contains("/AppHdr/MsgDefIdr"));
}

/// The one modelled document in `xml`.
fn document_of(xml: &str) -> Document {
    parse(xml).expect("sample parses").remove(0).document
}

fn paths_and_codes(document: &Document) -> Vec<(String, ReasonCode)> {
    document
        .validate()
        .expect_err("invalid")
        .0
        .into_iter()
        .map(|FieldError { path, code, .. }| (path, code))
        .collect()
}

#[test]
fn pacs002_errors_name_their_path() {
    let Document::Pacs002(mut report) = document_of(PACS002) else {
        panic!("expected pacs.002");
    };
    report.creation_date_time = "2024-05-01".into();
    report.original_groups[1].group_status = Some("REJECTED".into());
    let rejected = &mut report.transactions[1];
    rejected.original.uetr = Some("not-a-uuid".into());
    rejected.status_reasons[0].reason_code = Some("AC04X".into());
    rejected.status_reasons[0]
        .additional_information
        .push("ی".repeat(106));
    report.transactions[0].instructed_agent = Some(corridor_iso20022::Agent {
        bicfi: Some("SABRRU".into()),
    });
    let root = "/Document/FIToFIPmtStsRpt";
    assert_eq!(
        paths_and_codes(&Document::Pacs002(report)),
        [
            (format!("{root}/GrpHdr/CreDtTm"), ReasonCode::Dt01),
            (
                format!("{root}/OrgnlGrpInfAndSts[2]/GrpSts"),
                ReasonCode::Ff01
            ),
            (
                format!("{root}/TxInfAndSts[1]/InstdAgt/FinInstnId/BICFI"),
                ReasonCode::Rc01
            ),
            (format!("{root}/TxInfAndSts[2]/OrgnlUETR"), ReasonCode::Ff01),
            (
                format!("{root}/TxInfAndSts[2]/StsRsnInf[1]/Rsn/Cd"),
                ReasonCode::Ff01
            ),
            (
                format!("{root}/TxInfAndSts[2]/StsRsnInf[1]/AddtlInf[3]"),
                ReasonCode::Ff01
            ),
        ]
    );

    let missing = PACS002.replace("<OrgnlMsgNmId>pacs.009.001.08</OrgnlMsgNmId>", "");
    let Err(ParseError::Invalid { errors, .. }) = parse(&missing) else {
        panic!("expected field errors");
    };
    assert_eq!(
        errors.0[0].path,
        format!("{root}/OrgnlGrpInfAndSts[2]/OrgnlMsgNmId")
    );
    assert_eq!(errors.0[0].code, ReasonCode::Ch21);
}

#[test]
fn pacs009_errors_name_their_path() {
    let Document::Pacs009(mut transfer) = document_of(PACS009) else {
        panic!("expected pacs.009");
    };
    let cover = &mut transfer.credit_transfer_transactions[0];
    cover.creditor.bicfi = Some("BMJI IRTH".into());
    if let Some(underlying) = cover.underlying_customer_credit_transfer.as_mut() {
        underlying.instructed_amount = Some(corridor_iso20022::ActiveCurrencyAndAmount {
            amount: "5750000000.123456".into(),
            currency: "irr".into(),
        });
        underlying.creditor.name = Some("ش".repeat(141));
    }
    let tx = "/Document/FICdtTrf/CdtTrfTxInf[1]";
    assert_eq!(
        paths_and_codes(&Document::Pacs009(transfer)),
        [
            (format!("{tx}/Cdtr/FinInstnId/BICFI"), ReasonCode::Rc01),
            (format!("{tx}/UndrlygCstmrCdtTrf/Cdtr/Nm"), ReasonCode::Ff01),
            (
                format!("{tx}/UndrlygCstmrCdtTrf/InstdAmt"),
                ReasonCode::Am12
            ),
            (
                format!("{tx}/UndrlygCstmrCdtTrf/InstdAmt/@Ccy"),
                ReasonCode::Am03
            ),
        ]
    );

    let no_agent = PACS009.replace(
        "<CdtrAgt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></CdtrAgt>",
        "",
    );
    let Err(ParseError::Invalid { errors, .. }) = parse(&no_agent) else {
        panic!("expected field errors");
    };
    assert_eq!(errors.0[0].path, format!("{tx}/UndrlygCstmrCdtTrf/CdtrAgt"));
    assert_eq!(errors.0[0].code, ReasonCode::Ch21);
}

#[test]
fn pacs004_errors_name_their_path() {
    let Document::Pacs004(mut payment_return) = document_of(PACS004) else {
        panic!("expected pacs.004");
    };
    payment_return.group_header.number_of_transactions = "два".into();
    let closed = &mut payment_return.transactions[0];
    closed.returned_interbank_settlement_amount.amount = "11 499 000".into();
    closed.interbank_settlement_date = Some("2024-02-30".into());
    closed.return_reasons[0].reason_code = Some(String::new());
    payment_return.transactions[1]
        .original
        .end_to_end_identification = Some("Ж".repeat(36));
    let root = "/Document/PmtRtr";
    assert_eq!(
        paths_and_codes(&Document::Pacs004(payment_return)),
        [
            (format!("{root}/GrpHdr/NbOfTxs"), ReasonCode::Ff01),
            (
                format!("{root}/TxInf[1]/RtrdIntrBkSttlmAmt"),
                ReasonCode::Am12
            ),
            (format!("{root}/TxInf[1]/IntrBkSttlmDt"), ReasonCode::Dt01),
            (
                format!("{root}/TxInf[1]/RtrRsnInf[1]/Rsn/Cd"),
                ReasonCode::Ff01
            ),
            (format!("{root}/TxInf[2]/OrgnlEndToEndId"), ReasonCode::Ff01),
        ]
    );

    let unknown_bearer = PACS004.replace("<ChrgBr>CRED</ChrgBr>", "<ChrgBr>OUR</ChrgBr>");
    let Err(ParseError::Invalid { errors, .. }) = parse(&unknown_bearer) else {
        panic!("expected field errors");
    };
    assert_eq!(errors.0[0].path, format!("{root}/TxInf[1]/ChrgBr"));
    assert_eq!(errors.0[0].code, ReasonCode::Ff01);
}

#[test]
fn camt056_errors_name_their_path() {
    let Document::Camt056(mut request) = document_of(CAMT056) else {
        panic!("expected camt.056");
    };
    request.assignment.assignee.bicfi = Some("BMJIIRT".into());
    request.assignment.creation_date_time = "2024-05-01T12:40".into();
    let mistaken = &mut request.underlying[0].transactions[1];
    mistaken.original.uetr = None;
    mistaken.original.instruction_identification = Some("\u{202E}INSTR".into());
    mistaken.cancellation_reasons[1].additional_information = vec![" ".into()];
    let root = "/Document/FIToFIPmtCxlReq";
    let tx = format!("{root}/Undrlyg[1]/TxInf[2]");
    assert_eq!(
        paths_and_codes(&Document::Camt056(request)),
        [
            (
                format!("{root}/Assgnmt/Assgne/Agt/FinInstnId/BICFI"),
                ReasonCode::Rc01
            ),
            (format!("{root}/Assgnmt/CreDtTm"), ReasonCode::Dt01),
            (format!("{tx}/OrgnlInstrId"), ReasonCode::Ff01),
            (format!("{tx}/CxlRsnInf[2]/AddtlInf[1]"), ReasonCode::Ch21),
        ]
    );

    let Document::Camt056(mut empty) = document_of(CAMT056) else {
        panic!("expected camt.056");
    };
    empty.underlying.clear();
    assert_eq!(
        paths_and_codes(&Document::Camt056(empty)),
        [(format!("{root}/Undrlyg"), ReasonCode::Ch21)]
    );

    let party_assigner = CAMT056.replace(
        "<Assgnr><Agt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></Agt></Assgnr>",
        "<Assgnr><Pty><Nm>ООО «Ромашка»</Nm></Pty></Assgnr>",
    );
    let Err(ParseError::Invalid { errors, .. }) = parse(&party_assigner) else {
        panic!("expected field errors");
    };
    assert_eq!(errors.0[0].path, format!("{root}/Assgnmt/Assgnr/Agt"));
    assert_eq!(errors.0[0].code, ReasonCode::Ch21);
}
