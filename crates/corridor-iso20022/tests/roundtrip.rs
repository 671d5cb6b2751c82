//! Parse -> serialize -> parse keeps every field the model holds.

mod common;

use common::{
    APP_HDR, CAMT029, CAMT050, CAMT052, CAMT053, CAMT054, CAMT056, FULL_PACS008, MINIMAL_PACS008,
    PACS002, PACS004, PACS009, PAIN001, SETTLEMENT_TIME_REQUEST, after_settlement_date, envelope,
    unindented,
};
use corridor_iso20022::{
    AccountIdentification, Agent, ChargeBearer, Document, FIToFICstmrCdtTrf, Message, MessageType,
    OriginalIdentification, ParseError, Priority, ReasonInformation, SettlementMethod,
    SettlementTimeRequest, parse,
};

/// The one document in `xml`, after checking that writing it and reading it back changes
/// nothing and that it passes the first validation layer.
fn round_tripped(xml: &str, message_type: MessageType) -> Document {
    let mut messages = parse(xml).expect("sample parses");
    assert_eq!(messages.len(), 1);
    let message = messages.remove(0);
    assert_eq!(message.message_type, message_type);
    message.validate().expect("sample is valid");
    let written = message.document.to_xml();
    let reread = parse(&written).unwrap_or_else(|e| panic!("{e}\n{written}"));
    assert_eq!(reread[0].document, message.document, "{written}");
    assert_eq!(
        reread[0].document.to_xml(),
        written,
        "serializing twice gives the same bytes"
    );
    message.document
}

fn bic(agent: Option<&Agent>) -> Option<&str> {
    agent.and_then(|a| a.bicfi.as_deref())
}

fn only_pacs008(messages: &[Message]) -> &FIToFICstmrCdtTrf {
    match messages {
        [
            Message {
                document: Document::Pacs008(document),
                ..
            },
        ] => document,
        other => panic!("expected one pacs.008, got {other:?}"),
    }
}

fn reparsed(document: &FIToFICstmrCdtTrf) -> FIToFICstmrCdtTrf {
    let xml = document.to_xml();
    let messages = parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    only_pacs008(&messages).clone()
}

