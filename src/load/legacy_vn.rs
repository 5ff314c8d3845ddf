//! Vietnamese text in the legacy 8-bit font encodings TCVN3 (ABC, `.VnTime` fonts) and VNI
//! (`VNI-Times` fonts), as it comes out of a PDF text layer without a Unicode map: each font
//! byte is read as a Windows-1252/Latin-1 character, giving mojibake such as "Quy Õt ®Þnh"
//! (TCVN3) or "Quyeát ñònh" (VNI). Both are converted back with full character tables.
//!
//! Detection compares how many words are plausible Vietnamese syllables before and after each
//! conversion; when no reading is clearly right the verdict is [`Verdict::Unsure`] and the page
//! is OCRed instead.

use unicode_normalization::UnicodeNormalization;

/// TCVN3 (TCVN 5712:1993 VN3) bytes 0xA1–0xFE → Unicode. Bytes not listed are unused in the
/// ABC fonts and are left unchanged.
pub const TCVN3: [(u8, char); 67] = [
    (0xA1, 'Ă'),
    (0xA2, 'Â'),
    (0xA3, 'Ê'),
    (0xA4, 'Ô'),
    (0xA5, 'Ơ'),
    (0xA6, 'Ư'),
    (0xA7, 'Đ'),
    (0xA8, 'ă'),
    (0xA9, 'â'),
    (0xAA, 'ê'),
    (0xAB, 'ô'),
    (0xAC, 'ơ'),
    (0xAD, 'ư'),
    (0xAE, 'đ'),
    (0xB5, 'à'),
    (0xB6, 'ả'),
    (0xB7, 'ã'),
    (0xB8, 'á'),
    (0xB9, 'ạ'),
    (0xBB, 'ằ'),
    (0xBC, 'ẳ'),
    (0xBD, 'ẵ'),
    (0xBE, 'ắ'),
    (0xC6, 'ặ'),
    (0xC7, 'ầ'),
    (0xC8, 'ẩ'),
    (0xC9, 'ẫ'),
    (0xCA, 'ấ'),
    (0xCB, 'ậ'),
    (0xCC, 'è'),
    (0xCE, 'ẻ'),
    (0xCF, 'ẽ'),
    (0xD0, 'é'),
    (0xD1, 'ẹ'),
    (0xD2, 'ề'),
    (0xD3, 'ể'),
    (0xD4, 'ễ'),
    (0xD5, 'ế'),
    (0xD6, 'ệ'),
    (0xD7, 'ì'),
    (0xD8, 'ỉ'),
    (0xDC, 'ĩ'),
    (0xDD, 'í'),
    (0xDE, 'ị'),
    (0xDF, 'ò'),
    (0xE1, 'ỏ'),
    (0xE2, 'õ'),
    (0xE3, 'ó'),
    (0xE4, 'ọ'),
    (0xE5, 'ồ'),
    (0xE6, 'ổ'),
    (0xE7, 'ỗ'),
    (0xE8, 'ố'),
    (0xE9, 'ộ'),
    (0xEA, 'ờ'),
    (0xEB, 'ở'),
    (0xEC, 'ỡ'),
    (0xED, 'ớ'),
    (0xEE, 'ợ'),
    (0xEF, 'ù'),
    (0xF1, 'ủ'),
    (0xF2, 'ũ'),
    (0xF3, 'ú'),
    (0xF4, 'ụ'),
    (0xF5, 'ừ'),
    (0xF6, 'ử'),
    (0xF7, 'ữ'),
];

/// The rest of the TCVN3 table (0xF8–0xFE).
pub const TCVN3_TAIL: [(u8, char); 7] =
    [(0xF8, 'ứ'), (0xF9, 'ự'), (0xFA, 'ỳ'), (0xFB, 'ỷ'), (0xFC, 'ỹ'), (0xFD, 'ý'), (0xFE, 'ỵ')];

