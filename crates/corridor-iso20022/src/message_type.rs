use std::fmt;

/// The ISO 20022 message versions Corridor recognises, identified by the namespace of their
/// `Document` (or `AppHdr`) element, never by their content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageType {
    /// `head.001.001.02`
    Head001V02,
    /// `pacs.008.001.08`
    Pacs008V08,
    /// `pacs.009.001.08`
    Pacs009V08,
    /// `pacs.002.001.10`
    Pacs002V10,
    /// `pacs.004.001.09`
    Pacs004V09,
    /// `camt.056.001.08`
    Camt056V08,
    /// `camt.029.001.09`
    Camt029V09,
    /// `camt.052.001.08`
    Camt052V08,
    /// `camt.053.001.08`
    Camt053V08,
    /// `camt.054.001.08`
    Camt054V08,
    /// `camt.050.001.05`
    Camt050V05,
    /// `pain.001.001.09`
    Pain001V09,
}

/// What the schema of one version says about its root.
struct Spec {
    namespace: &'static str,
    /// The element the namespace is declared on.
    root: &'static str,
    /// The one element a `Document` holds; `None` for the header.
    message: Option<&'static str>,
}

const NAMESPACE_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:";

impl MessageType {
    pub const ALL: &'static [MessageType] = &[
        MessageType::Head001V02,
        MessageType::Pacs008V08,
        MessageType::Pacs009V08,
        MessageType::Pacs002V10,
        MessageType::Pacs004V09,
        MessageType::Camt056V08,
        MessageType::Camt029V09,
        MessageType::Camt052V08,
        MessageType::Camt053V08,
        MessageType::Camt054V08,
        MessageType::Camt050V05,
        MessageType::Pain001V09,
    ];

    fn spec(self) -> Spec {
        let (namespace, message) = match self {
            MessageType::Head001V02 => ("urn:iso:std:iso:20022:tech:xsd:head.001.001.02", None),
            MessageType::Pacs008V08 => (
                "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08",
                Some("FIToFICstmrCdtTrf"),
            ),
            MessageType::Pacs009V08 => (
                "urn:iso:std:iso:20022:tech:xsd:pacs.009.001.08",
                Some("FICdtTrf"),
            ),
            MessageType::Pacs002V10 => (
                "urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10",
                Some("FIToFIPmtStsRpt"),
            ),
            MessageType::Pacs004V09 => (
                "urn:iso:std:iso:20022:tech:xsd:pacs.004.001.09",
                Some("PmtRtr"),
            ),
            MessageType::Camt056V08 => (
                "urn:iso:std:iso:20022:tech:xsd:camt.056.001.08",
                Some("FIToFIPmtCxlReq"),
            ),
            MessageType::Camt029V09 => (
                "urn:iso:std:iso:20022:tech:xsd:camt.029.001.09",
                Some("RsltnOfInvstgtn"),
            ),
            MessageType::Camt052V08 => (
                "urn:iso:std:iso:20022:tech:xsd:camt.052.001.08",
                Some("BkToCstmrAcctRpt"),
            ),
            MessageType::Camt053V08 => (
                "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
                Some("BkToCstmrStmt"),
            ),
            MessageType::Camt054V08 => (
                "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08",
                Some("BkToCstmrDbtCdtNtfctn"),
            ),
            MessageType::Camt050V05 => (
                "urn:iso:std:iso:20022:tech:xsd:camt.050.001.05",
                Some("LqdtyCdtTrf"),
            ),
            MessageType::Pain001V09 => (
                "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09",
                Some("CstmrCdtTrfInitn"),
            ),
        };
        let root = if message.is_some() {
            "Document"
        } else {
            "AppHdr"
        };
        Spec {
            namespace,
            root,
            message,
        }
    }

    /// The message identifier, such as `pacs.008.001.08`.
    pub fn name(self) -> &'static str {
        let namespace = self.spec().namespace;
        &namespace[NAMESPACE_PREFIX.len()..]
    }

    /// The XML namespace, `urn:iso:std:iso:20022:tech:xsd:<name>`.
    pub fn namespace(self) -> &'static str {
        self.spec().namespace
    }

    /// The element the namespace is declared on: `AppHdr` or `Document`.
    pub fn root_element(self) -> &'static str {
        self.spec().root
    }

    /// The one element a `Document` of this type holds; `None` for the header, whose root
    /// element is the message itself.
    pub fn message_element(self) -> Option<&'static str> {
        self.spec().message
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_namespace_names_its_type() {
        for t in MessageType::ALL {
            assert!(t.namespace().starts_with(NAMESPACE_PREFIX));
            assert_eq!(MessageType::from_namespace(t.namespace()), Some(*t));
            assert_eq!(t.name().len(), "pacs.008.001.08".len());
        }
        assert_eq!(MessageType::Pacs008V08.name(), "pacs.008.001.08");
        assert_eq!(
            MessageType::from_namespace("urn:iso:std:iso:20022:tech:xsd:pacs.008.001.07"),
            None
        );
    }
}
