use serde::{Deserialize, Serialize};
use std::fmt;

/// Engine time: nanoseconds since the Unix epoch (UTC).
///
/// The deterministic core never reads a clock; the engine loop reads one and passes the value
/// in, so replaying the journal reproduces every timestamp exactly.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Timestamp(pub u64);

impl Timestamp {
    pub const ZERO: Timestamp = Timestamp(0);
    const NANOS_PER_SECOND: u64 = 1_000_000_000;

    pub fn nanos(self) -> u64 {
        self.0
    }

    /// `self + seconds`, saturating at the far future instead of wrapping.
    pub fn plus_seconds(self, seconds: u32) -> Timestamp {
        Timestamp(
            self.0
                .saturating_add(u64::from(seconds) * Self::NANOS_PER_SECOND),
        )
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0 / Self::NANOS_PER_SECOND;
        let nanos = self.0 % Self::NANOS_PER_SECOND;
        write!(f, "{secs}.{nanos:09}")
    }
}
