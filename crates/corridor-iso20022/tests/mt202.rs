//! MT202 and MT202COV: fields, translation to and from pacs.009 (core and cover) with what
//! each direction cuts or drops noted, and refusals of malformed messages.

mod common;

use common::assert_valid;
use corridor_iso20022::mt::{
    Institution, Mt202, TranslationNote, mt202_to_pacs009, pacs009_to_mt202, parse_fin,
};
use corridor_iso20022::{AccountIdentification, PostalAddress, SettlementTimeRequest};

const CREATED: &str = "2026-11-23T10:00:00Z";

/// Moscow's bank moves its own funds to Tehran's bank through a correspondent.
const MT202: &str = "{1:F01VOLGRUMMAXXX0000000000}{2:I202CBRFRUMMXXXXN}{3:{121:3a1c2e4f-5b6d-4e8f-9a0b-1c2d3e4f5a6b}}{4:\r
:20:TRS-2026-1123\r
:21:NONREF\r
:32A:261123RUB25000000,\r
:52A:/30111810100000000017\r
VOLGRUMM\r
:57A:ZAGRIRTH\r
:58A:/30111810400000000042\r
BKMTIRTH\r
:72:/BNF/TREASURY TOP-UP NOVEMBER\r
//SECOND TRANCHE\r
-}";

/// The cover of a customer transfer from Moscow to Tehran, with multi-line 50F and 59F.
const MT202COV: &str = "{1:F01VOLGRUMMAXXX0000000000}{2:I202CBRFRUMMXXXXN}{3:{119:COV}{121:eb6305c9-1f7f-49de-aed0-16487c27b42d}}{4:\r
:20:COV-2026-0042\r
:21:INV-2026-0042\r
:32A:261123RUB1500000,50\r
:57A:ZAGRIRTH\r
:58A:BKMTIRTH\r
:50F:/40702810900000012345\r
1/VOLGA ENERGY LLC\r
2/UL. SADOVAYA-SPASSKAYA 21/1\r
3/RU/MOSCOW\r
:52A:VTBRRUMM\r
:57A:MELIIRTH\r
:59F:/IR820540102680020817909002\r
1/PERSIAN GULF PETROCHEMICAL CO\r
2/VALIASR STREET 2245\r
3/IR/TEHRAN\r
:70:GAS DELIVERIES CONTRACT 2026/EN-114\r
:33B:RUB1500000,50\r
-}";

/// The MT202 in `text`, or the reason the FIN or MT reader refused it.
fn mt202(text: &str) -> Result<Mt202, String> {
    let fin = parse_fin(text).map_err(|e| e.to_string())?;
    Mt202::from_fin(&fin).map_err(|e| e.to_string())
}

#[test]
fn mt202_fields_are_read_and_written_back() {
    let mt = mt202(MT202).unwrap();
    assert_eq!(
        (mt.sender.as_str(), mt.receiver.as_str()),
        ("VOLGRUMM", "CBRFRUMM")
    );
    assert_eq!(mt.related_reference, "NONREF");
    assert_eq!(mt.amount, "25000000,");
    assert_eq!(
        mt.ordering_institution,
        Some(Institution::with_bic(
            "VOLGRUMM",
            Some("30111810100000000017".into())
        ))
    );
    assert_eq!(mt.beneficiary_institution.bic(), Some("BKMTIRTH"));
    assert_eq!(
        mt.sender_to_receiver.as_deref(),
        Some("/BNF/TREASURY TOP-UP NOVEMBER\n//SECOND TRANCHE")
    );
    assert!(mt.underlying.is_none());
    assert!(mt.user_header().iter().all(|(tag, _)| tag != "119"));
    let fin = parse_fin(MT202).unwrap();
    assert_eq!(mt.fields(), fin.fields);
}

