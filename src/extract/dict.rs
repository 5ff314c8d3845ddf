//! The dictionaries the extractor reads: document types, agencies, official titles, places.
//!
//! Plain UTF-8 TSV files, the first line a header naming the columns (see `dictionaries/README.md`).
//! The repository's `dictionaries/` folder is embedded in the binary as the default;
//! [`Dictionaries::load_dir`] reads a folder with the same files instead (a missing file keeps the
//! embedded one).

use std::collections::HashMap;
use std::path::Path;

use crate::text::{modern_tones, nfc};

use super::norm::{key, words_key};

const DOC_TYPES: &str = include_str!("../../dictionaries/doc_types.tsv");
const AGENCIES: &str = include_str!("../../dictionaries/agencies.tsv");
const TITLES: &str = include_str!("../../dictionaries/titles.tsv");
const PLACES: &str = include_str!("../../dictionaries/places.tsv");
const CORRECTIONS: &str = include_str!("../../dictionaries/corrections.tsv");
const NAMES: &str = include_str!("../../dictionaries/names.tsv");
const LEXICON: &str = include_str!("../../dictionaries/lexicon.tsv");

/// A document type of Decree 30/2020 Appendix III.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocType {
    /// Canonical name, sentence case (`Quyết định`).
    pub name: String,
    /// Abbreviation used in symbols (`QĐ`); may be empty.
    pub abbreviation: String,
    /// Two-digit code of Circular 05/2025/TT-BNV (`02`).
    pub code: String,
}

/// What kind of agency phrase an `agencies.tsv` row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencyKind {
    /// A full agency name (`Sở Tài chính`).
    Agency,
    /// The head word(s) an agency name starts with (`Sở`, `Ủy ban nhân dân`).
    Head,
    /// An administrative unit word before a place name (`Thành phố`, `Huyện`).
    Unit,
}

/// What kind of signature-block phrase a `titles.tsv` row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleKind {
    /// An authority prefix (`KT.`, `TM.`).
    Authority,
    /// An official title (`Phó Chủ tịch`).
    Title,
    /// A police or army rank printed before a name (`Đại tá`).
    Rank,
}

/// The loaded dictionaries, with lookup tables keyed by the folded upper-case form.
#[derive(Debug, Clone)]
pub struct Dictionaries {
    /// Document types in file order.
    pub doc_types: Vec<DocType>,
    agencies: Vec<(String, String, AgencyKind)>,
    titles: Vec<(String, TitleKind)>,
    places: Vec<String>,
    /// Frequent OCR misreadings of common words (misread, correct).
    corrections: Vec<(String, String)>,
    /// Syllables of personal names, most frequent spelling first.
    names: Vec<String>,
    /// Folded key of a phrase → its canonical spelling (agencies, titles, places).
    phrases: HashMap<String, String>,
    /// Longest phrase, in words.
    max_phrase_words: usize,
    /// Administrative words and phrases (`lexicon.tsv`), in their spelling, and whether no other
    /// words share their letters (`always`).
    lexicon: Vec<(String, bool)>,
    /// Folded key of a first word → the phrases (lexicon, agencies, titles, places) of two or
    /// more words starting with it, longest first.
    spelled: HashMap<String, Vec<Spelled>>,
}

impl Default for Dictionaries {
    fn default() -> Self {
        Dictionaries::from_sources(DOC_TYPES, AGENCIES, TITLES, PLACES)
            .with_corrections(CORRECTIONS)
            .with_names(NAMES)
            .with_lexicon(LEXICON)
    }
}

/// A known phrase [`Dictionaries::respell`] can restore, prepared once.
#[derive(Debug, Clone)]
struct Spelled {
    /// The words as spelled.
    words: Vec<String>,
    /// [`key`] of each word.
    keys: Vec<String>,
    /// Words, an upper-case abbreviation (no syllable) counting two.
    weight: usize,
    /// No other words share its letters (`lexicon.tsv` column `always`).
    always: bool,
}

