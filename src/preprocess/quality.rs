//! The Vietnamese quality gate: the share of a page's words that are valid Vietnamese syllables,
//! numbers or upper-case codes. Clean OCR of an administrative document scores above 0.9; a page
//! read sideways, through noise or with the wrong model scores far lower.
//!
//! The syllables come from `dictionaries/syllables.txt` (made by `scripts/gen-syllables.py`:
//! onset × rime × tone under the spelling rules, plus a few from the dev ground truth). Words are
//! compared without their tone mark, then the tone is checked against the tones the base allows,
//! so both tone placements (`hoà`/`hòa`, `uỷ`/`ủy`) are accepted.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicodedata_tone::split_tone;

use crate::page::{TextPage, TextSource};

/// Pages whose health is below this are retried and, if still below, flagged for review.
pub const GATE: f32 = 0.75;
/// Pages with fewer words than this are not judged (a blank page or a cover is not bad OCR).
pub const MIN_WORDS: usize = 20;

/// Mixed-case abbreviations of administrative texts (upper-case codes pass by rule).
const ABBREVIATIONS: [&str; 12] =
    ["V/v", "v/v", "TTr", "Th", "Tr", "Đ/c", "ThS", "TS", "PGS", "GS", "Tp", "Ths"];

/// The syllable list: toneless base → bit set of the tones it takes (bit 0 = no tone).
pub struct Syllables(HashMap<String, u8>);

static LIST: &str = include_str!("../../dictionaries/syllables.txt");

/// The built-in syllable list, loaded once.
pub fn syllables() -> &'static Syllables {
    static S: OnceLock<Syllables> = OnceLock::new();
    S.get_or_init(|| Syllables::parse(LIST))
}

impl Syllables {
    /// Parses one syllable per line; `#` lines are comments.
    pub fn parse(text: &str) -> Syllables {
        let mut m: HashMap<String, u8> = HashMap::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            if let Some((base, tone)) = split_tone(&line.to_lowercase()) {
                *m.entry(base).or_default() |= 1 << tone;
            }
        }
        Syllables(m)
    }

    /// Number of toneless bases.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `word` (any case, either tone placement) is a Vietnamese syllable.
    pub fn contains(&self, word: &str) -> bool {
        match split_tone(&word.to_lowercase()) {
            Some((base, tone)) => self.0.get(&base).is_some_and(|t| t & (1 << tone) != 0),
            None => false,
        }
    }

    /// Whether an OCR token is plausible: a syllable (lower, Capitalised or UPPER case), a
    /// number or date, an upper-case code (`UBND`, `QĐ-UBND`), or such parts joined by `/`, `-`.
    /// `None` for tokens that are only punctuation (not judged).
    pub fn token_ok(&self, token: &str) -> Option<bool> {
        let t = token.trim_matches(|c: char| !c.is_alphanumeric());
        if t.is_empty() {
            return None;
        }
        Some(self.part_ok(t) || t.split(['/', '-', '.', ',']).all(|p| !p.is_empty() && self.part_ok(p)))
    }

    fn part_ok(&self, p: &str) -> bool {
        if p.chars().all(|c| c.is_ascii_digit()) || ABBREVIATIONS.contains(&p) {
            return true;
        }
        // List markers: a) b) đ) …
        if p.chars().count() == 1 && p.chars().all(char::is_alphabetic) {
            return true;
        }
        if p.chars().all(|c| c.is_ascii_digit() || ".,/-:".contains(c))
            && p.chars().any(|c| c.is_ascii_digit())
        {
            return true;
        }
        if !p.chars().all(char::is_alphabetic) {
            // Roman numerals and codes with digits (K15, 2a) pass; other mixtures fail.
            return p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == 'Đ')
                && p.chars().count() <= 10;
        }
        let mut chars = p.chars();
        let first_upper = chars.next().is_some_and(char::is_uppercase);
        let rest: Vec<char> = chars.collect();
        let all_upper = first_upper && rest.iter().all(|c| c.is_uppercase());
        let shape = rest.iter().all(|c| c.is_lowercase()) || all_upper;
        if !shape {
            return false;
        }
        if self.contains(p) {
            return true;
        }
        // Upper-case abbreviations (UBND, HĐND, TP) of plain letters.
        all_upper && p.chars().count() <= 8 && p.chars().all(|c| c.is_ascii_uppercase() || c == 'Đ')
    }

    /// The share of judged tokens that are plausible, and how many were judged.
    pub fn health<'a>(&self, tokens: impl IntoIterator<Item = &'a str>) -> (f32, usize) {
        let (mut ok, mut n) = (0usize, 0usize);
        for t in tokens {
            if let Some(v) = self.token_ok(t) {
                n += 1;
                ok += v as usize;
            }
        }
        (if n == 0 { 1.0 } else { ok as f32 / n as f32 }, n)
    }
}

