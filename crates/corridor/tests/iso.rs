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
