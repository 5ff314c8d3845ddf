//! The clerk's review workflow: `queue(&Archive)` lists the records whose `review` is not empty
//! (least confident first); `write_csv` gives them to a clerk as a spreadsheet; `apply(&Archive,
//! csv)` takes the corrected sheet back: changed fields are set, marked human-verified
//! (confidence 1.0, out of `review`), the previous values are appended to
//! `ARCHIVE/review-history.jsonl`, and records and index are updated through the archive writer.
//!
//! A later `sohoa scan` skips documents already in the archive, so a clerk's corrections are
//! only replaced by `scan --force`.

use std::collections::HashMap;
use std::io::{Read, Write};

use serde::Serialize;

use crate::error::Error;
use crate::record::{Record, FIELDS};
use crate::store::{Archive, ArchiveWriter};

/// The history of clerk corrections.
pub const HISTORY: &str = "review-history.jsonl";

/// Records that need a clerk, least confident first.
pub fn queue(archive: &Archive) -> Result<Vec<Record>, Error> {
    let mut v: Vec<Record> = archive.records()?.into_iter().filter(|r| !r.review.is_empty()).collect();
    v.sort_by(|a, b| a.confidence.total_cmp(&b.confidence).then_with(|| a.source.cmp(&b.source)));
    Ok(v)
}

/// The review sheet's header: id, source, confidence, review, verified, then every field.
pub fn csv_header() -> Vec<String> {
    let mut h: Vec<String> = ["id", "source", "confidence", "review", "verified"].map(String::from).to_vec();
    h.extend(FIELDS.iter().map(|f| f.to_string()));
    h
}

/// Writes the review sheet (with a byte-order mark when `bom`, for Excel).
pub fn write_csv(records: &[Record], out: &mut dyn Write, bom: bool) -> Result<(), Error> {
    let err = |e: csv::Error| Error::Data(format!("CSV: {e}"));
    if bom {
        out.write_all("\u{feff}".as_bytes()).map_err(|e| Error::Data(e.to_string()))?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(csv_header()).map_err(err)?;
    for r in records {
        let mut row = vec![
            r.id.clone(),
            r.source.clone(),
            format!("{:.3}", r.confidence),
            r.review.join("; "),
            String::new(),
        ];
        row.extend(FIELDS.iter().map(|f| r.field_text(f).unwrap_or_default()));
        w.write_record(row).map_err(err)?;
    }
    w.flush().map_err(|e| Error::Data(e.to_string()))
}

/// What [`apply`] changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Records updated.
    pub records: usize,
    /// Field values changed.
    pub fields: usize,
    /// Rows whose id is not in the archive.
    pub unknown: Vec<String>,
}

#[derive(Serialize)]
struct HistoryLine<'a> {
    id: &'a str,
    source: &'a str,
    field: &'a str,
    old: Option<String>,
    new: Option<String>,
    at: &'a str,
}

fn truthy(s: &str) -> bool {
    matches!(
        s.trim().to_lowercase().as_str(),
        "x" | "yes" | "y" | "1" | "true" | "ok" | "có" | "co" | "đã" | "da"
    )
}

/// Applies a corrected review sheet (any column order; unknown columns ignored).
pub fn apply(archive: &Archive, sheet: &mut dyn Read, excel: bool) -> Result<Applied, Error> {
    let mut text = String::new();
    sheet.read_to_string(&mut text).map_err(|e| Error::Data(format!("review sheet: {e}")))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| Error::Data(format!("review sheet: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let id_col = col("id").ok_or_else(|| Error::Data("review sheet: no `id` column".into()))?;
    let verified_col = col("verified");
    let field_cols: Vec<(&str, usize)> = FIELDS.iter().filter_map(|f| col(f).map(|c| (*f, c))).collect();

    let mut records: HashMap<String, Record> =
        archive.records()?.into_iter().map(|r| (r.id.clone(), r)).collect();
    let mut changed: Vec<Record> = Vec::new();
    let mut history: Vec<String> = Vec::new();
    let mut out = Applied::default();
    let now = crate::pipeline::now_rfc3339();
    for row in rdr.records() {
        let row = row.map_err(|e| Error::Data(format!("review sheet: {e}")))?;
        let id = row.get(id_col).unwrap_or("").trim().to_string();
        if id.is_empty() {
            continue;
        }
        let Some(rec) = records.get_mut(&id) else {
            out.unknown.push(id);
            continue;
        };
        let mut touched = false;
        for (field, c) in &field_cols {
            let new = row.get(*c).unwrap_or("").trim();
            let old = rec.field_text(field);
            if old.as_deref().unwrap_or("") == new {
                continue;
            }
            let new_v = (!new.is_empty()).then(|| crate::text::nfc(new));
            history.push(
                serde_json::to_string(&HistoryLine {
                    id: &rec.id,
                    source: &rec.source,
                    field,
                    old,
                    new: new_v,
                    at: &now,
                })
                .map_err(|e| Error::Data(e.to_string()))?,
            );
            rec.set_field_text(field, Some(new));
            rec.field_confidence.insert(field.to_string(), 1.0);
            rec.review.retain(|f| f != field);
            out.fields += 1;
            touched = true;
        }
        if verified_col.and_then(|c| row.get(c)).is_some_and(truthy) && !rec.review.is_empty() {
            for f in std::mem::take(&mut rec.review) {
                if FIELDS.contains(&f.as_str()) {
                    rec.field_confidence.insert(f, 1.0);
                }
            }
            touched = true;
        }
        if touched {
            changed.push(rec.clone());
        }
    }
    if changed.is_empty() {
        return Ok(out);
    }
    // History first: if anything below fails, the clerk's input is still on disk.
    let hist_path = archive.path(HISTORY);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&hist_path)
        .map_err(|e| Error::io(&hist_path, e))?;
    for l in &history {
        writeln!(f, "{l}").map_err(|e| Error::io(&hist_path, e))?;
    }
    f.sync_all().map_err(|e| Error::io(&hist_path, e))?;
    let mut w = ArchiveWriter::open(archive, excel)?;
    for r in &changed {
        w.write_record(r)?;
    }
    w.finish()?;
    out.records = changed.len();
    Ok(out)
}