/// The health of a recognised page (1.0 for embedded text and pages too short to judge).
pub fn page_health(page: &TextPage) -> f32 {
    if page.source != TextSource::Ocr {
        return 1.0;
    }
    let words = page.lines.iter().flat_map(|l| l.text.split_whitespace());
    let (h, n) = syllables().health(words);
    if n < MIN_WORDS {
        1.0
    } else {
        h
    }
}

/// Whether a document's text needs a human look: some OCR page is below the gate.
pub fn needs_review(pages: &[TextPage]) -> bool {
    pages.iter().any(|p| page_health(p) < GATE)
}

mod unicodedata_tone {
    use unicode_normalization::UnicodeNormalization;

    /// Tone marks as combining characters, by tone number (1 huyền … 5 nặng; 0 is no mark).
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];

    /// A lower-case word → (its letters without the tone mark, NFC; the tone 0–5).
    /// `None` when it has two tone marks or is not all letters.
    pub fn split_tone(w: &str) -> Option<(String, u8)> {
        let mut tone = 0u8;
        let mut base = String::with_capacity(w.len());
        for c in w.nfd() {
            if let Some(i) = TONES.iter().position(|&t| t == c) {
                if tone != 0 {
                    return None;
                }
                tone = i as u8 + 1;
            } else {
                base.push(c);
            }
        }
        let base: String = base.nfc().collect();
        if base.is_empty() || !base.chars().all(char::is_alphabetic) {
            return None;
        }
        Some((base, tone))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_large_and_accepts_both_tone_placements() {
        let s = syllables();
        assert!(s.len() > 2000, "{}", s.len());
        for w in ["hòa", "hoà", "ủy", "uỷ", "Quyết", "ĐỊNH", "người", "nghiêng", "khuya", "gì"]
        {
            assert!(s.contains(w), "{w}");
        }
        for w in ["hòá", "ngưòi", "kqa", "xyz", "hoaf", "bắc2"] {
            assert!(!s.contains(w), "{w}");
        }
        // Closed syllables (-p -t -c -ch) take only sắc and nặng.
        assert!(s.contains("việt") && s.contains("hết") && !s.contains("hềt") && !s.contains("hêt"));
    }

    #[test]
    fn tokens_numbers_and_codes() {
        let s = syllables();
        for t in [
            "35/2020/QĐ-UBND",
            "3833/TTr-STTTT",
            "V/v",
            "b)",
            "UBND",
            "(Ký",
            "tên)",
            "12.500.000",
            "28/9/2020",
            "XIV",
            "Điều",
            "1.",
        ] {
            assert_eq!(s.token_ok(t), Some(true), "{t}");
        }
        for t in ["ViệT", "l1ệt", "ngưòi", "tnrờng"] {
            assert_eq!(s.token_ok(t), Some(false), "{t}");
        }
        assert_eq!(s.token_ok("—;"), None);
    }

    fn ocr_page(text: &str) -> TextPage {
        let mut p = TextPage::from_plain(text);
        p.source = TextSource::Ocr;
        p
    }

    #[test]
    fn garbage_pages_need_review_short_and_embedded_ones_do_not() {
        let good = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 của Ủy ban nhân dân \
                    Thành phố về việc phê duyệt kế hoạch cải cách hành chính năm 2020 như sau";
        let bad = "Cn c Lut T chc chnh quyn đa phưong ngy l9 thng б nm 2Ol5 cựa Ủy bạn nhn dn \
                   Thnh ph vè việc phẻ duyt kế hoch ci cch hnh chnh nm 2O2O nhu su";
        assert!(!needs_review(&[ocr_page(good)]));
        assert!(needs_review(&[ocr_page(good), ocr_page(bad)]));
        assert!(!needs_review(&[ocr_page("Cn c Lut")]), "too short to judge");
        assert!(!needs_review(&[TextPage::from_plain(bad)]), "embedded text is not judged");
    }

    #[test]
    fn health_separates_clean_text_from_garbage() {
        let s = syllables();
        let clean = "Ủy ban nhân dân Thành phố Hồ Chí Minh quyết định phê duyệt kế hoạch năm 2020";
        let bad = "Ủy bạn nhân dn Thnh ph Hồ Cí Mnh qut địh phê duỵet kể hoạh nm 2O2O";
        assert!(s.health(clean.split(' ')).0 > 0.95);
        assert!(s.health(bad.split(' ')).0 < 0.6);
    }
}
