//! (e) A large first payment between a debtor and a creditor: new relationships are where
//! mule and fraud payments go.

use super::scene::{Finding, Scene, duration};
use crate::alert::RuleKind;

pub fn check(scene: &Scene<'_>) -> Option<Finding> {
    let rule = &scene.rules.new_counterparty;
    let amount = scene.payment.amount;
    if !scene.first_payment_to_creditor || amount < rule.threshold {
        return None;
    }
    let detail = format!(
        "first payment from {} to {} in {}: {}, at or above the {} threshold for a new counterparty",
        scene.debtor,
        scene.creditor,
        duration(rule.memory_seconds),
        scene.money(amount),
        scene.money(rule.threshold),
    );
    scene.unless_cited(Finding::new(
        RuleKind::NewCounterparty,
        scene.debtor.clone(),
        vec![scene.payment.payment_id],
        detail,
        0,
    ))
}
