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

/// A record being built on the engine thread: the batch's time, then each request as it is
/// accepted. A request that cannot be encoded leaves the record as it was.
#[derive(Debug)]
pub struct RecordBuilder {
    bytes: Vec<u8>,
    count: u32,
}

impl RecordBuilder {
    pub fn new(now: Timestamp) -> RecordBuilder {
        let mut bytes = Vec::with_capacity(4_096);
        bytes.extend_from_slice(&now.0.to_le_bytes());
        bytes.extend_from_slice(&0u32.to_le_bytes());
        RecordBuilder { bytes, count: 0 }
    }

    /// Appends `request`, length-prefixed; on an error nothing is appended.
    pub fn push<S: StateMachine>(&mut self, request: &S::Request) -> Result<(), MachineError> {
        let at = self.bytes.len();
        self.bytes.extend_from_slice(&[0; 4]);
        if let Err(e) = S::encode_request(request, &mut self.bytes) {
            self.bytes.truncate(at);
            return Err(e);
        }
        let len = (self.bytes.len() - at - 4) as u32;
        self.bytes[at..at + 4].copy_from_slice(&len.to_le_bytes());
        self.count += 1;
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The record's payload.
    pub fn finish(mut self) -> Vec<u8> {
        self.bytes[8..12].copy_from_slice(&self.count.to_le_bytes());
        self.bytes
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