#[test]
fn mt202cov_reads_sequence_b_with_its_numbered_party_lines() {
    let mt = mt202(MT202COV).unwrap();
    assert_eq!(
        mt.account_with_institution
            .as_ref()
            .and_then(Institution::bic),
        Some("ZAGRIRTH")
    );
    let cover = mt.underlying.as_ref().unwrap();
    let (option, customer) = &cover.ordering_customer;
    assert_eq!(*option, 'F');
    assert_eq!(customer.name.as_deref(), Some("VOLGA ENERGY LLC"));
    assert_eq!(customer.address_lines, vec!["UL. SADOVAYA-SPASSKAYA 21/1"]);
    assert_eq!(
        (customer.country.as_deref(), customer.town.as_deref()),
        (Some("RU"), Some("MOSCOW"))
    );
    assert_eq!(
        cover
            .ordering_institution
            .as_ref()
            .and_then(Institution::bic),
        Some("VTBRRUMM")
    );
    assert_eq!(
        cover
            .account_with_institution
            .as_ref()
            .and_then(Institution::bic),
        Some("MELIIRTH")
    );
    assert_eq!(
        cover.beneficiary.1.account.as_deref(),
        Some("IR820540102680020817909002")
    );
    assert_eq!(cover.instructed, Some(("RUB".into(), "1500000,50".into())));
    assert_eq!(
        mt.user_header(),
        vec![
            ("119".to_string(), "COV".to_string()),
            (
                "121".to_string(),
                "eb6305c9-1f7f-49de-aed0-16487c27b42d".to_string()
            )
        ]
    );
    assert_eq!(mt.fields(), parse_fin(MT202COV).unwrap().fields);
}

#[test]
fn mt202_translates_to_a_schema_valid_pacs009_and_back() {
    let mt = mt202(MT202).unwrap();
    let translation = mt202_to_pacs009(&mt, CREATED);
    assert_eq!(translation.notes, vec![]);
    let mx = &translation.message;
    mx.validate().unwrap();
    assert_valid(&mx.to_xml(), "pacs.009.001.08.xsd");
    let tx = &mx.credit_transfer_transactions[0];
    assert_eq!(
        tx.payment_identification
            .instruction_identification
            .as_deref(),
        Some("TRS-2026-1123")
    );
    assert_eq!(
        tx.payment_identification.end_to_end_identification,
        "NONREF"
    );
    assert_eq!(
        tx.payment_identification.uetr.as_deref(),
        Some("3a1c2e4f-5b6d-4e8f-9a0b-1c2d3e4f5a6b")
    );
    assert_eq!(tx.interbank_settlement_amount.amount, "25000000");
    assert_eq!(tx.interbank_settlement_date.as_deref(), Some("2026-11-23"));
    assert_eq!(tx.debtor.bicfi.as_deref(), Some("VOLGRUMM"));
    assert_eq!(
        tx.debtor_account.as_ref().map(|a| &a.identification),
        Some(&AccountIdentification::Other("30111810100000000017".into()))
    );
    assert_eq!(tx.creditor.bicfi.as_deref(), Some("BKMTIRTH"));
    assert_eq!(
        tx.creditor_agent.as_ref().and_then(|a| a.bicfi.as_deref()),
        Some("ZAGRIRTH")
    );
    assert_eq!(
        tx.remittance_information_unstructured,
        vec!["/BNF/TREASURY TOP-UP NOVEMBER", "//SECOND TRANCHE"]
    );
    assert!(tx.underlying_customer_credit_transfer.is_none());

    let back = pacs009_to_mt202(mx).unwrap();
    assert_eq!(back.notes, vec![]);
    assert_eq!(mt202(&back.message.to_fin()).unwrap(), mt);
}

#[test]
fn mt202cov_translates_to_the_pacs009_cover_variant_and_back() {
    let mt = mt202(MT202COV).unwrap();
    let translation = mt202_to_pacs009(&mt, CREATED);
    assert_eq!(translation.notes, vec![]);
    let mx = &translation.message;
    mx.validate().unwrap();
    assert_valid(&mx.to_xml(), "pacs.009.001.08.xsd");
    let tx = &mx.credit_transfer_transactions[0];
    // Without 52a the sender is the debtor.
    assert_eq!(tx.debtor.bicfi.as_deref(), Some("VOLGRUMM"));
    let cover = tx.underlying_customer_credit_transfer.as_ref().unwrap();
    assert_eq!(cover.debtor.name.as_deref(), Some("VOLGA ENERGY LLC"));
    let address = cover.debtor.postal_address.as_ref().unwrap();
    assert_eq!(address.country.as_deref(), Some("RU"));
    assert_eq!(address.town_name.as_deref(), Some("MOSCOW"));
    assert_eq!(cover.debtor_agent.bicfi.as_deref(), Some("VTBRRUMM"));
    assert_eq!(cover.creditor_agent.bicfi.as_deref(), Some("MELIIRTH"));
    assert_eq!(
        cover.creditor_account.as_ref().map(|a| &a.identification),
        Some(&AccountIdentification::Iban(
            "IR820540102680020817909002".into()
        ))
    );
    assert_eq!(
        cover.remittance_information_unstructured,
        vec!["GAS DELIVERIES CONTRACT 2026/EN-114"]
    );
    assert_eq!(
        cover.instructed_amount.as_ref().map(|a| a.amount.as_str()),
        Some("1500000.50")
    );

    let back = pacs009_to_mt202(mx).unwrap();
    assert_eq!(back.notes, vec![]);
    let fin = back.message.to_fin();
    assert!(fin.contains("{3:{119:COV}{121:eb6305c9"), "{fin}");
    assert_eq!(mt202(&fin).unwrap(), mt);
}

