//! The gateway's sanctions screening: the watchlists the operator loaded (kept in a
//! [`ListStore`], so a restart or another node screens against the same versions), the name dictionary from
//! the reference directory, and the screening of every party of a payment before its command
//! goes to the engine. A list is replaced whole: screenings in flight finish on the version
//! they started with. Banks pay the same customers again and again, so each version of the
//! lists keeps a bounded cache of its screening results by party: a repeated party costs a
//! hash lookup instead of a screening, and loading a list starts a new, empty cache.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use corridor_screening::{Candidate, NameDictionary, Party, PartyKind, Screener, Threshold};
use corridor_settlement::{
    ListVersionRef, PaymentInstruction, PaymentKind, ScreenedRole, Screening, ScreeningHit,
};
use corridor_watchlist::{ListFormat, ListVersion, Watchlist, WatchlistSet};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use crate::list_store::ListStore;

/// The reference data file the matcher reads from the reference directory.
pub const NAME_DICTIONARY_FILE: &str = "person_names.txt";

#[derive(Debug, thiserror::Error)]
pub enum ScreeningError {
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    #[error("{0}")]
    List(#[from] corridor_watchlist::LoadError),
    #[error("a list name is 1 to 32 lower-case letters, digits or '-', not {0:?}")]
    BadName(String),
}

/// How a stored list was loaded, kept beside its file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredList {
    format: ListFormat,
    /// The date given for an operator's own list.
    date: Option<String>,
}

/// Parties whose screening results one version of the lists keeps: more than the distinct
/// customers of a busy day's payments on this scheme, and a bounded amount of memory (a few
/// hundred bytes per party without candidates).
const CACHED_PARTIES: usize = 65_536;

/// Everything a screening reads from a party, so equal keys give equal results. A party with
/// a date of birth is never cached (the gateway's parties carry none).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PartyKey {
    name: String,
    kind: Option<PartyKind>,
    country: Option<String>,
    identifiers: Vec<String>,
}

impl PartyKey {
    fn of(party: &Party) -> Option<PartyKey> {
        if party.date_of_birth.is_some() {
            return None;
        }
        Some(PartyKey {
            name: party.name.clone(),
            kind: party.kind,
            country: party.country.clone(),
            identifiers: party.identifiers.clone(),
        })
    }
}

/// One consistent view: the lists, the index over them, each entry's fingerprint and the
/// results screened against exactly these lists.
struct Loaded {
    lists: WatchlistSet,
    screener: Screener,
    fingerprints: HashMap<(String, String), String>,
    cache: quick_cache::sync::Cache<PartyKey, Arc<[Candidate]>>,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("lists", &self.lists)
            .field("cached_parties", &self.cache.len())
            .finish_non_exhaustive()
    }
}

impl Loaded {
    /// Every candidate for `party`, best first: from the cache when this version of the lists
    /// screened an equal party before.
    fn screen(&self, party: &Party) -> Arc<[Candidate]> {
        let Some(key) = PartyKey::of(party) else {
            return self.screener.screen(party).into();
        };
        if let Some(cached) = self.cache.get(&key) {
            return cached;
        }
        let fresh: Arc<[Candidate]> = self.screener.screen(party).into();
        self.cache.insert(key, fresh.clone());
        fresh
    }
}

#[derive(Debug)]
pub struct ScreeningService {
    current: RwLock<Arc<Loaded>>,
    dictionary: Option<Arc<NameDictionary>>,
    store: ListStore,
    /// One load at a time, so two replacing different lists cannot lose one of them.
    loading: Mutex<()>,
}

/// A list entry's fingerprint: a false-positive decision holds while it is unchanged.
fn fingerprint(entry: &corridor_screening::ListEntry) -> String {
    let bytes = serde_json::to_vec(entry).unwrap_or_default();
    hex::encode(&Sha256::digest(&bytes)[..16])
}

