//! The hub's vocabulary: participants, their roles, and payment instructions with the party
//! data of ISO 20022 pacs.008 (customer credit transfer) and pacs.009 (FI-to-FI transfer).
//! Field names follow the ISO 20022 element names, in snake case.

use std::fmt;

use corridor_core::{Bic, CurrencyCode, Timestamp, Uetr};
use serde::{Deserialize, Serialize};

use crate::business_day::BusinessDate;
use crate::rejection::Rejection;
use crate::timing::{SettlementTimeRequest, WhenClosed};

/// What a participant may do in the scheme.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantRole {
    /// Keeps a currency's ledger (that country's central bank) and funds participants.
    SettlementAgent,
    /// Sends and receives payments through its own settlement accounts.
    DirectParticipant,
    /// Quotes and provides foreign exchange from its inventory accounts.
    FxProvider,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantStatus {
    Active,
    /// Can neither send nor receive; its queued payments stay queued until reinstated,
    /// cancelled or timed out.
    Suspended,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Participant {
    pub bic: Bic,
    pub name: String,
    /// ISO 3166 alpha-2.
    pub country: String,
    pub roles: Vec<ParticipantRole>,
    pub status: ParticipantStatus,
    pub admitted_at: Timestamp,
}

impl Participant {
    pub fn has_role(&self, role: ParticipantRole) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_active(&self) -> bool {
        self.status == ParticipantStatus::Active
    }
}

/// Which ISO 20022 message a payment is the equivalent of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    /// pacs.008: a customer's credit transfer, carried between its banks.
    CustomerCreditTransfer,
    /// pacs.009: a bank's own transfer to another bank.
    FinancialInstitutionTransfer,
}

/// Settlement priority (ISO 20022 `InstrPrty` and the RTGS's own classes). Ordered from the
/// least to the most urgent, so a higher value settles first.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[default]
    Normal,
    High,
    Urgent,
}

/// Minor units as a signed change of a position. Amounts never come near `i128::MAX` (the
/// ledger's accounts cap them far below), so saturating is only a guard.
pub(crate) fn signed(amount: u128) -> i128 {
    i128::try_from(amount).unwrap_or(i128::MAX)
}

/// ISO 20022 `ChrgBr`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum ChargeBearer {
    /// Borne by the debtor.
    #[serde(rename = "DEBT")]
    Debtor,
    /// Borne by the creditor.
    #[serde(rename = "CRED")]
    Creditor,
    /// Shared.
    #[serde(rename = "SHAR")]
    Shared,
    /// Following the service level (the scheme's rules).
    #[default]
    #[serde(rename = "SLEV")]
    ServiceLevel,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostalAddress {
    pub street_name: Option<String>,
    pub building_number: Option<String>,
    pub post_code: Option<String>,
    pub town_name: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    #[serde(default)]
    pub address_lines: Vec<String>,
}

/// An identifier of a party: an organisation's BIC or LEI, or a scheme-qualified other id
/// (a tax number, a passport).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyIdentification {
    pub any_bic: Option<Bic>,
    pub lei: Option<String>,
    pub other_id: Option<String>,
    pub other_scheme: Option<String>,
}

/// A debtor, creditor or ultimate party (ISO 20022 `PartyIdentification135`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub name: String,
    pub postal_address: Option<PostalAddress>,
    pub identification: Option<PartyIdentification>,
    pub country_of_residence: Option<String>,
}

/// A customer account at its bank: IBAN where the country uses them, else another id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CashAccount {
    pub iban: Option<String>,
    pub other: Option<String>,
}

