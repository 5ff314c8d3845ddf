//! `sohoa export`: an archive's records → other systems, streaming (one record in memory at a
//! time; a repeated id, possible after a crash, is resolved by its last occurrence with a first
//! pass over the ids only, see [`Archive::for_each_latest`]).
//!
//! - `jsonl`, `csv`: the records, as records.jsonl / records.csv hold them.
//! - `tt05`: the Circular 05/2025/TT-BNV profile of SCHEMA.md, CSV or JSON Lines; a value longer
//!   than its limit is written whole and reported as a warning.
//! - `opensearch`: NDJSON for the `_bulk` API (OpenSearch and Elasticsearch) and, separately,
//!   [`opensearch_mapping`]: index settings with a Vietnamese analysis chain.
//! - `quickwit`: NDJSON documents for `quickwit tool local-ingest` and [`quickwit_config`].

use std::io::Write;

use serde_json::{json, Map, Value};

use crate::error::Error;
use crate::record::Record;

use super::Archive;

/// What to export to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// records.jsonl.
    Jsonl,
    /// records.csv.
    Csv,
    /// The Circular 05/2025/TT-BNV profile.
    Tt05,
    /// `_bulk` NDJSON for OpenSearch / Elasticsearch.
    OpenSearch,
    /// NDJSON documents for Quickwit.
    Quickwit,
}

/// Options of an export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The target.
    pub target: Target,
    /// CSV with a byte-order mark (csv and tt05 CSV).
    pub excel: bool,
    /// tt05 as JSON Lines instead of CSV.
    pub json: bool,
    /// The OpenSearch / Quickwit index name.
    pub index_name: String,
}

impl ExportOptions {
    /// Options for a target, with the defaults.
    pub fn new(target: Target) -> ExportOptions {
        ExportOptions { target, excel: false, json: false, index_name: "sohoa".into() }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Records written.
    pub records: u64,
    /// Values that do not fit the target (written anyway), one message each.
    pub warnings: Vec<String>,
}

/// Writes the archive's records to `out` in the target's format.
pub fn export(archive: &Archive, opts: &ExportOptions, out: &mut dyn Write) -> Result<ExportSummary, Error> {
    let mut s = ExportSummary::default();
    let io = |e: std::io::Error| Error::Data(format!("export: {e}"));
    let csv_err = |e: ::csv::Error| Error::Data(format!("CSV: {e}"));
    match opts.target {
        Target::Csv => {
            s.records = super::write_csv(archive, out, opts.excel)?;
        }
        Target::Tt05 if !opts.json => {
            if opts.excel {
                out.write_all("\u{feff}".as_bytes()).map_err(io)?;
            }
            let mut w = ::csv::Writer::from_writer(&mut *out);
            w.write_record(TT05_COLUMNS).map_err(csv_err)?;
            archive.for_each_latest(|r| {
                let row = tt05(&r, &mut s.warnings);
                w.write_record(TT05_COLUMNS.iter().map(|c| match &row[*c] {
                    Value::Null => String::new(),
                    Value::String(v) => v.clone(),
                    v => v.to_string(),
                }))
                .map_err(csv_err)?;
                s.records += 1;
                Ok(())
            })?;
            w.flush().map_err(io)?;
        }
        target => {
            archive.for_each_latest(|r| {
                let line = match target {
                    Target::Jsonl => serde_json::to_string(&r),
                    Target::Tt05 => serde_json::to_string(&tt05(&r, &mut s.warnings)),
                    Target::OpenSearch => {
                        let action = json!({"index": {"_index": opts.index_name, "_id": r.id}});
                        writeln!(out, "{action}").map_err(io)?;
                        serde_json::to_string(&document(&r, true, &mut s.warnings))
                    }
                    _ => serde_json::to_string(&document(&r, false, &mut s.warnings)),
                }
                .map_err(|e| Error::Data(e.to_string()))?;
                writeln!(out, "{line}").map_err(io)?;
                s.records += 1;
                Ok(())
            })?;
        }
    }
    out.flush().map_err(io)?;
    Ok(s)
}

/// The TT 05 columns, in the order of SCHEMA.md.
pub const TT05_COLUMNS: [&str; 12] = [
    "fileCode",
    "docOrdinal",
    "typeName",
    "codeNumber",
    "codeNotation",
    "issuedDate",
    "organName",
    "subject",
    "language",
    "numberOfPage",
    "confidenceLevel",
    "description",
];

/// Document types and their TT 05 codes (01–31; anything else is 32 "Khác").
const TYPE_CODES: [&str; 31] = [
    "Nghị quyết",
    "Quyết định",
    "Chỉ thị",
    "Quy chế",
    "Quy định",
    "Thông cáo",
    "Thông báo",
    "Hướng dẫn",
    "Chương trình",
    "Kế hoạch",
    "Phương án",
    "Đề án",
    "Dự án",
    "Báo cáo",
    "Tờ trình",
    "Giấy ủy quyền",
    "Phiếu gửi",
    "Phiếu chuyển",
    "Phiếu báo",
    "Biên bản",
    "Hợp đồng",
    "Công văn",
    "Công điện",
    "Bản ghi nhớ",
    "Bản thỏa thuận",
    "Giấy mời",
    "Giấy giới thiệu",
    "Giấy nghỉ phép",
    "Thư công",
    "Bản đồ",
    "Bản vẽ kỹ thuật",
];

/// The TT 05 two-digit code of a document type.
pub fn type_code(doc_type: &str) -> &'static str {
    const CODES: [&str; 32] = [
        "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17",
        "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32",
    ];
    let key = crate::text::modern_tones(&crate::text::nfc(doc_type.trim())).to_lowercase();
    let i = TYPE_CODES.iter().position(|t| t.to_lowercase() == key).unwrap_or(31);
    CODES[i]
}

