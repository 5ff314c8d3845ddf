//! PDF input: born-digital text layers, scanned pages, hostile files, and the real corpus
//! (`../shared/corpus/real`, read in place).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::util::{read_jsonl, repo, Work};

/// A minimal PDF: one page per entry of `pages`, each `(content stream, optional JPEG image)`.
fn build_pdf(pages: &[(String, Option<&Path>)], media_box: &str) -> Vec<u8> {
    let mut objs: Vec<Vec<u8>> = vec![
        Vec::new(),
        Vec::new(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ];
    let mut kids = Vec::new();
    for (content, jpeg) in pages {
        let mut xobj = String::new();
        if let Some(jpeg) = jpeg {
            let bytes = std::fs::read(jpeg).unwrap();
            let img = image::open(jpeg).unwrap();
            let cs = if img.color().has_color() { "/DeviceRGB" } else { "/DeviceGray" };
            let mut s = format!(
                "<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {cs} /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
                img.width(),
                img.height(),
                bytes.len()
            )
            .into_bytes();
            s.extend_from_slice(&bytes);
            s.extend_from_slice(b"\nendstream");
            objs.push(s);
            xobj = format!(" /XObject << /Im1 {} 0 R >>", objs.len());
        }
        let mut c = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        c.extend_from_slice(content.as_bytes());
        c.extend_from_slice(b"\nendstream");
        objs.push(c);
        let content_id = objs.len();
        objs.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox {media_box} /Resources << /Font << /F1 3 0 R >>{xobj} >> /Contents {content_id} 0 R >>"
            )
            .into_bytes(),
        );
        kids.push(format!("{} 0 R", objs.len()));
    }
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>".to_vec();
    objs[1] = format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), kids.len()).into_bytes();
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1).as_bytes(),
    );
    out
}

fn text_stream(lines: &[&str]) -> String {
    let mut s = String::from("BT /F1 12 Tf 72 770 Td 16 TL\n");
    for l in lines {
        s.push_str(&format!("({l}) Tj T*\n"));
    }
    s.push_str("ET");
    s
}

const A4: &str = "[0 0 595 842]";

fn by_source<'a>(recs: &'a [serde_json::Value], source: &str) -> &'a serde_json::Value {
    recs.iter()
        .find(|r| r["source"].as_str().is_some_and(|s| s == source || s.ends_with(&format!("/{source}"))))
        .unwrap_or_else(|| panic!("no record for {source}: {recs:?}"))
}

#[test]
fn born_digital_scanned_and_mixed_pdfs() {
    let w = Work::new();
    let jpeg = repo().join("samples/cong-van.jpg");
    let text_page =
        text_stream(&["UY BAN NHAN DAN TINH QUANG NGAI", "So: 12/TB-UBND", "THONG BAO ket luan cuoc hop"]);
    w.write("in/a-digital.pdf", &build_pdf(&[(text_page.clone(), None)], A4));
    let scan =
        "q 595 0 0 842 0 0 cm /Im1 Do Q\nBT 3 Tr /F1 8 Tf 400 800 Td (Ky boi: Uy ban nhan dan tinh) Tj ET"
            .to_string();
    w.write("in/b-scan.pdf", &build_pdf(&[(scan.clone(), Some(&jpeg))], A4));
    w.write("in/c-mixed.pdf", &build_pdf(&[(text_page, None), (scan, Some(&jpeg))], A4));
    w.write("in/d-blank.pdf", &build_pdf(&[(String::new(), None)], A4));
    w.run(&["scan", "in", "--out", "arch", "-j", "2", "-q"]).expect_code(0);
    let recs = w.jsonl("arch/records.jsonl");
    assert_eq!(recs.len(), 4, "{recs:?}");

    let a = by_source(&recs, "a-digital.pdf");
    assert_eq!(a["method"], "pdf-text");
    assert_eq!(a["text"], "UY BAN NHAN DAN TINH QUANG NGAI\nSo: 12/TB-UBND\nTHONG BAO ket luan cuoc hop");
    assert_eq!(a["confidence"], 1.0);

    let b = by_source(&recs, "b-scan.pdf");
    assert_eq!(b["method"], "ocr");
    let text = b["text"].as_str().unwrap();
    assert!(!text.contains("Ky boi"), "the stamp text stays out: {text}");
    assert!(text.split_whitespace().count() > 20, "the scan is OCRed: {text}");

    let c = by_source(&recs, "c-mixed.pdf");
    assert_eq!(c["method"], "mixed");
    assert_eq!(c["page_count"], 2);
    assert!(c["text"].as_str().unwrap().starts_with("UY BAN NHAN DAN TINH QUANG NGAI\n"));

    let d = by_source(&recs, "d-blank.pdf");
    assert_eq!(d["text"], "");

    // --pdf-text always takes the stamp text; never OCRs the born-digital page.
    w.run(&["scan", "in/b-scan.pdf", "--out", "always", "--pdf-text", "always", "-q"]).expect_code(0);
    assert_eq!(w.jsonl("always/records.jsonl")[0]["method"], "pdf-text");
    w.run(&["scan", "in/a-digital.pdf", "--out", "never", "--pdf-text", "never", "-q"]).expect_code(0);
    let n = &w.jsonl("never/records.jsonl")[0];
    assert_eq!(n["method"], "ocr");
    assert!(n["text"].as_str().unwrap().contains("12/TB-UBND"), "{n}");
}

