//! Single-image formats (PNG, JPEG, BMP, WebP, PNM) through the `image` crate, with its
//! allocation limits, EXIF orientation and the resolution recorded in the file.

use std::io::BufReader;
use std::path::Path;

use image::{ImageDecoder, ImageReader};

use super::{dpi, io_error, Format, Limits, DEFAULT_DPI};
use crate::error::{ErrorKind, FileError};
use crate::page::PageImage;

fn reader(
    path: &Path,
    format: Format,
    limits: &Limits,
) -> Result<ImageReader<BufReader<std::fs::File>>, FileError> {
    let f = std::fs::File::open(path).map_err(|e| io_error(&e))?;
    let mut r = ImageReader::new(BufReader::new(f));
    r.set_format(match format {
        Format::Png => image::ImageFormat::Png,
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Bmp => image::ImageFormat::Bmp,
        Format::WebP => image::ImageFormat::WebP,
        _ => image::ImageFormat::Pnm,
    });
    let mut l = image::Limits::default();
    // Decoding buffers: up to 8 bytes a pixel (RGBA 16-bit) for the largest page allowed.
    l.max_alloc = Some(limits.max_pixels.saturating_mul(8).max(1 << 20));
    r.limits(l);
    Ok(r)
}

fn decode_error(format: Format, e: image::ImageError) -> FileError {
    match e {
        image::ImageError::Limits(_) => too_large_msg(format!("{} image", format.name())),
        image::ImageError::Unsupported(u) => FileError::new(
            ErrorKind::Unsupported,
            format!("this {} variant is not supported ({u}); convert it to PNG or TIFF", format.name()),
        ),
        e => FileError::new(
            ErrorKind::Unreadable,
            format!(
                "not a readable {} image ({e}); the file is probably damaged or cut short",
                format.name()
            ),
        ),
    }
}

fn too_large_msg(what: String) -> FileError {
    FileError::new(
        ErrorKind::TooLarge,
        format!("the {what} is larger than the pixel limit; raise --max-pixels if it is genuine"),
    )
}

/// Checks the header: readable, and within the pixel limit.
pub(super) fn check(path: &Path, format: Format, limits: &Limits) -> Result<(), FileError> {
    let (w, h) = reader(path, format, limits)?.into_dimensions().map_err(|e| decode_error(format, e))?;
    check_size(w, h, limits)
}

pub(super) fn check_size(w: u32, h: u32, limits: &Limits) -> Result<(), FileError> {
    if w == 0 || h == 0 {
        return Err(FileError::new(ErrorKind::Empty, "the image has no pixels"));
    }
    if w as u64 * h as u64 > limits.max_pixels {
        return Err(FileError::new(
            ErrorKind::TooLarge,
            format!(
                "the page is {w}×{h} pixels, over the limit of {} Mpx; raise --max-pixels if it is genuine",
                limits.max_pixels / 1_000_000
            ),
        ));
    }
    Ok(())
}

/// Decodes the image to grey pixels, upright.
pub(super) fn load(path: &Path, format: Format, limits: &Limits) -> Result<PageImage, FileError> {
    check(path, format, limits)?;
    let mut dec = reader(path, format, limits)?.into_decoder().map_err(|e| decode_error(format, e))?;
    let orientation = dec.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = image::DynamicImage::from_decoder(dec).map_err(|e| decode_error(format, e))?;
    img.apply_orientation(orientation);
    let gray = img.into_luma8();
    let (width, height) = gray.dimensions();
    let dpi = dpi::read(path, format).unwrap_or(DEFAULT_DPI);
    Ok(PageImage { width, height, pixels: gray.into_raw(), dpi })
}
