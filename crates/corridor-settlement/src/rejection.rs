//! Why the hub refused something: a reason code and a sentence.

use serde::{Deserialize, Serialize};

/// Why a command or a payment was refused: an ISO 20022 reason code (ExternalStatusReason1Code
/// where one fits, else a Corridor code in the same four-character style) and a sentence for
/// the person reading it.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, utoipa::ToSchema,
)]
#[error("{code}: {message}")]
pub struct Rejection {
    pub code: String,
    pub message: String,
}

impl Rejection {
    pub fn new(code: &str, message: impl Into<String>) -> Rejection {
        Rejection {
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// FF01 InvalidFileFormat: a field breaks its format or length.
    pub fn format(message: impl Into<String>) -> Rejection {
        Rejection::new("FF01", message)
    }

    /// AG01 TransactionForbidden: the caller may not do this.
    pub fn forbidden(message: impl Into<String>) -> Rejection {
        Rejection::new("AG01", message)
    }

    /// NOTF: Corridor's code for a reference that names nothing the caller can see.
    pub fn not_found(message: impl Into<String>) -> Rejection {
        Rejection::new("NOTF", message)
    }
}

/// What the ledger's refusal means for the caller: its ISO 20022 reason where it has one.
pub(crate) fn ledger_rejection(code: corridor_ledger::ResultCode) -> Rejection {
    Rejection::new(
        code.iso_reason().unwrap_or("NARR"),
        format!("ledger refused: {}", code.as_str()),
    )
}
