//! Random RUB traffic between the four banks, for the simulations of liquidity saving and
//! of limits and reservations: payments of every priority, funding, and the clock moving.

use corridor_settlement::{HubCommand, LiquidityDirection, Priority};
use proptest::prelude::*;

use super::{Bench, bank_a, bank_b, bank_c, bank_d, instruction, rub, with_priority};

#[derive(Debug, Clone)]
pub enum Op {
    Pay {
        from: usize,
        to: usize,
        amount: u16,
        priority: u8,
    },
    Fund {
        bank: usize,
        amount: u16,
    },
    Tick {
        seconds: u8,
    },
}

pub fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..4usize, 0..4usize, 1..500u16, 0..6u8)
            .prop_map(|(from, to, amount, priority)| Op::Pay { from, to, amount, priority }),
        1 => (0..4usize, 1..300u16).prop_map(|(bank, amount)| Op::Fund { bank, amount }),
        2 => (0..5u8).prop_map(|seconds| Op::Tick { seconds }),
    ]
}

/// The command `op` stands for, the `n`th of its run (a tick moves `b`'s clock first).
pub fn command(b: &mut Bench, n: usize, op: Op) -> HubCommand {
    let banks = [bank_a(), bank_b(), bank_c(), bank_d()];
    match op {
        Op::Pay {
            from,
            to,
            amount,
            priority,
        } => {
            let to = if to == from { (to + 1) % 4 } else { to };
            let priority = match priority {
                0 => Priority::Urgent,
                1 => Priority::High,
                _ => Priority::Normal,
            };
            let i = instruction(&format!("P{n}"), banks[to], &amount.to_string(), rub());
            HubCommand::SubmitPayments {
                sender: banks[from],
                payments: vec![with_priority(i, priority)],
                screening: Vec::new(),
            }
        }
        Op::Fund { bank, amount } => b.liquidity_command(
            banks[bank],
            rub(),
            &amount.to_string(),
            LiquidityDirection::Fund,
        ),
        Op::Tick { seconds } => {
            b.advance(u64::from(seconds));
            HubCommand::Tick
        }
    }
}
