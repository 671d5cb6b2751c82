//! Randomized simulation: random sequences of commands (liquidity, payments of every priority,
//! many of them uncovered, retries, cancels, returns, recalls and their answers, ticks,
//! suspensions, cap changes, acknowledgements) drive the hub. After every command the hub's and the ledger's invariants
//! are checked, and an independent model kept from the answers (who paid whom how much, what
//! liquidity moved) must agree with the ledger's balances. At the end, replaying the journal
//! (commands through the codec) into a fresh hub, and restoring a snapshot taken midway and
//! replaying the rest, must both reproduce the final state.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use corridor_core::{Bic, CurrencyCode, Timestamp};
use corridor_ledger::{BalanceRule, StateMachine, TransferState};
use corridor_settlement::{
    AccountPurpose, Answer, Hub, HubCommand, HubConfig, HubOutcome, LiquidityDirection,
    ParticipantRole, ParticipantStatus, PaymentInstruction, PaymentStatus, Priority,
    RecallDecision,
};
use proptest::prelude::*;
use support::*;

const BANKS: [(&str, &str); 6] = [
    ("SABRRUMM", "RU"),
    ("VTBRRUMM", "RU"),
    ("ALFARUMM", "RU"),
    ("BMJIIRTH", "IR"),
    ("BKMTIRTH", "IR"),
    ("SEPBIRTH", "IR"),
];

fn banks() -> Vec<Bic> {
    BANKS.iter().map(|(b, _)| bic(b)).collect()
}

fn currencies() -> [CurrencyCode; 2] {
    [rub(), irr()]
}

/// Minor units as the decimal text of currency `ccy` (0 = RUB, two decimals; 1 = IRR, none).
fn decimal(ccy: usize, minor: u128) -> String {
    if ccy == 0 {
        format!("{}.{:02}", minor / 100, minor % 100)
    } else {
        minor.to_string()
    }
}

#[derive(Clone, Debug)]
enum Op {
    Fund {
        bank: usize,
        ccy: usize,
        amount: u128,
    },
    Defund {
        bank: usize,
        ccy: usize,
        amount: u128,
    },
    /// Sends an earlier liquidity command again, as it was or with another amount.
    RetryLiquidity {
        pick: usize,
        change: bool,
    },
    Pay {
        from: usize,
        to: usize,
        ccy: usize,
        /// One to three payments in one command.
        amounts: Vec<u128>,
        priority: u8,
        /// 0..=3: a malformed instruction of some kind; else a valid one.
        shape: u8,
    },
    /// Sends an earlier instruction again, as it was or with another amount.
    RetryPay {
        pick: usize,
        change: bool,
    },
    Cancel {
        pick: usize,
        by_other: bool,
    },
    Return {
        pick: usize,
        by_other: bool,
        /// Per mille of the original amount, or everything left.
        share: Option<u16>,
    },
    /// The sender (or, to be refused, the receiver) recalls an earlier payment.
    Recall {
        pick: usize,
        by_other: bool,
    },
    /// The creditor agent (or, to be refused, the requester) answers an earlier recall.
    AnswerRecall {
        pick: usize,
        accept: bool,
        by_other: bool,
    },
    Tick {
        seconds: u32,
    },
    SetStatus {
        bank: usize,
        active: bool,
    },
    Cap {
        bank: usize,
        ccy: usize,
        cap: u128,
    },
    Ack {
        bank: usize,
        behind: u64,
    },
    Configure {
        timeout: u32,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let bank = 0..BANKS.len();
    let ccy = 0..2usize;
    prop_oneof![
        3 => (bank.clone(), ccy.clone(), 1..500_000u128)
            .prop_map(|(bank, ccy, amount)| Op::Fund { bank, ccy, amount }),
        1 => (bank.clone(), ccy.clone(), 1..300_000u128)
            .prop_map(|(bank, ccy, amount)| Op::Defund { bank, ccy, amount }),
        1 => (any::<usize>(), any::<bool>())
            .prop_map(|(pick, change)| Op::RetryLiquidity { pick, change }),
        9 => (
            bank.clone(),
            bank.clone(),
            ccy.clone(),
            prop::collection::vec(1..300_000u128, 1..4),
            0..3u8,
            0..40u8,
        )
            .prop_map(|(from, to, ccy, amounts, priority, shape)| Op::Pay {
                from,
                to,
                ccy,
                amounts,
                priority,
                shape,
            }),
        2 => (any::<usize>(), any::<bool>())
            .prop_map(|(pick, change)| Op::RetryPay { pick, change }),
        2 => (any::<usize>(), prop::bool::weighted(0.2))
            .prop_map(|(pick, by_other)| Op::Cancel { pick, by_other }),
        2 => (
            any::<usize>(),
            prop::bool::weighted(0.15),
            prop::option::of(1..1_300u16)
        )
            .prop_map(|(pick, by_other, share)| Op::Return {
                pick,
                by_other,
                share
            }),
        2 => (any::<usize>(), prop::bool::weighted(0.15))
            .prop_map(|(pick, by_other)| Op::Recall { pick, by_other }),
        2 => (any::<usize>(), any::<bool>(), prop::bool::weighted(0.15))
            .prop_map(|(pick, accept, by_other)| Op::AnswerRecall {
                pick,
                accept,
                by_other
            }),
        2 => prop_oneof![Just(0u32), 1..30u32, 30..400u32]
            .prop_map(|seconds| Op::Tick { seconds }),
        1 => (bank.clone(), any::<bool>())
            .prop_map(|(bank, active)| Op::SetStatus { bank, active }),
        1 => (bank.clone(), ccy.clone(), prop_oneof![Just(0u128), 1..400_000u128])
            .prop_map(|(bank, ccy, cap)| Op::Cap { bank, ccy, cap }),
        1 => (bank, 0..4u64).prop_map(|(bank, behind)| Op::Ack { bank, behind }),
        1 => prop_oneof![Just(0u32), Just(5), Just(60), Just(300), Just(3_600)]
            .prop_map(|timeout| Op::Configure { timeout }),
    ]
}

/// A queue position as the test orders it: most urgent first, then by arrival.
type QueueKey = (std::cmp::Reverse<Priority>, u64);

#[derive(Clone, Debug)]
struct ModelPayment {
    sender: Bic,
    receiver: Bic,
    ccy: usize,
    amount: u128,
    priority: Priority,
    return_of: Option<u64>,
}

/// What the test knows independently of the hub's internals: built from the commands it
/// sent and the answers it got.
#[derive(Debug, Default)]
struct Model {
    payments: BTreeMap<u64, ModelPayment>,
    /// The status each payment had after the previous command.
    status: BTreeMap<u64, PaymentStatus>,
    /// Accepted instructions by (sender, instruction id): the instruction and its payment.
    instructions: BTreeMap<(Bic, String), (PaymentInstruction, u64)>,
    /// Successful liquidity transfers by (agent, reference).
    liquidity: BTreeMap<(Bic, String), (Bic, usize, u128, LiquidityDirection)>,
    /// Net liquidity brought in per (bank, currency).
    liquidity_net: BTreeMap<(Bic, usize), i128>,
    /// Settled amounts per (payer, payee, currency), returns included.
    flows: BTreeMap<(Bic, Bic, usize), u128>,
    /// Settled return amounts per original payment.
    returned: BTreeMap<u64, u128>,
    suspended: BTreeSet<Bic>,
}

struct Sim {
    hub: Hub,
    now: Timestamp,
    log: Vec<(Timestamp, HubCommand)>,
    outcomes: Vec<HubOutcome>,
    model: Model,
    serial: u64,
    /// The snapshot taken after `log[..snapshot_at]`.
    snapshot: Option<(usize, Vec<u8>)>,
}

impl Sim {
    fn new() -> Sim {
        let mut sim = Sim {
            hub: Hub::new(),
            now: START,
            log: Vec::new(),
            outcomes: Vec::new(),
            model: Model::default(),
            serial: 0,
            snapshot: None,
        };
        sim.setup();
        sim
    }

