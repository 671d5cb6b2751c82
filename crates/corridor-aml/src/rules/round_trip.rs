//! (c) Round tripping: money that comes back to the account it left, directly (A → B → A)
//! or through one intermediate (A → B → C → A), within the window and of about the same
//! amount at every leg.
//!
//! Legs are looked up in the queues of what each account received from each payer, so a
//! search reads only the payments between the accounts of a possible cycle, and not even
//! those when none of them is of an amount that could be a leg.

use std::collections::VecDeque;

use corridor_core::Timestamp;

use super::scene::{Finding, Scene, duration};
use crate::activity::{AccountActivity, Receipt, Receipts};
use crate::alert::RuleKind;
use crate::config::RoundTripRule;
use crate::payment::AccountKey;
use crate::ratio::{amounts_near, references_near, within_tolerance};
use crate::work::Work;

/// One leg of a cycle: who paid, and the payment.
struct Leg<'a> {
    payer: &'a AccountKey,
    payment_id: u64,
    amount: u128,
}

/// Looks for a cycle the current payment (X → A) closes: an earlier A → X, or an earlier
/// A → B followed by B → X.
pub fn check(scene: &Scene<'_>) -> Option<Finding> {
    let rule = &scene.rules.round_trip;
    let (payer, origin) = (scene.debtor, scene.creditor);
    if payer == origin {
        return None;
    }
    let closing = scene.payment.amount;
    // The closing leg must be within the tolerance of a first leg of at least the minimum.
    if closing < rule.min_amount && !within_tolerance(closing, rule.min_amount, rule.tolerance_bp) {
        return None;
    }
    let (nearest, farthest) = references_near(closing, rule.tolerance_bp);
    let firsts = Amounts {
        lowest: nearest.max(rule.min_amount),
        highest: farthest,
    };
    let since = scene.since(rule.window_seconds);
    let opens = |first: &Receipt| {
        first.amount >= rule.min_amount
            && within_tolerance(closing, first.amount, rule.tolerance_bp)
    };
    let into_payer = scene.activity(payer)?;
    let closing_leg = Leg {
        payer,
        payment_id: scene.payment.payment_id,
        amount: closing,
    };
    let direct = into_payer
        .receipts_from(origin)
        .filter(|receipts| firsts.among(receipts, scene.work))
        .and_then(|receipts| latest(receipts.queue(), into_payer, since, None, scene.work, opens));
    if let Some(first) = direct {
        let legs = [leg(origin, first), closing_leg];
        return scene.unless_cited(cycle(scene, rule, &legs));
    }
    let (intermediate, first, second) = through_one(scene, into_payer, since, firsts, opens)?;
    let legs = [leg(origin, first), leg(intermediate, second), closing_leg];
    scene.unless_cited(cycle(scene, rule, &legs))
}

/// The cycle through one intermediate whose second leg was received last, with the latest
/// first leg that goes with it.
fn through_one<'a>(
    scene: &'a Scene<'_>,
    into_payer: &'a AccountActivity,
    since: Timestamp,
    firsts_between: Amounts,
    opens: impl Fn(&Receipt) -> bool,
) -> Option<(&'a AccountKey, &'a Receipt, &'a Receipt)> {
    let (payer, origin) = (scene.debtor, scene.creditor);
    let tolerance_bp = scene.rules.round_trip.tolerance_bp;
    let (lowest, highest) =
        amounts_near(firsts_between.lowest, firsts_between.highest, tolerance_bp);
    let seconds_between = Amounts { lowest, highest };
    let mut best: Option<(&AccountKey, &Receipt, &Receipt)> = None;
    for intermediate in intermediates(scene, into_payer) {
        if intermediate == payer || intermediate == origin {
            continue;
        }
        let Some(seconds) = into_payer.receipts_from(intermediate) else {
            continue;
        };
        let Some(into_intermediate) = scene.activity(intermediate) else {
            continue;
        };
        let Some(firsts) = into_intermediate.receipts_from(origin) else {
            continue;
        };
        if !firsts_between.among(firsts, scene.work) || !seconds_between.among(seconds, scene.work)
        {
            continue;
        }
        for second in newest_first(seconds.queue(), into_payer, since, None, scene.work) {
            if best.is_some_and(|(_, _, found)| found.order > second.order) {
                break;
            }
            // Skips at once a second leg no first leg is close enough to.
            let (nearest, farthest) = references_near(second.amount, tolerance_bp);
            let with_second = Amounts {
                lowest: nearest.max(firsts_between.lowest),
                highest: farthest.min(firsts_between.highest),
            };
            if !with_second.among(firsts, scene.work) {
                continue;
            }
            let goes_on = |first: &Receipt| {
                opens(first) && within_tolerance(second.amount, first.amount, tolerance_bp)
            };
            let first = latest(
                firsts.queue(),
                into_intermediate,
                since,
                Some(second.at),
                scene.work,
                goes_on,
            );
            if let Some(first) = first {
                best = Some((intermediate, first, second));
                break;
            }
        }
    }
    best
}

