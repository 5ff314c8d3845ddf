use crate::util::Work;

#[test]
fn completions_generate_for_every_shell() {
    let w = Work::new();
    for (shell, marker) in [
        ("bash", "_sohoa()"),
        ("zsh", "#compdef sohoa"),
        ("fish", "complete -c sohoa"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = w.run(&["completions", shell]).expect_code(0).stdout();
        assert!(out.contains(marker), "{shell}: {}", &out[..out.len().min(300)]);
        assert!(out.contains("retry-failed"), "{shell} completion lacks scan flags");
    }
}

#[test]
fn doctor_reports_ok_and_detects_a_missing_language() {
    let w = Work::new();
    let out = w.run(&["doctor", "--archive", "arch"]).expect_code(0).stdout();
    assert!(out.contains("model vie"), "{out}");
    let run = w.run(&["doctor", "--archive", "arch", "--lang", "vie+zzz", "--json"]).expect_code(2);
    let lines: Vec<serde_json::Value> =
        run.stdout().lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    let fail = lines.iter().find(|l| l["status"] == "fail").expect("a failed check");
    assert!(fail["fix"].as_str().unwrap().contains("tesseract-ocr-zzz"), "{fail}");
}

#[test]
fn messages_in_vietnamese() {
    let w = Work::new();
    w.write("in/x.png", b"");
    let run = w.run(&["scan", "in", "--out", "arch", "--lang-ui", "vi"]).expect_code(1);
    let err = run.stderr();
    assert!(err.contains("tệp rỗng"), "{err}");
    assert!(err.contains("đã ghi 0 văn bản, 1 lỗi"), "{err}");
    // errors.jsonl keeps the stable English kind.
    assert_eq!(w.jsonl("arch/errors.jsonl")[0]["kind"], "empty");
    // LANG selects it too; --lang-ui en overrides.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sohoa"));
    let out = cmd
        .args(["scan", "in", "--out", "arch2"])
        .current_dir(w.dir.path())
        .env("LANG", "vi_VN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("văn bản"));
    let run = w.run(&["scan", "in", "--out", "arch3", "--lang-ui", "en"]).expect_code(1);
    assert!(run.stderr().contains("document(s) written"), "{}", run.stderr());
}

#[test]
fn verbose_logs_documents_and_pages() {
    let w = Work::new();
    w.sample("quyet-dinh.tif", "in/qd.tif");
    let run = w.run(&["scan", "in", "--out", "arch", "-vv"]).expect_code(0);
    let err = run.stderr();
    assert!(err.contains("written: qd.tif"), "{err}");
    assert!(err.contains("page done: qd.tif p.2"), "{err}");
    let run = w.run(&["scan", "in", "--out", "arch", "-v"]).expect_code(0);
    assert!(run.stderr().contains("already in the archive: qd.tif"), "{}", run.stderr());
    assert!(!run.stderr().contains("page done"));
}
