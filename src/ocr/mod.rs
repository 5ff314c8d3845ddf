//! Pixels → text: `Engine::recognize(&PageImage, timeout) -> Result<TextPage, TessError>`.
//!
//! [`OcrConfig`] says which languages, which tessdata folder and which segmentation mode;
//! [`OcrConfig::check`] finds the language data before any engine starts, so a missing model is
//! one clear setup error naming the package to install, not a failure on every page.

pub mod archival;
pub mod pdfa;
#[allow(unsafe_code)] // the crate's one exception: the Tesseract FFI wrapper
mod tess;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use tess::{skew_worth_correcting, version, Engine, Extras, Pix, TessError, Want};

use crate::error::Error;
use crate::page::{PageImage, TextPage};
use crate::preprocess::quality::{syllables, GATE, MIN_WORDS};

/// Folders where Debian and source builds put tessdata, searched in order after `TESSDATA_PREFIX`.
const TESSDATA_DIRS: [&str; 4] = [
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/local/share/tessdata",
    "/usr/share/tessdata",
];

/// How to run Tesseract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrConfig {
    /// Languages, `+`-separated (`vie`, `vie+eng`).
    pub lang: String,
    /// The tessdata folder; found automatically when `None`.
    pub tessdata: Option<PathBuf>,
    /// Page segmentation mode (3 = automatic layout analysis).
    pub psm: u32,
    /// Longest time one page may take.
    pub page_timeout: Option<Duration>,
    /// A tessdata folder with a better model to read again the pages failing the quality gate.
    pub retry_tessdata: Option<PathBuf>,
    /// Archival renderings to make (ALTO, hOCR, PDF); `page` is set per page.
    pub want: Want,
}

impl Default for OcrConfig {
    fn default() -> Self {
        OcrConfig {
            lang: "vie".into(),
            tessdata: None,
            psm: 3,
            page_timeout: Some(Duration::from_secs(120)),
            retry_tessdata: None,
            want: Want::default(),
        }
    }
}

/// Where `scripts/install-best-model.sh` puts the tessdata_best models:
/// `${XDG_DATA_HOME:-~/.local/share}/sohoa/tessdata`.
pub fn best_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(std::env::var_os("HOME")?).join(".local/share"),
    };
    Some(base.join("sohoa/tessdata"))
}

/// The first folder holding `file` among `first` and the usual tessdata folders.
pub fn find_data(file: &str, first: Option<&Path>) -> Option<PathBuf> {
    first
        .map(Path::to_path_buf)
        .into_iter()
        .chain(std::env::var_os("TESSDATA_PREFIX").map(|p| PathBuf::from(p).join("tessdata")))
        .chain(TESSDATA_DIRS.iter().map(PathBuf::from))
        .find(|d| d.join(file).is_file())
}

