//! The `corridor` command line: the node, its client commands, certificates, journal tools
//! and benchmarks. The only place that uses `anyhow`: libraries return typed errors, this
//! edge turns them into messages and exit codes.

mod bench;
mod certs;
mod client;
mod iso;
mod journal;
mod screen;
mod up;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "corridor",
    version,
    about = "Cross-border interbank settlement in national currencies"
)]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand)]
enum Commands {
    /// Runs the node: the settlement engine, the journal and the HTTP API.
    Up(up::UpArgs),
    /// Creates a development CA, a server certificate and client certificates for mutual TLS.
    Certs(certs::CertsArgs),
    #[command(flatten)]
    Client(client::ClientCommand),
    /// Checks and reads the journal of a data directory.
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Benchmarks.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// ISO 20022 message tools.
    #[command(subcommand)]
    Iso(iso::IsoCommand),
    /// Sanctions screening without a node: one name, a batch of names, and the pair set
    /// and evaluation that measure the matcher on a real list.
    Screen(screen::ScreenArgs),
    /// Translates an MT103 into a pacs.008.001.08 (CBPR+ rules).
    Mt2mx(iso::ConvertArgs),
    /// Translates a pacs.008.001.08 into an MT103; what MT cannot carry is noted.
    Mx2mt(iso::ConvertArgs),
}

#[derive(Subcommand)]
enum JournalCommand {
    /// Validates every record, replays from genesis and from the latest snapshot, compares
    /// the two state hashes and checks the ledger invariants. Changes nothing.
    Verify(journal::JournalLocation),
    /// Prints the journal's records.
    Inspect(journal::InspectArgs),
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Ledger throughput: in memory, durable through the journal, and an SQL baseline.
    Ledger(bench::ledger::LedgerBenchArgs),
    /// Peak memory of a ledger with many accounts and a large transfer index.
    Memory(bench::memory::MemoryBenchArgs),
    /// Payments per second and latency through the node's HTTP API, against the ledger.
    Api(bench::api::ApiBenchArgs),
    /// Quotes and cross-currency (PvP) payments per second through the HTTP API, against
    /// same-currency payments in the same run.
    Fx(bench::fx::FxBenchArgs),
    /// pacs.008 messages per second through the ISO 20022 intake on one core, against
    /// quick-xml's tokenizer on the same bytes.
    Iso(bench::iso::IsoBenchArgs),
    /// Names screened per second on one core against the UN and OFAC lists, payment
    /// latency, index build time, against a brute-force Jaro-Winkler scan in the same run.
    Screen(bench::screen::ScreenBenchArgs),
    /// Payments per second through the HTTP API as history piles up on a few pairs of
    /// accounts: the first tenth of a long run against the last.
    Soak(bench::soak::SoakBenchArgs),
    /// Liquidity saving on the hub: the time to resolve a gridlock, and the liquidity a
    /// business day needs with and without it.
    Lsm(bench::lsm::LsmBenchArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // A benchmark's hundreds of thousands of requests would be as many access log lines,
    // written while being measured.
    let default_filter = match cli.command {
        Commands::Bench(_) => "info,corridor::access=off",
        _ => "info",
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // Colours for a terminal only: a log file or a service manager's journal gets text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| default_filter.into()),
        )
        .init();
    let result = match cli.command {
        Commands::Up(args) => up::run(args),
        Commands::Certs(args) => certs::run(args),
        Commands::Client(command) => client::run(command),
        Commands::Journal(JournalCommand::Verify(location)) => journal::verify(&location),
        Commands::Journal(JournalCommand::Inspect(args)) => journal::inspect(args),
        Commands::Bench(BenchCommand::Ledger(args)) => bench::ledger::run(args),
        Commands::Bench(BenchCommand::Memory(args)) => bench::memory::run(args),
        Commands::Bench(BenchCommand::Api(args)) => bench::api::run(args),
        Commands::Bench(BenchCommand::Fx(args)) => bench::fx::run(args),
        Commands::Bench(BenchCommand::Iso(args)) => bench::iso::run(args),
        Commands::Bench(BenchCommand::Screen(args)) => bench::screen::run(args),
        Commands::Bench(BenchCommand::Soak(args)) => bench::soak::run(args),
        Commands::Bench(BenchCommand::Lsm(args)) => bench::lsm::run(args),
        Commands::Screen(args) => screen::run(args),
        Commands::Iso(command) => iso::run(command),
        Commands::Mt2mx(args) => iso::mt2mx(args),
        Commands::Mx2mt(args) => iso::mx2mt(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
