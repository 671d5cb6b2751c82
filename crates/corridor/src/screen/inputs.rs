//! What every screening tool reads: the matcher's settings (lists, threshold, reference data),
//! list files given as `FORMAT:FILE` or stored by a node, the name dictionary, the clean names
//! of a negatives file, and the script a query is written in.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Args;
use corridor_screening::{EntryName, NameDictionary, PartialDate, Party, Screener, Threshold};
use corridor_watchlist::{ListFormat, Watchlist};

/// The clean names file a reference directory may hold.
pub(crate) const NEGATIVES_FILE: &str = "negatives_global.csv";

/// What every screening command needs: the lists, the threshold and the reference data.
#[derive(Args)]
pub(crate) struct MatcherArgs {
    /// A list to screen against, as FORMAT:FILE (format un, ofac, csv or json); repeat for
    /// each. Without it, the lists a node stored under --data-dir.
    #[arg(long = "list", value_name = "FORMAT:FILE")]
    lists: Vec<ListSource>,
    /// The node data directory whose `lists/` are used when no --list is given.
    #[arg(long, default_value = "./corridor-data")]
    data_dir: PathBuf,
    /// The hit threshold, per mille (default 850).
    #[arg(long, value_name = "N")]
    threshold: Option<u16>,
    /// Reference data for screening: the directory holding person_names.txt.
    #[arg(long, env = "CORRIDOR_REFERENCE_DIR", value_name = "DIR")]
    reference_dir: Option<PathBuf>,
}

/// A list file and its format, given as `FORMAT:FILE`.
#[derive(Clone, Debug)]
pub(crate) struct ListSource {
    format: ListFormat,
    path: PathBuf,
}

impl FromStr for ListSource {
    type Err = String;

    fn from_str(text: &str) -> Result<ListSource, String> {
        let (format, path) = text
            .split_once(':')
            .ok_or_else(|| format!("{text:?}: expected FORMAT:FILE, such as un:un.xml"))?;
        let format = format.parse::<ListFormat>().map_err(|e| e.to_string())?;
        Ok(ListSource {
            format,
            path: PathBuf::from(path),
        })
    }
}

impl ListSource {
    /// The UN and OFAC lists are named by their format; an operator's list by its file.
    fn name(&self) -> String {
        match self.format {
            ListFormat::Un | ListFormat::Ofac => self.format.as_str().to_owned(),
            ListFormat::Csv | ListFormat::Json => self
                .path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("own")
                .to_lowercase(),
        }
    }

    /// Reads and parses the file. An operator's own list is dated today.
    pub(crate) fn load(&self) -> anyhow::Result<Watchlist> {
        let bytes = std::fs::read(&self.path)
            .with_context(|| format!("reading {}", self.path.display()))?;
        let today = time::OffsetDateTime::now_utc().date().to_string();
        corridor_watchlist::load(self.format, &self.name(), &bytes, Some(&today))
            .with_context(|| format!("loading {}", self.path.display()))
    }
}

/// The lists a node stored in its data directory, read as the node reads them.
fn stored_lists(data_dir: &Path) -> anyhow::Result<Vec<Watchlist>> {
    let mut lists =
        corridor_node::screening::read_stored(&data_dir.join("lists")).with_context(|| {
            format!(
                "no --list given; reading the lists a node stored in {}",
                data_dir.display()
            )
        })?;
    lists.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(lists)
}

impl MatcherArgs {
    fn threshold(&self) -> anyhow::Result<Threshold> {
        let Some(per_mille) = self.threshold else {
            return Ok(Threshold::DEFAULT);
        };
        Ok(Threshold::new(per_mille)?)
    }

    fn lists(&self) -> anyhow::Result<Vec<Watchlist>> {
        let lists = if self.lists.is_empty() {
            stored_lists(&self.data_dir)?
        } else {
            self.lists
                .iter()
                .map(ListSource::load)
                .collect::<anyhow::Result<Vec<_>>>()?
        };
        if lists.is_empty() {
            bail!("no list to screen against: give --list FORMAT:FILE");
        }
        Ok(lists)
    }

    /// The lists, the dictionary and the threshold in force.
    /// The directory of reference data, if one was given.
    pub(crate) fn reference_dir(&self) -> Option<&Path> {
        self.reference_dir.as_deref()
    }

    pub(crate) fn prepare(&self) -> anyhow::Result<Prepared> {
        let lists = self.lists()?;
        let dictionary = dictionary(self.reference_dir.as_deref());
        let threshold = self.threshold()?;
        let screener = index(&lists, dictionary.clone(), threshold, |_| true);
        Ok(Prepared {
            lists,
            dictionary,
            threshold,
            screener,
        })
    }
}