#[test]
fn underlying_agents_default_to_the_cover_debtor_and_creditor() {
    let without = MT202COV
        .replace(":52A:VTBRRUMM\r\n", "")
        .replace(":57A:MELIIRTH\r\n", "");
    let mt = mt202(&without).unwrap();
    let mx = mt202_to_pacs009(&mt, CREATED).message;
    let cover = mx.credit_transfer_transactions[0]
        .underlying_customer_credit_transfer
        .clone()
        .unwrap();
    assert_eq!(cover.debtor_agent.bicfi.as_deref(), Some("VOLGRUMM"));
    assert_eq!(cover.creditor_agent.bicfi.as_deref(), Some("BKMTIRTH"));
    assert_eq!(
        mt202(&pacs009_to_mt202(&mx).unwrap().message.to_fin()).unwrap(),
        mt
    );
}

#[test]
fn fields_the_pacs009_model_does_not_keep_are_noted_as_dropped() {
    let extra = MT202COV
        .replace(
            ":32A:",
            ":13C:/CLSTIME/0915+0300\r\n:32A:",
        )
        .replace(
            ":57A:ZAGRIRTH\r\n",
            ":53B:/D/30109810000000000001\r\n:54A:CBRFRUMM\r\n:56D:SOME BANK\r\nMOSCOW\r\n:57A:ZAGRIRTH\r\n",
        )
        .replace("3/IR/TEHRAN\r\n", "3/IR/TEHRAN\r\n6/IR/CBI/1234567\r\n")
        .replace(":33B:", ":72:/ACC/CREDIT ON ARRIVAL\r\n:33B:");
    let mt = mt202(&extra).unwrap();
    assert_eq!(mt.time_indications, vec!["/CLSTIME/0915+0300"]);
    assert_eq!(
        mt.senders_correspondent.as_ref().map(|i| i.option),
        Some('B')
    );
    let translation = mt202_to_pacs009(&mt, CREATED);
    translation.message.validate().unwrap();
    for field in [
        "13C",
        "53a",
        "54a",
        "56a (",
        "59F lines 4/ to 8/",
        "72 of sequence B",
    ] {
        assert!(
            translation.notes.iter().any(
                |n| matches!(n, TranslationNote::Dropped { field: f } if f.starts_with(field))
            ),
            "{field} missing from {:?}",
            translation.notes
        );
    }
}

#[test]
fn what_mt202_cannot_carry_is_cut_with_a_plus_and_noted() {
    let mt = mt202(MT202COV).unwrap();
    let mut mx = mt202_to_pacs009(&mt, CREATED).message;
    let tx = &mut mx.credit_transfer_transactions[0];
    tx.payment_identification.end_to_end_identification = "ИНВ-2024/05-77-ДОЛГИЙ".into();
    tx.remittance_information_unstructured = vec!["/BNF/".to_string() + &"Z".repeat(200)];
    let cover = tx.underlying_customer_credit_transfer.as_mut().unwrap();
    cover.creditor.postal_address = Some(PostalAddress {
        country: Some("IR".into()),
        town_name: Some("Tehran".into()),
        address_lines: vec!["Valiasr Street 2245".into(), "Second line".into()],
        ..PostalAddress::default()
    });
    let back = pacs009_to_mt202(&mx).unwrap();
    let fin = parse_fin(&back.message.to_fin()).unwrap();
    assert_eq!(fin.field("21"), Some("...-2024/05-77-+"));
    let instructions = fin.field("72").unwrap();
    assert_eq!(instructions.lines().count(), 6);
    assert!(instructions.lines().skip(1).all(|l| l.starts_with("//")));
    assert!(instructions.ends_with('+'));
    for note in [
        TranslationNote::Replaced { field: "21".into() },
        TranslationNote::Truncated { field: "21".into() },
        TranslationNote::Truncated { field: "72".into() },
        TranslationNote::Truncated {
            field: "59F".into(),
        },
    ] {
        assert!(
            back.notes.contains(&note),
            "{note:?} missing from {:?}",
            back.notes
        );
    }
    // What was cut still reads as an MT202COV.
    mt202(&back.message.to_fin()).unwrap();
}

