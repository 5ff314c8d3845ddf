//! The Vietnamese analyzer, the same at index and query time.
//!
//! NFC (done by the caller on stored text and queries, see [`nfc`]) → runs of letters, digits and
//! combining marks (so a Vietnamese syllable stays whole even if a mark slipped through
//! decomposed) → drop tokens of 40 bytes or more → lowercase → then either
//! - **exact** (`vi`): diacritics kept, old tone placement rewritten to the modern one with
//!   [`text::modern_tones`] so "hoà" and "hòa" are one term; or
//! - **folded** (`vi_fold`): diacritics and đ removed with [`text::fold`], so "quyet dinh" finds
//!   "Quyết định".
//!
//! Positions are indexed, so phrases work on both.
//!
//! [`VietTokenizer`] does all of this in one pass over the text, writing each token once into a
//! reused buffer: ASCII words are only lowercased, and the letters of Vietnamese and the other
//! Latin alphabets are lowercased and folded through a table (`latin`). A word holding any
//! other character goes through the general [`text::fold`], so the tokens are exactly those of
//! lowercasing and folding each word with the general functions.

use std::borrow::Cow;
use std::sync::OnceLock;

use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::text;

/// Name of the exact analyzer (diacritics kept, tones unified).
pub const EXACT: &str = "vi";
/// Name of the folded analyzer (no diacritics, đ → d).
pub const FOLDED: &str = "vi_fold";
/// Name of the keyword analyzer (whole value, lowercased): ids, symbols, types.
pub const KEYWORD: &str = "vi_keyword";

/// Tokens this long or longer (in bytes, as written) are dropped: OCR garbage, not words.
const MAX_TOKEN_BYTES: usize = 40;

/// NFC without copying when the text already is (the common case: records are NFC).
pub fn nfc(s: &str) -> Cow<'_, str> {
    // Characters below U+0300 and the precomposed letters of Latin Extended Additional (where
    // every Vietnamese letter with a tone is) are NFC and start a character: text made only of
    // them is NFC, without the general check's table lookups. In UTF-8, their bytes are those
    // below 0xCC (ASCII, continuation bytes, leads of U+0080–U+02FF) and the lead 0xE1 followed
    // by 0xB8–0xBB (U+1E00–U+1EFF).
    let b = s.as_bytes();
    let simple = b
        .iter()
        .enumerate()
        .all(|(i, &c)| c < 0xcc || (c == 0xe1 && matches!(b.get(i + 1), Some(0xb8..=0xbb))));
    if simple {
        return Cow::Borrowed(s);
    }
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        _ => Cow::Owned(text::nfc(s)),
    }
}

/// The exact analyzer.
pub fn exact() -> TextAnalyzer {
    TextAnalyzer::from(VietTokenizer::new(Form::Exact))
}

/// The folded analyzer.
pub fn folded() -> TextAnalyzer {
    TextAnalyzer::from(VietTokenizer::new(Form::Folded))
}

/// The keyword analyzer (one token: the whole value, lowercased).
pub fn keyword_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build()
}

/// Registers the analyzers on an index.
pub fn register(index: &tantivy::Index) {
    let m = index.tokenizers();
    m.register(EXACT, exact());
    m.register(FOLDED, folded());
    m.register(KEYWORD, keyword_analyzer());
}

