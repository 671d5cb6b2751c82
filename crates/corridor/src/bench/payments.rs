//! The payments `bench api` and `bench ledger` send: the demo corridor's banks of each
//! currency with their customers (Cyrillic and Persian names, postal addresses, tax ids),
//! customer credit transfers between banks of one currency with full party data, and the
//! request bodies carrying them, all generated from a seed before timing starts.

use corridor_core::{Bic, CurrencyCode, Uetr};
use corridor_settlement::{
    CashAccount, ChargeBearer, Party, PartyIdentification, PaymentInstruction, PaymentKind,
    PostalAddress, Priority,
};
use hyper::header::HeaderValue;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The demo corridor's banks (see `corridor_demo`), by currency.
pub(super) struct CurrencyBanks {
    pub(super) currency: &'static str,
    pub(super) agent: &'static str,
    pub(super) banks: [&'static str; 4],
    /// Added to each bank's settlement account before the run: about ten times the volume
    /// the largest default workload could move out of one bank.
    pub(super) top_up: &'static str,
    /// Decimal places of the currency in the scheme, and the agent's time zone.
    pub(super) exponent: u8,
    pub(super) time_zone: &'static str,
    /// Amounts in whole rials at a rough 500 to the rouble, else in roubles and kopecks.
    irr: bool,
    pub(super) country: &'static str,
    parties: &'static [PartyData],
}

/// The bench's customers are invented, and none of them is a hit against the UN or OFAC
/// list of `scripts/fetch-watchlists.sh` (`corridor screen` each against both), so that a
/// run with the real lists settles every payment, as one without them does.
pub(super) struct PartyData {
    name: &'static str,
    street: &'static str,
    building: &'static str,
    post_code: &'static str,
    town: &'static str,
    /// Tax number (INN in Russia, national id in Iran); None for a private person.
    tax_id: Option<&'static str>,
}

const RUB_PARTIES: &[PartyData] = &[
    PartyData {
        name: "ООО «Волга Энергия»",
        street: "ул. Садовая-Спасская",
        building: "21/1",
        post_code: "107078",
        town: "Москва",
        tax_id: Some("7708123456"),
    },
    PartyData {
        name: "АО «Северный Транзит»",
        street: "Невский проспект",
        building: "88",
        post_code: "191025",
        town: "Санкт-Петербург",
        tax_id: Some("7841098765"),
    },
    PartyData {
        name: "ООО «Ставропольский Элеватор»",
        street: "ул. Ленина",
        building: "176",
        post_code: "355035",
        town: "Ставрополь",
        tax_id: Some("2310187654"),
    },
    PartyData {
        name: "ПАО «Астраханский Морской Порт»",
        street: "ул. Капитана Краснова",
        building: "31",
        post_code: "414018",
        town: "Астрахань",
        tax_id: Some("3015011223"),
    },
    PartyData {
        name: "Петров Иван Сергеевич",
        street: "ул. Ленина",
        building: "14, кв. 52",
        post_code: "620014",
        town: "Екатеринбург",
        tax_id: None,
    },
];

const IRR_PARTIES: &[PartyData] = &[
    PartyData {
        name: "شرکت پتروشیمی خلیج فارس",
        street: "خیابان ولیعصر",
        building: "2245",
        post_code: "1966913111",
        town: "Tehran",
        tax_id: Some("10101234567"),
    },
    PartyData {
        name: "شرکت حمل و نقل دریای خزر",
        street: "بلوار امام خمینی",
        building: "118",
        post_code: "4713645581",
        town: "Babol",
        tax_id: Some("10860054321"),
    },
    PartyData {
        name: "Khuzestan Agro Industries",
        street: "Kianpars, 7th Street East",
        building: "35",
        post_code: "6155689451",
        town: "Ahvaz",
        tax_id: Some("10530987654"),
    },
    PartyData {
        name: "Bandar Abbas Container Terminal Co.",
        street: "Shahid Rajaee Port Road",
        building: "1",
        post_code: "7915614543",
        town: "Bandar Abbas",
        tax_id: Some("10200456789"),
    },
    PartyData {
        name: "Parisa Sadeghi",
        street: "Chaharbagh Abbasi Street",
        building: "76",
        post_code: "8173835111",
        town: "Isfahan",
        tax_id: None,
    },
];

pub(super) const CURRENCIES: [CurrencyBanks; 2] = [
    CurrencyBanks {
        currency: "RUB",
        agent: "CBRFRUMM",
        banks: ["VOLGRUMM", "NEVARUMM", "URALRUMM", "BAIKRUMM"],
        top_up: "10000000000000.00",
        exponent: 2,
        time_zone: "Europe/Moscow",
        irr: false,
        country: "RU",
        parties: RUB_PARTIES,
    },
    CurrencyBanks {
        currency: "IRR",
        agent: "CBIRIRTH",
        banks: ["ZAGRIRTH", "ALBRIRTH", "KARUIRTH", "PARSIRTH"],
        top_up: "5000000000000000",
        exponent: 0,
        time_zone: "Asia/Tehran",
        irr: true,
        country: "IR",
        parties: IRR_PARTIES,
    },
];

/// ISO 20022 purpose code and the remittance text that goes with it.
const PURPOSES: [(&str, &str); 6] = [
    (
        "GASB",
        "Natural gas deliveries, contract 2026/EN-114, invoice",
    ),
    (
        "ELEC",
        "Electricity supply for November, meter group 7, invoice",
    ),
    (
        "SUPP",
        "Freight forwarding, Caspian route Astrakhan-Anzali, invoice",
    ),
    (
        "GDDS",
        "Wheat shipment, 12,000 t, lot 44, commercial invoice",
    ),
    (
        "TRAD",
        "Payment for spare parts under contract 18/2026, invoice",
    ),
    ("FAMI", "Family support remittance, transfer"),
];

pub(super) fn parse<T: std::str::FromStr>(text: &str) -> T {
    text.parse()
        .unwrap_or_else(|_| unreachable!("bench constant {text} is valid"))
}

/// One bank in the run: its BIC, the index of its currency in [`CURRENCIES`], its token.
pub(super) struct Sender {
    pub(super) bic: Bic,
    pub(super) currency: usize,
    pub(super) auth: HeaderValue,
}

fn party(data: &PartyData, country: &str) -> Party {
    Party {
        name: data.name.to_string(),
        postal_address: Some(PostalAddress {
            street_name: Some(data.street.to_string()),
            building_number: Some(data.building.to_string()),
            post_code: Some(data.post_code.to_string()),
            town_name: Some(data.town.to_string()),
            country: Some(country.to_string()),
            address_lines: Vec::new(),
        }),
        identification: data.tax_id.map(|id| PartyIdentification {
            other_id: Some(id.to_string()),
            other_scheme: Some("TXID".to_string()),
            ..PartyIdentification::default()
        }),
        country_of_residence: Some(country.to_string()),
    }
}

fn customer_account(rng: &mut StdRng, country: &str) -> CashAccount {
    let other = if country == "RU" {
        // A Russian settlement account number: balance account 40702, currency 810, ...
        format!("40702810{:012}", rng.random_range(0..1_000_000_000_000u64))
    } else {
        format!("0{:012}", rng.random_range(0..1_000_000_000_000u64))
    };
    CashAccount {
        iban: None,
        other: Some(other),
    }
}

/// A customer credit transfer from `sender` to another bank of its currency. `tag` and `n`
/// make the instruction id unique.
pub(super) fn payment(
    rng: &mut StdRng,
    senders: &[Sender],
    sender: usize,
    tag: char,
    n: usize,
) -> PaymentInstruction {
    let c = &CURRENCIES[senders[sender].currency];
    let receiver = loop {
        let r = parse::<Bic>(c.banks[rng.random_range(0..c.banks.len())]);
        if r != senders[sender].bic {
            break r;
        }
    };
    // Log-uniform from 1,000 to 50,000,000 roubles: mostly small, some large.
    let major = 10f64.powf(rng.random_range(3.0..7.7)) as u64;
    let amount = if c.irr {
        (u128::from(major) * 500).to_string()
    } else {
        format!("{major}.{:02}", rng.random_range(0..100))
    };
    let debtor = &c.parties[rng.random_range(0..c.parties.len())];
    let creditor = &c.parties[rng.random_range(0..c.parties.len())];
    let (purpose, text) = PURPOSES[rng.random_range(0..PURPOSES.len())];
    let priority = match rng.random_range(0..20) {
        0 => Priority::Urgent,
        1..=3 => Priority::High,
        _ => Priority::Normal,
    };
    PaymentInstruction {
        kind: PaymentKind::CustomerCreditTransfer,
        instruction_id: format!("BENCH-{tag}-{n:010}"),
        end_to_end_id: format!("E2E-{tag}{n:010}-{:04}", rng.random_range(0..10_000)),
        uetr: Uetr::generate(),
        amount,
        currency: parse::<CurrencyCode>(c.currency),
        instructed_agent: receiver,
        debtor: party(debtor, c.country),
        debtor_account: Some(customer_account(rng, c.country)),
        debtor_agent: None,
        creditor: party(creditor, c.country),
        creditor_account: Some(customer_account(rng, c.country)),
        creditor_agent: None,
        ultimate_debtor: None,
        ultimate_creditor: None,
        charge_bearer: ChargeBearer::Shared,
        purpose: Some(purpose.to_string()),
        remittance_information: Some(format!("{text} {}", 100_000 + n)),
        priority,
        quote: None,
        settlement_date: None,
        when_closed: None,
        settlement_time: None,
    }
}

/// One request ready to send: the sending bank and the serialised body.
pub(super) struct Prepared {
    pub(super) sender: usize,
    pub(super) payments: usize,
    /// JSON, so valid UTF-8: a `String` is a body hyper takes as it is.
    pub(super) body: String,
}

/// One payment per request; `tag` keeps the instruction ids of different runs apart.
pub(super) fn prepare_single(
    senders: &[Sender],
    n: usize,
    tag: char,
    seed: u64,
) -> anyhow::Result<Vec<Prepared>> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let sender = rng.random_range(0..senders.len());
            let p = payment(&mut rng, senders, sender, tag, i);
            Ok(Prepared {
                sender,
                payments: 1,
                body: serde_json::to_string(&p)?,
            })
        })
        .collect()
}

