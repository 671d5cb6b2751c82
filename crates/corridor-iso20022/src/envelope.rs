//! Finding the messages in an input: a bare `Document`, or `AppHdr` + `Document` pairs
//! (and lone `Document`s) anywhere inside wrapper elements, whatever those are called.

use crate::camt_report::{BkToCstmrAcctRpt, BkToCstmrDbtCdtNtfctn, BkToCstmrStmt};
use crate::camt029::RsltnOfInvstgtn;
use crate::camt050::LqdtyCdtTrf;
use crate::camt056::FIToFIPmtCxlReq;
use crate::error::{FieldError, FieldErrors, ParseError, excerpt};
use crate::head001::BusinessApplicationHeader;
use crate::message_type::MessageType;
use crate::pacs002::FIToFIPmtStsRpt;
use crate::pacs004::PmtRtr;
use crate::pacs008::FIToFICstmrCdtTrf;
use crate::pacs009::FICdtTrf;
use crate::pain001::CstmrCdtTrfInitn;
use crate::reason::ReasonCode;
use crate::tree::{self, Element};
use quick_xml::escape::escape;

/// One business message: its header if one preceded it, its type and its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub header: Option<BusinessApplicationHeader>,
    pub message_type: MessageType,
    pub document: Document,
}

/// The content of a `Document`, for the types modelled so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    Pacs008(Box<FIToFICstmrCdtTrf>),
    Pacs002(Box<FIToFIPmtStsRpt>),
    Pacs009(Box<FICdtTrf>),
    Pacs004(Box<PmtRtr>),
    Camt056(Box<FIToFIPmtCxlReq>),
    Camt029(Box<RsltnOfInvstgtn>),
    Camt052(Box<BkToCstmrAcctRpt>),
    Camt053(Box<BkToCstmrStmt>),
    Camt054(Box<BkToCstmrDbtCdtNtfctn>),
    Camt050(Box<LqdtyCdtTrf>),
    Pain001(Box<CstmrCdtTrfInitn>),
}

impl Document {
    /// The first validation layer of the message.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        match self {
            Document::Pacs008(document) => document.validate(),
            Document::Pacs002(document) => document.validate(),
            Document::Pacs009(document) => document.validate(),
            Document::Pacs004(document) => document.validate(),
            Document::Camt056(document) => document.validate(),
            Document::Camt029(document) => document.validate(),
            Document::Camt052(document) => document.validate(),
            Document::Camt053(document) => document.validate(),
            Document::Camt054(document) => document.validate(),
            Document::Camt050(document) => document.validate(),
            Document::Pain001(document) => document.validate(),
        }
    }

    /// The `Document` element, namespace declared.
    pub fn to_xml(&self) -> String {
        match self {
            Document::Pacs008(document) => document.to_xml(),
            Document::Pacs002(document) => document.to_xml(),
            Document::Pacs009(document) => document.to_xml(),
            Document::Pacs004(document) => document.to_xml(),
            Document::Camt056(document) => document.to_xml(),
            Document::Camt029(document) => document.to_xml(),
            Document::Camt052(document) => document.to_xml(),
            Document::Camt053(document) => document.to_xml(),
            Document::Camt054(document) => document.to_xml(),
            Document::Camt050(document) => document.to_xml(),
            Document::Pain001(document) => document.to_xml(),
        }
    }
}

impl Message {
    /// The first validation layer on the header and the document.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = Vec::new();
        if let Some(Err(header)) = self
            .header
            .as_ref()
            .map(BusinessApplicationHeader::validate)
        {
            errors.extend(header.0);
        }
        if let Err(document) = self.document.validate() {
            errors.extend(document.0);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(FieldErrors(errors))
        }
    }
}

/// Parses UTF-8 bytes; see [`parse`].
pub fn parse_bytes(input: &[u8]) -> Result<Vec<Message>, ParseError> {
    let xml = std::str::from_utf8(input).map_err(|e| ParseError::NotUtf8 {
        valid_up_to: e.valid_up_to(),
    })?;
    parse(xml)
}