/// VNI tone and vowel marks, as the Latin-1 character that follows the base letter
/// (lowercase forms; the uppercase forms are these minus 0x20).
const VNI_TONES: [(char, char); 5] = [
    ('ù', '\u{301}'), // sắc
    ('ø', '\u{300}'), // huyền
    ('û', '\u{309}'), // hỏi
    ('õ', '\u{303}'), // ngã
    ('ï', '\u{323}'), // nặng
];
/// Circumflex (on a, e, o) with no tone or each tone.
const VNI_CIRCUMFLEX: [(char, Option<char>); 6] = [
    ('â', None),
    ('á', Some('\u{301}')),
    ('à', Some('\u{300}')),
    ('å', Some('\u{309}')),
    ('ã', Some('\u{303}')),
    ('ä', Some('\u{323}')),
];
/// Breve (on a) with no tone or each tone.
const VNI_BREVE: [(char, Option<char>); 6] = [
    ('ê', None),
    ('é', Some('\u{301}')),
    ('è', Some('\u{300}')),
    ('ú', Some('\u{309}')),
    ('ü', Some('\u{303}')),
    ('ë', Some('\u{323}')),
];
/// Single VNI characters: ơ, ư, the toned i (í, ì, ỉ, ĩ, ị), ỵ and đ.
const VNI_SINGLE: [(char, &str); 9] = [
    ('ô', "ơ"),
    ('ö', "ư"),
    ('í', "í"),
    ('ì', "ì"),
    ('æ', "ỉ"),
    ('ó', "ĩ"),
    ('ò', "ị"),
    ('î', "ỵ"),
    ('ñ', "đ"),
];

/// The complete VNI table: sequences of one or two Latin-1 characters → one Vietnamese letter,
/// lowercase and uppercase.
pub fn vni_table() -> Vec<(String, String)> {
    let mut t: Vec<(String, String)> = Vec::new();
    let compose = |s: String| -> String { s.nfc().collect() };
    for upper in [false, true] {
        let case = |c: char| if upper { c.to_uppercase().next().unwrap_or(c) } else { c };
        for base in ['a', 'e', 'o', 'u', 'y'] {
            for (m, tone) in VNI_TONES {
                t.push((format!("{}{}", case(base), case(m)), compose(format!("{}{tone}", case(base)))));
            }
        }
        for base in ['a', 'e', 'o'] {
            for (m, tone) in VNI_CIRCUMFLEX {
                let s = format!("{}\u{302}{}", case(base), tone.map(String::from).unwrap_or_default());
                t.push((format!("{}{}", case(base), case(m)), compose(s)));
            }
        }
        for (m, tone) in VNI_BREVE {
            let s = format!("{}\u{306}{}", case('a'), tone.map(String::from).unwrap_or_default());
            t.push((format!("{}{}", case('a'), case(m)), compose(s)));
        }
        // ơ and ư with a tone: the horn letter followed by a tone mark.
        for (horn, base) in [('ô', 'o'), ('ö', 'u')] {
            for (m, tone) in VNI_TONES {
                let s = format!("{}\u{31B}{tone}", case(base));
                t.push((format!("{}{}", case(horn), case(m)), compose(s)));
            }
        }
        for (c, v) in VNI_SINGLE {
            let v = if upper { v.to_uppercase() } else { v.to_string() };
            t.push((case(c).to_string(), v));
        }
    }
    // 'y' + nặng is written with the single character î; drop the two-character form.
    t.retain(|(k, _)| k != "yï" && k != "YÏ");
    t
}

/// Converts TCVN3 mojibake to Unicode (NFC).
pub fn from_tcvn3(s: &str) -> String {
    let out: String = s.chars().map(|c| tcvn3_char(c).unwrap_or(c)).collect();
    fix_case(&out)
}

fn tcvn3_char(c: char) -> Option<char> {
    let b = u8::try_from(c as u32).ok()?;
    TCVN3.iter().chain(TCVN3_TAIL.iter()).find(|(k, _)| *k == b).map(|(_, v)| *v)
}

/// Converts VNI mojibake to Unicode (NFC).
pub fn from_vni(s: &str) -> String {
    let table = vni_table();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if i + 1 < chars.len() {
            let pair: String = chars[i..i + 2].iter().collect();
            if let Some((_, v)) = table.iter().find(|(k, _)| *k == pair) {
                out.push_str(v);
                i += 2;
                continue;
            }
        }
        let one = chars[i].to_string();
        match table.iter().find(|(k, _)| *k == one) {
            Some((_, v)) => out.push_str(v),
            None => out.push(chars[i]),
        }
        i += 1;
    }
    out
}