/// The TT 05 code of an ISO 639-1 language.
pub fn language_code(lang: &str) -> &'static str {
    match lang {
        "vi" => "01",
        "en" => "02",
        "fr" => "03",
        "ru" => "04",
        "zh" => "05",
        _ => "11",
    }
}

/// `YYYY-MM-DD` → `DD/MM/YYYY`, for a valid date.
pub fn dd_mm_yyyy(iso: &str) -> Option<String> {
    crate::index::parse_date(iso)?;
    let (y, rest) = iso.split_once('-')?;
    let (m, d) = rest.split_once('-')?;
    Some(format!("{d}/{m}/{y}"))
}

/// A record in the TT 05 profile; values over their limits go whole, with a warning.
pub fn tt05(r: &Record, warnings: &mut Vec<String>) -> Map<String, Value> {
    let mut limited = |name: &str, v: &Option<String>, limit: usize| -> Value {
        match v {
            Some(v) => {
                let n = v.chars().count();
                if n > limit {
                    warnings.push(format!(
                        "{}: {name} has {n} characters, over the TT 05 limit of {limit} (written whole)",
                        r.source
                    ));
                }
                Value::String(v.clone())
            }
            None => Value::Null,
        }
    };
    let code_number = limited("codeNumber", &r.doc_number, 11);
    let code_notation = limited("codeNotation", &r.doc_symbol, 30);
    let organ = limited("organName", &r.issuer, 200);
    let subject = limited("subject", &r.subject, 500);
    let issued = match &r.issued_date {
        Some(d) => match dd_mm_yyyy(d) {
            Some(v) => Value::String(v),
            None => {
                warnings.push(format!("{}: issuedDate {d:?} is not a date (written as is)", r.source));
                Value::String(d.clone())
            }
        },
        None => Value::Null,
    };
    let mut m = Map::new();
    m.insert("fileCode".into(), r.file_code.clone().map_or(Value::Null, Value::String));
    m.insert("docOrdinal".into(), r.doc_ordinal.map_or(Value::Null, Value::from));
    m.insert("typeName".into(), r.doc_type.as_deref().map_or(Value::Null, |t| Value::from(type_code(t))));
    m.insert("codeNumber".into(), code_number);
    m.insert("codeNotation".into(), code_notation);
    m.insert("issuedDate".into(), issued);
    m.insert("organName".into(), organ);
    m.insert("subject".into(), subject);
    m.insert("language".into(), Value::from(language_code(&r.language)));
    m.insert("numberOfPage".into(), Value::from(r.page_count));
    m.insert("confidenceLevel".into(), Value::from("02"));
    m.insert(
        "description".into(),
        if r.review.is_empty() { Value::Null } else { Value::String(r.review.join("; ")) },
    );
    m
}

/// A record as a search-engine document: the record's fields, an `issued_date` that is not a
/// valid `YYYY-MM-DD` date left out (with a warning: the engine would reject the document);
/// with `nulls` false, null fields are left out too.
fn document(r: &Record, nulls: bool, warnings: &mut Vec<String>) -> Value {
    let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        if let Some(d) = &r.issued_date {
            if crate::index::parse_date(d).is_none() {
                warnings.push(format!(
                    "{}: issued_date {d:?} is not a date (left out of the document)",
                    r.source
                ));
                m.remove("issued_date");
            }
        }
        if !nulls {
            m.retain(|_, v| !v.is_null());
        }
    }
    v
}

