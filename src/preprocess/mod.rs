//! Page → page, before OCR: `pub fn apply(img: PageImage, mode: Preprocess) -> PageImage`.
//!
//! `none` gives Tesseract the decoded pixels unchanged (it binarises with Otsu itself).

use crate::page::PageImage;

/// Which preprocessing to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preprocess {
    /// The decoded pixels, unchanged.
    #[default]
    None,
}

/// Applies the chosen preprocessing.
pub fn apply(img: PageImage, mode: Preprocess) -> PageImage {
    match mode {
        Preprocess::None => img,
    }
}
