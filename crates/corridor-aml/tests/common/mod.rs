//! Shared test fixtures: four account holders at banks in four countries, payments between
//! them with complete originator data, and a scheme with every rule switched off so each
//! test turns on only the rule it is about.

#![allow(dead_code)]

use corridor_aml::{
    AccountNumber, AmlConfig, AmlMonitor, OriginatorData, OriginatorIdentification, PartyRef,
    SchemeRules, SettledPayment,
};
use corridor_core::{Bic, CurrencyCode, Timestamp, Uetr};

pub struct Holder {
    pub name: &'static str,
    pub iban: &'static str,
    pub bic: &'static str,
}

pub const ALICE: Holder = Holder {
    name: "Alice Example",
    iban: "DE89370400440532013000",
    bic: "COBADEFF",
};
pub const BOB: Holder = Holder {
    name: "Bob Example",
    iban: "FR1420041010050500013M02606",
    bic: "BNPAFRPP",
};
pub const CAROL: Holder = Holder {
    name: "Carol Example",
    iban: "GB29NWBK60161331926819",
    bic: "NWBKGB2L",
};
pub const DAVE: Holder = Holder {
    name: "Dave Example",
    iban: "NL91ABNA0417164300",
    bic: "ABNANL2A",
};

pub fn eur() -> CurrencyCode {
    "EUR".parse().unwrap()
}

pub fn at(seconds: u64) -> Timestamp {
    Timestamp(seconds * 1_000_000_000)
}

impl Holder {
    pub fn party(&self) -> PartyRef {
        PartyRef {
            account: AccountNumber::Iban(self.iban.to_owned()),
            name: self.name.to_owned(),
        }
    }

    pub fn agent(&self) -> Bic {
        self.bic.parse().unwrap()
    }
}

/// Payment `id` of `amount` euro cents from `from` to `to`, settled `seconds` after the
/// epoch, carrying complete and consistent originator data.
pub fn pay(id: u64, seconds: u64, from: &Holder, to: &Holder, amount: u128) -> SettledPayment {
    SettledPayment {
        payment_id: id,
        uetr: Uetr::from_random_bytes(u128::from(id).to_be_bytes()),
        settled_at: at(seconds),
        currency: eur(),
        amount,
        debtor_agent: from.agent(),
        creditor_agent: to.agent(),
        debtor: from.party(),
        creditor: to.party(),
        originator: OriginatorData {
            originator_name: Some(from.name.to_owned()),
            originator_account: Some(AccountNumber::Iban(from.iban.to_owned())),
            originator_identification: Some(OriginatorIdentification::Address(vec![
                "1 Example Street".to_owned(),
                "Example Town".to_owned(),
            ])),
            beneficiary_name: Some(to.name.to_owned()),
            beneficiary_account: Some(AccountNumber::Iban(to.iban.to_owned())),
        },
    }
}

/// A two-decimal scheme where no rule can fire.
pub fn silent_rules() -> SchemeRules {
    let mut rules = SchemeRules::default();
    rules.structuring.reporting_threshold = 0;
    rules.velocity.min_baseline_count = u64::MAX;
    rules.velocity.min_baseline_value = u128::MAX;
    rules.round_trip.min_amount = u128::MAX;
    rules.pass_through.min_inflow = u128::MAX;
    rules.new_counterparty.threshold = u128::MAX;
    rules.originator_data.de_minimis = u128::MAX;
    rules
}

pub fn monitor(rules: SchemeRules) -> AmlMonitor {
    let config = AmlConfig {
        schemes: [(eur(), rules)].into_iter().collect(),
    };
    AmlMonitor::new(config).unwrap()
}

/// Every alert the payments raise, in order.
pub fn observe_all(
    monitor: &mut AmlMonitor,
    payments: &[SettledPayment],
) -> Vec<corridor_aml::Alert> {
    payments.iter().flat_map(|p| monitor.observe(p)).collect()
}
