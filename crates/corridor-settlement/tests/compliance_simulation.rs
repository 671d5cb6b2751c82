//! Randomized simulation of screening holds: payments with and without hits, decisions by
//! the right and the wrong officers, four-eyes switched on and off, false-positive releases,
//! new list versions, time passing and restarts from a snapshot. After every command the
//! hub's invariants hold (a payment is held exactly when its hold is open, the audit chain
//! verifies, the ledger balances); at the end nothing held was lost, every decided hold has
//! its decision, and replaying the same commands on a fresh hub gives the same state.

mod support;

use corridor_core::Bic;
use corridor_ledger::StateMachine;
use corridor_settlement::{
    HoldDecision, HoldState, Hub, HubCommand, ListVersionRef, Officer, PaymentStatus, ScreenedRole,
    Screening, ScreeningHit,
};
use proptest::prelude::*;
use support::*;

#[derive(Clone, Debug)]
enum Op {
    Pay {
        from: usize,
        hit: Option<u8>,
        amount: u32,
    },
    Decide {
        pick: usize,
        officer: usize,
        release: bool,
        false_positive: bool,
    },
    FourEyes(bool),
    NewListVersion,
    Advance {
        seconds: u32,
    },
    Restart,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0..4usize, prop::option::weighted(0.5, 0..3u8), 1..5_000u32)
            .prop_map(|(from, hit, amount)| Op::Pay { from, hit, amount }),
        4 => (0..64usize, 0..5usize, any::<bool>(), any::<bool>()).prop_map(
            |(pick, officer, release, false_positive)| Op::Decide { pick, officer, release, false_positive }
        ),
        1 => any::<bool>().prop_map(Op::FourEyes),
        1 => Just(Op::NewListVersion),
        1 => (1..100_000u32).prop_map(|seconds| Op::Advance { seconds }),
        1 => Just(Op::Restart),
    ]
}

fn banks() -> [Bic; 4] {
    [bank_a(), bank_b(), bank_c(), bank_d()]
}

/// Two officers of bank A, one of bank B, two of the operator.
fn officers() -> [Officer; 5] {
    let of = |name: &str, bank: Option<Bic>| Officer {
        name: name.to_string(),
        bank,
    };
    [
        of("olga", Some(bank_a())),
        of("pavel", Some(bank_a())),
        of("reza", Some(bank_b())),
        of("omar", None),
        of("nadia", None),
    ]
}

struct Sim {
    bench: Bench,
    /// Every command that ran, with its time, to replay.
    log: Vec<(corridor_core::Timestamp, HubCommand)>,
    version: u32,
    counter: u32,
    ever_held: Vec<u64>,
}

impl Sim {
    fn new() -> Sim {
        let mut bench = Bench::standard();
        for bank in banks() {
            bench.fund(bank, rub(), "100000.00");
        }
        let mut sim = Sim {
            bench,
            log: Vec::new(),
            version: 0,
            counter: 0,
            ever_held: Vec::new(),
        };
        sim.run(HubCommand::RecordWatchlist {
            version: sim.list(),
            entries: 3,
        })
        .expect("recorded");
        sim
    }

    fn list(&self) -> ListVersionRef {
        ListVersionRef {
            list: "un".to_string(),
            date: format!("2026-11-{:02}", 1 + self.version % 28),
            sha256: format!("{:064}", self.version),
        }
    }

