//! MT103: FIN blocks, fields, and translation to and from pacs.008 with what each direction
//! cuts or drops noted.

mod common;

use common::assert_valid;
use corridor_iso20022::mt::{
    Mt103, TranslationNote, mt103_to_pacs008, pacs008_to_mt103, parse_fin,
};
use corridor_iso20022::{
    AccountIdentification, ChargeBearer, PostalAddress, SettlementTimeRequest,
};

const MT103: &str = "{1:F01CBRFRUMMAXXX0000000000}{2:I103BKMTIRTHXXXXN}{3:{108:MUR12345}{121:eb6305c9-1f7f-49de-aed0-16487c27b42d}}{4:\r
:20:INV-2026-0042\r
:23B:CRED\r
:32A:261123RUB1500000,50\r
:33B:RUB1500000,50\r
:50K:/40702810900000012345\r
VOLGA ENERGY LLC\r
UL. SADOVAYA-SPASSKAYA 21/1\r
MOSCOW\r
:52A:VOLGRUMM\r
:57A:ZAGRIRTH\r
:59F:/IR820540102680020817909002\r
1/PERSIAN GULF PETROCHEMICAL CO\r
2/VALIASR STREET 2245\r
3/IR/TEHRAN\r
:70:/ROC/E2E-77/ GAS DELIVERIES CONTRAC\r
T 2026/EN-114\r
:71A:SHA\r
-}{5:{CHK:123456789ABC}}";

#[test]
fn fin_blocks_and_fields_are_read() {
    let fin = parse_fin(MT103).unwrap();
    assert_eq!(
        (fin.sender.as_str(), fin.receiver.as_str()),
        ("CBRFRUMM", "BKMTIRTH")
    );
    assert_eq!(fin.message_type, "103");
    assert_eq!(
        fin.user_field("121"),
        Some("eb6305c9-1f7f-49de-aed0-16487c27b42d")
    );
    assert_eq!(
        fin.field("70"),
        Some("/ROC/E2E-77/ GAS DELIVERIES CONTRAC\nT 2026/EN-114")
    );
    assert_eq!(
        fin.trailer,
        vec![("CHK".to_string(), "123456789ABC".to_string())]
    );
    let mt = Mt103::from_fin(&fin).unwrap();
    assert_eq!(
        (
            mt.value_date.as_str(),
            mt.currency.as_str(),
            mt.amount.as_str()
        ),
        ("261123", "RUB", "1500000,50")
    );
    assert_eq!(mt.ordering_customer.0, 'K');
    assert_eq!(
        mt.ordering_customer.1.name.as_deref(),
        Some("VOLGA ENERGY LLC")
    );
    assert_eq!(
        mt.ordering_customer.1.address_lines,
        vec!["UL. SADOVAYA-SPASSKAYA 21/1", "MOSCOW"]
    );
    assert_eq!(mt.beneficiary.0, 'F');
    assert_eq!(mt.beneficiary.1.country.as_deref(), Some("IR"));
    assert_eq!(mt.beneficiary.1.town.as_deref(), Some("TEHRAN"));
    // Written back, the message reads the same.
    let again = parse_fin(&fin.to_fin()).unwrap();
    assert_eq!(again, fin);
}

#[test]
fn an_output_message_names_the_sender_from_its_input_reference() {
    let output = "{1:F01BKMTIRTHAXXX0000000000}{2:O1031200261123CBRFRUMMAXXX00001234562611231200N}{4:\r\n:20:X\r\n-}";
    let fin = parse_fin(output).unwrap();
    assert_eq!(
        (fin.sender.as_str(), fin.receiver.as_str()),
        ("CBRFRUMM", "BKMTIRTH")
    );
}

#[test]
fn mt103_translates_to_a_schema_valid_pacs008() {
    let mt = Mt103::from_fin(&parse_fin(MT103).unwrap()).unwrap();
    let translation = mt103_to_pacs008(&mt, "2026-11-23T10:00:00Z");
    assert_eq!(translation.notes, vec![], "33B is carried as InstdAmt");
    let mx = &translation.message;
    mx.validate().unwrap();
    let tx = &mx.credit_transfer_transactions[0];
    assert_eq!(
        tx.instructed_amount
            .as_ref()
            .map(|a| (a.currency.as_str(), a.amount.as_str())),
        Some(("RUB", "1500000.50"))
    );
    assert_eq!(
        tx.payment_identification
            .instruction_identification
            .as_deref(),
        Some("INV-2026-0042")
    );
    assert_eq!(
        tx.payment_identification.end_to_end_identification,
        "E2E-77"
    );
    assert_eq!(
        tx.payment_identification.uetr.as_deref(),
        Some("eb6305c9-1f7f-49de-aed0-16487c27b42d")
    );
    assert_eq!(tx.interbank_settlement_amount.amount, "1500000.50");
    assert_eq!(tx.interbank_settlement_date.as_deref(), Some("2026-11-23"));
    assert_eq!(tx.charge_bearer, ChargeBearer::Shared);
    // :70: lines are 35-character chunks of one text (CBPR+): joined without a separator.
    assert_eq!(
        tx.remittance_information_unstructured,
        vec!["/ROC/E2E-77/ GAS DELIVERIES CONTRACT 2026/EN-114".to_string()]
    );
    assert_eq!(tx.debtor_agent.bicfi.as_deref(), Some("VOLGRUMM"));
    assert_eq!(tx.creditor_agent.bicfi.as_deref(), Some("ZAGRIRTH"));
    assert_eq!(
        tx.creditor_account.as_ref().map(|a| &a.identification),
        Some(&AccountIdentification::Iban(
            "IR820540102680020817909002".into()
        ))
    );
    assert_eq!(
        tx.debtor_account.as_ref().map(|a| &a.identification),
        Some(&AccountIdentification::Other("40702810900000012345".into()))
    );
    assert_valid(&mx.to_xml(), "pacs.008.001.08.xsd");
}

