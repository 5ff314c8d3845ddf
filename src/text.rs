//! Vietnamese text helpers shared by every stage: NFC, tone-placement normalisation, diacritic
//! folding. One concept, one place: OCR output, extraction, the index and queries all use these.

use unicode_normalization::UnicodeNormalization;

/// Unicode NFC (composed form). Every string sohoa stores goes through this.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Old-style tone placement (`hoà`, `Uỷ`, `thuý`) rewritten to the modern placement (`hòa`, `Ủy`,
/// `thúy`), as the extracted fields require. The input should be NFC; the output is NFC.
///
/// The rule: in the open rimes `oa`, `oe`, `uy` (nothing after them, not after `q`), old style
/// puts the tone on the second vowel and modern style on the first: `hoà` → `hòa`. Closed rimes
/// are the same in both styles (`hoàng`).
pub fn modern_tones(s: &str) -> String {
    // Map each toned vowel to (base, tone index) and back, then fix open `oa`, `oe`, `uy`.
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<char> = chars.clone();
    let n = chars.len();
    let mut i = 0;
    while i + 1 < n {
        let a = chars[i];
        let b = chars[i + 1];
        let (a_base, a_tone) = split_tone(a);
        let (b_base, b_tone) = split_tone(b);
        let pair = (a_base.to_ascii_lowercase(), b_base.to_ascii_lowercase());
        let open_rime = matches!(pair, ('o', 'a') | ('o', 'e') | ('u', 'y'));
        let followed_by_letter = i + 2 < n && chars[i + 2].is_alphabetic();
        // `qu` + y: "quý" keeps the tone on y (u is part of the consonant).
        let after_q = i > 0 && matches!(chars[i - 1], 'q' | 'Q') && pair.0 == 'u';
        // "gi" + a... not relevant here; only act when the first vowel is toneless and the second toned.
        if open_rime && !followed_by_letter && !after_q && a_tone == 0 && b_tone != 0 {
            // The pair must start a rime: the letter before must not be a vowel (e.g. "khoẻ" yes).
            let prev_vowel = i > 0 && is_vowel(split_tone(chars[i - 1]).0);
            if !prev_vowel {
                out[i] = with_tone(a, b_tone);
                out[i + 1] = b_base;
            }
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// The toned forms of each Vietnamese vowel, lowercase then uppercase: index 0 is the toneless
/// vowel, then huyền, sắc, hỏi, ngã, nặng.
const TONED: [[char; 6]; 24] = [
    ['a', 'à', 'á', 'ả', 'ã', 'ạ'],
    ['ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ề', 'ế', 'ể', 'ễ', 'ệ'],
    ['i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự'],
    ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'],
    ['A', 'À', 'Á', 'Ả', 'Ã', 'Ạ'],
    ['Ă', 'Ằ', 'Ắ', 'Ẳ', 'Ẵ', 'Ặ'],
    ['Â', 'Ầ', 'Ấ', 'Ẩ', 'Ẫ', 'Ậ'],
    ['E', 'È', 'É', 'Ẻ', 'Ẽ', 'Ẹ'],
    ['Ê', 'Ề', 'Ế', 'Ể', 'Ễ', 'Ệ'],
    ['I', 'Ì', 'Í', 'Ỉ', 'Ĩ', 'Ị'],
    ['O', 'Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ'],
    ['Ô', 'Ồ', 'Ố', 'Ổ', 'Ỗ', 'Ộ'],
    ['Ơ', 'Ờ', 'Ớ', 'Ở', 'Ỡ', 'Ợ'],
    ['U', 'Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ'],
    ['Ư', 'Ừ', 'Ứ', 'Ử', 'Ữ', 'Ự'],
    ['Y', 'Ỳ', 'Ý', 'Ỷ', 'Ỹ', 'Ỵ'],
];

/// The row of [`TONED`] holding `c` and the tone index of `c` in it. ASCII letters are toneless
/// (index 0) or not vowels, so they need no search.
fn tone_row(c: char) -> Option<(&'static [char; 6], usize)> {
    if c.is_ascii() {
        return TONED.iter().find(|row| row[0] == c).map(|row| (row, 0));
    }
    TONED.iter().find_map(|row| row.iter().position(|&x| x == c).map(|k| (row, k)))
}

/// Splits a vowel into its toneless form and tone index (0 none, 1 huyền … 5 nặng).
fn split_tone(c: char) -> (char, usize) {
    if c.is_ascii() {
        return (c, 0);
    }
    tone_row(c).map_or((c, 0), |(row, k)| (row[0], k))
}

fn with_tone(c: char, tone: usize) -> char {
    tone_row(c).map_or(c, |(row, _)| row[tone])
}

fn is_vowel(c: char) -> bool {
    "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY".contains(c)
}

/// Removes diacritics and maps `đ`→`d`, `Đ`→`D`: "Quyết định" → "Quyet dinh".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            '\u{0300}'..='\u{036f}' => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes() {
        assert_eq!(nfc("Quye\u{0302}\u{0301}t"), "Quyết");
    }

    #[test]
    fn old_tones_become_modern() {
        assert_eq!(modern_tones("Uỷ ban"), "Ủy ban");
        assert_eq!(modern_tones("UỶ BAN"), "ỦY BAN");
        assert_eq!(modern_tones("Cộng hoà"), "Cộng hòa");
        assert_eq!(modern_tones("khoẻ"), "khỏe");
        assert_eq!(modern_tones("Hoàng"), "Hoàng");
        assert_eq!(modern_tones("quý"), "quý");
        assert_eq!(modern_tones("Thuý"), "Thúy");
        assert_eq!(modern_tones("hòa"), "hòa");
        assert_eq!(modern_tones("hoá đơn"), "hóa đơn");
        assert_eq!(modern_tones("Hỏa tốc"), "Hỏa tốc");
    }

    #[test]
    fn tone_table_cases_agree() {
        for (lower, upper) in TONED[..12].iter().zip(&TONED[12..]) {
            for (l, u) in lower.iter().zip(upper) {
                assert_eq!(l.to_uppercase().collect::<String>(), u.to_string());
            }
        }
        assert_eq!(split_tone('Ỷ'), ('Y', 3));
        assert_eq!(split_tone('o'), ('o', 0));
        assert_eq!(with_tone('u', 3), 'ủ');
        assert_eq!(with_tone('U', 3), 'Ủ');
    }

    #[test]
    fn folding_removes_marks_and_d() {
        assert_eq!(fold("Quyết định ĐIỀU"), "Quyet dinh DIEU");
        assert_eq!(fold("Ủy ban nhân dân"), "Uy ban nhan dan");
    }
}
