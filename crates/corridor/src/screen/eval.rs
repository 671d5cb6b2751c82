//! `corridor screen eval`: the matcher scored on a labelled pair set. A `match` row is
//! found (TP) when its expected entry is among the hits, missed (FN) when not; a `no_match`
//! row that hits its entry is a false positive (FP). Recall and precision come by script of
//! the query, by variation and overall, with false alerts per thousand clean names.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use corridor_screening::{NameQuality, Party, Screener, Threshold};
use serde::Serialize;
use serde_json::{Value, json};

use super::inputs::{
    CleanName, MatcherArgs, QueryScript, index, named, negatives_path, read_negatives,
};

#[derive(Args)]
pub struct EvalArgs {
    #[command(flatten)]
    matcher: MatcherArgs,
    /// CSV with the header `query,list_entry_id,expected[,variation]`; expected is `match`
    /// or `no_match`.
    #[arg(long, value_name = "FILE")]
    pairs: PathBuf,
    /// Clean names (negatives_global.csv) for the false alert rate; default: the reference
    /// directory's, if it has one.
    #[arg(long, value_name = "FILE")]
    negatives: Option<PathBuf>,
    /// Missed queries listed per variation.
    #[arg(long, default_value_t = 5)]
    show_misses: usize,
    #[arg(long)]
    json: bool,
}

/// The variation whose queries are the entries' own original-script names.
const ORIGINAL_SCRIPT: &str = "original_script";

const EXACT_ALIAS_TARGET: f64 = 0.999;
const PERTURBED_TARGET: f64 = 0.98;
const ORIGINAL_SCRIPT_TARGET: f64 = 0.90;
const FALSE_ALERTS_TARGET: f64 = 1.0;

/// One row of a pair set.
struct PairRow {
    line: u64,
    query: String,
    entry_id: String,
    expected_match: bool,
    variation: String,
}

/// One row screened.
struct Outcome {
    row: PairRow,
    script: QueryScript,
    found: bool,
    best: Option<(String, u16)>,
}

fn read_pairs(path: &Path) -> anyhow::Result<Vec<PairRow>> {
    let shown = path.display();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("reading {shown}"))?;
    let header = reader
        .headers()
        .with_context(|| format!("{shown} line 1"))?;
    let columns: Vec<&str> = header.iter().map(str::trim).collect();
    let has_variation = match columns.as_slice() {
        ["query", "list_entry_id", "expected"] => false,
        ["query", "list_entry_id", "expected", "variation"] => true,
        _ => bail!("{shown} line 1: the header must be query,list_entry_id,expected[,variation]"),
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("reading {shown}"))?;
        let line = record.position().map_or(0, csv::Position::line);
        let fields: Vec<&str> = record.iter().collect();
        let (query, entry_id, expected, variation) = match (fields.as_slice(), has_variation) {
            ([q, id, e], _) => (*q, *id, *e, "unspecified"),
            ([q, id, e, v], true) => (*q, *id, *e, *v),
            _ => bail!(
                "{shown} line {line}: expected {} fields, found {}",
                if has_variation { "3 or 4" } else { "3" },
                fields.len()
            ),
        };
        let expected_match = match expected.trim() {
            "match" => true,
            "no_match" => false,
            other => bail!("{shown} line {line}: expected is match or no_match, not {other:?}"),
        };
        if query.trim().is_empty() || entry_id.trim().is_empty() {
            bail!("{shown} line {line}: the query and the list_entry_id must not be empty");
        }
        let variation = match variation.trim() {
            "" => "unspecified",
            given => given,
        };
        rows.push(PairRow {
            line,
            query: query.to_owned(),
            entry_id: entry_id.trim().to_owned(),
            expected_match,
            variation: variation.to_owned(),
        });
    }
    Ok(rows)
}

/// Counts of one group of rows.
#[derive(Clone, Copy, Default, Serialize)]
struct Counts {
    rows: usize,
    #[serde(rename = "tp")]
    true_positives: usize,
    #[serde(rename = "fn")]
    false_negatives: usize,
    #[serde(rename = "fp")]
    false_positives: usize,
    #[serde(rename = "tn")]
    true_negatives: usize,
}

impl Counts {
    fn of<'a>(outcomes: impl Iterator<Item = &'a Outcome>) -> Counts {
        let mut counts = Counts::default();
        for outcome in outcomes {
            counts.rows += 1;
            match (outcome.row.expected_match, outcome.found) {
                (true, true) => counts.true_positives += 1,
                (true, false) => counts.false_negatives += 1,
                (false, true) => counts.false_positives += 1,
                (false, false) => counts.true_negatives += 1,
            }
        }
        counts
    }

    /// TP / (TP + FN): of the rows that should match, how many did.
    fn recall(&self) -> Option<f64> {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// TP / (TP + FP): of the rows that hit their entry, how many should have.
    fn precision(&self) -> Option<f64> {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    fn json(&self) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert("recall".into(), json!(self.recall()));
            object.insert("precision".into(), json!(self.precision()));
        }
        value
    }
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Screens one row: against the index without original-script names for the
/// original-script variation, so such a query must find its entry through Latin names.
fn screen_row(row: PairRow, full: &Screener, latin_only: &Screener) -> Outcome {
    let screener = if row.variation == ORIGINAL_SCRIPT {
        latin_only
    } else {
        full
    };
    let threshold = screener.threshold();
    let candidates = screener.screen(&named(&row.query));
    let found = candidates
        .iter()
        .any(|c| c.entry_id == row.entry_id && c.is_hit(threshold));
    let best = candidates.first().map(|c| {
        (
            format!("{} {} \"{}\"", c.list, c.entry_id, c.entry_name),
            c.score,
        )
    });
    Outcome {
        script: QueryScript::of(&row.query),
        row,
        found,
        best,
    }
}

