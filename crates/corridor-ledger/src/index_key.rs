//! The key of the transfer idempotency index and the hash that places it.
//!
//! The Hub numbers its ledger transfers consecutively, and a bank's own ids are usually
//! time-ordered. A general-purpose hash scatters consecutive ids over the whole table, so
//! every insert of a multi-million-entry index is a cache miss; this hash keeps the id's low
//! bits as the bucket position, so consecutive ids fill consecutive slots, and draws only
//! the 7-bit tag (what the table compares before the key) from a multiplicative mix of all
//! bits. Random ids (UUID-like) spread as evenly as under any hash. The cost is that ids
//! chosen to agree in their low bits share a probe sequence: the index is fed by the Hub,
//! never by ids a participant picks, so that is a load the ledger does not face.

use std::hash::{BuildHasherDefault, Hash, Hasher};

use corridor_core::TransferId;

/// A transfer id as two halves: a `u128` key would be 16-byte aligned and pad every entry
/// from 24 to 32 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IndexKey(pub(crate) [u64; 2]);

impl IndexKey {
    pub(crate) fn of(id: TransferId) -> IndexKey {
        let raw = id.get();
        IndexKey([raw as u64, (raw >> 64) as u64])
    }

    pub(crate) fn id(self) -> u128 {
        (u128::from(self.0[1]) << 64) | u128::from(self.0[0])
    }
}

impl Hash for IndexKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(placement(self.0));
    }
}

/// Bits the table takes its tag from (hashbrown: the top 7).
const TAG_BITS: u32 = 7;
const POSITION_MASK: u64 = u64::MAX >> TAG_BITS;
/// 2^64 / golden ratio: an odd constant whose products spread every input bit upwards.
const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

fn placement([low, high]: [u64; 2]) -> u64 {
    let position = low.wrapping_add(high.wrapping_mul(MIX));
    let tag = (low ^ high.rotate_left(32)).wrapping_mul(MIX);
    (position & POSITION_MASK) | (tag & !POSITION_MASK)
}

/// Hands the key's own placement to the table unchanged.
#[derive(Default)]
pub(crate) struct PlacementHasher(u64);

impl Hasher for PlacementHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

pub(crate) type BuildPlacementHasher = BuildHasherDefault<PlacementHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_ids_take_consecutive_positions_with_mixed_tags() {
        let tags: std::collections::HashSet<u64> = (1_000u64..1_128)
            .map(|n| {
                let h = placement([n, 0]);
                assert_eq!(h & POSITION_MASK, n);
                h >> (64 - TAG_BITS)
            })
            .collect();
        assert!(
            tags.len() > 64,
            "tags of consecutive ids should differ: {}",
            tags.len()
        );
    }

    #[test]
    fn the_high_half_moves_the_position() {
        assert_ne!(
            placement([5, 1]) & POSITION_MASK,
            placement([5, 2]) & POSITION_MASK
        );
    }

    #[test]
    fn key_round_trips_the_id() {
        let id = TransferId::try_from(u128::MAX - 7).unwrap();
        assert_eq!(IndexKey::of(id).id(), u128::MAX - 7);
    }
}
