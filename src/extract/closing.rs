//! The closing block: "Nơi nhận" (bottom left) and the signature block (bottom right:
//! authority lines, title, seal and signature, name).

use super::dict::Dictionaries;
use super::layout::Side;
use super::norm::{key, mostly_upper};
use super::{confidence, DocLine, Found, LOW_WORD};

/// What the closing block gives.
#[derive(Debug, Default)]
pub struct Closing {
    /// Họ tên người ký.
    pub signer_name: Option<Found<String>>,
    /// Chức vụ, sentence case.
    pub signer_title: Option<Found<String>>,
    /// Authority lines joined by a space, sentence case.
    pub signer_authority: Option<Found<String>>,
    /// Nơi nhận items.
    pub recipients: Option<Found<Vec<String>>>,
}

/// Whether a line is an authority line ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL.", "TUQ.", "Q.").
pub fn is_authority(text: &str) -> bool {
    let t = text.trim_start();
    let k = key(t);
    ["TM ", "KT ", "TL ", "TUQ ", "Q "].iter().any(|p| k.starts_with(p))
        && t.split_whitespace().next().is_some_and(|w| w.ends_with(['.', ',']) || w.len() <= 4)
        && mostly_upper(t)
}

fn is_signature_title(l: &DocLine, d: &Dictionaries) -> bool {
    mostly_upper(&l.core) && d.is_title(&l.core)
}

/// What a signature-block phrase is.
#[derive(Debug, Clone, PartialEq)]
enum Phrase {
    /// An official title (canonical case), with a match quality.
    Title(String, f64),
    /// An authority line (`KT. Chủ tịch`), with a match quality.
    Authority(String, f64),
}

const AUTHORITIES: [&str; 5] = ["TM", "KT", "TL", "TUQ", "Q"];

/// The signature phrase at the end of a line: the longest upper-case tail of the line that is an
/// official title (within OCR noise) or an authority line. Tesseract often glues the signature
/// block to a "Nơi nhận" line, or seal strokes before it.
fn phrase(text: &str, d: &Dictionaries) -> Option<Phrase> {
    let words: Vec<&str> = text.split_whitespace().collect();
    for k in 0..words.len() {
        let tail = words[k..].join(" ");
        let tail = super::norm::trim_junk(&tail);
        if !mostly_upper(tail) {
            continue;
        }
        let tk = key(tail);
        if tk.is_empty() {
            continue;
        }
        if let Some(t) = title_of(&tk, d) {
            return Some(t);
        }
        // Authority: "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"; OCR may misread KT as KE / K1.
        let (first, rest) = tk.split_once(' ').unwrap_or((tk.as_str(), ""));
        let auth = if AUTHORITIES.contains(&first) {
            Some((first.to_string(), 1.0))
        } else if first.len() == 2 && first.starts_with('K') && title_of(rest, d).is_some() {
            // "KE: GIÁM ĐỐC": a misread KT, only before a known title.
            Some(("KT".to_string(), 0.8))
        } else {
            None
        };
        if let Some((a, q)) = auth {
            // "KT. CHỦ TỊCH", not the "KT, N" of a "Lưu" line.
            if rest.chars().filter(|c| c.is_alphabetic()).count() < 4 || starts_luu(text) {
                continue;
            }
            // The printed words after the abbreviation.
            let printed: Vec<&str> = tail.split_whitespace().collect();
            let after = printed
                .iter()
                .position(|w| key(w) != first && !key(w).is_empty() && !key(w).starts_with(first))
                .map(|i| printed[i..].join(" "))
                .unwrap_or_default();
            let after = if key(&after) == rest { after } else { rest.to_string() };
            let rest_cased = match title_of(&key(&after), d) {
                Some(Phrase::Title(t, _)) => t,
                _ => d.sentence_case(after.trim_start_matches(['.', ',', ':', '-'])),
            };
            return Some(Phrase::Authority(format!("{a}. {rest_cased}"), q));
        }
    }
    None
}

