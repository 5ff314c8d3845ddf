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
        TextPage { width: 0, height: 0, lines, confidence: 1.0, source: TextSource::Embedded, word_count }
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

/// Decoded pixels of one page, ready for OCR: 8-bit grey, row-major, no padding.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` grey levels, 0 black … 255 white.
    pub pixels: Vec<u8>,
    /// Resolution in dots per inch, as recorded in the file or assumed.
    pub dpi: u32,
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
    fn bbox_union() {
        let a = BBox { x0: 0, y0: 5, x1: 10, y1: 20 };
        let b = BBox { x0: 5, y0: 0, x1: 30, y1: 10 };
        assert_eq!(a.union(&b), BBox { x0: 0, y0: 0, x1: 30, y1: 20 });
        assert_eq!(a.cx(), 5);
    }
}
