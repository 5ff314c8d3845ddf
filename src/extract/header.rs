//! The top of the first page: agency column (parent agency, issuer, "Số", "V/v", KHẨN/MẬT marks),
//! motto column (quốc hiệu, tiêu ngữ, place and date), the type title and the trích yếu.

use super::date::{find_date, place_end};
use super::dict::{capitalize, Dictionaries};
use super::layout::Side;
use super::norm::{key, mostly_upper, near};
use super::number;
use super::{confidence, DocLine, Found, LOW_WORD};
use crate::preprocess::quality::syllables;

/// What the header gives.
#[derive(Debug, Default)]
pub struct Header {
    /// Canonical document type.
    pub doc_type: Option<Found<String>>,
    /// Number before the first `/`.
    pub doc_number: Option<Found<String>>,
    /// Symbol after the first `/`.
    pub doc_symbol: Option<Found<String>>,
    /// ISO date.
    pub issued_date: Option<Found<String>>,
    /// Place before ", ngày".
    pub issued_place: Option<Found<String>>,
    /// Issuing agency, sentence case.
    pub issuer: Option<Found<String>>,
    /// Parent agency, sentence case.
    pub issuer_parent: Option<Found<String>>,
    /// Trích yếu.
    pub subject: Option<Found<String>>,
    /// Khẩn / Thượng khẩn / Hỏa tốc.
    pub urgency: Option<Found<String>>,
    /// Mật / Tối mật / Tuyệt mật.
    pub confidentiality: Option<Found<String>>,
    /// How clearly a Decree 30 header was seen (0–1): makes "no mark" a confident absence.
    pub header_quality: f64,
}

/// How far into page 1 the header and title are looked for.
const HEAD_LINES: usize = 40;

/// A place name before ", ngày …" is short ("Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh").
const MAX_PLACE_WORDS: usize = 7;

/// Lines that open the body of a document: the header is above them.
fn starts_body(k: &str) -> bool {
    ["CAN CU ", "KINH GUI", "THUC HIEN "].iter().any(|p| k.starts_with(p))
}

/// Whether a line is the quốc hiệu or tiêu ngữ.
pub fn is_motto(k: &str) -> bool {
    k.starts_with("CONG HOA")
        || k.contains("XA HOI CHU NGHIA")
        || k.contains("CHU NGHIA VIET NAM")
        || k.contains("DOC LAP")
        || k.contains("TU DO HANH")
        || k.contains("HANH PHUC")
}

/// Where the quốc hiệu starts in a line ("CỘNG HÒA …", any diacritics), if it is in it.
fn motto_start(text: &str) -> Option<usize> {
    let words: Vec<(usize, &str)> =
        text.split_whitespace().map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w)).collect();
    words.windows(2).find(|w| key(w[0].1) == "CONG" && key(w[1].1) == "HOA").map(|w| w[0].0)
}

const URGENCY: [(&str, &str); 4] = [
    ("HOA TOC HEN GIO", "Hỏa tốc"),
    ("THUONG KHAN", "Thượng khẩn"),
    ("HOA TOC", "Hỏa tốc"),
    ("KHAN", "Khẩn"),
];
const SECRECY: [(&str, &str); 3] = [("TUYET MAT", "Tuyệt mật"), ("TOI MAT", "Tối mật"), ("MAT", "Mật")];

