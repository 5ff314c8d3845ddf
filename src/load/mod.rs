//! Document → pages: `pub fn open(input, limits) -> Result<Opened, FileError>` lists the pages of
//! a document without decoding them (and hashes its bytes for the id); `pub fn load_page(page,
//! limits) -> Result<LoadedPage, FileError>` decodes one page, so that pages, not files, are the
//! unit of parallel work and only the pages in flight are in memory.
//!
//! Formats are recognised by their content, not their name. Limits on pixels and pages are
//! checked from headers before anything large is allocated.

mod dpi;
mod image;
mod jp2;
mod legacy_vn;
mod pdf;
mod tiff;

pub use pdf::PdfText;

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::discover::Input;
use crate::error::{ErrorKind, FileError};
use crate::page::LoadedPage;

/// Resource limits applied before decoding (decompression bombs, runaway files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest page, in pixels (width × height).
    pub max_pixels: u64,
    /// Most pages in one document.
    pub max_pages: u32,
}

impl Default for Limits {
    fn default() -> Self {
        // 150 Mpx is an A0 sheet at 400 dpi; a grey page that size is 150 MB.
        Limits { max_pixels: 150_000_000, max_pages: 5_000 }
    }
}

/// The resolution assumed for pages whose file records none.
pub const DEFAULT_DPI: u32 = 300;

/// A file format sohoa knows by its signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PNG.
    Png,
    /// JPEG (JFIF/EXIF).
    Jpeg,
    /// TIFF, one or more pages.
    Tiff,
    /// Windows bitmap.
    Bmp,
    /// WebP.
    WebP,
    /// Netpbm (PBM/PGM/PPM).
    Pnm,
    /// PDF.
    Pdf,
    /// JPEG 2000 (JP2 or a raw codestream).
    Jpeg2000,
    /// GIF.
    Gif,
}

impl Format {
    /// A name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Tiff => "TIFF",
            Format::Bmp => "BMP",
            Format::WebP => "WebP",
            Format::Pnm => "PNM",
            Format::Pdf => "PDF",
            Format::Jpeg2000 => "JPEG 2000",
            Format::Gif => "GIF",
        }
    }
}

/// One page of a document: which file, and which page inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRef {
    /// The file holding the page.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// 0-based page (frame) index inside the file.
    pub index: u32,
    /// A resolution to use instead of the one in the file.
    pub dpi_override: Option<u32>,
}

/// A document whose bytes were read: its id, and its pages or why they cannot be listed.
#[derive(Debug, Clone)]
pub struct Opened {
    /// Lowercase hex SHA-256 of the file bytes (concatenated in page order for a group).
    pub id: String,
    /// The pages in order, or why the document cannot be read (the id is still known).
    pub pages: Result<Vec<PageRef>, FileError>,
}

/// Hashes the document's files and lists its pages. `Err` only when the bytes cannot be read.
pub fn open(input: &Input, limits: &Limits, dpi_override: Option<u32>) -> Result<Opened, FileError> {
    let mut hasher = Sha256::new();
    let mut heads = Vec::with_capacity(input.files.len());
    for path in &input.files {
        heads.push(hash_file(path, &mut hasher).map_err(|e| name_file(e, path, input))?);
    }
    let id = hex(&hasher.finalize());
    let pages = list_pages(input, &heads, limits, dpi_override);
    Ok(Opened { id, pages })
}

fn list_pages(
    input: &Input,
    heads: &[Vec<u8>],
    limits: &Limits,
    dpi_override: Option<u32>,
) -> Result<Vec<PageRef>, FileError> {
    let mut pages = Vec::new();
    for (path, head) in input.files.iter().zip(heads) {
        let format = sniff(head).map_err(|e| name_file(e, path, input))?;
        let n = page_count(path, format, limits).map_err(|e| name_file(e, path, input))?;
        if pages.len() as u64 + n as u64 > limits.max_pages as u64 {
            return Err(FileError::new(
                ErrorKind::TooLarge,
                format!(
                    "more than {} pages; raise --max-pages if this document is really that long",
                    limits.max_pages
                ),
            ));
        }
        pages.extend((0..n).map(|index| PageRef { path: path.clone(), format, index, dpi_override }));
    }
    if pages.is_empty() {
        return Err(FileError::new(ErrorKind::Empty, "the document has no pages"));
    }
    Ok(pages)
}

/// Decodes one page (PDF text layers used as with [`PdfText::Auto`]).
pub fn load_page(page: &PageRef, limits: &Limits) -> Result<LoadedPage, FileError> {
    load_page_with(page, limits, PdfText::Auto)
}

/// Decodes one page; `pdf_text` says how PDF text layers are used.
pub fn load_page_with(page: &PageRef, limits: &Limits, pdf_text: PdfText) -> Result<LoadedPage, FileError> {
    let img = match page.format {
        Format::Tiff => tiff::load(&page.path, page.index, limits)?,
        Format::Pdf => return pdf::load(&page.path, page.index, limits, pdf_text, page.dpi_override),
        Format::Jpeg2000 => jp2::load(&page.path, limits)?,
        Format::Gif => return Err(unsupported(page.format)),
        f => image::load(&page.path, f, limits)?,
    };
    let mut img = img;
    if let Some(d) = page.dpi_override {
        img.dpi = d;
    }
    Ok(LoadedPage::Image(img))
}

