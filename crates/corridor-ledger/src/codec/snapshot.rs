//! The whole-ledger snapshot: magic, version, the books, accounts, transfer index and pending
//! reservations, in the wire primitives of `wire`.

use corridor_core::Timestamp;

use super::wire::{
    ACCOUNT_RECORD_SIZE, Reader, encode_account, put_totals, put_u16, put_u32, put_u64, put_u128,
};
use super::{CodecError, SNAPSHOT_VERSION};
use crate::index_key::IndexKey;
use crate::ledger::Ledger;
use crate::records::{Book, IndexEntry, Pending};

const SNAPSHOT_MAGIC: &[u8; 8] = b"CORLSNAP";

/// Serializes the whole ledger. Derived structures (the account index, the expiry queue,
/// the index digest) are rebuilt on decode rather than stored.
pub fn encode_snapshot(ledger: &Ledger) -> Vec<u8> {
    let mut out =
        Vec::with_capacity(64 + ledger.accounts.len() * 160 + ledger.transfers.len() * 24);
    out.extend_from_slice(SNAPSHOT_MAGIC);
    put_u32(&mut out, SNAPSHOT_VERSION);
    put_u64(&mut out, ledger.last_timestamp.0);
    put_u32(&mut out, ledger.books.len() as u32);
    for book in &ledger.books {
        put_u16(&mut out, book.currency.numeric());
        put_totals(&mut out, &book.totals);
    }
    put_u64(&mut out, ledger.accounts.len() as u64);
    for account in &ledger.accounts {
        encode_account(account, &mut out);
    }
    put_u64(&mut out, ledger.pending.len() as u64);
    for (id, p) in &ledger.pending {
        put_u128(&mut out, id.get());
        put_u32(&mut out, p.debit);
        put_u32(&mut out, p.credit);
        put_u32(&mut out, p.book as u32);
        put_u128(&mut out, p.amount);
        put_u64(&mut out, p.expires_at.map_or(u64::MAX, |t| t.0));
    }
    put_u64(&mut out, ledger.transfers.len() as u64);
    for (id, entry) in ledger.index_entries() {
        put_u128(&mut out, id);
        put_u64(&mut out, entry.0);
    }
    out
}

/// Decodes a snapshot and checks every ledger invariant before returning it.
pub fn decode_snapshot(bytes: &[u8]) -> Result<Ledger, CodecError> {
    let mut r = Reader::new(bytes);
    if r.take::<8>()? != *SNAPSHOT_MAGIC {
        return Err(CodecError::BadMagic);
    }
    let version = r.u32()?;
    if version != SNAPSHOT_VERSION {
        return Err(CodecError::UnsupportedVersion { found: version });
    }
    let last_timestamp = Timestamp(r.u64()?);
    let book_count = r.count(false, 66)?;
    let mut books = Vec::with_capacity(book_count);
    for _ in 0..book_count {
        books.push(Book {
            currency: r.currency()?,
            totals: r.totals()?,
        });
    }
    let account_count = r.count(true, ACCOUNT_RECORD_SIZE)?;
    let accounts = (0..account_count)
        .map(|_| r.account())
        .collect::<Result<Vec<_>, _>>()?;
    let pending_count = r.count(true, 52)?;
    let mut pending = Vec::with_capacity(pending_count);
    for _ in 0..pending_count {
        let id = r.transfer_id()?;
        let (debit, credit, book) = (r.u32()?, r.u32()?, r.u32()? as usize);
        let amount = r.u128()?;
        let expires_at = Some(r.u64()?).filter(|&t| t != u64::MAX).map(Timestamp);
        let in_bounds = (debit as usize) < accounts.len()
            && (credit as usize) < accounts.len()
            && book < books.len();
        if !in_bounds {
            return Err(r.invalid("pending reservation"));
        }
        pending.push((
            id,
            Pending {
                debit,
                credit,
                book,
                amount,
                expires_at,
            },
        ));
    }
    let transfer_count = r.count(true, 24)?;
    let mut transfers = Vec::with_capacity(transfer_count);
    for _ in 0..transfer_count {
        let id = r.transfer_id()?;
        let entry =
            IndexEntry::from_raw(r.u64()?).ok_or_else(|| r.invalid("transfer index entry"))?;
        transfers.push((IndexKey::of(id), entry));
    }
    r.finish()?;
    let ledger = Ledger::from_parts(accounts, books, transfers, pending, last_timestamp);
    if ledger.accounts.len() != ledger.account_index.len() {
        return Err(CodecError::Invalid {
            what: "duplicate account id",
            offset: 0,
        });
    }
    ledger.check_invariants()?;
    Ok(ledger)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_header_is_checked() {
        assert_eq!(
            decode_snapshot(b"NOTASNAPxxxx").unwrap_err(),
            CodecError::BadMagic
        );
        let mut bytes = SNAPSHOT_MAGIC.to_vec();
        put_u32(&mut bytes, 99);
        assert_eq!(
            decode_snapshot(&bytes).unwrap_err(),
            CodecError::UnsupportedVersion { found: 99 }
        );
    }
}
