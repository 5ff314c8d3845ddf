//! TIFF: single and multi-page, uncompressed, LZW, Deflate, PackBits, JPEG-in-TIFF and CCITT
//! Group 4 (bilevel fax), through the `tiff` crate (the `image` crate reads only a first page).

use std::io::BufReader;
use std::path::Path;

use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;
use tiff::ColorType;

use super::image::check_size;
use super::{dpi, io_error, Limits, DEFAULT_DPI};
use crate::error::{ErrorKind, FileError};
use crate::page::{Color, PageImage};

type Dec = Decoder<BufReader<std::fs::File>>;

fn decoder(path: &Path, limits: &Limits) -> Result<Dec, FileError> {
    let f = std::fs::File::open(path).map_err(|e| io_error(&e))?;
    let mut l = tiff::decoder::Limits::default();
    l.decoding_buffer_size = usize::try_from(limits.max_pixels.saturating_mul(8)).unwrap_or(usize::MAX);
    l.intermediate_buffer_size = l.decoding_buffer_size;
    Decoder::new(BufReader::new(f)).map(|d| d.with_limits(l)).map_err(tiff_error)
}

fn tiff_error(e: tiff::TiffError) -> FileError {
    match e {
        tiff::TiffError::LimitsExceeded => FileError::new(
            ErrorKind::TooLarge,
            "the TIFF page is larger than the pixel limit; raise --max-pixels if it is genuine",
        ),
        tiff::TiffError::UnsupportedError(u) => FileError::new(
            ErrorKind::Unsupported,
            format!("this TIFF variant is not supported ({u}); convert it to PNG or an uncompressed TIFF"),
        ),
        tiff::TiffError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => FileError::new(
            ErrorKind::Unreadable,
            "the TIFF file is cut short (truncated); copy or scan it again",
        ),
        e => FileError::new(
            ErrorKind::Unreadable,
            format!("not a readable TIFF ({e}); the file is probably damaged"),
        ),
    }
}

/// Counts the pages (image directories) without decoding them.
pub(super) fn count(path: &Path, limits: &Limits) -> Result<u32, FileError> {
    let mut d = decoder(path, limits)?;
    let mut n = 1u32;
    let (w, h) = d.dimensions().map_err(tiff_error)?;
    check_size(w, h, limits)?;
    while d.more_images() {
        d.next_image().map_err(tiff_error)?;
        n += 1;
        if n > limits.max_pages {
            break;
        }
    }
    Ok(n)
}

/// Decodes page `index` (0-based): grey, or RGB for colour pages.
pub(super) fn load(path: &Path, index: u32, limits: &Limits) -> Result<PageImage, FileError> {
    let mut d = decoder(path, limits)?;
    if index > 0 {
        d.seek_to_image(index as usize).map_err(tiff_error)?;
    }
    let (w, h) = d.dimensions().map_err(tiff_error)?;
    check_size(w, h, limits)?;
    let color = d.colortype().map_err(tiff_error)?;
    let dpi = resolution(&mut d).unwrap_or(DEFAULT_DPI);
    let data = d.read_image().map_err(tiff_error)?;
    let (pixels, colour) = to_pixels(data, color, w as usize, h as usize)?;
    Ok(PageImage { width: w, height: h, pixels, dpi, color: colour })
}

fn resolution(d: &mut Dec) -> Option<u32> {
    let x = d.find_tag(Tag::XResolution).ok()??.into_f64().ok()?;
    let unit = d.find_tag_unsigned::<u16>(Tag::ResolutionUnit).ok().flatten().unwrap_or(2);
    dpi::plausible(if unit == 3 { x * 2.54 } else { x })
}

fn unsupported_color(c: ColorType) -> FileError {
    FileError::new(
        ErrorKind::Unsupported,
        format!("TIFF colour type {c:?} is not supported; convert the file to greyscale or RGB"),
    )
}