#[test]
fn a_pacs009_without_a_creditor_bic_has_no_mt202() {
    let mt = mt202(MT202).unwrap();
    let mut mx = mt202_to_pacs009(&mt, CREATED).message;
    mx.credit_transfer_transactions[0].creditor.bicfi = None;
    assert!(pacs009_to_mt202(&mx).is_none());
    mx.credit_transfer_transactions.clear();
    assert!(pacs009_to_mt202(&mx).is_none());
}

fn refusal(text: &str) -> String {
    mt202(text).unwrap_err()
}

#[test]
fn a_missing_mandatory_field_is_refused_by_name() {
    for (tag, reason) in [
        (":21:NONREF\r\n", "CH21: field 21 is required"),
        (":32A:261123RUB25000000,\r\n", "CH21: field 32A is required"),
        (
            ":58A:/30111810400000000042\r\nBKMTIRTH\r\n",
            "CH21: field 58a is required",
        ),
    ] {
        assert_eq!(refusal(&MT202.replace(tag, "")), reason);
    }
    let no_beneficiary = MT202COV.replace(":59F:/IR820540102680020817909002\r\n1/PERSIAN GULF PETROCHEMICAL CO\r\n2/VALIASR STREET 2245\r\n3/IR/TEHRAN\r\n", "");
    assert_eq!(refusal(&no_beneficiary), "CH21: field 59a is required");
}

#[test]
fn bad_dates_and_amounts_are_refused_with_a_reason() {
    for date in ["261323", "260230", "261131", "26112X"] {
        let e = refusal(&MT202.replace("261123", date));
        assert!(e.contains("32A") && e.contains("date"), "{date}: {e}");
    }
    for amount in [
        "25000000",
        "25.000.000,",
        ",5",
        "2,500,000",
        "1234567890123456,",
    ] {
        let e = refusal(&MT202.replace("25000000,", amount));
        assert!(e.contains("32A") && e.contains("amount"), "{amount}: {e}");
    }
    let e = refusal(&MT202COV.replace(":33B:RUB", ":33B:RU"));
    assert!(e.contains("33B"), "{e}");
    // 2028 is a leap year.
    mt202(&MT202.replace("261123", "280229")).unwrap();
}

#[test]
fn the_wrong_structure_is_refused_with_a_reason() {
    let e = refusal(&MT202.replace("{2:I202", "{2:I103"));
    assert_eq!(e, "FF01: not an MT202 but an MT103");
    let e = refusal(&MT202COV.replace("{119:COV}", ""));
    assert!(e.contains("119:COV"), "{e}");
    let e = refusal(&MT202.replace("{3:{", "{3:{119:COV}{"));
    assert_eq!(e, "CH21: field 50a is required");
    let e = refusal(&MT202.replace(":58A:/30111810400000000042\r\nBKMTIRTH", ":58A:NOT A BIC"));
    assert!(e.contains("58") && e.contains("BIC"), "{e}");
    let e = refusal(&MT202.replace(":20:TRS-2026-1123", ":20:A-REFERENCE-OF-20-CHARS"));
    assert!(e.contains("field 20"), "{e}");
}

#[test]
fn hostile_bytes_are_refused_or_read_never_a_panic() {
    for text in [MT202, MT202COV] {
        for end in 0..text.len() {
            let _ = mt202(&text[..end]);
        }
        for (i, _) in text.char_indices() {
            for byte in ["{", "}", ":", "\n", "/", "-}", "Ж"] {
                let mut hostile = text.to_string();
                hostile.insert_str(i, byte);
                if let Ok(mt) = mt202(&hostile) {
                    let _ = pacs009_to_mt202(&mt202_to_pacs009(&mt, CREATED).message);
                }
            }
        }
    }
    assert!(mt202(&MT202.replace("NONREF", "NON\u{0}REF")).is_err());
}

#[test]
fn a_settlement_time_request_is_noted_as_dropped() {
    let mt = mt202(MT202).unwrap();
    let mut mx = mt202_to_pacs009(&mt, CREATED).message;
    assert_eq!(
        mx.credit_transfer_transactions[0].settlement_time_request,
        None
    );
    let dropped = TranslationNote::Dropped {
        field: "SttlmTmReq".into(),
    };
    assert!(!pacs009_to_mt202(&mx).unwrap().notes.contains(&dropped));
    mx.credit_transfer_transactions[0].settlement_time_request = Some(SettlementTimeRequest {
        cls_time: Some("07:00:00+01:00".into()),
        ..SettlementTimeRequest::default()
    });
    let back = pacs009_to_mt202(&mx).unwrap();
    assert!(back.notes.contains(&dropped), "{:?}", back.notes);
}
