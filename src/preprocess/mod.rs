//! Page → page, before OCR.
//!
//! [`Preprocessor::apply`] runs the steps of the chosen [`Preprocess`] mode with leptonica
//! (through `ocr::Pix`). Measured on the dev corpus (see `bench/quality.py`), with the fast model:
//!
//! - `none`: the decoded pixels, unchanged (Tesseract binarises with Otsu itself);
//! - `deskew`: skew correction (leptonica's `pixFindSkewAndDeskew`);
//! - `auto` (the default): `deskew` plus background normalisation (`pixBackgroundNormSimple`:
//!   uneven lighting, yellowed paper), the best of the modes measured;
//! - `sauvola`: `deskew` plus Sauvola local binarisation (worse than `auto` on the dev corpus).
//!
//! All but `none` first turn colour pages grey with red seal ink lightened ([`seal`]: the letters
//! of the signer's title and name under the seal survive; on the real Quảng Ngãi scans the signer
//! name went from 3/10 to 9/10 right), can whiten black margins ([`border`], off by default: not
//! better on the dev corpus as a whole), and scale scans under 150 dpi up to 300 dpi. (Scaling the 200-dpi scans of the
//! dev corpus to 300 dpi made OCR slower and no better, so they are left as they are.)
//! Pages lying on their side or upside down are turned upright by the OCR stage
//! (`ocr::Recognizer`), only for pages failing the quality gate, because orientation detection
//! costs about half a second per page.
//!
//! A step that fails leaves the page as it was: preprocessing never makes a page unreadable.

pub mod border;
pub mod quality;
pub mod seal;

use crate::ocr::{skew_worth_correcting, Pix};
use crate::page::PageImage;

pub use seal::Inks;

/// Which preprocessing to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preprocess {
    /// The decoded pixels, unchanged.
    None,
    /// Deskew.
    Deskew,
    /// Deskew and background normalisation.
    #[default]
    Auto,
    /// Deskew and Sauvola binarisation.
    Sauvola,
}

impl Preprocess {
    /// The mode named on the command line.
    pub fn parse(s: &str) -> Option<Preprocess> {
        Some(match s {
            "none" => Preprocess::None,
            "deskew" => Preprocess::Deskew,
            "auto" => Preprocess::Auto,
            "sauvola" => Preprocess::Sauvola,
            _ => return None,
        })
    }
}

/// Below this resolution a scan is scaled up to [`TARGET_DPI`].
const LOW_DPI: u32 = 150;
/// The resolution Tesseract's models work best at.
const TARGET_DPI: u32 = 300;
/// Upscaling never makes a page larger than this many pixels.
const MAX_SCALED_PIXELS: u64 = 80_000_000;

/// Steps on top of a [`Preprocess`] mode (none of them runs in mode `none`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Steps {
    /// Seal inks to lighten on colour pages while they are turned grey (default: red).
    pub seals: Inks,
    /// Whiten black margins (default: off; it did not help on the dev corpus as a whole).
    pub borders: bool,
}

impl Default for Steps {
    fn default() -> Self {
        Steps { seals: Inks::RED, borders: false }
    }
}

/// What preprocessing did to one page (for tests and measurements).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Report {
    /// Scale factor applied.
    pub scale: f32,
    /// Skew angle corrected, in degrees (0 when none was found).
    pub skew: f32,
    /// Pixels of black margin whitened.
    pub border: u64,
}

/// Preprocessing of pages in one mode.
#[derive(Debug, Clone, Copy)]
pub struct Preprocessor {
    mode: Preprocess,
    steps: Steps,
}

impl Preprocessor {
    /// Preprocessing in `mode`, with the default steps.
    pub fn new(mode: Preprocess) -> Preprocessor {
        Preprocessor::with_steps(mode, Steps::default())
    }

    /// Preprocessing in `mode` with `steps`.
    pub fn with_steps(mode: Preprocess, steps: Steps) -> Preprocessor {
        Preprocessor { mode, steps }
    }

    /// Applies the steps of the mode to one page.
    pub fn apply(&mut self, img: PageImage) -> PageImage {
        self.apply_report(img).0
    }

    /// Applies the steps and says what they did. The page comes out grey.
    pub fn apply_report(&mut self, img: PageImage) -> (PageImage, Report) {
        let (out, _, report) = self.run(img, false);
        (out, report)
    }

    /// Applies the steps, and also gives the page as scanned (colour kept, no seal removal or
    /// background normalisation) with the same geometry as the page to recognise (scaled and
    /// deskewed alike): what a searchable PDF shows. `None` when it cannot be made.
    pub fn apply_shown(&mut self, img: PageImage) -> (PageImage, Option<Pix>) {
        let (out, shown, _) = self.run(img, true);
        (out, shown)
    }

    fn run(&mut self, img: PageImage, keep_shown: bool) -> (PageImage, Option<Pix>, Report) {
        let mut report = Report { scale: 1.0, ..Report::default() };
        let mut shown = if keep_shown { Pix::from_page(&img) } else { None };
        if self.mode == Preprocess::None {
            return (img.into_grey(), shown, report);
        }
        let mut img = seal::grey_without(img, self.steps.seals);
        if self.steps.borders {
            report.border = border::remove(&mut img);
        }
        let Some(mut pix) = Pix::from_grey(&img) else { return (img, shown, report) };
        let mut dpi = img.dpi;
        if dpi < LOW_DPI && dpi > 0 {
            let f = TARGET_DPI as f32 / dpi as f32;
            let (w, h, _) = pix.dims();
            let scaled = (w as f64 * f as f64) * (h as f64 * f as f64);
            if scaled <= MAX_SCALED_PIXELS as f64 {
                if let Some(p) = pix.scale(f) {
                    pix = p;
                    dpi = TARGET_DPI;
                    report.scale = f;
                    shown = shown.and_then(|s| s.scale(f));
                }
            }
        }
        if let Some((angle, conf)) = pix.find_skew() {
            report.skew = angle;
            if skew_worth_correcting(angle, conf) {
                if let Some(p) = pix.rotate(angle) {
                    pix = p;
                    shown = shown.and_then(|s| s.rotate(angle));
                }
            }
        }
        match self.mode {
            Preprocess::Auto => {
                if let Some(p) = pix.normalize_background() {
                    pix = p;
                }
            }
            Preprocess::Sauvola => {
                if let Some(p) = pix.sauvola() {
                    pix = p;
                }
            }
            Preprocess::None | Preprocess::Deskew => {}
        }
        match pix.to_grey(dpi) {
            Some(out) => (out, shown, report),
            None => (img, None, Report { scale: 1.0, border: report.border, ..Report::default() }),
        }
    }
}