/// Clean names that raised a hit, screened by name alone and with their date of birth.
struct FalseAlerts {
    screened: usize,
    name_only: usize,
    with_date_of_birth: usize,
    examples: Vec<String>,
}

impl FalseAlerts {
    fn per_1000(&self, alerts: usize) -> f64 {
        ratio(alerts * 1000, self.screened).unwrap_or(0.0)
    }
}

fn false_alerts(clean: &[CleanName], screener: &Screener, examples: usize) -> FalseAlerts {
    let threshold = screener.threshold();
    let mut alerts = FalseAlerts {
        screened: clean.len(),
        name_only: 0,
        with_date_of_birth: 0,
        examples: Vec::new(),
    };
    for person in clean {
        let by_name = screener.screen(&named(&person.full_name));
        if let Some(hit) = by_name.iter().find(|c| c.is_hit(threshold)) {
            alerts.name_only += 1;
            if alerts.examples.len() < examples {
                alerts.examples.push(format!(
                    "{:?} hit {} {} \"{}\" at {}‰",
                    person.full_name, hit.list, hit.entry_id, hit.entry_name, hit.score
                ));
            }
        }
        let party = Party {
            date_of_birth: person.date_of_birth,
            ..named(&person.full_name)
        };
        if screener.screen(&party).iter().any(|c| c.is_hit(threshold)) {
            alerts.with_date_of_birth += 1;
        }
    }
    alerts
}

/// One target: the value measured and whether it is met (`null` without rows to measure).
fn target(minimum: bool, bound: f64, value: Option<f64>) -> Value {
    let met = value.map(|v| if minimum { v >= bound } else { v <= bound });
    json!({ "target": bound, "value": value, "met": met })
}

fn counts_where(outcomes: &[Outcome], keep: impl Fn(&Outcome) -> bool) -> Counts {
    Counts::of(outcomes.iter().filter(|o| keep(o)))
}

fn in_variations<'a>(variations: &'a [&'a str]) -> impl Fn(&Outcome) -> bool + 'a {
    move |o: &Outcome| variations.contains(&o.row.variation.as_str())
}

pub fn run(args: EvalArgs) -> anyhow::Result<()> {
    let rows = read_pairs(&args.pairs)?;
    let prepared = args.matcher.prepare()?;
    let latin_only = index(
        &prepared.lists,
        prepared.dictionary.clone(),
        prepared.threshold,
        |name| name.quality != NameQuality::OriginalScript,
    );
    let outcomes: Vec<Outcome> = rows
        .into_iter()
        .map(|row| screen_row(row, &prepared.screener, &latin_only))
        .collect();
    let negatives = negatives_path(args.negatives.as_deref(), args.matcher.reference_dir());
    let alerts = match &negatives {
        Some(path) => Some(false_alerts(
            &read_negatives(path)?,
            &prepared.screener,
            args.show_misses,
        )),
        None => None,
    };
    let report = Report {
        outcomes: &outcomes,
        alerts: alerts.as_ref(),
        threshold: prepared.threshold,
    };
    if args.json {
        println!("{}", report.json(prepared.dictionary.is_some()));
        return Ok(());
    }
    report.print(&args.pairs, prepared.dictionary.is_some(), args.show_misses);
    Ok(())
}

struct Report<'a> {
    outcomes: &'a [Outcome],
    alerts: Option<&'a FalseAlerts>,
    threshold: Threshold,
}