/// `word` (a dictionary spelling) in the case of `printed`: upper case if it was printed in upper
/// case; a lower-case dictionary word takes a printed capital; otherwise the dictionary's case.
fn with_case_of(word: &str, printed: &str) -> String {
    let letters = || printed.chars().filter(|c| c.is_alphabetic());
    if letters().count() > 1 && letters().all(char::is_uppercase) {
        return word.to_uppercase();
    }
    let dict_lower = word.chars().next().is_some_and(char::is_lowercase);
    if dict_lower && printed.chars().next().is_some_and(char::is_uppercase) {
        let mut c = word.chars();
        return c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default();
    }
    word.to_string()
}

/// The rows of a TSV text: header line skipped, blank and `#` lines skipped, cells trimmed.
fn rows(text: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.split('\t').map(|c| nfc(c.trim())).collect())
}

fn cell(r: &[String], i: usize) -> &str {
    r.get(i).map(String::as_str).unwrap_or("")
}

impl Dictionaries {
    /// Builds the dictionaries from the four TSV texts.
    pub fn from_sources(doc_types: &str, agencies: &str, titles: &str, places: &str) -> Dictionaries {
        let doc_types: Vec<DocType> = rows(doc_types)
            .filter(|r| !cell(r, 0).is_empty())
            .map(|r| DocType {
                name: cell(&r, 0).to_string(),
                abbreviation: cell(&r, 1).to_string(),
                code: cell(&r, 2).to_string(),
            })
            .collect();
        let agencies: Vec<(String, String, AgencyKind)> = rows(agencies)
            .filter(|r| !cell(r, 0).is_empty())
            .map(|r| {
                let kind = match cell(&r, 2) {
                    "head" => AgencyKind::Head,
                    "unit" => AgencyKind::Unit,
                    _ => AgencyKind::Agency,
                };
                (cell(&r, 0).to_string(), cell(&r, 1).to_string(), kind)
            })
            .collect();
        let titles: Vec<(String, TitleKind)> = rows(titles)
            .filter(|r| !cell(r, 0).is_empty())
            .map(|r| {
                let kind = match cell(&r, 1) {
                    "authority" => TitleKind::Authority,
                    "rank" => TitleKind::Rank,
                    _ => TitleKind::Title,
                };
                (cell(&r, 0).to_string(), kind)
            })
            .collect();
        let places: Vec<String> =
            rows(places).map(|r| cell(&r, 0).to_string()).filter(|p| !p.is_empty()).collect();
        let mut d = Dictionaries {
            doc_types,
            agencies,
            titles,
            places,
            corrections: Vec::new(),
            names: Vec::new(),
            phrases: HashMap::new(),
            max_phrase_words: 1,
            lexicon: Vec::new(),
            spelled: HashMap::new(),
        };
        d.index();
        d
    }

    /// Sets the OCR corrections from a TSV text (`misread`, `correct`).
    pub fn with_corrections(mut self, tsv: &str) -> Dictionaries {
        self.corrections = rows(tsv)
            .filter(|r| !cell(r, 0).is_empty() && !cell(r, 1).is_empty())
            .map(|r| (cell(&r, 0).to_string(), cell(&r, 1).to_string()))
            .collect();
        self
    }

    /// Sets the administrative lexicon from a TSV text (`phrase`).
    pub fn with_lexicon(mut self, tsv: &str) -> Dictionaries {
        self.lexicon = rows(tsv)
            .filter(|r| !cell(r, 0).is_empty())
            .map(|r| (cell(&r, 0).to_string(), cell(&r, 1) == "yes"))
            .collect();
        self.index();
        self
    }

    /// Sets the personal-name syllables from a TSV text (`syllable`).
    pub fn with_names(mut self, tsv: &str) -> Dictionaries {
        self.names = rows(tsv).map(|r| cell(&r, 0).to_string()).filter(|w| !w.is_empty()).collect();
        self
    }

    /// A personal name with misread diacritics restored from the name syllables: a word that is
    /// no known syllable takes the spelling of the first syllable with the same folded letters
    /// ("Trần Vẫn Lực" → "Trần Văn Lực"). Returns the name and whether a word was changed.
    pub fn fix_name(&self, name: &str) -> (String, bool) {
        let mut changed = false;
        let words: Vec<String> = name
            .split(' ')
            .map(|w| {
                if self.names.iter().any(|n| n == w) {
                    return w.to_string();
                }
                let k = key(w);
                match self.names.iter().find(|n| key(n) == k) {
                    Some(n) => {
                        changed = true;
                        n.clone()
                    }
                    None => w.to_string(),
                }
            })
            .collect();
        (words.join(" "), changed)
    }

