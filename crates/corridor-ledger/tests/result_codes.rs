//! One test per result code: each names the situation that produces it and checks that a
//! failed event changes nothing.

mod support;

use corridor_core::{Amount, Timestamp};
use corridor_ledger::{BalanceRule, Command, Ledger, ResultCode, TransferAction, TransferState};
use support::*;

const T0: Timestamp = Timestamp(1_000_000_000_000);

/// Accounts: 1 funding (unrestricted), 2 and 3 settlement without overdraft, 4 in IRR,
/// 5 credits-must-not-exceed-debits. Account 2 holds 1,000.
fn funded() -> Ledger {
    let mut ledger = Ledger::new();
    let setup = [
        account(1, rub(), BalanceRule::Unrestricted),
        account(2, rub(), no_overdraft()),
        account(3, rub(), no_overdraft()),
        account(4, irr(), no_overdraft()),
        account(
            5,
            rub(),
            BalanceRule::CreditsMustNotExceedDebits { limit: 0 },
        ),
        post(100, 1, 2, 1_000),
    ];
    let outcome = ledger.apply(&setup, T0);
    assert!(
        outcome.results.iter().all(|r| *r == ResultCode::Ok),
        "{:?}",
        outcome.results
    );
    ledger
}

/// Applies one command to the funded ledger; asserts the state did not change on failure.
fn single(command: Command) -> ResultCode {
    let mut ledger = funded();
    let code = ledger.apply(&[command], Timestamp(T0.0 + 1_000)).results[0];
    if !code.is_success() {
        let unchanged = funded();
        assert_eq!(
            ledger.accounts(),
            unchanged.accounts(),
            "{code} changed balances"
        );
        assert_eq!(
            ledger.transfer_count(),
            unchanged.transfer_count(),
            "{code} indexed a transfer"
        );
    }
    ledger.check_invariants().unwrap();
    code
}

fn balance(ledger: &Ledger, id: u128) -> (u128, u128, u128, u128) {
    let a = ledger.account(aid(id)).unwrap();
    (
        a.debits_pending,
        a.debits_posted,
        a.credits_pending,
        a.credits_posted,
    )
}

#[test]
fn ok_moves_money_and_stamps_increasing_timestamps() {
    let mut ledger = funded();
    let outcome = ledger.apply(&[post(1, 2, 3, 400), post(2, 3, 2, 100)], Timestamp(5));
    assert_eq!(outcome.results, vec![ResultCode::Ok, ResultCode::Ok]);
    assert!(outcome.first_timestamp > T0, "time never goes backwards");
    assert_eq!(ledger.last_timestamp().0, outcome.first_timestamp.0 + 1);
    assert_eq!(balance(&ledger, 2), (0, 400, 0, 1_100));
    assert_eq!(balance(&ledger, 3), (0, 100, 0, 400));
}

#[test]
fn exists_for_an_identical_retry() {
    let mut ledger = funded();
    ledger.apply(&[post(1, 2, 3, 400)], T0);
    let transfers = ledger.transfer_count();
    let again = ledger.apply(&[post(1, 2, 3, 400)], T0);
    assert_eq!(again.results, vec![ResultCode::Exists]);
    assert_eq!(balance(&ledger, 3), (0, 0, 0, 400));
    assert_eq!(ledger.transfer_count(), transfers);
    assert_eq!(
        single(account(2, rub(), no_overdraft())),
        ResultCode::Exists
    );
}

#[test]
fn exists_with_different_fields_for_a_reused_id() {
    let mut ledger = funded();
    ledger.apply(&[post(1, 2, 3, 400)], T0);
    let outcome = ledger.apply(&[post(1, 2, 3, 401)], T0);
    assert_eq!(outcome.results, vec![ResultCode::ExistsWithDifferentFields]);
    assert_eq!(balance(&ledger, 3), (0, 0, 0, 400));
    assert_eq!(
        single(post(100, 1, 2, 999)),
        ResultCode::ExistsWithDifferentFields
    );
    assert_eq!(
        single(account(2, irr(), no_overdraft())),
        ResultCode::ExistsWithDifferentFields
    );
}

#[test]
fn linked_chain_is_all_or_nothing() {
    let mut ledger = funded();
    let before = ledger.accounts().to_vec();
    let outcome = ledger.apply(
        &[
            linked(post(1, 2, 3, 600)),
            linked(post(2, 2, 3, 600)),
            post(3, 3, 2, 1),
        ],
        T0,
    );
    assert_eq!(
        outcome.results,
        vec![
            ResultCode::LinkedEventFailed,
            ResultCode::ExceedsCredits,
            ResultCode::LinkedEventFailed
        ]
    );
    assert_eq!(ledger.accounts(), &before[..]);
    assert_eq!(ledger.transfer_state(tid(1)), None);
    let ok = ledger.apply(&[linked(post(1, 2, 3, 600)), post(2, 3, 2, 100)], T0);
    assert_eq!(ok.results, vec![ResultCode::Ok, ResultCode::Ok]);
}

