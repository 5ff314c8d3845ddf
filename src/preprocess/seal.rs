//! Red seals (and red or blue signatures) on colour scans, taken out while the page is turned
//! grey.
//!
//! A Vietnamese administrative document carries the agency's red round seal, and often a
//! signature, over the signer's title and name. Turned grey by luma, red ink is a mid grey
//! (about 90 for a strong red) that Tesseract's binarisation takes for ink: the letters under the
//! seal merge with it. Here a strongly saturated pixel whose hue is red (or blue) gets its
//! *value* (its brightest channel) as grey level instead of its luma: red ink on white paper has a
//! bright red channel and turns light, while black text under the seal is dark in every channel
//! and stays dark. Between weak and strong saturation the grey level moves smoothly from luma to
//! value, so anti-aliased seal edges leave no ring. Grey, yellowed and black pixels (low
//! saturation, or another hue) keep their luma.

use crate::page::{luma, Color, PageImage};

/// Which inks are taken out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Inks {
    /// Red to magenta (seals, red signatures).
    pub red: bool,
    /// Blue (ballpoint signatures). Off by default: handwritten numbers and dates ("Số: 87")
    /// are often written in blue ink, and they are part of the record.
    pub blue: bool,
}

impl Inks {
    /// Red only: the seals.
    pub const RED: Inks = Inks { red: true, blue: false };
}

/// Saturation (chroma / value, in 1/255) below which a pixel keeps its luma.
const SAT_LOW: u32 = 64;
/// Saturation from which a pixel of a seal hue gets its full value.
const SAT_HIGH: u32 = 115;

/// The page in grey, with the seal inks of `inks` lightened; a grey page is returned unchanged.
pub fn grey_without(img: PageImage, inks: Inks) -> PageImage {
    if !(inks.red || inks.blue) {
        return img.into_grey();
    }
    img.into_grey_with(|p| grey_level(p[0], p[1], p[2], inks))
}

