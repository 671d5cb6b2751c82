//! SWIFT MT (FIN) messages: the block structure of any FIN message (`fin`), the MT103 single
//! customer credit transfer (`mt103`), and its translation to and from pacs.008.001.08
//! following the CBPR+ conventions (`translate`). Only MT103 is modelled so far.

mod fin;
mod mt103;
mod translate;

pub use fin::{FinError, FinMessage, parse_fin};
pub use mt103::{Mt103, Mt103Error, Party as MtParty};
pub use translate::{Translation, TranslationNote, mt103_to_pacs008, pacs008_to_mt103};
