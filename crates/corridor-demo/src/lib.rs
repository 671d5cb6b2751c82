//! The demo corridor, for `corridor up --demo` and the node's integration tests, kept out of
//! the node's library since no production node runs it: an operator, a settlement agent for
//! RUB (Europe/Moscow) and one for IRR (Asia/Tehran), four fictional banks per country with
//! settlement accounts in their home currency (two per country also in the other one),
//! initial liquidity, two FX providers quoting RUB/IRR from funded inventory, the agents'
//! sample reference rates, development tokens, and a generator of realistic payments, some
//! of them cross-currency (quote, then pay). Every step is idempotent, so starting the demo
//! again on the same data directory changes nothing but keeps the generator going (and
//! republishes a provider's sheet only once it has expired).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use corridor_core::{Bic, CurrencyCode, Uetr};
use corridor_settlement::fx::rate::Rate;
use corridor_settlement::fx::sheet::{PairRequest, RateSheetRequest, TierRequest};
use corridor_settlement::{
    AccountPurpose, Answer, CashAccount, ChargeBearer, HubCommand, LiquidityDirection,
    LiquiditySavingConfig, ParticipantRole, Party, PaymentInstruction, PaymentKind, PostalAddress,
    Priority, QuoteRequest, Rejection,
};
use rand::Rng;
use rand::seq::IndexedRandom;

use corridor_node::AppState;
use corridor_node::auth::new_token;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo setup refused: {0}")]
    Refused(Rejection),
    #[error(transparent)]
    Engine(#[from] corridor_engine::EngineError),
    #[error("demo credentials file {path}: {reason}")]
    Credentials { path: String, reason: String },
}

