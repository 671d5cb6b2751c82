//! SWIFT MT (FIN) messages: the block structure of any FIN message (`fin`), the field
//! formats the message types share (`field`), the MT103 single customer credit transfer
//! (`mt103`), the MT202 general financial institution transfer and its cover variant
//! MT202COV (`mt202`), and their translation to and from pacs.008.001.08 and
//! pacs.009.001.08 following the CBPR+ conventions (`translate103`, `translate202`, on the
//! helpers and notes of `translate`); one FIN text to the message it stands for (`door`).

mod door;
mod field;
mod fin;
mod mt103;
mod mt202;
mod translate;
mod translate103;
mod translate202;

pub use door::{FinToMxError, fin_to_mx};
pub use field::{Institution, MtError, Party as MtParty};
pub use fin::{FinError, FinMessage, parse_fin};
pub use mt103::Mt103;
pub use mt202::{Mt202, UnderlyingCustomerTransfer};
pub use translate::{Translation, TranslationNote};
pub use translate103::{mt103_to_pacs008, pacs008_to_mt103};
pub use translate202::{mt202_to_pacs009, pacs009_to_mt202};
