//! The Vietnamese analyzer, the same at index and query time.
//!
//! NFC (done by the caller on stored text and queries, see [`nfc`]) → [`VietTokenizer`] (runs of
//! letters, digits and combining marks, so a Vietnamese syllable stays whole even if a mark slipped
//! through decomposed) → drop tokens over 40 bytes → lowercase → then either
//! - **exact** (`vi`): diacritics kept, old tone placement rewritten to the modern one with
//!   [`text::modern_tones`] so "hoà" and "hòa" are one term; or
//! - **folded** (`vi_fold`): diacritics and đ removed with [`text::fold`], so "quyet dinh" finds
//!   "Quyết định".
//!
//! Positions are indexed, so phrases work on both.

use std::borrow::Cow;

use tantivy::tokenizer::{
    LowerCaser, RawTokenizer, RemoveLongFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use unicode_normalization::{is_nfc_quick, IsNormalized};

use crate::text;

/// Name of the exact analyzer (diacritics kept, tones unified).
pub const EXACT: &str = "vi";
/// Name of the folded analyzer (no diacritics, đ → d).
pub const FOLDED: &str = "vi_fold";
/// Name of the keyword analyzer (whole value, lowercased): ids, symbols, types.
pub const KEYWORD: &str = "vi_keyword";

/// Tokens longer than this (in bytes) are dropped: OCR garbage, not words.
const MAX_TOKEN_BYTES: usize = 40;

/// NFC without copying when the text already is (the common case: records are NFC).
pub fn nfc(s: &str) -> Cow<'_, str> {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        _ => Cow::Owned(text::nfc(s)),
    }
}

/// The exact analyzer.
pub fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(VietTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(MapFilter(modern_token))
        .build()
}

/// The folded analyzer.
pub fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(VietTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(MapFilter(fold_token))
        .build()
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

/// Rewrites a lowercase token to the modern tone placement when it could change: the rule moves a
/// tone from the second vowel of `oa`, `oe`, `uy` onto a toneless `o`/`u`, so a token without an
/// ASCII `o`/`u` followed by a non-ASCII letter is left alone (keeps indexing fast).
fn modern_token(t: &str) -> Option<String> {
    let b = t.as_bytes();
    let candidate = b.windows(2).any(|w| matches!(w[0], b'o' | b'u') && w[1] >= 0x80);
    if !candidate {
        return None;
    }
    let m = text::modern_tones(t);
    (m != t).then_some(m)
}

fn fold_token(t: &str) -> Option<String> {
    if t.is_ascii() {
        None
    } else {
        Some(text::fold(t))
    }
}

/// Splits text into runs of letters, digits and combining marks.
#[derive(Clone, Default)]
pub struct VietTokenizer {
    token: Token,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{0300}'..='\u{036f}').contains(&c)
}

/// The stream of [`VietTokenizer`].
pub struct VietTokenStream<'a> {
    text: &'a str,
    chars: std::str::CharIndices<'a>,
    token: &'a mut Token,
}

impl Tokenizer for VietTokenizer {
    type TokenStream<'a> = VietTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietTokenStream<'a> {
        self.token.reset();
        VietTokenStream { text, chars: text.char_indices(), token: &mut self.token }
    }
}

impl TokenStream for VietTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        while let Some((from, c)) = self.chars.next() {
            if is_word_char(c) {
                let to =
                    self.chars.find(|(_, c)| !is_word_char(*c)).map(|(o, _)| o).unwrap_or(self.text.len());
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

/// A token filter that rewrites a token's text with a function (`None`: keep it).
#[derive(Clone, Copy)]
pub struct MapFilter(pub fn(&str) -> Option<String>);

impl TokenFilter for MapFilter {
    type Tokenizer<T: Tokenizer> = MapTokenizer<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> MapTokenizer<T> {
        MapTokenizer { inner: tokenizer, f: self.0 }
    }
}

/// The tokenizer wrapped by [`MapFilter`].
#[derive(Clone)]
pub struct MapTokenizer<T> {
    inner: T,
    f: fn(&str) -> Option<String>,
}

impl<T: Tokenizer> Tokenizer for MapTokenizer<T> {
    type TokenStream<'a> = MapStream<T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapStream { tail: self.inner.token_stream(text), f: self.f }
    }
}

/// The stream of [`MapTokenizer`].
pub struct MapStream<S> {
    tail: S,
    f: fn(&str) -> Option<String>,
}

impl<S: TokenStream> TokenStream for MapStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        if let Some(s) = (self.f)(&self.tail.token().text) {
            self.tail.token_mut().text = s;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
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

    #[test]
    fn long_and_empty_inputs_do_not_panic() {
        let mut a = exact();
        assert!(tokens(&mut a, "").is_empty());
        assert!(tokens(&mut a, &"x".repeat(100)).is_empty());
        assert!(tokens(&mut a, "\u{0301}\u{0301} ̣").len() <= 2);
    }
}
