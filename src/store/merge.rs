//! `sohoa merge`: archives (e.g. the shards of a batch run on many machines) → one archive.
//!
//! Records are deduplicated by id: the newer `processed_at` wins, and on a tie the later input
//! (`processed_at` is compared as text: sohoa writes it as `YYYY-MM-DDTHH:MM:SSZ`, UTC, whose
//! text order is time order).
//! The output's own records count as the first input, so merging again after a late shard adds
//! only what is new, and merging the same inputs twice changes nothing. `errors.jsonl` lines are
//! combined (the latest per input; dropped when that input now has a record) and
//! `review-history.jsonl` lines are concatenated (a line already present is not repeated).
//!
//! Records are streamed: a first pass keeps, per id, where its winning line is (input, offset) and
//! its `processed_at`; a second pass copies the winning lines, unchanged, into the new
//! `records.jsonl`, written atomically. The full-text index is then rebuilt from it rather than
//! merged from the inputs' tantivy segments: segment merge would need the same schema version in
//! every input, deletes for the ids that lost, and a payload that matches the new records.jsonl,
//! while a rebuild only re-analyzes text (no OCR) and is consistent by construction.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;

use crate::error::Error;
use crate::record::{ErrorLine, Record};
use crate::review::HISTORY;

use super::{
    atomic_write, csv_has_bom, for_each_line, read_errors, Archive, WriteLock, ERRORS, RECORDS, RECORDS_CSV,
};

/// Options of a merge.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// Indexing threads for the index rebuild.
    pub threads: usize,
    /// Write records.csv with a byte-order mark (also when the output's CSV already has one).
    pub excel: bool,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions { threads: 1, excel: false }
    }
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MergeSummary {
    /// Archives read (the output counted when it already had records).
    pub inputs: usize,
    /// Record lines read from all inputs.
    pub read: u64,
    /// Records in the merged archive (one per id).
    pub records: u64,
    /// Record lines that lost to a newer (or later) record of the same id.
    pub superseded: u64,
    /// Lines in the merged errors.jsonl.
    pub errors: u64,
    /// Lines in the merged review-history.jsonl.
    pub history: u64,
    /// Records in the rebuilt index.
    pub indexed: u64,
}

/// The id of a record line.
#[derive(serde::Deserialize)]
struct IdOnly {
    id: String,
}

/// Where an id's winning line is.
struct Winner {
    processed_at: String,
    input: usize,
    offset: u64,
}

