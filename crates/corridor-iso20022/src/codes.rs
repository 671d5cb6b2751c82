//! The closed ISO 20022 code sets the model keeps as enums. Each variant carries its XML
//! text as its strum name, so one attribute says both how it is read and how it is written.

use std::str::FromStr;
use strum::{EnumString, IntoStaticStr, VariantArray};

/// A code set: each value's XML text, and back.
pub trait Code: Sized + Copy + 'static {
    /// Every value of the set, in the order the schema lists them.
    fn all() -> &'static [Self];
    fn from_code(code: &str) -> Option<Self>;
    fn code(self) -> &'static str;

    /// The XML texts of every value, for error messages.
    fn all_codes() -> Vec<&'static str> {
        Self::all().iter().map(|c| c.code()).collect()
    }
}

impl<T> Code for T
where
    T: VariantArray + FromStr + Copy + Into<&'static str> + 'static,
{
    fn all() -> &'static [Self] {
        T::VARIANTS
    }

    fn from_code(code: &str) -> Option<Self> {
        T::from_str(code).ok()
    }

    fn code(self) -> &'static str {
        self.into()
    }
}

/// `SettlementMethod1Code`: how the instructing and instructed agents settle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
pub enum SettlementMethod {
    /// INDA: the instructed agent settles on an account it holds for the instructing one.
    #[strum(serialize = "INDA")]
    InstructedAgent,
    /// INGA: the instructing agent settles on an account it holds for the instructed one.
    #[strum(serialize = "INGA")]
    InstructingAgent,
    /// COVE: settled through a cover payment.
    #[strum(serialize = "COVE")]
    CoverMethod,
    /// CLRG: settled through a clearing system.
    #[strum(serialize = "CLRG")]
    ClearingSystem,
}

/// `Priority2Code`: the instruction priority (`PmtTpInf/InstrPrty`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
pub enum Priority {
    #[strum(serialize = "HIGH")]
    High,
    #[strum(serialize = "NORM")]
    Normal,
}

/// `ChargeBearerType1Code`: who bears the charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
pub enum ChargeBearer {
    /// DEBT: the debtor bears all charges.
    #[strum(serialize = "DEBT")]
    BorneByDebtor,
    /// CRED: the creditor bears all charges.
    #[strum(serialize = "CRED")]
    BorneByCreditor,
    /// SHAR: each party bears its own agent's charges.
    #[strum(serialize = "SHAR")]
    Shared,
    /// SLEV: the service level (scheme) rules decide.
    #[strum(serialize = "SLEV")]
    FollowingServiceLevel,
}

/// `PaymentMethod3Code`: how the debtor's agent is to carry out a payment instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
pub enum PaymentMethod {
    /// CHK: by cheque.
    #[strum(serialize = "CHK")]
    Cheque,
    /// TRF: by credit transfer.
    #[strum(serialize = "TRF")]
    CreditTransfer,
    /// TRA: by credit transfer, the creditor being advised of it.
    #[strum(serialize = "TRA")]
    TransferAdvice,
}

/// `CreditDebitCode`: whether an entry or a balance adds to the account or takes from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
pub enum CreditDebit {
    #[strum(serialize = "CRDT")]
    Credit,
    #[strum(serialize = "DBIT")]
    Debit,
}

/// `CancellationIndividualStatus1Code`: what became of one transaction a cancellation
/// request asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
pub enum CancellationStatus {
    /// RJCR: the cancellation is rejected.
    #[strum(serialize = "RJCR")]
    Rejected,
    /// ACCR: the cancellation is accepted.
    #[strum(serialize = "ACCR")]
    Accepted,
    /// PDCR: the cancellation is pending.
    #[strum(serialize = "PDCR")]
    Pending,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<C: Code + PartialEq + std::fmt::Debug>() {
        for value in C::all() {
            assert_eq!(C::from_code(value.code()), Some(*value));
        }
        assert_eq!(C::from_code("XXXX"), None);
        assert_eq!(C::from_code(""), None);
    }

    #[test]
    fn every_code_reads_back_as_itself() {
        round_trips::<SettlementMethod>();
        round_trips::<Priority>();
        round_trips::<ChargeBearer>();
        round_trips::<CreditDebit>();
        round_trips::<CancellationStatus>();
        round_trips::<PaymentMethod>();
        assert_eq!(ChargeBearer::Shared.code(), "SHAR");
        assert_eq!(ChargeBearer::from_code("shar"), None);
    }
}
