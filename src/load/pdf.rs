//! PDF pages: a page whose text layer holds the real content gives that text (no OCR); a scanned
//! page (or one whose text layer is only a digital-signature stamp, junk, or an unsure legacy
//! encoding) is rendered to grey pixels with hayro for OCR.
//!
//! `count` parses the document with hayro (which repairs broken cross-reference tables and opens
//! files encrypted with an empty user password) and rejects password-protected files early. Text
//! comes from lopdf + pdf-extract, one page at a time. Both libraries panic on some damaged files,
//! so every call into them runs under `catch_unwind`: a crash while reading the text layer means
//! "no usable text" (the page is rendered instead); a crash while rendering is an error for the
//! file, never for the batch.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use hayro::hayro_interpret::{InterpreterSettings, RenderContent};
use hayro::hayro_syntax::{LoadPdfError, Pdf};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{render, PixmapSettings, RenderCache, RenderSettings};
use unicode_normalization::UnicodeNormalization;

use super::legacy_vn;
use super::{io_error, Limits, DEFAULT_DPI};
use crate::error::{ErrorKind, FileError};
use crate::page::{BBox, Line, LoadedPage, PageImage, TextPage, TextSource, Word};

/// How a PDF's text layer is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfText {
    /// Take the text layer when it holds the page's real content; OCR scanned pages, pages whose
    /// text is only a signature stamp, junk, or a legacy encoding that cannot be read with
    /// confidence.
    #[default]
    Auto,
    /// Take the text layer whenever the page has any text; OCR only pages without text.
    Always,
    /// Ignore text layers: OCR every page.
    Never,
}

/// Largest side of a rendered page in pixels (the rasteriser works with 16-bit sizes).
const MAX_SIDE: f64 = 65_000.0;

/// Words (outside signature stamps) a text layer over a full-page scan needs before it is trusted
/// as an OCR layer that already holds the page's content.
const MIN_WORDS_OVER_SCAN: usize = 25;

/// Counts the pages of a PDF, rejecting files that cannot be opened.
pub(crate) fn count(path: &Path, limits: &Limits) -> Result<u32, FileError> {
    let data = std::fs::read(path).map_err(|e| io_error(&e))?;
    count_bytes(data, limits)
}

fn count_bytes(data: Vec<u8>, limits: &Limits) -> Result<u32, FileError> {
    let tail = &data[data.len().saturating_sub(2048)..];
    let truncated = !tail.windows(5).any(|w| w == b"%%EOF");
    let n = quietly(|| open_pdf(data).map(|pdf| pdf.pages().len()))
        .unwrap_or_else(|| Err(damaged()))
        .map_err(|e| if truncated && e.kind == ErrorKind::Unreadable { cut_off() } else { e })?;
    if n == 0 && truncated {
        return Err(cut_off());
    }
    if n == 0 {
        return Err(FileError::new(ErrorKind::Empty, "the PDF has no pages; find the original file"));
    }
    if n as u64 > limits.max_pages as u64 {
        return Err(FileError::new(
            ErrorKind::TooLarge,
            format!(
                "the PDF has {n} pages, more than the limit of {}; raise --max-pages if this document is really that long",
                limits.max_pages
            ),
        ));
    }
    Ok(n as u32)
}

/// Loads page `index` (0-based) of a PDF: its text layer, or its pixels for OCR.
pub(crate) fn load(
    path: &Path,
    index: u32,
    limits: &Limits,
    mode: PdfText,
    dpi_override: Option<u32>,
) -> Result<LoadedPage, FileError> {
    let data = std::fs::read(path).map_err(|e| io_error(&e))?;
    load_bytes(data, index, limits, mode, dpi_override)
}

pub(crate) fn load_bytes(
    data: Vec<u8>,
    index: u32,
    limits: &Limits,
    mode: PdfText,
    dpi_override: Option<u32>,
) -> Result<LoadedPage, FileError> {
    let layer = if mode == PdfText::Never { None } else { text_layer(&data, index) };
    if let Some(layer) = &layer {
        if let Some(page) = decide(layer, mode) {
            return Ok(LoadedPage::Text(page));
        }
    }
    let native = layer.as_ref().and_then(|l| l.scan_dpi);
    let dpi = dpi_override.or(native).unwrap_or(DEFAULT_DPI);
    quietly(|| render_page(data, index, dpi, limits)).unwrap_or_else(|| {
        Err(FileError::new(
            ErrorKind::Unreadable,
            "the PDF page could not be drawn (the renderer crashed); the file is probably damaged — re-export or rescan it",
        ))
    })
    .map(LoadedPage::Image)
}

/// What the text layer of one page holds.
#[derive(Debug, Clone, PartialEq)]
struct TextLayer {
    /// The text as extracted (NFC, legacy encodings converted when sure).
    text: String,
    /// The same, laid out in lines and words with boxes.
    page: TextPage,
    /// Words outside signature-stamp lines, in the page content (annotations left out).
    body_words: usize,
    /// Words in the whole text.
    words: usize,
    /// The text is junk (no Unicode mapping, unsure legacy encoding, control characters).
    junk: bool,
    /// The page carries an image large enough to be a scan.
    has_scan: bool,
    /// The resolution of that scan, when it fills the page and is a usual scanning resolution.
    scan_dpi: Option<u32>,
}