/// Merges `inputs` into `out` (created if needed; its existing content counts as the first input).
/// `progress` gets the number of records indexed so far during the index rebuild.
pub fn merge(
    inputs: &[Archive],
    out: &Archive,
    opts: &MergeOptions,
    progress: impl FnMut(u64),
) -> Result<MergeSummary, Error> {
    for a in inputs {
        if !a.dir().is_dir() {
            return Err(Error::Usage(format!("{} is not an archive folder", a.dir().display())));
        }
    }
    let dir = out.dir();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let _lock = WriteLock::acquire(dir)?;
    let excel = opts.excel || csv_has_bom(&out.path(RECORDS_CSV));

    // The output first (lowest priority on ties), then the inputs in order, each folder once.
    let out_key = canonical(out);
    let mut sources: Vec<Archive> = vec![out.clone()];
    let mut seen = HashSet::from([out_key]);
    for a in inputs {
        if seen.insert(canonical(a)) {
            sources.push(a.clone());
        }
    }

    let mut summary = MergeSummary::default();
    // Pass 1: the winner of every id; the sources of records (to drop their old errors).
    let mut winners: HashMap<String, Winner> = HashMap::new();
    let mut record_sources: HashSet<String> = HashSet::new();
    for (i, a) in sources.iter().enumerate() {
        let mut read = 0u64;
        let found = for_each_line(&a.path(RECORDS), |offset, line| {
            let Ok(r) = serde_json::from_slice::<Record>(line) else { return Ok(()) };
            read += 1;
            record_sources.insert(r.source);
            let newer = winners.get(&r.id).is_none_or(|w| r.processed_at >= w.processed_at);
            if newer {
                winners.insert(r.id, Winner { processed_at: r.processed_at, input: i, offset });
            }
            Ok(())
        })?;
        if i > 0 || (found && read > 0) {
            summary.inputs += 1;
        }
        summary.read += read;
    }

    // Pass 2: copy the winning lines, in input order.
    let rec_path = out.path(RECORDS);
    let mut written = 0u64;
    atomic_write(&rec_path, |w| {
        for (i, a) in sources.iter().enumerate() {
            for_each_line(&a.path(RECORDS), |offset, line| {
                // Only the id is needed here: a winning line parsed as a record in pass 1.
                let Ok(r) = serde_json::from_slice::<IdOnly>(line) else { return Ok(()) };
                if winners.get(&r.id).is_some_and(|win| win.input == i && win.offset == offset) {
                    w.write_all(line)
                        .and_then(|_| w.write_all(b"\n"))
                        .map_err(|e| Error::io(&rec_path, e))?;
                    written += 1;
                }
                Ok(())
            })
            .map_err(std::io::Error::other)?;
        }
        Ok(())
    })?;
    summary.records = written;
    summary.superseded = summary.read - written;

    // errors.jsonl: the latest line per input, later archives winning; none for a recorded input.
    let mut errors: HashMap<String, ErrorLine> = HashMap::new();
    for a in &sources {
        errors.extend(read_errors(&a.path(ERRORS))?);
    }
    let mut lines: Vec<ErrorLine> = errors
        .into_values()
        .filter(|e| {
            !record_sources.contains(&e.source) && !e.id.as_ref().is_some_and(|id| winners.contains_key(id))
        })
        .collect();
    lines.sort_by(|a, b| crate::discover::natural_cmp(&a.source, &b.source));
    summary.errors = lines.len() as u64;
    drop(winners);
    atomic_write(&out.path(ERRORS), |w| {
        for e in &lines {
            serde_json::to_writer(&mut *w, e).map_err(std::io::Error::other)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })?;

    // review-history.jsonl: concatenated, each line once.
    let mut history: Vec<Vec<u8>> = Vec::new();
    let mut seen_lines: HashSet<Vec<u8>> = HashSet::new();
    for a in &sources {
        for_each_line(&a.path(HISTORY), |_, line| {
            if !line.is_empty() && seen_lines.insert(line.to_vec()) {
                history.push(line.to_vec());
            }
            Ok(())
        })?;
    }
    if !history.is_empty() {
        summary.history = history.len() as u64;
        atomic_write(&out.path(HISTORY), |w| {
            for l in &history {
                w.write_all(l)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        })?;
    }

    summary.indexed = crate::index::rebuild(out, opts.threads.max(1), progress)?;
    atomic_write(&out.path(RECORDS_CSV), |w| {
        super::write_csv(out, w, excel).map(|_| ()).map_err(std::io::Error::other)
    })?;
    Ok(summary)
}

fn canonical(a: &Archive) -> PathBuf {
    std::fs::canonicalize(a.dir()).unwrap_or_else(|_| a.dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, at: &str, subject: &str) -> String {
        let v = serde_json::json!({
            "schema": "sohoa.record/1", "id": id, "source": format!("{id}.png"), "page_count": 1,
            "language": "vi", "doc_type": null, "doc_number": null, "doc_symbol": null,
            "issued_date": null, "issued_place": null, "issuer": null, "issuer_parent": null,
            "subject": subject, "signer_name": null, "signer_title": null, "signer_authority": null,
            "recipients": [], "urgency": null, "confidentiality": null, "text": subject,
            "confidence": 1.0, "field_confidence": {}, "review": [], "method": "ocr", "engine": "t",
            "processed_at": at, "file_code": null, "doc_ordinal": null
        });
        format!("{v}\n")
    }

    fn archive(root: &std::path::Path, name: &str, lines: &[String], errors: &str) -> Archive {
        let a = Archive::at(root.join(name));
        std::fs::create_dir_all(a.dir()).unwrap();
        std::fs::write(a.path(RECORDS), lines.concat()).unwrap();
        std::fs::write(a.path(ERRORS), errors).unwrap();
        a
    }

    fn subjects(a: &Archive) -> Vec<(String, String)> {
        a.records().unwrap().into_iter().map(|r| (r.id, r.subject.unwrap_or_default())).collect()
    }

    #[test]
    fn newer_wins_ties_go_to_the_later_input_and_remerge_is_idempotent() {
        let t = tempfile::tempdir().unwrap();
        let a = archive(
            t.path(),
            "a",
            &[rec("x", "2026-02-01T00:00:00Z", "new x"), rec("y", "2026-01-01T00:00:00Z", "a y")],
            "{\"source\":\"bad.png\",\"kind\":\"unreadable\",\"message\":\"m\"}\n\
             {\"source\":\"z.png\",\"kind\":\"ocr-failed\",\"message\":\"m\",\"id\":\"z\"}\n",
        );
        let b = archive(
            t.path(),
            "b",
            &[rec("x", "2026-01-01T00:00:00Z", "old x"), rec("y", "2026-01-01T00:00:00Z", "b y")],
            "",
        );
        let c = archive(t.path(), "c", &[rec("z", "2026-01-01T00:00:00Z", "z")], "");
        let out = Archive::at(t.path().join("out"));
        let s = merge(&[a.clone(), b.clone(), c.clone()], &out, &MergeOptions::default(), |_| {}).unwrap();
        assert_eq!((s.inputs, s.read, s.records, s.superseded, s.errors, s.indexed), (3, 5, 3, 2, 1, 3));
        let want = [("x".into(), "new x".into()), ("y".into(), "b y".into()), ("z".into(), "z".into())];
        assert_eq!(subjects(&out), want);
        let errors = std::fs::read_to_string(out.path(ERRORS)).unwrap();
        assert!(errors.contains("bad.png") && !errors.contains("z.png"), "{errors}");
        let before: Vec<u8> = std::fs::read(out.path(RECORDS)).unwrap();
        let csv = std::fs::read_to_string(out.path(RECORDS_CSV)).unwrap();
        assert_eq!(csv.lines().count(), 4);

        // Again, with the output itself among the inputs: nothing changes.
        let s = merge(&[a, b, c, out.clone()], &out, &MergeOptions::default(), |_| {}).unwrap();
        assert_eq!((s.records, s.errors), (3, 1));
        assert_eq!(std::fs::read(out.path(RECORDS)).unwrap(), before);
        assert_eq!(std::fs::read_to_string(out.path(RECORDS_CSV)).unwrap(), csv);
    }

    #[test]
    fn late_shard_adds_to_the_output_and_history_is_kept_once() {
        let t = tempfile::tempdir().unwrap();
        let a = archive(t.path(), "a", &[rec("x", "2026-01-01T00:00:00Z", "x")], "");
        std::fs::write(a.path(HISTORY), "{\"h\":1}\n").unwrap();
        let out = Archive::at(t.path().join("out"));
        merge(std::slice::from_ref(&a), &out, &MergeOptions::default(), |_| {}).unwrap();
        let late = archive(t.path(), "late", &[rec("w", "2026-03-01T00:00:00Z", "w")], "");
        std::fs::write(late.path(HISTORY), "{\"h\":2}\n").unwrap();
        let s = merge(&[a, late], &out, &MergeOptions::default(), |_| {}).unwrap();
        assert_eq!(s.records, 2);
        assert_eq!(subjects(&out), [("x".into(), "x".into()), ("w".into(), "w".into())]);
        assert_eq!(std::fs::read_to_string(out.path(HISTORY)).unwrap(), "{\"h\":1}\n{\"h\":2}\n");
    }

    #[test]
    fn a_missing_input_is_an_error() {
        let t = tempfile::tempdir().unwrap();
        let e = merge(
            &[Archive::at(t.path().join("nope"))],
            &Archive::at(t.path().join("o")),
            &MergeOptions::default(),
            |_| {},
        )
        .unwrap_err();
        assert!(e.to_string().contains("not an archive folder"), "{e}");
    }
}
