//! `corridor screen`: sanctions screening from the command line, without a node. One name
//! against lists given as files (or the lists a node stored in its data directory), a batch
//! of names, and the two tools that measure the matcher on a real list: `pairs` writes a
//! labelled set of queries, `eval` scores the matcher on it.

mod batch;
mod eval;
mod inputs;
pub(crate) mod pairs;

pub(crate) use inputs::{
    CleanName, ListSource, MatcherArgs, dictionary, index, named, negatives_path, partial_date,
    read_negatives,
};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use corridor_screening::{Candidate, Party, PartyKind, Threshold};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ScreenArgs {
    #[command(subcommand)]
    command: Option<ScreenCommand>,
    #[command(flatten)]
    one: OneNameArgs,
}

#[derive(Subcommand)]
enum ScreenCommand {
    /// Screens every line of a file and prints one JSON object per name.
    Batch(batch::BatchArgs),
    /// Writes a labelled pair set (CSV `query,list_entry_id,expected,variation`) built from
    /// a list's own names and seeded perturbations of them.
    Pairs(pairs::PairsArgs),
    /// Screens every query of a pair set and reports recall and precision by script and by
    /// variation, and false alerts on clean names.
    Eval(eval::EvalArgs),
}

/// `corridor screen NAME`: one party, every candidate with its explanation.
#[derive(Args)]
struct OneNameArgs {
    /// The name to screen, in any script.
    #[arg(required = true)]
    name: Option<String>,
    /// The party's country, ISO 3166 alpha-2.
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// The party's date of birth: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    dob: Option<String>,
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    #[command(flatten)]
    matcher: MatcherArgs,
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Person,
    Organisation,
}

/// A candidate as JSON, with whether it is a hit at `threshold`.
fn candidate_json(candidate: &Candidate, threshold: Threshold) -> serde_json::Value {
    let mut value = serde_json::to_value(candidate).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object.insert("hit".into(), candidate.is_hit(threshold).into());
    }
    value
}

pub fn run(args: ScreenArgs) -> anyhow::Result<()> {
    match args.command {
        Some(ScreenCommand::Batch(args)) => batch::run(args),
        Some(ScreenCommand::Pairs(args)) => pairs::run(args),
        Some(ScreenCommand::Eval(args)) => eval::run(args),
        None => screen_one(args.one),
    }
}

fn party(args: &OneNameArgs, name: &str) -> anyhow::Result<Party> {
    let date_of_birth = args
        .dob
        .as_deref()
        .map(|text| {
            partial_date(text).with_context(|| format!("--dob {text:?}: expected YYYY[-MM[-DD]]"))
        })
        .transpose()?;
    Ok(Party {
        name: name.to_owned(),
        kind: args.kind.map(|kind| match kind {
            KindArg::Person => PartyKind::Person,
            KindArg::Organisation => PartyKind::Organisation,
        }),
        country: args.country.as_deref().map(str::to_uppercase),
        date_of_birth,
        identifiers: Vec::new(),
    })
}

fn screen_one(args: OneNameArgs) -> anyhow::Result<()> {
    let Some(name) = args.name.as_deref() else {
        bail!("give a NAME to screen, or a subcommand (batch, pairs, eval)");
    };
    let party = party(&args, name)?;
    let prepared = args.matcher.prepare()?;
    let candidates = prepared.screener.screen(&party);
    let threshold = prepared.threshold;
    if args.json {
        let out = serde_json::json!({
            "query": party,
            "threshold": threshold.per_mille(),
            "dictionary": prepared.dictionary.is_some(),
            "lists": prepared.lists.iter().map(|l| &l.version).collect::<Vec<_>>(),
            "candidates": candidates.iter().map(|c| candidate_json(c, threshold)).collect::<Vec<_>>(),
        });
        println!("{out}");
        return Ok(());
    }
    let lists: Vec<String> = prepared
        .lists
        .iter()
        .map(|l| {
            format!(
                "{} of {} ({} entries)",
                l.name, l.version.date, l.version.entries
            )
        })
        .collect();
    println!(
        "screened {name:?} against {}; threshold {}‰",
        lists.join(", "),
        threshold.per_mille()
    );
    if candidates.is_empty() {
        println!("no candidate");
    }
    for candidate in &candidates {
        let verdict = if candidate.is_hit(threshold) {
            "HIT"
        } else {
            "below threshold"
        };
        print!("{verdict}: {candidate}");
    }
    Ok(())
}