/// The normal form of a keyword value (type, symbol): NFC, folded, lowercase, spaces collapsed.
/// "Quyết định" and "quyet  dinh" give the same key.
pub fn keyword(s: &str) -> String {
    let folded = text::fold(&nfc(s)).to_lowercase();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The tokens of `s` under `analyzer` (used to build filter phrases and to score pages).
pub fn tokens(analyzer: &mut TextAnalyzer, s: &str) -> Vec<String> {
    let s = nfc(s);
    let mut out = Vec::new();
    let mut ts = analyzer.token_stream(&s);
    while ts.advance() {
        out.push(ts.token().text.clone());
    }
    out
}

/// Whether a lowercase token could change under [`text::modern_tones`]: the rule moves a tone
/// from the second vowel of `oa`, `oe`, `uy` onto a toneless `o`/`u`, so a token without an ASCII
/// `o`/`u` followed by a non-ASCII letter is left alone (keeps indexing fast).
fn may_change_tones(t: &str) -> bool {
    t.as_bytes().windows(2).any(|w| matches!(w[0], b'o' | b'u') && w[1] >= 0x80)
}

/// What the analyzers need to know of a character of the Latin alphabets.
#[derive(Clone, Copy)]
struct Latin {
    /// A letter or digit (part of a word).
    word: bool,
    /// Its lowercase, when that is one character.
    lower: Option<char>,
    /// The folded form of its lowercase, when that is one character and folding it alone is
    /// folding it in any word: its decomposition is one starter and marks that fold removes.
    folded: Option<char>,
}

/// The characters [`LATIN`] covers: Latin-1 Supplement, Latin Extended-A and -B, Latin Extended
/// Additional.
const LATIN_RANGES: [(u32, u32); 2] = [(0x80, 0x250), (0x1e00, 0x1f00)];

/// The table of [`Latin`] entries over [`LATIN_RANGES`], made from the general functions once.
fn latin(c: char) -> Option<&'static Latin> {
    static LATIN: OnceLock<Vec<Latin>> = OnceLock::new();
    let table = LATIN.get_or_init(|| {
        let entry = |c: char| {
            let mut lower = c.to_lowercase();
            let lower = match (lower.next(), lower.next()) {
                (Some(l), None) => Some(l),
                _ => None,
            };
            let folded = lower.and_then(|l| {
                let d: Vec<char> = std::iter::once(l).nfd().collect();
                let marks_only = d[1..].iter().all(|m| ('\u{300}'..='\u{36f}').contains(m));
                let f = text::fold(&l.to_string());
                let mut f = f.chars();
                match (f.next(), f.next()) {
                    (Some(f), None) if canonical_combining_class(d[0]) == 0 && marks_only => Some(f),
                    _ => None,
                }
            });
            Latin { word: is_word_char(c), lower, folded }
        };
        LATIN_RANGES
            .iter()
            .flat_map(|&(from, to)| (from..to).map(|u| char::from_u32(u).map(entry)))
            .map(|e| e.unwrap_or(Latin { word: false, lower: None, folded: None }))
            .collect()
    });
    let u = c as u32;
    let mut base = 0;
    for (from, to) in LATIN_RANGES {
        if (from..to).contains(&u) {
            return table.get(base + (u - from) as usize);
        }
        base += (to - from) as usize;
    }
    None
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{0300}'..='\u{036f}').contains(&c)
}

fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        latin(c).map_or_else(|| is_word_char(c), |l| l.word)
    }
}

/// Which terms the analyzer makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Lowercase, diacritics kept, modern tone placement.
    Exact,
    /// Lowercase, diacritics and đ removed.
    Folded,
}

/// Splits text into runs of letters, digits and combining marks, drops the long ones, and writes
/// each as a term of its [`Form`].
#[derive(Clone)]
pub struct VietTokenizer {
    form: Form,
    token: Token,
    buffer: String,
}

impl VietTokenizer {
    /// A tokenizer making terms of `form`.
    pub fn new(form: Form) -> VietTokenizer {
        VietTokenizer { form, token: Token::default(), buffer: String::new() }
    }
}

/// The stream of [`VietTokenizer`].
pub struct VietTokenStream<'a> {
    text: &'a str,
    /// Where the rest of the text starts (a character boundary).
    at: usize,
    form: Form,
    token: &'a mut Token,
    buffer: &'a mut String,
}

impl Tokenizer for VietTokenizer {
    type TokenStream<'a> = VietTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietTokenStream<'a> {
        self.token.reset();
        VietTokenStream { text, at: 0, form: self.form, token: &mut self.token, buffer: &mut self.buffer }
    }
}

/// The character starting at byte `at` of `s` (a character boundary, not the end).
fn char_at(s: &str, at: usize) -> char {
    s[at..].chars().next().unwrap_or('\0')
}

