//! Records → the tantivy full-text index in `ARCHIVE/index`.
//!
//! **One tantivy document per record.** Ranking, counting, paging and filters are per document, as
//! a clerk looks for documents; a hit's page is found afterwards by scoring each page of the hit's
//! stored text with the same analyzer (see [`crate::search`]), which costs a few microseconds for
//! the ten hits shown and keeps the index as small and fast as a per-page layout would not (no
//! duplicate metadata per page, no grouping of page hits into documents, exact counts).
//!
//! Fields:
//! - `id`: the record id, a raw term; re-adding a record deletes the older one by this term.
//! - `text` / `text_folded`: the full text, exact and folded analyzers (see [`analyzer`]), positions.
//! - `subject` / `subject_folded`: the subject (trích yếu), ranked above body text.
//! - `issuer`: the issuer, folded, positions (the `--issuer` filter is a phrase on it).
//! - `doc_type`: keyword (folded, lowercase) of the document type.
//! - `symbol`: keywords of the symbol alone and of `number/symbol` ("4250/qd-ubnd").
//! - `issued_date`: date, indexed and fast, for ranges.
//! - `record`: the record as JSON, stored (lz4), so a hit needs no lookup in records.jsonl.
//!
//! The commit payload records the format version and the length of `records.jsonl` that the index
//! reflects, so an archive whose index is missing, old or behind is re-indexed when a scan opens it.

pub mod analyzer;

use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED,
};
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument, Term};

use crate::error::Error;
use crate::record::Record;
use crate::store::{Archive, RECORDS};

/// The index folder inside an archive.
pub const INDEX_DIR: &str = "index";

/// Bumped whenever the schema or the analyzers change; an index of another version is rebuilt.
pub const VERSION: u32 = 1;

/// The fields of the index schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Record id (raw term).
    pub id: Field,
    /// Full text, exact analyzer.
    pub text: Field,
    /// Full text, folded analyzer.
    pub text_folded: Field,
    /// Subject, exact analyzer.
    pub subject: Field,
    /// Subject, folded analyzer.
    pub subject_folded: Field,
    /// Issuer, folded analyzer.
    pub issuer: Field,
    /// Document type keyword.
    pub doc_type: Field,
    /// Symbol and number/symbol keywords.
    pub symbol: Field,
    /// Issue date.
    pub issued_date: Field,
    /// The record JSON (stored only).
    pub record: Field,
}

impl Fields {
    /// The schema and its fields.
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |analyzer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let keyword = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        );
        let fields = Fields {
            id: b.add_text_field("id", keyword.clone()),
            text: b.add_text_field("text", text(analyzer::EXACT)),
            text_folded: b.add_text_field("text_folded", text(analyzer::FOLDED)),
            subject: b.add_text_field("subject", text(analyzer::EXACT)),
            subject_folded: b.add_text_field("subject_folded", text(analyzer::FOLDED)),
            issuer: b.add_text_field("issuer", text(analyzer::FOLDED)),
            doc_type: b.add_text_field("type", keyword.clone()),
            symbol: b.add_text_field("symbol", keyword),
            issued_date: b.add_date_field(
                "date",
                DateOptions::default().set_indexed().set_fast().set_precision(DateTimePrecision::Seconds),
            ),
            record: b.add_text_field("record", STORED),
        };
        (b.build(), fields)
    }

    /// The fields of an opened index (which must have this version's schema).
    pub fn of(index: &Index) -> Result<Fields, Error> {
        let (_, f) = Fields::schema();
        let schema = index.schema();
        let (expected, _) = Fields::schema();
        if schema != expected {
            return Err(Error::Index("the index was made by another version; run `sohoa index`".into()));
        }
        Ok(f)
    }

    /// The tantivy document of a record.
    pub fn document(&self, r: &Record) -> Result<TantivyDocument, Error> {
        let json = serde_json::to_string(r).map_err(|e| Error::Data(e.to_string()))?;
        Ok(self.document_with_json(r, json))
    }

    /// The tantivy document of a record whose JSON is `json` (stored as it is).
    pub fn document_with_json(&self, r: &Record, json: String) -> TantivyDocument {
        let mut d = TantivyDocument::new();
        d.add_text(self.id, &r.id);
        let text = analyzer::nfc(&r.text);
        d.add_text(self.text, &text);
        d.add_text(self.text_folded, &text);
        if let Some(s) = &r.subject {
            let s = analyzer::nfc(s);
            d.add_text(self.subject, &s);
            d.add_text(self.subject_folded, &s);
        }
        if let Some(s) = &r.issuer {
            d.add_text(self.issuer, analyzer::nfc(s));
        }
        if let Some(t) = &r.doc_type {
            d.add_text(self.doc_type, analyzer::keyword(t));
        }
        if let Some(sym) = &r.doc_symbol {
            d.add_text(self.symbol, analyzer::keyword(sym));
        }
        if let Some(n) = &r.doc_number {
            let key = match &r.doc_symbol {
                Some(sym) => format!("{n}/{sym}"),
                None => n.clone(),
            };
            d.add_text(self.symbol, analyzer::keyword(&key));
        }
        if let Some(date) = r.issued_date.as_deref().and_then(parse_date) {
            d.add_date(self.issued_date, date);
        }
        d.add_text(self.record, json);
        d
    }
}