    fn setup(&mut self) {
        for (agent, name, country) in [
            (cbr(), "Bank of Russia", "RU"),
            (cbi(), "Central Bank of Iran", "IR"),
        ] {
            self.must(HubCommand::AdmitParticipant {
                bic: agent,
                name: name.into(),
                country: country.into(),
                roles: vec![ParticipantRole::SettlementAgent],
            });
        }
        self.must(HubCommand::DesignateAgent {
            currency: rub(),
            exponent: 2,
            agent: cbr(),
            time_zone: "Europe/Moscow".into(),
        });
        self.must(HubCommand::DesignateAgent {
            currency: irr(),
            exponent: 0,
            agent: cbi(),
            time_zone: "Asia/Tehran".into(),
        });
        for (bank, country) in BANKS {
            self.must(HubCommand::AdmitParticipant {
                bic: bic(bank),
                name: format!("Bank {bank}"),
                country: country.into(),
                roles: vec![ParticipantRole::DirectParticipant],
            });
            for currency in currencies() {
                self.must(HubCommand::OpenAccount {
                    owner: bic(bank),
                    currency,
                    purpose: AccountPurpose::Settlement,
                    net_debit_cap: 0,
                });
            }
        }
    }

    fn must(&mut self, command: HubCommand) {
        let outcome = self.execute(command);
        assert!(outcome.is_ok(), "setup refused: {outcome:?}");
    }

    fn execute(&mut self, command: HubCommand) -> HubOutcome {
        let outcome = self.hub.execute(&command, self.now);
        self.log.push((self.now, command));
        self.outcomes.push(outcome.clone());
        outcome
    }

    fn next_id(&mut self, prefix: &str) -> String {
        self.serial += 1;
        format!("{prefix}{}", self.serial)
    }

    fn agent(ccy: usize) -> Bic {
        if ccy == 0 { cbr() } else { cbi() }
    }

