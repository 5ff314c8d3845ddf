//! Matching helpers that tolerate OCR noise: folded upper-case keys, edit distance, digit fixes.

use crate::text::fold;

/// The folded, upper-case, punctuation-free form of a string, words separated by one space:
/// `"Sô: 12"` → `"SO 12"`, `"QUYÉT ĐINH"` → `"QUYET DINH"`.
pub fn key(s: &str) -> String {
    let f = fold(s).to_uppercase();
    let mut out = String::with_capacity(f.len());
    let mut space = false;
    for c in f.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// [`key`] of words joined by spaces.
pub fn words_key(words: &[&str]) -> String {
    key(&words.join(" "))
}

/// A string without OCR junk at its ends: rules, box edges and stray quotes
/// (`"_ Số: 12"` → `"Số: 12"`, `". GIẤY MỜI `"` → `"GIẤY MỜI"`); closing brackets and a final
/// `.` are kept.
pub fn trim_junk(s: &str) -> &str {
    let junk = |c: char| {
        matches!(
            c,
            '_' | '\''
                | '‘'
                | '’'
                | '`'
                | '"'
                | '“'
                | '”'
                | '—'
                | '–'
                | '-'
                | '|'
                | '.'
                | ','
                | ':'
                | ';'
                | '~'
                | '='
                | '*'
                | '«'
                | '»'
                | '\\'
                | '/'
                | '„'
                | '‚'
                | '•'
                | '·'
                | '^'
                | '°'
                | '¨'
                | '´'
                | '¯'
        ) || c.is_whitespace()
            || (c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase())
    };
    let s = s.trim_start_matches(junk);
    let end = s.trim_end_matches(|c: char| junk(c) && c != '.' && c != ':' && c != ',');
    end.trim_end_matches(|c: char| c.is_whitespace())
}

/// Levenshtein distance over chars.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Whether two keys are equal up to OCR noise: equal, or within one edit for 6+ characters,
/// two edits for 12+.
pub fn near(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let n = a.chars().count().min(b.chars().count());
    let allowed = if n >= 12 {
        2
    } else if n >= 6 {
        1
    } else {
        0
    };
    allowed > 0 && distance(a, b) <= allowed
}

/// A character OCR often reads instead of a digit, mapped to the digit: `O`→0, `l`/`I`/`|`→1, …
pub fn digit_of(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        'O' | 'o' | 'Q' | 'D' | 'Ô' | 'Ơ' | 'ô' | 'ơ' => Some(0),
        'l' | 'L' | 'I' | '|' | 'i' | '!' | 'í' | 'ì' | 'Í' => Some(1),
        'Z' | 'z' => Some(2),
        'S' | 's' => Some(5),
        'B' => Some(8),
        'g' => Some(9),
        _ => None,
    }
}

/// A token read as a number when it is mostly digits: `"2O21"` → `"2021"`, `"l5"` → `"15"`.
/// `None` when it has no real digit or more look-alikes than digits.
pub fn fix_digits(tok: &str) -> Option<String> {
    let chars: Vec<char> = tok.chars().collect();
    if chars.is_empty() {
        return None;
    }
    let real = chars.iter().filter(|c| c.is_ascii_digit()).count();
    if real == 0 || real * 2 < chars.len() {
        return None;
    }
    chars.iter().map(|&c| digit_of(c).and_then(|d| char::from_digit(d, 10))).collect()
}

/// Whether a string has any lower-case letter.
pub fn has_lower(s: &str) -> bool {
    s.chars().any(|c| c.is_lowercase())
}

/// Whether a string's letters are mostly upper case (at least 2 letters, ≤ 10% lower case).
pub fn mostly_upper(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    let lower = letters.iter().filter(|c| c.is_lowercase()).count();
    letters.len() >= 2 && lower * 10 <= letters.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_fold_and_collapse() {
        assert_eq!(key("Sô: 12/QĐ - UBND"), "SO 12 QD UBND");
        assert_eq!(key("  QUYÉT   ĐINH "), "QUYET DINH");
        assert_eq!(key("---"), "");
    }

    #[test]
    fn junk_is_trimmed() {
        assert_eq!(trim_junk("_ Số:8528/TTr-STC"), "Số:8528/TTr-STC");
        assert_eq!(trim_junk(". GIẤY MỜI `"), "GIẤY MỜI");
        assert_eq!(trim_junk("— CỘNG HÒA -"), "CỘNG HÒA");
        assert_eq!(trim_junk("(để báo cáo)"), "(để báo cáo)");
    }

    #[test]
    fn distance_and_near() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert!(near("THONG BAO", "THONG BAD"));
        assert!(!near("KHAN", "KHAM"));
    }

    #[test]
    fn digits_are_fixed_only_in_numbers() {
        assert_eq!(fix_digits("2O21").as_deref(), Some("2021"));
        assert_eq!(fix_digits("l5").as_deref(), Some("15"));
        assert_eq!(fix_digits("05").as_deref(), Some("05"));
        assert_eq!(fix_digits("ngay"), None);
        assert_eq!(fix_digits("OI"), None);
        assert_eq!(fix_digits("1x"), None);
    }

    proptest! {
        #[test]
        fn fixing_digits_never_panics_and_keeps_numbers(s in "\\PC{0,12}", n in 0u32..100000) {
            let _ = fix_digits(&s);
            let _ = key(&s);
            prop_assert_eq!(fix_digits(&n.to_string()), Some(n.to_string()));
        }
    }
}
