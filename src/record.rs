//! The record of one document: the shared schema `sohoa.record/1` (see SCHEMA.md), defined once.
//!
//! `Record` is what `records.jsonl` holds, what `sohoa schema` describes (via schemars) and what the
//! CSV writer flattens; the CSV column order is [`CSV_COLUMNS`], derived from the same field list.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The schema tag written in every record.
pub const SCHEMA: &str = "sohoa.record/1";

/// The extracted fields, in the order of SCHEMA.md. Every one has a `field_confidence` entry.
pub const FIELDS: [&str; 14] = [
    "doc_type",
    "doc_number",
    "doc_symbol",
    "issued_date",
    "issued_place",
    "issuer",
    "issuer_parent",
    "subject",
    "signer_name",
    "signer_title",
    "signer_authority",
    "recipients",
    "urgency",
    "confidentiality",
];

/// One document, as written to `records.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Record {
    /// Always `"sohoa.record/1"`.
    pub schema: String,
    /// Lowercase hex SHA-256 of the source bytes (page files concatenated in page order for a group).
    pub id: String,
    /// Path of the input relative to the scan root, `/`-separated; a group's folder or stem.
    pub source: String,
    /// The page files of a group, in order; absent for single-file documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<Vec<String>>,
    /// Pages in the document (Số lượng trang).
    pub page_count: u32,
    /// ISO 639-1 language code (Ngôn ngữ), `"vi"` unless detected otherwise.
    pub language: String,
    /// Tên loại văn bản: canonical document type, sentence case (`Quyết định`).
    pub doc_type: Option<String>,
    /// Số của văn bản: the number as printed, leading zeros kept.
    pub doc_number: Option<String>,
    /// Ký hiệu của văn bản: the symbol after the first slash (`QĐ-UBND`).
    pub doc_symbol: Option<String>,
    /// Ngày, tháng, năm văn bản: ISO 8601 `YYYY-MM-DD`.
    pub issued_date: Option<String>,
    /// Địa danh: the place printed before ", ngày …".
    pub issued_place: Option<String>,
    /// Tên cơ quan, tổ chức ban hành, sentence case.
    pub issuer: Option<String>,
    /// Tên cơ quan chủ quản: the line above the issuer, if printed.
    pub issuer_parent: Option<String>,
    /// Trích yếu nội dung, without a leading `V/v` / `Về việc`.
    pub subject: Option<String>,
    /// Họ tên người ký.
    pub signer_name: Option<String>,
    /// Chức vụ người ký, sentence case.
    pub signer_title: Option<String>,
    /// Quyền hạn ký: authority lines (TM., KT., TL., TUQ., Q.) joined by one space.
    pub signer_authority: Option<String>,
    /// Nơi nhận: one item per `- ` entry.
    pub recipients: Vec<String>,
    /// Mức độ khẩn: `Khẩn`, `Thượng khẩn`, `Hỏa tốc`.
    pub urgency: Option<String>,
    /// Độ mật: `Mật`, `Tối mật`, `Tuyệt mật`.
    pub confidentiality: Option<String>,
    /// Full text in reading order (NFC), lines joined by `\n`, pages by `\f`.
    pub text: String,
    /// Mean OCR word confidence 0–1 (1.0 for text from a PDF text layer).
    pub confidence: f64,
    /// Field name → confidence 0–1, for every extracted field.
    pub field_confidence: BTreeMap<String, f64>,
    /// The fields a clerk should check.
    pub review: Vec<String>,
    /// `"ocr"`, `"pdf-text"` or `"mixed"`.
    pub method: String,
    /// What produced the text, e.g. `"tesseract 5.3.0 vie"`.
    pub engine: String,
    /// RFC 3339 UTC timestamp.
    pub processed_at: String,
    /// Mã hồ sơ: archive file code, given by the user, never guessed.
    pub file_code: Option<String>,
    /// Số thứ tự văn bản trong hồ sơ: position inside the file, when `file_code` is given.
    pub doc_ordinal: Option<u32>,
}

