use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{FORMAT_VERSION, JournalError, io_error, sync_dir};

const SNAPSHOT_MAGIC: &[u8; 8] = b"CORRSNAP";
/// magic (8) + version (4) + seq (8) + payload length (8) + payload crc32c (4).
const SNAPSHOT_HEADER_LEN: usize = 32;
/// Older snapshots are kept as a fallback for inspection; the journal itself is never pruned.
const SNAPSHOTS_KEPT: usize = 2;

/// Snapshot files in a directory: `snapshot-<seq>.snap`, each the state after record `seq`.
#[derive(Debug, Clone)]
pub struct SnapshotStore {
    dir: PathBuf,
}

/// A snapshot read back and checked: the opaque state bytes and the record it follows.
#[derive(Debug)]
pub struct StoredSnapshot {
    pub seq: u64,
    /// Where it was read from, for messages: a file path or a database row.
    pub location: String,
    pub payload: Vec<u8>,
}

impl SnapshotStore {
    pub fn new(dir: &Path) -> SnapshotStore {
        SnapshotStore {
            dir: dir.to_path_buf(),
        }
    }

    fn list(&self) -> Result<Vec<(u64, PathBuf)>, JournalError> {
        let mut found = Vec::new();
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
            Err(e) => {
                return Err(JournalError::Io {
                    path: self.dir.clone(),
                    source: e,
                });
            }
        };
        for entry in entries {
            let entry = entry.map_err(io_error(&self.dir))?;
            let name = entry.file_name();
            let seq = name.to_str().and_then(|n| {
                n.strip_prefix("snapshot-")?
                    .strip_suffix(".snap")?
                    .parse()
                    .ok()
            });
            if let Some(seq) = seq {
                found.push((seq, entry.path()));
            }
        }
        found.sort();
        Ok(found)
    }

    /// Writes the state after record `seq` atomically: temporary file, fsync, rename, fsync
    /// of the directory. A crash at any point leaves either the old or the new snapshot.
    pub fn write(&self, seq: u64, payload: &[u8]) -> Result<PathBuf, JournalError> {
        crate::private::create_dir_all(&self.dir).map_err(io_error(&self.dir))?;
        let path = self.dir.join(format!("snapshot-{seq:020}.snap"));
        let tmp = self.dir.join(format!("snapshot-{seq:020}.tmp"));
        let mut header = [0u8; SNAPSHOT_HEADER_LEN];
        header[..8].copy_from_slice(SNAPSHOT_MAGIC);
        header[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
        header[12..20].copy_from_slice(&seq.to_le_bytes());
        header[20..28].copy_from_slice(&(payload.len() as u64).to_le_bytes());
        header[28..].copy_from_slice(&crc32c::crc32c(payload).to_le_bytes());
        let mut file = crate::private::file_options()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(io_error(&tmp))?;
        file.write_all(&header)
            .and_then(|()| file.write_all(payload))
            .and_then(|()| file.sync_all())
            .map_err(io_error(&tmp))?;
        fs::rename(&tmp, &path).map_err(io_error(&path))?;
        sync_dir(&self.dir)?;
        self.prune()?;
        Ok(path)
    }

    fn prune(&self) -> Result<(), JournalError> {
        let all = self.list()?;
        for (_, old) in all.iter().take(all.len().saturating_sub(SNAPSHOTS_KEPT)) {
            fs::remove_file(old).map_err(io_error(old))?;
        }
        Ok(())
    }

    /// The newest snapshot, verified. A damaged newest snapshot is an error, not a silent
    /// fall back to an older one: the operator decides.
    pub fn latest(&self) -> Result<Option<StoredSnapshot>, JournalError> {
        let Some((seq, path)) = self.list()?.pop() else {
            return Ok(None);
        };
        let bytes = fs::read(&path).map_err(io_error(&path))?;
        let damaged = |reason: &str| JournalError::SnapshotDamaged {
            path: path.clone(),
            reason: reason.into(),
        };
        if bytes.len() < SNAPSHOT_HEADER_LEN || &bytes[..8] != SNAPSHOT_MAGIC {
            return Err(damaged("bad magic or shorter than its header"));
        }
        let field = |range: std::ops::Range<usize>| {
            let mut b = [0u8; 8];
            b[..range.len()].copy_from_slice(&bytes[range]);
            u64::from_le_bytes(b)
        };
        let version = field(8..12) as u32;
        if version != FORMAT_VERSION {
            return Err(JournalError::UnsupportedVersion {
                path,
                found: version,
            });
        }
        if field(12..20) != seq {
            return Err(damaged("sequence number differs from the file name"));
        }
        let payload = &bytes[SNAPSHOT_HEADER_LEN..];
        if field(20..28) != payload.len() as u64 {
            return Err(damaged("length mismatch (truncated?)"));
        }
        if crc32c::crc32c(payload) as u64 != field(28..32) {
            return Err(damaged("checksum mismatch"));
        }
        Ok(Some(StoredSnapshot {
            seq,
            location: path.display().to_string(),
            payload: payload.to_vec(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_snapshot_round_trips_and_old_ones_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        assert!(store.latest().unwrap().is_none());
        for seq in [3, 7, 12] {
            store.write(seq, format!("state {seq}").as_bytes()).unwrap();
        }
        let latest = store.latest().unwrap().unwrap();
        assert_eq!(
            (latest.seq, latest.payload.as_slice()),
            (12, &b"state 12"[..])
        );
        assert_eq!(store.list().unwrap().len(), SNAPSHOTS_KEPT);
    }

    #[test]
    fn damaged_snapshots_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        let path = store.write(5, b"some state bytes").unwrap();
        let good = fs::read(&path).unwrap();
        let mut flipped = good.clone();
        flipped[SNAPSHOT_HEADER_LEN + 2] ^= 1;
        fs::write(&path, &flipped).unwrap();
        assert!(matches!(
            store.latest(),
            Err(JournalError::SnapshotDamaged { .. })
        ));
        fs::write(&path, &good[..good.len() - 1]).unwrap();
        assert!(matches!(
            store.latest(),
            Err(JournalError::SnapshotDamaged { .. })
        ));
        let mut versioned = good.clone();
        versioned[8] = 99;
        fs::write(&path, &versioned).unwrap();
        assert!(matches!(
            store.latest(),
            Err(JournalError::UnsupportedVersion { found: 99, .. })
        ));
    }
}
