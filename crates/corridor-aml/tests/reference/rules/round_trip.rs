//! (c) Round tripping: money that comes back to the account it left, directly (A → B → A)
//! or through one intermediate (A → B → C → A), within the window and of about the same
//! amount at every leg.

use super::{Finding, Scene, duration};
use crate::reference::activity::Flow;
use crate::reference::ratio::within_tolerance;
use corridor_aml::AccountKey;
use corridor_aml::RoundTripRule;
use corridor_aml::RuleKind;

/// Looks for a cycle the current payment (X → A) closes: an earlier A → X, or an earlier
/// A → B followed by B → X.
pub fn check(scene: &Scene<'_>) -> Option<Finding> {
    let rule = &scene.rules.round_trip;
    let (payer, origin) = (scene.debtor, scene.creditor);
    if payer == origin {
        return None;
    }
    let closing = scene.payment.amount;
    let since = scene.since(rule.window_seconds);
    let starts = |flow: &&Flow, from: &AccountKey| {
        flow.counterparty == *from
            && flow.at >= since
            && flow.amount >= rule.min_amount
            && within_tolerance(closing, flow.amount, rule.tolerance_bp)
    };
    let into_payer = &scene.activity(payer)?.incoming;
    if let Some(first) = into_payer.iter().rev().find(|flow| starts(flow, origin)) {
        return Some(cycle(
            scene,
            rule,
            &[(origin, first), (payer, &closing_flow(scene))],
        ));
    }
    into_payer
        .iter()
        .rev()
        .filter(|second| {
            second.at >= since && second.counterparty != *origin && second.counterparty != *payer
        })
        .find_map(|second| {
            let intermediate = &second.counterparty;
            let first = scene
                .activity(intermediate)?
                .incoming
                .iter()
                .rev()
                .filter(|first| first.at <= second.at)
                .find(|first| {
                    starts(first, origin)
                        && within_tolerance(second.amount, first.amount, rule.tolerance_bp)
                })?;
            Some(cycle(
                scene,
                rule,
                &[
                    (origin, first),
                    (intermediate, second),
                    (payer, &closing_flow(scene)),
                ],
            ))
        })
}

/// The current payment as a flow into the origin.
fn closing_flow(scene: &Scene<'_>) -> Flow {
    Flow {
        payment_id: scene.payment.payment_id,
        at: scene.payment.settled_at,
        counterparty: scene.creditor.clone(),
        amount: scene.payment.amount,
    }
}

/// The finding for a cycle given as (payer, payment) legs in order.
fn cycle(scene: &Scene<'_>, rule: &RoundTripRule, legs: &[(&AccountKey, &Flow)]) -> Finding {
    let path: Vec<String> = legs
        .iter()
        .map(|(payer, flow)| {
            format!(
                "{payer} paid {} (payment {})",
                scene.money(flow.amount),
                flow.payment_id
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
    let evidence = legs.iter().map(|(_, flow)| flow.payment_id).collect();
    Finding::new(
        RuleKind::RoundTrip,
        scene.creditor.clone(),
        evidence,
        detail,
        rule.window_seconds,
    )
}