/// Parses `YYYY-MM-DD` into a tantivy date (midnight UTC); `None` when it is not a valid date.
pub fn parse_date(s: &str) -> Option<DateTime> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(s.trim(), &fmt).ok()?;
    Some(DateTime::from_timestamp_secs(d.midnight().assume_utc().unix_timestamp()))
}

fn index_err(e: impl std::fmt::Display) -> Error {
    Error::Index(e.to_string())
}

/// What a commit records about the archive it reflects.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
struct Payload {
    version: u32,
    /// Length in bytes of records.jsonl when the index was committed.
    records_len: u64,
}

/// Opens the index of an archive for reading, with the analyzers registered.
pub fn open(archive: &Archive) -> Result<Index, Error> {
    let dir = archive.path(INDEX_DIR);
    if !dir.join("meta.json").exists() {
        return Err(Error::Index(format!(
            "{} has no index; run `sohoa index --archive {}`",
            archive.dir().display(),
            archive.dir().display()
        )));
    }
    let index = Index::open_in_dir(&dir).map_err(index_err)?;
    analyzer::register(&index);
    let payload = read_payload(&index);
    if payload.is_some_and(|p| p.version != VERSION) {
        return Err(Error::Index(format!(
            "the index was made by another version of sohoa; run `sohoa index --archive {}`",
            archive.dir().display()
        )));
    }
    Ok(index)
}

