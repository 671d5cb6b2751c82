use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use crate::{FORMAT_VERSION, JournalError, io_error, sync_dir};

const SEGMENT_MAGIC: &[u8; 8] = b"CORRJRNL";
/// magic (8) + version (4) + first seq (8) + crc32c of the preceding 20 bytes (4).
const SEGMENT_HEADER_LEN: u64 = 24;
/// length (4) + crc32c (4) + seq (8).
const RECORD_HEADER_LEN: u64 = 16;
/// No record is larger: a corrupt length field must not make recovery allocate gigabytes.
const MAX_RECORD_LEN: u32 = 256 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct JournalConfig {
    /// A new segment file is started once the current one reaches this size.
    pub segment_bytes: u64,
}

impl Default for JournalConfig {
    fn default() -> Self {
        JournalConfig {
            segment_bytes: 512 * 1024 * 1024,
        }
    }
}

/// Whether a scan may repair a torn tail (recovery) or must leave the files alone (verify).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanMode {
    Repair,
    ReadOnly,
}

/// A torn write found at the end of the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    pub path: PathBuf,
    pub offset: u64,
    pub discarded_bytes: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentInfo {
    pub path: PathBuf,
    pub first_seq: u64,
    pub records: u64,
    pub bytes: u64,
}

/// What a full scan of the journal found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScanReport {
    pub segments: Vec<SegmentInfo>,
    /// Sequence number of the last valid record; 0 for an empty journal.
    pub last_seq: u64,
    pub torn_tail: Option<TornTail>,
}

/// The journal open for appending. One writer at a time (the engine loop).
#[derive(Debug)]
pub struct Journal {
    dir: PathBuf,
    config: JournalConfig,
    file: File,
    file_len: u64,
    next_seq: u64,
    /// Records appended since the last `sync`.
    unsynced: u64,
}

fn segment_name(first_seq: u64) -> String {
    format!("journal-{first_seq:020}.log")
}

fn list_segments(dir: &Path) -> Result<Vec<(u64, PathBuf)>, JournalError> {
    let mut segments = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        let name = entry.file_name();
        let Some(seq) = name.to_str().and_then(|n| {
            n.strip_prefix("journal-")?
                .strip_suffix(".log")?
                .parse()
                .ok()
        }) else {
            continue;
        };
        segments.push((seq, entry.path()));
    }
    segments.sort();
    Ok(segments)
}

fn record_crc(len: u32, seq: u64, payload: &[u8]) -> u32 {
    let crc = crc32c::crc32c(&len.to_le_bytes());
    let crc = crc32c::crc32c_append(crc, &seq.to_le_bytes());
    crc32c::crc32c_append(crc, payload)
}

fn header_bytes(first_seq: u64) -> [u8; SEGMENT_HEADER_LEN as usize] {
    let mut h = [0u8; SEGMENT_HEADER_LEN as usize];
    h[..8].copy_from_slice(SEGMENT_MAGIC);
    h[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    h[12..20].copy_from_slice(&first_seq.to_le_bytes());
    let crc = crc32c::crc32c(&h[..20]);
    h[20..].copy_from_slice(&crc.to_le_bytes());
    h
}

fn read_header(path: &Path, reader: &mut impl Read) -> Result<u64, JournalError> {
    let mut h = [0u8; SEGMENT_HEADER_LEN as usize];
    reader.read_exact(&mut h).map_err(|e| match e.kind() {
        ErrorKind::UnexpectedEof => JournalError::NotAJournal {
            path: path.into(),
            reason: "shorter than its header",
        },
        _ => JournalError::Io {
            path: path.into(),
            source: e,
        },
    })?;
    if &h[..8] != SEGMENT_MAGIC {
        return Err(JournalError::NotAJournal {
            path: path.into(),
            reason: "bad magic",
        });
    }
    let stored_crc = u32::from_le_bytes([h[20], h[21], h[22], h[23]]);
    if crc32c::crc32c(&h[..20]) != stored_crc {
        return Err(JournalError::NotAJournal {
            path: path.into(),
            reason: "header checksum mismatch",
        });
    }
    let version = u32::from_le_bytes([h[8], h[9], h[10], h[11]]);
    if version != FORMAT_VERSION {
        return Err(JournalError::UnsupportedVersion {
            path: path.into(),
            found: version,
        });
    }
    let mut seq = [0u8; 8];
    seq.copy_from_slice(&h[12..20]);
    Ok(u64::from_le_bytes(seq))
}

/// Why the record at some offset is not valid.
enum BadRecord {
    /// The file ends inside the record.
    Short,
    Invalid(String),
}

struct SegmentScan<'a, R> {
    path: &'a Path,
    reader: R,
    offset: u64,
    file_len: u64,
    payload: Vec<u8>,
}

