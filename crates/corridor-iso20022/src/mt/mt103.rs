//! MT103, the single customer credit transfer: its fields read from a FIN message, and
//! written back to one.

use super::fin::FinMessage;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Mt103Error {
    #[error("FF01: not an MT103 but an MT{0}")]
    NotMt103(String),
    #[error("CH21: field {0} is required")]
    Missing(&'static str),
    #[error("FF01: field {field} is malformed: {reason}")]
    Malformed { field: &'static str, reason: String },
}

/// A party of fields 50a and 59a: an account, a BIC (option A) or a name and address
/// (no letter, K, or F with its numbered lines 1/ name, 2/ address, 3/ country/town).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Party {
    pub account: Option<String>,
    pub bic: Option<String>,
    pub name: Option<String>,
    pub address_lines: Vec<String>,
    /// From option F's `3/CC/TOWN` line.
    pub country: Option<String>,
    pub town: Option<String>,
}

/// The fields of an MT103 that a payment hub settles and screens on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mt103 {
    pub sender: String,
    pub receiver: String,
    /// Block 3 field 121.
    pub uetr: Option<String>,
    /// :20: sender's reference (16x).
    pub reference: String,
    /// :23B: bank operation code, CRED for a plain credit transfer.
    pub bank_operation_code: String,
    /// :32A: value date YYMMDD.
    pub value_date: String,
    pub currency: String,
    /// :32A: amount as written, decimal comma ("1234,56").
    pub amount: String,
    /// :33B: currency and instructed amount.
    pub instructed: Option<(String, String)>,
    /// :50a: ordering customer, with the option letter it was written in.
    pub ordering_customer: (char, Party),
    /// :52A: ordering institution.
    pub ordering_institution: Option<String>,
    /// :57A: account with institution.
    pub account_with_institution: Option<String>,
    /// :59a: beneficiary customer, with its option letter (' ' for none).
    pub beneficiary: (char, Party),
    /// :70: remittance information, lines joined by `\n`.
    pub remittance: Option<String>,
    /// :71A: OUR, SHA or BEN.
    pub charges: String,
}

impl Mt103 {
    pub fn from_fin(fin: &FinMessage) -> Result<Mt103, Mt103Error> {
        if fin.message_type != "103" {
            return Err(Mt103Error::NotMt103(fin.message_type.clone()));
        }
        let required = |tag: &'static str| fin.field(tag).ok_or(Mt103Error::Missing(tag));
        let (value_date, currency, amount) = value_date_amount(required("32A")?)?;
        let ordering_customer = party_field(fin, "50", &['A', 'F', 'K'])?;
        let beneficiary = party_field(fin, "59", &['A', 'F', ' '])?;
        Ok(Mt103 {
            sender: fin.sender.clone(),
            receiver: fin.receiver.clone(),
            uetr: fin.user_field("121").map(str::to_string),
            reference: required("20")?.to_string(),
            bank_operation_code: required("23B")?.to_string(),
            value_date,
            currency,
            amount,
            instructed: fin.field("33B").map(currency_amount).transpose()?,
            ordering_customer,
            ordering_institution: fin.field("52A").map(last_line),
            account_with_institution: fin.field("57A").map(last_line),
            beneficiary,
            remittance: fin.field("70").map(str::to_string),
            charges: required("71A")?.to_string(),
        })
    }

    /// Block 4's fields in MT103 order.
    pub fn fields(&self) -> Vec<(String, String)> {
        let mut fields = vec![
            ("20".to_string(), self.reference.clone()),
            ("23B".to_string(), self.bank_operation_code.clone()),
            (
                "32A".to_string(),
                format!("{}{}{}", self.value_date, self.currency, self.amount),
            ),
        ];
        if let Some((currency, amount)) = &self.instructed {
            fields.push(("33B".to_string(), format!("{currency}{amount}")));
        }
        fields.push(party_out("50", &self.ordering_customer));
        if let Some(bic) = &self.ordering_institution {
            fields.push(("52A".to_string(), bic.clone()));
        }
        if let Some(bic) = &self.account_with_institution {
            fields.push(("57A".to_string(), bic.clone()));
        }
        fields.push(party_out("59", &self.beneficiary));
        if let Some(text) = &self.remittance {
            fields.push(("70".to_string(), text.clone()));
        }
        fields.push(("71A".to_string(), self.charges.clone()));
        fields
    }
}