/// Every message in `xml`, in document order. The type of each comes from the namespace of
/// its `AppHdr` or `Document` element; an unknown namespace is an error, never a guess.
pub fn parse(xml: &str) -> Result<Vec<Message>, ParseError> {
    let tree = tree::parse(xml)?;
    let mut messages = Vec::new();
    collect(std::iter::once(tree.root()), &mut messages)?;
    if messages.is_empty() {
        return Err(ParseError::NoMessage);
    }
    Ok(messages)
}

fn collect<'t>(
    elements: impl Iterator<Item = Element<'t>>,
    messages: &mut Vec<Message>,
) -> Result<(), ParseError> {
    let mut header = None;
    for element in elements {
        let element = &element;
        match element.name() {
            "AppHdr" => {
                if header.is_some() {
                    return Err(ParseError::AppHdrWithoutDocument {
                        message: messages.len() + 1,
                    });
                }
                header = Some(read_header(element, messages.len() + 1)?);
            }
            "Document" => messages.push(read_message(element, header.take(), messages.len() + 1)?),
            _ if header.is_some() => {
                return Err(ParseError::AppHdrWithoutDocument {
                    message: messages.len() + 1,
                });
            }
            _ => collect(element.children(), messages)?,
        }
    }
    match header {
        Some(_) => Err(ParseError::AppHdrWithoutDocument {
            message: messages.len() + 1,
        }),
        None => Ok(()),
    }
}

fn read_header(element: &Element, message: usize) -> Result<BusinessApplicationHeader, ParseError> {
    message_type_of(element)?;
    BusinessApplicationHeader::read(element)
        .map_err(|errors| ParseError::Invalid { message, errors })
}

fn read_message(
    element: &Element,
    header: Option<BusinessApplicationHeader>,
    message: usize,
) -> Result<Message, ParseError> {
    let message_type = message_type_of(element)?;
    let document = read_document(message_type, element)
        .map_err(|errors| ParseError::Invalid { message, errors })?;
    Ok(Message {
        header,
        message_type,
        document,
    })
}

fn read_document(message_type: MessageType, element: &Element) -> Result<Document, FieldErrors> {
    Ok(match message_type {
        MessageType::Pacs008V08 => Document::Pacs008(Box::new(FIToFICstmrCdtTrf::read(element)?)),
        MessageType::Pacs002V10 => Document::Pacs002(Box::new(FIToFIPmtStsRpt::read(element)?)),
        MessageType::Pacs009V08 => Document::Pacs009(Box::new(FICdtTrf::read(element)?)),
        MessageType::Pacs004V09 => Document::Pacs004(Box::new(PmtRtr::read(element)?)),
        MessageType::Camt056V08 => Document::Camt056(Box::new(FIToFIPmtCxlReq::read(element)?)),
        MessageType::Camt029V09 => Document::Camt029(Box::new(RsltnOfInvstgtn::read(element)?)),
        MessageType::Camt052V08 => Document::Camt052(Box::new(BkToCstmrAcctRpt::read(element)?)),
        MessageType::Camt053V08 => Document::Camt053(Box::new(BkToCstmrStmt::read(element)?)),
        MessageType::Camt054V08 => {
            Document::Camt054(Box::new(BkToCstmrDbtCdtNtfctn::read(element)?))
        }
        MessageType::Camt050V05 => Document::Camt050(Box::new(LqdtyCdtTrf::read(element)?)),
        MessageType::Pain001V09 => Document::Pain001(Box::new(CstmrCdtTrfInitn::read(element)?)),
        // message_type_of refuses a head.001 namespace on a `Document` first.
        MessageType::Head001V02 => {
            return Err(FieldErrors(vec![FieldError {
                path: "/Document".to_owned(),
                code: ReasonCode::Ff01,
                detail: "head.001.001.02 is a header: it belongs on AppHdr".to_owned(),
            }]));
        }
    })
}

