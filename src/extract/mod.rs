//! Pages → fields: `pub fn extract(pages: &[TextPage], cfg: &ExtractConfig) -> Fields`, and
//! `pub fn reading_order(page: TextPage) -> TextPage`, which puts a page's lines in the order
//! SCHEMA.md fixes for `text`.
//!
//! Extraction follows the Decree 30/2020 layout: the header (agency column, motto column), the
//! type title and trích yếu, the body, the closing block ("Nơi nhận", signature). It uses line
//! boxes when the page has them (left/right column) and text patterns always, so plain text from
//! a PDF text layer or `sohoa extract` works too.
//!
//! - [`layout`]: reading order and column sides;
//! - [`header`]: number/symbol, date/place, issuer, type, subject, urgency/secrecy marks;
//! - [`closing`]: signer and recipients;
//! - [`date`], [`number`]: the parsers; [`dict`]: the dictionaries; [`norm`]: OCR-tolerant matching.

pub mod closing;
pub mod date;
pub mod dict;
pub mod header;
pub mod layout;
pub mod norm;
pub mod number;

use std::path::Path;
use std::sync::Arc;

use crate::page::{BBox, TextPage};
use crate::record::{Fields, FIELDS};
use crate::text::{modern_tones, nfc};

pub use dict::Dictionaries;
pub use layout::Side;

/// Options of the extractor.
#[derive(Debug, Clone)]
pub struct ExtractConfig {
    /// Fields whose confidence is below this go to `review`.
    pub review_below: f64,
    /// The dictionaries (document types, agencies, titles, places), loaded once and shared.
    pub dictionaries: Arc<Dictionaries>,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        ExtractConfig { review_below: 0.8, dictionaries: Arc::new(Dictionaries::default()) }
    }
}

impl ExtractConfig {
    /// The default options with the dictionaries of `dir` (missing files keep the embedded ones).
    pub fn with_dictionaries(dir: &Path) -> std::io::Result<ExtractConfig> {
        Ok(ExtractConfig { dictionaries: Arc::new(Dictionaries::load_dir(dir)?), ..ExtractConfig::default() })
    }
}

/// Puts the lines of a page in reading order (see [`layout::reading_order`]).
pub fn reading_order(page: TextPage) -> TextPage {
    layout::reading_order(page)
}

/// One line of the document as the field finders see it.
#[derive(Debug, Clone)]
pub struct DocLine {
    /// The text (NFC, spaces collapsed).
    pub text: String,
    /// The text without OCR junk at its ends (stray `_`, `'`, `—`, `|` from rules and boxes).
    pub core: String,
    /// [`norm::key`] of the text.
    pub key: String,
    /// OCR confidence 0–1 (1.0 for plain text).
    pub conf: f64,
    /// 0-based page.
    pub page: usize,
    /// Column side (`Full` without layout).
    pub side: Side,
    /// The box, when known.
    pub bbox: Option<BBox>,
    /// The page's body margins (left, right), when known.
    pub extent: Option<(i32, i32)>,
    /// The recognised words (NFC) with their confidence 0–1; empty for text without layout.
    pub words: Vec<(String, f64)>,
}

impl DocLine {
    /// Whether the line is centred on the page, unlike a justified body line (no margin on one
    /// side at least) or an indented first line (a wider left than right margin): either both
    /// margins are wider than 5% of the text width and the centre is within 8% of the middle, or
    /// (a long centred line) both margins are wider than 1% and differ by less than 3%. `true`
    /// without layout.
    pub fn centred(&self) -> bool {
        match (self.bbox, self.extent) {
            (Some(b), Some((l, r))) => {
                let w = (r - l).max(1) as f64;
                let (left, right) = (f64::from(b.x0 - l) / w, f64::from(r - b.x1) / w);
                (left > 0.05 && right > 0.05 && (left - right).abs() < 0.16)
                    || (left > 0.01 && right > 0.01 && (left - right).abs() < 0.03)
            }
            _ => true,
        }
    }

    /// The lowest confidence of the words `pick` selects (the line's confidence when it has no
    /// word boxes or `pick` selects none).
    pub fn words_conf(&self, pick: impl Fn(&str) -> bool) -> f64 {
        self.words.iter().filter(|(t, _)| pick(t)).map(|(_, c)| *c).fold(self.conf.max(0.0), f64::min)
    }
}

/// The document's lines in reading order.
pub fn doc_lines(pages: &[TextPage]) -> Vec<DocLine> {
    let mut out = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let layout = page.lines.iter().all(|l| l.bbox.is_some());
        let ext = layout.then(|| layout::extent(&page.lines, page.width));
        let margins = layout.then(|| layout::margins(&page.lines, page.width));
        for l in &page.lines {
            let text = nfc(&l.text.split_whitespace().collect::<Vec<_>>().join(" "));
            if text.is_empty() {
                continue;
            }
            let side = match (l.bbox, ext) {
                (Some(b), Some(e)) => layout::side(&b, e),
                _ => Side::Full,
            };
            out.push(DocLine {
                key: norm::key(&text),
                core: norm::trim_junk(&text).to_string(),
                text,
                conf: f64::from(l.conf).clamp(0.0, 1.0),
                page: p,
                side,
                bbox: l.bbox,
                extent: margins,
                words: l.words.iter().map(|w| (nfc(&w.text), f64::from(w.conf).clamp(0.0, 1.0))).collect(),
            });
        }
    }
    out
}

