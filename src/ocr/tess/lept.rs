//! A safe owner of leptonica `PIX` images and the few leptonica operations preprocessing uses.
//!
//! Every function takes and returns owned [`Pix`] values; a null from leptonica becomes `None`.
//! Grey pixels go in and come out through [`Pix::from_grey`] and [`Pix::to_grey`].

use std::ptr::NonNull;

use leptonica_sys as lept;

use crate::page::PageImage;

/// An owned leptonica image, destroyed on drop.
pub struct Pix(NonNull<lept::Pix>);

/// Leptonica prints warnings ("max found at sweep edge") on stderr; the library must not print.
fn silence() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: setMsgSeverity only stores the global message level; it has no other effect.
    ONCE.call_once(|| unsafe {
        lept::setMsgSeverity(lept::L_SEVERITY_NONE as i32);
    });
}

// SAFETY: a PIX has no thread affinity; `Pix` owns its reference exclusively and is not `Sync`.
unsafe impl Send for Pix {}

impl Drop for Pix {
    fn drop(&mut self) {
        let mut p = self.0.as_ptr();
        // SAFETY: we own one reference to a valid PIX; pixDestroy releases it and nulls `p`.
        unsafe { lept::pixDestroy(&mut p) };
    }
}

impl Pix {
    fn wrap(p: *mut lept::Pix) -> Option<Pix> {
        NonNull::new(p).map(Pix)
    }

    /// The raw pointer, for other calls inside `tess`.
    pub(super) fn as_ptr(&self) -> *mut lept::Pix {
        self.0.as_ptr()
    }

    /// An 8-bit grey PIX holding a copy of `img` (colour pages in luma), with its resolution.
    pub fn from_grey(img: &PageImage) -> Option<Pix> {
        silence();
        let img = img.to_grey();
        let (w, h) = (img.width as usize, img.height as usize);
        if w == 0 || h == 0 || w > i32::MAX as usize / 4 || h > i32::MAX as usize {
            return None;
        }
        if img.pixels.len() < w.checked_mul(h)? {
            return None;
        }
        // SAFETY: positive dimensions (checked); null is handled.
        let pix = Pix::wrap(unsafe { lept::pixCreate(w as i32, h as i32, 8) })?;
        // SAFETY: valid PIX.
        let wpl = unsafe { lept::pixGetWpl(pix.as_ptr()) } as usize;
        // SAFETY: valid PIX; its data holds h rows of wpl 32-bit words (wpl*4 >= w bytes).
        let data = unsafe { lept::pixGetData(pix.as_ptr()) };
        if data.is_null() || wpl * 4 < w {
            return None;
        }
        // SAFETY: `data` points to h*wpl words owned by `pix`, which outlives this slice and is
        // not accessed otherwise meanwhile.
        let words = unsafe { std::slice::from_raw_parts_mut(data, h * wpl) };
        for (y, row) in img.pixels.chunks_exact(w).take(h).enumerate() {
            let dst = &mut words[y * wpl..(y + 1) * wpl];
            // leptonica stores pixel 0 of a word in its most significant byte.
            for (word, px) in dst.iter_mut().zip(row.chunks(4)) {
                *word = match *px {
                    [a, b, c, d] => u32::from_be_bytes([a, b, c, d]),
                    _ => {
                        let mut b = [255u8; 4];
                        b[..px.len()].copy_from_slice(px);
                        u32::from_be_bytes(b)
                    }
                };
            }
        }
        let dpi = img.dpi.min(i32::MAX as u32) as i32;
        // SAFETY: valid PIX.
        unsafe { lept::pixSetResolution(pix.as_ptr(), dpi, dpi) };
        Some(pix)
    }

    /// A PIX holding a copy of `img` as it is: 8-bit grey, or 32-bit RGB for a colour page.
    pub fn from_page(img: &PageImage) -> Option<Pix> {
        if img.is_grey() {
            return Pix::from_grey(img);
        }
        silence();
        let (w, h) = (img.width as usize, img.height as usize);
        if w == 0 || h == 0 || w > i32::MAX as usize / 4 || h > i32::MAX as usize {
            return None;
        }
        if img.pixels.len() < w.checked_mul(h)?.checked_mul(3)? {
            return None;
        }
        // SAFETY: positive dimensions (checked); null is handled.
        let pix = Pix::wrap(unsafe { lept::pixCreate(w as i32, h as i32, 32) })?;
        // SAFETY: valid PIX.
        let wpl = unsafe { lept::pixGetWpl(pix.as_ptr()) } as usize;
        // SAFETY: valid PIX; its data holds h rows of wpl 32-bit words, one a pixel (wpl >= w).
        let data = unsafe { lept::pixGetData(pix.as_ptr()) };
        if data.is_null() || wpl < w {
            return None;
        }
        // SAFETY: `data` points to h*wpl words owned by `pix`, which outlives this slice and is
        // not accessed otherwise meanwhile.
        let words = unsafe { std::slice::from_raw_parts_mut(data, h * wpl) };
        for (y, row) in img.pixels.chunks_exact(w * 3).take(h).enumerate() {
            // leptonica's RGB word: red in the most significant byte, then green, blue, alpha.
            for (word, px) in words[y * wpl..y * wpl + w].iter_mut().zip(row.chunks_exact(3)) {
                *word = u32::from_be_bytes([px[0], px[1], px[2], 255]);
            }
        }
        let dpi = img.dpi.min(i32::MAX as u32) as i32;
        // SAFETY: valid PIX; 3 samples a pixel is what the data holds.
        unsafe {
            lept::pixSetSpp(pix.as_ptr(), 3);
            lept::pixSetResolution(pix.as_ptr(), dpi, dpi);
        }
        Some(pix)
    }