    /// Applies the OCR corrections to whole words of a text ("Tố chức" → "Tổ chức").
    pub fn correct(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (bad, good) in &self.corrections {
            let mut res = String::with_capacity(out.len());
            let mut rest = out.as_str();
            while let Some(i) = rest.find(bad.as_str()) {
                let before_ok = !matches!(rest[..i].chars().next_back(), Some(c) if c.is_alphanumeric());
                let after = &rest[i + bad.len()..];
                let after_ok = !matches!(after.chars().next(), Some(c) if c.is_alphanumeric());
                res.push_str(&rest[..i]);
                res.push_str(if before_ok && after_ok { good } else { bad });
                rest = after;
            }
            res.push_str(rest);
            out = res;
        }
        out
    }

    /// [`Dictionaries::correct`], then restores the diacritics of known phrases
    /// ([`Dictionaries::respell`]).
    pub fn correct_with(&self, text: &str, low: impl Fn(&str) -> bool) -> String {
        self.respell(&self.correct(text), low)
    }

    /// Gives a run of words the spelling of a known phrase (`lexicon.tsv`, agencies, titles,
    /// places) with the same letters without diacritics: "Uy ban nhân dân" → "Ủy ban nhân dân",
    /// "giải quyêt" → "giải quyết". Phrases of three or more words (an upper-case abbreviation
    /// such as `TTĐT` counts as two) and two-word words marked `always` apply; other two-word
    /// phrases only when a changed word is no Vietnamese syllable or `low(word)` says OCR was
    /// unsure of it. A phrase never spans a comma
    /// or a semicolon; each word keeps its printed case.
    pub fn respell(&self, text: &str, low: impl Fn(&str) -> bool) -> String {
        let syl = crate::preprocess::quality::syllables();
        let toks: Vec<&str> = text.split(' ').collect();
        let core = |t: &str| t.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        let cores: Vec<String> = toks.iter().map(|t| core(t)).collect();
        let keys: Vec<String> = cores.iter().map(|c| key(c)).collect();
        let mut out: Vec<String> = toks.iter().map(|t| t.to_string()).collect();
        let mut i = 0;
        while i < toks.len() {
            let mut step = 1;
            for sp in self.spelled.get(&keys[i]).map(Vec::as_slice).unwrap_or(&[]) {
                let words = &sp.words;
                let n = words.len();
                if i + n > toks.len() {
                    continue;
                }
                let fits = (0..n).all(|j| {
                    sp.keys[j] == keys[i + j]
                        && (j + 1 == n || !toks[i + j].ends_with([',', ';', ':', '.']))
                        && !cores[i + j].is_empty()
                });
                if !fits {
                    continue;
                }
                let differs: Vec<usize> = (0..n)
                    .filter(|&j| {
                        modern_tones(&cores[i + j].to_lowercase()) != modern_tones(&words[j].to_lowercase())
                    })
                    .collect();
                let sure = sp.weight >= 3
                    || sp.always
                    || differs.iter().any(|&j| !syl.contains(&cores[i + j]) || low(&cores[i + j]));
                if sure {
                    for &j in &differs {
                        let spelled = with_case_of(&words[j], &cores[i + j]);
                        out[i + j] = toks[i + j].replacen(cores[i + j].as_str(), &spelled, 1);
                    }
                    step = n;
                    break;
                }
            }
            i += step;
        }
        out.join(" ")
    }

