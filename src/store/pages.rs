//! `ARCHIVE/pages/<id>.json`: the recognised pages of a document with their line and word boxes,
//! kept on request (`scan --keep-pages`) so fields can be extracted again without OCR
//! (`sohoa extract --pages FILE`), e.g. after the dictionaries change.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic_write;
use crate::error::Error;
use crate::page::TextPage;

/// The folder inside an archive.
pub const PAGES_DIR: &str = "pages";
/// The format marker of a pages file.
pub const PAGES_SCHEMA: &str = "sohoa.pages/1";

/// One document's pages as recognised: OCR lines in Tesseract's order (`sohoa extract --pages`
/// puts them in reading order, as a scan does), text-layer lines in the layer's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PagesFile {
    /// Always [`PAGES_SCHEMA`].
    pub schema: String,
    /// The record id.
    pub id: String,
    /// The input, as in the record.
    pub source: String,
    /// The pages.
    pub pages: Vec<TextPage>,
}

/// Where the pages of document `id` are kept in the archive at `dir`.
pub fn pages_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(PAGES_DIR).join(format!("{id}.json"))
}

/// Writes the pages of a document (atomically).
pub fn write_pages(dir: &Path, id: &str, source: &str, pages: &[TextPage]) -> Result<(), Error> {
    let path = pages_path(dir, id);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let file = PagesFile {
        schema: PAGES_SCHEMA.to_string(),
        id: id.to_string(),
        source: source.to_string(),
        pages: pages.to_vec(),
    };
    atomic_write(&path, |w| {
        serde_json::to_writer(&mut *w, &file)?;
        w.write_all(b"\n")
    })
}

/// Reads a pages file.
pub fn read_pages(path: &Path) -> Result<PagesFile, Error> {
    let data = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let file: PagesFile = serde_json::from_slice(&data)
        .map_err(|e| Error::Data(format!("{}: not a pages file: {e}", path.display())))?;
    if file.schema != PAGES_SCHEMA {
        return Err(Error::Data(format!(
            "{}: format {:?}, expected {PAGES_SCHEMA:?}",
            path.display(),
            file.schema
        )));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{BBox, Line, TextSource, Word};

    #[test]
    fn pages_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let b = BBox { x0: 1, y0: 2, x1: 30, y1: 12 };
        let page = TextPage {
            width: 100,
            height: 200,
            lines: vec![Line {
                text: "Quyết định".into(),
                words: vec![Word { text: "Quyết".into(), conf: 0.9, bbox: b }],
                bbox: Some(b),
                conf: 0.9,
                block: 1,
            }],
            confidence: 0.9,
            source: TextSource::Ocr,
            word_count: 2,
            stamp_ink: true,
        };
        write_pages(dir.path(), "abc", "a.png", std::slice::from_ref(&page)).unwrap();
        let back = read_pages(&pages_path(dir.path(), "abc")).unwrap();
        assert_eq!(back.pages, vec![page]);
        assert_eq!(back.source, "a.png");
        std::fs::write(dir.path().join("x.json"), "{}").unwrap();
        assert!(read_pages(&dir.path().join("x.json")).is_err());
    }
}
