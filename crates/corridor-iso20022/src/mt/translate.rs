//! What every MT <-> MX translation shares, after the CBPR+ conventions: the notes of what
//! was lost, and the conversion of amounts, dates, BICs, accounts, parties, remittance
//! (:70:) and sender-to-receiver information (:72:) in either direction.
//!
//! MX -> MT: text is cut to MT's line lengths (35 characters, 4 lines for a party or :70:,
//! 6 for :72:, 16 for a reference); a cut field ends in `+`, the CBPR+ truncation
//! indicator, and is listed in the translation's notes, as is every character outside the
//! SWIFT X set (replaced by `.`) and every MX field MT cannot carry. Structured addresses
//! go to option F.

use super::field::Party;
use super::fin::{Fields, FinMessage};
use crate::components::{
    AccountIdentification, ActiveCurrencyAndAmount, Agent, CashAccount, PartyIdentification,
    PostalAddress,
};

/// Something the translation could not carry as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranslationNote {
    /// The field was cut to fit and ends in `+`.
    Truncated { field: String },
    /// Characters outside the SWIFT X set were replaced by `.`.
    Replaced { field: String },
    /// The source field has no place in the target message.
    Dropped { field: String },
}

/// A translated message and what it lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation<T> {
    pub message: T,
    pub notes: Vec<TranslationNote>,
}

pub(super) const NOT_PROVIDED: &str = "NOTPROVIDED";

/// Line length and line count of MT text fields (35x, 4 lines; :72: has 6).
const LINE: usize = 35;
pub(super) const LINES: usize = 4;
const INSTRUCTION_LINES: usize = 6;
const REFERENCE: usize = 16;

/// A `Dropped` note for each field present.
pub(super) fn note_dropped(notes: &mut Vec<TranslationNote>, fields: &[(bool, &str)]) {
    for (present, field) in fields {
        if *present {
            notes.push(TranslationNote::Dropped {
                field: field.to_string(),
            });
        }
    }
}

/// An MT amount as an MX one: `1500000,50` -> `1500000.50`, `1500,` -> `1500`.
pub(super) fn mx_amount(currency: &str, amount: &str) -> ActiveCurrencyAndAmount {
    ActiveCurrencyAndAmount {
        amount: amount.replace(',', ".").trim_end_matches('.').to_string(),
        currency: currency.to_string(),
    }
}

/// 1234.5 -> 1234,5 ; 1234 -> 1234, (MT always has the comma).
pub(super) fn mt_amount(amount: &str) -> String {
    match amount.split_once('.') {
        Some((whole, fraction)) => format!("{whole},{fraction}"),
        None => format!("{amount},"),
    }
}

/// YYMMDD to YYYY-MM-DD; FIN dates are of this century.
pub(super) fn iso_date(yymmdd: &str) -> String {
    format!("20{}-{}-{}", &yymmdd[..2], &yymmdd[2..4], &yymmdd[4..6])
}

/// YYYY-MM-DD to YYMMDD; empty without a date.
pub(super) fn mt_date(iso: Option<&str>) -> String {
    iso.map(|d| d.replace('-', "").chars().skip(2).collect())
        .unwrap_or_default()
}

pub(super) fn agent(bic: &str) -> Agent {
    Agent {
        bicfi: Some(bic.to_string()),
    }
}

pub(super) fn bic_of(agent: Option<&Agent>) -> Option<String> {
    agent.and_then(|a| a.bicfi.clone())
}

/// An IBAN when the identifier starts like one, else a domestic account number.
pub(super) fn account(id: &str) -> CashAccount {
    let iban = id.len() > 4
        && id[..2].bytes().all(|b| b.is_ascii_uppercase())
        && id[2..4].bytes().all(|b| b.is_ascii_digit());
    CashAccount {
        identification: if iban {
            AccountIdentification::Iban(id.to_string())
        } else {
            AccountIdentification::Other(id.to_string())
        },
    }
}

pub(super) fn account_id(account: &CashAccount) -> String {
    match &account.identification {
        AccountIdentification::Iban(id) | AccountIdentification::Other(id) => id.clone(),
    }
}

/// A 50a/59a customer as an MX party; option F's lines 4/ to 8/ have no place in the
/// model and are noted as dropped.
pub(super) fn mx_party(
    party: &Party,
    field: &str,
    notes: &mut Vec<TranslationNote>,
) -> PartyIdentification {
    note_dropped(
        notes,
        &[(
            !party.details.is_empty(),
            &format!("{field} lines 4/ to 8/"),
        )],
    );
    let structured = party.country.is_some() || party.town.is_some();
    let has_address = structured || !party.address_lines.is_empty();
    PartyIdentification {
        name: party.name.clone().or_else(|| party.bic.clone()),
        postal_address: has_address.then(|| PostalAddress {
            town_name: party.town.clone(),
            country: party.country.clone(),
            address_lines: party.address_lines.clone(),
            ..PostalAddress::default()
        }),
        organisation_identification: None,
        country_of_residence: None,
    }
}

/// :70: as `RmtInf/Ustrd`: its lines are 35-character chunks of one text (CBPR+), joined
/// without a separator.
pub(super) fn mx_remittance(text: Option<&str>) -> Vec<String> {
    text.iter().map(|text| text.replace('\n', "")).collect()
}

/// `RmtInf/Ustrd` as :70:, four lines of 35 at most.
pub(super) fn mt_remittance(lines: &[String], notes: &mut Vec<TranslationNote>) -> Option<String> {
    let text = lines.join(" ");
    if text.is_empty() {
        return None;
    }
    let text = swift_x(&text, "70", notes);
    Some(wrap(&text, LINES, "70", notes).join("\n"))
}