impl VietTokenStream<'_> {
    /// Reads the next word from `self.at`, writing its term into the token as it goes; returns
    /// its byte offsets, `None` at the end of the text.
    fn next_word(&mut self) -> Option<(usize, usize)> {
        let (text, bytes) = (self.text, self.text.as_bytes());
        let mut i = self.at;
        // Skip to the first word character.
        loop {
            let &b = bytes.get(i)?;
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let c = char_at(text, i);
                if is_word(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        let from = i;
        let out = &mut self.token.text;
        // Another script or a lone combining mark (folded form): the general way, whole word.
        let mut general = false;
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                out.push(b.to_ascii_lowercase() as char);
                i += 1;
                continue;
            }
            let c = char_at(text, i);
            let latin = latin(c);
            if !latin.map_or_else(|| is_word_char(c), |l| l.word) {
                break;
            }
            match (self.form, latin) {
                (Form::Exact, Some(Latin { lower: Some(l), .. })) => out.push(*l),
                (Form::Exact, _) => out.extend(c.to_lowercase()),
                (Form::Folded, Some(Latin { folded: Some(f), .. })) => out.push(*f),
                (Form::Folded, _) => general = true,
            }
            i += c.len_utf8();
        }
        self.at = i;
        let word = &text[from..i];
        match self.form {
            Form::Exact if may_change_tones(out) => {
                let m = text::modern_tones(out);
                if m != *out {
                    *out = m;
                }
            }
            Form::Folded if general => {
                self.buffer.clear();
                self.buffer.extend(word.chars().flat_map(char::to_lowercase));
                *out = text::fold(self.buffer);
            }
            _ => {}
        }
        Some((from, i))
    }
}

