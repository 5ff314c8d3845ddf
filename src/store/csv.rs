//! The CSV view of an archive, as SCHEMA.md fixes it: the record's columns in schema order without
//! `text`, lists joined by `"; "`, `field_confidence` flattened to `conf_<field>` columns, and an
//! optional byte-order mark so that Excel shows Vietnamese diacritics.

use std::io::Write;

use crate::error::Error;
use crate::record::{Record, FIELDS};

use super::Archive;

const HEAD: [&str; 6] = ["schema", "id", "source", "pages", "page_count", "language"];
const TAIL: [&str; 6] = ["review", "method", "engine", "processed_at", "file_code", "doc_ordinal"];

/// The header row.
pub fn csv_header() -> Vec<String> {
    let mut h: Vec<String> = HEAD.iter().map(|s| s.to_string()).collect();
    h.extend(FIELDS.iter().map(|s| s.to_string()));
    h.push("confidence".into());
    h.extend(FIELDS.iter().map(|f| format!("conf_{f}")));
    h.extend(TAIL.iter().map(|s| s.to_string()));
    h
}

fn row(r: &Record) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut row = vec![
        r.schema.clone(),
        r.id.clone(),
        r.source.clone(),
        r.pages.as_ref().map(|p| p.join("; ")).unwrap_or_default(),
        r.page_count.to_string(),
        r.language.clone(),
    ];
    row.extend(FIELDS.iter().map(|f| r.field_text(f).unwrap_or_default()));
    row.push(format!("{:.3}", r.confidence));
    row.extend(
        FIELDS.iter().map(|f| r.field_confidence.get(*f).map(|c| format!("{c:.3}")).unwrap_or_default()),
    );
    row.extend([
        r.review.join("; "),
        r.method.clone(),
        r.engine.clone(),
        r.processed_at.clone(),
        opt(&r.file_code),
        r.doc_ordinal.map(|n| n.to_string()).unwrap_or_default(),
    ]);
    row
}

/// Writes the archive's records as CSV (one row per id, the latest record winning), streaming;
/// returns the number of rows.
pub fn write_csv(archive: &Archive, out: &mut dyn Write, bom: bool) -> Result<u64, Error> {
    let err = |e: ::csv::Error| Error::Data(format!("CSV: {e}"));
    if bom {
        out.write_all("\u{feff}".as_bytes()).map_err(|e| Error::Data(e.to_string()))?;
    }
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(csv_header()).map_err(err)?;
    let mut n = 0u64;
    archive.for_each_latest(|r| {
        n += 1;
        w.write_record(row(&r)).map_err(err)
    })?;
    w.flush().map_err(|e| Error::Data(e.to_string()))?;
    Ok(n)
}

/// Writes records as CSV.
#[cfg(test)]
pub fn write_rows(records: &[Record], out: &mut dyn Write, bom: bool) -> Result<(), Error> {
    let err = |e: ::csv::Error| Error::Data(format!("CSV: {e}"));
    if bom {
        out.write_all("\u{feff}".as_bytes()).map_err(|e| Error::Data(e.to_string()))?;
    }
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(csv_header()).map_err(err)?;
    for r in records {
        w.write_record(row(r)).map_err(err)?;
    }
    w.flush().map_err(|e| Error::Data(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_row_have_the_same_width() {
        let h = csv_header();
        assert_eq!(h[0], "schema");
        assert!(!h.contains(&"text".to_string()));
        assert!(h.contains(&"conf_doc_symbol".to_string()));
        let r: Record = serde_json::from_value(serde_json::json!({
            "schema": "sohoa.record/1", "id": "ab", "source": "a.png", "page_count": 1, "language": "vi",
            "doc_type": "Quyết định", "doc_number": null, "doc_symbol": null, "issued_date": null,
            "issued_place": null, "issuer": null, "issuer_parent": null, "subject": "Về \"x\", y",
            "signer_name": null, "signer_title": null, "signer_authority": null,
            "recipients": ["A", "B"], "urgency": null, "confidentiality": null, "text": "t",
            "confidence": 0.5, "field_confidence": {"doc_type": 0.9}, "review": ["doc_number"],
            "method": "ocr", "engine": "e", "processed_at": "2026-01-01T00:00:00Z",
            "file_code": null, "doc_ordinal": null
        }))
        .unwrap();
        assert_eq!(row(&r).len(), h.len());
        let mut out = Vec::new();
        write_rows(&[r], &mut out, true).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with('\u{feff}'));
        assert!(s.contains("\"Về \"\"x\"\", y\""), "{s}");
        assert!(s.contains("A; B"));
    }
}