/// A title matching a key exactly or within OCR noise ("GIẢN ĐỐC", "HÓ GIÁM ĐỘC").
fn title_of(k: &str, d: &Dictionaries) -> Option<Phrase> {
    if d.is_title(k) {
        return Some(Phrase::Title(d.sentence_case(k_to_upper_text(k, d).as_str()), 1.0));
    }
    d.titles_near(k).map(|t| Phrase::Title(t, 0.8))
}

/// The canonical text for a title key (the dictionary spelling, with "Phó" if printed).
fn k_to_upper_text(k: &str, d: &Dictionaries) -> String {
    match k.strip_prefix("PHO ") {
        Some(rest) => format!("Phó {}", d.title_by_key(rest).unwrap_or_default()),
        None => d.title_by_key(k).unwrap_or_default(),
    }
}

/// Reads the signer and recipients. `doc_type` helps with a biên bản (two signature blocks).
pub fn read(lines: &[DocLine], d: &Dictionaries, _doc_type: Option<&str>) -> Closing {
    let mut c = Closing { recipients: recipients(lines, d), ..Closing::default() };
    let noi_nhan = lines.iter().rposition(|l| is_noi_nhan(&l.key));

    // Signature phrases, in reading order.
    let phrases: Vec<(usize, Phrase)> =
        (0..lines.len()).filter_map(|i| phrase(&lines[i].core, d).map(|p| (i, p))).collect();
    let titles: Vec<&(usize, Phrase)> =
        phrases.iter().filter(|(_, p)| matches!(p, Phrase::Title(..))).collect();
    let pick = titles.iter().rev().find(|(i, _)| lines[*i].side != Side::Left).or(titles.last()).copied();
    let anchor;
    match pick {
        Some((t, Phrase::Title(title, q))) => {
            c.signer_title = Some(Found { value: title.clone(), conf: confidence(lines[*t].conf, *q) });
            // Authority phrases right above the title (after any earlier title).
            let mut auth: Vec<(&str, f64, f64)> = Vec::new();
            let mut top = *t;
            for (i, p) in phrases.iter().rev() {
                if *i >= *t {
                    continue;
                }
                match p {
                    Phrase::Authority(a, q) if *t - *i <= 4 && auth.len() < 3 => {
                        auth.push((a.as_str(), *q, lines[*i].conf));
                        top = *i;
                    }
                    _ => break,
                }
            }
            // "TL. CHỦ TỊCH" over "KT. CHÁNH VĂN PHÒNG": the first level may stand apart, the
            // recipients read between them (beside "Nơi nhận" on a text layer).
            if auth.len() == 1 && auth[0].0.starts_with("KT.") {
                let page = lines[top].page;
                for (i, p) in phrases.iter().rev().filter(|(i, _)| *i < top && top - *i <= 40) {
                    match p {
                        Phrase::Authority(a, q)
                            if lines[*i].page == page
                                && ["TL.", "TM.", "TUQ."].iter().any(|x| a.starts_with(x)) =>
                        {
                            auth.push((a.as_str(), *q, lines[*i].conf));
                            break;
                        }
                        Phrase::Authority(..) => continue,
                        _ => break,
                    }
                }
            }
            if !auth.is_empty() {
                auth.reverse();
                let value = auth.iter().map(|a| a.0).collect::<Vec<_>>().join(" ");
                let q = auth.iter().map(|a| a.1).fold(1.0, f64::min);
                let ocr = auth.iter().map(|a| a.2).fold(1.0, f64::min);
                c.signer_authority = Some(Found { value, conf: confidence(ocr, q) });
            }
            anchor = Some(*t);
        }
        _ => {
            // No title read (seal over it): the authority lines of the closing block, and for
            // "KT." (ký thay) the deputy's title by Decree 30: "KT. Chủ tịch" → "Phó Chủ tịch".
            let from = noi_nhan.unwrap_or(lines.len().saturating_sub(30));
            let auth: Vec<&(usize, Phrase)> =
                phrases.iter().filter(|(i, p)| *i >= from && matches!(p, Phrase::Authority(..))).collect();
            if let Some((last, _)) = auth.last() {
                let values: Vec<&str> = auth
                    .iter()
                    .filter_map(
                        |(_, p)| if let Phrase::Authority(a, _) = p { Some(a.as_str()) } else { None },
                    )
                    .collect();
                let value = values.join(" ");
                if let Some(head) = values.last().and_then(|a| a.strip_prefix("KT. ")) {
                    c.signer_title = Some(Found { value: format!("Phó {head}"), conf: 0.6 });
                }
                c.signer_authority = Some(Found { value, conf: confidence(lines[*last].conf, 0.8) });
                anchor = Some(*last);
            } else {
                anchor = None;
            }
        }
    }

    // The name: the first line after the anchor that looks like a person's name; without an
    // anchor, the last name-like line of the closing block.
    let ranks = d.ranks();
    let anchor_side = anchor.map(|a| lines[a].side);
    let start = anchor.map(|a| a + 1).or(noi_nhan.map(|n| n + 1));
    if let Some(start) = start {
        let mut found = None;
        let page = lines.get(start).map(|l| l.page);
        for (k, l) in lines.iter().enumerate().skip(start).take(40) {
            if Some(l.page) != page {
                break;
            }
            if anchor_side == Some(Side::Right) && l.side == Side::Left {
                continue;
            }
            if anchor.is_some() && k > start && phrase(&l.core, d).is_some() {
                break;
            }
            if l.side != Side::Right && l.text.trim_start().starts_with(BULLETS) {
                continue;
            }
            if let Some((name, q)) = person_name(&l.core, &ranks).filter(|(n, _)| !d.is_title_start(n)) {
                let (name, fixed) = d.fix_name(&name);
                let q = if fixed { q * 0.85 } else { q };
                let q = if anchor.is_some() { q } else { q * 0.8 };
                found = Some(Found { value: name, conf: confidence(l.conf, q) });
                if anchor.is_some() {
                    break;
                }
            }
        }
        c.signer_name = found;
    }
    c
}

