//! One FIN text to the ISO 20022 message it stands for: MT103 to pacs.008, MT202 and
//! MT202COV to pacs.009, through the CBPR+ translations, with what did not fit. Shared by
//! `corridor mt2mx` and the node's MT door, so both read an MT alike.

use crate::envelope::{Document, Message};
use crate::message_type::MessageType;
use crate::mt::{
    FinError, Mt103, Mt202, MtError, Translation, mt103_to_pacs008, mt202_to_pacs009, parse_fin,
};

/// Why a FIN text could not become an ISO 20022 message. Each message starts with its
/// reason code (`FF01`, `CH21`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FinToMxError {
    #[error(transparent)]
    Fin(#[from] FinError),
    #[error(transparent)]
    Mt(#[from] MtError),
    #[error("FF01: MT{0} is not translated: only MT103, MT202 and MT202COV are")]
    Unsupported(String),
}

impl FinToMxError {
    /// The ISO 20022 reason code: a required field missing (`CH21`), or the text not an MT
    /// Corridor reads (`FF01`).
    pub fn reason_code(&self) -> &'static str {
        match self {
            FinToMxError::Mt(MtError::Missing(_)) => "CH21",
            _ => "FF01",
        }
    }
}

/// The message `text` (one FIN message) stands for, created at `created` (ISO 8601), with
/// no AppHdr: block 1's sender is the instructing agent.
pub fn fin_to_mx(text: &str, created: &str) -> Result<Translation<Message>, FinToMxError> {
    let fin = parse_fin(text)?;
    match fin.message_type.as_str() {
        "103" => {
            let t = mt103_to_pacs008(&Mt103::from_fin(&fin)?, created);
            Ok(Translation {
                message: bare(
                    MessageType::Pacs008V08,
                    Document::Pacs008(Box::new(t.message)),
                ),
                notes: t.notes,
            })
        }
        "202" => {
            let t = mt202_to_pacs009(&Mt202::from_fin(&fin)?, created);
            Ok(Translation {
                message: bare(
                    MessageType::Pacs009V08,
                    Document::Pacs009(Box::new(t.message)),
                ),
                notes: t.notes,
            })
        }
        other => Err(FinToMxError::Unsupported(other.to_owned())),
    }
}

fn bare(message_type: MessageType, document: Document) -> Message {
    Message {
        header: None,
        message_type,
        document,
    }
}
