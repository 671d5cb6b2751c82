//! `corridor bench iso`: ISO 20022 intake on one core. A corpus of distinct pacs.008.001.08
//! messages, each an `AppHdr` + `Document` pair in an envelope as a bank sends them, goes
//! (1) through the whole intake: `parse_bytes`, then `iso_intake::intake`, which runs the
//! first validation layer (`Message::validate`), the business rules
//! (`Message::check_business_rules`) and maps the message to the hub's `SubmitPayments`
//! command; and (2) through quick-xml's tokenizer alone, configured as the library
//! configures it, as the ceiling any parser built on it could reach. Rounds alternate the
//! two over the whole corpus; the median round of each is reported. The corpus is built
//! before timing, from a seeded generator, through the library's own models and serializer.

use std::hint::black_box;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use corridor_core::{Bic, Uetr};
use corridor_iso20022::{
    AccountIdentification, ActiveCurrencyAndAmount, Agent, BusinessApplicationHeader,
    BusinessContext, BusinessDate, CashAccount, ChargeBearer, CreditTransferTransaction,
    FIToFICstmrCdtTrf, GenericOrganisationIdentification, GroupHeader, OrganisationIdentification,
    PartyIdentification, PaymentIdentification, PostalAddress, Priority, SettlementMethod,
    parse_bytes,
};
use corridor_node::iso_intake::{Intake, intake};
use corridor_settlement::HubCommand;
use quick_xml::Reader;
use quick_xml::events::Event;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::payments::parse;
use super::{Machine, median, met};

#[derive(Args)]
pub struct IsoBenchArgs {
    /// Distinct pacs.008 messages in the corpus.
    #[arg(long, default_value_t = 2_000)]
    messages: usize,
    /// Timed rounds; each runs the intake, then the tokenizer, over the whole corpus.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    #[arg(long)]
    json: bool,
}

const TARGET_PER_S: f64 = 100_000.0;
const TARGET_RATIO: f64 = 0.25;

/// Every message settles on this day, and the business rules run on it.
const SETTLEMENT_DATE: &str = "2026-11-23";

/// The demo corridor's currencies with the decimal places it settles them in.
const SCHEME_CURRENCIES: [(&str, u32); 2] = [("RUB", 2), ("IRR", 0)];