/// A payment as its sender instructs it: the JSON equivalent of one pacs.008 or pacs.009
/// credit transfer transaction. The sender (instructing agent) is the authenticated
/// participant, never a field, so no bank can instruct in another's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentInstruction {
    pub kind: PaymentKind,
    /// The sender's id for this instruction: its idempotency key (`InstrId`).
    pub instruction_id: String,
    /// The originator's reference, carried end to end (`EndToEndId`).
    pub end_to_end_id: String,
    pub uetr: Uetr,
    /// Interbank settlement amount as a decimal string in `currency` ("1234.56").
    pub amount: String,
    pub currency: CurrencyCode,
    /// The receiving participant (`InstdAgt`), whose settlement account is credited.
    pub instructed_agent: Bic,
    pub debtor: Party,
    pub debtor_account: Option<CashAccount>,
    /// The debtor's bank, if not the sender itself.
    pub debtor_agent: Option<Bic>,
    pub creditor: Party,
    pub creditor_account: Option<CashAccount>,
    /// The creditor's bank, if not the instructed agent itself.
    pub creditor_agent: Option<Bic>,
    pub ultimate_debtor: Option<Party>,
    pub ultimate_creditor: Option<Party>,
    #[serde(default)]
    pub charge_bearer: ChargeBearer,
    /// ISO 20022 external purpose code (`Purp/Cd`), four letters.
    pub purpose: Option<String>,
    /// Unstructured remittance information (`RmtInf/Ustrd`).
    pub remittance_information: Option<String>,
    #[serde(default)]
    pub priority: Priority,
    /// For a cross-currency payment: the quote it settles at (`XchgRateInf/CtrctId`).
    /// `currency` and `amount` are then the quote's source currency and instructed amount.
    pub quote: Option<u64>,
    /// The business day to settle on (`IntrBkSttlmDt`): today (the default) or a later
    /// business day within the currency's horizon.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "2026-12-08")]
    pub settlement_date: Option<BusinessDate>,
    /// When the day is closed or its cut-off passed: refuse (the default for a plain
    /// payment) or move to the next business day (the default for a cross-currency one).
    #[serde(default)]
    pub when_closed: Option<WhenClosed>,
    /// Timed settlement (`SttlmTmReq`): from, till and reject times.
    #[serde(default)]
    pub settlement_time: Option<SettlementTimeRequest>,
}

/// ISO 20022 `Max35Text` and friends: lengths count characters, not bytes.
const MAX_ID: usize = 35;
const MAX_NAME: usize = 140;
const MAX_ADDRESS_LINE: usize = 70;
const MAX_ADDRESS_LINES: usize = 7;
const MAX_REMITTANCE: usize = 140;

/// Checks one text field: not blank where required, within its length, and free of control
/// and invisible formatting characters, which would hide text from a screen or a person.
fn check_text(path: impl fmt::Display, value: &str, max: usize) -> Result<(), Rejection> {
    // A character is at most four bytes: a text longer than that is refused without reading
    // it, so a hostile megabyte costs no more than a valid name.
    if value.len() > max * 4 {
        return Err(Rejection::format(format!(
            "{path} has {} bytes, more than {max} characters allowed",
            value.len()
        )));
    }
    if value.trim().is_empty() {
        return Err(Rejection::format(format!("{path} must not be empty")));
    }
    let (chars, hidden) = scan_text(value);
    if chars > max {
        return Err(Rejection::format(format!(
            "{path} has {chars} characters, at most {max} allowed"
        )));
    }
    if let Some(c) = hidden {
        return Err(Rejection::format(format!(
            "{path} contains the control or invisible character U+{:04X}",
            c as u32
        )));
    }
    Ok(())
}

/// The length in characters and the first hidden character, in one pass: every text of
/// every instruction goes through here. In ASCII the only hidden characters are the
/// controls, which a byte test finds.
fn scan_text(value: &str) -> (usize, Option<char>) {
    if value.is_ascii() {
        let hidden = value.bytes().find(u8::is_ascii_control).map(char::from);
        return (value.len(), hidden);
    }
    let mut chars = 0;
    let mut hidden = None;
    for c in value.chars() {
        chars += 1;
        if hidden.is_none() && corridor_core::is_hidden(c) {
            hidden = Some(c);
        }
    }
    (chars, hidden)
}

fn check_optional(
    path: impl fmt::Display,
    value: &Option<String>,
    max: usize,
) -> Result<(), Rejection> {
    value
        .as_deref()
        .map_or(Ok(()), |v| check_text(path, v, max))
}

fn check_country(path: impl fmt::Display, value: &Option<String>) -> Result<(), Rejection> {
    let Some(code) = value else { return Ok(()) };
    if corridor_core::is_country_code(code) {
        return Ok(());
    }
    Err(Rejection::format(format!(
        "{path} {code:?} is not an ISO 3166 alpha-2 country code"
    )))
}

impl Party {
    fn check(&self, path: impl fmt::Display) -> Result<(), Rejection> {
        check_text(format_args!("{path}.name"), &self.name, MAX_NAME)?;
        check_country(
            format_args!("{path}.country_of_residence"),
            &self.country_of_residence,
        )?;
        if let Some(address) = &self.postal_address {
            address.check(format_args!("{path}.postal_address"))?;
        }
        if let Some(id) = &self.identification {
            check_optional(format_args!("{path}.identification.lei"), &id.lei, 20)?;
            check_optional(
                format_args!("{path}.identification.other_id"),
                &id.other_id,
                MAX_ID,
            )?;
            check_optional(
                format_args!("{path}.identification.other_scheme"),
                &id.other_scheme,
                MAX_ID,
            )?;
        }
        Ok(())
    }
}

