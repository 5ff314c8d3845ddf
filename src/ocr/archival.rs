//! Archival outputs on request, one file per document named by its id:
//! `ARCHIVE/alto/<id>.xml` (ALTO v3), `ARCHIVE/hocr/<id>.html` (hOCR), `ARCHIVE/pdf/<id>.pdf`
//! (searchable PDF/A-2b: the page images with invisible text, from Tesseract's PDF renderer,
//! made PDF/A by [`super::pdfa`]).
//!
//! Workers render each page while its recognition results are at hand ([`super::Want`]); the
//! writer collects the pages of a document here and writes the files when the document's record
//! is written. ALTO and hOCR pages are joined under one document header; one-page PDFs are merged
//! with lopdf.

use std::collections::HashMap;
use std::io;
use std::path::Path;

use lopdf::{Document, Object, ObjectId};

use super::Extras;

/// The pages' renderings of the documents not yet written.
#[derive(Debug, Default)]
pub struct Collector {
    docs: HashMap<usize, Vec<Option<Extras>>>,
}

impl Collector {
    /// Keeps the renderings of page `page` of document `doc` (of `pages` pages).
    pub fn add(&mut self, doc: usize, page: u32, pages: usize, x: Extras) {
        if x == Extras::default() {
            return;
        }
        let v = self.docs.entry(doc).or_insert_with(|| vec![None; pages]);
        if let Some(slot) = v.get_mut(page as usize) {
            *slot = Some(x);
        }
    }

    /// Writes the files of document `doc` (id `id`, PDF title `title`) into the archive `out`, and
    /// forgets it.
    pub fn write(&mut self, out: &Path, doc: usize, id: &str, title: &str, engine: &str) -> io::Result<()> {
        let Some(pages) = self.docs.remove(&doc) else { return Ok(()) };
        let pages: Vec<Extras> = pages.into_iter().flatten().collect();
        let alto: Vec<&str> = pages.iter().filter_map(|p| p.alto.as_deref()).collect();
        if !alto.is_empty() {
            write_atomic(
                &out.join("alto"),
                &format!("{id}.xml"),
                alto_document(id, engine, &alto).as_bytes(),
            )?;
        }
        let hocr: Vec<&str> = pages.iter().filter_map(|p| p.hocr.as_deref()).collect();
        if !hocr.is_empty() {
            write_atomic(
                &out.join("hocr"),
                &format!("{id}.html"),
                hocr_document(id, engine, &hocr).as_bytes(),
            )?;
        }
        let pdf: Vec<&[u8]> = pages.iter().filter_map(|p| p.pdf.as_deref()).collect();
        if !pdf.is_empty() {
            let bytes = merge_pdfs(&pdf)
                .ok_or_else(|| io::Error::other(format!("cannot merge the PDF pages of {id}")))?;
            let meta = super::pdfa::Meta { title, engine, id, date: time::OffsetDateTime::now_utc() };
            let bytes = super::pdfa::convert(&bytes, &meta)
                .ok_or_else(|| io::Error::other(format!("cannot make the PDF/A of {id}")))?;
            write_atomic(&out.join("pdf"), &format!("{id}.pdf"), &bytes)?;
        }
        Ok(())
    }

    /// Forgets a document that was not written (it failed).
    pub fn forget(&mut self, doc: usize) {
        self.docs.remove(&doc);
    }
}

fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, dir.join(name))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An ALTO v3 document around Tesseract's `<Page>` elements (the header Tesseract's own ALTO
/// renderer writes).
pub fn alto_document(id: &str, engine: &str, pages: &[&str]) -> String {
    let mut s = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v3#\" ",
        "xmlns:xlink=\"http://www.w3.org/1999/xlink\" ",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://www.loc.gov/standards/alto/ns-v3# ",
        "http://www.loc.gov/alto/v3/alto-3-0.xsd\">\n",
        "\t<Description>\n\t\t<MeasurementUnit>pixel</MeasurementUnit>\n",
        "\t\t<sourceImageInformation>\n\t\t\t<fileName>",
    ));
    s.push_str(&xml_escape(id));
    s.push_str("</fileName>\n\t\t</sourceImageInformation>\n\t\t<OCRProcessing ID=\"OCR_0\">\n");
    s.push_str("\t\t\t<ocrProcessingStep>\n\t\t\t\t<processingSoftware>\n\t\t\t\t\t<softwareName>");
    s.push_str(&xml_escape(engine));
    s.push_str("</softwareName>\n\t\t\t\t</processingSoftware>\n\t\t\t</ocrProcessingStep>\n");
    s.push_str("\t\t</OCRProcessing>\n\t</Description>\n\t<Layout>\n");
    for p in pages {
        s.push_str(p);
    }
    s.push_str("\t</Layout>\n</alto>\n");
    s
}