/// Converts decoded samples to 8-bit grey (0 black) or, for colour pages, 8-bit RGB.
fn to_pixels(
    data: DecodingResult,
    color: ColorType,
    w: usize,
    h: usize,
) -> Result<(Vec<u8>, Color), FileError> {
    let n = w * h;
    let short = || FileError::new(ErrorKind::Unreadable, "the TIFF page holds fewer pixels than it declares");
    let samples: Vec<u8> = match data {
        DecodingResult::U8(v) => v,
        // 16-bit: keep the high byte.
        DecodingResult::U16(v) => v.into_iter().map(|s| (s >> 8) as u8).collect(),
        _ => return Err(unsupported_color(color)),
    };
    let out = match color {
        ColorType::Gray(1) => {
            let stride = w.div_ceil(8);
            if samples.len() < stride * h {
                return Err(short());
            }
            let mut out = Vec::with_capacity(n);
            for row in samples.chunks(stride).take(h) {
                for x in 0..w {
                    let bit = (row[x / 8] >> (7 - (x % 8))) & 1;
                    out.push(if bit == 1 { 255 } else { 0 });
                }
            }
            out
        }
        ColorType::Gray(8) | ColorType::Gray(16) => {
            if samples.len() < n {
                return Err(short());
            }
            let mut s = samples;
            s.truncate(n);
            s
        }
        ColorType::GrayA(8) | ColorType::GrayA(16) => samples.chunks_exact(2).take(n).map(|p| p[0]).collect(),
        ColorType::RGB(8) | ColorType::RGB(16) | ColorType::YCbCr(8) => {
            return rgb(samples.chunks_exact(3).take(n).map(|p| [p[0], p[1], p[2]]), n)
        }
        ColorType::RGBA(8) | ColorType::RGBA(16) => {
            return rgb(samples.chunks_exact(4).take(n).map(|p| [p[0], p[1], p[2]]), n)
        }
        ColorType::CMYK(8) => {
            let cmyk = |p: &[u8]| {
                let k = 255 - p[3] as u32;
                [p[0], p[1], p[2]].map(|c| ((255 - c as u32) * k / 255) as u8)
            };
            return rgb(samples.chunks_exact(4).take(n).map(cmyk), n);
        }
        c => return Err(unsupported_color(c)),
    };
    if out.len() < n {
        return Err(short());
    }
    Ok((out, Color::Grey))
}

/// `n` RGB pixels, or an error when the page holds fewer.
fn rgb(px: impl Iterator<Item = [u8; 3]>, n: usize) -> Result<(Vec<u8>, Color), FileError> {
    let mut out = Vec::with_capacity(n * 3);
    px.for_each(|p| out.extend_from_slice(&p));
    if out.len() < n * 3 {
        return Err(FileError::new(
            ErrorKind::Unreadable,
            "the TIFF page holds fewer pixels than it declares",
        ));
    }
    Ok((out, Color::Rgb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilevel_rows_are_unpacked() {
        // 10 px wide, 2 rows: stride 2 bytes.
        let data = DecodingResult::U8(vec![0b1000_0000, 0b0100_0000, 0xFF, 0xFF]);
        let (g, c) = to_pixels(data, ColorType::Gray(1), 10, 2).unwrap();
        assert_eq!(c, Color::Grey);
        assert_eq!(&g[..10], &[255, 0, 0, 0, 0, 0, 0, 0, 0, 255]);
        assert!(g[10..].iter().all(|&p| p == 255));
    }

    #[test]
    fn colour_pages_keep_their_colour() {
        let data = DecodingResult::U8(vec![255, 0, 0, 0, 0, 255]);
        let (p, c) = to_pixels(data, ColorType::RGB(8), 2, 1).unwrap();
        assert_eq!((p, c), (vec![255, 0, 0, 0, 0, 255], Color::Rgb));
    }

    #[test]
    fn short_data_is_an_error() {
        let e = to_pixels(DecodingResult::U8(vec![1, 2]), ColorType::Gray(8), 3, 3).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unreadable);
        let e = to_pixels(DecodingResult::U8(vec![1, 2, 3]), ColorType::RGB(8), 2, 1).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unreadable);
    }
}
