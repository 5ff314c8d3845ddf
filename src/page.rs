//! The data that flows between stages, page by page.
//!
//! `load` turns an input into [`PageImage`]s (pixels to OCR) or ready [`TextPage`]s (a PDF text
//! layer); `ocr` turns a [`PageImage`] into a [`TextPage`]; `extract` reads [`TextPage`]s.

/// A rectangle in page pixels, `x0,y0` top-left inclusive, `x1,y1` bottom-right exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct BBox {
    /// Left edge.
    pub x0: i32,
    /// Top edge.
    pub y0: i32,
    /// Right edge.
    pub x1: i32,
    /// Bottom edge.
    pub y1: i32,
}

impl BBox {
    /// Width in pixels (0 for an empty box).
    pub fn width(&self) -> i32 {
        (self.x1 - self.x0).max(0)
    }
    /// Height in pixels (0 for an empty box).
    pub fn height(&self) -> i32 {
        (self.y1 - self.y0).max(0)
    }
    /// Horizontal centre.
    pub fn cx(&self) -> i32 {
        (self.x0 + self.x1) / 2
    }
    /// Vertical centre.
    pub fn cy(&self) -> i32 {
        (self.y0 + self.y1) / 2
    }
    /// The smallest box holding both.
    pub fn union(&self, o: &BBox) -> BBox {
        BBox { x0: self.x0.min(o.x0), y0: self.y0.min(o.y0), x1: self.x1.max(o.x1), y1: self.y1.max(o.y1) }
    }
}

/// A recognised word.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Word {
    /// The word as recognised (NFC).
    pub text: String,
    /// Recognition confidence 0–1.
    pub conf: f32,
    /// Where it is on the page.
    pub bbox: BBox,
}

/// A line of text, with its words and position when known.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Line {
    /// The words joined by single spaces (NFC).
    pub text: String,
    /// The words with boxes; empty for text without layout (PDF text layer, plain text).
    pub words: Vec<Word>,
    /// The line's box; `None` for text without layout.
    pub bbox: Option<BBox>,
    /// Mean word confidence 0–1 (1.0 for text without OCR).
    pub conf: f32,
    /// The block (Tesseract's layout block) this line belongs to; 0 when unknown.
    pub block: u32,
}

impl Line {
    /// A line without layout information (plain text), confidence 1.0.
    pub fn plain(text: &str) -> Line {
        Line { text: text.to_string(), words: Vec::new(), bbox: None, conf: 1.0, block: 0 }
    }
}

/// How the text of a page was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextSource {
    /// Recognised by OCR.
    Ocr,
    /// Taken from a PDF text layer or a text file.
    Embedded,
}

/// The text of one page, lines in reading order.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TextPage {
    /// Page width in pixels (0 when unknown).
    pub width: u32,
    /// Page height in pixels (0 when unknown).
    pub height: u32,
    /// Lines in reading order.
    pub lines: Vec<Line>,
    /// Mean word confidence 0–1 (1.0 for embedded text; 0 for a page without words).
    pub confidence: f32,
    /// Where the text came from.
    pub source: TextSource,
    /// Number of words (the weight of this page in a document's mean confidence).
    pub word_count: usize,
    /// Red ink was seen where Decree 30/2020 puts the urgency and secrecy stamps ("HỎA TỐC",
    /// "MẬT": the left column under the agency block): a mark OCR may not have read.
    #[serde(default)]
    pub stamp_ink: bool,
}

impl TextPage {
    /// A page built from plain text (a PDF text layer or a text file): one [`Line`] per text line.
    pub fn from_plain(text: &str) -> TextPage {
        let lines: Vec<Line> = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .map(|l| Line::plain(&l))
            .collect();
        let word_count = lines.iter().map(|l| l.text.split(' ').count()).sum();
        TextPage {
            width: 0,
            height: 0,
            lines,
            confidence: 1.0,
            source: TextSource::Embedded,
            word_count,
            stamp_ink: false,
        }
    }

    /// The page text: lines joined by `\n`.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (i, l) in self.lines.iter().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            s.push_str(&l.text);
        }
        s
    }
}

/// How the pixels of a [`PageImage`] are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Color {
    /// One byte a pixel: grey level, 0 black … 255 white.
    #[default]
    Grey,
    /// Three bytes a pixel: red, green, blue. Kept for colour scans, so that preprocessing can
    /// tell a red seal from black text; OCR reads grey.
    Rgb,
}

