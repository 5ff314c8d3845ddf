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
