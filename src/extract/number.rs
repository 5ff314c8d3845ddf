//! The "Số: N/SYMBOL" line: the document number and symbol, with OCR noise tolerated
//! ("Sô:", "S6:", "4733 /BC-CATP", "QĐ - UBND", "O5/CT-UB").

use super::norm::{fix_digits, key};

/// The parsed "Số" line.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberSymbol {
    /// The number before the first `/`, leading zeros kept; `None` when not printed (often
    /// handwritten, hence unreadable).
    pub number: Option<String>,
    /// Everything after the first `/`, spaces removed: `QĐ-UBND`, `2020/QĐ-UBND`.
    pub symbol: Option<String>,
    /// How sure the parse is, 0–1 (lower when characters had to be fixed).
    pub quality: f64,
}

/// Whether the line starts with the "Số" label (`Số:`, `Sô:`, `SỐ:`, `S6:`, `Số :`).
/// Returns the byte offset after the label.
pub fn label_end(line: &str) -> Option<usize> {
    let t = line.trim_start();
    let lead = line.len() - t.len();
    let mut chars = t.char_indices();
    let (_, c0) = chars.next()?;
    if !matches!(c0, 'S' | 's' | '$' | '5') {
        return None;
    }
    let (i1, c1) = chars.next()?;
    let o_like = matches!(key(&c1.to_string()).as_str(), "O" | "0" | "6" | "U");
    if !o_like {
        return None;
    }
    let after = lead + i1 + c1.len_utf8();
    let rest = &line[after..];
    // "Số:" — a colon (maybe after spaces), or spaces followed by a digit / slash.
    let r = rest.trim_start();
    if let Some(stripped) = r.strip_prefix([':', ';', '.', '﹕']) {
        return Some(line.len() - stripped.len());
    }
    if rest.starts_with(char::is_whitespace) && r.starts_with(|c: char| c.is_ascii_digit() || c == '/') {
        return Some(line.len() - r.len());
    }
    None
}

/// Parses the text after the "Số:" label.
pub fn parse(after_label: &str, abbreviations: &[&str]) -> Option<NumberSymbol> {
    // Join the pieces around '/' and '-' that OCR spaced out: "4733 /BC - CATP".
    let mut s = String::new();
    let mut pending_space = false;
    for c in after_label.trim().chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let joiner = matches!(c, '/' | '-' | '–' | '—' | '_');
        let prev_joiner = s.ends_with(['/', '-']);
        if pending_space && !joiner && !prev_joiner && !s.is_empty() {
            // A space that does not touch a joiner ends the symbol, unless what we have so far
            // is only a number (then the slash comes later: "12  /UBND").
            break;
        }
        pending_space = false;
        s.push(match c {
            '–' | '—' | '_' => '-',
            'Ð' => 'Đ',
            'ð' => 'đ',
            _ => c,
        });
    }
    let s = s.trim_matches(|c: char| matches!(c, '.' | ',' | ';' | ':' | '-' | '|')).to_string();
    if s.is_empty() {
        return None;
    }
    let mut quality = 1.0;
    let (num, sym) = match s.split_once('/') {
        Some((n, rest)) => (n, Some(rest)),
        None => (s.as_str(), None),
    };
    let number = if num.is_empty() {
        None
    } else if num.chars().all(|c| c.is_ascii_digit()) {
        Some(num.to_string())
    } else {
        quality *= 0.8;
        fix_digits(num)
    };
    let symbol =
        sym.map(|x| x.trim_matches(|c: char| c == '/' || c == '-')).filter(|x| !x.is_empty()).map(|x| {
            let (fixed, changed) = fix_symbol(x, abbreviations);
            if changed {
                quality *= 0.95;
            }
            fixed
        });
    if number.is_none() && symbol.is_none() {
        return None;
    }
    if symbol.as_deref().is_some_and(|x| !x.chars().any(char::is_alphabetic)) {
        quality *= 0.5;
    }
    Some(NumberSymbol { number, symbol, quality })
}

