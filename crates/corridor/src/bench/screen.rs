//! `corridor bench screen`: sanctions screening on one core against real lists. Builds the
//! index over the UN and OFAC lists (timed), screens clean names one after another in
//! rounds (screens per second, the median round), screens payments of four parties each
//! (latency per payment), times an index over 50,000 entities, and measures a brute-force
//! baseline in the same run: every query compared with every name of every entry by
//! Jaro-Winkler, no index.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::bail;
use clap::Args;
use corridor_screening::{EntryName, ListEntry, NameQuality, PartyKind, Screener, Threshold};
use corridor_watchlist::Watchlist;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use serde_json::{Value, json};

use super::{Machine, median, met, percentile_us};
use crate::screen::pairs::respell;
use crate::screen::{
    CleanName, ListSource, dictionary, index, named, negatives_path, read_negatives,
};

#[derive(Args)]
pub struct ScreenBenchArgs {
    /// A list to screen against, as FORMAT:FILE; repeat for each. Default: the files named
    /// by CORRIDOR_UN_LIST and CORRIDOR_OFAC_LIST.
    #[arg(long = "list", value_name = "FORMAT:FILE")]
    lists: Vec<ListSource>,
    /// Reference data: person_names.txt, and negatives_global.csv for the clean names.
    #[arg(long, env = "CORRIDOR_REFERENCE_DIR", value_name = "DIR")]
    reference_dir: Option<PathBuf>,
    /// Clean names screened for the throughput.
    #[arg(long, default_value_t = 50_000)]
    clean_names: usize,
    /// Rounds over the clean names; the median round's throughput is reported.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Payments of four parties each screened for the latency.
    #[arg(long, default_value_t = 5_000)]
    payments: usize,
    /// Queries the brute-force baseline screens.
    #[arg(long, default_value_t = 500)]
    baseline_queries: usize,
    /// Entities of the timed index build.
    #[arg(long, default_value_t = 50_000)]
    index_entities: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    json: bool,
}

const TARGET_SCREENS_PER_S: f64 = 20_000.0;
const TARGET_PAYMENT_P99_MS: f64 = 2.0;
const TARGET_INDEX_BUILD_S: f64 = 5.0;

/// The parties of a payment screened: debtor, creditor and the two ultimate parties.
const PARTIES_PER_PAYMENT: usize = 4;

/// The lists given, else those the environment names.
fn list_sources(given: &[ListSource]) -> anyhow::Result<Vec<ListSource>> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let from_env: Vec<ListSource> = [("CORRIDOR_UN_LIST", "un"), ("CORRIDOR_OFAC_LIST", "ofac")]
        .into_iter()
        .filter_map(|(var, format)| {
            let path = std::env::var(var).ok()?;
            format!("{format}:{path}").parse().ok()
        })
        .collect();
    if from_env.is_empty() {
        bail!(
            "no list to screen against: fetch the UN and OFAC lists with scripts/fetch-watchlists.sh DIR, then set CORRIDOR_UN_LIST=DIR/un.xml and CORRIDOR_OFAC_LIST=DIR/ofac_sdn.xml (or give --list FORMAT:FILE)"
        );
    }
    Ok(from_env)
}