/// Upper-case fonts (`.VnTimeH`) use the lowercase codes: a word whose ASCII letters are all
/// capitals is written in capitals.
fn fix_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let ascii: Vec<char> = word.chars().filter(char::is_ascii_alphabetic).collect();
        if ascii.len() >= 2 && ascii.iter().all(char::is_ascii_uppercase) {
            out.push_str(&word.to_uppercase());
        } else {
            out.push_str(word);
        }
    }
    out
}

/// A legacy Vietnamese encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN3 (ABC).
    Tcvn3,
    /// VNI.
    Vni,
}

/// Converts text in `enc` to Unicode.
pub fn convert(text: &str, enc: Legacy) -> String {
    match enc {
        Legacy::Tcvn3 => from_tcvn3(text),
        Legacy::Vni => from_vni(text),
    }
}

/// What the text of a layer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Unicode already (or no Vietnamese letters to judge by).
    Unicode,
    /// A legacy encoding, converted.
    Converted(Legacy, String),
    /// Looks like mojibake but no table reads it well: OCR the page.
    Unsure,
}

/// Decides whether `text` is TCVN3 or VNI mojibake and converts it.
///
/// A reading is accepted when nearly all words with marks carry them where Vietnamese does and
/// most words are Vietnamese syllables; a text that is not Vietnamese in any reading (German
/// with umlauts, say) is left as it is.
pub fn detect_and_convert(text: &str) -> Verdict {
    let (valid, informative) = plausibility(text);
    if informative < 3 || valid * 10 >= informative * 9 {
        return Verdict::Unicode;
    }
    let mut best: Option<(f64, f64, Legacy, String)> = None;
    for enc in [Legacy::Tcvn3, Legacy::Vni] {
        let converted = convert(text, enc);
        let (v, n) = plausibility(&converted);
        let marks = if n == 0 { 1.0 } else { v as f64 / n as f64 };
        let syllables = syllable_share(&converted);
        if best.as_ref().is_none_or(|(m, s, _, _)| marks + syllables > m + s) {
            best = Some((marks, syllables, enc, converted));
        }
    }
    match best {
        Some((marks, syllables, enc, converted)) if marks >= 0.9 && syllables >= 0.7 => {
            Verdict::Converted(enc, converted)
        }
        Some((_, syllables, _, _)) if syllables >= 0.5 || syllable_share(text) >= 0.5 => Verdict::Unsure,
        _ => Verdict::Unicode,
    }
}

/// The share of alphabetic words that are Vietnamese syllables (see [`is_syllable`]).
fn syllable_share(text: &str) -> f64 {
    let mut n = 0usize;
    let mut ok = 0usize;
    for word in text.split(|c: char| c.is_whitespace() || is_punctuation(c)) {
        if word.is_empty() || word.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        n += 1;
        if is_syllable(word) {
            ok += 1;
        }
    }
    if n == 0 {
        0.0
    } else {
        ok as f64 / n as f64
    }
}

/// Whether `word`, marks removed, has the shape of a Vietnamese syllable: an optional initial
/// consonant, one to three vowels, an optional final consonant.
fn is_syllable(word: &str) -> bool {
    let base: String = word
        .nfd()
        .filter(|c| !matches!(c, '\u{300}'..='\u{36F}'))
        .map(|c| if c == 'đ' || c == 'Đ' { 'd' } else { c.to_ascii_lowercase() })
        .collect();
    if !base.chars().all(|c| c.is_ascii_lowercase()) {
        return false;
    }
    const INITIALS: [&str; 27] = [
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h", "k", "l",
        "m", "n", "p", "r", "s", "t", "v", "x", "",
    ];
    const FINALS: [&str; 9] = ["ng", "nh", "ch", "c", "m", "n", "p", "t", ""];
    let is_vowel = |c: char| "aeiouy".contains(c);
    INITIALS.iter().filter(|i| base.starts_with(*i)).any(|i| {
        let rest = &base[i.len()..];
        let nucleus = rest.chars().take_while(|&c| is_vowel(c)).count();
        (1..=3).contains(&nucleus) && FINALS.contains(&&rest[nucleus..])
            || nucleus == 0 && *i == "gi" && FINALS.contains(&rest)
    })
}

