//! camt.029.001.09, the resolution of a cancellation request: every kept field survives
//! parse -> serialize -> parse, the output passes the XSD, and broken fields are named.

mod common;

use common::{APP_HDR, CAMT029, CAMT056, assert_valid, envelope};
use corridor_iso20022::{
    Agent, CancellationDetails, CancellationStatus, CancellationStatusTransaction, CaseAssignment,
    Document, FieldError, MessageType, OriginalIdentification, ParseError, ReasonCode,
    ReasonInformation, RsltnOfInvstgtn, parse,
};

const TX: &str = "/Document/RsltnOfInvstgtn/CxlDtls[1]/TxInfAndSts[2]";

fn resolution() -> RsltnOfInvstgtn {
    match parse(CAMT029).expect("sample parses").remove(0).document {
        Document::Camt029(document) => *document,
        other => panic!("expected camt.029, got {other:?}"),
    }
}

fn errors_of(document: &RsltnOfInvstgtn) -> Vec<(String, ReasonCode)> {
    document
        .validate()
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

#[test]
fn camt029_keeps_every_field() {
    let document = resolution();
    document.validate().expect("sample is valid");
    let written = document.to_xml();
    assert_valid(&written, "camt.029.001.09.xsd");
    let Document::Camt029(reread) = parse(&written).expect("parses").remove(0).document else {
        panic!("expected camt.029");
    };
    assert_eq!(*reread, document, "{written}");

    assert_eq!(
        document.assignment,
        CaseAssignment {
            identification: "BMJI-RSL-20240501-0004".into(),
            assigner: Agent {
                bicfi: Some("BMJIIRTH".into())
            },
            assignee: Agent {
                bicfi: Some("SABRRUMM".into())
            },
            creation_date_time: "2024-05-01T14:05:00+03:30".into(),
        }
    );
    assert_eq!(document.status_confirmation, "PECR");
    let [details, empty] = &document.cancellation_details[..] else {
        panic!("two cancellation details expected");
    };
    assert_eq!(*empty, CancellationDetails::default());
    assert_eq!(
        details.transactions,
        [
            CancellationStatusTransaction {
                cancellation_status_identification: Some("RSL-0004-1".into()),
                original: OriginalIdentification {
                    instruction_identification: Some("INSTR-17".into()),
                    end_to_end_identification: Some("ИНВ-2024/05-77".into()),
                    transaction_identification: Some("TX-000017".into()),
                    uetr: Some("eb6305c9-1f7f-49de-aed0-16487c27b42d".into()),
                },
                status: Some(CancellationStatus::Accepted),
                reasons: Vec::new(),
            },
            CancellationStatusTransaction {
                cancellation_status_identification: None,
                original: OriginalIdentification {
                    uetr: Some("3a1c2e4f-5b6d-4e8f-9a0b-1c2d3e4f5a6b".into()),
                    ..OriginalIdentification::default()
                },
                status: Some(CancellationStatus::Rejected),
                reasons: vec![
                    ReasonInformation {
                        reason_code: Some("ARDT".into()),
                        additional_information: vec![
                            "وجه به حساب ذینفع واریز شده است".into(),
                            "Средства уже зачислены <возврат невозможен>".into(),
                        ],
                    },
                    ReasonInformation::default(),
                ],
            },
        ]
    );
}

#[test]
fn resolution_built_in_code_answers_a_cancellation_request() {
    let Document::Camt056(request) = parse(CAMT056).expect("parses").remove(0).document else {
        panic!("expected camt.056");
    };
    let answer = RsltnOfInvstgtn {
        assignment: CaseAssignment {
            identification: "RSL-1".into(),
            assigner: request.assignment.assignee.clone(),
            assignee: request.assignment.assigner.clone(),
            creation_date_time: "2024-05-01T13:00:00Z".into(),
        },
        status_confirmation: "RJCR".into(),
        cancellation_details: vec![CancellationDetails {
            transactions: request.underlying[0]
                .transactions
                .iter()
                .map(|transaction| CancellationStatusTransaction {
                    original: transaction.original.clone(),
                    status: Some(CancellationStatus::Rejected),
                    reasons: vec![ReasonInformation {
                        reason_code: Some("NOOR".into()),
                        additional_information: Vec::new(),
                    }],
                    ..CancellationStatusTransaction::default()
                })
                .collect(),
        }],
    };
    answer.validate().expect("valid");
    assert_valid(&answer.to_xml(), "camt.029.001.09.xsd");
}

#[test]
fn envelope_with_header() {
    let xml = envelope(&[(APP_HDR, CAMT056), (APP_HDR, CAMT029)]);
    let messages = parse(&xml).expect("parses");
    assert_eq!(messages[1].message_type, MessageType::Camt029V09);
    assert!(messages[1].header.is_some());
    assert!(matches!(messages[1].document, Document::Camt029(_)));
    messages[1].validate().expect("valid");
}

#[test]
fn validation_names_the_broken_field() {
    let mut d = resolution();
    d.assignment.assigner.bicfi = Some("BMJI-IRTH".into());
    assert_eq!(
        errors_of(&d),
        [(
            "/Document/RsltnOfInvstgtn/Assgnmt/Assgnr/Agt/FinInstnId/BICFI".to_owned(),
            ReasonCode::Rc01
        )]
    );

    let mut d = resolution();
    d.status_confirmation = "CANCELLED".into();
    assert_eq!(
        errors_of(&d),
        [(
            "/Document/RsltnOfInvstgtn/Sts/Conf".to_owned(),
            ReasonCode::Ff01
        )]
    );

    let mut d = resolution();
    d.cancellation_details[0].transactions[1].reasons[0].reason_code = Some("LEGAL".into());
    d.cancellation_details[0].transactions[1].original.uetr = Some("not-a-uuid".into());
    assert_eq!(
        errors_of(&d),
        [
            (format!("{TX}/OrgnlUETR"), ReasonCode::Ff01),
            (format!("{TX}/CxlStsRsnInf[1]/Rsn/Cd"), ReasonCode::Ff01),
        ]
    );

    let mut d = resolution();
    d.assignment.creation_date_time = "2024-05-01".into();
    assert_eq!(
        errors_of(&d),
        [(
            "/Document/RsltnOfInvstgtn/Assgnmt/CreDtTm".to_owned(),
            ReasonCode::Dt01
        )]
    );
}

#[test]
fn reading_names_missing_elements_and_unknown_codes() {
    let no_status = CAMT029.replace("<Sts><Conf>PECR</Conf></Sts>", "");
    assert_eq!(
        parse_errors(&no_status),
        [("/Document/RsltnOfInvstgtn/Sts".to_owned(), ReasonCode::Ch21)]
    );

    let other_status =
        CAMT029.replace("<Conf>PECR</Conf>", "<AssgnmtCxlConf>true</AssgnmtCxlConf>");
    assert_eq!(
        parse_errors(&other_status),
        [(
            "/Document/RsltnOfInvstgtn/Sts/Conf".to_owned(),
            ReasonCode::Ch21
        )]
    );

    let bad_status = CAMT029.replace("<TxCxlSts>RJCR</TxCxlSts>", "<TxCxlSts>RJCT</TxCxlSts>");
    assert_eq!(
        parse_errors(&bad_status),
        [(format!("{TX}/TxCxlSts"), ReasonCode::Ff01)]
    );

    let party_assigner = CAMT029.replace(
        "<Assgnr><Agt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></Agt></Assgnr>",
        "<Assgnr><Pty><Nm>Bank Melli</Nm></Pty></Assgnr>",
    );
    assert_eq!(
        parse_errors(&party_assigner),
        [(
            "/Document/RsltnOfInvstgtn/Assgnmt/Assgnr/Agt".to_owned(),
            ReasonCode::Ch21
        )]
    );
}

#[test]
fn hostile_resolutions_are_errors_not_panics() {
    let xml = envelope(&[(APP_HDR, CAMT029)]);
    let mut cuts = 0;
    for (end, _) in xml.char_indices().skip(1) {
        let truncated = &xml[..end];
        if truncated.trim_end().ends_with("</BizMsgEnvlp>") {
            continue;
        }
        assert!(parse(truncated).is_err(), "truncated at {end} parsed");
        cuts += 1;
    }
    assert!(cuts > 1000);
    let repeated = CAMT029.replace(
        "<TxCxlSts>ACCR</TxCxlSts>",
        "<TxCxlSts>ACCR</TxCxlSts><TxCxlSts>RJCR</TxCxlSts>",
    );
    assert_eq!(
        parse_errors(&repeated),
        [(
            "/Document/RsltnOfInvstgtn/CxlDtls[1]/TxInfAndSts[1]/TxCxlSts[2]".to_owned(),
            ReasonCode::Ch17
        )]
    );
    let foreign = CAMT029.replace("<CxlStsId>", "<CxlStsId xmlns=\"urn:evil\">");
    assert!(matches!(
        parse(&foreign),
        Err(ParseError::ForeignNamespace { .. })
    ));
}
