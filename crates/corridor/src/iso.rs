//! `corridor iso validate`, `corridor mt2mx` and `corridor mx2mt`: message tools that work on
//! files (or standard input) without a node.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use corridor_core::Bic;
use corridor_iso20022::mt::{Translation, fin_to_mx, pacs008_to_mt103, pacs009_to_mt202};
use corridor_iso20022::{
    BusinessContext, BusinessDate, Document, FieldErrors, Message, normalize, parse,
};
use corridor_node::iso_intake::{ACCEPTED, Problem, intake};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Subcommand)]
pub enum IsoCommand {
    /// Checks ISO 20022 messages (bare, with their AppHdr, or in an envelope): prints each
    /// message's type and version, valid or every error with its path and reason code, and
    /// a closing line `N passed, N failed`. Exits non-zero if any failed.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also checks the business rules (currencies and their decimals, settlement date,
        /// BIC countries, IBANs, UETRs, totals, AppHdr agreement) as of this date,
        /// YYYY-MM-DD, with settlement allowed up to one day after it; a message the node
        /// takes in is then checked exactly as its door checks it (the same code), what it
        /// asks of the hub included.
        #[arg(long)]
        business_date: Option<String>,
        /// The sending participant the door would see (the caller's identity); by default
        /// the AppHdr's `Fr`.
        #[arg(long)]
        sender: Option<String>,
        /// A currency the scheme settles and its decimals, as CODE:DECIMALS; repeat for
        /// each. Default: the demo corridor's RUB:2, IRR:0 and CNY:2.
        #[arg(long = "currency", value_name = "CODE:DECIMALS")]
        currencies: Vec<String>,
    },
    /// Parses a message (bare, with its AppHdr, or in an envelope) and writes it to standard
    /// output as Corridor would send it, in the same shape: wrapper elements kept, every
    /// AppHdr and Document written by Corridor's serializer. What Corridor does not keep of
    /// a message is gone from the output.
    Normalize {
        /// The message file; standard input if absent.
        file: Option<PathBuf>,
    },
}

const DEMO_CURRENCIES: [&str; 3] = ["RUB:2", "IRR:0", "CNY:2"];

/// `CODE:DECIMALS` pairs.
fn parse_currencies(texts: &[String]) -> anyhow::Result<Vec<(String, u32)>> {
    let texts: Vec<&str> = if texts.is_empty() {
        DEMO_CURRENCIES.to_vec()
    } else {
        texts.iter().map(String::as_str).collect()
    };
    texts
        .iter()
        .map(|text| {
            let (code, decimals) = text
                .split_once(':')
                .with_context(|| format!("{text:?}: expected CODE:DECIMALS, such as RUB:2"))?;
            let decimals = decimals
                .parse()
                .with_context(|| format!("{text:?}: decimals must be a small whole number"))?;
            Ok((code.to_owned(), decimals))
        })
        .collect()
}

#[derive(Args)]
pub struct ConvertArgs {
    /// The message file; standard input if absent.
    file: Option<PathBuf>,
}

fn read_input(file: Option<&PathBuf>) -> anyhow::Result<String> {
    match file {
        Some(path) => {
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
        }
        None => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading standard input")?;
            Ok(text)
        }
    }
}

pub fn run(command: IsoCommand) -> anyhow::Result<()> {
    match command {
        IsoCommand::Validate {
            files,
            business_date,
            sender,
            currencies,
        } => {
            let sender = sender
                .map(|s| s.parse::<Bic>())
                .transpose()
                .map_err(|e| anyhow::anyhow!("--sender: {e}"))?;
            validate(&files, business_date.as_deref(), sender, &currencies)
        }
        IsoCommand::Normalize { file } => {
            let text = read_input(file.as_ref())?;
            let normalized =
                normalize(&text).map_err(|e| anyhow::anyhow!("{} {e}", e.reason_code()))?;
            print!("{normalized}");
            Ok(())
        }
    }
}

