//! `corridor up` never falls back to plain HTTP by accident: TLS configured in part, no
//! transport at all, or development plain HTTP on a non-loopback address each stop it before
//! it listens, with a message that says what to give.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `corridor up` with `args`; a node that is still running after a few seconds started
/// serving, which is the failure these tests look for, and is stopped.
fn up_refused(args: &[&str]) -> Output {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["up", "--data-dir"])
        .arg(data.path())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            let output = child.wait_with_output().unwrap();
            panic!(
                "corridor up {args:?} started serving: {}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success(), "{args:?}");
    output
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn tls_configured_in_part_is_refused() {
    let output = up_refused(&[
        "--listen",
        "127.0.0.1:0",
        "--tls-key",
        "server-key.pem",
        "--client-ca",
        "ca.pem",
    ]);
    assert!(
        stderr(&output).contains("--tls-cert missing"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn plain_http_needs_the_development_flag() {
    let output = up_refused(&["--listen", "127.0.0.1:0"]);
    assert!(
        stderr(&output).contains("--dev-tokens"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn development_plain_http_is_refused_off_loopback() {
    let output = up_refused(&["--listen", "0.0.0.0:0", "--dev-tokens"]);
    assert!(stderr(&output).contains("loopback"), "{}", stderr(&output));
}
