//! Reading order of an OCR page (SCHEMA.md `text`): the two-column header is read one column at a
//! time (agency column, then the national-motto column), the closing block reads "Nơi nhận"
//! before the signature block, everything else top to bottom.
//!
//! Tesseract sometimes merges words of both columns into one line; such lines are first split at
//! large horizontal gaps near the middle of the page.

use crate::page::{BBox, Line, TextPage, Word};

use super::norm::{key, mostly_upper};

/// Which side of the page a line sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The left column (agency column, "Nơi nhận").
    Left,
    /// The right column (motto column, signature block).
    Right,
    /// Across the middle (body text, titles).
    Full,
}

/// The horizontal extent of the text on a page: (left, right).
pub fn extent(lines: &[Line], width: u32) -> (i32, i32) {
    // Only lines of real text: scanner edges and seal strokes are read as wide junk lines.
    let wordy = |l: &&Line| {
        l.text.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2).count()
            >= 3
    };
    let mut boxes: Vec<BBox> = lines.iter().filter(wordy).filter_map(|l| l.bbox).collect();
    if boxes.is_empty() {
        boxes = lines.iter().filter_map(|l| l.bbox).collect();
    }
    let x0 = boxes.iter().map(|b| b.x0).min();
    let x1 = boxes.iter().map(|b| b.x1).max();
    match (x0, x1) {
        (Some(a), Some(b)) if b > a => (a, b),
        _ => (0, width.max(1) as i32),
    }
}

/// The body margins of a page: where most lines of text start and end (10th percentile of the
/// left edges, 90th of the right edges), so that a date line or a stamp reaching further out
/// does not move them. Falls back to [`extent`] for pages with few lines.
pub fn margins(lines: &[Line], width: u32) -> (i32, i32) {
    let boxes: Vec<BBox> = lines
        .iter()
        .filter(|l| {
            l.text.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2).count()
                >= 3
        })
        .filter_map(|l| l.bbox)
        .collect();
    if boxes.len() < 5 {
        return extent(lines, width);
    }
    let mut x0: Vec<i32> = boxes.iter().map(|b| b.x0).collect();
    let mut x1: Vec<i32> = boxes.iter().map(|b| b.x1).collect();
    x0.sort_unstable();
    x1.sort_unstable();
    let n = boxes.len();
    let (a, b) = (x0[n / 10], x1[(n * 9 / 10).min(n - 1)]);
    if b > a {
        (a, b)
    } else {
        extent(lines, width)
    }
}

/// The side of a line box given the text extent.
pub fn side(b: &BBox, (left, right): (i32, i32)) -> Side {
    let w = (right - left).max(1) as f64;
    let mid = (left + right) as f64 / 2.0;
    let cx = (b.x0 + b.x1) as f64 / 2.0;
    if cx < mid - 0.05 * w && (b.x1 as f64) < mid + 0.1 * w {
        Side::Left
    } else if cx > mid + 0.05 * w && (b.x0 as f64) > mid - 0.1 * w {
        Side::Right
    } else {
        Side::Full
    }
}

fn line_of(words: Vec<Word>, block: u32) -> Option<Line> {
    let first = words.first()?;
    let bbox = words.iter().skip(1).fold(first.bbox, |b, w| b.union(&w.bbox));
    let conf = words.iter().map(|w| w.conf).sum::<f32>() / words.len() as f32;
    let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    Some(Line { text, words, bbox: Some(bbox), conf, block })
}

/// Splits a line at horizontal gaps that are too wide for justified text and lie near the page
/// middle (the gap between the header columns).
fn split_line(line: Line, extent: (i32, i32)) -> Vec<Line> {
    if line.words.len() < 2 || line.bbox.is_none() {
        return vec![line];
    }
    let (left, right) = extent;
    let w = (right - left).max(1);
    let mut words = line.words.clone();
    words.sort_by_key(|w| w.bbox.x0);
    let heights: Vec<i32> = words.iter().map(|w| w.bbox.height()).collect();
    let mut hs = heights.clone();
    hs.sort_unstable();
    let h = hs.get(hs.len() / 2).copied().unwrap_or(0).max(1);
    let min_gap = (3 * h).max(w / 25);
    let mut pieces: Vec<Vec<Word>> = vec![Vec::new()];
    let mut prev_x1: Option<i32> = None;
    for word in words {
        if let Some(px) = prev_x1 {
            let gap = word.bbox.x0 - px;
            let at = (px + word.bbox.x0) / 2;
            let near_middle = at > left + w / 4 && at < right - w / 5;
            if gap > min_gap && near_middle {
                pieces.push(Vec::new());
            }
        }
        prev_x1 = Some(prev_x1.map_or(word.bbox.x1, |p| p.max(word.bbox.x1)));
        if let Some(last) = pieces.last_mut() {
            last.push(word);
        }
    }
    // The quốc hiệu glued to the agency name ("CÔNG AN THÀNH PHỐ CỘNG HÒA XÃ HỘI …"): split
    // before "CỘNG HÒA" when it is not the first word.
    let mut out: Vec<Vec<Word>> = Vec::new();
    for p in pieces {
        let at = (1..p.len()).find(|&k| {
            key(&p[k].text).ends_with("CONG") && p.get(k + 1).is_some_and(|w| key(&w.text).starts_with("HOA"))
        });
        match at {
            Some(k) => {
                let mut a = p;
                let b = a.split_off(k);
                out.push(a);
                out.push(b);
            }
            None => out.push(p),
        }
    }
    if out.len() == 1 {
        return vec![line];
    }
    out.into_iter().filter_map(|p| line_of(p, line.block)).collect()
}

