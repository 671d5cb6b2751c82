//! The ledger's wire primitives: fixed-width little-endian fields, the command encoding the
//! journal stores, an account record, and the [`Reader`] that decodes untrusted bytes.

use corridor_core::{AccountId, Amount, Bic, CurrencyCode, Timestamp, TransferId};

use super::CodecError;
use crate::account::{Account, AccountKind, BalanceRule, NewAccount};
use crate::command::{Command, Movement, Transfer, TransferAction};
use crate::records::BookTotals;

/// Bytes of one account record written by [`encode_account`].
pub(super) const ACCOUNT_RECORD_SIZE: usize = 16 + 11 + 2 + 1 + 17 + 2 + 16 + 8 + 4 * 16;

const TAG_ACCOUNT: u8 = 1;
const TAG_POST: u8 = 2;
const TAG_RESERVE: u8 = 3;
const TAG_POST_PENDING: u8 = 4;
const TAG_VOID_PENDING: u8 = 5;
const TAG_SET_RULE: u8 = 6;

pub(super) fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}
pub(super) fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}
pub(super) fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}
pub(super) fn put_u128(out: &mut Vec<u8>, v: u128) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_bic(out: &mut Vec<u8>, bic: &Bic) {
    let mut field = [0u8; 11];
    field[..bic.as_str().len()].copy_from_slice(bic.as_str().as_bytes());
    out.extend_from_slice(&field);
}

fn put_rule(out: &mut Vec<u8>, rule: &BalanceRule) {
    let (tag, limit) = match rule {
        BalanceRule::Unrestricted => (0, 0),
        BalanceRule::DebitsMustNotExceedCredits { limit } => (1, *limit),
        BalanceRule::CreditsMustNotExceedDebits { limit } => (2, *limit),
    };
    out.push(tag);
    put_u128(out, limit);
}

fn put_movement(out: &mut Vec<u8>, m: &Movement) {
    put_u128(out, m.debit_account.get());
    put_u128(out, m.credit_account.get());
    put_u16(out, m.currency.numeric());
    put_u128(out, m.amount.minor());
}

/// Appends one command.
pub fn encode_command(command: &Command, out: &mut Vec<u8>) {
    match command {
        Command::CreateAccount(a) => {
            out.push(TAG_ACCOUNT);
            out.push(u8::from(a.linked));
            put_definition(out, a);
        }
        Command::CreateTransfer(t) => {
            out.push(transfer_tag(&t.action));
            out.push(u8::from(t.linked));
            put_u128(out, t.id.get());
            put_transfer_fields(t, out);
        }
        Command::SetBalanceRule(c) => {
            out.push(TAG_SET_RULE);
            out.push(u8::from(c.linked));
            put_u128(out, c.account.get());
            put_rule(out, &c.rule);
        }
    }
}

/// Everything that defines a transfer except its id, in fixed positions: the input of its
/// idempotency fingerprint. Built on the stack because it runs for every transfer.
pub(crate) fn transfer_body(t: &Transfer) -> [u8; 88] {
    let (debit, credit, currency, amount, extra) = match &t.action {
        TransferAction::Post(m) => (
            m.debit_account.get(),
            m.credit_account.get(),
            m.currency.numeric(),
            m.amount.minor(),
            0,
        ),
        TransferAction::Reserve {
            movement: m,
            timeout_seconds,
        } => (
            m.debit_account.get(),
            m.credit_account.get(),
            m.currency.numeric(),
            m.amount.minor(),
            *timeout_seconds,
        ),
        TransferAction::PostPending { pending_id, amount } => (
            pending_id.get(),
            0,
            0,
            amount.map_or(0, Amount::minor),
            u32::from(amount.is_some()),
        ),
        TransferAction::VoidPending { pending_id } => (pending_id.get(), 0, 0, 0, 0),
    };
    let mut out = [0u8; 88];
    out[0] = transfer_tag(&t.action);
    out[1] = u8::from(t.linked);
    out[2..4].copy_from_slice(&t.code.to_le_bytes());
    out[4..6].copy_from_slice(&currency.to_le_bytes());
    out[6..10].copy_from_slice(&extra.to_le_bytes());
    out[24..40].copy_from_slice(&t.user_ref.to_le_bytes());
    out[40..56].copy_from_slice(&debit.to_le_bytes());
    out[56..72].copy_from_slice(&credit.to_le_bytes());
    out[72..88].copy_from_slice(&amount.to_le_bytes());
    out
}

fn transfer_tag(action: &TransferAction) -> u8 {
    match action {
        TransferAction::Post(_) => TAG_POST,
        TransferAction::Reserve { .. } => TAG_RESERVE,
        TransferAction::PostPending { .. } => TAG_POST_PENDING,
        TransferAction::VoidPending { .. } => TAG_VOID_PENDING,
    }
}