    fn run(&mut self, command: HubCommand) -> corridor_settlement::HubOutcome {
        let outcome = self.bench.run(command.clone());
        self.log.push((self.bench.now, command));
        self.bench
            .hub
            .check_invariants()
            .unwrap_or_else(|e| panic!("invariant broken: {e}"));
        outcome
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::Pay { from, hit, amount } => self.pay(*from, *hit, *amount),
            Op::Decide {
                pick,
                officer,
                release,
                false_positive,
            } => self.decide(*pick, *officer, *release, *false_positive),
            Op::FourEyes(on) => {
                self.run(HubCommand::ConfigureCompliance(
                    corridor_settlement::ComplianceConfig {
                        hit_threshold: 850,
                        four_eyes: *on,
                        ..Default::default()
                    },
                ))
                .expect("the operator configures");
            }
            Op::NewListVersion => {
                self.version += 1;
                let version = self.list();
                self.run(HubCommand::RecordWatchlist {
                    version,
                    entries: 3,
                })
                .expect("recorded");
            }
            Op::Advance { seconds } => {
                self.bench.advance(u64::from(*seconds));
                self.run(HubCommand::Tick).expect("tick");
            }
            Op::Restart => {
                let bytes = self.bench.hub.encode_snapshot().expect("the state encodes");
                self.bench.hub = Hub::decode_snapshot(&bytes).expect("the snapshot decodes");
            }
        }
    }

    fn pay(&mut self, from: usize, hit: Option<u8>, amount: u32) {
        self.counter += 1;
        let sender = banks()[from];
        let receiver = banks()[(from + 1) % 4];
        let id = format!("P{}", self.counter);
        let amount = format!("{}.{:02}", amount / 100, amount % 100);
        let hits = hit
            .map(|entry| ScreeningHit {
                role: ScreenedRole::Creditor,
                party_name: "Ali Rezaei".to_string(),
                list: "un".to_string(),
                entry_id: format!("QDi.{entry}"),
                entry_name: "Listed Person".to_string(),
                entry_fingerprint: format!("f{}", self.version),
                score: 900,
                explanation: "simulated".to_string(),
            })
            .into_iter()
            .collect();
        let screening = Screening {
            lists: vec![self.list()],
            threshold: 850,
            hits,
        };
        let outcome = self.run(HubCommand::SubmitPayments {
            sender,
            payments: vec![instruction(&id, receiver, &amount, rub())],
            screening: vec![screening],
        });
        let Ok(corridor_settlement::Answer::Payments(receipts)) = outcome else {
            panic!("a submission is answered per payment: {outcome:?}");
        };
        if let Some(Ok(r)) = receipts.first()
            && r.status == PaymentStatus::Held
        {
            self.ever_held.push(r.payment);
        }
    }

    fn decide(&mut self, pick: usize, officer: usize, release: bool, false_positive: bool) {
        let Some(&payment) = self.ever_held.get(pick % self.ever_held.len().max(1)) else {
            return;
        };
        let officer = officers()[officer].clone();
        let hold = self.bench.hub.compliance().hold(payment).cloned();
        let decision = if release {
            HoldDecision::Release { false_positive }
        } else {
            HoldDecision::Reject
        };
        let outcome = self.run(HubCommand::DecideHold {
            officer: officer.clone(),
            payment,
            decision,
            reason: "simulated review".to_string(),
        });
        let Some(hold) = hold else {
            panic!("a payment once held keeps its hold");
        };
        let entitled = officer.bank.is_none_or(|b| b == hold.sender);
        match outcome {
            Ok(_) => {
                assert!(entitled, "{officer:?} decided another bank's hold");
                assert_eq!(hold.state, HoldState::Open, "only an open hold is decided");
            }
            Err(e) => assert!(
                !entitled || hold.state != HoldState::Open || e.code == "AG01",
                "an entitled officer was refused an open hold: {e}"
            ),
        }
    }

    fn finish(&self) {
        let hub = &self.bench.hub;
        for &id in &self.ever_held {
            let hold = hub.compliance().hold(id).expect("nothing held is dropped");
            let status = hub.payment(id).map(|p| p.status);
            match hold.state {
                HoldState::Open => assert_eq!(status, Some(PaymentStatus::Held)),
                HoldState::Rejected => {
                    assert_eq!(status, Some(PaymentStatus::Rejected));
                    assert!(hold.rejection.is_some());
                }
                HoldState::Released => {
                    assert_ne!(status, Some(PaymentStatus::Held));
                    assert!(!hold.approvals.is_empty());
                }
            }
        }
        let mut fresh = Bench::standard();
        for bank in banks() {
            fresh.fund(bank, rub(), "100000.00");
        }
        let mut replay = fresh.hub;
        for (at, command) in &self.log {
            let _ = replay.execute(command, *at);
        }
        assert_eq!(
            replay.state_hash(),
            hub.state_hash(),
            "replaying the commands gives the same hub"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn holds_and_decisions_keep_every_invariant(ops in prop::collection::vec(op(), 1..120)) {
        let mut sim = Sim::new();
        for op in &ops {
            sim.apply(op);
        }
        sim.finish();
    }
}
