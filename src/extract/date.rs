//! Dates: "ngày 5 tháng 3 năm 2021", "05/3/2021", "05-03-2021", with OCR noise ("ngảy", "2O21").

use super::norm::{fix_digits, key};

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// Year, 1900–2100.
    pub year: u32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31, valid for the month.
    pub day: u32,
}

impl Date {
    /// A date when day and month are valid for the year (1900–2100).
    pub fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (day <= days).then_some(Date { year, month, day })
    }

    /// ISO 8601 `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn num(tok: &str) -> Option<u32> {
    let d = fix_digits(tok)?;
    if d.len() > 4 {
        return None;
    }
    d.parse().ok()
}

/// Where a date was found in a line: the date and the byte offset in the *key* of where the
/// date phrase starts (so the caller can take the text before it as the place).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The date.
    pub date: Date,
    /// Whether it was the spelled-out "ngày … tháng … năm …" form.
    pub spelled: bool,
}

/// Finds a date in a line: "ngày D tháng M năm Y" (words may be misread: "ngảy", "thang", "nam")
/// or a numeric "D/M/Y", "D-M-Y", "D.M.Y".
pub fn find_date(line: &str) -> Option<Found> {
    let k = key(line);
    let toks: Vec<&str> = k.split(' ').collect();
    // Spelled-out form: find "THANG" and "NAM" with numbers around them.
    for i in 0..toks.len() {
        if !is_word(toks[i], "THANG") {
            continue;
        }
        let Some(m) = toks.get(i + 1).and_then(|t| num(t)) else { continue };
        let Some(d) = i.checked_sub(1).and_then(|j| toks.get(j)).and_then(|t| num(t)) else { continue };
        // "năm" then the year; tolerate a missing/misread "năm" word.
        let y = match (toks.get(i + 2), toks.get(i + 3)) {
            (Some(w), Some(y)) if is_word(w, "NAM") => num(y),
            (Some(y), _) => num(y).filter(|y| *y >= 1900),
            _ => None,
        };
        if let Some(date) = y.and_then(|y| Date::new(y, m, d)) {
            return Some(Found { date, spelled: true });
        }
    }
    // Numeric form, on the raw line (the key drops the separators).
    for tok in line.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')') {
        let parts: Vec<&str> = tok.split(['/', '-', '.']).collect();
        if parts.len() == 3 {
            if let (Some(d), Some(m), Some(y)) = (num(parts[0]), num(parts[1]), num(parts[2])) {
                if parts[2].len() == 4 {
                    if let Some(date) = Date::new(y, m, d) {
                        return Some(Found { date, spelled: false });
                    }
                }
            }
        }
    }
    None
}

/// Whether an OCR'd token is the given word, allowing one wrong letter (`NGAY` for `NGAY`, `THANC`).
fn is_word(tok: &str, word: &str) -> bool {
    tok == word || (tok.len() == word.len() && super::norm::distance(tok, word) <= 1 && tok.len() >= 4)
}

/// The byte offset in `line` where the "ngày" of a spelled date starts (the place is before it).
/// A misread "ngày" (`ngảy`, `ngav`) counts when a number or "tháng" follows it.
pub fn place_end(line: &str) -> Option<usize> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for w in line.split_inclusive(char::is_whitespace) {
        words.push((offset, w));
        offset += w.len();
    }
    for (i, (start, w)) in words.iter().enumerate() {
        let k = key(w);
        // "ngày" alone, or glued to the day by a stray mark ("ngày{5").
        if k == "NGAY" || k.strip_prefix("NGAY ").is_some_and(|d| fix_digits(d).is_some()) {
            return Some(*start);
        }
        let next = words.get(i + 1).map(|(_, n)| key(n)).unwrap_or_default();
        let numberish = fix_digits(&next).is_some() || is_word(&next, "THANG");
        if is_word(&k, "NGAY") && numberish && !w.trim_end().ends_with(',') {
            return Some(*start);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn iso(s: &str) -> Option<String> {
        find_date(s).map(|f| f.date.iso())
    }

    #[test]
    fn spelled_dates() {
        assert_eq!(iso("Thành phố Hồ Chí Minh, ngày 29 tháng 9 năm 2022").as_deref(), Some("2022-09-29"));
        assert_eq!(iso("Củ Chi, ngảy 05 thang 3 nam 2O21").as_deref(), Some("2021-03-05"));
        assert_eq!(iso("Quận 1, ngày l4 tháng 12 năm 1998").as_deref(), Some("1998-12-14"));
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(iso("Hà Nội, 05/3/2021").as_deref(), Some("2021-03-05"));
        assert_eq!(iso("ngày 28-9-2020").as_deref(), Some("2020-09-28"));
    }

    #[test]
    fn invalid_dates_are_rejected() {
        assert_eq!(iso("ngày 31 tháng 2 năm 2021"), None);
        assert_eq!(iso("ngày 29 tháng 2 năm 2021"), None);
        assert_eq!(iso("ngày 29 tháng 2 năm 2020").as_deref(), Some("2020-02-29"));
        assert_eq!(iso("ngày 5 tháng 13 năm 2021"), None);
        assert_eq!(iso("ngày    tháng 01 năm 2025"), None);
        assert_eq!(iso("32/1/2020"), None);
    }

    #[test]
    fn place_ends_before_ngay() {
        let l = "TP. Hồ Chí Minh, ngày 3 tháng 3 năm 2015";
        let e = place_end(l).unwrap();
        assert_eq!(&l[..e], "TP. Hồ Chí Minh, ");
        let l = "Quảng Ngãi, ngày{5 tháng 01 năm 2025";
        assert_eq!(place_end(l).map(|e| &l[..e]), Some("Quảng Ngãi, "));
    }

    proptest! {
        #[test]
        fn any_input_is_safe(s in "\\PC{0,60}") {
            let _ = find_date(&s);
            let _ = place_end(&s);
        }

        #[test]
        fn valid_dates_round_trip(y in 1900u32..2100, m in 1u32..13, d in 1u32..32, place in "[A-Za-zÀ-ỹ ]{0,20}") {
            let spelled = format!("{place}, ngày {d} tháng {m} năm {y}");
            let numeric = format!("{place}, {d:02}/{m}/{y}");
            match Date::new(y, m, d) {
                Some(date) => {
                    prop_assert_eq!(find_date(&spelled).map(|f| f.date), Some(date));
                    prop_assert_eq!(find_date(&numeric).map(|f| f.date), Some(date));
                }
                None => prop_assert_eq!(find_date(&spelled), None),
            }
        }
    }
}