/// Chooses the page text, or `None` to render and OCR the page.
fn decide(layer: &TextLayer, mode: PdfText) -> Option<TextPage> {
    let has_text = layer.body_words > 0 && !layer.junk;
    let take = match mode {
        PdfText::Never => false,
        PdfText::Always => layer.words > 0 && !layer.junk,
        PdfText::Auto if layer.has_scan => has_text && layer.body_words >= MIN_WORDS_OVER_SCAN,
        PdfText::Auto => has_text,
    };
    take.then(|| layer.page.clone())
}

/// Reads the text layer and the images of page `index`; `None` when the text layer cannot be
/// read at all (the page is then rendered).
fn text_layer(data: &[u8], index: u32) -> Option<TextLayer> {
    quietly(|| text_layer_inner(data, index)).flatten()
}

fn text_layer_inner(data: &[u8], index: u32) -> Option<TextLayer> {
    let mut doc = lopdf::Document::load_mem(data).ok()?;
    if doc.is_encrypted() {
        doc.decrypt("").ok()?;
    }
    let pages = doc.get_pages();
    let page_id = *pages.get(&(index + 1))?;
    let (has_scan, scan_dpi) = scan_image(&doc, page_id);
    // Decisions look at the page content; annotations (signature stamps) only add to the text.
    let (glyphs, width, height) = page_glyphs(&doc, index);
    let content = layout(&glyphs, width, height, &|t| t.to_string()).text();
    let annotations = annotation_glyphs(&mut doc, page_id, index);
    let all = if annotations.is_empty() { glyphs } else { merge_annotations(glyphs, annotations) };
    let (content, page, junk) = match legacy_vn::detect_and_convert(&content) {
        legacy_vn::Verdict::Unicode => {
            let j = is_junk(&content);
            (content, layout(&all, width, height, &|t| t.to_string()), j)
        }
        legacy_vn::Verdict::Converted(enc, converted) => {
            let j = is_junk(&converted);
            (converted, layout(&all, width, height, &|t| legacy_vn::convert(t, enc)), j)
        }
        legacy_vn::Verdict::Unsure => (content, layout(&all, width, height, &|t| t.to_string()), true),
    };
    let body_words = body_words(&content);
    let words = page.word_count;
    let text = page.text();
    Some(TextLayer { text, page, body_words, words, junk, has_scan, scan_dpi })
}

