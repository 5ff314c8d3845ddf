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

/// Decodes the image upright: grey pixels, or RGB for a colour image (seal removal needs the colour).
pub(super) fn load(path: &Path, format: Format, limits: &Limits) -> Result<PageImage, FileError> {
    check(path, format, limits)?;
    let mut dec = reader(path, format, limits)?.into_decoder().map_err(|e| decode_error(format, e))?;
    let orientation = dec.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = image::DynamicImage::from_decoder(dec).map_err(|e| decode_error(format, e))?;
    img.apply_orientation(orientation);
    let dpi = dpi::read(path, format).unwrap_or(DEFAULT_DPI);
    if img.color().has_color() {
        let rgb = img.into_rgb8();
        let (width, height) = rgb.dimensions();
        Ok(PageImage::rgb(width, height, rgb.into_raw(), dpi))
    } else {
        let gray = img.into_luma8();
        let (width, height) = gray.dimensions();
        Ok(PageImage::grey(width, height, gray.into_raw(), dpi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Color;

    #[test]
    fn colour_images_keep_their_colour_and_grey_ones_stay_grey() {
        let dir = tempfile::tempdir().unwrap();
        let (c, g) = (dir.path().join("c.png"), dir.path().join("g.png"));
        image::RgbImage::from_raw(2, 1, vec![220, 40, 50, 0, 0, 0]).unwrap().save(&c).unwrap();
        image::GrayImage::from_raw(2, 1, vec![9, 200]).unwrap().save(&g).unwrap();
        let limits = Limits::default();
        let ci = load(&c, Format::Png, &limits).unwrap();
        assert_eq!((ci.color, ci.pixels.len()), (Color::Rgb, 6));
        let gi = load(&g, Format::Png, &limits).unwrap();
        assert_eq!((gi.color, gi.pixels), (Color::Grey, vec![9, 200]));
    }
}
