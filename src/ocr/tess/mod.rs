//! The safe wrapper over Tesseract's C API (`tesseract-sys`): the only `unsafe` code in sohoa.
//!
//! One Rust type per C object, each freeing it on drop: [`Engine`] (`TessBaseAPI`), `CText`
//! (strings Tesseract allocates), `Iter` (`TessResultIterator`), `Monitor` (`ETEXT_DESC`).
//! Inputs are checked in safe code before they reach C; raw pointers never leave this module.

use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::ptr::NonNull;
use std::time::{Duration, Instant};

use tesseract_sys as sys;

use crate::page::{BBox, Line, PageImage, TextPage, TextSource, Word};
use crate::text::nfc;

mod lept;
pub use lept::{skew_worth_correcting, Pix};

/// Archival renderings of one recognised page, asked for with [`Want`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extras {
    /// The page's ALTO `<Page>` element (without the document header).
    pub alto: Option<String>,
    /// The page's hOCR `<div class='ocr_page'>` element (without the document header).
    pub hocr: Option<String>,
    /// A one-page searchable PDF (image + invisible text).
    pub pdf: Option<Vec<u8>>,
}

/// Which archival renderings to produce while recognising.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Want {
    /// ALTO XML.
    pub alto: bool,
    /// hOCR.
    pub hocr: bool,
    /// A searchable PDF page; the folder holding Tesseract's `pdf.ttf`.
    pub pdf: Option<std::path::PathBuf>,
    /// Page number (0-based) used in element ids.
    pub page: u32,
}

/// What can go wrong inside Tesseract.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TessError {
    /// The engine could not start with this language data.
    #[error("Tesseract could not load language '{lang}' from {datapath}")]
    Init {
        /// Languages asked for.
        lang: String,
        /// Where the data was looked for.
        datapath: String,
    },
    /// The image cannot be given to Tesseract (bad dimensions or buffer).
    #[error("invalid page image: {0}")]
    BadImage(String),
    /// Recognition failed.
    #[error("recognition failed")]
    Recognize,
    /// Recognition did not finish within the deadline.
    #[error("recognition stopped after {0:.1} s (the page timeout)")]
    Timeout(f64),
    /// A string given to Tesseract contains a NUL byte.
    #[error("a setting contains a NUL byte")]
    Nul,
}

/// A string allocated by Tesseract, freed with `TessDeleteText`.
struct CText(NonNull<c_char>);

impl CText {
    fn new(p: *mut c_char) -> Option<CText> {
        NonNull::new(p).map(CText)
    }
    fn to_string_lossy(&self) -> String {
        // SAFETY: Tesseract returns NUL-terminated UTF-8 strings that live until TessDeleteText.
        unsafe { CStr::from_ptr(self.0.as_ptr()) }.to_string_lossy().into_owned()
    }
}

impl Drop for CText {
    fn drop(&mut self) {
        // SAFETY: the pointer came from a Tesseract call documented to be freed with TessDeleteText,
        // and is freed once, here.
        unsafe { sys::TessDeleteText(self.0.as_ptr()) }
    }
}

/// The libtesseract version, e.g. `5.3.0`.
pub fn version() -> String {
    // SAFETY: TessVersion returns a pointer to a static NUL-terminated string.
    let p = unsafe { sys::TessVersion() };
    if p.is_null() {
        return "unknown".into();
    }
    // SAFETY: non-null, static, NUL-terminated (checked above).
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// One Tesseract instance: `Send`, not `Sync`; create one per worker thread and reuse it.
pub struct Engine {
    raw: NonNull<sys::TessBaseAPI>,
}

// SAFETY: a TessBaseAPI has no thread affinity; it may move between threads as long as it is used
// by one thread at a time, which `&mut self` on every method guarantees. It is not `Sync`.
unsafe impl Send for Engine {}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: `raw` came from TessBaseAPICreate and is ended and freed here, once.
        unsafe {
            sys::TessBaseAPIEnd(self.raw.as_ptr());
            sys::TessBaseAPIDelete(self.raw.as_ptr());
        }
    }
}

fn cstring(s: &str) -> Result<CString, TessError> {
    CString::new(s).map_err(|_| TessError::Nul)
}

