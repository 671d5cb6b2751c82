//! The lists a screening runs against, by name. A new version of a list replaces the old one
//! whole, in one step: a reader holding the set sees either the old list or the new one,
//! never part of each.

use crate::watchlist::{ListVersion, Watchlist};
use corridor_screening::ListEntry;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Lists by name. Cloning is cheap (the lists are shared), so a screening can keep the set
/// it started with while a newer one is put in place.
#[derive(Debug, Clone, Default)]
pub struct WatchlistSet {
    lists: BTreeMap<String, Arc<Watchlist>>,
}

impl WatchlistSet {
    pub fn new() -> Self {
        WatchlistSet::default()
    }

    /// Puts `list` in place of the list of the same name; returns the version it replaced.
    pub fn replace(&mut self, list: Watchlist) -> Option<ListVersion> {
        let replaced = self.lists.insert(list.name.clone(), Arc::new(list))?;
        Some(replaced.version.clone())
    }

    /// Takes a list out; returns its version.
    pub fn remove(&mut self, name: &str) -> Option<ListVersion> {
        self.lists.remove(name).map(|list| list.version.clone())
    }

    pub fn get(&self, name: &str) -> Option<&Watchlist> {
        self.lists.get(name).map(Arc::as_ref)
    }

    /// The version of every list, by name.
    pub fn versions(&self) -> Vec<&ListVersion> {
        self.lists.values().map(|list| &list.version).collect()
    }

    /// Every entry of every list, with the name of its list, list by list in name order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &ListEntry)> {
        self.lists.values().flat_map(|list| {
            list.entries
                .iter()
                .map(move |entry| (list.name.as_str(), entry))
        })
    }

    /// How many entries all lists hold together.
    pub fn entry_count(&self) -> usize {
        self.lists.values().map(|list| list.entries.len()).sum()
    }
}