/// The share of strongly red pixels (seal ink) in a part of a colour page given as fractions of
/// its width and height; 0 for a grey page. Every other pixel of every other row is looked at.
pub fn red_share(img: &PageImage, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> f64 {
    if img.color != Color::Rgb {
        return 0.0;
    }
    let (w, h) = (img.width as usize, img.height as usize);
    let (cx0, cx1) = ((x0 * w as f64) as usize, ((x1 * w as f64) as usize).min(w));
    let (cy0, cy1) = ((y0 * h as f64) as usize, ((y1 * h as f64) as usize).min(h));
    let (mut red, mut n) = (0usize, 0usize);
    for y in (cy0..cy1).step_by(2) {
        let row = &img.pixels[y * w * 3..(y + 1) * w * 3];
        for x in (cx0..cx1).step_by(2) {
            let p = &row[x * 3..x * 3 + 3];
            let (max, min) = (p[0].max(p[1]).max(p[2]) as u32, p[0].min(p[1]).min(p[2]) as u32);
            n += 1;
            // Ink, not the colour fringes JPEG leaves around black letters: a strong chroma.
            let chroma = max - min;
            if chroma >= 64 && chroma * 255 >= SAT_HIGH * max && is_seal_hue(p[0], p[1], p[2], Inks::RED) {
                red += 1;
            }
        }
    }
    if n == 0 {
        0.0
    } else {
        red as f64 / n as f64
    }
}

/// Where Decree 30/2020 puts the urgency ("HỎA TỐC", "KHẨN") and secrecy ("MẬT") stamps on the
/// first page: the left half, under the agency block and above the body (the e-signature stamp
/// at the very top and the round seal at the bottom are outside it).
pub const MARK_ZONE: (f64, f64, f64, f64) = (0.0, 0.12, 0.5, 0.45);

/// Share of red pixels in [`MARK_ZONE`] from which a stamp is taken to be there (a stamp's frame
/// and letters; body text and handwriting in blue or black give none).
pub const MARK_INK: f64 = 0.002;

/// Whether a colour first page has red ink where urgency and secrecy stamps go.
pub fn stamp_ink(img: &PageImage) -> bool {
    red_share(img, MARK_ZONE) >= MARK_INK
}

/// The grey level of one colour pixel.
pub fn grey_level(r: u8, g: u8, b: u8, inks: Inks) -> u8 {
    let l = luma(r, g, b);
    let (max, min) = (r.max(g).max(b) as u32, r.min(g).min(b) as u32);
    let chroma = max - min;
    if max == 0 || chroma * 255 < SAT_LOW * max || !is_seal_hue(r, g, b, inks) {
        return l;
    }
    let sat = chroma * 255 / max;
    let w = ((sat.min(SAT_HIGH) - SAT_LOW) * 256 / (SAT_HIGH - SAT_LOW)).min(256);
    let (l, v) = (l as u32, max);
    // v >= l always (luma is a weighted mean of the channels).
    (l + ((v.saturating_sub(l)) * w) / 256).min(255) as u8
}

/// Whether the hue is one of the seal inks: red to magenta (hue ≥ 300° or ≤ 25°), or blue
/// (190°–265°).
fn is_seal_hue(r: u8, g: u8, b: u8, inks: Inks) -> bool {
    let h = hue(r, g, b);
    (inks.red && (h >= 300 || h <= 25)) || (inks.blue && (190..=265).contains(&h))
}

/// The hue in degrees, 0–359 (0 for grey).
fn hue(r: u8, g: u8, b: u8) -> u32 {
    let (r, g, b) = (r as i32, g as i32, b as i32);
    let max = r.max(g).max(b);
    let c = max - r.min(g).min(b);
    if c == 0 {
        return 0;
    }
    let h = if max == r {
        60 * (g - b) / c
    } else if max == g {
        60 * (b - r) / c + 120
    } else {
        60 * (r - g) / c + 240
    };
    h.rem_euclid(360) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white A4-ish colour page with `f(x, y)` painting some pixels.
    fn page(f: impl Fn(usize, usize) -> Option<[u8; 3]>) -> PageImage {
        let (w, h) = (400usize, 560usize);
        let mut px = vec![255u8; w * h * 3];
        for y in 0..h {
            for x in 0..w {
                if let Some(c) = f(x, y) {
                    px[(y * w + x) * 3..(y * w + x) * 3 + 3].copy_from_slice(&c);
                }
            }
        }
        PageImage::rgb(w as u32, h as u32, px, 100)
    }

    #[test]
    fn a_red_stamp_where_urgency_marks_go_is_seen() {
        // The frame of a "HỎA TỐC" stamp, left column, a third of the way down.
        let stamp = page(|x, y| {
            let inside = (40..160).contains(&x) && (150..200).contains(&y);
            let edge = inside && (!(44..156).contains(&x) || !(154..196).contains(&y));
            edge.then_some([200, 40, 50])
        });
        assert!(stamp_ink(&stamp));
        // The round seal at the bottom right and an e-signature stamp at the top are elsewhere.
        let seal = page(|x, y| {
            let d = (x as i32 - 300).pow(2) + (y as i32 - 450).pow(2);
            let top = (150..250).contains(&x) && y < 40;
            (d < 60 * 60 || top).then_some([210, 30, 40])
        });
        assert!(!stamp_ink(&seal));
        // Black text with the dark red fringes of JPEG: no ink.
        let text = page(|x, y| match (x % 12, y % 20) {
            (0..=5, 0..=8) => Some([20, 20, 20]),
            (6, 0..=8) => Some([60, 25, 30]),
            _ => None,
        });
        assert!(!stamp_ink(&text));
        assert!(!stamp_ink(&PageImage::grey(10, 10, vec![0; 100], 100)));
    }

    #[test]
    fn hues() {
        assert_eq!(hue(255, 0, 0), 0);
        assert_eq!(hue(0, 255, 0), 120);
        assert_eq!(hue(0, 0, 255), 240);
        assert_eq!(hue(255, 0, 128), 330);
        assert_eq!(hue(9, 9, 9), 0);
    }

    #[test]
    fn only_saturated_seal_hues_change() {
        let red = Inks::RED;
        // Red and magenta-red ink turn light.
        assert!(grey_level(220, 40, 50, red) >= 215);
        assert!(grey_level(200, 60, 120, red) >= 195);
        // Black, grey, yellowed paper and green keep their luma.
        for (r, g, b) in [(0, 0, 0), (30, 25, 28), (128, 128, 128), (240, 228, 190), (40, 160, 60)] {
            assert_eq!(grey_level(r, g, b, red), luma(r, g, b), "({r},{g},{b})");
        }
        // Black text under red ink stays dark.
        assert!(grey_level(70, 10, 15, red) <= 70);
        // Blue ink only when asked for.
        assert_eq!(grey_level(40, 60, 170, red), luma(40, 60, 170));
        assert_eq!(grey_level(40, 60, 170, Inks { red: false, blue: true }), 170);
        // Slightly reddish pixels change a little, not all the way.
        let pinkish = grey_level(230, 160, 160, red);
        assert!(pinkish > luma(230, 160, 160) && pinkish < 230, "{pinkish}");
    }

    /// A synthetic page: black text strokes with a red disc (a seal) over them.
    fn sealed_page() -> (PageImage, Vec<bool>, Vec<bool>) {
        let (w, h) = (200u32, 120u32);
        let mut px = Vec::with_capacity((w * h * 3) as usize);
        let (mut text, mut seal) = (Vec::new(), Vec::new());
        for y in 0..h {
            for x in 0..w {
                // Text: horizontal bars 6 px high every 20 px, like lines of letters.
                let is_text = (y % 20) < 6 && (20..180).contains(&x);
                let (dx, dy) = (x as i32 - 100, y as i32 - 60);
                let is_seal = dx * dx + dy * dy <= 50 * 50 && dx * dx + dy * dy >= 40 * 40 || dx.abs() < 3;
                let p = match (is_text, is_seal) {
                    // Red ink over black ink: darker than both.
                    (true, true) => [60, 8, 12],
                    (true, false) => [20, 20, 20],
                    (false, true) => [215, 45, 55],
                    (false, false) => [245, 242, 236],
                };
                px.extend_from_slice(&p);
                text.push(is_text);
                seal.push(is_seal && !is_text);
            }
        }
        (PageImage::rgb(w, h, px, 300), text, seal)
    }

    #[test]
    fn text_under_a_red_seal_survives_and_the_seal_goes() {
        let (page, text, seal) = sealed_page();
        // Plain luma: the seal is as dark as ink to a binariser (below mid grey).
        let plain = page.clone().into_grey();
        assert!(plain.pixels.iter().zip(&seal).filter(|(_, &s)| s).all(|(&p, _)| p < 110));
        let out = grey_without(page, Inks::RED);
        assert_eq!(out.pixels.len(), 200 * 120);
        for (i, &p) in out.pixels.iter().enumerate() {
            if text[i] {
                assert!(p <= 60, "text pixel {i} became {p}");
            } else if seal[i] {
                assert!(p >= 210, "seal pixel {i} is still {p}");
            } else {
                assert!(p >= 235, "paper pixel {i} is {p}");
            }
        }
    }

    #[test]
    fn grey_pages_and_no_inks_are_plain_luma() {
        let g = PageImage::grey(2, 1, vec![3, 250], 300);
        assert_eq!(grey_without(g, Inks::RED).pixels, vec![3, 250]);
        let c = PageImage::rgb(1, 1, vec![215, 45, 55], 300);
        assert_eq!(grey_without(c, Inks::default()).pixels, vec![luma(215, 45, 55)]);
    }
}
