//! What the engine needs of a deterministic state machine to run it: apply a request at a
//! given time, encode requests for the journal and the whole state for a snapshot, and check
//! its own invariants after recovery. The ledger is one; the settlement hub, which wraps the
//! ledger, is another. Pure: no I/O, no clock.

use corridor_core::Timestamp;

use crate::codec::{self, CodecError, Reader};
use crate::{BatchOutcome, Command, Ledger};

pub type MachineError = Box<dyn std::error::Error + Send + Sync>;

pub trait StateMachine: Sized + Send + 'static {
    /// One caller's request, applied as a unit (one linked chain never spans two).
    type Request: Send + 'static;
    type Outcome: Send + 'static;

    /// Deterministic: the same state, request and `now` give the same outcome and state.
    fn apply(&mut self, request: &Self::Request, now: Timestamp) -> Self::Outcome;
    /// Called before the requests of journal record `journal_seq` are applied (live and on
    /// replay), for a state that names the record its changes came in.
    fn begin_record(&mut self, _journal_seq: u64) {}
    /// How many events a request holds, for sizing batches.
    fn events(request: &Self::Request) -> usize;
    /// Appends the request's bytes to `out`. On an error `out` is left as it was, and the
    /// engine refuses the request rather than journal something it cannot replay.
    fn encode_request(request: &Self::Request, out: &mut Vec<u8>) -> Result<(), MachineError>;
    /// Decodes exactly the bytes [`StateMachine::encode_request`] wrote; anything else is an
    /// error, never a panic.
    fn decode_request(bytes: &[u8]) -> Result<Self::Request, MachineError>;
    /// The whole state; an error means no snapshot may be written.
    fn encode_snapshot(&self) -> Result<Vec<u8>, MachineError>;
    fn decode_snapshot(bytes: &[u8]) -> Result<Self, MachineError>;
    fn check_invariants(&self) -> Result<(), MachineError>;
    fn state_hash(&self) -> u128;
    /// Pre-sizes indexes for `transfers` more transfers, so growth never stalls the writer.
    fn reserve_transfers(&mut self, transfers: usize);
    /// A one-line description for the start-up log.
    fn summary(&self) -> String;
}

impl StateMachine for Ledger {
    type Request = Vec<Command>;
    type Outcome = BatchOutcome;

    fn apply(&mut self, request: &Vec<Command>, now: Timestamp) -> BatchOutcome {
        Ledger::apply(self, request, now)
    }

    fn events(request: &Vec<Command>) -> usize {
        request.len()
    }

    fn encode_request(request: &Vec<Command>, out: &mut Vec<u8>) -> Result<(), MachineError> {
        codec::encode_commands(request, out);
        Ok(())
    }

    fn decode_request(bytes: &[u8]) -> Result<Vec<Command>, MachineError> {
        let mut r = Reader::new(bytes);
        let commands = r.commands()?;
        r.finish()?;
        Ok(commands)
    }

    fn encode_snapshot(&self) -> Result<Vec<u8>, MachineError> {
        Ok(codec::encode_snapshot(self))
    }

    fn decode_snapshot(bytes: &[u8]) -> Result<Ledger, MachineError> {
        codec::decode_snapshot(bytes).map_err(|e: CodecError| e.into())
    }

    fn check_invariants(&self) -> Result<(), MachineError> {
        Ledger::check_invariants(self).map_err(Into::into)
    }

    fn state_hash(&self) -> u128 {
        Ledger::state_hash(self)
    }

    fn reserve_transfers(&mut self, transfers: usize) {
        Ledger::reserve_transfers(self, transfers);
    }

    fn summary(&self) -> String {
        format!(
            "{} accounts, {} transfers",
            self.accounts().len(),
            self.transfer_count()
        )
    }
}
