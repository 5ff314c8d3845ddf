//! Records → the archive folder: `records.jsonl` (the source of truth, one record per line),
//! `records.csv` (derived from it, rebuilt atomically at the end of a run) and `errors.jsonl`.
//!
//! Records are appended and flushed one by one as documents finish, so memory does not grow with
//! the batch and a crash loses at most the documents in flight. A torn last line (a crash in the
//! middle of a write) is dropped when the archive is opened.

mod csv;
pub mod export;
mod lock;
pub mod merge;
mod pages;

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

pub use self::csv::{csv_header, write_csv};
pub use self::lock::WriteLock;
pub use self::pages::{pages_path, read_pages, write_pages, PagesFile, PAGES_DIR};
use crate::error::Error;
use crate::record::{ErrorLine, Record};

/// File names inside an archive folder.
pub const RECORDS: &str = "records.jsonl";
/// The CSV view of the records.
pub const RECORDS_CSV: &str = "records.csv";
/// One line per failed input.
pub const ERRORS: &str = "errors.jsonl";

/// An archive folder.
#[derive(Debug, Clone)]
pub struct Archive {
    dir: PathBuf,
}

impl Archive {
    /// An archive at `dir` (which may not exist yet).
    pub fn at(dir: impl Into<PathBuf>) -> Archive {
        Archive { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Path of a file inside the archive.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Reads every record (the last one wins when an id repeats), skipping a torn line.
    pub fn records(&self) -> Result<Vec<Record>, Error> {
        let mut out: Vec<Record> = Vec::new();
        let mut pos: HashMap<String, usize> = HashMap::new();
        self.for_each_record(|r| {
            match pos.get(&r.id) {
                Some(&i) => out[i] = r,
                None => {
                    pos.insert(r.id.clone(), out.len());
                    out.push(r);
                }
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams the records in file order (duplicates included); lines that do not parse are skipped.
    pub fn for_each_record(&self, mut f: impl FnMut(Record) -> Result<(), Error>) -> Result<(), Error> {
        let path = self.path(RECORDS);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|e| Error::io(&path, e))?;
            if let Ok(r) = serde_json::from_str::<Record>(&line) {
                f(r)?;
            }
        }
        Ok(())
    }

    /// Like [`for_each_record`](Self::for_each_record), with each record's line of JSON too
    /// (e.g. to store it as it is instead of serializing the record again).
    pub fn for_each_record_json(
        &self,
        mut f: impl FnMut(Record, &str) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let path = self.path(RECORDS);
        for_each_line(&path, |_, line| {
            let line = std::str::from_utf8(line)
                .map_err(|e| Error::io(&path, std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
            let line = line.strip_suffix('\r').unwrap_or(line);
            match serde_json::from_str::<Record>(line) {
                Ok(r) => f(r, line),
                Err(_) => Ok(()),
            }
        })?;
        Ok(())
    }

    /// Streams the records once per id, the latest occurrence of a repeated id winning, in the
    /// order of [`records`](Self::records) (the position of an id's first line). Holds only the
    /// ids and line offsets in memory: a first pass finds the latest line of each id, a second
    /// reads those lines.
    pub fn for_each_latest(&self, mut f: impl FnMut(Record) -> Result<(), Error>) -> Result<(), Error> {
        let path = self.path(RECORDS);
        let mut slot: HashMap<String, usize> = HashMap::new();
        let mut offsets: Vec<u64> = Vec::new();
        let found = for_each_line(&path, |offset, line| {
            if let Some(id) = record_id(line) {
                match slot.get(&id) {
                    Some(&i) => offsets[i] = offset,
                    None => {
                        slot.insert(id, offsets.len());
                        offsets.push(offset);
                    }
                }
            }
            Ok(())
        })?;
        if !found {
            return Ok(());
        }
        drop(slot);
        let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
        let mut reader = BufReader::new(file);
        let mut pos = 0u64;
        let mut buf = Vec::new();
        for offset in offsets {
            if offset != pos {
                use std::io::Seek;
                reader.seek(std::io::SeekFrom::Start(offset)).map_err(|e| Error::io(&path, e))?;
            }
            buf.clear();
            let n = reader.read_until(b'\n', &mut buf).map_err(|e| Error::io(&path, e))?;
            pos = offset + n as u64;
            if let Ok(r) = serde_json::from_slice::<Record>(&buf) {
                f(r)?;
            }
        }
        Ok(())
    }

    /// Finds a record by id, id prefix or source.
    pub fn record(&self, key: &str) -> Result<Option<Record>, Error> {
        let mut found = None;
        self.for_each_record(|r| {
            if r.id == key || (key.len() >= 8 && r.id.starts_with(key)) || r.source == key {
                found = Some(r);
            }
            Ok(())
        })?;
        Ok(found)
    }
}

/// Writes one run's results into an archive.
pub struct ArchiveWriter {
    _lock: WriteLock,
    archive: Archive,
    records: BufWriter<File>,
    errors: BufWriter<File>,
    existing: HashSet<String>,
    failed_before: HashMap<String, ErrorLine>,
    replaced: bool,
    excel: bool,
    index: crate::index::Writer,
}

impl ArchiveWriter {
    /// Opens (creating if needed) the archive for appending; repairs a torn last line.
    /// `excel` writes records.csv with a byte-order mark; an archive whose CSV already has one
    /// keeps it.
    pub fn open(archive: &Archive, excel: bool) -> Result<ArchiveWriter, Error> {
        let excel = excel || csv_has_bom(&archive.path(RECORDS_CSV));
        let dir = archive.dir();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let lock = WriteLock::acquire(dir)?;
        let rec_path = archive.path(RECORDS);
        repair_torn_tail(&rec_path)?;
        // The full-text index follows records.jsonl; it is (re)built here if missing or behind.
        let index = crate::index::Writer::open_for_scan(archive)?;
        let mut existing = HashSet::new();
        archive.for_each_record(|r| {
            existing.insert(r.id);
            Ok(())
        })?;
        let records = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&rec_path)
            .map_err(|e| Error::io(&rec_path, e))?;
        let err_path = archive.path(ERRORS);
        repair_torn_tail(&err_path)?;
        let failed_before = read_errors(&err_path)?;
        let errors = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&err_path)
            .map_err(|e| Error::io(&err_path, e))?;
        Ok(ArchiveWriter {
            _lock: lock,
            archive: archive.clone(),
            records: BufWriter::new(records),
            errors: BufWriter::new(errors),
            existing,
            failed_before,
            replaced: false,
            excel,
            index,
        })
    }

    /// Ids already in the archive when it was opened.
    pub fn existing_ids(&self) -> &HashSet<String> {
        &self.existing
    }

    /// The failure recorded for a document id by an earlier run, if any.
    pub fn failed_before(&self, id: &str) -> Option<&ErrorLine> {
        self.failed_before.get(id)
    }

    /// Appends a record (replacing, at [`finish`](Self::finish), an older one with the same id).
    pub fn write_record(&mut self, r: &Record) -> Result<(), Error> {
        let line = serde_json::to_string(r).map_err(|e| Error::Data(e.to_string()))?;
        let path = self.archive.path(RECORDS);
        writeln!(self.records, "{line}")
            .and_then(|_| self.records.flush())
            .map_err(|e| Error::io(&path, e))?;
        if !self.existing.insert(r.id.clone()) {
            self.replaced = true;
        }
        // Replaces an older record of the same id; commits every few seconds so that searches
        // during a long scan see its progress.
        self.index.add(r)?;
        self.index.commit_every(std::time::Duration::from_secs(2))
    }

    /// Appends an error line.
    pub fn write_error(&mut self, e: &ErrorLine) -> Result<(), Error> {
        let line = serde_json::to_string(e).map_err(|e| Error::Data(e.to_string()))?;
        let path = self.archive.path(ERRORS);
        writeln!(self.errors, "{line}").and_then(|_| self.errors.flush()).map_err(|e| Error::io(&path, e))
    }

    /// Flushes, drops replaced records, and rebuilds `records.csv`.
    pub fn finish(mut self) -> Result<(), Error> {
        let rec_path = self.archive.path(RECORDS);
        self.records.flush().map_err(|e| Error::io(&rec_path, e))?;
        self.records.get_ref().sync_all().map_err(|e| Error::io(&rec_path, e))?;
        if self.replaced {
            let all = self.archive.records()?;
            atomic_write(&rec_path, |w| {
                for r in &all {
                    serde_json::to_writer(&mut *w, r).map_err(std::io::Error::other)?;
                    w.write_all(b"\n")?;
                }
                Ok(())
            })?;
        }
        self.compact_errors()?;
        self.index.finish()?;
        let archive = self.archive.clone();
        let excel = self.excel;
        atomic_write(&self.archive.path(RECORDS_CSV), |w| {
            write_csv(&archive, w, excel).map(|_| ()).map_err(std::io::Error::other)
        })
    }
}

impl ArchiveWriter {
    /// Rewrites errors.jsonl: the latest line per input, without inputs that now have a record.
    fn compact_errors(&mut self) -> Result<(), Error> {
        let path = self.archive.path(ERRORS);
        self.errors.flush().map_err(|e| Error::io(&path, e))?;
        let mut sources = HashSet::new();
        self.archive.for_each_record(|r| {
            sources.insert(r.source);
            Ok(())
        })?;
        let latest = read_errors(&path)?;
        let mut lines: Vec<&ErrorLine> = latest
            .values()
            .filter(|e| {
                !sources.contains(&e.source) && !e.id.as_ref().is_some_and(|id| self.existing.contains(id))
            })
            .collect();
        lines.sort_by(|a, b| crate::discover::natural_cmp(&a.source, &b.source));
        atomic_write(&path, |w| {
            for e in lines {
                serde_json::to_writer(&mut *w, e).map_err(std::io::Error::other)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        })
    }
}

/// The id of a record line, if the line is a record.
fn record_id(line: &[u8]) -> Option<String> {
    serde_json::from_slice::<Record>(line).ok().map(|r| r.id)
}

/// Calls `f(offset, line)` for every line of a file (the newline excluded); `Ok(false)` when the
/// file does not exist.
fn for_each_line(path: &Path, mut f: impl FnMut(u64, &[u8]) -> Result<(), Error>) -> Result<bool, Error> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut reader = BufReader::new(file);
    let mut offset = 0u64;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            return Ok(true);
        }
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        f(offset, line)?;
        offset += n as u64;
    }
}

/// The latest error line per input (keyed by id, or by source when the file had no id).
fn read_errors(path: &Path) -> Result<HashMap<String, ErrorLine>, Error> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut out = HashMap::new();
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| Error::io(path, e))?;
        if let Ok(e) = serde_json::from_str::<ErrorLine>(&line) {
            out.insert(e.id.clone().unwrap_or_else(|| e.source.clone()), e);
        }
    }
    Ok(out)
}

