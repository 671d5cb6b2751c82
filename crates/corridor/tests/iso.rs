//! `corridor mt2mx`, `corridor mx2mt` and `corridor iso validate` on files.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_corridor");

const MT103: &str = "{1:F01CBRFRUMMAXXX0000000000}{2:I103BKMTIRTHXXXXN}{3:{121:eb6305c9-1f7f-49de-aed0-16487c27b42d}}{4:\r
:20:INV-2026-0042\r
:23B:CRED\r
:32A:261123RUB1500000,50\r
:50K:/40702810900000012345\r
VOLGA ENERGY LLC\r
MOSCOW\r
:59:/IR820540102680020817909002\r
PERSIAN GULF PETROCHEMICAL CO\r
:70:GAS DELIVERIES\r
:71A:OUR\r
-}";

const MT202COV: &str = "{1:F01VOLGRUMMAXXX0000000000}{2:I202CBRFRUMMXXXXN}{3:{119:COV}{121:eb6305c9-1f7f-49de-aed0-16487c27b42d}}{4:\r
:20:COV-2026-0042\r
:21:INV-2026-0042\r
:32A:261123RUB1500000,50\r
:58A:BKMTIRTH\r
:50F:/40702810900000012345\r
1/VOLGA ENERGY LLC\r
3/RU/MOSCOW\r
:59:/IR820540102680020817909002\r
PERSIAN GULF PETROCHEMICAL CO\r
:70:GAS DELIVERIES\r
-}";

fn corridor(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run corridor")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_mt103_goes_to_pacs008_and_back_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let mt_file = dir.path().join("in.fin");
    std::fs::write(&mt_file, MT103).unwrap();
    let mx = corridor(&["mt2mx", mt_file.to_str().unwrap()]);
    assert!(
        mx.status.success(),
        "{}",
        String::from_utf8_lossy(&mx.stderr)
    );
    let xml = stdout(&mx);
    assert!(xml.contains("<InstrId>INV-2026-0042</InstrId>"), "{xml}");
    assert!(xml.contains("<ChrgBr>DEBT</ChrgBr>"), "{xml}");
    let mx_file = dir.path().join("out.xml");
    std::fs::write(&mx_file, &xml).unwrap();

    let verdict = corridor(&["iso", "validate", mx_file.to_str().unwrap()]);
    assert!(verdict.status.success(), "{}", stdout(&verdict));
    assert!(
        stdout(&verdict).contains("pacs.008.001.08: valid"),
        "{}",
        stdout(&verdict)
    );
    assert!(
        stdout(&verdict).ends_with("1 passed, 0 failed\n"),
        "{}",
        stdout(&verdict)
    );

    let back = corridor(&["mx2mt", mx_file.to_str().unwrap()]);
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    let fin = stdout(&back);
    assert!(
        fin.contains(":20:INV-2026-0042\r\n") && fin.contains(":71A:OUR\r\n"),
        "{fin}"
    );
    assert!(
        fin.contains("{121:eb6305c9-1f7f-49de-aed0-16487c27b42d}"),
        "{fin}"
    );
}

#[test]
fn validate_names_each_error_and_counts_failures() {
    let dir = tempfile::tempdir().unwrap();
    let mt_file = dir.path().join("in.fin");
    std::fs::write(&mt_file, MT103).unwrap();
    let xml = stdout(&corridor(&["mt2mx", mt_file.to_str().unwrap()]));
    let broken = xml.replace("eb6305c9-1f7f-49de-aed0-16487c27b42d", "not-a-uetr");
    let bad_file = dir.path().join("bad.xml");
    std::fs::write(&bad_file, broken).unwrap();
    let garbage = dir.path().join("garbage.xml");
    std::fs::write(&garbage, "<Document><unclosed>").unwrap();
    let verdict = corridor(&[
        "iso",
        "validate",
        bad_file.to_str().unwrap(),
        garbage.to_str().unwrap(),
    ]);
    assert!(!verdict.status.success());
    let text = stdout(&verdict);
    assert!(text.contains("/CdtTrfTxInf[1]/PmtId/UETR"), "{text}");
    assert!(text.contains("not readable"), "{text}");
    assert!(text.ends_with("0 passed, 2 failed\n"), "{text}");
}

