//! Files only the node's own user can read: the data directory holds customer names, IBANs
//! and credential digests, so its directories are created 0700 and its files 0600, whatever
//! the umask. [`loose_entries`] finds what an older build or an operator left looser.

use std::fs::{DirBuilder, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// Permission bits of the data directory's directories.
pub const DIR_MODE: u32 = 0o700;
/// Permission bits of every file written under the data directory.
pub const FILE_MODE: u32 = 0o600;

/// `fs::create_dir_all`, with every directory it creates 0700. Directories that already
/// exist keep their mode: [`loose_entries`] reports them.
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder.create(path)
}

/// Options for writing a file under the data directory: a file it creates is 0600.
pub fn file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options
}

/// A directory or file under the data directory that others than its owner may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LooseEntry {
    pub path: PathBuf,
    /// Its permission bits, e.g. `0o755`.
    pub mode: u32,
}

/// Every directory and file under `root` (and `root` itself) whose group or other bits are
/// set. A missing `root` has none. Symbolic links are not followed.
#[cfg(unix)]
pub fn loose_entries(root: &Path) -> io::Result<Vec<LooseEntry>> {
    use std::os::unix::fs::PermissionsExt;
    let mut loose = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(path) = pending.pop() {
        let metadata = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        let mode = metadata.permissions().mode() & 0o777;
        if (metadata.is_dir() || metadata.is_file()) && mode & 0o077 != 0 {
            loose.push(LooseEntry {
                path: path.clone(),
                mode,
            });
        }
        if metadata.is_dir() {
            for entry in std::fs::read_dir(&path)? {
                pending.push(entry?.path());
            }
        }
    }
    loose.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(loose)
}

/// Permission bits are a Unix notion; elsewhere nothing is reported.
#[cfg(not(unix))]
pub fn loose_entries(_root: &Path) -> io::Result<Vec<LooseEntry>> {
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    // Permission bits are a Unix notion: every item is Unix-only.
    #[cfg(unix)]
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;

    #[cfg(unix)]
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn created_directories_and_files_are_private_whatever_exists_around_them() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("data/journal");
        create_dir_all(&nested).unwrap();
        assert_eq!(mode(&dir.path().join("data")), DIR_MODE);
        assert_eq!(mode(&nested), DIR_MODE);
        let file = nested.join("f");
        file_options()
            .write(true)
            .create_new(true)
            .open(&file)
            .unwrap()
            .write_all(b"x")
            .unwrap();
        assert_eq!(mode(&file), FILE_MODE);
        assert!(loose_entries(&dir.path().join("data")).unwrap().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn journal_segments_and_snapshots_are_written_private() {
        let dir = tempfile::tempdir().unwrap();
        let journal_dir = dir.path().join("journal");
        create_dir_all(&journal_dir).unwrap();
        let report =
            crate::Journal::scan(&journal_dir, crate::ScanMode::Repair, 0, |_, _| Ok(())).unwrap();
        let config = crate::JournalConfig { segment_bytes: 64 };
        let mut journal = crate::Journal::open(&journal_dir, config, &report).unwrap();
        for _ in 0..4 {
            journal.append(&[7; 40]).unwrap();
        }
        journal.sync().unwrap();
        let snapshot = crate::SnapshotStore::new(&dir.path().join("snapshots"))
            .write(4, b"state")
            .unwrap();
        assert_eq!(mode(&snapshot), FILE_MODE);
        let segments = std::fs::read_dir(&journal_dir).unwrap().count();
        assert!(segments >= 2, "the journal rotated: {segments} segments");
        assert!(loose_entries(&journal_dir).unwrap().is_empty());
        assert!(
            loose_entries(&dir.path().join("snapshots"))
                .unwrap()
                .is_empty()
        );
    }

    #[cfg(unix)]
    #[test]
    fn looser_entries_are_reported_with_their_mode() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        create_dir_all(&root).unwrap();
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
        let file = root.join("list.csv");
        std::fs::write(&file, b"x").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let loose = loose_entries(&root).unwrap();
        assert_eq!(
            loose,
            vec![
                LooseEntry {
                    path: root.clone(),
                    mode: 0o755
                },
                LooseEntry {
                    path: file,
                    mode: 0o644
                },
            ]
        );
        assert!(
            loose_entries(&dir.path().join("absent"))
                .unwrap()
                .is_empty()
        );
    }
}