fn mark(k: &str, table: &[(&str, &'static str)]) -> Option<(&'static str, f64)> {
    for (m, v) in table {
        if k == *m {
            return Some((v, 1.0));
        }
    }
    for (m, v) in table {
        if m.len() >= 6 && near(k, m) {
            return Some((v, 0.85));
        }
    }
    None
}

/// A stop line for the trích yếu: the next part of the document starts.
fn ends_subject(l: &DocLine, started: bool) -> bool {
    let k = &l.key;
    let body_start =
        ["THUC HIEN", "THEO ", "XET ", "DE ", "NHAM ", "THOI GIAN", "TRONG NHUNG NAM", "VUA QUA", "NGAY "];
    // A body paragraph starts with a capital ("Thực hiện …", "Thời gian qua, …"); a wrapped line
    // of the trích yếu goes on in lower case.
    let capital = l.core.chars().next().is_some_and(char::is_uppercase);
    if started && capital && body_start.iter().any(|p| k.starts_with(p)) && (l.bbox.is_none() || !l.centred())
    {
        return true;
    }
    ends_subject_always(l)
}

fn ends_subject_always(l: &DocLine) -> bool {
    let k = &l.key;
    let letters = l.core.chars().filter(|c| c.is_alphabetic()).count();
    letters < 3
        || is_motto(k)
        || number::label_end(&l.core).is_some()
        || find_date(&l.core).is_some_and(|f| f.spelled)
        || ["KINH GUI", "CAN CU", "HOM NAY", "NOI NHAN", "XET DE NGHI", "THEO DE NGHI"]
            .iter()
            .any(|p| k.starts_with(p))
        || l.core.ends_with(':')
        || mark(k, &URGENCY).is_some()
        || mark(k, &SECRECY).is_some()
        || (mostly_upper(&l.core) && l.core.split(' ').count() >= 2)
}

/// Reads the header fields from the document's lines.
pub fn read(lines: &[DocLine], d: &Dictionaries) -> Header {
    let mut h = Header::default();
    let first: Vec<(usize, &DocLine)> =
        lines.iter().enumerate().filter(|(_, l)| l.page == 0).take(HEAD_LINES).collect();
    let abbrs: Vec<&str> = d.abbreviations().collect();

    // Số: N/SYMBOL
    let mut so_idx = None;
    for (i, l) in &first {
        if let Some(mut ns) = number::find(&l.core, &abbrs) {
            // "Số: 565" / "/TB-UBND": the symbol on the next line (text layers split it).
            if ns.symbol.is_none() {
                if let Some(next) = lines.get(*i + 1).filter(|n| n.text.trim_start().starts_with('/')) {
                    if let Some(s) = number::parse(&format!("0{}", next.text.trim()), &abbrs) {
                        ns.symbol = s.symbol;
                    }
                }
            }
            let (nc, sc) = number_word_conf(l);
            h.doc_number = ns.number.map(|v| Found { value: v, conf: confidence(nc, ns.quality) });
            h.doc_symbol = ns.symbol.map(|v| Found { value: v, conf: confidence(sc, ns.quality) });
            so_idx = Some(*i);
            break;
        }
    }

    // Type title: an upper-case line naming a document type, after the header lines.
    let mut title_idx = None;
    for (i, l) in &first {
        if is_motto(&l.key) || !mostly_upper(&l.core) {
            continue;
        }
        let k = l.key.trim_end_matches(" V V").to_string();
        let t = d.doc_type_by_name(&k).map(|t| (t, 1.0)).or_else(|| {
            d.doc_types.iter().find(|t| key(&t.name).len() >= 6 && near(&k, &key(&t.name))).map(|t| (t, 0.85))
        });
        if let Some((t, q)) = t {
            h.doc_type = Some(Found { value: t.name.clone(), conf: confidence(l.conf, q) });
            title_idx = Some(*i);
            break;
        }
    }

    // Place, ngày D tháng M năm Y — the first spelled date in the header (with a place before it
    // preferred), else a numeric one.
    // The header ends at the type title or where the body starts ("Căn cứ…", "Kính gửi…"): a
    // date in a legal basis line ("Căn cứ Luật … ngày 19 tháng 6 năm 2015") is not the
    // document's date, nor is the text before it a place.
    let body_start = first.iter().find(|(_, l)| starts_body(&l.key)).map(|(i, _)| *i);
    let header_end = match (title_idx, body_start) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(usize::MAX),
    };
    let mut date_idx = None;
    for want_place in [true, false] {
        for (i, l) in first.iter().filter(|(i, _)| *i < header_end) {
            if let Some(fd) = find_date(&l.core) {
                let pe = place_end(&l.core);
                let has_place = pe.is_some_and(|e| {
                    let before = &l.core[..e];
                    before.chars().filter(|c| c.is_alphabetic()).count() >= 2
                        && before.split_whitespace().count() <= MAX_PLACE_WORDS
                });
                if want_place && !has_place {
                    continue;
                }
                // A day filled in by hand is read with low confidence ("#6" for "20").
                let dc = l.words_conf(|t| {
                    t.chars().any(|c| c.is_ascii_digit())
                        || matches!(key(t).as_str(), "NGAY" | "THANG" | "NAM")
                });
                // A day glued to a stray mark ("ngày{5", "#6") was not printed cleanly.
                let smudged = l.words.iter().any(|(t, _)| {
                    t.chars().any(|c| c.is_ascii_digit())
                        && t.chars().any(|c| !c.is_alphanumeric() && !"/.,-".contains(c))
                });
                let q = if smudged { 0.85 } else { 1.0 };
                h.issued_date = Some(Found { value: fd.date.iso(), conf: confidence(dc, q) });
                if let Some(e) = pe.filter(|_| has_place) {
                    let place = super::norm::trim_junk(&l.core[..e]);
                    if !place.is_empty() {
                        h.issued_place = Some(place_of(place, l.conf, d));
                    }
                }
                date_idx = Some(*i);
                break;
            }
        }
        if date_idx.is_some() {
            break;
        }
    }
    // A date line whose day is handwritten still gives the place.
    if h.issued_place.is_none() {
        for (_, l) in first.iter().filter(|(i, _)| *i < header_end) {
            if let Some(e) = place_end(&l.core) {
                let before = l.core[..e].trim();
                if before.ends_with([',', ';', '.'])
                    && before.split_whitespace().count() <= MAX_PLACE_WORDS
                    && key(&l.core[e..]).contains("THANG")
                {
                    let place = super::norm::trim_junk(before);
                    if !place.is_empty() {
                        h.issued_place = Some(place_of(place, l.conf, d));
                        break;
                    }
                }
            }
        }
    }

    // Agency lines: upper-case lines before "Số" (or before the title/date), not the motto.
    let motto_seen = first.iter().any(|(_, l)| is_motto(&l.key));
    // Without a "Số" line, a date line or the motto this is no first page of a document.
    let stop = if so_idx.is_some() || date_idx.is_some() || motto_seen {
        so_idx.or(title_idx).or(date_idx).unwrap_or(first.len().min(6))
    } else {
        0
    };
    let mut units: Vec<(String, f64)> = Vec::new();
    for (i, l) in &first {
        if *i >= stop {
            break;
        }
        if l.side == Side::Right {
            continue;
        }
        // "TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": a text layer may put both
        // columns on one line; the agency part is before the motto.
        let core = match motto_start(&l.core) {
            Some(0) => continue,
            Some(i) => l.core[..i].trim(),
            None => l.core.as_str(),
        };
        if is_motto(&key(core)) {
            continue;
        }
        if !mostly_upper(core) || find_date(core).is_some() {
            // A line that is no agency name between agency lines (a stamp's e-mail and time
            // above the header): what came before is not the agency column.
            if l.core.chars().filter(|c| c.is_alphanumeric()).count() >= 4 {
                units.clear();
            }
            continue;
        }
        if mark(&l.key, &URGENCY).is_some() || mark(&l.key, &SECRECY).is_some() {
            continue;
        }
        let text = core.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        if text.chars().filter(|c| c.is_alphabetic()).count() < 3 && !d.starts_with_head(&text) {
            continue;
        }
        match units.last_mut() {
            Some((u, c)) if !d.starts_with_head(&text) => {
                u.push(' ');
                u.push_str(&text);
                *c = c.min(l.conf);
            }
            _ => units.push((text, l.conf)),
        }
    }
    if let Some((u, c)) = units.pop() {
        let (name, q) = d.agency(&u);
        h.issuer = Some(Found { value: name, conf: confidence(c, q) });
        if let Some((p, pc)) = units.pop() {
            let (name, q) = d.agency(&p);
            h.issuer_parent = Some(Found { value: name, conf: confidence(pc, q) });
        }
    }

    // Urgency and secrecy marks: standalone lines in the header area.
    let mark_end = title_idx.unwrap_or(first.len()).max(so_idx.map_or(0, |s| s + 4));
    for (i, l) in &first {
        if *i > mark_end {
            break;
        }
        if h.urgency.is_none() {
            if let Some((v, q)) = mark(&l.key, &URGENCY) {
                h.urgency = Some(Found { value: v.to_string(), conf: confidence(l.conf, q) });
                continue;
            }
        }
        if h.confidentiality.is_none() {
            if let Some((v, q)) = mark(&l.key, &SECRECY) {
                h.confidentiality = Some(Found { value: v.to_string(), conf: confidence(l.conf, q) });
            }
        }
    }

    // Trích yếu: "V/v …" (công văn) or the lines under the type title.
    h.subject = subject(lines, &first, title_idx, d);

    // No type title: a công văn has "V/v" and/or "Kính gửi"; else the symbol's abbreviation.
    if h.doc_type.is_none() {
        let vv = first.iter().any(|(_, l)| starts_vv(&l.key).is_some());
        let kg = first.iter().any(|(_, l)| l.key.starts_with("KINH GUI"));
        if vv || kg || h.doc_symbol.is_some() {
            let by_symbol = h
                .doc_symbol
                .as_ref()
                .and_then(|s| {
                    s.value.rsplit('/').next().and_then(|x| x.split('-').next()).map(str::to_string)
                })
                .and_then(|a| d.doc_type_by_abbreviation(&a).map(|t| t.name.clone()));
            let (name, q) = match by_symbol {
                Some(n) if !vv && !kg => (n, 0.7),
                _ => ("Công văn".to_string(), if vv { 0.95 } else { 0.8 }),
            };
            let c = h.doc_symbol.as_ref().map_or(0.9, |s| s.conf.max(0.9));
            h.doc_type = Some(Found { value: name, conf: (c * q).min(1.0) });
        }
    }
    let parts = [
        so_idx.is_some(),
        date_idx.is_some(),
        h.issuer.is_some(),
        first.iter().any(|(_, l)| is_motto(&l.key)),
    ];
    h.header_quality = parts.iter().filter(|x| **x).count() as f64 / parts.len() as f64;
    h
}

/// OCR confidence of the number and of the symbol on a "Số: N/SYMBOL" line: the lowest of the
/// words that hold them (a number filled in by hand is often read with low confidence: "24"
/// read "4" at 0.63), never above the line's.
fn number_word_conf(l: &DocLine) -> (f64, f64) {
    let (mut number, mut symbol) = (l.conf, l.conf);
    let mut in_symbol = false;
    for (i, (t, c)) in l.words.iter().enumerate() {
        if i == 0 && key(t) == "SO" {
            continue;
        }
        match t.find('/') {
            _ if in_symbol => {
                if !t.starts_with('-') {
                    break;
                }
                symbol = symbol.min(*c);
            }
            Some(p) => {
                if t[..p].chars().any(char::is_alphanumeric) {
                    number = number.min(*c);
                }
                symbol = symbol.min(*c);
                in_symbol = true;
            }
            None => number = number.min(*c),
        }
    }
    (number, symbol)
}

fn place_of(place: &str, conf: f64, d: &Dictionaries) -> Found<String> {
    // "Số: 6317/TTr-SKHĐT Thành phố Hồ Chí Minh": the Số line glued before the place.
    let place = match number::label_end(place) {
        Some(e) => {
            let words: Vec<&str> = place[e..].split_whitespace().collect();
            let mut k = words.iter().position(|w| w.contains('/')).map_or(0, |i| i + 1);
            while k < words.len() && (words[k].starts_with(['-', '/']) || words[k - 1].ends_with(['-', '/']))
            {
                k += 1;
            }
            words[k.min(words.len())..].join(" ")
        }
        None => place.to_string(),
    };
    let place = place.trim().trim_end_matches([',', ';', '.', ':']).trim();
    // A known place misread by one letter takes the dictionary spelling.
    let k = key(place);
    let known = d
        .places()
        .iter()
        .find(|p| key(p) == k)
        .map(|p| (p.clone(), 1.0))
        .or_else(|| d.places().iter().find(|p| near(&key(p), &k)).map(|p| (p.clone(), 0.85)));
    match known {
        Some((p, q)) if p.to_lowercase() == place.to_lowercase() || q < 1.0 => {
            Found { value: p, conf: confidence(conf, q) }
        }
        _ => Found {
            value: place.to_string(),
            conf: confidence(conf, if known.is_some() { 1.0 } else { 0.9 }),
        },
    }
}

/// The byte offset after a leading "V/v" or "Về việc" in a key-normalised form, if the line
/// starts with one. Works on the key (`V V …`, `VV …`, `VE VIEC …`).
fn starts_vv(k: &str) -> Option<usize> {
    ["V V ", "VV ", "VE VIEC "].iter().find(|p| k.starts_with(*p)).map(|p| p.len())
}

/// Drops a leading "V/v" / "Về việc" from a text (as printed) and capitalises the rest.
pub fn strip_vv(text: &str) -> String {
    let t = text.trim();
    let k = key(t);
    let words = if k.starts_with("VE VIEC ") {
        2
    } else if k.starts_with("V V ") || k.starts_with("VV ") {
        // "V/v" is one printed word, "V / v" three.
        t.split_whitespace().take_while(|w| key(w) == "V" || key(w) == "VV" || key(w) == "V V").count().max(1)
    } else {
        0
    };
    let rest: Vec<&str> = t.split_whitespace().skip(words).collect();
    capitalize(rest.join(" ").trim_start_matches([':', '-', ' ']))
}

fn subject(
    lines: &[DocLine],
    first: &[(usize, &DocLine)],
    title_idx: Option<usize>,
    d: &Dictionaries,
) -> Option<Found<String>> {
    // Công văn: a "V/v" line in the agency column.
    let vv = first.iter().find(|(_, l)| starts_vv(&l.key).is_some() && l.side != Side::Right);
    let (start, side, centred) = match (vv, title_idx) {
        (Some((i, l)), _) if l.key.starts_with("V") && !l.key.starts_with("VE VIEC") => {
            (*i, Some(l.side), false)
        }
        (_, Some(t)) => (t + 1, None, true),
        (Some((i, l)), None) => (*i, Some(l.side), false),
        (None, None) => return None,
    };
    let mut parts: Vec<&DocLine> = Vec::new();
    for l in lines.iter().skip(start).take(12) {
        if l.page != 0 {
            break;
        }
        // Seal strokes, rules and the ornament under the title, a received-stamp beside the
        // lines: no words, or hardly any real ones.
        if l.core.chars().filter(|c| c.is_alphanumeric()).count() < 2 || stamp_noise(l) {
            continue;
        }
        // A wider vertical gap than between lines of one paragraph: the body starts.
        if let (Some(prev), Some(b)) = (parts.last().and_then(|p| p.bbox), l.bbox) {
            let h = prev.height().max(b.height()).max(1);
            if centred && b.y0 - prev.y1 > h * 7 / 10 {
                break;
            }
        }
        if !parts.is_empty() || !centred {
            if !parts.is_empty() && ends_subject(l, true) {
                break;
            }
        } else if ends_subject(l, false) {
            // Nothing under the title yet: skip separators, stop at the body.
            if l.core.chars().filter(|c| c.is_alphabetic()).count() < 3 {
                continue;
            }
            break;
        }
        if let Some(s) = side {
            if l.side != s {
                if parts.is_empty() {
                    continue;
                }
                break;
            }
        }
        if centred && !parts.is_empty() && !l.centred() {
            break;
        }
        if centred && mostly_upper(&l.core) && l.core.split(' ').count() >= 3 {
            break;
        }
        if !parts.is_empty() && parts.len() >= 4 {
            break;
        }
        parts.push(l);
    }
    if parts.is_empty() {
        return None;
    }
    let mut texts: Vec<&str> = parts.iter().map(|l| l.core.as_str()).collect();
    // A stamp printed beside the first line is read into it: the trích yếu starts at its
    // "Về việc" / "V/v".
    texts[0] = from_vv(texts[0]);
    let joined = texts.join(" ");
    // Words OCR was unsure of may take a known phrase's spelling.
    let unsure = |w: &str| parts.iter().flat_map(|l| &l.words).any(|(t, c)| *c < LOW_WORD && t.contains(w));
    let value = strip_vv(&d.correct_with(&joined, unsure));
    let value = super::norm::trim_junk(&value).trim_end_matches(['.', ',', ':']).to_string();
    if value.chars().filter(|c| c.is_alphabetic()).count() < 3 {
        return None;
    }
    // The weakest word counts (one misread syllable makes a wrong trích yếu), and words that are
    // no Vietnamese syllable as read make the clerk look even when OCR was sure.
    let words = |t: &str| t.chars().any(char::is_alphanumeric);
    let ocr = parts.iter().map(|l| l.words_conf(words)).fold(1.0, f64::min);
    let (health, _) = syllables().health(joined.split_whitespace());
    let quality = if health < 1.0 { 0.8 } else { 0.95 };
    Some(Found { value, conf: confidence(ocr, quality) })
}

/// A line of stamp or ornament noise among the header lines: read with very low confidence, or
/// with fewer than two words that are Vietnamese syllables (of two letters or more) or numbers.
fn stamp_noise(l: &DocLine) -> bool {
    if l.words.is_empty() {
        return false;
    }
    let syl = syllables();
    let real = l
        .core
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| {
            let n = w.chars().count();
            let number = n > 0 && w.chars().all(|c| c.is_ascii_digit());
            let abbreviation = n >= 3 && w.chars().all(char::is_alphabetic) && syl.token_ok(w) == Some(true);
            number || (n >= 2 && syl.contains(w)) || abbreviation
        })
        .count();
    l.conf < 0.5 || real < 2
}