    fn index(&mut self) {
        let mut phrases = HashMap::new();
        let mut add = |s: &str| {
            let k = key(s);
            if !k.is_empty() {
                phrases.entry(k).or_insert_with(|| s.to_string());
            }
        };
        for (c, _, _) in &self.agencies {
            add(c);
        }
        for (c, k) in &self.titles {
            if *k != TitleKind::Authority {
                add(c);
            }
        }
        for p in &self.places {
            add(p);
        }
        for t in &self.doc_types {
            add(&t.name);
        }
        // Small words that stay lower case inside names.
        for w in ["và", "các", "thuộc", "của", "nhân dân"] {
            add(w);
        }
        self.max_phrase_words = phrases.keys().map(|k: &String| k.split(' ').count()).max().unwrap_or(1);
        self.phrases = phrases;

        let syl = crate::preprocess::quality::syllables();
        let mut spelled: HashMap<String, Vec<Spelled>> = HashMap::new();
        let known = self.lexicon.iter().map(|(p, a)| (p, *a)).chain(
            self.agencies
                .iter()
                .map(|a| &a.0)
                .chain(self.titles.iter().filter(|t| t.1 != TitleKind::Authority).map(|t| &t.0))
                .chain(self.places.iter())
                .map(|p| (p, false)),
        );
        for (p, always) in known {
            let words: Vec<String> = p.split_whitespace().map(str::to_string).collect();
            let keys: Vec<String> = words.iter().map(|w| key(w)).collect();
            if words.len() >= 2 && keys.iter().all(|k| !k.is_empty() && !k.contains(' ')) {
                let weight = words.iter().map(|w| if syl.contains(w) { 1 } else { 2 }).sum();
                let e = spelled.entry(keys[0].clone()).or_default();
                if !e.iter().any(|s| s.words == words) {
                    e.push(Spelled { words, keys, weight, always });
                }
            }
        }
        for v in spelled.values_mut() {
            v.sort_by_key(|s| std::cmp::Reverse(s.words.len()));
        }
        self.spelled = spelled;
    }