/// Applies `mode` to one page.
pub fn apply(img: PageImage, mode: Preprocess) -> PageImage {
    Preprocessor::new(mode).apply(img)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(w: u32, h: u32, dpi: u32) -> PageImage {
        PageImage::grey(w, h, vec![255; (w * h) as usize], dpi)
    }

    #[test]
    fn none_leaves_the_page_alone() {
        let p = apply(page(20, 10, 100), Preprocess::None);
        assert_eq!((p.width, p.height, p.dpi), (20, 10, 100));
    }

    #[test]
    fn low_resolution_pages_are_scaled_to_300_dpi() {
        let (p, r) = Preprocessor::new(Preprocess::Auto).apply_report(page(200, 100, 100));
        assert_eq!((p.width, p.height, p.dpi), (600, 300, 300));
        assert_eq!(r.scale, 3.0);
        let p = apply(page(200, 100, 200), Preprocess::Auto);
        assert_eq!((p.width, p.height, p.dpi), (200, 100, 200));
    }

    /// The sample công văn turned by `deg` degrees (nearest neighbour, white corners).
    fn skewed_sample(deg: f32) -> PageImage {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/cong-van.jpg");
        let g = image::open(path).expect("sample").to_luma8();
        let (w, h) = g.dimensions();
        let (s, c) = deg.to_radians().sin_cos();
        let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
        let mut pixels = Vec::with_capacity((w * h) as usize);
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                let (sx, sy) = (c * dx - s * dy + cx, s * dx + c * dy + cy);
                let inside = sx >= 0.0 && sy >= 0.0 && (sx as u32) < w && (sy as u32) < h;
                pixels.push(if inside { g.get_pixel(sx as u32, sy as u32)[0] } else { 255 });
            }
        }
        PageImage::grey(w, h, pixels, 200)
    }

    #[test]
    fn a_3_degree_skew_is_measured_and_corrected() {
        // The sample itself is skewed by about half a degree: compare with it.
        let (_, r0) = Preprocessor::new(Preprocess::Deskew).apply_report(skewed_sample(0.0));
        let (_, r3) = Preprocessor::new(Preprocess::Deskew).apply_report(skewed_sample(3.0));
        assert!(r0.skew.abs() < 1.0, "sample skew {}", r0.skew);
        assert!(((r3.skew - r0.skew).abs() - 3.0).abs() < 0.2, "skew found {} (sample {})", r3.skew, r0.skew);
        // After correction, no skew is left.
        let (fixed, _) = Preprocessor::new(Preprocess::Deskew).apply_report(skewed_sample(3.0));
        let (_, again) = Preprocessor::new(Preprocess::Deskew).apply_report(fixed);
        assert!(again.skew.abs() < 0.3, "left after deskew {}", again.skew);
    }

    #[test]
    fn the_shown_page_keeps_its_colour_and_follows_the_geometry() {
        // A colour page at 100 dpi: scaled to 300 dpi for OCR, and so is the shown page.
        let px = (0..200 * 100).flat_map(|i| if i % 7 == 0 { [200, 30, 40] } else { [250, 250, 250] });
        let colour = PageImage::rgb(200, 100, px.collect(), 100);
        let (ocr, shown) = Preprocessor::new(Preprocess::Auto).apply_shown(colour.clone());
        let shown = shown.expect("shown page");
        assert!(ocr.is_grey());
        assert_eq!(shown.dims(), (ocr.width, ocr.height, 32));
        // Without preprocessing: the page as loaded.
        let (ocr, shown) = Preprocessor::new(Preprocess::None).apply_shown(colour);
        assert_eq!(shown.unwrap().dims(), (ocr.width, ocr.height, 32));
        // A skewed grey page: the shown page is turned by the same angle as the OCR page.
        let page = skewed_sample(3.0);
        let original = Pix::from_grey(&page).unwrap().to_grey(200).unwrap();
        let (ocr, shown) = Preprocessor::new(Preprocess::Deskew).apply_shown(page);
        let shown = shown.unwrap().to_grey(200).unwrap();
        assert_eq!((shown.width, shown.height), (ocr.width, ocr.height));
        assert_ne!(shown.pixels, original.pixels, "the shown page was deskewed");
        // Deskew alone changes no grey level much: the shown page is the OCR page.
        let diff = shown.pixels.iter().zip(&ocr.pixels).filter(|(a, b)| a.abs_diff(**b) > 8).count();
        assert!(diff * 1000 < ocr.pixels.len(), "{diff} pixels differ");
    }

    #[test]
    fn modes_parse() {
        assert_eq!(Preprocess::parse("auto"), Some(Preprocess::Auto));
        assert_eq!(Preprocess::parse("sauvola"), Some(Preprocess::Sauvola));
        assert_eq!(Preprocess::parse("x"), None);
    }
}