/// Where the screened names come from: the clean names file, or, without it, the lists'
/// own names respelt (a harder load: every one of them reaches its entry).
fn queries(
    clean: Option<&[CleanName]>,
    lists: &[Watchlist],
    count: usize,
    seed: u64,
) -> Vec<String> {
    if let Some(clean) = clean {
        return clean
            .iter()
            .cycle()
            .take(count)
            .map(|c| c.full_name.clone())
            .collect();
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let names: Vec<&str> = lists
        .iter()
        .flat_map(|l| &l.entries)
        .filter_map(|e| e.names.first())
        .map(|n| n.text.as_str())
        .collect();
    names
        .iter()
        .cycle()
        .take(count)
        .map(|name| respell(name, &mut rng).unwrap_or_else(|| (*name).to_owned()))
        .collect()
}

/// Entities for the timed build: the clean names as people, or the lists' entries and
/// respelt copies of them.
fn entities(
    clean: Option<&[CleanName]>,
    lists: &[Watchlist],
    count: usize,
    seed: u64,
) -> Vec<(String, ListEntry)> {
    if let Some(clean) = clean {
        return clean
            .iter()
            .cycle()
            .take(count)
            .enumerate()
            .map(|(n, c)| {
                let entry = ListEntry {
                    id: format!("clean-{n}"),
                    kind: PartyKind::Person,
                    names: vec![EntryName {
                        text: c.full_name.clone(),
                        quality: NameQuality::Primary,
                    }],
                    dates_of_birth: c.date_of_birth.into_iter().collect(),
                    countries: Vec::new(),
                    identifiers: Vec::new(),
                };
                ("bench".to_owned(), entry)
            })
            .collect();
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let listed: Vec<&ListEntry> = lists.iter().flat_map(|l| &l.entries).collect();
    listed
        .iter()
        .cycle()
        .take(count)
        .enumerate()
        .map(|(n, entry)| {
            let mut entry = (*entry).clone();
            if n >= listed.len() {
                entry.id = format!("{}-{n}", entry.id);
                for name in &mut entry.names {
                    if let Some(respelt) = respell(&name.text, &mut rng) {
                        name.text = respelt;
                    }
                }
            }
            ("bench".to_owned(), entry)
        })
        .collect()
}

fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = work();
    (value, started.elapsed())
}

/// Screens every query on this thread; the rate and how many raised a hit.
fn throughput(screener: &Screener, queries: &[String]) -> (f64, usize) {
    let threshold = screener.threshold();
    let (hits, elapsed) = timed(|| {
        queries
            .iter()
            .filter(|q| {
                let candidates = screener.screen(black_box(&named(q)));
                black_box(&candidates).iter().any(|c| c.is_hit(threshold))
            })
            .count()
    });
    (queries.len() as f64 / elapsed.as_secs_f64(), hits)
}

/// Each payment's four parties screened in turn; the time of each payment, sorted.
fn payment_latencies(
    screener: &Screener,
    queries: &[String],
    payments: usize,
    seed: u64,
) -> Vec<Duration> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut latencies: Vec<Duration> = (0..payments)
        .map(|_| {
            let parties: Vec<_> = queries
                .choose_multiple(&mut rng, PARTIES_PER_PAYMENT)
                .map(|q| named(q))
                .collect();
            let (_, elapsed) = timed(|| {
                for party in &parties {
                    black_box(screener.screen(black_box(party)));
                }
            });
            elapsed
        })
        .collect();
    latencies.sort_unstable();
    latencies
}