/// A country of the demo corridor: its banks (`corridor_demo`) and their customers.
struct Country {
    code: &'static str,
    currency: &'static str,
    utc_offset: &'static str,
    banks: [&'static str; 4],
    /// Digits of an IBAN after its check digits.
    bban_digits: usize,
    companies: &'static [Company],
    tax_issuer: &'static str,
    /// Lines after the structured address: the office, then the building.
    address_lines: [&'static str; 2],
    remittance: &'static [&'static str],
}

/// A customer of a bank; fictional, like the demo's banks.
struct Company {
    name: &'static str,
    street: &'static str,
    building: &'static str,
    post_code: &'static str,
    town: &'static str,
    building_name: &'static str,
    lei_prefix: &'static str,
}

const COUNTRIES: [Country; 2] = [
    Country {
        code: "RU",
        currency: "RUB",
        utc_offset: "+03:00",
        banks: ["VOLGRUMM", "NEVARUMM", "URALRUMM", "BAIKRUMM"],
        bban_digits: 29,
        companies: &[
            Company {
                name: "ООО «Волга Энергия»",
                street: "улица Тверская",
                building: "7/2",
                post_code: "125009",
                town: "Москва",
                building_name: "бизнес-центр «Тверь»",
                lei_prefix: "2534001VOLGAENERGY",
            },
            Company {
                name: "АО «Северный Транзит» & партнёры",
                street: "Невский проспект",
                building: "28",
                post_code: "191186",
                town: "Санкт-Петербург",
                building_name: "дом Зингера",
                lei_prefix: "2534002SEVTRANSIT0",
            },
            Company {
                name: "ООО «Кубань Агро»",
                street: "улица Красная",
                building: "122",
                post_code: "350000",
                town: "Краснодар",
                building_name: "торговый дом «Кубань»",
                lei_prefix: "2534003KUBANAGRO00",
            },
            Company {
                name: "Ural Steel Trading LLC",
                street: "Lenin Avenue",
                building: "51",
                post_code: "620075",
                town: "Yekaterinburg",
                building_name: "Business Centre Iset",
                lei_prefix: "2534004URALSTEEL00",
            },
        ],
        tax_issuer: "ФНС России",
        address_lines: ["офис", "корпус Б, подъезд 3"],
        remittance: &[
            "Оплата по договору поставки газа № {n}/2026, счёт-фактура",
            "Payment for spare parts under contract {n}/2026, invoice",
            "Оплата за пшеницу, партия {n}, коммерческий счёт <опт> & доставка",
        ],
    },
    Country {
        code: "IR",
        currency: "IRR",
        utc_offset: "+03:30",
        banks: ["ZAGRIRTH", "ALBRIRTH", "KARUIRTH", "PARSIRTH"],
        bban_digits: 22,
        companies: &[
            Company {
                name: "شرکت پتروشیمی خلیج فارس",
                street: "خیابان ولیعصر",
                building: "۱۲۴",
                post_code: "1516743311",
                town: "تهران",
                building_name: "برج آرین",
                lei_prefix: "2534005KHALIJFARS0",
            },
            Company {
                name: "شرکت حمل و نقل دریای خزر",
                street: "بلوار امام رضا",
                building: "۷۶",
                post_code: "9175698411",
                town: "مشهد",
                building_name: "مجتمع تجاری خزر",
                lei_prefix: "2534006DARYAKHAZAR",
            },
            Company {
                name: "شرکت بازرگانی آریا پارس",
                street: "خیابان چهارباغ عباسی",
                building: "۳۱",
                post_code: "8173835111",
                town: "اصفهان",
                building_name: "ساختمان پارس",
                lei_prefix: "2534007ARYAPARS000",
            },
            Company {
                name: "Khuzestan Agro Industries",
                street: "Kianpars Avenue",
                building: "12",
                post_code: "6155689467",
                town: "Ahvaz",
                building_name: "Karun Tower",
                lei_prefix: "2534008KHUZAGRO000",
            },
        ],
        tax_issuer: "سازمان امور مالیاتی",
        address_lines: ["طبقه", "واحد ۴، ورودی شمالی"],
        remittance: &[
            "پرداخت فاکتور شماره {n} بابت حمل کالا",
            "Freight forwarding, Caspian route Astrakhan-Anzali, invoice {n}",
            "پرداخت قرارداد {n} خرید قطعات یدکی",
        ],
    },
];

const PURPOSES: [&str; 5] = ["GASB", "SUPP", "GDDS", "TRAD", "ELEC"];

/// One message of the corpus: the participant that sends it and its bytes.
struct Sample {
    sender: Bic,
    xml: String,
}

/// `AppHdr` + `Document` inside a wrapper, shaped as the library's tests shape envelopes.
fn envelope(header: &str, document: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BizMsgEnvlp>\n<Message>\n{header}\n{document}</Message>\n</BizMsgEnvlp>\n"
    )
}