    /// Picks the `pick`-th known payment, if any.
    fn pick_payment(&self, pick: usize) -> Option<(u64, ModelPayment)> {
        let n = self.model.payments.len();
        if n == 0 {
            return None;
        }
        // Favour recent payments: they are more often still queued.
        let index = if pick.is_multiple_of(2) {
            n - 1 - (pick / 2) % n.min(8)
        } else {
            (pick / 2) % n
        };
        self.model
            .payments
            .iter()
            .nth(index)
            .map(|(id, p)| (*id, p.clone()))
    }

    fn apply(&mut self, op: &Op) {
        // Every command runs 1 ms after the previous one; ticks jump further.
        self.now = Timestamp(self.now.0 + STEP);
        let banks = banks();
        match op {
            Op::Fund { bank, ccy, amount } | Op::Defund { bank, ccy, amount } => {
                let direction = if matches!(op, Op::Fund { .. }) {
                    LiquidityDirection::Fund
                } else {
                    LiquidityDirection::Defund
                };
                let reference = self.next_id("L");
                let command = HubCommand::Liquidity {
                    agent: Sim::agent(*ccy),
                    reference,
                    participant: banks[*bank],
                    currency: currencies()[*ccy],
                    amount: decimal(*ccy, *amount),
                    direction,
                    account: AccountPurpose::Settlement,
                };
                self.liquidity(command);
            }
            Op::RetryLiquidity { pick, change } => {
                let earlier: Vec<HubCommand> = self
                    .log
                    .iter()
                    .filter(|(_, c)| matches!(c, HubCommand::Liquidity { .. }))
                    .map(|(_, c)| c.clone())
                    .collect();
                if earlier.is_empty() {
                    return self.tick(0);
                }
                let mut command = earlier[pick % earlier.len()].clone();
                if *change && let HubCommand::Liquidity { amount, .. } = &mut command {
                    amount.insert(0, '1');
                }
                self.liquidity(command);
            }
            Op::Pay {
                from,
                to,
                ccy,
                amounts,
                priority,
                shape,
            } => {
                let sender = banks[*from];
                let priority =
                    [Priority::Normal, Priority::High, Priority::Urgent][*priority as usize];
                let mut instructions = Vec::new();
                for amount in amounts {
                    let id = self.next_id("P");
                    let mut i =
                        instruction(&id, banks[*to], &decimal(*ccy, *amount), currencies()[*ccy]);
                    i.uetr = uetr_for(&format!("{sender}/{id}"));
                    i.priority = priority;
                    match shape {
                        0 => i.amount = format!("{}.001", amount),
                        1 => i.currency = ccy_of("EUR"),
                        2 => i.creditor.name = "x".repeat(141),
                        3 => i.amount = "0".into(),
                        _ => {}
                    }
                    instructions.push(i);
                }
                self.submit(sender, instructions);
            }
            Op::RetryPay { pick, change } => {
                let known: Vec<(Bic, PaymentInstruction)> = self
                    .model
                    .instructions
                    .iter()
                    .map(|((s, _), (i, _))| (*s, i.clone()))
                    .collect();
                if known.is_empty() {
                    return self.tick(0);
                }
                let (sender, mut i) = known[pick % known.len()].clone();
                if *change {
                    i.remittance_information = Some("changed".into());
                }
                self.submit(sender, vec![i]);
            }
            Op::Cancel { pick, by_other } => {
                let Some((id, p)) = self.pick_payment(*pick) else {
                    return self.tick(0);
                };
                let sender = if *by_other { p.receiver } else { p.sender };
                let outcome = self.execute(HubCommand::CancelPayment {
                    sender,
                    payment: id,
                    reason: "CUST changed their mind".into(),
                });
                match outcome {
                    Ok(Answer::Payment(r)) => {
                        assert!(!*by_other);
                        assert_eq!(r.payment, id);
                        assert_eq!(r.status, PaymentStatus::Cancelled);
                    }
                    Ok(other) => panic!("cancel answered {other:?}"),
                    Err(e) if self.refused_as_suspended(sender, &e) => {}
                    Err(e) => {
                        let expected: &[&str] = if *by_other { &["NOTF"] } else { &["NOCN"] };
                        assert!(expected.contains(&e.code.as_str()), "cancel: {e}");
                    }
                }
            }
            Op::Return {
                pick,
                by_other,
                share,
            } => {
                let Some((id, p)) = self.pick_payment(*pick) else {
                    return self.tick(0);
                };
                let sender = if *by_other { p.sender } else { p.receiver };
                let amount =
                    share.map(|per_mille| (p.amount * u128::from(per_mille) / 1_000).max(1));
                let return_id = self.next_id("R");
                let outcome = self.execute(HubCommand::ReturnPayment {
                    sender,
                    original: id,
                    return_id: return_id.clone(),
                    uetr: uetr_for(&return_id),
                    amount: amount.map(|a| decimal(p.ccy, a)),
                    reason: "AC04 account closed".into(),
                });
                match outcome {
                    Ok(Answer::Payment(r)) => {
                        assert!(!*by_other && !r.duplicate);
                        let hub_amount = self.hub.payment(r.payment).unwrap().amount;
                        if let Some(a) = amount {
                            assert_eq!(hub_amount, a);
                        }
                        self.new_payment(
                            r.payment,
                            sender,
                            p.sender,
                            p.ccy,
                            hub_amount,
                            p.priority,
                            Some(id),
                        );
                        let i = self.hub.payment(r.payment).unwrap().instruction.clone();
                        self.model
                            .instructions
                            .insert((sender, return_id), (i, r.payment));
                    }
                    Ok(other) => panic!("return answered {other:?}"),
                    Err(e) => {
                        let expected = ["NOTF", "AG01", "AM09"];
                        assert!(expected.contains(&e.code.as_str()), "return: {e}");
                    }
                }
            }
            Op::Recall { pick, by_other } => self.recall(*pick, *by_other),
            Op::AnswerRecall {
                pick,
                accept,
                by_other,
            } => self.answer_recall(*pick, *accept, *by_other),
            Op::Tick { seconds } => self.tick(*seconds),
            Op::SetStatus { bank, active } => {
                let status = if *active {
                    ParticipantStatus::Active
                } else {
                    ParticipantStatus::Suspended
                };
                let outcome = self.execute(HubCommand::SetParticipantStatus {
                    bic: banks[*bank],
                    status,
                });
                assert!(outcome.is_ok(), "{outcome:?}");
                if *active {
                    self.model.suspended.remove(&banks[*bank]);
                } else {
                    self.model.suspended.insert(banks[*bank]);
                }
            }
            Op::Cap { bank, ccy, cap } => {
                let account = self
                    .hub
                    .settlement_account(banks[*bank], currencies()[*ccy])
                    .unwrap();
                let outcome = self.execute(HubCommand::SetNetDebitCap {
                    account,
                    net_debit_cap: *cap,
                });
                let a = self.hub.ledger().account(account).unwrap();
                let overdraft =
                    (a.debits_posted + a.debits_pending).saturating_sub(a.credits_posted);
                match outcome {
                    Ok(_) => assert_eq!(
                        a.rule,
                        BalanceRule::DebitsMustNotExceedCredits { limit: *cap }
                    ),
                    // Refused only below the overdraft it had (which settlements at the
                    // start of the command may have deepened, never reduced).
                    Err(e) => {
                        assert_eq!(e.code, "AM04");
                        assert!(*cap < overdraft);
                    }
                }
            }
            Op::Ack { bank, behind } => {
                let last = self.hub.outbox(banks[*bank]).map_or(0, |o| o.last_seq());
                let outcome = self.execute(HubCommand::AcknowledgeOutbox {
                    participant: banks[*bank],
                    up_to: last.saturating_sub(*behind),
                });
                assert!(outcome.is_ok());
                let outbox = self.hub.outbox(banks[*bank]).unwrap();
                let unread = outbox.read(None, usize::MAX);
                assert!(unread.iter().all(|m| m.seq > outbox.acknowledged()));
                assert_eq!(
                    unread.len() as u64,
                    outbox.last_seq() - outbox.acknowledged()
                );
            }
            Op::Configure { timeout } => {
                let outcome = self.execute(HubCommand::Configure(HubConfig {
                    queue_timeout_seconds: *timeout,
                    ..HubConfig::default()
                }));
                assert!(outcome.is_ok());
            }
        }
    }