    /// Reads the dictionaries of a folder (`doc_types.tsv`, `agencies.tsv`, `titles.tsv`,
    /// `places.tsv`, `corrections.tsv`, `names.tsv`, `lexicon.tsv`); a file that is not there keeps the
    /// embedded default.
    pub fn load_dir(dir: &Path) -> std::io::Result<Dictionaries> {
        if !dir.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{}: no such folder", dir.display()),
            ));
        }
        let read = |name: &str, default: &str| -> std::io::Result<String> {
            let p = dir.join(name);
            if p.is_file() {
                std::fs::read_to_string(p)
            } else {
                Ok(default.to_string())
            }
        };
        Ok(Dictionaries::from_sources(
            &read("doc_types.tsv", DOC_TYPES)?,
            &read("agencies.tsv", AGENCIES)?,
            &read("titles.tsv", TITLES)?,
            &read("places.tsv", PLACES)?,
        )
        .with_corrections(&read("corrections.tsv", CORRECTIONS)?)
        .with_names(&read("names.tsv", NAMES)?)
        .with_lexicon(&read("lexicon.tsv", LEXICON)?))
    }

    /// The document type whose name matches `line` (folded, upper or lower case).
    pub fn doc_type_by_name(&self, line: &str) -> Option<&DocType> {
        let k = key(line);
        self.doc_types.iter().find(|t| key(&t.name) == k)
    }

    /// The document type with this symbol abbreviation (`QĐ`, `TTr`; case-insensitive).
    pub fn doc_type_by_abbreviation(&self, abbr: &str) -> Option<&DocType> {
        let k = key(abbr);
        // Exact spelling first (QĐ vs QD), then folded.
        self.doc_types
            .iter()
            .find(|t| !t.abbreviation.is_empty() && t.abbreviation.to_uppercase() == abbr.to_uppercase())
            .or_else(|| {
                self.doc_types.iter().find(|t| !t.abbreviation.is_empty() && key(&t.abbreviation) == k)
            })
    }

    /// The abbreviations (types and agencies) with their printed case: `TTr`, `QĐ`, `SKHĐT`.
    pub fn abbreviations(&self) -> impl Iterator<Item = &str> {
        self.doc_types
            .iter()
            .map(|t| t.abbreviation.as_str())
            .chain(self.agencies.iter().map(|a| a.1.as_str()))
            .filter(|a| !a.is_empty() && !a.contains(' '))
    }

    /// Whether a line (folded) starts with an agency head word (`SỞ`, `ỦY BAN NHÂN DÂN`, `CỤC`).
    pub fn starts_with_head(&self, line: &str) -> bool {
        let k = key(line);
        self.agencies.iter().any(|(c, abbr, kind)| {
            let starts = |h: &str| {
                let hk = key(h);
                !hk.is_empty() && (k == hk || k.starts_with(&format!("{hk} ")))
            };
            match kind {
                AgencyKind::Head => starts(c) || (abbr.chars().count() > 2 && starts(abbr)),
                AgencyKind::Agency => starts(c),
                AgencyKind::Unit => false,
            }
        })
    }

    /// Whether a line (folded) starts with an administrative unit word (`THÀNH PHỐ`, `HUYỆN`).
    pub fn starts_with_unit(&self, line: &str) -> bool {
        let k = key(line);
        self.agencies.iter().any(|(c, _, kind)| {
            *kind == AgencyKind::Unit && {
                let hk = key(c);
                k == hk || k.starts_with(&format!("{hk} "))
            }
        })
    }

    fn is_head(&self, canonical: &str) -> bool {
        self.agencies.iter().any(|(c, _, k)| *k == AgencyKind::Head && c == canonical)
    }

    fn is_unit(&self, canonical: &str) -> bool {
        self.agencies.iter().any(|(c, _, k)| *k == AgencyKind::Unit && c == canonical)
    }

    /// An official title matching the line (folded), with its kind.
    pub fn title(&self, line: &str) -> Option<(&str, TitleKind)> {
        let k = key(line);
        self.titles.iter().find(|(c, _)| key(c) == k).map(|(c, kind)| (c.as_str(), *kind))
    }

    /// The canonical spelling of a title given its key.
    pub fn title_by_key(&self, k: &str) -> Option<String> {
        self.titles.iter().find(|(c, kind)| *kind == TitleKind::Title && key(c) == k).map(|(c, _)| c.clone())
    }

    /// A title within OCR noise of the key (one edit for 6+ letters, two for 12+), with or
    /// without `Phó`: `GIẢN ĐỐC` → `Giám đốc`, `HÓ GIÁM ĐỘC` → `Phó Giám đốc`.
    pub fn titles_near(&self, k: &str) -> Option<String> {
        let titles = || self.titles.iter().filter(|(_, kind)| *kind == TitleKind::Title);
        if let Some((c, _)) = titles().find(|(c, _)| super::norm::near(&key(c), k)) {
            return Some(c.clone());
        }
        titles()
            .find(|(c, _)| super::norm::near(&format!("PHO {}", key(c)), k))
            .map(|(c, _)| format!("Phó {c}"))
    }

    /// Whether a text is the start of an official title ("Phó Chánh", "Chánh Văn").
    pub fn is_title_start(&self, text: &str) -> bool {
        let k = key(text);
        let k = k.strip_prefix("PHO ").unwrap_or(&k);
        key(text).starts_with("PHO ")
            || self
                .titles
                .iter()
                .any(|(c, kind)| *kind == TitleKind::Title && key(c).starts_with(&format!("{k} ")))
    }

    /// Whether the line is a known official title, alone or after `Phó`.
    pub fn is_title(&self, line: &str) -> bool {
        let k = key(line);
        let k = k.strip_prefix("PHO ").unwrap_or(&k);
        self.titles.iter().any(|(c, kind)| *kind == TitleKind::Title && key(c) == k)
    }

    /// The ranks (`Đại tá`), folded, longest first.
    pub fn ranks(&self) -> Vec<String> {
        let mut r: Vec<String> =
            self.titles.iter().filter(|(_, k)| *k == TitleKind::Rank).map(|(c, _)| key(c)).collect();
        r.sort_by_key(|s| std::cmp::Reverse(s.len()));
        r
    }

    /// Known place names (for `issued_place`), canonical spelling.
    pub fn places(&self) -> &[String] {
        &self.places
    }

    /// An agency name as printed (upper case, maybe misread) → its registered form and a match
    /// quality: a dictionary agency (exact, or within OCR noise), else [`Self::sentence_case`].
    pub fn agency(&self, printed: &str) -> (String, f64) {
        let s = modern_tones(&nfc(printed));
        let k = key(&s);
        let agencies = || self.agencies.iter().filter(|(_, _, kind)| *kind == AgencyKind::Agency);
        if let Some((c, _, _)) = agencies().find(|(c, _, _)| key(c) == k) {
            return (c.clone(), 1.0);
        }
        let squeezed = k.replace(' ', "");
        if let Some((c, _, _)) = agencies().find(|(c, _, _)| key(c).replace(' ', "") == squeezed) {
            return (c.clone(), 0.95);
        }
        if let Some((c, _, _)) = agencies().find(|(c, _, _)| super::norm::near(&key(c), &k)) {
            return (c.clone(), 0.85);
        }
        (self.sentence_case(&s), 0.95)
    }

    /// An upper-case phrase (agency name, title, authority) in the case an archivist writes it:
    /// known phrases take their dictionary spelling, words after an administrative unit are
    /// capitalised (place names), the first word of a name is capitalised, the rest is lower case.
    /// `ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH` → `Ủy ban nhân dân Thành phố Hồ Chí Minh`.
    pub fn sentence_case(&self, s: &str) -> String {
        let s = modern_tones(&nfc(s));
        let words: Vec<&str> = s.split_whitespace().collect();
        if words.is_empty() {
            return String::new();
        }
        if let Some(c) = self.phrases.get(&key(&s)) {
            return c.clone();
        }
        let mut out: Vec<String> = Vec::new();
        let mut i = 0;
        // Capitalise the next unknown word (start of a name or of a part after "và" / "-").
        let mut cap_next = true;
        // Inside a place name after a unit word: capitalise every word.
        let mut in_place = false;
        while i < words.len() {
            let w = words[i];
            // Authority prefixes keep their upper-case abbreviation.
            if let Some((c, TitleKind::Authority)) = self.title(w) {
                if w.ends_with('.') {
                    out.push(c.to_string());
                    i += 1;
                    cap_next = true;
                    in_place = false;
                    continue;
                }
            }
            let mut matched = None;
            let max = self.max_phrase_words.min(words.len() - i);
            for n in (1..=max).rev() {
                let k = words_key(&words[i..i + n]);
                if let Some(c) = self.phrases.get(&k) {
                    matched = Some((n, c.clone()));
                    break;
                }
            }
            // A one-word phrase inside a name ("Trường" in "Môi trường") is an ordinary word.
            let matched = matched.filter(|(n, c)| *n > 1 || out.is_empty() || in_place || self.is_unit(c));
            if let Some((n, c)) = matched {
                let small = c.chars().next().is_some_and(|ch| ch.is_lowercase());
                if small && cap_next && out.is_empty() {
                    out.push(capitalize(&c));
                } else if small && in_place {
                    out.push(title_case(&c));
                } else {
                    out.push(c.clone());
                }
                in_place = self.is_unit(&c) || (in_place && !small);
                cap_next = self.is_head(&c);
                i += n;
                continue;
            }
            let lw = w.to_lowercase();
            if lw.chars().any(|c| c.is_ascii_digit()) || is_abbreviation(w) {
                out.push(w.to_string());
                cap_next = false;
            } else if in_place || cap_next {
                out.push(capitalize(&lw));
                cap_next = false;
            } else {
                out.push(lw.clone());
            }
            if lw == "-" || lw.ends_with(',') {
                cap_next = true;
                in_place = false;
            }
            i += 1;
        }
        let mut r = out.join(" ");
        // "và" / "-" start a new name part: "Kế hoạch và Đầu tư", "Lao động - Thương binh và Xã hội".
        r = capitalize_after(&r, &[" và ", " - ", ", "]);
        capitalize(&r)
    }
}