#[test]
fn an_mt202cov_goes_to_the_pacs009_cover_variant_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let mt_file = dir.path().join("cov.fin");
    std::fs::write(&mt_file, MT202COV).unwrap();
    let mx = corridor(&["mt2mx", mt_file.to_str().unwrap()]);
    assert!(
        mx.status.success(),
        "{}",
        String::from_utf8_lossy(&mx.stderr)
    );
    let xml = stdout(&mx);
    assert!(xml.contains("pacs.009.001.08"), "{xml}");
    assert!(xml.contains("<UndrlygCstmrCdtTrf>"), "{xml}");
    let mx_file = dir.path().join("cov.xml");
    std::fs::write(&mx_file, &xml).unwrap();

    let verdict = corridor(&["iso", "validate", mx_file.to_str().unwrap()]);
    assert!(
        stdout(&verdict).contains("pacs.009.001.08: valid"),
        "{}",
        stdout(&verdict)
    );

    let back = corridor(&["mx2mt", mx_file.to_str().unwrap()]);
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    let fin = stdout(&back);
    assert!(fin.contains("{2:I202CBRFRUMMXXXXN}"), "{fin}");
    assert!(fin.contains("{3:{119:COV}{121:eb6305c9"), "{fin}");
    assert!(
        fin.contains(":50F:/40702810900000012345\r\n1/VOLGA ENERGY LLC\r\n3/RU/MOSCOW\r\n"),
        "{fin}"
    );
}

#[test]
fn mt2mx_refuses_a_message_type_it_does_not_translate() {
    let dir = tempfile::tempdir().unwrap();
    let mt_file = dir.path().join("in.fin");
    std::fs::write(&mt_file, MT202COV.replace("{2:I202", "{2:I940")).unwrap();
    let out = corridor(&["mt2mx", mt_file.to_str().unwrap()]);
    assert!(!out.status.success());
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(error.contains("MT940 is not translated"), "{error}");
}

/// An envelope of its own kind around a pacs.008 with its AppHdr, written by hand with a
/// prefix, comments and an element Corridor does not keep (`InstdAmt`).
const HAND_WRITTEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- from the bank's core system -->
<BusMsg xmlns="urn:example:bank:envelope" batch="7">
  <h:AppHdr xmlns:h="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">
    <h:Fr><h:FIId><h:FinInstnId><h:BICFI>VOLGRUMM</h:BICFI></h:FinInstnId></h:FIId></h:Fr>
    <h:To><h:FIId><h:FinInstnId><h:BICFI>NEVARUMM</h:BICFI></h:FinInstnId></h:FIId></h:To>
    <h:BizMsgIdr>NRM-1</h:BizMsgIdr>
    <h:MsgDefIdr>pacs.008.001.08</h:MsgDefIdr>
    <h:CreDt>2026-11-23T09:30:00Z</h:CreDt>
  </h:AppHdr>
  <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
    <GrpHdr><MsgId>NRM-1</MsgId><CreDtTm>2026-11-23T09:30:00Z</CreDtTm><NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf></GrpHdr>
    <CdtTrfTxInf>
      <PmtId><InstrId>NRM-1</InstrId><EndToEndId>E2E-NRM-1</EndToEndId><UETR>eb6305c9-1f7f-49de-aed0-16487c27b42d</UETR></PmtId>
      <IntrBkSttlmAmt Ccy="RUB">100.00</IntrBkSttlmAmt>
      <IntrBkSttlmDt>2026-11-23</IntrBkSttlmDt>
      <InstdAmt Ccy="RUB">100.00</InstdAmt>
      <ChrgBr>SHAR</ChrgBr>
      <Dbtr><Nm>Волга &amp; Ко</Nm></Dbtr>
      <DbtrAgt><FinInstnId><BICFI>VOLGRUMM</BICFI></FinInstnId></DbtrAgt>
      <CdtrAgt><FinInstnId><BICFI>NEVARUMM</BICFI></FinInstnId></CdtrAgt>
      <Cdtr><Nm>Anna Smirnova</Nm></Cdtr>
    </CdtTrfTxInf>
  </FIToFICstmrCdtTrf></Document>
