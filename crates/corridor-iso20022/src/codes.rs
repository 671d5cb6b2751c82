//! The closed ISO 20022 code sets the model keeps as enums.

/// A code set: each value's XML text, and back.
pub trait Code: Sized + Copy + 'static {
    const ALL_CODES: &'static [&'static str];
    fn from_code(code: &str) -> Option<Self>;
    fn code(self) -> &'static str;
}

macro_rules! code_set {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $code:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl Code for $name {
            const ALL_CODES: &'static [&'static str] = &[$($code),+];

            fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }

            fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }
        }
    };
}

code_set! {
    /// `SettlementMethod1Code`: how the instructing and instructed agents settle.
    SettlementMethod {
        /// INDA: the instructed agent settles on an account it holds for the instructing one.
        InstructedAgent => "INDA",
        /// INGA: the instructing agent settles on an account it holds for the instructed one.
        InstructingAgent => "INGA",
        /// COVE: settled through a cover payment.
        CoverMethod => "COVE",
        /// CLRG: settled through a clearing system.
        ClearingSystem => "CLRG",
    }
}

code_set! {
    /// `Priority2Code`: the instruction priority (`PmtTpInf/InstrPrty`).
    Priority {
        High => "HIGH",
        Normal => "NORM",
    }
}

code_set! {
    /// `ChargeBearerType1Code`: who bears the charges.
    ChargeBearer {
        /// DEBT: the debtor bears all charges.
        BorneByDebtor => "DEBT",
        /// CRED: the creditor bears all charges.
        BorneByCreditor => "CRED",
        /// SHAR: each party bears its own agent's charges.
        Shared => "SHAR",
        /// SLEV: the service level (scheme) rules decide.
        FollowingServiceLevel => "SLEV",
    }
}
