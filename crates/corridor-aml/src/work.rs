//! A count of the window elements the monitor reads: flows scanned or dropped, steps of
//! binary searches, covering alerts looked at. Tests and benches read it to show that the
//! work per payment does not grow with an account's history.

use std::cell::Cell;

#[derive(Debug, Default)]
pub struct Work(Cell<u64>);

impl Work {
    pub fn add(&self, elements: usize) {
        self.0.set(self.0.get().saturating_add(elements as u64));
    }

    /// One binary search over `len` elements.
    pub fn search(&self, len: usize) {
        self.add((usize::BITS - len.leading_zeros()) as usize);
    }

    pub fn total(&self) -> u64 {
        self.0.get()
    }
}
