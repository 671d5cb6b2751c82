//! The payload of one journal record: the engine time of a batch and the requests it held,
//! each a list of ledger commands applied as one `Ledger::apply` call. Results are not
//! stored: replaying the commands at the same time reproduces them.

use corridor_core::Timestamp;
use corridor_ledger::Command;
use corridor_ledger::codec::{self, CodecError, Reader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRecord {
    pub now: Timestamp,
    pub requests: Vec<Vec<Command>>,
}

impl BatchRecord {
    pub fn event_count(&self) -> usize {
        self.requests.iter().map(Vec::len).sum()
    }
}

pub fn encode(now: Timestamp, requests: &[Vec<Command>], out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(&now.0.to_le_bytes());
    out.extend_from_slice(&(requests.len() as u32).to_le_bytes());
    for commands in requests {
        codec::encode_commands(commands, out);
    }
}

pub fn decode(payload: &[u8]) -> Result<BatchRecord, CodecError> {
    let mut r = Reader::new(payload);
    let now = Timestamp(r.u64()?);
    let count = r.u32()?;
    let mut requests = Vec::new();
    for _ in 0..count {
        if r.is_empty() {
            return Err(CodecError::Truncated {
                offset: r.offset(),
                needed: 4,
            });
        }
        requests.push(r.commands()?);
    }
    r.finish()?;
    Ok(BatchRecord { now, requests })
}