/// A line with fewer than two letters or digits (seal and signature strokes, underlines).
fn is_junk(l: &Line) -> bool {
    l.text.chars().filter(|c| c.is_alphanumeric()).count() < 2
}

/// Puts the lines of a page in reading order. Pages without boxes are returned as they are.
pub fn reading_order(mut page: TextPage) -> TextPage {
    if page.lines.is_empty() || page.lines.iter().any(|l| l.bbox.is_none()) {
        return page;
    }
    let ext = extent(&page.lines, page.width);
    // Split merged lines; remember the original line each piece came from.
    let mut pieces: Vec<(usize, Line)> = Vec::new();
    for (i, l) in std::mem::take(&mut page.lines).into_iter().enumerate() {
        for p in split_line(l, ext) {
            pieces.push((i, p));
        }
    }
    // Vertical position of each original line (the centre of its pieces).
    let cy = |l: &Line| l.bbox.map(|b| b.cy()).unwrap_or(0);
    let mut row_y: Vec<i32> = Vec::new();
    for (i, l) in &pieces {
        if *i >= row_y.len() {
            row_y.resize(*i + 1, i32::MIN);
        }
        if row_y[*i] == i32::MIN {
            row_y[*i] = cy(l);
        }
    }
    let x0 = |l: &Line| l.bbox.map(|b| b.x0).unwrap_or(0);
    pieces.sort_by_key(|(i, l)| (row_y.get(*i).copied().unwrap_or(0), *i, x0(l)));
    let top = pieces.iter().filter_map(|(_, l)| l.bbox.map(|b| b.y0)).min().unwrap_or(0);
    let bottom = pieces.iter().filter_map(|(_, l)| l.bbox.map(|b| b.y1)).max().unwrap_or(1);
    let height = (bottom - top).max(1);

    let mid = (ext.0 + ext.1) / 2;
    let mut sides: Vec<Side> =
        pieces.iter().map(|(_, l)| l.bbox.map(|b| side(&b, ext)).unwrap_or(Side::Full)).collect();
    let lines: Vec<Line> = pieces.into_iter().map(|(_, l)| l).collect();
    // Junk does not break a column run: it goes with the side of its centre.
    for (s, l) in sides.iter_mut().zip(&lines) {
        if *s == Side::Full && is_junk(l) {
            *s = if l.bbox.is_some_and(|b| b.cx() < mid) { Side::Left } else { Side::Right };
        }
    }
    // The closing block: from "Nơi nhận" to the end of the page, the left column (recipients)
    // then the right column (signature), by the centre of each line.
    let closing = lines.iter().position(|l| key(&l.text).starts_with("NOI NHAN"));
    let mut i = 0;
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let body_end = closing.map(|c| {
        // Start the closing block at the start of the run holding "Nơi nhận".
        let mut s = c;
        while s > 0 && sides[s - 1] != Side::Full {
            s -= 1;
        }
        s
    });
    let end = body_end.unwrap_or(lines.len());
    while i < end {
        if sides[i] == Side::Full {
            out.push(lines[i].clone());
            i += 1;
            continue;
        }
        let mut j = i;
        while j < end && sides[j] != Side::Full {
            j += 1;
        }
        // "Kính gửi:" (its list of addressees on the right) comes after the header, whatever
        // side it was printed on: it ends the run.
        if let Some(k) = (i + 1..j).find(|&k| key(&lines[k].text).starts_with("KINH GUI")) {
            j = k;
        }
        let run = &lines[i..j];
        let run_sides = &sides[i..j];
        let left: Vec<&Line> =
            run.iter().zip(run_sides).filter(|(_, s)| **s == Side::Left).map(|(l, _)| l).collect();
        let right: Vec<&Line> =
            run.iter().zip(run_sides).filter(|(_, s)| **s == Side::Right).map(|(l, _)| l).collect();
        let starts_high = run.first().and_then(|l| l.bbox).is_some_and(|b| b.y0 - top < height * 3 / 10);
        let caps = |ls: &[&Line]| ls.iter().any(|l| mostly_upper(&l.text) && l.text.split(' ').count() >= 2);
        let closing = caps(&left) && caps(&right);
        if starts_high || closing {
            out.extend(left.into_iter().cloned());
            out.extend(right.into_iter().cloned());
        } else {
            out.extend(run.iter().cloned());
        }
        i = j;
    }
    if let Some(start) = body_end {
        let (left, right): (Vec<&Line>, Vec<&Line>) =
            lines[start..].iter().partition(|l| l.bbox.is_some_and(|b| b.cx() < mid));
        out.extend(left.into_iter().cloned());
        out.extend(right.into_iter().cloned());
    }
    page.lines = out;
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::TextSource;

    /// A line of words laid out from `x` with the given widths (10 px gaps), at height `y`.
    fn line(words: &[(&str, i32)], y: i32) -> Line {
        let ws: Vec<Word> = words
            .iter()
            .map(|(t, x)| Word {
                text: t.to_string(),
                conf: 0.9,
                bbox: BBox { x0: *x, y0: y, x1: *x + 20 * t.chars().count() as i32, y1: y + 30 },
            })
            .collect();
        line_of(ws, 0).unwrap()
    }

    /// A justified body line across the page.
    fn body(y: i32) -> Line {
        let words: Vec<(&str, i32)> = (0..18).map(|k| ("chữ", 100 + k * 100)).collect();
        line(&words, y)
    }

    fn page(lines: Vec<Line>) -> TextPage {
        TextPage {
            width: 2000,
            height: 2800,
            lines,
            confidence: 0.9,
            source: TextSource::Ocr,
            word_count: 0,
            stamp_ink: false,
        }
    }

    #[test]
    fn header_columns_are_read_one_at_a_time() {
        let p = page(vec![
            line(
                &[("ỦY", 150), ("BAN", 220), ("NHÂN", 300), ("DÂN", 400), ("CỘNG", 1100), ("HÒA", 1210)],
                100,
            ),
            line(&[("Số:", 150), ("12/UBND", 230)], 200),
            line(&[("Độc", 1000), ("lập", 1080)], 160),
            line(&[("V/v", 150), ("abc", 230)], 260),
            line(&[("Hà", 1000), ("Nội,", 1060), ("ngày", 1160)], 250),
            line(&[("Kính", 800), ("gửi:", 900), ("Sở", 1000), ("Nội", 1060), ("vụ", 1140)], 400),
            body(500),
        ]);
        let t = reading_order(p).text();
        assert_eq!(t, format!("ỦY BAN NHÂN DÂN\nSố: 12/UBND\nV/v abc\nCỘNG HÒA\nĐộc lập\nHà Nội, ngày\nKính gửi: Sở Nội vụ\n{}", body(0).text));
    }

    #[test]
    fn kinh_gui_on_the_left_ends_the_header() {
        // "Kính gửi:" left of the middle, its addressees on the right, below the header.
        let p = page(vec![
            line(&[("ỦY", 150), ("BAN", 220), ("NHÂN", 300), ("DÂN", 400)], 100),
            line(&[("CỘNG", 1100), ("HÒA", 1210)], 100),
            line(&[("Số:", 150), ("12/UBND", 230)], 200),
            line(&[("Hà", 1000), ("Nội,", 1060), ("ngày", 1160)], 200),
            line(&[("V/v", 150), ("abc", 230)], 260),
            line(&[("Kính", 600), ("gửi:", 700)], 400),
            line(&[("-", 1000), ("Sở", 1040), ("Nội", 1100), ("vụ;", 1180)], 460),
            body(600),
        ]);
        let t = reading_order(p).text();
        assert_eq!(
            t,
            format!(
                "ỦY BAN NHÂN DÂN\nSố: 12/UBND\nV/v abc\nCỘNG HÒA\nHà Nội, ngày\nKính gửi:\n- Sở Nội vụ;\n{}",
                body(0).text
            )
        );
    }

    #[test]
    fn closing_block_reads_recipients_first() {
        let mut lines = vec![body(100)];
        for k in 0..8 {
            lines.push(body(200 + 60 * k));
        }
        lines.push(line(&[("Nơi", 100), ("nhận:", 180)], 1500));
        lines.push(line(&[("KT.", 1200), ("CHỦ", 1300), ("TỊCH", 1400)], 1500));
        lines.push(line(&[("-", 100), ("Như", 140), ("trên;", 220)], 1560));
        lines.push(line(&[("PHÓ", 1200), ("CHỦ", 1300), ("TỊCH", 1400)], 1560));
        lines.push(line(&[("-", 100), ("Lưu:", 140), ("VT.", 240)], 1620));
        lines.push(line(&[("Nguyễn", 1200), ("Văn", 1340), ("A", 1420)], 1900));
        let t = reading_order(page(lines)).text();
        assert!(
            t.ends_with("Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A"),
            "{t}"
        );
    }

    #[test]
    fn plain_pages_are_unchanged() {
        let p = TextPage::from_plain("b\na");
        assert_eq!(reading_order(p.clone()), p);
    }
}
