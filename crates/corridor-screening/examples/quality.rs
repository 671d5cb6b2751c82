//! Measures the screener against the real UN and OFAC lists: recall of exact names, Latin and
//! Cyrillic spelling variants and original Arabic-script names, false alerts on clean names,
//! screenings per second, index build and dictionary load times.
//!
//! `cargo run --release -p corridor-screening --example quality -- UN_XML OFAC_XML [REFERENCE_DIR]`
//! (REFERENCE_DIR, or `CORRIDOR_REFERENCE_DIR`, holds `person_names.txt` and
//! `negatives_global.csv`). Without the files it says so and measures nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use corridor_screening::{
    ListEntry, NameDictionary, NameQuality, PartialDate, Party, PartyKind, Screener, Threshold,
};
use corridor_watchlist::{ListFormat, load};

/// Variant queries drawn per measure; the draw is seeded, so every run asks the same queries.
const SAMPLE: usize = 3000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reference = args
        .get(2)
        .cloned()
        .or_else(|| std::env::var("CORRIDOR_REFERENCE_DIR").ok())
        .map(PathBuf::from);
    let (Some(un), Some(ofac), Some(reference)) = (args.first(), args.get(1), reference) else {
        println!("usage: quality UN_XML OFAC_XML [REFERENCE_DIR]; nothing measured");
        return;
    };
    let paths = [
        PathBuf::from(un),
        PathBuf::from(ofac),
        reference.join("person_names.txt"),
        reference.join("negatives_global.csv"),
    ];
    if let Some(missing) = paths.iter().find(|path| !path.exists()) {
        println!("{} is absent; nothing measured", missing.display());
        return;
    }
    let lists = [
        ("un", read_list(ListFormat::Un, "un", &paths[0])),
        ("ofac", read_list(ListFormat::Ofac, "ofac", &paths[1])),
    ];
    let started = Instant::now();
    let text = read_text(&paths[2]);
    let dictionary = Arc::new(NameDictionary::parse(&text).unwrap_or_else(|e| fail(&e)));
    println!("dictionary load: {:.2} s", started.elapsed().as_secs_f64());
    let all: Vec<(String, ListEntry)> = lists
        .iter()
        .flat_map(|(list, entries)| entries.iter().map(|e| ((*list).to_owned(), e.clone())))
        .collect();
    let started = Instant::now();
    let screener = Screener::build(all.clone(), Some(dictionary.clone()));
    println!(
        "index build: {} entries in {:.2} s",
        all.len(),
        started.elapsed().as_secs_f64()
    );
    exact_recall(&screener, &all);
    variant_recall(&screener, &all, "latin", latin_variant);
    let people: Vec<(String, ListEntry)> = all
        .iter()
        .filter(|(_, entry)| entry.kind == PartyKind::Person)
        .cloned()
        .collect();
    variant_recall(&screener, &people, "cyrillic (people)", |name, rng| {
        let structural = [5, 8, 9, 10, 11][rng.below(5)];
        Some(to_cyrillic(&variant_of(name, structural, rng)?))
    });
    arabic_recall(&all, &dictionary);
    clean_names(&screener, &paths[3]);
}

fn read_list(format: ListFormat, name: &str, path: &Path) -> Vec<ListEntry> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| fail(&e));
    load(format, name, &bytes, None)
        .unwrap_or_else(|e| fail(&e))
        .entries
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| fail(&e))
}

fn fail(error: &dyn std::fmt::Display) -> ! {
    eprintln!("{error}");
    std::process::exit(1)
}

fn hits(screener: &Screener, party: &Party, list: &str, id: &str) -> bool {
    screener
        .screen(party)
        .iter()
        .any(|c| c.list == list && c.entry_id == id && c.is_hit(Threshold::DEFAULT))
}

fn named(name: &str) -> Party {
    Party {
        name: name.to_owned(),
        ..Party::default()
    }
}

fn report(what: &str, found: usize, asked: usize) {
    let recall = found as f64 / asked.max(1) as f64;
    println!("{what}: recall {recall:.3} ({found}/{asked})");
}

fn exact_recall(screener: &Screener, all: &[(String, ListEntry)]) {
    let mut rng = Rng(7);
    let (mut found, mut asked) = (0, 0);
    for _ in 0..SAMPLE {
        let (list, entry) = &all[rng.below(all.len())];
        let name = &entry.names[rng.below(entry.names.len())];
        if name.quality == NameQuality::WeakAlias {
            continue;
        }
        asked += 1;
        if hits(screener, &named(&name.text), list, &entry.id) {
            found += 1;
        }
    }
    report("exact names and aliases", found, asked);
}

/// Latin names of people, the ones spelling variants are about.
fn latin_names(all: &[(String, ListEntry)]) -> Vec<(&str, &str, &str)> {
    all.iter()
        .flat_map(|(list, entry)| {
            entry
                .names
                .iter()
                .filter(|n| n.quality != NameQuality::WeakAlias && is_latin(&n.text))
                .map(move |n| (list.as_str(), entry.id.as_str(), n.text.as_str()))
        })
        .collect()
}