impl Engine {
    /// Starts an engine for `lang` (e.g. `vie` or `vie+eng`) with data from `datapath`.
    pub fn new(datapath: &str, lang: &str, psm: u32) -> Result<Engine, TessError> {
        let c_path = cstring(datapath)?;
        let c_lang = cstring(lang)?;
        // SAFETY: TessBaseAPICreate has no preconditions; a null return is handled.
        let raw = NonNull::new(unsafe { sys::TessBaseAPICreate() })
            .ok_or_else(|| TessError::Init { lang: lang.into(), datapath: datapath.into() })?;
        let mut e = Engine { raw };
        // SAFETY: valid handle; both strings are NUL-terminated and outlive the call.
        let rc = unsafe { sys::TessBaseAPIInit3(e.raw.as_ptr(), c_path.as_ptr(), c_lang.as_ptr()) };
        if rc != 0 {
            return Err(TessError::Init { lang: lang.into(), datapath: datapath.into() });
        }
        // SAFETY: valid, initialised handle.
        unsafe { sys::TessBaseAPISetPageSegMode(e.raw.as_ptr(), psm as sys::TessPageSegMode) };
        // Tesseract's own chatter (e.g. "Estimating resolution") must not reach the terminal.
        e.set_variable("debug_file", "/dev/null")?;
        Ok(e)
    }

    /// Sets a Tesseract parameter; returns whether Tesseract knew it.
    pub fn set_variable(&mut self, name: &str, value: &str) -> Result<bool, TessError> {
        let (n, v) = (cstring(name)?, cstring(value)?);
        // SAFETY: valid handle; strings are NUL-terminated and outlive the call.
        Ok(unsafe { sys::TessBaseAPISetVariable(self.raw.as_ptr(), n.as_ptr(), v.as_ptr()) } != 0)
    }

    /// Recognises one page (colour pages are read in grey); words come with boxes and confidences.
    pub fn recognize(&mut self, img: &PageImage, timeout: Option<Duration>) -> Result<TextPage, TessError> {
        self.recognize_with(img, timeout, &Want::default()).map(|(t, _)| t)
    }

    /// Starts an orientation-detection engine (the `osd` model in `datapath`).
    pub fn new_osd(datapath: &str) -> Result<Engine, TessError> {
        Engine::new(datapath, "osd", 0)
    }

    /// Detects the page orientation with an engine from [`Engine::new_osd`]: the clockwise
    /// quarter turns that make the page upright, and the detection confidence.
    /// `None` when Tesseract cannot tell (too little text).
    pub fn detect_orientation(&mut self, pix: &Pix) -> Option<(u32, f32)> {
        let api = self.raw.as_ptr();
        let (mut deg, mut conf, mut sconf) = (0i32, 0f32, 0f32);
        let mut script: *const c_char = std::ptr::null();
        // SAFETY: valid handle and PIX (Tesseract takes its own reference of the PIX); the
        // out-pointers are valid locals; the script name points into Tesseract's static tables.
        let ok = unsafe {
            sys::TessBaseAPISetImage2(api, pix.as_ptr());
            sys::TessBaseAPIDetectOrientationScript(api, &mut deg, &mut conf, &mut script, &mut sconf)
        };
        // SAFETY: valid handle; frees the image and results.
        unsafe { sys::TessBaseAPIClear(api) };
        if ok == 0 || !conf.is_finite() {
            return None;
        }
        // `deg` is the orientation of the text (counter-clockwise); turning the page clockwise
        // by `deg` makes it upright.
        let quads = (deg.rem_euclid(360) / 90) as u32;
        Some((quads, conf))
    }

    /// Recognises one page and renders the archival formats asked for in `want`.
    pub fn recognize_with(
        &mut self,
        img: &PageImage,
        timeout: Option<Duration>,
        want: &Want,
    ) -> Result<(TextPage, Extras), TessError> {
        self.recognize_shown(img, None, timeout, want)
    }

