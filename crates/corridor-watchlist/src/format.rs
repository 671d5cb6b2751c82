//! The file formats a watchlist comes in, by name.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The file formats a watchlist comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListFormat {
    /// The UN Security Council consolidated list, XML.
    Un,
    /// OFAC's Specially Designated Nationals list, `sdn.xml`.
    Ofac,
    /// An operator's own list: `id,kind,name,aliases,dates_of_birth,countries,identifiers`.
    Csv,
    /// An operator's own list: a JSON array of objects with the CSV's fields.
    Json,
}

impl ListFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ListFormat::Un => "un",
            ListFormat::Ofac => "ofac",
            ListFormat::Csv => "csv",
            ListFormat::Json => "json",
        }
    }
}

impl fmt::Display for ListFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