/// The glyphs of the visible annotations' appearances (signature widgets carry the stamp text
/// and, in signed Vietnamese documents, the issue number and day written in at signing), placed
/// on the page. Each is read alone, as the only content of the page: font names in appearance
/// streams clash with the page's own.
fn annotation_glyphs(doc: &mut lopdf::Document, page_id: lopdf::ObjectId, index: u32) -> Vec<Vec<Glyph>> {
    use lopdf::{Dictionary, Object, Stream};
    let Ok(page) = doc.get_dictionary(page_id) else { return Vec::new() };
    let Ok((_, Object::Array(annots))) = page.get(b"Annots").and_then(|o| doc.dereference(o)) else {
        return Vec::new();
    };
    let nums = |o: Option<&Object>| -> Option<[f32; 4]> {
        let a = o?.as_array().ok()?;
        let v: Vec<f32> = a.iter().filter_map(|x| x.as_float().ok()).collect();
        (v.len() == 4).then(|| [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
    };
    let mut found: Vec<([f64; 4], lopdf::ObjectId)> = Vec::new();
    for a in annots.iter().take(64) {
        let Ok((_, Object::Dictionary(d))) = doc.dereference(a) else { continue };
        let flags = d.get(b"F").and_then(Object::as_i64).unwrap_or(0);
        if flags & (2 | 32) != 0 {
            continue; // hidden, or not for viewing
        }
        let Some(rect) = nums(d.get(b"Rect").ok()) else { continue };
        let Ok((_, Object::Dictionary(ap))) = d.get(b"AP").and_then(|o| doc.dereference(o)) else { continue };
        let Ok(Object::Reference(n)) = ap.get(b"N") else { continue };
        let Ok(stream) = doc.get_object(*n).and_then(Object::as_stream) else { continue };
        // Map the appearance's BBox onto the annotation's Rect.
        let bbox =
            nums(stream.dict.get(b"BBox").ok()).unwrap_or([0.0, 0.0, rect[2] - rect[0], rect[3] - rect[1]]);
        let sx = if bbox[2] > bbox[0] { (rect[2] - rect[0]) / (bbox[2] - bbox[0]) } else { 1.0 };
        let sy = if bbox[3] > bbox[1] { (rect[3] - rect[1]) / (bbox[3] - bbox[1]) } else { 1.0 };
        let (sx, sy) = (sx as f64, sy as f64);
        let (tx, ty) = (rect[0] as f64 - bbox[0] as f64 * sx, rect[1] as f64 - bbox[1] as f64 * sy);
        found.push(([sx, sy, tx, ty], *n));
    }
    let mut out = Vec::new();
    for ([sx, sy, tx, ty], id) in found {
        let mut xobjects = Dictionary::new();
        xobjects.set("SohoaAnnot", Object::Reference(id));
        let mut resources = Dictionary::new();
        resources.set("XObject", Object::Dictionary(xobjects));
        // pdf-extract reads a form with a fresh CTM, so the placement is applied afterwards.
        let content = doc.add_object(Stream::new(Dictionary::new(), b"/SohoaAnnot Do".to_vec()));
        if let Ok(page) = doc.get_object_mut(page_id).and_then(Object::as_dict_mut) {
            page.set("Contents", Object::Reference(content));
            page.set("Resources", Object::Dictionary(resources));
        }
        let (g, _, height) = page_glyphs(doc, index);
        let g: Vec<Glyph> = g
            .into_iter()
            .map(|g| {
                let y = height - ((height - g.y) * sy + ty);
                Glyph { x: g.x * sx + tx, y, end: g.end * sx + tx, size: g.size * sy, ..g }
            })
            .collect();
        if !g.is_empty() {
            out.push(g);
        }
    }
    out
}

/// One character shown on the page, in top-down page coordinates.
#[derive(Debug, Clone, PartialEq)]
struct Glyph {
    x: f64,
    y: f64,
    /// Where the next character would start.
    end: f64,
    size: f64,
    /// The first character of a text-showing operation (where breaks are decided).
    first: bool,
    ch: String,
}

/// Collects glyphs (pdf-extract's output device).
#[derive(Default)]
struct Collector {
    width: f64,
    height: f64,
    first: bool,
    glyphs: Vec<Glyph>,
}

impl pdf_extract::OutputDev for Collector {
    fn begin_page(
        &mut self,
        _: u32,
        media_box: &pdf_extract::MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.width = media_box.urx - media_box.llx;
        self.height = media_box.ury - media_box.lly;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        let (vx, vy) = (font_size * (trm.m11 + trm.m21), font_size * (trm.m12 + trm.m22));
        let size = (vx * vy).abs().sqrt();
        let (x, y) = (trm.m31, self.height - trm.m32);
        self.glyphs.push(Glyph { x, y, end: x + width * size, size, first: self.first, ch: ch.to_string() });
        self.first = false;
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.first = true;
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// The glyphs of page `index` (0-based; none when it cannot be decoded) and the page size.
fn page_glyphs(doc: &lopdf::Document, index: u32) -> (Vec<Glyph>, f64, f64) {
    let mut c = Collector::default();
    if pdf_extract::output_doc_page(doc, &mut c, index + 1).is_err() {
        c.glyphs.clear();
    }
    (c.glyphs, c.width, c.height)
}

/// Puts each annotation's glyphs where they stand among the page's: on the line they share, in
/// reading order along it; otherwise before the first line below them.
fn merge_annotations(mut page: Vec<Glyph>, annotations: Vec<Vec<Glyph>>) -> Vec<Glyph> {
    for mut ann in annotations {
        let Some(a) = ann.first().cloned() else { continue };
        let same_line = |g: &Glyph| (g.y - a.y).abs() < a.size.max(g.size) * 0.5;
        let at = page
            .iter()
            .position(|g| same_line(g) && g.x > a.x)
            .or_else(|| page.iter().rposition(same_line).map(|i| i + 1))
            .or_else(|| page.iter().position(|g| g.y > a.y + a.size * 0.5))
            .unwrap_or(page.len());
        ann[0].first = true;
        if let Some(next) = page.get_mut(at) {
            next.first = true;
        }
        page.splice(at..at, ann);
    }
    page
}

/// Numbers blocks of lines as a layout engine would (from 1): a line joins the latest block
/// whose last line it overlaps horizontally, just below it (within two line heights); otherwise
/// it starts a block. The two columns of a header, interleaved line by line in the content
/// stream, become two blocks.
fn assign_blocks(lines: &mut [Line]) {
    let mut blocks: Vec<BBox> = Vec::new(); // the last line of each block
    for line in lines.iter_mut() {
        let Some(b) = line.bbox else { continue };
        let joins = |p: &BBox| {
            let overlap = b.x1.min(p.x1) - b.x0.max(p.x0) > 0;
            let gap = b.y0 - p.y1;
            overlap && gap >= -p.height() && gap <= 2 * p.height().max(1)
        };
        match blocks.iter().rposition(joins) {
            Some(i) => {
                blocks[i] = b;
                line.block = i as u32 + 1;
            }
            None => {
                blocks.push(b);
                line.block = blocks.len() as u32;
            }
        }
    }
}

/// Pixels per point of the layout boxes given to text pages (300 dpi, as for scans).
const LAYOUT_SCALE: f64 = 300.0 / 72.0;

/// A horizontal gap wider than this many font sizes splits a line into two blocks (the agency
/// and national-motto columns of a header share baselines).
const COLUMN_GAP: f64 = 2.0;

/// Lays glyphs out as a text page with line and word boxes (in pixels at 300 dpi), so that the
/// reading order can treat it like an OCRed page. Breaks follow pdf-extract's plain-text output:
/// a new line when the baseline moves by more than 1.5 sizes (or back left and down), a space at
/// a gap; a wide gap starts a new line too. `convert` maps each word's text (legacy encodings).
fn layout(glyphs: &[Glyph], width_pt: f64, height_pt: f64, convert: &dyn Fn(&str) -> String) -> TextPage {
    // Segments of glyphs; each glyph flagged with whether a space precedes it.
    let mut segments: Vec<Vec<(bool, &Glyph)>> = Vec::new();
    let mut cur: Vec<(bool, &Glyph)> = Vec::new();
    let (mut last_end, mut last_y) = (100_000.0f64, 0.0f64);
    for g in glyphs {
        let mut space = false;
        if g.first && !cur.is_empty() {
            let dy = (g.y - last_y).abs();
            let new_line = dy > g.size * 1.5 || g.x < last_end && dy > g.size * 0.5;
            if new_line || g.x > last_end + g.size * COLUMN_GAP {
                segments.push(std::mem::take(&mut cur));
            } else if g.x > last_end + g.size * 0.1 {
                space = true;
            }
        }
        cur.push((space, g));
        last_y = g.y;
        last_end = g.end;
    }
    segments.push(cur);

    // Clamped so that box arithmetic cannot overflow on absurd coordinates in damaged files.
    let px = |v: f64| (v * LAYOUT_SCALE).round().clamp(-1e7, 1e7) as i32;
    let mut lines = Vec::new();
    for seg in segments {
        let mut words: Vec<Word> = Vec::new();
        let mut text = String::new();
        let mut span: Option<(f64, f64, f64, f64)> = None; // x0, x1, top, bottom
        let flush = |text: &mut String, span: &mut Option<(f64, f64, f64, f64)>, words: &mut Vec<Word>| {
            let t: String = convert(text.trim()).nfc().collect();
            if let (false, Some((x0, x1, top, bottom))) = (t.is_empty(), *span) {
                let bbox = BBox {
                    x0: px(x0),
                    y0: px(top),
                    x1: px(x1).max(px(x0) + 1),
                    y1: px(bottom).max(px(top) + 1),
                };
                words.push(Word { text: t, conf: 1.0, bbox });
            }
            text.clear();
            *span = None;
        };
        for (space, g) in seg {
            let is_space = g.ch.chars().all(char::is_whitespace);
            if space || is_space {
                flush(&mut text, &mut span, &mut words);
            }
            if is_space {
                continue;
            }
            text.push_str(&g.ch);
            let (top, bottom) = (g.y - g.size * 0.8, g.y + g.size * 0.2);
            span = Some(match span {
                None => (g.x, g.end.max(g.x), top, bottom),
                Some((a, b, t, u)) => (a.min(g.x), b.max(g.end), t.min(top), u.max(bottom)),
            });
        }
        flush(&mut text, &mut span, &mut words);
        if words.is_empty() {
            continue;
        }
        let bbox = words.iter().skip(1).fold(words[0].bbox, |b, w| b.union(&w.bbox));
        let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        lines.push(Line { text, words, bbox: Some(bbox), conf: 1.0, block: 0 });
    }
    assign_blocks(&mut lines);
    let word_count = lines.iter().map(|l| l.words.len()).sum();
    TextPage {
        width: px(width_pt).max(0) as u32,
        height: px(height_pt).max(0) as u32,
        lines,
        confidence: 1.0,
        source: TextSource::Embedded,
        word_count,
        stamp_ink: false,
    }
}

/// Text that no reader could use: control characters, replacement characters, private-use glyph
/// codes (fonts without a Unicode map).
fn is_junk(text: &str) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    let mut letters = 0usize;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        total += 1;
        if c.is_alphanumeric() {
            letters += 1;
        }
        let cp = c as u32;
        if c.is_control() || c == '\u{FFFD}' || (0xE000..=0xF8FF).contains(&cp) || cp >= 0xF0000 {
            bad += 1;
        }
    }
    // Fonts without a Unicode map also give runs of symbols ("7+%-"); a table of figures is
    // still mostly letters and digits.
    total > 0 && (bad * 20 > total || letters * 2 < total)
}

/// Words of the text outside the lines of a digital-signature stamp
/// ("Ký bởi: …", "Cơ quan: …", "Thời gian ký: …", the certifying centre's e-mail and time).
fn body_words(text: &str) -> usize {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let stamp = is_signature_stamp(&lines);
    lines
        .iter()
        .zip(stamp)
        .filter(|(_, s)| !s)
        .map(|(l, _)| l.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count())
        .sum()
}

/// Marks the lines that belong to a signature stamp. A stamp is recognised by its labels; the
/// lines around a label (the signer's name wrapped over lines, the time) go with it.
fn is_signature_stamp(lines: &[&str]) -> Vec<bool> {
    const LABELS: [&str; 7] =
        ["ký bởi", "người ký", "thời gian ký", "cơ quan:", "email:", "ngày ký", "signed by"];
    let lower: Vec<String> = lines.iter().map(|l| l.to_lowercase()).collect();
    let labelled: Vec<bool> = lower.iter().map(|l| LABELS.iter().any(|k| l.contains(k))).collect();
    let any_label = labelled.iter().any(|&b| b);
    lower
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if labelled[i] || is_stamp_detail(l) {
                return true;
            }
            // A short continuation line right after a label ("dân tỉnh Quảng Ngãi").
            any_label && l.split_whitespace().count() <= 6 && i > 0 && labelled[i - 1]
        })
        .collect()
}