/// The type named by the element's namespace, once the element is the right root for it
/// and nothing inside it comes from another namespace.
fn message_type_of(element: &Element) -> Result<MessageType, ParseError> {
    let Some(namespace) = element.namespace() else {
        return Err(ParseError::MissingNamespace {
            element: element.name().to_owned(),
        });
    };
    let message_type =
        MessageType::from_namespace(namespace).ok_or_else(|| ParseError::UnknownNamespace {
            element: element.name().to_owned(),
            namespace: excerpt(namespace),
        })?;
    if message_type.root_element() != element.name() {
        return Err(ParseError::WrongRootElement {
            element: element.name().to_owned(),
            message_type,
            expected: message_type.root_element(),
        });
    }
    if let Some(expected) = message_type.message_element() {
        let mut children = element.children();
        let first = children.next();
        let only_child =
            first.is_some_and(|child| child.name() == expected) && children.next().is_none();
        if !only_child {
            return Err(ParseError::WrongMessageElement {
                message_type,
                expected,
            });
        }
    }
    same_namespace(element, namespace, message_type)?;
    Ok(message_type)
}

/// ISO 20022 schemas qualify every element, so an element from elsewhere is not part of
/// the message; accepting it by local name would read data the sender never meant.
fn same_namespace(
    element: &Element,
    namespace: &str,
    message_type: MessageType,
) -> Result<(), ParseError> {
    let foreign = element
        .descendants()
        .find(|child| child.namespace() != Some(namespace));
    match foreign {
        Some(child) => Err(ParseError::ForeignNamespace {
            element: child.name().to_owned(),
            namespace: excerpt(child.namespace().unwrap_or("")),
            message_type,
        }),
        None => Ok(()),
    }
}

/// `xml` written back as Corridor writes it, in the same shape: a bare `Document` stays
/// bare, and the wrapper elements of an envelope stay around their AppHdr and Document
/// pairs, with their names, namespaces and unprefixed attributes. What the models do not
/// keep is gone, so the answer shows what Corridor reads of a message.
pub fn normalize(xml: &str) -> Result<String, ParseError> {
    let tree = tree::parse(xml)?;
    let mut messages = Vec::new();
    collect(std::iter::once(tree.root()), &mut messages)?;
    if messages.is_empty() {
        return Err(ParseError::NoMessage);
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let mut next = messages.iter();
    let mut current = None;
    rewrite(&tree.root(), None, &mut next, &mut current, &mut out)?;
    Ok(out)
}

/// Writes `element`: a message part from the parsed messages, in order, or a wrapper
/// around its children.
fn rewrite<'m>(
    element: &Element,
    parent_namespace: Option<&str>,
    messages: &mut std::slice::Iter<'m, Message>,
    current: &mut Option<&'m Message>,
    out: &mut String,
) -> Result<(), ParseError> {
    match element.name() {
        "AppHdr" => {
            let message = messages.next().ok_or(ParseError::NoMessage)?;
            *current = Some(message);
            if let Some(header) = &message.header {
                out.push_str(&header.to_xml());
            }
        }
        "Document" => {
            let message = match current.take() {
                Some(message) => message,
                None => messages.next().ok_or(ParseError::NoMessage)?,
            };
            out.push_str(&message.document.to_xml());
        }
        name => {
            out.push('<');
            out.push_str(name);
            let namespace = element.namespace();
            if namespace != parent_namespace {
                let declared = escape(namespace.unwrap_or(""));
                out.push_str(&format!(" xmlns=\"{declared}\""));
            }
            for (attribute, value) in element.attributes() {
                out.push_str(&format!(" {attribute}=\"{}\"", escape(value.as_ref())));
            }
            out.push_str(">\n");
            for child in element.children() {
                rewrite(&child, namespace, messages, current, out)?;
            }
            out.push_str(&format!("</{name}>\n"));
        }
    }
    Ok(())
}