impl OcrConfig {
    /// Finds the tessdata folder holding every requested language, or says what to install.
    pub fn check(&self) -> Result<PathBuf, Error> {
        let langs: Vec<&str> = self.lang.split('+').filter(|l| !l.is_empty()).collect();
        if langs.is_empty() || self.lang.chars().any(|c| !(c.is_ascii_alphanumeric() || "+_-".contains(c))) {
            return Err(Error::Usage(format!("--lang '{}': expected names like vie or vie+eng", self.lang)));
        }
        if self.psm > 13 {
            return Err(Error::Usage(format!(
                "--psm {}: Tesseract's modes are 0–13 (3 is automatic)",
                self.psm
            )));
        }
        let has_all = |d: &Path| langs.iter().all(|l| d.join(format!("{l}.traineddata")).is_file());
        if let Some(d) = &self.tessdata {
            if !d.is_dir() {
                return Err(Error::Setup(format!("--tessdata {}: no such folder", d.display())));
            }
            if let Some(l) = langs.iter().find(|l| !d.join(format!("{l}.traineddata")).is_file()) {
                return Err(Error::Setup(format!(
                    "{}: no {l}.traineddata; put the model there or drop --tessdata",
                    d.display()
                )));
            }
            return Ok(d.clone());
        }
        let mut dirs: Vec<PathBuf> = Vec::new();
        if let Some(p) = std::env::var_os("TESSDATA_PREFIX") {
            let p = PathBuf::from(p);
            dirs.push(p.join("tessdata"));
            dirs.push(p);
        }
        dirs.extend(TESSDATA_DIRS.iter().map(PathBuf::from));
        if let Some(d) = dirs.iter().find(|d| has_all(d)) {
            return Ok(d.clone());
        }
        let missing: Vec<String> = langs
            .iter()
            .filter(|l| !dirs.iter().any(|d| d.join(format!("{l}.traineddata")).is_file()))
            .map(|l| format!("tesseract-ocr-{l}"))
            .collect();
        Err(Error::Setup(format!(
            "Tesseract language data for '{}' not found (looked in {}); install it with: sudo apt-get install {}",
            self.lang,
            dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", "),
            if missing.is_empty() { "the missing languages".to_string() } else { missing.join(" ") },
        )))
    }

    /// Starts one engine (one per worker thread).
    pub fn engine(&self, datapath: &Path) -> Result<Engine, Error> {
        Engine::new(&datapath.to_string_lossy(), &self.lang, self.psm)
            .map_err(|e| Error::Setup(e.to_string()))
    }

    /// What the records' `engine` field says, e.g. `tesseract 5.3.0 vie`.
    pub fn engine_name(&self) -> String {
        format!("tesseract {} {}", version(), self.lang)
    }
}

/// Orientation detection below this confidence is ignored (Tesseract's OSD reports 0–~30).
const MIN_OSD_CONF: f32 = 2.0;

/// Recognition of one page with the quality gate, for one worker thread. A page below the gate
/// (or with too few words to judge) is read again, keeping the healthiest reading:
/// 1. turned upright, when orientation detection (`osd`) says it lies on its side or upside down;
/// 2. with Sauvola binarisation;
/// 3. with the better model, when one is configured (`retry_tessdata`).
///
/// Orientation detection runs only here, for failing pages: it costs about 0.5 s per page.
pub struct Recognizer {
    cfg: OcrConfig,
    osd_dir: Option<PathBuf>,
    osd: Option<Engine>,
    retry: Option<Engine>,
    retry_failed: bool,
}

impl Recognizer {
    /// A recognizer for these settings; `osd_dir` holds `osd.traineddata` (no orientation
    /// detection when `None`).
    pub fn new(cfg: &OcrConfig, osd_dir: Option<PathBuf>) -> Recognizer {
        Recognizer { cfg: cfg.clone(), osd_dir, osd: None, retry: None, retry_failed: false }
    }

    /// Recognises page `page` (0-based) of a document with `engine`.
    pub fn recognize(
        &mut self,
        engine: &mut Engine,
        img: &PageImage,
        page: u32,
    ) -> Result<(TextPage, Extras), TessError> {
        self.recognize_shown(engine, img, None, page)
    }