fn malformed(field: &'static str, reason: &str) -> Mt103Error {
    Mt103Error::Malformed {
        field,
        reason: reason.to_string(),
    }
}

/// `YYMMDD` + currency + amount, e.g. `261123RUB1500000,00`.
fn value_date_amount(value: &str) -> Result<(String, String, String), Mt103Error> {
    let date = value
        .get(..6)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
    let date = date.ok_or_else(|| malformed("32A", "no YYMMDD value date"))?;
    let (currency, amount) = currency_amount(value.get(6..).unwrap_or(""))
        .map_err(|_| malformed("32A", "no currency and amount after the date"))?;
    Ok((date.to_string(), currency, amount))
}

/// Three letters and an amount with a decimal comma (`RUB1500000,00`).
fn currency_amount(value: &str) -> Result<(String, String), Mt103Error> {
    let currency = value
        .get(..3)
        .filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()));
    let currency = currency.ok_or_else(|| malformed("32A/33B", "no currency code"))?;
    let amount = &value[3..];
    let digits = amount.bytes().all(|b| b.is_ascii_digit() || b == b',');
    if amount.is_empty() || !digits || amount.matches(',').count() != 1 || amount.len() > 15 {
        return Err(malformed(
            "32A/33B",
            "the amount is not digits with one decimal comma",
        ));
    }
    Ok((currency.to_string(), amount.to_string()))
}

fn last_line(value: &str) -> String {
    value.lines().last().unwrap_or("").to_string()
}

/// The first of `options` present under `tag` (`50K`, `59F`, ...), read as a party.
fn party_field(
    fin: &FinMessage,
    tag: &'static str,
    options: &[char],
) -> Result<(char, Party), Mt103Error> {
    options
        .iter()
        .find_map(|&option| {
            let name = if option == ' ' {
                tag.to_string()
            } else {
                format!("{tag}{option}")
            };
            fin.field(&name).map(|value| (option, party(option, value)))
        })
        .ok_or(Mt103Error::Missing(if tag == "50" { "50a" } else { "59a" }))
}

fn party(option: char, value: &str) -> Party {
    let mut lines: Vec<&str> = value.lines().collect();
    let account = match lines.first() {
        Some(first) if first.starts_with('/') => Some(lines.remove(0)[1..].to_string()),
        _ => None,
    };
    let mut party = Party {
        account,
        ..Party::default()
    };
    match option {
        'A' => party.bic = lines.first().map(|l| l.to_string()),
        'F' => structured_lines(&mut party, &lines),
        _ => {
            party.name = lines.first().map(|l| l.to_string());
            party.address_lines = lines.iter().skip(1).map(|l| l.to_string()).collect();
        }
    }
    party
}

/// Option F's numbered lines; a line continuing a name (`1/` again) is appended to it.
fn structured_lines(party: &mut Party, lines: &[&str]) {
    for line in lines {
        match line.split_once('/') {
            Some(("1", name)) => match &mut party.name {
                Some(existing) => existing.push_str(name),
                None => party.name = Some(name.to_string()),
            },
            Some(("2", address)) => party.address_lines.push(address.to_string()),
            Some(("3", place)) => {
                let (country, town) = place.split_once('/').unwrap_or((place, ""));
                party.country = Some(country.to_string());
                party.town = (!town.is_empty()).then(|| town.to_string());
            }
            _ => {}
        }
    }
}

fn party_out(tag: &str, (option, party): &(char, Party)) -> (String, String) {
    let mut lines: Vec<String> = party.account.iter().map(|a| format!("/{a}")).collect();
    match option {
        'A' => lines.extend(party.bic.clone()),
        'F' => {
            lines.extend(party.name.iter().map(|n| format!("1/{n}")));
            lines.extend(party.address_lines.iter().map(|a| format!("2/{a}")));
            if let Some(country) = &party.country {
                let town = party.town.as_deref().unwrap_or("");
                lines.push(format!("3/{country}/{town}"));
            }
        }
        _ => {
            lines.extend(party.name.clone());
            lines.extend(party.address_lines.iter().cloned());
        }
    }
    let name = match option {
        ' ' => tag.to_string(),
        letter => format!("{tag}{letter}"),
    };
    (name, lines.join("\n"))
}