impl<R: Read> SegmentScan<'_, R> {
    /// Reads the record at the current offset, expected to carry `seq`.
    fn next(&mut self, seq: u64) -> Result<Option<Result<(), BadRecord>>, JournalError> {
        let remaining = self.file_len - self.offset;
        if remaining == 0 {
            return Ok(None);
        }
        if remaining < RECORD_HEADER_LEN {
            return Ok(Some(Err(BadRecord::Short)));
        }
        let mut h = [0u8; RECORD_HEADER_LEN as usize];
        self.reader
            .read_exact(&mut h)
            .map_err(io_error(self.path))?;
        let len = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
        let crc = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
        let mut seq_bytes = [0u8; 8];
        seq_bytes.copy_from_slice(&h[8..]);
        let found_seq = u64::from_le_bytes(seq_bytes);
        if len > MAX_RECORD_LEN {
            return Ok(Some(Err(BadRecord::Invalid(format!(
                "length {len} is above the maximum"
            )))));
        }
        if remaining - RECORD_HEADER_LEN < u64::from(len) {
            return Ok(Some(Err(BadRecord::Short)));
        }
        self.payload.resize(len as usize, 0);
        self.reader
            .read_exact(&mut self.payload)
            .map_err(io_error(self.path))?;
        if record_crc(len, found_seq, &self.payload) != crc {
            return Ok(Some(Err(BadRecord::Invalid("checksum mismatch".into()))));
        }
        if found_seq != seq {
            return Ok(Some(Err(BadRecord::Invalid(format!(
                "sequence number {found_seq}, expected {seq}"
            )))));
        }
        self.offset += RECORD_HEADER_LEN + u64::from(len);
        Ok(Some(Ok(())))
    }
}

/// Whether a valid record numbered `seq + 1` follows a bad record of declared length
/// `len` at `offset`: if so the bad record was written completely and later damaged, which
/// is corruption, not a torn write.
fn valid_record_follows(
    path: &Path,
    offset: u64,
    file_len: u64,
    seq: u64,
) -> Result<bool, JournalError> {
    let mut file = File::open(path).map_err(io_error(path))?;
    let mut h = [0u8; RECORD_HEADER_LEN as usize];
    use std::io::Seek;
    file.seek(std::io::SeekFrom::Start(offset))
        .map_err(io_error(path))?;
    if file.read_exact(&mut h).is_err() {
        return Ok(false);
    }
    let len = u64::from(u32::from_le_bytes([h[0], h[1], h[2], h[3]]));
    let next = offset + RECORD_HEADER_LEN + len;
    if len > u64::from(MAX_RECORD_LEN) || next >= file_len {
        return Ok(false);
    }
    file.seek(std::io::SeekFrom::Start(next))
        .map_err(io_error(path))?;
    let mut scan = SegmentScan {
        path,
        reader: BufReader::new(file),
        offset: next,
        file_len,
        payload: Vec::new(),
    };
    Ok(matches!(scan.next(seq + 1)?, Some(Ok(()))))
}

