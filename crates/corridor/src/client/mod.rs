//! Client commands: talk to a running node over its HTTP API and show the answers as tables,
//! or with `--json` as the node's JSON, unchanged but indented. A refusal by the node is an
//! error `<code>: <message>` (the ISO 20022 reason code and the node's sentence), which
//! `main` prints to stderr with exit code 1.

mod args;
mod calendar;
mod compliance;
mod conn;
mod controls;
mod credentials;
mod fx;
mod ledger;
mod liquidity;
mod net;
mod outbox;
mod payments;
mod recalls;
mod render;
mod views;

use clap::Subcommand;

/// The top-level commands that talk to a node (flattened into `Commands`). Boxed: each
/// carries the connection options, and the enum stays small.
#[derive(Subcommand, Debug)]
pub enum ClientCommand {
    /// Sends a payment (a pacs.008 customer credit transfer, or with --fi a pacs.009
    /// FI-to-FI transfer) and prints its receipt.
    Pay(Box<payments::PayArgs>),
    /// Shows one payment (by number or UETR) and its status history.
    Status(Box<payments::StatusArgs>),
    /// Lists your payments, oldest first, with filters.
    Payments(Box<payments::PaymentsArgs>),
    /// Cancels a queued payment you sent.
    Cancel(Box<payments::CancelArgs>),
    /// Returns (part of) a settled payment you received (pacs.004).
    Return(Box<payments::ReturnArgs>),
    /// Recalls a payment you sent (camt.056): a settled one goes to the creditor's bank,
    /// which answers; a queued one is cancelled.
    Recall(Box<recalls::RecallArgs>),
    /// Lists the recalls you asked and those you must answer.
    Recalls(Box<recalls::RecallsArgs>),
    /// Answers a recall of a payment you received: accept (the money goes back) or reject.
    Answer(Box<recalls::AnswerArgs>),
    /// An account's statement: opening balance, entries, closing balance.
    Statement(Box<ledger::StatementArgs>),
    /// Lists the accounts you may see, with balances.
    Accounts(Box<ledger::ListArgs>),
    /// Lists the scheme's participants.
    Participants(Box<ledger::ListArgs>),
    /// Moves liquidity into (or with --defund out of) a participant's settlement account;
    /// for settlement agents.
    Fund(Box<ledger::FundArgs>),
    /// Closes a business day (operator): every participant's outbox receives the day's
    /// statement (camt.053) of each account it owns.
    EndOfDay(Box<ledger::EndOfDayArgs>),
    /// Business days, cut-offs and the operating day of each currency: show, today, and
    /// for the operator load, amend, schedule and extend.
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// Liquidity saving: what offsetting and the queue optimisation settled; the operator
    /// sets it.
    #[command(subcommand)]
    LiquiditySaving(liquidity::LiquiditySavingCommand),
    /// Limits and reservations of a bank's settlement account: show, and set (a bank its
    /// own, the operator any bank's).
    #[command(subcommand)]
    LiquidityControls(controls::LiquidityControlsCommand),
    /// Deferred net settlement windows of a currency: show; the operator sets it, closes
    /// and aborts windows.
    #[command(subcommand)]
    NetSettlement(net::NetSettlementCommand),
    /// Reads your outbox: status changes, incoming payments, liquidity notices.
    Outbox(Box<outbox::OutboxArgs>),
    /// Asks for a cross-currency quote: provider, rate, fees and both amounts, locked until
    /// it expires. Pay it with `corridor pay --quote ID`.
    Quote(Box<fx::QuoteArgs>),
    /// Reference rates and FX rate sheets: load, publish, show.
    #[command(subcommand)]
    Rates(fx::RatesCommand),
    /// The watchlists the node screens against; `lists load FILE --format F` loads a new
    /// version (operator).
    Lists(Box<compliance::ListsArgs>),
    /// Payments held by sanctions screening (compliance officers, operator, auditors).
    Holds(Box<compliance::HoldsArgs>),
    /// Releases or rejects a held payment (compliance officers).
    Decide(Box<compliance::DecideArgs>),
    /// Fetches the compliance audit log and verifies its hash chain locally.
    Audit(Box<compliance::AuditArgs>),
    /// Client certificates registered per subject (operator): list, register, revoke, and
    /// reloading the certificate revocation list.
    #[command(subcommand)]
    Certificates(credentials::CertificatesCommand),
    /// Development bearer tokens (operator): issue, revoke.
    #[command(subcommand)]
    Tokens(credentials::TokensCommand),
}

pub fn run(command: ClientCommand) -> anyhow::Result<()> {
    match command {
        ClientCommand::Pay(args) => payments::pay(*args),
        ClientCommand::Status(args) => payments::status(*args),
        ClientCommand::Payments(args) => payments::list(*args),
        ClientCommand::Cancel(args) => payments::cancel(*args),
        ClientCommand::Return(args) => payments::return_payment(*args),
        ClientCommand::Recall(args) => recalls::recall(*args),
        ClientCommand::Recalls(args) => recalls::list(*args),
        ClientCommand::Answer(args) => recalls::answer(*args),
        ClientCommand::Statement(args) => ledger::statement(*args),
        ClientCommand::Accounts(args) => ledger::accounts(*args),
        ClientCommand::Participants(args) => ledger::participants(*args),
        ClientCommand::Fund(args) => ledger::fund(*args),
        ClientCommand::EndOfDay(args) => ledger::end_of_day(*args),
        ClientCommand::Calendar(command) => calendar::run(command),
        ClientCommand::LiquiditySaving(command) => liquidity::run(command),
        ClientCommand::LiquidityControls(command) => controls::run(command),
        ClientCommand::NetSettlement(command) => net::run(command),
        ClientCommand::Outbox(args) => outbox::run(*args),
        ClientCommand::Quote(args) => fx::quote(*args),
        ClientCommand::Rates(command) => fx::rates(command),
        ClientCommand::Lists(args) => compliance::lists(*args),
        ClientCommand::Holds(args) => compliance::holds(*args),
        ClientCommand::Decide(args) => compliance::decide(*args),
        ClientCommand::Audit(args) => compliance::audit(*args),
        ClientCommand::Certificates(command) => credentials::certificates(command),
        ClientCommand::Tokens(command) => credentials::tokens(command),
    }
}
