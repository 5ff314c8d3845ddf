//! Pixels → text: `Engine::recognize(&PageImage, timeout) -> Result<TextPage, TessError>`.
//!
//! [`OcrConfig`] says which languages, which tessdata folder and which segmentation mode;
//! [`OcrConfig::check`] finds the language data before any engine starts, so a missing model is
//! one clear setup error naming the package to install, not a failure on every page.

#[allow(unsafe_code)] // the crate's one exception: the Tesseract FFI wrapper
mod tess;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use tess::{version, Engine, TessError};

use crate::error::Error;

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
}

impl Default for OcrConfig {
    fn default() -> Self {
        OcrConfig { lang: "vie".into(), tessdata: None, psm: 3, page_timeout: Some(Duration::from_secs(120)) }
    }
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
