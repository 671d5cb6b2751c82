//! The monitoring rules' parameters, one set per settlement currency, their defaults and
//! their validation.
//!
//! Every amount is in minor units of the scheme's currency and every ratio in basis points
//! (1/100 of a percent), so the rules run on integers alone.

use std::collections::BTreeMap;

use corridor_core::CurrencyCode;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Basis points in a whole: 10,000 bp = 100 %.
pub const WHOLE_BP: u32 = 10_000;

const DAY_SECONDS: u32 = 86_400;

/// Largest minor-unit exponent the detail text will format (as in corridor-core).
const MAX_EXPONENT: u8 = 18;

/// The rules of every monitored currency. A payment in a currency without rules is not
/// monitored (the monitor counts it, see `AmlMonitor::unmonitored_payments`): thresholds in
/// minor units mean nothing across currencies, so there is no fallback.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmlConfig {
    pub schemes: BTreeMap<CurrencyCode, SchemeRules>,
}

impl Default for AmlConfig {
    /// EUR and USD with [`SchemeRules::default`]; any other currency must be added by the
    /// operator with thresholds in its own minor units.
    fn default() -> AmlConfig {
        let mut schemes = BTreeMap::new();
        for code in ["EUR", "USD"] {
            if let Ok(currency) = code.parse() {
                schemes.insert(currency, SchemeRules::default());
            }
        }
        AmlConfig { schemes }
    }
}

impl AmlConfig {
    /// The same configuration with `rules` for `currency`.
    pub fn with_scheme(mut self, currency: CurrencyCode, rules: SchemeRules) -> AmlConfig {
        self.schemes.insert(currency, rules);
        self
    }

    pub fn rules_for(&self, currency: CurrencyCode) -> Option<&SchemeRules> {
        self.schemes.get(&currency)
    }

    /// Refuses parameters under which a rule would be meaningless or always fire.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.schemes
            .iter()
            .try_for_each(|(currency, rules)| rules.validate(*currency))
    }
}

/// All rules of one currency's scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeRules {
    /// Decimal places of the minor unit, used only to write amounts in alert details.
    pub minor_unit_exponent: u8,
    pub structuring: StructuringRule,
    pub velocity: VelocityRule,
    pub round_trip: RoundTripRule,
    pub pass_through: PassThroughRule,
    pub new_counterparty: NewCounterpartyRule,
    pub originator_data: OriginatorDataRule,
}

impl Default for SchemeRules {
    /// Parameters for a two-decimal currency worth about a euro or a dollar.
    fn default() -> SchemeRules {
        SchemeRules {
            minor_unit_exponent: 2,
            structuring: StructuringRule::default(),
            velocity: VelocityRule::default(),
            round_trip: RoundTripRule::default(),
            pass_through: PassThroughRule::default(),
            new_counterparty: NewCounterpartyRule::default(),
            originator_data: OriginatorDataRule::default(),
        }
    }
}

impl SchemeRules {
    /// How long a payment can still matter to some rule: account state idle for longer is
    /// dropped.
    pub fn retention_seconds(&self) -> u64 {
        [
            self.flow_window_seconds(),
            self.velocity.history_seconds(),
            u64::from(self.new_counterparty.memory_seconds),
        ]
        .into_iter()
        .max()
        .unwrap_or_default()
    }

    /// How long individual payments are kept per account for the windowed rules.
    pub fn flow_window_seconds(&self) -> u64 {
        [
            self.structuring.window_seconds,
            self.velocity.window_seconds,
            self.round_trip.window_seconds,
            self.pass_through.window_seconds,
        ]
        .into_iter()
        .max()
        .map(u64::from)
        .unwrap_or_default()
    }

    fn validate(&self, currency: CurrencyCode) -> Result<(), ConfigError> {
        let invalid = |problem: &'static str| ConfigError::Invalid { currency, problem };
        let checks = [
            (
                self.minor_unit_exponent > MAX_EXPONENT,
                "minor_unit_exponent is above 18",
            ),
            (
                self.structuring.margin_bp > WHOLE_BP,
                "structuring margin_bp is above 10000",
            ),
            (
                self.structuring.min_payments < 2,
                "structuring min_payments is below 2",
            ),
            (
                self.velocity.spike_multiple_bp <= WHOLE_BP,
                "velocity spike_multiple_bp must be above 10000 (1x)",
            ),
            (
                self.velocity.trailing_windows == 0,
                "velocity trailing_windows is 0",
            ),
            (
                self.round_trip.tolerance_bp > WHOLE_BP,
                "round_trip tolerance_bp is above 10000",
            ),
            (
                self.pass_through.onward_share_bp == 0
                    || self.pass_through.onward_share_bp > WHOLE_BP,
                "pass_through onward_share_bp is not in 1..=10000",
            ),
            (
                [
                    self.structuring.window_seconds,
                    self.velocity.window_seconds,
                    self.round_trip.window_seconds,
                    self.pass_through.window_seconds,
                ]
                .contains(&0),
                "a window of 0 seconds",
            ),
        ];
        match checks.into_iter().find(|(broken, _)| *broken) {
            Some((_, problem)) => Err(invalid(problem)),
            None => Ok(()),
        }
    }
}

