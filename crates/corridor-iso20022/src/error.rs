use crate::message_type::MessageType;
use crate::reason::ReasonCode;
use std::fmt;
use thiserror::Error;

/// Why an input could not be read as ISO 20022 messages. Nothing here panics on input:
/// every malformed, truncated or hostile document ends in one of these.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("input is not UTF-8 (first invalid byte at offset {valid_up_to})")]
    NotUtf8 { valid_up_to: usize },
    #[error("XML syntax error at byte {position}: {detail}")]
    Syntax { position: u64, detail: String },
    /// A DTD could define entities that expand without bound; ISO 20022 never uses one.
    #[error("a DOCTYPE declaration is not allowed")]
    DoctypeNotAllowed,
    #[error("elements nest deeper than {limit} levels")]
    TooDeep { limit: usize },
    #[error("element {element} has no namespace, so its message type is unknown")]
    MissingNamespace { element: String },
    #[error("namespace {namespace:?} of element {element} is not a supported ISO 20022 message")]
    UnknownNamespace { element: String, namespace: String },
    #[error("a {message_type} message is carried by {expected}, not by {element}")]
    WrongRootElement {
        element: String,
        message_type: MessageType,
        expected: &'static str,
    },
    #[error("element {element} in namespace {namespace:?} inside a {message_type} message")]
    ForeignNamespace {
        element: String,
        namespace: String,
        message_type: MessageType,
    },
    #[error("a {message_type} Document must hold exactly one {expected} element")]
    WrongMessageElement {
        message_type: MessageType,
        expected: &'static str,
    },
    #[error("the AppHdr of message {message} is not followed by its Document")]
    AppHdrWithoutDocument { message: usize },
    #[error("no ISO 20022 AppHdr or Document element found")]
    NoMessage,
    #[error("message {message}: {errors}")]
    Invalid { message: usize, errors: FieldErrors },
}

impl ParseError {
    pub fn reason_code(&self) -> ReasonCode {
        match self {
            ParseError::NotUtf8 { .. }
            | ParseError::Syntax { .. }
            | ParseError::DoctypeNotAllowed
            | ParseError::TooDeep { .. } => ReasonCode::Ff02,
            ParseError::Invalid { errors, .. } => errors.reason_code(),
            _ => ReasonCode::Ff01,
        }
    }
}

/// One element that breaks a rule, named by its path from the message root, such as
/// `/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/PmtId/UETR` (repeated elements carry their
/// 1-based position).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{path}: {detail} ({code})")]
pub struct FieldError {
    pub path: String,
    pub code: ReasonCode,
    pub detail: String,
}

/// Every rule a message breaks, in document order, so a sender can fix them in one round.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// The code of the first error, which is the one a single-reason status report carries.
    pub fn reason_code(&self) -> ReasonCode {
        self.0.first().map_or(ReasonCode::Ff01, |e| e.code)
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

/// Echoes input in an error without letting a hostile megabyte into logs.
pub(crate) fn excerpt(text: &str) -> String {
    const MAX: usize = 64;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// The path being read or checked, and the errors found so far.
#[derive(Debug)]
pub(crate) struct Report {
    path: String,
    errors: Vec<FieldError>,
}

impl Report {
    pub(crate) fn new() -> Report {
        Report {
            path: String::new(),
            errors: Vec::new(),
        }
    }

    /// Runs `f` one element deeper.
    pub(crate) fn within<R>(&mut self, element: &str, f: impl FnOnce(&mut Report) -> R) -> R {
        let depth = self.path.len();
        self.path.push('/');
        self.path.push_str(element);
        let result = f(self);
        self.path.truncate(depth);
        result
    }

    /// Runs `f` inside the `position`-th (from 1) of a repeated element.
    pub(crate) fn within_nth<R>(
        &mut self,
        element: &str,
        position: usize,
        f: impl FnOnce(&mut Report) -> R,
    ) -> R {
        use std::fmt::Write;
        let depth = self.path.len();
        // Written into the path in place: checking runs on every message, failing rarely.
        let _ = write!(self.path, "/{element}[{position}]");
        let result = f(self);
        self.path.truncate(depth);
        result
    }

    /// Records an error on the child `element` of the current path.
    pub(crate) fn fail(&mut self, element: &str, code: ReasonCode, detail: impl Into<String>) {
        self.errors.push(FieldError {
            path: format!("{}/{element}", self.path),
            code,
            detail: detail.into(),
        });
    }

    /// The value if nothing failed, else every error.
    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, FieldErrors> {
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(FieldErrors(self.errors)),
        }
    }
}
