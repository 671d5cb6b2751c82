//! The monitor as it was before its windows kept running totals, copied from
//! `corridor-aml` at commit f3303a3 with only its paths changed: every payment recorded
//! in full on both accounts, windows trimmed by scanning them, each rule listing its whole
//! window and the monitor discarding what an earlier alert already covers. The
//! equivalence test holds the monitor to it, alert for alert and byte for byte of its
//! snapshot.

#![allow(dead_code)]

pub mod activity;
pub mod monitor;
pub mod ratio;
pub mod rules;
