//! (d) Pass-through: an account that sends on most of what it has just received, as a
//! money mule or a shell company's transit account does.

use super::scene::{Finding, Scene, duration, plural};
use crate::alert::RuleKind;
use crate::covering::Reach;
use crate::ratio::{bp_of_rounded_up, share_bp};

/// Checked when the account pays out: what it received within the window against what it
/// sent after the first of those receipts.
pub fn check(scene: &Scene<'_>) -> Option<Finding> {
    let rule = &scene.rules.pass_through;
    let account = scene.debtor;
    let activity = scene.activity(account)?;
    let since = scene.since(rule.window_seconds);
    let received = activity.incoming().totals_since(since, scene.work);
    let first_receipt = received.earliest?;
    let sent = activity.outgoing().totals_since(first_receipt, scene.work);
    let inflow = received.value.saturated();
    let outflow = sent.value.saturated();
    if inflow < rule.min_inflow || outflow < bp_of_rounded_up(inflow, rule.onward_share_bp) {
        return None;
    }
    // The evidence is every receipt in the window and every payment out since the first
    // of them, so an earlier alert shares some when its latest of either is still in.
    let covered = activity
        .covering()
        .of(RuleKind::PassThrough, scene.work)
        .any(|alert| {
            alert.reach.incoming_since(since) || alert.reach.outgoing_since(first_receipt)
        });
    if covered {
        return None;
    }
    let detail = format!(
        "{} received {} in {} and sent on {} ({} bp) in {} within {}; the rule flags at least {} bp of an inflow of at least {}",
        account,
        scene.money(inflow),
        plural(received.count as u64, "payment"),
        scene.money(outflow),
        share_bp(outflow, inflow),
        plural(sent.count as u64, "payment"),
        duration(rule.window_seconds),
        rule.onward_share_bp,
        scene.money(rule.min_inflow),
    );
    let received_flows: Vec<_> = activity.incoming().since(since, scene.work).collect();
    let sent_flows: Vec<_> = activity
        .outgoing()
        .since(first_receipt, scene.work)
        .collect();
    let reach = Reach {
        latest_in: received_flows.iter().map(|flow| flow.at).max(),
        latest_out: sent_flows.iter().map(|flow| flow.at).max(),
        window: 0,
    };
    let evidence = received_flows
        .iter()
        .chain(&sent_flows)
        .map(|flow| flow.payment_id)
        .collect();
    Some(
        Finding::new(
            RuleKind::PassThrough,
            account.clone(),
            evidence,
            detail,
            rule.window_seconds,
        )
        .reaching(reach),
    )
}