</BusMsg>
"#;

#[test]
fn normalize_keeps_the_envelope_and_writes_each_message_as_corridor_sends_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.xml");
    std::fs::write(&file, HAND_WRITTEN).unwrap();
    let out = corridor(&["iso", "normalize", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let xml = stdout(&out);
    assert!(
        xml.contains(r#"<BusMsg xmlns="urn:example:bank:envelope" batch="7">"#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">"#),
        "{xml}"
    );
    assert!(xml.contains("<Nm>Волга &amp; Ко</Nm>"), "{xml}");
    assert!(
        xml.contains(r#"<InstdAmt Ccy="RUB">100.00</InstdAmt>"#),
        "the instructed amount is kept: {xml}"
    );
    assert!(!xml.contains("<!--"), "{xml}");

    let again_file = dir.path().join("normalized.xml");
    std::fs::write(&again_file, &xml).unwrap();
    let again = corridor(&["iso", "normalize", again_file.to_str().unwrap()]);
    assert_eq!(stdout(&again), xml, "normalizing twice changes nothing");
    let checked = corridor(&["iso", "validate", again_file.to_str().unwrap()]);
    assert!(
        stdout(&checked).ends_with("1 passed, 0 failed\n"),
        "{}",
        stdout(&checked)
    );
}

#[test]
fn normalize_refuses_what_is_not_a_message_with_its_reason_code() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.xml");
    std::fs::write(&file, "<BusMsg><unclosed></BusMsg>").unwrap();
    let out = corridor(&["iso", "normalize", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("FF02"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn validate_with_a_business_date_applies_the_business_rules() {
    let dir = tempfile::tempdir().unwrap();
    let no_agent = dir.path().join("no-agent.xml");
    std::fs::write(&no_agent, HAND_WRITTEN).unwrap();
    // Schema-valid, but the door needs to know whom to credit: validate says so as the
    // door would.
    let schema_only = corridor(&["iso", "validate", no_agent.to_str().unwrap()]);
    assert!(stdout(&schema_only).ends_with("1 passed, 0 failed\n"));
    let as_the_door = corridor(&[
        "iso",
        "validate",
        no_agent.to_str().unwrap(),
        "--business-date",
        "2026-11-23",
    ]);
    let text = stdout(&as_the_door);
    assert!(
        text.contains("CH21 /Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/InstdAgt"),
        "{text}"
    );
    assert!(text.ends_with("0 passed, 1 failed\n"), "{text}");

    // Named once in the group header, the instructed agent applies to the transaction.
    let file = dir.path().join("in.xml");
    std::fs::write(
        &file,
        HAND_WRITTEN.replace(
            "</SttlmInf></GrpHdr>",
            "</SttlmInf><InstdAgt><FinInstnId><BICFI>NEVARUMM</BICFI></FinInstnId></InstdAgt></GrpHdr>",
        ),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let wrong_sender = corridor(&[
        "iso",
        "validate",
        path,
        "--business-date",
        "2026-11-23",
        "--sender",
        "NEVARUMM",
    ]);
    assert!(
        stdout(&wrong_sender).contains("AG01 /AppHdr/Fr"),
        "{}",
        stdout(&wrong_sender)
    );
    let on_the_day = corridor(&["iso", "validate", path, "--business-date", "2026-11-23"]);
    assert!(
        stdout(&on_the_day).ends_with("1 passed, 0 failed\n"),
        "{}",
        stdout(&on_the_day)
    );
    let late = corridor(&["iso", "validate", path, "--business-date", "2026-11-25"]);
    let text = stdout(&late);
    assert!(
        text.contains("DT01 /Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/IntrBkSttlmDt"),
        "{text}"
    );
    assert!(text.ends_with("0 passed, 1 failed\n"), "{text}");
    let no_rubles = corridor(&[
        "iso",
        "validate",
        path,
        "--business-date",
        "2026-11-23",
        "--currency",
        "IRR:0",
    ]);
    assert!(
        stdout(&no_rubles).contains("AM03"),
        "{}",
        stdout(&no_rubles)
    );
}