    /// Recognises page `page` (0-based) of a document with `engine`; a searchable PDF shows
    /// `shown` (the page as scanned, same size as `img`; see `Preprocessor::apply_shown`),
    /// turned upright with the page when orientation detection turns it.
    pub fn recognize_shown(
        &mut self,
        engine: &mut Engine,
        img: &PageImage,
        shown: Option<&Pix>,
        page: u32,
    ) -> Result<(TextPage, Extras), TessError> {
        let want = Want { page, ..self.cfg.want.clone() };
        let timeout = self.cfg.page_timeout;
        let first = engine.recognize_shown(img, shown, timeout, &want)?;
        let (h, n) = health(&first.0);
        if h >= GATE && n >= MIN_WORDS {
            return Ok(first);
        }
        let mut best = (if n >= MIN_WORDS { h } else { 0.0 }, n, first);
        let mut upright = None;
        let mut upright_shown = None;
        if let Some((quads, conf)) =
            Pix::from_grey(img).and_then(|p| self.osd_engine()?.detect_orientation(&p))
        {
            if quads != 0 && conf >= MIN_OSD_CONF {
                let turned = Pix::from_grey(img).and_then(|p| p.rotate_orth(quads));
                let skew = turned.as_ref().and_then(Pix::find_skew).unwrap_or((0.0, 0.0));
                let straight = |p: Pix| {
                    if skew_worth_correcting(skew.0, skew.1) {
                        p.rotate(skew.0).or(Some(p))
                    } else {
                        Some(p)
                    }
                };
                upright = turned.and_then(straight).and_then(|p| p.to_grey(img.dpi));
                if want.pdf.is_some() {
                    upright_shown = shown.and_then(|s| s.rotate_orth(quads)).and_then(straight);
                }
                if let Some(u) = &upright {
                    if let Ok(r) = engine.recognize_shown(u, upright_shown.as_ref(), timeout, &want) {
                        best = better(best, r);
                    }
                }
            }
        }
        let (img, shown) = match &upright {
            Some(u) => (u, upright_shown.as_ref()),
            None => (img, shown),
        };
        if best.1 < MIN_WORDS || best.0 >= GATE {
            return Ok(best.2);
        }
        if let Some(alt) = Pix::from_grey(img).and_then(|p| p.sauvola()).and_then(|p| p.to_grey(img.dpi)) {
            if let Ok(r) = engine.recognize_shown(&alt, shown, timeout, &want) {
                best = better(best, r);
            }
        }
        if best.0 < GATE {
            if let Some(e) = self.retry_engine() {
                if let Ok(r) = e.recognize_shown(img, shown, timeout, &want) {
                    best = better(best, r);
                }
            }
        }
        Ok(best.2)
    }

    fn osd_engine(&mut self) -> Option<&mut Engine> {
        if self.osd.is_none() {
            // Taken: a failure to start is not retried on every page.
            let dir = self.osd_dir.take()?;
            self.osd = Engine::new_osd(&dir.to_string_lossy()).ok();
        }
        self.osd.as_mut()
    }

    fn retry_engine(&mut self) -> Option<&mut Engine> {
        if self.retry.is_none() && !self.retry_failed {
            let dir = self.cfg.retry_tessdata.as_ref()?;
            self.retry = Engine::new(&dir.to_string_lossy(), &self.cfg.lang, self.cfg.psm).ok();
            self.retry_failed = self.retry.is_none();
        }
        self.retry.as_mut()
    }
}

type Reading = (TextPage, Extras);

/// The quality-gate health of a reading and the number of words judged.
fn health(t: &TextPage) -> (f32, usize) {
    syllables().health(t.lines.iter().flat_map(|l| l.text.split_whitespace()))
}

/// The better of a reading so far (health, words, reading) and a new one.
fn better(cur: (f32, usize, Reading), r: Reading) -> (f32, usize, Reading) {
    let (h, n) = health(&r.0);
    let h = if n >= MIN_WORDS { h } else { 0.0 };
    if (h, n) > (cur.0, cur.1) && (h > cur.0 || cur.1 < MIN_WORDS) {
        (h, n, r)
    } else {
        cur
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_languages_are_usage_errors() {
        let c = OcrConfig { lang: "vie;rm".into(), ..OcrConfig::default() };
        assert!(matches!(c.check(), Err(Error::Usage(_))));
    }

    #[test]
    fn missing_language_names_the_package() {
        let c = OcrConfig { lang: "xyz".into(), ..OcrConfig::default() };
        let e = c.check().unwrap_err().to_string();
        assert!(e.contains("apt-get install tesseract-ocr-xyz"), "{e}");
    }

    #[test]
    fn vie_is_installed() {
        // The test machine must have the Vietnamese model (README setup installs it).
        OcrConfig::default().check().expect("tesseract-ocr-vie must be installed");
    }
}