    /// Another reference to the same image (leptonica's reference count), for Tesseract to own.
    pub(super) fn clone_ref(&self) -> Option<Pix> {
        // SAFETY: valid PIX; pixClone returns the same PIX with its count raised, or null.
        Pix::wrap(unsafe { lept::pixClone(self.as_ptr()) })
    }

    /// Releases this reference to the caller (who must destroy it).
    pub(super) fn into_raw(self) -> *mut lept::Pix {
        let p = self.as_ptr();
        std::mem::forget(self);
        p
    }

    /// Width, height and depth in bits.
    pub fn dims(&self) -> (u32, u32, u32) {
        // SAFETY: valid PIX.
        unsafe {
            (
                lept::pixGetWidth(self.as_ptr()).max(0) as u32,
                lept::pixGetHeight(self.as_ptr()).max(0) as u32,
                lept::pixGetDepth(self.as_ptr()).max(0) as u32,
            )
        }
    }

    /// The pixels as 8-bit grey (converting 1-bit or colour images).
    pub fn to_grey(&self, dpi: u32) -> Option<PageImage> {
        let (_, _, d) = self.dims();
        let owned;
        let pix = if d == 8 {
            self
        } else {
            // SAFETY: valid PIX; returns a new PIX or null (handled).
            owned = Pix::wrap(unsafe { lept::pixConvertTo8(self.as_ptr(), 0) })?;
            &owned
        };
        let (w, h, d) = pix.dims();
        if d != 8 || w == 0 || h == 0 {
            return None;
        }
        let (w, h) = (w as usize, h as usize);
        // SAFETY: valid 8-bit PIX.
        let wpl = unsafe { lept::pixGetWpl(pix.as_ptr()) } as usize;
        // SAFETY: as above.
        let data = unsafe { lept::pixGetData(pix.as_ptr()) };
        if data.is_null() || wpl * 4 < w {
            return None;
        }
        // SAFETY: h rows of wpl words owned by `pix`, alive for this function.
        let words = unsafe { std::slice::from_raw_parts(data, h * wpl) };
        let mut pixels = Vec::with_capacity(w * h);
        for y in 0..h {
            let row = &words[y * wpl..(y + 1) * wpl];
            pixels.extend(row.iter().flat_map(|wd| wd.to_be_bytes()).take(w));
        }
        Some(PageImage::grey(w as u32, h as u32, pixels, dpi))
    }

    /// Turned clockwise by `quads` quarter turns.
    pub fn rotate_orth(&self, quads: u32) -> Option<Pix> {
        // SAFETY: valid PIX; quads in 0..4; null handled.
        Pix::wrap(unsafe { lept::pixRotateOrth(self.as_ptr(), (quads % 4) as i32) })
    }

    /// Measures the skew as leptonica's `pixFindSkewAndDeskew` does (binarised at 130, sweep
    /// and binary search): the angle to turn by, in degrees, and the confidence. `None` when no
    /// angle can be measured (e.g. a blank page). Deskewing is [`Pix::rotate`] by this angle when
    /// [`skew_worth_correcting`]; in two steps so that another image of the page (the one a PDF
    /// shows) can be turned by the same angle.
    pub fn find_skew(&self) -> Option<(f32, f32)> {
        // SAFETY: valid PIX of any depth; a new 1-bit PIX or null (handled).
        let bin = Pix::wrap(unsafe { lept::pixConvertTo1(self.as_ptr(), 130) })?;
        let (mut angle, mut conf) = (0f32, 0f32);
        // SAFETY: valid 1-bit PIX; the out-pointers are valid locals.
        let rc = unsafe { lept::pixFindSkew(bin.as_ptr(), &mut angle, &mut conf) };
        (rc == 0 && angle.is_finite() && conf.is_finite()).then_some((angle, conf))
    }