#[test]
fn linked_event_failed_does_not_spill_into_the_next_chain() {
    let mut ledger = funded();
    let outcome = ledger.apply(
        &[
            linked(post(1, 2, 3, 5_000)),
            post(2, 2, 3, 1),
            post(3, 2, 3, 1),
        ],
        T0,
    );
    assert_eq!(
        outcome.results,
        vec![
            ResultCode::ExceedsCredits,
            ResultCode::LinkedEventFailed,
            ResultCode::Ok
        ]
    );
}

#[test]
fn linked_chain_rolls_back_accounts_reservations_and_posts() {
    let mut ledger = funded();
    ledger.apply(&[reserve(7, 2, 3, 100, 60)], T0);
    let before = ledger.accounts().to_vec();
    let transfers_before = ledger.transfer_count();
    let outcome = ledger.apply(
        &[
            linked(account(50, irr(), no_overdraft())),
            linked(post_pending(8, 7, Some(40))),
            linked(reserve(9, 2, 3, 10, 0)),
            post(10, 3, 2, 10_000),
        ],
        T0,
    );
    assert_eq!(outcome.results[3], ResultCode::ExceedsCredits);
    assert_eq!(ledger.accounts(), &before[..]);
    assert_eq!(ledger.transfer_count(), transfers_before);
    assert_eq!(ledger.pending_count(), 1);
    assert_eq!(ledger.transfer_state(tid(7)), Some(TransferState::Pending));
    assert!(ledger.account(aid(50)).is_none());
    ledger.check_invariants().unwrap();
}

#[test]
fn linked_event_chain_open_at_end_of_batch() {
    let mut ledger = funded();
    let before = ledger.accounts().to_vec();
    let outcome = ledger.apply(
        &[
            post(1, 2, 3, 1),
            linked(post(2, 2, 3, 1)),
            linked(post(3, 2, 3, 1)),
        ],
        T0,
    );
    assert_eq!(
        outcome.results,
        vec![
            ResultCode::Ok,
            ResultCode::LinkedEventFailed,
            ResultCode::LinkedEventChainOpen
        ]
    );
    assert_eq!(balance(&ledger, 2), (0, 1, 0, 1_000));
    assert_eq!(balance(&ledger, 3), (0, 0, 0, 1));
    assert_eq!(ledger.accounts().len(), before.len());
}

#[test]
fn accounts_must_differ() {
    assert_eq!(single(post(1, 2, 2, 1)), ResultCode::AccountsMustDiffer);
}

#[test]
fn amount_must_not_be_zero() {
    assert_eq!(single(post(1, 2, 3, 0)), ResultCode::AmountMustNotBeZero);
    assert_eq!(
        single(reserve(1, 2, 3, 0, 5)),
        ResultCode::AmountMustNotBeZero
    );
}

#[test]
fn debit_and_credit_account_not_found() {
    assert_eq!(single(post(1, 99, 3, 1)), ResultCode::DebitAccountNotFound);
    assert_eq!(single(post(1, 2, 99, 1)), ResultCode::CreditAccountNotFound);
}

#[test]
fn accounts_must_have_the_same_currency() {
    assert_eq!(
        single(post(1, 2, 4, 1)),
        ResultCode::AccountsMustHaveTheSameCurrency
    );
}

#[test]
fn transfer_currency_must_match_accounts() {
    let command = transfer(1, TransferAction::Post(movement(2, 3, 1, irr())));
    assert_eq!(
        single(command),
        ResultCode::TransferCurrencyMustMatchAccounts
    );
}

#[test]
fn exceeds_credits_counts_reservations() {
    assert_eq!(single(post(1, 2, 3, 1_001)), ResultCode::ExceedsCredits);
    let mut ledger = funded();
    let outcome = ledger.apply(&[reserve(1, 2, 3, 900, 0), post(2, 2, 3, 101)], T0);
    assert_eq!(
        outcome.results,
        vec![ResultCode::Ok, ResultCode::ExceedsCredits]
    );
}

#[test]
fn net_debit_cap_allows_a_bounded_overdraft() {
    let mut ledger = funded();
    let capped = account(
        6,
        rub(),
        BalanceRule::DebitsMustNotExceedCredits { limit: 500 },
    );
    let outcome = ledger.apply(&[capped, post(1, 6, 3, 500), post(2, 6, 3, 1)], T0);
    assert_eq!(
        outcome.results,
        vec![ResultCode::Ok, ResultCode::Ok, ResultCode::ExceedsCredits]
    );
}