/// Lower case, every run of non-letters one space: what a naive matcher compares.
fn normalised(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The baseline: every query against every listed name by Jaro-Winkler, keeping the
/// entries at or above the threshold. Returns screens per second.
fn brute_force(lists: &[Watchlist], queries: &[String], threshold: Threshold) -> f64 {
    let names: Vec<(usize, String)> = lists
        .iter()
        .flat_map(|l| &l.entries)
        .enumerate()
        .flat_map(|(entry, e)| e.names.iter().map(move |n| (entry, normalised(&n.text))))
        .collect();
    let bound = f64::from(threshold.per_mille()) / 1000.0;
    let (_, elapsed) = timed(|| {
        for query in queries {
            let query = normalised(query);
            let mut hits: Vec<usize> = names
                .iter()
                .filter(|(_, name)| strsim::jaro_winkler(&query, name) >= bound)
                .map(|(entry, _)| *entry)
                .collect();
            hits.dedup();
            black_box(hits);
        }
    });
    queries.len() as f64 / elapsed.as_secs_f64()
}

fn target(value: f64, bound: f64, at_least: bool) -> Value {
    let met = if at_least {
        value >= bound
    } else {
        value < bound
    };
    json!({ "target": bound, "value": value, "met": met })
}

pub fn run(args: ScreenBenchArgs) -> anyhow::Result<()> {
    if args.clean_names == 0 || args.rounds == 0 || args.payments == 0 || args.baseline_queries == 0
    {
        bail!("--clean-names, --rounds, --payments and --baseline-queries must be at least 1");
    }
    let lists = list_sources(&args.lists)?
        .iter()
        .map(ListSource::load)
        .collect::<anyhow::Result<Vec<_>>>()?;
    let (dictionary, dictionary_load) = timed(|| dictionary(args.reference_dir.as_deref()));
    let negatives = negatives_path(None, args.reference_dir.as_deref());
    let clean = negatives.as_deref().map(read_negatives).transpose()?;
    let source = match &negatives {
        Some(path) => path.display().to_string(),
        None => "the lists' own names, respelt (no negatives_global.csv)".to_owned(),
    };
    let threshold = Threshold::DEFAULT;
    let (screener, lists_build) = timed(|| index(&lists, dictionary.clone(), threshold, |_| true));
    let queries = queries(clean.as_deref(), &lists, args.clean_names, args.seed);
    let rounds: Vec<(f64, usize)> = (0..args.rounds)
        .map(|_| throughput(&screener, &queries))
        .collect();
    let round_rates: Vec<f64> = rounds.iter().map(|(rate, _)| *rate).collect();
    let screens_per_s = median(round_rates.clone());
    let clean_hits = rounds.first().map_or(0, |(_, hits)| *hits);
    let latencies = payment_latencies(&screener, &queries, args.payments, args.seed);
    let p50_ms = percentile_us(&latencies, 0.50) as f64 / 1000.0;
    let p99_ms = percentile_us(&latencies, 0.99) as f64 / 1000.0;
    let big = entities(clean.as_deref(), &lists, args.index_entities, args.seed);
    let (big_index, big_build) = timed(|| Screener::build(big, dictionary.clone()));
    let baseline_sample: Vec<String> = queries
        .iter()
        .take(args.baseline_queries)
        .cloned()
        .collect();
    let baseline_per_s = brute_force(&lists, &baseline_sample, threshold);
    let ratio = screens_per_s / baseline_per_s;
    let targets = json!({
        "screens_per_s": target(screens_per_s, TARGET_SCREENS_PER_S, true),
        "payment_p99_ms": target(p99_ms, TARGET_PAYMENT_P99_MS, false),
        "index_build_s": target(big_build.as_secs_f64(), TARGET_INDEX_BUILD_S, false),
    });
    let all_met = targets
        .as_object()
        .is_some_and(|t| t.values().all(|v| v["met"] == true));
    let entries: usize = lists.iter().map(|l| l.entries.len()).sum();
    let report = json!({
        "lists": lists.iter().map(|l| &l.version).collect::<Vec<_>>(),
        "entries": entries,
        "lists_index_build_s": lists_build.as_secs_f64(),
        "dictionary": {
            "loaded": dictionary.is_some(),
            "load_s": dictionary_load.as_secs_f64(),
        },
        "clean_names": queries.len(),
        "clean_names_source": source,
        "clean_names_with_a_hit": clean_hits,
        "screens_per_s": screens_per_s,
        "rounds": round_rates,
        "payments": latencies.len(),
        "parties_per_payment": PARTIES_PER_PAYMENT,
        "payment_p50_ms": p50_ms,
        "payment_p99_ms": p99_ms,
        "index_entities": big_index.entry_count(),
        "index_build_s": big_build.as_secs_f64(),
        "baseline": "Jaro-Winkler (strsim) of the normalised lower-case query against every name of every entry, no index",
        "baseline_queries": baseline_sample.len(),
        "baseline_screens_per_s": baseline_per_s,
        "ratio_to_baseline": ratio,
        "threshold": threshold.per_mille(),
        "targets": targets,
        "targets_met": all_met,
        "machine": Machine::detect(),
    });
    if args.json {
        println!("{report}");
        return Ok(());
    }
    print_table(&report, all_met);
    Ok(())
}

fn print_table(report: &Value, all_met: bool) {
    let rows = [
        ("entries in the lists", "entries"),
        ("index build, the lists (s)", "lists_index_build_s"),
        ("index build, 50,000-entity scale (s)", "index_build_s"),
        ("entities of that index", "index_entities"),
        ("clean names screened", "clean_names"),
        ("of them with a hit", "clean_names_with_a_hit"),
        ("screens/s, one thread (median round)", "screens_per_s"),
        ("screens/s of each round", "rounds"),
        ("payment p50 (ms, 4 parties)", "payment_p50_ms"),
        ("payment p99 (ms, 4 parties)", "payment_p99_ms"),
        ("baseline screens/s (brute force)", "baseline_screens_per_s"),
        ("ratio to baseline", "ratio_to_baseline"),
    ];
    for (label, field) in rows {
        println!("{label:<40} {}", report[field]);
    }
    println!(
        "dictionary: {}; clean names from {}",
        report["dictionary"], report["clean_names_source"]
    );
    println!(
        "targets: screens/s ≥ {TARGET_SCREENS_PER_S:.0}, payment p99 < {TARGET_PAYMENT_P99_MS} ms, index build < {TARGET_INDEX_BUILD_S} s: {}",
        met(all_met)
    );
    println!("machine: {}", report["machine"]);
}
