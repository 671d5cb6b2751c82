//! Measures the baseline on this machine: 20,000 random transfers over 10,000
//! accounts on SQLite (in a temp dir) and, if `CORRIDOR_BENCH_PG_URL` is set, on
//! PostgreSQL. Run it as
//! `scripts/with-postgres.sh cargo run --release -p corridor-sqlbaseline --example baseline_rate`.

use corridor_sqlbaseline::{BaselineTarget, BaselineTransfer, run};

const ACCOUNTS: u32 = 10_000;
const TRANSFERS: u32 = 20_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut x = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let transfers: Vec<_> = (0..TRANSFERS)
        .map(|i| BaselineTransfer {
            id: u128::from(i),
            debit_account: (next() % u64::from(ACCOUNTS)) as u32,
            credit_account: (next() % u64::from(ACCOUNTS)) as u32,
            amount: 1 + next() % 100,
        })
        .collect();

    let dir = tempfile::tempdir()?;
    let mut targets = vec![BaselineTarget::Sqlite {
        path: dir.path().join("baseline.db"),
    }];
    if let Ok(url) = std::env::var("CORRIDOR_BENCH_PG_URL") {
        targets.push(BaselineTarget::Postgres { url });
    }
    for target in &targets {
        let report = run(target, ACCOUNTS, 1_000_000, &transfers)?;
        println!(
            "{}: {} transfers ({} applied, {} rejected) in {:.2?} = {:.0} transfers/s",
            report.backend,
            report.transfers,
            report.applied,
            report.rejected,
            report.elapsed,
            report.transfers_per_s()
        );
    }
    Ok(())
}