fn is_latin(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_alphabetic()) && text.chars().all(|c| (c as u32) < 0x250)
}

fn variant_recall(
    screener: &Screener,
    all: &[(String, ListEntry)],
    what: &str,
    variant: impl Fn(&str, &mut Rng) -> Option<String>,
) {
    let names = latin_names(all);
    let mut rng = Rng(11);
    let (mut found, mut asked) = (0, 0);
    let verbose = std::env::var("QUALITY_VERBOSE").is_ok();
    while asked < SAMPLE {
        let (list, id, name) = names[rng.below(names.len())];
        let Some(query) = variant(name, &mut rng) else {
            continue;
        };
        asked += 1;
        if hits(screener, &named(&query), list, id) {
            found += 1;
        } else if verbose {
            println!("  miss {what}: {query:?} for {name:?}");
        }
    }
    report(&format!("{what} spelling variants"), found, asked);
}

/// One perturbation a writer or a spoofer makes to a name.
fn latin_variant(name: &str, rng: &mut Rng) -> Option<String> {
    let which = rng.below(11);
    variant_of(name, which, rng)
}

/// Perturbation `which` of a name (11 and above: none, the name in lower case).
fn variant_of(name: &str, which: usize, rng: &mut Rng) -> Option<String> {
    // An apostrophe joins the parts of one word (Jum'ah), as a writer reads it.
    let lower = name.to_lowercase().replace(['\'', '’'], "");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 2 {
        return None;
    }
    let joined = words.join(" ");
    let varied = match which {
        0 => swap_vowel(&joined, rng),
        1 => double_consonant(&joined, rng),
        2 => kh_or_h(&joined, rng),
        3 => replace_one(
            &joined,
            &[("y", "i"), ("i", "y"), ("j", "y"), ("y", "j")],
            rng,
        ),
        4 => replace_one(&joined, &[("ou", "u"), ("u", "ou"), ("oo", "u")], rng),
        5 => joined.replacen(' ', "-", 1),
        6 => lookalikes(&joined),
        7 => insert_at_random(&joined, '\u{200B}', rng),
        8 => format!(
            "{}, {}",
            words[words.len() - 1],
            words[..words.len() - 1].join(" ")
        ),
        9 => words.iter().rev().copied().collect::<Vec<_>>().join(" "),
        10 if words.len() >= 3 => {
            let mut kept = words.clone();
            kept.remove(1 + rng.below(words.len() - 2));
            kept.join(" ")
        }
        10 => return None,
        _ => return Some(joined),
    };
    (varied != joined || rng.below(2) == 0).then_some(varied)
}

/// "kh" written "h", or an h of its own (not the h of sh, ch, th ...) written "kh".
fn kh_or_h(text: &str, rng: &mut Rng) -> String {
    if text.contains("kh") && rng.below(2) == 0 {
        return text.replacen("kh", "h", 1);
    }
    let chars: Vec<char> = text.chars().collect();
    let at: Vec<usize> = (0..chars.len())
        .filter(|i| chars[*i] == 'h' && (*i == 0 || !"sctgkzpdh".contains(chars[*i - 1])))
        .collect();
    if at.is_empty() {
        return text.to_owned();
    }
    let i = at[rng.below(at.len())];
    let mut out: String = chars[..i].iter().collect();
    out.push('k');
    out.extend(&chars[i..]);
    out
}

fn swap_vowel(text: &str, rng: &mut Rng) -> String {
    const VOWELS: [char; 5] = ['a', 'e', 'i', 'o', 'u'];
    let mut chars: Vec<char> = text.chars().collect();
    let at: Vec<usize> = (1..chars.len())
        .filter(|i| VOWELS.contains(&chars[*i]))
        .collect();
    if at.is_empty() {
        return text.to_owned();
    }
    let i = at[rng.below(at.len())];
    chars[i] = VOWELS[rng.below(VOWELS.len())];
    chars.into_iter().collect()
}

fn double_consonant(text: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at: Vec<usize> = (0..chars.len())
        .filter(|i| chars[*i].is_ascii_alphabetic() && !"aeiouy".contains(chars[*i]))
        .collect();
    if at.is_empty() {
        return text.to_owned();
    }
    let i = at[rng.below(at.len())];
    let mut out: String = chars[..=i].iter().collect();
    out.push(chars[i]);
    out.extend(&chars[i + 1..]);
    out
}

fn replace_one(text: &str, pairs: &[(&str, &str)], rng: &mut Rng) -> String {
    let present: Vec<&(&str, &str)> = pairs
        .iter()
        .filter(|(from, _)| text.contains(from))
        .collect();
    if present.is_empty() {
        return text.to_owned();
    }
    let (from, to) = present[rng.below(present.len())];
    text.replacen(from, to, 1)
}

fn lookalikes(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'a' => 'а',
            'e' => 'е',
            'o' => 'о',
            'c' => 'с',
            'p' => 'р',
            _ => c,
        })
        .collect()
}