/// An hOCR (XHTML) document around Tesseract's `ocr_page` elements.
pub fn hocr_document(id: &str, engine: &str, pages: &[&str]) -> String {
    let mut s = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" ",
        "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n",
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"vi\" lang=\"vi\">\n <head>\n  <title>",
    ));
    s.push_str(&xml_escape(id));
    s.push_str("</title>\n  <meta http-equiv=\"Content-Type\" content=\"text/html;charset=utf-8\"/>\n");
    s.push_str("  <meta name='ocr-system' content='");
    s.push_str(&xml_escape(engine));
    s.push_str("'/>\n  <meta name='ocr-capabilities' content='ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf'/>\n");
    s.push_str(" </head>\n <body>\n");
    for p in pages {
        s.push_str(p);
    }
    s.push_str(" </body>\n</html>\n");
    s
}

/// Joins one-page PDFs into one document, pages in order.
pub fn merge_pdfs(pages: &[&[u8]]) -> Option<Vec<u8>> {
    let first = pages.first()?;
    if pages.len() == 1 {
        return Some(first.to_vec());
    }
    let mut base = Document::load_mem(first).ok()?;
    let pages_id = pages_root(&base)?;
    let mut kids: Vec<ObjectId> = base.get_pages().into_values().collect();
    for bytes in &pages[1..] {
        let mut d = Document::load_mem(bytes).ok()?;
        d.renumber_objects_with(base.max_id + 1);
        let their_pages = pages_root(&d)?;
        let their_root = d.trailer.get(b"Root").ok()?.as_reference().ok()?;
        let their_kids: Vec<ObjectId> = d.get_pages().into_values().collect();
        base.max_id = base.max_id.max(d.max_id);
        for (id, obj) in d.objects {
            if id != their_pages && id != their_root {
                base.objects.insert(id, obj);
            }
        }
        for k in &their_kids {
            base.get_object_mut(*k).ok()?.as_dict_mut().ok()?.set("Parent", Object::Reference(pages_id));
        }
        kids.extend(their_kids);
    }
    let dict = base.get_object_mut(pages_id).ok()?.as_dict_mut().ok()?;
    dict.set("Kids", Object::Array(kids.iter().map(|k| Object::Reference(*k)).collect()));
    dict.set("Count", Object::Integer(kids.len() as i64));
    let mut out = Vec::new();
    base.save_to(&mut out).ok()?;
    Some(out)
}

fn pages_root(d: &Document) -> Option<ObjectId> {
    d.catalog().ok()?.get(b"Pages").ok()?.as_reference().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alto_wraps_pages_in_one_document() {
        let s = alto_document("a&b", "tesseract 5 vie", &["<Page ID=\"page_0\"></Page>\n"]);
        assert!(s.starts_with("<?xml") && s.contains("a&amp;b") && s.ends_with("</alto>\n"));
        assert!(s.contains("<Layout>\n<Page ID=\"page_0\"></Page>\n\t</Layout>"));
    }

    #[test]
    fn collector_ignores_empty_renderings() {
        let mut c = Collector::default();
        c.add(0, 0, 1, Extras::default());
        assert!(c.docs.is_empty());
        c.add(0, 0, 1, Extras { alto: Some("<Page/>".into()), ..Extras::default() });
        assert_eq!(c.docs.len(), 1);
        c.forget(0);
        assert!(c.docs.is_empty());
    }
}
