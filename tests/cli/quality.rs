//! OCR quality: orientation, deskew, the quality gate and the archival outputs (ALTO, hOCR, PDF).

use crate::util::{repo, Work};

/// The sample công văn (200 dpi grey), as a grey image.
fn cong_van() -> image::GrayImage {
    image::open(repo().join("samples/cong-van.jpg")).expect("sample").to_luma8()
}

/// Words of the sample that a good reading finds.
const WORDS: [&str; 8] = ["số", "4929", "văn", "thư", "lưu", "trữ", "hồ", "minh"];

fn found(text: &str) -> usize {
    let t = text.to_lowercase();
    let words: Vec<&str> = t.split(|c: char| !c.is_alphanumeric()).collect();
    WORDS.iter().filter(|w| words.contains(w)).count()
}

fn scan_text(w: &Work, file: &str, extra: &[&str]) -> String {
    let out = format!("arch-{}", extra.join("-").replace(['-', ' '], ""));
    let mut args = vec!["scan", file, "--out", &out, "-j", "1", "-q"];
    args.extend_from_slice(extra);
    w.run(&args).expect_code(0);
    let recs = w.jsonl(&format!("{out}/records.jsonl"));
    recs[0]["text"].as_str().unwrap_or_default().to_string()
}

/// Rotates by `deg` degrees (counter-clockwise) about the centre, white background.
fn rotate_small(img: &image::GrayImage, deg: f32) -> image::GrayImage {
    let (w, h) = img.dimensions();
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    image::GrayImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let (sx, sy) = (c * dx - s * dy + cx, s * dx + c * dy + cy);
        if sx >= 0.0 && sy >= 0.0 && (sx as u32) < w && (sy as u32) < h {
            *img.get_pixel(sx as u32, sy as u32)
        } else {
            image::Luma([255])
        }
    })
}

#[test]
fn pages_on_their_side_or_upside_down_come_out_upright() {
    let w = Work::new();
    let page = cong_van();
    image::imageops::rotate90(&page).save(w.path("side.png")).unwrap();
    image::imageops::rotate180(&page).save(w.path("down.png")).unwrap();
    let side = scan_text(&w, "side.png", &["--dpi", "200"]);
    assert!(found(&side) >= 7, "{side}");
    let down = scan_text(&w, "down.png", &["--dpi", "200"]);
    assert!(found(&down) >= 7, "{down}");
    // Without preprocessing Tesseract reads the upside-down page as garbage.
    let raw = scan_text(&w, "down.png", &["--dpi", "200", "--preprocess", "none"]);
    assert!(found(&raw) <= 2, "{raw}");
}

#[test]
fn a_skewed_page_is_deskewed() {
    let w = Work::new();
    let skewed = rotate_small(&cong_van(), 3.0);
    skewed.save(w.path("skew.png")).unwrap();
    let text = scan_text(&w, "skew.png", &["--dpi", "200"]);
    let raw = scan_text(&w, "skew.png", &["--dpi", "200", "--preprocess", "none"]);
    let ok = |t: &str| {
        t.split_whitespace()
            .filter(|x| sohoa::preprocess::quality::syllables().token_ok(x) == Some(true))
            .count()
    };
    assert!(found(&text) >= 7, "{text}");
    assert!(ok(&text) >= ok(&raw), "deskewed {} valid words, raw {}", ok(&text), ok(&raw));
}

