//! Property tests: random batches of account, transfer and rule-change commands (single-phase,
//! two-phase, linked, failing, retried) checked after every batch against the invariants and
//! against a model that replays only the events the ledger reported as `ok`. Replays and snapshots must
//! reproduce the same state hash.

mod support;

use std::collections::HashMap;

use corridor_core::{Amount, Timestamp, TransferId};
use corridor_ledger::codec::{self, Reader};
use corridor_ledger::{BalanceRule, Command, Ledger, ResultCode, TransferAction};
use proptest::prelude::*;
use support::*;

fn arb_rule() -> impl Strategy<Value = BalanceRule> {
    prop_oneof![
        Just(BalanceRule::Unrestricted),
        (0u128..200).prop_map(|limit| BalanceRule::DebitsMustNotExceedCredits { limit }),
        (0u128..200).prop_map(|limit| BalanceRule::CreditsMustNotExceedDebits { limit }),
    ]
}

fn arb_command() -> impl Strategy<Value = Command> {
    let currency = prop_oneof![Just(rub()), Just(irr())];
    let account_cmd =
        (1u128..8, currency.clone(), arb_rule()).prop_map(|(id, c, rule)| account(id, c, rule));
    let moving = (1u128..8, 1u128..8, 0u128..300, currency)
        .prop_map(|(d, c, a, cur)| movement(d, c, a, cur));
    let action = prop_oneof![
        3 => moving.clone().prop_map(TransferAction::Post),
        2 => (moving, 0u32..3).prop_map(|(movement, timeout_seconds)| TransferAction::Reserve { movement, timeout_seconds }),
        1 => (1u128..40, proptest::option::of(0u128..300)).prop_map(|(p, a)| TransferAction::PostPending {
            pending_id: tid(p),
            amount: a.map(Amount::from_minor),
        }),
        1 => (1u128..40).prop_map(|p| TransferAction::VoidPending { pending_id: tid(p) }),
    ];
    let transfer_cmd = (1u128..40, action).prop_map(|(id, action)| transfer(id, action));
    let rule_cmd = (1u128..9, arb_rule()).prop_map(|(id, rule)| set_rule(id, rule));
    (
        prop_oneof![1 => account_cmd, 6 => transfer_cmd, 1 => rule_cmd],
        proptest::bool::weighted(0.25),
    )
        .prop_map(|(command, is_linked)| if is_linked { linked(command) } else { command })
}

/// Random batches after a fixed opening batch: accounts 1-4 in RUB and 5-7 in IRR, the
/// first of each unrestricted and funding the others, so most random transfers can succeed.
fn arb_batches() -> impl Strategy<Value = Vec<(Vec<Command>, u64)>> {
    let opening = vec![
        account(1, rub(), BalanceRule::Unrestricted),
        account(2, rub(), no_overdraft()),
        account(
            3,
            rub(),
            BalanceRule::DebitsMustNotExceedCredits { limit: 100 },
        ),
        account(
            4,
            rub(),
            BalanceRule::CreditsMustNotExceedDebits { limit: 1_000 },
        ),
        account(5, irr(), BalanceRule::Unrestricted),
        account(6, irr(), no_overdraft()),
        account(7, irr(), no_overdraft()),
        transfer(1_001, TransferAction::Post(movement(1, 2, 500, rub()))),
        transfer(1_002, TransferAction::Post(movement(5, 6, 500, irr()))),
        transfer(1_003, TransferAction::Post(movement(5, 7, 500, irr()))),
    ];
    proptest::collection::vec(
        (
            proptest::collection::vec(arb_command(), 0..24),
            0u64..2_500_000_000,
        ),
        1..24,
    )
    .prop_map(move |mut batches| {
        batches.insert(0, (opening.clone(), 0));
        batches
    })
}

/// Expected balances, built only from the events the ledger reported as `ok`.
#[derive(Default)]
struct Model {
    balances: HashMap<u128, [u128; 4]>,
    pending: HashMap<TransferId, (u128, u128, u128)>,
}