pub(crate) struct Prepared {
    pub(crate) lists: Vec<Watchlist>,
    pub(crate) dictionary: Option<Arc<NameDictionary>>,
    pub(crate) threshold: Threshold,
    pub(crate) screener: Screener,
}

/// The name dictionary of the reference directory, or a note on standard error saying that
/// screening runs without it.
pub(crate) fn dictionary(reference_dir: Option<&Path>) -> Option<Arc<NameDictionary>> {
    match corridor_node::screening::read_dictionary(reference_dir) {
        Ok(dictionary) => Some(dictionary),
        Err(why) => {
            eprintln!(
                "note: screening without the name dictionary ({why}); cross-script matches rely on transliteration alone"
            );
            None
        }
    }
}

/// An index over every entry of `lists`, each entry keeping only the names `keep` accepts.
pub(crate) fn index(
    lists: &[Watchlist],
    dictionary: Option<Arc<NameDictionary>>,
    threshold: Threshold,
    keep: impl Fn(&EntryName) -> bool,
) -> Screener {
    let keep = &keep;
    let entries = lists.iter().flat_map(|list| {
        list.entries.iter().map(move |entry| {
            let mut entry = entry.clone();
            entry.names.retain(|name| keep(name));
            (list.name.clone(), entry)
        })
    });
    Screener::build(entries, dictionary).with_threshold(threshold)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub(crate) fn partial_date(text: &str) -> Option<PartialDate> {
    let mut parts = text.trim().split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next().map(str::parse).transpose().ok()?;
    let day = parts.next().map(str::parse).transpose().ok()?;
    if parts.next().is_some()
        || month.is_some_and(|m| !(1..=12).contains(&m))
        || day.is_some_and(|d| !(1..=31).contains(&d))
    {
        return None;
    }
    Some(PartialDate { year, month, day })
}

/// A clean person of the negatives file: someone on no list.
pub(crate) struct CleanName {
    pub full_name: String,
    pub date_of_birth: Option<PartialDate>,
}

/// Reads `full_name` and `date_of_birth` of a negatives file.
pub(crate) fn read_negatives(path: &Path) -> anyhow::Result<Vec<CleanName>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let header = reader
        .headers()
        .with_context(|| format!("reading {}", path.display()))?;
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no column {name}", path.display()))
    };
    let (name_at, dob_at) = (column("full_name")?, column("date_of_birth")?);
    let mut names = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("reading {}", path.display()))?;
        let full_name = record.get(name_at).unwrap_or_default().trim();
        if full_name.is_empty() {
            continue;
        }
        names.push(CleanName {
            full_name: full_name.to_owned(),
            date_of_birth: record.get(dob_at).and_then(partial_date),
        });
    }
    Ok(names)
}

/// The negatives file given, else the reference directory's if it has one.
pub(crate) fn negatives_path(
    given: Option<&Path>,
    reference_dir: Option<&Path>,
) -> Option<PathBuf> {
    if let Some(path) = given {
        return Some(path.to_path_buf());
    }
    let path = reference_dir?.join(NEGATIVES_FILE);
    path.is_file().then_some(path)
}

/// A party known by its name alone.
pub(crate) fn named(name: &str) -> Party {
    Party {
        name: name.to_owned(),
        ..Party::default()
    }
}

/// The script a query is written in, by the majority of its letters: a Latin name with one
/// Cyrillic lookalike in it is still Latin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum QueryScript {
    Latin,
    Cyrillic,
    /// Arabic, Persian, Urdu, Pashto.
    ArabicScript,
    Other,
}

impl QueryScript {
    fn of_letter(c: char) -> QueryScript {
        match c {
            'A'..='Z' | 'a'..='z' | '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => {
                QueryScript::Latin
            }
            '\u{400}'..='\u{52F}' => QueryScript::Cyrillic,
            '\u{600}'..='\u{6FF}'
            | '\u{750}'..='\u{77F}'
            | '\u{8A0}'..='\u{8FF}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}' => QueryScript::ArabicScript,
            _ => QueryScript::Other,
        }
    }

    pub(crate) fn of(text: &str) -> QueryScript {
        let mut counts = [0usize; 4];
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            if let Some(count) = counts.get_mut(QueryScript::of_letter(c) as usize) {
                *count += 1;
            }
        }
        let scripts = [
            QueryScript::Latin,
            QueryScript::Cyrillic,
            QueryScript::ArabicScript,
            QueryScript::Other,
        ];
        scripts
            .into_iter()
            .zip(counts)
            .filter(|(_, count)| *count > 0)
            .max_by_key(|(script, count)| (*count, std::cmp::Reverse(*script)))
            .map_or(QueryScript::Other, |(script, _)| script)
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            QueryScript::Latin => "latin",
            QueryScript::Cyrillic => "cyrillic",
            QueryScript::ArabicScript => "arabic_script",
            QueryScript::Other => "other",
        }
    }
}
