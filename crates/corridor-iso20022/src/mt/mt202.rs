//! MT202, the general financial institution transfer, and MT202COV, its cover variant: their
//! fields read from a FIN message, and written back to one. An MT202COV is an MT202 with
//! block 3 field 119 `COV` and a sequence B, the underlying customer credit transfer, which
//! starts at its ordering customer (50a).

use super::field::{
    Institution, MtError, Party, currency_amount, find, institution_field, malformed, party_field,
    party_out, push_institutions, reference, value_date_amount,
};
use super::fin::{Field, Fields, FinMessage};

/// The fields of an MT202 or MT202COV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mt202 {
    pub sender: String,
    pub receiver: String,
    /// Block 3 field 121.
    pub uetr: Option<String>,
    /// :20: transaction reference number (16x).
    pub reference: String,
    /// :21: related reference (16x), `NONREF` when there is none.
    pub related_reference: String,
    /// :13C: time indications (`/CLSTIME/0915+0100`), as written.
    pub time_indications: Vec<String>,
    /// :32A: value date YYMMDD.
    pub value_date: String,
    pub currency: String,
    /// :32A: amount as written, decimal comma ("1234,56").
    pub amount: String,
    /// :52a: ordering institution (A or D).
    pub ordering_institution: Option<Institution>,
    /// :53a: sender's correspondent (A, B or D).
    pub senders_correspondent: Option<Institution>,
    /// :54a: receiver's correspondent (A, B or D).
    pub receivers_correspondent: Option<Institution>,
    /// :56a: intermediary (A or D).
    pub intermediary: Option<Institution>,
    /// :57a: account with institution (A, B or D).
    pub account_with_institution: Option<Institution>,
    /// :58a: beneficiary institution (A or D).
    pub beneficiary_institution: Institution,
    /// :72: sender to receiver information, lines joined by `\n`.
    pub sender_to_receiver: Option<String>,
    /// Sequence B, present in an MT202COV only.
    pub underlying: Option<UnderlyingCustomerTransfer>,
}

/// Sequence B of an MT202COV: the customer credit transfer the MT202COV covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnderlyingCustomerTransfer {
    /// :50a: ordering customer (A, F or K).
    pub ordering_customer: (char, Party),
    /// :52a: ordering institution (A or D).
    pub ordering_institution: Option<Institution>,
    /// :56a: intermediary institution (A, C or D).
    pub intermediary: Option<Institution>,
    /// :57a: account with institution (A, B, C or D).
    pub account_with_institution: Option<Institution>,
    /// :59a: beneficiary customer (no letter, A or F).
    pub beneficiary: (char, Party),
    /// :70: remittance information, lines joined by `\n`.
    pub remittance: Option<String>,
    /// :72: sender to receiver information.
    pub sender_to_receiver: Option<String>,
    /// :33B: currency and instructed amount.
    pub instructed: Option<(String, String)>,
}

impl Mt202 {
    /// An MT202, or an MT202COV when block 3 has 119:COV; a sequence B without it, or
    /// 119:COV without a sequence B, is refused.
    pub fn from_fin(fin: &FinMessage) -> Result<Mt202, MtError> {
        if fin.message_type != "202" {
            return Err(MtError::WrongType {
                expected: "202",
                found: fin.message_type.clone(),
            });
        }
        let cover = fin.user_field("119") == Some("COV");
        let (a, b) = sequences(&fin.fields);
        let underlying = match (cover, b.is_empty()) {
            (true, true) => return Err(MtError::Missing("50a")),
            (false, false) => {
                return Err(malformed(
                    "50a",
                    "customer fields (sequence B) need block 3 field 119:COV",
                ));
            }
            (true, false) => Some(UnderlyingCustomerTransfer::read(b)?),
            (false, true) => None,
        };
        let required = |tag: &'static str| find(a, tag).ok_or(MtError::Missing(tag));
        let (value_date, currency, amount) = value_date_amount(required("32A")?)?;
        let beneficiary_institution =
            institution_field(a, "58", &['A', 'D'])?.ok_or(MtError::Missing("58a"))?;
        Ok(Mt202 {
            sender: fin.sender.clone(),
            receiver: fin.receiver.clone(),
            uetr: fin.user_field("121").map(str::to_string),
            reference: reference(required("20")?, "20")?,
            related_reference: reference(required("21")?, "21")?,
            time_indications: a
                .iter()
                .filter(|(tag, _)| tag == "13C")
                .map(|(_, value)| value.clone())
                .collect(),
            value_date,
            currency,
            amount,
            ordering_institution: institution_field(a, "52", &['A', 'D'])?,
            senders_correspondent: institution_field(a, "53", &['A', 'B', 'D'])?,
            receivers_correspondent: institution_field(a, "54", &['A', 'B', 'D'])?,
            intermediary: institution_field(a, "56", &['A', 'D'])?,
            account_with_institution: institution_field(a, "57", &['A', 'B', 'D'])?,
            beneficiary_institution,
            sender_to_receiver: find(a, "72").map(str::to_string),
            underlying,
        })
    }

