//! `sohoa scan` on the samples: real Tesseract, real content.

use crate::util::{read_jsonl, Work};

fn by_source<'a>(recs: &'a [serde_json::Value], source: &str) -> &'a serde_json::Value {
    recs.iter().find(|r| r["source"] == source).unwrap_or_else(|| panic!("no record for {source}"))
}

/// Folds case and diacritics loosely: OCR of a bilevel scan may lose a tone mark.
fn has_words(text: &str, words: &[&str]) -> bool {
    let t = text.to_lowercase();
    words.iter().all(|w| t.contains(&w.to_lowercase()))
}

#[test]
fn scans_images_and_tiff_into_records_with_real_text() {
    let w = Work::new();
    w.sample("cong-van.jpg", "in/cong-van.jpg");
    w.sample("quyet-dinh.tif", "in/quyet-dinh.tif");
    w.run(&["scan", "in", "--out", "arch", "-j", "2", "-q"]).expect_code(0);
    let recs = w.jsonl("arch/records.jsonl");
    assert_eq!(recs.len(), 2);

    let cv = by_source(&recs, "cong-van.jpg");
    assert_eq!(cv["schema"], "sohoa.record/1");
    assert_eq!(cv["page_count"], 1);
    assert_eq!(cv["language"], "vi");
    assert_eq!(cv["method"], "ocr");
    assert!(cv["engine"].as_str().unwrap().starts_with("tesseract 5"));
    let text = cv["text"].as_str().unwrap();
    assert!(has_words(text, &["Số", "4929", "văn thư", "lưu trữ", "Hồ Chí Minh"]), "{text}");
    let conf = cv["confidence"].as_f64().unwrap();
    assert!(conf > 0.5 && conf <= 1.0, "confidence {conf}");
    assert_eq!(cv["id"].as_str().unwrap().len(), 64);

    // A multi-page Group 4 TIFF gives one document of two pages separated by a form feed.
    let qd = by_source(&recs, "quyet-dinh.tif");
    assert_eq!(qd["page_count"], 2);
    let text = qd["text"].as_str().unwrap();
    assert_eq!(text.matches('\u{c}').count(), 1, "{text}");
    assert!(has_words(text, &["3669", "QUYẾT ĐỊNH", "thiên tai"]), "{text}");

    // The CSV has the same rows, and the errors file is empty.
    let csv = std::fs::read_to_string(w.path("arch/records.csv")).unwrap();
    assert!(csv.starts_with("schema,id,source,"), "{csv}");
    assert_eq!(csv.lines().filter(|l| l.starts_with("sohoa.record/1")).count(), 2);
    assert!(!csv.starts_with('\u{feff}'));
    assert!(w.jsonl("arch/errors.jsonl").is_empty());
}

#[test]
fn bad_files_are_errors_and_the_batch_goes_on() {
    let w = Work::new();
    w.sample("cong-van.jpg", "in/a-good.jpg");
    w.write("in/b-empty.png", b"");
    w.write("in/c-text.png", "Quyết định này có hiệu lực\n".as_bytes());
    let truncated = std::fs::read(crate::util::repo().join("samples/quyet-dinh.tif")).unwrap();
    w.write("in/d-truncated.tif", &truncated[..truncated.len() / 3]);
    w.write("in/notes.txt", b"not a scan, passed over");
    let run = w.run(&["scan", "in", "--out", "arch", "-j", "2"]).expect_code(1);
    assert!(run.stderr().contains("errors.jsonl"), "{}", run.stderr());

    let recs = w.jsonl("arch/records.jsonl");
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["source"], "a-good.jpg");
    let errs = w.jsonl("arch/errors.jsonl");
    let kinds: Vec<(String, String)> = errs
        .iter()
        .map(|e| (e["source"].as_str().unwrap().to_string(), e["kind"].as_str().unwrap().to_string()))
        .collect();
    assert!(kinds.contains(&("b-empty.png".into(), "empty".into())), "{kinds:?}");
    assert!(kinds.contains(&("c-text.png".into(), "unreadable".into())), "{kinds:?}");
    assert!(kinds.iter().any(|(s, k)| s == "d-truncated.tif" && k == "unreadable"), "{kinds:?}");
    assert_eq!(errs.len(), 3, "{errs:?}");
    for e in &errs {
        assert!(e["message"].as_str().unwrap().len() > 10);
    }
}

#[test]
fn ids_are_stable_and_a_rerun_skips_done_documents() {
    let w = Work::new();
    w.sample("bao-cao_p1.png", "in/bao-cao_p1.png");
    w.sample("bao-cao_p2.png", "in/bao-cao_p2.png");
    w.run(&["scan", "in", "--out", "a1", "--group", "stem", "-q"]).expect_code(0);
    let first = w.jsonl("a1/records.jsonl");
    assert_eq!(first.len(), 1);
    let r = &first[0];
    assert_eq!(r["source"], "bao-cao");
    assert_eq!(r["pages"], serde_json::json!(["bao-cao_p1.png", "bao-cao_p2.png"]));
    assert_eq!(r["page_count"], 2);

    // Same archive again: nothing is redone or duplicated.
    let run = w.run(&["scan", "in", "--out", "a1", "--group", "stem", "--json"]).expect_code(0);
    let summary: serde_json::Value = serde_json::from_str(run.stdout().trim()).unwrap();
    assert_eq!(summary["skipped"], 1);
    assert_eq!(summary["documents"], 0);
    assert_eq!(w.jsonl("a1/records.jsonl").len(), 1);

    // --force redoes it and replaces, not duplicates; the id is the same.
    w.run(&["scan", "in", "--out", "a1", "--group", "stem", "--force", "-q"]).expect_code(0);
    let again = w.jsonl("a1/records.jsonl");
    assert_eq!(again.len(), 1);
    assert_eq!(again[0]["id"], r["id"]);
}

