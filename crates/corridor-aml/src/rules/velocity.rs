//! (b) Velocity spike: a debtor paying far more often, or far more, in the current window
//! than its own trailing average.

use super::scene::{Finding, Scene, duration, multiple, plural};
use crate::activity::{index_start, window_index, window_start};
use crate::alert::RuleKind;
use crate::config::VelocityRule;
use crate::covering::Reach;
use crate::ratio::bp_of;
use crate::state::WindowTotal;

pub fn check(scene: &Scene<'_>) -> Option<Finding> {
    let rule = &scene.rules.velocity;
    let activity = scene.activity(scene.debtor)?;
    let current_index = window_index(scene.payment.settled_at, rule.window_seconds);
    let current = activity.windows().get(&current_index).copied()?;
    let oldest = current_index.saturating_sub(u64::from(rule.trailing_windows));
    let trailing = activity.windows().range(oldest..current_index).fold(
        WindowTotal::default(),
        |sum, (_, window)| WindowTotal {
            count: sum.count.saturating_add(window.count),
            value: sum.value.saturating_add(window.value),
        },
    );
    let count_spikes = spikes(
        u128::from(current.count),
        u128::from(trailing.count),
        u128::from(rule.min_baseline_count),
        rule,
    );
    let value_spikes = spikes(current.value, trailing.value, rule.min_baseline_value, rule);
    if !count_spikes && !value_spikes {
        return None;
    }
    // The evidence is every payment of the current window the account still holds, so an
    // earlier alert on the same window shares some while its latest payment is held.
    let held_since = window_start(scene.now, scene.rules.flow_window_seconds());
    let covered = activity
        .covering()
        .of(RuleKind::VelocitySpike, scene.work)
        .any(|alert| alert.reach.window == current_index && alert.reach.outgoing_since(held_since));
    if covered {
        return None;
    }
    let in_window: Vec<_> = activity
        .outgoing()
        .since(index_start(current_index, rule.window_seconds), scene.work)
        .filter(|flow| window_index(flow.at, rule.window_seconds) == current_index)
        .collect();
    let evidence: Vec<u64> = in_window.iter().map(|flow| flow.payment_id).collect();
    let reach = Reach {
        latest_out: in_window.iter().map(|flow| flow.at).max(),
        window: current_index,
        ..Reach::default()
    };
    let spiking = match (count_spikes, value_spikes) {
        (true, true) => "count and value",
        (true, false) => "count",
        _ => "value",
    };
    let detail = format!(
        "{} spike: {} totalling {} from {} in the current {} window; the previous {} windows held {} totalling {} (average taken as at least {} and {} a window); a spike is above {} the average",
        spiking,
        plural(current.count, "payment"),
        scene.money(current.value),
        scene.debtor,
        duration(rule.window_seconds),
        rule.trailing_windows,
        plural(trailing.count, "payment"),
        scene.money(trailing.value),
        plural(rule.min_baseline_count, "payment"),
        scene.money(rule.min_baseline_value),
        multiple(rule.spike_multiple_bp),
    );
    Some(
        Finding::new(
            RuleKind::VelocitySpike,
            scene.debtor.clone(),
            evidence,
            detail,
            rule.window_seconds,
        )
        .reaching(reach),
    )
}

/// Whether `current` exceeds the multiple of the trailing average, the average being taken
/// as at least `floor_per_window`. Compared as `current × M > multiple × max(sum, floor × M)`
/// so no division rounds.
fn spikes(current: u128, trailing_sum: u128, floor_per_window: u128, rule: &VelocityRule) -> bool {
    let windows = u128::from(rule.trailing_windows);
    let baseline = trailing_sum.max(floor_per_window.saturating_mul(windows));
    current.saturating_mul(windows) > bp_of(baseline, rule.spike_multiple_bp)
}