    /// A suspended bank is refused whatever it asks to change, before anything is looked up.
    fn refused_as_suspended(&self, bank: Bic, e: &corridor_settlement::Rejection) -> bool {
        e.code == "AG01" && e.message.contains("suspended") && self.model.suspended.contains(&bank)
    }

    fn recall(&mut self, pick: usize, by_other: bool) {
        let Some((id, p)) = self.pick_payment(pick) else {
            return self.tick(0);
        };
        let sender = if by_other { p.receiver } else { p.sender };
        let cancellation_id = self.next_id("X");
        let outcome = self.execute(HubCommand::RecallPayment {
            sender,
            payment: id,
            cancellation_id,
            reason: "DUPL sent twice".into(),
        });
        match outcome {
            Ok(Answer::Recall { recall, .. }) => {
                assert!(!by_other);
                assert_eq!((recall.payment, recall.requester), (id, p.sender));
            }
            Ok(Answer::Payment(r)) => {
                assert!(!by_other);
                assert_eq!(r.status, PaymentStatus::Cancelled);
            }
            Ok(other) => panic!("recall answered {other:?}"),
            Err(e) if self.refused_as_suspended(sender, &e) => {}
            Err(e) => {
                let expected: &[&str] = if by_other {
                    &["NOTF"]
                } else {
                    &["NOCN", "AG01"]
                };
                assert!(expected.contains(&e.code.as_str()), "recall: {e}");
            }
        }
    }