fn is_noi_nhan(k: &str) -> bool {
    k.starts_with("NOI NHAN") || k.ends_with("NOI NHAN")
}

/// A person's name in a line ("Võ Văn Hoan", "Đại tá Trần Văn Lực" → "Trần Văn Lực"): 2–6 words,
/// letters only, each capitalised; an upper-case name is accepted with a lower quality.
pub fn person_name(text: &str, ranks: &[String]) -> Option<(String, f64)> {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    // Drop a rank printed before the name.
    let k = key(text);
    if let Some(r) = ranks.iter().find(|r| k.starts_with(&format!("{r} "))) {
        let n = r.split(' ').count();
        words.drain(..n.min(words.len()));
    }
    // "Minh.Nga": a dot read between two names.
    let joined = words.join(" ").replace(['.', ',', '-'], " ");
    let words: Vec<&str> = joined
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !(c.is_lowercase() || c.is_uppercase())))
        .filter(|w| !w.is_empty())
        .collect();
    if !(2..=6).contains(&words.len()) || words.iter().any(|w| w.chars().count() < 2) {
        return None;
    }
    if words.iter().any(|w| w.chars().any(|c| !c.is_alphabetic())) {
        return None;
    }
    // A numbered heading ("II. NỘI DUNG") is no name.
    if words.iter().any(|w| w.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))) {
        return None;
    }
    let capitalised = |w: &&str| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase) && cs.all(char::is_lowercase)
    };
    if words.iter().all(capitalised) {
        return Some((words.join(" "), 0.95));
    }
    // One word misread in capitals ("Lâm THÍ Tuyết"): still a name, in title case.
    let short_caps = |w: &&str| w.chars().count() <= 4 && w.chars().all(char::is_uppercase);
    let n_cap = words.iter().filter(|w| capitalised(w)).count();
    if words.iter().all(|w| capitalised(w) || short_caps(w)) && n_cap * 3 >= words.len() * 2 {
        let name =
            words.iter().map(|w| super::dict::capitalize(&w.to_lowercase())).collect::<Vec<_>>().join(" ");
        return Some((name, 0.8));
    }
    if words.iter().all(|w| w.chars().all(char::is_uppercase)) && words.iter().all(|w| w.chars().count() <= 7)
    {
        let name =
            words.iter().map(|w| super::dict::capitalize(&w.to_lowercase())).collect::<Vec<_>>().join(" ");
        return Some((name, 0.7));
    }
    None
}