/// A minimal well-formedness check: tags nest and close, attributes are quoted.
fn well_formed(xml: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').ok_or("unclosed tag")? + i;
        let tag = &rest[i + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| !c.is_whitespace() && *c != '/').collect();
        if tag.starts_with('/') {
            let open = stack.pop().ok_or(format!("</{name}> without opening"))?;
            if open != name {
                return Err(format!("<{open}> closed by </{name}>"));
            }
        } else if !tag.ends_with('/') {
            stack.push(name);
        }
        if !tag.matches('"').count().is_multiple_of(2) {
            return Err(format!("unbalanced quotes in <{tag}>"));
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

#[test]
fn alto_hocr_and_pdf_are_written_per_document() {
    let w = Work::new();
    w.sample("cong-van.jpg", "in/cong-van.jpg");
    w.sample("bao-cao_p1.png", "in/bao-cao_p1.png");
    w.sample("bao-cao_p2.png", "in/bao-cao_p2.png");
    w.run(&["scan", "in", "--out", "arch", "--group", "stem", "-j", "2", "-q", "--alto", "--hocr", "--pdf"])
        .expect_code(0);
    let recs = w.jsonl("arch/records.jsonl");
    assert_eq!(recs.len(), 2);
    for r in &recs {
        let id = r["id"].as_str().unwrap();
        let pages = r["page_count"].as_u64().unwrap() as usize;
        let alto = std::fs::read_to_string(w.path(&format!("arch/alto/{id}.xml"))).expect("alto file");
        well_formed(&alto).unwrap_or_else(|e| panic!("ALTO not well-formed: {e}"));
        assert!(alto.contains("http://www.loc.gov/standards/alto/ns-v3#"));
        assert_eq!(alto.matches("<Page ").count(), pages);
        let first_word = r["text"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .find(|t| t.chars().all(char::is_alphabetic))
            .unwrap();
        assert!(alto.contains(&format!("CONTENT=\"{first_word}\"")), "{first_word} not in ALTO");
        let hocr = std::fs::read_to_string(w.path(&format!("arch/hocr/{id}.html"))).expect("hocr file");
        assert_eq!(hocr.matches("class='ocr_page'").count(), pages);
        assert!(hocr.contains("ocrx_word"));
        let pdf = std::fs::read(w.path(&format!("arch/pdf/{id}.pdf"))).expect("pdf file");
        let doc = lopdf::Document::load_mem(&pdf).expect("PDF opens");
        assert_eq!(doc.get_pages().len(), pages);
        // Poppler reads the text layer (pdftotext, from poppler-utils).
        let path = w.path(&format!("arch/pdf/{id}.pdf"));
        let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext");
        assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout).to_lowercase();
        assert_pdfa(&doc);
        // qpdf finds no structural error (xref, streams).
        let check = std::process::Command::new("qpdf").arg("--check").arg(&path).output().expect("qpdf");
        assert!(check.status.success(), "qpdf --check: {}", String::from_utf8_lossy(&check.stdout));
        let cv_words = r["text"].as_str().unwrap().to_lowercase();
        let common = cv_words
            .split_whitespace()
            .filter(|x| x.chars().count() > 3)
            .take(20)
            .filter(|x| text.contains(*x))
            .count();
        assert!(common >= 10, "PDF text layer lacks the OCR words: {text}");
    }
    // Without the flags, none of these folders.
    w.run(&["scan", "in/cong-van.jpg", "--out", "plain", "-q"]).expect_code(0);
    assert!(!w.path("plain/alto").exists() && !w.path("plain/pdf").exists());
}

/// The PDF/A-2b markers: XMP with pdfaid part 2 / conformance B, an output intent with an ICC
/// profile, a document ID, and a PDF 1.7 header.
fn assert_pdfa(doc: &lopdf::Document) {
    assert_eq!(doc.version, "1.7");
    let catalog = doc.catalog().expect("catalog");
    let md = catalog.get(b"Metadata").and_then(|m| m.as_reference()).expect("Metadata");
    let xmp = doc.get_object(md).and_then(|o| o.as_stream()).expect("XMP stream");
    let xmp = String::from_utf8_lossy(&xmp.content);
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>") && xmp.contains("<pdfaid:conformance>B<"), "{xmp}");
    let intents = catalog.get(b"OutputIntents").and_then(|o| o.as_array()).expect("OutputIntents");
    let intent = intents[0].as_dict().expect("intent");
    assert_eq!(intent.get(b"S").and_then(|s| s.as_name()).unwrap(), b"GTS_PDFA1");
    let icc = intent.get(b"DestOutputProfile").and_then(|r| r.as_reference()).unwrap();
    let icc = doc.get_object(icc).and_then(|o| o.as_stream()).unwrap();
    assert_eq!(&icc.content[36..40], b"acsp");
    assert_eq!(doc.trailer.get(b"ID").and_then(|i| i.as_array()).map(Vec::len).unwrap(), 2);
}

#[test]
fn a_clean_page_is_not_flagged_for_review() {
    let w = Work::new();
    w.sample("cong-van.jpg", "cv.jpg");
    w.run(&["scan", "cv.jpg", "--out", "arch", "-q"]).expect_code(0);
    let rec = &w.jsonl("arch/records.jsonl")[0];
    assert!(!rec["review"].as_array().unwrap().iter().any(|v| v == "text"), "{rec}");
}

#[test]
fn model_best_without_the_model_says_how_to_install_it() {
    let w = Work::new();
    w.sample("cong-van.jpg", "cv.jpg");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sohoa"))
        .args(["scan", "cv.jpg", "--out", "arch", "-q", "--model", "best"])
        .current_dir(w.path(""))
        .env("XDG_DATA_HOME", w.path("empty"))
        .env_remove("SOHOA_ARCHIVE")
        .output()
        .expect("run sohoa");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("install-best-model.sh"), "{err}");
    assert!(!w.path("arch/records.jsonl").exists());
}

/// The sample thông báo (colour JPEG) with a red seal stamped over the signer's title and name:
/// rings and hatching in red ink, multiplied over the page as ink is.
fn sealed_thong_bao() -> image::RgbImage {
    let mut img = image::open(repo().join("samples/thong-bao.jpg")).expect("sample").to_rgb8();
    let (cx, cy, r) = (1560i64, 2300i64, 300i64);
    let red = [205u32, 35, 45];
    for y in (cy - r).max(0)..(cy + r) {
        for x in (cx - r).max(0)..(cx + r) {
            let d2 = (x - cx).pow(2) + (y - cy).pow(2);
            let ring = (255 * 255..=295 * 295).contains(&d2);
            let hatch = d2 < 250 * 250 && ((x + y).rem_euclid(9) < 4 || (x - y).rem_euclid(11) < 3);
            if (ring || hatch) && (x as u32) < img.width() && (y as u32) < img.height() {
                let p = img.get_pixel_mut(x as u32, y as u32);
                for (v, r) in p.0.iter_mut().zip(red) {
                    *v = (*v as u32 * r / 255) as u8;
                }
            }
        }
    }
    img
}

#[test]
fn a_red_seal_over_the_signer_is_taken_out_and_kept_in_the_pdf() {
    let w = Work::new();
    sealed_thong_bao().save(w.path("sealed.png")).unwrap();
    w.run(&["scan", "sealed.png", "--out", "arch", "-j", "1", "-q", "--pdf"]).expect_code(0);
    let rec = &w.jsonl("arch/records.jsonl")[0];
    assert_eq!(rec["signer_title"], "Phó Giám đốc", "{rec}");
    assert_eq!(rec["signer_name"], "Lâm Thị Yến", "{rec}");
    // The PDF shows the page as scanned: in colour, seal included.
    let id = rec["id"].as_str().unwrap();
    let doc = lopdf::Document::load(w.path(&format!("arch/pdf/{id}.pdf"))).expect("PDF opens");
    let rgb_images = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image"))
        .filter(|s| s.dict.get(b"ColorSpace").and_then(|t| t.as_name()).ok() == Some(b"DeviceRGB"))
        .count();
    assert_eq!(rgb_images, 1);
    // Read in plain grey, the seal hides them.
    w.run(&["scan", "sealed.png", "--out", "keep", "-j", "1", "-q", "--seals", "keep"]).expect_code(0);
    let kept = &w.jsonl("keep/records.jsonl")[0];
    assert!(kept["signer_title"] != "Phó Giám đốc" || kept["signer_name"] != "Lâm Thị Yến", "{kept}");
}