fn validate(
    files: &[PathBuf],
    business_date: Option<&str>,
    sender: Option<Bic>,
    currencies: &[String],
) -> anyhow::Result<()> {
    let currencies = parse_currencies(currencies)?;
    let currencies: Vec<(&str, u32)> = currencies.iter().map(|(c, d)| (c.as_str(), *d)).collect();
    let business = business_date
        .map(|date| {
            let business_date = BusinessDate::parse(date).with_context(|| {
                format!("--business-date {date:?} is not a real YYYY-MM-DD date")
            })?;
            anyhow::Ok(BusinessContext {
                business_date,
                max_forward_days: 1,
                currencies: &currencies,
            })
        })
        .transpose()?;
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in files {
        let text = read_input(Some(file))?;
        match parse(&text) {
            Err(e) => {
                println!("{}: not readable: {} {e}", file.display(), e.reason_code());
                failed += 1;
            }
            Ok(messages) => {
                for (i, message) in messages.iter().enumerate() {
                    if report(file, i + 1, message, business.as_ref(), sender) {
                        passed += 1;
                    } else {
                        failed += 1;
                    }
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        bail!("{failed} message(s) failed validation");
    }
    Ok(())
}

/// Prints one message's verdict; true if it passed.
fn report(
    file: &std::path::Path,
    n: usize,
    message: &Message,
    business: Option<&BusinessContext>,
    sender: Option<Bic>,
) -> bool {
    let name = message.message_type.name();
    let problems = match business {
        Some(business) => checked_as_the_door_would(message, business, sender),
        None => field_problems(message.validate()),
    };
    if problems.is_empty() {
        println!("{}#{n}: {name}: valid", file.display());
        return true;
    }
    println!(
        "{}#{n}: {name}: {} error(s)",
        file.display(),
        problems.len()
    );
    for p in &problems {
        println!("    {} {}: {}", p.code, p.path, p.detail);
    }
    false
}

/// Both layers and, for a message the node takes in, the door's own mapping onto the hub's
/// instructions: one set of rules, so what passes here passes the door.
fn checked_as_the_door_would(
    message: &Message,
    business: &BusinessContext,
    sender: Option<Bic>,
) -> Vec<Problem> {
    if !ACCEPTED.contains(&message.message_type) {
        return field_problems(
            message
                .validate()
                .and_then(|()| message.check_business_rules(business)),
        );
    }
    let from_header = message
        .header
        .as_ref()
        .and_then(|h| h.from.bicfi.as_deref())
        .and_then(|bic| bic.parse::<Bic>().ok());
    let Some(sender) = sender.or(from_header) else {
        return vec![Problem {
            path: "/AppHdr/Fr".to_owned(),
            code: "FF01".to_owned(),
            detail: "no sender: give --sender, or an AppHdr naming it, to check the message as the door would".to_owned(),
        }];
    };
    match intake(message.clone(), sender, business) {
        Ok(_) => Vec::new(),
        Err(refusal) => refusal.0,
    }
}

fn field_problems(checked: Result<(), FieldErrors>) -> Vec<Problem> {
    checked.err().map_or_else(Vec::new, |errors| {
        errors
            .0
            .into_iter()
            .map(|e| Problem {
                path: e.path,
                code: e.code.to_string(),
                detail: e.detail,
            })
            .collect()
    })
}

fn print_notes<T>(translation: &Translation<T>) {
    for note in &translation.notes {
        eprintln!("note: {note:?}");
    }
}

/// MT103 to pacs.008.001.08, MT202 to pacs.009.001.08 and MT202COV (block 3 119:COV) to
/// its cover variant, chosen by block 2's message type: XML on standard output, what did
/// not fit on standard error.
pub fn mt2mx(args: ConvertArgs) -> anyhow::Result<()> {
    let text = read_input(args.file.as_ref())?;
    let created = OffsetDateTime::now_utc().format(&Rfc3339)?;
    let translation = fin_to_mx(&text, &created)?;
    print_notes(&translation);
    let message = &translation.message;
    if let Err(errors) = message.document.validate() {
        for e in &errors.0 {
            eprintln!("invalid: {} {}: {}", e.code, e.path, e.detail);
        }
        bail!(
            "the MT translates into a {} that is not valid",
            message.message_type.name()
        );
    }
    println!("{}", message.document.to_xml());
    Ok(())
}

/// pacs.008 XML to MT103, pacs.009 to MT202 (MT202COV with `UndrlygCstmrCdtTrf`): FIN on
/// standard output, what was cut or dropped on standard error.
pub fn mx2mt(args: ConvertArgs) -> anyhow::Result<()> {
    let text = read_input(args.file.as_ref())?;
    let messages = parse(&text)?;
    let translation = match messages.into_iter().next().map(|m| m.document) {
        Some(Document::Pacs008(mx)) => pacs008_to_mt103(&mx)
            .context("the pacs.008 has no transaction with the agents an MT103 needs")?,
        Some(Document::Pacs009(mx)) => pacs009_to_mt202(&mx)
            .context("the pacs.009 has no transaction with the agents an MT202 needs")?,
        _ => bail!("the input holds no pacs.008 or pacs.009 message"),
    };
    print_notes(&translation);
    println!("{}", translation.message.to_fin());
    Ok(())
}
