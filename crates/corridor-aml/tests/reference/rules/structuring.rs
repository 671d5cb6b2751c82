//! (a) Structuring: a debtor splitting what would be a reportable amount into several
//! payments each just under the reporting threshold.

use super::{Finding, Scene, duration};
use crate::reference::ratio::bp_of;
use corridor_aml::RuleKind;

pub fn check(scene: &Scene<'_>) -> Option<Finding> {
    let rule = &scene.rules.structuring;
    let threshold = rule.reporting_threshold;
    let floor = threshold - bp_of(threshold, rule.margin_bp);
    let in_band = |amount: u128| amount >= floor && amount < threshold;
    if !in_band(scene.payment.amount) {
        return None;
    }
    let since = scene.since(rule.window_seconds);
    let band: Vec<_> = scene
        .activity(scene.debtor)?
        .outgoing
        .iter()
        .filter(|flow| flow.at >= since && in_band(flow.amount))
        .collect();
    if (band.len() as u64) < u64::from(rule.min_payments) {
        return None;
    }
    let amounts: Vec<String> = band.iter().map(|flow| scene.money(flow.amount)).collect();
    let detail = format!(
        "{} payments from {} within {}, each at least {} and under the reporting threshold of {} (margin {} bp, alert from {} payments): {}",
        band.len(),
        scene.debtor,
        duration(rule.window_seconds),
        scene.money(floor),
        scene.money(threshold),
        rule.margin_bp,
        rule.min_payments,
        amounts.join(", "),
    );
    let evidence = band.iter().map(|flow| flow.payment_id).collect();
    Some(Finding::new(
        RuleKind::Structuring,
        scene.debtor.clone(),
        evidence,
        detail,
        rule.window_seconds,
    ))
}