const BULLETS: [char; 10] = ['-', '–', '—', '−', '•', '+', '*', '~', '_', '·'];

/// Cleans one recipient: no leading bullet, no trailing `;` / `.` / `,`, spaces collapsed.
pub fn clean_recipient(s: &str) -> String {
    let s = s.trim().trim_start_matches(|c: char| BULLETS.contains(&c) || c.is_whitespace() || c == '=');
    let s = s.trim_end_matches(|c: char| {
        matches!(c, ';' | '.' | ',' | ':' | '|' | '`' | '\'' | '"' | '=' | '/' | '\\')
            || BULLETS.contains(&c)
            || c.is_whitespace()
    });
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if starts_luu(&s) {
        return clean_luu(&s);
    }
    s
}

/// The "Lưu" line as Decree 30 prints it: `Lưu: VT, <unit>, <initials>` — commas between the
/// parts (OCR often reads `;` or drops them) and `VT` (văn thư) first.
fn clean_luu(s: &str) -> String {
    let rest = s.split_once([':', '.', ' ']).map_or("", |x| x.1).trim();
    let mut parts: Vec<String> = Vec::new();
    for p in rest.split([',', ';']) {
        let p = p.trim_matches(|c: char| !c.is_alphanumeric() && c != '(' && c != ')');
        if p.is_empty() {
            continue;
        }
        // "VT KT N" (commas lost): upper-case codes separated by spaces are separate parts.
        let toks: Vec<&str> = p.split_whitespace().collect();
        let codes = toks.len() > 1
            && toks
                .iter()
                .all(|t| t.chars().count() <= 6 && t.chars().all(|c| c.is_uppercase() || c.is_ascii_digit()));
        if codes {
            parts.extend(toks.iter().map(|t| t.to_string()));
        } else {
            parts.push(p.to_string());
        }
    }
    if let Some(first) = parts.first_mut() {
        let k = key(first);
        if (2..=3).contains(&k.len()) && k.starts_with('V') && k.chars().all(|c| c.is_ascii_uppercase()) {
            *first = "VT".to_string();
        }
    }
    format!("Lưu: {}", parts.join(", "))
}

/// A recipient word read with less confidence than this sends the list to review (on the
/// evaluation scans every wrong list had one; most right lists did not).
const WEAK_RECIPIENT_WORD: f64 = 0.6;