/// Index settings and mappings for OpenSearch / Elasticsearch (`PUT /INDEX` with this body):
/// the `vi_folded` analyzer (standard tokenizer, lowercase, ASCII folding keeping the original
/// token) so that "quyết định" and "quyet dinh" both match; keywords for ids and codes; dates.
pub fn opensearch_mapping() -> Value {
    let text = || json!({"type": "text", "analyzer": "vi_folded"});
    let keyword = || json!({"type": "keyword"});
    json!({
        "settings": {
            "analysis": {
                "filter": {
                    "vi_ascii_folding": {"type": "asciifolding", "preserve_original": true}
                },
                "analyzer": {
                    "vi_folded": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "vi_ascii_folding"]
                    }
                }
            }
        },
        "mappings": {
            "dynamic": false,
            "properties": {
                "schema": keyword(),
                "id": keyword(),
                "source": {"type": "keyword", "fields": {"text": text()}},
                "pages": keyword(),
                "page_count": {"type": "integer"},
                "language": keyword(),
                "doc_type": {"type": "text", "analyzer": "vi_folded", "fields": {"raw": keyword()}},
                "doc_number": keyword(),
                "doc_symbol": keyword(),
                "issued_date": {"type": "date", "format": "yyyy-MM-dd"},
                "issued_place": text(),
                "issuer": {"type": "text", "analyzer": "vi_folded", "fields": {"raw": keyword()}},
                "issuer_parent": text(),
                "subject": text(),
                "signer_name": text(),
                "signer_title": text(),
                "signer_authority": text(),
                "recipients": text(),
                "urgency": keyword(),
                "confidentiality": keyword(),
                "text": text(),
                "confidence": {"type": "float"},
                "field_confidence": {"type": "object", "enabled": false},
                "review": keyword(),
                "method": keyword(),
                "engine": keyword(),
                "processed_at": {"type": "date", "format": "strict_date_time_no_millis||strict_date_optional_time"},
                "file_code": keyword(),
                "doc_ordinal": {"type": "integer"}
            }
        }
    })
}

