//! Client commands: talk to a running node over its HTTP API and show the answers as tables,
//! or with `--json` as the node's JSON, unchanged but indented. A refusal by the node is an
//! error `<code>: <message>` (the ISO 20022 reason code and the node's sentence), which
//! `main` prints to stderr with exit code 1.

mod compliance;
mod conn;
mod fx;
mod ledger;
mod outbox;
mod payments;
mod recalls;
mod render;
mod views;

use clap::Subcommand;
use corridor_core::{Bic, CurrencyCode};

pub use conn::ConnArgs;

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
        ClientCommand::Outbox(args) => outbox::run(*args),
        ClientCommand::Quote(args) => fx::quote(*args),
        ClientCommand::Rates(command) => fx::rates(command),
        ClientCommand::Lists(args) => compliance::lists(*args),
        ClientCommand::Holds(args) => compliance::holds(*args),
        ClientCommand::Decide(args) => compliance::decide(*args),
        ClientCommand::Audit(args) => compliance::audit(*args),
    }
}

/// A BIC option; lower case is accepted.
fn bic_arg(text: &str) -> Result<Bic, String> {
    text.trim()
        .to_ascii_uppercase()
        .parse()
        .map_err(|e: corridor_core::IdError| e.to_string())
}

/// A currency option; lower case is accepted.
fn currency_arg(text: &str) -> Result<CurrencyCode, String> {
    text.trim()
        .to_ascii_uppercase()
        .parse()
        .map_err(|e: corridor_core::CurrencyError| e.to_string())
}

/// One path segment, percent-encoded, so an argument cannot change the route. Dot
/// segments are refused: URL parsers resolve them even when encoded.
fn segment(what: &str, text: &str) -> anyhow::Result<String> {
    let text = text.trim();
    if text.is_empty() || text.trim_matches('.').is_empty() {
        anyhow::bail!("{what} {text:?} is not valid");
    }
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

/// Prints an answer with `--json`, and says whether it did.
fn print_json(conn: &ConnArgs, answer: &conn::Answer) -> bool {
    if conn.json {
        println!("{}", render::pretty_json(&answer.body));
    }
    conn.json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(segment("payment", "130").ok(), Some("130".into()));
        assert_eq!(
            segment("payment", "1b734043-58ca-4548-a8ab-3cfda2803d45").ok(),
            Some("1b734043-58ca-4548-a8ab-3cfda2803d45".into())
        );
        assert_eq!(
            segment("payment", "../x?y").ok(),
            Some("%2E%2E%2Fx%3Fy".into())
        );
        assert!(segment("payment", "..").is_err());
        assert!(segment("payment", "").is_err());
    }

    #[test]
    fn options_accept_lower_case() {
        assert_eq!(
            bic_arg("volgrumm").map(|b| b.to_string()).ok(),
            Some("VOLGRUMM".into())
        );
        assert_eq!(
            currency_arg("rub").map(|c| c.to_string()).ok(),
            Some("RUB".into())
        );
        assert!(currency_arg("RUBX").is_err());
    }
}