fn insert_at_random(text: &str, c: char, rng: &mut Rng) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = 1 + rng.below(chars.len().saturating_sub(1).max(1));
    let mut out: String = chars[..at.min(chars.len())].iter().collect();
    out.push(c);
    out.extend(&chars[at.min(chars.len())..]);
    out
}

fn after_vowel(cyrillic: &str) -> bool {
    cyrillic.ends_with(['а', 'е', 'и', 'о', 'у', 'ы'])
}

/// A Latin name as a Russian passport office writes it in Cyrillic.
fn to_cyrillic(text: &str) -> String {
    const DIGRAPHS: [(&str, &str); 10] = [
        ("shch", "щ"),
        ("kh", "х"),
        ("zh", "ж"),
        ("ch", "ч"),
        ("sh", "ш"),
        ("ts", "ц"),
        ("ya", "я"),
        ("yu", "ю"),
        ("ye", "е"),
        ("ph", "ф"),
    ];
    let mut out = String::new();
    let mut rest = text;
    'outer: while let Some(c) = rest.chars().next() {
        for (latin, cyrillic) in DIGRAPHS {
            if let Some(after) = rest.strip_prefix(latin) {
                out.push_str(cyrillic);
                rest = after;
                continue 'outer;
            }
        }
        let reading = match c {
            'a' => "а",
            'b' => "б",
            'c' if rest[1..].starts_with(['e', 'i', 'y']) => "с",
            'c' => "к",
            'd' => "д",
            'e' => "е",
            'f' => "ф",
            'g' => "г",
            'h' => "х",
            'i' => "и",
            'j' => "дж",
            'k' => "к",
            'l' => "л",
            'm' => "м",
            'n' => "н",
            'o' => "о",
            'p' => "п",
            'q' => "к",
            'r' => "р",
            's' => "с",
            't' => "т",
            'u' => "у",
            'v' | 'w' => "в",
            'x' => "кс",
            'y' if after_vowel(&out) || out.is_empty() || out.ends_with(' ') => "й",
            'y' => "ы",
            'z' => "з",
            _ => "",
        };
        if reading.is_empty() {
            out.push(c);
        }
        out.push_str(reading);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn is_arabic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// UN original-script names against an index of the same lists without them.
fn arabic_recall(all: &[(String, ListEntry)], dictionary: &Arc<NameDictionary>) {
    let without: Vec<(String, ListEntry)> = all
        .iter()
        .map(|(list, entry)| {
            let mut entry = entry.clone();
            entry
                .names
                .retain(|n| n.quality != NameQuality::OriginalScript);
            (list.clone(), entry)
        })
        .collect();
    let screener = Screener::build(without, Some(dictionary.clone()));
    let verbose = std::env::var("QUALITY_VERBOSE").is_ok();
    let (mut found, mut asked) = (0, 0);
    for (list, entry) in all.iter().filter(|(list, _)| list == "un") {
        for name in entry
            .names
            .iter()
            .filter(|n| n.quality == NameQuality::OriginalScript)
        {
            if !is_arabic(&name.text) {
                continue;
            }
            asked += 1;
            if hits(&screener, &named(&name.text), list, &entry.id) {
                found += 1;
            } else if verbose {
                println!(
                    "  miss arabic: {:?} for {:?}",
                    name.text, entry.names[0].text
                );
            }
        }
    }
    report("UN Arabic script against Latin names", found, asked);
}

fn clean_names(screener: &Screener, path: &Path) {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| fail(&e));
    let mut parties = Vec::new();
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| fail(&e));
        let born = record.get(5).and_then(parse_date);
        parties.push((record.get(0).unwrap_or_default().to_owned(), born));
    }
    let verbose = std::env::var("QUALITY_VERBOSE").is_ok();
    let alerts = |with_birth: bool| {
        let mut alerts = 0;
        for (name, born) in &parties {
            let party = Party {
                name: name.clone(),
                date_of_birth: if with_birth { *born } else { None },
                ..Party::default()
            };
            let found = screener.screen(&party);
            if let Some(hit) = found.iter().find(|c| c.is_hit(Threshold::DEFAULT)) {
                alerts += 1;
                if verbose && !with_birth {
                    println!("  alert: {name:?} -> {:?} {}", hit.entry_name, hit.score);
                }
            }
        }
        alerts
    };
    let per_thousand = |n: usize| n as f64 * 1000.0 / parties.len().max(1) as f64;
    let name_only = alerts(false);
    let started = Instant::now();
    let with_birth = alerts(true);
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "false alerts per 1,000 clean names: {:.2} name only, {:.2} with date of birth ({} names)",
        per_thousand(name_only),
        per_thousand(with_birth),
        parties.len()
    );
    println!(
        "throughput: {:.0} screenings/s on one thread",
        parties.len() as f64 / elapsed
    );
}

fn parse_date(text: &str) -> Option<PartialDate> {
    let mut parts = text.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next().and_then(|m| m.parse().ok());
    let day = parts.next().and_then(|d| d.parse().ok());
    Some(PartialDate { year, month, day })
}

/// SplitMix64: a seeded draw, so the measured queries are the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z % n.max(1) as u64) as usize
    }
}