pub(crate) fn file_error(path: &str, reason: impl ToString) -> ScreeningError {
    ScreeningError::File {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

/// Every stored list, parsed.
fn read_lists(store: &ListStore) -> Result<WatchlistSet, ScreeningError> {
    let mut lists = WatchlistSet::new();
    for list in parse_stored(store)? {
        lists.replace(list);
    }
    Ok(lists)
}

/// Every list a node stored in the directory `dir` (a data directory's `lists`).
pub fn read_stored(dir: &Path) -> Result<Vec<Watchlist>, ScreeningError> {
    parse_stored(&ListStore::Directory(dir.to_path_buf()))
}

fn parse_stored(store: &ListStore) -> Result<Vec<Watchlist>, ScreeningError> {
    let mut lists = Vec::new();
    for file in store.read_all()? {
        let stored: StoredList =
            serde_json::from_slice(&file.meta).map_err(|e| file_error(&file.describe, e))?;
        let list = corridor_watchlist::load(
            stored.format,
            &file.name,
            &file.body,
            stored.date.as_deref(),
        )
        .map_err(|e| file_error(&file.describe, e))?;
        warn_of_skipped(&list.version);
        lists.push(list);
    }
    Ok(lists)
}

/// Says in the log what a list holds less than its file: values the loader could not read
/// and left out, each entry kept without them. The API and `corridor lists` show which.
fn warn_of_skipped(version: &ListVersion) {
    if version.skipped_values == 0 {
        return;
    }
    let first = version.skipped.first().map_or_else(String::new, |s| {
        format!(
            "; the first: entry {} {} {:?} ({})",
            s.entry, s.field, s.value, s.reason
        )
    });
    tracing::warn!(
        "list {} of {}: {} values could not be read and were left out{first}",
        version.list,
        version.date,
        version.skipped_values
    );
}

fn build(lists: WatchlistSet, dictionary: Option<Arc<NameDictionary>>) -> Loaded {
    let fingerprints = lists
        .entries()
        .map(|(list, e)| ((list.to_string(), e.id.clone()), fingerprint(e)))
        .collect();
    let screener = Screener::build(
        lists
            .entries()
            .map(|(list, e)| (list.to_string(), e.clone())),
        dictionary,
    );
    Loaded {
        lists,
        screener,
        fingerprints,
        cache: quick_cache::sync::Cache::new(CACHED_PARTIES),
    }
}

/// Reads the name dictionary from `dir`, or says why screening runs without one.
pub fn read_dictionary(dir: Option<&Path>) -> Result<Arc<NameDictionary>, String> {
    let dir = dir.ok_or("no reference directory is configured (CORRIDOR_REFERENCE_DIR)")?;
    let path = dir.join(NAME_DICTIONARY_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let dictionary =
        NameDictionary::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Arc::new(dictionary))
}

fn check_name(name: &str) -> Result<(), ScreeningError> {
    let valid = (1..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if valid {
        return Ok(());
    }
    Err(ScreeningError::BadName(name.to_string()))
}

impl ScreeningService {
    /// Loads every list in `store`. Without a dictionary, matching still works on
    /// transliteration and phonetics alone. Blocks: the store is files or a database.
    pub fn open(
        store: ListStore,
        dictionary: Option<Arc<NameDictionary>>,
    ) -> Result<ScreeningService, ScreeningError> {
        let lists = read_lists(&store)?;
        Ok(ScreeningService {
            current: RwLock::new(Arc::new(build(lists, dictionary.clone()))),
            dictionary,
            store,
            loading: Mutex::new(()),
        })
    }

    /// Reads every stored list again: what a standby does when the hub records a list
    /// version another node loaded. Blocks.
    pub fn reload(&self) -> Result<(), ScreeningError> {
        let _one_at_a_time = self
            .loading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let loaded = build(read_lists(&self.store)?, self.dictionary.clone());
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(loaded);
        Ok(())
    }

    fn snapshot(&self) -> Arc<Loaded> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub fn has_dictionary(&self) -> bool {
        self.dictionary.is_some()
    }

    pub fn versions(&self) -> Vec<ListVersion> {
        self.snapshot()
            .lists
            .versions()
            .into_iter()
            .cloned()
            .collect()
    }

    /// Parses a list, stores it (see [`ListStore::save`]: never half of one) and swaps it
    /// in. The caller records the version with the hub.
    pub fn load(
        &self,
        format: ListFormat,
        name: &str,
        bytes: &[u8],
        date: Option<&str>,
    ) -> Result<ListVersion, ScreeningError> {
        check_name(name)?;
        let list = corridor_watchlist::load(format, name, bytes, date)?;
        warn_of_skipped(&list.version);
        let _one_at_a_time = self
            .loading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let version = list.version.clone();
        let stored = StoredList {
            format,
            date: date.map(str::to_string),
        };
        let meta = serde_json::to_vec_pretty(&stored)
            .map_err(|e| file_error(&self.store.describe(), e))?;
        self.store.save(name, &meta, bytes)?;
        let mut lists = self.snapshot().lists.clone();
        lists.replace(list);
        let loaded = build(lists, self.dictionary.clone());
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(loaded);
        Ok(version)
    }

    /// The lists as they are now, to screen with; `None` while no list is loaded.
    pub fn prepare(&self) -> Option<PreparedScreening> {
        let loaded = self.snapshot();
        if loaded.lists.versions().is_empty() {
            return None;
        }
        Some(PreparedScreening { loaded })
    }

    /// Screens one party: every candidate, hit or not, best first.
    pub fn screen_party(&self, party: &Party) -> Vec<Candidate> {
        self.snapshot().screen(party).to_vec()
    }
}

/// One version of the lists, held for the length of a screening.
#[derive(Debug)]
pub struct PreparedScreening {
    loaded: Arc<Loaded>,
}

impl PreparedScreening {
    /// Screens every party of each payment against every loaded list.
    pub fn screen_payments(
        &self,
        payments: &[PaymentInstruction],
        threshold: u16,
        agent_name: impl Fn(corridor_core::Bic) -> Option<String>,
    ) -> Vec<Screening> {
        let loaded = &self.loaded;
        let lists = loaded
            .lists
            .versions()
            .into_iter()
            .map(version_ref)
            .collect::<Vec<_>>();
        payments
            .iter()
            .map(|p| Screening {
                lists: lists.clone(),
                threshold,
                hits: screen_parties(loaded, p, threshold, &agent_name),
            })
            .collect()
    }
}

pub fn version_ref(v: &ListVersion) -> ListVersionRef {
    ListVersionRef {
        list: v.list.clone(),
        date: v.date.clone(),
        sha256: v.sha256.clone(),
    }
}

/// The names a payment carries, each with its role: the customers and ultimate parties,
/// and for an FI transfer the agents too (by their BIC, and by name where the scheme
/// knows the bank).
fn parties(
    p: &PaymentInstruction,
    agent_name: &impl Fn(corridor_core::Bic) -> Option<String>,
) -> Vec<(ScreenedRole, Party)> {
    let mut out = vec![
        (ScreenedRole::Debtor, customer(&p.debtor)),
        (ScreenedRole::Creditor, customer(&p.creditor)),
    ];
    if let Some(u) = &p.ultimate_debtor {
        out.push((ScreenedRole::UltimateDebtor, customer(u)));
    }
    if let Some(u) = &p.ultimate_creditor {
        out.push((ScreenedRole::UltimateCreditor, customer(u)));
    }
    if p.kind == PaymentKind::FinancialInstitutionTransfer {
        let agents = [
            (ScreenedRole::DebtorAgent, p.debtor_agent),
            (ScreenedRole::CreditorAgent, p.creditor_agent),
        ];
        for (role, bic) in agents {
            let Some(bic) = bic else { continue };
            out.push((role, agent(bic, agent_name(bic))));
        }
    }
    out
}

fn customer(party: &corridor_settlement::Party) -> Party {
    let country = party
        .postal_address
        .as_ref()
        .and_then(|a| a.country.clone())
        .or_else(|| party.country_of_residence.clone());
    let mut identifiers = Vec::new();
    if let Some(id) = &party.identification {
        identifiers.extend(id.any_bic.map(|b| b.to_string()));
        identifiers.extend(id.lei.clone());
        identifiers.extend(id.other_id.clone());
    }
    Party {
        name: party.name.clone(),
        kind: None,
        country,
        date_of_birth: None,
        identifiers,
    }
}

fn agent(bic: corridor_core::Bic, name: Option<String>) -> Party {
    let text = bic.to_string();
    Party {
        name: name.unwrap_or_else(|| text.clone()),
        kind: Some(PartyKind::Organisation),
        country: text.get(4..6).map(str::to_string),
        date_of_birth: None,
        identifiers: vec![text],
    }
}

fn screen_parties(
    loaded: &Loaded,
    p: &PaymentInstruction,
    threshold: u16,
    agent_name: &impl Fn(corridor_core::Bic) -> Option<String>,
) -> Vec<ScreeningHit> {
    let threshold = Threshold::new(threshold).unwrap_or(Threshold::DEFAULT);
    let mut hits = Vec::new();
    for (role, party) in parties(p, agent_name) {
        for c in loaded.screen(&party).iter() {
            if !c.is_hit(threshold) {
                continue;
            }
            let entry_fingerprint = loaded
                .fingerprints
                .get(&(c.list.clone(), c.entry_id.clone()))
                .cloned()
                .unwrap_or_default();
            hits.push(ScreeningHit {
                role,
                party_name: party.name.clone(),
                explanation: c.explain(),
                list: c.list.clone(),
                entry_id: c.entry_id.clone(),
                entry_name: c.entry_name.clone(),
                entry_fingerprint,
                score: c.score,
            });
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST_DATE: &str = "2026-11-01";

    fn list(names: &[&str]) -> String {
        let mut csv = String::from("id,kind,name,aliases,dates_of_birth,countries,identifiers\n");
        for (n, name) in names.iter().enumerate() {
            csv.push_str(&format!("T-{n},person,{name},,,RU,\n"));
        }
        csv
    }

    fn load(service: &ScreeningService, names: &[&str]) {
        service
            .load(
                ListFormat::Csv,
                "own",
                list(names).as_bytes(),
                Some(LIST_DATE),
            )
            .unwrap();
    }

    fn party(name: &str) -> Party {
        Party {
            name: name.to_string(),
            country: Some("RU".to_string()),
            ..Party::default()
        }
    }

    #[test]
    fn a_cached_result_equals_a_fresh_screening() {
        let dir = tempfile::tempdir().unwrap();
        let service =
            ScreeningService::open(ListStore::in_data_dir(dir.path()).unwrap(), None).unwrap();
        load(&service, &["Boris Sanktsionov", "Ivan Petrov"]);
        let boris = party("Борис Санкционов");
        let first = service.screen_party(&boris);
        assert!(!first.is_empty(), "the Cyrillic spelling is a candidate");
        assert_eq!(service.snapshot().cache.len(), 1);
        let cached = service.screen_party(&boris);
        let fresh = service.snapshot().screener.screen(&boris);
        assert_eq!(cached, fresh);
        assert_eq!(first, fresh);
        assert_eq!(service.snapshot().cache.len(), 1, "the second was a lookup");
    }

    #[test]
    fn loading_a_list_starts_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let service =
            ScreeningService::open(ListStore::in_data_dir(dir.path()).unwrap(), None).unwrap();
        load(&service, &["Ivan Petrov"]);
        let boris = party("Boris Sanktsionov");
        assert!(service.screen_party(&boris).is_empty());
        assert_eq!(service.snapshot().cache.len(), 1);

        load(&service, &["Ivan Petrov", "Boris Sanktsionov"]);
        assert_eq!(service.snapshot().cache.len(), 0);
        let after = service.screen_party(&boris);
        assert_eq!(after.first().map(|c| c.entry_id.as_str()), Some("T-1"));
        assert_eq!(after, service.snapshot().screener.screen(&boris));
    }

    #[test]
    fn a_party_with_a_date_of_birth_is_screened_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let service =
            ScreeningService::open(ListStore::in_data_dir(dir.path()).unwrap(), None).unwrap();
        load(&service, &["Ivan Petrov"]);
        let mut ivan = party("Ivan Petrov");
        ivan.date_of_birth = Some(corridor_screening::PartialDate {
            year: 1961,
            month: Some(4),
            day: Some(12),
        });
        assert!(!service.screen_party(&ivan).is_empty());
        assert_eq!(service.snapshot().cache.len(), 0);
    }
}
