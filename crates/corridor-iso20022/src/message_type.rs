use std::fmt;

macro_rules! message_types {
    ($($variant:ident => $name:literal, $root:literal, $message:expr;)+) => {
        /// The ISO 20022 message versions Corridor recognises, identified by the namespace
        /// of their `Document` (or `AppHdr`) element, never by their content.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum MessageType {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )+
        }

        impl MessageType {
            pub const ALL: &'static [MessageType] = &[$(MessageType::$variant),+];

            /// The message identifier, such as `pacs.008.001.08`.
            pub fn name(self) -> &'static str {
                match self {
                    $(MessageType::$variant => $name,)+
                }
            }

            /// The XML namespace, `urn:iso:std:iso:20022:tech:xsd:<name>`.
            pub fn namespace(self) -> &'static str {
                match self {
                    $(MessageType::$variant => concat!("urn:iso:std:iso:20022:tech:xsd:", $name),)+
                }
            }

            /// The element the namespace is declared on: `AppHdr` or `Document`.
            pub fn root_element(self) -> &'static str {
                match self {
                    $(MessageType::$variant => $root,)+
                }
            }

            /// The one element a `Document` of this type holds; `None` for the header, whose
            /// root element is the message itself.
            pub fn message_element(self) -> Option<&'static str> {
                match self {
                    $(MessageType::$variant => $message,)+
                }
            }
        }
    };
}

message_types! {
    Head001V02 => "head.001.001.02", "AppHdr", None;
    Pacs008V08 => "pacs.008.001.08", "Document", Some("FIToFICstmrCdtTrf");
    Pacs009V08 => "pacs.009.001.08", "Document", Some("FICdtTrf");
    Pacs002V10 => "pacs.002.001.10", "Document", Some("FIToFIPmtStsRpt");
    Pacs004V09 => "pacs.004.001.09", "Document", Some("PmtRtr");
    Camt056V08 => "camt.056.001.08", "Document", Some("FIToFIPmtCxlReq");
    Camt029V09 => "camt.029.001.09", "Document", Some("RsltnOfInvstgtn");
    Camt052V08 => "camt.052.001.08", "Document", Some("BkToCstmrAcctRpt");
    Camt053V08 => "camt.053.001.08", "Document", Some("BkToCstmrStmt");
    Camt054V08 => "camt.054.001.08", "Document", Some("BkToCstmrDbtCdtNtfctn");
    Camt050V05 => "camt.050.001.05", "Document", Some("LqdtyCdtTrf");
    Pain001V09 => "pain.001.001.09", "Document", Some("CstmrCdtTrfInitn");
}

impl MessageType {
    /// The type whose namespace is exactly `namespace`; `None` for any other text, including
    /// other versions of the same message.
    pub fn from_namespace(namespace: &str) -> Option<MessageType> {
        MessageType::ALL
            .iter()
            .copied()
            .find(|t| t.namespace() == namespace)
    }
}

impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
