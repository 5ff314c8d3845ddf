//! Black margins (photocopies, scans of a page smaller than the scanner glass), whitened.
//!
//! A dark band along an edge of the page is read by Tesseract as a column of garbage characters
//! and disturbs layout analysis and deskew. For each side whose edge is mostly dark, every row
//! (or column) has its dark run starting at the edge whitened, plus a few pixels of the grey
//! fringe where the margin meets the paper. Runs tolerate a few light pixels (noise) and stop
//! at a limit depth, so a side that is not a margin loses at most a sliver.

use crate::page::PageImage;

/// Darker than this is margin.
const DARK: u8 = 110;
/// A side is treated when at least this share (‰) of its edge pixels are dark.
const MIN_EDGE_SHARE: usize = 300;
/// Margins are at most this share (‰) of the page's width or height.
const MAX_DEPTH: usize = 120;
/// Light pixels tolerated inside a dark run.
const GAP: usize = 3;

/// Whitens black margins of a grey page in place; returns how many pixels changed.
/// Colour pages are left alone (preprocessing greys them first).
pub fn remove(img: &mut PageImage) -> u64 {
    let (w, h) = (img.width as usize, img.height as usize);
    if !img.is_grey() || w < 16 || h < 16 || img.pixels.len() < w * h {
        return 0;
    }
    // The grey fringe between margin and paper: about 1/100 inch.
    let fringe = (img.dpi as usize / 100).clamp(1, 8);
    let px = &mut img.pixels[..w * h];
    let mut changed = 0;
    // (lines, length, pixel index of step i on line j)
    let left = |j: usize, i: usize| j * w + i;
    let right = |j: usize, i: usize| j * w + (w - 1 - i);
    let top = |j: usize, i: usize| i * w + j;
    let bottom = |j: usize, i: usize| (h - 1 - i) * w + j;
    changed += side(px, h, w, fringe, left);
    changed += side(px, h, w, fringe, right);
    changed += side(px, w, h, fringe, top);
    changed += side(px, w, h, fringe, bottom);
    changed
}

/// One side: `lines` lines running `len` pixels inward, `at(line, step)` the pixel index.
fn side(px: &mut [u8], lines: usize, len: usize, fringe: usize, at: impl Fn(usize, usize) -> usize) -> u64 {
    // A line starts in the margin when one of its first pixels is dark (noise tolerated).
    let starts_dark = |px: &[u8], j: usize| (0..=GAP.min(len - 1)).any(|i| px[at(j, i)] < DARK);
    let dark_edges = (0..lines).filter(|&j| starts_dark(px, j)).count();
    if dark_edges * 1000 < MIN_EDGE_SHARE * lines {
        return 0;
    }
    let depth = (len * MAX_DEPTH / 1000).max(1);
    let mut changed = 0;
    for j in 0..lines {
        if !starts_dark(px, j) {
            continue;
        }
        // The end of the dark run from the edge, allowing short light gaps.
        let (mut end, mut gap) = (0, 0);
        for i in 0..depth {
            if px[at(j, i)] < DARK {
                end = i + 1;
                gap = 0;
            } else {
                gap += 1;
                if gap > GAP {
                    break;
                }
            }
        }
        for i in 0..(end + fringe).min(depth) {
            let p = &mut px[at(j, i)];
            if *p != 255 {
                *p = 255;
                changed += 1;
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page with black text in the middle and, optionally, a black band on the left
    /// (slanting, as a skewed photocopy's) and at the top.
    fn page(margins: bool) -> PageImage {
        let (w, h) = (400usize, 300usize);
        let mut px = vec![250u8; w * h];
        for y in 0..h {
            for x in 0..w {
                if (100..300).contains(&x) && y >= 40 && y % 20 < 6 {
                    px[y * w + x] = 10;
                }
                if margins && (x < 20 + y / 30 || y < 12) {
                    px[y * w + x] = if (x + y) % 17 == 0 { 140 } else { 25 };
                }
            }
        }
        PageImage::grey(w as u32, h as u32, px, 300)
    }

    #[test]
    fn black_margins_go_and_text_stays() {
        let mut p = page(true);
        assert!(remove(&mut p) > 0);
        let clean = page(false);
        for (i, (&a, &b)) in p.pixels.iter().zip(&clean.pixels).enumerate() {
            if b < 128 {
                assert_eq!(a, b, "text pixel {i} changed");
            } else {
                assert!(a >= 128, "margin pixel ({}, {}) left: {a}", i % 400, i / 400);
            }
        }
    }

    #[test]
    fn pages_without_margins_are_untouched() {
        let mut p = page(false);
        assert_eq!(remove(&mut p), 0);
        assert_eq!(p.pixels, page(false).pixels);
        // Text touching one edge in a few lines is not a margin.
        let mut q = page(false);
        for y in 0..6 {
            q.pixels[y * 400] = 0;
        }
        assert_eq!(remove(&mut q), 0);
        let mut tiny = PageImage::grey(3, 3, vec![0; 9], 300);
        assert_eq!(remove(&mut tiny), 0);
    }
}