fn digits(rng: &mut StdRng, count: usize) -> String {
    (0..count)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// An IBAN of `country` whose ISO 7064 mod-97 check digits hold.
fn iban(rng: &mut StdRng, country: &Country) -> String {
    let bban = digits(rng, country.bban_digits);
    let remainder = bban
        .bytes()
        .chain(country.code.bytes())
        .chain(*b"00")
        .fold(0u32, |r, b| {
            if b.is_ascii_digit() {
                (r * 10 + u32::from(b - b'0')) % 97
            } else {
                (r * 100 + u32::from(b - b'A' + 10)) % 97
            }
        });
    format!("{}{:02}{bban}", country.code, 98 - remainder)
}

fn agent(bic: &str) -> Agent {
    Agent {
        bicfi: Some(bic.to_owned()),
    }
}

fn customer(rng: &mut StdRng, country: &Country) -> PartyIdentification {
    let company = &country.companies[rng.random_range(0..country.companies.len())];
    let office = rng.random_range(1..900);
    PartyIdentification {
        name: Some(company.name.to_owned()),
        postal_address: Some(PostalAddress {
            street_name: Some(company.street.to_owned()),
            building_number: Some(company.building.to_owned()),
            post_code: Some(company.post_code.to_owned()),
            town_name: Some(company.town.to_owned()),
            country: Some(country.code.to_owned()),
            address_lines: vec![
                format!(
                    "{} {office}, {}",
                    country.address_lines[0], company.building_name
                ),
                country.address_lines[1].to_owned(),
            ],
        }),
        organisation_identification: Some(OrganisationIdentification {
            any_bic: None,
            lei: Some(format!("{}{}", company.lei_prefix, digits(rng, 2))),
            other: vec![
                GenericOrganisationIdentification {
                    identification: digits(rng, 10),
                    scheme_name_code: Some("TXID".to_owned()),
                    issuer: Some(country.tax_issuer.to_owned()),
                },
                GenericOrganisationIdentification {
                    identification: digits(rng, 13),
                    scheme_name_code: Some("COID".to_owned()),
                    issuer: None,
                },
            ],
        }),
        country_of_residence: Some(country.code.to_owned()),
    }
}

/// Log-uniform from 1,000 to 50,000,000 roubles, in kopecks, or in whole rials at about
/// 500 to the rouble.
fn amount(rng: &mut StdRng, country: &Country) -> String {
    let major = 10f64.powf(rng.random_range(3.0..7.7)) as u64;
    match country.currency {
        "IRR" => (u128::from(major) * 500).to_string(),
        _ => format!("{major}.{:02}", rng.random_range(0..100)),
    }
}

fn transaction(
    rng: &mut StdRng,
    country: &Country,
    (sender, receiver): (&str, &str),
    n: usize,
    amount: &ActiveCurrencyAndAmount,
) -> CreditTransferTransaction {
    let remittance = country.remittance[rng.random_range(0..country.remittance.len())];
    let charge_bearers = [
        ChargeBearer::Shared,
        ChargeBearer::BorneByDebtor,
        ChargeBearer::BorneByCreditor,
    ];
    CreditTransferTransaction {
        payment_identification: PaymentIdentification {
            instruction_identification: Some(format!("{sender}-{n:08}")),
            end_to_end_identification: format!("E2E-2026/{}-{n}", digits(rng, 6)),
            transaction_identification: Some(format!("TX-{sender}-{n:08}")),
            uetr: Some(Uetr::from_random_bytes(rng.random()).to_string()),
        },
        instruction_priority: Some(if rng.random_range(0..5) == 0 {
            Priority::High
        } else {
            Priority::Normal
        }),
        interbank_settlement_amount: amount.clone(),
        interbank_settlement_date: Some(SETTLEMENT_DATE.to_owned()),
        settlement_time_request: None,
        instructed_amount: None,
        exchange_rate: None,
        charge_bearer: charge_bearers[rng.random_range(0..charge_bearers.len())],
        instructing_agent: Some(agent(sender)),
        instructed_agent: Some(agent(receiver)),
        ultimate_debtor: None,
        debtor: customer(rng, country),
        debtor_account: Some(CashAccount {
            identification: AccountIdentification::Iban(iban(rng, country)),
        }),
        debtor_agent: agent(sender),
        creditor_agent: agent(receiver),
        creditor: customer(rng, country),
        creditor_account: Some(CashAccount {
            identification: AccountIdentification::Iban(iban(rng, country)),
        }),
        ultimate_creditor: None,
        instructions_for_next_agent: Vec::new(),
        purpose_code: Some(PURPOSES[rng.random_range(0..PURPOSES.len())].to_owned()),
        remittance_information_unstructured: vec![remittance.replace("{n}", &digits(rng, 5))],
    }
}

/// The `n`th message: a customer transfer between two banks of one country of the corridor.
fn sample(rng: &mut StdRng, n: usize) -> Sample {
    let country = &COUNTRIES[rng.random_range(0..COUNTRIES.len())];
    let sender = country.banks[rng.random_range(0..country.banks.len())];
    let receiver = loop {
        let bank = country.banks[rng.random_range(0..country.banks.len())];
        if bank != sender {
            break bank;
        }
    };
    let message_identification = format!("{sender}-20261123-{n:06}");
    let created = format!(
        "{SETTLEMENT_DATE}T{:02}:{:02}:{:02}.{:03}{}",
        rng.random_range(8..18),
        rng.random_range(0..60),
        rng.random_range(0..60),
        rng.random_range(0..1000),
        country.utc_offset
    );
    let amount = ActiveCurrencyAndAmount {
        amount: amount(rng, country),
        currency: country.currency.to_owned(),
    };
    let document = FIToFICstmrCdtTrf {
        group_header: GroupHeader {
            total_interbank_settlement_amount: Some(amount.clone()),
            ..GroupHeader::one_transaction(
                message_identification.clone(),
                created.clone(),
                SettlementMethod::ClearingSystem,
            )
        },
        credit_transfer_transactions: vec![transaction(
            rng,
            country,
            (sender, receiver),
            n,
            &amount,
        )],
    };
    let header = BusinessApplicationHeader {
        from: agent(sender),
        to: agent(receiver),
        business_message_identifier: message_identification,
        message_definition_identifier: "pacs.008.001.08".to_owned(),
        business_service: Some("swift.cbprplus.02".to_owned()),
        creation_date: created,
    };
    Sample {
        sender: parse(sender),
        xml: envelope(&header.to_xml(), &document.to_xml()),
    }
}

fn corpus(messages: usize) -> Vec<Sample> {
    let mut rng = StdRng::seed_from_u64(20_022);
    (0..messages).map(|n| sample(&mut rng, n)).collect()
}

/// What one pass of the intake over the corpus accepted and refused.
#[derive(Default)]
struct Tally {
    accepted: usize,
    refused: usize,
    first_refusal: Option<String>,
}

/// The whole intake of one input: the payments of the hub command it becomes, or why not.
fn take_in(sample: &Sample, business: &BusinessContext) -> Result<usize, String> {
    let messages = parse_bytes(black_box(sample.xml.as_bytes())).map_err(|e| e.to_string())?;
    let mut payments = 0;
    for message in messages {
        match intake(message, sample.sender, business) {
            Ok(Intake::Payments(HubCommand::SubmitPayments { payments: p, .. })) => {
                payments += black_box(p).len();
            }
            Ok(other) => return Err(format!("not a payment command: {other:?}")),
            Err(refusal) => return Err(refusal.rejection().to_string()),
        }
    }
    Ok(payments)
}

/// Messages per second through the intake, over the whole corpus.
fn intake_round(corpus: &[Sample], business: &BusinessContext, tally: &mut Tally) -> f64 {
    let started = Instant::now();
    for sample in corpus {
        match take_in(sample, business) {
            Ok(payments) if payments > 0 => tally.accepted += 1,
            Ok(_) => refuse(tally, "no payment in the command".to_owned()),
            Err(why) => refuse(tally, why),
        }
    }
    corpus.len() as f64 / started.elapsed().as_secs_f64()
}

fn refuse(tally: &mut Tally, why: String) {
    tally.refused += 1;
    tally.first_refusal.get_or_insert(why);
}

/// Events in `xml`, read as `corridor_iso20022` configures its reader.
fn tokenize(xml: &str) -> Result<usize, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut events = 0;
    loop {
        match reader.read_event()? {
            Event::Eof => return Ok(events),
            event => {
                black_box(event);
                events += 1;
            }
        }
    }
}