/// A Quickwit index config (YAML) for the documents of the `quickwit` export.
pub fn quickwit_config(index_id: &str) -> String {
    let mut fields = String::new();
    let text = [
        "issued_place",
        "issuer",
        "issuer_parent",
        "subject",
        "signer_name",
        "signer_title",
        "signer_authority",
        "recipients",
        "text",
        "doc_type",
    ];
    let raw = [
        "id",
        "schema",
        "source",
        "pages",
        "language",
        "doc_number",
        "doc_symbol",
        "urgency",
        "confidentiality",
        "review",
        "method",
        "engine",
        "file_code",
    ];
    for f in raw {
        fields.push_str(&format!(
            "    - name: {f}\n      type: {}\n      tokenizer: raw\n      fast: true\n",
            if matches!(f, "pages" | "review") { "array<text>" } else { "text" }
        ));
    }
    for f in text {
        let ty = if f == "recipients" { "array<text>" } else { "text" };
        fields.push_str(&format!(
            "    - name: {f}\n      type: {ty}\n      tokenizer: vi_folded\n      record: position\n"
        ));
    }
    fields.push_str(
        "    - name: page_count\n      type: u64\n    - name: doc_ordinal\n      type: u64\n\
         \x20   - name: confidence\n      type: f64\n\
         \x20   - name: field_confidence\n      type: json\n      indexed: false\n\
         \x20   - name: issued_date\n      type: datetime\n      input_formats:\n        - \"%Y-%m-%d\"\n      output_format: \"%Y-%m-%d\"\n      fast: true\n      fast_precision: seconds\n\
         \x20   - name: processed_at\n      type: datetime\n      input_formats:\n        - rfc3339\n      fast: true\n      fast_precision: seconds\n",
    );
    format!(
        "# Quickwit index config for sohoa records (`sohoa export --to quickwit`).\n\
         # quickwit index create --index-config THIS_FILE\n\
         # quickwit tool local-ingest --index {index_id} --input-path DOCS.ndjson\n\
         version: 0.8\n\
         index_id: {index_id}\n\
         doc_mapping:\n  mode: lenient\n  store_source: true\n\
         \x20 tokenizers:\n    - name: vi_folded\n      type: simple\n      filters:\n        - remove_long\n        - lower_caser\n        - ascii_folding\n\
         \x20 field_mappings:\n{fields}\
         \x20 timestamp_field: processed_at\n\
         search_settings:\n  default_search_fields: [subject, text, issuer, doc_type]\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        serde_json::from_value(json!({
            "schema": "sohoa.record/1", "id": "ab", "source": "a.png", "page_count": 2, "language": "vi",
            "doc_type": "Quyết định", "doc_number": "123456789012", "doc_symbol": "QĐ-UBND",
            "issued_date": "2024-03-05", "issued_place": null, "issuer": "Ủy ban nhân dân Quận 1",
            "issuer_parent": null, "subject": "Phê duyệt", "signer_name": null, "signer_title": null,
            "signer_authority": null, "recipients": [], "urgency": null, "confidentiality": null,
            "text": "t", "confidence": 0.5, "field_confidence": {}, "review": ["subject", "issuer"],
            "method": "ocr", "engine": "e", "processed_at": "2026-01-01T00:00:00Z",
            "file_code": "HS-01", "doc_ordinal": 3
        }))
        .unwrap()
    }

    #[test]
    fn tt05_codes_dates_and_limits() {
        assert_eq!(type_code("Quyết định"), "02");
        assert_eq!(type_code("công văn"), "22");
        assert_eq!(type_code("Giấy uỷ quyền"), "16"); // old tone placement
        assert_eq!(type_code("Bản vẽ kỹ thuật"), "31");
        assert_eq!(type_code("Sắc lệnh"), "32");
        assert_eq!(language_code("vi"), "01");
        assert_eq!(language_code("ja"), "11");
        assert_eq!(dd_mm_yyyy("2024-03-05").as_deref(), Some("05/03/2024"));
        assert_eq!(dd_mm_yyyy("2024-02-30"), None);
        let mut w = Vec::new();
        let m = tt05(&record(), &mut w);
        assert_eq!(m["typeName"], "02");
        assert_eq!(m["issuedDate"], "05/03/2024");
        assert_eq!(m["codeNumber"], "123456789012"); // 12 > 11: whole, with a warning
        assert_eq!(m["docOrdinal"], 3);
        assert_eq!(m["numberOfPage"], 2);
        assert_eq!(m["confidenceLevel"], "02");
        assert_eq!(m["description"], "subject; issuer");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("codeNumber") && w[0].contains("11"), "{w:?}");
    }

    #[test]
    fn documents_drop_invalid_dates() {
        let mut r = record();
        r.issued_date = Some("2024-13-01".into());
        let mut w = Vec::new();
        let d = document(&r, true, &mut w);
        assert!(d.get("issued_date").is_none());
        assert!(d.get("urgency").is_some_and(Value::is_null));
        assert_eq!(w.len(), 1);
        let d = document(&record(), false, &mut w);
        assert_eq!(d["issued_date"], "2024-03-05");
        assert!(d.get("urgency").is_none());
    }

    #[test]
    fn mapping_uses_the_folding_analyzer() {
        let m = opensearch_mapping();
        let f = &m["settings"]["analysis"]["filter"]["vi_ascii_folding"];
        assert_eq!(f["preserve_original"], true);
        assert_eq!(m["mappings"]["properties"]["subject"]["analyzer"], "vi_folded");
        assert_eq!(m["mappings"]["properties"]["issued_date"]["format"], "yyyy-MM-dd");
        assert_eq!(m["mappings"]["properties"]["doc_type"]["fields"]["raw"]["type"], "keyword");
        let y: Value = serde_norway::from_str(&quickwit_config("sohoa")).unwrap();
        assert_eq!(y["index_id"], "sohoa");
        let tok = &y["doc_mapping"]["tokenizers"][0];
        assert_eq!((tok["name"].as_str(), tok["type"].as_str()), (Some("vi_folded"), Some("simple")));
        assert_eq!(tok["filters"], json!(["remove_long", "lower_caser", "ascii_folding"]));
        let fields = y["doc_mapping"]["field_mappings"].as_array().unwrap();
        let date = fields.iter().find(|f| f["name"] == "issued_date").unwrap();
        assert_eq!((date["type"].as_str(), &date["input_formats"]), (Some("datetime"), &json!(["%Y-%m-%d"])));
        let subject = fields.iter().find(|f| f["name"] == "subject").unwrap();
        assert_eq!(subject["tokenizer"], "vi_folded");
        // Every record field has a mapping.
        let rec = serde_json::to_value(record()).unwrap();
        for k in rec.as_object().unwrap().keys() {
            assert!(fields.iter().any(|f| f["name"] == k.as_str()), "{k} has no Quickwit field");
            assert!(m["mappings"]["properties"].get(k).is_some(), "{k} has no OpenSearch mapping");
        }
    }
}