/// (plausible Vietnamese words, words with a non-ASCII character) in `text`.
fn plausibility(text: &str) -> (usize, usize) {
    let mut valid = 0;
    let mut informative = 0;
    for word in text.split(|c: char| c.is_whitespace() || is_punctuation(c)) {
        if word.chars().all(|c| c.is_ascii() || is_punctuation(c)) {
            continue;
        }
        informative += 1;
        if is_vietnamese_word(word) {
            valid += 1;
        }
    }
    (valid, informative)
}

/// A word made of Latin letters carrying only the Vietnamese marks where Vietnamese puts them:
/// at most one tone; circumflex on a/e/o, breve on a, horn on o/u; đ.
fn is_vietnamese_word(word: &str) -> bool {
    let mut tones = 0;
    let mut prev: Option<char> = None;
    for c in word.nfd() {
        match c {
            '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' => {
                tones += 1;
                if !prev.is_some_and(is_vowel_or_mark) {
                    return false;
                }
            }
            '\u{302}' => {
                if !prev.is_some_and(|p| "aeoAEO".contains(p)) {
                    return false;
                }
            }
            '\u{306}' => {
                if !prev.is_some_and(|p| "aA".contains(p)) {
                    return false;
                }
            }
            '\u{31B}' => {
                if !prev.is_some_and(|p| "ouOU".contains(p)) {
                    return false;
                }
            }
            'đ' | 'Đ' => {}
            c if c.is_ascii_alphanumeric() => {}
            _ => return false,
        }
        if !matches!(c, '\u{300}'..='\u{36F}') {
            prev = Some(c);
        } else if matches!(c, '\u{302}' | '\u{306}' | '\u{31B}') {
            // A vowel with a vowel mark still takes a tone.
            prev = prev.map(|p| p.to_ascii_lowercase());
        }
    }
    tones <= 1
}

/// Punctuation that separates words in Unicode text and is not a TCVN3 or VNI letter code.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '–' | '—' | '‑' | '‘' | '’' | '“' | '”' | '…' | '•' | '°' | '€' | '™' | '\u{A0}')
}

