//! `corridor screen pairs`: a labelled pair set built from a real list's own names and
//! seeded perturbations of them, the way a name reaches a bank mistyped, re-spelt,
//! re-ordered or written in another script. The same list and seed give the same file.

use std::path::PathBuf;

use clap::Args;
use corridor_screening::{ListEntry, NameQuality};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::inputs::{ListSource, QueryScript, read_negatives};

#[derive(Args)]
pub struct PairsArgs {
    /// The list whose entries the pairs are built from, as FORMAT:FILE (un:un.xml).
    #[arg(long, value_name = "FORMAT:FILE")]
    list: ListSource,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A clean names file (negatives_global.csv): some of its names are paired with a
    /// random entry, expected not to match.
    #[arg(long, value_name = "FILE")]
    negatives: Option<PathBuf>,
    /// How many clean names to pair when --negatives is given.
    #[arg(long, default_value_t = 1_000)]
    negative_pairs: usize,
}

/// One row of the pair set.
pub struct Pair {
    pub query: String,
    pub entry_id: String,
    pub expected_match: bool,
    pub variation: &'static str,
}

/// Latin letters and the Cyrillic letters that look the same.
const LOOKALIKES: [(char, char); 11] = [
    ('a', 'а'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('c', 'с'),
    ('x', 'х'),
    ('y', 'у'),
    ('i', 'і'),
    ('k', 'к'),
    ('m', 'м'),
    ('t', 'т'),
];

const ZERO_WIDTH: [char; 4] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}'];

const VOWELS: [char; 5] = ['a', 'e', 'o', 'u', 'i'];