impl Journal {
    /// Scans the whole journal in `dir` (created if missing), validating every record and
    /// calling `replay(seq, payload)` for each record after `replay_after`, in order.
    /// In `Repair` mode a torn tail is truncated; the journal is then ready to append.
    pub fn scan(
        dir: &Path,
        mode: ScanMode,
        replay_after: u64,
        mut replay: impl FnMut(u64, &[u8]) -> Result<(), String>,
    ) -> Result<ScanReport, JournalError> {
        let segments = list_segments(dir)?;
        let mut report = ScanReport::default();
        let mut seq = 0u64;
        for (index, (named_seq, path)) in segments.iter().enumerate() {
            let is_last = index + 1 == segments.len();
            let file = File::open(path).map_err(io_error(path))?;
            let file_len = file.metadata().map_err(io_error(path))?.len();
            let mut reader = BufReader::with_capacity(1 << 20, file);
            let header = read_header(path, &mut reader);
            if is_last && file_len <= SEGMENT_HEADER_LEN && header.is_err() {
                // A crash while a new segment was being created, before its header was durable.
                let reason = "segment header never completed".to_string();
                report.torn_tail = Some(TornTail {
                    path: path.clone(),
                    offset: 0,
                    discarded_bytes: file_len,
                    reason,
                });
                break;
            }
            let first_seq = header?;
            if first_seq != *named_seq || (seq != 0 && first_seq != seq + 1) {
                return Err(JournalError::Gap {
                    path: path.clone(),
                    expected: seq + 1,
                    found: first_seq,
                });
            }
            seq = first_seq - 1;
            let mut scan = SegmentScan {
                path,
                reader,
                offset: SEGMENT_HEADER_LEN,
                file_len,
                payload: Vec::new(),
            };
            let mut records = 0;
            loop {
                let offset = scan.offset;
                match scan.next(seq + 1)? {
                    None => break,
                    Some(Ok(())) => {
                        seq += 1;
                        records += 1;
                        if seq > replay_after {
                            replay(seq, &scan.payload)
                                .map_err(|reason| JournalError::Replay { seq, reason })?;
                        }
                    }
                    Some(Err(bad)) => {
                        let reason = match bad {
                            BadRecord::Short => "file ends inside the record".to_string(),
                            BadRecord::Invalid(reason) => reason,
                        };
                        if !is_last || valid_record_follows(path, offset, file_len, seq + 1)? {
                            return Err(JournalError::Corrupt {
                                path: path.clone(),
                                offset,
                                expected_seq: seq + 1,
                                reason,
                            });
                        }
                        report.torn_tail = Some(TornTail {
                            path: path.clone(),
                            offset,
                            discarded_bytes: file_len - offset,
                            reason,
                        });
                        break;
                    }
                }
            }
            let bytes = report.torn_tail.as_ref().map_or(file_len, |t| t.offset);
            report.segments.push(SegmentInfo {
                path: path.clone(),
                first_seq,
                records,
                bytes,
            });
        }
        report.last_seq = seq;
        if let (ScanMode::Repair, Some(torn)) = (mode, &report.torn_tail) {
            tracing::warn!(
                path = %torn.path.display(),
                offset = torn.offset,
                discarded_bytes = torn.discarded_bytes,
                reason = %torn.reason,
                "truncating a torn write at the end of the journal (never acknowledged)"
            );
            if torn.offset == 0 {
                fs::remove_file(&torn.path).map_err(io_error(&torn.path))?;
                sync_dir(dir)?;
            } else {
                let file = OpenOptions::new()
                    .write(true)
                    .open(&torn.path)
                    .map_err(io_error(&torn.path))?;
                file.set_len(torn.offset)
                    .and_then(|()| file.sync_all())
                    .map_err(io_error(&torn.path))?;
            }
        }
        Ok(report)
    }

    /// Opens the journal for appending after a `Repair` scan returned `report`.
    pub fn open(
        dir: &Path,
        config: JournalConfig,
        report: &ScanReport,
    ) -> Result<Journal, JournalError> {
        let next_seq = report.last_seq + 1;
        let Some(last) = report.segments.last() else {
            return Journal::create_segment(dir, config, next_seq);
        };
        let file = OpenOptions::new()
            .append(true)
            .open(&last.path)
            .map_err(io_error(&last.path))?;
        let file_len = file.metadata().map_err(io_error(&last.path))?.len();
        Ok(Journal {
            dir: dir.to_path_buf(),
            config,
            file,
            file_len,
            next_seq,
            unsynced: 0,
        })
    }

    fn create_segment(
        dir: &Path,
        config: JournalConfig,
        first_seq: u64,
    ) -> Result<Journal, JournalError> {
        crate::private::create_dir_all(dir).map_err(io_error(dir))?;
        let path = dir.join(segment_name(first_seq));
        let mut file = crate::private::file_options()
            .create_new(true)
            .append(true)
            .open(&path)
            .map_err(io_error(&path))?;
        file.write_all(&header_bytes(first_seq))
            .and_then(|()| file.sync_all())
            .map_err(io_error(&path))?;
        sync_dir(dir)?;
        Ok(Journal {
            dir: dir.to_path_buf(),
            config,
            file,
            file_len: SEGMENT_HEADER_LEN,
            next_seq: first_seq,
            unsynced: 0,
        })
    }

