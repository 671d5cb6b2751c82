//! Where the gateway keeps the watchlists the operator loaded: files in the data directory
//! beside the embedded journal, or a table beside the journal on PostgreSQL, so that every
//! node sharing that journal screens against the versions the hub recorded.

use std::path::{Path, PathBuf};

use corridor_journal_pg::{PgListStore, StoredListFile};

use crate::screening::{ScreeningError, file_error};

#[derive(Debug, Clone)]
pub enum ListStore {
    /// `<name>.list` (the file as published) with `<name>.json` (its format and date).
    Directory(PathBuf),
    Database(PgListStore),
}

/// One stored list as read back, before it is parsed.
#[derive(Debug)]
pub struct ListFile {
    pub name: String,
    pub meta: Vec<u8>,
    pub body: Vec<u8>,
    /// Where it was read from, for messages.
    pub describe: String,
}

impl ListStore {
    /// The `lists` directory of `data_dir`, created if missing.
    pub fn in_data_dir(data_dir: &Path) -> Result<ListStore, ScreeningError> {
        let dir = data_dir.join("lists");
        corridor_engine::private::create_dir_all(&dir)
            .map_err(|e| file_error(&dir.display().to_string(), e))?;
        Ok(ListStore::Directory(dir))
    }

    pub fn describe(&self) -> String {
        match self {
            ListStore::Directory(dir) => dir.display().to_string(),
            ListStore::Database(db) => format!("{} corridor_lists", db.describe()),
        }
    }

    /// Stores a list whole: in a directory the file first, then its description, each
    /// replaced by a rename so a crash leaves the old or the new list, never half of one;
    /// in the database, one transaction.
    pub fn save(&self, name: &str, meta: &[u8], body: &[u8]) -> Result<(), ScreeningError> {
        match self {
            ListStore::Directory(dir) => {
                write_atomically(&dir.join(format!("{name}.list")), body)?;
                write_atomically(&dir.join(format!("{name}.json")), meta)
            }
            ListStore::Database(db) => db
                .put(&StoredListFile {
                    name: name.to_string(),
                    meta: meta.to_vec(),
                    body: body.to_vec(),
                })
                .map_err(|e| file_error(&self.describe(), e)),
        }
    }

    pub fn read_all(&self) -> Result<Vec<ListFile>, ScreeningError> {
        match self {
            ListStore::Directory(dir) => read_directory(dir),
            ListStore::Database(db) => {
                let files = db.all().map_err(|e| file_error(&self.describe(), e))?;
                Ok(files
                    .into_iter()
                    .map(|f| ListFile {
                        describe: format!("{} {}", self.describe(), f.name),
                        name: f.name,
                        meta: f.meta,
                        body: f.body,
                    })
                    .collect())
            }
        }
    }
}

fn read_directory(dir: &Path) -> Result<Vec<ListFile>, ScreeningError> {
    let error = |path: &Path, e: std::io::Error| file_error(&path.display().to_string(), e);
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| error(dir, e))? {
        let path = entry.map_err(|e| error(dir, e))?.path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let meta = std::fs::read(&path).map_err(|e| error(&path, e))?;
        let file = dir.join(format!("{name}.list"));
        let body = std::fs::read(&file).map_err(|e| error(&file, e))?;
        files.push(ListFile {
            name,
            meta,
            body,
            describe: file.display().to_string(),
        });
    }
    Ok(files)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ScreeningError> {
    use std::io::Write;
    let error = |path: &Path, e: std::io::Error| file_error(&path.display().to_string(), e);
    let temp = path.with_extension("tmp");
    let mut file = corridor_engine::private::file_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&temp)
        .map_err(|e| error(&temp, e))?;
    file.write_all(bytes).map_err(|e| error(&temp, e))?;
    file.sync_all().map_err(|e| error(&temp, e))?;
    std::fs::rename(&temp, path).map_err(|e| error(path, e))?;
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        d.sync_all().map_err(|e| error(dir, e))?;
    }
    Ok(())
}
