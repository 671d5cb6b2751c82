//! `calendar`: each currency's business days and operating day as the node keeps them. Any
//! participant reads them (`show`, `today`); the operator loads a calendar file, amends one
//! date, sets a currency's schedule and extends one day's cut-off.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use corridor_core::CurrencyCode;
use corridor_settlement::{CutOff, DaySchedule, EndOfDayRule};
use serde::{Deserialize, Serialize};

use super::args::{currency_arg, print_json};
use super::conn::{ConnArgs, Node};
use super::render::{block, table};

const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// Each date of a currency: business day or not and why, its opening, cut-offs and
    /// close in local time and UTC, and for IRR the Solar Hijri date.
    Show(ShowArgs),
    /// Where each currency's day stands now: always open, closed, before opening, open,
    /// end of day.
    Today(TodayArgs),
    /// Loads a calendar file (operator): it replaces the versions whose dates it covers,
    /// never changing a day that has already opened.
    Load(LoadArgs),
    /// Closes or opens one date that has not opened yet (operator).
    Amend(AmendArgs),
    /// Puts a currency on its operating day (operator): from then on it settles only on
    /// business days of its calendar, between opening and close.
    Schedule(ScheduleArgs),
    /// Extends one cut-off, or the close, of one day (operator).
    Extend(ExtendArgs),
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    #[arg(value_parser = currency_arg)]
    currency: CurrencyCode,
    /// First date, YYYY-MM-DD [default: the currency's today]
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last date, included [default: 30 days after --from]
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Args, Debug)]
pub struct TodayArgs {
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Args, Debug)]
pub struct LoadArgs {
    /// A calendar file: currency, version, span, weekend, holiday, working and shortened
    /// lines (see the shipped ones in crates/corridor-calendar/data)
    file: PathBuf,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Args, Debug)]
pub struct AmendArgs {
    #[arg(value_parser = currency_arg)]
    currency: CurrencyCode,
    /// The date, YYYY-MM-DD
    date: String,
    /// Close the date (an ad-hoc closure, a holiday moved to it) ...
    #[arg(long, conflicts_with = "open", required_unless_present = "open")]
    close: bool,
    /// ... or open it (a holiday moved away, a rest day worked)
    #[arg(long)]
    open: bool,
    /// What the date is called: "Closure: heat in Tehran province"
    #[arg(long)]
    name: String,
    /// Who announced it: "CBI notice 1405/123"
    #[arg(long)]
    source: String,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Args, Debug)]