/// The amounts a leg must be of, inclusive.
#[derive(Clone, Copy)]
struct Amounts {
    lowest: u128,
    highest: u128,
}

impl Amounts {
    /// Whether any of `receipts` is of such an amount.
    fn among(self, receipts: &Receipts, work: &Work) -> bool {
        receipts.any_between(self.lowest, self.highest, work)
    }
}

/// The accounts that may be the intermediate: those the payer received from, or those
/// the origin paid if it has paid fewer and still remembers every creditor of the window.
fn intermediates<'a>(
    scene: &'a Scene<'_>,
    into_payer: &'a AccountActivity,
) -> Box<dyn Iterator<Item = &'a AccountKey> + 'a> {
    let payers = into_payer.payers().map(|key| key.as_ref());
    let remembered =
        scene.rules.new_counterparty.memory_seconds >= scene.rules.round_trip.window_seconds;
    match scene.activity(scene.creditor) {
        Some(origin) if remembered && origin.creditor_count() < into_payer.payer_count() => {
            Box::new(origin.creditors().map(|(key, _)| key.as_ref()))
        }
        _ => Box::new(payers),
    }
}

/// The receipts settled in `[since, until]`, last received first. `holder` is the account
/// that received them: while its log is in time order, the search starts at `until` and
/// stops at the first receipt before `since`.
fn newest_first<'a>(
    receipts: &'a VecDeque<Receipt>,
    holder: &AccountActivity,
    since: Timestamp,
    until: Option<Timestamp>,
    work: &'a Work,
) -> impl Iterator<Item = &'a Receipt> + 'a {
    let in_time_order = holder.incoming().is_in_time_order();
    let end = match until {
        Some(until) if in_time_order => {
            work.search(receipts.len());
            receipts.partition_point(|receipt| receipt.at <= until)
        }
        _ => receipts.len(),
    };
    receipts
        .range(..end)
        .rev()
        .inspect(|_| work.add(1))
        .take_while(move |receipt| !in_time_order || receipt.at >= since)
        .filter(move |receipt| receipt.at >= since && until.is_none_or(|until| receipt.at <= until))
}

/// The last received of the receipts settled in `[since, until]` that `fits`.
fn latest<'a>(
    receipts: &'a VecDeque<Receipt>,
    holder: &AccountActivity,
    since: Timestamp,
    until: Option<Timestamp>,
    work: &'a Work,
    fits: impl Fn(&Receipt) -> bool,
) -> Option<&'a Receipt> {
    newest_first(receipts, holder, since, until, work).find(|receipt| fits(receipt))
}

fn leg<'a>(payer: &'a AccountKey, receipt: &Receipt) -> Leg<'a> {
    Leg {
        payer,
        payment_id: receipt.payment_id,
        amount: receipt.amount,
    }
}

/// The finding for a cycle given as legs in order.
fn cycle(scene: &Scene<'_>, rule: &RoundTripRule, legs: &[Leg<'_>]) -> Finding {
    let path: Vec<String> = legs
        .iter()
        .map(|leg| {
            format!(
                "{} paid {} (payment {})",
                leg.payer,
                scene.money(leg.amount),
                leg.payment_id
            )
        })
        .collect();
    let detail = format!(
        "funds back at {} within {} through {} legs: {}; each leg within {} bp of the first, first leg at least {}",
        scene.creditor,
        duration(rule.window_seconds),
        legs.len(),
        path.join(", then "),
        rule.tolerance_bp,
        scene.money(rule.min_amount),
    );
    let evidence = legs.iter().map(|leg| leg.payment_id).collect();
    Finding::new(
        RuleKind::RoundTrip,
        scene.creditor.clone(),
        evidence,
        detail,
        rule.window_seconds,
    )
}