/// The text from a capitalised "Về việc" / "V/v" inside the line on (the whole line when it
/// starts with one or has none).
fn from_vv(text: &str) -> &str {
    for pat in ["Về việc ", "V/v ", "V/V "] {
        if let Some(i) = text.find(pat) {
            if i > 0 {
                return &text[i..];
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::doc_lines;
    use crate::page::TextPage;

    fn head(text: &str) -> Header {
        read(&doc_lines(&[TextPage::from_plain(text)]), &Dictionaries::default())
    }

    fn v(f: &Option<Found<String>>) -> Option<&str> {
        f.as_ref().map(|x| x.value.as_str())
    }

    #[test]
    fn cong_van_header() {
        let h = head(
            "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 4929/UBND-ĐT\nV/v triển khai thực hiện công\n\
             tác văn thư, lưu trữ năm 2022\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc\n\
             Thành phố Hồ Chí Minh, ngày 29 tháng 9 năm 2022\nKính gửi: Bộ Thông tin và Truyền thông.\n\
             Nhằm nâng cao hiệu quả công tác văn thư, lưu trữ trên địa bàn Thành phố,",
        );
        assert_eq!(v(&h.doc_type), Some("Công văn"));
        assert_eq!(v(&h.doc_number), Some("4929"));
        assert_eq!(v(&h.doc_symbol), Some("UBND-ĐT"));
        assert_eq!(v(&h.issued_date), Some("2022-09-29"));
        assert_eq!(v(&h.issued_place), Some("Thành phố Hồ Chí Minh"));
        assert_eq!(v(&h.issuer), Some("Ủy ban nhân dân Thành phố Hồ Chí Minh"));
        assert_eq!(v(&h.issuer_parent), None);
        assert_eq!(v(&h.subject), Some("Triển khai thực hiện công tác văn thư, lưu trữ năm 2022"));
        assert_eq!(v(&h.urgency), None);
        assert!(h.header_quality > 0.9);
    }

    #[test]
    fn quyet_dinh_with_parent_and_marks() {
        let h = head(
            "UỶ BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSỞ NỘI VỤ\nSô: 3669/QÐ-SNV\nTHƯỢNG KHẨN\nMẬT\n\
             CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\
             TP. Hồ Chí Minh, ngảy 13 tháng 10 năm 2014\nQUYÉT ĐỊNH\nVề việc ban hành Quy chế phối hợp\n\
             trong công tác phòng, chống thiên tai\nGIÁM ĐỐC SỞ NỘI VỤ\nCăn cứ Luật Tổ chức chính quyền địa phương;",
        );
        assert_eq!(v(&h.doc_type), Some("Quyết định"));
        assert_eq!(v(&h.doc_number), Some("3669"));
        assert_eq!(v(&h.doc_symbol), Some("QĐ-SNV"));
        assert_eq!(v(&h.issued_date), Some("2014-10-13"));
        assert_eq!(v(&h.issued_place), Some("TP. Hồ Chí Minh"));
        assert_eq!(v(&h.issuer), Some("Sở Nội vụ"));
        assert_eq!(v(&h.issuer_parent), Some("Ủy ban nhân dân Thành phố Hồ Chí Minh"));
        assert_eq!(v(&h.subject), Some("Ban hành Quy chế phối hợp trong công tác phòng, chống thiên tai"));
        assert_eq!(v(&h.urgency), Some("Thượng khẩn"));
        assert_eq!(v(&h.confidentiality), Some("Mật"));
    }

    #[test]
    fn handwritten_number_and_day_are_not_invented() {
        let h = head(
            "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố:     /TTr-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             Quảng Ngãi, ngày    tháng 01 năm 2025\nTỜ TRÌNH\nVề việc miễn nhiệm chức danh\nKính gửi: HĐND tỉnh",
        );
        assert_eq!(v(&h.doc_number), None);
        assert_eq!(v(&h.doc_symbol), Some("TTr-UBND"));
        assert_eq!(v(&h.issued_date), None);
        assert_eq!(v(&h.issued_place), Some("Quảng Ngãi"));
        assert_eq!(v(&h.doc_type), Some("Tờ trình"));
        assert_eq!(v(&h.subject), Some("Miễn nhiệm chức danh"));
    }

    #[test]
    fn both_columns_on_one_text_layer_line() {
        let h = head(
            "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\
             Số: 565 /TB-UBND\nQuảng Ngãi, ngày 15 tháng 11 năm 2024\nTHÔNG BÁO\nKết luận của Phó Chủ tịch\n\
             Ngày 12/11/2024, tại trụ sở UBND tỉnh",
        );
        assert_eq!(v(&h.issuer), Some("Ủy ban nhân dân tỉnh Quảng Ngãi"));
        assert_eq!(v(&h.doc_number), Some("565"));
    }

    #[test]
    fn stamp_noise_and_a_stamp_beside_the_subject() {
        let mut lines = doc_lines(&[TextPage::from_plain(
            "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: /CT-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             Quảng Ngãi, ngày tháng 3 năm 2018\nCHỈ THỊ\n.` .^A ,À k4\nLá\n\
             [R6 TÊM-CÔNG BẢO | Về việc tăng cường công tác thi hành án\nCV T86: .JLÿ-2\n\
             trên địa bàn tỉnh Quảng Ngãi\nThời gian qua, công tác thi hành án",
        )]);
        // OCR lines: word boxes and confidences (the stamp's were read poorly).
        for l in &mut lines {
            let c = if l.text.starts_with("CV") || l.text.starts_with(".`") { 0.45 } else { 0.95 };
            l.conf = c;
            l.words = l.text.split(' ').map(|w| (w.to_string(), c)).collect();
        }
        let h = read(&lines, &Dictionaries::default());
        assert_eq!(v(&h.subject), Some("Tăng cường công tác thi hành án trên địa bàn tỉnh Quảng Ngãi"));
        assert!(h.subject.as_ref().is_some_and(|s| s.conf > 0.8));
    }

    #[test]
    fn weak_words_lower_the_confidence() {
        let mut lines = doc_lines(&[TextPage::from_plain(
            "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 4 /TTr-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             Quảng Ngãi, ngày #6 tháng 3 năm 2018\nTỜ TRÌNH\nVề việc công bô Danh mục giải quyêt TTHC\nKính gửi: HĐND tỉnh",
        )]);
        for l in &mut lines {
            l.conf = 0.9;
            l.words = l
                .text
                .split(' ')
                .map(|w| (w.to_string(), if w == "4" || w == "#6" { 0.3 } else { 0.95 }))
                .collect();
        }
        let h = read(&lines, &Dictionaries::default());
        assert_eq!(v(&h.doc_number), Some("4"));
        assert!(h.doc_number.as_ref().is_some_and(|n| n.conf < 0.8));
        assert_eq!(v(&h.issued_date), Some("2018-03-06"));
        assert!(h.issued_date.as_ref().is_some_and(|n| n.conf < 0.8));
        assert!(h.doc_symbol.as_ref().is_some_and(|n| n.conf > 0.8));
        // Misread words are respelt, but a subject read with an impossible syllable goes to review.
        assert_eq!(v(&h.subject), Some("Công bố Danh mục giải quyết TTHC"));
        assert!(h.subject.as_ref().is_some_and(|s| s.conf < 0.8));
    }

    #[test]
    fn text_layer_quirks() {
        let h = head(
            "TRUNG TÂM CÔNG BÁO\nVÀ TIN HỌC\nttcbth@quangngai.gov.vn\n09.01.2025 10:21:11 +07:00\nỦY BAN NHÂN DÂN\n\
             TỈNH QUẢNG NGÃI\nSố: 565\n/TB-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             Quảng Ngãi, ngày 15 tháng 11 năm 2024\nTHÔNG BÁO\nKết luận của Phó Chủ tịch về công tác\n\
             thời gian qua và nhiệm vụ\nNgày 12/11/2024, tại trụ sở UBND tỉnh",
        );
        assert_eq!(v(&h.issuer_parent), None);
        assert_eq!(v(&h.issuer), Some("Ủy ban nhân dân tỉnh Quảng Ngãi"));
        assert_eq!(v(&h.doc_number), Some("565"));
        assert_eq!(v(&h.doc_symbol), Some("TB-UBND"));
        assert_eq!(v(&h.subject), Some("Kết luận của Phó Chủ tịch về công tác thời gian qua và nhiệm vụ"));
    }

    #[test]
    fn subject_prefixes() {
        assert_eq!(strip_vv("V/v triển khai"), "Triển khai");
        assert_eq!(strip_vv("Về việc đề nghị"), "Đề nghị");
        assert_eq!(strip_vv("Về tăng cường"), "Về tăng cường");
        assert_eq!(from_vv("[R6 TÊM | Về việc tăng cường"), "Về việc tăng cường");
        assert_eq!(from_vv("Kết luận về việc triển khai"), "Kết luận về việc triển khai");
        let t = "TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI";
        assert_eq!(motto_start(t).map(|i| &t[i..]), Some("CỘNG HÒA XÃ HỘI"));
        assert_eq!(motto_start("CỘNG HOÀ XÃ HỘI"), Some(0));
    }
}
