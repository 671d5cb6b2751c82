//! (a) Structuring: a debtor splitting what would be a reportable amount into several
//! payments each just under the reporting threshold.

use super::scene::{Finding, Scene, duration};
use crate::alert::RuleKind;
use crate::covering::Reach;
use crate::flow_log::Flow;
use crate::ratio::{in_structuring_band, structuring_floor};

pub fn check(scene: &Scene<'_>) -> Option<Finding> {
    let rule = &scene.rules.structuring;
    if !in_structuring_band(rule, scene.payment.amount) {
        return None;
    }
    let since = scene.since(rule.window_seconds);
    let activity = scene.activity(scene.debtor)?;
    let outgoing = activity.outgoing();
    if outgoing.totals_since(since, scene.work).band < u64::from(rule.min_payments) {
        return None;
    }
    // Every band payment inside the window is evidence, so an earlier alert shares some
    // exactly when its latest payment is still inside the window.
    let covered = activity
        .covering()
        .of(RuleKind::Structuring, scene.work)
        .any(|alert| alert.reach.outgoing_since(since));
    if covered {
        return None;
    }
    let band: Vec<&Flow> = outgoing
        .since(since, scene.work)
        .filter(|flow| in_structuring_band(rule, flow.amount))
        .collect();
    let amounts: Vec<String> = band.iter().map(|flow| scene.money(flow.amount)).collect();
    let detail = format!(
        "{} payments from {} within {}, each at least {} and under the reporting threshold of {} (margin {} bp, alert from {} payments): {}",
        band.len(),
        scene.debtor,
        duration(rule.window_seconds),
        scene.money(structuring_floor(rule)),
        scene.money(rule.reporting_threshold),
        rule.margin_bp,
        rule.min_payments,
        amounts.join(", "),
    );
    let evidence = band.iter().map(|flow| flow.payment_id).collect();
    let reach = Reach {
        latest_out: band.iter().map(|flow| flow.at).max(),
        ..Reach::default()
    };
    Some(
        Finding::new(
            RuleKind::Structuring,
            scene.debtor.clone(),
            evidence,
            detail,
            rule.window_seconds,
        )
        .reaching(reach),
    )
}