/// A word that is an abbreviation to keep as printed (`UBND`, `HĐND`): all upper case, no vowel
/// pattern of a Vietnamese syllable, i.e. several letters and no lower case. Only short acronyms.
fn is_abbreviation(w: &str) -> bool {
    let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || letters.iter().any(|c| c.is_lowercase()) {
        return false;
    }
    // A Vietnamese syllable has a vowel; acronyms like UBND, HĐND, TP have at most one vowel letter
    // that is not followed by more letters forming a syllable. Heuristic: no vowel at all, or a
    // known acronym shape (consonant clusters impossible in Vietnamese).
    let vowels = letters.iter().filter(|c| is_vowel_letter(**c)).count();
    vowels == 0 || (letters.len() >= 3 && !is_syllable_shape(&letters))
}

fn is_vowel_letter(c: char) -> bool {
    let f = crate::text::fold(&c.to_string()).to_uppercase();
    matches!(f.as_str(), "A" | "E" | "I" | "O" | "U" | "Y")
}

/// Whether letters could be one Vietnamese syllable: consonant onset, vowels, optional coda.
fn is_syllable_shape(letters: &[char]) -> bool {
    let s: String = crate::text::fold(&letters.iter().collect::<String>()).to_uppercase();
    let onsets = [
        "NGH", "NG", "NH", "CH", "GH", "GI", "KH", "PH", "QU", "TH", "TR", "B", "C", "D", "G", "H", "K", "L",
        "M", "N", "P", "Q", "R", "S", "T", "V", "X", "",
    ];
    let codas = ["NG", "NH", "CH", "C", "M", "N", "P", "T", ""];
    for o in onsets {
        if let Some(rest) = s.strip_prefix(o) {
            for c in codas {
                if let Some(v) = rest.strip_suffix(c) {
                    if !v.is_empty() && v.len() <= 3 && v.chars().all(|ch| "AEIOUY".contains(ch)) {
                        return true;
                    }
                }
            }
        }
    }
    false
}