pub struct ScheduleArgs {
    #[arg(value_parser = currency_arg)]
    currency: CurrencyCode,
    /// IANA time zone: Europe/Moscow, Asia/Tehran ...
    #[arg(long)]
    time_zone: String,
    /// Local times HH:MM
    #[arg(long)]
    opens: String,
    #[arg(long)]
    customer_cutoff: String,
    #[arg(long)]
    institution_cutoff: String,
    #[arg(long)]
    liquidity_cutoff: String,
    #[arg(long)]
    closes: String,
    /// Keep payments still queued at the close for the next day instead of rejecting them
    #[arg(long)]
    carry_queued: bool,
    /// How many days ahead a settlement date may lie
    #[arg(long, default_value_t = 30)]
    horizon_days: u16,
    #[command(flatten)]
    conn: ConnArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum CutOffArg {
    Customer,
    Institution,
    Liquidity,
    Close,
}

#[derive(Args, Debug)]
pub struct ExtendArgs {
    #[arg(value_parser = currency_arg)]
    currency: CurrencyCode,
    /// The date, YYYY-MM-DD
    date: String,
    #[arg(long, value_enum)]
    cut_off: CutOffArg,
    /// The new local time, HH:MM
    #[arg(long)]
    until: String,
    #[command(flatten)]
    conn: ConnArgs,
}

/// One moment of a day as the node shows it.
#[derive(Debug, Deserialize)]
struct Moment {
    name: String,
    local: String,
    utc: String,
    extended: bool,
}

#[derive(Debug, Deserialize)]
struct Day {
    date: String,
    business_day: bool,
    reason: String,
    #[serde(default)]
    solar_hijri: Option<String>,
    #[serde(default)]
    times: Vec<Moment>,
}

#[derive(Debug, Deserialize)]
struct Phase {
    currency: String,
    date: String,
    phase: String,
    #[serde(default)]
    time_zone: Option<String>,
    #[serde(default)]
    solar_hijri: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Version {
    version: String,
    first: String,
    last: String,
}

#[derive(Debug, Deserialize)]
struct Setup {
    #[serde(default)]
    schedule: Option<serde_json::Value>,
    calendars: Vec<Version>,
}

#[derive(Debug, Deserialize)]
struct CalendarView {
    today: Phase,
    setup: Setup,
    days: Vec<Day>,
}

pub fn run(command: CalendarCommand) -> anyhow::Result<()> {
    match command {
        CalendarCommand::Show(args) => show(args),
        CalendarCommand::Today(args) => today(args),
        CalendarCommand::Load(args) => load(args),
        CalendarCommand::Amend(args) => amend(args),
        CalendarCommand::Schedule(args) => schedule(args),
        CalendarCommand::Extend(args) => extend(args),
    }
}

fn show(args: ShowArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let mut query = Vec::new();
    query.extend(args.from.map(|d| ("from", d)));
    query.extend(args.to.map(|d| ("to", d)));
    let answer = node.get(&format!("/v1/calendars/{}", args.currency), &query)?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let view: CalendarView = answer.decode()?;
    print_phase(&view.today);
    let versions: Vec<String> = view
        .setup
        .calendars
        .iter()
        .map(|v| format!("{} ({} to {})", v.version, v.first, v.last))
        .collect();
    println!(
        "  calendars: {}",
        if versions.is_empty() {
            "none loaded".into()
        } else {
            versions.join(", ")
        }
    );
    if view.setup.schedule.is_none() {
        println!("  no schedule: the currency is always open");
    }
    let mut header = vec!["date"];
    let hijri = view.days.iter().any(|d| d.solar_hijri.is_some());
    if hijri {
        header.push("solar hijri");
    }
    header.extend([
        "business day",
        "reason",
        "opens",
        "customer",
        "institution",
        "liquidity",
        "closes",
    ]);
    let mut t = table(&header, &[]);
    for day in &view.days {
        let mut row = vec![day.date.clone()];
        if hijri {
            row.push(day.solar_hijri.clone().unwrap_or_default());
        }
        row.push(if day.business_day { "yes" } else { "no" }.into());
        row.push(day.reason.clone());
        for name in [
            "opens",
            "customer_cutoff",
            "institution_cutoff",
            "liquidity_cutoff",
            "closes",
        ] {
            let cell = day
                .times
                .iter()
                .find(|m| m.name == name)
                .map_or_else(String::new, |m| {
                    let mark = if m.extended { " (extended)" } else { "" };
                    format!(
                        "{} ({} UTC){mark}",
                        m.local,
                        m.utc.get(11..16).unwrap_or(&m.utc)
                    )
                });
            row.push(cell);
        }
        t.add_row(row);
    }
    println!("{t}");
    Ok(())
}

fn print_phase(p: &Phase) {
    let hijri = p
        .solar_hijri
        .as_ref()
        .map_or_else(String::new, |h| format!(" ({h} Solar Hijri)"));
    println!(
        "{} {}{hijri}: {}{}",
        p.currency,
        p.date,
        p.phase.replace('_', " "),
        p.time_zone
            .as_ref()
            .map_or_else(String::new, |z| format!(" [{z}]"))
    );
}

fn today(args: TodayArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.get("/v1/operating-day", &[])?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    for phase in answer.decode::<Vec<Phase>>()? {
        print_phase(&phase);
    }
    Ok(())
}

#[derive(Serialize)]
struct LoadRequest {
    text: String,
}

/// The currency a calendar file names on its `currency` line.
fn file_currency(text: &str) -> anyhow::Result<CurrencyCode> {
    let code = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .find_map(|l| l.strip_prefix("currency,"))
        .context("the file has no currency line")?;
    currency_arg(code).map_err(anyhow::Error::msg)
}

fn load(args: LoadArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let currency = file_currency(&text)?;
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let answer = node.post(&format!("/v1/calendars/{currency}"), &LoadRequest { text })?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let duplicate = answer
        .decode::<serde_json::Value>()?
        .get("duplicate")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    if duplicate {
        println!("{currency}: this calendar was already loaded; nothing changed");
    } else {
        println!("{currency}: calendar loaded from {}", args.file.display());
    }
    Ok(())
}

#[derive(Serialize)]
struct AmendRequest {
    date: String,
    closed: bool,
    name: String,
    source: String,
}

fn amend(args: AmendArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let request = AmendRequest {
        date: args.date.trim().to_string(),
        closed: args.close,
        name: args.name,
        source: args.source,
    };
    let answer = node.post(
        &format!("/v1/calendars/{}/amendments", args.currency),
        &request,
    )?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    let what = if request.closed { "closed" } else { "opened" };
    println!(
        "{} {}: {what} ({})",
        args.currency, request.date, request.name
    );
    Ok(())
}

fn schedule(args: ScheduleArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let schedule = DaySchedule {
        time_zone: args.time_zone,
        opens: args.opens,
        customer_cutoff: args.customer_cutoff,
        institution_cutoff: args.institution_cutoff,
        liquidity_cutoff: args.liquidity_cutoff,
        closes: args.closes,
        end_of_day: if args.carry_queued {
            EndOfDayRule::CarryQueued
        } else {
            EndOfDayRule::RejectQueued
        },
        horizon_days: args.horizon_days,
    };
    let answer = node.put(
        &format!("/v1/calendars/{}/schedule", args.currency),
        &schedule,
    )?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    println!("{}: operating day set", args.currency);
    print!(
        "{}",
        block(&[
            ("time zone", schedule.time_zone.clone()),
            ("opens", schedule.opens.clone()),
            ("customer cut-off", schedule.customer_cutoff.clone()),
            ("institution cut-off", schedule.institution_cutoff.clone()),
            ("liquidity cut-off", schedule.liquidity_cutoff.clone()),
            ("closes", schedule.closes.clone()),
        ])
    );
    Ok(())
}

#[derive(Serialize)]
struct ExtendRequest {
    date: String,
    cut_off: CutOff,
    until: String,
}

fn extend(args: ExtendArgs) -> anyhow::Result<()> {
    let node = Node::connect(&args.conn, TIMEOUT)?;
    let cut_off = match args.cut_off {
        CutOffArg::Customer => CutOff::Customer,
        CutOffArg::Institution => CutOff::Institution,
        CutOffArg::Liquidity => CutOff::Liquidity,
        CutOffArg::Close => CutOff::Close,
    };
    let request = ExtendRequest {
        date: args.date.trim().to_string(),
        cut_off,
        until: args.until,
    };
    let answer = node.post(
        &format!("/v1/calendars/{}/extensions", args.currency),
        &request,
    )?;
    if print_json(&args.conn, &answer) {
        return Ok(());
    }
    println!(
        "{} {}: {:?} extended to {}",
        args.currency, request.date, request.cut_off, request.until
    );
    Ok(())
}