impl TokenStream for VietTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            self.token.text.clear();
            self.token.position = self.token.position.wrapping_add(1);
            let Some((from, to)) = self.next_word() else {
                return false;
            };
            if to - from < MAX_TOKEN_BYTES {
                self.token.offset_from = from;
                self.token.offset_to = to;
                return true;
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_keeps_diacritics_and_unifies_tones() {
        let mut a = exact();
        assert_eq!(
            tokens(&mut a, "Quyết định số 4250/QĐ-UBND"),
            ["quyết", "định", "số", "4250", "qđ", "ubnd"]
        );
        assert_eq!(tokens(&mut a, "CỘNG HOÀ, Uỷ ban"), ["cộng", "hòa", "ủy", "ban"]);
        assert_eq!(tokens(&mut a, "Cộng hòa"), ["cộng", "hòa"]);
    }

    #[test]
    fn folded_removes_diacritics_and_d() {
        let mut a = folded();
        assert_eq!(tokens(&mut a, "ĐIỀU 1. Đồng ý; Ủy ban"), ["dieu", "1", "dong", "y", "uy", "ban"]);
        assert_eq!(tokens(&mut a, "quyet dinh"), ["quyet", "dinh"]);
    }

    #[test]
    fn decomposed_input_is_composed_first() {
        let mut a = folded();
        let nfd = "Quye\u{0302}\u{0301}t đi\u{0323}nh";
        assert_eq!(tokens(&mut a, nfd), ["quyet", "dinh"]);
        let mut e = exact();
        assert_eq!(tokens(&mut e, nfd), ["quyết", "định"]);
    }

    #[test]
    fn keyword_normal_form() {
        assert_eq!(keyword(" Quyết  định "), "quyet dinh");
        assert_eq!(keyword("4250/QĐ-UBND"), "4250/qd-ubnd");
    }

    /// The analyzers as they were written before the one-pass tokenizer: a chain of tantivy
    /// filters over the general functions. The one-pass tokenizer must give the same tokens.
    mod reference {
        use tantivy::tokenizer::{
            LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
        };

        use crate::text;

        #[derive(Clone, Default)]
        struct Words(Token);

        struct WordStream<'a> {
            text: &'a str,
            chars: std::str::CharIndices<'a>,
            token: &'a mut Token,
        }

        impl Tokenizer for Words {
            type TokenStream<'a> = WordStream<'a>;
            fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
                self.0.reset();
                WordStream { text, chars: text.char_indices(), token: &mut self.0 }
            }
        }

        impl TokenStream for WordStream<'_> {
            fn advance(&mut self) -> bool {
                self.token.text.clear();
                self.token.position = self.token.position.wrapping_add(1);
                while let Some((from, c)) = self.chars.next() {
                    if super::super::is_word_char(c) {
                        let to = self
                            .chars
                            .find(|(_, c)| !super::super::is_word_char(*c))
                            .map_or(self.text.len(), |(o, _)| o);
                        self.token.offset_from = from;
                        self.token.offset_to = to;
                        self.token.text.push_str(&self.text[from..to]);
                        return true;
                    }
                }
                false
            }
            fn token(&self) -> &Token {
                self.token
            }
            fn token_mut(&mut self) -> &mut Token {
                self.token
            }
        }

        #[derive(Clone, Copy)]
        struct MapFilter(fn(&str) -> Option<String>);
        #[derive(Clone)]
        struct Map<T>(T, fn(&str) -> Option<String>);
        struct MapStream<S>(S, fn(&str) -> Option<String>);

        impl TokenFilter for MapFilter {
            type Tokenizer<T: Tokenizer> = Map<T>;
            fn transform<T: Tokenizer>(self, tokenizer: T) -> Map<T> {
                Map(tokenizer, self.0)
            }
        }

        impl<T: Tokenizer> Tokenizer for Map<T> {
            type TokenStream<'a> = MapStream<T::TokenStream<'a>>;
            fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
                MapStream(self.0.token_stream(text), self.1)
            }
        }

        impl<S: TokenStream> TokenStream for MapStream<S> {
            fn advance(&mut self) -> bool {
                if !self.0.advance() {
                    return false;
                }
                if let Some(s) = (self.1)(&self.0.token().text) {
                    self.0.token_mut().text = s;
                }
                true
            }
            fn token(&self) -> &Token {
                self.0.token()
            }
            fn token_mut(&mut self) -> &mut Token {
                self.0.token_mut()
            }
        }

        fn analyzer(f: fn(&str) -> Option<String>) -> TextAnalyzer {
            TextAnalyzer::builder(Words::default())
                .filter(RemoveLongFilter::limit(super::super::MAX_TOKEN_BYTES))
                .filter(LowerCaser)
                .filter(MapFilter(f))
                .build()
        }

        pub fn exact() -> TextAnalyzer {
            analyzer(|t| {
                let b = t.as_bytes();
                if !b.windows(2).any(|w| matches!(w[0], b'o' | b'u') && w[1] >= 0x80) {
                    return None;
                }
                let m = text::modern_tones(t);
                (m != t).then_some(m)
            })
        }

        pub fn folded() -> TextAnalyzer {
            analyzer(|t| if t.is_ascii() { None } else { Some(text::fold(t)) })
        }
    }

    fn all_tokens(a: &mut TextAnalyzer, s: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut ts = a.token_stream(s);
        while ts.advance() {
            out.push(ts.token().clone());
        }
        out
    }

    fn same_as_reference(s: &str) {
        for (mut new, mut old) in [(exact(), reference::exact()), (folded(), reference::folded())] {
            assert_eq!(all_tokens(&mut new, s), all_tokens(&mut old, s), "{s:?}");
        }
    }

    #[test]
    fn one_pass_matches_the_filter_chain() {
        for s in [
            "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
            "Uỷ ban nhân dân Thuý Khoẻ quý hoá đơn Hỏa tốc QUÝ THUỶ",
            "Quye\u{0302}\u{0301}t đi\u{0323}nh x\u{0301}\u{0483} \u{0301}a",
            "Müller Ørsted ǅemal İstanbul ß ΣΊΣΥΦΟΣ Київ 北京 ١٢٣ Kelvin",
            &format!("{} ngắn {}", "dài".repeat(13), "ư".repeat(19)),
            "ﬁnance ｆｕｌｌ ½ ² Ⅻ",
        ] {
            same_as_reference(s);
        }
        // Every character the table covers, alone, in a word and after a combining mark.
        for (from, to) in LATIN_RANGES {
            for c in (from..to).filter_map(char::from_u32) {
                same_as_reference(&format!("{c} a{c}b {c}\u{301} {c}\u{483}"));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]
        #[test]
        fn one_pass_matches_the_filter_chain_on_any_text(
            s in "[a-zA-Z0-9 .,\\-/\u{c0}-\u{24f}\u{300}-\u{36f}\u{1ea0}-\u{1ef9}\u{370}-\u{3ff}\u{483}\u{4e00}\u{ff41}đĐ\n]{0,80}"
        ) {
            same_as_reference(&s);
        }

        #[test]
        fn nfc_fast_path_agrees(s in "[a-z \\u{80}-\\u{2ff}\\u{1d00}-\\u{1fff}\\u{300}-\\u{36f}\\u{4e00}]{0,20}") {
            proptest::prop_assert_eq!(nfc(&s), text::nfc(&s));
        }
    }

    #[test]
    fn long_and_empty_inputs_do_not_panic() {
        let mut a = exact();
        assert!(tokens(&mut a, "").is_empty());
        assert!(tokens(&mut a, &"x".repeat(100)).is_empty());
        assert!(tokens(&mut a, "\u{0301}\u{0301} ̣").len() <= 2);
    }
}