    /// Turned by `deg` degrees (clockwise positive) about the centre, same size, white brought in.
    pub fn rotate(&self, deg: f32) -> Option<Pix> {
        if !deg.is_finite() {
            return None;
        }
        // As leptonica's deskew computes it (a float), for the same result.
        let deg2rad = (std::f64::consts::PI / 180.0) as f32;
        // SAFETY: valid PIX; a finite angle; 0 width/height keep the size; null handled.
        Pix::wrap(unsafe {
            lept::pixRotate(
                self.as_ptr(),
                deg2rad * deg,
                lept::L_ROTATE_AREA_MAP as i32,
                lept::L_BRING_IN_WHITE as i32,
                0,
                0,
            )
        })
    }

    /// Scaled by `f` (linear interpolation for grey images).
    pub fn scale(&self, f: f32) -> Option<Pix> {
        if !(f.is_finite() && f > 0.0 && f <= 8.0) {
            return None;
        }
        // SAFETY: valid PIX, sane factor; null handled.
        Pix::wrap(unsafe { lept::pixScale(self.as_ptr(), f, f) })
    }

    /// Evens out the background (uneven lighting, yellowed paper): leptonica's background
    /// normalisation to a white background. Needs an 8-bit image.
    pub fn normalize_background(&self) -> Option<Pix> {
        // SAFETY: valid PIX; null masks are allowed; null result handled.
        Pix::wrap(unsafe {
            lept::pixBackgroundNormSimple(self.as_ptr(), std::ptr::null_mut(), std::ptr::null_mut())
        })
    }

    /// Sauvola local binarisation (1-bit result), for uneven lighting. Needs an 8-bit image.
    pub fn sauvola(&self) -> Option<Pix> {
        let (w, h, d) = self.dims();
        if d != 8 {
            return None;
        }
        let mut out: *mut lept::Pix = std::ptr::null_mut();
        let (nx, ny) = ((w / 1000).max(1) as i32, (h / 1000).max(1) as i32);
        // SAFETY: valid 8-bit PIX; `out` is a valid out-pointer; the threshold out-pointer may be
        // null; a non-zero return or null result is handled.
        let rc = unsafe {
            lept::pixSauvolaBinarizeTiled(self.as_ptr(), 25, 0.34, nx, ny, std::ptr::null_mut(), &mut out)
        };
        let pix = Pix::wrap(out);
        if rc != 0 {
            return None;
        }
        pix
    }
}

/// Whether a measured skew is turned away: leptonica's thresholds (at least 0.1°, and a
/// confidence of at least 3).
pub fn skew_worth_correcting(angle: f32, conf: f32) -> bool {
    angle.abs() >= 0.1 && conf >= 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(w: u32, h: u32) -> PageImage {
        let pixels = (0..w * h).map(|i| (i % 251) as u8).collect();
        PageImage::grey(w, h, pixels, 200)
    }

    #[test]
    fn grey_round_trip_keeps_pixels() {
        let a = img(13, 7);
        let p = Pix::from_grey(&a).unwrap();
        assert_eq!(p.dims(), (13, 7, 8));
        let b = p.to_grey(200).unwrap();
        assert_eq!(a.pixels, b.pixels);
    }

    #[test]
    fn quarter_turn_swaps_dimensions_and_moves_pixels() {
        let mut a = PageImage::grey(3, 2, vec![255; 6], 300);
        a.pixels[0] = 0; // top-left black
        let r = Pix::from_grey(&a).unwrap().rotate_orth(1).unwrap().to_grey(300).unwrap();
        assert_eq!((r.width, r.height), (2, 3));
        // Turned clockwise, the top-left pixel goes to the top-right.
        assert_eq!(r.pixels[1], 0);
        assert_eq!(r.pixels.iter().filter(|&&p| p == 0).count(), 1);
    }

    #[test]
    fn colour_pages_become_32_bit_pixes() {
        let a = PageImage::rgb(3, 1, vec![255, 0, 0, 0, 255, 0, 0, 0, 255], 300);
        let p = Pix::from_page(&a).unwrap();
        assert_eq!(p.dims(), (3, 1, 32));
        // In grey: luma of red, green, blue.
        let g = p.to_grey(300).unwrap();
        assert_eq!(g.pixels.len(), 3);
        assert!(g.pixels[1] > g.pixels[0] && g.pixels[0] > g.pixels[2], "{:?}", g.pixels);
        assert!(Pix::from_page(&PageImage::rgb(3, 1, vec![0; 8], 300)).is_none());
        assert_eq!(Pix::from_page(&img(4, 4)).unwrap().dims(), (4, 4, 8));
    }

    #[test]
    fn bad_images_are_refused() {
        let a = PageImage::grey(10, 10, vec![0; 5], 300);
        assert!(Pix::from_grey(&a).is_none());
        assert!(Pix::from_grey(&img(4, 4)).unwrap().scale(f32::NAN).is_none());
    }
}