#[test]
fn hostile_pdfs_are_one_error_line_each_and_the_batch_goes_on() {
    let w = Work::new();
    let good = build_pdf(&[(text_stream(&["Cong van so 1"]), None)], A4);
    w.write("in/a-good.pdf", &good);
    w.write("in/b-empty.pdf", b"");
    w.write("in/c-truncated.pdf", &good[..good.len() / 3]);
    w.write("in/d-html.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>\n");
    w.write("in/e-header-only.pdf", b"%PDF-1.4\n%%EOF\n");
    w.write("in/f-huge-page.pdf", &build_pdf(&[(String::new(), None)], "[0 0 14400 14400]"));
    let two = build_pdf(&[(text_stream(&["one"]), None), (text_stream(&["two"]), None)], A4);
    w.write("in/g-two-pages.pdf", &two);
    let mut broken_xref = good.clone();
    let at = broken_xref.windows(4).position(|x| x == b"xref").unwrap();
    broken_xref[at + 7..at + 17].copy_from_slice(b"9999999999");
    w.write("in/h-bad-xref.pdf", &broken_xref);
    let enc = repo().join("../shared/corpus/real/ocrmypdf/historical/skew-encrypted.pdf");
    let has_enc = enc.exists();
    if has_enc {
        std::fs::copy(&enc, w.path("in/i-encrypted.pdf")).unwrap();
    }
    w.run(&["scan", "in", "--out", "arch", "-j", "2", "-q", "--max-pages", "1"]).expect_code(1);
    let recs = w.jsonl("arch/records.jsonl");
    let errs = w.jsonl("arch/errors.jsonl");
    let kind = |s: &str| {
        errs.iter()
            .find(|e| e["source"] == s)
            .map(|e| e["kind"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(kind("b-empty.pdf"), "empty");
    assert_eq!(kind("c-truncated.pdf"), "unreadable");
    assert_eq!(kind("d-html.pdf"), "unreadable");
    assert_eq!(kind("e-header-only.pdf"), "unreadable");
    assert_eq!(kind("f-huge-page.pdf"), "too-large");
    assert_eq!(kind("g-two-pages.pdf"), "too-large");
    if has_enc {
        assert_eq!(kind("i-encrypted.pdf"), "encrypted");
        let m = errs.iter().find(|e| e["source"] == "i-encrypted.pdf").unwrap()["message"].as_str().unwrap();
        assert!(m.contains("password-protected"), "{m}");
    }
    // A damaged cross-reference table is repaired.
    let sources: BTreeSet<&str> = recs.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert!(sources.contains("a-good.pdf") && sources.contains("h-bad-xref.pdf"), "{sources:?} {errs:?}");
    assert_eq!(recs.len() + errs.len(), 8 + has_enc as usize, "{recs:?} {errs:?}");
    for e in &errs {
        assert!(!sources.contains(e["source"].as_str().unwrap()), "record and error for {e}");
    }
}

fn corpus() -> PathBuf {
    repo().join("../shared/corpus/real")
}

/// Every input gets a record or an error line, never both, never neither.
fn assert_accounted(inputs: &[PathBuf], out: &Path) {
    let recs = read_jsonl(&out.join("records.jsonl"));
    let errs = read_jsonl(&out.join("errors.jsonl"));
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for s in recs.iter().chain(errs.iter()).map(|v| v["source"].as_str().unwrap().to_string()) {
        assert!(seen.insert(s.clone()), "{s} reported twice");
    }
    for i in inputs {
        let name = i.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            seen.iter().any(|s| s == &name || s.ends_with(&format!("/{name}"))),
            "{name} not accounted for"
        );
    }
}

fn real_pdfs(max_bytes: u64) -> Vec<PathBuf> {
    let mut v = Vec::new();
    let mut stack = vec![corpus()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "pdf")
                && e.metadata().map(|m| m.len()).unwrap_or(0) <= max_bytes
            {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

/// The small real PDFs (hostile ones included) in CI: no panic, no signal, all accounted for.
#[test]
fn real_small_pdfs_are_all_accounted_for() {
    if !corpus().exists() {
        eprintln!("skipped: {} is not there", corpus().display());
        return;
    }
    let inputs = real_pdfs(15_000);
    assert!(inputs.len() >= 10, "{inputs:?}");
    let w = Work::new();
    let mut args: Vec<String> = vec!["scan".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), "arch".into(), "-j".into(), "2".into(), "-q".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = w.run(&args);
    assert!(matches!(run.code(), 0 | 1), "exit {}: {}", run.code(), run.stderr());
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    assert_accounted(&inputs, &w.path("arch"));
}

/// The born-digital Quảng Ngãi documents give their exact text.
#[test]
fn born_digital_vietnamese_text_is_exact() {
    let dir = corpus().join("vbhc-quangngai");
    if !dir.exists() {
        return;
    }
    let w = Work::new();
    let files = ["05.signed_20250517_044750", "vht534.signed_20250510_124908"];
    let inputs: Vec<String> =
        files.iter().map(|f| dir.join(format!("{f}.pdf")).display().to_string()).collect();
    let mut args = vec!["scan"];
    args.extend(inputs.iter().map(String::as_str));
    args.extend(["--out", "arch", "-q"]);
    w.run(&args).expect_code(0);
    let recs = w.jsonl("arch/records.jsonl");
    for f in files {
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("truth/{f}.json"))).unwrap())
                .unwrap();
        let rec = by_source(&recs, &format!("{f}.pdf"));
        assert_eq!(rec["method"], "pdf-text");
        let c = cer(rec["text"].as_str().unwrap(), truth["text"].as_str().unwrap());
        assert!(c < 0.01, "{f}: CER {c}");
    }
}

/// All real PDFs (OCR included: minutes). `cargo test -- --ignored real_corpus`.
#[test]
#[ignore]
fn real_corpus_is_all_accounted_for() {
    let w = Work::new();
    let run = w.run(&["scan", &corpus().display().to_string(), "--out", "arch", "-j", "2", "-q"]);
    assert!(matches!(run.code(), 0 | 1), "exit {}: {}", run.code(), run.stderr());
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    assert_accounted(&real_pdfs(u64::MAX), &w.path("arch"));
}

/// Character error rate after collapsing whitespace (as score.py does).
fn cer(pred: &str, truth: &str) -> f64 {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect::<Vec<char>>();
    let (p, t) = (norm(pred), norm(truth));
    let mut prev: Vec<usize> = (0..=t.len()).collect();
    let mut cur = vec![0; t.len() + 1];
    for (i, pc) in p.iter().enumerate() {
        cur[0] = i + 1;
        for (j, tc) in t.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(pc != tc)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[t.len()] as f64 / t.len().max(1) as f64
}

#[test]
fn jpeg2000_scans_are_ocred_and_damaged_ones_reported() {
    let w = Work::new();
    w.sample("cong-van-header.jp2", "in/a.jp2");
    let bytes = std::fs::read(repo().join("samples/cong-van-header.jp2")).unwrap();
    w.write("in/b-truncated.jp2", &bytes[..200]);
    w.run(&["scan", "in", "--out", "arch", "-q"]).expect_code(1);
    let recs = w.jsonl("arch/records.jsonl");
    assert_eq!(recs.len(), 1, "{recs:?}");
    let text = recs[0]["text"].as_str().unwrap();
    assert!(text.contains("4929/UBND") || text.contains("NHÂN DÂN"), "{text}");
    let errs = w.jsonl("arch/errors.jsonl");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0]["kind"], "unreadable");
}

/// A scanned Quảng Ngãi page whose text layer is only the signature stamp is OCRed, and the
/// stamp (an annotation) is left out of the text.
#[test]
fn stamp_only_scans_are_ocred_without_the_stamp() {
    let file = corpus().join("vbhc-quangngai/01 TTr.signed_20250513_144607.pdf");
    if !file.exists() {
        return;
    }
    let w = Work::new();
    w.run(&["scan", &file.display().to_string(), "--out", "arch", "-q"]).expect_code(0);
    let rec = &w.jsonl("arch/records.jsonl")[0];
    assert_eq!(rec["method"], "ocr");
    let text = rec["text"].as_str().unwrap();
    assert!(text.contains("NHÂN DÂN"), "{text}");
    for stamp in ["Ký bởi", "Thời gian ký", "ttcbth"] {
        assert!(!text.contains(stamp), "{stamp} in {text}");
    }
}