fn put_transfer_fields(t: &Transfer, out: &mut Vec<u8>) {
    put_u16(out, t.code);
    put_u128(out, t.user_ref);
    match &t.action {
        TransferAction::Post(m) => put_movement(out, m),
        TransferAction::Reserve {
            movement,
            timeout_seconds,
        } => {
            put_movement(out, movement);
            put_u32(out, *timeout_seconds);
        }
        TransferAction::PostPending { pending_id, amount } => {
            put_u128(out, pending_id.get());
            out.push(u8::from(amount.is_some()));
            put_u128(out, amount.map_or(0, Amount::minor));
        }
        TransferAction::VoidPending { pending_id } => put_u128(out, pending_id.get()),
    }
}

/// Appends a count-prefixed list of commands.
pub fn encode_commands(commands: &[Command], out: &mut Vec<u8>) {
    put_u32(out, commands.len() as u32);
    for command in commands {
        encode_command(command, out);
    }
}

/// A cursor over untrusted bytes: every read is bounds-checked and every value validated.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, offset: 0 }
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn is_empty(&self) -> bool {
        self.offset == self.bytes.len()
    }

    pub fn finish(&self) -> Result<(), CodecError> {
        match self.bytes.len() - self.offset {
            0 => Ok(()),
            n => Err(CodecError::TrailingBytes(n)),
        }
    }

    pub(super) fn take<const N: usize>(&mut self) -> Result<[u8; N], CodecError> {
        let end = self
            .offset
            .checked_add(N)
            .filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(CodecError::Truncated {
                offset: self.offset,
                needed: N - (self.bytes.len() - self.offset),
            });
        };
        let mut out = [0u8; N];
        out.copy_from_slice(&self.bytes[self.offset..end]);
        self.offset = end;
        Ok(out)
    }

    pub(super) fn invalid(&self, what: &'static str) -> CodecError {
        CodecError::Invalid {
            what,
            offset: self.offset,
        }
    }

    pub fn u8(&mut self) -> Result<u8, CodecError> {
        Ok(self.take::<1>()?[0])
    }
    pub fn u16(&mut self) -> Result<u16, CodecError> {
        self.take().map(u16::from_le_bytes)
    }
    pub fn u32(&mut self) -> Result<u32, CodecError> {
        self.take().map(u32::from_le_bytes)
    }
    pub fn u64(&mut self) -> Result<u64, CodecError> {
        self.take().map(u64::from_le_bytes)
    }
    pub fn u128(&mut self) -> Result<u128, CodecError> {
        self.take().map(u128::from_le_bytes)
    }

    pub(super) fn bool(&mut self) -> Result<bool, CodecError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.invalid("boolean")),
        }
    }

    /// A count of items of at least `item_size` bytes each, refused if the rest of the input
    /// cannot hold that many: a corrupt count must not allocate gigabytes.
    pub(super) fn count(&mut self, wide: bool, item_size: usize) -> Result<usize, CodecError> {
        let n = if wide {
            self.u64()?
        } else {
            u64::from(self.u32()?)
        };
        let remaining = (self.bytes.len() - self.offset) as u64;
        if n.saturating_mul(item_size as u64) > remaining {
            return Err(self.invalid("item count"));
        }
        Ok(n as usize)
    }

    pub(super) fn account_id(&mut self) -> Result<AccountId, CodecError> {
        let raw = self.u128()?;
        AccountId::new(raw).map_err(|_| self.invalid("account id"))
    }

    pub(super) fn transfer_id(&mut self) -> Result<TransferId, CodecError> {
        let raw = self.u128()?;
        TransferId::new(raw).map_err(|_| self.invalid("transfer id"))
    }

    pub(super) fn currency(&mut self) -> Result<CurrencyCode, CodecError> {
        let numeric = self.u16()?;
        CurrencyCode::from_numeric(numeric).map_err(|_| self.invalid("currency"))
    }

    pub(super) fn bic(&mut self) -> Result<Bic, CodecError> {
        let field: [u8; 11] = self.take()?;
        let len = field.iter().position(|&b| b == 0).unwrap_or(11);
        std::str::from_utf8(&field[..len])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| self.invalid("BIC"))
    }

    pub(super) fn kind(&mut self) -> Result<AccountKind, CodecError> {
        let tag = self.u8()?;
        AccountKind::ALL
            .into_iter()
            .find(|k| *k as u8 == tag)
            .ok_or_else(|| self.invalid("account kind"))
    }

    pub(super) fn rule(&mut self) -> Result<BalanceRule, CodecError> {
        let tag = self.u8()?;
        let limit = self.u128()?;
        match tag {
            0 if limit == 0 => Ok(BalanceRule::Unrestricted),
            1 => Ok(BalanceRule::DebitsMustNotExceedCredits { limit }),
            2 => Ok(BalanceRule::CreditsMustNotExceedDebits { limit }),
            _ => Err(self.invalid("balance rule")),
        }
    }

    fn movement(&mut self) -> Result<Movement, CodecError> {
        Ok(Movement {
            debit_account: self.account_id()?,
            credit_account: self.account_id()?,
            currency: self.currency()?,
            amount: Amount::from_minor(self.u128()?),
        })
    }

    fn definition(&mut self, linked: bool) -> Result<NewAccount, CodecError> {
        Ok(NewAccount {
            id: self.account_id()?,
            owner: self.bic()?,
            currency: self.currency()?,
            kind: self.kind()?,
            rule: self.rule()?,
            code: self.u16()?,
            user_ref: self.u128()?,
            linked,
        })
    }

    pub fn command(&mut self) -> Result<Command, CodecError> {
        let tag = self.u8()?;
        let linked = self.bool()?;
        if tag == TAG_ACCOUNT {
            return Ok(Command::CreateAccount(self.definition(linked)?));
        }
        if tag == TAG_SET_RULE {
            return Ok(Command::SetBalanceRule(crate::RuleChange {
                account: self.account_id()?,
                rule: self.rule()?,
                linked,
            }));
        }
        let id = self.transfer_id()?;
        let code = self.u16()?;
        let user_ref = self.u128()?;
        let action = match tag {
            TAG_POST => TransferAction::Post(self.movement()?),
            TAG_RESERVE => TransferAction::Reserve {
                movement: self.movement()?,
                timeout_seconds: self.u32()?,
            },
            TAG_POST_PENDING => {
                let pending_id = self.transfer_id()?;
                let has_amount = self.bool()?;
                let amount = Amount::from_minor(self.u128()?);
                TransferAction::PostPending {
                    pending_id,
                    amount: has_amount.then_some(amount),
                }
            }
            TAG_VOID_PENDING => TransferAction::VoidPending {
                pending_id: self.transfer_id()?,
            },
            _ => return Err(self.invalid("command tag")),
        };
        Ok(Command::CreateTransfer(Transfer {
            id,
            action,
            code,
            user_ref,
            linked,
        }))
    }

    /// Reads a count-prefixed list written by [`encode_commands`].
    pub fn commands(&mut self) -> Result<Vec<Command>, CodecError> {
        // A rule change: tag, linked, account id, rule tag, limit.
        const SMALLEST_COMMAND: usize = 2 + 16 + 1 + 16;
        let n = self.count(false, SMALLEST_COMMAND)?;
        (0..n).map(|_| self.command()).collect()
    }

    pub(super) fn account(&mut self) -> Result<Account, CodecError> {
        let definition = self.definition(false)?;
        let created_at = Timestamp(self.u64()?);
        let balances = self.totals()?;
        Ok(Account {
            debits_pending: balances.debits_pending,
            debits_posted: balances.debits_posted,
            credits_pending: balances.credits_pending,
            credits_posted: balances.credits_posted,
            ..Account::open(&definition, created_at)
        })
    }

    pub(super) fn totals(&mut self) -> Result<BookTotals, CodecError> {
        Ok(BookTotals {
            debits_pending: self.u128()?,
            debits_posted: self.u128()?,
            credits_pending: self.u128()?,
            credits_posted: self.u128()?,
        })
    }
}