fn recipients(lines: &[DocLine], d: &Dictionaries) -> Option<Found<Vec<String>>> {
    // After "Nơi nhận:"; when OCR lost that heading, the bullet lines that end with "- Lưu: …".
    let (head, from, heading) = match lines.iter().position(|l| is_noi_nhan(&l.key)) {
        Some(s) => (&lines[s], s + 1, true),
        None => {
            let bullet = |l: &DocLine| l.text.trim_start().starts_with(BULLETS) && l.side != Side::Right;
            let luu = lines.iter().rposition(|l| bullet(l) && starts_luu(&l.core))?;
            let mut f = luu;
            while f > 0 && bullet(&lines[f - 1]) && lines[f - 1].page == lines[luu].page {
                f -= 1;
            }
            (&lines[f], f, false)
        }
    };
    // The candidate lines: the rest of the "Nơi nhận:" line, then the lines below it.
    // A list's confidence is its lines' mean, lowered when a word is weak: one misread code
    // makes a wrong recipient.
    let words = |t: &str| t.chars().any(char::is_alphanumeric);
    // (text, line confidence, weakest word, left edge)
    let mut cand: Vec<(String, f64, f64, Option<i32>)> = Vec::new();
    let mut unsure: Vec<&str> = Vec::new();
    if let Some((_, rest)) = head.text.split_once(':').filter(|_| heading) {
        let rest = rest.trim();
        let signature = mostly_upper(rest) && phrase(rest, d).is_some();
        if rest.chars().any(char::is_alphabetic) && !signature {
            cand.push((without_signature(rest, d), head.conf, head.words_conf(words), None));
            unsure.extend(head.words.iter().filter(|w| w.1 < LOW_WORD).map(|w| w.0.as_str()));
        }
    }
    for l in lines.iter().skip(from).take(60) {
        if l.page != head.page {
            break;
        }
        let signature = is_authority(&l.core)
            || is_signature_title(l, d)
            || (mostly_upper(&l.core) && phrase(&l.core, d).is_some());
        if head.bbox.is_some() {
            // With layout: the signature block is the right column; skip it.
            if l.side == Side::Right || signature {
                continue;
            }
        } else if signature {
            break;
        }
        cand.push((without_signature(&l.text, d), l.conf, l.words_conf(words), l.bbox.map(|b| b.x0)));
        unsure.extend(l.words.iter().filter(|w| w.1 < LOW_WORD).map(|w| w.0.as_str()));
    }
    // Items with the weakest word confidence of their lines.
    let mut items: Vec<(String, f64)> = Vec::new();
    let mut confs: Vec<f64> = vec![head.conf];
    let mut after_luu = false;
    // Where the bullets are printed: a line without one that starts further right (under the
    // text after "- ") goes on with the item above, even after a ";".
    let bullet_x0 = cand.iter().filter(|c| c.0.trim_start().starts_with(BULLETS)).filter_map(|c| c.3).min();
    for (text, conf, weak, x0) in cand {
        let hanging = matches!((x0, bullet_x0), (Some(x), Some(b)) if x > b + 10);
        let t = text.trim();
        let bullet = t.starts_with(BULLETS);
        let prev_open = items.last().is_some_and(|p| !p.0.trim_end().ends_with([';', '.']));
        let lower = t.chars().next().is_some_and(char::is_lowercase);
        if after_luu {
            // Only a wrapped end of the "Lưu" line may follow.
            if !bullet && prev_open && lower {
                if let Some(p) = items.last_mut() {
                    p.0.push(' ');
                    p.0.push_str(t);
                    p.1 = p.1.min(weak);
                }
            }
            break;
        }
        if !bullet && (prev_open || hanging) && !items.is_empty() && !starts_luu(t) {
            if let Some(p) = items.last_mut() {
                p.0.push(' ');
                p.0.push_str(t);
                p.1 = p.1.min(weak);
            }
        } else {
            items.push((t.to_string(), weak));
        }
        confs.push(conf);
        if starts_luu(t) {
            after_luu = true;
        }
    }
    let items: Vec<(String, f64)> = items
        .iter()
        .map(|(s, w)| {
            let fixed = d.correct_with(&drop_tail_junk(s), |w| unsure.iter().any(|u| u.contains(w)));
            (clean_recipient(&fixed), *w)
        })
        .filter(|(s, _)| s.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .collect();
    if items.is_empty() {
        return None;
    }
    let weakest = items.iter().map(|i| i.1).fold(1.0, f64::min);
    let items: Vec<String> = items.into_iter().map(|i| i.0).collect();
    let ocr = confs.iter().sum::<f64>() / confs.len() as f64;
    let q = if items.iter().any(|s| starts_luu(s)) { 0.95 } else { 0.75 };
    let q = if weakest < WEAK_RECIPIENT_WORD { q * 0.8 } else { q };
    let q = if heading { q } else { q * 0.85 };
    Some(Found { value: items, conf: confidence(ocr, q) })
}

/// A recipients line without a signature phrase glued to its end by OCR
/// ("- Ban Giám đốc Sở; PHÓ GIÁM ĐỐC" → "- Ban Giám đốc Sở;").
fn without_signature(text: &str, d: &Dictionaries) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    for k in 1..words.len() {
        let tail = words[k..].join(" ");
        if mostly_upper(&tail) && phrase(&tail, d).is_some() && !mostly_upper(&words[..k].join(" ")) {
            return words[..k].join(" ");
        }
    }
    text.to_string()
}

