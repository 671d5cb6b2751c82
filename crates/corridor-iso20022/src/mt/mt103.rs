//! MT103, the single customer credit transfer: its fields read from a FIN message, and
//! written back to one.

use super::field::{
    MtError, Party, currency_amount, find, party_field, party_out, reference, value_date_amount,
};
use super::fin::FinMessage;

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
    pub fn from_fin(fin: &FinMessage) -> Result<Mt103, MtError> {
        if fin.message_type != "103" {
            return Err(MtError::WrongType {
                expected: "103",
                found: fin.message_type.clone(),
            });
        }
        let fields = &fin.fields;
        let required = |tag: &'static str| find(fields, tag).ok_or(MtError::Missing(tag));
        let (value_date, currency, amount) = value_date_amount(required("32A")?)?;
        let ordering_customer = party_field(fields, "50", &['A', 'F', 'K'], "50a")?;
        let beneficiary = party_field(fields, "59", &['A', 'F', ' '], "59a")?;
        Ok(Mt103 {
            sender: fin.sender.clone(),
            receiver: fin.receiver.clone(),
            uetr: fin.user_field("121").map(str::to_string),
            reference: reference(required("20")?, "20")?,
            bank_operation_code: required("23B")?.to_string(),
            value_date,
            currency,
            amount,
            instructed: find(fields, "33B").map(currency_amount).transpose()?,
            ordering_customer,
            ordering_institution: find(fields, "52A").map(last_line),
            account_with_institution: find(fields, "57A").map(last_line),
            beneficiary,
            remittance: find(fields, "70").map(str::to_string),
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

fn last_line(value: &str) -> String {
    value.lines().last().unwrap_or("").to_string()
}