impl Color {
    /// Bytes a pixel.
    pub fn channels(self) -> usize {
        match self {
            Color::Grey => 1,
            Color::Rgb => 3,
        }
    }
}

/// Decoded pixels of one page: 8-bit grey, or 8-bit RGB for colour scans; row-major, no padding.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * color.channels()` bytes: grey levels (0 black … 255 white), or R, G, B.
    pub pixels: Vec<u8>,
    /// Resolution in dots per inch, as recorded in the file or assumed.
    pub dpi: u32,
    /// How `pixels` are stored.
    pub color: Color,
}

/// The grey level of a colour pixel (ITU-R BT.601 luma, rounded).
pub fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((r as u32 * 299 + g as u32 * 587 + b as u32 * 114 + 500) / 1000) as u8
}

impl PageImage {
    /// A grey page.
    pub fn grey(width: u32, height: u32, pixels: Vec<u8>, dpi: u32) -> PageImage {
        PageImage { width, height, pixels, dpi, color: Color::Grey }
    }

    /// A colour page from R, G, B bytes.
    pub fn rgb(width: u32, height: u32, pixels: Vec<u8>, dpi: u32) -> PageImage {
        PageImage { width, height, pixels, dpi, color: Color::Rgb }
    }

    /// Whether the pixels are grey.
    pub fn is_grey(&self) -> bool {
        self.color == Color::Grey
    }

    /// The page in grey (luma of colour pixels); a grey page is returned as it is.
    pub fn into_grey(self) -> PageImage {
        self.into_grey_with(|p| luma(p[0], p[1], p[2]))
    }

    /// The page in grey, each colour pixel turned into a grey level by `f` (given `[r, g, b]`);
    /// a grey page is returned as it is.
    pub fn into_grey_with(self, f: impl Fn(&[u8]) -> u8) -> PageImage {
        match self.color {
            Color::Grey => self,
            Color::Rgb => {
                let pixels = self.pixels.chunks_exact(3).map(f).collect();
                PageImage::grey(self.width, self.height, pixels, self.dpi)
            }
        }
    }

    /// The page in grey, borrowed when it already is.
    pub fn to_grey(&self) -> std::borrow::Cow<'_, PageImage> {
        match self.color {
            Color::Grey => std::borrow::Cow::Borrowed(self),
            Color::Rgb => {
                let pixels = self.pixels.chunks_exact(3).map(|p| luma(p[0], p[1], p[2])).collect();
                std::borrow::Cow::Owned(PageImage::grey(self.width, self.height, pixels, self.dpi))
            }
        }
    }
}

/// What loading one page gives.
#[derive(Debug, Clone)]
pub enum LoadedPage {
    /// Pixels to recognise.
    Image(PageImage),
    /// Text that needs no OCR.
    Text(TextPage),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_pages_collapse_spaces_and_drop_blank_lines() {
        let p = TextPage::from_plain("QUYẾT  ĐỊNH\n\n  Về việc   abc \n");
        assert_eq!(p.text(), "QUYẾT ĐỊNH\nVề việc abc");
        assert_eq!(p.word_count, 5);
        assert_eq!(p.confidence, 1.0);
    }

    #[test]
    fn colour_pages_turn_grey_and_grey_pages_stay() {
        let c = PageImage::rgb(2, 1, vec![255, 255, 255, 0, 0, 0], 300);
        let g = c.to_grey();
        assert_eq!((g.pixels.as_slice(), g.color), (&[255u8, 0][..], Color::Grey));
        let g = PageImage::grey(2, 1, vec![7, 9], 300);
        assert!(matches!(g.to_grey(), std::borrow::Cow::Borrowed(_)));
        assert_eq!(g.into_grey().pixels, vec![7, 9]);
        assert_eq!(luma(255, 0, 0), 76);
    }

    #[test]
    fn bbox_union() {
        let a = BBox { x0: 0, y0: 5, x1: 10, y1: 20 };
        let b = BBox { x0: 5, y0: 0, x1: 30, y1: 10 };
        assert_eq!(a.union(&b), BBox { x0: 0, y0: 0, x1: 30, y1: 20 });
        assert_eq!(a.cx(), 5);
    }
}