fn page_count(path: &Path, format: Format, limits: &Limits) -> Result<u32, FileError> {
    match format {
        Format::Tiff => tiff::count(path, limits),
        Format::Pdf => pdf::count(path, limits),
        Format::Jpeg2000 => jp2::check(path, limits).map(|_| 1),
        Format::Gif => Err(unsupported(format)),
        f => image::check(path, f, limits).map(|_| 1),
    }
}

fn unsupported(format: Format) -> FileError {
    FileError::new(
        ErrorKind::Unsupported,
        format!("{} files are not supported yet; convert the file to PDF, TIFF, PNG or JPEG", format.name()),
    )
}

/// For a group, says which page file the error is about.
fn name_file(e: FileError, path: &Path, input: &Input) -> FileError {
    if input.files.len() > 1 {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        FileError::new(e.kind, format!("{name}: {}", e.message))
    } else {
        e
    }
}

/// Streams the file into the hasher and returns its first bytes (for format sniffing).
fn hash_file(path: &Path, hasher: &mut Sha256) -> Result<Vec<u8>, FileError> {
    let mut f = std::fs::File::open(path).map_err(|e| io_error(&e))?;
    let mut head = Vec::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(&e)),
        };
        if head.len() < 1024 {
            let take = n.min(1024 - head.len());
            head.extend_from_slice(&buf[..take]);
        }
        hasher.update(&buf[..n]);
    }
    Ok(head)
}

pub(crate) fn io_error(e: &std::io::Error) -> FileError {
    match e.kind() {
        std::io::ErrorKind::NotFound => FileError::new(ErrorKind::Unreadable, "the file has disappeared"),
        std::io::ErrorKind::PermissionDenied => {
            FileError::new(ErrorKind::Unreadable, "permission denied; check the file's rights")
        }
        _ => FileError::new(ErrorKind::Unreadable, format!("cannot read the file: {e}")),
    }
}

/// Recognises a format from the first bytes of a file.
pub fn sniff(head: &[u8]) -> Result<Format, FileError> {
    let starts = |sig: &[u8]| head.starts_with(sig);
    if head.is_empty() {
        return Err(FileError::new(ErrorKind::Empty, "the file is empty (0 bytes); scan the page again"));
    }
    let f = if starts(b"\x89PNG\r\n\x1a\n") {
        Format::Png
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        Format::Jpeg
    } else if starts(b"II*\0") || starts(b"MM\0*") || starts(b"II+\0") || starts(b"MM\0+") {
        Format::Tiff
    } else if head.len() >= 12 && starts(b"RIFF") && &head[8..12] == b"WEBP" {
        Format::WebP
    } else if starts(b"BM") && head.len() >= 26 {
        Format::Bmp
    } else if starts(b"\0\0\0\x0cjP  \r\n\x87\n") || starts(&[0xFF, 0x4F, 0xFF, 0x51]) {
        Format::Jpeg2000
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Format::Gif
    } else if head.len() >= 3
        && head[0] == b'P'
        && (b'1'..=b'6').contains(&head[1])
        && head[2].is_ascii_whitespace()
    {
        Format::Pnm
    } else if head.windows(5).any(|w| w == b"%PDF-") {
        Format::Pdf
    } else if looks_like_text(head) {
        let what = if String::from_utf8_lossy(head).to_ascii_lowercase().contains("<html") {
            "an HTML page"
        } else {
            "a text file"
        };
        return Err(FileError::new(
            ErrorKind::Unreadable,
            format!("this is {what}, not a scan or a PDF (its name says otherwise); find the original file"),
        ));
    } else {
        return Err(FileError::new(
            ErrorKind::Unsupported,
            "not a format sohoa reads (PNG, JPEG, TIFF, BMP, WebP, PNM, PDF); convert it or find the original",
        ));
    };
    Ok(f)
}

fn looks_like_text(head: &[u8]) -> bool {
    let s: String = match std::str::from_utf8(head) {
        Ok(s) => s.to_string(),
        // A multi-byte character cut at the end of the sample is still text.
        Err(e) if e.valid_up_to() + 4 >= head.len() => {
            String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned()
        }
        Err(_) => return false,
    };
    !s.chars().any(|c| c.is_control() && !c.is_whitespace())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....").unwrap(), Format::Png);
        assert_eq!(sniff(b"II*\0abcd").unwrap(), Format::Tiff);
        assert_eq!(sniff(b"%PDF-1.7\n").unwrap(), Format::Pdf);
        assert_eq!(sniff(b"").unwrap_err().kind, ErrorKind::Empty);
        let e = sniff(b"<!DOCTYPE html><html><body>Quy\xe1\xba\xbft</body>").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unreadable);
        assert!(e.message.contains("HTML"), "{}", e.message);
        assert_eq!(sniff(&[0u8, 1, 2, 3, 250, 251]).unwrap_err().kind, ErrorKind::Unsupported);
    }

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(hex(&[0xAB, 0x01]), "ab01");
    }
}
