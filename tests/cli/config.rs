use crate::util::Work;

#[test]
fn precedence_is_default_then_file_then_flag() {
    let w = Work::new();
    w.sample("bao-cao_p2.png", "in/a.png");
    // The file sets a language that is not installed: a scan that reads it fails at setup.
    w.write("arch/sohoa.toml", b"[scan]\nlang = \"vie+zzz\"\nexcel = true\n");
    let run = w.run(&["scan", "in", "--out", "arch"]).expect_code(2);
    assert!(run.stderr().contains("tesseract-ocr-zzz"), "{}", run.stderr());
    // A flag wins over the file; the file's other settings still apply (the CSV gets a BOM).
    w.run(&["scan", "in", "--out", "arch", "--lang", "vie", "-q"]).expect_code(0);
    let csv = std::fs::read(w.path("arch/records.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()));
    // `sohoa config` shows where each value comes from.
    let out = w.run(&["config", "--archive", "arch", "--json"]).expect_code(0).stdout();
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["scan"]["lang"]["value"], "vie+zzz");
    assert_eq!(v["scan"]["lang"]["source"], "file");
    assert_eq!(v["scan"]["psm"]["source"], "default");
    // --config FILE replaces the archive's file; unknown keys are errors naming the file.
    w.write("other.toml", b"[scan]\nbogus = 1\n");
    let run = w.run(&["--config", "other.toml", "scan", "in", "--out", "arch"]).expect_code(2);
    assert!(run.stderr().contains("unknown setting 'bogus'"), "{}", run.stderr());
}
