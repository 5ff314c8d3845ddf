//! The closing block: "Nơi nhận" (bottom left) and the signature block (bottom right:
//! authority lines, title, seal and signature, name).

use super::dict::Dictionaries;
use super::layout::Side;
use super::norm::{key, mostly_upper};
use super::{confidence, DocLine, Found};

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

/// Reads the signer and recipients. `doc_type` helps with a biên bản (two signature blocks).
pub fn read(lines: &[DocLine], d: &Dictionaries, _doc_type: Option<&str>) -> Closing {
    let mut c = Closing::default();
    c.recipients = recipients(lines, d);

    // The signature title: the last title line, preferring the right column.
    let titles: Vec<usize> = (0..lines.len()).filter(|&i| is_signature_title(&lines[i], d)).collect();
    let pick = titles.iter().rev().find(|&&i| lines[i].side != Side::Left).or(titles.last()).copied();
    let Some(t) = pick else {
        return c;
    };
    let tl = &lines[t];
    c.signer_title = Some(Found { value: d.sentence_case(&tl.core), conf: confidence(tl.conf, 1.0) });

    // Authority lines right above the title.
    let mut auth: Vec<&DocLine> = Vec::new();
    let mut i = t;
    while i > 0 && auth.len() < 3 {
        i -= 1;
        let l = &lines[i];
        if is_authority(&l.core) {
            auth.push(l);
        } else if l.side == Side::Left && tl.side == Side::Right {
            // A recipients line read before the signature block: skip.
            if auth.is_empty() {
                continue;
            }
            break;
        } else {
            break;
        }
    }
    if !auth.is_empty() {
        auth.reverse();
        let value = auth.iter().map(|l| d.sentence_case(&l.core)).collect::<Vec<_>>().join(" ");
        let ocr = auth.iter().map(|l| l.conf).fold(1.0, f64::min);
        c.signer_authority = Some(Found { value, conf: confidence(ocr, 1.0) });
    }

    // The name: the first line after the title that looks like a person's name.
    let ranks = d.ranks();
    for l in lines.iter().skip(t + 1).take(10) {
        if tl.side == Side::Right && l.side == Side::Left {
            continue;
        }
        if is_signature_title(l, d) || is_authority(&l.core) {
            break;
        }
        if let Some((name, q)) = person_name(&l.core, &ranks) {
            c.signer_name = Some(Found { value: name, conf: confidence(l.conf, q) });
            break;
        }
    }
    c
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
    let words: Vec<&str> = words.into_iter().map(|w| w.trim_matches(|c: char| !c.is_alphabetic())).collect();
    if !(2..=6).contains(&words.len()) || words.iter().any(|w| w.is_empty()) {
        return None;
    }
    if words.iter().any(|w| w.chars().any(|c| !c.is_alphabetic())) {
        return None;
    }
    let capitalised = |w: &&str| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase) && cs.all(char::is_lowercase)
    };
    if words.iter().all(capitalised) {
        return Some((words.join(" "), 0.95));
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
    let rest = s.splitn(2, [':', '.', ' ']).nth(1).unwrap_or("").trim();
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

fn recipients(lines: &[DocLine], d: &Dictionaries) -> Option<Found<Vec<String>>> {
    let start = lines.iter().position(|l| l.key.starts_with("NOI NHAN"))?;
    let head = &lines[start];
    // The candidate lines: the rest of the "Nơi nhận:" line, then the lines below it.
    let mut cand: Vec<(String, f64)> = Vec::new();
    if let Some((_, rest)) = head.text.split_once(':') {
        if rest.trim().chars().any(char::is_alphabetic) {
            cand.push((rest.trim().to_string(), head.conf));
        }
    }
    for l in lines.iter().skip(start + 1).take(60) {
        if l.page != head.page {
            break;
        }
        let signature = is_authority(&l.text) || is_signature_title(l, d);
        if head.bbox.is_some() {
            // With layout: the signature block is the right column; skip it.
            if l.side == Side::Right || signature {
                continue;
            }
        } else if signature {
            break;
        }
        cand.push((l.text.clone(), l.conf));
    }
    let mut items: Vec<String> = Vec::new();
    let mut confs: Vec<f64> = vec![head.conf];
    let mut after_luu = false;
    for (text, conf) in cand {
        let t = text.trim();
        let bullet = t.starts_with(BULLETS);
        let prev_open = items.last().is_some_and(|p| !p.trim_end().ends_with([';', '.']));
        let lower = t.chars().next().is_some_and(char::is_lowercase);
        if after_luu {
            // Only a wrapped end of the "Lưu" line may follow.
            if !bullet && prev_open && lower {
                if let Some(p) = items.last_mut() {
                    p.push(' ');
                    p.push_str(t);
                }
            }
            break;
        }
        if !bullet && prev_open && !items.is_empty() && !starts_luu(t) {
            if let Some(p) = items.last_mut() {
                p.push(' ');
                p.push_str(t);
            }
        } else {
            items.push(t.to_string());
        }
        confs.push(conf);
        if starts_luu(t) {
            after_luu = true;
        }
    }
    let items: Vec<String> = items
        .iter()
        .map(|s| clean_recipient(s))
        .filter(|s| s.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .collect();
    if items.is_empty() {
        return None;
    }
    let ocr = confs.iter().sum::<f64>() / confs.len() as f64;
    let q = if items.iter().any(|s| starts_luu(s)) { 0.95 } else { 0.75 };
    Some(Found { value: items, conf: confidence(ocr, q) })
}

fn starts_luu(s: &str) -> bool {
    let k = key(s.trim_start().trim_start_matches(BULLETS));
    k == "LUU" || k.starts_with("LUU ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::doc_lines;
    use crate::page::TextPage;

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
    fn recipient_cleaning() {
        assert_eq!(clean_recipient("- UBND Thành phố (để báo cáo);"), "UBND Thành phố (để báo cáo)");
        assert_eq!(clean_recipient("– Lưu: VT, PA03."), "Lưu: VT, PA03");
        assert_eq!(clean_recipient("- Lưu: VI; DA."), "Lưu: VT, DA");
        assert_eq!(clean_recipient("- Lưu VT, KTN (Vũ 55)."), "Lưu: VT, KTN (Vũ 55)");
        assert_eq!(clean_recipient("- Như trên; —"), "Như trên");
        assert_eq!(clean_recipient("- Lưu: VI KE N. -"), "Lưu: VT, KE, N");
    }
}