fn csv_has_bom(path: &Path) -> bool {
    let mut head = [0u8; 3];
    File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok()
        && head == [0xEF, 0xBB, 0xBF]
}

/// Drops a last line that does not end with a newline (a write cut by a crash).
fn repair_torn_tail(path: &Path) -> Result<(), Error> {
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    if data.is_empty() || data.ends_with(b"\n") {
        return Ok(());
    }
    let keep = data.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let f = OpenOptions::new().write(true).open(path).map_err(|e| Error::io(path, e))?;
    f.set_len(keep as u64).map_err(|e| Error::io(path, e))
}

/// Writes a file through a temporary file in the same folder, fsync, then rename.
pub fn atomic_write(
    path: &Path,
    f: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<(), Error> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    let run = || -> std::io::Result<()> {
        let mut w = BufWriter::new(File::create(&tmp)?);
        f(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    run().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, subject: &str) -> String {
        let v = serde_json::json!({
            "schema": "sohoa.record/1", "id": id, "source": format!("{id}.png"), "page_count": 1,
            "language": "vi", "doc_type": null, "doc_number": null, "doc_symbol": null,
            "issued_date": null, "issued_place": null, "issuer": null, "issuer_parent": null,
            "subject": subject, "signer_name": null, "signer_title": null, "signer_authority": null,
            "recipients": [], "urgency": null, "confidentiality": null, "text": "",
            "confidence": 1.0, "field_confidence": {}, "review": [], "method": "ocr", "engine": "t",
            "processed_at": "2026-01-01T00:00:00Z", "file_code": null, "doc_ordinal": null
        });
        format!("{v}\n")
    }

    #[test]
    fn latest_streams_like_records() {
        let t = tempfile::tempdir().unwrap();
        let a = Archive::at(t.path());
        let data =
            [rec("a", "1"), rec("b", "1"), "junk\n".into(), rec("a", "2"), rec("c", "1"), rec("b", "3")];
        std::fs::write(a.path(RECORDS), data.concat()).unwrap();
        let mut got = Vec::new();
        a.for_each_latest(|r| {
            got.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(got, a.records().unwrap());
        let short: Vec<(String, String)> =
            got.into_iter().map(|r| (r.id, r.subject.unwrap_or_default())).collect();
        assert_eq!(short, [("a".into(), "2".into()), ("b".into(), "3".into()), ("c".into(), "1".into())]);
        // No records file: nothing, no error.
        Archive::at(t.path().join("none")).for_each_latest(|_| panic!("no records")).unwrap();
    }

    #[test]
    fn torn_tail_is_dropped() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("x.jsonl");
        std::fs::write(&p, b"{\"a\":1}\n{\"a\":").unwrap();
        repair_torn_tail(&p).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"{\"a\":1}\n");
        std::fs::write(&p, b"{\"a\":").unwrap();
        repair_torn_tail(&p).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"");
    }
}