fn read_payload(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

fn records_len(archive: &Archive) -> u64 {
    std::fs::metadata(archive.path(RECORDS)).map(|m| m.len()).unwrap_or(0)
}

/// An open index writer: add records, commit.
pub struct Writer {
    archive: Archive,
    index: Index,
    writer: IndexWriter,
    fields: Fields,
    pending: usize,
    last_commit: std::time::Instant,
}

/// Memory for the scan-time writer (one indexing thread; OCR dominates a scan anyway).
const SCAN_BUDGET: usize = 50_000_000;

impl Writer {
    /// Opens the archive's index for writing (creating it), with `threads` indexing threads.
    /// Fails if another process is writing the index (a scan or `sohoa index` in progress).
    pub fn open(archive: &Archive, threads: usize, budget: usize) -> Result<Writer, Error> {
        let dir = archive.path(INDEX_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let (schema, fields) = Fields::schema();
        let index = match Index::open_in_dir(&dir) {
            Ok(i) if i.schema() == schema => i,
            Ok(_) => recreate(&dir, schema)?,
            Err(_) if !dir.join("meta.json").exists() => {
                Index::create_in_dir(&dir, schema).map_err(index_err)?
            }
            Err(_) => recreate(&dir, schema)?,
        };
        analyzer::register(&index);
        let threads = threads.clamp(1, 8);
        let budget = budget.max(threads * 16_000_000);
        let writer = index.writer_with_num_threads(threads, budget).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Error::Index(format!(
                "{} is being written by another sohoa process (a scan or `sohoa index`); wait for it to finish",
                dir.display()
            )),
            e => index_err(e),
        })?;
        Ok(Writer {
            archive: archive.clone(),
            index,
            writer,
            fields,
            pending: 0,
            last_commit: std::time::Instant::now(),
        })
    }

    /// Opens the index for a scan; re-indexes every record when the index is missing, of another
    /// version, or does not reflect records.jsonl as it is now (e.g. after a crash or an upgrade).
    pub fn open_for_scan(archive: &Archive) -> Result<Writer, Error> {
        let mut w = Writer::open(archive, 1, SCAN_BUDGET)?;
        let current = Payload { version: VERSION, records_len: records_len(archive) };
        if read_payload(&w.index).as_ref() != Some(&current) {
            w.rebuild(|_| {})?;
        }
        Ok(w)
    }

    /// Adds a record, replacing the one with the same id.
    pub fn add(&mut self, r: &Record) -> Result<(), Error> {
        self.writer.delete_term(Term::from_field_text(self.fields.id, &r.id));
        self.writer.add_document(self.fields.document(r)?).map_err(index_err)?;
        self.pending += 1;
        Ok(())
    }

    /// Commits when records are pending and `every` has passed since the last commit, so that
    /// searches during a long scan see its progress.
    pub fn commit_every(&mut self, every: std::time::Duration) -> Result<(), Error> {
        if self.pending > 0 && self.last_commit.elapsed() >= every {
            self.commit()?;
        }
        Ok(())
    }

    /// Commits: readers opened afterwards see every record added so far.
    pub fn commit(&mut self) -> Result<(), Error> {
        let payload = Payload { version: VERSION, records_len: records_len(&self.archive) };
        let payload = serde_json::to_string(&payload).map_err(|e| Error::Data(e.to_string()))?;
        let mut prepared = self.writer.prepare_commit().map_err(index_err)?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(index_err)?;
        self.pending = 0;
        self.last_commit = std::time::Instant::now();
        Ok(())
    }

    /// Replaces the whole index with the records of records.jsonl (the last one wins for a
    /// repeated id) and commits; `progress` gets the number of records read so far.
    /// Readers keep seeing the previous commit until this one is done.
    pub fn rebuild(&mut self, mut progress: impl FnMut(u64)) -> Result<u64, Error> {
        self.writer.delete_all_documents().map_err(index_err)?;
        let mut seen = std::collections::HashSet::new();
        let mut n = 0u64;
        let archive = self.archive.clone();
        archive.for_each_record_json(|r, json| {
            if !seen.insert(r.id.clone()) {
                self.writer.delete_term(Term::from_field_text(self.fields.id, &r.id));
            }
            let doc = self.fields.document_with_json(&r, json.to_owned());
            self.writer.add_document(doc).map_err(index_err)?;
            n += 1;
            progress(n);
            Ok(())
        })?;
        self.commit()?;
        Ok(seen.len() as u64)
    }

    /// Commits and waits for merges to finish.
    pub fn finish(mut self) -> Result<(), Error> {
        self.commit()?;
        self.writer.wait_merging_threads().map_err(index_err)
    }
}

fn recreate(dir: &Path, schema: Schema) -> Result<Index, Error> {
    std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    Index::create_in_dir(dir, schema).map_err(index_err)
}

/// Rebuilds the index of an archive from records.jsonl with `threads` indexing threads;
/// returns the number of records indexed.
pub fn rebuild(archive: &Archive, threads: usize, progress: impl FnMut(u64)) -> Result<u64, Error> {
    let mut w = Writer::open(archive, threads, threads * 100_000_000)?;
    let n = w.rebuild(progress)?;
    w.finish()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse() {
        assert_eq!(parse_date("1970-01-02"), Some(DateTime::from_timestamp_secs(86_400)));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("hôm qua"), None);
    }
}