fn starts_luu(s: &str) -> bool {
    let k = key(s.trim_start().trim_start_matches(BULLETS));
    let first = k.split(' ').next().unwrap_or("");
    // "Lưu" is printed small and often misread: "Luu", "IUu", "1ữu", "SIưu" — then with its
    // colon ("- Bưu điện" is a recipient).
    let colon = s
        .trim_start()
        .trim_start_matches(BULLETS)
        .split_whitespace()
        .next()
        .is_some_and(|w| w.ends_with(':'));
    first == "LUU" || (colon && first.len() <= 5 && first.len() >= 3 && first.ends_with("UU"))
}

/// Cuts OCR junk after the last `;` or `:` of an item ("… Thành phố; : ụ" → "… Thành phố;").
fn drop_tail_junk(s: &str) -> String {
    if let Some(i) = s.rfind([';', ':']) {
        let rest = &s[i + 1..];
        let letters = rest.chars().filter(|c| c.is_lowercase() || c.is_uppercase()).count();
        if letters < 2 {
            return s[..i + 1].to_string();
        }
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::doc_lines;
    use crate::page::{BBox, TextPage};

    fn closing(text: &str) -> Closing {
        read(&doc_lines(&[TextPage::from_plain(text)]), &Dictionaries::default(), None)
    }

    fn v(f: &Option<Found<String>>) -> Option<&str> {
        f.as_ref().map(|x| x.value.as_str())
    }

    #[test]
    fn signature_block_and_recipients() {
        let c = closing(
            "Trân trọng./.\nNơi nhận:\n- Như trên;\n- Sở Tư pháp;\n- Ủy ban Mặt trận Tổ quốc Việt Nam Thành\nphố;\n\
             - Lưu: VT, ĐT, N.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n~ ế\nTrần Minh Tâm",
        );
        assert_eq!(v(&c.signer_title), Some("Phó Chủ tịch"));
        assert_eq!(v(&c.signer_authority), Some("TM. Ủy ban nhân dân KT. Chủ tịch"));
        assert_eq!(v(&c.signer_name), Some("Trần Minh Tâm"));
        let r = c.recipients.unwrap().value;
        assert_eq!(
            r,
            ["Như trên", "Sở Tư pháp", "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố", "Lưu: VT, ĐT, N"]
        );
    }

    #[test]
    fn bien_ban_takes_the_right_hand_signer() {
        let c = closing("thống nhất thông qua./.\nTHƯ KÝ\nNguyễn Phước Sơn\nCHỦ TỌA\nNguyễn Hồng Hiếu");
        assert_eq!(v(&c.signer_title), Some("Chủ tọa"));
        assert_eq!(v(&c.signer_name), Some("Nguyễn Hồng Hiếu"));
        assert!(c.recipients.is_none());
    }

    #[test]
    fn ranks_are_not_part_of_the_name() {
        let c = closing("GIÁM ĐỐC\nĐại tá Trần Văn Lực");
        assert_eq!(v(&c.signer_name), Some("Trần Văn Lực"));
        assert_eq!(v(&c.signer_authority), None);
    }

    #[test]
    fn noisy_and_glued_signature_blocks() {
        let c = closing("Nơi nhận: KE:GIÁM-ĐỐC\n- Sở Nội vụ; HÓ GIÁM ĐỘC\n- Lưu: VT, HCSN.\nTrần Việt Hoan");
        assert_eq!(v(&c.signer_title), Some("Phó Giám đốc"));
        assert_eq!(v(&c.signer_authority), Some("KT. Giám đốc"));
        assert_eq!(v(&c.signer_name), Some("Trần Việt Hoan"));
        assert_eq!(c.recipients.unwrap().value, ["Sở Nội vụ", "Lưu: VT, HCSN"]);
        let c = closing("Nơi nhận:\n- Lưu: VT.\nKT. CHỦ TỊCH\nẮ J TỊCH\nPhạm Thanh Thịnh");
        assert_eq!(v(&c.signer_title), Some("Phó Chủ tịch"));
        assert_eq!(v(&c.signer_authority), Some("KT. Chủ tịch"));
        assert_eq!(v(&c.signer_name), Some("Phạm Thanh Thịnh"));
        let c = closing("Nơi nhận:\n- Lưu: VT.\nVỆ) nợ” _ GIẢN ĐỐC\n>Lâm THÍ Tuyết");
        assert_eq!(v(&c.signer_title), Some("Giám đốc"));
        assert_eq!(v(&c.signer_name), Some("Lâm Thị Tuyết"));
    }

    #[test]
    fn first_authority_level_beside_the_recipients() {
        // A text layer reads "TL. CHỦ TỊCH" beside "Nơi nhận:", the recipients, then the rest.
        let c = closing(
            "Nơi nhận:\nTL. CHỦ TỊCH\n- CT, PCT UBND tỉnh;\n- Sở Tài chính;\n- Cổng TTĐT tỉnh;\n- Lưu: VT, KTTH.\n\
             KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\nNguyễn Phước Bình",
        );
        assert_eq!(v(&c.signer_authority), Some("TL. Chủ tịch KT. Chánh Văn phòng"));
        assert_eq!(v(&c.signer_title), Some("Phó Chánh Văn phòng"));
        assert_eq!(v(&c.signer_name), Some("Nguyễn Phước Bình"));
        // A lone "KT." keeps its own level.
        let c = closing("Nơi nhận:\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Phước Hiền");
        assert_eq!(v(&c.signer_authority), Some("KT. Chủ tịch"));
    }

    #[test]
    fn recipients_without_their_heading_and_a_bưu_điện() {
        // OCR lost "Nơi nhận:"; the bullet lines ending with "Lưu" are the list.
        let c = closing(
            "thực hiện./.\n¬\n- Như trên;\n- Bưu điện Quảng Ngãi;\n- Báo Quảng Ngãi;\n- Lưu: VT, TTHC.\n\
             TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\nNguyễn Quốc Việt",
        );
        let r = c.recipients.expect("recipients");
        assert_eq!(r.value, ["Như trên", "Bưu điện Quảng Ngãi", "Báo Quảng Ngãi", "Lưu: VT, TTHC"]);
        assert!(r.conf < 0.85);
        assert_eq!(v(&c.signer_name), Some("Nguyễn Quốc Việt"));
        assert!(!starts_luu("- Bưu điện tỉnh;"));
        assert!(starts_luu("- IUu: VT"));
    }

    #[test]
    fn a_hanging_line_continues_the_item() {
        let mut lines = doc_lines(&[TextPage::from_plain(
            "Nơi nhận:\n- Các Công ty: CP Môi trường;\nCP Xây dựng;\n- Sở Tài chính;\n- Lưu: VT.",
        )]);
        for (l, x) in lines.iter_mut().zip([100, 100, 125, 100, 100]) {
            l.bbox = Some(BBox { x0: x, y0: 0, x1: x + 400, y1: 40 });
            l.side = Side::Left;
        }
        let r = recipients(&lines, &Dictionaries::default()).expect("recipients");
        assert_eq!(r.value, ["Các Công ty: CP Môi trường; CP Xây dựng", "Sở Tài chính", "Lưu: VT"]);
    }

    #[test]
    fn headings_are_not_signatures() {
        let c = closing("KẾ HOẠCH\nTổ chức Hội nghị\nII. NỘI DUNG, NHIỆM VỤ\n1. Kiểm tra");
        assert!(c.signer_title.is_none() && c.signer_authority.is_none() && c.signer_name.is_none());
    }

    #[test]
    fn recipient_cleaning() {
        assert_eq!(clean_recipient("- UBND Thành phố (để báo cáo);"), "UBND Thành phố (để báo cáo)");
        assert_eq!(clean_recipient("– Lưu: VT, PA03."), "Lưu: VT, PA03");
        assert_eq!(clean_recipient("- Lưu: VI; DA."), "Lưu: VT, DA");
        assert_eq!(clean_recipient("- Lưu VT, KTN (Vũ 55)."), "Lưu: VT, KTN (Vũ 55)");
        assert_eq!(clean_recipient("- Như trên; —"), "Như trên");
        assert_eq!(clean_recipient("- Lưu: VI KE N. -"), "Lưu: VT, KE, N");
    }
}