#[test]
fn stdin_lists_and_excel_bom() {
    let w = Work::new();
    let p = w.sample("bao-cao_p2.png", "x y/page two.png");
    let list = format!("{}\n\n# a comment\n/no/such/file.png\n", p.display());
    let run = w.run_stdin(&["scan", "-", "--out", "arch", "--excel", "-q"], Some(&list)).expect_code(1);
    assert!(run.stderr().is_empty() || !run.stderr().contains("panick"), "{}", run.stderr());
    let recs = read_jsonl(&w.path("arch/records.jsonl"));
    assert_eq!(recs.len(), 1);
    assert!(recs[0]["source"].as_str().unwrap().ends_with("x y/page two.png"));
    let errs = w.jsonl("arch/errors.jsonl");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0]["source"], "/no/such/file.png");
    let csv = std::fs::read(w.path("arch/records.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}schema,".as_bytes()));
}

#[test]
fn missing_language_is_a_setup_error_naming_the_package() {
    let w = Work::new();
    w.sample("bao-cao_p2.png", "in/a.png");
    let run = w.run(&["scan", "in", "--out", "arch", "--lang", "vie+zzz"]).expect_code(2);
    assert!(run.stderr().contains("tesseract-ocr-zzz"), "{}", run.stderr());
}

#[test]
fn unsupported_formats_are_reported_per_file() {
    let w = Work::new();
    w.sample("bao-cao_p2.png", "in/a.png");
    w.write("in/b.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;");
    w.run(&["scan", "in", "--out", "arch", "-q"]).expect_code(1);
    let errs = w.jsonl("arch/errors.jsonl");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0]["kind"], "unsupported");
    assert_eq!(w.jsonl("arch/records.jsonl").len(), 1);
}

#[test]
fn a_page_over_the_timeout_becomes_an_error_and_the_rest_continues() {
    let w = Work::new();
    w.sample("cong-van.jpg", "in/a.jpg");
    let run = w.run(&["scan", "in", "--out", "arch", "--page-timeout", "0.001", "-q"]).expect_code(1);
    let errs = w.jsonl("arch/errors.jsonl");
    assert_eq!(errs.len(), 1, "{}", run.stderr());
    assert_eq!(errs[0]["kind"], "ocr-failed");
    assert!(errs[0]["message"].as_str().unwrap().contains("timeout"), "{:?}", errs[0]);
}

#[test]
fn a_second_writer_on_the_same_archive_is_refused() {
    let w = Work::new();
    w.sample("quyet-dinh.tif", "in/a.tif");
    std::fs::create_dir_all(w.path("arch")).unwrap();
    // Hold the archive's lock the way a running scan does.
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(w.path("arch/.lock"))
        .unwrap();
    f.lock().unwrap();
    let run = w.run(&["scan", "in", "--out", "arch", "-q"]).expect_code(2);
    assert!(run.stderr().contains("another sohoa process"), "{}", run.stderr());
    drop(f);
    w.run(&["scan", "in", "--out", "arch", "-q"]).expect_code(0);
}

#[test]
fn failures_are_remembered_until_retried_or_fixed() {
    let w = Work::new();
    w.sample("bao-cao_p2.png", "in/a.png");
    let tif = std::fs::read(crate::util::repo().join("samples/quyet-dinh.tif")).unwrap();
    w.write("in/b.tif", &tif[..tif.len() / 2]);
    w.run(&["scan", "in", "--out", "arch", "-q"]).expect_code(1);
    assert_eq!(w.jsonl("arch/errors.jsonl").len(), 1);

    // Rerun: the known-bad file is not tried again, and still listed; exit 1 says so.
    let run = w.run(&["scan", "in", "--out", "arch", "--json"]).expect_code(1);
    let s: serde_json::Value = serde_json::from_str(run.stdout().trim()).unwrap();
    assert_eq!((s["skipped"].as_u64(), s["skipped_failed"].as_u64()), (Some(1), Some(1)), "{s}");
    let errs = w.jsonl("arch/errors.jsonl");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0]["source"], "b.tif");
    assert_eq!(errs[0]["id"].as_str().map(str::len), Some(64));

    // --retry-failed tries it again (still broken: one line, not two).
    let run = w.run(&["scan", "in", "--out", "arch", "--retry-failed", "--json"]).expect_code(1);
    let s: serde_json::Value = serde_json::from_str(run.stdout().trim()).unwrap();
    assert_eq!(s["failed"], 1);
    assert_eq!(w.jsonl("arch/errors.jsonl").len(), 1);

    // The clerk replaces the file with a good copy: new content, processed, error gone.
    w.write("in/b.tif", &tif);
    w.run(&["scan", "in", "--out", "arch", "-q"]).expect_code(0);
    assert!(w.jsonl("arch/errors.jsonl").is_empty());
    assert_eq!(w.jsonl("arch/records.jsonl").len(), 2);
}