    /// Recognises one page and renders the archival formats asked for in `want`; the searchable
    /// PDF shows `shown` (the page as scanned, e.g. in colour, with the same size as `img`)
    /// instead of the pixels recognised.
    pub fn recognize_shown(
        &mut self,
        img: &PageImage,
        shown: Option<&Pix>,
        timeout: Option<Duration>,
        want: &Want,
    ) -> Result<(TextPage, Extras), TessError> {
        // Tesseract reads grey: a colour page (preprocessing greys pages first) in luma.
        let grey = img.to_grey();
        let img = &*grey;
        let (w, h) = (img.width as usize, img.height as usize);
        if w == 0 || h == 0 || w > i32::MAX as usize || h > i32::MAX as usize {
            return Err(TessError::BadImage(format!("{w}×{h} pixels")));
        }
        if img.pixels.len() < w.checked_mul(h).ok_or_else(|| TessError::BadImage("overflow".into()))? {
            return Err(TessError::BadImage(format!("{} bytes for {w}×{h}", img.pixels.len())));
        }
        let api = self.raw.as_ptr();
        // SAFETY: the buffer holds at least h rows of w bytes (checked above) and stays alive and
        // unchanged until TessBaseAPIClear below; Tesseract copies it into its own Pix.
        unsafe {
            sys::TessBaseAPISetImage(api, img.pixels.as_ptr(), w as i32, h as i32, 1, w as i32);
            sys::TessBaseAPISetSourceResolution(api, img.dpi.clamp(70, 2400) as i32);
        }
        let started = Instant::now();
        let monitor = timeout.and_then(Monitor::new);
        let mon_ptr = monitor.as_ref().map_or(std::ptr::null_mut(), |m| m.0.as_ptr());
        // SAFETY: valid handle with an image set; the monitor (or null) lives past the call.
        let rc = unsafe { sys::TessBaseAPIRecognize(api, mon_ptr) };
        let result = match timeout {
            Some(t) if started.elapsed() >= t => Err(TessError::Timeout(t.as_secs_f64())),
            _ if rc != 0 => Err(TessError::Recognize),
            _ => Ok((self.collect(img), self.extras(want, shown, (img.width, img.height)))),
        };
        // SAFETY: valid handle; frees the image and results (not the engine's models).
        unsafe { sys::TessBaseAPIClear(api) };
        drop(monitor);
        result
    }

    /// The archival renderings of the recognised page (of `size` pixels).
    fn extras(&mut self, want: &Want, shown: Option<&Pix>, size: (u32, u32)) -> Extras {
        let api = self.raw.as_ptr();
        let page = want.page.min(i32::MAX as u32) as i32;
        let mut x = Extras::default();
        if want.alto {
            // SAFETY: valid handle after a successful Recognize; null handled by CText.
            x.alto =
                CText::new(unsafe { sys::TessBaseAPIGetAltoText(api, page) }).map(|t| t.to_string_lossy());
        }
        if want.hocr {
            // SAFETY: as above.
            x.hocr =
                CText::new(unsafe { sys::TessBaseAPIGetHOCRText(api, page) }).map(|t| t.to_string_lossy());
        }
        if let Some(fontdir) = &want.pdf {
            // Recognition is done: the image the PDF renderer shows can be replaced.
            if let Some(p) = shown.filter(|p| (p.dims().0, p.dims().1) == size).and_then(Pix::clone_ref) {
                // SAFETY: valid handle; Tesseract takes ownership of this reference of the PIX
                // (it destroys it when the next image is set or the engine ends).
                unsafe { sys::TessBaseAPISetInputImage(api, p.into_raw()) };
            }
            x.pdf = self.pdf_page(fontdir);
        }
        x
    }

    /// A one-page searchable PDF of the recognised page, through Tesseract's PDF renderer
    /// (it writes a file: a private temporary one, read back and removed).
    fn pdf_page(&mut self, fontdir: &std::path::Path) -> Option<Vec<u8>> {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let tmp = tempfile_dir()?;
        let base = tmp.join(format!("page-{n}"));
        let c_base = cstring(&base.to_string_lossy()).ok()?;
        let c_dir = cstring(&fontdir.to_string_lossy()).ok()?;
        let c_title = cstring("sohoa").ok()?;
        // SAFETY: strings are NUL-terminated and outlive the call; null handled.
        let r = NonNull::new(unsafe { sys::TessPDFRendererCreate(c_base.as_ptr(), c_dir.as_ptr(), 0) })?;
        // SAFETY: valid renderer and handle (recognised page with its input image); the
        // renderer is deleted once, at the end, which also closes its file.
        let ok = unsafe {
            let ok = sys::TessResultRendererBeginDocument(r.as_ptr(), c_title.as_ptr()) != 0
                && sys::TessResultRendererAddImage(r.as_ptr(), self.raw.as_ptr()) != 0
                && sys::TessResultRendererEndDocument(r.as_ptr()) != 0;
            sys::TessDeleteResultRenderer(r.as_ptr());
            ok
        };
        let path = base.with_extension("pdf");
        let bytes = if ok { std::fs::read(&path).ok() } else { None };
        let _ = std::fs::remove_dir_all(&tmp);
        bytes
    }