    /// The number the next appended record will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Writes one record (not yet durable) and returns its sequence number.
    pub fn append(&mut self, payload: &[u8]) -> Result<u64, JournalError> {
        let len = u32::try_from(payload.len())
            .ok()
            .filter(|&l| l <= MAX_RECORD_LEN)
            .ok_or_else(|| JournalError::Replay {
                seq: self.next_seq,
                reason: format!("record of {} bytes is too large", payload.len()),
            })?;
        if self.file_len + RECORD_HEADER_LEN + u64::from(len) > self.config.segment_bytes
            && self.file_len > SEGMENT_HEADER_LEN
        {
            self.sync()?;
            *self = Journal::create_segment(&self.dir, self.config.clone(), self.next_seq)?;
        }
        let seq = self.next_seq;
        let mut header = [0u8; RECORD_HEADER_LEN as usize];
        header[..4].copy_from_slice(&len.to_le_bytes());
        header[4..8].copy_from_slice(&record_crc(len, seq, payload).to_le_bytes());
        header[8..].copy_from_slice(&seq.to_le_bytes());
        let path = self.dir.join(segment_name(seq));
        self.file
            .write_all(&header)
            .and_then(|()| self.file.write_all(payload))
            .map_err(io_error(&path))?;
        self.file_len += RECORD_HEADER_LEN + u64::from(len);
        self.next_seq += 1;
        self.unsynced += 1;
        Ok(seq)
    }