/// The extracted fields of a record, as produced by the extractor (no provenance).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    /// See [`Record::doc_type`].
    pub doc_type: Option<String>,
    /// See [`Record::doc_number`].
    pub doc_number: Option<String>,
    /// See [`Record::doc_symbol`].
    pub doc_symbol: Option<String>,
    /// See [`Record::issued_date`].
    pub issued_date: Option<String>,
    /// See [`Record::issued_place`].
    pub issued_place: Option<String>,
    /// See [`Record::issuer`].
    pub issuer: Option<String>,
    /// See [`Record::issuer_parent`].
    pub issuer_parent: Option<String>,
    /// See [`Record::subject`].
    pub subject: Option<String>,
    /// See [`Record::signer_name`].
    pub signer_name: Option<String>,
    /// See [`Record::signer_title`].
    pub signer_title: Option<String>,
    /// See [`Record::signer_authority`].
    pub signer_authority: Option<String>,
    /// See [`Record::recipients`].
    pub recipients: Vec<String>,
    /// See [`Record::urgency`].
    pub urgency: Option<String>,
    /// See [`Record::confidentiality`].
    pub confidentiality: Option<String>,
    /// Field name → confidence 0–1.
    pub field_confidence: BTreeMap<String, f64>,
    /// The fields a clerk should check.
    pub review: Vec<String>,
}

impl Record {
    /// Copies extracted fields (values, confidences, review list) into the record.
    pub fn set_fields(&mut self, f: Fields) {
        self.doc_type = f.doc_type;
        self.doc_number = f.doc_number;
        self.doc_symbol = f.doc_symbol;
        self.issued_date = f.issued_date;
        self.issued_place = f.issued_place;
        self.issuer = f.issuer;
        self.issuer_parent = f.issuer_parent;
        self.subject = f.subject;
        self.signer_name = f.signer_name;
        self.signer_title = f.signer_title;
        self.signer_authority = f.signer_authority;
        self.recipients = f.recipients;
        self.urgency = f.urgency;
        self.confidentiality = f.confidentiality;
        self.field_confidence = f.field_confidence;
        self.review = f.review;
    }

    /// The value of an extracted field as display text (`recipients` joined by `"; "`).
    pub fn field_text(&self, name: &str) -> Option<String> {
        let v = match name {
            "doc_type" => &self.doc_type,
            "doc_number" => &self.doc_number,
            "doc_symbol" => &self.doc_symbol,
            "issued_date" => &self.issued_date,
            "issued_place" => &self.issued_place,
            "issuer" => &self.issuer,
            "issuer_parent" => &self.issuer_parent,
            "subject" => &self.subject,
            "signer_name" => &self.signer_name,
            "signer_title" => &self.signer_title,
            "signer_authority" => &self.signer_authority,
            "urgency" => &self.urgency,
            "confidentiality" => &self.confidentiality,
            "recipients" if !self.recipients.is_empty() => return Some(self.recipients.join("; ")),
            _ => return None,
        };
        v.clone()
    }
}

impl Record {
    /// Sets an extracted field from display text (`recipients` split at `"; "`); `None` or an empty
    /// string clears it. Returns false for an unknown field name.
    pub fn set_field_text(&mut self, name: &str, value: Option<&str>) -> bool {
        let v = value.map(str::trim).filter(|v| !v.is_empty()).map(crate::text::nfc);
        let slot = match name {
            "doc_type" => &mut self.doc_type,
            "doc_number" => &mut self.doc_number,
            "doc_symbol" => &mut self.doc_symbol,
            "issued_date" => &mut self.issued_date,
            "issued_place" => &mut self.issued_place,
            "issuer" => &mut self.issuer,
            "issuer_parent" => &mut self.issuer_parent,
            "subject" => &mut self.subject,
            "signer_name" => &mut self.signer_name,
            "signer_title" => &mut self.signer_title,
            "signer_authority" => &mut self.signer_authority,
            "urgency" => &mut self.urgency,
            "confidentiality" => &mut self.confidentiality,
            "recipients" => {
                self.recipients = v
                    .map(|v| {
                        v.split("; ").map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
                    })
                    .unwrap_or_default();
                return true;
            }
            _ => return false,
        };
        *slot = v;
        true
    }
}

/// The JSON Schema of [`Record`], as printed by `sohoa schema`.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Record)).unwrap_or(serde_json::Value::Null)
}

/// One failed input, as written to `errors.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorLine {
    /// The input, relative to the scan root like [`Record::source`].
    pub source: String,
    /// Stable kind code: `unreadable`, `unsupported`, `encrypted`, `too-large`, `empty`, `ocr-failed`, …
    pub kind: String,
    /// What is wrong and what to do, for a clerk.
    pub message: String,
    /// The document id (SHA-256 of its bytes) when the file could be read at all; lets a later
    /// run skip a known-bad file unless `--retry-failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_every_field() {
        let s = json_schema().to_string();
        for f in FIELDS {
            assert!(s.contains(&format!("\"{f}\"")), "{f} missing from the JSON schema");
        }
        assert!(s.contains("\"processed_at\""));
    }
}