struct Country {
    currency: &'static str,
    exponent: u8,
    country: &'static str,
    time_zone: &'static str,
    agent: (&'static str, &'static str),
    banks: [(&'static str, &'static str); 4],
    /// Initial liquidity of each bank in its home currency.
    funding: &'static str,
    /// Liquidity of the banks that also hold the other currency.
    foreign_funding: &'static str,
    companies: [&'static str; 4],
    town: &'static str,
}

/// Fictional institutions and companies; the BICs are well formed but belong to nobody.
const COUNTRIES: [Country; 2] = [
    Country {
        currency: "RUB",
        exponent: 2,
        country: "RU",
        time_zone: "Europe/Moscow",
        agent: ("CBRFRUMM", "Central Bank (RUB settlement agent, demo)"),
        banks: [
            ("VOLGRUMM", "Volga Commercial Bank"),
            ("NEVARUMM", "Neva Trade Bank"),
            ("URALRUMM", "Ural Industrial Bank"),
            ("BAIKRUMM", "Baikal Savings Bank"),
        ],
        funding: "5000000000.00",
        foreign_funding: "1000000000.00",
        companies: [
            "ООО «Волга Энергия»",
            "АО «Северный Транзит»",
            "ООО «Кубань Агро»",
            "Petrov Ivan Sergeevich",
        ],
        town: "Москва",
    },
    Country {
        currency: "IRR",
        exponent: 0,
        country: "IR",
        time_zone: "Asia/Tehran",
        agent: ("CBIRIRTH", "Central Bank (IRR settlement agent, demo)"),
        banks: [
            ("ZAGRIRTH", "Zagros Bank"),
            ("ALBRIRTH", "Alborz Bank"),
            ("KARUIRTH", "Karun Bank"),
            ("PARSIRTH", "Pars Trade Bank"),
        ],
        funding: "500000000000000",
        foreign_funding: "100000000000000",
        companies: [
            "شرکت پتروشیمی خلیج فارس",
            "شرکت حمل و نقل دریای خزر",
            "Khuzestan Agro Industries",
            "Mohammad Rezaei",
        ],
        town: "Tehran",
    },
];

/// FX providers: BIC, name, country, inventory (RUB, IRR), and their RUB/IRR sheet: bid, ask,
/// a better tier from 10,000,000.00 RUB, and fees.
struct Provider {
    bic: &'static str,
    name: &'static str,
    country: &'static str,
    inventory: [&'static str; 2],
    bid: &'static str,
    ask: &'static str,
    tier_bid: &'static str,
    tier_ask: &'static str,
    fee_in_base: &'static str,
    fee_in_quote: &'static str,
}

const PROVIDERS: [Provider; 2] = [
    Provider {
        bic: "CASPRUMM",
        name: "Caspian Exchange House",
        country: "RU",
        inventory: ["2000000000.00", "1000000000000000"],
        bid: "514.20",
        ask: "517.80",
        tier_bid: "514.90",
        tier_ask: "517.10",
        fee_in_base: "150.00",
        fee_in_quote: "75000",
    },
    Provider {
        bic: "SILKIRTH",
        name: "Silk Road Exchange",
        country: "IR",
        inventory: ["2000000000.00", "1000000000000000"],
        bid: "513.75",
        ask: "516.90",
        tier_bid: "514.60",
        tier_ask: "516.20",
        fee_in_base: "0.00",
        fee_in_quote: "50000",
    },
];

/// The agents' sample reference rates.
pub const DEMO_REFERENCE_RATES: &str = include_str!("../reference-rates.csv");

/// A week: the longest a sheet may be valid.
const SHEET_VALIDITY_SECONDS: u32 = corridor_settlement::fx::sheet::MAX_VALIDITY_SECONDS;

/// Banks (by index) of each country that also hold a settlement account in the other
/// country's currency.
const CROSS_HOLDERS: [usize; 2] = [0, 1];

/// Purposes and what they look like: ISO 20022 purpose code, a remittance text, and the range
/// of amounts in major RUB units (converted for IRR at a rough demo scale).
const PURPOSES: [(&str, &str, u64, u64); 5] = [
    (
        "GASB",
        "Natural gas deliveries, contract 2026/EN-114",
        50_000_000,
        500_000_000,
    ),
    (
        "ELEC",
        "Electricity supply, November",
        5_000_000,
        80_000_000,
    ),
    (
        "SUPP",
        "Freight forwarding Caspian route, invoice 7731",
        200_000,
        9_000_000,
    ),
    (
        "GDDS",
        "Wheat shipment, 12,000 t, lot 44",
        10_000_000,
        120_000_000,
    ),
    ("FAMI", "Family support remittance", 5_000, 150_000),
];

async fn run(state: &AppState, command: HubCommand) -> Result<(), DemoError> {
    state
        .engine
        .submit_async(command)
        .await?
        .map_err(DemoError::Refused)?;
    Ok(())
}

fn bic(text: &str) -> Bic {
    // The demo's constants are checked by the tests of this module.
    text.parse()
        .unwrap_or_else(|_| unreachable!("demo BIC {text} is valid"))
}

fn currency(text: &str) -> CurrencyCode {
    text.parse()
        .unwrap_or_else(|_| unreachable!("demo currency {text} is valid"))
}

/// Creates the reference corridor (idempotently) and returns the development credentials,
/// kept in `credentials.json` in the data directory so a restart prints the same ones.
pub async fn seed(
    state: &Arc<AppState>,
    data_dir: &Path,
) -> Result<BTreeMap<String, String>, DemoError> {
    for c in &COUNTRIES {
        run(
            state,
            HubCommand::AdmitParticipant {
                bic: bic(c.agent.0),
                name: c.agent.1.to_string(),
                country: c.country.to_string(),
                roles: vec![ParticipantRole::SettlementAgent],
            },
        )
        .await?;
        run(
            state,
            HubCommand::DesignateAgent {
                currency: currency(c.currency),
                exponent: c.exponent,
                agent: bic(c.agent.0),
                time_zone: c.time_zone.to_string(),
            },
        )
        .await?;
        for (b, name) in c.banks {
            run(
                state,
                HubCommand::AdmitParticipant {
                    bic: bic(b),
                    name: name.to_string(),
                    country: c.country.to_string(),
                    roles: vec![ParticipantRole::DirectParticipant],
                },
            )
            .await?;
        }
    }
    seed_fx(state).await?;
    for (i, c) in COUNTRIES.iter().enumerate() {
        let other = &COUNTRIES[1 - i];
        for (n, (b, _)) in c.banks.iter().enumerate() {
            open_and_fund(state, b, c, c.funding, AccountPurpose::Settlement).await?;
            if CROSS_HOLDERS.contains(&n) {
                open_and_fund(
                    state,
                    b,
                    other,
                    other.foreign_funding,
                    AccountPurpose::Settlement,
                )
                .await?;
            }
        }
    }
    seed_watchlist(state).await?;
    seed_monitoring(state).await?;
    seed_calendars(state).await?;
    seed_liquidity_saving(state).await?;
    let credentials = credentials(state, data_dir).await?;
    state
        .refresh_directory()
        .await
        .map_err(|e| DemoError::Refused(e.rejection))?;
    Ok(credentials)
}

/// Loads the shipped RUB and IRR calendars, so `corridor calendar show` has real dates to
/// show. No schedule is set: the demo's currencies stay always open, whatever the day. A
/// calendar already loaded is a duplicate, so a restart changes nothing.
async fn seed_calendars(state: &AppState) -> Result<(), DemoError> {
    for (_, text) in corridor_calendar::SHIPPED {
        let code = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("currency,"));
        let Some(Ok(currency)) = code.map(|c| c.trim().parse::<CurrencyCode>()) else {
            continue;
        };
        let command = HubCommand::LoadCalendar {
            currency,
            text: text.to_string(),
        };
        run(state, command).await?;
    }
    Ok(())
}

/// Offsetting on entry and the queue optimisation every minute, unless the operator has
/// set liquidity saving already (a restart keeps what it set).
async fn seed_liquidity_saving(state: &AppState) -> Result<(), DemoError> {
    let untouched = state
        .engine
        .query_async(|hub| *hub.liquidity_saving_config() == LiquiditySavingConfig::default())
        .await
        .map_err(|e| DemoError::Refused(Rejection::new("UNAV", e.to_string())))?;
    if !untouched {
        return Ok(());
    }
    let config = LiquiditySavingConfig {
        offsetting: true,
        optimisation_interval_seconds: 60,
        ..LiquiditySavingConfig::default()
    };
    run(state, HubCommand::ConfigureLiquiditySaving(config)).await
}

/// The demo's own watchlist, in the operator's CSV format. Every entry is invented; none is
/// on a real list, and no demo customer's name comes near one.
const DEMO_WATCHLIST: &str = "\
id,kind,name,aliases,dates_of_birth,countries,identifiers
DEMO-1,person,Boris Sanktsionov,Борис Санкционов;Boris Sanctionov,1961-04-12,RU,
DEMO-2,organisation,Blockade Trading LLC,ООО «Блокада Трейдинг»,,RU,
DEMO-3,person,Hamid Tahrimi,حمید تحریمی;Hamed Tahrimi,1970,IR,
";
const DEMO_WATCHLIST_DATE: &str = "2026-11-01";

/// AML rules for both currencies, once: the defaults, with the reporting threshold at the
/// 600,000.00 RUB of Russia's mandatory control and an illustrative rial equivalent.
async fn seed_monitoring(state: &AppState) -> Result<(), DemoError> {
    let configured = state
        .engine
        .query_async(|hub| hub.monitoring().config().is_some())
        .await
        .map_err(|e| DemoError::Refused(Rejection::new("UNAV", e.to_string())))?;
    if configured {
        return Ok(());
    }
    run(state, HubCommand::ConfigureMonitoring(monitoring_rules())).await
}

/// AML rules for both currencies as the demo sets them: the defaults, with the reporting
/// threshold at 600,000.00 RUB and an illustrative rial equivalent, the other amounts scaled
/// with it. Public so that the benchmarks monitor exactly what the demo monitors.
pub fn monitoring_rules() -> corridor_aml::AmlConfig {
    let mut config = corridor_aml::AmlConfig {
        schemes: Default::default(),
    };
    for (code, exponent, threshold) in [("RUB", 2, 60_000_000), ("IRR", 0, 10_000_000_000)] {
        let mut rules = corridor_aml::SchemeRules {
            minor_unit_exponent: exponent,
            ..Default::default()
        };
        rules.structuring.reporting_threshold = threshold;
        let scale = threshold / 1_000_000;
        rules.velocity.min_baseline_value *= scale;
        rules.round_trip.min_amount *= scale;
        rules.pass_through.min_inflow *= scale;
        rules.new_counterparty.threshold *= scale;
        rules.originator_data.de_minimis *= scale;
        config.schemes.insert(currency(code), rules);
    }
    config
}

/// Loads the demo watchlist into screening and records it with the hub, once.
async fn seed_watchlist(state: &Arc<AppState>) -> Result<(), DemoError> {
    let loaded = state
        .screening
        .versions()
        .into_iter()
        .find(|v| v.list == "demo");
    let version = match loaded {
        Some(v) => v,
        // The list store is files or a database: blocking work, off the async threads.
        None => {
            let worker = state.clone();
            tokio::task::spawn_blocking(move || {
                worker.screening.load(
                    corridor_watchlist::ListFormat::Csv,
                    "demo",
                    DEMO_WATCHLIST.as_bytes(),
                    Some(DEMO_WATCHLIST_DATE),
                )
            })
            .await
            .map_err(|e| DemoError::Refused(Rejection::new("UNAV", e.to_string())))?
            .map_err(|e| DemoError::Refused(Rejection::format(e.to_string())))?
        }
    };
    let wanted = corridor_node::screening::version_ref(&version);
    let recorded = state
        .engine
        .query_async(|hub| hub.compliance().lists().cloned().collect::<Vec<_>>())
        .await
        .map_err(|e| DemoError::Refused(Rejection::new("UNAV", e.to_string())))?;
    if recorded.contains(&wanted) {
        return Ok(());
    }
    run(
        state,
        HubCommand::RecordWatchlist {
            version: wanted,
            entries: version.entries as u64,
        },
    )
    .await
}

/// The FX providers with funded inventory, their sheets, and the reference rates.
async fn seed_fx(state: &AppState) -> Result<(), DemoError> {
    for p in &PROVIDERS {
        run(
            state,
            HubCommand::AdmitParticipant {
                bic: bic(p.bic),
                name: p.name.to_string(),
                country: p.country.to_string(),
                roles: vec![ParticipantRole::FxProvider],
            },
        )
        .await?;
        for (c, amount) in COUNTRIES.iter().zip(p.inventory) {
            open_and_fund(state, p.bic, c, amount, AccountPurpose::FxInventory).await?;
        }
        let provider = bic(p.bic);
        let current = state
            .engine
            .query_async(move |hub| {
                let now = hub.ledger().last_timestamp();
                hub.current_sheet(provider)
                    .is_some_and(|s| s.valid_until > now)
            })
            .await?;
        if !current {
            run(
                state,
                HubCommand::PublishRateSheet {
                    provider,
                    sheet: sheet(p)?,
                },
            )
            .await?;
        }
    }
    let published = state
        .engine
        .query_async(|hub| !hub.reference_rates().is_empty())
        .await?;
    if !published {
        let rates = corridor_node::rates_file::parse(DEMO_REFERENCE_RATES)
            .map_err(|e| DemoError::Refused(Rejection::format(e.to_string())))?;
        run(
            state,
            HubCommand::PublishReferenceRates {
                agent: bic(COUNTRIES[1].agent.0),
                rates,
            },
        )
        .await?;
    }
    Ok(())
}

fn sheet(p: &Provider) -> Result<RateSheetRequest, DemoError> {
    let rate = |text: &str| Rate::parse(text).map_err(DemoError::Refused);
    Ok(RateSheetRequest {
        valid_for_seconds: SHEET_VALIDITY_SECONDS,
        pairs: vec![PairRequest {
            base: currency(COUNTRIES[0].currency),
            quote: currency(COUNTRIES[1].currency),
            bid: rate(p.bid)?,
            ask: rate(p.ask)?,
            tiers: vec![TierRequest {
                from_base_amount: "10000000.00".to_string(),
                bid: rate(p.tier_bid)?,
                ask: rate(p.tier_ask)?,
            }],
            fee_in_base: Some(p.fee_in_base.to_string()),
            fee_in_quote: Some(p.fee_in_quote.to_string()),
        }],
    })
}

async fn open_and_fund(
    state: &AppState,
    b: &str,
    c: &Country,
    amount: &str,
    purpose: AccountPurpose,
) -> Result<(), DemoError> {
    run(
        state,
        HubCommand::OpenAccount {
            owner: bic(b),
            currency: currency(c.currency),
            purpose,
            net_debit_cap: 0,
        },
    )
    .await?;
    run(
        state,
        HubCommand::Liquidity {
            agent: bic(c.agent.0),
            reference: match purpose {
                AccountPurpose::Settlement => format!("DEMO-INIT-{b}-{}", c.currency),
                _ => format!("DEMO-FX-{b}-{}", c.currency),
            },
            participant: bic(b),
            currency: currency(c.currency),
            amount: amount.to_string(),
            direction: LiquidityDirection::Fund,
            account: purpose,
        },
    )
    .await
}

/// Two compliance officers per bank and two of the operator's, so that a four-eyes release
/// can be tried on the demo.
const OFFICERS: [&str; 2] = ["olga", "pavel"];

fn subjects() -> Vec<String> {
    let mut subjects = vec!["operator".to_string(), "auditor".to_string()];
    subjects.extend(OFFICERS.iter().map(|name| format!("officer:{name}")));
    for c in &COUNTRIES {
        subjects.push(c.agent.0.to_string());
        for (bank, _) in &c.banks {
            subjects.push(bank.to_string());
            subjects.extend(OFFICERS.iter().map(|name| format!("officer:{bank}:{name}")));
        }
    }
    subjects.extend(PROVIDERS.iter().map(|p| p.bic.to_string()));
    subjects
}

async fn credentials(
    state: &AppState,
    data_dir: &Path,
) -> Result<BTreeMap<String, String>, DemoError> {
    let path = data_dir.join("credentials.json");
    let failed = |reason: String| DemoError::Credentials {
        path: path.display().to_string(),
        reason,
    };
    let mut tokens: BTreeMap<String, String> = match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| failed(e.to_string()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
        Err(e) => return Err(failed(e.to_string())),
    };
    for subject in subjects() {
        tokens.entry(subject).or_insert_with(new_token);
    }
    write_private(
        &path,
        &serde_json::to_vec_pretty(&tokens).map_err(|e| failed(e.to_string()))?,
    )
    .map_err(|e| failed(e.to_string()))?;
    for (subject, token) in &tokens {
        state
            .register_token(token, subject)
            .await
            .map_err(|e| DemoError::Refused(e.rejection))?;
    }
    Ok(tokens)
}

/// Writes a file only its owner can read: it holds credentials.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Sends a few payments every `interval` between random demo banks that share a currency,
/// until the node stops.
pub async fn generate(state: Arc<AppState>, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    let mut sequence: u64 = 0;
    loop {
        ticker.tick().await;
        let batch = payments_for_tick(&mut sequence);
        for (sender, mut instruction) in batch {
            if rand::rng().random_bool(0.25) && !quote_for(&state, sender, &mut instruction).await {
                continue;
            }
            let mut command = HubCommand::SubmitPayments {
                sender,
                payments: vec![instruction],
                screening: Vec::new(),
            };
            if corridor_node::submit::screen(&state, &mut command)
                .await
                .is_err()
            {
                return;
            }
            match state.engine.submit_async(command).await {
                Ok(_) => state.changed(),
                // A busy engine, a standby or a writer stepping down drops this payment;
                // the generator carries on.
                Err(
                    corridor_engine::EngineError::Busy { .. }
                    | corridor_engine::EngineError::NotWriter { .. }
                    | corridor_engine::EngineError::Poisoned
                    | corridor_engine::EngineError::JournalFailed { .. },
                ) => {}
                Err(_) => return,
            }
        }
    }
}

/// Turns a domestic-currency demo payment into a cross-currency one: the creditor becomes a
/// bank of the other country, paid in its currency at a quote for the same instructed
/// amount. False if no quote was given (then nothing is sent).
async fn quote_for(state: &AppState, sender: Bic, instruction: &mut PaymentInstruction) -> bool {
    let home = usize::from(instruction.currency.as_str() != COUNTRIES[0].currency);
    let other = &COUNTRIES[1 - home];
    let creditor = bic(other.banks[rand::rng().random_range(0..4)].0);
    let request = QuoteRequest {
        source_currency: instruction.currency,
        destination_currency: currency(other.currency),
        creditor_agent: creditor,
        instructed_amount: Some(instruction.amount.clone()),
        creditor_amount: None,
        charge_bearer: instruction.charge_bearer,
    };
    let answer = state
        .engine
        .submit_async(HubCommand::RequestQuote {
            requester: sender,
            request,
        })
        .await;
    let Ok(Ok(Answer::Quote(quote))) = answer else {
        return false;
    };
    instruction.instructed_agent = creditor;
    instruction.quote = Some(quote.id);
    true
}

fn payments_for_tick(sequence: &mut u64) -> Vec<(Bic, PaymentInstruction)> {
    let mut rng = rand::rng();
    let count = rng.random_range(1..=4);
    (0..count)
        .map(|_| {
            *sequence += 1;
            demo_payment(&mut rng, *sequence)
        })
        .collect()
}

fn demo_payment(rng: &mut impl Rng, sequence: u64) -> (Bic, PaymentInstruction) {
    // Mostly domestic-currency payments; some in the other currency between banks that hold it.
    let home = rng.random_range(0..2);
    let foreign = rng.random_bool(0.2);
    let (c, holders): (&Country, Vec<(usize, usize)>) = if foreign {
        let c = &COUNTRIES[1 - home];
        let holders = (0..4)
            .map(|n| (1 - home, n))
            .chain(CROSS_HOLDERS.iter().map(|n| (home, *n)))
            .collect();
        (c, holders)
    } else {
        (&COUNTRIES[home], (0..4).map(|n| (home, n)).collect())
    };
    let pair: Vec<_> = holders.choose_multiple(rng, 2).copied().collect();
    between(rng, sequence, pair[0], pair[1], c)
}

/// A payment from bank `from` to bank `to` (country index, bank index) in `c`'s currency.
fn between(
    rng: &mut impl Rng,
    sequence: u64,
    from: (usize, usize),
    to: (usize, usize),
    c: &Country,
) -> (Bic, PaymentInstruction) {
    let (code, text, low, high) = PURPOSES[rng.random_range(0..PURPOSES.len())];
    let major = rng.random_range(low..=high);
    let amount = if c.currency == "IRR" {
        // About 500 rials to the rouble, in whole rials.
        (u128::from(major) * 500).to_string()
    } else {
        format!("{major}.{:02}", rng.random_range(0..100))
    };
    let sender_country = &COUNTRIES[from.0];
    let receiver_country = &COUNTRIES[to.0];
    let debtor = sender_country.companies[rng.random_range(0..4)];
    let creditor = receiver_country.companies[rng.random_range(0..4)];
    let priority = match rng.random_range(0..20) {
        0 => Priority::Urgent,
        1..=3 => Priority::High,
        _ => Priority::Normal,
    };
    let instruction = PaymentInstruction {
        kind: PaymentKind::CustomerCreditTransfer,
        instruction_id: format!(
            "DEMO-{}-{sequence}",
            Uetr::generate().to_string()[..8].to_uppercase()
        ),
        end_to_end_id: format!("E2E-{sequence}"),
        uetr: Uetr::generate(),
        amount,
        currency: currency(c.currency),
        instructed_agent: bic(receiver_country.banks[to.1].0),
        debtor: party(debtor, sender_country),
        debtor_account: Some(CashAccount {
            iban: None,
            other: Some(format!(
                "40702810{:012}",
                rng.random_range(0..1_000_000_000_000u64)
            )),
        }),
        debtor_agent: None,
        creditor: party(creditor, receiver_country),
        creditor_account: Some(CashAccount {
            iban: None,
            other: Some(format!(
                "IR{:022}",
                rng.random_range(0..1_000_000_000_000u64)
            )),
        }),
        creditor_agent: None,
        ultimate_debtor: None,
        ultimate_creditor: None,
        charge_bearer: ChargeBearer::Shared,
        purpose: Some(code.to_string()),
        remittance_information: Some(text.to_string()),
        priority,
        quote: None,
        settlement_date: None,
        when_closed: None,
        settlement_time: None,
    };
    (bic(sender_country.banks[from.1].0), instruction)
}

fn party(name: &str, c: &Country) -> Party {
    Party {
        name: name.to_string(),
        postal_address: Some(PostalAddress {
            town_name: Some(c.town.to_string()),
            country: Some(c.country.to_string()),
            ..PostalAddress::default()
        }),
        identification: None,
        country_of_residence: Some(c.country.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_constants_are_valid() {
        for c in &COUNTRIES {
            assert!(c.agent.0.parse::<Bic>().is_ok());
            assert!(c.currency.parse::<CurrencyCode>().is_ok());
            for (b, _) in c.banks {
                assert!(b.parse::<Bic>().is_ok(), "{b}");
            }
        }
    }

    #[test]
    fn the_demo_rates_parse() {
        let rates = corridor_node::rates_file::parse(DEMO_REFERENCE_RATES).unwrap();
        assert!(!rates.is_empty());
    }

    #[test]
    fn generated_payments_pass_the_hubs_checks() {
        let mut rng = rand::rng();
        for n in 0..500 {
            let (sender, p) = demo_payment(&mut rng, n);
            assert!(p.check().is_ok(), "{p:?}");
            assert_ne!(sender, p.instructed_agent);
        }
    }
}