/// An e-mail address, a time stamp, a UTC offset or the certifying centre's name on a line of its own.
fn is_stamp_detail(l: &str) -> bool {
    let words: Vec<&str> = l.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    let centre = ["trung tâm công", "báo và tin học", "công báo và tin học", "tin học"];
    words.iter().all(|w| {
        w.contains('@')
            || w.starts_with('+') && w.chars().skip(1).all(|c| c.is_ascii_digit() || c == ':')
            || w.chars().all(|c| c.is_ascii_digit() || ".:/-".contains(c))
    }) || centre.iter().any(|c| l == *c || l.starts_with(c) && words.len() <= 4)
}

/// Whether the page shows an image big enough to be a scan, and the scan's resolution when it
/// is a usual one (200–400 dpi) so that rendering at it keeps the scanner's pixels.
fn scan_image(doc: &lopdf::Document, page_id: lopdf::ObjectId) -> (bool, Option<u32>) {
    let mut best: Option<(i64, i64)> = None;
    let mut seen = 0usize;
    if let Ok((own, inherited)) = doc.get_page_resources(page_id) {
        let mut dicts: Vec<&lopdf::Dictionary> = own.into_iter().collect();
        dicts.extend(inherited.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
        for d in dicts {
            collect_images(doc, d, 0, &mut best, &mut seen);
        }
    }
    let Some((w, _)) = best else { return (false, None) };
    let page_w = page_width_pt(doc, page_id);
    let dpi = page_w.filter(|&pw| pw > 1.0).map(|pw| (w as f64 * 72.0 / pw).round() as u32);
    (true, dpi.filter(|d| (200..=400).contains(d)))
}

/// Finds the largest image in a resource dictionary (and its Form XObjects, a few levels deep).
fn collect_images(
    doc: &lopdf::Document,
    resources: &lopdf::Dictionary,
    depth: u32,
    best: &mut Option<(i64, i64)>,
    seen: &mut usize,
) {
    if depth > 3 || *seen > 200 {
        return;
    }
    let Ok(xobjects) = resources.get(b"XObject").and_then(|o| doc.dereference(o)).map(|(_, o)| o) else {
        return;
    };
    let Ok(xobjects) = xobjects.as_dict() else { return };
    for (_, obj) in xobjects.iter() {
        *seen += 1;
        let Ok((_, obj)) = doc.dereference(obj) else { continue };
        let Ok(stream) = obj.as_stream() else { continue };
        let subtype = stream.dict.get(b"Subtype").and_then(|s| s.as_name()).unwrap_or(b"");
        if subtype == b"Image" {
            let dim = |k: &[u8]| stream.dict.get(k).and_then(|v| v.as_i64()).unwrap_or(0);
            let (w, h) = (dim(b"Width"), dim(b"Height"));
            // A scan: at least ~100 dpi over a small page; logos and signature images are smaller.
            if w.min(h) >= 500 && w.saturating_mul(h) >= 400_000 {
                let area = |b: &Option<(i64, i64)>| b.map(|(bw, bh)| bw * bh).unwrap_or(0);
                if w * h > area(best) {
                    *best = Some((w, h));
                }
            }
        } else if subtype == b"Form" {
            if let Ok(res) = stream.dict.get(b"Resources").and_then(|o| doc.dereference(o)).map(|(_, o)| o) {
                if let Ok(res) = res.as_dict() {
                    collect_images(doc, res, depth + 1, best, seen);
                }
            }
        }
    }
}

/// The page width in points (MediaBox, inherited), for the scan resolution.
fn page_width_pt(doc: &lopdf::Document, page_id: lopdf::ObjectId) -> Option<f64> {
    let mut id = page_id;
    for _ in 0..16 {
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(mb) = dict.get(b"MediaBox").and_then(|o| doc.dereference(o)).map(|(_, o)| o) {
            let arr = mb.as_array().ok()?;
            let n: Vec<f64> = arr.iter().filter_map(|v| v.as_float().ok().map(f64::from)).collect();
            return (n.len() == 4).then(|| (n[2] - n[0]).abs());
        }
        id = dict.get(b"Parent").and_then(|p| p.as_reference()).ok()?;
    }
    None
}

/// Renders page `index` at `dpi` (grey, or RGB when the page has colour), after checking the size
/// against the limits.
fn render_page(data: Vec<u8>, index: u32, dpi: u32, limits: &Limits) -> Result<PageImage, FileError> {
    let pdf = open_pdf(data)?;
    let pages = pdf.pages();
    let page = pages.get(index as usize).ok_or_else(|| {
        FileError::new(ErrorKind::Unreadable, "the page cannot be found in the PDF; the file is damaged")
    })?;
    let (w_pt, h_pt) = page.render_dimensions();
    let scale = dpi as f64 / 72.0;
    let (w, h) = ((w_pt as f64 * scale).floor(), (h_pt as f64 * scale).floor());
    if !(w.is_finite() && h.is_finite()) || w < 1.0 || h < 1.0 {
        return Err(FileError::new(ErrorKind::Unreadable, "the page has no size; the PDF is damaged"));
    }
    if w * h > limits.max_pixels as f64 || w > MAX_SIDE || h > MAX_SIDE {
        return Err(FileError::new(
            ErrorKind::TooLarge,
            format!(
                "the page is {:.0} × {:.0} cm, {:.0} megapixels at {dpi} dpi, over the limit of {} megapixels; raise --max-pixels or lower --dpi if it really is that big",
                w_pt as f64 / 72.0 * 2.54,
                h_pt as f64 / 72.0 * 2.54,
                w * h / 1e6,
                limits.max_pixels / 1_000_000
            ),
        ));
    }
    let cache = RenderCache::new();
    // Digital-signature stamps are annotations: a page that has them is drawn without its
    // annotations, so the stamp text stays out of the OCR text (it is not part of the document).
    let mut settings = InterpreterSettings::default();
    if has_signature_widget(page) {
        settings.render_content = RenderContent::PAGE;
    }
    let pixmap_settings = PixmapSettings { x_scale: scale as f32, y_scale: scale as f32, bg_color: WHITE };
    let pixmap = render(page, &cache, &settings, &RenderSettings::default(), &pixmap_settings);
    let (pw, ph) = (pixmap.width() as u32, pixmap.height() as u32);
    // Composite over white (the background is opaque, but be safe).
    let over_white = |p: &hayro::vello_cpu::color::PremulRgba8| {
        let white = 255 - p.a;
        [p.r.saturating_add(white), p.g.saturating_add(white), p.b.saturating_add(white)]
    };
    let data = pixmap.data();
    // Colour pages stay in colour (seal removal needs it); grey and bilevel scans become grey.
    let coloured = data.iter().any(|p| {
        let [r, g, b] = over_white(p);
        r != g || g != b
    });
    let pixels: Vec<u8> = if coloured {
        data.iter().flat_map(over_white).collect()
    } else {
        data.iter().map(|p| over_white(p)[0]).collect()
    };
    drop(pixmap);
    if coloured {
        Ok(PageImage::rgb(pw, ph, pixels, dpi))
    } else {
        Ok(PageImage::grey(pw, ph, pixels, dpi))
    }
}

/// Whether the page has a signature field widget (`/FT /Sig`, on the widget or its parent field).
fn has_signature_widget(page: &hayro::hayro_syntax::page::Page<'_>) -> bool {
    use hayro::hayro_syntax::object::{Array, Dict, Name};
    let Some(annots) = page.raw().get::<Array<'_>>(b"Annots") else { return false };
    let is_sig = |d: &Dict<'_>| d.get::<Name<'_>>(b"FT").is_some_and(|n| &*n == b"Sig");
    annots
        .iter::<Dict<'_>>()
        .take(64)
        .any(|a| is_sig(&a) || a.get::<Dict<'_>>(b"Parent").is_some_and(|p| is_sig(&p)))
}

fn open_pdf(data: Vec<u8>) -> Result<Pdf, FileError> {
    Pdf::new(data).map_err(|e| match e {
        LoadPdfError::Decryption(d) => {
            use hayro::hayro_syntax::DecryptionError as D;
            match d {
                D::PasswordProtected => FileError::new(
                    ErrorKind::Encrypted,
                    "the PDF is password-protected; open it with its password, save an unprotected copy and scan that",
                ),
                D::UnsupportedAlgorithm => FileError::new(
                    ErrorKind::Encrypted,
                    "the PDF is encrypted with a method sohoa cannot read; save an unprotected copy and scan that",
                ),
                D::MissingIDEntry | D::InvalidEncryption => FileError::new(
                    ErrorKind::Encrypted,
                    "the PDF's encryption is damaged, so it cannot be opened; get the original file again",
                ),
            }
        }
        LoadPdfError::Invalid => damaged(),
    })
}

fn cut_off() -> FileError {
    FileError::new(
        ErrorKind::Unreadable,
        "the PDF is incomplete (cut off before its end); copy or download it again",
    )
}

fn damaged() -> FileError {
    FileError::new(
        ErrorKind::Unreadable,
        "the PDF is damaged (its structure cannot be read); get the original file again or re-export it",
    )
}

thread_local! {
    /// Set while this thread runs PDF library code whose panics are caught and reported.
    static CAUGHT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic in a PDF library into `None`. Such a panic is expected on damaged
/// files and becomes an error line, so it is not printed: a panic hook, installed once, stays
/// silent on a thread inside `quietly` and hands every other panic to the previous hook.
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CAUGHT.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = CAUGHT.with(|c| c.replace(true));
    let r = catch_unwind(AssertUnwindSafe(f)).ok();
    CAUGHT.with(|c| c.set(outer));
    r
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a one-page PDF (A4) whose content stream is `content`, with Helvetica as /F1 and,
    /// when `image` is `Some((w, h, grey))`, a grey image XObject /Im1 of that size.
    pub(crate) fn make_pdf(content: &str, image: Option<(u32, u32, u8)>) -> Vec<u8> {
        make_pdf_with(content, image, "", Vec::new())
    }

    /// As [`make_pdf`], with `page_extra` added to the page dictionary and `extra` objects
    /// numbered from 7.
    pub(crate) fn make_pdf_with(
        content: &str,
        image: Option<(u32, u32, u8)>,
        page_extra: &str,
        extra: Vec<Vec<u8>>,
    ) -> Vec<u8> {
        let mut objs: Vec<Vec<u8>> = Vec::new();
        objs.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        objs.push(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec());
        let xobj = if image.is_some() { " /XObject << /Im1 6 0 R >>" } else { "" };
        objs.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >>{xobj} >> /Contents 4 0 R{page_extra} >>"
            )
            .into_bytes(),
        );
        let mut c = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        c.extend_from_slice(content.as_bytes());
        c.extend_from_slice(b"\nendstream");
        objs.push(c);
        objs.push(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        );
        if let Some((w, h, g)) = image {
            let px = vec![g; (w * h) as usize];
            let mut s = format!(
                "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {} >>\nstream\n",
                px.len()
            )
            .into_bytes();
            s.extend_from_slice(&px);
            s.extend_from_slice(b"\nendstream");
            objs.push(s);
        } else {
            objs.push(b"null".to_vec());
        }
        objs.extend(extra);
        let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1)
                .as_bytes(),
        );
        out
    }

    fn text_content(lines: &[&str]) -> String {
        let mut s = String::from("BT /F1 12 Tf 72 770 Td 14 TL\n");
        for l in lines {
            s.push_str(&format!("({l}) Tj T*\n"));
        }
        s.push_str("ET");
        s
    }

    fn limits() -> Limits {
        Limits::default()
    }

    #[test]
    fn text_page_gives_its_text() {
        let pdf = make_pdf(&text_content(&["CONG VAN so 12", "Kinh gui: So Noi vu"]), None);
        assert_eq!(count_bytes(pdf.clone(), &limits()).unwrap(), 1);
        match load_bytes(pdf, 0, &limits(), PdfText::Auto, None).unwrap() {
            LoadedPage::Text(t) => {
                assert_eq!(t.text(), "CONG VAN so 12\nKinh gui: So Noi vu");
                assert_eq!(t.confidence, 1.0);
            }
            LoadedPage::Image(_) => panic!("expected text"),
        }
    }

    #[test]
    fn never_renders_and_image_pages_are_rendered() {
        let pdf = make_pdf(&text_content(&["CONG VAN so 12"]), None);
        match load_bytes(pdf, 0, &limits(), PdfText::Never, None).unwrap() {
            LoadedPage::Image(img) => {
                assert_eq!(img.dpi, 300);
                assert_eq!((img.width, img.height), (2479, 3508));
                assert!(img.pixels.iter().any(|&p| p < 128), "text is drawn");
            }
            LoadedPage::Text(_) => panic!("expected an image"),
        }
        // A full-page scan with a signature stamp as its only text: rendered.
        let content = format!(
            "q 595 0 0 842 0 0 cm /Im1 Do Q\n{}",
            text_content(&["Ky boi: Uy ban nhan dan tinh", "Thoi gian ky: 07/01/2025 10:09:57"])
        );
        let pdf = make_pdf(&content, Some((620, 877, 200)));
        match load_bytes(pdf.clone(), 0, &limits(), PdfText::Auto, None).unwrap() {
            LoadedPage::Image(img) => assert!(img.pixels.iter().all(|&p| p >= 150 || p < 255)),
            LoadedPage::Text(t) => panic!("expected an image, got {:?}", t.text()),
        }
        // `always` takes any text.
        assert!(matches!(load_bytes(pdf, 0, &limits(), PdfText::Always, None).unwrap(), LoadedPage::Text(_)));
    }

    #[test]
    fn signature_stamps_are_not_drawn_for_ocr() {
        let stamp = b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Length 20 >>\nstream\n0 0 100 100 re f\n\nendstream".to_vec();
        let widget = |ft: &str| {
            format!(
                " /Annots [<< /Type /Annot /Subtype /Widget{ft} /Rect [0 0 595 842] /AP << /N 7 0 R >> >>]"
            )
        };
        let dark = |pdf: Vec<u8>| match load_bytes(pdf, 0, &limits(), PdfText::Never, Some(36)).unwrap() {
            LoadedPage::Image(img) => img.pixels.iter().filter(|&&p| p < 128).count(),
            LoadedPage::Text(_) => panic!("expected an image"),
        };
        // An ordinary annotation (a filled form field) is drawn; a signature field is not.
        assert!(dark(make_pdf_with("", None, &widget(""), vec![stamp.clone()])) > 1000);
        assert_eq!(dark(make_pdf_with("", None, &widget(" /FT /Sig"), vec![stamp])), 0);
    }

    #[test]
    fn blank_page_is_rendered_blank() {
        let pdf = make_pdf("", None);
        match load_bytes(pdf, 0, &limits(), PdfText::Auto, Some(100)).unwrap() {
            LoadedPage::Image(img) => {
                assert_eq!(img.dpi, 100);
                assert!(img.pixels.iter().all(|&p| p == 255));
            }
            LoadedPage::Text(_) => panic!("expected an image"),
        }
    }

    #[test]
    fn huge_pages_are_refused_before_rendering() {
        let pdf = make_pdf("", None).replace_bytes(b"[0 0 595 842]", b"[0 0 99999 99999]");
        let e = load_bytes(pdf, 0, &limits(), PdfText::Never, None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::TooLarge, "{}", e.message);
    }

    #[test]
    fn damaged_files_are_errors() {
        for bytes in [&b"%PDF-1.4\n%%EOF\n"[..], b"%PDF-", b"%PDF-1.7\n1 0 obj << >> endobj"] {
            let e = count_bytes(bytes.to_vec(), &limits()).unwrap_err();
            assert!(matches!(e.kind, ErrorKind::Unreadable | ErrorKind::Empty), "{e:?}");
        }
    }

    #[test]
    fn text_pages_carry_boxes_and_header_columns_are_blocks() {
        let content = "BT /F1 12 Tf 60 780 Td (UY BAN NHAN DAN) Tj 250 0 Td (CONG HOA XA HOI) Tj ET\n\
                       BT /F1 12 Tf 60 764 Td (QUAN 1) Tj 250 0 Td (Doc lap - Tu do) Tj ET\n\
                       BT /F1 12 Tf 60 700 Td (Dieu 1. Ban hanh quy che) Tj ET";
        let pdf = make_pdf(content, None);
        let LoadedPage::Text(t) = load_bytes(pdf, 0, &limits(), PdfText::Auto, None).unwrap() else {
            panic!("expected text")
        };
        let lines: Vec<(&str, u32)> = t.lines.iter().map(|l| (l.text.as_str(), l.block)).collect();
        assert_eq!(
            lines,
            [
                ("UY BAN NHAN DAN", 1),
                ("CONG HOA XA HOI", 2),
                ("QUAN 1", 1),
                ("Doc lap - Tu do", 2),
                ("Dieu 1. Ban hanh quy che", 3)
            ]
        );
        assert_eq!((t.width, t.height), (2479, 3508));
        let b = t.lines[0].bbox.unwrap();
        assert_eq!(b.x0, 250, "60 pt at 300 dpi");
        assert!(b.y0 > 200 && b.y1 < 280, "{b:?}");
        assert_eq!(t.lines[0].words.len(), 4);
        assert_eq!(t.word_count, 4 + 4 + 2 + 5 + 6);
    }

    fn page_text(pdf: Vec<u8>) -> Option<String> {
        match load_bytes(pdf, 0, &limits(), PdfText::Auto, Some(36)).unwrap() {
            LoadedPage::Text(t) => Some(t.text()),
            LoadedPage::Image(_) => None,
        }
    }

    #[test]
    fn legacy_encodings_in_text_layers_are_converted() {
        // TCVN3 bytes shown with a WinAnsi font: "Quy\325t \256\336nh" reads "QuyÕt ®Þnh".
        let tcvn3 = r"Quy\325t \256\336nh v\322 vi\326c ph\252 duy\326t k\325 ho\271ch c\361a \361y ban nh\251n d\251n";
        assert_eq!(
            page_text(make_pdf(&text_content(&[tcvn3]), None)).as_deref(),
            Some("Quyết định về việc phê duyệt kế hoạch của ủy ban nhân dân")
        );
        let vni = r"Quye\341t \361\362nh ve\340 vie\344c phe\342 duye\344t ke\341 hoa\357ch cu\373a U\333y ban nha\342n da\342n";
        assert_eq!(
            page_text(make_pdf(&text_content(&[vni]), None)).as_deref(),
            Some("Quyết định về việc phê duyệt kế hoạch của Ủy ban nhân dân")
        );
        // Mojibake that no table reads: the page is OCRed.
        let junk = r"\336\336\336 \337\337\337 \244\244 \256\256\256 \306\306 \336\256 \337\244";
        assert_eq!(page_text(make_pdf(&text_content(&[junk]), None)), None);
    }

    #[test]
    fn signature_stamps_are_recognised() {
        let text = "Ký bởi: Ủy ban nhân\ndân tỉnh Quảng Ngãi\nThời gian ký:\n11/05/2021 11:26:39";
        assert_eq!(body_words(text), 0);
        let text = "TRUNG TÂM CÔNG\nBÁO VÀ TIN HỌC\nttcbth@quangngai.gov.vn\n07.01.2025 10:44:25\n+07:00";
        assert_eq!(body_words(text), 0);
        assert_eq!(body_words("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI"), 7);
    }

    #[test]
    fn junk_text_is_detected() {
        assert!(is_junk("\u{1}\u{2}\u{3}abc"));
        assert!(is_junk("\u{E001}\u{E002}"));
        assert!(!is_junk("Quyết định số 12"));
        assert!(is_junk("\"7+%-"));
        assert!(!is_junk("1.250.000 | 3.400 | 12,5%"));
    }

    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        fn base() -> Vec<u8> {
            let content =
                format!("q 595 0 0 842 0 0 cm /Im1 Do Q\n{}", text_content(&["So 12/QD-UBND", "Kinh gui"]));
            make_pdf(&content, Some((16, 16, 90)))
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

            /// Random byte flips and truncations never panic out of `count`/`load`.
            #[test]
            fn damaged_pdfs_never_panic(
                flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
                cut in proptest::option::of(any::<prop::sample::Index>()),
            ) {
                let mut pdf = base();
                for (at, b) in flips {
                    let i = at.index(pdf.len());
                    pdf[i] = b;
                }
                if let Some(cut) = cut {
                    pdf.truncate(cut.index(pdf.len()));
                }
                let limits = Limits { max_pixels: 2_000_000, max_pages: 10 };
                let r = std::panic::catch_unwind(|| {
                    let n = count_bytes(pdf.clone(), &limits);
                    for mode in [PdfText::Auto, PdfText::Never] {
                        let _ = load_bytes(pdf.clone(), 0, &limits, mode, Some(36));
                    }
                    n.map(|_| ()).map_err(|e| e.kind)
                });
                prop_assert!(r.is_ok(), "a panic escaped");
            }
        }
    }

    trait ReplaceBytes {
        fn replace_bytes(self, from: &[u8], to: &[u8]) -> Vec<u8>;
    }
    impl ReplaceBytes for Vec<u8> {
        fn replace_bytes(self, from: &[u8], to: &[u8]) -> Vec<u8> {
            let i = self.windows(from.len()).position(|w| w == from).expect("pattern");
            let mut v = self[..i].to_vec();
            v.extend_from_slice(to);
            v.extend_from_slice(&self[i + from.len()..]);
            v
        }
    }
}

