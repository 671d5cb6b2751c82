//! The field formats MT messages share: references, the value date, currency and amount of
//! 32A and 33B, customer party fields (50a, 59a), institution fields (52a to 58a), and the
//! error every MT model reports.

use super::fin::{Field, Fields};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MtError {
    #[error("FF01: not an MT{expected} but an MT{found}")]
    WrongType {
        expected: &'static str,
        found: String,
    },
    #[error("CH21: field {0} is required")]
    Missing(&'static str),
    #[error("FF01: field {field} is malformed: {reason}")]
    Malformed { field: &'static str, reason: String },
}

pub(super) fn malformed(field: &'static str, reason: &str) -> MtError {
    MtError::Malformed {
        field,
        reason: reason.to_string(),
    }
}

/// The value of the first field named `tag` in `fields`.
pub(super) fn find<'a>(fields: &'a [Field], tag: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(t, _)| t == tag)
        .map(|(_, v)| v.as_str())
}

/// The tag of a field written in `option` (`' '` for none): `59`, `59F`.
fn tag_with(tag: &str, option: char) -> String {
    match option {
        ' ' => tag.to_string(),
        letter => format!("{tag}{letter}"),
    }
}

/// The first of `options` present under `tag`, with its value.
fn optional_field<'a>(fields: &'a [Field], tag: &str, options: &[char]) -> Option<(char, &'a str)> {
    options
        .iter()
        .find_map(|&option| find(fields, &tag_with(tag, option)).map(|value| (option, value)))
}

/// A reference (`16x`: :20:, :21:): one line, at most 16 characters.
pub(super) fn reference(value: &str, field: &'static str) -> Result<String, MtError> {
    if value.is_empty() || value.chars().count() > 16 || value.contains('\n') {
        return Err(malformed(
            field,
            "a reference is one line of 1 to 16 characters",
        ));
    }
    Ok(value.to_string())
}

/// `YYMMDD` + currency + amount, e.g. `261123RUB1500000,00`.
pub(super) fn value_date_amount(value: &str) -> Result<(String, String, String), MtError> {
    let date = value.get(..6).filter(|d| real_date(d));
    let date = date.ok_or_else(|| malformed("32A", "no real YYMMDD value date"))?;
    let (currency, amount) = currency_amount(value.get(6..).unwrap_or(""))
        .map_err(|_| malformed("32A", "no currency and amount after the date"))?;
    Ok((date.to_string(), currency, amount))
}

/// A calendar date as `YYMMDD`, of this century (as FIN dates are read).
fn real_date(yymmdd: &str) -> bool {
    if yymmdd.len() != 6 || !yymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let number = |range: std::ops::Range<usize>| yymmdd[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (2000 + number(0..2), number(2..4), number(4..6));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    (1..=days).contains(&day)
}

/// Three letters and an amount with a decimal comma (`RUB1500000,00`).
pub(super) fn currency_amount(value: &str) -> Result<(String, String), MtError> {
    let currency = value
        .get(..3)
        .filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()));
    let currency = currency.ok_or_else(|| malformed("32A/33B", "no currency code"))?;
    let amount = &value[3..];
    let digits = amount.bytes().all(|b| b.is_ascii_digit() || b == b',');
    let starts_with_digit = amount.bytes().next().is_some_and(|b| b.is_ascii_digit());
    if !starts_with_digit || !digits || amount.matches(',').count() != 1 || amount.len() > 15 {
        return Err(malformed(
            "32A/33B",
            "the amount is not digits with one decimal comma",
        ));
    }
    Ok((currency.to_string(), amount.to_string()))
}

/// A customer of fields 50a and 59a: an account, a BIC (option A) or a name and address
/// (no letter, K, or F with its numbered lines 1/ name, 2/ address, 3/ country/town, and
/// 4/ to 8/ for birth, identity and further details).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Party {
    pub account: Option<String>,
    pub bic: Option<String>,
    pub name: Option<String>,
    pub address_lines: Vec<String>,
    /// From option F's `3/CC/TOWN` line.
    pub country: Option<String>,
    pub town: Option<String>,
    /// Option F's lines 4/ to 8/ as written (`6/RU/CBRF/12345`).
    pub details: Vec<String>,
}