    /// An acceptance's return is a new payment the model learns of here.
    fn answer_recall(&mut self, pick: usize, accept: bool, by_other: bool) {
        let recalls: Vec<_> = self.hub.recalls().cloned().collect();
        let Some(recall) = recalls.get(pick % recalls.len().max(1)).cloned() else {
            return self.tick(0);
        };
        let responder = if by_other {
            recall.requester
        } else {
            recall.responder
        };
        let return_id = self.next_id("A");
        let decision = if accept {
            RecallDecision::Accept {
                uetr: uetr_for(&return_id),
                return_id: return_id.clone(),
            }
        } else {
            RecallDecision::Reject {
                reason: "CUST".into(),
            }
        };
        let outcome = self.execute(HubCommand::AnswerRecall {
            responder,
            recall: recall.id,
            decision,
        });
        match outcome {
            Ok(Answer::Recall {
                recall: answered,
                duplicate,
            }) => {
                assert!(!by_other);
                assert_eq!(
                    duplicate,
                    !recall.is_open(),
                    "only an answered recall repeats"
                );
                let Some(returned) = answered.return_payment().filter(|_| !duplicate) else {
                    return;
                };
                let original = self.model.payments[&recall.payment].clone();
                let amount = self.hub.payment(returned).unwrap().amount;
                self.new_payment(
                    returned,
                    responder,
                    recall.requester,
                    original.ccy,
                    amount,
                    original.priority,
                    Some(recall.payment),
                );
                let i = self.hub.payment(returned).unwrap().instruction.clone();
                self.model
                    .instructions
                    .insert((responder, return_id), (i, returned));
            }
            Ok(other) => panic!("answer answered {other:?}"),
            Err(e) if self.refused_as_suspended(responder, &e) => {}
            Err(e) => {
                let expected: &[&str] = if by_other {
                    &["NOTF"]
                } else {
                    &["DUPL", "AM09", "AG01"]
                };
                assert!(expected.contains(&e.code.as_str()), "answer: {e}");
            }
        }
    }

    fn tick(&mut self, seconds: u32) {
        self.now = self.now.plus_seconds(seconds);
        let outcome = self.execute(HubCommand::Tick);
        assert_eq!(outcome, Ok(Answer::Done));
    }

    fn liquidity(&mut self, command: HubCommand) {
        let HubCommand::Liquidity {
            agent,
            reference,
            participant,
            currency,
            direction,
            ..
        } = command.clone()
        else {
            unreachable!()
        };
        let ccy = usize::from(currency == irr());
        let key = (agent, reference);
        let outcome = self.execute(command);
        match outcome {
            Ok(Answer::Liquidity(record)) => {
                assert_eq!(record.participant, participant);
                assert_eq!(record.direction, direction);
                let details = (participant, ccy, record.amount, direction);
                match self.model.liquidity.get(&key) {
                    Some(earlier) => {
                        assert_eq!(*earlier, details, "a retry answered other details")
                    }
                    None => {
                        self.model.liquidity.insert(key, details);
                        let signed = match direction {
                            LiquidityDirection::Fund => record.amount as i128,
                            LiquidityDirection::Defund => -(record.amount as i128),
                        };
                        *self
                            .model
                            .liquidity_net
                            .entry((participant, ccy))
                            .or_default() += signed;
                    }
                }
            }
            Ok(other) => panic!("liquidity answered {other:?}"),
            Err(e) => match e.code.as_str() {
                "DUPL" => assert!(self.model.liquidity.contains_key(&key)),
                "AM04" => assert_eq!(direction, LiquidityDirection::Defund),
                // Liquidity moves need every party active.
                "AG01" => assert!(
                    self.model.suspended.contains(&participant)
                        || self.model.suspended.contains(&agent),
                    "{e}"
                ),
                _ => panic!("liquidity refused: {e}"),
            },
        }
    }