#[cfg(test)]
#[allow(clippy::print_stdout)]
mod corpus_probe {
    use super::*;

    /// Prints how each page of the real corpus PDFs is read (`cargo test --lib corpus_probe -- --ignored --nocapture`).
    #[test]
    #[ignore]
    fn corpus_decisions() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
        let mut files: Vec<_> = walk(&root);
        files.sort();
        for f in files {
            let data = std::fs::read(&f).unwrap();
            let t = std::time::Instant::now();
            let n = match count_bytes(data.clone(), &Limits::default()) {
                Ok(n) => n,
                Err(e) => {
                    println!("{}: ERROR {} {}", f.display(), e.kind.code(), e.message);
                    continue;
                }
            };
            for i in 0..n {
                let l = text_layer(&data, i);
                let d = l.as_ref().and_then(|l| decide(l, PdfText::Auto));
                println!(
                    "{} p{}: scan={:?} dpi={:?} words={:?} junk={:?} -> {} [{:?}]",
                    f.strip_prefix(&root).unwrap().display(),
                    i + 1,
                    l.as_ref().map(|l| l.has_scan),
                    l.as_ref().and_then(|l| l.scan_dpi),
                    l.as_ref().map(|l| l.body_words),
                    l.as_ref().map(|l| l.junk),
                    if d.is_some() { "TEXT" } else { "OCR" },
                    l.as_ref().map(|l| l.text.chars().take(60).collect::<String>()),
                );
            }
            println!("  {:.2}s", t.elapsed().as_secs_f64());
        }
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut v = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                v.extend(walk(&p));
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) {
                v.push(p);
            }
        }
        v
    }
}
