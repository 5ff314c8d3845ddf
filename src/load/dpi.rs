//! The resolution recorded in PNG (`pHYs`) and JPEG (JFIF density) headers.
//!
//! Only plausible values are returned (70–2400 dpi): scanners and editors often write 1 or 72
//! where they mean "unknown", and a wrong resolution misleads Tesseract's size heuristics.

use std::io::Read;
use std::path::Path;

use super::Format;

/// The file's resolution in dots per inch, if it records a plausible one.
pub(super) fn read(path: &Path, format: Format) -> Option<u32> {
    let mut head = Vec::with_capacity(64 * 1024);
    std::fs::File::open(path).ok()?.take(64 * 1024).read_to_end(&mut head).ok()?;
    let dpi = match format {
        Format::Png => png_phys(&head),
        Format::Jpeg => jfif_density(&head),
        _ => None,
    }?;
    plausible(dpi)
}

pub(super) fn plausible(dpi: f64) -> Option<u32> {
    (70.0..=2400.0).contains(&dpi).then(|| dpi.round() as u32)
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// PNG `pHYs`: pixels per metre when the unit byte is 1.
fn png_phys(b: &[u8]) -> Option<f64> {
    let mut i = 8;
    while i + 8 <= b.len() {
        let len = be32(&b[i..]) as usize;
        let kind = &b[i + 4..i + 8];
        if kind == b"pHYs" {
            let d = b.get(i + 8..i + 17)?;
            return (d[8] == 1).then(|| be32(&d[0..4]) as f64 * 0.0254);
        }
        if kind == b"IDAT" {
            return None;
        }
        i = i.checked_add(12)?.checked_add(len)?;
    }
    None
}

/// JPEG APP0 JFIF: density with unit 1 (dpi) or 2 (dots per cm).
fn jfif_density(b: &[u8]) -> Option<f64> {
    if b.len() < 18 || &b[6..11] != b"JFIF\0" {
        return None;
    }
    let unit = b[13];
    let x = u16::from_be_bytes([b[14], b[15]]) as f64;
    match unit {
        1 => Some(x),
        2 => Some(x * 2.54),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_phys_in_metres() {
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        b.extend_from_slice(&[0, 0, 0, 9]);
        b.extend_from_slice(b"pHYs");
        b.extend_from_slice(&11811u32.to_be_bytes());
        b.extend_from_slice(&11811u32.to_be_bytes());
        b.push(1);
        assert_eq!(png_phys(&b).and_then(plausible), Some(300));
    }

    #[test]
    fn jfif_units() {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        b.extend_from_slice(b"JFIF\0");
        b.extend_from_slice(&[1, 1, 1, 0, 200, 0, 200, 0, 0]);
        assert_eq!(jfif_density(&b).and_then(plausible), Some(200));
        b[13] = 0;
        assert_eq!(jfif_density(&b), None);
        assert_eq!(plausible(72.0), Some(72));
        assert_eq!(plausible(1.0), None);
    }

    #[test]
    fn truncated_headers_do_not_panic() {
        for n in 0..40 {
            let b = vec![0x89u8; n];
            let _ = png_phys(&b);
            let _ = jfif_density(&b);
        }
    }
}