/// Batches, each from one sender (a bank sends its own payments).
pub(super) fn prepare_batches(
    senders: &[Sender],
    n: usize,
    batch_size: usize,
) -> anyhow::Result<Vec<Prepared>> {
    let mut rng = StdRng::seed_from_u64(13);
    let mut out = Vec::with_capacity(n.div_ceil(batch_size));
    let mut done = 0;
    while done < n {
        let count = batch_size.min(n - done);
        let sender = rng.random_range(0..senders.len());
        let mut body = Vec::with_capacity(count * 1_100);
        body.extend_from_slice(b"{\"payments\":[");
        for i in done..done + count {
            if i > done {
                body.push(b',');
            }
            serde_json::to_writer(&mut body, &payment(&mut rng, senders, sender, 'B', i))?;
        }
        body.extend_from_slice(b"]}");
        out.push(Prepared {
            sender,
            payments: count,
            body: String::from_utf8(body)?,
        });
        done += count;
    }
    Ok(out)
}

/// Every bank of the demo corridor as a sender, in `CURRENCIES` order, each with `auth`.
pub(super) fn every_bank(auth: HeaderValue) -> Vec<Sender> {
    CURRENCIES
        .iter()
        .enumerate()
        .flat_map(|(currency, c)| {
            let auth = auth.clone();
            c.banks.iter().map(move |b| Sender {
                bic: parse(b),
                currency,
                auth: auth.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn senders() -> Vec<Sender> {
        every_bank(HeaderValue::from_static("Bearer test"))
    }

    #[test]
    fn generated_payments_pass_the_hubs_checks() {
        let senders = senders();
        let mut rng = StdRng::seed_from_u64(1);
        for n in 0..500 {
            let s = n % senders.len();
            let p = payment(&mut rng, &senders, s, 'T', n);
            assert!(p.check().is_ok(), "{p:?}");
            assert_ne!(p.instructed_agent, senders[s].bic);
            assert_eq!(p.currency, parse(CURRENCIES[senders[s].currency].currency));
        }
        let batches = prepare_batches(&senders, 25, 10).unwrap();
        assert_eq!(
            batches.iter().map(|b| b.payments).collect::<Vec<_>>(),
            [10, 10, 5]
        );
        let parsed: serde_json::Value = serde_json::from_str(&batches[2].body).unwrap();
        assert_eq!(parsed["payments"].as_array().map(Vec::len), Some(5));
    }
}