#[test]
fn a_net_debit_cap_can_be_raised_and_lowered_but_not_below_the_overdraft() {
    let mut ledger = funded();
    // Account 3 holds nothing: a 400 payment needs a cap.
    assert_eq!(single(post(1, 3, 2, 400)), ResultCode::ExceedsCredits);
    let capped = BalanceRule::DebitsMustNotExceedCredits { limit: 500 };
    let outcome = ledger.apply(&[set_rule(3, capped), post(1, 3, 2, 400)], T0);
    assert_eq!(outcome.results, vec![ResultCode::Ok, ResultCode::Ok]);
    let before = ledger.accounts().to_vec();
    // 400 overdrawn: a cap of 300 would break the rule, so it is refused and nothing changes.
    let lower = BalanceRule::DebitsMustNotExceedCredits { limit: 300 };
    let outcome = ledger.apply(&[set_rule(3, lower)], Timestamp(T0.0 + 10));
    assert_eq!(outcome.results, vec![ResultCode::ExceedsCredits]);
    assert_eq!(ledger.accounts(), before);
    let mirror = BalanceRule::CreditsMustNotExceedDebits { limit: 0 };
    assert_eq!(single(set_rule(2, mirror)), ResultCode::ExceedsDebits);
    ledger.check_invariants().unwrap();
}

#[test]
fn account_not_found_for_a_rule_change() {
    assert_eq!(
        single(set_rule(99, BalanceRule::Unrestricted)),
        ResultCode::AccountNotFound
    );
}

#[test]
fn a_rule_change_in_a_failed_chain_is_undone() {
    let mut ledger = funded();
    let capped = BalanceRule::DebitsMustNotExceedCredits { limit: 500 };
    let outcome = ledger.apply(&[linked(set_rule(3, capped)), post(1, 2, 2, 1)], T0);
    assert_eq!(
        outcome.results,
        vec![
            ResultCode::LinkedEventFailed,
            ResultCode::AccountsMustDiffer
        ]
    );
    assert_eq!(single(post(2, 3, 2, 1)), ResultCode::ExceedsCredits);
    assert_eq!(
        ledger
            .apply(&[post(2, 3, 2, 1)], Timestamp(T0.0 + 5))
            .results,
        vec![ResultCode::ExceedsCredits],
        "the cap was rolled back with its chain"
    );
}

#[test]
fn exceeds_debits() {
    assert_eq!(single(post(1, 2, 5, 1)), ResultCode::ExceedsDebits);
}

#[test]
fn overflows_debits_credits_and_currency_total() {
    let huge = u128::MAX - 10;
    let mut ledger = Ledger::new();
    let setup = [
        account(1, rub(), BalanceRule::Unrestricted),
        account(2, rub(), BalanceRule::Unrestricted),
        account(3, rub(), BalanceRule::Unrestricted),
        post(1, 1, 2, huge),
    ];
    assert!(
        ledger
            .apply(&setup, T0)
            .results
            .iter()
            .all(|r| *r == ResultCode::Ok)
    );
    assert_eq!(
        ledger.apply(&[post(2, 1, 3, 100)], T0).results,
        vec![ResultCode::OverflowsDebits]
    );
    assert_eq!(
        ledger.apply(&[post(2, 3, 2, 100)], T0).results,
        vec![ResultCode::OverflowsCredits]
    );
    assert_eq!(
        ledger.apply(&[post(2, 3, 1, 100)], T0).results,
        vec![ResultCode::OverflowsCurrencyTotal]
    );
    ledger.check_invariants().unwrap();
}

#[test]
fn two_phase_post_in_full_and_in_part() {
    let mut ledger = funded();
    let outcome = ledger.apply(&[reserve(1, 2, 3, 300, 60), reserve(2, 2, 3, 200, 60)], T0);
    assert_eq!(outcome.results, vec![ResultCode::Ok, ResultCode::Ok]);
    assert_eq!(balance(&ledger, 2), (500, 0, 0, 1_000));
    let outcome = ledger.apply(
        &[post_pending(3, 1, None), post_pending(4, 2, Some(50))],
        T0,
    );
    assert_eq!(outcome.results, vec![ResultCode::Ok, ResultCode::Ok]);
    assert_eq!(balance(&ledger, 2), (0, 350, 0, 1_000));
    assert_eq!(balance(&ledger, 3), (0, 0, 0, 350));
    assert_eq!(
        ledger.transfer_state(tid(1)),
        Some(TransferState::PendingPosted)
    );
    assert_eq!(
        ledger.transfer_state(tid(3)),
        Some(TransferState::PostsPending)
    );
    assert_eq!(ledger.pending_count(), 0);
}

