//! MT103 <-> pacs.008.001.08, after the CBPR+ translation rules for the fields both carry.
//!
//! MT -> MX: :20: is the instruction id, the UETR comes from block 3 field 121, the end-to-end
//! id from a `/ROC/` reference in :70: (else `NOTPROVIDED`), :32A: gives the settlement
//! date and amount (decimal comma to point), :71A: OUR/SHA/BEN gives DEBT/SHAR/CRED, the
//! agents default to the sender (debtor agent) and receiver (creditor agent) when :52A: and
//! :57A: are absent, and the sender and receiver are the instructing and instructed agents.
//!
//! MX -> MT: text is cut to MT's line lengths (35 characters, 4 lines for a party or :70:,
//! 16 for :20:); a cut field ends in `+`, the CBPR+ truncation indicator, and is listed in
//! the translation's notes, as is every character outside the SWIFT X set (replaced by `.`)
//! and every MX field MT cannot carry. Structured addresses go to option F.

use super::fin::FinMessage;
use super::mt103::{Mt103, Party};
use crate::codes::{ChargeBearer, SettlementMethod};
use crate::components::{
    AccountIdentification, ActiveCurrencyAndAmount, Agent, CashAccount, PartyIdentification,
    PostalAddress,
};
use crate::pacs008::{
    CreditTransferTransaction, FIToFICstmrCdtTrf, GroupHeader, PaymentIdentification,
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

const NOT_PROVIDED: &str = "NOTPROVIDED";

/// MT103 to pacs.008. `created` is the `CreDtTm` to stamp (the caller's clock, not ours).
pub fn mt103_to_pacs008(mt: &Mt103, created: &str) -> Translation<FIToFICstmrCdtTrf> {
    let mut notes = Vec::new();
    if mt.instructed.is_some() {
        notes.push(TranslationNote::Dropped {
            field: "33B (InstdAmt is not kept by the pacs.008 model)".into(),
        });
    }
    let transaction = CreditTransferTransaction {
        payment_identification: PaymentIdentification {
            instruction_identification: Some(mt.reference.clone()),
            end_to_end_identification: end_to_end(mt.remittance.as_deref()),
            transaction_identification: None,
            uetr: mt.uetr.clone(),
        },
        instruction_priority: None,
        interbank_settlement_amount: ActiveCurrencyAndAmount {
            amount: mt
                .amount
                .replace(',', ".")
                .trim_end_matches('.')
                .to_string(),
            currency: mt.currency.clone(),
        },
        interbank_settlement_date: Some(iso_date(&mt.value_date)),
        charge_bearer: match mt.charges.as_str() {
            "OUR" => ChargeBearer::BorneByDebtor,
            "BEN" => ChargeBearer::BorneByCreditor,
            _ => ChargeBearer::Shared,
        },
        instructing_agent: Some(agent(&mt.sender)),
        instructed_agent: Some(agent(&mt.receiver)),
        ultimate_debtor: None,
        debtor: mx_party(&mt.ordering_customer.1),
        debtor_account: mt.ordering_customer.1.account.as_deref().map(account),
        debtor_agent: agent(mt.ordering_institution.as_deref().unwrap_or(&mt.sender)),
        creditor_agent: agent(
            mt.account_with_institution
                .as_deref()
                .unwrap_or(&mt.receiver),
        ),
        creditor: mx_party(&mt.beneficiary.1),
        creditor_account: mt.beneficiary.1.account.as_deref().map(account),
        ultimate_creditor: None,
        purpose_code: None,
        remittance_information_unstructured: mt
            .remittance
            .iter()
            .map(|text| text.replace('\n', ""))
            .collect(),
    };
    let message = FIToFICstmrCdtTrf {
        group_header: GroupHeader {
            message_identification: mt.reference.clone(),
            creation_date_time: created.to_string(),
            number_of_transactions: "1".into(),
            total_interbank_settlement_amount: None,
            settlement_method: SettlementMethod::InstructedAgent,
        },
        credit_transfer_transactions: vec![transaction],
    };
    Translation { message, notes }
}

fn end_to_end(remittance: Option<&str>) -> String {
    remittance
        .and_then(|text| text.split("/ROC/").nth(1))
        .map(|rest| {
            rest.split(['/', '\n'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| NOT_PROVIDED.to_string())
}

/// YYMMDD to YYYY-MM-DD; FIN dates are of this century.
fn iso_date(yymmdd: &str) -> String {
    format!("20{}-{}-{}", &yymmdd[..2], &yymmdd[2..4], &yymmdd[4..6])
}

fn agent(bic: &str) -> Agent {
    Agent {
        bicfi: Some(bic.to_string()),
    }
}

fn account(id: &str) -> CashAccount {
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

fn mx_party(party: &Party) -> PartyIdentification {
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

/// Line length and line count of MT text fields (35x, 4 lines).
const LINE: usize = 35;
const LINES: usize = 4;
const REFERENCE: usize = 16;

/// pacs.008 (its first transaction) to MT103, with a note for everything cut, replaced or
/// left out. `None` if the message holds no transaction.
pub fn pacs008_to_mt103(mx: &FIToFICstmrCdtTrf) -> Option<Translation<FinMessage>> {
    let tx = mx.credit_transfer_transactions.first()?;
    let mut notes = Vec::new();
    if mx.credit_transfer_transactions.len() > 1 {
        notes.push(TranslationNote::Dropped {
            field: "CdtTrfTxInf[2..] (an MT103 carries one transaction)".into(),
        });
    }
    let sender = bic_of(tx.instructing_agent.as_ref()).or(tx.debtor_agent.bicfi.clone())?;
    let receiver = bic_of(tx.instructed_agent.as_ref()).or(tx.creditor_agent.bicfi.clone())?;
    let reference = tx
        .payment_identification
        .instruction_identification
        .as_deref()
        .unwrap_or(&mx.group_header.message_identification);
    let amount = &tx.interbank_settlement_amount;
    let mt = Mt103 {
        sender: sender.clone(),
        receiver: receiver.clone(),
        uetr: tx.payment_identification.uetr.clone(),
        reference: cut(
            &swift_x(reference, "20", &mut notes),
            REFERENCE,
            "20",
            &mut notes,
        ),
        bank_operation_code: "CRED".into(),
        value_date: tx
            .interbank_settlement_date
            .as_deref()
            .map(|d| d.replace('-', "").chars().skip(2).collect())
            .unwrap_or_default(),
        currency: amount.currency.clone(),
        amount: mt_amount(&amount.amount),
        instructed: None,
        ordering_customer: mt_party(
            &tx.debtor,
            tx.debtor_account.as_ref(),
            ('K', 'F'),
            "50",
            &mut notes,
        ),
        ordering_institution: tx.debtor_agent.bicfi.clone().filter(|b| *b != sender),
        account_with_institution: tx.creditor_agent.bicfi.clone().filter(|b| *b != receiver),
        beneficiary: mt_party(
            &tx.creditor,
            tx.creditor_account.as_ref(),
            (' ', 'F'),
            "59",
            &mut notes,
        ),
        remittance: remittance(tx, &mut notes),
        charges: match tx.charge_bearer {
            ChargeBearer::BorneByDebtor => "OUR",
            ChargeBearer::BorneByCreditor => "BEN",
            ChargeBearer::Shared | ChargeBearer::FollowingServiceLevel => "SHA",
        }
        .into(),
    };
    for (present, field) in [
        (tx.ultimate_debtor.is_some(), "UltmtDbtr"),
        (tx.ultimate_creditor.is_some(), "UltmtCdtr"),
        (tx.purpose_code.is_some(), "Purp"),
    ] {
        if present {
            notes.push(TranslationNote::Dropped {
                field: field.into(),
            });
        }
    }
    let fin = FinMessage {
        basic_header: format!("F01{}", terminal(&sender)),
        sender,
        application_header: format!("I103{}N", terminal(&receiver)),
        message_type: "103".into(),
        receiver,
        user_header: mt
            .uetr
            .iter()
            .map(|u| ("121".to_string(), u.clone()))
            .collect(),
        fields: mt.fields(),
        trailer: Vec::new(),
    };
    Some(Translation {
        message: fin,
        notes,
    })
}

fn bic_of(agent: Option<&Agent>) -> Option<String> {
    agent.and_then(|a| a.bicfi.clone())
}

/// A BIC as a logical terminal address: 8 characters, terminal `A`, branch or `XXX`, then
/// the session and sequence numbers a message to be sent has not got yet.
fn terminal(bic: &str) -> String {
    let branch = bic.get(8..11).unwrap_or("XXX");
    format!("{}A{branch}0000000000", bic.get(..8).unwrap_or(bic))
}

/// 1234.5 -> 1234,5 ; 1234 -> 1234, (MT always has the comma).
fn mt_amount(amount: &str) -> String {
    match amount.split_once('.') {
        Some((whole, fraction)) => format!("{whole},{fraction}"),
        None => format!("{amount},"),
    }
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
        let last = lines
            .last_mut()
            .map(|l| cut(&format!("{l}+"), LINE, field, notes));
        if let (Some(slot), Some(cut_line)) = (lines.last_mut(), last) {
            *slot = cut_line;
        }
    }
    lines
}

/// A party as 50K/59 (name and up to three address lines) or, when its address has a
/// country, as 50F/59F (`1/` name, `2/` one address line, `3/` country and town).
fn mt_party(
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
    let account = account.map(|a| match &a.identification {
        AccountIdentification::Iban(id) | AccountIdentification::Other(id) => id.clone(),
    });
    let party = Party {
        account,
        bic: None,
        name: Some(name),
        address_lines,
        country: address.country.filter(|_| structured_part),
        town,
    };
    (option, party)
}

fn remittance(tx: &CreditTransferTransaction, notes: &mut Vec<TranslationNote>) -> Option<String> {
    let text = tx.remittance_information_unstructured.join(" ");
    if text.is_empty() {
        return None;
    }
    let text = swift_x(&text, "70", notes);
    Some(wrap(&text, LINES, "70", notes).join("\n"))
}