impl PostalAddress {
    fn check(&self, path: impl fmt::Display) -> Result<(), Rejection> {
        check_optional(
            format_args!("{path}.street_name"),
            &self.street_name,
            MAX_ADDRESS_LINE,
        )?;
        check_optional(
            format_args!("{path}.building_number"),
            &self.building_number,
            16,
        )?;
        check_optional(format_args!("{path}.post_code"), &self.post_code, 16)?;
        check_optional(format_args!("{path}.town_name"), &self.town_name, 35)?;
        check_country(format_args!("{path}.country"), &self.country)?;
        if self.address_lines.len() > MAX_ADDRESS_LINES {
            return Err(Rejection::format(format!(
                "{path}.address_lines has {} lines, at most {MAX_ADDRESS_LINES} allowed",
                self.address_lines.len()
            )));
        }
        for (i, line) in self.address_lines.iter().enumerate() {
            check_text(
                format_args!("{path}.address_lines[{i}]"),
                line,
                MAX_ADDRESS_LINE,
            )?;
        }
        Ok(())
    }
}

impl CashAccount {
    fn check(&self, path: impl fmt::Display) -> Result<(), Rejection> {
        if self.iban.is_none() && self.other.is_none() {
            return Err(Rejection::format(format!(
                "{path} needs an iban or other id"
            )));
        }
        check_optional(format_args!("{path}.other"), &self.other, 34)?;
        if let Some(iban) = &self.iban {
            check_iban(format_args!("{path}.iban"), iban)?;
        }
        Ok(())
    }
}

/// ISO 13616: country code, two check digits, up to 30 alphanumerics; mod-97 must be 1.
fn check_iban(path: impl fmt::Display, iban: &str) -> Result<(), Rejection> {
    let bad = || Rejection::new("AC01", format!("{path} {iban:?} is not a valid IBAN"));
    let b = iban.as_bytes();
    if !(15..=34).contains(&b.len())
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[2..4].iter().all(u8::is_ascii_digit)
        || !b
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Err(bad());
    }
    if !corridor_core::iban_check_digits_hold(iban) {
        return Err(bad());
    }
    Ok(())
}

impl PaymentInstruction {
    /// Checks everything that does not depend on the hub's state: lengths, characters,
    /// codes, and what each kind of payment must carry.
    pub fn check(&self) -> Result<(), Rejection> {
        check_text("instruction_id", &self.instruction_id, MAX_ID)?;
        check_text("end_to_end_id", &self.end_to_end_id, MAX_ID)?;
        self.debtor.check("debtor")?;
        self.creditor.check("creditor")?;
        if let Some(p) = &self.ultimate_debtor {
            p.check("ultimate_debtor")?;
        }
        if let Some(p) = &self.ultimate_creditor {
            p.check("ultimate_creditor")?;
        }
        if let Some(a) = &self.debtor_account {
            a.check("debtor_account")?;
        }
        if let Some(a) = &self.creditor_account {
            a.check("creditor_account")?;
        }
        if let Some(purpose) = &self.purpose
            && !(purpose.len() == 4 && purpose.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(Rejection::format(format!(
                "purpose {purpose:?} is not a four-letter ISO 20022 purpose code"
            )));
        }
        check_optional(
            "remittance_information",
            &self.remittance_information,
            MAX_REMITTANCE,
        )?;
        if let Some(times) = &self.settlement_time {
            times.parsed()?;
        }
        if self.kind == PaymentKind::FinancialInstitutionTransfer {
            for (path, party) in [("debtor", &self.debtor), ("creditor", &self.creditor)] {
                let has_bic = party
                    .identification
                    .as_ref()
                    .is_some_and(|id| id.any_bic.is_some());
                if !has_bic {
                    return Err(Rejection::format(format!(
                        "{path}.identification.any_bic is required: in an FI-to-FI transfer the {path} is a financial institution"
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iban_check_digits() {
        assert!(check_iban("x", "DE89370400440532013000").is_ok());
        assert!(check_iban("x", "GB82WEST12345698765432").is_ok());
        assert_eq!(
            check_iban("x", "DE89370400440532013001").unwrap_err().code,
            "AC01"
        );
        assert!(check_iban("x", "de89370400440532013000").is_err());
        assert!(check_iban("x", "DE8937").is_err());
    }

    #[test]
    fn hidden_characters_are_refused() {
        assert!(check_text("n", "Ivan\u{202E}ovich", 140).is_err());
        assert!(check_text("n", "Ivan\u{0000}", 140).is_err());
        assert!(check_text("n", "   ", 140).is_err());
        assert!(check_text("n", "Мухаммед محمد", 140).is_ok());
        assert!(check_text("n", &"x".repeat(141), 140).is_err());
    }
}