#[test]
fn full_pacs008_keeps_every_field() {
    let messages = parse(FULL_PACS008).expect("sample parses");
    assert_eq!(messages[0].message_type, MessageType::Pacs008V08);
    assert_eq!(messages[0].header, None);
    let original = only_pacs008(&messages);
    original.validate().expect("sample is valid");
    assert_eq!(&reparsed(original), original);

    let header = &original.group_header;
    assert_eq!(header.message_identification, "SABR-20240501-000017");
    assert_eq!(header.creation_date_time, "2024-05-01T09:30:15.250+03:00");
    assert_eq!(header.number_of_transactions, "1");
    assert_eq!(header.settlement_method, SettlementMethod::ClearingSystem);
    let total = header
        .total_interbank_settlement_amount
        .as_ref()
        .expect("total");
    assert_eq!(
        (total.amount.as_str(), total.currency.as_str()),
        ("125000.50", "EUR")
    );

    let tx = &original.credit_transfer_transactions[0];
    let id = &tx.payment_identification;
    assert_eq!(id.instruction_identification.as_deref(), Some("INSTR-17"));
    assert_eq!(id.end_to_end_identification, "ИНВ-2024/05-77");
    assert_eq!(id.transaction_identification.as_deref(), Some("TX-000017"));
    assert_eq!(
        id.uetr.as_deref(),
        Some("eb6305c9-1f7f-49de-aed0-16487c27b42d")
    );
    assert_eq!(tx.instruction_priority, Some(Priority::High));
    assert_eq!(tx.interbank_settlement_amount.amount, "125000.50");
    assert_eq!(tx.interbank_settlement_date.as_deref(), Some("2024-05-01"));
    assert_eq!(tx.charge_bearer, ChargeBearer::Shared);
    assert_eq!(
        tx.instructing_agent
            .as_ref()
            .and_then(|a| a.bicfi.as_deref()),
        Some("SABRRUMMXXX")
    );
    assert_eq!(
        tx.instructed_agent
            .as_ref()
            .and_then(|a| a.bicfi.as_deref()),
        Some("BMJIIRTH")
    );
    assert_eq!(
        tx.ultimate_debtor.as_ref().and_then(|p| p.name.as_deref()),
        Some("АО «Северный Холдинг»")
    );

    assert_eq!(
        tx.debtor.name.as_deref(),
        Some("ООО «Ромашка» & партнёры <импорт>")
    );
    let address = tx.debtor.postal_address.as_ref().expect("address");
    assert_eq!(address.street_name.as_deref(), Some("улица Тверская"));
    assert_eq!(address.building_number.as_deref(), Some("7/2"));
    assert_eq!(address.post_code.as_deref(), Some("125009"));
    assert_eq!(address.town_name.as_deref(), Some("Москва"));
    assert_eq!(address.country.as_deref(), Some("RU"));
    assert_eq!(
        address.address_lines,
        ["офис 305", "бизнес-центр \"Тверь\""]
    );
    let organisation = tx
        .debtor
        .organisation_identification
        .as_ref()
        .expect("OrgId");
    assert_eq!(organisation.any_bic.as_deref(), Some("ROMARUMM"));
    assert_eq!(organisation.lei.as_deref(), Some("2534001EXAMPLE000072"));
    assert_eq!(organisation.other.len(), 2);
    assert_eq!(organisation.other[0].identification, "7701234567");
    assert_eq!(
        organisation.other[0].scheme_name_code.as_deref(),
        Some("TXID")
    );
    assert_eq!(organisation.other[0].issuer.as_deref(), Some("ФНС России"));
    assert_eq!(organisation.other[1].scheme_name_code, None);
    assert_eq!(tx.debtor.country_of_residence.as_deref(), Some("RU"));
    assert_eq!(
        tx.debtor_account.as_ref().map(|a| &a.identification),
        Some(&AccountIdentification::Other("40702810938000012345".into()))
    );
    assert_eq!(tx.debtor_agent.bicfi.as_deref(), Some("SABRRUMM"));
    assert_eq!(tx.creditor_agent.bicfi.as_deref(), Some("BMJIIRTH"));

    assert_eq!(tx.creditor.name.as_deref(), Some("شرکت بازرگانی آریا پارس"));
    let address = tx.creditor.postal_address.as_ref().expect("address");
    assert_eq!(address.town_name.as_deref(), Some("تهران"));
    assert_eq!(address.building_number.as_deref(), Some("۱۲۴"));
    assert_eq!(
        tx.creditor_account.as_ref().map(|a| &a.identification),
        Some(&AccountIdentification::Iban(
            "IR062960000000100324200001".into()
        ))
    );
    assert_eq!(
        tx.ultimate_creditor
            .as_ref()
            .and_then(|p| p.name.as_deref()),
        Some("محمد رضا احمدی")
    );
    assert_eq!(tx.purpose_code.as_deref(), Some("GDDS"));
    assert_eq!(
        tx.remittance_information_unstructured,
        [
            "Оплата по контракту № 17/2024 от 12.03.2024",
            "پرداخت فاکتور شماره ۴۵۶"
        ]
    );
}

#[test]
fn minimal_pacs008_with_two_transactions_round_trips() {
    let messages = parse(MINIMAL_PACS008).expect("sample parses");
    let original = only_pacs008(&messages);
    assert_eq!(original.credit_transfer_transactions.len(), 2);
    assert_eq!(
        original.credit_transfer_transactions[0]
            .interbank_settlement_amount
            .amount,
        "4200000000"
    );
    assert_eq!(
        original.credit_transfer_transactions[1].debtor_agent.bicfi,
        None
    );
    assert_eq!(&reparsed(original), original);
}

#[test]
fn serializing_twice_gives_the_same_bytes() {
    let messages = parse(FULL_PACS008).expect("sample parses");
    let once = only_pacs008(&messages).to_xml();
    let twice = only_pacs008(&parse(&once).expect("output parses")).to_xml();
    assert_eq!(once, twice);
}

#[test]
fn envelope_of_header_and_document_pairs() {
    let xml = envelope(&[(APP_HDR, FULL_PACS008), (APP_HDR, MINIMAL_PACS008)]);
    let messages = parse(&xml).expect("envelope parses");
    assert_eq!(messages.len(), 2);
    for message in &messages {
        message.validate().expect("valid");
        let header = message
            .header
            .as_ref()
            .expect("each document has its AppHdr");
        assert_eq!(header.message_definition_identifier, "pacs.008.001.08");
        assert_eq!(header.from.bicfi.as_deref(), Some("SABRRUMM"));
        assert_eq!(
            header.business_service.as_deref(),
            Some("swift.cbprplus.02")
        );
        assert_eq!(
            parse(&header.to_xml()),
            Err(ParseError::AppHdrWithoutDocument { message: 1 }),
            "a header alone is not a message"
        );
    }
    let rebuilt = envelope(&[(
        &messages[0].header.as_ref().expect("header").to_xml(),
        &only_pacs008(&messages[..1]).to_xml(),
    )]);
    let reparsed = parse(&rebuilt).expect("rebuilt envelope parses");
    assert_eq!(reparsed[0], messages[0]);
}

