//! Standalone JPEG 2000 files (JP2 container or raw codestream), decoded with `hayro-jpeg2000`
//! (the decoder hayro uses for JPX images inside PDFs). The size is checked from the header
//! before decoding; a crash in the decoder is an error for the file.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use hayro_jpeg2000::{ColorSpace, DecodeSettings, DecoderContext, Image};

use super::{io_error, Limits, DEFAULT_DPI};
use crate::error::{ErrorKind, FileError};
use crate::page::PageImage;

/// Checks that the file is a JPEG 2000 image within the limits (one page).
pub(crate) fn check(path: &Path, limits: &Limits) -> Result<(), FileError> {
    let data = std::fs::read(path).map_err(|e| io_error(&e))?;
    guard(|| header(&data, limits).map(|_| ()))
}

/// Decodes a JPEG 2000 image (grey, or RGB for colour).
pub(crate) fn load(path: &Path, limits: &Limits) -> Result<PageImage, FileError> {
    let data = std::fs::read(path).map_err(|e| io_error(&e))?;
    guard(|| decode(&data, limits))
}

fn header<'a>(data: &'a [u8], limits: &Limits) -> Result<Image<'a>, FileError> {
    let img = Image::new(data, &DecodeSettings::default()).map_err(|e| {
        FileError::new(
            ErrorKind::Unreadable,
            format!("the JPEG 2000 image is damaged ({e:?}); rescan the page"),
        )
    })?;
    let px = img.width() as u64 * img.height() as u64;
    if px > limits.max_pixels {
        return Err(FileError::new(
            ErrorKind::TooLarge,
            format!(
                "the image is {} × {} pixels, over the limit of {} megapixels; raise --max-pixels if it really is that big",
                img.width(),
                img.height(),
                limits.max_pixels / 1_000_000
            ),
        ));
    }
    Ok(img)
}

fn decode(data: &[u8], limits: &Limits) -> Result<PageImage, FileError> {
    let img = header(data, limits)?;
    let (width, height) = (img.width(), img.height());
    let channels = img.color_space().num_channels() as usize + usize::from(img.has_alpha());
    let space = img.color_space().clone();
    let mut ctx = DecoderContext::default();
    let decoded = img.decode(&mut ctx).map_err(|e| {
        FileError::new(
            ErrorKind::Unreadable,
            format!("the JPEG 2000 image cannot be decoded ({e:?}); rescan the page"),
        )
    })?;
    let raw = decoded.data_u8();
    let n = width as usize * height as usize;
    if channels == 0 || raw.len() < n * channels {
        return Err(FileError::new(
            ErrorKind::Unreadable,
            "the JPEG 2000 image is incomplete; rescan the page",
        ));
    }
    let px = raw.chunks_exact(channels).take(n);
    let cmyk = matches!(space, ColorSpace::CMYK) && channels >= 4;
    if cmyk || channels >= 3 {
        let mut pixels = Vec::with_capacity(n * 3);
        for p in px {
            if cmyk {
                let k = 255 - p[3] as u32;
                pixels.extend([p[0], p[1], p[2]].map(|c| ((255 - c as u32) * k / 255) as u8));
            } else {
                pixels.extend_from_slice(&p[..3]);
            }
        }
        return Ok(PageImage::rgb(width, height, pixels, DEFAULT_DPI));
    }
    let pixels = px.map(|p| p[0]).collect();
    Ok(PageImage::grey(width, height, pixels, DEFAULT_DPI))
}

fn guard<T>(f: impl FnOnce() -> Result<T, FileError>) -> Result<T, FileError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(FileError::new(
            ErrorKind::Unreadable,
            "the JPEG 2000 decoder crashed on this file; it is probably damaged — rescan the page",
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let limits = Limits::default();
        for data in [&b"\0\0\0\x0cjP  \r\n\x87\n"[..], &[0xFF, 0x4F, 0xFF, 0x51, 0, 0], b""] {
            assert_eq!(guard(|| decode(data, &limits)).unwrap_err().kind, ErrorKind::Unreadable);
        }
    }
}