/// Messages per second through the tokenizer alone, and the events it read.
fn tokenizer_round(corpus: &[Sample]) -> anyhow::Result<(f64, usize)> {
    let started = Instant::now();
    let mut events = 0;
    for sample in corpus {
        events += tokenize(black_box(&sample.xml)).context("tokenizing a corpus message")?;
    }
    let per_s = corpus.len() as f64 / started.elapsed().as_secs_f64();
    Ok((per_s, black_box(events)))
}

pub fn run(args: IsoBenchArgs) -> anyhow::Result<()> {
    if args.messages == 0 || args.rounds == 0 {
        bail!("--messages and --rounds must be at least 1");
    }
    let business_date =
        BusinessDate::parse(SETTLEMENT_DATE).context("the settlement date is a real day")?;
    let business = BusinessContext {
        business_date,
        max_forward_days: 0,
        currencies: &SCHEME_CURRENCIES,
    };
    let corpus = corpus(args.messages);
    let bytes: usize = corpus.iter().map(|s| s.xml.len()).sum();
    let bytes_per_message = bytes / corpus.len();
    let mut tally = Tally::default();
    let mut intake_rates = Vec::with_capacity(args.rounds);
    let mut tokenizer_rates = Vec::with_capacity(args.rounds);
    let mut events = 0;
    for _ in 0..args.rounds {
        intake_rates.push(intake_round(&corpus, &business, &mut tally));
        let (rate, read) = tokenizer_round(&corpus)?;
        tokenizer_rates.push(rate);
        events = read;
    }
    if tally.refused > 0 {
        bail!(
            "{} of {} intakes refused a corpus message; the first: {}",
            tally.refused,
            tally.refused + tally.accepted,
            tally.first_refusal.unwrap_or_default()
        );
    }
    let pacs008_per_s = median(intake_rates.clone());
    let tokenizer_per_s = median(tokenizer_rates.clone());
    let ratio = pacs008_per_s / tokenizer_per_s;
    let rate_met = pacs008_per_s >= TARGET_PER_S;
    let ratio_met = ratio >= TARGET_RATIO;
    let mb_per_s = |per_s: f64| per_s * bytes_per_message as f64 / 1e6;
    if args.json {
        let out = serde_json::json!({
            "pacs008_per_s": pacs008_per_s,
            "tokenizer_per_s": tokenizer_per_s,
            "ratio_to_tokenizer": ratio,
            "pacs008_mb_per_s": mb_per_s(pacs008_per_s),
            "tokenizer_mb_per_s": mb_per_s(tokenizer_per_s),
            "bytes_per_message": bytes_per_message,
            "events_per_message": events / corpus.len(),
            "messages": corpus.len(),
            "rounds": args.rounds,
            "pacs008_per_s_by_round": intake_rates,
            "tokenizer_per_s_by_round": tokenizer_rates,
            "accepted": tally.accepted,
            "refused": tally.refused,
            "targets": {
                "pacs008_per_s": TARGET_PER_S,
                "ratio_to_tokenizer": TARGET_RATIO,
            },
            "targets_met": rate_met && ratio_met,
            "machine": Machine::detect(),
        });
        println!("{out}");
        return Ok(());
    }
    println!(
        "corpus: {} distinct pacs.008.001.08 messages (AppHdr + Document in an envelope), {} bytes and {} XML events each on average; median of {} rounds, one thread",
        corpus.len(),
        bytes_per_message,
        events / corpus.len(),
        args.rounds
    );
    println!(
        "(1) intake: parse, validate, business rules, hub command {:>10.0} messages/s  ({:>6.1} MB/s; over all rounds {} accepted, {} refused)",
        pacs008_per_s,
        mb_per_s(pacs008_per_s),
        tally.accepted,
        tally.refused
    );
    println!(
        "(2) quick-xml tokenizer alone, same bytes                {:>10.0} messages/s  ({:>6.1} MB/s)",
        tokenizer_per_s,
        mb_per_s(tokenizer_per_s)
    );
    println!("ratio: intake / tokenizer {ratio:.3}");
    println!(
        "targets: intake ≥ {TARGET_PER_S:.0} messages/s per core {}; intake / tokenizer ≥ {TARGET_RATIO} {}",
        met(rate_met),
        met(ratio_met)
    );
    let machine = Machine::detect();
    println!(
        "machine: {} CPUs, {}, {} GiB",
        machine.cpus, machine.cpu_model, machine.memory_gib
    );
    Ok(())
}