/// The first of `options` present under `tag` (`50K`, `59F`, ...), read as a party;
/// `name` (`50a`) is the field reported when none is.
pub(super) fn party_field(
    fields: &[Field],
    tag: &str,
    options: &[char],
    name: &'static str,
) -> Result<(char, Party), MtError> {
    optional_field(fields, tag, options)
        .map(|(option, value)| (option, party(option, value)))
        .ok_or(MtError::Missing(name))
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
            _ => party.details.push(line.to_string()),
        }
    }
}

pub(super) fn party_out(tag: &str, (option, party): &(char, Party)) -> (String, String) {
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
            lines.extend(party.details.iter().cloned());
        }
        _ => {
            lines.extend(party.name.clone());
            lines.extend(party.address_lines.iter().cloned());
        }
    }
    (tag_with(tag, *option), lines.join("\n"))
}

/// A financial institution of fields 52a to 58a: an optional party identifier line
/// (`/D/account`, `//CH123456`), then by option: A a BIC, B a location (perhaps none), C
/// nothing more, D up to four lines of name and address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    /// The option letter: `A`, `B`, `C` or `D`.
    pub option: char,
    /// The party identifier line without its leading `/`.
    pub party_identifier: Option<String>,
    /// The lines after it: the BIC (A), the location (B), the name and address (D).
    pub lines: Vec<String>,
}

impl Institution {
    /// The BIC of an option A institution.
    pub fn bic(&self) -> Option<&str> {
        match self.option {
            'A' => self.lines.first().map(String::as_str),
            _ => None,
        }
    }

    /// An option A institution: a BIC and perhaps an account.
    pub fn with_bic(bic: &str, account: Option<String>) -> Self {
        Institution {
            option: 'A',
            party_identifier: account,
            lines: vec![bic.to_string()],
        }
    }
}

/// The first of `options` present under `tag`, read as an institution; its BIC (option A)
/// must have the form of one.
pub(super) fn institution_field(
    fields: &[Field],
    tag: &'static str,
    options: &[char],
) -> Result<Option<Institution>, MtError> {
    let Some((option, value)) = optional_field(fields, tag, options) else {
        return Ok(None);
    };
    let mut lines: Vec<String> = value.lines().map(str::to_string).collect();
    let party_identifier = match lines.first() {
        Some(first) if first.starts_with('/') => Some(lines.remove(0)[1..].to_string()),
        _ => None,
    };
    let institution = Institution {
        option,
        party_identifier,
        lines,
    };
    if option == 'A' && !institution.bic().is_some_and(is_bic) {
        return Err(malformed(tag, "option A holds no BIC"));
    }
    Ok(Some(institution))
}

/// 4 letters (bank), 2 letters (country), 2 letters or digits (location), and perhaps a
/// 3-character branch.
fn is_bic(bic: &str) -> bool {
    let bytes = bic.as_bytes();
    let alphanumeric = |range: &[u8]| {
        range
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    matches!(bytes.len(), 8 | 11)
        && bytes[..6].iter().all(u8::is_ascii_uppercase)
        && alphanumeric(&bytes[6..])
}

/// The field an institution is written as, `(tag+option, value)`.
pub(super) fn institution_out(tag: &str, institution: &Institution) -> (String, String) {
    let lines: Vec<String> = institution
        .party_identifier
        .iter()
        .map(|id| format!("/{id}"))
        .chain(institution.lines.iter().cloned())
        .collect();
    (tag_with(tag, institution.option), lines.join("\n"))
}

/// Pushes `(tag+option, value)` for each institution present.
pub(super) fn push_institutions(
    fields: &mut Fields,
    institutions: &[(&str, Option<&Institution>)],
) {
    for (tag, institution) in institutions {
        if let Some(institution) = institution {
            fields.push(institution_out(tag, institution));
        }
    }
}
