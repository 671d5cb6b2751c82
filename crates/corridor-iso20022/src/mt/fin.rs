//! The block structure of a FIN message: `{1:...}` basic header, `{2:...}` application
//! header, `{3:{tag:value}...}` user header, `{4:\r\n:tag:value\r\n...-}` text, and
//! `{5:{tag:value}...}` trailer. Fields of block 4 are kept as (tag, value) in order; a
//! value may span lines (joined with `\n`).

/// A (tag, value) pair of a block.
pub type Field = (String, String);

/// (tag, value) pairs of a block, in order.
pub type Fields = Vec<Field>;

/// Longest input accepted: FIN messages are at most 10,000 characters of text.
const MAX_MESSAGE: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FinError {
    #[error("FF01: the message is larger than {MAX_MESSAGE} bytes")]
    TooLarge,
    #[error("FF01: block {0} is missing")]
    MissingBlock(char),
    #[error("FF01: block {block} is malformed: {reason}")]
    Malformed { block: char, reason: String },
    #[error("FF01: character U+{0:04X} is not in the SWIFT character set")]
    Character(u32),
}

/// A FIN message split into its blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinMessage {
    /// Block 1 as written, e.g. `F01BKMTIRTHAXXX0000000000`.
    pub basic_header: String,
    /// The sender's BIC: block 1's logical terminal address for an input message (`I`),
    /// the message input reference in block 2 for an output one (`O`). A BIC is the
    /// address's 8 characters, plus the branch if it is not `XXX`.
    pub sender: String,
    /// Block 2 as written, e.g. `I103CBRFRUMMXXXXN`.
    pub application_header: String,
    /// The message type (`103`, `202`) from block 2.
    pub message_type: String,
    /// The receiver's BIC: block 2's address for an input message, block 1's for an
    /// output one.
    pub receiver: String,
    /// Block 3's fields, such as `121` (the UETR) and `119` (`COV` for MT202COV).
    pub user_header: Fields,
    /// Block 4's fields in order.
    pub fields: Fields,
    /// Block 5's fields.
    pub trailer: Fields,
}

impl FinMessage {
    pub fn field(&self, tag: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, v)| v.as_str())
    }

    pub fn user_field(&self, tag: &str) -> Option<&str> {
        self.user_header
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, v)| v.as_str())
    }

    /// The message written back in FIN form, CRLF line ends in block 4.
    pub fn to_fin(&self) -> String {
        let mut out = format!(
            "{{1:{}}}{{2:{}}}",
            self.basic_header, self.application_header
        );
        if !self.user_header.is_empty() {
            out.push_str("{3:");
            for (tag, value) in &self.user_header {
                out.push_str(&format!("{{{tag}:{value}}}"));
            }
            out.push('}');
        }
        out.push_str("{4:\r\n");
        for (tag, value) in &self.fields {
            out.push_str(&format!(":{tag}:{}\r\n", value.replace('\n', "\r\n")));
        }
        out.push_str("-}");
        if !self.trailer.is_empty() {
            out.push_str("{5:");
            for (tag, value) in &self.trailer {
                out.push_str(&format!("{{{tag}:{value}}}"));
            }
            out.push('}');
        }
        out
    }
}

/// Splits a FIN message into its blocks. Never panics; every refusal names the block.
pub fn parse_fin(text: &str) -> Result<FinMessage, FinError> {
    if text.len() > MAX_MESSAGE {
        return Err(FinError::TooLarge);
    }
    if let Some(c) = text.chars().find(|c| !allowed(*c)) {
        return Err(FinError::Character(c as u32));
    }
    let text = text.trim();
    let (basic_header, rest) = simple_block(text, '1')?;
    let (application_header, rest) = simple_block(rest, '2')?;
    let (user_header, rest) = match rest.strip_prefix("{3:") {
        Some(_) => nested_block(rest, '3')?,
        None => (Vec::new(), rest),
    };
    let (fields, rest) = text_block(rest)?;
    let (trailer, rest) = match rest.strip_prefix("{5:") {
        Some(_) => nested_block(rest, '5')?,
        None => (Vec::new(), rest),
    };
    if !rest.trim().is_empty() {
        return Err(malformed('5', "text after the last block"));
    }
    let terminal = bic_of_address(basic_header.get(3..15).unwrap_or(""))
        .ok_or_else(|| malformed('1', "no 12-character logical terminal address"))?;
    let (message_type, sender, receiver) = application(&application_header, terminal)?;
    Ok(FinMessage {
        basic_header,
        sender,
        application_header,
        message_type,
        receiver,
        user_header,
        fields,
        trailer,
    })
}