    /// Block 3's fields: 119:COV for the cover variant, then 121, the UETR.
    pub fn user_header(&self) -> Fields {
        let cover = self
            .underlying
            .as_ref()
            .map(|_| ("119".to_string(), "COV".to_string()));
        let uetr = self.uetr.iter().map(|u| ("121".to_string(), u.clone()));
        cover.into_iter().chain(uetr).collect()
    }

    /// Block 4's fields in MT202 order, sequence B after sequence A.
    pub fn fields(&self) -> Fields {
        let mut fields = vec![
            ("20".to_string(), self.reference.clone()),
            ("21".to_string(), self.related_reference.clone()),
        ];
        for indication in &self.time_indications {
            fields.push(("13C".to_string(), indication.clone()));
        }
        fields.push((
            "32A".to_string(),
            format!("{}{}{}", self.value_date, self.currency, self.amount),
        ));
        push_institutions(
            &mut fields,
            &[
                ("52", self.ordering_institution.as_ref()),
                ("53", self.senders_correspondent.as_ref()),
                ("54", self.receivers_correspondent.as_ref()),
                ("56", self.intermediary.as_ref()),
                ("57", self.account_with_institution.as_ref()),
                ("58", Some(&self.beneficiary_institution)),
            ],
        );
        push_text(&mut fields, "72", self.sender_to_receiver.as_ref());
        if let Some(underlying) = &self.underlying {
            underlying.push_fields(&mut fields);
        }
        fields
    }
}

impl UnderlyingCustomerTransfer {
    fn read(fields: &[Field]) -> Result<Self, MtError> {
        Ok(UnderlyingCustomerTransfer {
            ordering_customer: party_field(fields, "50", &['A', 'F', 'K'], "50a")?,
            ordering_institution: institution_field(fields, "52", &['A', 'D'])?,
            intermediary: institution_field(fields, "56", &['A', 'C', 'D'])?,
            account_with_institution: institution_field(fields, "57", &['A', 'B', 'C', 'D'])?,
            beneficiary: party_field(fields, "59", &['A', 'F', ' '], "59a")?,
            remittance: find(fields, "70").map(str::to_string),
            sender_to_receiver: find(fields, "72").map(str::to_string),
            instructed: find(fields, "33B").map(currency_amount).transpose()?,
        })
    }

    fn push_fields(&self, fields: &mut Fields) {
        fields.push(party_out("50", &self.ordering_customer));
        push_institutions(
            fields,
            &[
                ("52", self.ordering_institution.as_ref()),
                ("56", self.intermediary.as_ref()),
                ("57", self.account_with_institution.as_ref()),
            ],
        );
        fields.push(party_out("59", &self.beneficiary));
        push_text(fields, "70", self.remittance.as_ref());
        push_text(fields, "72", self.sender_to_receiver.as_ref());
        if let Some((currency, amount)) = &self.instructed {
            fields.push(("33B".to_string(), format!("{currency}{amount}")));
        }
    }
}

/// Sequence A, and sequence B from the first ordering customer field (50a) on.
fn sequences(fields: &[Field]) -> (&[Field], &[Field]) {
    let start = fields
        .iter()
        .position(|(tag, _)| tag.starts_with("50"))
        .unwrap_or(fields.len());
    fields.split_at(start)
}

fn push_text(fields: &mut Fields, tag: &str, text: Option<&String>) {
    if let Some(text) = text {
        fields.push((tag.to_string(), text.clone()));
    }
}