#[test]
fn void_releases_the_reservation() {
    let mut ledger = funded();
    ledger.apply(&[reserve(1, 2, 3, 300, 60)], T0);
    assert_eq!(
        ledger.apply(&[void_pending(2, 1)], T0).results,
        vec![ResultCode::Ok]
    );
    assert_eq!(balance(&ledger, 2), (0, 0, 0, 1_000));
    assert_eq!(
        ledger.transfer_state(tid(1)),
        Some(TransferState::PendingVoided)
    );
    assert_eq!(
        ledger.transfer_state(tid(2)),
        Some(TransferState::VoidsPending)
    );
}

#[test]
fn pending_transfer_not_found_and_not_pending() {
    assert_eq!(
        single(post_pending(1, 77, None)),
        ResultCode::PendingTransferNotFound
    );
    assert_eq!(
        single(void_pending(1, 100)),
        ResultCode::PendingTransferNotPending
    );
}

#[test]
fn pending_transfer_already_posted_and_voided() {
    let mut ledger = funded();
    ledger.apply(
        &[
            reserve(1, 2, 3, 10, 60),
            reserve(2, 2, 3, 10, 60),
            post_pending(3, 1, None),
            void_pending(4, 2),
        ],
        T0,
    );
    let outcome = ledger.apply(&[void_pending(5, 1), post_pending(6, 2, None)], T0);
    assert_eq!(
        outcome.results,
        vec![
            ResultCode::PendingTransferAlreadyPosted,
            ResultCode::PendingTransferAlreadyVoided
        ]
    );
}

#[test]
fn exceeds_pending_transfer_amount() {
    let mut ledger = funded();
    ledger.apply(&[reserve(1, 2, 3, 10, 60)], T0);
    let outcome = ledger.apply(
        &[post_pending(2, 1, Some(11)), post_pending(3, 1, Some(0))],
        T0,
    );
    assert_eq!(
        outcome.results,
        vec![
            ResultCode::ExceedsPendingTransferAmount,
            ResultCode::AmountMustNotBeZero
        ]
    );
}

#[test]
fn pending_transfer_expired_by_engine_time_only() {
    let mut ledger = funded();
    ledger.apply(&[reserve(1, 2, 3, 10, 60), reserve(2, 2, 3, 20, 0)], T0);
    let created = ledger.last_timestamp();
    // 59 seconds later nothing expires, however many batches run.
    let early = ledger.apply(&[], Timestamp(created.0 + 59_000_000_000));
    assert!(early.expired.is_empty());
    let late = ledger.apply(
        &[post_pending(3, 1, None)],
        Timestamp(created.0 + 61_000_000_000),
    );
    assert_eq!(late.expired, vec![tid(1)]);
    assert_eq!(late.results, vec![ResultCode::PendingTransferExpired]);
    assert_eq!(
        ledger.transfer_state(tid(1)),
        Some(TransferState::PendingExpired)
    );
    assert_eq!(
        ledger.transfer_state(tid(2)),
        Some(TransferState::Pending),
        "timeout 0 never expires"
    );
    assert_eq!(balance(&ledger, 2), (20, 0, 0, 1_000));
    ledger.check_invariants().unwrap();
}

#[test]
fn every_result_code_has_a_distinct_name() {
    let mut names: Vec<_> = ResultCode::ALL.iter().map(|c| c.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ResultCode::ALL.len());
    assert_eq!(ResultCode::ExceedsCredits.iso_reason(), Some("AM04"));
}

#[test]
fn amounts_far_above_ten_to_the_fifteenth_are_exact() {
    let mut ledger = Ledger::new();
    let invoice = 7_350_000_000_000_000_123u128;
    let setup = [
        account(1, irr(), BalanceRule::Unrestricted),
        account(2, irr(), no_overdraft()),
        account(3, irr(), no_overdraft()),
        transfer(1, TransferAction::Post(movement(1, 2, invoice, irr()))),
        transfer(2, TransferAction::Post(movement(2, 3, invoice - 1, irr()))),
    ];
    assert!(
        ledger
            .apply(&setup, T0)
            .results
            .iter()
            .all(|r| *r == ResultCode::Ok)
    );
    assert_eq!(ledger.account(aid(2)).unwrap().posted_balance(), (true, 1));
    assert_eq!(
        ledger.account(aid(3)).unwrap().credits_posted,
        Amount::from_minor(invoice - 1).minor()
    );
}
