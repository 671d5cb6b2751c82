//! `corridor screen batch`: every line of a names file screened, one JSON object per name
//! on standard output, so a file of customers can be checked against a list in one run.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::inputs::{MatcherArgs, named};

#[derive(Args)]
pub struct BatchArgs {
    #[command(flatten)]
    matcher: MatcherArgs,
    /// One name per line; blank lines are skipped.
    #[arg(long, value_name = "NAMES.txt")]
    input: PathBuf,
}

pub fn run(args: BatchArgs) -> anyhow::Result<()> {
    let prepared = args.matcher.prepare()?;
    let file = std::fs::File::open(&args.input)
        .with_context(|| format!("reading {}", args.input.display()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (number, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{} line {}", args.input.display(), number + 1))?;
        let query = line.trim();
        if query.is_empty() {
            continue;
        }
        let matches: Vec<serde_json::Value> = prepared
            .screener
            .screen(&named(query))
            .iter()
            .map(|c| {
                serde_json::json!({
                    "list": c.list,
                    "list_entry_id": c.entry_id,
                    "name": c.entry_name,
                    "score": c.score,
                    "hit": c.is_hit(prepared.threshold),
                })
            })
            .collect();
        let object = serde_json::json!({ "query": query, "matches": matches });
        writeln!(out, "{object}")?;
    }
    Ok(())
}