impl Model {
    fn apply(&mut self, commands: &[Command], results: &[ResultCode], expired: &[TransferId]) {
        for id in expired {
            self.release(*id, 0);
        }
        for (command, result) in commands.iter().zip(results) {
            if *result != ResultCode::Ok {
                continue;
            }
            match command {
                Command::CreateAccount(a) => {
                    self.balances.insert(a.id.get(), [0; 4]);
                }
                Command::CreateTransfer(t) => match t.action {
                    TransferAction::Post(m) => self.book(
                        m.debit_account.get(),
                        m.credit_account.get(),
                        m.amount.minor(),
                        1,
                    ),
                    TransferAction::Reserve { movement: m, .. } => {
                        self.book(
                            m.debit_account.get(),
                            m.credit_account.get(),
                            m.amount.minor(),
                            0,
                        );
                        self.pending.insert(
                            t.id,
                            (
                                m.debit_account.get(),
                                m.credit_account.get(),
                                m.amount.minor(),
                            ),
                        );
                    }
                    TransferAction::PostPending { pending_id, amount } => {
                        let full = self.pending[&pending_id].2;
                        self.release(pending_id, amount.map_or(full, |a| a.minor()));
                    }
                    TransferAction::VoidPending { pending_id } => self.release(pending_id, 0),
                },
                // A rule change moves no money; check_invariants verifies every account
                // still satisfies its (possibly new) rule.
                Command::SetBalanceRule(_) => {}
            }
        }
    }

    fn book(&mut self, debit: u128, credit: u128, amount: u128, slot: usize) {
        self.balances.get_mut(&debit).unwrap()[slot] += amount;
        self.balances.get_mut(&credit).unwrap()[slot + 2] += amount;
    }

    fn release(&mut self, id: TransferId, posted: u128) {
        let (debit, credit, amount) = self
            .pending
            .remove(&id)
            .expect("released reservation was pending");
        self.balances.get_mut(&debit).unwrap()[0] -= amount;
        self.balances.get_mut(&credit).unwrap()[2] -= amount;
        self.book(debit, credit, posted, 1);
    }

    fn assert_matches(&self, ledger: &Ledger) {
        assert_eq!(ledger.accounts().len(), self.balances.len());
        for a in ledger.accounts() {
            let expected = self.balances[&a.id.get()];
            assert_eq!(
                [
                    a.debits_pending,
                    a.debits_posted,
                    a.credits_pending,
                    a.credits_posted
                ],
                expected,
                "{:?}",
                a.id
            );
        }
        assert_eq!(ledger.pending_count(), self.pending.len());
    }
}

fn chains_are_all_or_nothing(commands: &[Command], results: &[ResultCode]) {
    let mut start = 0;
    for i in 0..commands.len() {
        if commands[i].linked() && i + 1 < commands.len() {
            continue;
        }
        let chain = &results[start..=i];
        let all_ok = chain.iter().all(|r| r.is_success());
        let none_ok = chain.iter().all(|r| !r.is_success());
        assert!(all_ok || none_ok, "chain {start}..={i} split: {chain:?}");
        start = i + 1;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn invariants_and_model_hold_after_every_batch(batches in arb_batches()) {
        let mut ledger = Ledger::new();
        let mut model = Model::default();
        let mut now = 1_000_000_000u64;
        for (commands, advance) in &batches {
            now += advance;
            let outcome = ledger.apply(commands, Timestamp(now));
            prop_assert_eq!(outcome.results.len(), commands.len());
            ledger.check_invariants().unwrap();
            chains_are_all_or_nothing(commands, &outcome.results);
            model.apply(commands, &outcome.results, &outcome.expired);
            model.assert_matches(&ledger);
        }
    }

    #[test]
    fn replay_snapshot_and_codec_reproduce_the_state(batches in arb_batches(), cut in 0usize..24) {
        let mut original = Ledger::new();
        let mut journal = Vec::new();
        let mut now = 1_000_000_000u64;
        let mut snapshot = None;
        for (i, (commands, advance)) in batches.iter().enumerate() {
            now += advance;
            let mut bytes = Vec::new();
            codec::encode_commands(commands, &mut bytes);
            let mut reader = Reader::new(&bytes);
            let decoded = reader.commands().unwrap();
            reader.finish().unwrap();
            prop_assert_eq!(&decoded, commands);
            let results = original.apply(commands, Timestamp(now)).results;
            journal.push((decoded, now, results));
            if i == cut.min(batches.len() - 1) {
                snapshot = Some((codec::encode_snapshot(&original), i + 1));
            }
        }
        let mut replayed = Ledger::new();
        for (commands, now, results) in &journal {
            prop_assert_eq!(&replayed.apply(commands, Timestamp(*now)).results, results);
        }
        prop_assert_eq!(replayed.state_hash(), original.state_hash());

        let (bytes, from) = snapshot.unwrap();
        let mut restored = codec::decode_snapshot(&bytes).unwrap();
        for (commands, now, results) in &journal[from..] {
            prop_assert_eq!(&restored.apply(commands, Timestamp(*now)).results, results);
        }
        prop_assert_eq!(restored.state_hash(), original.state_hash());
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Reader::new(&bytes).commands();
        let _ = codec::decode_snapshot(&bytes);
    }
}
