//! Pages → fields: `pub fn extract(pages: &[TextPage], cfg: &ExtractConfig) -> Fields`, and
//! `pub fn reading_order(page: TextPage) -> TextPage`, which puts a page's lines in the order
//! SCHEMA.md fixes for `text`.

use crate::page::TextPage;
use crate::record::{Fields, FIELDS};

/// Options of the extractor.
#[derive(Debug, Clone)]
pub struct ExtractConfig {
    /// Fields whose confidence is below this go to `review`.
    pub review_below: f64,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        ExtractConfig { review_below: 0.8 }
    }
}

/// Puts the lines of a page in reading order (currently Tesseract's own order).
pub fn reading_order(page: TextPage) -> TextPage {
    page
}

/// Extracts the schema's fields from a document's pages.
///
/// Not implemented yet: every field is null with confidence 0 and listed for review.
pub fn extract(_pages: &[TextPage], _cfg: &ExtractConfig) -> Fields {
    let mut f = Fields::default();
    for name in FIELDS {
        f.field_confidence.insert(name.to_string(), 0.0);
    }
    f.review = vec!["doc_type".into(), "issued_date".into(), "issuer".into(), "subject".into()];
    f
}
