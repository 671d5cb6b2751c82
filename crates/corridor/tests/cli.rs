//! The `corridor` binary end to end: the demo writes a real data directory, `journal verify`
//! accepts it and rejects a damaged one with a clear message, `journal inspect` reads it.

use std::process::{Command, Output};

fn corridor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn demo_then_verify_and_inspect() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let mut settled = 0;
    for _ in 0..2 {
        let demo = corridor(&["demo", "--data-dir", data, "--payments", "3000"]);
        assert!(demo.status.success(), "{}", text(&demo));
        let out = text(&demo);
        let count = out
            .split_once(": ")
            .and_then(|(_, rest)| rest.split_once(" settled"))
            .map(|(n, _)| n);
        settled += count
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("{out}"));
    }
    assert!(settled > 0);
    let verify = corridor(&["journal", "verify", "--data-dir", data]);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(text(&verify).contains("verify: OK"));
    // The setup (10 accounts, 8 funding transfers) runs twice but is applied once.
    let expected = format!("accounts: 10, transfers: {}", 8 + settled);
    assert!(
        text(&verify).contains(&expected),
        "{expected}: {}",
        text(&verify)
    );

    let inspect = corridor(&[
        "journal",
        "inspect",
        "--data-dir",
        data,
        "--json",
        "--limit",
        "2",
    ]);
    assert!(inspect.status.success(), "{}", text(&inspect));
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&inspect.stdout)
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["seq"], 1);
    assert_eq!(first["commands"]["create_account"], 10);
}

#[test]
fn verify_refuses_a_damaged_journal_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_str = data.to_str().unwrap();
    assert!(
        corridor(&["demo", "--data-dir", data_str, "--payments", "3000"])
            .status
            .success()
    );
    let segment = std::fs::read_dir(data.join("journal"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut bytes = std::fs::read(&segment).unwrap();
    bytes[100] ^= 0x01;
    std::fs::write(&segment, &bytes).unwrap();
    let verify = corridor(&["journal", "verify", "--data-dir", data_str]);
    assert!(!verify.status.success());
    assert!(
        text(&verify).contains("corrupt record at byte"),
        "{}",
        text(&verify)
    );
    assert!(
        text(&verify).contains("checksum mismatch"),
        "{}",
        text(&verify)
    );

    let bad_version = dir.path().join("versioned");
    std::fs::create_dir_all(bad_version.join("journal")).unwrap();
    let mut header = b"CORRJRNL".to_vec();
    header.extend_from_slice(&7u32.to_le_bytes());
    header.extend_from_slice(&1u64.to_le_bytes());
    let crc = crc32c_of(&header);
    header.extend_from_slice(&crc.to_le_bytes());
    header.extend_from_slice(&[0u8; 64]);
    std::fs::write(
        bad_version.join("journal/journal-00000000000000000001.log"),
        &header,
    )
    .unwrap();
    let verify = corridor(&[
        "journal",
        "verify",
        "--data-dir",
        bad_version.to_str().unwrap(),
    ]);
    assert!(!verify.status.success());
    assert!(
        text(&verify).contains("format version 7 is not supported"),
        "{}",
        text(&verify)
    );
}

fn crc32c_of(bytes: &[u8]) -> u32 {
    // CRC-32C (Castagnoli), bit by bit: the test must not share the code it checks.
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