/// (a) Structuring: several payments from one debtor, each just under the reporting
/// threshold, within a window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructuringRule {
    /// The amount at which a payment is reported anyway, in minor units.
    pub reporting_threshold: u128,
    /// How far under the threshold "just under" reaches: payments in
    /// `[threshold × (1 − margin), threshold)` count.
    pub margin_bp: u32,
    /// How many such payments within the window raise the alert.
    pub min_payments: u32,
    pub window_seconds: u32,
}

impl Default for StructuringRule {
    /// 10,000.00 threshold, 10 % margin, 3 payments within 3 days.
    fn default() -> StructuringRule {
        StructuringRule {
            reporting_threshold: 1_000_000,
            margin_bp: 1_000,
            min_payments: 3,
            window_seconds: 3 * DAY_SECONDS,
        }
    }
}

/// (b) Velocity spike: a debtor's count or value in the current window above a multiple of
/// its average over the trailing windows. Windows are aligned on multiples of
/// `window_seconds` since the epoch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VelocityRule {
    pub window_seconds: u32,
    /// How many previous windows make the average.
    pub trailing_windows: u32,
    /// The multiple of the average that is a spike, in basis points (50,000 = 5×).
    pub spike_multiple_bp: u32,
    /// The average count per window is taken as at least this, so an account with no
    /// history does not spike on its first few payments.
    pub min_baseline_count: u64,
    /// The average value per window is taken as at least this (minor units).
    pub min_baseline_value: u128,
}

impl VelocityRule {
    /// The current window and the trailing ones.
    pub fn history_seconds(&self) -> u64 {
        u64::from(self.window_seconds) * (u64::from(self.trailing_windows) + 1)
    }
}

impl Default for VelocityRule {
    /// Daily windows against the previous 7 days, 5× spike, baseline at least 5 payments
    /// and 5,000.00 a day.
    fn default() -> VelocityRule {
        VelocityRule {
            window_seconds: DAY_SECONDS,
            trailing_windows: 7,
            spike_multiple_bp: 50_000,
            min_baseline_count: 5,
            min_baseline_value: 500_000,
        }
    }
}

/// (c) Round tripping: money that comes back to where it started, A → B → A or
/// A → B → C → A, within a window, each leg within a tolerance of the first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundTripRule {
    pub window_seconds: u32,
    /// How far each later leg may differ from the first, in basis points of the first.
    pub tolerance_bp: u32,
    /// The first leg must be at least this (minor units): small refunds are not round trips.
    pub min_amount: u128,
}

impl Default for RoundTripRule {
    /// 7 days, 5 % tolerance, from 1,000.00.
    fn default() -> RoundTripRule {
        RoundTripRule {
            window_seconds: 7 * DAY_SECONDS,
            tolerance_bp: 500,
            min_amount: 100_000,
        }
    }
}

/// (d) Pass-through: an account that sends on most of what it received within a short
/// window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassThroughRule {
    pub window_seconds: u32,
    /// Sent on at least this share of what came in, in basis points.
    pub onward_share_bp: u32,
    /// What came in must be at least this (minor units).
    pub min_inflow: u128,
}

impl Default for PassThroughRule {
    /// 90 % sent on within a day, of at least 10,000.00 received.
    fn default() -> PassThroughRule {
        PassThroughRule {
            window_seconds: DAY_SECONDS,
            onward_share_bp: 9_000,
            min_inflow: 1_000_000,
        }
    }
}

/// (e) A large first payment between a debtor and a creditor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCounterpartyRule {
    /// A first payment of at least this raises the alert (minor units).
    pub threshold: u128,
    /// How long a pair stays known after its last payment; after that, a payment between
    /// them is a first payment again.
    pub memory_seconds: u32,
}

impl Default for NewCounterpartyRule {
    /// 50,000.00, pairs remembered for 90 days.
    fn default() -> NewCounterpartyRule {
        NewCounterpartyRule {
            threshold: 5_000_000,
            memory_seconds: 90 * DAY_SECONDS,
        }
    }
}

/// (f) Missing or inconsistent originator information (FATF Recommendation 16).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginatorDataRule {
    /// Payments of at least this must carry complete, consistent information (minor units).
    /// FATF allows at most USD/EUR 1,000.
    pub de_minimis: u128,
    /// Whether only cross-border wires (agents in different countries) are checked.
    pub cross_border_only: bool,
}

impl Default for OriginatorDataRule {
    /// 1,000.00, cross-border wires only.
    fn default() -> OriginatorDataRule {
        OriginatorDataRule {
            de_minimis: 100_000,
            cross_border_only: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error("AML rules for {currency}: {problem}")]
    Invalid {
        currency: CurrencyCode,
        problem: &'static str,
    },
}
