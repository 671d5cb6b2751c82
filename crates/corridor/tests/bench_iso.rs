//! `corridor bench iso` on a small corpus: every message taken in, and the figures it
//! reports consistent with each other.

use std::process::{Command, Output};

use serde_json::Value;

fn bench_iso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["bench", "iso"])
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run corridor")
}

fn number(report: &Value, field: &str) -> f64 {
    report[field]
        .as_f64()
        .unwrap_or_else(|| panic!("{field} is not a number in {report}"))
}

#[test]
fn a_small_corpus_is_all_taken_in_and_the_ratio_is_the_quotient_of_the_rates() {
    let out = bench_iso(&["--json", "--messages", "50", "--rounds", "1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let pipeline = number(&report, "pacs008_per_s");
    let tokenizer = number(&report, "tokenizer_per_s");
    let ratio = number(&report, "ratio_to_tokenizer");
    assert!(pipeline > 0.0, "{report}");
    assert!(tokenizer > 0.0, "{report}");
    assert!(
        (ratio - pipeline / tokenizer).abs() <= 1e-9 * ratio.abs().max(1.0),
        "{report}"
    );
    assert_eq!(report["messages"], 50, "{report}");
    assert_eq!(report["rounds"], 1, "{report}");
    assert_eq!(report["accepted"], 50, "{report}");
    assert_eq!(report["refused"], 0, "{report}");
    assert!(report["targets_met"].is_boolean(), "{report}");
    let bytes = number(&report, "bytes_per_message");
    assert!((3_000.0..=5_000.0).contains(&bytes), "{report}");
}

#[test]
fn an_empty_corpus_is_refused() {
    let out = bench_iso(&["--messages", "0"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--messages and --rounds"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