/// What defines an account (everything but its balances and creation time): shared by the
/// open-account command and the snapshot's account record.
fn put_definition(out: &mut Vec<u8>, a: &NewAccount) {
    put_u128(out, a.id.get());
    put_bic(out, &a.owner);
    put_u16(out, a.currency.numeric());
    out.push(a.kind as u8);
    put_rule(out, &a.rule);
    put_u16(out, a.code);
    put_u128(out, a.user_ref);
}

/// The four running totals, in the order of [`BookTotals`]'s fields.
pub(crate) fn put_totals(out: &mut Vec<u8>, t: &BookTotals) {
    for v in [
        t.debits_pending,
        t.debits_posted,
        t.credits_pending,
        t.credits_posted,
    ] {
        put_u128(out, v);
    }
}

/// Every field of an account, in a fixed order: the snapshot's account record and the input
/// of the state hash.
pub(crate) fn encode_account(a: &Account, out: &mut Vec<u8>) {
    put_definition(out, &a.definition());
    put_u64(out, a.created_at.0);
    let balances = BookTotals {
        debits_pending: a.debits_pending,
        debits_posted: a.debits_posted,
        credits_pending: a.credits_pending,
        credits_posted: a.credits_posted,
    };
    put_totals(out, &balances);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_counts_are_refused_without_allocating() {
        let mut bytes = Vec::new();
        put_u32(&mut bytes, u32::MAX);
        assert!(matches!(
            Reader::new(&bytes).commands(),
            Err(CodecError::Invalid {
                what: "item count",
                ..
            })
        ));
    }

    #[test]
    fn truncated_commands_are_errors() {
        let mut bytes = Vec::new();
        put_u32(&mut bytes, 1);
        bytes.extend_from_slice(&[TAG_POST, 0, 1, 2, 3]);
        assert!(Reader::new(&bytes).commands().is_err());
    }
}