/// A found value with its confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    /// The value.
    pub value: T,
    /// 0–1: OCR confidence of the source lines × how well the pattern matched.
    pub conf: f64,
}

/// Word confidence under which OCR is taken to be unsure of a word.
pub const LOW_WORD: f64 = 0.8;

/// Confidence of a value read from lines of OCR confidence `ocr` with match quality `quality`.
pub fn confidence(ocr: f64, quality: f64) -> f64 {
    (quality * (0.4 + 0.6 * ocr.clamp(0.0, 1.0))).clamp(0.0, 1.0)
}

/// Fields the clerk must check when they are missing (the others are often legitimately absent).
const EXPECTED: [&str; 10] = [
    "doc_type",
    "doc_number",
    "doc_symbol",
    "issued_date",
    "issued_place",
    "issuer",
    "subject",
    "signer_name",
    "signer_title",
    "recipients",
];

/// Extracts the schema's fields from a document's pages.
pub fn extract(pages: &[TextPage], cfg: &ExtractConfig) -> Fields {
    let d = &cfg.dictionaries;
    let lines = doc_lines(pages);
    let mut f = Fields::default();
    let mut conf: Vec<(&str, f64)> = Vec::new();
    let clean = |s: String| modern_tones(&nfc(&s));

    let h = header::read(&lines, d);
    let c = closing::read(&lines, d, h.doc_type.as_ref().map(|t| t.value.as_str()));

    macro_rules! put {
        ($field:ident, $found:expr, $absent:expr) => {{
            match $found {
                Some(x) => {
                    f.$field = Some(clean(x.value));
                    conf.push((stringify!($field), x.conf));
                }
                None => conf.push((stringify!($field), $absent)),
            }
        }};
    }
    let header_seen = h.header_quality;
    put!(doc_type, h.doc_type, 0.0);
    put!(doc_number, h.doc_number, 0.0);
    put!(doc_symbol, h.doc_symbol, 0.0);
    put!(issued_date, h.issued_date, 0.0);
    put!(issued_place, h.issued_place, 0.0);
    let issuer_found = h.issuer.is_some();
    put!(issuer, h.issuer, 0.0);
    put!(issuer_parent, h.issuer_parent, if issuer_found { 0.85 } else { 0.0 });
    put!(subject, h.subject, 0.0);
    put!(signer_name, c.signer_name, 0.0);
    let title_found = c.signer_title.is_some();
    put!(signer_title, c.signer_title, 0.0);
    put!(signer_authority, c.signer_authority, if title_found { 0.85 } else { 0.0 });
    let bien_ban = f.doc_type.as_deref() == Some("Biên bản");
    match c.recipients {
        Some(r) => {
            f.recipients = r.value.into_iter().map(clean).collect();
            conf.push(("recipients", r.conf));
        }
        None => conf.push(("recipients", if bien_ban { 0.85 } else { 0.0 })),
    }
    // Red ink where the stamps go that no mark was read from: a clerk should look.
    let mark_absence = if pages.first().is_some_and(|p| p.stamp_ink) { 0.6 } else { 0.9 * header_seen };
    put!(urgency, h.urgency, mark_absence);
    put!(confidentiality, h.confidentiality, mark_absence);

    for (name, v) in &conf {
        f.field_confidence.insert(name.to_string(), (v * 1000.0).round() / 1000.0);
    }
    for name in FIELDS {
        f.field_confidence.entry(name.to_string()).or_insert(0.0);
    }
    let empty = |f: &Fields, name: &str| match name {
        "recipients" => f.recipients.is_empty(),
        _ => field_value(f, name).is_none(),
    };
    let mut review = Vec::new();
    for name in FIELDS {
        let c = f.field_confidence.get(name).copied().unwrap_or(0.0);
        let expected = EXPECTED.contains(&name) && !(name == "recipients" && bien_ban);
        let is_empty = empty(&f, name);
        let missing = is_empty && expected;
        let low = !is_empty && c < cfg.review_below;
        let doubtful_absence = is_empty && !expected && c < cfg.review_below;
        if missing || low || doubtful_absence {
            review.push(name.to_string());
        }
    }
    f.review = review;
    f
}

fn field_value<'a>(f: &'a Fields, name: &str) -> Option<&'a String> {
    match name {
        "doc_type" => f.doc_type.as_ref(),
        "doc_number" => f.doc_number.as_ref(),
        "doc_symbol" => f.doc_symbol.as_ref(),
        "issued_date" => f.issued_date.as_ref(),
        "issued_place" => f.issued_place.as_ref(),
        "issuer" => f.issuer.as_ref(),
        "issuer_parent" => f.issuer_parent.as_ref(),
        "subject" => f.subject.as_ref(),
        "signer_name" => f.signer_name.as_ref(),
        "signer_title" => f.signer_title.as_ref(),
        "signer_authority" => f.signer_authority.as_ref(),
        "urgency" => f.urgency.as_ref(),
        "confidentiality" => f.confidentiality.as_ref(),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