/// Latin to Cyrillic as a Russian passport office would read it back; longest spellings
/// first, so that `kh` becomes х and not кх, and a c before e, i or y, said s, becomes с.
const TO_CYRILLIC: [(&str, &str); 39] = [
    ("shch", "щ"),
    ("kh", "х"),
    ("dj", "дж"),
    ("zh", "ж"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("yu", "ю"),
    ("ya", "я"),
    ("ye", "е"),
    ("a", "а"),
    ("b", "б"),
    ("ce", "се"),
    ("ci", "си"),
    ("cy", "сй"),
    ("c", "к"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("j", "дж"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("y", "й"),
    ("w", "в"),
    ("x", "кс"),
    ("z", "з"),
];

fn words(name: &str) -> Vec<&str> {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect()
}

/// A perturbation counts only if it changed the name and left it at least two words long:
/// one word alone is too little to screen on.
fn accept(base: &str, perturbed: String) -> Option<String> {
    (perturbed != base && words(&perturbed).len() >= 2).then_some(perturbed)
}

fn char_positions(text: &str, wanted: impl Fn(char) -> bool) -> Vec<usize> {
    text.char_indices()
        .filter(|(_, c)| wanted(*c))
        .map(|(i, _)| i)
        .collect()
}

fn replace_at(text: &str, at: usize, len: usize, with: &str) -> String {
    let (Some(before), Some(after)) = (text.get(..at), text.get(at + len..)) else {
        return text.to_owned();
    };
    format!("{before}{with}{after}")
}

fn swap_vowel(name: &str, rng: &mut StdRng) -> Option<String> {
    let at = *char_positions(name, |c| VOWELS.contains(&c)).choose(rng)?;
    let old = name.get(at..)?.chars().next()?;
    let others: Vec<char> = VOWELS.iter().copied().filter(|v| *v != old).collect();
    let new = others.choose(rng)?;
    Some(replace_at(name, at, 1, &new.to_string()))
}

fn is_consonant(c: char) -> bool {
    c.is_ascii_lowercase() && !VOWELS.contains(&c) && c != 'y'
}

/// Undoubles a doubled consonant, or doubles one inside a word.
fn double_consonant(name: &str, rng: &mut StdRng) -> Option<String> {
    let pairs: Vec<(usize, u8, u8)> = name
        .as_bytes()
        .windows(2)
        .enumerate()
        .filter_map(|(i, w)| Some((i + 1, *w.first()?, *w.get(1)?)))
        .collect();
    let doubled: Vec<usize> = pairs
        .iter()
        .filter(|(_, before, c)| before == c && is_consonant(char::from(*c)))
        .map(|(at, _, _)| *at)
        .collect();
    if let Some(&at) = doubled.choose(rng) {
        return Some(replace_at(name, at, 1, ""));
    }
    let inside: Vec<usize> = pairs
        .iter()
        .filter(|(_, before, c)| before.is_ascii_lowercase() && is_consonant(char::from(*c)))
        .map(|(at, _, _)| *at)
        .collect();
    let at = *inside.choose(rng)?;
    let letter = name.get(at..=at)?;
    Some(replace_at(name, at, 0, letter))
}

/// Replaces one occurrence of `from` by `to`, or, when there is none, one of `to` by `from`.
fn exchange(name: &str, (from, to): (&str, &str), rng: &mut StdRng) -> Option<String> {
    for (old, new) in [(from, to), (to, from)] {
        let found: Vec<usize> = name.match_indices(old).map(|(i, _)| i).collect();
        if let Some(&at) = found.choose(rng) {
            return Some(replace_at(name, at, old.len(), new));
        }
    }
    None
}

/// `kh` written `h`, or a lone `h` (not the end of `sh`, `ch`, `zh` ...) written `kh`.
fn kh_h(name: &str, rng: &mut StdRng) -> Option<String> {
    let kh: Vec<usize> = name.match_indices("kh").map(|(i, _)| i).collect();
    if let Some(&at) = kh.choose(rng) {
        return Some(replace_at(name, at, 2, "h"));
    }
    let lone: Vec<usize> = name
        .match_indices('h')
        .map(|(i, _)| i)
        .filter(|&i| {
            name.get(..i)
                .and_then(|before| before.chars().next_back())
                .is_none_or(|c| !"sczkgtd".contains(c))
        })
        .collect();
    let at = *lone.choose(rng)?;
    Some(replace_at(name, at, 1, "kh"))
}

fn y_i_j(name: &str, rng: &mut StdRng) -> Option<String> {
    let pairs = [("y", "i"), ("j", "y"), ("y", "j")];
    exchange(name, *pairs.choose(rng)?, rng)
}

fn ou_u(name: &str, rng: &mut StdRng) -> Option<String> {
    exchange(name, ("ou", "u"), rng)
}

fn drop_hyphen(name: &str, rng: &mut StdRng) -> Option<String> {
    let at = *char_positions(name, |c| c == '-').choose(rng)?;
    Some(replace_at(name, at, 1, ""))
}

type Spelling = fn(&str, &mut StdRng) -> Option<String>;

const SPELLINGS: [Spelling; 6] = [swap_vowel, double_consonant, kh_h, y_i_j, ou_u, drop_hyphen];

/// One seeded change of spelling of a lower-case Latin name, trying the kinds of change in
/// a random order until one applies.
pub fn respell(name: &str, rng: &mut StdRng) -> Option<String> {
    let name = name.to_lowercase();
    let mut order = SPELLINGS;
    order.shuffle(rng);
    order
        .iter()
        .find_map(|spelling| accept(&name, spelling(&name, rng)?))
}

/// A Latin letter replaced by its Cyrillic lookalike, or an invisible character inserted
/// inside a word.
fn lookalike(name: &str, rng: &mut StdRng) -> Option<String> {
    let name = name.to_lowercase();
    if rng.random_bool(0.5) {
        let at = *char_positions(&name, |c| LOOKALIKES.iter().any(|(l, _)| *l == c)).choose(rng)?;
        let old = name.get(at..)?.chars().next()?;
        let (_, new) = LOOKALIKES.iter().find(|(l, _)| *l == old)?;
        return accept(&name, replace_at(&name, at, 1, &new.to_string()));
    }
    let inside = char_positions(&name, char::is_alphabetic);
    let at = *inside.get(1..)?.choose(rng)?;
    let invisible = ZERO_WIDTH.choose(rng)?;
    accept(&name, replace_at(&name, at, 0, &invisible.to_string()))
}

/// Words that are not a name part alone: the first half of an Arabic compound ("Abdul
/// Latif", "Abu Bakr") and an article written apart ("al Baqi") belong to the word after them.
const JOINED_TO_NEXT: [&str; 13] = [
    "abd", "abdul", "abdel", "abdal", "abdur", "abdus", "abdu", "abu", "abou", "abo", "al", "el",
    "ul",
];

/// Second halves of one name, kept with the word before them ("Salah Eddine", "Habib Ullah").
const JOINED_TO_PREVIOUS: [&str; 16] = [
    "din", "deen", "dine", "eddine", "eddin", "eldin", "uddin", "aldin", "addin", "allah", "ullah",
    "ulla", "ollah", "zada", "zadeh", "zade",
];

/// The parts of a name as a person splits it: words, with a compound's first half or an
/// article kept with the word that follows and a second half with the word before, so that
/// re-ordering or dropping a part never leaves half a name ("Abdul Latif Mansur" and
/// "Salah Eddine Gasmi" have two parts, not three).
fn name_parts(name: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut joins_next = false;
    for word in words(name) {
        let letters: String = word
            .chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect();
        let joins_previous = JOINED_TO_PREVIOUS.contains(&letters.as_str());
        match parts.last_mut() {
            Some(last) if joins_next || joins_previous => {
                last.push(' ');
                last.push_str(word);
            }
            _ => parts.push(word.to_owned()),
        }
        joins_next = JOINED_TO_NEXT.contains(&letters.as_str());
    }
    parts
}

/// The parts reversed, or the last part first followed by a comma.
fn reorder(name: &str, rng: &mut StdRng) -> Option<String> {
    let mut parts = name_parts(name);
    let (last, rest) = parts.split_last()?;
    if rest.is_empty() {
        return None;
    }
    if rng.random_bool(0.5) {
        return accept(name, format!("{last}, {}", rest.join(" ")));
    }
    parts.reverse();
    accept(name, parts.join(" "))
}

/// A middle part dropped from a name of three parts or more.
fn drop_middle(name: &str, rng: &mut StdRng) -> Option<String> {
    let mut parts = name_parts(name);
    if parts.len() < 3 {
        return None;
    }
    let at = rng.random_range(1..parts.len() - 1);
    parts.remove(at);
    accept(name, parts.join(" "))
}

/// A Latin name written in Cyrillic letters by the passport table; accents are left off, as
/// Cyrillic has no letters for them (Camará, Камара).
pub fn to_cyrillic(name: &str) -> String {
    let lower: String = name
        .to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect();
    let mut out = String::with_capacity(lower.len() * 2);
    let mut rest = lower.as_str();
    while let Some(c) = rest.chars().next() {
        let spelt = TO_CYRILLIC
            .iter()
            .find(|(latin, _)| rest.starts_with(latin));
        let (read, written) = match spelt {
            Some((latin, cyrillic)) => (latin.len(), *cyrillic),
            None if c == '\'' || c == '’' => (c.len_utf8(), ""),
            None => (c.len_utf8(), rest.get(..c.len_utf8()).unwrap_or_default()),
        };
        out.push_str(written);
        rest = rest.get(read..).unwrap_or_default();
    }
    out
}

/// The rows of one entry: its own names, then perturbations of its primary Latin name.
fn entry_pairs(entry: &ListEntry, rng: &mut StdRng, out: &mut Vec<Pair>) {
    let mut push = |query: String, variation: &'static str| {
        out.push(Pair {
            query,
            entry_id: entry.id.clone(),
            expected_match: true,
            variation,
        });
    };
    for name in &entry.names {
        let variation = match name.quality {
            NameQuality::Primary => "exact",
            NameQuality::StrongAlias => "alias",
            NameQuality::OriginalScript
                if matches!(
                    QueryScript::of(&name.text),
                    QueryScript::ArabicScript | QueryScript::Cyrillic
                ) =>
            {
                "original_script"
            }
            NameQuality::OriginalScript | NameQuality::WeakAlias => continue,
        };
        push(name.text.clone(), variation);
    }
    let Some(primary) = entry.names.first() else {
        return;
    };
    if QueryScript::of(&primary.text) != QueryScript::Latin {
        return;
    }
    let base = primary.text.as_str();
    let perturbations: [(&'static str, Option<String>); 5] = [
        ("latin_spelling", respell(base, rng)),
        ("lookalike", lookalike(base, rng)),
        ("word_order", reorder(base, rng)),
        ("dropped_part", drop_middle(base, rng)),
        ("cyrillic", accept(&base.to_lowercase(), to_cyrillic(base))),
    ];
    for (variation, query) in perturbations {
        if let Some(query) = query {
            push(query, variation);
        }
    }
}

/// The whole pair set: every entry's rows, one name of each entry paired with another
/// entry (no match), and `negatives` paired with random entries (no match).
pub fn pairs(entries: &[ListEntry], negatives: &[String], seed: u64) -> Vec<Pair> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::new();
    for entry in entries {
        entry_pairs(entry, &mut rng, &mut out);
    }
    for (index, entry) in entries.iter().enumerate() {
        let Some(name) = entry.names.first() else {
            continue;
        };
        let other = rng.random_range(0..entries.len());
        let Some(other) = entries.get(other).filter(|_| other != index) else {
            continue;
        };
        out.push(Pair {
            query: name.text.clone(),
            entry_id: other.id.clone(),
            expected_match: false,
            variation: "no_match",
        });
    }
    for query in negatives {
        let Some(entry) = entries.choose(&mut rng) else {
            break;
        };
        out.push(Pair {
            query: query.clone(),
            entry_id: entry.id.clone(),
            expected_match: false,
            variation: "clean_name",
        });
    }
    out
}

pub fn run(args: PairsArgs) -> anyhow::Result<()> {
    let list = args.list.load()?;
    let negatives = match &args.negatives {
        Some(path) => {
            let clean = read_negatives(path)?;
            let mut rng = StdRng::seed_from_u64(args.seed ^ 0x6e65_6761);
            clean
                .choose_multiple(&mut rng, args.negative_pairs)
                .map(|c| c.full_name.clone())
                .collect()
        }
        None => Vec::new(),
    };
    let rows = pairs(&list.entries, &negatives, args.seed);
    let stdout = std::io::stdout();
    let mut writer = csv::Writer::from_writer(stdout.lock());
    writer.write_record(["query", "list_entry_id", "expected", "variation"])?;
    for row in &rows {
        let expected = if row.expected_match {
            "match"
        } else {
            "no_match"
        };
        writer.write_record([
            row.query.as_str(),
            row.entry_id.as_str(),
            expected,
            row.variation,
        ])?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_passport_table_reads_digraphs_before_letters() {
        assert_eq!(to_cyrillic("Khalid Shah"), "халид шах");
        assert_eq!(to_cyrillic("Yusuf Zhukov"), "юсуф жуков");
        assert_eq!(to_cyrillic("O'Neil Tsar"), "онеил цар");
        assert_eq!(to_cyrillic("Lucien Pacifique"), "лусиен пасификуе");
        assert_eq!(to_cyrillic("Ibraima Camará"), "ибраима камара");
    }

    #[test]
    fn a_respelling_changes_the_name_and_keeps_two_words() {
        for seed in 0..50 {
            let mut rng = StdRng::seed_from_u64(seed);
            let respelt = respell("Abdul-Rahman Khalil", &mut rng);
            let respelt = respelt.as_deref().unwrap_or_default();
            assert_ne!(respelt, "abdul-rahman khalil");
            assert!(words(respelt).len() >= 2, "{respelt}");
        }
    }

    #[test]
    fn a_one_word_name_is_not_perturbed() {
        let mut rng = StdRng::seed_from_u64(3);
        assert_eq!(respell("Karim", &mut rng), None);
        assert_eq!(reorder("Karim", &mut rng), None);
        assert_eq!(drop_middle("Karim Hassan", &mut rng), None);
    }

    #[test]
    fn a_compound_stays_whole_when_parts_are_moved_or_dropped() {
        assert_eq!(name_parts("ABDUL LATIF MANSUR"), ["ABDUL LATIF", "MANSUR"]);
        assert_eq!(
            name_parts("RADI ABD EL SAMIE ABOU EL YAZID EL AYASHI"),
            ["RADI", "ABD EL SAMIE", "ABOU EL YAZID", "EL AYASHI"]
        );
        assert_eq!(name_parts("SALAH EDDINE GASMI"), ["SALAH EDDINE", "GASMI"]);
        for seed in 0..20 {
            let mut rng = StdRng::seed_from_u64(seed);
            let dropped = drop_middle("Abdul Latif Ahmad Mansur", &mut rng);
            assert_eq!(dropped.as_deref(), Some("Abdul Latif Mansur"));
        }
    }

    #[test]
    fn a_dropped_hyphen_that_leaves_one_word_is_skipped() {
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(
            drop_hyphen("al-qaida", &mut rng).and_then(|n| accept("al-qaida", n)),
            None
        );
    }

    #[test]
    fn a_lookalike_looks_the_same_but_is_not() {
        for seed in 0..20 {
            let mut rng = StdRng::seed_from_u64(seed);
            let Some(changed) = lookalike("Karim Hassan", &mut rng) else {
                continue;
            };
            let visible: String = changed
                .chars()
                .filter(|c| !ZERO_WIDTH.contains(c))
                .map(|c| {
                    LOOKALIKES
                        .iter()
                        .find(|(_, l)| *l == c)
                        .map_or(c, |(latin, _)| *latin)
                })
                .collect();
            assert_eq!(visible, "karim hassan");
            assert_ne!(changed, "karim hassan");
        }
    }
}