    /// Makes every appended record durable.
    pub fn sync(&mut self) -> Result<(), JournalError> {
        if self.unsynced == 0 {
            return Ok(());
        }
        self.file.sync_data().map_err(io_error(&self.dir))?;
        self.unsynced = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Records = Vec<(u64, Vec<u8>)>;

    fn collect(dir: &Path, mode: ScanMode) -> Result<(ScanReport, Records), JournalError> {
        let mut records = Vec::new();
        let report = Journal::scan(dir, mode, 0, |seq, p| {
            records.push((seq, p.to_vec()));
            Ok(())
        })?;
        Ok((report, records))
    }

    fn write_records(dir: &Path, config: JournalConfig, payloads: &[&[u8]]) {
        let (report, _) = collect(dir, ScanMode::Repair).unwrap();
        let mut journal = Journal::open(dir, config, &report).unwrap();
        for p in payloads {
            journal.append(p).unwrap();
        }
        journal.sync().unwrap();
    }

    fn only_segment(dir: &Path) -> PathBuf {
        list_segments(dir).unwrap().pop().unwrap().1
    }

    #[test]
    fn appends_survive_reopen_and_rotate_segments() {
        let dir = tempfile::tempdir().unwrap();
        let config = JournalConfig { segment_bytes: 200 };
        write_records(
            dir.path(),
            config.clone(),
            &[&[1; 100], &[2; 100], &[3; 10]],
        );
        write_records(dir.path(), config, &[b"four"]);
        let (report, records) = collect(dir.path(), ScanMode::ReadOnly).unwrap();
        assert_eq!(report.last_seq, 4);
        assert!(report.segments.len() >= 2);
        assert_eq!(
            records.iter().map(|r| r.0).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
        assert_eq!(records[3].1, b"four");
    }

    #[test]
    fn torn_tail_is_truncated_and_appending_continues() {
        let dir = tempfile::tempdir().unwrap();
        write_records(dir.path(), JournalConfig::default(), &[b"one", b"two"]);
        let path = only_segment(dir.path());
        let full = fs::metadata(&path).unwrap().len();
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(full - 2).unwrap();
        let (readonly, _) = collect(dir.path(), ScanMode::ReadOnly).unwrap();
        assert_eq!(readonly.last_seq, 1);
        assert_eq!(
            fs::metadata(&path).unwrap().len(),
            full - 2,
            "read-only scan changes nothing"
        );
        write_records(dir.path(), JournalConfig::default(), &[b"three"]);
        let (report, records) = collect(dir.path(), ScanMode::ReadOnly).unwrap();
        assert_eq!(report.torn_tail, None);
        assert_eq!(records, vec![(1, b"one".to_vec()), (2, b"three".to_vec())]);
    }

    #[test]
    fn zeroed_tail_is_a_torn_write() {
        let dir = tempfile::tempdir().unwrap();
        write_records(dir.path(), JournalConfig::default(), &[b"one"]);
        let path = only_segment(dir.path());
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(&[0u8; 4096]).unwrap();
        let (report, records) = collect(dir.path(), ScanMode::Repair).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(report.torn_tail.unwrap().discarded_bytes, 4096);
    }

    #[test]
    fn a_segment_whose_header_never_completed_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        write_records(dir.path(), JournalConfig::default(), &[b"one"]);
        let stray = dir.path().join(segment_name(2));
        fs::write(&stray, [0u8; 10]).unwrap();
        let (report, records) = collect(dir.path(), ScanMode::Repair).unwrap();
        assert_eq!((report.last_seq, records.len()), (1, 1));
        assert!(!stray.exists());
        write_records(dir.path(), JournalConfig::default(), &[b"two"]);
        assert_eq!(
            collect(dir.path(), ScanMode::ReadOnly).unwrap().0.last_seq,
            2
        );
    }

    #[test]
    fn bit_flip_before_the_tail_is_corruption() {
        let dir = tempfile::tempdir().unwrap();
        write_records(
            dir.path(),
            JournalConfig::default(),
            &[b"one", b"two", b"three"],
        );
        let path = only_segment(dir.path());
        let mut bytes = fs::read(&path).unwrap();
        bytes[SEGMENT_HEADER_LEN as usize + RECORD_HEADER_LEN as usize] ^= 0x10;
        fs::write(&path, &bytes).unwrap();
        let err = collect(dir.path(), ScanMode::Repair).unwrap_err();
        assert!(
            matches!(
                err,
                JournalError::Corrupt {
                    expected_seq: 1,
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "nothing is truncated on corruption"
        );
    }

    #[test]
    fn damage_in_an_earlier_segment_is_corruption() {
        let dir = tempfile::tempdir().unwrap();
        write_records(
            dir.path(),
            JournalConfig { segment_bytes: 100 },
            &[&[7; 60], &[8; 60], &[9; 60]],
        );
        let first = list_segments(dir.path()).unwrap()[0].1.clone();
        let bytes = fs::read(&first).unwrap();
        fs::write(&first, &bytes[..bytes.len() - 1]).unwrap();
        assert!(matches!(
            collect(dir.path(), ScanMode::Repair),
            Err(JournalError::Corrupt { .. })
        ));
    }

    #[test]
    fn wrong_version_and_foreign_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        write_records(dir.path(), JournalConfig::default(), &[b"one"]);
        let path = only_segment(dir.path());
        let mut bytes = fs::read(&path).unwrap();
        bytes[8] = 9;
        let crc = crc32c::crc32c(&bytes[..20]);
        bytes[20..24].copy_from_slice(&crc.to_le_bytes());
        fs::write(&path, &bytes).unwrap();
        let err = collect(dir.path(), ScanMode::Repair).unwrap_err();
        assert!(
            matches!(err, JournalError::UnsupportedVersion { found: 9, .. }),
            "{err}"
        );
        fs::write(&path, b"hello, world, this is not a journal").unwrap();
        assert!(matches!(
            collect(dir.path(), ScanMode::Repair),
            Err(JournalError::NotAJournal { .. })
        ));
        fs::write(&path, b"short").unwrap();
        let (report, _) = collect(dir.path(), ScanMode::ReadOnly).unwrap();
        assert_eq!(
            report.torn_tail.unwrap().reason,
            "segment header never completed"
        );
    }

    #[test]
    fn a_missing_segment_is_a_gap() {
        let dir = tempfile::tempdir().unwrap();
        write_records(
            dir.path(),
            JournalConfig { segment_bytes: 100 },
            &[&[7; 60], &[8; 60], &[9; 60]],
        );
        let segments = list_segments(dir.path()).unwrap();
        assert!(segments.len() >= 3);
        fs::remove_file(&segments[1].1).unwrap();
        assert!(matches!(
            collect(dir.path(), ScanMode::Repair),
            Err(JournalError::Gap { .. })
        ));
    }

    proptest::proptest! {
        #[test]
        fn any_damage_gives_an_error_or_a_clean_prefix(cut in 0usize..400, flip in proptest::option::of((0usize..400, 0u8..8))) {
            let dir = tempfile::tempdir().unwrap();
            let payloads: Vec<Vec<u8>> = (0..8u8).map(|i| vec![i; 20 + usize::from(i)]).collect();
            let refs: Vec<&[u8]> = payloads.iter().map(Vec::as_slice).collect();
            write_records(dir.path(), JournalConfig::default(), &refs);
            let path = only_segment(dir.path());
            let mut bytes = fs::read(&path).unwrap();
            bytes.truncate(cut.min(bytes.len()));
            if let Some((at, bit)) = flip && at < bytes.len() {
                bytes[at] ^= 1 << bit;
            }
            fs::write(&path, &bytes).unwrap();
            if let Ok((_, records)) = collect(dir.path(), ScanMode::Repair) {
                for (i, (seq, payload)) in records.iter().enumerate() {
                    proptest::prop_assert_eq!(*seq, i as u64 + 1);
                    proptest::prop_assert_eq!(payload, &payloads[i]);
                }
            }
        }
    }
}