#[test]
fn lone_documents_and_nested_wrappers() {
    let xml = format!(
        "<Batch><Part><Inner>{MINIMAL_PACS008}</Inner></Part><Part>{MINIMAL_PACS008}</Part></Batch>"
    );
    let messages = parse(&xml).expect("parses");
    assert_eq!(messages.len(), 2);
    assert!(messages.iter().all(|m| m.header.is_none()));
}

#[test]
fn pacs002_keeps_every_field() {
    let Document::Pacs002(report) = round_tripped(PACS002, MessageType::Pacs002V10) else {
        panic!("expected pacs.002");
    };
    assert_eq!(report.message_identification, "BMJI-STS-20240501-0042");
    assert_eq!(report.creation_date_time, "2024-05-01T11:02:00+03:30");
    let groups: Vec<_> = report
        .original_groups
        .iter()
        .map(|g| {
            (
                g.original_message_identification.as_str(),
                g.original_message_name_identification.as_str(),
                g.group_status.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("SABR-20240501-000017", "pacs.008.001.08", Some("PART")),
            ("SABR-20240501-000018", "pacs.009.001.08", None),
        ]
    );

    let [settled, rejected, pending] = &report.transactions[..] else {
        panic!("three transactions expected");
    };
    assert_eq!(settled.status_identification.as_deref(), Some("STS-1"));
    assert_eq!(
        settled.original,
        OriginalIdentification {
            instruction_identification: Some("INSTR-17".into()),
            end_to_end_identification: Some("ИНВ-2024/05-77".into()),
            transaction_identification: Some("TX-000017".into()),
            uetr: Some("eb6305c9-1f7f-49de-aed0-16487c27b42d".into()),
        }
    );
    assert_eq!(settled.transaction_status.as_deref(), Some("ACSC"));
    assert!(settled.status_reasons.is_empty());
    assert_eq!(
        settled.acceptance_date_time.as_deref(),
        Some("2024-05-01T11:01:59.5+03:30")
    );
    assert_eq!(bic(settled.instructing_agent.as_ref()), Some("BMJIIRTH"));
    assert_eq!(bic(settled.instructed_agent.as_ref()), Some("SABRRUMMXXX"));

    assert_eq!(rejected.transaction_status.as_deref(), Some("RJCT"));
    assert_eq!(
        rejected.status_reasons,
        [
            ReasonInformation {
                reason_code: Some("AC04".into()),
                additional_information: vec![
                    "حساب بسته شده است".into(),
                    "Счёт получателя закрыт & не может быть зачислен".into(),
                ],
            },
            ReasonInformation {
                reason_code: Some("RR04".into()),
                additional_information: Vec::new(),
            },
        ]
    );
    assert_eq!(rejected.instructing_agent, None);

    assert_eq!(pending.transaction_status.as_deref(), Some("PDNG"));
    assert_eq!(pending.status_identification, None);
    assert_eq!(pending.status_reasons, [ReasonInformation::default()]);
}

#[test]
fn pacs009_cover_keeps_every_field() {
    let Document::Pacs009(transfer) = round_tripped(PACS009, MessageType::Pacs009V08) else {
        panic!("expected pacs.009");
    };
    let header = &transfer.group_header;
    assert_eq!(header.message_identification, "SABR-COV-20240501-0003");
    assert_eq!(header.creation_date_time, "2024-05-01T09:31:00+03:00");
    assert_eq!(header.number_of_transactions, "2");
    assert_eq!(header.settlement_method, SettlementMethod::CoverMethod);
    assert_eq!(
        header
            .total_interbank_settlement_amount
            .as_ref()
            .map(|a| (a.amount.as_str(), a.currency.as_str())),
        Some(("11500000.00", "RUB"))
    );

    let [cover, own] = &transfer.credit_transfer_transactions[..] else {
        panic!("two transactions expected");
    };
    let id = &cover.payment_identification;
    assert_eq!(id.instruction_identification.as_deref(), Some("COV-17"));
    assert_eq!(id.end_to_end_identification, "ИНВ-2024/05-77");
    assert_eq!(
        id.transaction_identification.as_deref(),
        Some("TX-COV-000017")
    );
    assert_eq!(
        id.uetr.as_deref(),
        Some("eb6305c9-1f7f-49de-aed0-16487c27b42d")
    );
    assert_eq!(cover.instruction_priority, Some(Priority::Normal));
    assert_eq!(cover.interbank_settlement_amount.amount, "11500000.00");
    assert_eq!(
        cover.interbank_settlement_date.as_deref(),
        Some("2024-05-01")
    );
    assert_eq!(bic(cover.instructing_agent.as_ref()), Some("SABRRUMM"));
    assert_eq!(bic(cover.instructed_agent.as_ref()), Some("VTBRRUMM"));
    assert_eq!(cover.debtor.bicfi.as_deref(), Some("SABRRUMM"));
    assert_eq!(
        cover.debtor_account.as_ref().map(|a| &a.identification),
        Some(&AccountIdentification::Other("30111810100000000017".into()))
    );
    assert_eq!(bic(cover.debtor_agent.as_ref()), Some("SABRRUMMXXX"));
    assert_eq!(bic(cover.creditor_agent.as_ref()), Some("VTBRRUMM"));
    assert_eq!(cover.creditor.bicfi.as_deref(), Some("BMJIIRTH"));
    assert_eq!(
        cover.creditor_account.as_ref().map(|a| &a.identification),
        Some(&AccountIdentification::Other("30111810400000000042".into()))
    );
    assert_eq!(
        cover.remittance_information_unstructured,
        ["/BNF/покрытие ИНВ-2024/05-77"]
    );

    let underlying = cover
        .underlying_customer_credit_transfer
        .as_ref()
        .expect("cover variant");
    assert_eq!(
        underlying
            .ultimate_debtor
            .as_ref()
            .and_then(|p| p.name.as_deref()),
        Some("АО «Северный Холдинг»")
    );
    assert_eq!(
        underlying.debtor.name.as_deref(),
        Some("ООО «Ромашка» & партнёры")
    );
    assert_eq!(
        underlying
            .debtor
            .postal_address
            .as_ref()
            .and_then(|a| a.town_name.as_deref()),
        Some("Москва")
    );
    assert_eq!(
        underlying
            .debtor_account
            .as_ref()
            .map(|a| &a.identification),
        Some(&AccountIdentification::Other("40702810938000012345".into()))
    );
    assert_eq!(underlying.debtor_agent.bicfi.as_deref(), Some("SABRRUMM"));
    assert_eq!(underlying.creditor_agent.bicfi.as_deref(), Some("BMJIIRTH"));
    assert_eq!(
        underlying.creditor.name.as_deref(),
        Some("شرکت بازرگانی آریا پارس")
    );
    assert_eq!(
        underlying
            .creditor_account
            .as_ref()
            .map(|a| &a.identification),
        Some(&AccountIdentification::Iban(
            "IR062960000000100324200001".into()
        ))
    );
    assert_eq!(
        underlying
            .ultimate_creditor
            .as_ref()
            .and_then(|p| p.name.as_deref()),
        Some("محمد رضا احمدی")
    );
    assert_eq!(
        underlying.remittance_information_unstructured,
        ["Оплата по контракту № 17/2024", "پرداخت فاکتور شماره ۴۵۶"]
    );
    assert_eq!(
        underlying
            .instructed_amount
            .as_ref()
            .map(|a| (a.amount.as_str(), a.currency.as_str())),
        Some(("5750000000", "IRR"))
    );

    assert_eq!(
        own.payment_identification.end_to_end_identification,
        "TREASURY-0501"
    );
    assert_eq!(own.interbank_settlement_amount.currency, "IRR");
    assert_eq!(own.creditor.bicfi, None);
    assert_eq!(own.debtor_agent, None);
    assert!(own.underlying_customer_credit_transfer.is_none());
}

#[test]
fn pacs004_keeps_every_field() {
    let Document::Pacs004(payment_return) = round_tripped(PACS004, MessageType::Pacs004V09) else {
        panic!("expected pacs.004");
    };
    let header = &payment_return.group_header;
    assert_eq!(header.message_identification, "BMJI-RTR-20240502-0005");
    assert_eq!(header.creation_date_time, "2024-05-02T08:15:00Z");
    assert_eq!(header.number_of_transactions, "2");
    assert_eq!(header.settlement_method, SettlementMethod::InstructedAgent);

    let [closed, unknown] = &payment_return.transactions[..] else {
        panic!("two transactions expected");
    };
    assert_eq!(closed.return_identification.as_deref(), Some("RTR-0005-1"));
    assert_eq!(
        closed.original,
        OriginalIdentification {
            instruction_identification: Some("INSTR-17".into()),
            end_to_end_identification: Some("ИНВ-2024/05-77".into()),
            transaction_identification: Some("TX-000017".into()),
            uetr: Some("eb6305c9-1f7f-49de-aed0-16487c27b42d".into()),
        }
    );
    let amount = &closed.returned_interbank_settlement_amount;
    assert_eq!(
        (amount.amount.as_str(), amount.currency.as_str()),
        ("11499000.00", "RUB")
    );
    assert_eq!(
        closed.interbank_settlement_date.as_deref(),
        Some("2024-05-02")
    );
    assert_eq!(closed.charge_bearer, Some(ChargeBearer::BorneByCreditor));
    assert_eq!(bic(closed.instructing_agent.as_ref()), Some("BMJIIRTH"));
    assert_eq!(bic(closed.instructed_agent.as_ref()), Some("SABRRUMMXXX"));
    assert_eq!(
        closed.return_reasons,
        [ReasonInformation {
            reason_code: Some("AC04".into()),
            additional_information: vec![
                "حساب شرکت آریا پارس بسته شده است".into(),
                "Счёт закрыт, средства возвращены за вычетом комиссии".into(),
            ],
        }]
    );

    assert_eq!(unknown.return_identification, None);
    assert_eq!(unknown.original, OriginalIdentification::default());
    assert_eq!(
        unknown.returned_interbank_settlement_amount.amount,
        "4200000000"
    );
    assert_eq!(unknown.charge_bearer, None);
    assert_eq!(unknown.return_reasons.len(), 2);
    assert_eq!(
        unknown.return_reasons[1].reason_code.as_deref(),
        Some("BE04")
    );
}

#[test]
fn camt056_keeps_every_field() {
    let Document::Camt056(request) = round_tripped(CAMT056, MessageType::Camt056V08) else {
        panic!("expected camt.056");
    };
    let assignment = &request.assignment;
    assert_eq!(assignment.identification, "SABR-CXL-20240501-0009");
    assert_eq!(assignment.assigner.bicfi.as_deref(), Some("SABRRUMM"));
    assert_eq!(assignment.assignee.bicfi.as_deref(), Some("BMJIIRTH"));
    assert_eq!(
        assignment.creation_date_time,
        "2024-05-01T12:40:00.000+03:00"
    );

    let [first, empty] = &request.underlying[..] else {
        panic!("two underlying groups expected");
    };
    assert!(empty.transactions.is_empty());
    let [duplicate, mistaken] = &first.transactions[..] else {
        panic!("two transactions expected");
    };
    assert_eq!(
        duplicate.cancellation_identification.as_deref(),
        Some("CXL-0009-1")
    );
    assert_eq!(
        duplicate.original,
        OriginalIdentification {
            instruction_identification: Some("INSTR-17".into()),
            end_to_end_identification: Some("ИНВ-2024/05-77".into()),
            transaction_identification: Some("TX-000017".into()),
            uetr: Some("eb6305c9-1f7f-49de-aed0-16487c27b42d".into()),
        }
    );
    assert_eq!(
        duplicate
            .original_interbank_settlement_amount
            .as_ref()
            .map(|a| (a.amount.as_str(), a.currency.as_str())),
        Some(("11500000.00", "RUB"))
    );
    assert_eq!(
        duplicate.original_interbank_settlement_date.as_deref(),
        Some("2024-05-01")
    );
    assert_eq!(
        duplicate.cancellation_reasons,
        [ReasonInformation {
            reason_code: Some("DUPL".into()),
            additional_information: vec!["Платёж отправлен дважды <повтор>".into()],
        }]
    );

    assert_eq!(mistaken.cancellation_identification, None);
    assert_eq!(
        mistaken.original.uetr.as_deref(),
        Some("3a1c2e4f-5b6d-4e8f-9a0b-1c2d3e4f5a6b")
    );
    assert_eq!(mistaken.original.end_to_end_identification, None);
    assert_eq!(
        mistaken.cancellation_reasons,
        [
            ReasonInformation {
                reason_code: Some("CUST".into()),
                additional_information: vec!["درخواست لغو از طرف مشتری".into()],
            },
            ReasonInformation::default(),
        ]
    );
}

#[test]
fn every_document_type_is_modelled() {
    let samples = [
        FULL_PACS008,
        PACS002,
        PACS009,
        PACS004,
        CAMT056,
        CAMT029,
        CAMT052,
        CAMT053,
        CAMT054,
        CAMT050,
        PAIN001,
    ];
    let mut modelled = Vec::new();
    for xml in samples {
        let message = parse(xml).expect("sample").remove(0);
        let again = parse(&message.document.to_xml()).expect("written back");
        assert_eq!(
            again[0].document, message.document,
            "{}",
            message.message_type
        );
        modelled.push(message.message_type);
    }
    let documents: Vec<_> = MessageType::ALL
        .iter()
        .filter(|t| t.root_element() == "Document")
        .collect();
    assert_eq!(documents.len(), samples.len());
    for message_type in documents {
        assert!(
            modelled.contains(message_type),
            "{message_type} has no model"
        );
    }
    let prefixed = format!(
        r#"<x:Document xmlns:x="{}"><x:RsltnOfInvstgtn><x:Assgnmt><x:Id>A</x:Id><x:Assgnr><x:Agt><x:FinInstnId/></x:Agt></x:Assgnr><x:Assgne><x:Agt><x:FinInstnId/></x:Agt></x:Assgne><x:CreDtTm>2024-05-01T10:00:00Z</x:CreDtTm></x:Assgnmt><x:Sts><x:Conf>CNCL</x:Conf></x:Sts></x:RsltnOfInvstgtn></x:Document>"#,
        MessageType::Camt029V09.namespace()
    );
    assert_eq!(
        parse(&prefixed).expect("prefixed")[0].message_type,
        MessageType::Camt029V09
    );
}

/// The four times of [`SETTLEMENT_TIME_REQUEST`], as written there.
fn four_times() -> SettlementTimeRequest {
    SettlementTimeRequest {
        from_time: Some("09:00:00Z".into()),
        till_time: Some("16:45:30.125+03:30".into()),
        reject_time: Some("17:00:00".into()),
        cls_time: Some("07:00:00+01:00".into()),
    }
}

/// The `SttlmTmReq` of the first transaction of the one pacs.008 or pacs.009 in `xml`, after
/// a round trip, and the document written again.
fn settlement_time_request_of(xml: &str) -> (Option<SettlementTimeRequest>, String) {
    match round_tripped(xml, parse(xml).expect("sample parses")[0].message_type) {
        Document::Pacs008(transfer) => (
            transfer.credit_transfer_transactions[0]
                .settlement_time_request
                .clone(),
            transfer.to_xml(),
        ),
        Document::Pacs009(transfer) => (
            transfer.credit_transfer_transactions[0]
                .settlement_time_request
                .clone(),
            transfer.to_xml(),
        ),
        other => panic!("expected pacs.008 or pacs.009, got {other:?}"),
    }
}

#[test]
fn settlement_time_request_keeps_its_four_times() {
    for sample in [FULL_PACS008, PACS009] {
        let xml = after_settlement_date(sample, SETTLEMENT_TIME_REQUEST);
        let (request, written) = settlement_time_request_of(&xml);
        assert_eq!(request, Some(four_times()), "{xml}");
        // Written back in the XSD's order, right after the settlement date.
        assert!(
            unindented(&written).contains(&format!(
                "<IntrBkSttlmDt>2024-05-01</IntrBkSttlmDt>{SETTLEMENT_TIME_REQUEST}"
            )),
            "{written}"
        );
    }
}

#[test]
fn settlement_time_request_partial_empty_or_absent() {
    for sample in [FULL_PACS008, PACS009] {
        let only_rejection = after_settlement_date(
            sample,
            "<SttlmTmReq><RjctTm>23:59:59.999999-14:00</RjctTm></SttlmTmReq>",
        );
        assert_eq!(
            settlement_time_request_of(&only_rejection).0,
            Some(SettlementTimeRequest {
                reject_time: Some("23:59:59.999999-14:00".into()),
                ..SettlementTimeRequest::default()
            })
        );

        // Every child is optional in the XSD: an empty request is valid and kept as one.
        let (empty, written) =
            settlement_time_request_of(&after_settlement_date(sample, "<SttlmTmReq/>"));
        assert_eq!(empty, Some(SettlementTimeRequest::default()));
        assert!(
            unindented(&written).contains("<SttlmTmReq></SttlmTmReq>"),
            "{written}"
        );

        let (absent, written) = settlement_time_request_of(sample);
        assert_eq!(absent, None);
        assert!(!written.contains("SttlmTmReq"), "{written}");
    }
}