impl Report<'_> {
    fn variations(&self) -> BTreeSet<&str> {
        self.outcomes
            .iter()
            .map(|o| o.row.variation.as_str())
            .collect()
    }

    fn scripts(&self) -> BTreeSet<QueryScript> {
        self.outcomes.iter().map(|o| o.script).collect()
    }

    fn by_variation(&self) -> Vec<(String, Counts)> {
        self.variations()
            .into_iter()
            .map(|v| {
                (
                    v.to_owned(),
                    counts_where(self.outcomes, |o| o.row.variation == v),
                )
            })
            .collect()
    }

    fn by_script(&self) -> Vec<(String, Counts)> {
        self.scripts()
            .into_iter()
            .map(|s| {
                (
                    s.as_str().to_owned(),
                    counts_where(self.outcomes, |o| o.script == s),
                )
            })
            .collect()
    }

    fn targets(&self) -> Value {
        let exact_alias = counts_where(self.outcomes, in_variations(&["exact", "alias"]));
        let perturbed = counts_where(
            self.outcomes,
            in_variations(&["latin_spelling", "lookalike", "word_order", "dropped_part"]),
        );
        let cyrillic = counts_where(self.outcomes, in_variations(&["cyrillic"]));
        let original = counts_where(self.outcomes, |o| {
            o.row.variation == ORIGINAL_SCRIPT && o.script == QueryScript::ArabicScript
        });
        let alerts = self.alerts.map(|a| a.per_1000(a.name_only));
        json!({
            "exact_alias_recall": target(true, EXACT_ALIAS_TARGET, exact_alias.recall()),
            "latin_perturbed_recall": target(true, PERTURBED_TARGET, perturbed.recall()),
            "cyrillic_recall": target(true, PERTURBED_TARGET, cyrillic.recall()),
            "original_script_arabic_recall": target(true, ORIGINAL_SCRIPT_TARGET, original.recall()),
            "false_alerts_per_1000": target(false, FALSE_ALERTS_TARGET, alerts),
        })
    }

    fn misses(&self, variation: &str, limit: usize) -> Vec<String> {
        self.outcomes
            .iter()
            .filter(|o| o.row.variation == variation && o.row.expected_match && !o.found)
            .take(limit)
            .map(|o| {
                let best = o.best.as_ref().map_or("no candidate".to_owned(), |(c, s)| {
                    format!("best {c} at {s}‰")
                });
                format!(
                    "line {}: {:?} expected {}; {best}",
                    o.row.line, o.row.query, o.row.entry_id
                )
            })
            .collect()
    }

    fn json(&self, dictionary: bool) -> Value {
        let groups = |groups: Vec<(String, Counts)>| -> Value {
            groups
                .into_iter()
                .map(|(name, counts)| (name, counts.json()))
                .collect::<serde_json::Map<_, _>>()
                .into()
        };
        let misses: serde_json::Map<String, Value> = self
            .variations()
            .into_iter()
            .map(|v| (v.to_owned(), json!(self.misses(v, 5))))
            .collect();
        json!({
            "threshold": self.threshold.per_mille(),
            "dictionary": dictionary,
            "original_script_note": "original_script rows are screened against an index without the entries' original-script names",
            "overall": Counts::of(self.outcomes.iter()).json(),
            "by_script": groups(self.by_script()),
            "by_variation": groups(self.by_variation()),
            "false_alerts_per_1000": self.alerts.map(|a| a.per_1000(a.name_only)),
            "false_alerts_per_1000_with_date_of_birth":
                self.alerts.map(|a| a.per_1000(a.with_date_of_birth)),
            "clean_names_screened": self.alerts.map(|a| a.screened),
            "false_alert_examples": self.alerts.map(|a| &a.examples),
            "misses": misses,
            "targets": self.targets(),
        })
    }

    fn print(&self, pairs: &Path, dictionary: bool, show_misses: usize) {
        println!(
            "{} pairs from {}; threshold {}‰; name dictionary {}",
            self.outcomes.len(),
            pairs.display(),
            self.threshold.per_mille(),
            if dictionary { "loaded" } else { "absent" }
        );
        println!(
            "original_script rows are screened against an index without the entries' original-script names: the query must find its entry through the Latin ones"
        );
        println!(
            "{:<24} {:>6} {:>6} {:>6} {:>6} {:>6} {:>8} {:>9}",
            "group", "rows", "TP", "FN", "FP", "TN", "recall", "precision"
        );
        let sections = [
            ("variation", self.by_variation()),
            ("script", self.by_script()),
            (
                "overall",
                vec![("all".to_owned(), Counts::of(self.outcomes.iter()))],
            ),
        ];
        for (section, groups) in sections {
            for (name, c) in groups {
                println!(
                    "{:<24} {:>6} {:>6} {:>6} {:>6} {:>6} {:>8} {:>9}",
                    format!("{section} {name}"),
                    c.rows,
                    c.true_positives,
                    c.false_negatives,
                    c.false_positives,
                    c.true_negatives,
                    shown(c.recall()),
                    shown(c.precision())
                );
            }
        }
        if let Some(a) = self.alerts {
            println!(
                "false alerts per 1,000 clean names: {:.2} by name alone ({} of {}), {:.2} with the date of birth ({})",
                a.per_1000(a.name_only),
                a.name_only,
                a.screened,
                a.per_1000(a.with_date_of_birth),
                a.with_date_of_birth
            );
            a.examples.iter().for_each(|e| println!("  {e}"));
        }
        if let Some(targets) = self.targets().as_object() {
            for (name, t) in targets {
                let met = match t["met"].as_bool() {
                    Some(true) => "met",
                    Some(false) => "NOT met",
                    None => "not measured",
                };
                println!("target {name}: {} vs {}: {met}", t["value"], t["target"]);
            }
        }
        for variation in self.variations() {
            for miss in self.misses(variation, show_misses) {
                println!("missed ({variation}) {miss}");
            }
        }
    }
}

fn shown(value: Option<f64>) -> String {
    value.map_or("-".to_owned(), |v| format!("{v:.4}"))
}