/// The SWIFT X character set plus the block delimiters and line ends.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/-?:().,'+ {}\r\n".contains(c)
}

fn malformed(block: char, reason: &str) -> FinError {
    FinError::Malformed {
        block,
        reason: reason.to_string(),
    }
}

/// `{n:content}` where content has no braces.
fn simple_block(text: &str, block: char) -> Result<(String, &str), FinError> {
    let body = text
        .strip_prefix(&format!("{{{block}:"))
        .ok_or(FinError::MissingBlock(block))?;
    let end = body
        .find('}')
        .ok_or_else(|| malformed(block, "no closing brace"))?;
    Ok((body[..end].to_string(), &body[end + 1..]))
}

/// `{n:{tag:value}{tag:value}}`.
fn nested_block(text: &str, block: char) -> Result<(Fields, &str), FinError> {
    let mut rest = &text[3..];
    let mut fields = Vec::new();
    while let Some(inner) = rest.strip_prefix('{') {
        let end = inner
            .find('}')
            .ok_or_else(|| malformed(block, "a field has no closing brace"))?;
        let (tag, value) = inner[..end]
            .split_once(':')
            .ok_or_else(|| malformed(block, "a field has no tag"))?;
        fields.push((tag.to_string(), value.to_string()));
        rest = &inner[end + 1..];
    }
    let rest = rest
        .strip_prefix('}')
        .ok_or_else(|| malformed(block, "no closing brace"))?;
    Ok((fields, rest))
}

/// `{4:\r\n:tag:value\r\n...-}`: a field starts at a line beginning with `:tag:`; other
/// lines continue the previous field.
fn text_block(text: &str) -> Result<(Fields, &str), FinError> {
    let body = text
        .strip_prefix("{4:")
        .ok_or(FinError::MissingBlock('4'))?;
    let end = body
        .find("\n-}")
        .map(|i| (i, i + 3))
        .or_else(|| body.find("-}").map(|i| (i, i + 2)))
        .ok_or_else(|| malformed('4', "no closing -}"))?;
    let mut fields: Fields = Vec::new();
    for line in body[..end.0].split('\n').map(|l| l.trim_end_matches('\r')) {
        if line.is_empty() {
            continue;
        }
        if let Some((tag, value)) = field_start(line) {
            fields.push((tag.to_string(), value.to_string()));
            continue;
        }
        let Some((_, value)) = fields.last_mut() else {
            return Err(malformed('4', "text before the first field"));
        };
        value.push('\n');
        value.push_str(line);
    }
    Ok((fields, &body[end.1..]))
}

/// `:32A:value` -> (`32A`, `value`): a tag is two digits and an optional letter.
fn field_start(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix(':')?;
    let (tag, value) = rest.split_once(':')?;
    let digits = tag.get(..2)?.bytes().all(|b| b.is_ascii_digit());
    let option = tag.get(2..)?;
    let valid = digits && option.len() <= 1 && option.bytes().all(|b| b.is_ascii_uppercase());
    valid.then_some((tag, value))
}

/// A BIC from a 12-character logical terminal address: 8 characters, the terminal code
/// (skipped), and the branch (dropped when `XXX`).
fn bic_of_address(address: &str) -> Option<String> {
    if address.len() != 12 || !address.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let branch = &address[9..12];
    Some(if branch == "XXX" {
        address[..8].to_string()
    } else {
        format!("{}{branch}", &address[..8])
    })
}

/// (message type, sender, receiver) from block 2 and block 1's address (`terminal`): an
/// input block 2 is `I` + type + receiver address; an output one is `O` + type + input time
/// (4) + the message input reference (date 6, sender address 12, session 4, sequence 6).
fn application(header: &str, terminal: String) -> Result<(String, String, String), FinError> {
    let kind = header
        .get(1..4)
        .filter(|t| t.bytes().all(|b| b.is_ascii_digit()));
    let kind = kind
        .ok_or_else(|| malformed('2', "no three-digit message type"))?
        .to_string();
    let address = |range: std::ops::Range<usize>, what: &str| {
        bic_of_address(header.get(range).unwrap_or(""))
            .ok_or_else(|| malformed('2', &format!("no {what} address")))
    };
    match header.get(..1) {
        Some("I") => Ok((kind, terminal, address(4..16, "receiver")?)),
        Some("O") => Ok((kind, address(14..26, "sender")?, terminal)),
        _ => Err(malformed('2', "neither input (I) nor output (O)")),
    }
}
