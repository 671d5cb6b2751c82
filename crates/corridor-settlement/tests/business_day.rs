//! Closing a business day: every participant receives one statement notice per account it
//! owns, for the period since the previous close; closing the same date again changes
//! nothing, an earlier date is refused; closed days survive a snapshot and a replay.

mod support;

use corridor_core::{AccountId, Bic, Timestamp};
use corridor_ledger::StateMachine;
use corridor_settlement::{Answer, ClosedDay, Hub, HubCommand, OutboxEvent};
use support::*;

fn close(date: &str, at: Timestamp) -> HubCommand {
    HubCommand::CloseBusinessDay {
        date: date.into(),
        at,
    }
}

fn closed(answer: Answer) -> (ClosedDay, bool) {
    match answer {
        Answer::BusinessDay { day, duplicate } => (day, duplicate),
        other => panic!("expected a closed business day, got {other:?}"),
    }
}

/// Closes `date` at the bench's next instant.
fn close_now(b: &mut Bench, date: &str) -> (ClosedDay, bool) {
    let at = Timestamp(b.now.0 + STEP);
    closed(b.ok(close(date, at)))
}

/// The statement notices in `bank`'s outbox: (account, from, to).
fn statements(b: &Bench, bank: Bic) -> Vec<(AccountId, Timestamp, Timestamp)> {
    b.outbox(bank)
        .into_iter()
        .filter_map(|e| match e {
            OutboxEvent::Statement {
                account, from, to, ..
            } => Some((account, from, to)),
            _ => None,
        })
        .collect()
}

/// Bank A funded and paying bank B, over one day.
fn a_day_of_payments() -> Bench {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    b.pay_ok(bank_a(), instruction("P1", bank_b(), "40.00", rub()));
    b
}

#[test]
fn each_participant_gets_a_statement_of_every_account_it_owns() {
    let mut b = a_day_of_payments();
    let (day, duplicate) = close_now(&mut b, "2026-11-24");
    assert!(!duplicate);
    assert_eq!(day.date.to_string(), "2026-11-24");
    assert_eq!(day.from, Timestamp::ZERO);
    assert_eq!(day.to, b.now);
    assert_eq!(day.statements, b.hub.all_accounts().count() as u64);
    for bank in [cbr(), cbi(), bank_a(), bank_b(), bank_c(), bank_d()] {
        let owned: Vec<AccountId> = b.hub.accounts_of(bank).map(|a| a.id).collect();
        let sent: Vec<AccountId> = statements(&b, bank).iter().map(|s| s.0).collect();
        assert_eq!(sent, owned, "{bank}");
    }
    // The period's statement holds the day's postings and the balance at the close.
    let statement = b
        .hub
        .statement(b.account(bank_a(), rub()), day.from, day.to, 100)
        .expect("a statement");
    assert_eq!(statement.entries.len(), 2);
    assert_eq!(statement.closing_credits - statement.closing_debits, 6_000);
}

#[test]
fn the_next_day_starts_where_the_previous_one_closed() {
    let mut b = a_day_of_payments();
    let (first, _) = close_now(&mut b, "2026-11-24");
    b.advance(3_600);
    b.pay_ok(bank_a(), instruction("P2", bank_b(), "10.00", rub()));
    let (second, _) = close_now(&mut b, "2026-11-25");
    assert_eq!(second.from, first.to);
    let a_rub = b.account(bank_a(), rub());
    assert!(statements(&b, bank_a()).contains(&(a_rub, first.to, second.to)));
    let statement = b
        .hub
        .statement(a_rub, second.from, second.to, 100)
        .expect("a statement");
    assert_eq!(statement.entries.len(), 1);
    assert_eq!(statement.opening_credits - statement.opening_debits, 6_000);
    assert_eq!(b.hub.closed_days().len(), 2);
}

#[test]
fn closing_the_same_date_again_changes_nothing() {
    let mut b = a_day_of_payments();
    let (first, _) = close_now(&mut b, "2026-11-24");
    let hash = b.hub.state_hash();
    let sent = statements(&b, bank_a());
    let (again, duplicate) = close_now(&mut b, "2026-11-24");
    assert!(duplicate);
    assert_eq!(again, first);
    assert_eq!(statements(&b, bank_a()), sent);
    assert_eq!(b.hub.state_hash(), hash);
}

#[test]
fn an_earlier_date_or_a_bad_date_is_refused_and_changes_nothing() {
    let mut b = a_day_of_payments();
    close_now(&mut b, "2026-11-24");
    let hash = b.hub.state_hash();
    let at = Timestamp(b.now.0 + STEP);
    assert_eq!(b.err(close("2026-11-23", at)).code, "DT01");
    assert_eq!(b.err(close("2026-02-30", at)).code, "DT01");
    assert_eq!(b.err(close("24.11.2026", at)).code, "FF01");
    // The closing instant may not go back before the previous close.
    assert_eq!(b.err(close("2026-11-25", Timestamp(1))).code, "DT01");
    assert_eq!(b.hub.state_hash(), hash);
}

#[test]
fn a_closing_instant_in_the_future_stops_at_the_hub_time() {
    let mut b = a_day_of_payments();
    let (day, _) = closed(b.ok(close("2026-11-24", Timestamp(u64::MAX))));
    assert_eq!(day.to, b.now);
}

#[test]
fn only_the_owner_gets_its_statements() {
    let mut b = a_day_of_payments();
    close_now(&mut b, "2026-11-24");
    for bank in [bank_a(), bank_b(), cbr()] {
        for (account, _, _) in statements(&b, bank) {
            assert_eq!(b.hub.account(account).map(|a| a.owner), Some(bank));
        }
    }
}

#[test]
fn closed_days_survive_a_snapshot_and_a_replay() {
    let commands = |b: &mut Bench| {
        b.fund(bank_a(), rub(), "100.00");
        close_now(b, "2026-11-24");
        b.pay_ok(bank_a(), instruction("P1", bank_b(), "40.00", rub()));
    };
    let mut live = Bench::standard();
    commands(&mut live);
    let mut again = Bench::standard();
    commands(&mut again);
    assert_eq!(live.hub.state_hash(), again.hub.state_hash());

    let restored = Hub::decode_snapshot(&live.hub.encode_snapshot().expect("the state encodes"))
        .expect("decodes");
    assert_eq!(restored.state_hash(), live.hub.state_hash());
    restored.check_invariants().unwrap();
    assert_eq!(restored.closed_days(), live.hub.closed_days());
    let mut copy = Bench {
        hub: restored,
        now: live.now,
        ..Bench::empty()
    };
    // Both refuse the closed date's predecessor and close the next day from the same instant.
    for date in ["2026-11-24", "2026-11-23", "2026-11-25"] {
        let at = Timestamp(live.now.0 + STEP);
        assert_eq!(live.run(close(date, at)), copy.run(close(date, at)));
        assert_eq!(live.hub.state_hash(), copy.hub.state_hash());
    }
    assert_eq!(statements(&copy, bank_a()), statements(&live, bank_a()));
}

#[test]
fn the_close_round_trips_through_the_journal_codec() {
    let command = close("2026-11-24", Timestamp(1_700_000_000));
    let mut bytes = Vec::new();
    Hub::encode_request(&command, &mut bytes).expect("the command encodes");
    assert_eq!(Hub::decode_request(&bytes).expect("decodes"), command);
}