    fn submit(&mut self, sender: Bic, instructions: Vec<PaymentInstruction>) {
        let outcome = self.execute(HubCommand::SubmitPayments {
            sender,
            payments: instructions.clone(),
            screening: Vec::new(),
        });
        let receipts = match outcome {
            Ok(Answer::Payments(r)) => r,
            Ok(other) => panic!("submit answered {other:?}"),
            Err(e) => {
                assert_eq!(e.code, "AG01", "{e}");
                assert!(self.model.suspended.contains(&sender), "{e}");
                return;
            }
        };
        assert!(!self.model.suspended.contains(&sender));
        assert_eq!(receipts.len(), instructions.len());
        for (i, receipt) in instructions.into_iter().zip(receipts) {
            let key = (sender, i.instruction_id.clone());
            let known = self.model.instructions.get(&key).cloned();
            match receipt {
                Ok(r) => {
                    assert_eq!(r.instruction_id, i.instruction_id);
                    assert_eq!(r.uetr, i.uetr);
                    if r.duplicate {
                        let (earlier, id) = known.expect("a duplicate of something accepted");
                        assert_eq!(earlier, i);
                        assert_eq!(id, r.payment);
                        continue;
                    }
                    assert!(known.is_none(), "instruction id accepted twice");
                    let ccy = usize::from(i.currency == irr());
                    let amount = parse_minor(&i.amount, ccy);
                    let receiver = i.instructed_agent;
                    assert_ne!(receiver, sender);
                    assert!(!self.model.suspended.contains(&receiver));
                    self.new_payment(r.payment, sender, receiver, ccy, amount, i.priority, None);
                    self.model.instructions.insert(key, (i, r.payment));
                }
                Err(e) => {
                    let expected: &[&str] = if known.is_some() {
                        &["DUPL"]
                    } else if i.amount.ends_with(".001") {
                        &["AM12"]
                    } else if i.amount == "0" {
                        &["AM01"]
                    } else if i.currency == ccy_of("EUR") {
                        &["AM03"]
                    } else if i.creditor.name.len() > 140 {
                        &["FF01"]
                    } else if i.instructed_agent == sender
                        || self.model.suspended.contains(&i.instructed_agent)
                    {
                        &["AG01"]
                    } else {
                        &[]
                    };
                    assert!(
                        expected.contains(&e.code.as_str()),
                        "{} refused: {e}",
                        i.instruction_id
                    );
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn new_payment(
        &mut self,
        id: u64,
        sender: Bic,
        receiver: Bic,
        ccy: usize,
        amount: u128,
        priority: Priority,
        return_of: Option<u64>,
    ) {
        assert_eq!(
            id,
            self.model.payments.len() as u64 + 1,
            "payment ids are consecutive"
        );
        let p = self.hub.payment(id).expect("the receipt names a payment");
        assert_eq!(p.amount, amount, "the hub parsed another amount");
        assert_eq!((p.sender, p.receiver()), (sender, receiver));
        assert_eq!(p.return_of, return_of);
        self.model.payments.insert(
            id,
            ModelPayment {
                sender,
                receiver,
                ccy,
                amount,
                priority,
                return_of,
            },
        );
    }

    /// Every check that must hold after any command; then records the payments' statuses
    /// for the next one.
    fn check(&mut self) {
        let hub = &self.hub;
        if let Err(e) = hub.check_invariants() {
            panic!("hub invariant broken after {:?}: {e}", self.log.last());
        }
        for (currency, totals) in hub.ledger().books() {
            assert_eq!(
                totals.debits_posted, totals.credits_posted,
                "{currency} posted"
            );
            assert_eq!(
                totals.debits_pending, totals.credits_pending,
                "{currency} pending"
            );
        }
        assert_eq!(hub.payment_count(), self.model.payments.len());

        let queued_before: BTreeSet<u64> = self
            .model
            .status
            .iter()
            .filter(|(_, s)| **s == PaymentStatus::Queued)
            .map(|(id, _)| *id)
            .collect();
        let mut settled_now = Vec::new();
        for (&id, m) in &self.model.payments {
            let p = hub.payment(id).unwrap();
            let history: Vec<PaymentStatus> = p.history.iter().map(|e| e.status).collect();
            let has = |s| history.contains(&s);
            assert!(
                !(has(PaymentStatus::Settled) && has(PaymentStatus::Rejected)),
                "payment {id} settled and rejected: {history:?}"
            );
            assert!(
                !(has(PaymentStatus::Settled) && has(PaymentStatus::Cancelled)),
                "payment {id} settled and cancelled: {history:?}"
            );
            assert_eq!(history.last(), Some(&p.status), "payment {id}");
            let settled = matches!(p.status, PaymentStatus::Settled | PaymentStatus::Returned);
            if settled {
                let t = p.transfer.expect("a settled payment has a transfer");
                assert_eq!(hub.ledger().transfer_state(t), Some(TransferState::Posted));
                assert!(p.settled_at.is_some());
            } else {
                assert!(
                    p.transfer.is_none(),
                    "payment {id} is {:?} with a transfer",
                    p.status
                );
            }
            if p.status == PaymentStatus::Queued {
                let deadline = p.queue_deadline.expect("a queued payment has a deadline");
                if queued_before.contains(&id) {
                    assert!(deadline > self.now, "payment {id} outlived its deadline");
                }
            }
            let before = self.model.status.get(&id).copied();
            let allowed = match before {
                None => true,
                Some(PaymentStatus::Queued) => true,
                Some(PaymentStatus::Settled) => {
                    matches!(p.status, PaymentStatus::Settled | PaymentStatus::Returned)
                }
                Some(s) => p.status == s,
            };
            assert!(
                allowed,
                "payment {id} went from {before:?} to {:?}",
                p.status
            );
            let was_settled = matches!(
                before,
                Some(PaymentStatus::Settled | PaymentStatus::Returned)
            );
            if settled && !was_settled {
                settled_now.push((id, m.clone()));
            }
        }
        for (id, m) in &settled_now {
            *self
                .model
                .flows
                .entry((m.sender, m.receiver, m.ccy))
                .or_default() += m.amount;
            if let Some(original) = m.return_of {
                *self.model.returned.entry(original).or_default() += m.amount;
            }
            self.model.status.insert(*id, PaymentStatus::Settled);
        }
        let mut claimed: BTreeMap<u64, u128> = BTreeMap::new();
        for (&id, m) in &self.model.payments {
            let status = hub.payment(id).unwrap().status;
            if let Some(original) = m.return_of
                && matches!(
                    status,
                    PaymentStatus::Queued | PaymentStatus::Settled | PaymentStatus::Returned
                )
            {
                *claimed.entry(original).or_default() += m.amount;
            }
        }
        for (original, claimed) in claimed {
            let amount = self.model.payments[&original].amount;
            assert!(
                claimed <= amount,
                "returns of payment {original} claim {claimed} of {amount}"
            );
        }
        for (&id, m) in &self.model.payments {
            let p = hub.payment(id).unwrap();
            let returned = self.model.returned.get(&id).copied().unwrap_or(0);
            assert_eq!(p.returned_amount, returned, "payment {id}");
            assert!(returned <= m.amount);
            assert_eq!(
                p.status == PaymentStatus::Returned,
                returned == m.amount,
                "payment {id}: {returned} of {} returned, status {:?}",
                m.amount,
                p.status
            );
        }

        // No overtaking: a payment that settled in this command had nothing ahead of it in
        // its payer's queue (an older payment of the same priority or any of a higher one)
        // still waiting, unless that one's receiver is suspended (passed over).
        for (pid, p) in &settled_now {
            for q in &queued_before {
                let m = &self.model.payments[q];
                let still_queued = hub.payment(*q).unwrap().status == PaymentStatus::Queued;
                let ahead = m.priority > p.priority || (m.priority == p.priority && q < pid);
                if still_queued
                    && ahead
                    && m.sender == p.sender
                    && m.ccy == p.ccy
                    && !self.model.suspended.contains(&m.receiver)
                {
                    panic!(
                        "payment {pid} overtook queued payment {q} after {:?}",
                        self.log.last()
                    );
                }
            }
        }

        // Balances: the model's liquidity and settled flows explain every account.
        let banks = banks();
        for &bank in &banks {
            for (ccy, currency) in currencies().into_iter().enumerate() {
                let mut expected = self
                    .model
                    .liquidity_net
                    .get(&(bank, ccy))
                    .copied()
                    .unwrap_or(0);
                for &other in &banks {
                    let flow = |a: Bic, b: Bic| {
                        self.model.flows.get(&(a, b, ccy)).copied().unwrap_or(0) as i128
                    };
                    expected += flow(other, bank) - flow(bank, other);
                }
                let account = hub.settlement_account(bank, currency).unwrap();
                let a = hub.ledger().account(account).unwrap();
                let actual = a.credits_posted as i128 - a.debits_posted as i128;
                assert_eq!(
                    actual,
                    expected,
                    "{bank} {currency} after {:?}",
                    self.log.last()
                );
            }
        }

        // Nothing is left waiting that could settle: in each active payer's queue, the
        // first payment to an active receiver does not fit.
        let mut queues: BTreeMap<(Bic, usize), Vec<QueueKey>> = BTreeMap::new();
        for (&id, m) in &self.model.payments {
            if hub.payment(id).unwrap().status == PaymentStatus::Queued {
                queues
                    .entry((m.sender, m.ccy))
                    .or_default()
                    .push((std::cmp::Reverse(m.priority), id));
            }
        }
        for ((payer, ccy), mut queue) in queues {
            if self.model.suspended.contains(&payer) {
                continue;
            }
            queue.sort();
            let head = queue
                .iter()
                .map(|(_, id)| (*id, &self.model.payments[id]))
                .find(|(_, m)| !self.model.suspended.contains(&m.receiver));
            let Some((id, m)) = head else { continue };
            let account = hub.settlement_account(payer, currencies()[ccy]).unwrap();
            let a = hub.ledger().account(account).unwrap();
            let cap = match a.rule {
                BalanceRule::DebitsMustNotExceedCredits { limit } => limit,
                other => panic!("settlement account with rule {other:?}"),
            };
            let available = a.credits_posted as i128 + cap as i128
                - a.debits_posted as i128
                - a.debits_pending as i128;
            assert!(
                (m.amount as i128) > available,
                "payment {id} of {} waits though {available} is available, after {:?}",
                m.amount,
                self.log.last()
            );
        }

        for &id in self.model.payments.keys() {
            self.model
                .status
                .insert(id, hub.payment(id).unwrap().status);
        }
    }

    /// The final cross-checks: statements against the model, then replay.
    fn finish(&self) {
        let hub = &self.hub;
        // Every settled payment is on both statements, and per pair of banks the postings
        // add up to the model's flows.
        let mut posted: BTreeMap<(Bic, Bic, usize), (u128, u128)> = BTreeMap::new();
        for bank in banks() {
            for (ccy, currency) in currencies().into_iter().enumerate() {
                let account = hub.settlement_account(bank, currency).unwrap();
                let statement = hub
                    .statement(account, Timestamp::ZERO, Timestamp(u64::MAX), usize::MAX)
                    .unwrap();
                let a = hub.ledger().account(account).unwrap();
                assert_eq!(statement.closing_credits, a.credits_posted);
                assert_eq!(statement.closing_debits, a.debits_posted);
                let net: i128 = statement
                    .entries
                    .iter()
                    .map(|e| {
                        if e.credit {
                            e.amount as i128
                        } else {
                            -(e.amount as i128)
                        }
                    })
                    .sum();
                assert_eq!(net, a.credits_posted as i128 - a.debits_posted as i128);
                for e in &statement.entries {
                    let Some(id) = e.payment else { continue };
                    let m = &self.model.payments[&id];
                    assert_eq!(e.amount, m.amount);
                    let slot = posted.entry((m.sender, m.receiver, ccy)).or_default();
                    if e.credit {
                        assert_eq!(m.receiver, bank);
                        slot.1 += e.amount;
                    } else {
                        assert_eq!(m.sender, bank);
                        slot.0 += e.amount;
                    }
                }
            }
        }
        for (pair, flow) in &self.model.flows {
            assert_eq!(posted.get(pair).copied(), Some((*flow, *flow)), "{pair:?}");
        }
        assert_eq!(
            posted.values().filter(|(d, _)| *d > 0).count(),
            self.model.flows.values().filter(|f| **f > 0).count()
        );

        // Replay through the journal codec into a fresh hub.
        let mut replayed = Hub::new();
        for ((now, command), outcome) in self.log.iter().zip(&self.outcomes) {
            let mut bytes = Vec::new();
            Hub::encode_request(command, &mut bytes).expect("the command encodes");
            let decoded = Hub::decode_request(&bytes).expect("a journaled command decodes");
            assert_eq!(&decoded, command);
            assert_eq!(
                &replayed.execute(&decoded, *now),
                outcome,
                "replay of {command:?}"
            );
        }
        assert_eq!(
            replayed.state_hash(),
            hub.state_hash(),
            "replay from genesis"
        );

        // Restore the snapshot taken midway and replay the rest.
        let (at, bytes) = self.snapshot.as_ref().expect("a snapshot was taken");
        let mut restored = Hub::decode_snapshot(bytes).expect("the snapshot decodes");
        restored.check_invariants().unwrap();
        for ((now, command), outcome) in self.log[*at..].iter().zip(&self.outcomes[*at..]) {
            assert_eq!(
                &restored.execute(command, *now),
                outcome,
                "after restore: {command:?}"
            );
        }
        assert_eq!(
            restored.state_hash(),
            hub.state_hash(),
            "replay from the snapshot"
        );
        assert_eq!(
            Hub::decode_snapshot(&hub.encode_snapshot().expect("the state encodes"))
                .unwrap()
                .state_hash(),
            hub.state_hash()
        );
    }
}

fn ccy_of(code: &str) -> CurrencyCode {
    ccy(code)
}

/// The test's own parse of a valid amount (digits and at most one '.').
fn parse_minor(text: &str, ccy: usize) -> u128 {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let exponent = if ccy == 0 { 2 } else { 0 };
    let padded = format!("{fraction:0<exponent$}");
    format!("{whole}{padded}").parse().unwrap()
}

fn run(ops: &[Op]) {
    let mut sim = Sim::new();
    sim.check();
    let half = ops.len() / 2;
    for (n, op) in ops.iter().enumerate() {
        if n == half {
            sim.snapshot = Some((
                sim.log.len(),
                sim.hub.encode_snapshot().expect("the state encodes"),
            ));
        }
        sim.apply(op);
        sim.check();
    }
    if sim.snapshot.is_none() {
        sim.snapshot = Some((
            sim.log.len(),
            sim.hub.encode_snapshot().expect("the state encodes"),
        ));
    }
    sim.finish();
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_workloads_keep_every_invariant(ops in prop::collection::vec(op(), 1..250)) {
        run(&ops);
    }
}

/// A longer, fixed scenario: liquidity is scarce, so queues grow deep, and time runs past
/// timeouts while suspensions and cap changes come and go.
#[test]
fn a_long_scarce_liquidity_day() {
    let mut ops = Vec::new();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    ops.push(Op::Configure { timeout: 300 });
    for _ in 0..1_500 {
        let bank = next(6) as usize;
        let ccy = next(2) as usize;
        let op = match next(20) {
            0..=9 => Op::Pay {
                from: bank,
                to: next(6) as usize,
                ccy,
                amounts: (0..=next(3))
                    .map(|_| 1 + u128::from(next(200_000)))
                    .collect(),
                priority: next(3) as u8,
                shape: 10,
            },
            10 | 11 => Op::Fund {
                bank,
                ccy,
                amount: 1 + u128::from(next(150_000)),
            },
            12 => Op::Defund {
                bank,
                ccy,
                amount: 1 + u128::from(next(50_000)),
            },
            13 => Op::Cancel {
                pick: next(1_000) as usize,
                by_other: false,
            },
            14 => Op::Return {
                pick: next(1_000) as usize,
                by_other: false,
                share: if next(2) == 0 {
                    None
                } else {
                    Some(1 + next(999) as u16)
                },
            },
            15 => Op::Tick {
                seconds: next(120) as u32,
            },
            16 => Op::SetStatus {
                bank,
                active: next(3) != 0,
            },
            17 => Op::Cap {
                bank,
                ccy,
                cap: u128::from(next(100_000)),
            },
            18 => Op::RetryPay {
                pick: next(1_000) as usize,
                change: next(2) == 0,
            },
            _ => Op::Ack {
                bank,
                behind: next(3),
            },
        };
        ops.push(op);
    }
    run(&ops);
}
