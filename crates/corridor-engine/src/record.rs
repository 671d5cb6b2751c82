//! The payload of one journal record: the engine time of a batch and the requests it held,
//! each applied as one `StateMachine::apply` call. Results are not stored: replaying the
//! requests at the same time reproduces them. Each request is length-prefixed, so a record
//! can be walked without knowing the state machine.

use corridor_core::Timestamp;
use corridor_ledger::{MachineError, StateMachine};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRecord<R> {
    pub now: Timestamp,
    pub requests: Vec<R>,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("record ends early at byte {offset}")]
    Truncated { offset: usize },
    #[error("{count} bytes after the last request, from byte {offset}")]
    TrailingBytes { offset: usize, count: usize },
    #[error("request {index} cannot be decoded: {source}")]
    Request { index: u32, source: MachineError },
}

pub fn encode<S: StateMachine>(now: Timestamp, requests: &[S::Request], out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(&now.0.to_le_bytes());
    out.extend_from_slice(&(requests.len() as u32).to_le_bytes());
    for request in requests {
        let at = out.len();
        out.extend_from_slice(&[0; 4]);
        S::encode_request(request, out);
        let len = (out.len() - at - 4) as u32;
        out[at..at + 4].copy_from_slice(&len.to_le_bytes());
    }
}

pub fn decode<S: StateMachine>(payload: &[u8]) -> Result<BatchRecord<S::Request>, RecordError> {
    let mut offset = 0;
    let now = Timestamp(u64::from_le_bytes(take(payload, &mut offset)?));
    let count = u32::from_le_bytes(take(payload, &mut offset)?);
    let mut requests = Vec::new();
    for index in 0..count {
        let len = u32::from_le_bytes(take(payload, &mut offset)?) as usize;
        let bytes = payload
            .get(offset..offset.saturating_add(len))
            .ok_or(RecordError::Truncated { offset })?;
        offset += len;
        requests.push(
            S::decode_request(bytes).map_err(|source| RecordError::Request { index, source })?,
        );
    }
    if offset != payload.len() {
        return Err(RecordError::TrailingBytes {
            offset,
            count: payload.len() - offset,
        });
    }
    Ok(BatchRecord { now, requests })
}

fn take<const N: usize>(payload: &[u8], offset: &mut usize) -> Result<[u8; N], RecordError> {
    let bytes = payload
        .get(*offset..*offset + N)
        .and_then(|b| <[u8; N]>::try_from(b).ok())
        .ok_or(RecordError::Truncated { offset: *offset })?;
    *offset += N;
    Ok(bytes)
}