/// First letter upper case, the rest unchanged.
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn title_case(s: &str) -> String {
    s.split(' ').map(capitalize).collect::<Vec<_>>().join(" ")
}

fn capitalize_after(s: &str, seps: &[&str]) -> String {
    let mut out = s.to_string();
    for sep in seps {
        let parts: Vec<&str> = out.split(sep).collect();
        out = parts
            .iter()
            .enumerate()
            .map(|(i, p)| if i == 0 { p.to_string() } else { capitalize(p) })
            .collect::<Vec<_>>()
            .join(sep);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_dictionaries_load() {
        let d = Dictionaries::default();
        assert!(d.doc_types.len() >= 30);
        assert_eq!(d.doc_type_by_name("QUYẾT ĐỊNH").map(|t| t.code.as_str()), Some("02"));
        assert_eq!(d.doc_type_by_name("QUYÉT ĐINH").map(|t| t.name.as_str()), Some("Quyết định"));
        assert_eq!(d.doc_type_by_abbreviation("QĐ").map(|t| t.name.as_str()), Some("Quyết định"));
        assert_eq!(d.doc_type_by_abbreviation("TTR").map(|t| t.name.as_str()), Some("Tờ trình"));
    }

    #[test]
    fn agency_names_in_sentence_case() {
        let d = Dictionaries::default();
        let cases = [
            ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
            ("UỶ BAN NHÂN DÂN HUYỆN CỦ CHI", "Ủy ban nhân dân Huyện Củ Chi"),
            ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Sở Thông tin và Truyền thông"),
            ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Sở Kế hoạch và Đầu tư"),
            ("CỤC THUẾ THÀNH PHỐ HỒ CHÍ MINH", "Cục Thuế Thành phố Hồ Chí Minh"),
            ("TỔNG CỤC THUẾ", "Tổng cục Thuế"),
            ("VĂN PHÒNG", "Văn phòng"),
            ("ỦY BAN NHÂN DÂN QUẬN 1", "Ủy ban nhân dân Quận 1"),
            ("ỦY BAN NHÂN DÂN PHƯỜNG TÂN ĐỊNH", "Ủy ban nhân dân Phường Tân Định"),
            ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Sở Nông nghiệp và Môi trường"),
        ];
        for (i, o) in cases {
            assert_eq!(d.sentence_case(i), o, "{i}");
        }
    }

    #[test]
    fn ocr_corrections_apply_to_whole_words() {
        let d = Dictionaries::default();
        assert_eq!(
            d.respell("Miễn nhiệm Ủy viên Uy ban nhân dân tỉnh", |_| false),
            "Miễn nhiệm Ủy viên Ủy ban nhân dân tỉnh"
        );
        assert_eq!(d.respell("- Công TTĐT tỉnh;", |_| false), "- Cổng TTĐT tỉnh;");
        assert_eq!(d.respell("ỦY BAN NHẪN DÂN", |_| false), "ỦY BAN NHÂN DÂN");
        // Two words: an impossible syllable, a word OCR was unsure of, or an `always` entry.
        assert_eq!(d.respell("giải quyêt TTHC", |_| false), "giải quyết TTHC");
        assert_eq!(d.respell("trung học phố thông", |_| false), "trung học phổ thông");
        assert_eq!(d.respell("thị trần Mộ Đức", |_| false), "thị trấn Mộ Đức");
        assert_eq!(d.respell("Chú tịch nước", |_| false), "Chú tịch nước");
        assert_eq!(d.respell("ông Giám độc", |w| w == "độc"), "ông Giám đốc");
        assert_eq!(d.respell("ông Giám độc", |_| false), "ông Giám độc");
        // Not across a comma; words already right stay as printed.
        assert_eq!(d.respell("thị, trần", |_| false), "thị, trần");
        assert_eq!(d.respell("Thị trấn", |_| false), "Thị trấn");
        assert_eq!(d.correct("Tố chức Hội nghị"), "Tổ chức Hội nghị");
        assert_eq!(d.correct("Xtố chức"), "Xtố chức");
        assert_eq!(d.correct("địa bàn huyện Củ Chỉ"), "địa bàn huyện Củ Chi");
    }

    #[test]
    fn name_diacritics_are_restored() {
        let d = Dictionaries::default();
        assert_eq!(d.fix_name("Trần Vẫn Lực"), ("Trần Văn Lực".to_string(), true));
        assert_eq!(d.fix_name("Lâm Thí Tuyết").0, "Lâm Thị Tuyết");
        assert_eq!(d.fix_name("Đặng Hồng Hải"), ("Đặng Hồng Hải".to_string(), false));
        assert_eq!(d.fix_name("Xyz Văn"), ("Xyz Văn".to_string(), false));
    }

    #[test]
    fn titles_in_sentence_case() {
        let d = Dictionaries::default();
        assert_eq!(d.sentence_case("PHÓ CHỦ TỊCH"), "Phó Chủ tịch");
        assert_eq!(d.sentence_case("KT. CHỦ TỊCH"), "KT. Chủ tịch");
        assert_eq!(d.sentence_case("TM. ỦY BAN NHÂN DÂN"), "TM. Ủy ban nhân dân");
        assert_eq!(d.sentence_case("PHÓ CHÁNH VĂN PHÒNG"), "Phó Chánh Văn phòng");
        assert_eq!(d.sentence_case("CỤC TRƯỞNG"), "Cục trưởng");
        assert_eq!(d.sentence_case("CHỦ TỌA"), "Chủ tọa");
        assert!(d.is_title("PHÓ GIÁM ĐỐC"));
        assert!(!d.is_title("NƠI NHẬN"));
    }

    #[test]
    fn a_folder_overrides_the_embedded_files() {
        let dir = std::env::temp_dir().join(format!("sohoa-dict-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("titles.tsv"), "canonical\tkind\nTrưởng Khoa\ttitle\n").unwrap();
        let d = Dictionaries::load_dir(&dir).unwrap();
        assert!(d.is_title("TRƯỞNG KHOA"));
        assert!(!d.is_title("GIÁM ĐỐC"));
        assert!(d.doc_type_by_name("Báo cáo").is_some());
        std::fs::remove_dir_all(&dir).ok();
        assert!(Dictionaries::load_dir(Path::new("/nonexistent/sohoa")).is_err());
    }

    proptest::proptest! {
        #[test]
        fn respelling_any_text_is_safe_and_keeps_the_words(s in "[ a-zA-ZàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễđĐƯươƠ,;:.\\-]{0,60}") {
            let d = Dictionaries::default();
            let _ = d.correct_with(&s, |w| w.len() % 2 == 0);
            // Only diacritics change: the same words without diacritics, in the same order.
            proptest::prop_assert_eq!(key(&d.respell(&s, |_| true)), key(&s));
        }
    }
}
