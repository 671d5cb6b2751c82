//! (d) Pass-through: an account that sends on most of what it has just received, as a
//! money mule or a shell company's transit account does.

use super::{Finding, Scene, duration, plural};
use crate::reference::activity::Flow;
use crate::reference::ratio::{bp_of_rounded_up, share_bp};
use corridor_aml::RuleKind;

/// Checked when the account pays out: what it received within the window against what it
/// sent after the first of those receipts.
pub fn check(scene: &Scene<'_>) -> Option<Finding> {
    let rule = &scene.rules.pass_through;
    let account = scene.debtor;
    let activity = scene.activity(account)?;
    let since = scene.since(rule.window_seconds);
    let received: Vec<&Flow> = activity.incoming.iter().filter(|f| f.at >= since).collect();
    let first_receipt = received.iter().map(|flow| flow.at).min()?;
    let sent: Vec<&Flow> = activity
        .outgoing
        .iter()
        .filter(|flow| flow.at >= first_receipt)
        .collect();
    let inflow = total(&received);
    let outflow = total(&sent);
    if inflow < rule.min_inflow || outflow < bp_of_rounded_up(inflow, rule.onward_share_bp) {
        return None;
    }
    let detail = format!(
        "{} received {} in {} and sent on {} ({} bp) in {} within {}; the rule flags at least {} bp of an inflow of at least {}",
        account,
        scene.money(inflow),
        plural(received.len() as u64, "payment"),
        scene.money(outflow),
        share_bp(outflow, inflow),
        plural(sent.len() as u64, "payment"),
        duration(rule.window_seconds),
        rule.onward_share_bp,
        scene.money(rule.min_inflow),
    );
    let evidence = received.iter().chain(&sent).map(|f| f.payment_id).collect();
    Some(Finding::new(
        RuleKind::PassThrough,
        account.clone(),
        evidence,
        detail,
        rule.window_seconds,
    ))
}

fn total(flows: &[&Flow]) -> u128 {
    flows
        .iter()
        .fold(0u128, |sum, flow| sum.saturating_add(flow.amount))
}