#[test]
fn pacs008_translates_back_to_the_same_mt103() {
    let fin = parse_fin(MT103).unwrap();
    let mt = Mt103::from_fin(&fin).unwrap();
    let mx = mt103_to_pacs008(&mt, "2026-11-23T10:00:00Z").message;
    let back = pacs008_to_mt103(&mx).unwrap();
    assert_eq!(back.notes, vec![]);
    let round = Mt103::from_fin(&parse_fin(&back.message.to_fin()).unwrap()).unwrap();
    assert_eq!(round, mt, "33B too");
}

#[test]
fn what_mt_cannot_carry_is_cut_with_a_plus_and_noted() {
    let mt = Mt103::from_fin(&parse_fin(MT103).unwrap()).unwrap();
    let mut mx = mt103_to_pacs008(&mt, "2026-11-23T10:00:00Z").message;
    let tx = &mut mx.credit_transfer_transactions[0];
    tx.payment_identification.instruction_identification =
        Some("A-REFERENCE-LONGER-THAN-16".into());
    tx.debtor.name = Some("ООО «Волга Энергия»".into());
    tx.creditor.postal_address = Some(PostalAddress {
        country: Some("IR".into()),
        town_name: Some("Tehran".into()),
        address_lines: vec!["Valiasr Street 2245".into(), "Second line".into()],
        ..PostalAddress::default()
    });
    tx.remittance_information_unstructured = vec!["X".repeat(140), "more".into()];
    let back = pacs008_to_mt103(&mx).unwrap();
    let fin = parse_fin(&back.message.to_fin()).unwrap();
    assert_eq!(fin.field("20"), Some("A-REFERENCE-LON+"));
    assert!(
        fin.field("50K").unwrap().contains("... ...... ........"),
        "{:?}",
        fin.field("50K")
    );
    assert!(fin.field("70").unwrap().ends_with('+'));
    assert_eq!(fin.field("70").unwrap().lines().count(), 4);
    assert!(fin.field("59F").unwrap().contains("3/IR/Tehran"));
    for note in [
        TranslationNote::Truncated { field: "20".into() },
        TranslationNote::Replaced {
            field: "50K".into(),
        },
        TranslationNote::Truncated {
            field: "59F".into(),
        },
        TranslationNote::Truncated { field: "70".into() },
    ] {
        assert!(
            back.notes.contains(&note),
            "{note:?} missing from {:?}",
            back.notes
        );
    }
}

#[test]
fn malformed_fin_is_refused_with_a_reason_never_a_panic() {
    for bad in [
        "",
        "{1:F01}",
        "{1:F01CBRFRUMMAXXX0000000000}",
        "{1:F01CBRFRUMMAXXX0000000000}{2:X103}{4:\r\n:20:X\r\n-}",
        "{1:F01CBRFRUMMAXXX0000000000}{2:I103BKMTIRTHXXXXN}{4:\r\nno field\r\n-}",
        "{1:F01CBRFRUMMAXXX0000000000}{2:I103BKMTIRTHXXXXN}{3:{121:x}{4:\r\n-}",
        "{1:F01CBRFRUMMAXXX0000000000}{2:I103BKMTIRTHXXXXN}{4:\r\n:20:ПРИВЕТ\r\n-}",
    ] {
        assert!(parse_fin(bad).is_err(), "{bad:?}");
    }
    let missing = "{1:F01CBRFRUMMAXXX0000000000}{2:I103BKMTIRTHXXXXN}{4:\r\n:20:X\r\n-}";
    let e = Mt103::from_fin(&parse_fin(missing).unwrap()).unwrap_err();
    assert!(e.to_string().starts_with("CH21"), "{e}");
    let bad_amount = MT103.replace("RUB1500000,50\r\n:33B", "RUB15.00\r\n:33B");
    let e = Mt103::from_fin(&parse_fin(&bad_amount).unwrap()).unwrap_err();
    assert!(e.to_string().contains("32A"), "{e}");
    // Every truncation of a valid message is refused or read, never a panic.
    for end in 0..MT103.len() {
        if MT103.is_char_boundary(end)
            && let Ok(fin) = parse_fin(&MT103[..end])
        {
            let _ = Mt103::from_fin(&fin);
        }
    }
}

#[test]
fn a_settlement_time_request_is_noted_as_dropped() {
    let mt = Mt103::from_fin(&parse_fin(MT103).unwrap()).unwrap();
    let mut mx = mt103_to_pacs008(&mt, "2026-11-23T10:00:00Z").message;
    assert_eq!(
        mx.credit_transfer_transactions[0].settlement_time_request,
        None
    );
    let dropped = TranslationNote::Dropped {
        field: "SttlmTmReq".into(),
    };
    assert!(!pacs008_to_mt103(&mx).unwrap().notes.contains(&dropped));
    mx.credit_transfer_transactions[0].settlement_time_request = Some(SettlementTimeRequest {
        reject_time: Some("16:00:00+03:00".into()),
        ..SettlementTimeRequest::default()
    });
    let back = pacs008_to_mt103(&mx).unwrap();
    assert!(back.notes.contains(&dropped), "{:?}", back.notes);
}