/// Fixes the parts of a symbol: known abbreviations take their printed case and letters
/// (`TTR` → `TTr`, `QD` → `QĐ` when the dictionary has `QĐ`), a `0` inside letters becomes `O`.
fn fix_symbol(sym: &str, abbreviations: &[&str]) -> (String, bool) {
    let mut changed = false;
    let parts: Vec<String> = sym
        .split('-')
        .map(|part| {
            part.split('/')
                .map(|p| {
                    if p.chars().all(|c| c.is_ascii_digit()) {
                        return p.to_string();
                    }
                    let up = p.to_uppercase();
                    // Exact (case-insensitive) spelling of a known abbreviation.
                    if let Some(a) = abbreviations.iter().find(|a| a.to_uppercase() == up) {
                        if *a != p {
                            changed = true;
                        }
                        return a.to_string();
                    }
                    // Same letters without Đ (OCR lost the bar).
                    let k = key(p);
                    if let Some(a) = abbreviations.iter().find(|a| key(a) == k && a.contains(['Đ', 'đ'])) {
                        changed = true;
                        return a.to_string();
                    }
                    // A doubled Đ ("QĐĐ", from "QĐÐ": the bar read as a second letter).
                    if p.contains("ĐĐ") {
                        let single = p.replace("ĐĐ", "Đ");
                        if let Some(a) =
                            abbreviations.iter().find(|a| a.to_uppercase() == single.to_uppercase())
                        {
                            changed = true;
                            return a.to_string();
                        }
                    }
                    p.to_string()
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    (parts.join("-"), changed)
}

/// Finds and parses a "Số:" line.
pub fn find(line: &str, abbreviations: &[&str]) -> Option<NumberSymbol> {
    let end = label_end(line)?;
    parse(&line[end..], abbreviations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ABBR: [&str; 6] = ["QĐ", "TTr", "UBND", "SKHĐT", "BC", "CATP"];

    fn ns(line: &str) -> (Option<String>, Option<String>) {
        match find(line, &ABBR) {
            Some(n) => (n.number, n.symbol),
            None => (None, None),
        }
    }

    fn p(a: &str, b: &str) -> (Option<String>, Option<String>) {
        (Some(a.into()), Some(b.into()))
    }

    #[test]
    fn numbers_and_symbols() {
        assert_eq!(ns("Số: 4250/QĐ-UBND"), p("4250", "QĐ-UBND"));
        assert_eq!(ns("Số: 4733 /BC-CATP"), p("4733", "BC-CATP"));
        assert_eq!(ns("Sô: 05/CT-UB"), p("05", "CT-UB"));
        assert_eq!(ns("Số: 35/2020/QĐ-UBND"), p("35", "2020/QĐ-UBND"));
        assert_eq!(ns("Số:12/QĐ - UBND"), p("12", "QĐ-UBND"));
        assert_eq!(ns("SỐ: 3833/TTR-STTTT"), p("3833", "TTr-STTTT"));
        assert_eq!(ns("Số: 6317/TTr-SKHDT"), p("6317", "TTr-SKHĐT"));
        assert_eq!(ns("Số: 1O5/QĐ-UBND"), p("105", "QĐ-UBND"));
        assert_eq!(ns("Số: 4929/UBND-ĐT Thành phố"), p("4929", "UBND-ĐT"));
        assert_eq!(ns("Số: 87 /QĐÐ-UBND"), p("87", "QĐ-UBND"));
    }

    #[test]
    fn handwritten_numbers_are_not_invented() {
        assert_eq!(ns("Số:        /TTr-UBND"), (None, Some("TTr-UBND".into())));
        assert_eq!(ns("Số: /TB-UBND"), (None, Some("TB-UBND".into())));
    }

    #[test]
    fn other_lines_are_not_numbers() {
        assert_eq!(label_end("Sở Nội vụ"), None);
        assert_eq!(label_end("Sau khi xem xét"), None);
        assert_eq!(ns("Số lượng: 12"), (None, None));
    }

    proptest! {
        #[test]
        fn any_input_is_safe(s in "\\PC{0,40}") {
            let _ = find(&s, &ABBR);
            let _ = parse(&s, &ABBR);
        }

        #[test]
        fn valid_lines_round_trip(n in "[0-9]{1,5}", y in proptest::option::of(1990u32..2030),
                                  a in "[A-Z]{1,4}", b in "[A-Z]{2,6}") {
            let sym = match y { Some(y) => format!("{y}/{a}-{b}"), None => format!("{a}-{b}") };
            let line = format!("Số: {n}/{sym}");
            let got = find(&line, &[]).unwrap();
            prop_assert_eq!(got.number, Some(n));
            prop_assert_eq!(got.symbol, Some(sym));
        }
    }
}