    /// Walks the result iterator: words with boxes and confidences, grouped into lines.
    fn collect(&mut self, img: &PageImage) -> TextPage {
        let mut page = TextPage {
            width: img.width,
            height: img.height,
            lines: Vec::new(),
            confidence: 0.0,
            source: TextSource::Ocr,
            word_count: 0,
            stamp_ink: false,
        };
        // SAFETY: valid handle after a successful Recognize; null (no text) is handled by Iter.
        let Some(it) = Iter::new(unsafe { sys::TessBaseAPIGetIterator(self.raw.as_ptr()) }) else {
            return page;
        };
        let word = sys::TessPageIteratorLevel_RIL_WORD;
        let mut block = 0u32;
        let mut conf_sum = 0f64;
        loop {
            let pi = it.page_iter();
            // SAFETY: `pi` belongs to the live iterator `it`; levels are valid enum values.
            let (new_block, new_line) = unsafe {
                (
                    sys::TessPageIteratorIsAtBeginningOf(pi, sys::TessPageIteratorLevel_RIL_BLOCK) != 0,
                    sys::TessPageIteratorIsAtBeginningOf(pi, sys::TessPageIteratorLevel_RIL_TEXTLINE) != 0,
                )
            };
            if new_block {
                block += 1;
            }
            // SAFETY: as above; a null text is handled by CText::new.
            let text = CText::new(unsafe { sys::TessResultIteratorGetUTF8Text(it.0.as_ptr(), word) })
                .map(|t| nfc(t.to_string_lossy().trim()))
                .unwrap_or_default();
            // SAFETY: as above.
            let conf = unsafe { sys::TessResultIteratorConfidence(it.0.as_ptr(), word) };
            let (mut l, mut t, mut r, mut b) = (0, 0, 0, 0);
            // SAFETY: as above; the four out-pointers are valid locals.
            unsafe { sys::TessPageIteratorBoundingBox(pi, word, &mut l, &mut t, &mut r, &mut b) };
            if !text.is_empty() {
                let bbox = BBox { x0: l, y0: t, x1: r, y1: b };
                let conf = (conf / 100.0).clamp(0.0, 1.0);
                if new_line || new_block || page.lines.is_empty() {
                    page.lines.push(Line {
                        text: String::new(),
                        words: Vec::new(),
                        bbox: Some(bbox),
                        conf: 0.0,
                        block,
                    });
                }
                if let Some(line) = page.lines.last_mut() {
                    line.bbox = line.bbox.map(|lb| lb.union(&bbox));
                    line.words.push(Word { text, conf, bbox });
                }
                conf_sum += conf as f64;
                page.word_count += 1;
            }
            // SAFETY: valid iterator; returns false at the end.
            if unsafe { sys::TessResultIteratorNext(it.0.as_ptr(), word) } == 0 {
                break;
            }
        }
        for line in &mut page.lines {
            line.text = line.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
            line.conf = line.words.iter().map(|w| w.conf).sum::<f32>() / line.words.len().max(1) as f32;
        }
        if page.word_count > 0 {
            page.confidence = (conf_sum / page.word_count as f64) as f32;
        }
        page
    }
}

/// A fresh private folder under the system temporary folder.
fn tempfile_dir() -> Option<std::path::PathBuf> {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let d = std::env::temp_dir().join(format!("sohoa-pdf-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&d).ok()?;
    Some(d)
}

/// A result iterator, freed on drop.
struct Iter(NonNull<sys::TessResultIterator>);

impl Iter {
    fn new(p: *mut sys::TessResultIterator) -> Option<Iter> {
        NonNull::new(p).map(Iter)
    }
    fn page_iter(&self) -> *const sys::TessPageIterator {
        // SAFETY: valid iterator; the returned page iterator is a view of it, not owned.
        unsafe { sys::TessResultIteratorGetPageIteratorConst(self.0.as_ptr()) }
    }
}

impl Drop for Iter {
    fn drop(&mut self) {
        // SAFETY: came from TessBaseAPIGetIterator; freed once, here.
        unsafe { sys::TessResultIteratorDelete(self.0.as_ptr()) }
    }
}

/// A progress monitor carrying a deadline.
struct Monitor(NonNull<sys::ETEXT_DESC>);

impl Monitor {
    fn new(timeout: Duration) -> Option<Monitor> {
        // SAFETY: no preconditions; null handled.
        let m = NonNull::new(unsafe { sys::TessMonitorCreate() })?;
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: valid monitor.
        unsafe { sys::TessMonitorSetDeadlineMSecs(m.as_ptr(), ms) };
        Some(Monitor(m))
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        // SAFETY: came from TessMonitorCreate; freed once, here.
        unsafe { sys::TessMonitorDelete(self.0.as_ptr()) }
    }
}
