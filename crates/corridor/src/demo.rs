//! `corridor demo`: the ledger engine on a real data directory with a two-country corridor:
//! a settlement agent per currency (RUB, IRR), four banks per country, settlement accounts
//! funded from the agents' funding accounts, then a burst of payments between banks of the
//! same currency. Setup is idempotent (fixed ids), so re-running continues the same ledger.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use corridor_core::{AccountId, Amount, Bic, CurrencyCode, CurrencyTable, TransferId};
use corridor_engine::{Engine, EngineConfig, EngineHandle};
use corridor_ledger::{
    AccountKind, BalanceRule, Command, Ledger, Movement, NewAccount, ResultCode, Transfer,
    TransferAction,
};
use rand::Rng;

#[derive(Args)]
pub struct DemoArgs {
    #[arg(long, default_value = "./corridor-data")]
    data_dir: PathBuf,
    /// Payments to send between banks.
    #[arg(long, default_value_t = 20_000)]
    payments: usize,
}

struct Country {
    currency: &'static str,
    agent: &'static str,
    banks: [&'static str; 4],
    /// Initial liquidity of each bank, in major units.
    funding: &'static str,
}

/// Fictional institutions; the BICs are well formed but belong to nobody.
const COUNTRIES: [Country; 2] = [
    Country {
        currency: "RUB",
        agent: "CBRFRUMM",
        banks: ["VOLGRUMM", "NEVARUMM", "URALRUMM", "BAIKRUMM"],
        funding: "2000000000.00",
    },
    Country {
        currency: "IRR",
        agent: "CBIRIRTH",
        banks: ["ZAGRIRTH", "ALBRIRTH", "KARUIRTH", "PARSIRTH"],
        funding: "400000000000000",
    },
];

/// The scheme's currency table: the rial is settled in whole rials.
fn currency_table() -> anyhow::Result<CurrencyTable> {
    let mut table = CurrencyTable::iso();
    table.override_exponent("IRR".parse()?, 0)?;
    Ok(table)
}

fn account_id(country: usize, bank: usize) -> anyhow::Result<AccountId> {
    Ok(AccountId::new(
        ((country as u128 + 1) << 64) | (bank as u128 + 1),
    )?)
}

fn open(
    id: AccountId,
    owner: &str,
    currency: CurrencyCode,
    kind: AccountKind,
    rule: BalanceRule,
) -> anyhow::Result<Command> {
    Ok(Command::CreateAccount(NewAccount {
        id,
        owner: owner.parse::<Bic>()?,
        currency,
        kind,
        rule,
        code: 0,
        user_ref: 0,
        linked: false,
    }))
}

fn post(
    id: TransferId,
    debit: AccountId,
    credit: AccountId,
    currency: CurrencyCode,
    amount: Amount,
) -> Command {
    let movement = Movement {
        debit_account: debit,
        credit_account: credit,
        currency,
        amount,
    };
    Command::CreateTransfer(Transfer {
        id,
        action: TransferAction::Post(movement),
        code: 1,
        user_ref: 0,
        linked: false,
    })
}

fn setup_commands(table: &CurrencyTable) -> anyhow::Result<Vec<Command>> {
    let mut commands = Vec::new();
    for (c, country) in COUNTRIES.iter().enumerate() {
        let currency = table.lookup(country.currency)?;
        let funding_account = account_id(c, usize::MAX >> 1)?;
        commands.push(open(
            funding_account,
            country.agent,
            currency.code,
            AccountKind::Funding,
            BalanceRule::Unrestricted,
        )?);
        let liquidity = Amount::parse(country.funding, currency)?;
        for (b, bank) in country.banks.iter().enumerate() {
            let account = account_id(c, b)?;
            let rule = BalanceRule::DebitsMustNotExceedCredits { limit: 0 };
            commands.push(open(
                account,
                bank,
                currency.code,
                AccountKind::Settlement,
                rule,
            )?);
            let funding_id = TransferId::new(account.get())?;
            commands.push(post(
                funding_id,
                funding_account,
                account,
                currency.code,
                liquidity,
            ));
        }
    }
    Ok(commands)
}

/// A payment between two banks of one country, sized from a remittance to an energy invoice
/// (log-uniform over six orders of magnitude).
fn random_payment(rng: &mut impl Rng, table: &CurrencyTable) -> anyhow::Result<Command> {
    let c = rng.random_range(0..COUNTRIES.len());
    let currency = table.lookup(COUNTRIES[c].currency)?;
    let from = rng.random_range(0..4);
    let to = (from + rng.random_range(1..4)) % 4;
    let smallest: u128 = if currency.exponent == 0 {
        50_000
    } else {
        100_000
    };
    let amount = smallest * 10u128.pow(rng.random_range(0..7)) * rng.random_range(1..10);
    let id = TransferId::new(rng.random_range(1..u128::MAX))?;
    Ok(post(
        id,
        account_id(c, from)?,
        account_id(c, to)?,
        currency.code,
        Amount::from_minor(amount),
    ))
}

fn print_balances(handle: &EngineHandle<Ledger>, table: &CurrencyTable) -> anyhow::Result<()> {
    let accounts = handle.query(|l| l.accounts().to_vec())?;
    println!(
        "{:<10} {:<5} {:<11} {:>28}",
        "owner", "ccy", "kind", "posted balance"
    );
    for a in accounts {
        let currency = table.get(a.currency)?;
        let (credit, magnitude) = a.posted_balance();
        let sign = if credit { "" } else { "-" };
        println!(
            "{:<10} {:<5} {:<11} {:>28}",
            a.owner,
            a.currency,
            format!("{:?}", a.kind),
            format!("{sign}{}", Amount::from_minor(magnitude).format(currency))
        );
    }
    Ok(())
}

pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    let table = currency_table()?;
    let engine = Engine::<Ledger>::open(EngineConfig::new(&args.data_dir))
        .with_context(|| format!("opening {}", args.data_dir.display()))?;
    let handle = engine.handle();
    let setup = handle.submit(setup_commands(&table)?)?;
    if let Some(bad) = setup.results.iter().find(|r| !r.is_success()) {
        bail!("demo setup was refused: {bad}");
    }
    let mut rng = rand::rng();
    let started = Instant::now();
    let (mut ok, mut refused) = (
        0usize,
        std::collections::BTreeMap::<ResultCode, usize>::new(),
    );
    let mut remaining = args.payments;
    while remaining > 0 {
        let n = remaining.min(1_000);
        let batch = (0..n)
            .map(|_| random_payment(&mut rng, &table))
            .collect::<anyhow::Result<Vec<_>>>()?;
        for result in handle.submit(batch)?.results {
            match result {
                ResultCode::Ok => ok += 1,
                other => *refused.entry(other).or_default() += 1,
            }
        }
        remaining -= n;
    }
    let elapsed = started.elapsed();
    println!(
        "{} payments in {:.2?}: {ok} settled, refused: {refused:?}",
        args.payments, elapsed
    );
    print_balances(&handle, &table)?;
    let (hash, transfers) = handle.query(|l| (l.state_hash(), l.transfer_count()))?;
    println!("transfers in the ledger: {transfers}; state hash {hash:032x}");
    println!(
        "data directory: {} (check it with `corridor journal verify --data-dir {}`)",
        args.data_dir.display(),
        args.data_dir.display()
    );
    engine.shutdown();
    Ok(())
}