fn is_vowel_or_mark(c: char) -> bool {
    "aeiouyAEIOUY".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Vietnamese letter (the 67 lowercase + 7 capitals of the TCVN3 table) round-trips.
    #[test]
    fn tcvn3_table_is_complete_and_unique() {
        let all: Vec<(u8, char)> = TCVN3.iter().chain(TCVN3_TAIL.iter()).copied().collect();
        assert_eq!(all.len(), 74);
        let mut bytes: Vec<u8> = all.iter().map(|p| p.0).collect();
        bytes.dedup();
        assert_eq!(bytes.len(), 74, "bytes are sorted and unique");
        let mut chars: Vec<char> = all.iter().map(|p| p.1).collect();
        chars.sort();
        chars.dedup();
        assert_eq!(chars.len(), 74);
        // All 67 lowercase Vietnamese letters outside ASCII.
        let lower = vietnamese_lowercase();
        for c in &lower {
            assert!(all.iter().any(|p| p.1 == *c), "{c} missing from TCVN3");
        }
        for (b, c) in &all {
            assert_eq!(from_tcvn3(&char::from(*b).to_string()), c.to_string());
        }
    }

    /// The 67 lowercase letters with Vietnamese marks (a/ă/â/e/ê/i/o/ô/ơ/u/ư/y × tones, đ).
    fn vietnamese_lowercase() -> Vec<char> {
        let tones = ["", "\u{300}", "\u{301}", "\u{303}", "\u{309}", "\u{323}"];
        let mut v = Vec::new();
        for base in [
            "a", "a\u{306}", "a\u{302}", "e", "e\u{302}", "i", "o", "o\u{302}", "o\u{31B}", "u", "u\u{31B}",
            "y",
        ] {
            for t in tones {
                let s: String = format!("{base}{t}").nfc().collect();
                let mut it = s.chars();
                let c = it.next().unwrap();
                assert!(it.next().is_none(), "{s} is one letter");
                if !c.is_ascii() {
                    v.push(c);
                }
            }
        }
        v.push('đ');
        assert_eq!(v.len(), 67);
        v
    }

    #[test]
    fn vni_table_covers_every_letter_both_cases() {
        let t = vni_table();
        let values: Vec<&String> = t.iter().map(|(_, v)| v).collect();
        for c in vietnamese_lowercase() {
            let lc = c.to_string();
            let uc = c.to_uppercase().to_string();
            assert!(values.contains(&&lc), "{lc} missing from VNI");
            assert!(values.contains(&&uc), "{uc} missing from VNI");
        }
        // No key is listed twice.
        let mut keys: Vec<&String> = t.iter().map(|(k, _)| k).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
        // Each entry converts to its value.
        for (k, v) in &t {
            assert_eq!(&from_vni(k), v, "{k}");
        }
    }

    #[test]
    fn converts_real_phrases() {
        assert_eq!(from_tcvn3("Quy\u{D5}t \u{AE}\u{DE}nh"), "Quyết định");
        assert_eq!(from_tcvn3("B\u{B6}o Th\u{BE}ng"), "Bảo Thắng");
        assert_eq!(from_tcvn3("M\u{AD}\u{EA}ng Kh\u{AD}\u{AC}ng"), "Mường Khương");
        assert_eq!(from_tcvn3("QUY\u{D5}T \u{AE}\u{DE}NH"), "QUYẾT ĐỊNH");
        assert_eq!(from_vni("Xin chaøo caùc baïn"), "Xin chào các bạn");
        assert_eq!(from_vni("Quyeát ñònh"), "Quyết định");
        assert_eq!(from_vni("Ngöôøi kyù"), "Người ký");
        assert_eq!(from_vni("COÄNG HOØA"), "CỘNG HÒA");
    }

    #[test]
    fn detection() {
        let tcvn = "Uû ban nh\u{A9}n d\u{A9}n";
        assert_eq!(detect_and_convert(tcvn), Verdict::Converted(Legacy::Tcvn3, "Uỷ ban nhân dân".into()));
        let dashes = "Nhiệm kỳ 2021–2026, “kế hoạch” … 5 năm • số 12/2024/QĐ‑UBND";
        assert_eq!(detect_and_convert(dashes), Verdict::Unicode);
        let unicode = "Quyết định về việc phê duyệt kế hoạch của Ủy ban nhân dân thành phố";
        assert_eq!(detect_and_convert(unicode), Verdict::Unicode);
        let m = "Quy\u{D5}t \u{AE}\u{DE}nh v\u{AA} vi\u{D6}c ph\u{AA} duy\u{D6}t k\u{D5} ho\u{B8}ch c\u{F1}a";
        assert_eq!(
            detect_and_convert(m),
            Verdict::Converted(Legacy::Tcvn3, "Quyết định vê việc phê duyệt kế hoách của".into())
        );
        let v = "Quyeát ñònh veà vieäc pheâ duyeät keá hoaïch cuûa UÛy ban nhaân daân";
        assert_eq!(
            detect_and_convert(v),
            Verdict::Converted(
                Legacy::Vni,
                "Quyết định về việc phê duyệt kế hoạch của Ủy ban nhân dân".into()
            )
        );
        assert_eq!(detect_and_convert("ÞÞÞ ßßß ¤¤¤ ®®® ÆÆÆ"), Verdict::Unsure);
        assert_eq!(detect_and_convert("plain English text"), Verdict::Unicode);
        let german = "Auf der Registerkarte 'Einfügen' enthalten die Kataloge Elemente, die mit dem \
                      Gesamterscheinungsbild Ihres Dokuments koordiniert werden sollen. Sie können \
                      diese Kataloge verwenden, um Tabellen, Kopf- und Fußzeilen einzufügen, ändern";
        assert_eq!(detect_and_convert(german), Verdict::Unicode);
    }

    #[test]
    fn syllables() {
        for w in ["nghiêng", "Quyết", "định", "gì", "ĐƯỜNG", "khuya", "a", "oanh"] {
            assert!(is_syllable(w), "{w}");
        }
        for w in ["Registerkarte", "Einfügen", "str", "xyz", "abc1"] {
            assert!(!is_syllable(w), "{w}");
        }
    }
}