/// :72: as `RmtInf/Ustrd`, one entry a line, so `/CODE/` lines and their `//` continuations
/// come back as they were.
pub(super) fn mx_instructions(text: Option<&str>) -> Vec<String> {
    text.map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// `RmtInf/Ustrd` as :72:: each entry starts a line, and what does not fit in 35 characters
/// goes on `//` continuation lines; six lines at most.
pub(super) fn mt_instructions(
    lines: &[String],
    notes: &mut Vec<TranslationNote>,
) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        let clean: Vec<char> = swift_x(line, "72", notes).chars().collect();
        let (first, rest) = clean.split_at(clean.len().min(LINE));
        out.push(first.iter().collect());
        out.extend(
            rest.chunks(LINE - 2)
                .map(|chunk| format!("//{}", chunk.iter().collect::<String>())),
        );
    }
    if out.len() > INSTRUCTION_LINES {
        out.truncate(INSTRUCTION_LINES);
        if let Some(last) = out.last_mut() {
            *last = cut(&format!("{last}+"), LINE, "72", notes);
        }
    }
    (!out.is_empty()).then(|| out.join("\n"))
}

/// A reference (:20:, :21:) in the SWIFT X set and at most 16 characters.
pub(super) fn mt_reference(text: &str, field: &str, notes: &mut Vec<TranslationNote>) -> String {
    cut(&swift_x(text, field, notes), REFERENCE, field, notes)
}

/// Replaces characters outside the SWIFT X set, noting it once per field.
fn swift_x(text: &str, field: &str, notes: &mut Vec<TranslationNote>) -> String {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "/-?:().,'+ ".contains(c);
    if text.chars().all(allowed) {
        return text.to_string();
    }
    notes.push(TranslationNote::Replaced {
        field: field.into(),
    });
    text.chars()
        .map(|c| if allowed(c) { c } else { '.' })
        .collect()
}

/// At most `max` characters; a cut text ends in `+`.
fn cut(text: &str, max: usize, field: &str, notes: &mut Vec<TranslationNote>) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    notes.push(TranslationNote::Truncated {
        field: field.into(),
    });
    let mut kept: String = text.chars().take(max - 1).collect();
    kept.push('+');
    kept
}

/// Lines of at most 35 characters, at most `room` of them; what does not fit is cut.
fn wrap(text: &str, room: usize, field: &str, notes: &mut Vec<TranslationNote>) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut lines: Vec<String> = chars.chunks(LINE).map(|c| c.iter().collect()).collect();
    if lines.len() > room {
        lines.truncate(room);
        if let Some(last) = lines.last_mut() {
            *last = cut(&format!("{last}+"), LINE, field, notes);
        }
    }
    lines
}

/// A party as 50K/59 (name and up to three address lines) or, when its address has a
/// country, as 50F/59F (`1/` name, `2/` one address line, `3/` country and town).
pub(super) fn mt_party(
    party: &PartyIdentification,
    account: Option<&CashAccount>,
    (plain, structured): (char, char),
    tag: &str,
    notes: &mut Vec<TranslationNote>,
) -> (char, Party) {
    let address = party.postal_address.clone().unwrap_or_default();
    let option = if address.country.is_some() {
        structured
    } else {
        plain
    };
    let field = format!("{tag}{}", option.to_string().trim());
    // Option F spends two characters of each line on its `n/` prefix.
    let (width, room) = if option == structured {
        (LINE - 2, 1)
    } else {
        (LINE, LINES - 1)
    };
    let text = |value: &str, max: usize, notes: &mut Vec<TranslationNote>| {
        let clean = swift_x(value, &field, notes);
        cut(&clean, max, &field, notes)
    };
    let name = text(party.name.as_deref().unwrap_or(NOT_PROVIDED), width, notes);
    if address.address_lines.len() > room {
        notes.push(TranslationNote::Truncated {
            field: field.clone(),
        });
    }
    let address_lines = address
        .address_lines
        .iter()
        .take(room)
        .map(|line| text(line, width, notes))
        .collect();
    let structured_part = option == structured;
    let town = address
        .town_name
        .as_deref()
        .filter(|_| structured_part)
        .map(|t| text(t, LINE - 5, notes));
    let party = Party {
        account: account.map(account_id),
        name: Some(name),
        address_lines,
        country: address.country.filter(|_| structured_part),
        town,
        ..Party::default()
    };
    (option, party)
}

/// An input message from `sender` to `receiver`, normal priority, with `user_header` in
/// block 3 and `fields` in block 4. Block 1 carries the sender's logical terminal (terminal
/// `A`) and the session and sequence numbers a message to be sent has not got yet; block 2
/// the receiver's 12-character address (terminal `X`).
pub(super) fn fin_message(
    (sender, receiver): (String, String),
    message_type: &str,
    user_header: Fields,
    fields: Fields,
) -> FinMessage {
    FinMessage {
        basic_header: format!("F01{}0000000000", address(&sender, 'A')),
        sender,
        application_header: format!("I{message_type}{}N", address(&receiver, 'X')),
        message_type: message_type.to_string(),
        receiver,
        user_header,
        fields,
        trailer: Vec::new(),
    }
}

/// A BIC as a 12-character address: its 8 characters, the terminal letter, and the branch
/// or `XXX`.
fn address(bic: &str, terminal: char) -> String {
    let branch = bic.get(8..11).unwrap_or("XXX");
    format!("{}{terminal}{branch}", bic.get(..8).unwrap_or(bic))
}
